import { statSync } from "node:fs";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { price as priceSchema } from "../config/schema.js";
import { InputError, errorMessage } from "../errors.js";
import { annotateFsError, isFsError } from "../io/fs-errors.js";
import { parseJsonText, readTextFile } from "../io/json-file.js";
import type { ResolvedPrice } from "./prices.js";

/** A user's own prices, from a `prices:` file in modelpick.yaml or `--prices FILE`. */
export interface PriceTable {
  file: string;
  format: "litellm" | "modelpick";
  /** How figures from this table are labelled, e.g. "LiteLLM prices.json". */
  label: string;
  /** Entries with a usable chat price. */
  size: number;
  /** LiteLLM entries left out: no input/output price per token, or not a chat model. */
  skipped: number;
  lookup(name: string, provider?: string): ResolvedPrice | undefined;
  names(): string[];
}

/** LiteLLM's provider keys mapped to the names the catalog uses. */
const LITELLM_PROVIDERS: Record<string, string> = {
  together_ai: "together",
  fireworks_ai: "fireworks",
  gemini: "google",
  vertex_ai: "google",
  mistral: "mistral",
};

const CHAT_MODES = new Set(["chat", "completion", "responses"]);

/** Reads a LiteLLM `model_prices_and_context_window.json` (prices per token) or modelpick's own YAML/JSON map. */
export function loadPriceTable(file: string): PriceTable {
  const shown = file;
  let text: string;
  try {
    text = readTextFile(file);
  } catch (error) {
    throw isFsError(error) ? annotateFsError(error, { hint: "check the prices file's path in --prices or prices:" }) : error;
  }
  const data = parseDocument(shown, text);
  const fileDate = `${statSync(file).mtime.toISOString().slice(0, 10)} (file modified)`;
  return looksLikeLiteLLM(data) ? fromLiteLLM(shown, data, fileDate) : fromOwnFormat(shown, data, fileDate);
}

function parseDocument(file: string, text: string): Record<string, unknown> {
  let data: unknown;
  if (file.endsWith(".json")) {
    data = parseJsonText(text, file, { ours: false, remedy: "fix it, or download the price file again" });
  } else {
    try {
      data = parseYaml(text);
    } catch (error) {
      throw new InputError(`${file}: not valid YAML: ${errorMessage(error).split("\n")[0]}`);
    }
  }
  if (!isObject(data)) throw new InputError(`${file}: expected an object mapping model names to prices`);
  return data;
}

function looksLikeLiteLLM(data: Record<string, unknown>): boolean {
  return Object.values(data).some((v) => isObject(v) && ("litellm_provider" in v || "input_cost_per_token" in v));
}

function fromLiteLLM(file: string, data: Record<string, unknown>, fileDate: string): PriceTable {
  const label = `LiteLLM ${path.basename(file)}`;
  const index = new NameIndex();
  let skipped = 0;
  for (const [key, value] of Object.entries(data)) {
    if (key === "sample_spec" || !isObject(value)) continue;
    const price = liteLLMPrice(value, label, fileDate);
    if (!price) {
      skipped++;
      continue;
    }
    const provider = typeof value.litellm_provider === "string" ? value.litellm_provider : undefined;
    index.add(liteLLMNames(key, provider), price);
  }
  return index.table(file, "litellm", label, skipped);
}

/** Per-token fields × 1e6 = USD per million tokens. */
function liteLLMPrice(entry: Record<string, unknown>, source: string, date: string): ResolvedPrice | undefined {
  const perM = (field: string): number | undefined => {
    const v = entry[field];
    return typeof v === "number" && Number.isFinite(v) && v >= 0 ? Number((v * 1e6).toPrecision(12)) : undefined;
  };
  const input = perM("input_cost_per_token");
  const output = perM("output_cost_per_token");
  const mode = typeof entry.mode === "string" ? entry.mode : "chat";
  if (input === undefined || output === undefined || !CHAT_MODES.has(mode)) return undefined;
  const price: ResolvedPrice = { inputPerMTok: input, outputPerMTok: output, source, date };
  assign(price, "cacheReadPerMTok", perM("cache_read_input_token_cost") ?? perM("input_cost_per_token_cache_hit"));
  assign(price, "cacheWritePerMTok", perM("cache_creation_input_token_cost"));
  assign(price, "cacheWrite1hPerMTok", perM("cache_creation_input_token_cost_above_1hr"));
  assign(price, "batchInputPerMTok", perM("input_cost_per_token_batches"));
  assign(price, "batchOutputPerMTok", perM("output_cost_per_token_batches"));
  const tier = lowestLongContextTier(entry, perM);
  if (tier) price.longContext = tier;
  return price;
}

/** LiteLLM names tiers `input_cost_per_token_above_200k_tokens`; the lowest threshold is the first tier billed. */
function lowestLongContextTier(
  entry: Record<string, unknown>,
  perM: (field: string) => number | undefined,
): ResolvedPrice["longContext"] {
  const thresholds = Object.keys(entry)
    .map((k) => /^input_cost_per_token_above_(\d+)k_tokens$/.exec(k)?.[1])
    .filter((t): t is string => t !== undefined)
    .sort((a, b) => Number(a) - Number(b));
  for (const k of thresholds) {
    const input = perM(`input_cost_per_token_above_${k}k_tokens`);
    const output = perM(`output_cost_per_token_above_${k}k_tokens`);
    if (input === undefined || output === undefined) continue;
    const tier: NonNullable<ResolvedPrice["longContext"]> = {
      aboveInputTokens: Number(k) * 1000,
      inputPerMTok: input,
      outputPerMTok: output,
    };
    assign(tier, "cacheReadPerMTok", perM(`cache_read_input_token_cost_above_${k}k_tokens`));
    assign(tier, "cacheWritePerMTok", perM(`cache_creation_input_token_cost_above_${k}k_tokens`));
    return tier;
  }
  return undefined;
}

/** `claude-opus-4-6` (anthropic) also answers to `anthropic/claude-opus-4-6`; `together_ai/x/y` also to `together/x/y`. */
function liteLLMNames(key: string, provider: string | undefined): string[] {
  const names = [key];
  if (!provider) return names;
  const ours = LITELLM_PROVIDERS[provider] ?? provider;
  if (key.startsWith(`${provider}/`)) {
    const rest = key.slice(provider.length + 1);
    names.push(`${ours}/${rest}`, rest);
  } else if (!key.includes("/")) {
    names.push(`${provider}/${key}`, `${ours}/${key}`);
  }
  return names;
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
      throw new InputError(
        `${file}: ${field}: ${issue.message} (expected inputPerMTok and outputPerMTok in USD per million tokens)`,
      );
    }
    const { source, date: entryDate, ...prices } = parsed.data;
    index.add([name], { ...prices, source: source ?? fileSource, date: entryDate ?? date });
  }
  const label = wrapped?.data.source ? `${path.basename(file)}: ${wrapped.data.source}` : path.basename(file);
  return index.table(file, "modelpick", label, 0);
}

/** Maps lower-cased names to prices; a name two entries share is ambiguous and answers nothing. */
class NameIndex {
  private readonly byName = new Map<string, ResolvedPrice[]>();
  private count = 0;

  add(names: string[], price: ResolvedPrice): void {
    this.count++;
    for (const name of new Set(names.map((n) => n.toLowerCase()))) {
      const list = this.byName.get(name) ?? [];
      list.push(price);
      this.byName.set(name, list);
    }
  }

  table(file: string, format: PriceTable["format"], label: string, skipped: number): PriceTable {
    const byName = this.byName;
    const unique = (name: string): ResolvedPrice | undefined => {
      const list = byName.get(name.toLowerCase());
      return list?.length === 1 ? list[0] : undefined;
    };
    return {
      file,
      format,
      label,
      size: this.count,
      skipped,
      lookup: (name, provider) => (provider ? unique(`${provider}/${name}`) : undefined) ?? unique(name),
      names: () => [...byName.keys()],
    };
  }
}

function assign<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
