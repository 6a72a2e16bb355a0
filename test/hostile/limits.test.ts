import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, runCli } from "../helpers/cli.js";
import { makeProject, readRows } from "../helpers/project.js";
import { useMockServer } from "../helpers/use-mock-server.js";

// Work that could hang the run or exhaust memory: each case ends in bounded time and memory, through the built CLI.

const mock = useMockServer();

function compatibleModel(overrides: Record<string, unknown> = {}) {
  return { id: "local", provider: "openai-compatible", model: "m", baseURL: mock.openaiBaseURL, hosting: "self-hosted", ...overrides };
}

const env = { MODELPICK_CACHE_DIR: undefined, TEST_ANTHROPIC_KEY: "sk-test-limits" };

async function evalIn(dir: string, args: string[] = [], timeoutMs = 60_000) {
  const started = performance.now();
  const result = await runCli(["eval", "--out", "out", "--no-cache", ...args], { cwd: dir, env, timeoutMs });
  return { ...result, wallMs: performance.now() - started };
}

/** Runs the CLI with bench/peak-rss.cjs preloaded, which reports the process's peak RSS when it exits. */
async function evalMeasuringMemory(dir: string) {
  const rssFile = path.join(mkdtempSync(path.join(tmpdir(), "modelpick-rss-")), "rss");
  const preload = path.join(ROOT, "bench", "peak-rss.cjs");
  const started = performance.now();
  const result = await runCli(["eval", "--out", "out", "--no-cache"], {
    cwd: dir,
    env: { ...env, NODE_OPTIONS: `--require ${preload}`, MODELPICK_BENCH_RSS_FILE: rssFile },
    timeoutMs: 90_000,
  });
  const wallMs = performance.now() - started;
  const peakRssMb = Number(readFileSync(rssFile, "utf8").split(" ")[0]) / 1024;
  return { ...result, wallMs, peakRssMb };
}

describe("a dataset-supplied regular expression that backtracks catastrophically", () => {
  it("is cut off after its time budget: that item's row names the pattern, the other items are scored", async () => {
    const evil = `${"a".repeat(40)}!`;
    mock.setBehavior(({ userText }) => {
      if (userText === "evil schema") return { text: JSON.stringify({ code: evil }) };
      return { text: userText === "evil" ? evil : `echo: ${userText}` };
    });
    const items = [
      { id: "regex", category: "c", input: "evil", scorer: { type: "regex", pattern: "^(a+)+$" } },
      {
        id: "schema",
        category: "c",
        input: "evil schema",
        scorer: { type: "json", schema: { type: "object", properties: { code: { type: "string", pattern: "^(a+)+$" } } } },
      },
      { id: "fine", category: "c", input: "fine", scorer: { type: "regex", pattern: "^ECHO: fine$" } },
    ];
    // Two API models: the second runs on a worker thread, where the budget must hold too.
    const models = [compatibleModel({ id: "main", maxRetries: 0 }), compatibleModel({ id: "threaded", maxRetries: 0 })];
    const dir = makeProject({ models }, items);
    const result = await evalIn(dir, [], 40_000);
    expect(result.signal).toBeNull();
    expect(result.code).toBe(0);
    const rows = readRows(path.join(dir, "out"));
    expect(rows).toHaveLength(6);
    for (const model of ["main", "threaded"]) {
      const row = (itemId: string) => rows.find((r) => r.itemId === itemId && r.model === model)!;
      expect(row("regex").score).toBeNull();
      expect(row("regex").error).toContain("regex /^(a+)+$/ took longer than 1000 ms on this answer (catastrophic backtracking?); simplify the pattern");
      expect(row("schema").score).toBeNull();
      expect(row("schema").error).toContain("regex /^(a+)+$/ took longer than 1000 ms on this answer");
      expect(row("fine")).toMatchObject({ score: 1, error: null });
    }
    // Four budgets of a second, two at a time, plus start-up: far from the hours the backtracking would take.
    expect(result.wallMs).toBeLessThan(20_000);
  }, 60_000);
});

describe("a dataset with a huge line", () => {
  function recordedProject(inputChars: number): string {
    const dir = makeProject({ models: [{ id: "rec", provider: "recorded", file: "recorded.jsonl" }] }, []);
    const big = JSON.stringify({ id: "big", category: "c", input: "x".repeat(inputChars), expected: "ok" });
    writeFileSync(path.join(dir, "tasks.jsonl"), `{"id":"small","category":"c","input":"hi","expected":"ok"}\n${big}\n`);
    writeFileSync(path.join(dir, "recorded.jsonl"), '{"itemId":"small","output":"ok"}\n{"itemId":"big","output":"ok"}\n');
    return dir;
  }

  it("loads a 50 MB single-line item in seconds (the line reader is linear)", async () => {
    const dir = recordedProject(50_000_000);
    const result = await evalIn(dir, [], 60_000);
    expect(result.stderr).not.toMatch(/internal error/);
    expect(result.code).toBe(0);
    expect(readRows(path.join(dir, "out")).map((row) => [row.itemId, row.score])).toEqual([
      ["small", 1],
      ["big", 1],
    ]);
    expect(result.wallMs).toBeLessThan(15_000);
  }, 90_000);

  it("refuses a line longer than 64 Mi characters with its file and line (exit 2), without reading it whole", async () => {
    const dir = recordedProject(70_000_000);
    const result = await evalIn(dir, [], 60_000);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("tasks.jsonl:2: the line is longer than 67,108,864 characters");
    expect(result.stderr).not.toMatch(/\n\s+at /);
  }, 90_000);
});

describe("an answer past maxAnswerChars: a stream that never ends, a long recorded answer", () => {
  it("is cut at maxAnswerChars (1,000,000 by default): the row is marked truncated, scored on the cut text, memory stays flat", async () => {
    mock.setBehavior(({ userText }) => (userText === "endless" ? { endlessStream: true } : { text: `echo: ${userText}` }));
    const items = [
      { id: "endless", category: "c", input: "endless", scorer: { type: "contains", values: ["xxxx"] } },
      { id: "normal", category: "c", input: "normal", expected: "echo: normal" },
    ];
    const models = [
      compatibleModel({ id: "openai", timeoutMs: 10_000, maxRetries: 0 }),
      {
        id: "claude",
        provider: "anthropic",
        model: "claude-test",
        baseURL: mock.anthropicBaseURL,
        apiKeyEnv: "TEST_ANTHROPIC_KEY",
        maxAnswerChars: 20_000,
        timeoutMs: 10_000,
        maxRetries: 0,
      },
    ];
    const dir = makeProject({ models }, items);
    const result = await evalMeasuringMemory(dir);
    expect(result.stderr).not.toMatch(/internal error/);
    expect(result.code).toBe(0);
    const rows = readRows(path.join(dir, "out"));
    const endless = (model: string) => rows.find((row) => row.itemId === "endless" && row.model === model)!;
    expect(endless("openai")).toMatchObject({ truncated: true, score: 1, error: null, outputTokens: null });
    expect(endless("openai").output).toHaveLength(1_000_000);
    expect(endless("claude")).toMatchObject({ truncated: true, score: 1, error: null, outputTokens: null });
    expect(endless("claude").output).toHaveLength(20_000);
    for (const row of rows.filter((r) => r.itemId === "normal")) {
      expect(row).toMatchObject({ score: 1, error: null });
      expect(row.truncated).toBeUndefined();
    }
    // The client hung up once it had enough: the server wrote a few MB, not the hundreds a 10 s drain would take.
    expect(mock.endlessStreams).toHaveLength(2);
    for (const stream of mock.endlessStreams) expect(stream.bytesSent).toBeLessThan(16_000_000);
    expect(result.peakRssMb).toBeLessThan(250);
    expect(result.wallMs).toBeLessThan(9_000);
  }, 120_000);

  it("cuts a recorded answer longer than maxAnswerChars the same way", async () => {
    const dir = makeProject({ models: [{ id: "rec", provider: "recorded", file: "recorded.jsonl", maxAnswerChars: 1000 }] }, [
      { id: "long", category: "c", input: "x", scorer: { type: "contains", values: ["abc"] } },
      { id: "short", category: "c", input: "x", expected: "ok" },
    ]);
    const recorded = [
      { itemId: "long", output: "abc".repeat(10_000) },
      { itemId: "short", output: "ok" },
    ];
    writeFileSync(path.join(dir, "recorded.jsonl"), recorded.map((r) => JSON.stringify(r)).join("\n"));
    const result = await evalIn(dir);
    expect(result.code).toBe(0);
    const rows = new Map(readRows(path.join(dir, "out")).map((row) => [row.itemId, row]));
    expect(rows.get("long")).toMatchObject({ truncated: true, score: 1, output: "abc".repeat(333) + "a" });
    expect(rows.get("short")).toMatchObject({ score: 1, output: "ok" });
    expect(rows.get("short")!.truncated).toBeUndefined();
  });

  it("refuses a maxAnswerChars out of bounds, naming the field", async () => {
    const dir = makeProject({ models: [compatibleModel({ maxAnswerChars: 10 })] }, [{ id: "a", category: "c", input: "x", expected: "y" }]);
    const result = await evalIn(dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/models\[0\]\.maxAnswerChars: expected a whole number from 1000 to 100000000$/m);
  });
});
