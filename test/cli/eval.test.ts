import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { useMockServer } from "../helpers/use-mock-server.js";
import { allFiles, makeProject, numberedItems, readRows } from "../helpers/project.js";

const KEY = "sk-test-SECRET-0123456789";
const mock = useMockServer();

function models(overrides: Record<string, unknown> = {}) {
  return [
    {
      id: "gpt",
      provider: "openai",
      model: "gpt-test",
      baseURL: mock.openaiBaseURL,
      apiKeyEnv: "TEST_OPENAI_KEY",
      price: { inputPerMTok: 1, outputPerMTok: 2 },
      ...overrides,
    },
    { id: "claude", provider: "anthropic", model: "claude-test", baseURL: mock.anthropicBaseURL, apiKeyEnv: "TEST_ANTHROPIC_KEY", ...overrides },
  ];
}
const env = { TEST_OPENAI_KEY: KEY, TEST_ANTHROPIC_KEY: KEY, MODELPICK_CACHE_DIR: undefined };

async function evalIn(dir: string, args: string[] = []) {
  return runCli(["eval", "--out", "out", "--cache-dir", "cache", ...args], { cwd: dir, env });
}

describe("modelpick eval against the mock server, through the real SDKs", () => {
  it("answers every item with every model, scores, counts tokens and cost, writes results and summary", async () => {
    const dir = makeProject({ models: models() }, numberedItems(6));
    const result = await evalIn(dir);
    expect(result.stderr).not.toMatch(/internal error/);
    expect(result.code).toBe(0);
    const rows = readRows(path.join(dir, "out"));
    expect(rows).toHaveLength(12);
    for (const row of rows) {
      expect(row.error).toBeNull();
      expect(row.score).toBe(1);
      expect(row.inputTokens).toBeGreaterThan(0);
      expect(row.outputTokens).toBeGreaterThan(0);
      expect(row.ttftMs).not.toBeNull();
      expect(row.attempts).toBe(1);
    }
    const gpt = rows.find((r) => r.model === "gpt")!;
    expect(gpt.costUsd).toBeCloseTo((gpt.inputTokens! * 1 + gpt.outputTokens! * 2) / 1e6, 12);
    expect(mock.requests.filter((r) => r.api === "openai")).toHaveLength(6);
    expect(mock.requests.filter((r) => r.api === "anthropic")).toHaveLength(6);
    expect(result.stdout).toContain("mean [95% CI]");
    const summary = JSON.parse((await import("node:fs")).readFileSync(path.join(dir, "out", "summary.json"), "utf8"));
    const cell = summary.cells.find((c: { category: string; model: string }) => c.category === "even" && c.model === "gpt");
    expect(cell).toMatchObject({ n: 3, mean: 1, ciMethod: "wilson", errors: 0, skipped: 0 });
    expect(cell.ciLow).toBeGreaterThan(0.4);
    expect(summary.run.models.map((m: { id: string }) => m.id)).toEqual(["gpt", "claude"]);
  });

  it("retries 429s (honouring retry-after-ms) and 500s, and records a 400 as an error without retrying", async () => {
    const seen = new Map<string, number>();
    mock.setBehavior(({ userText }) => {
      const n = (seen.get(userText) ?? 0) + 1;
      seen.set(userText, n);
      if (userText === "question 0" && n === 1) return { status: 429, retryAfterMs: 30 };
      if (userText === "question 1" && n <= 2) return { status: 500 };
      if (userText === "question 2") return { status: 400, message: "bad request" };
      return { text: `echo: ${userText}` };
    });
    const dir = makeProject({ models: models().slice(0, 1) }, numberedItems(4));
    const result = await evalIn(dir);
    expect(result.code).toBe(0);
    const rows = new Map(readRows(path.join(dir, "out")).map((r) => [r.itemId, r]));
    expect(rows.get("q0")).toMatchObject({ attempts: 2, score: 1, error: null });
    expect(rows.get("q1")).toMatchObject({ attempts: 3, score: 1, error: null });
    expect(rows.get("q2")!.attempts).toBe(1);
    expect(rows.get("q2")!.score).toBeNull();
    expect(rows.get("q2")!.error).toMatch(/400/);
    expect(seen.get("question 2")).toBe(1);
    expect(result.stderr).toMatch(/1 item\(s\) errored/);
    const failing = await evalIn(dir, ["--out", "out2", "--fail-on-error"]);
    expect(failing.code).toBe(1);
  });

  it("times out a hung request and records the error after maxRetries", async () => {
    mock.setBehavior(({ userText }) => (userText === "question 0" ? { hang: true } : { text: `echo: ${userText}` }));
    const dir = makeProject({ models: models({ timeoutMs: 200, maxRetries: 1 }).slice(0, 1) }, numberedItems(2));
    const result = await evalIn(dir);
    expect(result.code).toBe(0);
    const row = readRows(path.join(dir, "out")).find((r) => r.itemId === "q0")!;
    expect(row.error).toMatch(/timed out after 200 ms/);
    expect(row.attempts).toBe(2);
  });

  it("caches answers on disk: a second run sends no request and marks rows cached", async () => {
    const dir = makeProject({ models: models() }, numberedItems(3));
    expect((await evalIn(dir)).code).toBe(0);
    const first = mock.requests.length;
    expect(first).toBe(6);
    expect((await evalIn(dir, ["--out", "again"])).code).toBe(0);
    expect(mock.requests.length).toBe(first);
    const again = readRows(path.join(dir, "again"));
    expect(again).toHaveLength(6);
    expect(again.filter((r) => !(r.cached && r.score === 1))).toEqual([]);
    expect((await evalIn(dir, ["--out", "nocache", "--no-cache"])).code).toBe(0);
    expect(mock.requests.length).toBe(first + 6);
  });

  it("never sends sensitive items to a cloud model, nor to a cloud judge; self-hosted models get them", async () => {
    const items = [
      { id: "s1", category: "sensitive_data", input: "Redact: jane@example.com", expected: "echo: Redact: jane@example.com", sensitive: true },
      { id: "s2", category: "sensitive_data", input: "Summarise the patient note SECRET-PATIENT", rubric: "be brief", sensitive: true },
      { id: "p1", category: "chat", input: "hello", rubric: "be polite" },
    ];
    const config = {
      judge: "gpt",
      models: [...models().slice(0, 1), { id: "local", provider: "openai-compatible", model: "llama", hosting: "self-hosted", baseURL: mock.openaiBaseURL }],
    };
    mock.setBehavior(({ body, userText }) =>
      body.model === "gpt-test" && userText.includes("<answer>") ? { text: "fine\nSCORE: 8" } : { text: `echo: ${userText}` },
    );
    const dir = makeProject(config, items);
    const result = await evalIn(dir);
    expect(result.code).toBe(0);
    const toCloud = mock.requests.filter((r) => r.body.model === "gpt-test").map((r) => JSON.stringify(r.body));
    expect(toCloud.some((b) => b.includes("jane@example.com") || b.includes("SECRET-PATIENT"))).toBe(false);
    const rows = readRows(path.join(dir, "out"));
    const byKey = new Map(rows.map((r) => [`${r.model}/${r.itemId}`, r]));
    expect(byKey.get("gpt/s1")!.skipped).toBe("sensitive");
    expect(byKey.get("gpt/s2")!.skipped).toBe("sensitive");
    expect(byKey.get("local/s1")!.score).toBe(1);
    expect(byKey.get("local/s2")!.skipped).toBe("sensitive-judge");
    expect(byKey.get("local/p1")!.score).toBeCloseTo(0.8);
    const summary = JSON.parse((await import("node:fs")).readFileSync(path.join(dir, "out", "summary.json"), "utf8"));
    const cell = summary.cells.find((c: { category: string; model: string }) => c.category === "sensitive_data" && c.model === "gpt");
    expect(cell.skipped).toBe(2);
  });

  it("keeps the API key out of every file the run wrote and everything it printed", async () => {
    mock.setBehavior(({ userText }) => (userText === "question 1" ? { status: 401, message: "invalid x-api-key" } : { text: `echo: ${userText}` }));
    const dir = makeProject({ models: models() }, numberedItems(3));
    const result = await evalIn(dir);
    expect(result.code).toBe(0);
    expect(result.stdout + result.stderr).not.toContain(KEY);
    const files = [...allFiles(path.join(dir, "out")), ...allFiles(path.join(dir, "cache"))];
    expect(files.length).toBeGreaterThan(3);
    for (const { file, text } of files) expect(text, file).not.toContain(KEY);
    // The key did reach the server, so the check above is meaningful.
    expect(JSON.stringify(mock.requests.map((r) => r.headers))).toContain(KEY);
  });

  it("fails before any request when an API key is missing, naming the variable", async () => {
    const dir = makeProject({ models: models() }, numberedItems(2));
    const result = await runCli(["eval", "--out", "out", "--no-cache"], { cwd: dir, env: { TEST_OPENAI_KEY: KEY, TEST_ANTHROPIC_KEY: undefined } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/TEST_ANTHROPIC_KEY/);
    expect(mock.requests).toHaveLength(0);
  });

  it("exits 1 when --min-score is not met, 0 when it is", async () => {
    mock.setBehavior(({ userText }) => ({ text: userText === "question 0" ? "wrong" : `echo: ${userText}` }));
    const dir = makeProject({ models: models().slice(0, 1) }, numberedItems(4));
    expect((await evalIn(dir, ["--min-score", "0.9"])).code).toBe(1);
    expect((await evalIn(dir, ["--out", "o2", "--min-score", "0.7"])).code).toBe(0);
  });

  it("writes to reports/<timestamp>/ by default and points reports/latest at the newest run", async () => {
    const dir = makeProject({ models: models().slice(0, 1) }, numberedItems(2));
    const result = await runCli(["eval", "--no-cache"], { cwd: dir, env });
    expect(result.code).toBe(0);
    const latest = path.join(dir, "reports", "latest");
    const target = (await import("node:fs")).readlinkSync(latest);
    expect(target).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z(-\d+)?$/);
    expect(readRows(latest)).toHaveLength(2);
    expect(result.stdout).toContain(`reports/${target}/results.jsonl`);
    const again = await runCli(["eval", "--no-cache"], { cwd: dir, env });
    expect((await import("node:fs")).readlinkSync(latest)).not.toBe(target);
    expect(again.code).toBe(0);
    const reused = await runCli(["eval", "--no-cache", "--out", `reports/${target}`], { cwd: dir, env });
    expect(reused.code).toBe(2);
    expect(reused.stderr).toMatch(/already holds a run: continue it with --resume/);
  });

  it("prints the summary as JSON with --json", async () => {
    const dir = makeProject({ models: models().slice(0, 1) }, numberedItems(2));
    const result = await evalIn(dir, ["--json"]);
    const summary = JSON.parse(result.stdout);
    expect(summary.cells.map((c: { category: string }) => c.category).sort()).toEqual(["even", "odd"]);
    expect(summary.overall[0]).toMatchObject({ model: "gpt", n: 2, mean: 1 });
    expect(existsSync(path.join(dir, "out", "run.json"))).toBe(true);
  });
});
