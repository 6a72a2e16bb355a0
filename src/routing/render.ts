import { terminalSafe, terminalSafeRow } from "../io/terminal.js";
import { formatPercent, formatSigned, formatUsd, formatUsdSmall } from "../cost/units.js";
import { count, describeLoss, describeNoRoute, routeRule, sensitiveRule } from "./explain.js";
import type { Bill, CandidateVerdict, CategoryDecision, Recommendation, SensitiveDecision, StrategyFigures } from "./types.js";

/**
 * The tables recommend prints: category → route with quality, cost, monthly part of the bill and runner-up; the
 * sensitive-data routes; the bill; and the table's quality in-sample and held out against the baselines.
 */
export async function renderRecommendation(recommendation: Recommendation): Promise<string> {
  const { default: Table } = await import("cli-table3");
  const style = { head: [], border: [] };
  const routes = new Table({
    head: ["category", "route", "quality [95% CI] n", "$ / 1k req", "monthly", "runner-up: why it lost"],
    style,
    wordWrap: true,
    colWidths: [null, null, null, null, null, 60],
  });
  for (const decision of recommendation.decisions) routes.push(terminalSafeRow(routeRow(decision)));
  const sensitive = new Table({
    head: ["category", "sensitive data →", "quality [95% CI] n", "vs the route [95% CI]", "$ / 1k req", "monthly", "runner-up: why it lost"],
    style,
    wordWrap: true,
    colWidths: [null, null, null, null, null, null, 48],
  });
  for (const decision of recommendation.sensitiveDecisions) sensitive.push(terminalSafeRow(sensitiveRow(decision)));
  const parts = [
    routes.toString(),
    terminalSafe(
      `Rule: ${routeRule(recommendation.criteria)} ~ = estimated (price × tokens, estimated tokens, or a self-hosted fleet's GPU cost). Run ${recommendation.source.runId}.`,
    ),
    sensitive.toString(),
    sensitiveRule(recommendation.criteria),
    terminalSafe(billLines(recommendation)),
    await evaluationTable(recommendation),
  ];
  const notes = recommendation.notes;
  if (notes.length > 0) parts.push(terminalSafe(notes.map((n) => `note: ${n}`).join("\n")));
  return parts.filter(Boolean).join("\n");
}

function categoryLabel(d: CategoryDecision): string {
  const flags = [
    d.declaredSensitive ? "sensitive" : d.sensitiveItems > 0 ? `${count(d.sensitiveItems)} of ${count(d.items)} items sensitive` : "",
    d.humanReview ? "human review" : "",
  ].filter(Boolean);
  return flags.length > 0 ? `${d.category} (${flags.join(", ")})` : d.category;
}

function routeRow(d: CategoryDecision): string[] {
  if (!d.chosen) return [categoryLabel(d), "— none", "", "", "", d.noRoute ? describeNoRoute(d.noRoute, d.declaredSensitive) : ""];
  const c = d.chosen;
  return [categoryLabel(d), c.model, qualityCell(c), costCell(c), monthlyCell(d), d.runnerUp ? `${d.runnerUp.model}: ${describeLoss(d.runnerUp.reason)}` : "—"];
}

function sensitiveRow(d: SensitiveDecision): string[] {
  if (d.declaredSensitive)
    return [d.category, d.chosen ? `${d.chosen.model} (its route)` : "— none", "", "", "", "", "all its traffic is sensitive (--sensitive)"];
  if (!d.chosen) return [d.category, "— none", "", "", "", "", d.noRoute ? describeNoRoute(d.noRoute, true) : ""];
  const c = d.chosen;
  const gap = d.vsRoute;
  const versus = !gap
    ? "—"
    : gap.model === c.model
      ? "same model as the route"
      : `${formatSigned(gap.diff)}${gap.low !== null && gap.high !== null ? ` [${formatSigned(gap.low)}, ${formatSigned(gap.high)}]` : " (unpaired)"} vs ${gap.model}${gap.large ? " ⚠" : ""}`;
  return [
    d.category,
    c.model,
    qualityCell(c),
    versus,
    costCell(c),
    monthlyCell(d),
    d.runnerUp ? `${d.runnerUp.model}: ${describeLoss(d.runnerUp.reason)}` : "—",
  ];
}

function qualityCell(c: CandidateVerdict): string {
  return `${c.mean.toFixed(3)} [${c.ciLow.toFixed(3)}, ${c.ciHigh.toFixed(3)}] n=${count(c.n)}`;
}

function costCell(c: CandidateVerdict): string {
  if (c.costPer1kUsd === null) return c.usdPerToken === null ? "unknown" : "n/a (price only)";
  return per1k(c.costPer1kUsd, c.costEstimated);
}

function per1k(costPer1kUsd: number, estimated: boolean): string {
  return `${formatUsdSmall(costPer1kUsd)}${estimated ? " ~" : ""}`;
}

function monthlyCell(d: CategoryDecision): string {
  return d.monthlyUsd === null ? "—" : formatUsd(d.monthlyUsd);
}

/** The bill: the total, then each API and each fleet (sized once for all its traffic) with what it serves. */
function billLines(r: Recommendation): string {
  const c = r.criteria;
  const bill = r.bill;
  if (c.tokensPerDay === undefined || !bill) return "";
  const total = bill.totalUsd === null ? `unknown (no cost or price for ${bill.unpriced.map((u) => u.model).join(", ")})` : formatUsd(bill.totalUsd);
  const budget =
    c.budgetUsd === undefined
      ? ""
      : r.withinBudget === false
        ? ` — OVER the budget of ${formatUsd(c.budgetUsd)}`
        : r.withinBudget
          ? ` — within the budget of ${formatUsd(c.budgetUsd)}`
          : "";
  const mix = c.mix ? "traffic split by --mix" : "traffic split like the dataset's categories";
  const lines = [`Monthly at ${c.tokensPerDay.toLocaleString("en-US")} tokens/day (${mix}): ${total}${budget}`];
  for (const api of bill.apis) {
    lines.push(
      `  ${api.model} (${api.hosting === "cloud" ? "API" : "self-hosted, priced per token"}): ${formatUsd(api.monthlyUsd)}${api.costEstimated ? " ~" : ""} — ${serves(api)}`,
    );
  }
  for (const fleet of bill.fleets) {
    const size = `${fleet.gpus}× ${fleet.gpu}, ${fleet.replicas} replica${fleet.replicas === 1 ? "" : "s"}, utilisation ${formatPercent(fleet.utilisation)}`;
    lines.push(`  ${fleet.model} (self-hosted fleet: ${size}${fleet.standby ? ", standby" : ""}): ${formatUsd(fleet.monthlyUsd)} — ${serves(fleet)}`);
  }
  for (const none of bill.unpriced) lines.push(`  ${none.model}: unknown — ${serves(none)}`);
  return lines.join("\n");
}

function serves(line: Pick<Bill["apis"][number], "categories" | "sensitiveCategories">): string {
  const parts = [];
  if (line.categories.length > 0) parts.push(line.categories.join(", "));
  if (line.sensitiveCategories.length > 0) parts.push(`sensitive data of ${line.sensitiveCategories.join(", ")}`);
  return parts.join("; ");
}

async function evaluationTable(r: Recommendation): Promise<string> {
  const { default: Table } = await import("cli-table3");
  const { inSample: b, crossValidated: cv } = r.evaluation;
  if (b.n === 0) return "Baselines: no items that the table and a single model both answered.";
  const table = new Table({ head: ["", "quality [95% CI]", "$ / 1k req"], style: { head: [], border: [] } });
  table.push(figuresRow("this routing table, in-sample (routes chosen on these items)", b.table));
  const heldOut = cv ? (cv.method === "k-fold" ? `cross-fitted, ${cv.folds} folds` : `held out, ${formatPercent(cv.holdout ?? 0)} of each category`) : "";
  if (cv) table.push([`this routing table, ${heldOut}`, interval(cv.quality, cv.ciLow, cv.ciHigh), ""]);
  table.push(figuresRow(`best single model (${b.bestSingle.model}), in-sample`, b.bestSingle));
  if (cv) table.push([`best single model, ${heldOut} (chosen on the other folds)`, interval(cv.bestSingleQuality, null, null), ""]);
  table.push(figuresRow("per-item oracle (cheapest right model), in-sample", b.oracle));
  const lines = [`The table against the baselines on the ${count(b.n)} items both the table and the best single model answered:`, table.toString()];
  if (cv?.vsBestSingle) {
    const v = cv.vsBestSingle;
    lines.push(
      `Held out, the table is ${formatSigned(v.diff)} [${formatSigned(v.low)}, ${formatSigned(v.high)}] against the best single model on the same ${count(cv.n)} items.`,
    );
  }
  return lines.join("\n");
}

function figuresRow(label: string, f: StrategyFigures): string[] {
  return terminalSafeRow([label, interval(f.quality, null, null), f.costPer1kUsd === null ? "unknown" : per1k(f.costPer1kUsd, f.costEstimated)]);
}

function interval(quality: number | null, low: number | null, high: number | null): string {
  if (quality === null) return "—";
  return low === null || high === null ? quality.toFixed(3) : `${quality.toFixed(3)} [${low.toFixed(3)}, ${high.toFixed(3)}]`;
}
