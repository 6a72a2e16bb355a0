import { ANTHROPIC_PRICES, OPENAI_PRICES, OTHER_CLOSED_PRICES } from "./api-closed.js";
import { HOSTED_OPEN_WEIGHT_PRICES } from "./api-open-weight.js";
import { GPU_OFFERS, GPU_POWER } from "./gpus.js";
import { THROUGHPUT_PROFILES } from "./throughput.js";
import type { ApiPriceEntry, GpuOfferEntry, GpuPowerEntry, ThroughputEntry } from "./types.js";

export type * from "./types.js";
export { GPU_OFFERS, GPU_POWER, THROUGHPUT_PROFILES };

/** When the facts behind the built-in catalog were compiled (pricing-facts.md). */
export const CATALOG_COMPILED = "2026-11-23";
export const CATALOG_NAME = `modelpick built-in catalog (facts compiled ${CATALOG_COMPILED})`;

export const API_PRICES: ApiPriceEntry[] = [...ANTHROPIC_PRICES, ...OPENAI_PRICES, ...OTHER_CLOSED_PRICES, ...HOSTED_OPEN_WEIGHT_PRICES];

/** Every name a catalog API entry answers to, lower-cased: its id, its name without provider, model id, aliases. */
export function namesOf(entry: ApiPriceEntry): string[] {
  const bare = entry.id.slice(entry.provider.length + 1);
  const names = [entry.id, bare, entry.model, ...(entry.aliases ?? [])].filter((n): n is string => Boolean(n));
  for (const alias of entry.aliases ?? []) names.push(`${entry.provider}/${alias}`);
  if (entry.model) names.push(`${entry.provider}/${entry.model}`);
  return [...new Set(names.map((n) => n.toLowerCase()))];
}

export type Lookup<T> = { found: T } | { ambiguous: T[] } | { missing: true };

/** Finds a catalog API price by id, `provider/name`, bare model name or alias; a bare name may match several hosts. */
export function findApiPrice(name: string, provider?: string): Lookup<ApiPriceEntry> {
  const wanted = name.toLowerCase();
  const candidates = provider ? [`${provider.toLowerCase()}/${wanted}`, wanted] : [wanted];
  for (const candidate of candidates) {
    const exactId = API_PRICES.find((e) => e.id.toLowerCase() === candidate);
    if (exactId) return { found: exactId };
    const matches = API_PRICES.filter((e) => namesOf(e).includes(candidate));
    const scoped = provider ? matches.filter((e) => e.provider === provider.toLowerCase()) : matches;
    const pool = scoped.length > 0 ? scoped : matches;
    if (pool.length === 1) return { found: pool[0]! };
    if (pool.length > 1) return { ambiguous: pool };
  }
  return { missing: true };
}

/** The GPU offer for `h100` (its default offer) or for an offer id such as `h100/runpod-secure-sxm`. */
export function findGpuOffer(nameOrId: string): GpuOfferEntry | undefined {
  const wanted = nameOrId.toLowerCase();
  return GPU_OFFERS.find((o) => o.id === wanted) ?? GPU_OFFERS.find((o) => o.gpu === wanted && o.isDefault === true);
}

export function findGpuPower(gpu: string): GpuPowerEntry | undefined {
  const wanted = gpu.toLowerCase().split("/")[0];
  return GPU_POWER.find((p) => p.gpu === wanted);
}

export function findThroughputProfile(id: string): ThroughputEntry | undefined {
  return THROUGHPUT_PROFILES.find((p) => p.id.toLowerCase() === id.toLowerCase());
}

/** Catalog names that contain `fragment`, for "did you mean" hints. */
export function similarNames(fragment: string, limit = 5): string[] {
  const wanted = fragment.toLowerCase().replace(/^[^/]+\//, "");
  const pool = [...API_PRICES.map((e) => e.id), ...THROUGHPUT_PROFILES.map((p) => p.id)];
  const tokens = wanted.split(/[-_./:]+/).filter((t) => t.length > 1);
  const scored = pool
    .map((id) => ({ id, score: tokens.filter((t) => id.toLowerCase().includes(t)).length }))
    .filter((s) => s.score > 0)
    .sort((a, b) => b.score - a.score);
  return scored.slice(0, limit).map((s) => s.id);
}
