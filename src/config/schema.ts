import { z } from "zod";
import { closestName, unknownName } from "../suggest.js";
import { MAX_CONTEXT_TOKENS } from "./provider-kinds.js";
import { strictObject } from "./strict.js";

/** A whole number in [min, max]; out of range is refused with the range, never wrapped or clamped. */
function wholeNumber(min: number, max: number) {
  const range = `expected a whole number from ${min} to ${max}`;
  return z.number().int(range).min(min, range).max(max, range);
}

/** A finite number in [min, max] (zod refuses NaN and ±Infinity). */
function numberIn(min: number, max: number, exclusiveMin = false) {
  const range = `expected a number ${exclusiveMin ? "above" : "from"} ${min} ${exclusiveMin ? "and up to" : "to"} ${max}`;
  return (exclusiveMin ? z.number().gt(min, range) : z.number().min(min, range)).max(max, range);
}

/** One of a few words; a near miss gets a suggestion. */
function oneOf<const Values extends readonly [string, ...string[]]>(what: string, values: Values) {
  return z.enum(values, { error: (issue) => (typeof issue.input === "string" ? unknownName(what, issue.input, values) : undefined) });
}

/** Node's setTimeout wraps delays above 2^31−1 ms to 1 ms; an hour is more than any single answer needs. */
export const MAX_TIMEOUT_MS = 3_600_000;
/** Tokens one request may ask for: above the longest outputs any model offers. */
export const MAX_OUTPUT_TOKENS = 1_000_000;
export const MAX_CONCURRENCY = 1024;
export const MAX_RETRIES = 20;
/** USD per million tokens, or per GPU hour: beyond this it is a typo (a price per token written per million…). */
const MAX_PRICE = 1_000_000;
const usd = numberIn(0, MAX_PRICE);

/** A price in USD per million tokens; `modelpick cost` and `--prices` files of modelpick's own format use it too. */
export const price = strictObject({
  inputPerMTok: usd,
  outputPerMTok: usd,
  cacheReadPerMTok: usd.optional(),
  /** Cache write at the default retention (Anthropic 5 minutes). */
  cacheWritePerMTok: usd.optional(),
  cacheWrite1hPerMTok: usd.optional(),
  batchInputPerMTok: usd.optional(),
  batchOutputPerMTok: usd.optional(),
  /** The whole request costs these prices when its prompt has more than `aboveInputTokens` tokens. */
  longContext: strictObject({
    aboveInputTokens: wholeNumber(1, MAX_CONTEXT_TOKENS),
    inputPerMTok: usd,
    outputPerMTok: usd,
    cacheReadPerMTok: usd.optional(),
    cacheWritePerMTok: usd.optional(),
  }).optional(),
  source: z.string().optional(),
  date: z.string().optional(),
});

/** How a self-hosted model is deployed, for `modelpick cost`. */
const selfHosted = strictObject({
  gpu: z.string().optional(),
  gpuHourlyUsd: numberIn(0, MAX_PRICE, true).optional(),
  /** Defaults to the catalog profile's GPU count, else 1. */
  gpusPerReplica: wholeNumber(1, 1024).optional(),
  /** Total (prompt + generated) tokens/s one replica sustains. */
  tokensPerSecond: numberIn(0, 1e9, true).optional(),
  inputTokensPerSecond: numberIn(0, 1e9, true).optional(),
  outputTokensPerSecond: numberIn(0, 1e9, true).optional(),
  /** A `bench-local` throughput profile JSON file, relative to modelpick.yaml. */
  throughputProfile: z.string().optional(),
  /** A built-in throughput profile id (see `modelpick models --kind throughput`). */
  catalogProfile: z.string().optional(),
  utilization: numberIn(0, 1, true).optional(),
  minReplicas: wholeNumber(1, 100_000).optional(),
  /** Power per GPU; defaults to the catalog's board power for the GPU. */
  watts: numberIn(0, 100_000).optional(),
  electricityUsdPerKWh: numberIn(0, 1000).optional(),
  opsMonthlyUsd: numberIn(0, 1e12).optional(),
});

const HOSTING = ["cloud", "self-hosted"] as const;

/** Where a model runs: only self-hosted models ever see sensitive items. */
export type Hosting = (typeof HOSTING)[number];

const common = {
  id: z
    .string()
    .min(1)
    .regex(/^[^\s]+$/, "must not contain spaces"),
  model: z.string().min(1).optional(),
  hosting: oneOf("hosting", HOSTING).optional(),
  maxTokens: wholeNumber(1, MAX_OUTPUT_TOKENS).default(512),
  temperature: numberIn(0, 2).default(0),
  concurrency: wholeNumber(1, MAX_CONCURRENCY).default(4),
  timeoutMs: wholeNumber(1, MAX_TIMEOUT_MS).default(60_000),
  maxRetries: wholeNumber(0, MAX_RETRIES).default(4),
  price: price.optional(),
  license: z.string().optional(),
  selfHosted: selfHosted.optional(),
};

/** An http:// or https:// URL: the SDKs would "retry" a file: or javascript: URL until they gave up. */
const httpUrl = z.string().superRefine((value, ctx) => {
  let protocol: string;
  try {
    protocol = new URL(value).protocol;
  } catch {
    ctx.addIssue({ code: "custom", message: "expected a URL" });
    return;
  }
  if (protocol !== "http:" && protocol !== "https:") {
    ctx.addIssue({ code: "custom", message: `expected an http:// or https:// URL, not ${protocol}` });
  }
});
/** Longest answer kept (characters): past it the answer is cut, the request stopped and the row marked truncated. */
const maxAnswerChars = wholeNumber(1_000, 100_000_000).default(1_000_000);

const apiModel = {
  ...common,
  maxAnswerChars,
  model: z.string().min(1),
  baseURL: httpUrl.optional(),
  apiKeyEnv: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "expected an environment variable name")
    .optional(),
};

/**
 * The config fields of each provider kind, keyed by the kind (the `provider:` value, added to each variant here). The
 * rest of what a kind is (its key variable, hosting, thread and catalog name) is its descriptor in
 * config/provider-kinds.ts, and its loader in providers/index.ts, which the compiler holds to exactly these kinds. Kept
 * apart because zod is too heavy for the model threads and the start-up path that read the descriptors.
 */
const MODEL_VARIANTS = withProviderLiterals({
  anthropic: apiModel,
  openai: apiModel,
  "openai-compatible": {
    ...apiModel,
    baseURL: httpUrl,
    hosting: z.enum(HOSTING, {
      error: (issue) =>
        typeof issue.input === "string" ? unknownName("hosting", issue.input, HOSTING) : "required for openai-compatible: cloud or self-hosted",
    }),
  },
  gemini: apiModel,
  recorded: { ...common, file: z.string().min(1), maxAnswerChars },
  "llama-cpp": {
    ...common,
    path: z.string().min(1),
    hosting: z.literal("self-hosted", { error: "a llama-cpp model is always self-hosted" }).optional(),
    contextSize: wholeNumber(1, MAX_CONTEXT_TOKENS).optional(),
    threads: wholeNumber(1, 1024).optional(),
    parallel: wholeNumber(1, 1024).default(1),
    gpuLayers: wholeNumber(0, 100_000).optional(),
  },
});

/** A provider kind: the value of a model's `provider:`. */
export type ModelKind = keyof typeof MODEL_VARIANTS;
type ModelVariant = (typeof MODEL_VARIANTS)[ModelKind];

/** Each shape as a strict object with `provider: <its key>`, so a variant's key and its literal cannot disagree. */
function withProviderLiterals<const Shapes extends Record<string, z.core.$ZodLooseShape>>(shapes: Shapes) {
  const variants = Object.entries(shapes).map(([kind, shape]) => [kind, strictObject({ ...shape, provider: z.literal(kind) })]);
  return Object.fromEntries(variants) as {
    [Kind in keyof Shapes & string]: z.ZodObject<Shapes[Kind] & { provider: z.ZodLiteral<Kind> }, z.core.$strict>;
  };
}

const MODEL_KINDS = Object.values(MODEL_VARIANTS) as [ModelVariant, ...ModelVariant[]];
export const PROVIDERS: readonly string[] = Object.keys(MODEL_VARIANTS);

export const modelSchema = z.discriminatedUnion("provider", MODEL_KINDS, {
  error: (issue) => {
    if (issue.code !== "invalid_union") return undefined;
    const given = (issue.input as { provider?: unknown } | undefined)?.provider;
    if (given === undefined) return `required: one of ${PROVIDERS.join(", ")}`;
    return unknownName("provider", typeof given === "string" ? given : JSON.stringify(given), PROVIDERS);
  },
});

const MODEL_KEYS = [...new Set(MODEL_KINDS.flatMap((kind) => Object.keys(kind.shape)))];

export const configSchema = strictObject(
  {
    dataset: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
    models: z.array(modelSchema).min(1, "list at least one model"),
    judge: z.string().optional(),
    prices: z.string().optional(),
  },
  (key) => {
    const modelKey = closestName(key, MODEL_KEYS);
    return modelKey === undefined ? "" : `; \`${modelKey}\` is set per model, under each entry of models:`;
  },
);

export type ModelConfigInput = z.input<typeof modelSchema>;
export type ModelConfig = z.output<typeof modelSchema>;
export type RawConfig = z.output<typeof configSchema>;
