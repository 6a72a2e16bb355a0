import { quantileSorted, seedFrom, wilsonInterval, type Interval } from "./intervals.js";

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
  const centre = meanOf(diffs);
  const interval = fastBootstrapMeanInterval(diffs, seedFrom(options.seedText), options.confidence, options.resamples);
  if (centre === null || interval === null) return null;
  return { n: diffs.length, diff: centre, low: interval.low, high: interval.high };
}

/**
 * Exactly `bootstrapMeanInterval` from report/stats, bit for bit: the same mulberry32 stream, the same draws and the
 * same order of additions within each resample. recommend runs hundreds of millions of draws, so this is written for
 * speed: a typed array, the generator inlined, and four resamples computed side by side. Mulberry32's state after k
 * draws is seed + k × 0x6d2b79f5, so resample r starts at seed + r × n × 0x6d2b79f5 and the four run independently.
 * When every value is the same, every resample has the same sum, and the draws are skipped.
 */
export function fastBootstrapMeanInterval(values: Float64Array, seed: number, confidence: number, resamples: number): Interval | null {
  const n = values.length;
  if (n === 0) return null;
  const means = allEqual(values) ? constantMeans(values, resamples) : resampleMeans(values, seed, resamples);
  means.sort();
  const alpha = (1 - confidence) / 2;
  return { low: quantileSorted(means, alpha), high: quantileSorted(means, 1 - alpha) };
}

const GOLDEN = 0x6d2b79f5;
const TWO_POW_32 = 4294967296;

function resampleMeans(values: Float64Array, seed: number, resamples: number): Float64Array {
  const n = values.length;
  const means = new Float64Array(resamples);
  const stride = Math.imul(n, GOLDEN);
  let r = 0;
  for (; r + 3 < resamples; r += 4) {
    let sa = (seed + Math.imul(r, stride)) | 0;
    let sb = (sa + stride) | 0;
    let sc = (sb + stride) | 0;
    let sd = (sc + stride) | 0;
    let a = 0;
    let b = 0;
    let c = 0;
    let d = 0;
    for (let i = 0; i < n; i++) {
      sa = (sa + GOLDEN) | 0;
      sb = (sb + GOLDEN) | 0;
      sc = (sc + GOLDEN) | 0;
      sd = (sd + GOLDEN) | 0;
      let ta = Math.imul(sa ^ (sa >>> 15), sa | 1);
      let tb = Math.imul(sb ^ (sb >>> 15), sb | 1);
      let tc = Math.imul(sc ^ (sc >>> 15), sc | 1);
      let td = Math.imul(sd ^ (sd >>> 15), sd | 1);
      ta ^= ta + Math.imul(ta ^ (ta >>> 7), ta | 61);
      tb ^= tb + Math.imul(tb ^ (tb >>> 7), tb | 61);
      tc ^= tc + Math.imul(tc ^ (tc >>> 7), tc | 61);
      td ^= td + Math.imul(td ^ (td >>> 7), td | 61);
      a += values[Math.floor((((ta ^ (ta >>> 14)) >>> 0) / TWO_POW_32) * n)]!;
      b += values[Math.floor((((tb ^ (tb >>> 14)) >>> 0) / TWO_POW_32) * n)]!;
      c += values[Math.floor((((tc ^ (tc >>> 14)) >>> 0) / TWO_POW_32) * n)]!;
      d += values[Math.floor((((td ^ (td >>> 14)) >>> 0) / TWO_POW_32) * n)]!;
    }
    means[r] = a / n;
    means[r + 1] = b / n;
    means[r + 2] = c / n;
    means[r + 3] = d / n;
  }
  for (; r < resamples; r++) {
    let state = (seed + Math.imul(r, stride)) | 0;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      state = (state + GOLDEN) | 0;
      let t = Math.imul(state ^ (state >>> 15), state | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      sum += values[Math.floor((((t ^ (t >>> 14)) >>> 0) / TWO_POW_32) * n)]!;
    }
    means[r] = sum / n;
  }
  return means;
}

/** Every resample of identical values sums them in the same order: one sum stands for all. */
function constantMeans(values: Float64Array, resamples: number): Float64Array {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[0]!;
  return new Float64Array(resamples).fill(sum / values.length);
}

/** As report/stats `mean`, on a typed array: the same additions in the same order. */
export function meanOf(values: Float64Array): number | null {
  if (values.length === 0) return null;
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  return sum / values.length;
}

function allEqual(values: Float64Array): boolean {
  const first = values[0]!;
  for (let i = 1; i < values.length; i++) if (values[i] !== first) return false;
  return true;
}

/** A model's quality on its own scored items, with the interval summary.json uses (Wilson for pass/fail). */
export function qualityInterval(scores: Iterable<number>, seedText: string): { n: number; mean: number; low: number; high: number } | null {
  const values = Float64Array.from(scores);
  const centre = meanOf(values);
  if (centre === null) return null;
  let successes = 0;
  let binary = true;
  for (const v of values) {
    if (v === 1) successes++;
    else if (v !== 0) binary = false;
  }
  const interval = binary ? wilsonInterval(successes, values.length) : fastBootstrapMeanInterval(values, seedFrom(seedText), 0.95, 2000);
  return interval && { n: values.length, mean: centre, low: interval.low, high: interval.high };
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
