import { terminalSafe, terminalSafeRow } from "../io/terminal.js";
import { SENSITIVE_ROUTE_NAME, usd } from "./select.js";
import type { CategoryDecision, Recommendation, StrategyFigures } from "./types.js";

/**
 * The table recommend prints: category → chosen model, quality with CI, cost, monthly cost, runner-up; then baselines.
 * Names come from the data: they are printed with control characters escaped.
 */
export async function renderRecommendation(recommendation: Recommendation): Promise<string> {
  const { default: Table } = await import("cli-table3");
  const head = ["category", "route", "quality [95% CI] n", "$ / 1k req", "monthly", "runner-up: why it lost"];
  const table = new Table({ head, style: { head: [], border: [] }, wordWrap: true, colWidths: [null, null, null, null, null, 60] });
  for (const decision of recommendation.decisions) table.push(rowOf(decision));
  if (recommendation.sensitiveRoute) table.push(rowOf(recommendation.sensitiveRoute));
  const parts = [table.toString(), terminalSafe(criteriaLine(recommendation)), totalLine(recommendation), await baselineTable(recommendation)];
  const notes = recommendation.notes;
  if (notes.length > 0) parts.push(terminalSafe(notes.map((n) => `note: ${n}`).join("\n")));
  return parts.filter(Boolean).join("\n");
}

function rowOf(d: CategoryDecision): string[] {
  const flags = [d.sensitive ? "sensitive" : "", d.humanReview ? "human review" : ""].filter(Boolean).join(", ");
  const category = d.category === SENSITIVE_ROUTE_NAME ? "any task, sensitive data" : flags ? `${d.category} (${flags})` : d.category;
  if (!d.chosen) return terminalSafeRow([category, "— none", "", "", "", d.noRouteReason ?? ""]);
  const c = d.chosen;
  return terminalSafeRow([
    category,
    c.model,
    `${c.mean.toFixed(3)} [${c.ciLow.toFixed(3)}, ${c.ciHigh.toFixed(3)}] n=${c.n}`,
    c.costPer1kUsd === null ? (c.usdPerToken === null ? "unknown" : "n/a (price only)") : `${usd(c.costPer1kUsd)}${c.costBasis === "measured" ? "" : " ~"}`,
    d.monthlyUsd === null ? "—" : usd(d.monthlyUsd),
    d.runnerUp ? `${d.runnerUp.model}: ${d.runnerUp.reason}` : "—",
  ]);
}

function criteriaLine(r: Recommendation): string {
  const c = r.criteria;
  const bar =
    c.minQuality !== undefined
      ? `quality not significantly below ${c.minQuality}`
      : `quality not significantly below the category's best − ${c.within ?? 0}`;
  return `Rule: cheapest model with ${bar} (${Math.round(c.confidence * 100)} % paired bootstrap, ≥ ${c.minItems} items); ~ = estimated (price × tokens, or a self-hosted fleet's GPU cost). Run ${r.source.runId}.`;
}

function totalLine(r: Recommendation): string {
  const c = r.criteria;
  if (c.tokensPerDay === undefined) return "";
  const total = r.monthlyTotalUsd === null ? "unknown (some routes have no price)" : usd(r.monthlyTotalUsd);
  const budget =
    c.budgetUsd === undefined ? "" : r.withinBudget === false ? ` — OVER the budget of ${usd(c.budgetUsd)}` : r.withinBudget ? ` — within the budget of ${usd(c.budgetUsd)}` : "";
  const mix = c.mix ? "traffic split by --mix" : "traffic split like the dataset's categories";
  return `Monthly at ${c.tokensPerDay.toLocaleString("en-US")} tokens/day (${mix}): ${total}${budget}`;
}

async function baselineTable(r: Recommendation): Promise<string> {
  const { default: Table } = await import("cli-table3");
  const b = r.baselines;
  if (b.n === 0) return "Baselines: no items that the table and a single model both answered.";
  const table = new Table({ head: ["on the same items", "quality", "$ / 1k req"], style: { head: [], border: [] } });
  table.push(figuresRow("this routing table", b.table));
  table.push(figuresRow(`best single model (${b.bestSingle.model})`, b.bestSingle));
  table.push(figuresRow("per-item oracle (cheapest right model)", b.oracle));
  return `Baselines on the ${b.n} items both the table and the best single model answered:\n${table.toString()}`;
}

function figuresRow(label: string, f: StrategyFigures): string[] {
  return terminalSafeRow([label, f.quality === null ? "—" : f.quality.toFixed(3), f.costPer1kUsd === null ? "unknown" : usd(f.costPer1kUsd)]);
}
