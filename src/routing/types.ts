import type { SelfHostedOption } from "../cost/project.js";
import type { Hosting } from "../providers/types.js";

/** What an app needs to call a model: the fields of one route in the emitted routing table. */
export interface ModelRoute {
  /** The modelpick model id (the `model` column of results.jsonl). */
  id: string;
  /** The provider's own model name, what the app passes to its SDK. */
  model: string;
  provider: string;
  hosting: Hosting;
  maxTokens: number;
  temperature: number;
  baseURL?: string;
  humanReview: boolean;
}

/** Everything recommend knows about a model besides its scores. */
export interface ModelProfile extends Omit<ModelRoute, "humanReview"> {
  license?: string;
  /** USD per million tokens, with provenance; null when no price is known. */
  price: { inputPerMTok: number; outputPerMTok: number; source: string; date?: string } | null;
  /**
   * A self-hosted model's deployment (its `selfHosted:` block, resolved as `modelpick cost` does): when set, the
   * model is costed as a GPU fleet at the routed volume, whatever its `price`.
   */
  fleet?: SelfHostedOption;
}

/** The rule a route has to meet; stored in the routing file so `check` re-applies the same rule. */
export interface RoutingCriteria {
  /** Absolute bar on the mean score; exclusive with `within`. */
  minQuality?: number;
  /** Bar relative to the best model of the category (best mean − within). */
  within?: number;
  /** Fewest paired items on which a model may qualify. */
  minItems: number;
  tokensPerDay?: number;
  /** Share of the daily volume per category; by default the categories' shares of the dataset. */
  mix?: Record<string, number>;
  budgetUsd?: number;
  maxP95Ms?: number;
  allowLicenses?: string[];
  orgMau?: number;
  humanReview: string[];
  /** Categories declared sensitive on top of those whose items are marked sensitive. */
  sensitiveCategories: string[];
  confidence: number;
  resamples: number;
}

/** How a cost was obtained; a self-hosted fleet's basis names its GPUs, volume, utilisation and sources. */
export type CostBasis = "measured" | "price × tokens" | "price per token only" | "unknown" | `self-hosted fleet: ${string}`;

/** One model measured on one category. */
export interface CandidateStats {
  model: string;
  n: number;
  mean: number;
  ciLow: number;
  ciHigh: number;
  /** Paired test against the bar: the difference (model − bar) with its interval, over `pairedN` items. */
  vsBar: { reference: string; pairedN: number; diff: number; low: number; high: number };
  p95LatencyMs: number | null;
  costPer1kUsd: number | null;
  /** USD per token at this category's token mix, for monthly figures and for ranking on prices alone. */
  usdPerToken: number | null;
  costBasis: CostBasis;
  errors: number;
}

export interface CandidateVerdict extends CandidateStats {
  qualifies: boolean;
  /** Why the model cannot take the route (empty when it can). */
  exclusions: string[];
}

export interface CategoryDecision {
  category: string;
  sensitive: boolean;
  humanReview: boolean;
  items: number;
  /** The bar in words and numbers, e.g. "within 0.02 of gpt-4o (0.912)". */
  bar: { kind: "min-quality" | "within"; value: number; reference: string | null; level: number | null };
  chosen: CandidateVerdict | null;
  runnerUp: { model: string; reason: string } | null;
  /** Why no model was chosen, when none was. */
  noRouteReason: string | null;
  /** Share of daily traffic and the monthly cost of the chosen model at `tokensPerDay`. */
  trafficShare: number;
  monthlyUsd: number | null;
  candidates: CandidateVerdict[];
}

export interface StrategyFigures {
  quality: number | null;
  costPer1kUsd: number | null;
  /** Items the cost covers; cost is null when any item's cost is unknown. */
  n: number;
}

export interface Baselines {
  /** Items on which the table, the best single model and the oracle are compared. */
  n: number;
  table: StrategyFigures;
  bestSingle: StrategyFigures & { model: string | null };
  oracle: StrategyFigures;
}

export interface Recommendation {
  decisions: CategoryDecision[];
  sensitiveRoute: CategoryDecision | null;
  baselines: Baselines;
  models: ModelProfile[];
  criteria: RoutingCriteria;
  monthlyTotalUsd: number | null;
  withinBudget: boolean | null;
  notes: string[];
  source: RunSource;
}

/** Where the results came from, as recorded in the routing file; no timestamps of our own. */
export interface RunSource {
  runId: string;
  runDate: string | null;
  resultsSha256: string;
}
