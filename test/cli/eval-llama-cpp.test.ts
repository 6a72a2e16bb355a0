import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { RunSummary } from "../../src/results/summary-types.js";
import { runCli } from "../helpers/cli.js";
import { writeTinyGguf } from "../helpers/gguf-writer.js";
import { makeProject, readRows } from "../helpers/project.js";

const ANSWER_SCHEMA = {
  type: "object",
  properties: { answer: { enum: ["yes", "no"] }, sure: { type: "boolean" } },
  required: ["answer", "sure"],
};

const ITEMS = [
  { id: "capital", category: "facts", input: "What is the capital of France?", expected: "Paris", scorer: "contains" },
  { id: "sum", category: "math", input: "What is 12 + 30?", expected: "42", scorer: "contains" },
  { id: "patient", category: "private", input: "Summarise: patient Jane Roe, born 1970, diagnosis X.", expected: "Jane", scorer: "contains", sensitive: true },
  { id: "json", category: "format", input: "Is water wet? Reply in JSON.", scorer: { type: "json", schema: ANSWER_SCHEMA } },
  {
    id: "chat",
    category: "facts",
    messages: [
      { role: "system", content: "Be brief." },
      { role: "user", content: "Name a colour." },
    ],
    expected: "red",
    scorer: "contains",
  },
];

function localModel(id: string, parallel: number) {
  return { id, provider: "llama-cpp", path: "tiny.gguf", threads: 1, parallel, contextSize: 512, maxTokens: 48 };
}

let dir: string;
beforeAll(() => {
  dir = makeProject({ models: [localModel("tiny-1", 1), localModel("tiny-4", 4)] }, ITEMS);
  writeTinyGguf(path.join(dir, "tiny.gguf"));
});

function summaryOf(outDir: string): RunSummary {
  return JSON.parse(readFileSync(path.join(outDir, "summary.json"), "utf8")) as RunSummary;
}

describe("modelpick eval with a local GGUF model", () => {
  it("answers every item in-process, including sensitive ones, and records tokens, timings and throughput", async () => {
    const result = await runCli(["eval", "--out", "run1", "--no-cache", "--json"], { cwd: dir });
    expect(result.stderr).not.toMatch(/internal error/);
    expect(result.code).toBe(0);
    const rows = readRows(path.join(dir, "run1"));
    expect(rows).toHaveLength(ITEMS.length * 2);
    for (const row of rows) {
      expect(row.error).toBeNull();
      expect(row.skipped).toBeNull();
      expect(row.output).toEqual(expect.any(String));
      expect(row.inputTokens).toBeGreaterThan(0);
      expect(row.outputTokens).toBeGreaterThan(0);
      expect(row.outputTokens).toBeLessThanOrEqual(48);
      expect(row.ttftMs).toBeGreaterThan(0);
      expect(row.latencyMs).toBeGreaterThanOrEqual(row.ttftMs!);
      expect(row.tokensEstimated).not.toBe(true);
    }
    // The sensitive item reached the self-hosted model.
    expect(
      rows
        .filter((r) => r.itemId === "patient")
        .map((r) => r.model)
        .sort(),
    ).toEqual(["tiny-1", "tiny-4"]);

    const summary = summaryOf(path.join(dir, "run1"));
    for (const id of ["tiny-1", "tiny-4"]) {
      const info = summary.run.models.find((m) => m.id === id)!;
      expect(info).toMatchObject({ provider: "llama-cpp", hosting: "self-hosted", license: "apache-2.0" });
      expect(info.throughput?.loadMs).toBeGreaterThan(0);
      expect(info.throughput?.promptTokensPerSecond).toBeGreaterThan(0);
      expect(info.throughput?.generationTokensPerSecond).toBeGreaterThan(0);
      expect(info.throughput?.peakRssMb).toBeGreaterThan(0);
    }
  });

  it("constrains the json-scored item to its schema, so the answer parses and passes", () => {
    const rows = readRows(path.join(dir, "run1")).filter((r) => r.itemId === "json");
    for (const row of rows) {
      const parsed = JSON.parse(row.output!) as { answer: string; sure: boolean };
      expect(["yes", "no"]).toContain(parsed.answer);
      expect(typeof parsed.sure).toBe("boolean");
      expect(row.score).toBe(1);
    }
  });

  it("gives the same answers with parallel 4 as with parallel 1, and on a second run (greedy determinism)", async () => {
    const first = readRows(path.join(dir, "run1"));
    const byModel = (model: string) => Object.fromEntries(first.filter((r) => r.model === model).map((r) => [r.itemId, r.output]));
    expect(byModel("tiny-4")).toEqual(byModel("tiny-1"));

    const again = await runCli(["eval", "--out", "run2", "--no-cache", "--json", "--models", "tiny-1"], { cwd: dir });
    expect(again.code).toBe(0);
    const second = Object.fromEntries(readRows(path.join(dir, "run2")).map((r) => [r.itemId, r.output]));
    expect(second).toEqual(byModel("tiny-1"));
  });

  it("stops with a clear error, not a crash, for a GGUF that would abort llama.cpp", async () => {
    const bad = makeProject({ models: [{ ...localModel("broken", 1), path: "broken.gguf" }] }, ITEMS.slice(0, 1));
    writeTinyGguf(path.join(bad, "broken.gguf"), { omitKeys: ["llama.attention.head_count"] });
    const result = await runCli(["eval", "--out", "run", "--no-cache"], { cwd: bad });
    expect(result.signal).toBeNull();
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/broken\.gguf: this GGUF file cannot be loaded/);
    expect(result.stderr).toMatch(/llama\.attention\.head_count is missing/);
    expect(result.stderr).not.toMatch(/internal error/);
  });
});
