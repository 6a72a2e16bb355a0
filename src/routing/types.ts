import type { SelfHostedOption } from "../cost/project.js";
import type { Hosting } from "../config/types.js";
import type { CategoryData } from "./evidence.js";
import type { Exclusion, LossReason, NoRouteReason } from "./reasons.js";

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
  /** Absolute bar: the lower end of the model's own interval must reach it; exclusive with `within`. */
  minQuality?: number;
  /** Non-inferiority margin: the lower end of the paired interval of (model − best) must be ≥ −within. */
  within?: number;
  /** Fewest paired items on which a model may qualify. */
  minItems: number;
  /** A floor for the sensitive routes: no sensitive route for a category where no self-hosted model reaches it. */
  sensitiveMinQuality?: number;
  tokensPerDay?: number;
  /** Share of the daily volume per category; by default the categories' shares of the dataset. */
  mix?: Record<string, number>;
  budgetUsd?: number;
  maxP95Ms?: number;
  allowLicenses?: string[];
  orgMau?: number;
  humanReview: string[];
  /** Categories all of whose traffic is sensitive (--sensitive), on top of the items marked sensitive. */
  sensitiveCategories: string[];
  confidence: number;
  resamples: number;
  /** Cross-fitting: routes chosen on k − 1 folds, scored on the held-out fold. Exclusive with `holdout`. */
  folds?: number;
  /** One split instead of k folds: this share of each category's items is held out. */
  holdout?: number;
}

/** How a cost was obtained; a self-hosted fleet's basis names its GPUs, volume, utilisation and sources. */
export type CostBasis =
  | "measured"
  | "results' costUsd, from estimated tokens"
  | "price × tokens"
  | "price per token only"
  | "unknown"
  | `self-hosted fleet: ${string}`;

/** A model against the bar over the items both were scored on: model − bar, with its interval. */
export interface BarDifference {
  reference: string;
  pairedN: number;
  diff: number;
  low: number;
  high: number;
}

/** One model measured on one category. */
export interface CandidateStats {
  model: string;
  n: number;
  mean: number;
  ciLow: number;
  ciHigh: number;
  /** Paired test against the bar: the difference (model − bar) with its interval, over `pairedN` items. */
  vsBar: BarDifference;
  p95LatencyMs: number | null;
  costPer1kUsd: number | null;
  /** USD per token at this category's token mix, for monthly figures and for ranking on prices alone. */
  usdPerToken: number | null;
  costBasis: CostBasis;
  /** The cost rests on estimated token counts (even a results' costUsd computed from them): shown with "~". */
  costEstimated: boolean;
  /** Share of input tokens in the model's measured tokens on the category (the default share when unmeasured). */
  inputShare: number;
  errors: number;
}

export interface CandidateVerdict extends CandidateStats {
  qualifies: boolean;
  /** Why the model cannot take the route (empty when it can). */
  exclusions: Exclusion[];
}

export interface CategoryDecision {
  category: string;
  /** "route": the category's ordinary traffic; "sensitive": its sensitive data, self-hosted models only. */
  kind: "route" | "sensitive";
  /** All traffic of the category is sensitive (--sensitive): its route is its sensitive route. */
  declaredSensitive: boolean;
  humanReview: boolean;
  items: number;
  /** Items of the category marked sensitive (in the dataset, or skipped as sensitive by a cloud model). */
  sensitiveItems: number;
  /** The bar in numbers: an absolute level, or `within` of the reference (the best eligible model). */
  bar: { kind: "min-quality" | "within"; value: number; reference: string | null; level: number | null };
  chosen: CandidateVerdict | null;
  runnerUp: { model: string; reason: LossReason } | null;
  /** Why no model was chosen, when none was. */
  noRoute: NoRouteReason | null;
  /** The category's share of the daily traffic. */
  categoryShare: number;
  /** The share of the daily traffic this route carries: the category's, less (or only) its sensitive part. */
  trafficShare: number;
  /** This route's part of the monthly bill at `tokensPerDay` (a shared fleet split by the tokens each route sends). */
  monthlyUsd: number | null;
  candidates: CandidateVerdict[];
}

/** A sensitive route against its category's route, paired on their common items where there are any. */
export interface RouteGap {
  model: string;
  diff: number;
  low: number | null;
  high: number | null;
  pairedN: number;
  /** More than LARGE_SENSITIVE_GAP below the category's route. */
  large: boolean;
}

export interface SensitiveDecision extends CategoryDecision {
  kind: "sensitive";
  vsRoute: RouteGap | null;
}

export interface StrategyFigures {
  quality: number | null;
  costPer1kUsd: number | null;
  /** Some of the cost rests on estimates (estimated tokens, price × tokens, a fleet): shown with "~". */
  costEstimated: boolean;
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

/** The table and the best single model scored on items their choice never saw. */
export interface CrossValidated {
  method: "k-fold" | "holdout";
  folds: number;
  /** The held-out share, for `method: "holdout"`. */
  holdout: number | null;
  /** Held-out items the fold's table routes and its best single model answered. */
  n: number;
  quality: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  bestSingleQuality: number | null;
  /** Table − best single model on the same held-out items, with its paired interval. */
  vsBestSingle: { diff: number; low: number; high: number } | null;
}

export interface Evaluation {
  /** In-sample: measured on the items the routes were chosen on (optimistic). */
  inSample: Baselines;
  /** Null when there are too few items to cross-fit, or when the caller skipped it (check, which does not report it). */
  crossValidated: CrossValidated | null;
}

/** One API model's (or a self-hosted model priced per token) part of the monthly bill. */
export interface BillApi {
  model: string;
  hosting: Hosting;
  monthlyUsd: number;
  tokensPerDay: number;
  categories: string[];
  sensitiveCategories: string[];
  costEstimated: boolean;
}

/** One self-hosted fleet, sized once for all the traffic routed to it. */
export interface BillFleet {
  model: string;
  gpu: string;
  gpus: number;
  replicas: number;
  monthlyUsd: number;
  /** Average load ÷ capacity over the month. */
  utilisation: number;
  tokensPerDay: number;
  categories: string[];
  sensitiveCategories: string[];
  /** No traffic routed to it in this projection: it runs at its minimum size so that its routes can be served. */
  standby: boolean;
  costBasis: string;
}

export interface Bill {
  tokensPerDay: number;
  /** Null when some route's cost is unknown (see `unpriced`). */
  totalUsd: number | null;
  apis: BillApi[];
  fleets: BillFleet[];
  unpriced: Array<{ model: string; categories: string[]; sensitiveCategories: string[] }>;
}

export interface Recommendation {
  decisions: CategoryDecision[];
  /** Every category's items and each model's per-item scores: the routing file's outcomes, and what check compares. */
  categories: CategoryData[];
  /** One per category, in the same order: where its sensitive data goes. */
  sensitiveDecisions: SensitiveDecision[];
  evaluation: Evaluation;
  /** The monthly bill at --tokens-per-day; null without it. */
  bill: Bill | null;
  models: ModelProfile[];
  criteria: RoutingCriteria;
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
