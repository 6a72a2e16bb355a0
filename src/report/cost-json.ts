import type { CostReport } from "../cost/run.js";
import { terminalSafeJson } from "../io/terminal.js";

/**
 * `{ assumptions, priceSource, models: [{ id, costing: "per-token" | "fleet", hosting, monthlyCostUsd, gpus?, … }],
 * breakEven, verdict }`. Floating-point noise is trimmed to 10 significant digits; "never" is null.
 */
export function renderCostJson(report: CostReport): string {
  return `${terminalSafeJson(report, 2, (_key, value) => (typeof value === "number" ? tidy(value) : value))}\n`;
}

function tidy(value: number): number | null {
  return Number.isFinite(value) ? Number(value.toPrecision(10)) : null;
}
