import { formatNumber, formatUsdSmall } from "../cost/units.js";
import { terminalSafe, terminalSafeRow } from "../io/terminal.js";
import { ageInWords } from "./age.js";
import type { RunSummary, SummaryCell } from "../results/summary-types.js";

/** The per category × model table printed at the end of `modelpick eval`. */
export async function renderEvalTable(summary: RunSummary): Promise<string> {
  const { default: Table } = await import("cli-table3");
  const head = ["category", "model", "n", "mean [95% CI]", "p50 / p95 ms", "tokens in / out", "$ / 1k req", "errors", "skipped"];
  const style = { head: [], border: [], compact: true };
  const table = new Table({ head, style });
  const estimated = new Set(summary.run.models.filter((m) => m.tokensEstimated).map((m) => m.id));
  for (const cell of summary.cells) table.push(rowOf(cell, estimated));
  const hosting = new Map(summary.run.models.map((m) => [m.id, m.hosting]));
  const shared = differentItems(summary) ? summary.overall[0]?.shared?.n : undefined;
  const sharedHead = shared === undefined ? [] : [`on ${formatNumber(shared)} shared items`];
  const overall = new Table({ head: [...head, ...sharedHead, "hosting"], style });
  for (const cell of summary.overall) {
    const sharedCell =
      shared === undefined ? [] : [cell.shared?.mean == null ? "—" : `${fmt(cell.shared.mean)} [${fmt(cell.shared.ciLow)}, ${fmt(cell.shared.ciHigh)}]`];
    overall.push([...rowOf(cell, estimated), ...sharedCell, hosting.get(cell.model) ?? "—"]);
  }
  return `${table.toString()}\n\nAll categories\n${overall.toString()}\n${terminalSafe(footnotes(summary, estimated))}`;
}

/** True when some model's overall mean covers other items than the ones every model scored. */
function differentItems(summary: RunSummary): boolean {
  return summary.overall.some((cell) => cell.shared !== undefined && cell.shared.n !== cell.n);
}

/** One table row; names from the data are printed with control characters escaped. */
function rowOf(cell: SummaryCell, estimated: Set<string>): string[] {
  const mark = estimated.has(cell.model) ? "~" : "";
  return terminalSafeRow([
    cell.category,
    cell.model,
    formatNumber(cell.n),
    cell.mean === null ? "—" : `${fmt(cell.mean)} [${fmt(cell.ciLow)}, ${fmt(cell.ciHigh)}]`,
    cell.p50LatencyMs === null ? "—" : `${whole(cell.p50LatencyMs)} / ${whole(cell.p95LatencyMs ?? 0)}`,
    cell.meanInputTokens === null ? "—" : `${mark}${whole(cell.meanInputTokens)} / ${mark}${whole(cell.meanOutputTokens ?? 0)}`,
    cell.costPer1kUsd === null ? "—" : `${mark}${formatUsdSmall(cell.costPer1kUsd)}`,
    formatNumber(cell.errors),
    formatNumber(cell.skipped),
  ]);
}

function footnotes(summary: RunSummary, estimated: Set<string>): string {
  const notes = [`Prices: ${summary.run.priceSource}.`];
  if (estimated.size > 0) notes.push("~ token counts (and the costs computed from them) are estimates, not provider usage.");
  if (summary.cells.some((c) => c.skipped > 0)) {
    notes.push("skipped: sensitive items are never sent to cloud-hosted models (nor to a cloud judge).");
  }
  const warm = summary.overall.filter((cell) => cell.warmup);
  if (warm.length > 0) {
    const each = warm.map(({ model, warmup }) => {
      const requests = `${warmup!.n} request${warmup!.n === 1 ? "" : "s"}`;
      return `${model}: ${requests}, median ${Math.round(warmup!.p50LatencyMs)} ms, max ${Math.round(warmup!.maxLatencyMs)} ms`;
    });
    notes.push(`p50 / p95 leave out each model's warm-up requests (the first \`concurrency\` sent: connections, client set-up): ${each.join("; ")}.`);
  }
  if (differentItems(summary)) {
    notes.push(
      "All categories: the models answered different items (skipped or errored items), so their own means are not comparable; " +
        "'shared items' compares them on the items every model scored, and --min-score uses that figure.",
    );
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
  return `${formatNumber(cachedRows)} of ${formatNumber(rows)} rows came from the response cache (${age}--no-cache or --max-cache-age to refresh).`;
}

function whole(value: number): string {
  return formatNumber(Math.round(value));
}

function fmt(value: number | null): string {
  return value === null ? "—" : value.toFixed(3);
}
