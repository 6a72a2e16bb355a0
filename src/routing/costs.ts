import { DAYS_PER_MONTH } from "../cost/units.js";
import type { ModelCategoryData } from "./evidence.js";
import type { CostBasis, ModelProfile } from "./types.js";

/** Share of input tokens assumed when the results carry no token counts (the `modelpick cost` default). */
export const DEFAULT_INPUT_SHARE = 0.75;

export interface CategoryCost {
  costPer1kUsd: number | null;
  usdPerToken: number | null;
  basis: CostBasis;
}

/**
 * Cost of one model on one category: measured costs from the results first; else the model's price × its mean tokens
 * per request; else only its price per token (enough to rank, not to state a cost per request).
 */
export function categoryCost(data: ModelCategoryData, price: ModelProfile["price"]): CategoryCost {
  const meanIn = data.tokenRows ? data.inputTokens / data.tokenRows : null;
  const meanOut = data.tokenRows ? data.outputTokens / data.tokenRows : null;
  const tokensPerRequest = meanIn !== null && meanOut !== null ? meanIn + meanOut : null;
  if (data.measuredCosts.length > 0) {
    const costPer1kUsd = (sum(data.measuredCosts) / data.measuredCosts.length) * 1000;
    const usdPerToken = tokensPerRequest ? costPer1kUsd / 1000 / tokensPerRequest : price ? blended(price) : null;
    return { costPer1kUsd, usdPerToken, basis: "measured" };
  }
  if (price && meanIn !== null && meanOut !== null) {
    const costPer1kUsd = ((meanIn * price.inputPerMTok + meanOut * price.outputPerMTok) / 1_000_000) * 1000;
    return { costPer1kUsd, usdPerToken: tokensPerRequest ? costPer1kUsd / 1000 / tokensPerRequest : blended(price), basis: "price × tokens" };
  }
  if (price) return { costPer1kUsd: null, usdPerToken: blended(price), basis: "price per token only" };
  return { costPer1kUsd: null, usdPerToken: null, basis: "unknown" };
}

function blended(price: NonNullable<ModelProfile["price"]>): number {
  return (DEFAULT_INPUT_SHARE * price.inputPerMTok + (1 - DEFAULT_INPUT_SHARE) * price.outputPerMTok) / 1_000_000;
}

export function monthlyUsd(tokensPerDay: number, share: number, usdPerToken: number | null): number | null {
  return usdPerToken === null ? null : tokensPerDay * share * usdPerToken * DAYS_PER_MONTH;
}

/**
 * Orders two candidates by cost: per request when both are known, else by price per token, and a known cost before
 * an unknown one. Returns 0 for a tie, so the caller can break it on speed.
 */
export function compareCost(
  a: { costPer1kUsd: number | null; usdPerToken: number | null },
  b: { costPer1kUsd: number | null; usdPerToken: number | null },
): number {
  if (a.costPer1kUsd !== null && b.costPer1kUsd !== null) return compareNumbers(a.costPer1kUsd, b.costPer1kUsd);
  if (a.usdPerToken !== null && b.usdPerToken !== null) return compareNumbers(a.usdPerToken, b.usdPerToken);
  const aKnown = a.costPer1kUsd !== null || a.usdPerToken !== null;
  const bKnown = b.costPer1kUsd !== null || b.usdPerToken !== null;
  return aKnown === bKnown ? 0 : aKnown ? -1 : 1;
}

/** Equal within a relative 1e-9, so float noise does not decide a tie. */
function compareNumbers(a: number, b: number): number {
  if (Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b), 1e-12)) return 0;
  return a < b ? -1 : 1;
}

function sum(values: readonly number[]): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}
