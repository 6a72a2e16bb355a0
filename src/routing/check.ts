import { computeBill, type TrafficStream } from "./bill.js";
import type { DocumentRoute, RoutingDocument } from "./document.js";
import { count, describeExclusion, signed } from "./explain.js";
import type { TextDiff } from "./parse.js";
import { recommend, type RecommendInput } from "./select.js";
import type { CandidateVerdict, CategoryDecision, ModelProfile, Recommendation } from "./types.js";

export type RouteStatus = "holds" | "fails" | "no-route";

export interface RouteCheck {
  category: string;
  /** The category's sensitive-data route (self-hosted only), rather than its route. */
  sensitive: boolean;
  /** The committed route's model id, or null for a committed null route. */
  model: string | null;
  status: RouteStatus;
  /** Why the route fails (empty when it holds). */
  problems: string[];
  /** Not failures: what changed or could be better. */
  notes: string[];
  committed: DocumentRoute["evidence"] | null;
  fresh: Pick<CandidateVerdict, "mean" | "ciLow" | "ciHigh" | "n" | "vsBar" | "costPer1kUsd" | "costBasis" | "p95LatencyMs"> | null;
  bar: CategoryDecision["bar"] | null;
}

export interface CheckReport {
  /** Every route holds, the table is within budget, and the file is what modelpick generates from its data. */
  ok: boolean;
  /** Every route in the file's data holds and the table is within budget. */
  routesOk: boolean;
  /** Where a .ts file differs from the module its data regenerates (hand edits); null when it does not. */
  handEdit: TextDiff | null;
  tolerance: number;
  routes: RouteCheck[];
  /** The committed table's monthly cost on the fresh figures, against the budget. */
  budget: { budgetUsd: number; monthlyUsd: number | null; ok: boolean } | null;
  warnings: string[];
  /** The recommendation the fresh results give, for `--update`. */
  fresh: Recommendation;
}

/**
 * Re-applies a committed table's own criteria to fresh results. A route holds while its model is still measured on
 * the category, is not significantly below the bar (minus `tolerance`), still meets its constraints, and — for
 * sensitive routes and declared-sensitive categories — is still self-hosted; the whole table must stay within its
 * budget.
 */
export function checkRouting(
  document: RoutingDocument,
  input: Omit<RecommendInput, "criteria"> & { described?: Set<string> },
  tolerance: number,
  handEdit: TextDiff | null = null,
): CheckReport {
  const criteria = document.generatedFrom.criteria;
  const fresh = recommend({
    ...input,
    models: withCommittedDetails(input.models, document, input.described),
    criteria: {
      ...criteria,
      sensitiveCategories: [...new Set([...criteria.sensitiveCategories, ...document.sensitiveCategories])],
    },
  });
  const profiles = new Map(fresh.models.map((m) => [m.id, m]));
  const decisions = new Map(fresh.decisions.map((d) => [d.category, d]));
  const sensitiveDecisions = new Map(fresh.sensitiveDecisions.map((d) => [d.category, d]));
  const declared = new Set(document.sensitiveCategories);
  const routes: RouteCheck[] = [];
  for (const [category, route] of Object.entries(document.routes)) {
    routes.push(checkRoute(category, route, decisions.get(category), profiles, tolerance, declared.has(category) ? "declared" : "route"));
  }
  for (const [category, route] of Object.entries(document.sensitiveRoutes)) {
    if (declared.has(category)) continue; // the category's route is its sensitive route, checked above
    routes.push(checkRoute(category, route, sensitiveDecisions.get(category), profiles, tolerance, "sensitive"));
  }
  const warnings = fresh.decisions
    .filter((d) => !(d.category in document.routes))
    .map((d) => `category "${d.category}" is in the results but has no route in the file; run check --update to add it`);
  const budget = checkBudget(document, decisions, sensitiveDecisions, profiles);
  const routesOk = routes.every((r) => r.status !== "fails") && (budget?.ok ?? true);
  return { ok: routesOk && handEdit === null, routesOk, handEdit, tolerance, routes, budget, warnings, fresh };
}

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

/** "route": a category's route; "sensitive": its sensitive-data route; "declared": the route of a declared-sensitive category. */
type RouteRole = "route" | "sensitive" | "declared";

function checkRoute(
  category: string,
  route: DocumentRoute | null,
  decision: CategoryDecision | undefined,
  profiles: Map<string, ModelProfile>,
  tolerance: number,
  role: RouteRole,
): RouteCheck {
  const base: RouteCheck = {
    category,
    sensitive: role === "sensitive",
    model: route?.id ?? null,
    status: "holds",
    problems: [],
    notes: [],
    committed: route?.evidence ?? null,
    fresh: null,
    bar: decision?.bar ?? null,
  };
  if (!route) {
    base.status = "no-route";
    if (decision?.chosen) base.notes.push(`${decision.chosen.model} now qualifies; run check --update to route this category`);
    return base;
  }
  // Sensitive data first: a route that would send it to a cloud model fails whatever else the results say.
  const profile = profiles.get(route.id);
  if (role !== "route" && route.hosting !== "self-hosted") {
    base.problems.push(`sensitive data must stay self-hosted, but the route sends it to ${route.id} as ${route.hosting}`);
  } else if (role !== "route" && profile?.hosting !== "self-hosted") {
    base.problems.push(`sensitive data must stay self-hosted, but ${route.id} is ${profile?.hosting ?? "of unknown hosting"}`);
  }
  if (!decision) {
    base.status = "fails";
    base.problems.push("no fresh results for this category");
    return base;
  }
  const candidate = decision.candidates.find((c) => c.model === route.id);
  if (!candidate) {
    base.status = "fails";
    base.problems.push(`${route.id} has no scored result in this category (deprecated, renamed, or every request failed?)`);
    return base;
  }
  base.fresh = candidate;
  // Quality is judged below, with the tolerance; hosting above. The other exclusions (items, latency, licence) fail.
  for (const exclusion of candidate.exclusions) {
    if (exclusion.kind === "below-bar" || exclusion.kind === "cloud-hosted-sensitive" || exclusion.kind === "below-sensitive-min-quality") continue;
    base.problems.push(describeExclusion(exclusion));
  }
  if (candidate.vsBar.high < -tolerance - 1e-12) {
    base.problems.push(
      `quality significantly below the bar${tolerance > 0 ? ` even with tolerance ${tolerance}` : ""}: ${describeBar(decision.bar)}; ${route.id} is ${signed(candidate.vsBar.diff)} [${signed(candidate.vsBar.low)}, ${signed(candidate.vsBar.high)}] from it over ${count(candidate.vsBar.pairedN)} paired items`,
    );
  }
  if (decision.chosen && decision.chosen.model !== route.id) {
    base.notes.push(`recommend would now choose ${decision.chosen.model}`);
  }
  base.status = base.problems.length > 0 ? "fails" : "holds";
  return base;
}

/** The committed routes' monthly bill on the fresh figures (each fleet sized once), against the budget. */
function checkBudget(
  document: RoutingDocument,
  decisions: Map<string, CategoryDecision>,
  sensitiveDecisions: Map<string, CategoryDecision>,
  profiles: Map<string, ModelProfile>,
): CheckReport["budget"] {
  const criteria = document.generatedFrom.criteria;
  if (criteria.budgetUsd === undefined || criteria.tokensPerDay === undefined) return null;
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
  const total = known ? computeBill(streams, criteria.tokensPerDay).bill.totalUsd : null;
  return { budgetUsd: criteria.budgetUsd, monthlyUsd: total, ok: total !== null && total <= criteria.budgetUsd + 1e-9 };
}

export function describeBar(bar: CategoryDecision["bar"]): string {
  if (bar.kind === "min-quality") return `bar ${bar.value}`;
  if (bar.level === null) return "no reference model";
  return `bar ${bar.level.toFixed(3)} (best ${bar.reference} − ${bar.value})`;
}

