import { z } from "zod";
import { InputError } from "../errors.js";
import { unknownName } from "../suggest.js";
import { formatIssues } from "../config/load.js";
import type { CategoryDecision, ModelProfile, ModelRoute, Recommendation, RoutingCriteria } from "./types.js";

/** Bumped when the shape of a routing file changes incompatibly. */
export const ROUTING_FORMAT_VERSION = 1;

export interface RouteEvidence {
  mean: number;
  ciLow: number;
  ciHigh: number;
  n: number;
  costPer1kUsd: number | null;
  costBasis: string;
  p95LatencyMs: number | null;
  /** The bar the route met: its level and what it is relative to. */
  bar: { kind: "min-quality" | "within"; level: number | null; reference: string | null };
  /** Model − bar over the paired items, with the 95 % interval. */
  vsBar: { diff: number; low: number; high: number; pairedN: number };
  monthlyUsd: number | null;
}

export type DocumentRoute = ModelRoute & { evidence: RouteEvidence };

/** The routing table as YAML and JSON files hold it (and as the TypeScript module embeds it). */
export interface RoutingDocument {
  modelpickRouting: number;
  routes: Record<string, DocumentRoute | null>;
  /** Why a category has no route, beside each null route. */
  noRoute: Record<string, string>;
  sensitiveCategories: string[];
  sensitiveRoute: DocumentRoute | null;
  generatedFrom: {
    runId: string;
    runDate: string | null;
    resultsSha256: string;
    prices: Array<{ model: string; source: string; date: string | null }>;
    criteria: RoutingCriteria;
    monthlyTotalUsd: number | null;
  };
}

export function toDocument(recommendation: Recommendation): RoutingDocument {
  const profiles = new Map(recommendation.models.map((m) => [m.id, m]));
  const routes: RoutingDocument["routes"] = {};
  const noRoute: RoutingDocument["noRoute"] = {};
  for (const decision of recommendation.decisions) {
    assertSafeKey(decision.category);
    routes[decision.category] = routeOf(decision, profiles);
    if (!decision.chosen) noRoute[decision.category] = decision.noRouteReason ?? "no model qualifies";
  }
  const used = new Set(
    [...recommendation.decisions.map((d) => d.chosen?.model), recommendation.sensitiveRoute?.chosen?.model].filter(
      (m): m is string => m !== undefined,
    ),
  );
  return {
    modelpickRouting: ROUTING_FORMAT_VERSION,
    routes,
    noRoute,
    sensitiveCategories: recommendation.decisions.filter((d) => d.sensitive).map((d) => d.category),
    sensitiveRoute: recommendation.sensitiveRoute ? routeOf(recommendation.sensitiveRoute, profiles) : null,
    generatedFrom: {
      runId: recommendation.source.runId,
      runDate: recommendation.source.runDate,
      resultsSha256: recommendation.source.resultsSha256,
      prices: recommendation.models.filter((m) => used.has(m.id) && (m.fleet || m.price)).map(priceProvenance),
      criteria: definedOnly(recommendation.criteria),
      monthlyTotalUsd: round(recommendation.monthlyTotalUsd, 2),
    },
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

function routeOf(decision: CategoryDecision, profiles: Map<string, ModelProfile>): DocumentRoute | null {
  const chosen = decision.chosen;
  if (!chosen) return null;
  const profile = profiles.get(chosen.model)!;
  const route: DocumentRoute = {
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
      p95LatencyMs: chosen.p95LatencyMs,
      bar: { kind: decision.bar.kind, level: round(decision.bar.level, 4), reference: decision.bar.reference },
      vsBar: {
        diff: round(chosen.vsBar.diff, 4)!,
        low: round(chosen.vsBar.low, 4)!,
        high: round(chosen.vsBar.high, 4)!,
        pairedN: chosen.vsBar.pairedN,
      },
      monthlyUsd: round(decision.monthlyUsd, 2),
    },
  };
  return route;
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
  p95LatencyMs: z.number().nullable(),
  bar: z.strictObject({ kind: z.enum(["min-quality", "within"]), level: z.number().nullable(), reference: z.string().nullable() }),
  vsBar: z.strictObject({ diff: z.number(), low: z.number(), high: z.number(), pairedN: z.number() }),
  monthlyUsd: z.number().nullable(),
});

const routeSchema = z.strictObject({
  id: z.string().min(1),
  model: z.string(),
  provider: z.string(),
  hosting: z.enum(["cloud", "self-hosted"]),
  maxTokens: z.number(),
  temperature: z.number(),
  baseURL: z.string().optional(),
  humanReview: z.boolean(),
  evidence: evidenceSchema,
});

const criteriaSchema = z.strictObject({
  minQuality: z.number().min(0).max(1).optional(),
  within: z.number().min(0).max(1).optional(),
  minItems: z.number().int().positive(),
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
});

const documentSchema = z.strictObject({
  modelpickRouting: z.literal(ROUTING_FORMAT_VERSION, {
    error: `expected ${ROUTING_FORMAT_VERSION}; regenerate the file with this version of modelpick recommend`,
  }),
  routes: z.record(z.string(), routeSchema.nullable()),
  noRoute: z.record(z.string(), z.string()),
  sensitiveCategories: z.array(z.string()),
  sensitiveRoute: routeSchema.nullable(),
  generatedFrom: z.strictObject({
    runId: z.string(),
    runDate: z.string().nullable(),
    resultsSha256: z.string(),
    prices: z.array(z.strictObject({ model: z.string(), source: z.string(), date: z.string().nullable() })),
    criteria: criteriaSchema,
    monthlyTotalUsd: z.number().nullable(),
  }),
});

/**
 * Validates a routing table read back from a file; errors name the file and the field. Unknown keys are refused
 * (with the closest known key): a key the table does not know, such as a misspelt `baseUrl`, would otherwise be
 * dropped without a word.
 */
export function validateDocument(value: unknown, file: string): RoutingDocument {
  const parsed = documentSchema.safeParse(value);
  if (!parsed.success) {
    throw new InputError(
      `${formatIssues(file, parsed.error.issues.flatMap(explainUnknownKeys), undefined, value)}\n(${file} is not a routing table written by modelpick recommend)`,
    );
  }
  for (const key of Object.keys(parsed.data.routes)) assertSafeKey(key);
  return parsed.data as RoutingDocument;
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
