import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { backdate, cacheEntries } from "../helpers/cache.js";
import { runCli } from "../helpers/cli.js";
import { makeProject, numberedItems, readRows } from "../helpers/project.js";
import { useMockServer } from "../helpers/use-mock-server.js";

const KEY = "sk-test-SECRET-0123456789";
const mock = useMockServer();
const DAY = 24 * 3600 * 1000;

/** Two API models: the second runs on a worker thread of its own, so both cache paths are exercised. */
function models() {
  return [
    { id: "gpt", provider: "openai", model: "gpt-test", baseURL: mock.openaiBaseURL, apiKeyEnv: "TEST_OPENAI_KEY" },
    { id: "claude", provider: "anthropic", model: "claude-test", baseURL: mock.anthropicBaseURL, apiKeyEnv: "TEST_ANTHROPIC_KEY" },
  ];
}
const env = { TEST_OPENAI_KEY: KEY, TEST_ANTHROPIC_KEY: KEY, MODELPICK_CACHE_DIR: undefined };

function evalIn(dir: string, out: string, args: string[] = []) {
  return runCli(["eval", "--out", out, "--cache-dir", "cache", ...args], { cwd: dir, env });
}

function cacheIn(dir: string, args: string[]) {
  return runCli(["cache", ...args, "--cache-dir", "cache"], { cwd: dir, env });
}

function summaryOf(dir: string, out: string) {
  return JSON.parse(readFileSync(path.join(dir, out, "summary.json"), "utf8"));
}

const changedAnswers = () => mock.setBehavior(({ userText }) => ({ text: `a new model says: ${userText}` }));

describe("the response cache says when it answered, and expires", () => {
  it("a second eval against a changed model reads the cache (0 requests) and says so in the table, progress and summary", async () => {
    const dir = makeProject({ models: models() }, numberedItems(4));
    expect((await evalIn(dir, "first")).code).toBe(0);
    expect(mock.requests).toHaveLength(8);
    expect(summaryOf(dir, "first").run.cachedRows).toBe(0);

    changedAnswers();
    const second = await evalIn(dir, "second");
    expect(second.code).toBe(0);
    expect(mock.requests).toHaveLength(8);
    const rows = readRows(path.join(dir, "second"));
    expect(rows.every((r) => r.cached && r.score === 1)).toBe(true);
    for (const row of rows) expect(Date.now() - Date.parse((row as { cachedAt?: string }).cachedAt ?? "")).toBeLessThan(DAY);

    expect(second.stdout).toMatch(
      /8 of 8 rows came from the response cache \(answers up to less than a minute old; --no-cache or --max-cache-age to refresh\)/,
    );
    expect(second.stderr).toMatch(/8\/8 done .*· 8 cached/);
    const summary = summaryOf(dir, "second");
    expect(summary.run.cachedRows).toBe(8);
    expect(Date.now() - Date.parse(summary.run.oldestCachedAt)).toBeLessThan(DAY);
    expect(summary.run.models.map((m: { cachedRows: number }) => m.cachedRows)).toEqual([4, 4]);
    expect(summary.cells.map((c: { cached: number }) => c.cached)).toEqual([2, 2, 2, 2]);
    expect(summary.overall.map((c: { cached: number }) => c.cached)).toEqual([4, 4]);
  });

  it("--max-cache-age 0 asks the server again (new scores) but still writes the answers for the next run", async () => {
    const dir = makeProject({ models: models() }, numberedItems(4));
    expect((await evalIn(dir, "first")).code).toBe(0);
    changedAnswers();
    const fresh = await evalIn(dir, "fresh", ["--max-cache-age", "0"]);
    expect(fresh.code).toBe(0);
    expect(mock.requests).toHaveLength(16);
    expect(readRows(path.join(dir, "fresh")).every((r) => !r.cached && r.score === 0)).toBe(true);
    expect(fresh.stdout).not.toMatch(/response cache/);
    expect(summaryOf(dir, "fresh").run.cachedRows).toBe(0);

    const next = await evalIn(dir, "next");
    expect(mock.requests).toHaveLength(16);
    expect(readRows(path.join(dir, "next")).every((r) => r.cached && r.score === 0)).toBe(true);
    expect(next.stdout).toMatch(/8 of 8 rows came from the response cache/);
  });

  it("an entry older than the max age (default 14 days) is a miss and is replaced; younger ones are hits", async () => {
    const dir = makeProject({ models: models() }, numberedItems(4));
    expect((await evalIn(dir, "first")).code).toBe(0);
    const entries = cacheEntries(path.join(dir, "cache"));
    expect(entries).toHaveLength(8);
    for (const file of entries.slice(0, 3)) backdate(file, 15 * DAY);
    for (const file of entries.slice(3)) backdate(file, 3 * DAY + 3600_000);
    changedAnswers();

    const second = await evalIn(dir, "second");
    expect(second.code).toBe(0);
    expect(mock.requests).toHaveLength(8 + 3);
    const rows = readRows(path.join(dir, "second"));
    expect(rows.filter((r) => r.cached)).toHaveLength(5);
    expect(rows.filter((r) => !r.cached).every((r) => r.score === 0)).toBe(true);
    expect(second.stdout).toMatch(/5 of 8 rows came from the response cache \(answers up to 3 days old;/);
    expect(second.stderr).toMatch(/· 5 cached/);
    // The expired entries were replaced by today's answers.
    const ages = cacheEntries(path.join(dir, "cache")).map((f) => Date.now() - Date.parse(JSON.parse(readFileSync(f, "utf8")).receivedAt));
    expect(ages.filter((age) => age < DAY)).toHaveLength(3);

    const shorter = await evalIn(dir, "shorter", ["--max-cache-age", "36h"]);
    expect(shorter.code).toBe(0);
    expect(mock.requests).toHaveLength(8 + 3 + 5);
    expect(readRows(path.join(dir, "shorter")).filter((r) => r.cached)).toHaveLength(3);
  });

  it("an entry written before entries carried a date counts as expired", async () => {
    const dir = makeProject({ models: models().slice(0, 1) }, numberedItems(2));
    expect((await evalIn(dir, "first")).code).toBe(0);
    const [file] = cacheEntries(path.join(dir, "cache"));
    const { result } = JSON.parse(readFileSync(file!, "utf8"));
    writeFileSync(file!, JSON.stringify(result)); // the old format: the bare answer
    expect((await evalIn(dir, "second")).code).toBe(0);
    expect(mock.requests).toHaveLength(3);
    expect(readRows(path.join(dir, "second")).filter((r) => r.cached)).toHaveLength(1);
  });

  it.each(["14", "-1d", "1w", "1.5h", "abc", "", "d", "99999999999999d"])("refuses --max-cache-age %j with exit 2 naming the flag", async (value) => {
    const dir = makeProject({ models: models() }, numberedItems(1));
    const result = await evalIn(dir, "out", ["--max-cache-age", value]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--max-cache-age/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(mock.requests).toHaveLength(0);
  });

  it("refuses --max-cache-age together with --no-cache", async () => {
    const dir = makeProject({ models: models() }, numberedItems(1));
    const result = await evalIn(dir, "out", ["--max-cache-age", "1d", "--no-cache"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--max-cache-age.*--no-cache/);
  });
});

describe("modelpick cache stats and clear", () => {
  it("stats counts entries, size, oldest/newest and expired; clear --older-than removes only the old ones; clear removes all", async () => {
    const dir = makeProject({ models: models() }, numberedItems(3));
    expect((await evalIn(dir, "first")).code).toBe(0);
    const entries = cacheEntries(path.join(dir, "cache"));
    expect(entries).toHaveLength(6);
    backdate(entries[0]!, 20 * DAY);
    backdate(entries[1]!, 10 * DAY);

    const stats = await cacheIn(dir, ["stats", "--json"]);
    expect(stats.code).toBe(0);
    const json = JSON.parse(stats.stdout);
    const bytes = entries.reduce((sum, f) => sum + readFileSync(f).length, 0);
    expect(json).toMatchObject({ dir: path.join(dir, "cache"), entries: 6, bytes, expired: 1, maxCacheAgeMs: 14 * DAY, corrupt: 0 });
    expect(Math.abs(Date.now() - 20 * DAY - Date.parse(json.oldest))).toBeLessThan(60_000);
    expect(Date.now() - Date.parse(json.newest)).toBeLessThan(60_000);
    expect((await cacheIn(dir, ["stats", "--json", "--max-cache-age", "5d"])).stdout).toMatch(/"expired": 2/);

    const text = await cacheIn(dir, ["stats"]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(path.join(dir, "cache"));
    expect(text.stdout).toMatch(/entries\s+6/);
    expect(text.stdout).toMatch(/expired\s+1 \(older than 14d\)/);

    const cleared = await cacheIn(dir, ["clear", "--older-than", "7d"]);
    expect(cleared.code).toBe(0);
    expect(cleared.stdout).toMatch(/removed 2 /);
    const left = cacheEntries(path.join(dir, "cache"));
    expect(left.sort()).toEqual(entries.slice(2).sort());

    const all = await cacheIn(dir, ["clear"]);
    expect(all.code).toBe(0);
    expect(all.stdout).toMatch(/removed 4 /);
    expect(cacheEntries(path.join(dir, "cache"))).toHaveLength(0);
    expect(existsSync(path.join(dir, "cache"))).toBe(true);
    expect(JSON.parse((await cacheIn(dir, ["stats", "--json"])).stdout)).toMatchObject({ entries: 0, bytes: 0, oldest: null, newest: null });
  });

  it("clear --older-than also removes entries dated in the future, which reads already treat as expired", async () => {
    const dir = makeProject({ models: models() }, numberedItems(2));
    expect((await evalIn(dir, "first")).code).toBe(0);
    const entries = cacheEntries(path.join(dir, "cache"));
    backdate(entries[0]!, -30 * DAY);
    expect(JSON.parse((await cacheIn(dir, ["stats", "--json"])).stdout)).toMatchObject({ entries: 4, expired: 1 });
    const cleared = await cacheIn(dir, ["clear", "--older-than", "7d"]);
    expect(cleared.stdout).toMatch(/removed 1 /);
    expect(cacheEntries(path.join(dir, "cache")).sort()).toEqual(entries.slice(1).sort());
  });

  it("stats and clear on a cache directory that does not exist yet report an empty cache", async () => {
    const dir = makeProject({ models: models() }, numberedItems(1));
    const stats = await cacheIn(dir, ["stats", "--json"]);
    expect(stats.code).toBe(0);
    expect(JSON.parse(stats.stdout)).toMatchObject({ entries: 0 });
    expect((await cacheIn(dir, ["clear"])).code).toBe(0);
    expect(existsSync(path.join(dir, "cache"))).toBe(false);
  });

  it("without --cache-dir uses $XDG_CACHE_HOME/modelpick when MODELPICK_CACHE_DIR is unset, and every --help says so", async () => {
    const dir = makeProject({ models: models() }, numberedItems(1));
    const xdg = { ...env, XDG_CACHE_HOME: path.join(dir, "xdg") };
    const stats = await runCli(["cache", "stats", "--json"], { cwd: dir, env: xdg });
    expect(stats.code).toBe(0);
    expect(JSON.parse(stats.stdout).dir).toBe(path.join(dir, "xdg", "modelpick"));
    const helps = await Promise.all([["eval"], ["cache", "stats"], ["cache", "clear"]].map((command) => runCli([...command, "--help"])));
    for (const help of helps) expect(help.stdout.replace(/\s+/g, " ")).toContain("$MODELPICK_CACHE_DIR, else $XDG_CACHE_HOME/modelpick or ~/.cache/modelpick");
  });

  it.each([
    ["stats", "--max-cache-age"],
    ["clear", "--older-than"],
  ])("cache %s refuses a bad %s with exit 2", async (command, flag) => {
    const dir = makeProject({ models: models() }, numberedItems(1));
    const result = await cacheIn(dir, [command, flag, "2 weeks"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(flag);
  });
});
