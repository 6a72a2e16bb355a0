import { statSync } from "node:fs";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { price as priceSchema } from "../config/schema.js";
import { InputError, errorMessage } from "../errors.js";
import { annotateFsError, isFsError } from "../io/fs-errors.js";
import { parseJsonText, readTextFile } from "../io/json-file.js";
import type { LongContextTier } from "./catalog/index.js";
import type { ResolvedPrice } from "./price.js";

/**
 * What a user table says about a name: its price; several entries that answer to it (their keys); an entry that has
 * no usable chat price per token (why); or nothing, with the keys of entries for the same model on other hosts.
 */
export type TableLookup =
  | { price: ResolvedPrice; key: string }
  | { ambiguous: string[] }
  | { unusable: string; key: string }
  | { missing: true; elsewhere: string[] };

/** A user's own prices, from a `prices:` file in modelpick.yaml or `--prices FILE`. */
export interface PriceTable {
  file: string;
  format: "litellm" | "modelpick";
  /** How figures from this table are labelled, e.g. "LiteLLM prices.json". */
  label: string;
  /** Entries with a usable chat price. */
  size: number;
  /** LiteLLM entries left out: not a chat model, or not priced per token. */
  skipped: number;
  find(name: string, provider?: string): TableLookup;
  /** The price `find` gives, or undefined for any other answer. */
  lookup(name: string, provider?: string): ResolvedPrice | undefined;
  names(): string[];
}

/** LiteLLM's provider keys mapped to the names the catalog (and `providerHint`) uses. */
const LITELLM_PROVIDERS: Record<string, string> = {
  together_ai: "together",
  fireworks_ai: "fireworks",
  gemini: "google",
  lambda_ai: "lambda",
  vercel_ai_gateway: "vercel",
};

/**
 * Providers that make the models they serve: `gemini/gemini-flash-latest` also answers to the bare
 * `gemini-flash-latest`. Gateways and hosts (azure, openrouter, bedrock, together_ai…) serve other makers' models
 * under the makers' names, so their entries answer only to their own keys: a bare name never means "via a gateway".
 */
const MODEL_MAKERS = new Set([
  "openai",
  "anthropic",
  "gemini",
  "mistral",
  "codestral",
  "deepseek",
  "xai",
  "perplexity",
  "moonshot",
  "dashscope",
  "zai",
  "minimax",
  "cohere",
  "cohere_chat",
  "ai21",
  "volcengine",
  "meta_llama",
  "gigachat",
  "sarvam",
  "inception",
]);

const CHAT_MODES = new Set(["chat", "completion", "responses"]);

/** Price fields of other units, for saying why an entry has no price per token. */
const OTHER_UNITS: Array<[field: string, unit: string]> = [
  ["input_cost_per_second", "per second"],
  ["output_cost_per_second", "per second"],
  ["input_cost_per_video_per_second", "per second of video"],
  ["input_cost_per_audio_per_second", "per second of audio"],
  ["input_cost_per_character", "per character"],
  ["output_cost_per_character", "per character"],
  ["input_cost_per_image", "per image"],
  ["output_cost_per_image", "per image"],
  ["input_cost_per_query", "per query"],
  ["input_cost_per_request", "per request"],
  ["input_cost_per_pixel", "per pixel"],
  ["ocr_cost_per_page", "per page"],
  ["code_interpreter_cost_per_session", "per session"],
];

/** Reads a LiteLLM `model_prices_and_context_window.json` (prices per token) or modelpick's own YAML/JSON map. */
export function loadPriceTable(file: string): PriceTable {
  let text: string;
  try {
    text = readTextFile(file);
  } catch (error) {
    throw isFsError(error) ? annotateFsError(error, { hint: "check the prices file's path in --prices or prices:" }) : error;
  }
  const data = parseDocument(file, text);
  const fileDate = `${statSync(file).mtime.toISOString().slice(0, 10)} (file modified)`;
  return looksLikeLiteLLM(data) ? fromLiteLLM(file, data, fileDate) : fromOwnFormat(file, data, fileDate);
}

/**
 * JSON when the name says so or the text starts like JSON (a LiteLLM file saved without its extension parses in a
 * fraction of the time and memory YAML would take); YAML otherwise, and for a `{…}` text that is not JSON.
 */
function parseDocument(file: string, text: string): Record<string, unknown> {
  const named = file.toLowerCase().endsWith(".json");
  let data: unknown;
  if (named) {
    data = parseJsonText(text, file, { ours: false, remedy: "fix it, or download the price file again" });
  } else {
    data = /^\uFEFF?\s*[{[]/.test(text) ? jsonOrUndefined(text) : undefined;
    if (data === undefined) data = parseYamlText(file, text);
  }
  if (!isObject(data)) throw new InputError(`${file}: expected an object mapping model names to prices`);
  return data;
}

function jsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch {
    return undefined;
  }
}

function parseYamlText(file: string, text: string): unknown {
  try {
    return parseYaml(text);
  } catch (error) {
    throw new InputError(`${file}: not valid YAML: ${errorMessage(error).split("\n")[0]}`);
  }
}

function looksLikeLiteLLM(data: Record<string, unknown>): boolean {
  return Object.values(data).some((v) => isObject(v) && ("litellm_provider" in v || "input_cost_per_token" in v));
}

function fromLiteLLM(file: string, data: Record<string, unknown>, fileDate: string): PriceTable {
  const label = `LiteLLM ${path.basename(file)}`;
  const index = new NameIndex();
  for (const [key, value] of Object.entries(data)) {
    if (key === "sample_spec" || !isObject(value)) continue;
    const provider = typeof value.litellm_provider === "string" ? value.litellm_provider : undefined;
    const read = liteLLMPrice(value, label, fileDate);
    index.add({ key, ...read }, liteLLMAliases(key, provider));
  }
  return index.table(file, "litellm", label);
}

type Read = { price: ResolvedPrice } | { unusable: string };

/** Per-token fields × 1e6 = USD per million tokens; `unusable` says why an entry has no chat price per token. */
function liteLLMPrice(entry: Record<string, unknown>, source: string, date: string): Read {
  if (typeof entry.mode !== "string") return { unusable: "it has no `mode`, so it is not known to be a chat model" };
  if (!CHAT_MODES.has(entry.mode)) return { unusable: `it is ${article(entry.mode)} ${entry.mode} model (mode: ${entry.mode}), not a chat model` };
  const perM = perMillion(entry);
  const tiers = Array.isArray(entry.tiered_pricing) ? tieredPrices(entry.tiered_pricing) : undefined;
  if (typeof tiers === "string") return { unusable: tiers };
  const input = tiers?.base.inputPerMTok ?? perM("input_cost_per_token");
  const output = tiers?.base.outputPerMTok ?? perM("output_cost_per_token");
  if (input === undefined || output === undefined) return { unusable: noTokenPrice(entry, input === undefined ? "input" : "output") };
  const free = input === 0 && output === 0;
  const price: ResolvedPrice = {
    inputPerMTok: input,
    outputPerMTok: output,
    source: free ? `${source} [listed at $0 in the file: free, or a placeholder]` : source,
    date,
  };
  assign(price, "cacheReadPerMTok", tiers?.base.cacheReadPerMTok ?? perM("cache_read_input_token_cost") ?? perM("input_cost_per_token_cache_hit"));
  assign(price, "cacheWritePerMTok", perM("cache_creation_input_token_cost"));
  assign(price, "cacheWrite1hPerMTok", perM("cache_creation_input_token_cost_above_1hr"));
  assign(price, "batchInputPerMTok", perM("input_cost_per_token_batches"));
  assign(price, "batchOutputPerMTok", perM("output_cost_per_token_batches"));
  const [first, ...higher] = tiers?.above ?? longContextTiers(entry, perM);
  if (first) price.longContext = first;
  if (higher.length > 0) price.higherTiers = higher;
  return { price };
}

function perMillion(entry: Record<string, unknown>): (field: string) => number | undefined {
  return (field) => toPerMillion(entry[field]);
}

function toPerMillion(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? Number((value * 1e6).toPrecision(12)) : undefined;
}

function noTokenPrice(entry: Record<string, unknown>, missing: "input" | "output"): string {
  const other = OTHER_UNITS.find(([field]) => typeof entry[field] === "number");
  if (other) return `it is priced ${other[1]} (${other[0]}), not per token`;
  const field = `${missing}_cost_per_token`;
  return field in entry ? `its ${field} is not a price (${JSON.stringify(entry[field])})` : `it has no ${field}`;
}

/**
 * LiteLLM names tiers `input_cost_per_token_above_200k_tokens`; each applies to the whole request when the prompt is
 * over its threshold. Ascending; a threshold without both an input and an output price is not a tier.
 */
function longContextTiers(entry: Record<string, unknown>, perM: (field: string) => number | undefined): LongContextTier[] {
  const thresholds = Object.keys(entry)
    .map((k) => /^input_cost_per_token_above_(\d+)k_tokens$/.exec(k)?.[1])
    .filter((t): t is string => t !== undefined)
    .sort((a, b) => Number(a) - Number(b));
  const tiers: LongContextTier[] = [];
  for (const k of thresholds) {
    const input = perM(`input_cost_per_token_above_${k}k_tokens`);
    const output = perM(`output_cost_per_token_above_${k}k_tokens`);
    if (input === undefined || output === undefined) continue;
    const tier: LongContextTier = { aboveInputTokens: Number(k) * 1000, inputPerMTok: input, outputPerMTok: output };
    assign(tier, "cacheReadPerMTok", perM(`cache_read_input_token_cost_above_${k}k_tokens`));
    assign(tier, "cacheWritePerMTok", perM(`cache_creation_input_token_cost_above_${k}k_tokens`));
    tiers.push(tier);
  }
  return tiers;
}

/**
 * `tiered_pricing: [{ range: [0, 32000], input_cost_per_token, output_cost_per_token }, { range: [32000, 128000], … }]`:
 * the tier from 0 is the base price, each other one prices the whole request whose prompt is past its start. A string
 * says why the array cannot be read.
 */
function tieredPrices(list: unknown[]): { base: LongContextTier; above: LongContextTier[] } | string {
  const tiers: LongContextTier[] = [];
  for (const [i, tier] of list.entries()) {
    if (!isObject(tier)) return `its tiered_pricing[${i}] is not an object`;
    const range = tier.range;
    const start = Array.isArray(range) ? range[0] : undefined;
    const input = toPerMillion(tier.input_cost_per_token);
    const output = toPerMillion(tier.output_cost_per_token);
    if (typeof start !== "number" || !Number.isFinite(start) || start < 0) return `its tiered_pricing[${i}] has no token range`;
    if (input === undefined || output === undefined) return `its tiered_pricing[${i}] has no input and output price per token`;
    const read: LongContextTier = { aboveInputTokens: start, inputPerMTok: input, outputPerMTok: output };
    assign(read, "cacheReadPerMTok", toPerMillion(tier.cache_read_input_token_cost));
    tiers.push(read);
  }
  tiers.sort((a, b) => a.aboveInputTokens - b.aboveInputTokens);
  const [base, ...above] = tiers;
  if (base?.aboveInputTokens !== 0) return "its tiered_pricing has no tier starting at 0 tokens";
  return { base, above };
}

interface Aliases {
  /** The same entry under a provider-qualified name: `openai/gpt-4o` for `gpt-4o`, `together/x/y` for `together_ai/x/y`. */
  qualified: string[];
  /** The bare model name of a model maker's own entry: `gemini-flash-latest` for `gemini/gemini-flash-latest`. */
  bare: string[];
}

function liteLLMAliases(key: string, provider: string | undefined): Aliases {
  if (!provider) return { qualified: [], bare: [] };
  const ours = LITELLM_PROVIDERS[provider] ?? provider;
  if (key.startsWith(`${provider}/`)) {
    const rest = key.slice(provider.length + 1);
    return { qualified: ours === provider ? [] : [`${ours}/${rest}`], bare: MODEL_MAKERS.has(provider) ? [rest] : [] };
  }
  if (!key.includes("/")) return { qualified: [`${provider}/${key}`, `${ours}/${key}`], bare: [] };
  return { qualified: [], bare: [] };
}

const ownEntry = priceSchema;
const ownFile = z
  .object({
    source: z.string().optional(),
    date: z.string().optional(),
    prices: z.record(z.string(), z.unknown()),
  })
  .strict();

/**
 * modelpick's own format: `{ source?, date?, prices: { name: { inputPerMTok, outputPerMTok, … } } }`, or just the
 * map of names to prices. Entry-level source/date win over the file's.
 */
function fromOwnFormat(file: string, data: Record<string, unknown>, fileDate: string): PriceTable {
  const wrapped = "prices" in data ? ownFile.safeParse(data) : undefined;
  if (wrapped && !wrapped.success) {
    const issue = wrapped.error.issues[0]!;
    throw new InputError(`${file}: ${issue.path.join(".") || "(top level)"}: ${issue.message}`);
  }
  const map = wrapped?.data.prices ?? data;
  const fileSource = wrapped?.data.source ?? path.basename(file);
  const date = wrapped?.data.date ?? fileDate;
  const index = new NameIndex();
  for (const [name, value] of Object.entries(map)) {
    const parsed = ownEntry.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const field = [name, ...issue.path.map(String)].join(".");
      throw new InputError(`${file}: ${field}: ${issue.message} (expected inputPerMTok and outputPerMTok in USD per million tokens)`);
    }
    const { source, date: entryDate, ...prices } = parsed.data;
    index.add({ key: name, price: { ...prices, source: source ?? fileSource, date: entryDate ?? date } }, { qualified: [], bare: [] });
  }
  const label = wrapped?.data.source ? `${path.basename(file)}: ${wrapped.data.source}` : path.basename(file);
  return index.table(file, "modelpick", label);
}

type Listed = { key: string } & Read;

/**
 * Names → entries, in three levels consulted in order: entry keys, provider-qualified aliases, bare aliases. The
 * first level that lists a name decides: an exact key always wins over any alias. Lower-cased.
 */
class NameIndex {
  private readonly levels = [new Map<string, Listed[]>(), new Map<string, Listed[]>(), new Map<string, Listed[]>()];
  /** `gpt-4o` → `azure/gpt-4o`, `openrouter/openai/gpt-4o`…: every key that ends with the name after a slash. */
  private readonly bySuffix = new Map<string, string[]>();
  private usable = 0;
  private unusable = 0;

  add(entry: Listed, aliases: Aliases): void {
    if ("price" in entry) this.usable++;
    else this.unusable++;
    const [keys, qualified, bare] = this.levels as [Map<string, Listed[]>, Map<string, Listed[]>, Map<string, Listed[]>];
    push(keys, entry.key.toLowerCase(), entry);
    for (const name of new Set(aliases.qualified.map((n) => n.toLowerCase()))) push(qualified, name, entry);
    for (const name of new Set(aliases.bare.map((n) => n.toLowerCase()))) push(bare, name, entry);
    const parts = entry.key.toLowerCase().split("/");
    for (let i = 1; i < parts.length; i++) push(this.bySuffix, parts.slice(i).join("/"), entry.key);
  }

  table(file: string, format: PriceTable["format"], label: string): PriceTable {
    const find = (name: string, provider?: string): TableLookup => {
      const candidates = provider ? [`${provider}/${name}`, name] : [name];
      for (const candidate of candidates) {
        for (const level of this.levels) {
          const listed = level.get(candidate.toLowerCase());
          if (listed) return decide(listed, candidate);
        }
      }
      return { missing: true, elsewhere: this.bySuffix.get(name.toLowerCase()) ?? [] };
    };
    return {
      file,
      format,
      label,
      size: this.usable,
      skipped: this.unusable,
      find,
      lookup: (name, provider) => {
        const found = find(name, provider);
        return "price" in found ? found.price : undefined;
      },
      names: () => [...this.levels[0]!.keys()],
    };
  }
}

/**
 * One level's entries for a name: the priced ones decide (one, or several with the very same prices); a key spelled
 * exactly as asked beats its case variants; with no priced entry, the first one says why it is unusable.
 */
function decide(listed: Listed[], name: string): TableLookup {
  const exact = listed.filter((e) => e.key === name);
  const pool = exact.length > 0 ? exact : listed;
  const priced = pool.filter((e): e is Listed & { price: ResolvedPrice } => "price" in e);
  if (priced.length === 0) {
    const first = pool[0] as Listed & { unusable: string };
    return { unusable: first.unusable, key: first.key };
  }
  const same = priced.every((e) => JSON.stringify(e.price) === JSON.stringify(priced[0]!.price));
  return same ? { price: priced[0]!.price, key: priced[0]!.key } : { ambiguous: priced.map((e) => e.key) };
}

function push<V>(map: Map<string, V[]>, name: string, value: V): void {
  const list = map.get(name);
  if (list) list.push(value);
  else map.set(name, [value]);
}

function article(word: string): string {
  return /^[aeiou]/i.test(word) ? "an" : "a";
}

function assign<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
