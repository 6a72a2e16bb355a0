import { ageInWords } from "./age.js";
import { terminalSafe, terminalSafeRow } from "../io/terminal.js";
import type { RunSummary, SummaryCell } from "./types.js";

/** The per category × model table printed at the end of `modelpick eval`. */
export async function renderEvalTable(summary: RunSummary): Promise<string> {
  const { default: Table } = await import("cli-table3");
  const head = ["category", "model", "n", "mean [95% CI]", "p50 / p95 ms", "tokens in / out", "$ / 1k req", "errors", "skipped"];
  const style = { head: [], border: [], compact: true };
  const table = new Table({ head, style });
  const estimated = new Set(summary.run.models.filter((m) => m.tokensEstimated).map((m) => m.id));
  for (const cell of summary.cells) table.push(rowOf(cell, estimated));
  const hosting = new Map(summary.run.models.map((m) => [m.id, m.hosting]));
  const overall = new Table({ head: [...head, "hosting"], style });
  for (const cell of summary.overall) overall.push([...rowOf(cell, estimated), hosting.get(cell.model) ?? "—"]);
  return `${table.toString()}\n\nAll categories\n${overall.toString()}\n${terminalSafe(footnotes(summary, estimated))}`;
}

/** One table row; names from the data are printed with control characters escaped. */
function rowOf(cell: SummaryCell, estimated: Set<string>): string[] {
  const mark = estimated.has(cell.model) ? "~" : "";
  return terminalSafeRow([
    cell.category,
    cell.model,
    String(cell.n),
    cell.mean === null ? "—" : `${fmt(cell.mean)} [${fmt(cell.ciLow)}, ${fmt(cell.ciHigh)}]`,
    cell.p50LatencyMs === null ? "—" : `${Math.round(cell.p50LatencyMs)} / ${Math.round(cell.p95LatencyMs ?? 0)}`,
    cell.meanInputTokens === null ? "—" : `${mark}${Math.round(cell.meanInputTokens)} / ${mark}${Math.round(cell.meanOutputTokens ?? 0)}`,
    cell.costPer1kUsd === null ? "—" : `${mark}${money(cell.costPer1kUsd)}`,
    String(cell.errors),
    String(cell.skipped),
  ]);
}

function footnotes(summary: RunSummary, estimated: Set<string>): string {
  const notes = [`Prices: ${summary.run.priceSource}.`];
  if (estimated.size > 0) notes.push("~ token counts (and the costs computed from them) are estimates, not provider usage.");
  if (summary.cells.some((c) => c.skipped > 0)) {
    notes.push("skipped: sensitive items are never sent to cloud-hosted models (nor to a cloud judge).");
  }
  const cached = cacheNote(summary);
  if (cached) notes.push(cached);
  return notes.join("\n");
}

/** Says how many rows the response cache answered, and how old its oldest answer was when the run ended. */
function cacheNote(summary: RunSummary): string | null {
  const cachedRows = summary.run.cachedRows ?? 0;
  if (cachedRows === 0) return null;
  const rows = summary.overall.reduce((sum, cell) => sum + cell.n + cell.errors + cell.skipped, 0);
  const oldest = summary.run.oldestCachedAt ? Date.parse(summary.run.oldestCachedAt) : NaN;
  const age = Number.isFinite(oldest) ? `answers up to ${ageInWords(Math.max(0, Date.parse(summary.run.endedAt) - oldest))} old; ` : "";
  return `${count(cachedRows)} of ${count(rows)} rows came from the response cache (${age}--no-cache or --max-cache-age to refresh).`;
}

function count(n: number): string {
  return n.toLocaleString("en-US");
}

function fmt(value: number | null): string {
  return value === null ? "—" : value.toFixed(3);
}

function money(value: number): string {
  return value >= 100 ? `$${value.toFixed(0)}` : value >= 1 ? `$${value.toFixed(2)}` : `$${value.toFixed(4)}`;
}
