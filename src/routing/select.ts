import { quantileSorted } from "../report/stats.js";
import type { ResultRow } from "../runner/types.js";
import { computeBaselines } from "./baselines.js";
import { constraintExclusions } from "./constraints.js";
import { categoryCost, compareCost, fleetVolume, isFleetBasis, monthlyUsd, type FleetVolume } from "./costs.js";
import { compareText, emptyData, gatherEvidence, type CategoryData, type ModelCategoryData } from "./evidence.js";
import { notSignificantlyBelow, pairedDifference, qualityInterval, type Difference } from "./paired.js";
import type {
  CandidateVerdict,
  CategoryDecision,
  ModelProfile,
  Recommendation,
  RoutingCriteria,
  RunSource,
} from "./types.js";

export const SENSITIVE_ROUTE_NAME = "(sensitive data)";

export interface RecommendInput {
  rows: readonly ResultRow[];
  models: readonly ModelProfile[];
  criteria: RoutingCriteria;
  source: RunSource;
  /** Items marked sensitive in the dataset, on top of those the results show as skipped for cloud models. */
  sensitiveItems?: Iterable<string>;
  notes?: string[];
}

/**
 * For each category, the cheapest model whose quality is not significantly below the bar (paired bootstrap, 95 %)
 * and that meets every constraint; ties go to the faster. Human-review categories keep the best eligible model.
 */
export function recommend(input: RecommendInput): Recommendation {
  const { criteria } = input;
  const profiles = profileMap(input.rows, input.models);
  const notes = [...(input.notes ?? [])];
  const evidence = gatherEvidence(input.rows, profiles, {
    sensitiveItems: input.sensitiveItems,
    sensitiveCategories: criteria.sensitiveCategories,
  });
  const shares = trafficShares(evidence.categories, criteria.mix);
  const decisions = evidence.categories.map((data) =>
    decideCategory(data, profiles, criteria, shares.get(data.category) ?? 0, criteria.humanReview.includes(data.category)),
  );
  const sensitiveRoute = decideSensitiveRoute(evidence.categories, profiles, criteria, notes, shares);
  priceFleetItems(evidence.categories, decisions);
  const monthlyTotalUsd = totalMonthly(decisions, criteria);
  const withinBudget =
    criteria.budgetUsd === undefined || monthlyTotalUsd === null ? null : monthlyTotalUsd <= criteria.budgetUsd + 1e-9;
  notes.push(...costNotes(decisions, criteria));
  return {
    decisions,
    sensitiveRoute,
    baselines: computeBaselines(evidence.categories, decisions),
    models: [...profiles.values()],
    criteria,
    monthlyTotalUsd,
    withinBudget,
    notes,
    source: input.source,
  };
}

/** Every model in the results gets a profile; one the caller knows nothing about is assumed cloud-hosted. */
function profileMap(rows: readonly ResultRow[], models: readonly ModelProfile[]): Map<string, ModelProfile> {
  const map = new Map<string, ModelProfile>();
  for (const profile of models) map.set(profile.id, profile);
  for (const row of rows) {
    if (!map.has(row.model)) {
      map.set(row.model, {
        id: row.model,
        model: row.model,
        provider: "unknown",
        hosting: "cloud",
        maxTokens: 512,
        temperature: 0,
        price: null,
      });
    }
  }
  return new Map([...map.entries()].sort(([a], [b]) => compareText(a, b)));
}

export function decideCategory(
  data: CategoryData,
  profiles: ReadonlyMap<string, ModelProfile>,
  criteria: RoutingCriteria,
  trafficShare: number,
  humanReview: boolean,
  fleetShare = trafficShare,
): CategoryDecision {
  const measured = [...data.byModel.values()].filter((m) => m.scores.size > 0);
  const reference = criteria.minQuality === undefined ? bestModel(measured, criteria.minItems) : null;
  const bar: CategoryDecision["bar"] =
    criteria.minQuality !== undefined
      ? { kind: "min-quality", value: criteria.minQuality, reference: null, level: criteria.minQuality }
      : {
          kind: "within",
          value: criteria.within ?? 0,
          reference: reference?.model ?? null,
          level: reference ? meanOf(reference) - (criteria.within ?? 0) : null,
        };
  const volume = fleetVolume(criteria.tokensPerDay, fleetShare);
  const candidates = measured.map((m) => judgeCandidate(data, m, reference, profiles.get(m.model)!, criteria, volume));
  const chosen = humanReview ? pickBest(candidates) : pickCheapest(candidates);
  const decision: CategoryDecision = {
    category: data.category,
    sensitive: data.sensitive,
    humanReview,
    items: data.itemIds.length,
    bar,
    chosen,
    runnerUp: chosen ? (runnerUpOf(candidates, chosen, humanReview) ?? neverAsked(data)) : null,
    noRouteReason: chosen ? null : noRouteReason(data, candidates),
    trafficShare,
    monthlyUsd: null,
    candidates: rank(candidates),
  };
  if (chosen && criteria.tokensPerDay !== undefined) {
    decision.monthlyUsd = monthlyUsd(criteria.tokensPerDay, trafficShare, chosen.usdPerToken);
  }
  return decision;
}

/** Each candidate's constraint exclusions (sensitivity, latency, licence), known before its bootstrap is run. */
const constraintReasons = new WeakMap<CandidateVerdict, readonly string[]>();

/**
 * A model that fails a constraint cannot take the route whatever its quality, so its paired bootstrap — the costly
 * part — is run only if something reads its `vsBar` or `exclusions` (a runner-up or no-route reason that shows it).
 * Either way the values are the same as when computed up front.
 */
function judgeCandidate(
  data: CategoryData,
  model: ModelCategoryData,
  reference: ModelCategoryData | null,
  profile: ModelProfile,
  criteria: RoutingCriteria,
  volume: FleetVolume,
): CandidateVerdict {
  const quality = qualityInterval(model.scores.values(), `${data.category}/${model.model}`)!;
  const cost = categoryCost(model, profile.price, profile.fleet && { option: profile.fleet, volume });
  const latencies = Float64Array.from(model.latencies).sort();
  const p95LatencyMs = latencies.length ? Math.round(quantileSorted(latencies, 0.95) * 10) / 10 : null;
  const constraints = constraintExclusions(profile, { p95LatencyMs }, data.sensitive, criteria);
  let versus: CandidateVerdict["vsBar"] | undefined;
  let exclusions: string[] | undefined;
  const bar = () => (versus ??= barDifference(data.category, model, reference, criteria));
  const allExclusions = () => (exclusions ??= [...constraints, ...barExclusions(bar(), criteria.minItems)]);
  if (constraints.length === 0) allExclusions();
  const candidate: CandidateVerdict = {
    model: model.model,
    n: quality.n,
    mean: quality.mean,
    ciLow: quality.low,
    ciHigh: quality.high,
    get vsBar() {
      return bar();
    },
    p95LatencyMs,
    costPer1kUsd: cost.costPer1kUsd,
    usdPerToken: cost.usdPerToken,
    costBasis: cost.basis,
    errors: model.errors,
    qualifies: constraints.length === 0 && allExclusions().length === 0,
    get exclusions() {
      return allExclusions();
    },
  };
  constraintReasons.set(candidate, constraints);
  return candidate;
}

function barExclusions(versus: CandidateVerdict["vsBar"], minItems: number): string[] {
  if (versus.pairedN < minItems) return [`only ${versus.pairedN} paired item(s), fewer than --min-items ${minItems}`];
  if (!notSignificantlyBelow({ n: versus.pairedN, diff: versus.diff, low: versus.low, high: versus.high })) {
    return [`significantly below the bar: ${signed(versus.diff)} [${signed(versus.low)}, ${signed(versus.high)}] over ${versus.pairedN} paired items`];
  }
  return [];
}

/** True when a constraint (not the quality bar) excludes the candidate; never runs a bootstrap. */
function failsConstraint(candidate: CandidateVerdict, prefix?: string): boolean {
  const reasons = constraintReasons.get(candidate) ?? candidate.exclusions.filter((e) => !isBarExclusion(e));
  return prefix === undefined ? reasons.length > 0 : reasons.some((e) => e.startsWith(prefix));
}

function isBarExclusion(exclusion: string): boolean {
  return exclusion.startsWith("significantly below") || exclusion.startsWith("only ");
}

/** The difference between a model and the bar, as "model − bar" with its interval: ≥ 0 at the top end to qualify. */
function barDifference(
  category: string,
  model: ModelCategoryData,
  reference: ModelCategoryData | null,
  criteria: RoutingCriteria,
): CandidateVerdict["vsBar"] {
  const options = { seedText: `${category}/${model.model}/bar`, confidence: criteria.confidence, resamples: criteria.resamples };
  if (criteria.minQuality !== undefined) {
    return asBar(pairedDifference(model.scores, criteria.minQuality, options), "min-quality", 0);
  }
  if (!reference) return { reference: "none", pairedN: 0, diff: 0, low: 0, high: 0 };
  const within = criteria.within ?? 0;
  return asBar(pairedDifference(model.scores, reference.scores, options), reference.model, within);
}

function asBar(difference: Difference | null, reference: string, shift: number): CandidateVerdict["vsBar"] {
  if (!difference) return { reference, pairedN: 0, diff: 0, low: 0, high: 0 };
  return {
    reference,
    pairedN: difference.n,
    diff: difference.diff + shift,
    low: difference.low + shift,
    high: difference.high + shift,
  };
}

/** The category's best model: highest mean among models with enough items (all models when none has). */
function bestModel(models: ModelCategoryData[], minItems: number): ModelCategoryData | null {
  const enough = models.filter((m) => m.scores.size >= minItems);
  const pool = enough.length > 0 ? enough : models;
  let best: ModelCategoryData | null = null;
  for (const m of pool) if (!best || meanOf(m) > meanOf(best) + 1e-12) best = m;
  return best;
}

function meanOf(model: ModelCategoryData): number {
  let sum = 0;
  for (const s of model.scores.values()) sum += s;
  return sum / model.scores.size;
}

function byCostThenSpeed(a: CandidateVerdict, b: CandidateVerdict): number {
  return (
    compareCost(a, b) ||
    compareLatency(a.p95LatencyMs, b.p95LatencyMs) ||
    b.mean - a.mean ||
    compareText(a.model, b.model)
  );
}

function byQuality(a: CandidateVerdict, b: CandidateVerdict): number {
  return b.mean - a.mean || compareCost(a, b) || compareLatency(a.p95LatencyMs, b.p95LatencyMs) || compareText(a.model, b.model);
}

function compareLatency(a: number | null, b: number | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  return a - b;
}

function pickCheapest(candidates: CandidateVerdict[]): CandidateVerdict | null {
  return candidates.filter((c) => c.qualifies).sort(byCostThenSpeed)[0] ?? null;
}

/** Human review: the best model that meets the constraints, whatever it costs. */
function pickBest(candidates: CandidateVerdict[]): CandidateVerdict | null {
  const eligible = candidates.filter((c) => !failsConstraint(c) && c.exclusions.every((e) => e.startsWith("significantly below")));
  return eligible.sort(byQuality)[0] ?? null;
}

/** Qualifiers cheapest first, then the rest best first: the order the table reads in. */
function rank(candidates: CandidateVerdict[]): CandidateVerdict[] {
  const qualifiers = candidates.filter((c) => c.qualifies).sort(byCostThenSpeed);
  const others = candidates.filter((c) => !c.qualifies).sort(byQuality);
  return [...qualifiers, ...others];
}

function runnerUpOf(candidates: CandidateVerdict[], chosen: CandidateVerdict, humanReview: boolean): CategoryDecision["runnerUp"] {
  const ordered = humanReview ? [...candidates].sort(byQuality) : rank(candidates);
  const next = ordered.find((c) => c.model !== chosen.model);
  if (!next) return null;
  return { model: next.model, reason: whyItLost(next, chosen, humanReview) };
}

/** In a sensitive category, the cloud models that were never sent its items are the honest runners-up. */
function neverAsked(data: CategoryData): CategoryDecision["runnerUp"] {
  const skipped = [...data.byModel.values()].filter((m) => m.scores.size === 0 && m.skipped > 0).map((m) => m.model);
  if (skipped.length === 0) return null;
  return { model: skipped.join(", "), reason: "cloud-hosted, never sent sensitive items" };
}

function whyItLost(loser: CandidateVerdict, winner: CandidateVerdict, humanReview: boolean): string {
  if (humanReview) {
    if (loser.exclusions.some((e) => !e.startsWith("significantly below"))) return loser.exclusions.join("; ");
    return `lower quality (${loser.mean.toFixed(3)} vs ${winner.mean.toFixed(3)}); human-review categories keep the best model`;
  }
  if (!loser.qualifies) return loser.exclusions.join("; ");
  const costOrder = compareCost(winner, loser);
  if (costOrder < 0) {
    if (winner.costPer1kUsd !== null && loser.costPer1kUsd !== null) {
      return `costs more: ${usd(loser.costPer1kUsd)} vs ${usd(winner.costPer1kUsd)} per 1k requests`;
    }
    if (loser.costPer1kUsd === null && loser.usdPerToken === null) return "cost unknown (no costs, tokens or price)";
    return `higher price per token: ${usd((loser.usdPerToken ?? 0) * 1e6)} vs ${usd((winner.usdPerToken ?? 0) * 1e6)} per million tokens`;
  }
  if (compareLatency(winner.p95LatencyMs, loser.p95LatencyMs) < 0) {
    return `same cost, slower: p95 ${loser.p95LatencyMs === null ? "unknown" : `${Math.round(loser.p95LatencyMs)} ms`} vs ${Math.round(winner.p95LatencyMs ?? 0)} ms`;
  }
  return "same cost and speed; lower quality or later in name order";
}

function noRouteReason(data: CategoryData, candidates: CandidateVerdict[]): string {
  if (candidates.length === 0) return "no model has a scored result in this category";
  const prefix =
    data.category === SENSITIVE_ROUTE_NAME
      ? "no self-hosted model qualifies for sensitive data"
      : data.sensitive
        ? "no self-hosted model qualifies for this sensitive category"
        : "no model qualifies";
  const shown = candidates
    .filter((c) => !(data.sensitive && failsConstraint(c, "cloud-hosted")))
    .map((c) => `${c.model}: ${c.exclusions.join("; ")}`);
  if (shown.length === 0) return `${prefix}: no self-hosted model was evaluated`;
  return `${prefix} (${shown.join(" | ")})`;
}

/**
 * The route for sensitive data of any task: the cheapest self-hosted model that qualifies on the sensitive
 * categories together (on all categories when no item is marked sensitive).
 */
function decideSensitiveRoute(
  categories: CategoryData[],
  profiles: ReadonlyMap<string, ModelProfile>,
  criteria: RoutingCriteria,
  notes: string[],
  shares: Map<string, number>,
): CategoryDecision | null {
  if (categories.length === 0) return null;
  let pool = categories.filter((c) => c.sensitive);
  if (pool.length === 0) {
    notes.push("No item is marked sensitive: the sensitive-data route is the self-hosted model that qualifies on all categories.");
    pool = categories;
  }
  const merged = mergeCategories(SENSITIVE_ROUTE_NAME, pool);
  // The sensitive route serves the sensitive categories' traffic: a fleet is costed for their shares together.
  const poolShare = pool.reduce((sum, c) => sum + (shares.get(c.category) ?? 0), 0);
  return decideCategory(merged, profiles, criteria, 0, false, poolShare);
}

/**
 * All of `categories` as one. Only what a decision reads is merged (scores, latencies, costs, tokens, counts); the
 * per-item answers for the baselines stay with the categories themselves.
 */
function mergeCategories(name: string, categories: CategoryData[]): CategoryData {
  const byModel = new Map<string, ModelCategoryData>();
  for (const category of categories) {
    for (const [model, data] of category.byModel) {
      let into = byModel.get(model);
      if (!into) byModel.set(model, (into = emptyData(model)));
      for (const [item, score] of data.scores) into.scores.set(item, score);
      for (const latency of data.latencies) into.latencies.push(latency);
      for (const cost of data.measuredCosts) into.measuredCosts.push(cost);
      into.inputTokens += data.inputTokens;
      into.outputTokens += data.outputTokens;
      into.tokenRows += data.tokenRows;
      into.errors += data.errors;
      into.skipped += data.skipped;
    }
  }
  return {
    category: name,
    itemIds: categories.flatMap((c) => c.itemIds).sort(compareText),
    sensitive: true,
    byModel: new Map([...byModel.entries()].sort(([a], [b]) => compareText(a, b))),
  };
}

/** Each category's share of daily traffic: from --mix (normalised), else its share of the dataset's items. */
export function trafficShares(categories: CategoryData[], mix: Record<string, number> | undefined): Map<string, number> {
  const weights = categories.map((c) => [c.category, mix ? (mix[c.category] ?? 0) : c.itemIds.length] as const);
  const total = weights.reduce((sum, [, w]) => sum + w, 0);
  return new Map(weights.map(([category, w]) => [category, total > 0 ? w / total : 0]));
}

function totalMonthly(decisions: CategoryDecision[], criteria: RoutingCriteria): number | null {
  if (criteria.tokensPerDay === undefined) return null;
  let total = 0;
  for (const d of decisions) {
    if (!d.chosen || d.trafficShare === 0) continue;
    if (d.monthlyUsd === null) return null;
    total += d.monthlyUsd;
  }
  return total;
}

/**
 * Items answered by a fleet-costed model have no cost of their own: each gets the fleet's $ per token on its
 * category × the item's tokens, so the baselines can compare the table's cost with the best model and the oracle.
 */
function priceFleetItems(categories: CategoryData[], decisions: CategoryDecision[]): void {
  const byCategory = new Map(decisions.map((d) => [d.category, d]));
  for (const category of categories) {
    const decision = byCategory.get(category.category);
    for (const candidate of decision?.candidates ?? []) {
      if (!isFleetBasis(candidate.costBasis) || candidate.usdPerToken === null) continue;
      const data = category.byModel.get(candidate.model)!;
      for (const [item, tokens] of data.itemTokens) {
        if (data.itemCost.get(item) === null) data.itemCost.set(item, tokens * candidate.usdPerToken);
      }
    }
  }
}

function costNotes(decisions: CategoryDecision[], criteria: RoutingCriteria): string[] {
  const notes: string[] = [];
  const bases = new Set(decisions.flatMap((d) => d.candidates.map((c) => c.costBasis)));
  if ([...bases].some(isFleetBasis)) {
    const volume = fleetVolume(criteria.tokensPerDay, 1);
    notes.push(
      `Self-hosted models with a selfHosted: deployment are costed as a GPU fleet (as modelpick cost does) sized for their category's share of ${volume.tokensPerDay.toLocaleString("en-US")} tokens/day` +
        `${volume.defaulted ? " — a default volume, since --tokens-per-day was not given" : ""}; $ per 1k requests = the fleet's $ per token × the model's mean tokens per request: ${fleetCostRanges(decisions)}.`,
    );
  }
  if (bases.has("price × tokens")) notes.push("Some costs are estimated as price × mean tokens per request (the results carry no measured cost for those models).");
  if (bases.has("price per token only")) {
    notes.push("Some results carry no token counts or costs: those models are ranked by price per token (75 % input / 25 % output), and have no cost per request.");
  }
  if (bases.has("unknown")) notes.push("Some models have no cost, tokens or price: they rank after every model whose cost is known.");
  return notes;
}

/** Each fleet-costed model's $ per 1k requests over the categories, e.g. "llama-8b $4.27–$9.10 per 1k requests". */
function fleetCostRanges(decisions: CategoryDecision[]): string {
  const ranges = new Map<string, { low: number; high: number } | null>();
  for (const candidate of decisions.flatMap((d) => d.candidates)) {
    if (!isFleetBasis(candidate.costBasis)) continue;
    const cost = candidate.costPer1kUsd;
    const range = ranges.get(candidate.model);
    if (cost === null) ranges.set(candidate.model, range ?? null);
    else ranges.set(candidate.model, range ? { low: Math.min(range.low, cost), high: Math.max(range.high, cost) } : { low: cost, high: cost });
  }
  return [...ranges.entries()]
    .sort(([a], [b]) => compareText(a, b))
    .map(([model, r]) => `${model} ${r === null ? "no tokens measured" : r.low === r.high ? usd(r.low) : `${usd(r.low)}–${usd(r.high)}`} per 1k requests`)
    .join(", ");
}

function signed(value: number): string {
  return `${value >= 0 ? "+" : "−"}${Math.abs(value).toFixed(3)}`;
}

export function usd(value: number): string {
  return value >= 100 ? `$${value.toFixed(0)}` : value >= 1 ? `$${value.toFixed(2)}` : `$${value.toFixed(4)}`;
}
