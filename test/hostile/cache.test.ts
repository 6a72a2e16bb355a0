import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cacheEntries } from "../helpers/cache.js";
import { runCli } from "../helpers/cli.js";
import { makeProject, numberedItems, readRows } from "../helpers/project.js";
import { useMockServer } from "../helpers/use-mock-server.js";

const KEY = "sk-test-SECRET-0123456789";
const mock = useMockServer();
const ENTRY_NAME = `${"ab".repeat(31)}.json`;

function project(items = 2): string {
  const models = [{ id: "gpt", provider: "openai", model: "gpt-test", baseURL: mock.openaiBaseURL, apiKeyEnv: "TEST_OPENAI_KEY" }];
  return makeProject({ models }, numberedItems(items));
}
const env = { TEST_OPENAI_KEY: KEY, MODELPICK_CACHE_DIR: undefined };

function run(dir: string, args: string[], extraEnv: Record<string, string> = {}) {
  return runCli(args, { cwd: dir, env: { ...env, ...extraEnv }, timeoutMs: 20_000 });
}

/** A project whose cache already holds its answers; returns the entry files too. */
async function cachedProject(items = 2) {
  const dir = project(items);
  expect((await run(dir, ["eval", "--out", "first", "--cache-dir", "cache"])).code).toBe(0);
  const entries = cacheEntries(path.join(dir, "cache"));
  expect(entries).toHaveLength(items);
  mock.requests.length = 0;
  return { dir, cache: path.join(dir, "cache"), entries };
}

/** A fan-out directory name the cache does not use yet. */
function unusedFanOut(cache: string, taken: string[] = []): string {
  const used = new Set([...readdirSync(cache), ...taken]);
  for (let n = 0; n < 256; n++) {
    const name = n.toString(16).padStart(2, "0");
    if (!used.has(name)) return name;
  }
  throw new Error("every fan-out directory is taken");
}

function outsideDir(): string {
  return mkdtempSync(path.join(tmpdir(), "modelpick-outside-"));
}

describe("hostile response caches", () => {
  it("a cache directory that is a file: eval, stats and clear exit 2 naming it, before any request", async () => {
    const dir = project();
    writeFileSync(path.join(dir, "cache"), "not a directory");
    for (const args of [
      ["eval", "--out", "out"],
      ["cache", "stats"],
      ["cache", "clear"],
    ]) {
      const result = await run(dir, [...args, "--cache-dir", "cache"]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/--cache-dir cache: not a directory/);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
    expect(mock.requests).toHaveLength(0);
    expect(readFileSync(path.join(dir, "cache"), "utf8")).toBe("not a directory");
  });

  it("refuses a filesystem root, the home directory, a parent of it or a link to it as the cache (exit 2, nothing deleted)", async () => {
    const base = outsideDir();
    const home = path.join(base, "users", "me");
    mkdirSync(path.join(home, "ab"), { recursive: true });
    const decoy = path.join(home, "ab", ENTRY_NAME);
    writeFileSync(decoy, "{}");
    symlinkSync(home, path.join(base, "home-link"));
    const dir = project();
    for (const cacheDir of ["/", home, path.join(base, "users"), path.join(base, "home-link")]) {
      for (const args of [
        ["cache", "clear"],
        ["cache", "stats"],
        ["eval", "--out", `out-${path.basename(cacheDir)}`],
      ]) {
        const result = await run(dir, [...args, "--cache-dir", cacheDir], { HOME: home });
        expect(result.code, `${args.join(" ")} --cache-dir ${cacheDir}`).toBe(2);
        expect(result.stderr).toMatch(/refusing to use .* as the response cache/);
      }
    }
    // The same through MODELPICK_CACHE_DIR, named as such.
    const viaEnv = await run(dir, ["cache", "clear"], { HOME: home, MODELPICK_CACHE_DIR: home });
    expect(viaEnv.code).toBe(2);
    expect(viaEnv.stderr).toMatch(/MODELPICK_CACHE_DIR/);
    expect(existsSync(decoy)).toBe(true);
    expect(mock.requests).toHaveLength(0);
  });

  it("a corrupt entry is a miss: the model is asked again and the entry replaced; clear --older-than removes corrupt ones", async () => {
    const { dir, cache, entries } = await cachedProject();
    writeFileSync(entries[0]!, "{ torn");
    writeFileSync(entries[1]!, JSON.stringify({ receivedAt: "yesterday", result: { output: "x" } }));
    const stray = path.join(cache, unusedFanOut(cache), ENTRY_NAME);
    mkdirSync(path.dirname(stray));
    writeFileSync(stray, "[]");
    expect(JSON.parse((await run(dir, ["cache", "stats", "--json", "--cache-dir", "cache"])).stdout)).toMatchObject({ entries: 3, corrupt: 3, expired: 0 });

    const again = await run(dir, ["eval", "--out", "again", "--cache-dir", "cache"]);
    expect(again.code).toBe(0);
    expect(mock.requests).toHaveLength(2);
    expect(readRows(path.join(dir, "again")).every((r) => !r.cached && r.score === 1)).toBe(true);
    for (const file of entries) expect(typeof JSON.parse(readFileSync(file, "utf8")).receivedAt).toBe("string");

    const cleared = await run(dir, ["cache", "clear", "--older-than", "1d", "--cache-dir", "cache"]);
    expect(cleared.code).toBe(0);
    expect(existsSync(stray)).toBe(false);
    expect(cacheEntries(cache).sort()).toEqual([...entries].sort());
  });

  it("an entry that is a directory or a FIFO is a miss and never blocks eval, stats or clear", async () => {
    const { dir, entries } = await cachedProject();
    rmSync(entries[0]!);
    mkdirSync(entries[0]!);
    rmSync(entries[1]!);
    execFileSync("mkfifo", [entries[1]!]);
    const stats = await run(dir, ["cache", "stats", "--json", "--cache-dir", "cache"]);
    expect(stats.code).toBe(0);
    expect(JSON.parse(stats.stdout)).toMatchObject({ entries: 0 });

    const again = await run(dir, ["eval", "--out", "again", "--cache-dir", "cache"]);
    expect(again.signal).toBeNull();
    expect(again.code).toBe(0);
    expect(mock.requests).toHaveLength(2);
    expect(readRows(path.join(dir, "again")).every((r) => !r.cached && r.score === 1)).toBe(true);
    // The FIFO was replaced by a fresh entry; the directory could not be (the answer is simply not cached).
    expect(cacheEntries(path.join(dir, "cache"))).toEqual([entries[1]]);

    const cleared = await run(dir, ["cache", "clear", "--cache-dir", "cache"]);
    expect(cleared.code).toBe(0);
    expect(cleared.stdout).toMatch(/removed 1 /);
    expect(existsSync(entries[0]!)).toBe(true);
  });

  it.skipIf(process.getuid?.() === 0)("an entry without read permission is a miss; stats counts it; clear --older-than leaves it", async () => {
    const { dir, entries } = await cachedProject();
    chmodSync(entries[0]!, 0o000);
    const again = await run(dir, ["eval", "--out", "again", "--cache-dir", "cache"]);
    expect(again.code).toBe(0);
    expect(mock.requests).toHaveLength(1);
    chmodSync(entries[0]!, 0o000); // the run replaced it with a fresh, readable entry
    expect(JSON.parse((await run(dir, ["cache", "stats", "--json", "--cache-dir", "cache"])).stdout)).toMatchObject({ unreadable: 1 });
    const cleared = await run(dir, ["cache", "clear", "--older-than", "0", "--cache-dir", "cache"]);
    expect(cleared.code).toBe(0);
    expect(existsSync(entries[0]!)).toBe(true);
  });

  it("symbolic links inside the cache are never followed: clear leaves what they point at, eval never deletes or writes through them", async () => {
    const { dir, cache, entries } = await cachedProject(4);
    const outside = outsideDir();
    // A fan-out directory that is a link to a directory outside the cache.
    const linkedName = unusedFanOut(cache);
    mkdirSync(path.join(outside, "linked"));
    const linkedTarget = path.join(outside, "linked", ENTRY_NAME);
    writeFileSync(linkedTarget, "{ not an entry");
    symlinkSync(path.join(outside, "linked"), path.join(cache, linkedName));
    // An entry that is a link to a file outside the cache.
    const precious = path.join(outside, "precious.json");
    writeFileSync(precious, "precious");
    const preciousDir = path.join(cache, unusedFanOut(cache, [linkedName]));
    mkdirSync(preciousDir);
    symlinkSync(precious, path.join(preciousDir, ENTRY_NAME));
    // A real key whose fan-out directory is moved outside and linked back, with a corrupt entry there.
    const realKeyDir = path.dirname(entries[0]!);
    const moved = path.join(outside, "moved");
    renameSync(realKeyDir, moved);
    symlinkSync(moved, realKeyDir);
    const movedEntry = path.join(moved, path.basename(entries[0]!));
    writeFileSync(movedEntry, "{ corrupt");
    const movedFiles = readdirSync(moved).sort();
    const missesThere = entries.filter((f) => path.dirname(f) === realKeyDir).length;
    // A real key whose entry is a link to a file outside.
    const other = entries.find((f) => path.dirname(f) !== realKeyDir)!;
    const otherTarget = path.join(outside, "other.json");
    writeFileSync(otherTarget, "{ corrupt too");
    rmSync(other);
    symlinkSync(otherTarget, other);

    const again = await run(dir, ["eval", "--out", "again", "--cache-dir", "cache"]);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/could not write to the response cache/);
    expect(mock.requests).toHaveLength(missesThere + 1);
    expect(readFileSync(movedEntry, "utf8")).toBe("{ corrupt");
    expect(readdirSync(moved).sort()).toEqual(movedFiles);
    expect(readFileSync(otherTarget, "utf8")).toBe("{ corrupt too");

    const cleared = await run(dir, ["cache", "clear", "--cache-dir", "cache"]);
    expect(cleared.code).toBe(0);
    expect(readFileSync(linkedTarget, "utf8")).toBe("{ not an entry");
    expect(readFileSync(precious, "utf8")).toBe("precious");
    expect(readFileSync(movedEntry, "utf8")).toBe("{ corrupt");
    expect(readdirSync(moved).sort()).toEqual(movedFiles);
  });

  it("clear touches only files of the cache's own naming, and removes temporary files left by killed writes", async () => {
    const { dir, cache } = await cachedProject();
    writeFileSync(path.join(cache, "README"), "mine");
    writeFileSync(path.join(cache, "ab.json"), "mine");
    mkdirSync(path.join(cache, "zz"));
    writeFileSync(path.join(cache, "zz", ENTRY_NAME), "mine");
    mkdirSync(path.join(cache, "ab"), { recursive: true });
    writeFileSync(path.join(cache, "ab", "notes.txt"), "mine");
    writeFileSync(path.join(cache, "ab", ENTRY_NAME.toUpperCase()), "mine");
    const temp = path.join(cache, "ab", `.${ENTRY_NAME}.1234.lx2k3.tmp`);
    writeFileSync(temp, "{ half");
    expect(JSON.parse((await run(dir, ["cache", "stats", "--json", "--cache-dir", "cache"])).stdout)).toMatchObject({ entries: 2, tempFiles: 1 });

    const cleared = await run(dir, ["cache", "clear", "--cache-dir", "cache"]);
    expect(cleared.code).toBe(0);
    expect(cleared.stdout).toMatch(/removed 3 /);
    expect(cacheEntries(cache)).toHaveLength(0);
    expect(existsSync(temp)).toBe(false);
    for (const kept of ["README", "ab.json", `zz/${ENTRY_NAME}`, "ab/notes.txt", `ab/${ENTRY_NAME.toUpperCase()}`]) {
      expect(readFileSync(path.join(cache, kept), "utf8")).toBe("mine");
    }
  });
});
