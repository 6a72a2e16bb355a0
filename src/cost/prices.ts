import type { ResolvedModel } from "../config/types.js";

/** A price per million tokens with its provenance: every cost figure names its source and date. */
export interface ResolvedPrice {
  inputPerMTok: number;
  outputPerMTok: number;
  cacheReadPerMTok?: number;
  cacheWritePerMTok?: number;
  source: string;
  date?: string;
}

/** The price for a model: its own `price:` in the config wins; otherwise none is known yet. */
export function resolvePrice(model: ResolvedModel): ResolvedPrice | null {
  if (model.price) {
    return {
      ...model.price,
      source: model.price.source ?? "modelpick.yaml",
      date: model.price.date,
    };
  }
  return null;
}

export function costUsd(price: ResolvedPrice, inputTokens: number, outputTokens: number): number {
  return (inputTokens * price.inputPerMTok + outputTokens * price.outputPerMTok) / 1_000_000;
}
