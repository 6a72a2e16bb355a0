import { formatSigned, formatUsd, formatUsdSmall } from "../cost/units.js";
import { fleetVolume, isFleetBasis } from "./costs.js";
import { DEFAULT_WITHIN, LARGE_SENSITIVE_GAP } from "./defaults.js";
import { compareText } from "./evidence.js";
import type { Exclusion, LossReason, NoRouteReason } from "./reasons.js";
import type { Bill, CandidateVerdict, CategoryDecision, RoutingCriteria, SensitiveDecision } from "./types.js";

/**
 * The English of routing decisions, rendered from the data that made them. Nothing here decides anything: decisions
 * read the reasons' `kind`s (reasons.ts), so a reworded message can never change a route.
 */

export function describeExclusion(exclusion: Exclusion): string {
  switch (exclusion.kind) {
    case "cloud-hosted-sensitive":
      return "cloud-hosted, and sensitive data never leaves self-hosted infrastructure";
    case "too-few-items":
      return `only ${count(exclusion.pairedN)} paired item(s), fewer than --min-items ${exclusion.minItems}`;
    case "below-bar":
      return `lower end below the bar: ${formatSigned(exclusion.diff)} [${formatSigned(exclusion.low)}, ${formatSigned(exclusion.high)}] over ${count(exclusion.pairedN)}${exclusion.bar === "within" ? " paired" : ""} items`;
    case "below-sensitive-min-quality":
      return `quality at the lower end of its 95 % interval ${exclusion.low.toFixed(3)}, below --sensitive-min-quality ${exclusion.minQuality}`;
    case "latency-unknown":
      return "no latency measured, so --max-p95-ms cannot be verified";
    case "latency":
      return `p95 latency ${Math.round(exclusion.p95Ms)} ms is above --max-p95-ms ${exclusion.maxP95Ms}`;
    case "licence-not-allowed":
      return `licence "${exclusion.licence}" is not in --allow-license`;
    case "licence-unknown":
      return "licence unknown (set license: for this model in modelpick.yaml)";
    case "licence-mau":
      return `licence "${exclusion.licence}": the Llama community licence needs a separate licence from Meta above 700M monthly active users (--org-mau ${exclusion.orgMau})`;
  }
}

export function describeExclusions(exclusions: readonly Exclusion[]): string {
  return exclusions.map(describeExclusion).join("; ");
}

export function describeLoss(reason: LossReason): string {
  switch (reason.kind) {
    case "excluded":
      return describeExclusions(reason.exclusions);
    case "costs-more":
      return `costs more: ${formatUsdSmall(reason.loserPer1kUsd)} vs ${formatUsdSmall(reason.winnerPer1kUsd)} per 1k requests`;
    case "cost-unknown":
      return "cost unknown (no costs, tokens or price)";
    case "higher-price-per-token":
      return `higher price per token: ${formatUsdSmall(reason.loserPerMTokUsd)} vs ${formatUsdSmall(reason.winnerPerMTokUsd)} per million tokens`;
    case "slower":
      return `same cost, slower: p95 ${reason.loserP95Ms === null ? "unknown" : `${Math.round(reason.loserP95Ms)} ms`} vs ${Math.round(reason.winnerP95Ms ?? 0)} ms`;
    case "tie":
      return "same cost and speed; lower quality or later in name order";
    case "lower-quality-human-review":
      return `lower quality (${reason.loserMean.toFixed(3)} vs ${reason.winnerMean.toFixed(3)}); human-review categories keep the best model`;
    case "never-sent-sensitive":
      return "cloud-hosted, never sent sensitive items";
  }
}

/** Why a category has no route; `sensitive` when the route is for sensitive data (self-hosted models only). */
export function describeNoRoute(reason: NoRouteReason, sensitive: boolean): string {
  switch (reason.kind) {
    case "no-results":
      return "no model has a scored result in this category";
    case "no-self-hosted":
      return "no self-hosted model was evaluated on this category, and sensitive data never goes to a cloud model";
    case "none-qualifies": {
      const prefix = sensitive ? "no self-hosted model qualifies for sensitive data" : "no model qualifies";
      const shown = reason.candidates
        .filter((c) => !c.exclusions.some((e) => e.kind === "cloud-hosted-sensitive"))
        .map((c) => `${c.model}: ${describeExclusions(c.exclusions)}`);
      return shown.length === 0 ? `${prefix}: no self-hosted model was evaluated` : `${prefix} (${shown.join(" | ")})`;
    }
  }
}

/** The routing rule in one plain sentence: for the table footer, the emitted file and the README. */
export function routeRule(criteria: RoutingCriteria): string {
  const confidence = percent(criteria.confidence);
  const quality =
    criteria.minQuality !== undefined
      ? `its quality is at least ${criteria.minQuality} with ${confidence} confidence (the lower end of its own ${confidence} interval is ≥ ${criteria.minQuality})`
      : `it is, with ${confidence} confidence, at most ${criteria.within ?? DEFAULT_WITHIN} below the category's best model (the lower end of the paired ${confidence} bootstrap interval of model − best is ≥ −${criteria.within ?? DEFAULT_WITHIN})`;
  const items = criteria.minQuality !== undefined ? "items" : "paired items";
  return `A model can take a category's route when ${quality}, on at least ${criteria.minItems} ${items}; the cheapest such model gets it, ties go to the faster.`;
}

/** The sensitive-data rule in one plain sentence. */
export function sensitiveRule(criteria: RoutingCriteria): string {
  const confidence = percent(criteria.confidence);
  const within = sensitiveWithin(criteria);
  const floor = criteria.sensitiveMinQuality;
  if (floor === undefined) {
    return `Sensitive data of a category goes to the cheapest self-hosted model that is, with ${confidence} confidence, at most ${within} below the category's best self-hosted model; never to a cloud model.`;
  }
  return (
    `Sensitive data of a category goes to the cheapest self-hosted model whose quality is at least ${floor} with ${confidence} confidence and that is, ` +
    `with ${confidence} confidence, at most ${within} below the category's best such model; where no self-hosted model reaches ${floor}, the category has ` +
    "no sensitive route and routeRequest throws; never to a cloud model."
  );
}

/** The margin of the sensitive routes: --within, or its default when the ordinary routes use --min-quality. */
export function sensitiveWithin(criteria: RoutingCriteria): number {
  return criteria.within ?? DEFAULT_WITHIN;
}

/** A count with thousands separators, as all routing output prints numbers. */
export function count(n: number): string {
  return n.toLocaleString("en-US");
}

function percent(share: number): string {
  return `${Math.round(share * 100)} %`;
}

/** The notes under the table: how costs were obtained, and what the sensitive routes mean for the bill and quality. */
export function recommendationNotes(
  decisions: readonly CategoryDecision[],
  sensitive: readonly SensitiveDecision[],
  bill: Bill | null,
  criteria: RoutingCriteria,
): string[] {
  return [...sensitiveNotes(decisions, sensitive, bill), ...costNotes([...decisions, ...sensitive], criteria)];
}

function sensitiveNotes(decisions: readonly CategoryDecision[], sensitive: readonly SensitiveDecision[], bill: Bill | null): string[] {
  const notes: string[] = [];
  if (decisions.every((d) => d.sensitiveItems === 0 && !d.declaredSensitive)) {
    const standby = (bill?.fleets ?? []).filter((f) => f.standby);
    notes.push(
      "No item is marked sensitive, so the sensitive routes carry no traffic in this projection" +
        (standby.length > 0
          ? `; ${standby.map((f) => `${f.model} (${formatUsd(f.monthlyUsd)}/month)`).join(", ")} still run${standby.length === 1 ? "s" : ""} at minimum size so that sensitive data has somewhere to go, and ${standby.length === 1 ? "is" : "are"} in the total.`
          : "."),
    );
  }
  const large = sensitive.filter((d) => d.vsRoute?.large);
  if (large.length > 0) {
    const gaps = large.map((d) => `${d.category} ${d.chosen!.model} ${formatSigned(d.vsRoute!.diff)} vs ${d.vsRoute!.model}`);
    notes.push(`Sensitive data gets markedly worse answers (more than ${LARGE_SENSITIVE_GAP} below the category's route) in: ${gaps.join(", ")}.`);
  }
  const none = sensitive.filter((d) => !d.chosen).map((d) => d.category);
  if (none.length > 0)
    notes.push(`No sensitive route for ${none.join(", ")}: routeRequest(category, true) throws there rather than send sensitive data to a cloud model.`);
  return notes;
}

function costNotes(decisions: readonly CategoryDecision[], criteria: RoutingCriteria): string[] {
  const notes: string[] = [];
  const candidates = decisions.flatMap((d) => d.candidates);
  const bases = new Set(candidates.map((c) => c.costBasis));
  if ([...bases].some(isFleetBasis)) {
    const volume = fleetVolume(criteria.tokensPerDay, 1);
    notes.push(
      `Self-hosted models with a selfHosted: deployment are ranked as a GPU fleet (as modelpick cost sizes one) for their route's share of ${volume.tokensPerDay.toLocaleString("en-US")} tokens/day` +
        `${volume.defaulted ? " — a default volume, since --tokens-per-day was not given" : ""}; $ per 1k requests = the fleet's $ per token × the model's mean tokens per request: ${fleetCostRanges(candidates)}.` +
        (volume.defaulted ? "" : " The bill sizes each fleet once, for all the traffic routed to it."),
    );
  }
  if (bases.has("price × tokens"))
    notes.push("Some costs are estimated as price × mean tokens per request (the results carry no measured cost for those models).");
  if (candidates.some((c) => c.costEstimated && c.costBasis !== "price × tokens" && !isFleetBasis(c.costBasis))) {
    notes.push("Some results' costs were computed from estimated token counts: they are marked ~, not measured.");
  }
  if (bases.has("price per token only")) {
    notes.push(
      "Some results carry no token counts or costs: those models are ranked by price per token (75 % input / 25 % output), and have no cost per request.",
    );
  }
  if (bases.has("unknown")) notes.push("Some models have no cost, tokens or price: they rank after every model whose cost is known.");
  return notes;
}

/** Each fleet-costed model's $ per 1k requests over the routes, e.g. "llama-8b $4.27–$9.10 per 1k requests". */
function fleetCostRanges(candidates: readonly CandidateVerdict[]): string {
  const ranges = new Map<string, { low: number; high: number } | null>();
  for (const candidate of candidates) {
    if (!isFleetBasis(candidate.costBasis)) continue;
    const cost = candidate.costPer1kUsd;
    const range = ranges.get(candidate.model);
    if (cost === null) ranges.set(candidate.model, range ?? null);
    else ranges.set(candidate.model, range ? { low: Math.min(range.low, cost), high: Math.max(range.high, cost) } : { low: cost, high: cost });
  }
  return [...ranges.entries()]
    .sort(([a], [b]) => compareText(a, b))
    .map(
      ([model, r]) =>
        `${model} ${r === null ? "no tokens measured" : r.low === r.high ? formatUsdSmall(r.low) : `${formatUsdSmall(r.low)}–${formatUsdSmall(r.high)}`} per 1k requests`,
    )
    .join(", ");
}
