import type { ApiPriceEntry } from "./types.js";

/**
 * Hosted open-weight models, USD per million tokens, from pricing-facts.md §4 (compiled 2026-11-23). Most figures
 * come from LiteLLM's price map (stored commit 00035b69f4, ≈2026-07). `model` is set only when the facts give the
 * provider's own model id; otherwise the catalog id is descriptive.
 */

const LITELLM = "LiteLLM model_prices_and_context_window.json, stored commit 00035b69f4";
const LITELLM_DATE = "≈2026-07";
const FIREWORKS_OFFICIAL = "docs.fireworks.ai/serverless/pricing [official]";
const FIREWORKS_BATCH = "Fireworks batch inference 50% of serverless: docs.fireworks.ai/serverless/pricing.md [official] (n.d.)";

interface HostedSpec {
  provider: string;
  name: string;
  family: string;
  input: number;
  output: number;
  model?: string;
  cacheRead?: number;
  contextWindow?: number;
  source?: string;
  date?: string;
  unconfirmed?: true;
  note?: string;
}

function hosted(spec: HostedSpec): ApiPriceEntry {
  const fireworks = spec.provider === "fireworks";
  const notes = [spec.note, fireworks ? FIREWORKS_BATCH : undefined].filter(Boolean);
  return {
    id: `${spec.provider}/${spec.name}`,
    provider: spec.provider,
    ...(spec.model ? { model: spec.model } : {}),
    kind: "open-weight",
    family: spec.family,
    inputPerMTok: spec.input,
    outputPerMTok: spec.output,
    ...(spec.cacheRead === undefined ? {} : { cacheReadPerMTok: spec.cacheRead }),
    ...(fireworks ? { batchMultiplier: 0.5 } : {}),
    ...(spec.contextWindow === undefined ? {} : { contextWindow: spec.contextWindow }),
    source: spec.source ?? LITELLM,
    date: spec.date ?? LITELLM_DATE,
    ...(spec.unconfirmed ? { unconfirmed: true as const } : {}),
    ...(notes.length > 0 ? { note: notes.join("; ") } : {}),
  };
}

export const HOSTED_OPEN_WEIGHT_PRICES: ApiPriceEntry[] = [
  // Llama 3 8B Instruct
  hosted({ provider: "fireworks", name: "llama-v3-8b-instruct-hf", model: "llama-v3-8b-instruct-hf", family: "llama-3-8b", input: 0.2, output: 0.2, contextWindow: 8_192 }),
  hosted({ provider: "deepinfra", name: "Meta-Llama-3-8B-Instruct", model: "Meta-Llama-3-8B-Instruct", family: "llama-3-8b", input: 0.03, output: 0.06, contextWindow: 8_192 }),
  hosted({ provider: "bedrock", name: "meta.llama3-8b-instruct-v1:0", model: "meta.llama3-8b-instruct-v1:0", family: "llama-3-8b", input: 0.3, output: 0.6 }),
  // Llama 3.1 8B Instruct
  hosted({
    provider: "together",
    name: "Meta-Llama-3.1-8B-Instruct-Turbo",
    model: "Meta-Llama-3.1-8B-Instruct-Turbo",
    family: "llama-3.1-8b",
    input: 0.18,
    output: 0.18,
    unconfirmed: true,
    note: "sources disagree: theneuralbase.com lists 0.20/0.60 (n.d.)",
  }),
  hosted({ provider: "groq", name: "llama-3.1-8b-instant", model: "llama-3.1-8b-instant", family: "llama-3.1-8b", input: 0.05, output: 0.08, contextWindow: 128_000 }),
  hosted({ provider: "deepinfra", name: "llama-3.1-8b-instruct", family: "llama-3.1-8b", input: 0.03, output: 0.05 }),
  hosted({ provider: "deepinfra", name: "llama-3.1-8b-instruct-turbo", family: "llama-3.1-8b", input: 0.02, output: 0.03 }),
  hosted({ provider: "cerebras", name: "llama-3.1-8b-instruct", family: "llama-3.1-8b", input: 0.1, output: 0.1 }),
  hosted({ provider: "lambda", name: "llama-3.1-8b-instruct", family: "llama-3.1-8b", input: 0.025, output: 0.04 }),
  hosted({ provider: "bedrock", name: "llama-3.1-8b-instruct", family: "llama-3.1-8b", input: 0.22, output: 0.22 }),
  // Llama 3 70B Instruct
  hosted({ provider: "fireworks", name: "llama-v3-70b-instruct", model: "llama-v3-70b-instruct", family: "llama-3-70b", input: 0.9, output: 0.9 }),
  hosted({ provider: "openrouter", name: "meta-llama/llama-3-70b-instruct", model: "meta-llama/llama-3-70b-instruct", family: "llama-3-70b", input: 0.59, output: 0.79 }),
  hosted({ provider: "bedrock", name: "llama-3-70b-instruct", family: "llama-3-70b", input: 2.65, output: 3.5 }),
  // Llama 3.1 70B Instruct
  hosted({ provider: "together", name: "Meta-Llama-3.1-70B-Instruct-Turbo", model: "Meta-Llama-3.1-70B-Instruct-Turbo", family: "llama-3.1-70b", input: 0.88, output: 0.88 }),
  hosted({ provider: "fireworks", name: "llama-v3p1-70b-instruct", model: "llama-v3p1-70b-instruct", family: "llama-3.1-70b", input: 0.9, output: 0.9 }),
  hosted({ provider: "deepinfra", name: "llama-3.1-70b-instruct", family: "llama-3.1-70b", input: 0.4, output: 0.4 }),
  hosted({ provider: "deepinfra", name: "llama-3.1-70b-instruct-turbo", family: "llama-3.1-70b", input: 0.1, output: 0.28 }),
  hosted({ provider: "bedrock", name: "llama-3.1-70b-instruct", family: "llama-3.1-70b", input: 0.99, output: 0.99 }),
  // Llama 3.3 70B Instruct
  hosted({
    provider: "together",
    name: "Llama-3.3-70B-Instruct-Turbo",
    model: "Llama-3.3-70B-Instruct-Turbo",
    family: "llama-3.3-70b",
    input: 0.88,
    output: 0.88,
    unconfirmed: true,
    note: "sources disagree: theneuralbase lists 0.80/2.40 or 0.99 (n.d.)",
  }),
  hosted({
    provider: "fireworks",
    name: "llama-v3p3-70b-instruct",
    model: "llama-v3p3-70b-instruct",
    family: "llama-3.3-70b",
    input: 0.9,
    output: 0.9,
    source: `${LITELLM}; lava.so (n.d.)`,
  }),
  hosted({
    provider: "groq",
    name: "llama-3.3-70b-versatile",
    model: "llama-3.3-70b-versatile",
    family: "llama-3.3-70b",
    input: 0.59,
    output: 0.79,
    contextWindow: 128_000,
  }),
  hosted({ provider: "deepinfra", name: "llama-3.3-70b-instruct", family: "llama-3.3-70b", input: 0.23, output: 0.4 }),
  hosted({ provider: "deepinfra", name: "llama-3.3-70b-instruct-turbo", family: "llama-3.3-70b", input: 0.13, output: 0.39 }),
  hosted({ provider: "cerebras", name: "llama-3.3-70b-instruct", family: "llama-3.3-70b", input: 0.85, output: 1.2 }),
  hosted({ provider: "lambda", name: "llama-3.3-70b-instruct", family: "llama-3.3-70b", input: 0.12, output: 0.3 }),
  hosted({ provider: "bedrock", name: "llama-3.3-70b-instruct", family: "llama-3.3-70b", input: 0.72, output: 0.72 }),
  hosted({ provider: "hyperbolic", name: "llama-3.3-70b-instruct", family: "llama-3.3-70b", input: 0.12, output: 0.3 }),
  // Llama 3.1 405B Instruct
  hosted({ provider: "together", name: "Meta-Llama-3.1-405B-Instruct-Turbo", model: "Meta-Llama-3.1-405B-Instruct-Turbo", family: "llama-3.1-405b", input: 3.5, output: 3.5 }),
  hosted({ provider: "lambda", name: "llama-3.1-405b-instruct-fp8", family: "llama-3.1-405b", input: 0.8, output: 0.8 }),
  hosted({ provider: "bedrock", name: "llama-3.1-405b-instruct", family: "llama-3.1-405b", input: 5.32, output: 16 }),
  // Mistral 7B / Mixtral 8x7B
  hosted({ provider: "fireworks", name: "mistral-7b-instruct-v3", model: "mistral-7b-instruct-v3", family: "mistral-7b", input: 0.2, output: 0.2, contextWindow: 32_768 }),
  hosted({ provider: "openrouter", name: "mistral-7b-instruct", family: "mistral-7b", input: 0.13, output: 0.13 }),
  hosted({ provider: "mistral", name: "open-mistral-7b", model: "open-mistral-7b", family: "mistral-7b", input: 0.25, output: 0.25 }),
  hosted({ provider: "together", name: "Mixtral-8x7B-Instruct-v0.1", model: "Mixtral-8x7B-Instruct-v0.1", family: "mixtral-8x7b", input: 0.6, output: 0.6 }),
  hosted({ provider: "fireworks", name: "mixtral-8x7b-instruct", model: "mixtral-8x7b-instruct", family: "mixtral-8x7b", input: 0.5, output: 0.5 }),
  hosted({ provider: "deepinfra", name: "mixtral-8x7b-instruct", family: "mixtral-8x7b", input: 0.4, output: 0.4, contextWindow: 32_768 }),
  hosted({ provider: "mistral", name: "open-mixtral-8x7b", model: "open-mixtral-8x7b", family: "mixtral-8x7b", input: 0.7, output: 0.7 }),
  // Qwen
  hosted({ provider: "deepinfra", name: "qwen2.5-72b-instruct", family: "qwen2.5-72b", input: 0.12, output: 0.39, contextWindow: 32_768 }),
  hosted({ provider: "hyperbolic", name: "qwen2.5-72b-instruct", family: "qwen2.5-72b", input: 0.12, output: 0.3 }),
  hosted({ provider: "groq", name: "qwen3-32b", family: "qwen3-32b", input: 0.29, output: 0.59 }),
  hosted({ provider: "deepinfra", name: "qwen3-32b", family: "qwen3-32b", input: 0.1, output: 0.28 }),
  // gpt-oss
  hosted({ provider: "together", name: "openai/gpt-oss-20b", model: "openai/gpt-oss-20b", family: "gpt-oss-20b", input: 0.05, output: 0.2 }),
  hosted({
    provider: "fireworks",
    name: "gpt-oss-20b",
    family: "gpt-oss-20b",
    input: 0.07,
    output: 0.3,
    cacheRead: 0.035,
    source: FIREWORKS_OFFICIAL,
    date: "n.d.",
  }),
  hosted({ provider: "groq", name: "gpt-oss-20b", family: "gpt-oss-20b", input: 0.075, output: 0.3, cacheRead: 0.0375 }),
  hosted({ provider: "deepinfra", name: "gpt-oss-20b", family: "gpt-oss-20b", input: 0.04, output: 0.15 }),
  hosted({
    provider: "vercel",
    name: "gpt-oss-20b",
    family: "gpt-oss-20b",
    input: 0.07,
    output: 0.3,
    source: "vercel.com/ai-gateway/models/gpt-oss-20b.md",
    date: "n.d.",
  }),
  hosted({ provider: "cloudflare", name: "gpt-oss-20b", family: "gpt-oss-20b", input: 0.2, output: 0.3 }),
  hosted({
    provider: "together",
    name: "openai/gpt-oss-120b",
    model: "openai/gpt-oss-120b",
    family: "gpt-oss-120b",
    input: 0.15,
    output: 0.6,
    contextWindow: 131_072,
  }),
  hosted({
    provider: "fireworks",
    name: "gpt-oss-120b",
    family: "gpt-oss-120b",
    input: 0.15,
    output: 0.6,
    cacheRead: 0.015,
    source: FIREWORKS_OFFICIAL,
    date: "n.d.",
  }),
  hosted({ provider: "groq", name: "gpt-oss-120b", family: "gpt-oss-120b", input: 0.15, output: 0.6, cacheRead: 0.075 }),
  hosted({ provider: "deepinfra", name: "gpt-oss-120b", family: "gpt-oss-120b", input: 0.05, output: 0.45 }),
  hosted({ provider: "cerebras", name: "gpt-oss-120b", family: "gpt-oss-120b", input: 0.35, output: 0.75 }),
  hosted({ provider: "baseten", name: "gpt-oss-120b", family: "gpt-oss-120b", input: 0.1, output: 0.5 }),
  hosted({ provider: "scaleway", name: "gpt-oss-120b", family: "gpt-oss-120b", input: 0.15, output: 0.6 }),
  // DeepSeek V3
  hosted({ provider: "together", name: "DeepSeek-V3", model: "DeepSeek-V3", family: "deepseek-v3", input: 1.25, output: 1.25, contextWindow: 65_536 }),
  hosted({ provider: "together", name: "DeepSeek-V3.1", model: "DeepSeek-V3.1", family: "deepseek-v3.1", input: 0.6, output: 1.7 }),
  hosted({
    provider: "fireworks",
    name: "deepseek-v3-family",
    family: "deepseek-v3",
    input: 0.56,
    output: 1.68,
    cacheRead: 0.28,
    source: FIREWORKS_OFFICIAL,
    date: "n.d.",
    note: '"DeepSeek V3 family"; an older LiteLLM-derived listing says 0.90/0.90',
  }),
  hosted({ provider: "deepinfra", name: "deepseek-v3", family: "deepseek-v3", input: 0.38, output: 0.89 }),
  hosted({ provider: "deepinfra", name: "deepseek-v3-0324", family: "deepseek-v3", input: 0.25, output: 0.88 }),
  hosted({ provider: "deepinfra", name: "deepseek-v3.1", family: "deepseek-v3.1", input: 0.27, output: 1 }),
  hosted({ provider: "hyperbolic", name: "deepseek-v3", family: "deepseek-v3", input: 0.2, output: 0.2 }),
  hosted({ provider: "bedrock", name: "deepseek.v3-v1:0", model: "deepseek.v3-v1:0", family: "deepseek-v3", input: 0.58, output: 1.68 }),
];
