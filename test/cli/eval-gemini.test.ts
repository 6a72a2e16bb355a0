/**
 * modelpick eval with Gemini models, through the built CLI and the real @google/genai SDK against the mock server:
 * the key from GEMINI_API_KEY, prices from the built-in catalog (provider google), a second model on a thread of its
 * own (the bundle's lazily loaded Gemini chunk, in a worker), and the refusals a user can act on.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { makeProject, numberedItems, readRows } from "../helpers/project.js";
import { useMockServer } from "../helpers/use-mock-server.js";

const KEY = "AIzaSy-TEST-GEMINI-CLI-KEY-0123456789";
const mock = useMockServer();

function geminiModels() {
  return [
    { id: "flash", provider: "gemini", model: "gemini-2.5-flash", baseURL: mock.geminiBaseURL },
    { id: "pro", provider: "gemini", model: "gemini-2.5-pro", baseURL: mock.geminiBaseURL },
  ];
}

function evalIn(dir: string, env: Record<string, string | undefined>, args: string[] = []) {
  return runCli(["eval", "--out", "out", "--no-cache", ...args], { cwd: dir, env: { GOOGLE_API_KEY: undefined, ...env } });
}

describe("modelpick eval with gemini models", () => {
  it("answers, scores, counts tokens and prices them from the catalog (google), with the key from GEMINI_API_KEY", async () => {
    mock.setBehavior(({ userText }) => ({ text: `echo: ${userText}`, inputTokens: 1000, outputTokens: 200, thoughtsTokens: 100 }));
    const dir = makeProject({ models: geminiModels() }, numberedItems(4));
    // GOOGLE_API_KEY, which the SDK would prefer, is neither used nor warned about.
    const result = await evalIn(dir, { GEMINI_API_KEY: KEY, GOOGLE_API_KEY: "AIzaSy-OTHER-GOOGLE-KEY-987654321" });
    expect(result.stderr).not.toMatch(/internal error|GOOGLE_API_KEY/);
    expect(result.code).toBe(0);
    const rows = readRows(path.join(dir, "out"));
    expect(rows).toHaveLength(8);
    for (const row of rows) {
      expect(row).toMatchObject({ score: 1, error: null, inputTokens: 1000, outputTokens: 300, attempts: 1 });
      expect(row.ttftMs).not.toBeNull();
    }
    // gemini-2.5-flash: $0.30 in, $2.50 out per million tokens, thinking billed as output.
    const flash = rows.find((row) => row.model === "flash")!;
    expect(flash.costUsd).toBeCloseTo((1000 * 0.3 + 300 * 2.5) / 1e6, 12);
    const summary = JSON.parse(readFileSync(path.join(dir, "out", "summary.json"), "utf8"));
    expect(summary.run.models.map((m: { id: string; provider: string }) => [m.id, m.provider])).toEqual([
      ["flash", "gemini"],
      ["pro", "gemini"],
    ]);
    const requests = mock.requests.filter((request) => request.api === "gemini");
    expect(requests).toHaveLength(8);
    for (const request of requests) expect(request.headers["x-goog-api-key"]).toBe(KEY);
    // The key is in no file the run wrote.
    expect(readFileSync(path.join(dir, "out", "results.jsonl"), "utf8")).not.toContain(KEY);
    expect(JSON.stringify(summary)).not.toContain(KEY);
  });

  it("retries a 429 after Google's RetryInfo wait and records a 400 without retrying", async () => {
    const seen = new Map<string, number>();
    mock.setBehavior(({ userText }) => {
      const n = (seen.get(userText) ?? 0) + 1;
      seen.set(userText, n);
      if (userText === "question 0" && n === 1) return { status: 429, retryDelay: "0.05s" };
      if (userText === "question 1") return { status: 400, message: "Invalid JSON payload received." };
      return { text: `echo: ${userText}` };
    });
    const dir = makeProject({ models: geminiModels().slice(0, 1) }, numberedItems(3));
    const result = await evalIn(dir, { GEMINI_API_KEY: KEY });
    expect(result.code).toBe(0);
    const rows = new Map(readRows(path.join(dir, "out")).map((row) => [row.itemId, row]));
    expect(rows.get("q0")).toMatchObject({ attempts: 2, score: 1, error: null });
    expect(rows.get("q1")).toMatchObject({ attempts: 1, score: null, error: "HTTP 400 bad request: Invalid JSON payload received." });
    expect(seen.get("question 1")).toBe(1);
  });

  it("stops before any request with exit 2 when GEMINI_API_KEY is not set, naming it", async () => {
    const dir = makeProject({ models: geminiModels().slice(0, 1) }, numberedItems(2));
    const result = await evalIn(dir, { GEMINI_API_KEY: undefined });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'error: missing API key: set GEMINI_API_KEY (model "flash") in the environment, or set apiKeyEnv on the model in modelpick.yaml\n',
    );
    expect(mock.requests).toHaveLength(0);
  });

  it("refuses hosting: self-hosted for Google's API (exit 2): sensitive items would leave your infrastructure", async () => {
    const dir = makeProject({ models: [{ id: "flash", provider: "gemini", model: "gemini-2.5-flash", hosting: "self-hosted" }] }, numberedItems(1));
    const result = await evalIn(dir, { GEMINI_API_KEY: KEY });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^error: modelpick\.yaml:\d+: models\[0\]\.hosting: self-hosted, but with no baseURL, gemini requests go to generativelanguage\.googleapis\.com: sensitive items would leave your infrastructure/,
    );
    const onGoogle = makeProject(
      {
        models: [{ id: "flash", provider: "gemini", model: "gemini-2.5-flash", hosting: "self-hosted", baseURL: "https://generativelanguage.googleapis.com" }],
      },
      numberedItems(1),
    );
    const refused = await evalIn(onGoogle, { GEMINI_API_KEY: KEY });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/self-hosted, but generativelanguage\.googleapis\.com is a vendor's cloud API/);
  });
});
