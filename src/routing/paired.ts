import { bootstrapMeanInterval, mean, seedFrom, wilsonInterval } from "../report/stats.js";

export interface Difference {
  /** Items both sides were scored on. */
  n: number;
  diff: number;
  low: number;
  high: number;
}

export interface BootstrapOptions {
  seedText: string;
  confidence: number;
  resamples: number;
}

/**
 * Paired bootstrap of the mean per-item difference `a − b` over the items both were scored on. Pairing removes the
 * items' difficulty from the comparison, so two models are judged on the same questions, not on different luck.
 * `b` may be a constant (an absolute bar). Seeded: the same inputs always give the same interval.
 */
export function pairedDifference(
  a: ReadonlyMap<string, number>,
  b: ReadonlyMap<string, number> | number,
  options: BootstrapOptions,
): Difference | null {
  const diffs: number[] = [];
  for (const [item, score] of a) {
    const other = typeof b === "number" ? b : b.get(item);
    if (other !== undefined) diffs.push(score - other);
  }
  const centre = mean(diffs);
  const interval = bootstrapMeanInterval(diffs, {
    seed: seedFrom(options.seedText),
    confidence: options.confidence,
    resamples: options.resamples,
  });
  if (centre === null || interval === null) return null;
  return { n: diffs.length, diff: centre, low: interval.low, high: interval.high };
}

/** A model's quality on its own scored items, with the interval summary.json uses (Wilson for pass/fail). */
export function qualityInterval(scores: Iterable<number>, seedText: string): { n: number; mean: number; low: number; high: number } | null {
  const values = [...scores];
  const centre = mean(values);
  if (centre === null) return null;
  const binary = values.every((v) => v === 0 || v === 1);
  const interval = binary
    ? wilsonInterval(values.filter((v) => v === 1).length, values.length)
    : bootstrapMeanInterval(values, { seed: seedFrom(seedText) });
  return interval && { n: values.length, mean: centre, low: interval.low, high: interval.high };
}

/** True when the upper end of the interval reaches the bar: the model is not significantly below it. */
export function notSignificantlyBelow(difference: Difference, slack = 0): boolean {
  // A tiny epsilon so that a model identical to the reference (interval [0, 0]) is never rejected by rounding.
  return difference.high >= -slack - 1e-12;
}
