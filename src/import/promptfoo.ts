import { createHash } from "node:crypto";
import { InputError, errorMessage } from "../errors.js";
import { optionalNumber, sensitiveFlag, text, type RowFields } from "./fields.js";
import { readTextFile } from "../io/json-file.js";
import { mergeRepeats, type Answer } from "./repeats.js";
import type { ImportedModel, ImportedResults, ImportOptions } from "./types.js";

/**
 * The parts of a promptfoo EvaluateResult that we read: `promptfoo eval -o out.json`, results.results[]. Version 3
 * files (2024 on) carry testIdx, promptIdx, promptId, testCase and provider; version 2 files (2023) only prompt
 * (`display`: "[provider-id] template" when the eval had several providers), vars, response, success, score and
 * latencyMs, and some a provider.
 */
interface PromptfooResult {
  provider?: { id?: string; label?: string } | string;
  prompt?: { raw?: string; label?: string; display?: string; id?: string };
  promptId?: string;
  promptIdx?: number;
  testIdx?: number;
  testCase?: { vars?: Record<string, unknown>; description?: string; metadata?: Record<string, unknown>; assert?: unknown };
  description?: string;
  vars?: Record<string, unknown>;
  response?: {
    output?: unknown;
    error?: string;
    cached?: boolean;
    cost?: number;
    latencyMs?: number;
    tokenUsage?: { prompt?: number; completion?: number; total?: number };
  } | null;
  error?: string | null;
  success?: boolean;
  score?: number;
  /** 0 none, 1 an assertion failed, 2 an error (no usable answer). */
  failureReason?: number;
  latencyMs?: number;
  cost?: number;
  tokenUsage?: { prompt?: number; completion?: number };
  metadata?: Record<string, unknown>;
}

const ERROR_FAILURE = 2;
/** The model name given to a 2023 file's results when neither they nor the config name a provider. */
const DEFAULT_PROVIDER = "promptfoo";
/** A prompt label longer than this, or on several lines, is named by its id in model names instead. */
const MAX_LABEL = 40;

interface Document {
  results: PromptfooResult[];
  runId?: string;
  date?: string;
  /** The config's one provider, for 2023 results that name none. */
  soleProvider?: string;
  /** A 2023 file's table body, whose row order is the test order (its results are in completion order). */
  tableRows?: { head: string[]; rows: string[] };
}

/** One result read: who answered which prompt of which test, and the row fields it gives. */
interface Read extends Answer {
  index: number;
  provider: { key: string; provider: string; model: string };
  prompt: { key: string; label?: string };
  /** promptfoo's column (provider × prompt), when the file numbers them. */
  column?: number;
  test: { key: string; position: number };
  vars: Record<string, unknown>;
  metadata: Record<string, unknown>;
  description?: string;
  sensitive: boolean;
}

/**
 * promptfoo's JSON output, versions 2 and 3: one row per test × model, where a model is the provider's label or id,
 * with `#<prompt label>` when that provider answered several prompts. An item is a test (its variables, description,
 * metadata and assertions); `--repeat` answers of one item are averaged into one row (see repeats.ts).
 */
export async function importPromptfoo(file: string, options: ImportOptions): Promise<ImportedResults> {
  const doc = unwrap(parseJson(file), file);
  const notes: string[] = [];
  const reads = doc.results.map((result, index) => readResult(result, index, doc, file, options, notes));
  const modelIds = nameModels(reads, file);
  const itemIds = nameItems(reads, options, file);
  const models = new Map<string, ImportedModel>();
  const sensitiveItems = new Set<string>();
  for (const read of reads) {
    const id = modelIds.get(read)!;
    if (!models.has(id)) models.set(id, { id, provider: read.provider.provider, model: read.provider.model });
    if (read.sensitive) sensitiveItems.add(itemIds.get(read)!);
  }
  const merged = mergeRepeats(
    reads,
    (r) => modelIds.get(r as Read)!,
    (r) => itemIds.get(r as Read)!,
    file,
    notes,
  );
  notes.push(...unknownCostNotes(reads, modelIds));
  return { rows: merged, models: [...models.values()], sensitiveItems, runId: doc.runId, date: doc.date, notes: dedupe(notes) };
}

function parseJson(file: string): unknown {
  const text = readTextFile(file);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputError(`${file}: not valid JSON (${errorMessage(error)}); expected the file written by \`promptfoo eval -o out.json\``);
  }
}

function unwrap(data: unknown, file: string): Document {
  const top = isObject(data) ? data : {};
  const inner = top.results;
  const results = Array.isArray(inner) ? inner : isObject(inner) && Array.isArray(inner.results) ? inner.results : null;
  if (!results) {
    throw new InputError(`${file}: no results.results[] array; expected the JSON written by \`promptfoo eval -o out.json\``);
  }
  if (results.length === 0) {
    throw new InputError(`${file}: holds no results (results.results is empty): the eval ran no tests, or was stopped before any finished`);
  }
  results.forEach((r, i) => {
    if (!isObject(r)) throw new InputError(`${file}: results.results[${i}] is not an object`);
  });
  const timestamp = isObject(inner) && typeof inner.timestamp === "string" ? inner.timestamp : undefined;
  return {
    results: results as PromptfooResult[],
    runId: typeof top.evalId === "string" ? top.evalId : undefined,
    date: timestamp ?? (typeof top.createdAt === "string" ? top.createdAt : undefined),
    soleProvider: soleProvider(isObject(top.config) ? top.config.providers : undefined),
    tableRows: isObject(inner) ? tableRows(inner.table) : undefined,
  };
}

/** `providers: openai:gpt-4` or a list or map with just one provider. */
function soleProvider(providers: unknown): string | undefined {
  const list = typeof providers === "string" ? [providers] : Array.isArray(providers) ? providers : isObject(providers) ? Object.keys(providers) : [];
  if (list.length !== 1) return undefined;
  const only = list[0];
  if (typeof only === "string") return only;
  return isObject(only) && typeof only.id === "string" ? (typeof only.label === "string" && only.label ? only.label : only.id) : undefined;
}

function tableRows(table: unknown): Document["tableRows"] {
  if (!isObject(table) || !isObject(table.head) || !Array.isArray(table.head.vars) || !Array.isArray(table.body)) return undefined;
  const head = table.head.vars.filter((v): v is string => typeof v === "string");
  const rows = table.body.map((row) => (isObject(row) && Array.isArray(row.vars) ? JSON.stringify(row.vars) : ""));
  return { head, rows };
}

function readResult(result: PromptfooResult, index: number, doc: Document, file: string, options: ImportOptions, notes: string[]): Read {
  const where = `${file}: results[${index}]`;
  const display = result.prompt?.display;
  const shown = typeof display === "string" ? /^\[([^\]\n]+)\] ([\s\S]*)$/.exec(display) : null;
  const provider = providerOf(result, shown?.[1], doc.soleProvider, notes);
  const vars = { ...(result.testCase?.vars ?? {}), ...(result.vars ?? {}) };
  const metadata = { ...(result.testCase?.metadata ?? {}), ...(result.metadata ?? {}) };
  const description = result.testCase?.description ?? result.description;
  const error = errorOf(result);
  const usage = result.response?.tokenUsage ?? result.tokenUsage;
  const tokens = tokenCounts(optionalNumber(usage?.prompt, where, "tokenUsage.prompt"), optionalNumber(usage?.completion, where, "tokenUsage.completion"));
  const recordedCost = optionalNumber(result.cost ?? result.response?.cost, where, "cost");
  const fields: Omit<RowFields, "itemId" | "model"> = {
    category: categoryOf(vars, metadata, description, options),
    score: error ? null : scoreOf(result, where),
    output: text(result.response?.output ?? null),
    passed: error ? null : (result.success ?? null),
    error,
    latencyMs: optionalNumber(result.latencyMs ?? result.response?.latencyMs, where, "latencyMs"),
    ...tokens,
    costUsd: recordedCost === 0 ? null : recordedCost,
    cached: result.response?.cached === true,
  };
  const sensitiveVar = options.columns.sensitive ?? "sensitive";
  return {
    index,
    where,
    provider,
    prompt: promptOf(result, shown?.[2]),
    column: typeof result.promptIdx === "number" ? result.promptIdx : undefined,
    test: testOf(result, vars, description, index, doc),
    vars,
    metadata,
    description,
    fields,
    unknownCost: recordedCost === 0,
    sensitive: sensitiveFlag(vars[sensitiveVar], where) || sensitiveFlag(metadata.sensitive, where),
  };
}

/**
 * promptfoo writes 0 where it knows nothing: `cost: 0` when it has no price for a provider (custom, http, python,
 * file:// providers, unknown model names), and 0 tokens when the provider reported no usage. Neither is a
 * measurement: costs of 0 are recorded as unknown (see `unknownCost`), and so are token counts that are both 0.
 */
function tokenCounts(input: number | null, output: number | null): { inputTokens: number | null; outputTokens: number | null } {
  return (input ?? 0) === 0 && (output ?? 0) === 0 ? { inputTokens: null, outputTokens: null } : { inputTokens: input, outputTokens: output };
}

/**
 * `openai:gpt-4o-mini` → provider `openai`, model `gpt-4o-mini` (`ollama:chat:llama3.1:8b` → `llama3.1:8b`); a URL or
 * `file://` id is the model itself (provider `http`, `file`). The model id is the provider's label, else its id.
 */
function providerOf(result: PromptfooResult, displayed: string | undefined, sole: string | undefined, notes: string[]): Read["provider"] {
  const p = result.provider;
  const label = typeof p === "string" ? undefined : p?.label || undefined;
  let id = typeof p === "string" ? p : p?.id;
  if (!id && !label) {
    id = displayed ?? sole;
    if (!id) {
      notes.push(`The results name no provider, and the config has not exactly one: their model is called "${DEFAULT_PROVIDER}".`);
      id = DEFAULT_PROVIDER;
    }
  }
  const full = id ?? label!;
  const url = /^([a-z][a-z0-9+.-]*):\/\//i.exec(full);
  if (url) return { key: label ?? full, provider: url[1]!.toLowerCase().startsWith("http") ? "http" : url[1]!.toLowerCase(), model: full };
  const colon = full.indexOf(":");
  const rest = colon > 0 ? full.slice(colon + 1).replace(/^(chat|completion|messages|responses|embedding):/, "") : full;
  return { key: label ?? full, provider: colon > 0 ? full.slice(0, colon) : "promptfoo", model: rest };
}

/** A prompt's identity: promptfoo's prompt id (a hash of the template), else its label; 2023 files: its display text. */
function promptOf(result: PromptfooResult, displayedTemplate: string | undefined): Read["prompt"] {
  const label = result.prompt?.label || displayedTemplate || result.prompt?.display || undefined;
  const key = result.promptId || result.prompt?.id || label || (typeof result.promptIdx === "number" ? `column ${result.promptIdx}` : "");
  return { key, label };
}

/**
 * A test's identity is its content (variables, description, metadata, assertions): the answers of `--repeat` share
 * it. Its position orders tests for `test-N` names: testIdx, else a 2023 table's row, else the result's index.
 */
function testOf(result: PromptfooResult, vars: Record<string, unknown>, description: string | undefined, index: number, doc: Document): Read["test"] {
  const key = canonicalJson({ description, vars, metadata: result.testCase?.metadata ?? {}, assert: result.testCase?.assert ?? null });
  if (typeof result.testIdx === "number") return { key, position: result.testIdx };
  const row = doc.tableRows ? doc.tableRows.rows.indexOf(JSON.stringify(tableCells(vars, doc.tableRows.head))) : -1;
  return { key, position: row >= 0 ? row : doc.results.length + index };
}

/** A test's variables as a 2023 table row shows them: in the head's order, string lists spread, the rest as JSON. */
function tableCells(vars: Record<string, unknown>, head: string[]): string[] {
  return head.flatMap((name) => {
    const value = vars[name] ?? "";
    if (typeof value === "string") return [value];
    if (Array.isArray(value)) return typeof value[0] === "string" ? (value as string[]) : [JSON.stringify(value)];
    return [JSON.stringify(value)];
  });
}

/**
 * Model ids: the provider's label or id; `<id>#<prompt>` only for a provider that answered several prompts, named by
 * the prompt's label (or `prompt-<id>` when the label is long or shared), so that reordering providers renames
 * nothing. Two providers under one name are refused: their answers would be mixed up.
 */
function nameModels(reads: Read[], file: string): Map<Read, string> {
  const promptsOf = new Map<string, Map<string, Read["prompt"]>>();
  const columns = new Map<string, Set<number>>();
  for (const read of reads) {
    const prompts = promptsOf.get(read.provider.key) ?? new Map<string, Read["prompt"]>();
    prompts.set(read.prompt.key, read.prompt);
    promptsOf.set(read.provider.key, prompts);
    if (read.column !== undefined) {
      const cell = `${read.provider.key}\u0000${read.prompt.key}`;
      const seen = columns.get(cell) ?? new Set<number>();
      seen.add(read.column);
      columns.set(cell, seen);
      if (seen.size > 1) {
        throw new InputError(
          `${file}: two providers are both named "${read.provider.key}" (promptfoo columns ${[...seen].join(" and ")}); ` +
            "give each a distinct label in the promptfoo config (providers: - id: …, label: …) and run it again",
        );
      }
    }
  }
  const suffixes = new Map<string, Map<string, string>>();
  for (const [provider, prompts] of promptsOf) {
    if (prompts.size > 1) suffixes.set(provider, promptSuffixes([...prompts.values()]));
  }
  return new Map(
    reads.map((read) => {
      const suffix = suffixes.get(read.provider.key)?.get(read.prompt.key);
      return [read, suffix === undefined ? read.provider.key : `${read.provider.key}#${suffix}`];
    }),
  );
}

function promptSuffixes(prompts: Read["prompt"][]): Map<string, string> {
  const labels = prompts.map((p) => p.label);
  return new Map(
    prompts.map((p) => {
      const label = p.label?.trim();
      const usable = label && label.length <= MAX_LABEL && !/[\n#]/.test(label) && labels.filter((l) => l?.trim() === label).length === 1;
      return [p.key, usable ? label : `prompt-${shortHash(p.key)}`];
    }),
  );
}

/**
 * Item ids: `--map itemId=NAME` (a test variable, a metadata key, or `description`), else the test's `metadata.id`,
 * else `test-<n>`, n numbering the distinct tests in promptfoo's order. One id must not name two different tests.
 */
function nameItems(reads: Read[], options: ImportOptions, file: string): Map<Read, string> {
  const mapped = options.columns.itemId;
  const firstPosition = new Map<string, number>();
  for (const read of reads) firstPosition.set(read.test.key, Math.min(firstPosition.get(read.test.key) ?? Infinity, read.test.position));
  const order = [...firstPosition.entries()].sort((a, b) => a[1] - b[1]).map(([key]) => key);
  const rank = new Map(order.map((key, i) => [key, i]));
  const ids = new Map<Read, string>();
  const testOfId = new Map<string, Read>();
  for (const read of reads) {
    let id: string;
    if (mapped !== undefined) {
      const value = testField(read, mapped);
      if (value === undefined || value === null || value === "") {
        throw new InputError(`${read.where}: no test variable, metadata key or description "${mapped}" (from --map itemId=${mapped})`);
      }
      id = typeof value === "object" ? JSON.stringify(value) : String(value);
    } else if (typeof read.metadata.id === "string" || typeof read.metadata.id === "number") {
      id = String(read.metadata.id);
    } else {
      id = `test-${rank.get(read.test.key)}`;
    }
    const other = testOfId.get(id);
    if (other && other.test.key !== read.test.key) {
      throw new InputError(
        `${file}: item "${id}" names two different tests (results[${other.index}] and results[${read.index}]); ` +
          "choose a test variable whose value is unique per test with --map itemId=VAR (or --map itemId=description)",
      );
    }
    if (!other) testOfId.set(id, read);
    ids.set(read, id);
  }
  return ids;
}

function testField(read: Pick<Read, "vars" | "metadata" | "description">, name: string): unknown {
  return read.vars[name] ?? read.metadata[name] ?? (name === "description" ? read.description : undefined);
}

function categoryOf(vars: Record<string, unknown>, metadata: Record<string, unknown>, description: string | undefined, options: ImportOptions): string {
  const value = testField({ vars, metadata, description }, options.columns.category ?? "category");
  if (typeof value === "string" && value.trim() !== "") return value.trim();
  return options.defaultCategory ?? "default";
}

/** An errored result has no usable answer: promptfoo scores it 0, but modelpick records the error instead. */
function errorOf(result: PromptfooResult): string | null {
  if (result.failureReason === ERROR_FAILURE) return result.error || result.response?.error || "error (promptfoo failureReason 2)";
  if (result.response?.error) return result.response.error;
  if (result.failureReason === undefined && result.error && result.response?.output === undefined) return result.error;
  return null;
}

function scoreOf(result: PromptfooResult, where: string): number | null {
  if (typeof result.score === "number" && Number.isFinite(result.score)) {
    if (result.score < 0 || result.score > 1) {
      throw new InputError(`${where}: score ${result.score} is outside [0, 1]; promptfoo scores are expected in [0, 1]`);
    }
    return result.score;
  }
  return typeof result.success === "boolean" ? (result.success ? 1 : 0) : null;
}

function unknownCostNotes(reads: Read[], modelIds: Map<Read, string>): string[] {
  const counts = new Map<string, number>();
  for (const read of reads) if (read.unknownCost) counts.set(modelIds.get(read)!, (counts.get(modelIds.get(read)!) ?? 0) + 1);
  return [...counts].map(
    ([model, n]) =>
      `${model}: promptfoo recorded cost 0 for ${n} answer(s) (it writes 0 when it has no price for a provider): ` +
      "recorded as unknown, not free; recommend prices them from --prices or the catalog when it can.",
  );
}

function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) =>
    isObject(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, v[k]]),
        )
      : v,
  );
}

function shortHash(text: string): string {
  return /^[0-9a-f]{8,}$/i.test(text) ? text.slice(0, 8) : createHash("sha256").update(text).digest("hex").slice(0, 8);
}

function dedupe(notes: string[]): string[] {
  return [...new Set(notes)];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
