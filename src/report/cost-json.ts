import type { CostReport } from "../cost/run.js";

/**
 * `{ assumptions, priceSource, models: [{ id, hosting, monthlyCostUsd, effectiveCostPerMTokUsd, gpus?, … }],
 * breakEven, verdict }`. Floating-point noise is trimmed to 10 significant digits; "never" is null.
 */
export function renderCostJson(report: CostReport): string {
  return `${JSON.stringify(report, (_key, value: unknown) => (typeof value === "number" ? tidy(value) : value), 2)}\n`;
}

function tidy(value: number): number | null {
  return Number.isFinite(value) ? Number(value.toPrecision(10)) : null;
}
