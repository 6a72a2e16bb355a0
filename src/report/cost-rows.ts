import type { CostReport } from "../cost/run.js";
import type { ApiCost, Dated, SelfHostedCost } from "../cost/project.js";
import { formatPercent, formatPerMTok, formatUsd, formatUsdRate, formatVolume } from "../cost/units.js";
import { terminalSafe, terminalSafeRow } from "../io/terminal.js";

/**
 * Display rows shared by the table and Markdown renderers; sources become numbered footnotes. Model names, sources and
 * notes come from the config and price files: every string is printed with control characters escaped.
 */
export interface CostDisplay {
  headline: string[];
  modelHeader: string[];
  modelRows: string[][];
  breakEvenHeader: string[];
  breakEvenRows: string[][];
  sources: string[];
  notes: string[];
  verdict: string;
}

export function costDisplay(report: CostReport): CostDisplay {
  const sources = new Footnotes();
  const notes: string[] = [];
  const quality = new Map(report.quality?.models.map((m) => [m.id, m.mean]) ?? []);
  const modelRows = report.models.map((model) => {
    const refs = datedSources(model)
      .map((d) => sources.ref(d))
      .join(" ");
    for (const note of model.notes) notes.push(`${model.id}: ${note}`);
    const row = model.costing === "fleet" ? selfHostedRow(model, refs) : apiRow(model, refs);
    if (!report.quality) return row;
    const score = quality.get(model.id);
    return [...row.slice(0, -1), score == null ? "—" : score.toFixed(3), row.at(-1)!];
  });
  const perRequests = report.breakEven.some((b) => b.requestsPerDay !== undefined);
  return {
    headline: headline(report).map(terminalSafe),
    modelHeader: ["Model", "Hosting", "Monthly", "$/MTok", "GPUs", "Utilisation", ...(report.quality ? [qualityHeader(report.quality)] : []), "Sources"],
    modelRows: modelRows.map(terminalSafeRow),
    breakEvenHeader: ["Self-hosted", "vs per-token", "Break-even tokens/day", ...(perRequests ? ["requests/day"] : []), "Cheaper now"],
    breakEvenRows: report.breakEven.map((b) =>
      terminalSafeRow([
        b.selfHosted,
        b.api,
        b.tokensPerDay === null ? "never" : formatVolume(b.tokensPerDay),
        ...(perRequests ? [b.requestsPerDay == null ? "never" : formatVolume(b.requestsPerDay)] : []),
        b.cheaperAtProjectedVolume,
      ]),
    ),
    sources: sources.list().map(terminalSafe),
    notes: notes.map(terminalSafe),
    verdict: terminalSafe(report.verdict),
  };
}

function qualityHeader(quality: NonNullable<CostReport["quality"]>): string {
  return quality.sharedItems === null ? "Quality" : `Quality (${quality.sharedItems.toLocaleString("en-US")} items)`;
}

function headline(report: CostReport): string[] {
  const a = report.assumptions;
  const volume =
    a.requestsPerDay !== undefined
      ? `${formatVolume(a.requestsPerDay)} requests/day × ${Math.round(a.tokensPerRequest ?? 0)} tokens = ${formatVolume(a.tokensPerDay)} tokens/day`
      : `${formatVolume(a.tokensPerDay)} tokens/day`;
  const knobs = [
    `input share ${a.inputShare.toFixed(2)}`,
    `month = ${a.hoursPerMonth} h (${formatVolume(a.monthlyTokens)} tokens)`,
    `peak factor ${a.peakFactor}`,
    a.batch ? "batch" : "",
    a.cacheHitRate > 0 ? `cache hits ${formatPercent(a.cacheHitRate)}` : "",
    a.cacheWriteRate > 0 ? `cache writes ${formatPercent(a.cacheWriteRate)}` : "",
  ].filter(Boolean);
  return [`${volume}; ${knobs.join("; ")}`, `Workload: ${a.workload.source}`, `Prices: ${report.priceSource}`];
}

function apiRow(model: ApiCost, refs: string): string[] {
  return [
    model.id,
    model.hosting === "cloud" ? "api" : "self-hosted, per token",
    formatUsd(model.monthlyCostUsd),
    formatPerMTok(model.effectiveCostPerMTokUsd),
    "—",
    "—",
    refs,
  ];
}

function selfHostedRow(model: SelfHostedCost, refs: string): string[] {
  return [
    model.id,
    "self-hosted",
    formatUsd(model.monthlyCostUsd),
    formatPerMTok(model.effectiveCostPerMTokUsd),
    `${model.gpus}× ${model.gpu.name}`,
    `${formatPercent(model.utilizationReached)} (target ${formatPercent(model.utilizationTarget)})`,
    refs,
  ];
}

export function datedSources(model: ApiCost | SelfHostedCost): Array<Dated & { what: string }> {
  if (model.costing === "per-token") return [{ what: "price", ...model.price }];
  return [
    { what: `GPU ${formatUsdRate(model.gpu.hourlyUsd)}/h`, ...model.gpu },
    { what: "throughput", ...model.throughput },
    ...(model.electricity ? [{ what: `power ${model.electricity.wattsPerGpu} W/GPU`, ...model.electricity }] : []),
  ];
}

/** "<source> (<date>)" with the figure's marks: [unconfirmed], [historical list price]. */
export function datedText(dated: Dated): string {
  const marks = `${dated.unconfirmed ? " [unconfirmed]" : ""}${dated.historical ? " [historical list price]" : ""}`;
  return `${dated.source} (${dated.date ?? "n.d."})${marks}`;
}

class Footnotes {
  private readonly texts: string[] = [];

  ref(dated: Dated & { what: string }): string {
    const text = datedText(dated);
    let index = this.texts.indexOf(text);
    if (index < 0) index = this.texts.push(text) - 1;
    return `[${index + 1}]`;
  }

  list(): string[] {
    return this.texts.map((t, i) => `[${i + 1}] ${t}`);
  }
}
