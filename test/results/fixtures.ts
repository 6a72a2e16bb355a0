import type { RunSummary } from "../../src/results/summary-types.js";
import type { ResultRow } from "../../src/results/row.js";
import { row as routingRow } from "../routing/fixtures.js";

/** A scored result row (score 1, passed) in category "c"; `extra` overrides. */
export function row(model: string, itemId: string, extra: Partial<ResultRow> = {}): ResultRow {
  return routingRow({ itemId, model, category: "c", output: "x", passed: true, latencyMs: null, ...extra });
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
