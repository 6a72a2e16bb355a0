import type { LongContextTier } from "./catalog/types.js";

/** A price per million tokens with its provenance: every cost figure names its source and date. */
export interface ResolvedPrice {
  inputPerMTok: number;
  outputPerMTok: number;
  cacheReadPerMTok?: number;
  cacheWritePerMTok?: number;
  cacheWrite1hPerMTok?: number;
  batchInputPerMTok?: number;
  batchOutputPerMTok?: number;
  /** The lowest long-context tier: the whole request is billed at it when its prompt is over its threshold. */
  longContext?: LongContextTier;
  /** Further tiers above `longContext`, ascending (LiteLLM `tiered_pricing`, several `*_above_Nk_tokens`). */
  higherTiers?: LongContextTier[];
  source: string;
  date?: string;
  unconfirmed?: true;
  /** The last list price of a retired or legacy model (catalog `historical`): not an offer open today. */
  historical?: true;
  /**
   * Set when the model's own name has no price and it was priced under another of its names (the config id, e.g. the
   * family of a dated snapshot): that name. Every figure built on this price says "priced as <name>".
   */
  pricedAs?: string;
  /** The catalog entry the price came from, when it came from the built-in catalog. */
  catalogId?: string;
  note?: string;
}

/**
 * The cost of one request. A long-context tier applies to the whole request when its prompt is over the tier's
 * threshold, as the providers bill it.
 */
export function costUsd(price: ResolvedPrice, inputTokens: number, outputTokens: number): number {
  const rates = tierFor(price, inputTokens) ?? price;
  return (inputTokens * rates.inputPerMTok + outputTokens * rates.outputPerMTok) / 1_000_000;
}

/** The long-context tier that bills a request with this many input tokens: the highest one it is over, if any. */
export function tierFor(price: ResolvedPrice, inputTokens: number): LongContextTier | undefined {
  let tier: LongContextTier | undefined;
  for (const candidate of [...(price.longContext ? [price.longContext] : []), ...(price.higherTiers ?? [])]) {
    if (inputTokens > candidate.aboveInputTokens) tier = candidate;
  }
  return tier;
}
