import { Command, Option } from "commander";
import { EXIT, setExitCode } from "./exit.js";
import { duration } from "./flags.js";

interface StatsFlags {
  cacheDir?: string;
  maxCacheAge?: number;
  json?: boolean;
}

interface ClearFlags {
  cacheDir?: string;
  olderThan?: number;
}

/** Where the cache is when --cache-dir is not given, as defaultCacheDir (runner/cache.ts) chooses it. */
export const CACHE_DIR_HELP = "response cache directory (default: $MODELPICK_CACHE_DIR, else $XDG_CACHE_HOME/modelpick or ~/.cache/modelpick)";

export function cacheCommand(): Command {
  const stats = new Command("stats")
    .description("count the cached answers: entries, size, oldest and newest, how many expired")
    .option("--cache-dir <dir>", CACHE_DIR_HELP)
    .addOption(
      new Option("--max-cache-age <duration>", "age past which an entry counts as expired (default: 14d, as eval)").argParser(duration("--max-cache-age")),
    )
    .option("--json", "print the counts as JSON")
    .action(async (flags: StatsFlags) => setExitCode(await runStats(flags)));
  const clear = new Command("clear")
    .description("remove cached answers: all of them, or those older than --older-than")
    .option("--cache-dir <dir>", CACHE_DIR_HELP)
    .addOption(new Option("--older-than <duration>", "remove only answers received longer ago than this, e.g. 30d, 12h").argParser(duration("--older-than")))
    .action(async (flags: ClearFlags) => setExitCode(await runClear(flags)));
  return new Command("cache")
    .description("inspect or empty the response cache of modelpick eval")
    .addCommand(stats.exitOverride())
    .addCommand(clear.exitOverride());
}

/** The cache directory from --cache-dir, else $MODELPICK_CACHE_DIR, else the default; refused when it looks wrong. */
export async function cacheDirOf(flag: string | undefined, options: { create: boolean }): Promise<string> {
  const { defaultCacheDir, openCacheDir } = await import("../runner/cache.js");
  const source = flag !== undefined ? "--cache-dir" : process.env.MODELPICK_CACHE_DIR ? "MODELPICK_CACHE_DIR" : "the default cache directory";
  return openCacheDir(flag ?? defaultCacheDir(), source, options);
}

async function runStats(flags: StatsFlags): Promise<number> {
  const { cacheStats } = await import("../runner/cache.js");
  const stats = await cacheStats(await cacheDirOf(flags.cacheDir, { create: false }), flags.maxCacheAge);
  if (flags.json) {
    process.stdout.write(JSON.stringify(stats, null, 2) + "\n");
    return EXIT.ok;
  }
  const { ageInWords, compactDuration } = await import("../report/age.js");
  const when = (iso: string | null) => (iso ? `${iso} (${ageInWords(Math.max(0, Date.now() - Date.parse(iso)))} ago)` : "—");
  const maxAge = compactDuration(stats.maxCacheAgeMs);
  const lines: Array<[string, string]> = [
    ["response cache", stats.dir],
    ["entries", `${count(stats.entries)} (${size(stats.bytes)})`],
    ["oldest", when(stats.oldest)],
    ["newest", when(stats.newest)],
    [
      "expired",
      `${count(stats.expired)} (older than ${maxAge})${stats.expired > 0 ? `: misses for eval, replaced when asked again; \`modelpick cache clear --older-than ${maxAge}\` removes them` : ""}`,
    ],
  ];
  if (stats.undated > 0) lines.push(["undated", `${count(stats.undated)} (written by an older modelpick; counted as expired)`]);
  if (stats.corrupt > 0) lines.push(["corrupt", `${count(stats.corrupt)} (misses; removed when met, or by \`modelpick cache clear\`)`]);
  if (stats.unreadable > 0) lines.push(["unreadable", `${count(stats.unreadable)} (check their permissions)`]);
  if (stats.tempFiles > 0) lines.push(["temporary", `${count(stats.tempFiles)} file(s) left by interrupted writes; \`modelpick cache clear\` removes them`]);
  const width = Math.max(...lines.map(([label]) => label.length));
  process.stdout.write(lines.map(([label, value]) => `${label.padEnd(width)}  ${value}`).join("\n") + "\n");
  return EXIT.ok;
}

async function runClear(flags: ClearFlags): Promise<number> {
  const { clearCache } = await import("../runner/cache.js");
  const result = await clearCache(await cacheDirOf(flags.cacheDir, { create: false }), { olderThanMs: flags.olderThan });
  const { compactDuration } = await import("../report/age.js");
  const which = flags.olderThan === undefined ? "" : ` older than ${compactDuration(flags.olderThan)}`;
  process.stdout.write(`removed ${count(result.removed)} file(s)${which} (${size(result.bytes)}) from ${result.dir}\n`);
  if (result.unreadable > 0) process.stderr.write(`${count(result.unreadable)} entry file(s) could not be read, so their age is unknown: left in place\n`);
  return EXIT.ok;
}

function count(n: number): string {
  return n.toLocaleString("en-US");
}

function size(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ["kB", "MB", "GB", "TB"];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}
