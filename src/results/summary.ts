import type { ResultRow } from "./row.js";
import { bootstrapMeanInterval, mean, quantileSorted, wilsonInterval } from "../stats/intervals.js";
import { seedFrom } from "../stats/random.js";
import { ScoresByItem } from "./shared-items.js";
import type { RunSummary, SharedItemsMean, SummaryCell } from "./summary-types.js";

/** Accumulates rows one at a time (bounded work per row) and turns them into category × model cells. */
export class SummaryBuilder {
  private readonly cells = new Map<string, CellAccumulator>();
  private readonly overall = new Map<string, CellAccumulator>();
  private readonly cachedByModel = new Map<string, number>();
  private oldestCachedAt: number = Infinity;
  private readonly scores = new ScoresByItem();

  add(row: ResultRow): void {
    this.accumulator(this.cells, row.category, row.model).add(row);
    this.accumulator(this.overall, "(all)", row.model).add(row);
    if (row.cached) this.addCached(row);
    this.scores.add(row);
  }

  /** The run record with the cache counts of the rows added so far. */
  build(run: RunSummary["run"]): RunSummary {
    const order = new Map(run.models.map((m, i) => [m.id, i]));
    const byCategoryThenModel = (a: SummaryCell, b: SummaryCell) =>
      a.category.localeCompare(b.category) || (order.get(a.model) ?? 0) - (order.get(b.model) ?? 0);
    let cachedRows = 0;
    for (const count of this.cachedByModel.values()) cachedRows += count;
    return {
      run: {
        ...run,
        models: run.models.map((m) => ({ ...m, cachedRows: this.cachedByModel.get(m.id) ?? 0 })),
        cachedRows,
        oldestCachedAt: Number.isFinite(this.oldestCachedAt) ? new Date(this.oldestCachedAt).toISOString() : null,
      },
      cells: [...this.cells.values()].map((c) => c.toCell()).sort(byCategoryThenModel),
      overall: this.withSharedMeans([...this.overall.values()].map((c) => c.toCell())).sort(byCategoryThenModel),
    };
  }

  private addCached(row: ResultRow): void {
    this.cachedByModel.set(row.model, (this.cachedByModel.get(row.model) ?? 0) + 1);
    const receivedAt = row.cachedAt === undefined ? NaN : Date.parse(row.cachedAt);
    if (receivedAt < this.oldestCachedAt) this.oldestCachedAt = receivedAt;
  }

  /** Adds to each model's "(all)" cell its mean on the items every model of the run scored. */
  private withSharedMeans(overall: SummaryCell[]): SummaryCell[] {
    const items = this.scores.sharedItems(overall.map((c) => c.model));
    return overall.map((cell) => ({ ...cell, shared: sharedMean(this.scores.scoresOn(cell.model, items), cell.model) }));
  }

  private accumulator(map: Map<string, CellAccumulator>, category: string, model: string): CellAccumulator {
    const key = `${category}\u0000${model}`;
    let acc = map.get(key);
    if (!acc) map.set(key, (acc = new CellAccumulator(category, model)));
    return acc;
  }
}

/**
 * The figure thresholds compare against (`eval --min-score`): a model's mean on the items every model scored, so all
 * models are held to the same items; its own mean when no item was scored by every model.
 */
export function comparableMean(cell: SummaryCell): { mean: number | null; basis: string } {
  const items = (n: number) => n.toLocaleString("en-US");
  if (cell.shared && cell.shared.n > 0) {
    const same = cell.shared.n === cell.n;
    return { mean: cell.shared.mean, basis: same ? `${items(cell.n)} items` : `the ${items(cell.shared.n)} items every model scored` };
  }
  return { mean: cell.mean, basis: `its own ${items(cell.n)} items (no item was scored by every model)` };
}

export function summarize(rows: Iterable<ResultRow>, run: RunSummary["run"]): RunSummary {
  const builder = new SummaryBuilder();
  for (const row of rows) builder.add(row);
  return builder.build(run);
}

class CellAccumulator {
  private readonly scores: number[] = [];
  private readonly latencies: number[] = [];
  private readonly warmupLatencies: number[] = [];
  private inputTokens = 0;
  private outputTokens = 0;
  private tokenRows = 0;
  private cost = 0;
  private costRows = 0;
  private errors = 0;
  private skipped = 0;
  private cached = 0;

  constructor(
    private readonly category: string,
    private readonly model: string,
  ) {}

  add(row: ResultRow): void {
    if (row.cached) this.cached++;
    if (row.skipped) {
      this.skipped++;
      return;
    }
    if (row.error !== null || row.score === null) {
      this.errors++;
      return;
    }
    this.scores.push(row.score);
    if (row.latencyMs !== null) (row.warmup ? this.warmupLatencies : this.latencies).push(row.latencyMs);
    if (row.inputTokens !== null && row.outputTokens !== null) {
      this.inputTokens += row.inputTokens;
      this.outputTokens += row.outputTokens;
      this.tokenRows++;
    }
    if (row.costUsd !== null) {
      this.cost += row.costUsd;
      this.costRows++;
    }
  }

  toCell(): SummaryCell {
    const n = this.scores.length;
    const interval = this.interval();
    const latencies = Float64Array.from(this.latencies).sort();
    return {
      category: this.category,
      model: this.model,
      n,
      mean: mean(this.scores),
      ciLow: interval?.low ?? null,
      ciHigh: interval?.high ?? null,
      ciMethod: interval ? interval.method : null,
      p50LatencyMs: latencies.length ? round(quantileSorted(latencies, 0.5), 1) : null,
      p95LatencyMs: latencies.length ? round(quantileSorted(latencies, 0.95), 1) : null,
      meanInputTokens: this.tokenRows ? round(this.inputTokens / this.tokenRows, 1) : null,
      meanOutputTokens: this.tokenRows ? round(this.outputTokens / this.tokenRows, 1) : null,
      costPer1kUsd: this.costRows ? round((this.cost / this.costRows) * 1000, 6) : null,
      errors: this.errors,
      skipped: this.skipped,
      cached: this.cached,
      ...(this.warmupLatencies.length > 0 ? { warmup: warmupOf(this.warmupLatencies) } : {}),
    };
  }

  private interval(): Interval | null {
    return intervalOf(this.scores, `${this.category}/${this.model}`);
  }
}

function warmupOf(latencies: number[]): NonNullable<SummaryCell["warmup"]> {
  const sorted = Float64Array.from(latencies).sort();
  return { n: sorted.length, p50LatencyMs: round(quantileSorted(sorted, 0.5), 1), maxLatencyMs: round(sorted[sorted.length - 1]!, 1) };
}

type Interval = { low: number; high: number; method: "wilson" | "bootstrap" };

function sharedMean(scores: number[], model: string): SharedItemsMean {
  const interval = intervalOf(scores, `(shared)/${model}`);
  return { n: scores.length, mean: mean(scores), ciLow: interval?.low ?? null, ciHigh: interval?.high ?? null };
}

/** Wilson when every score is pass/fail, bootstrap when any is graded. */
function intervalOf(scores: readonly number[], seedText: string): Interval | null {
  if (scores.length === 0) return null;
  let passes = 0;
  let binary = true;
  for (const s of scores) {
    if (s === 1) passes++;
    else if (s !== 0) binary = false;
  }
  if (binary) {
    const w = wilsonInterval(passes, scores.length);
    return w && { ...w, method: "wilson" };
  }
  const b = bootstrapMeanInterval(scores, { seed: seedFrom(seedText) });
  return b && { ...b, method: "bootstrap" };
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
