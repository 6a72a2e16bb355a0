import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, it } from "vitest";
import { ROOT, runCli } from "../helpers/cli.js";

// The figures in datasets/mmlu-pro/PROVENANCE.md (correct / 12,032 items).
const PUBLISHED: Record<string, number> = {
  "gpt-4o": 72.07,
  "gemini-1.5-pro": 70.04,
  "gemini-1.5-flash": 63.8,
  "llama-3.1-70b": 62.8,
  "jamba-1.5-large": 49.33,
  "qwen1.5-72b": 47.15,
  "llama-3.1-8b": 44.17,
  "mixtral-8x7b": 41.89,
  "mistral-7b": 28.76,
};

it("the built-in default replays nine real models on MMLU-Pro with the published accuracies, no key, no network", async () => {
  const out = path.join(mkdtempSync(path.join(tmpdir(), "modelpick-default-")), "run");
  const result = await runCli(["eval", "--json", "--no-cache", "--out", out], { cwd: ROOT, env: { OPENAI_API_KEY: undefined, ANTHROPIC_API_KEY: undefined } });
  expect(result.code).toBe(0);
  const summary = JSON.parse(result.stdout);
  const accuracy = Object.fromEntries(summary.overall.map((c: { model: string; mean: number; n: number }) => [c.model, Math.round(c.mean * 10000) / 100]));
  expect(accuracy).toEqual(PUBLISHED);
  expect(summary.run.items).toBe(12032);
  expect(new Set(summary.cells.map((c: { category: string }) => c.category)).size).toBe(14);
  const hosting = Object.fromEntries(summary.run.models.map((m: { id: string; hosting: string }) => [m.id, m.hosting]));
  expect(Object.values(hosting).filter((h) => h === "cloud")).toHaveLength(4);
  expect(Object.values(hosting).filter((h) => h === "self-hosted")).toHaveLength(5);
  expect(summary.run.models.every((m: { tokensEstimated?: boolean }) => m.tokensEstimated)).toBe(true);
}, 60_000);
