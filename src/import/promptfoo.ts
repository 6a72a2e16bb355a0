import { InputError, errorMessage } from "../errors.js";
import { optionalNumber, sensitiveFlag, text, toResultRow } from "./fields.js";
import { readText } from "./records.js";
import type { ImportedModel, ImportedResults, ImportOptions } from "./types.js";

/** The parts of a promptfoo EvaluateResult (`promptfoo eval -o out.json`, results.results[]) that we read. */
interface PromptfooResult {
  provider?: { id?: string; label?: string } | string;
  promptIdx?: number;
  testIdx?: number;
  testCase?: { vars?: Record<string, unknown>; description?: string; metadata?: Record<string, unknown> };
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

/**
 * promptfoo's JSON output: `{ evalId, results: { version, timestamp, results: EvaluateResult[], … }, config, … }`
 * (older files: `results` is the array itself). One row per result; the model is the provider's label or id, with
 * `#p<promptIdx>` when the eval compared several prompts.
 */
export async function importPromptfoo(file: string, options: ImportOptions): Promise<ImportedResults> {
  const data = parseJson(file);
  const { results, runId, date } = unwrap(data, file);
  const multiplePrompts = new Set(results.map((r) => r.promptIdx ?? 0)).size > 1;
  const models = new Map<string, ImportedModel>();
  const sensitiveItems = new Set<string>();
  const rows = results.map((result, index) => {
    const where = `${file}: results[${index}]`;
    const provider = providerOf(result, where);
    const model = multiplePrompts ? `${provider.label}#p${result.promptIdx ?? 0}` : provider.label;
    if (!models.has(model)) models.set(model, { id: model, provider: provider.provider, model: provider.model });
    const vars = { ...(result.testCase?.vars ?? {}), ...(result.vars ?? {}) };
    const metadata = { ...(result.testCase?.metadata ?? {}), ...(result.metadata ?? {}) };
    const itemId = itemIdOf(result, vars, metadata, options, where);
    if (sensitiveFlag(vars[options.columns.sensitive ?? "sensitive"], where) || sensitiveFlag(metadata.sensitive, where)) sensitiveItems.add(itemId);
    const error = errorOf(result);
    const usage = result.response?.tokenUsage ?? result.tokenUsage;
    return toResultRow(
      {
        itemId,
        model,
        category: categoryOf(vars, metadata, options),
        score: error ? null : scoreOf(result, where),
        output: text(result.response?.output ?? null),
        passed: error ? null : (result.success ?? null),
        error,
        latencyMs: optionalNumber(result.latencyMs ?? result.response?.latencyMs, where, "latencyMs"),
        inputTokens: optionalNumber(usage?.prompt, where, "tokenUsage.prompt"),
        outputTokens: optionalNumber(usage?.completion, where, "tokenUsage.completion"),
        costUsd: optionalNumber(result.cost ?? result.response?.cost, where, "cost"),
        cached: result.response?.cached === true,
      },
      where,
    );
  });
  return { rows, models: [...models.values()], sensitiveItems, runId, date, notes: [] };
}

function parseJson(file: string): unknown {
  try {
    return JSON.parse(readText(file));
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`${file}: not valid JSON (${errorMessage(error)}); expected the file written by \`promptfoo eval -o out.json\``);
  }
}

function unwrap(data: unknown, file: string): { results: PromptfooResult[]; runId?: string; date?: string } {
  const top = isObject(data) ? data : {};
  const inner = top.results;
  const results = Array.isArray(inner) ? inner : isObject(inner) && Array.isArray(inner.results) ? inner.results : null;
  if (!results) {
    throw new InputError(`${file}: no results.results[] array; expected the JSON written by \`promptfoo eval -o out.json\``);
  }
  results.forEach((r, i) => {
    if (!isObject(r)) throw new InputError(`${file}: results.results[${i}] is not an object`);
  });
  const timestamp = isObject(inner) && typeof inner.timestamp === "string" ? inner.timestamp : undefined;
  return {
    results: results as PromptfooResult[],
    runId: typeof top.evalId === "string" ? top.evalId : undefined,
    date: timestamp ?? (typeof top.createdAt === "string" ? top.createdAt : undefined),
  };
}

/** `openai:gpt-4o-mini` → provider `openai`, model `gpt-4o-mini` (`ollama:chat:llama3.1:8b` → `llama3.1:8b`); a label names the model id. */
function providerOf(result: PromptfooResult, where: string): { label: string; provider: string; model: string } {
  const p = result.provider;
  const id = typeof p === "string" ? p : p?.id;
  const label = typeof p === "string" ? undefined : p?.label;
  if (!id && !label) throw new InputError(`${where}: provider.id is missing`);
  const full = id ?? label!;
  const colon = full.indexOf(":");
  const rest = colon > 0 ? full.slice(colon + 1).replace(/^(chat|completion|messages|responses|embedding):/, "") : full;
  return {
    label: label || full,
    provider: colon > 0 ? full.slice(0, colon) : "promptfoo",
    model: rest,
  };
}

function itemIdOf(
  result: PromptfooResult,
  vars: Record<string, unknown>,
  metadata: Record<string, unknown>,
  options: ImportOptions,
  where: string,
): string {
  const mapped = options.columns.itemId;
  if (mapped !== undefined) {
    const value = vars[mapped] ?? metadata[mapped];
    if (value === undefined || value === null || value === "") throw new InputError(`${where}: no test variable "${mapped}" (from --map itemId=${mapped})`);
    return String(value);
  }
  if (typeof metadata.id === "string" || typeof metadata.id === "number") return String(metadata.id);
  if (typeof result.testIdx === "number") return `test-${result.testIdx}`;
  throw new InputError(`${where}: no testIdx and no metadata.id; name the test variable that identifies items with --map itemId=VAR`);
}

function categoryOf(vars: Record<string, unknown>, metadata: Record<string, unknown>, options: ImportOptions): string {
  const key = options.columns.category ?? "category";
  const value = vars[key] ?? metadata[key];
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

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
