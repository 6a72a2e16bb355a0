/**
 * Every catalog entry says where its figure comes from and when. `date` is the date the source states (release,
 * price change, "verified" or page-read date) as YYYY-MM-DD, YYYY-MM, YYYY or YYYY-Qn, "≈" before it when inferred,
 * or "n.d." when the source gives none. `unconfirmed` marks figures not found in an official or primary source, or
 * where sources disagree (/work/shared/facts/pricing-facts.md keeps the same marks).
 */
export interface Provenance {
  source: string;
  date: string;
  unconfirmed?: true;
  note?: string;
}

/** A price that applies to the whole request when its prompt has more than `aboveInputTokens` input tokens. */
export interface LongContextTier {
  aboveInputTokens: number;
  inputPerMTok: number;
  outputPerMTok: number;
  cacheReadPerMTok?: number;
  cacheWritePerMTok?: number;
}

/** An API price in USD per million tokens. */
export interface ApiPriceEntry extends Provenance {
  /** Unique catalog id, `provider/name`. */
  id: string;
  provider: string;
  /** The provider's API model name, when the source gives it. */
  model?: string;
  /** Other names the provider accepts for the same model (dated snapshots, short aliases). */
  aliases?: string[];
  kind: "closed" | "open-weight";
  /** Open-weight family served by a hosting provider (e.g. llama-3.3-70b), for grouping. */
  family?: string;
  inputPerMTok: number;
  outputPerMTok: number;
  cacheReadPerMTok?: number;
  /** Cache write at the default retention (Anthropic 5 minutes, OpenAI 30 minutes). */
  cacheWritePerMTok?: number;
  /** Anthropic 1-hour cache write. */
  cacheWrite1hPerMTok?: number;
  /** Batch price as a share of the standard price (0.5 = half price), applied to input and output. */
  batchMultiplier?: number;
  longContext?: LongContextTier;
  contextWindow?: number;
  status?: string;
  /**
   * The last list price of a retired or legacy model, kept so that recorded results can be costed: a historical
   * figure, not an offer open today. Shown as such wherever the price is used.
   */
  historical?: true;
}

/** An on-demand price for one GPU. */
export interface GpuOfferEntry extends Provenance {
  /** Unique catalog id, `gpu/offer`. */
  id: string;
  /** The GPU name users write in `selfHosted.gpu` (h100, a100, a100-40gb, l40s, a10g, a10, l4, t4). */
  gpu: string;
  offer: string;
  hourlyUsd: number;
  /** The offer used when a config names only the GPU. */
  isDefault?: true;
}

export interface GpuPowerEntry extends Provenance {
  id: string;
  gpu: string;
  watts: number;
}

/**
 * A published throughput measurement for one replica (model size × GPUs × engine). `counts` says which tokens the
 * figure counts: "output" (generated tokens/s under the benchmark's own prompts, so prefill time is already paid
 * for) or "total" (prompt + generated tokens/s). "separate" profiles give prompt and generation rates apart.
 */
export interface ThroughputEntry extends Provenance {
  id: string;
  model: string;
  paramsB: number;
  engine: string;
  gpu: string;
  gpusPerReplica: number;
  precision?: string;
  workload: string;
  counts: "output" | "total" | "separate";
  tokensPerSecond?: number;
  promptTokensPerSecond?: number;
  generationTokensPerSecond?: number;
}
