import type { ResolvedModel } from "../config/types.js";
import { CATALOG_NAME, findApiPrice, type ApiPriceEntry, type LongContextTier } from "./catalog/index.js";
import type { PriceTable } from "./price-table.js";
import { kindOf } from "../providers/registry.js";
import { vendorOfUrl } from "../providers/vendor-hosts.js";
import { tidyNumber } from "./units.js";

export type { PriceTable } from "./price-table.js";

/** A price per million tokens with its provenance: every cost figure names its source and date. */
export interface ResolvedPrice {
  inputPerMTok: number;
  outputPerMTok: number;
  cacheReadPerMTok?: number;
  cacheWritePerMTok?: number;
  cacheWrite1hPerMTok?: number;
  batchInputPerMTok?: number;
  batchOutputPerMTok?: number;
  longContext?: LongContextTier;
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

export type PriceLookup = { price: ResolvedPrice } | { ambiguous: string[] } | { missing: true };

/**
 * The price for a model: its own `price:` in the config wins, then a user price table (`prices:` file or
 * `--prices`), then the built-in catalog. Self-hosted models get no catalog price. Null when none is known or the
 * name matches several catalog entries (use `findPrice` to tell which).
 */
export function resolvePrice(model: ResolvedModel, table?: PriceTable): ResolvedPrice | null {
  if (model.price) return fromConfig(model.price, "modelpick.yaml");
  const found = findPrice(model.model ?? model.id, {
    provider: providerHint(model),
    table,
    catalog: model.hosting !== "self-hosted",
    alsoTry: model.model ? [model.id] : [],
  });
  return "price" in found ? found.price : null;
}

/** Looks a model name up in the user table, then (unless told not to) in the catalog. */
export function findPrice(
  name: string,
  options: { provider?: string; table?: PriceTable; catalog?: boolean; alsoTry?: string[] } = {},
): PriceLookup {
  const names = [name, ...(options.alsoTry ?? [])];
  const named = (price: ResolvedPrice, matched: string): PriceLookup => ({ price: matched === name ? price : { ...price, pricedAs: matched } });
  if (options.table) {
    for (const n of names) {
      const hit = options.table.lookup(n, options.provider);
      if (hit) return named(hit, n);
    }
  }
  if (options.catalog === false) return { missing: true };
  let ambiguous: string[] | undefined;
  for (const n of names) {
    const result = findApiPrice(n, options.provider);
    if ("found" in result) return named(fromCatalog(result.found), n);
    if ("ambiguous" in result) ambiguous ??= result.ambiguous.map((e) => e.id);
  }
  return ambiguous ? { ambiguous } : { missing: true };
}

/**
 * Where a price comes from, in one line: "<source> (<date>)", its marks, and "<name> priced as <other>: " in front
 * when the model was priced under another name. `name` is the model's own name (its provider model name).
 */
export function describePriceSource(price: ResolvedPrice, name?: string): string {
  const pricedAs = price.pricedAs ? `${name ?? "the model"} priced as ${price.pricedAs}: ` : "";
  const marks = `${price.unconfirmed ? " [unconfirmed]" : ""}${price.historical ? " [historical list price]" : ""}`;
  return `${pricedAs}${price.source}${price.date ? ` (${price.date})` : ""}${marks}`;
}

export function fromCatalog(entry: ApiPriceEntry): ResolvedPrice {
  const batch = entry.batchMultiplier;
  return {
    inputPerMTok: entry.inputPerMTok,
    outputPerMTok: entry.outputPerMTok,
    ...optional("cacheReadPerMTok", entry.cacheReadPerMTok),
    ...optional("cacheWritePerMTok", entry.cacheWritePerMTok),
    ...optional("cacheWrite1hPerMTok", entry.cacheWrite1hPerMTok),
    ...optional("batchInputPerMTok", batch === undefined ? undefined : tidyNumber(entry.inputPerMTok * batch)),
    ...optional("batchOutputPerMTok", batch === undefined ? undefined : tidyNumber(entry.outputPerMTok * batch)),
    ...(entry.longContext ? { longContext: entry.longContext } : {}),
    source: `${CATALOG_NAME}: ${entry.source}`,
    date: entry.date,
    ...(entry.unconfirmed ? { unconfirmed: true as const } : {}),
    ...(entry.historical ? { historical: true as const } : {}),
    catalogId: entry.id,
    ...(entry.note ? { note: entry.note } : {}),
  };
}

type ConfigPrice = NonNullable<ResolvedModel["price"]>;

export function fromConfig(price: ConfigPrice, defaultSource: string, defaultDate?: string): ResolvedPrice {
  const { source, date, ...rest } = price;
  return { ...rest, source: source ?? defaultSource, date: date ?? defaultDate };
}

/**
 * The cost of one request. A long-context tier applies to the whole request when its prompt is over the tier's
 * threshold, as the providers bill it.
 */
export function costUsd(price: ResolvedPrice, inputTokens: number, outputTokens: number): number {
  const rates = price.longContext && inputTokens > price.longContext.aboveInputTokens ? price.longContext : price;
  return (inputTokens * rates.inputPerMTok + outputTokens * rates.outputPerMTok) / 1_000_000;
}

/** Provider names the catalog uses, from the model's kind or, for OpenAI-compatible hosts, the base URL. */
export function providerHint(model: ResolvedModel): string | undefined {
  const catalogProvider = kindOf(model).catalogProvider;
  if (catalogProvider === "vendor of baseURL") return vendorOfUrl("baseURL" in model ? model.baseURL : undefined);
  return catalogProvider ?? undefined;
}

function optional<K extends string>(key: K, value: number | undefined): Partial<Record<K, number>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, number>);
}
