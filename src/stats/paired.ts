import { fastBootstrapMeanInterval, mean } from "./intervals.js";
import { seedFrom } from "./random.js";

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
export function pairedDifference(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number> | number, options: BootstrapOptions): Difference | null {
  return differenceOf(pairedDiffs(a, b), options);
}

/** The per-item differences `a − b` over the items both were scored on, in `a`'s item order. */
export function pairedDiffs(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number> | number): Float64Array {
  const diffs = new Float64Array(a.size);
  let n = 0;
  for (const [item, score] of a) {
    const other = typeof b === "number" ? b : b.get(item);
    if (other !== undefined) diffs[n++] = score - other;
  }
  return diffs.subarray(0, n);
}

/** The mean of `diffs` with its seeded bootstrap interval; null when there are none. */
export function differenceOf(diffs: Float64Array, options: BootstrapOptions): Difference | null {
  const centre = mean(diffs);
  const interval = fastBootstrapMeanInterval(diffs, seedFrom(options.seedText), options.confidence, options.resamples);
  if (centre === null || interval === null) return null;
  return { n: diffs.length, diff: centre, low: interval.low, high: interval.high };
}

/**
 * Non-inferiority on a difference already expressed as model − bar: its lower end (and so its centre) is at least 0,
 * i.e. with the interval's confidence the model is not below the bar.
 */
export function nonInferior(difference: Pick<Difference, "diff" | "low">): boolean {
  return reachesBar(difference.diff) && reachesBar(difference.low);
}

/** At least 0, with a tiny epsilon so that a model identical to the reference (interval [0, 0]) is never rejected by rounding. */
export function reachesBar(value: number): boolean {
  return value >= -1e-12;
}
