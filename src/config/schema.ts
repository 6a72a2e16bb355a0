import { z } from "zod";

/** A price in USD per million tokens; `modelpick cost` and `--prices` files of modelpick's own format use it too. */
export const price = z
  .object({
    inputPerMTok: z.number().nonnegative(),
    outputPerMTok: z.number().nonnegative(),
    cacheReadPerMTok: z.number().nonnegative().optional(),
    /** Cache write at the default retention (Anthropic 5 minutes). */
    cacheWritePerMTok: z.number().nonnegative().optional(),
    cacheWrite1hPerMTok: z.number().nonnegative().optional(),
    batchInputPerMTok: z.number().nonnegative().optional(),
    batchOutputPerMTok: z.number().nonnegative().optional(),
    /** The whole request costs these prices when its prompt has more than `aboveInputTokens` tokens. */
    longContext: z
      .object({
        aboveInputTokens: z.number().int().positive(),
        inputPerMTok: z.number().nonnegative(),
        outputPerMTok: z.number().nonnegative(),
        cacheReadPerMTok: z.number().nonnegative().optional(),
        cacheWritePerMTok: z.number().nonnegative().optional(),
      })
      .strict()
      .optional(),
    source: z.string().optional(),
    date: z.string().optional(),
  })
  .strict();

/** How a self-hosted model is deployed, for `modelpick cost`. */
const selfHosted = z
  .object({
    gpu: z.string().optional(),
    gpuHourlyUsd: z.number().positive().optional(),
    /** Defaults to the catalog profile's GPU count, else 1. */
    gpusPerReplica: z.number().int().positive().optional(),
    /** Total (prompt + generated) tokens/s one replica sustains. */
    tokensPerSecond: z.number().positive().optional(),
    inputTokensPerSecond: z.number().positive().optional(),
    outputTokensPerSecond: z.number().positive().optional(),
    /** A `bench-local` throughput profile JSON file, relative to modelpick.yaml. */
    throughputProfile: z.string().optional(),
    /** A built-in throughput profile id (see `modelpick models --kind throughput`). */
    catalogProfile: z.string().optional(),
    utilization: z.number().gt(0).max(1).optional(),
    minReplicas: z.number().int().positive().optional(),
    /** Power per GPU; defaults to the catalog's board power for the GPU. */
    watts: z.number().nonnegative().optional(),
    electricityUsdPerKWh: z.number().nonnegative().optional(),
    opsMonthlyUsd: z.number().nonnegative().optional(),
  })
  .passthrough();

const common = {
  id: z.string().min(1).regex(/^[^\s]+$/, "must not contain spaces"),
  model: z.string().min(1).optional(),
  hosting: z.enum(["cloud", "self-hosted"]).optional(),
  maxTokens: z.number().int().positive().default(512),
  temperature: z.number().min(0).max(2).default(0),
  concurrency: z.number().int().positive().default(4),
  timeoutMs: z.number().int().positive().default(60_000),
  maxRetries: z.number().int().min(0).default(4),
  price: price.optional(),
  license: z.string().optional(),
  selfHosted: selfHosted.optional(),
};

/** Longest answer kept (characters): past it the answer is cut, the request stopped and the row marked truncated. */
const maxAnswerChars = z.number().int().min(1_000).max(100_000_000).default(1_000_000);

const apiModel = {
  ...common,
  maxAnswerChars,
  model: z.string().min(1),
  baseURL: z.string().url("expected a URL").optional(),
  apiKeyEnv: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "expected an environment variable name").optional(),
};

const anthropicModel = z.object({ ...apiModel, provider: z.literal("anthropic") }).passthrough();
const openaiModel = z.object({ ...apiModel, provider: z.literal("openai") }).passthrough();
const compatibleModel = z
  .object({
    ...apiModel,
    provider: z.literal("openai-compatible"),
    baseURL: z.string().url("expected a URL"),
    hosting: z.enum(["cloud", "self-hosted"], {
      error: "required for openai-compatible: cloud or self-hosted",
    }),
  })
  .passthrough();
const recordedModel = z
  .object({ ...common, provider: z.literal("recorded"), file: z.string().min(1), concurrency: common.concurrency, maxAnswerChars })
  .passthrough();
const llamaCppModel = z
  .object({
    ...common,
    provider: z.literal("llama-cpp"),
    path: z.string().min(1),
    hosting: z.literal("self-hosted", { error: "a llama-cpp model is always self-hosted" }).optional(),
    contextSize: z.number().int().positive().optional(),
    threads: z.number().int().positive().optional(),
    parallel: z.number().int().positive().default(1),
    gpuLayers: z.number().int().min(0).optional(),
  })
  .passthrough();

export const modelSchema = z.discriminatedUnion("provider", [
  anthropicModel,
  openaiModel,
  compatibleModel,
  recordedModel,
  llamaCppModel,
]);

export const configSchema = z
  .object({
    dataset: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
    models: z.array(modelSchema).min(1, "list at least one model"),
    judge: z.string().optional(),
    prices: z.string().optional(),
  })
  .passthrough();

export type ModelConfigInput = z.input<typeof modelSchema>;
export type ModelConfig = z.output<typeof modelSchema>;
export type RawConfig = z.output<typeof configSchema>;
