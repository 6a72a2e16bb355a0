import type { ResolvedModel } from "../config/types.js";

type ApiModel = Extract<ResolvedModel, { model: string; baseURL?: string }>;

/**
 * What identifies an API model's answer for the response cache: provider, model, endpoint and sampling settings,
 * never a secret. A provider whose API ignores the temperature leaves it out, so changing it does not miss the cache.
 */
export function apiCacheIdentity(model: ApiModel, { temperature = true }: { temperature?: boolean } = {}): Record<string, unknown> {
  return {
    provider: model.provider,
    model: model.model,
    ...(model.baseURL ? { baseURL: model.baseURL } : {}),
    maxTokens: model.maxTokens,
    ...(temperature ? { temperature: model.temperature } : {}),
  };
}
