import type { ResolvedModel } from "../config/types.js";
import { InputError } from "../errors.js";
import { CATALOG_NAME, findApiPrice, similarNames, type ApiPriceEntry, type LongContextTier } from "./catalog/index.js";
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
 * A price; several entries a name matches (`in`: the user's table that lists them, else the catalog); or none, with
 * what the user's tables say about the name (`why`: an entry that has no usable price, other hosts' entries).
 */
export type PriceLookup = { price: ResolvedPrice } | { ambiguous: string[]; in?: string } | { missing: true; why?: string[] };

/**
 * The price for a model: its own `price:` in the config wins, then a user price table (`prices:` file or
 * `--prices`), then the built-in catalog. Self-hosted models get no catalog price. Null when none is known or the
 * name is ambiguous (use `findPrice` to tell which).
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

export interface FindPriceOptions {
  provider?: string;
  table?: PriceTable;
  /** Several user tables, looked up in order (before `table`). */
  tables?: PriceTable[];
  catalog?: boolean;
  /** Other names of the model (its config id), tried after its own: a price found so says "priced as". */
  alsoTry?: string[];
}

/**
 * Looks a model name up in the user tables, then (unless told not to) in the catalog. A user table that lists the
 * name answers for it: when its entries are ambiguous, or its entry has no usable chat price, the name is not priced
 * from anywhere else.
 */
export function findPrice(name: string, options: FindPriceOptions = {}): PriceLookup {
  const names = [name, ...(options.alsoTry ?? [])];
  const named = (price: ResolvedPrice, matched: string): PriceLookup => ({ price: matched === name ? price : { ...price, pricedAs: matched } });
  const why: string[] = [];
  for (const table of [...(options.tables ?? []), ...(options.table ? [options.table] : [])]) {
    for (const n of names) {
      const found = table.find(n, options.provider);
      if ("price" in found) return named(found.price, n);
      if ("ambiguous" in found) return { ambiguous: found.ambiguous, in: table.label };
      if ("unusable" in found) return { missing: true, why: [`${table.label} lists "${found.key}", but ${found.unusable}`] };
      if (n === name && found.elsewhere.length > 0) why.push(`${table.label} lists it only under other hosts' names: ${shortList(found.elsewhere)}`);
    }
  }
  const missing: PriceLookup = why.length > 0 ? { missing: true, why } : { missing: true };
  if (options.catalog === false) return missing;
  let ambiguous: string[] | undefined;
  for (const n of names) {
    const result = findApiPrice(n, options.provider);
    if ("found" in result) return named(fromCatalog(result.found), n);
    if ("ambiguous" in result) ambiguous ??= result.ambiguous.map((e) => e.id);
  }
  return ambiguous ? { ambiguous } : missing;
}

/**
 * The price `findPrice` gives, or an InputError (exit 2) that says why there is none: the name matches several
 * entries (which), the user's file lists it without a usable chat price (why), or it is unknown (similar names).
 */
export function requirePrice(name: string, options: FindPriceOptions, where: string): ResolvedPrice {
  const found = findPrice(name, options);
  if ("price" in found) return found.price;
  if ("ambiguous" in found) {
    const what = found.in ? `several entries in ${found.in}` : "several catalog entries";
    throw new InputError(`${where}: "${name}" matches ${what}: ${shortList(found.ambiguous)}; name one of them`);
  }
  const tables = (options.tables?.length ?? 0) + (options.table ? 1 : 0);
  const hints = found.why ? [] : similarNames(name);
  const problem = found.why
    ? `no usable price for "${name}": ${found.why.join("; ")}`
    : `unknown model "${name}": not in ${tables > 0 ? "your prices file or " : ""}the built-in catalog`;
  throw new InputError(
    `${where}: ${problem}` +
      (hints.length > 0 ? ` (similar: ${hints.join(", ")})` : "") +
      "; add price: to the model in modelpick.yaml, pass --prices FILE, or see `modelpick models`",
  );
}

function shortList(names: string[], limit = 8): string {
  return names.length <= limit ? names.join(", ") : `${names.slice(0, limit).join(", ")} and ${names.length - limit} more`;
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

/** Provider names the catalog uses, from the model's kind or, for OpenAI-compatible hosts, the base URL. */
export function providerHint(model: ResolvedModel): string | undefined {
  const catalogProvider = kindOf(model).catalogProvider;
  if (catalogProvider === "vendor of baseURL") return vendorOfUrl("baseURL" in model ? model.baseURL : undefined);
  return catalogProvider ?? undefined;
}

function optional<K extends string>(key: K, value: number | undefined): Partial<Record<K, number>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, number>);
}
