import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import { buildWorkload, overallInputShare } from "../../src/cost/workload.js";

function runDir(rows: Array<Record<string, unknown>>, extraLines: string[] = []): string {
  const dir = mkdtempSync(path.join(tmpdir(), "modelpick-run-"));
  writeFileSync(path.join(dir, "results.jsonl"), [...rows.map((r) => JSON.stringify(r)), ...extraLines].join("\n") + "\n");
  return dir;
}

const row = (category: string, inputTokens: number | null, outputTokens: number | null) => ({
  itemId: "x",
  model: "m",
  category,
  output: "",
  score: 1,
  passed: true,
  error: null,
  skipped: null,
  latencyMs: 1,
  ttftMs: null,
  inputTokens,
  outputTokens,
  costUsd: null,
  cached: false,
  attempts: 1,
});

describe("buildWorkload", () => {
  it("uses the default input share for a plain token volume", async () => {
    const w = await buildWorkload({ tokensPerDay: 100e6 });
    expect(w.tokensPerDay).toBe(100e6);
    expect(overallInputShare(w)).toBe(0.75);
  });

  it("turns requests per day and tokens per request into tokens per day", async () => {
    const w = await buildWorkload({ requestsPerDay: 10_000, inputTokens: 1500, outputTokens: 500 });
    expect(w.tokensPerDay).toBe(20e6);
    expect(w.tokensPerRequest).toBe(2000);
    expect(overallInputShare(w)).toBe(0.75);
  });

  it("measures mean tokens per request per category from results.jsonl, skipping rows without counts", async () => {
    const dir = runDir([row("qa", 100, 50), row("qa", 300, 150), row("code", 1000, 1000), row("code", null, null)]);
    const w = await buildWorkload({ requestsPerDay: 3000, resultsDir: dir });
    const qa = w.categories.find((c) => c.category === "qa")!;
    const code = w.categories.find((c) => c.category === "code")!;
    expect(qa).toMatchObject({ rows: 2, inputTokensPerRequest: 200, outputTokensPerRequest: 100 });
    expect(code).toMatchObject({ rows: 1, inputTokensPerRequest: 1000, outputTokensPerRequest: 1000 });
    // tokens: qa 600, code 2000 → shares 600/2600 and 2000/2600; requests 2/3 and 1/3.
    expect(qa.tokenShare).toBeCloseTo(600 / 2600, 12);
    expect(code.requestShare).toBeCloseTo(1 / 3, 12);
    // mean tokens per request: (2/3) × 300 + (1/3) × 2000 = 866.67 → 3000 × 866.67 = 2.6m per day.
    expect(w.tokensPerDay).toBeCloseTo(2.6e6, 3);
    expect(overallInputShare(w)).toBeCloseTo(1400 / 2600, 12);
    expect(w.source).toMatch(/3 rows with token counts/);
  });

  it("rejects contradictory or missing volume flags", async () => {
    await expect(buildWorkload({})).rejects.toThrow(/exactly one of --tokens-per-day/);
    await expect(buildWorkload({ tokensPerDay: 1, requestsPerDay: 1 })).rejects.toThrow(InputError);
    await expect(buildWorkload({ requestsPerDay: 5 })).rejects.toThrow(/needs the tokens per request/);
    await expect(buildWorkload({ tokensPerDay: 5, inputShare: 0.5, inputTokens: 1, outputTokens: 1 })).rejects.toThrow(/--input-share cannot/);
    await expect(buildWorkload({ tokensPerDay: 5, inputTokens: 1 })).rejects.toThrow(/both --input-tokens and --output-tokens/);
  });

  it("names the file and line of a broken results row, and a missing results file", async () => {
    const dir = runDir([row("qa", 1, 1)], ["{ not json"]);
    await expect(buildWorkload({ tokensPerDay: 1e6, resultsDir: dir })).rejects.toThrow(/results\.jsonl:2: not a JSON object/);
    await expect(buildWorkload({ tokensPerDay: 1e6, resultsDir: "/no/such/run" })).rejects.toThrow(/results\.jsonl: not found/);
    const empty = runDir([row("qa", null, null)]);
    await expect(buildWorkload({ tokensPerDay: 1e6, resultsDir: empty })).rejects.toThrow(/no row has inputTokens/);
  });
});
