import { seededRandom, seedFrom } from "./random.js";

export interface Interval {
  low: number;
  high: number;
}

/** The sum, added in index order (the bootstrap's means rely on the order: see fastBootstrapMeanInterval). */
export function sum(values: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i]!;
  return total;
}

/** The mean, or null for no values. */
export function mean(values: ArrayLike<number>): number | null {
  return values.length === 0 ? null : sum(values) / values.length;
}

/** Wilson score interval for a proportion; well-behaved at small n and at 0 % or 100 %. */
export function wilsonInterval(successes: number, n: number, z = 1.959964): Interval | null {
  if (n === 0) return null;
  const p = successes / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/** Linear-interpolated quantile of already sorted values, q in [0, 1]. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const pos = (n - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/** Percentile bootstrap interval of the mean (95 % by default). */
export function bootstrapMeanInterval(values: readonly number[], options: { resamples?: number; seed?: number; confidence?: number } = {}): Interval | null {
  const n = values.length;
  if (n === 0) return null;
  const resamples = options.resamples ?? 2000;
  const random = seededRandom(options.seed ?? 1);
  const means = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += values[Math.floor(random() * n)]!;
    means[r] = sum / n;
  }
  means.sort();
  const alpha = (1 - (options.confidence ?? 0.95)) / 2;
  return { low: quantileSorted(means, alpha), high: quantileSorted(means, 1 - alpha) };
}

/**
 * Exactly `bootstrapMeanInterval`, bit for bit: the same mulberry32 stream, the same draws and the
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

function allEqual(values: Float64Array): boolean {
  const first = values[0]!;
  for (let i = 1; i < values.length; i++) if (values[i] !== first) return false;
  return true;
}

/** A model's quality on its own scored items, with the interval summary.json uses (Wilson for pass/fail). */
export function qualityInterval(scores: Iterable<number>, seedText: string): { n: number; mean: number; low: number; high: number } | null {
  const values = Float64Array.from(scores);
  const centre = mean(values);
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
