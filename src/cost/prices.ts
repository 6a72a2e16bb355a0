import path from "node:path";
import type { Config, Hosting, ResolvedModel } from "../config/types.js";
import { InputError } from "../errors.js";
import { kindOf } from "../config/provider-kinds.js";
import { vendorOfUrl } from "../config/vendor-hosts.js";
import { CATALOG_NAME, findApiPrice, similarNames, type ApiPriceEntry } from "./catalog/index.js";
import type { ResolvedPrice } from "./price.js";
import { loadPriceTable, type PriceTable } from "./price-table.js";
import { datedByFile } from "./self-hosted.js";
import { tidyNumber } from "./units.js";

/**
 * Where prices come from, in the order every command looks them up (eval, cost, recommend, check): a config model's
 * own `price:`, then the user's price tables (`--prices`, then the config's `prices:` file), then the built-in catalog.
 */
export interface PriceSources {
  /** The config's models, whose own `price:` answers first, labelled with the config file's name and date. */
  config?: { models: readonly ResolvedModel[]; file: string; date?: string };
  /** User price tables, in lookup order. */
  tables: PriceTable[];
}

/** The price sources of a command: `--prices FILE` (relative to `cwd`) ahead of the config's `prices:` file, both read. */
export function loadPriceSources(config: Config | null | undefined, pricesFlag?: string, cwd = process.cwd()): PriceSources {
  const files = [pricesFlag === undefined ? undefined : path.resolve(cwd, pricesFlag), config?.prices];
  const tables = [...new Set(files.filter((file): file is string => file !== undefined))].map((file) => loadPriceTable(file));
  if (!config) return { tables };
  const shown = path.basename(config.file);
  return { config: { models: config.models, file: shown, date: datedByFile(config.file, shown).date }, tables };
}

/** What to price: a config model (its own `price:` first), or a model known only by its name (`--models`, results). */
export type PriceTarget = { model: ResolvedModel } | { name: string; alsoTry?: string[]; hosting?: Hosting };

/**
 * A price; several entries a name matches (`in`: the user's table that lists them, else the catalog); or none, with
 * what the user's tables say about the name (`why`: an entry that has no usable price, other hosts' entries).
 */
export type PriceLookup = { price: ResolvedPrice } | { ambiguous: string[]; in?: string } | { missing: true; why?: string[] };

/**
 * The one price lookup: the model's own `price:`, then the user tables in order, then the catalog (not for a
 * self-hosted model: the catalog sells API access, not your hardware). A user table that lists the name answers for
 * it: when its entries are ambiguous, or its entry has no usable chat price, the name is not priced from anywhere else.
 */
export function lookupPrice(target: PriceTarget, sources: PriceSources): PriceLookup {
  if ("name" in target) {
    return findPrice(target.name, { tables: sources.tables, catalog: target.hosting !== "self-hosted", alsoTry: target.alsoTry ?? [] });
  }
  const { model } = target;
  if (model.price) return { price: ownPrice(model, model.price, sources.config) };
  return findPrice(model.model ?? model.id, {
    provider: providerHint(model),
    tables: sources.tables,
    catalog: model.hosting !== "self-hosted",
    alsoTry: model.model ? [model.id] : [],
  });
}

/** The price `lookupPrice` gives, or null when there is none or the name is ambiguous (`lookupPrice` tells which). */
export function knownPrice(target: PriceTarget, sources: PriceSources): ResolvedPrice | null {
  const found = lookupPrice(target, sources);
  return "price" in found ? found.price : null;
}

/**
 * The price `lookupPrice` gives, or an InputError (exit 2) that says why there is none: the name matches several
 * entries (which), the user's file lists it without a usable chat price (why), or it is unknown (similar names).
 */
export function requirePrice(target: PriceTarget, sources: PriceSources, where: string): ResolvedPrice {
  const found = lookupPrice(target, sources);
  if ("price" in found) return found.price;
  const name = targetName(target);
  if ("ambiguous" in found) throw new InputError(`${where}: ${priceProblem(found, name)}`);
  const hints = found.why ? [] : similarNames(name);
  const problem = priceProblem(found, name) ?? `unknown model "${name}": not in ${sources.tables.length > 0 ? "your prices file or " : ""}the built-in catalog`;
  const elsewhere = sources.tables.length > 0 ? "add it to your prices file" : "pass --prices FILE";
  throw new InputError(
    `${where}: ${problem}` +
      (hints.length > 0 ? ` (similar: ${hints.join(", ")})` : "") +
      `; add price: to the model in modelpick.yaml, ${elsewhere}, or see \`modelpick models\``,
  );
}

/**
 * Why a lookup found no price, when the user's files say something about the name: several entries match it, or an
 * entry lists it without a usable chat price. Null when there is a price, or the name is simply not listed anywhere.
 */
export function priceProblem(found: PriceLookup, name: string): string | null {
  if ("ambiguous" in found) {
    const what = found.in ? `several entries in ${found.in}` : "several catalog entries";
    return `"${name}" matches ${what}: ${shortList(found.ambiguous)}; name one of them`;
  }
  if ("missing" in found && found.why) return `no usable price for "${name}": ${found.why.join("; ")}`;
  return null;
}

export function targetName(target: PriceTarget): string {
  return "name" in target ? target.name : (target.model.model ?? target.model.id);
}

/** The lookup order in one line, e.g. "price: in modelpick.yaml > LiteLLM prices.json (2,000 prices) > built-in catalog". */
export function describePriceOrder(sources: PriceSources): string {
  const order = [
    ...(sources.config ? [`price: in ${sources.config.file}`] : []),
    ...sources.tables.map((t) => `${t.label} (${t.size} prices${t.skipped > 0 ? `, ${t.skipped} entries without a chat price skipped` : ""})`),
    CATALOG_NAME,
  ];
  return order.join(" > ");
}

/** A config model's own `price:`, named by where it is written and dated by its file unless it says its date. */
function ownPrice(model: ResolvedModel, price: ConfigPrice, config: PriceSources["config"]): ResolvedPrice {
  const index = config?.models.findIndex((m) => m.id === model.id) ?? -1;
  if (!config || index < 0) return fromConfig(price, "modelpick.yaml");
  return fromConfig(price, `${config.file} models[${index}].price`, config.date);
}

interface FindPriceOptions {
  provider?: string;
  /** User tables, looked up in order. */
  tables: PriceTable[];
  catalog: boolean;
  /** Other names of the model (its config id), tried after its own: a price found so says "priced as". */
  alsoTry: string[];
}

/** Looks a model name up in the user tables, then (unless told not to) in the catalog. */
function findPrice(name: string, options: FindPriceOptions): PriceLookup {
  const names = [name, ...options.alsoTry];
  const named = (price: ResolvedPrice, matched: string): PriceLookup => ({ price: matched === name ? price : { ...price, pricedAs: matched } });
  const why: string[] = [];
  for (const table of options.tables) {
    for (const n of names) {
      const found = table.find(n, options.provider);
      if ("price" in found) return named(found.price, n);
      if ("ambiguous" in found) return { ambiguous: found.ambiguous, in: table.label };
      if ("unusable" in found) return { missing: true, why: [`${table.label} lists "${found.key}", but ${found.unusable}`] };
      if (n === name && found.elsewhere.length > 0) why.push(`${table.label} lists it only under other hosts' names: ${shortList(found.elsewhere)}`);
    }
  }
  const missing: PriceLookup = why.length > 0 ? { missing: true, why } : { missing: true };
  if (!options.catalog) return missing;
  let ambiguous: string[] | undefined;
  for (const n of names) {
    const result = findApiPrice(n, options.provider);
    if ("found" in result) return named(fromCatalog(result.found), n);
    if ("ambiguous" in result) ambiguous ??= result.ambiguous.map((e) => e.id);
  }
  return ambiguous ? { ambiguous } : missing;
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

function fromConfig(price: ConfigPrice, defaultSource: string, defaultDate?: string): ResolvedPrice {
  const { source, date, ...rest } = price;
  return { ...rest, source: source ?? defaultSource, date: date ?? defaultDate };
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
