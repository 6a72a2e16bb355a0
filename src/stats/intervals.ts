/** Deterministic PRNG (mulberry32): bootstrap intervals must be reproducible run to run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Interval {
  low: number;
  high: number;
}

export function mean(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
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

/** Percentile bootstrap interval of the mean (95 % by default). */
export function bootstrapMeanInterval(
  values: readonly number[],
  options: { resamples?: number; seed?: number; confidence?: number } = {},
): Interval | null {
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

/** Linear-interpolated quantile of already sorted values, q in [0, 1]. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const pos = (n - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/** A stable 32-bit seed from a string, so each cell's bootstrap is reproducible and independent. */
export function seedFrom(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

/*
 * Hypothesis tests for `modelpick check`, one-sided. "below": is the quality after lower than before by more than
 * `margin` (H1: after − before < −margin)? "not-below" (non-inferiority): is it lower by less than `margin`, if at all
 * (H1: after − before > −margin)? A small p-value says yes.
 */

export type Direction = "below" | "not-below";

/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9): about 15 significant digits. */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
    -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  const z = x - 1;
  let sum = c[0]!;
  for (let i = 1; i < 9; i++) sum += c[i]! / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** The regularised incomplete beta function I_x(a, b), by its continued fraction (Lentz), for the binomial and t tails. */
export function regularizedBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x));
  // The fraction converges fast for x below its mean; above it, I_x(a, b) = 1 − I_{1−x}(b, a).
  if (x < (a + 1) / (a + b + 2)) return (front * betaFraction(x, a, b)) / a;
  return 1 - (front * betaFraction(1 - x, b, a)) / b;
}

function betaFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 100_000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const step = d * c;
    h *= step;
    if (Math.abs(step - 1) < 1e-15) break;
  }
  return h;
}

/** P(X ≥ k) for X ~ Binomial(n, p), exactly (through the incomplete beta function). */
export function binomialUpperTail(k: number, n: number, p: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  return regularizedBeta(p, k, n - k + 1);
}

/** P(X ≤ k) for X ~ Binomial(n, p). */
export function binomialLowerTail(k: number, n: number, p: number): number {
  if (k >= n) return 1;
  if (k < 0) return 0;
  return 1 - binomialUpperTail(k + 1, n, p);
}

/** Φ(z), the standard normal distribution function, from erfc (relative error below 1.2e-7 in either tail). */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const poly =
    -z * z -
    1.26551223 +
    t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const value = t * Math.exp(poly);
  return x >= 0 ? value : 2 - value;
}

/** P(T ≤ t) for Student's t with `df` degrees of freedom (df may be fractional, as Welch's is). */
export function studentTCdf(t: number, df: number): number {
  if (!Number.isFinite(t)) return t > 0 ? 1 : 0;
  const tail = 0.5 * regularizedBeta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/** The q-quantile of Student's t (for intervals), by bisection on the distribution function. */
export function studentTQuantile(q: number, df: number): number {
  let low = -1e4;
  let high = 1e4;
  for (let i = 0; i < 200 && high - low > 1e-12; i++) {
    const mid = (low + high) / 2;
    if (studentTCdf(mid, df) < q) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}

/** A one-sided test's result: the p-value of H1 "after − before < −margin". */
export interface OneSidedTest {
  pValue: number;
}

/**
 * Pass/fail scores on the same items, before and after: the exact McNemar test on the discordant pairs, one-sided.
 * Of the D items that changed, `losses` went from right to wrong and `gains` from wrong to right. With no margin the
 * null hypothesis is "no change": each discordant item is a loss with probability ½, and p = P(X ≥ losses),
 * X ~ Binomial(D, ½) — exact at any D, so a handful of discordant items can never fail a gate by a normal
 * approximation. A margin m shifts the null to "a fall of exactly m": with a discordance rate ψ (estimated by D / n),
 * P(loss | discordant) = (ψ + m) / 2ψ; when D ≤ n·m even all-losses is a fall within the margin, and p = 1.
 */
export function mcNemarExact(pairs: { losses: number; gains: number; n: number }, margin = 0): OneSidedTest {
  const discordant = pairs.losses + pairs.gains;
  if (discordant === 0) return { pValue: 1 };
  const lossShare = 0.5 + (pairs.n * margin) / (2 * discordant);
  if (lossShare >= 1) return { pValue: 1 };
  return { pValue: binomialUpperTail(pairs.losses, discordant, lossShare) };
}

/**
 * Pass/fail scores against a fixed rate: exact binomial. "below": p = P(X ≤ successes) at that rate; "not-below":
 * p = P(X ≥ successes).
 */
export function binomialAgainstLevel(successes: number, n: number, level: number, direction: Direction = "below"): OneSidedTest {
  if (n === 0) return { pValue: 1 };
  if (direction === "below") return { pValue: level <= 0 ? 1 : binomialLowerTail(successes, n, Math.min(1, level)) };
  return { pValue: level >= 1 ? 1 : binomialUpperTail(successes, n, Math.max(0, level)) };
}

/** Summary statistics of a sample, for the t tests: size, mean and (n − 1) variance. */
export interface SampleMoments {
  n: number;
  mean: number;
  variance: number;
}

export function momentsOf(values: ArrayLike<number>): SampleMoments {
  const n = values.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i]!;
  const mean = n > 0 ? sum / n : 0;
  let squares = 0;
  for (let i = 0; i < n; i++) squares += (values[i]! - mean) ** 2;
  return { n, mean, variance: n > 1 ? squares / (n - 1) : 0 };
}

/**
 * The one-sample t test of the mean of `differences` (after − before per item, or score − level) against −margin.
 * A sample with no spread is decided by its mean alone.
 */
export function tTest(differences: SampleMoments, margin = 0, direction: Direction = "below"): OneSidedTest {
  const { n, mean, variance } = differences;
  if (n < 2) return { pValue: 1 };
  const shifted = (mean + margin) * sign(direction);
  if (variance <= 0) return { pValue: shifted < -1e-12 ? 0 : 1 };
  return { pValue: studentTCdf(shifted / Math.sqrt(variance / n), n - 1) };
}

/** A statistic oriented so that small values speak for H1: as is for "below", mirrored for "not-below". */
function sign(direction: Direction): number {
  return direction === "below" ? 1 : -1;
}

/** A difference in means between two independent samples (after − before) with its 95 % interval and one-sided test. */
export interface TwoSampleTest extends OneSidedTest {
  diff: number;
  low: number;
  high: number;
}

/**
 * Pass/fail scores on different items: the Agresti–Caffo z test (one success and one failure added to each side),
 * which keeps its level near 0 % and 100 % where the plain Wald test does not.
 */
export function twoProportionTest(
  before: { successes: number; n: number },
  after: { successes: number; n: number },
  margin = 0,
  direction: Direction = "below",
): TwoSampleTest {
  const p1 = (before.successes + 1) / (before.n + 2);
  const p2 = (after.successes + 1) / (after.n + 2);
  const se = Math.sqrt((p1 * (1 - p1)) / (before.n + 2) + (p2 * (1 - p2)) / (after.n + 2));
  const adjusted = p2 - p1;
  const z95 = 1.959964;
  return {
    diff: after.successes / Math.max(after.n, 1) - before.successes / Math.max(before.n, 1),
    low: adjusted - z95 * se,
    high: adjusted + z95 * se,
    pValue: normalCdf(((adjusted + margin) / se) * sign(direction)),
  };
}

/** Graded scores on different items: Welch's t test (unequal variances, Welch–Satterthwaite degrees of freedom). */
export function welchTest(before: SampleMoments, after: SampleMoments, margin = 0, direction: Direction = "below"): TwoSampleTest {
  const diff = after.mean - before.mean;
  if (before.n < 2 || after.n < 2) return { diff, low: -1, high: 1, pValue: 1 };
  const v1 = before.variance / before.n;
  const v2 = after.variance / after.n;
  const se = Math.sqrt(v1 + v2);
  const shifted = (diff + margin) * sign(direction);
  if (se === 0) return { diff, low: diff, high: diff, pValue: shifted < -1e-12 ? 0 : 1 };
  const df = (v1 + v2) ** 2 / (v1 ** 2 / (before.n - 1) + v2 ** 2 / (after.n - 1));
  const half = studentTQuantile(0.975, df) * se;
  return { diff, low: diff - half, high: diff + half, pValue: studentTCdf(shifted / se, df) };
}

/**
 * Holm's step-down adjustment: the family-wise error rate stays at most α whatever the dependence between the tests,
 * and a hypothesis is rejected when its adjusted p-value is at most α. Returned in the input's order.
 */
export function holmAdjust(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((p, i) => [p, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const adjusted = new Array<number>(m);
  let running = 0;
  order.forEach(([p, i], rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p));
    adjusted[i] = running;
  });
  return adjusted;
}
