import { holmAdjust } from "../stats/multiple-comparisons.js";
import type { Hosting } from "../config/types.js";
import { computeBill, type TrafficStream } from "./bill.js";
import { compareCost } from "./costs.js";
import { routeKey, routeOutcomes, type DocumentRoute, type RouteOutcomes, type RoutingDocument } from "./document.js";
import type { CategoryData } from "./evidence.js";
import type { TextDiff } from "./parse.js";
import type { Exclusion } from "./reasons.js";
import { compareScores, compareWithLevel, type QualityComparison } from "./regression.js";
import { recommend, type RecommendInput } from "./select.js";
import type { CandidateVerdict, CategoryDecision, ModelProfile, Recommendation, RunSource } from "./types.js";

/**
 * `modelpick check`: does the committed routing table still serve the product on fresh results? Each route is tested
 * against its own committed evidence (did its model get worse?) and against today's alternatives (is it still within
 * the rule of the best model measured now? does a cheaper model now qualify?); all those tests of a table form one
 * family, Holm-adjusted, so that a table of many routes does not fail — or warn — on noise. Reasons are data;
 * check-report.ts renders them.
 */

export interface CheckOptions {
  /** Slack in quality points: a fall (or a gap to the bar) up to this much is not a failure. */
  tolerance: number;
  /** Family-wise error rate of the table's statistical comparisons (Holm). */
  alpha: number;
  /** A cheaper model that now qualifies fails the route instead of warning. */
  failOnCheaper: boolean;
  /** Cross-fit the fresh recommendation too (only `--update` writes it into a file). */
  crossValidate?: boolean;
}

/** The fresh results warn about the response cache when at least this share of their rows came from it. */
export const CACHED_SHARE_WARNING = 0.5;

/** "warns": holds, with something to act on (a cheaper model now qualifies). */
export type RouteVerdict = "holds" | "warns" | "fails" | "no-route";

/** Why a route fails, warns or is noted. Numbers are as measured; the English is rendered from these. */
export type CheckReason =
  /** The route's model is significantly worse than its committed outcomes, by more than the tolerance. */
  | { kind: "quality-fell"; comparison: QualityComparison }
  /** Significantly more than the rule's margin plus the tolerance below the best model measured now. */
  | { kind: "below-best"; reference: string; within: number; comparison: QualityComparison }
  /** Significantly more than the tolerance below the table's absolute bar (--min-quality). */
  | { kind: "below-min-quality"; minQuality: number; comparison: QualityComparison }
  /** A sensitive route's model, significantly more than the tolerance below the table's --sensitive-min-quality. */
  | { kind: "below-sensitive-min-quality"; minQuality: number; comparison: QualityComparison }
  /**
   * A model that costs less now qualifies for the route (recommend would choose it, and it is significantly not
   * worse than the route's model by more than the rule's margin, or reaches the absolute bar): a saving the table is
   * missing.
   */
  | {
      kind: "cheaper-qualifies";
      model: string;
      comparison: QualityComparison;
      routeCostPer1kUsd: number | null;
      costPer1kUsd: number | null;
      /** At the table's --tokens-per-day, each fleet sized once; null without a volume or a price. */
      monthlySavingUsd: number | null;
      tokensPerDay: number | null;
    }
  /** The category is not in the fresh results. */
  | { kind: "no-fresh-results" }
  /** The route's model has no scored result in the category (deprecated, renamed, or every request failed). */
  | { kind: "model-missing" }
  /** Sensitive data would leave self-hosted infrastructure: the file says so (`inFile`) or the results do. */
  | { kind: "not-self-hosted"; hosting: Hosting | null; inFile: boolean }
  /** A constraint of the table's rule now excludes the model (latency, licence, too few items). */
  | { kind: "excluded"; exclusion: Exclusion }
  /** A category without a route now has a qualifying model. */
  | { kind: "now-qualifies"; model: string }
  /** recommend would choose another model (a cheaper one not shown to qualify beyond noise, or a dearer one). */
  | { kind: "recommend-would-choose"; model: string; cheaper: boolean };

export type CheckReasonKind = CheckReason["kind"];

/** Warnings about the check as a whole. */
export type CheckWarning =
  | { kind: "unrouted-category"; category: string }
  /** The fresh results came largely from the response cache, which answers as the model did then. */
  | { kind: "cached-results"; cachedRows: number; rows: number; oldestCachedAt: string | null; freshRunDate: string | null };

export interface RouteFigures {
  mean: number;
  ciLow: number;
  ciHigh: number;
  n: number;
  costPer1kUsd: number | null;
}

export interface RouteCheck {
  category: string;
  /** The category's sensitive-data route (self-hosted only), rather than its route. */
  sensitive: boolean;
  /** The committed route's model id, or null for a committed null route. */
  model: string | null;
  verdict: RouteVerdict;
  failures: CheckReason[];
  warnings: CheckReason[];
  notes: CheckReason[];
  committed: RouteFigures | null;
  fresh: (RouteFigures & { p95LatencyMs: number | null; costBasis: string }) | null;
  bar: CategoryDecision["bar"] | null;
  /** The route's model now against its committed outcomes. */
  regression: QualityComparison | null;
  /** The route's model now against the bar now: the best model (within) or the absolute level (min-quality). */
  alternative: QualityComparison | null;
  /** A sensitive route's model now against the table's --sensitive-min-quality, when it has one. */
  floor: QualityComparison | null;
  /** The cheaper model recommend would now choose, tested against the route's model (or the bar), with its saving. */
  cheaper: Extract<CheckReason, { kind: "cheaper-qualifies" }> | null;
}

export interface CheckReport {
  /** Every route holds, the table is within budget, and the file is what modelpick generates from its data. */
  ok: boolean;
  /** Every route in the file's data holds and the table is within budget. */
  routesOk: boolean;
  /** Where a .ts file differs from the module its data regenerates (hand edits); null when it does not. */
  handEdit: TextDiff | null;
  tolerance: number;
  alpha: number;
  failOnCheaper: boolean;
  /**
   * The comparisons that can fail the check, one Holm family: each route's regression, its alternative (when its
   * model is not itself the best now) and, with failOnCheaper, the cheaper model recommend would now choose for it.
   */
  comparisons: number;
  family: { regressions: number; alternatives: number; floors: number; cheaper: number };
  /** Without failOnCheaper, the cheaper models' comparisons only warn: a Holm family of their own, of this size. */
  cheaperComparisons: number;
  committedRun: { runId: string; runDate: string | null };
  freshRun: RunSource;
  routes: RouteCheck[];
  /** The committed table's monthly cost on the fresh figures, against the budget. */
  budget: { budgetUsd: number; monthlyUsd: number | null; ok: boolean } | null;
  warnings: CheckWarning[];
  /** The recommendation the fresh results give, for `--update`. */
  fresh: Recommendation;
}

/** What check needs of the fresh results: recommend's input, without its criteria (the file's are used). */
export type CheckInput = Omit<RecommendInput, "criteria" | "crossValidate"> & { described?: Set<string> };

/**
 * Re-applies a committed table to fresh results. A route fails when its model is gone or excluded by a constraint,
 * when sensitive data would leave self-hosted infrastructure, or when a comparison is significant after Holm's
 * adjustment at `alpha`: its model fell below its committed outcomes, or below the bar now, by more than `tolerance`.
 * A cheaper model that now qualifies warns (fails with `failOnCheaper`); the table must stay within its budget.
 */
export function checkRouting(document: RoutingDocument, input: CheckInput, options: CheckOptions, handEdit: TextDiff | null = null): CheckReport {
  const criteria = document.generatedFrom.criteria;
  const fresh = recommend({
    ...input,
    models: withCommittedDetails(input.models, document, input.described),
    criteria: {
      ...criteria,
      sensitiveCategories: [...new Set([...criteria.sensitiveCategories, ...document.sensitiveCategories])],
    },
    crossValidate: options.crossValidate ?? false,
  });
  const context: RouteContext = {
    document,
    options,
    outcomes: routeOutcomes(document, "the routing file"),
    profiles: new Map(fresh.models.map((m) => [m.id, m])),
    data: new Map(fresh.categories.map((c) => [c.category, c])),
    decisions: new Map(fresh.decisions.map((d) => [d.category, d])),
    sensitiveDecisions: new Map(fresh.sensitiveDecisions.map((d) => [d.category, d])),
  };
  const declared = new Set(document.sensitiveCategories);
  const routes: RouteCheck[] = [];
  for (const [category, route] of Object.entries(document.routes)) {
    routes.push(checkRoute(context, category, route, declared.has(category) ? "declared" : "route"));
  }
  for (const [category, route] of Object.entries(document.sensitiveRoutes)) {
    if (declared.has(category)) continue; // the category's route is its sensitive route, checked above
    routes.push(checkRoute(context, category, route, "sensitive"));
  }
  const { family, cheaperComparisons } = judgeFamilies(routes, options);
  const budget = checkBudget(context);
  const routesOk = routes.every((r) => r.verdict !== "fails") && (budget?.ok ?? true);
  return {
    ok: routesOk && handEdit === null,
    routesOk,
    handEdit,
    tolerance: options.tolerance,
    alpha: options.alpha,
    failOnCheaper: options.failOnCheaper,
    comparisons: family.regressions + family.alternatives + family.floors + family.cheaper,
    family,
    cheaperComparisons,
    committedRun: { runId: document.generatedFrom.runId, runDate: document.generatedFrom.runDate },
    freshRun: fresh.source,
    routes,
    budget,
    warnings: [...unroutedCategories(fresh, document), ...cacheWarning(input)],
    fresh,
  };
}

interface RouteContext {
  document: RoutingDocument;
  options: CheckOptions;
  outcomes: RouteOutcomes;
  profiles: Map<string, ModelProfile>;
  data: Map<string, CategoryData>;
  decisions: Map<string, CategoryDecision>;
  sensitiveDecisions: Map<string, CategoryDecision>;
}

/** "route": a category's route; "sensitive": its sensitive-data route; "declared": the route of a declared-sensitive category. */
type RouteRole = "route" | "sensitive" | "declared";

/**
 * Fresh results without summary.json or config say nothing about a model's hosting; the committed route's own
 * details stand in for those models (and only those), so a results.jsonl alone can still be checked.
 */
function withCommittedDetails(models: readonly ModelProfile[], document: RoutingDocument, described?: Set<string>): ModelProfile[] {
  const committed = new Map<string, DocumentRoute>();
  for (const route of [...Object.values(document.routes), ...Object.values(document.sensitiveRoutes)]) if (route) committed.set(route.id, route);
  const known = described ?? new Set(models.map((m) => m.id));
  const byId = new Map(models.map((m) => [m.id, m]));
  for (const [id, route] of committed) {
    if (known.has(id)) continue;
    const { evidence: _evidence, humanReview: _humanReview, ...details } = route;
    byId.set(id, { ...details, price: byId.get(id)?.price ?? null });
  }
  return [...byId.values()];
}

/** Everything about one route except the Holm decision, which needs every comparison of the table. */
function checkRoute(context: RouteContext, category: string, route: DocumentRoute | null, role: RouteRole): RouteCheck {
  const decision = (role === "sensitive" ? context.sensitiveDecisions : context.decisions).get(category);
  const check: RouteCheck = {
    category,
    sensitive: role === "sensitive",
    model: route?.id ?? null,
    verdict: "holds",
    failures: [],
    warnings: [],
    notes: [],
    committed: route && figures(route.evidence),
    fresh: null,
    bar: decision?.bar ?? null,
    regression: null,
    alternative: null,
    floor: null,
    cheaper: null,
  };
  if (!route) {
    check.verdict = "no-route";
    if (decision?.chosen) check.notes.push({ kind: "now-qualifies", model: decision.chosen.model });
    return check;
  }
  // Sensitive data first: a route that would send it to a cloud model fails whatever else the results say.
  const profile = context.profiles.get(route.id);
  if (role !== "route" && route.hosting !== "self-hosted") {
    check.failures.push({ kind: "not-self-hosted", hosting: route.hosting, inFile: true });
  } else if (role !== "route" && profile?.hosting !== "self-hosted") {
    check.failures.push({ kind: "not-self-hosted", hosting: profile?.hosting ?? null, inFile: false });
  }
  if (!decision) {
    check.failures.push({ kind: "no-fresh-results" });
    return settle(check);
  }
  const candidate = decision.candidates.find((c) => c.model === route.id);
  if (!candidate) {
    check.failures.push({ kind: "model-missing" });
    return settle(check);
  }
  check.fresh = { ...figures(candidate), p95LatencyMs: candidate.p95LatencyMs, costBasis: candidate.costBasis };
  // Quality is judged by the comparisons, hosting above; the other exclusions (items, latency, licence) fail.
  for (const exclusion of candidate.exclusions) {
    if (exclusion.kind === "below-bar" || exclusion.kind === "cloud-hosted-sensitive" || exclusion.kind === "below-sensitive-min-quality") continue;
    check.failures.push({ kind: "excluded", exclusion });
  }
  const scores = context.data.get(category)!.byModel.get(route.id)!.scores;
  check.regression = regressionOf(context, category, role, route, scores);
  check.alternative = alternativeOf(context, decision, route, scores);
  check.floor = role === "sensitive" ? floorOf(context, category, route, scores) : null;
  const chosen = decision.chosen;
  if (chosen && chosen.model !== route.id) {
    if (compareCost(chosen, candidate) < 0) check.cheaper = cheaperQualifies(context, category, role, decision, candidate, chosen);
    if (!check.cheaper) check.notes.push({ kind: "recommend-would-choose", model: chosen.model, cheaper: false });
  }
  return check;
}

function figures(source: RouteFigures): RouteFigures {
  return { mean: source.mean, ciLow: source.ciLow, ciHigh: source.ciHigh, n: source.n, costPer1kUsd: source.costPer1kUsd };
}

/** The model now against the outcomes it was chosen on: paired on the shared items when the item ids match. */
function regressionOf(
  context: RouteContext,
  category: string,
  role: RouteRole,
  route: DocumentRoute,
  scores: ReadonlyMap<string, number>,
): QualityComparison | null {
  const committed = context.outcomes.get(routeKey(category, role === "sensitive"));
  if (!committed) return null;
  const { minItems, confidence, resamples } = context.document.generatedFrom.criteria;
  return compareScores(committed, scores, {
    margin: context.options.tolerance,
    minItems,
    seedText: `${category}/${route.id}/regression`,
    confidence,
    resamples,
  });
}

/**
 * The model now against the bar now, with the tolerance on top of the rule's margin: the best eligible model measured
 * now (nothing to compare when the route's model is that model), or the table's absolute level.
 */
function alternativeOf(context: RouteContext, decision: CategoryDecision, route: DocumentRoute, scores: ReadonlyMap<string, number>): QualityComparison | null {
  const { bar } = decision;
  const { minItems, confidence, resamples } = context.document.generatedFrom.criteria;
  const seedText = `${decision.category}/${route.id}/alternative/${bar.reference ?? bar.value}`;
  if (bar.kind === "min-quality") return compareWithLevel(scores, bar.value, { margin: context.options.tolerance, seedText });
  if (bar.reference === null || bar.reference === route.id) return null;
  const best = context.data.get(decision.category)!.byModel.get(bar.reference)!.scores;
  return compareScores(best, scores, { margin: bar.value + context.options.tolerance, minItems, seedText, confidence, resamples });
}

/** The sensitive route's model now against the table's --sensitive-min-quality (recommend held it to the same floor). */
function floorOf(context: RouteContext, category: string, route: DocumentRoute, scores: ReadonlyMap<string, number>): QualityComparison | null {
  const floor = context.document.generatedFrom.criteria.sensitiveMinQuality;
  if (floor === undefined) return null;
  return compareWithLevel(scores, floor, { margin: context.options.tolerance, seedText: `${category}/${route.id}/floor/${floor}` });
}

/**
 * The cheaper model recommend would now choose: its test (non-inferior to the route's model by the rule's margin, or
 * above the absolute bar), and its saving — the committed table's bill on the fresh figures, with and without this
 * route swapped. Null when there is nothing to test.
 */
function cheaperQualifies(
  context: RouteContext,
  category: string,
  role: RouteRole,
  decision: CategoryDecision,
  routed: CandidateVerdict,
  chosen: CandidateVerdict,
): RouteCheck["cheaper"] {
  const data = context.data.get(category)!;
  const scores = data.byModel.get(chosen.model)!.scores;
  const { minItems, confidence, resamples } = context.document.generatedFrom.criteria;
  const seedText = `${category}/${chosen.model}/cheaper/${routed.model}`;
  const comparison =
    decision.bar.kind === "min-quality"
      ? compareWithLevel(scores, decision.bar.value, { margin: 0, seedText, direction: "not-below" })
      : compareScores(data.byModel.get(routed.model)!.scores, scores, {
          margin: decision.bar.value,
          direction: "not-below",
          minItems,
          seedText,
          confidence,
          resamples,
        });
  if (!comparison) return null;
  const tokensPerDay = context.document.generatedFrom.criteria.tokensPerDay ?? null;
  let monthlySavingUsd: number | null = null;
  if (tokensPerDay !== null) {
    const streams = committedStreams(context);
    const swapped = streams?.map((stream) =>
      stream.category === category && stream.sensitive === (role !== "route") && stream.candidate === routed
        ? { ...stream, candidate: chosen, profile: context.profiles.get(chosen.model)! }
        : stream,
    );
    const before = streams && computeBill(streams, tokensPerDay).bill.totalUsd;
    const after = swapped && computeBill(swapped, tokensPerDay).bill.totalUsd;
    if (typeof before === "number" && typeof after === "number") monthlySavingUsd = before - after;
  }
  return {
    kind: "cheaper-qualifies",
    model: chosen.model,
    comparison,
    routeCostPer1kUsd: routed.costPer1kUsd,
    costPer1kUsd: chosen.costPer1kUsd,
    monthlySavingUsd,
    tokensPerDay,
  };
}

type Role = "regression" | "alternative" | "floor" | "cheaper";

interface Member {
  route: RouteCheck;
  comparison: QualityComparison;
  role: Role;
  /**
   * What is compared, on what: a category's route and its sensitive route served by one model test one hypothesis on
   * the same data, so the family counts it once.
   */
  key: string;
}

function member(route: RouteCheck, comparison: QualityComparison, role: Role, against: string | number | null): Member {
  return { route, comparison, role, key: JSON.stringify([role, route.category, route.model, against, comparison.margin]) };
}

/**
 * The comparisons that can fail the check form one family, Holm-adjusted at `alpha`, so that noise fails the check
 * with probability at most alpha however many routes the table has: a significant regression or alternative fails
 * its route, and so does a significant cheaper model with failOnCheaper. Without it, cheaper models only warn and are
 * adjusted among themselves (their tests do not dilute the others). A cheaper model that is not significant is a note.
 * Then each route's verdict: fails, warns (holds with a warning) or holds.
 */
function judgeFamilies(routes: RouteCheck[], options: CheckOptions): Pick<CheckReport, "family" | "cheaperComparisons"> {
  const failing: Member[] = [];
  const warning: Member[] = [];
  for (const route of routes) {
    if (route.regression) failing.push(member(route, route.regression, "regression", null));
    if (route.alternative)
      failing.push(member(route, route.alternative, "alternative", route.bar?.kind === "within" ? route.bar.reference : (route.bar?.value ?? null)));
    if (route.floor) failing.push(member(route, route.floor, "floor", route.floor.before));
    if (route.cheaper) (options.failOnCheaper ? failing : warning).push(member(route, route.cheaper.comparison, "cheaper", route.cheaper.model));
  }
  judge(failing, options);
  judge(warning, options);
  for (const route of routes) if (route.verdict !== "no-route") settle(route);
  const count = (role: Role) => new Set(failing.filter((f) => f.role === role).map((f) => f.key)).size;
  return {
    family: { regressions: count("regression"), alternatives: count("alternative"), floors: count("floor"), cheaper: count("cheaper") },
    cheaperComparisons: new Set(warning.map((f) => f.key)).size,
  };
}

/** Holm over the family's distinct comparisons; each member gets its comparison's adjusted p-value, and its verdict. */
function judge(family: Member[], options: CheckOptions): void {
  const distinct = new Map<string, number>();
  for (const { key, comparison } of family) if (!distinct.has(key)) distinct.set(key, comparison.pValue);
  const values = holmAdjust([...distinct.values()]);
  const adjusted = new Map([...distinct.keys()].map((key, i) => [key, values[i]!]));
  family.forEach(({ route, comparison, role, key }) => {
    comparison.adjustedP = adjusted.get(key)!;
    const significant = comparison.adjustedP <= options.alpha;
    if (role === "cheaper") {
      if (!significant) route.notes.push({ kind: "recommend-would-choose", model: route.cheaper!.model, cheaper: true });
      else (options.failOnCheaper ? route.failures : route.warnings).push(route.cheaper!);
    } else if (!significant) {
      return;
    } else if (role === "regression") {
      route.failures.push({ kind: "quality-fell", comparison });
    } else if (role === "floor") {
      route.failures.push({ kind: "below-sensitive-min-quality", minQuality: comparison.before, comparison });
    } else if (route.bar?.kind === "min-quality") {
      route.failures.push({ kind: "below-min-quality", minQuality: route.bar.value, comparison });
    } else {
      route.failures.push({ kind: "below-best", reference: route.bar!.reference!, within: route.bar!.value, comparison });
    }
  });
}

function settle(route: RouteCheck): RouteCheck {
  route.failures.sort((a, b) => FAILURE_ORDER.indexOf(a.kind) - FAILURE_ORDER.indexOf(b.kind));
  route.verdict = route.failures.length > 0 ? "fails" : route.warnings.length > 0 ? "warns" : "holds";
  return route;
}

/** The order failures are listed in: what most often explains the others first. */
const FAILURE_ORDER: CheckReasonKind[] = [
  "not-self-hosted",
  "no-fresh-results",
  "model-missing",
  "quality-fell",
  "below-best",
  "below-min-quality",
  "below-sensitive-min-quality",
  "excluded",
  "cheaper-qualifies",
];

/** The committed routes' traffic on the fresh figures; null when a route with traffic has no fresh figures. */
function committedStreams(context: RouteContext): TrafficStream[] | null {
  const { document, decisions, sensitiveDecisions, profiles } = context;
  const declared = new Set(document.sensitiveCategories);
  const streams: TrafficStream[] = [];
  let known = true;
  const add = (category: string, route: DocumentRoute | null, decision: CategoryDecision | undefined, sensitive: boolean) => {
    if (!route || !decision) return;
    const candidate = decision.candidates.find((c) => c.model === route.id);
    const profile = profiles.get(route.id);
    if (!candidate || !profile) {
      if (decision.trafficShare > 0) known = false;
      return;
    }
    streams.push({ category, sensitive, share: decision.trafficShare, candidate, profile });
  };
  for (const [category, route] of Object.entries(document.routes)) add(category, route, decisions.get(category), declared.has(category));
  for (const [category, route] of Object.entries(document.sensitiveRoutes)) {
    if (!declared.has(category)) add(category, route, sensitiveDecisions.get(category), true);
  }
  return known ? streams : null;
}

/** The committed routes' monthly bill on the fresh figures (each fleet sized once), against the budget. */
function checkBudget(context: RouteContext): CheckReport["budget"] {
  const criteria = context.document.generatedFrom.criteria;
  if (criteria.budgetUsd === undefined || criteria.tokensPerDay === undefined) return null;
  const streams = committedStreams(context);
  const total = streams ? computeBill(streams, criteria.tokensPerDay).bill.totalUsd : null;
  return { budgetUsd: criteria.budgetUsd, monthlyUsd: total, ok: total !== null && total <= criteria.budgetUsd + 1e-9 };
}

function unroutedCategories(fresh: Recommendation, document: RoutingDocument): CheckWarning[] {
  return fresh.decisions.filter((d) => !(d.category in document.routes)).map((d) => ({ kind: "unrouted-category", category: d.category }));
}

/** A response cache answers as the model did when it was cached: most rows from it can hide a model change. */
function cacheWarning(input: CheckInput): CheckWarning[] {
  let cachedRows = 0;
  let oldest: string | null = null;
  for (const row of input.rows) {
    if (!row.cached) continue;
    cachedRows++;
    if (row.cachedAt && (oldest === null || Date.parse(row.cachedAt) < Date.parse(oldest))) oldest = row.cachedAt;
  }
  if (cachedRows === 0 || cachedRows < CACHED_SHARE_WARNING * input.rows.length) return [];
  return [{ kind: "cached-results", cachedRows, rows: input.rows.length, oldestCachedAt: oldest, freshRunDate: input.source.runDate }];
}

export function describeBar(bar: CategoryDecision["bar"]): string {
  if (bar.kind === "min-quality") return `bar ${bar.value}`;
  if (bar.level === null) return "no reference model";
  return `bar ${bar.level.toFixed(3)} (best ${bar.reference} − ${bar.value})`;
}
