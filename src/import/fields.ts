import { yesNo } from "../dataset/item.js";
import { InputError } from "../errors.js";
import type { ResultRow } from "../results/row.js";

/** The modelpick fields an imported file can supply, and the column names recognised without `--map`. */
export const FIELD_ALIASES = {
  itemId: ["itemId", "item_id", "id", "sample_id", "question_id"],
  category: ["category", "task", "subject"],
  model: ["model", "model_id"],
  score: ["score"],
  output: ["output", "response", "model_response"],
  inputTokens: ["inputTokens", "input_tokens", "prompt_tokens"],
  outputTokens: ["outputTokens", "output_tokens", "completion_tokens"],
  costUsd: ["costUsd", "cost_usd", "cost", "total_cost"],
  latencyMs: ["latencyMs", "latency_ms", "latency"],
  passed: ["passed", "pass", "success"],
  error: ["error"],
  sensitive: ["sensitive"],
} as const;

export type Field = keyof typeof FIELD_ALIASES;

export const FIELDS = Object.keys(FIELD_ALIASES) as Field[];

/** Parses `--map itemId=question,score=correct` (repeatable) into field → column name. */
export function parseColumnMap(entries: readonly string[]): Partial<Record<Field, string>> {
  const map: Partial<Record<Field, string>> = {};
  for (const entry of entries.flatMap((e) => e.split(","))) {
    if (entry.trim() === "") continue;
    const eq = entry.indexOf("=");
    const field = entry.slice(0, eq).trim() as Field;
    const column = entry.slice(eq + 1).trim();
    if (eq <= 0 || column === "") throw new InputError(`--map: "${entry}" should be field=column, e.g. itemId=question_id`);
    if (!FIELDS.includes(field)) throw new InputError(`--map: unknown field "${field}"; use one of ${FIELDS.join(", ")}`);
    map[field] = column;
  }
  return map;
}

/** Finds the column for each field: the mapped name, else a known alias (case-insensitive). */
export function resolveColumns(columns: readonly string[], map: Partial<Record<Field, string>>, file: string): Partial<Record<Field, string>> {
  const byLower = new Map(columns.map((c) => [c.toLowerCase(), c]));
  const resolved: Partial<Record<Field, string>> = {};
  for (const field of FIELDS) {
    const wanted = map[field];
    if (wanted !== undefined) {
      const column = byLower.get(wanted.toLowerCase());
      if (!column) throw new InputError(`${file}: --map ${field}=${wanted}: no column "${wanted}" (columns: ${columns.join(", ")})`);
      resolved[field] = column;
      continue;
    }
    const alias = FIELD_ALIASES[field].map((a) => byLower.get(a.toLowerCase())).find((c) => c !== undefined);
    if (alias) resolved[field] = alias;
  }
  return resolved;
}

export function optionalNumber(value: unknown, where: string, what: string): number | null {
  if (value === undefined || value === null || value === "") return null;
  const n = typeof value === "number" ? value : Number(String(value).trim());
  if (!Number.isFinite(n)) throw new InputError(`${where}: ${what} "${String(value)}" is not a number`);
  return n;
}

export function truthy(value: unknown): boolean {
  if (typeof value === "boolean") return value;
  if (typeof value === "number") return value !== 0;
  return typeof value === "string" && /^(true|yes|y|1)$/i.test(value.trim());
}

/**
 * Whether a record marks its item sensitive: a boolean, 0/1, or true/false, yes/no, 1/0 in any case; missing or empty
 * is no. Anything else is refused, as reading it as "no" would route sensitive data to cloud models.
 */
export function sensitiveFlag(value: unknown, where: string): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === "boolean") return value;
  const flag = typeof value === "number" ? (value === 1 ? true : value === 0 ? false : undefined) : typeof value === "string" ? yesNo(value) : undefined;
  if (flag === undefined) {
    throw new InputError(`${where}: sensitive: ${JSON.stringify(value)} is not a yes/no value; write true/false, yes/no or 1/0 (empty means false)`);
  }
  return flag;
}

export function optionalBoolean(value: unknown): boolean | null {
  if (value === undefined || value === null || value === "") return null;
  return truthy(value);
}

export function text(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** A score in [0, 1] after dividing by `scale` (100 for percentages); anything else is an error naming the line. */
export function scoreOf(value: unknown, scale: number, where: string): number | null {
  const raw = optionalNumber(value, where, "score");
  if (raw === null) return null;
  const score = raw / scale;
  if (score < 0 || score > 1) {
    throw new InputError(`${where}: score ${raw} is outside [0, ${scale}]; scores must be in [0, 1] (use --score-scale 100 for percentages)`);
  }
  return score;
}

export interface RowFields {
  itemId: string;
  model: string;
  category: string;
  score: number | null;
  output?: string | null;
  passed?: boolean | null;
  error?: string | null;
  latencyMs?: number | null;
  inputTokens?: number | null;
  outputTokens?: number | null;
  costUsd?: number | null;
  cached?: boolean;
}

/** A results.jsonl row from imported fields; a row with neither a score nor an error says the score was missing. */
export function toResultRow(fields: RowFields, where: string): ResultRow {
  const error = fields.error ?? (fields.score === null ? `no score in the imported file (${where})` : null);
  const scored = error === null;
  return {
    itemId: fields.itemId,
    model: fields.model,
    category: fields.category,
    output: fields.output ?? null,
    score: scored ? fields.score : null,
    passed: scored ? (fields.passed ?? null) : null,
    error,
    skipped: null,
    latencyMs: fields.latencyMs ?? null,
    ttftMs: null,
    inputTokens: fields.inputTokens ?? null,
    outputTokens: fields.outputTokens ?? null,
    costUsd: fields.costUsd ?? null,
    cached: fields.cached ?? false,
    attempts: 1,
  };
}
