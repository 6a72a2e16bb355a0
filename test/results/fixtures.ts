import type { RunSummary } from "../../src/results/summary-types.js";
import type { ResultRow } from "../../src/results/row.js";

/** A scored result row (score 1) with every field set; `extra` overrides. */
export function row(model: string, itemId: string, extra: Partial<ResultRow> = {}): ResultRow {
  return {
    itemId,
    model,
    category: "c",
    output: "x",
    score: 1,
    passed: true,
    error: null,
    skipped: null,
    latencyMs: null,
    ttftMs: null,
    inputTokens: null,
    outputTokens: null,
    costUsd: null,
    cached: false,
    attempts: 1,
    ...extra,
  };
}

export function runInfo(models: string[], extra: Partial<RunSummary["run"]> = {}): RunSummary["run"] {
  return {
    id: "run-1",
    configFile: "modelpick.yaml",
    configHash: "h",
    datasetHash: "d",
    datasetFiles: ["tasks.jsonl"],
    items: 0,
    models: models.map((id) => ({ id, provider: "openai", hosting: "cloud", price: null })),
    judge: null,
    startedAt: "2026-11-30T12:00:00.000Z",
    endedAt: "2026-11-30T12:01:00.000Z",
    priceSource: "test",
    ...extra,
  };
}
