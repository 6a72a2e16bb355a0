import { quantileSorted } from "../stats/intervals.js";
import { constraintExclusions } from "./constraints.js";
import { categoryCost, compareCost, inputShareOf, type CategoryCost, type FleetVolume } from "./costs.js";
import { compareText, type CategoryData, type ModelCategoryData } from "./evidence.js";
import { mean, qualityInterval } from "../stats/intervals.js";
import { differenceOf, nonInferior, pairedDiffs, reachesBar } from "../stats/paired.js";
import { isQualityExclusion, type Exclusion, type LossReason, type NoRouteReason } from "./reasons.js";
import type { BarDifference, CandidateVerdict, CategoryDecision, ModelProfile, RoutingCriteria } from "./types.js";

/**
 * The decision of one route: which candidates qualify and which one gets it. No English here: reasons are data
 * (reasons.ts) and explain.ts renders them.
 */

/** How one route is decided. */
export interface DecisionRule {
  kind: CategoryDecision["kind"];
  /** Absolute: the lower end of the model's own interval reaches `value`. Relative: non-inferior to the best eligible model by `value`. */
  bar: { kind: "min-quality" | "within"; value: number };
  /** Sensitive data: only self-hosted models are eligible. */
  selfHostedOnly: boolean;
  /** An absolute floor on top of the bar (the sensitive routes' --sensitive-min-quality). */
  floor?: number;
  humanReview: boolean;
  /** minItems, confidence, resamples and the constraints (latency, licence). */
  criteria: RoutingCriteria;
  /** The traffic a fleet-costed candidate is costed for, to rank it. */
  volume: FleetVolume;
  /** Appended to the bootstrap seeds (each cross-fitting fold has its own). */
  seedSuffix?: string;
}

interface Judged {
  candidates: CandidateVerdict[];
  bar: CategoryDecision["bar"];
}

/**
 * Every measured model of the category as a candidate. The costly part, a paired bootstrap, runs only when something
 * reads it: a candidate whose point estimate is already below the bar, or that a constraint excludes, cannot
 * qualify whatever its interval, so its interval is computed only if a runner-up or no-route reason shows it.
 */
export function judgeCategory(data: CategoryData, profiles: ReadonlyMap<string, ModelProfile>, rule: DecisionRule): Judged {
  const measured = [...data.byModel.values()].filter((m) => m.scores.size > 0).map((m) => measure(data.category, m, profiles.get(m.model)!, rule));
  const reference = rule.bar.kind === "within" ? bestEligible(measured, rule.criteria.minItems, rule.floor) : null;
  const bar: CategoryDecision["bar"] =
    rule.bar.kind === "min-quality"
      ? { kind: "min-quality", value: rule.bar.value, reference: null, level: rule.bar.value }
      : { kind: "within", value: rule.bar.value, reference: reference?.data.model ?? null, level: reference ? reference.mean - rule.bar.value : null };
  return { candidates: measured.map((m) => verdict(data.category, m, reference, rule)), bar };
}

/** The chosen candidate: the cheapest that qualifies (then the faster), or for human review the best eligible one. */
export function choose(candidates: CandidateVerdict[], humanReview: boolean): CandidateVerdict | null {
  if (humanReview) return candidates.filter(eligibleForReview).sort(byQuality)[0] ?? null;
  return [...candidates].sort(byCostThenSpeed).find((c) => c.qualifies) ?? null;
}

/** The whole decision, with the runner-up, the no-route reason and the candidates in the order the table reads. */
export function decideCategory(
  data: CategoryData,
  profiles: ReadonlyMap<string, ModelProfile>,
  rule: DecisionRule,
  shares: { categoryShare: number; trafficShare: number },
): CategoryDecision {
  const { candidates, bar } = judgeCategory(data, profiles, rule);
  const chosen = choose(candidates, rule.humanReview);
  return {
    category: data.category,
    kind: rule.kind,
    declaredSensitive: data.declaredSensitive,
    humanReview: rule.humanReview,
    items: data.itemIds.length,
    sensitiveItems: data.sensitiveItems,
    bar,
    chosen,
    runnerUp: chosen ? runnerUpOf(data, candidates, chosen, rule.humanReview) : null,
    noRoute: chosen ? null : noRouteReason(candidates, rule.selfHostedOnly),
    categoryShare: shares.categoryShare,
    trafficShare: shares.trafficShare,
    monthlyUsd: null,
    candidates: rank(candidates),
  };
}

/** What a candidate is, besides its comparison with the bar: cheap to compute for every model. */
interface Measured {
  data: ModelCategoryData;
  profile: ModelProfile;
  mean: number;
  constraints: Exclusion[];
  p95LatencyMs: number | null;
  cost: CategoryCost;
  /** The model's own quality interval, computed when first read. */
  interval: () => { low: number; high: number };
}

function measure(category: string, model: ModelCategoryData, profile: ModelProfile, rule: DecisionRule): Measured {
  const latencies = Float64Array.from(model.latencies).sort();
  const p95LatencyMs = latencies.length ? Math.round(quantileSorted(latencies, 0.95) * 10) / 10 : null;
  let interval: { low: number; high: number } | undefined;
  return {
    data: model,
    profile,
    mean: mean(Float64Array.from(model.scores.values()))!,
    constraints: constraintExclusions(profile, { p95LatencyMs }, rule.selfHostedOnly, rule.criteria),
    p95LatencyMs,
    cost: categoryCost(model, profile.price, profile.fleet && { option: profile.fleet, volume: rule.volume }),
    interval: () => (interval ??= qualityInterval(model.scores.values(), `${category}/${model.model}`)!),
  };
}

/**
 * The best model that meets the constraints, among those with enough items (all of them when none has) and, under a
 * floor, among those that reach it when any does: a model that cannot take the route is no bar for one that can.
 */
function bestEligible(measured: Measured[], minItems: number, floor: number | undefined): Measured | null {
  const eligible = measured.filter((m) => m.constraints.length === 0);
  const enough = eligible.filter((m) => m.data.scores.size >= minItems);
  const pool = enough.length > 0 ? enough : eligible;
  const reaching = floor === undefined ? [] : pool.filter((m) => reachesBar(m.interval().low - floor));
  let best: Measured | null = null;
  for (const m of reaching.length > 0 ? reaching : pool) if (!best || m.mean > best.mean + 1e-12) best = m;
  return best;
}

function verdict(category: string, m: Measured, reference: Measured | null, rule: DecisionRule): CandidateVerdict {
  const { minItems, confidence, resamples } = rule.criteria;
  const seedText = `${category}/${m.data.model}`;
  const interval = m.interval;
  // The bar, cheap part first: items in common and the point estimate; the bootstrap only when asked for.
  let diffs: Float64Array | undefined;
  let versus: BarDifference | undefined;
  const shift = rule.bar.value;
  const paired = () => (diffs ??= reference ? pairedDiffs(m.data.scores, reference.data.scores) : new Float64Array(0));
  const pairedN = () => (rule.bar.kind === "min-quality" ? m.data.scores.size : paired().length);
  const pointDiff = () => (rule.bar.kind === "min-quality" ? m.mean - rule.bar.value : (mean(paired()) ?? 0) + shift);
  const vsBar = (): BarDifference => (versus ??= barDifference());
  const barDifference = (): BarDifference => {
    if (rule.bar.kind === "min-quality") {
      const { low, high } = interval();
      return { reference: "min-quality", pairedN: pairedN(), diff: pointDiff(), low: low - rule.bar.value, high: high - rule.bar.value };
    }
    const difference = differenceOf(paired(), { seedText: `${seedText}/bar${rule.seedSuffix ?? ""}`, confidence, resamples });
    if (!difference) return { reference: reference?.data.model ?? "none", pairedN: 0, diff: 0, low: 0, high: 0 };
    return {
      reference: reference!.data.model,
      pairedN: difference.n,
      diff: difference.diff + shift,
      low: difference.low + shift,
      high: difference.high + shift,
    };
  };
  const tooFew = () => pairedN() < minItems;
  const belowFloor = () => rule.floor !== undefined && !reachesBar(interval().low - rule.floor);
  let qualifies: boolean | undefined;
  let exclusions: Exclusion[] | undefined;
  const candidate: CandidateVerdict = {
    model: m.data.model,
    n: m.data.scores.size,
    mean: m.mean,
    get ciLow() {
      return interval().low;
    },
    get ciHigh() {
      return interval().high;
    },
    get vsBar() {
      return vsBar();
    },
    p95LatencyMs: m.p95LatencyMs,
    costPer1kUsd: m.cost.costPer1kUsd,
    usdPerToken: m.cost.usdPerToken,
    costBasis: m.cost.basis,
    costEstimated: m.cost.estimated,
    inputShare: inputShareOf(m.data),
    errors: m.data.errors,
    get qualifies() {
      return (qualifies ??= m.constraints.length === 0 && !tooFew() && reachesBar(pointDiff()) && !belowFloor() && nonInferior(vsBar()));
    },
    get exclusions() {
      return (exclusions ??= [...m.constraints, ...qualityExclusions()]);
    },
  };
  const qualityExclusions = (): Exclusion[] => {
    const reasons: Exclusion[] = [];
    if (tooFew()) reasons.push({ kind: "too-few-items", pairedN: pairedN(), minItems });
    else if (!nonInferior(vsBar())) reasons.push({ kind: "below-bar", bar: rule.bar.kind, ...withoutReference(vsBar()) });
    if (belowFloor()) reasons.push({ kind: "below-sensitive-min-quality", low: interval().low, minQuality: rule.floor! });
    return reasons;
  };
  constraintsOf.set(candidate, m.constraints);
  return candidate;
}

function withoutReference(bar: BarDifference): Omit<BarDifference, "reference"> {
  return { pairedN: bar.pairedN, diff: bar.diff, low: bar.low, high: bar.high };
}

/** Each candidate's constraint exclusions, readable without running its bootstrap. */
const constraintsOf = new WeakMap<CandidateVerdict, readonly Exclusion[]>();

function constraintsFor(candidate: CandidateVerdict): readonly Exclusion[] {
  return constraintsOf.get(candidate) ?? candidate.exclusions.filter((e) => !isQualityExclusion(e));
}

function excludedByHosting(candidate: CandidateVerdict): boolean {
  return constraintsFor(candidate).some((e) => e.kind === "cloud-hosted-sensitive");
}

/** Human review keeps the best model that meets the constraints, has enough items and reaches any floor. */
function eligibleForReview(candidate: CandidateVerdict): boolean {
  if (constraintsFor(candidate).length > 0) return false;
  return candidate.exclusions.every((e) => e.kind === "below-bar");
}

function byCostThenSpeed(a: CandidateVerdict, b: CandidateVerdict): number {
  return compareCost(a, b) || compareLatency(a.p95LatencyMs, b.p95LatencyMs) || b.mean - a.mean || compareText(a.model, b.model);
}

function byQuality(a: CandidateVerdict, b: CandidateVerdict): number {
  return b.mean - a.mean || compareCost(a, b) || compareLatency(a.p95LatencyMs, b.p95LatencyMs) || compareText(a.model, b.model);
}

function compareLatency(a: number | null, b: number | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  return a - b;
}

/** Qualifiers cheapest first, then the rest best first: the order the table reads in. */
function rank(candidates: CandidateVerdict[]): CandidateVerdict[] {
  const qualifiers = candidates.filter((c) => c.qualifies).sort(byCostThenSpeed);
  const others = candidates.filter((c) => !c.qualifies).sort(byQuality);
  return [...qualifiers, ...others];
}

/**
 * The next model in the table's order, with why it lost. Cloud models are no runner-up for sensitive data: when no
 * self-hosted model is left, the runner-up names the cloud models that were ruled out or never sent the items.
 */
function runnerUpOf(data: CategoryData, candidates: CandidateVerdict[], chosen: CandidateVerdict, humanReview: boolean): CategoryDecision["runnerUp"] {
  const ordered = humanReview ? [...candidates].sort(byQuality) : rank(candidates);
  const next = ordered.find((c) => c.model !== chosen.model && !excludedByHosting(c));
  if (next) return { model: next.model, reason: whyItLost(next, chosen, humanReview) };
  const cloud = ordered.filter(excludedByHosting).map((c) => c.model);
  const neverSent = [...data.byModel.values()].filter((m) => m.scores.size === 0 && m.skipped > 0).map((m) => m.model);
  if (neverSent.length > 0) return { model: [...cloud, ...neverSent].sort(compareText).join(", "), reason: { kind: "never-sent-sensitive" } };
  if (cloud.length > 0) return { model: cloud.join(", "), reason: { kind: "excluded", exclusions: [{ kind: "cloud-hosted-sensitive" }] } };
  return null;
}

function whyItLost(loser: CandidateVerdict, winner: CandidateVerdict, humanReview: boolean): LossReason {
  if (humanReview) {
    if (loser.exclusions.some((e) => e.kind !== "below-bar")) return { kind: "excluded", exclusions: loser.exclusions };
    return { kind: "lower-quality-human-review", loserMean: loser.mean, winnerMean: winner.mean };
  }
  if (!loser.qualifies) return { kind: "excluded", exclusions: loser.exclusions };
  if (compareCost(winner, loser) < 0) {
    if (winner.costPer1kUsd !== null && loser.costPer1kUsd !== null) {
      return { kind: "costs-more", loserPer1kUsd: loser.costPer1kUsd, winnerPer1kUsd: winner.costPer1kUsd };
    }
    if (loser.costPer1kUsd === null && loser.usdPerToken === null) return { kind: "cost-unknown" };
    return { kind: "higher-price-per-token", loserPerMTokUsd: (loser.usdPerToken ?? 0) * 1e6, winnerPerMTokUsd: (winner.usdPerToken ?? 0) * 1e6 };
  }
  if (compareLatency(winner.p95LatencyMs, loser.p95LatencyMs) < 0) {
    return { kind: "slower", loserP95Ms: loser.p95LatencyMs, winnerP95Ms: winner.p95LatencyMs };
  }
  return { kind: "tie" };
}

function noRouteReason(candidates: CandidateVerdict[], selfHostedOnly: boolean): NoRouteReason {
  if (candidates.length === 0) return { kind: selfHostedOnly ? "no-self-hosted" : "no-results" };
  if (selfHostedOnly && candidates.every(excludedByHosting)) return { kind: "no-self-hosted" };
  return { kind: "none-qualifies", candidates: candidates.map((c) => ({ model: c.model, exclusions: c.exclusions })) };
}
