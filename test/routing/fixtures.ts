import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { ModelRunInfo, RunSummary } from "../../src/results/summary-types.js";
import { summarize } from "../../src/results/summary.js";
import type { ModelProfile, RoutingCriteria } from "../../src/routing/types.js";
import type { ResultRow } from "../../src/results/row.js";
import { runCli } from "../helpers/cli.js";

/** Hand-built results rows: the same format `modelpick eval` writes to results.jsonl. */
export function row(fields: Pick<ResultRow, "itemId" | "model" | "category"> & Partial<ResultRow>): ResultRow {
  return {
    output: "answer",
    score: 1,
    passed: null,
    error: null,
    skipped: null,
    latencyMs: 100,
    ttftMs: null,
    inputTokens: null,
    outputTokens: null,
    costUsd: null,
    cached: false,
    attempts: 1,
    ...fields,
  };
}

/**
 * One row per character of `pattern` ("1" right, "0" wrong, "s" skipped as sensitive, "e" errored), on items
 * `<category>-0`, `<category>-1`, … so that models are paired on the same items.
 */
export function rowsFor(model: string, category: string, pattern: string, extra: Partial<ResultRow> = {}): ResultRow[] {
  return [...pattern].map((mark, i) =>
    row({
      itemId: `${category}-${i}`,
      model,
      category,
      score: mark === "1" ? 1 : mark === "0" ? 0 : null,
      passed: mark === "1" ? true : mark === "0" ? false : null,
      skipped: mark === "s" ? "sensitive" : null,
      error: mark === "e" ? "HTTP 500 after 4 attempts" : null,
      output: mark === "s" ? null : "answer",
      ...extra,
    }),
  );
}

export function profile(id: string, overrides: Partial<ModelProfile> = {}): ModelProfile {
  return { id, model: id, provider: "openai", hosting: "cloud", maxTokens: 512, temperature: 0, price: null, ...overrides };
}

export function criteria(overrides: Partial<RoutingCriteria> = {}): RoutingCriteria {
  const base: RoutingCriteria = {
    minItems: 10,
    humanReview: [],
    sensitiveCategories: [],
    confidence: 0.95,
    resamples: 2000,
  };
  if (overrides.minQuality === undefined && overrides.within === undefined) base.within = 0.02;
  return { ...base, ...overrides };
}

export const SOURCE = { runId: "run-test-1", runDate: "2026-11-20T10:00:00.000Z", resultsSha256: "ab".repeat(32) };

export function tempDir(prefix = "modelpick-routing-"): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/** Writes results.jsonl (and summary.json unless told not to), as eval does. */
export function writeResultsDir(dir: string, rows: ResultRow[], models: ModelRunInfo[], options: { summary?: boolean; runId?: string } = {}): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "results.jsonl"), rows.map((r) => JSON.stringify(r)).join("\n") + "\n");
  if (options.summary !== false) {
    const run: RunSummary["run"] = {
      id: options.runId ?? "run-fixture",
      configFile: "",
      configHash: "",
      datasetHash: "",
      datasetFiles: [],
      items: new Set(rows.map((r) => r.itemId)).size,
      models,
      judge: null,
      startedAt: "2026-11-20T09:00:00.000Z",
      endedAt: "2026-11-20T10:00:00.000Z",
      priceSource: "test fixture",
    };
    writeFileSync(path.join(dir, "summary.json"), JSON.stringify(summarize(rows, run), null, 2));
  }
  return dir;
}

export function runModel(id: string, overrides: Partial<ModelRunInfo> = {}): ModelRunInfo {
  return { id, provider: "openai", model: id, hosting: "cloud", price: null, ...overrides };
}

/** Runs `modelpick <command> …` through the real CLI. */
export const runModelpick = runCli;

/** The check scenario: "small" (cheap) routes extraction, "local" (self-hosted) routes pii, whose items are sensitive. */
export const CHECK_MODELS = [runModel("big"), runModel("small"), runModel("local", { hosting: "self-hosted" })];

export function checkResults(): ResultRow[] {
  const all = "1".repeat(30);
  return [
    ...rowsFor("big", "extraction", all, { costUsd: 0.01 }),
    ...rowsFor("small", "extraction", all, { costUsd: 0.001 }),
    ...rowsFor("big", "pii", "s".repeat(30)),
    ...rowsFor("local", "pii", all),
  ];
}

/** The check scenario after the routed model "small" lost 12 of its 30 extraction items. */
export function degradedCheckResults(): ResultRow[] {
  return checkResults().map((r) => (r.model === "small" && Number(r.itemId.split("-")[1]) < 12 ? { ...r, score: 0, passed: false } : r));
}
