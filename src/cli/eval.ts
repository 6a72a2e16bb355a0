import { rmdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Command, Option } from "commander";
import type { DatasetItem } from "../dataset/types.js";
import type { EvalOutcome } from "../runner/run.js";
import { InputError } from "../errors.js";
import { unknownName } from "../suggest.js";
import { CACHE_DIR_HELP, cacheDirOf } from "./cache.js";
import { terminalSafe, terminalSafeJson } from "../io/terminal.js";
import { shownPath } from "../io/fs-errors.js";
import { EXIT, setExitCode } from "./exit.js";
import { duration, nonEmptyList, positiveInt, unit } from "./flags.js";
import { startProgress } from "./progress.js";

interface EvalFlags {
  config?: string;
  demo?: boolean;
  out?: string;
  resume?: string;
  cache: boolean;
  cacheDir?: string;
  maxCacheAge?: number;
  models?: string[];
  categories?: string[];
  limit?: number;
  json?: boolean;
  minScore?: number;
  failOnError?: boolean;
  prices?: string;
}

export function evalCommand(): Command {
  return (
    new Command("eval")
      .description("run the dataset across the configured models, score every answer, report quality per category")
      .option("-c, --config <file>", "config file (default: ./modelpick.yaml)")
      .addOption(
        new Option("--demo", "run the built-in example shipped with modelpick (recorded answers, no API key); results go to ./reports").conflicts("config"),
      )
      .option("-o, --out <dir>", "output directory (default: reports/<timestamp>/); reports/latest follows every completed run under ./reports")
      .option("--resume <dir>", "continue an interrupted run in <dir>: finished rows are not requested again")
      .option("--no-cache", "do not read or write the response cache")
      .option("--cache-dir <dir>", CACHE_DIR_HELP)
      .addOption(
        new Option(
          "--max-cache-age <duration>",
          "use cached answers received at most this long ago, e.g. 14d, 36h, 90m; 0: ask again, but still cache (default: 14d)",
        ).argParser(duration("--max-cache-age")),
      )
      // An empty list (`--models "$UNSET"`) is refused: read as "all", it would run every model in the config.
      .addOption(
        new Option("-m, --models <ids>", "comma-separated model ids to run (default: all in the config)").argParser(nonEmptyList("model ids")("--models")),
      )
      .addOption(new Option("--categories <names>", "comma-separated categories to run (default: all)").argParser(nonEmptyList("categories")("--categories")))
      .addOption(new Option("--limit <n>", "run only the first n items (after --categories)").argParser(positiveInt("--limit")))
      .option("--prices <file>", "your prices (LiteLLM JSON or a modelpick price map), ahead of the config's prices: file and the built-in catalog")
      .option("--json", "print the summary as JSON instead of a table")
      .addOption(new Option("--min-score <x>", "exit 1 when any model's overall mean score is below x").argParser(unit("--min-score")))
      .option("--fail-on-error", "exit 1 when any item errored")
      .action(async (flags: EvalFlags) => {
        const code = await runEvalCommand(flags);
        setExitCode(code);
      })
  );
}

async function runEvalCommand(flags: EvalFlags): Promise<number> {
  const { loadConfig } = await import("../config/load.js");
  const { loadDatasets } = await import("../dataset/load.js");
  const { runEval, prepareEval, linkLatest } = await import("../runner/run.js");
  const { ResponseCache } = await import("../runner/cache.js");
  const { createFreshDir } = await import("../io/dirs.js");

  if (flags.resume !== undefined && flags.out !== undefined) {
    throw new InputError(
      "--resume continues a run in the directory it names, so --out cannot go with it: drop --out (or drop --resume to start a new run there)",
    );
  }
  if (!flags.cache && flags.maxCacheAge !== undefined) throw new InputError("--max-cache-age has no effect with --no-cache; drop one of them");
  const cache = flags.cache ? new ResponseCache(await cacheDirOf(flags.cacheDir, { create: true }), { maxAgeMs: flags.maxCacheAge }) : null;
  const config = loadConfig(flags.demo ? demoConfigFile() : flags.config);
  const prices = (await import("../cost/prices.js")).loadPriceSources(config, flags.prices);
  const modelIds = flags.models;
  // Model threads warm up (load their SDKs) while the dataset is read.
  const prepared = prepareEval(config, modelIds);
  const named = flags.resume ?? flags.out;
  let outDir = named === undefined ? undefined : path.resolve(named);
  let outcome: EvalOutcome;
  let progress: ReturnType<typeof startProgress> | undefined;
  try {
    const items = filterItems(await loadDatasets(config.datasets), flags);
    // Created here, exclusively: two runs started in the same second get a directory each.
    outDir ??= path.resolve(createFreshDir("reports", timestamp()));
    progress = startProgress(flags.json === true);
    outcome = await runEval({
      config,
      items,
      outDir,
      resume: flags.resume !== undefined,
      cache,
      modelIds,
      prices,
      prepared,
      onRow: (_row, p) => progress?.update(p),
      onNote: (note) => process.stderr.write(`note: ${note}\n`),
    });
  } catch (error) {
    if (named === undefined && outDir !== undefined) removeIfEmpty(outDir);
    throw error;
  } finally {
    progress?.stop();
    prepared.dispose();
  }
  const latest = linkLatest(outDir);
  if (latest.reason === "outside") process.stderr.write(`${latestNote(outDir, latest.pointsAt)}\n`);

  const { summary } = outcome;
  if (flags.json) {
    process.stdout.write(terminalSafeJson(summary, 2) + "\n");
  } else {
    const { renderEvalTable } = await import("../report/eval-table.js");
    process.stdout.write(`${await renderEvalTable(summary)}\n`);
    process.stdout.write(`Results: ${shownPath(outDir)}/results.jsonl and summary.json\n`);
  }
  const { comparableMean } = await import("../results/summary.js");
  return verdict(
    summary.overall.map((cell) => ({ model: cell.model, ...comparableMean(cell) })),
    outcome.progress.errors,
    flags,
  );
}

/** For a run outside ./reports: commands that default to reports/latest will not read it unless told to. */
function latestNote(outDir: string, pointsAt: string | null): string {
  const where = pointsAt ? `still points at ${shownPath(pointsAt)}` : "does not point at it";
  return `${shownPath(outDir)} is outside ./reports, so reports/latest ${where}: pass --results ${shownPath(outDir)} to recommend, check and cost`;
}

function filterItems(items: DatasetItem[], flags: EvalFlags): DatasetItem[] {
  let kept = items;
  if (flags.categories) {
    const wanted = new Set(flags.categories);
    const known = [...new Set(items.map((item) => item.category))];
    for (const category of wanted) {
      if (!known.includes(category)) throw new InputError(`--categories: ${unknownName("category", category, known)} (the categories of the dataset)`);
    }
    kept = kept.filter((item) => wanted.has(item.category));
  }
  return flags.limit ? kept.slice(0, flags.limit) : kept;
}

/** `overall`: each model's mean as thresholds compare it (see comparableMean), and the items it is over. */
function verdict(overall: Array<{ model: string; mean: number | null; basis: string }>, errors: number, flags: EvalFlags): number {
  let code: number = EXIT.ok;
  if (errors > 0) {
    process.stderr.write(`${errors} item(s) errored; see the error column of results.jsonl\n`);
    if (flags.failOnError) code = EXIT.checkFailed;
  }
  if (flags.minScore !== undefined) {
    const below = overall.filter((cell) => cell.mean === null || cell.mean < flags.minScore!);
    for (const cell of below) {
      process.stderr.write(
        `model ${terminalSafe(cell.model)}: mean score ${cell.mean?.toFixed(3) ?? "none"} on ${cell.basis} is below --min-score ${flags.minScore}\n`,
      );
    }
    if (below.length > 0) code = EXIT.checkFailed;
  }
  return code;
}

/** The built-in default, modelpick.yaml at the package root (next to dist/); its paths resolve relative to it. */
function demoConfigFile(): string {
  return fileURLToPath(new URL("../modelpick.yaml", import.meta.url));
}

/** The default run directory's name, reports/<UTC timestamp> (a suffix is added when two runs share a second). */
function timestamp(): string {
  return new Date().toISOString().replace(/:/g, "-").replace(/\..+$/, "Z");
}

/** A default directory made for a run that failed before writing anything is not left behind. */
function removeIfEmpty(dir: string): void {
  try {
    rmdirSync(dir);
  } catch {
    // not empty: what the run wrote stays
  }
}
