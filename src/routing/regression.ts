import { binomialAgainstLevel, mcNemarExact, momentsOf, tTest, twoProportionTest, welchTest, type Direction } from "../stats/hypothesis-tests.js";
import { mean, qualityInterval, sum } from "../stats/intervals.js";
import { differenceOf, pairedDiffs, type Difference } from "../stats/paired.js";

/**
 * The comparisons `modelpick check` makes, each one-sided: "below" — is the quality after lower than before by more
 * than the margin? (a route's model now against its committed outcomes, and against the best model now); "not-below"
 * — is it lower by less than the margin, if at all? (a cheaper model against the route's model). Pure: numbers in,
 * numbers out; check decides on them and check-report renders them.
 */

export type ComparisonTest =
  /** Pass/fail on shared items, "below": exact McNemar on the discordant pairs (statistics: mcNemarExact). */
  | "exact-mcnemar"
  /** Graded on shared items, or "not-below" on any: t test of the per-item differences. */
  | "paired-t"
  /** Pass/fail on different items: Agresti–Caffo z test. */
  | "two-proportion-z"
  /** Graded on different items: Welch's t test. */
  | "welch-t"
  /** Pass/fail against a fixed level (an absolute bar): exact binomial. */
  | "exact-binomial"
  /** Graded against a fixed level: one-sample t test. */
  | "one-sample-t";

export interface QualityComparison {
  /** "paired": on the items both sides were scored on; "two-sample": each side on its own items; "level": against a fixed bar. */
  design: "paired" | "two-sample" | "level";
  /** H1: after − before < −margin ("below") or > −margin ("not-below"). */
  direction: Direction;
  test: ComparisonTest;
  /** Items compared: paired items, or the `after` side's items for the other designs. */
  n: number;
  /** Items of the `before` side (for "level", 0). */
  beforeN: number;
  /** Means over the items compared (for "level", `before` is the level). */
  before: number;
  after: number;
  /** after − before, with its 95 % interval (paired bootstrap when paired). */
  diff: number;
  low: number;
  high: number;
  /** How far below `before` the quality may be before it counts as lower (the tolerance, plus the margin of a bar). */
  margin: number;
  /** One-sided p-value of H1. */
  pValue: number;
  /** The same after Holm's adjustment over every comparison of the table (set by check). */
  adjustedP: number | null;
  /** Pass/fail paired: items that went from right to wrong, and from wrong to right. */
  losses?: number;
  gains?: number;
}

export interface CompareOptions {
  margin: number;
  /** "below" unless said otherwise. */
  direction?: Direction;
  /** Fewest shared items for a paired comparison. */
  minItems: number;
  seedText: string;
  confidence: number;
  resamples: number;
}

/**
 * `after` against `before` (item id → score). Paired on the shared items when they are most of either side's items
 * (the same dataset, perhaps with items added or dropped) and at least `minItems`; otherwise two independent samples.
 * Null when either side has no scored item.
 */
export function compareScores(before: ReadonlyMap<string, number>, after: ReadonlyMap<string, number>, options: CompareOptions): QualityComparison | null {
  if (before.size === 0 || after.size === 0) return null;
  const diffs = pairedDiffs(after, before);
  const shared = diffs.length;
  if (shared >= options.minItems && shared * 2 >= Math.min(before.size, after.size)) return pairedComparison(before, after, diffs, options);
  return twoSampleComparison(before, after, options);
}

/**
 * Paired: the interval is the paired bootstrap's (as recommend's), computed only when read — the text reads it for
 * failing routes only, and a table of many routes holds most of the time.
 */
function pairedComparison(
  before: ReadonlyMap<string, number>,
  after: ReadonlyMap<string, number>,
  diffs: Float64Array,
  options: CompareOptions,
): QualityComparison {
  let interval: Difference | undefined;
  const bootstrap = () => (interval ??= differenceOf(diffs, options)!);
  let beforeSum = 0;
  let losses = 0;
  let gains = 0;
  let binary = true;
  for (const [item, score] of after) {
    const was = before.get(item);
    if (was === undefined) continue;
    beforeSum += was;
    if (!isBinary(score) || !isBinary(was)) binary = false;
    else if (was === 1 && score === 0) losses++;
    else if (was === 0 && score === 1) gains++;
  }
  const n = diffs.length;
  const direction = options.direction ?? "below";
  const diff = mean(diffs)!;
  // McNemar's conditional test with a shifted null is exact for a fall; for non-inferiority (a negative shift) its
  // plug-in discordance rate would overstate certainty when few items differ, so the t test of the differences decides.
  const mcNemar = binary && direction === "below";
  const comparison: QualityComparison = {
    design: "paired",
    direction,
    test: mcNemar ? "exact-mcnemar" : "paired-t",
    n,
    beforeN: before.size,
    before: beforeSum / n,
    after: beforeSum / n + diff,
    diff,
    get low() {
      return bootstrap().low;
    },
    get high() {
      return bootstrap().high;
    },
    margin: options.margin,
    pValue: mcNemar ? mcNemarExact({ losses, gains, n }, options.margin).pValue : tTest(momentsOf(diffs), options.margin, direction).pValue,
    adjustedP: null,
  };
  if (binary) Object.assign(comparison, { losses, gains });
  return comparison;
}

function twoSampleComparison(before: ReadonlyMap<string, number>, after: ReadonlyMap<string, number>, options: CompareOptions): QualityComparison {
  const was = Float64Array.from(before.values());
  const now = Float64Array.from(after.values());
  const binary = was.every(isBinary) && now.every(isBinary);
  const direction = options.direction ?? "below";
  const result = binary
    ? twoProportionTest({ successes: sum(was), n: was.length }, { successes: sum(now), n: now.length }, options.margin, direction)
    : welchTest(momentsOf(was), momentsOf(now), options.margin, direction);
  return {
    design: "two-sample",
    direction,
    test: binary ? "two-proportion-z" : "welch-t",
    n: now.length,
    beforeN: was.length,
    before: sum(was) / was.length,
    after: sum(now) / now.length,
    diff: result.diff,
    low: result.low,
    high: result.high,
    margin: options.margin,
    pValue: result.pValue,
    adjustedP: null,
  };
}

/** `after` against a fixed level (an absolute bar): exact binomial for pass/fail, one-sample t for graded scores. */
export function compareWithLevel(
  after: ReadonlyMap<string, number>,
  level: number,
  options: Pick<CompareOptions, "margin" | "seedText" | "direction">,
): QualityComparison | null {
  const values = Float64Array.from(after.values());
  const interval = qualityInterval(values, options.seedText);
  if (!interval) return null;
  const binary = values.every(isBinary);
  const direction = options.direction ?? "below";
  const test = binary
    ? binomialAgainstLevel(sum(values), values.length, level - options.margin, direction)
    : tTest(momentsOf(values.map((v) => v - level)), options.margin, direction);
  return {
    design: "level",
    direction,
    test: binary ? "exact-binomial" : "one-sample-t",
    n: values.length,
    beforeN: 0,
    before: level,
    after: interval.mean,
    diff: interval.mean - level,
    low: interval.low - level,
    high: interval.high - level,
    margin: options.margin,
    pValue: test.pValue,
    adjustedP: null,
  };
}

function isBinary(score: number): boolean {
  return score === 0 || score === 1;
}
