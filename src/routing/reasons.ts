/**
 * Why a model cannot take a route, why a runner-up lost, why a category has no route: as data. Decisions read the
 * `kind`; the English is rendered from these in one place (explain.ts), so rewording a message cannot change a route.
 */

/** Why a candidate cannot take a route. Numbers are as measured (the bar's difference is model − bar). */
export type Exclusion =
  | { kind: "cloud-hosted-sensitive" }
  | { kind: "too-few-items"; pairedN: number; minItems: number }
  /** Not non-inferior: the lower end of the 95 % interval of model − bar is below 0 (paired with the best for "within"). */
  | { kind: "below-bar"; bar: "within" | "min-quality"; diff: number; low: number; high: number; pairedN: number }
  /** A sensitive route's floor: the lower end of the model's own interval is below --sensitive-min-quality. */
  | { kind: "below-sensitive-min-quality"; low: number; minQuality: number }
  | { kind: "latency-unknown"; maxP95Ms: number }
  | { kind: "latency"; p95Ms: number; maxP95Ms: number }
  | { kind: "licence-not-allowed"; licence: string }
  | { kind: "licence-unknown" }
  | { kind: "licence-mau"; licence: string; orgMau: number };

export type ExclusionKind = Exclusion["kind"];

/** Exclusions that come from the quality evidence (the bar, the item count, the floor), not from a constraint. */
const QUALITY_KINDS: ReadonlySet<ExclusionKind> = new Set(["too-few-items", "below-bar", "below-sensitive-min-quality"]);

export function isQualityExclusion(exclusion: Exclusion): boolean {
  return QUALITY_KINDS.has(exclusion.kind);
}

/** Why the runner-up did not get the route. */
export type LossReason =
  | { kind: "excluded"; exclusions: Exclusion[] }
  | { kind: "costs-more"; loserPer1kUsd: number; winnerPer1kUsd: number }
  | { kind: "cost-unknown" }
  | { kind: "higher-price-per-token"; loserPerMTokUsd: number; winnerPerMTokUsd: number }
  | { kind: "slower"; loserP95Ms: number | null; winnerP95Ms: number | null }
  | { kind: "tie" }
  | { kind: "lower-quality-human-review"; loserMean: number; winnerMean: number }
  /** Cloud models that were never sent the category's sensitive items. */
  | { kind: "never-sent-sensitive" };

/** Why a category has no route. */
export type NoRouteReason =
  | { kind: "no-results" }
  | { kind: "no-self-hosted" }
  | { kind: "none-qualifies"; candidates: Array<{ model: string; exclusions: Exclusion[] }> };
