import type { ResultRow } from "../results/row.js";
import { computeBaselines, costItemsWithoutCost } from "./baselines.js";
import { computeBill, type TrafficStream } from "./bill.js";
import { fleetVolume } from "./costs.js";
import { crossValidate } from "./crossfit.js";
import { choose, decideCategory, judgeCategory, type DecisionRule } from "./decide.js";
import { compareText, gatherEvidence, type CategoryData } from "./evidence.js";
import { LARGE_SENSITIVE_GAP } from "./defaults.js";
import { recommendationNotes, sensitiveWithin } from "./explain.js";
import { mean } from "../stats/intervals.js";
import { differenceOf, pairedDiffs } from "../stats/paired.js";
import type { Bill, CategoryDecision, ModelProfile, Recommendation, RouteGap, RoutingCriteria, RunSource, SensitiveDecision } from "./types.js";

export interface RecommendInput {
  rows: readonly ResultRow[];
  models: readonly ModelProfile[];
  criteria: RoutingCriteria;
  source: RunSource;
  /** Items marked sensitive in the dataset, on top of those the results show as skipped for cloud models. */
  sensitiveItems?: Iterable<string>;
  notes?: string[];
  /** Cross-fit the table's quality (the costly part of the evaluation); check skips it unless it rewrites the file. */
  crossValidate?: boolean;
}

/**
 * For each category, the route for its ordinary traffic — the cheapest model that is non-inferior to the best
 * eligible model (or reaches an absolute bar) with 95 % confidence and meets every constraint — and the route for
 * its sensitive data — the same rule among self-hosted models only. Then the bill of those routes and an honest,
 * cross-fitted figure of the table's quality.
 */
export function recommend(input: RecommendInput): Recommendation {
  const { criteria } = input;
  const profiles = profileMap(input.rows, input.models);
  const evidence = gatherEvidence(input.rows, profiles, {
    sensitiveItems: input.sensitiveItems,
    sensitiveCategories: criteria.sensitiveCategories,
  });
  const categories = evidence.categories;
  const shares = trafficShares(categories, criteria.mix);
  const sensitiveDecisions = categories.map((data) => decideSensitive(data, profiles, criteria, shares.get(data.category) ?? 0));
  const decisions = categories.map((data, i) =>
    data.declaredSensitive ? asRoute(sensitiveDecisions[i]!) : decideRoute(data, profiles, criteria, shares.get(data.category) ?? 0),
  );
  sensitiveDecisions.forEach((sensitive, i) => (sensitive.vsRoute = routeGap(categories[i]!, sensitive, decisions[i]!, criteria)));
  costItemsWithoutCost(categories, decisions);
  const bill = criteria.tokensPerDay === undefined ? null : billRoutes(categories, decisions, sensitiveDecisions, profiles, criteria.tokensPerDay);
  const withinBudget = criteria.budgetUsd === undefined || !bill || bill.totalUsd === null ? null : bill.totalUsd <= criteria.budgetUsd + 1e-9;
  const evaluation = {
    inSample: computeBaselines(categories, decisions),
    crossValidated:
      input.crossValidate === false
        ? null
        : crossValidate(categories, (training, fold) => chooseOnTraining(training, fold, profiles, criteria, shares), criteria),
  };
  return {
    decisions,
    categories,
    sensitiveDecisions,
    evaluation,
    bill,
    models: [...profiles.values()],
    criteria,
    withinBudget,
    notes: [...(input.notes ?? []), ...recommendationNotes(decisions, sensitiveDecisions, bill, criteria)],
    source: input.source,
  };
}

/** Every model in the results gets a profile; one the caller knows nothing about is assumed cloud-hosted. */
function profileMap(rows: readonly ResultRow[], models: readonly ModelProfile[]): Map<string, ModelProfile> {
  const map = new Map<string, ModelProfile>();
  for (const profile of models) map.set(profile.id, profile);
  for (const row of rows) {
    if (!map.has(row.model)) {
      map.set(row.model, { id: row.model, model: row.model, provider: "unknown", hosting: "cloud", maxTokens: 512, temperature: 0, price: null });
    }
  }
  return new Map([...map.entries()].sort(([a], [b]) => compareText(a, b)));
}

/** The share of a category's traffic that is sensitive: all of it when declared, else its share of sensitive items. */
function sensitiveShareOf(data: CategoryData): number {
  if (data.declaredSensitive) return 1;
  return data.itemIds.length === 0 ? 0 : data.sensitiveItems / data.itemIds.length;
}

/** The ordinary route's rule: the criteria's bar among every model. */
function routeRule(data: CategoryData, criteria: RoutingCriteria, categoryShare: number): DecisionRule {
  const trafficShare = categoryShare * (1 - sensitiveShareOf(data));
  return {
    kind: "route",
    bar: criteria.minQuality !== undefined ? { kind: "min-quality", value: criteria.minQuality } : { kind: "within", value: criteria.within ?? 0 },
    selfHostedOnly: false,
    humanReview: criteria.humanReview.includes(data.category),
    criteria,
    volume: fleetVolume(criteria.tokensPerDay, trafficShare),
  };
}

/**
 * The sensitive route's rule: non-inferior to the best self-hosted model, self-hosted models only, with the
 * optional floor. A fleet is ranked as if it carried the category's sensitive share (its whole share when no item
 * is marked sensitive, since sensitive traffic may still come).
 */
function sensitiveRouteRule(data: CategoryData, criteria: RoutingCriteria, categoryShare: number): DecisionRule {
  const sensitiveShare = categoryShare * sensitiveShareOf(data);
  return {
    kind: "sensitive",
    bar: { kind: "within", value: sensitiveWithin(criteria) },
    selfHostedOnly: true,
    ...(criteria.sensitiveMinQuality !== undefined ? { floor: criteria.sensitiveMinQuality } : {}),
    humanReview: criteria.humanReview.includes(data.category),
    criteria,
    volume: fleetVolume(criteria.tokensPerDay, sensitiveShare > 0 ? sensitiveShare : categoryShare),
  };
}

function decideRoute(data: CategoryData, profiles: ReadonlyMap<string, ModelProfile>, criteria: RoutingCriteria, categoryShare: number): CategoryDecision {
  return decideCategory(data, profiles, routeRule(data, criteria, categoryShare), {
    categoryShare,
    trafficShare: categoryShare * (1 - sensitiveShareOf(data)),
  });
}

function decideSensitive(data: CategoryData, profiles: ReadonlyMap<string, ModelProfile>, criteria: RoutingCriteria, categoryShare: number): SensitiveDecision {
  const decision = decideCategory(data, profiles, sensitiveRouteRule(data, criteria, categoryShare), {
    categoryShare,
    trafficShare: categoryShare * sensitiveShareOf(data),
  });
  return { ...decision, kind: "sensitive", vsRoute: null };
}

/** A declared-sensitive category's route: its sensitive route, which carries all its traffic. */
function asRoute(sensitive: SensitiveDecision): CategoryDecision {
  const { vsRoute: _vsRoute, ...decision } = sensitive;
  return { ...decision, kind: "route" };
}

/** A fold's route for a category, chosen on its training items with the same rule as the table. */
function chooseOnTraining(
  training: CategoryData,
  fold: number,
  profiles: ReadonlyMap<string, ModelProfile>,
  criteria: RoutingCriteria,
  shares: Map<string, number>,
): string | null {
  const share = shares.get(training.category) ?? 0;
  const rule = training.declaredSensitive ? sensitiveRouteRule(training, criteria, share) : routeRule(training, criteria, share);
  return choose(judgeCategory(training, profiles, { ...rule, seedSuffix: `/fold-${fold}` }).candidates, rule.humanReview)?.model ?? null;
}

/**
 * The sensitive route against the category's route: paired on the items both models answered, with its interval;
 * unpaired (no interval) when they share none. Null when there is nothing to compare or the two are one route.
 */
function routeGap(data: CategoryData, sensitive: SensitiveDecision, route: CategoryDecision, criteria: RoutingCriteria): RouteGap | null {
  if (data.declaredSensitive || !sensitive.chosen || !route.chosen) return null;
  const mine = data.byModel.get(sensitive.chosen.model)!.scores;
  const theirs = data.byModel.get(route.chosen.model)!.scores;
  const diffs = pairedDiffs(mine, theirs);
  const paired = differenceOf(diffs, {
    seedText: `${data.category}/${sensitive.chosen.model}/vs/${route.chosen.model}`,
    confidence: criteria.confidence,
    resamples: criteria.resamples,
  });
  const diff = paired?.diff ?? mean(Float64Array.from(mine.values()))! - mean(Float64Array.from(theirs.values()))!;
  return {
    model: route.chosen.model,
    diff,
    low: paired?.low ?? null,
    high: paired?.high ?? null,
    pairedN: paired?.n ?? 0,
    large: diff < -LARGE_SENSITIVE_GAP,
  };
}

/** The bill of the final routes; each route's `monthlyUsd` is its part of it. */
function billRoutes(
  categories: CategoryData[],
  decisions: CategoryDecision[],
  sensitiveDecisions: SensitiveDecision[],
  profiles: ReadonlyMap<string, ModelProfile>,
  tokensPerDay: number,
): Bill {
  const routed: Array<{ decision: CategoryDecision; stream: TrafficStream }> = [];
  const add = (decision: CategoryDecision, data: CategoryData, sensitive: boolean) => {
    const chosen = decision.chosen;
    if (!chosen) return;
    const stream = { category: data.category, sensitive, share: decision.trafficShare, candidate: chosen, profile: profiles.get(chosen.model)! };
    routed.push({ decision, stream });
  };
  categories.forEach((data, i) => {
    // A declared-sensitive category's route is its sensitive route: one stream, billed once.
    add(decisions[i]!, data, data.declaredSensitive);
    if (!data.declaredSensitive) add(sensitiveDecisions[i]!, data, true);
  });
  const { bill, perStream } = computeBill(
    routed.map((r) => r.stream),
    tokensPerDay,
  );
  routed.forEach(({ decision }, i) => (decision.monthlyUsd = perStream[i]!));
  categories.forEach((data, i) => {
    if (data.declaredSensitive) sensitiveDecisions[i]!.monthlyUsd = decisions[i]!.monthlyUsd;
  });
  return bill;
}

/** Each category's share of daily traffic: from --mix (normalised), else its share of the dataset's items. */
export function trafficShares(categories: CategoryData[], mix: Record<string, number> | undefined): Map<string, number> {
  const weights = categories.map((c) => [c.category, mix ? (mix[c.category] ?? 0) : c.itemIds.length] as const);
  const total = weights.reduce((sum, [, w]) => sum + w, 0);
  return new Map(weights.map(([category, w]) => [category, total > 0 ? w / total : 0]));
}
