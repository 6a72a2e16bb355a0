import { binomialLowerTail, binomialUpperTail, normalCdf, studentTCdf, studentTQuantile } from "./distributions.js";

/*
 * Hypothesis tests for `modelpick check`, one-sided. "below": is the quality after lower than before by more than
 * `margin` (H1: after − before < −margin)? "not-below" (non-inferiority): is it lower by less than `margin`, if at all
 * (H1: after − before > −margin)? A small p-value says yes.
 */

export type Direction = "below" | "not-below";

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
