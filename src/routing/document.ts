import { z } from "zod";
import { InputError } from "../errors.js";
import { unknownName } from "../suggest.js";
import { formatIssues } from "../config/issues.js";
import type { CategoryData } from "./evidence.js";
import { describeNoRoute, routeRule, sensitiveRule } from "./explain.js";
import {
  decodeItems,
  decodeOutcomes,
  encodeItems,
  encodeOutcomes,
  GRADED_STEPS,
  OutcomeDecodeError,
  type EncodedItems,
  type EncodedOutcomes,
} from "./outcomes.js";
import type { Exclusion, NoRouteReason } from "./reasons.js";
import type { Bill, CategoryDecision, Evaluation, ModelProfile, ModelRoute, Recommendation, RoutingCriteria, SensitiveDecision } from "./types.js";

/**
 * Bumped when the shape of a routing file changes incompatibly. 2: per-category sensitive routes, bill, evaluation.
 * 3: each route's per-item outcomes (and each routed category's item ids), for check's regression test.
 */
export const ROUTING_FORMAT_VERSION = 3;

export interface RouteEvidence {
  mean: number;
  ciLow: number;
  ciHigh: number;
  n: number;
  costPer1kUsd: number | null;
  costBasis: string;
  /** The cost rests on estimated token counts (shown with "~"). */
  costEstimated: boolean;
  p95LatencyMs: number | null;
  /** The bar the route met: its level and what it is relative to. */
  bar: { kind: "min-quality" | "within"; level: number | null; reference: string | null };
  /** Model − bar over the paired items, with the 95 % interval. */
  vsBar: { diff: number; low: number; high: number; pairedN: number };
  /** Share of the daily traffic this route carries. */
  trafficShare: number;
  /** This route's part of the monthly bill (a shared fleet split by tokens). */
  monthlyUsd: number | null;
  /** The model's score on each of the category's items (`items[category]`), as it was when the route was chosen. */
  outcomes: EncodedOutcomes;
}

export interface SensitiveRouteEvidence extends RouteEvidence {
  /** Against the category's route: paired where the two share items (interval null when they share none). */
  vsRoute: { model: string; diff: number; low: number | null; high: number | null; pairedN: number; large: boolean } | null;
}

export type DocumentRoute = ModelRoute & { evidence: RouteEvidence };
export type SensitiveDocumentRoute = ModelRoute & { evidence: SensitiveRouteEvidence };

/** Why a category has no route: the reason's kind (for programs), its message, and each candidate's exclusions. */
export interface DocumentNoRoute {
  kind: NoRouteReason["kind"];
  message: string;
  candidates: Array<{ model: string; exclusions: Exclusion[] }>;
}

export interface DocumentEvaluation {
  inSample: { quality: number | null; costPer1kUsd: number | null; n: number };
  crossValidated: {
    method: "k-fold" | "holdout";
    folds: number;
    holdout: number | null;
    quality: number | null;
    ciLow: number | null;
    ciHigh: number | null;
    n: number;
    vsBestSingle: { diff: number; low: number; high: number } | null;
  } | null;
  bestSingleModel: { model: string | null; quality: number | null; costPer1kUsd: number | null; crossValidatedQuality: number | null };
  oracle: { quality: number | null; costPer1kUsd: number | null };
}

/** The routing table as YAML and JSON files hold it (and as the TypeScript module embeds it). */
export interface RoutingDocument {
  modelpickRouting: number;
  /** The rules, each in one plain sentence. */
  rule: { routes: string; sensitiveRoutes: string };
  routes: Record<string, DocumentRoute | null>;
  /** Why a category has no route, beside each null route. */
  noRoute: Record<string, DocumentNoRoute>;
  /** Categories declared sensitive: all their traffic takes the sensitive route. */
  sensitiveCategories: string[];
  /** Per category, where its sensitive data goes: a self-hosted model, or null (routeRequest throws). */
  sensitiveRoutes: Record<string, SensitiveDocumentRoute | null>;
  noSensitiveRoute: Record<string, DocumentNoRoute>;
  /** The monthly bill at `criteria.tokensPerDay`; null without a volume. */
  monthly: Bill | null;
  evaluation: DocumentEvaluation;
  generatedFrom: {
    runId: string;
    runDate: string | null;
    resultsSha256: string;
    prices: Array<{ model: string; source: string; date: string | null }>;
    criteria: RoutingCriteria;
  };
  /** The item ids of every category that has a route or a sensitive route, once: what the routes' outcomes index. */
  items: Record<string, EncodedItems>;
}

export function toDocument(recommendation: Recommendation): RoutingDocument {
  const profiles = new Map(recommendation.models.map((m) => [m.id, m]));
  const data = new Map(recommendation.categories.map((c) => [c.category, c]));
  const routes: RoutingDocument["routes"] = {};
  const noRoute: RoutingDocument["noRoute"] = {};
  const sensitiveRoutes: RoutingDocument["sensitiveRoutes"] = {};
  const noSensitiveRoute: RoutingDocument["noSensitiveRoute"] = {};
  const items: RoutingDocument["items"] = {};
  for (const decision of recommendation.decisions) {
    assertSafeKey(decision.category);
    routes[decision.category] = routeOf(decision, profiles, data.get(decision.category)!);
    if (decision.noRoute) noRoute[decision.category] = noRouteOf(decision.noRoute, decision.kind === "sensitive" || decision.declaredSensitive);
  }
  for (const decision of recommendation.sensitiveDecisions) {
    const route = routeOf(decision, profiles, data.get(decision.category)!);
    sensitiveRoutes[decision.category] = route && { ...route, evidence: { ...route.evidence, vsRoute: gapOf(decision) } };
    if (decision.noRoute) noSensitiveRoute[decision.category] = noRouteOf(decision.noRoute, true);
  }
  for (const category of data.keys()) {
    if (routes[category] || sensitiveRoutes[category]) items[category] = encodeItems(data.get(category)!.itemIds);
  }
  const used = new Set(
    [...recommendation.decisions, ...recommendation.sensitiveDecisions].map((d) => d.chosen?.model).filter((m): m is string => m !== undefined),
  );
  return {
    modelpickRouting: ROUTING_FORMAT_VERSION,
    rule: { routes: routeRule(recommendation.criteria), sensitiveRoutes: sensitiveRule(recommendation.criteria) },
    routes,
    noRoute,
    sensitiveCategories: recommendation.decisions.filter((d) => d.declaredSensitive).map((d) => d.category),
    sensitiveRoutes,
    noSensitiveRoute,
    monthly: recommendation.bill && billOf(recommendation.bill),
    evaluation: evaluationOf(recommendation.evaluation),
    generatedFrom: {
      runId: recommendation.source.runId,
      runDate: recommendation.source.runDate,
      resultsSha256: recommendation.source.resultsSha256,
      prices: recommendation.models.filter((m) => used.has(m.id) && (m.fleet || m.price)).map(priceProvenance),
      criteria: definedOnly(recommendation.criteria),
    },
    items,
  };
}

/** Where a used model's cost came from: its GPU fleet's sources when it is costed as one, else its price. */
function priceProvenance(m: ModelProfile): RoutingDocument["generatedFrom"]["prices"][number] {
  if (m.fleet) {
    const { gpu, throughput } = m.fleet;
    return { model: m.id, source: `self-hosted fleet: GPU ${gpu.source}; throughput ${throughput.source}`, date: gpu.date ?? throughput.date ?? null };
  }
  return { model: m.id, source: m.price!.source, date: m.price!.date ?? null };
}

function routeOf(decision: CategoryDecision, profiles: Map<string, ModelProfile>, data: CategoryData): DocumentRoute | null {
  const chosen = decision.chosen;
  if (!chosen) return null;
  const profile = profiles.get(chosen.model)!;
  return {
    id: profile.id,
    model: profile.model,
    provider: profile.provider,
    hosting: profile.hosting,
    maxTokens: profile.maxTokens,
    temperature: profile.temperature,
    ...(profile.baseURL !== undefined ? { baseURL: profile.baseURL } : {}),
    humanReview: decision.humanReview,
    evidence: {
      mean: round(chosen.mean, 4)!,
      ciLow: round(chosen.ciLow, 4)!,
      ciHigh: round(chosen.ciHigh, 4)!,
      n: chosen.n,
      costPer1kUsd: round(chosen.costPer1kUsd, 6),
      costBasis: chosen.costBasis,
      costEstimated: chosen.costEstimated,
      p95LatencyMs: chosen.p95LatencyMs,
      bar: { kind: decision.bar.kind, level: round(decision.bar.level, 4), reference: decision.bar.reference },
      vsBar: {
        diff: round(chosen.vsBar.diff, 4)!,
        low: round(chosen.vsBar.low, 4)!,
        high: round(chosen.vsBar.high, 4)!,
        pairedN: chosen.vsBar.pairedN,
      },
      trafficShare: round(decision.trafficShare, 6)!,
      monthlyUsd: round(decision.monthlyUsd, 2),
      outcomes: encodeOutcomes(data.itemIds, data.byModel.get(chosen.model)!.scores),
    },
  };
}

function gapOf(decision: SensitiveDecision): SensitiveRouteEvidence["vsRoute"] {
  const gap = decision.vsRoute;
  if (!gap) return null;
  return { model: gap.model, diff: round(gap.diff, 4)!, low: round(gap.low, 4), high: round(gap.high, 4), pairedN: gap.pairedN, large: gap.large };
}

function noRouteOf(reason: NoRouteReason, sensitive: boolean): DocumentNoRoute {
  const candidates = reason.kind === "none-qualifies" ? reason.candidates.map((c) => ({ model: c.model, exclusions: c.exclusions.map(roundedExclusion) })) : [];
  return { kind: reason.kind, message: describeNoRoute(reason, sensitive), candidates };
}

function roundedExclusion(exclusion: Exclusion): Exclusion {
  return Object.fromEntries(Object.entries(exclusion).map(([key, value]) => [key, typeof value === "number" ? round(value, 4) : value])) as Exclusion;
}

function billOf(bill: Bill): Bill {
  return {
    tokensPerDay: bill.tokensPerDay,
    totalUsd: round(bill.totalUsd, 2),
    apis: bill.apis.map((a) => ({ ...a, monthlyUsd: round(a.monthlyUsd, 2)!, tokensPerDay: round(a.tokensPerDay, 0)! })),
    fleets: bill.fleets.map((f) => ({
      ...f,
      monthlyUsd: round(f.monthlyUsd, 2)!,
      utilisation: round(f.utilisation, 4)!,
      tokensPerDay: round(f.tokensPerDay, 0)!,
    })),
    unpriced: bill.unpriced,
  };
}

/** Six decimals: the table prints three, and a figure rounded twice (0.73549 → 0.7355 → 0.736) would disagree with it. */
function evaluationOf(evaluation: Evaluation): DocumentEvaluation {
  const { inSample, crossValidated: cv } = evaluation;
  return {
    inSample: { quality: round(inSample.table.quality, 6), costPer1kUsd: round(inSample.table.costPer1kUsd, 6), n: inSample.n },
    crossValidated: cv && {
      method: cv.method,
      folds: cv.folds,
      holdout: cv.holdout,
      quality: round(cv.quality, 6),
      ciLow: round(cv.ciLow, 6),
      ciHigh: round(cv.ciHigh, 6),
      n: cv.n,
      vsBestSingle: cv.vsBestSingle && { diff: round(cv.vsBestSingle.diff, 6)!, low: round(cv.vsBestSingle.low, 6)!, high: round(cv.vsBestSingle.high, 6)! },
    },
    bestSingleModel: {
      model: inSample.bestSingle.model,
      quality: round(inSample.bestSingle.quality, 6),
      costPer1kUsd: round(inSample.bestSingle.costPer1kUsd, 6),
      crossValidatedQuality: round(cv?.bestSingleQuality, 6),
    },
    oracle: { quality: round(inSample.oracle.quality, 6), costPer1kUsd: round(inSample.oracle.costPer1kUsd, 6) },
  };
}

/** A category named `__proto__` would silently become an object's prototype in the emitted files. */
export function assertSafeKey(category: string): void {
  if (category === "__proto__") {
    throw new InputError(`category "__proto__" cannot be a key of a routing table; rename that category in the dataset`);
  }
}

export function round(value: number | null | undefined, digits: number): number | null {
  if (value === null || value === undefined || !Number.isFinite(value)) return null;
  const f = 10 ** digits;
  const rounded = Math.round(value * f) / f;
  return Object.is(rounded, -0) ? 0 : rounded;
}

function definedOnly<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

const evidenceSchema = z.strictObject({
  mean: z.number(),
  ciLow: z.number(),
  ciHigh: z.number(),
  n: z.number().int().nonnegative(),
  costPer1kUsd: z.number().nullable(),
  costBasis: z.string(),
  costEstimated: z.boolean(),
  p95LatencyMs: z.number().nullable(),
  bar: z.strictObject({ kind: z.enum(["min-quality", "within"]), level: z.number().nullable(), reference: z.string().nullable() }),
  vsBar: z.strictObject({ diff: z.number(), low: z.number(), high: z.number(), pairedN: z.number() }),
  trafficShare: z.number().min(0).max(1),
  monthlyUsd: z.number().nullable(),
  outcomes: z.strictObject({ scale: z.enum(["pass-fail", "graded"]), data: z.string() }),
});

const routeFields = {
  id: z.string().min(1),
  model: z.string(),
  provider: z.string(),
  hosting: z.enum(["cloud", "self-hosted"]),
  maxTokens: z.number(),
  temperature: z.number(),
  baseURL: z.string().optional(),
  humanReview: z.boolean(),
};

const routeSchema = z.strictObject({ ...routeFields, evidence: evidenceSchema });

const sensitiveRouteSchema = z.strictObject({
  ...routeFields,
  hosting: z.literal("self-hosted", { error: "a sensitive route must be self-hosted" }),
  evidence: evidenceSchema.extend({
    vsRoute: z
      .object({ model: z.string(), diff: z.number(), low: z.number().nullable(), high: z.number().nullable(), pairedN: z.number(), large: z.boolean() })
      .nullable(),
  }),
});

const noRouteSchema = z.strictObject({
  kind: z.enum(["no-results", "no-self-hosted", "none-qualifies"]),
  message: z.string(),
  candidates: z.array(z.strictObject({ model: z.string(), exclusions: z.array(z.looseObject({ kind: z.string() })) })),
});

const criteriaSchema = z.strictObject({
  minQuality: z.number().min(0).max(1).optional(),
  within: z.number().min(0).max(1).optional(),
  minItems: z.number().int().positive(),
  sensitiveMinQuality: z.number().min(0).max(1).optional(),
  tokensPerDay: z.number().positive().optional(),
  mix: z.record(z.string(), z.number().nonnegative()).optional(),
  budgetUsd: z.number().positive().optional(),
  maxP95Ms: z.number().positive().optional(),
  allowLicenses: z.array(z.string()).optional(),
  orgMau: z.number().nonnegative().optional(),
  humanReview: z.array(z.string()),
  sensitiveCategories: z.array(z.string()),
  confidence: z.number().gt(0).lt(1),
  resamples: z.number().int().positive(),
  folds: z.number().int().min(2).optional(),
  holdout: z.number().gt(0).lt(1).optional(),
});

const billSchema = z.strictObject({
  tokensPerDay: z.number().positive(),
  totalUsd: z.number().nullable(),
  apis: z.array(
    z.strictObject({
      model: z.string(),
      hosting: z.enum(["cloud", "self-hosted"]),
      monthlyUsd: z.number(),
      tokensPerDay: z.number(),
      categories: z.array(z.string()),
      sensitiveCategories: z.array(z.string()),
      costEstimated: z.boolean(),
    }),
  ),
  fleets: z.array(
    z.strictObject({
      model: z.string(),
      gpu: z.string(),
      gpus: z.number(),
      replicas: z.number(),
      monthlyUsd: z.number(),
      utilisation: z.number(),
      tokensPerDay: z.number(),
      categories: z.array(z.string()),
      sensitiveCategories: z.array(z.string()),
      standby: z.boolean(),
      costBasis: z.string(),
    }),
  ),
  unpriced: z.array(z.strictObject({ model: z.string(), categories: z.array(z.string()), sensitiveCategories: z.array(z.string()) })),
});

const quality = z.number().nullable();
const evaluationSchema = z.strictObject({
  inSample: z.strictObject({ quality, costPer1kUsd: z.number().nullable(), n: z.number() }),
  crossValidated: z
    .object({
      method: z.enum(["k-fold", "holdout"]),
      folds: z.number(),
      holdout: z.number().nullable(),
      quality,
      ciLow: quality,
      ciHigh: quality,
      n: z.number(),
      vsBestSingle: z.strictObject({ diff: z.number(), low: z.number(), high: z.number() }).nullable(),
    })
    .nullable(),
  bestSingleModel: z.strictObject({ model: z.string().nullable(), quality, costPer1kUsd: z.number().nullable(), crossValidatedQuality: quality }),
  oracle: z.strictObject({ quality, costPer1kUsd: z.number().nullable() }),
});

const documentSchema = z.strictObject({
  modelpickRouting: z.literal(ROUTING_FORMAT_VERSION),
  rule: z.strictObject({ routes: z.string(), sensitiveRoutes: z.string() }),
  routes: z.record(z.string(), routeSchema.nullable()),
  noRoute: z.record(z.string(), noRouteSchema),
  sensitiveCategories: z.array(z.string()),
  sensitiveRoutes: z.record(z.string(), sensitiveRouteSchema.nullable()),
  noSensitiveRoute: z.record(z.string(), noRouteSchema),
  monthly: billSchema.nullable(),
  evaluation: evaluationSchema,
  generatedFrom: z.strictObject({
    runId: z.string(),
    runDate: z.string().nullable(),
    resultsSha256: z.string(),
    prices: z.array(z.strictObject({ model: z.string(), source: z.string(), date: z.string().nullable() })),
    criteria: criteriaSchema,
  }),
  items: z.record(z.string(), z.strictObject({ n: z.number().int().nonnegative(), ids: z.string() })),
});

/**
 * Validates a routing table read back from a file; errors name the file and the field. Unknown keys are refused
 * (with the closest known key): a key the table does not know, such as a misspelt `baseUrl`, would otherwise be
 * dropped without a word.
 */
export function validateDocument(value: unknown, file: string): RoutingDocument {
  assertVersion(value, file);
  const parsed = documentSchema.safeParse(value);
  if (!parsed.success) {
    throw new InputError(
      `${formatIssues(file, parsed.error.issues.flatMap(explainUnknownKeys), undefined, value)}\n(${file} is not a routing table written by modelpick recommend)`,
    );
  }
  for (const key of [...Object.keys(parsed.data.routes), ...Object.keys(parsed.data.sensitiveRoutes)]) assertSafeKey(key);
  const document = parsed.data as RoutingDocument;
  routeOutcomes(document, file);
  return document;
}

/** Each route's committed scores, item id → score, decoded (and checked against its evidence); keyed by `routeKey`. */
export type RouteOutcomes = Map<string, Map<string, number>>;

export function routeKey(category: string, sensitive: boolean): string {
  return `${sensitive ? "sensitive" : "route"}/${category}`;
}

/**
 * Decodes the per-item outcomes of every route. A damaged or hand-edited encoding is refused here, naming the field,
 * so that check never tests a route against evidence it misread.
 */
export function routeOutcomes(document: RoutingDocument, file: string): RouteOutcomes {
  const refuse = (field: string, message: string) =>
    new InputError(
      `${file}: ${field}: ${message} (${file} is not a routing table written by modelpick recommend; regenerate it with modelpick recommend --out, or restore it from version control)`,
    );
  const routed = new Set<string>();
  const outcomes: RouteOutcomes = new Map();
  const ids = new Map<string, string[]>();
  const itemsOf = (category: string): string[] => {
    const known = ids.get(category);
    if (known) return known;
    const encoded = document.items[category];
    if (!encoded) throw refuse("items", `no item ids for "${category}", which has a route`);
    try {
      ids.set(category, decodeItems(encoded));
    } catch (error) {
      if (error instanceof OutcomeDecodeError) throw refuse(`items.${category}`, error.message);
      throw error;
    }
    return ids.get(category)!;
  };
  const add = (category: string, route: DocumentRoute | null, sensitive: boolean, field: string) => {
    if (!route) return;
    routed.add(category);
    let scores: Map<string, number>;
    try {
      scores = decodeOutcomes(itemsOf(category), route.evidence.outcomes);
    } catch (error) {
      if (error instanceof OutcomeDecodeError) throw refuse(`${field}.${category}.evidence.outcomes`, error.message);
      throw error;
    }
    if (scores.size !== route.evidence.n)
      throw refuse(`${field}.${category}.evidence`, `n is ${route.evidence.n} but its outcomes score ${scores.size} item(s)`);
    const mean = scores.size === 0 ? 0 : [...scores.values()].reduce((sum, score) => sum + score, 0) / scores.size;
    // The mean is kept to 4 places; graded outcomes to steps of 1 / GRADED_STEPS.
    const slack = 5e-5 + (route.evidence.outcomes.scale === "graded" ? 0.5 / GRADED_STEPS : 0) + 1e-9;
    if (Math.abs(mean - route.evidence.mean) > slack) {
      throw refuse(`${field}.${category}.evidence`, `mean is ${route.evidence.mean} but its outcomes average ${mean.toFixed(4)}`);
    }
    outcomes.set(routeKey(category, sensitive), scores);
  };
  for (const [category, route] of Object.entries(document.routes)) add(category, route, false, "routes");
  for (const [category, route] of Object.entries(document.sensitiveRoutes)) add(category, route, true, "sensitiveRoutes");
  for (const category of Object.keys(document.items)) {
    if (!routed.has(category)) throw refuse(`items.${category}`, "item ids for a category without a route");
  }
  return outcomes;
}

/**
 * The document with its keys in the schema's order, whatever order its builder used: the emitters write this, so a
 * file regenerated from the document read back from it has the same bytes.
 */
export function canonicalDocument(document: RoutingDocument): RoutingDocument {
  return documentSchema.parse(document) as RoutingDocument;
}

type Issue = z.core.$ZodIssue;

/** One issue per unknown key, naming the key and the closest known one. */
function explainUnknownKeys(issue: Issue): Issue[] {
  if (issue.code !== "unrecognized_keys") return [issue];
  const known = knownKeysAt(issue.path);
  return issue.keys.map((key) => {
    return { code: "custom", path: issue.path, input: undefined, message: unknownName("key", key.slice(0, 60), known) };
  });
}

/** The keys the schema allows for the object at `at` in the document. */
function knownKeysAt(at: readonly PropertyKey[]): string[] {
  let schema: z.ZodType | undefined = documentSchema;
  for (const key of at) {
    if (schema === undefined) return [];
    schema = unwrapped(schema);
    if (schema instanceof z.ZodObject) schema = (schema.shape as Record<string, z.ZodType>)[String(key)];
    else if (schema instanceof z.ZodRecord) schema = schema.valueType as z.ZodType;
    else if (schema instanceof z.ZodArray) schema = schema.element as z.ZodType;
    else return [];
  }
  const target = schema && unwrapped(schema);
  return target instanceof z.ZodObject ? Object.keys(target.shape) : [];
}

function unwrapped(schema: z.ZodType): z.ZodType {
  let inner = schema;
  while (inner instanceof z.ZodNullable || inner instanceof z.ZodOptional) inner = inner.unwrap() as z.ZodType;
  return inner;
}

/** A file of another format version is refused with what to do, before its fields are checked. */
function assertVersion(value: unknown, file: string): void {
  const version = typeof value === "object" && value !== null ? (value as { modelpickRouting?: unknown }).modelpickRouting : undefined;
  if (typeof version !== "number" || version === ROUTING_FORMAT_VERSION) return;
  if (version < ROUTING_FORMAT_VERSION) {
    throw new InputError(
      `${file}: modelpickRouting: ${version} is a routing table written by an older modelpick (this one reads ${ROUTING_FORMAT_VERSION}: ` +
        `each route's per-item outcomes, which check tests the route's model against; per-category sensitive routes, the monthly bill); regenerate it with modelpick recommend and the ` +
        `flags it was made with (recorded in its generatedFrom.criteria), e.g. modelpick recommend --format ${formatHint(file)} --out ${file}`,
    );
  }
  throw new InputError(
    `${file}: modelpickRouting: ${version} is a routing table written by a newer modelpick (this one reads ${ROUTING_FORMAT_VERSION}); upgrade modelpick`,
  );
}

function formatHint(file: string): string {
  const name = file.toLowerCase();
  return /\.ya?ml$/.test(name) ? "yaml" : name.endsWith(".json") ? "json" : "ts";
}
