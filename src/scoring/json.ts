import { createRequire } from "node:module";
import type { Ajv, ValidateFunction } from "ajv";
import type { DatasetItem } from "../dataset/types.js";
import type { Scorer, ScorerDescriptor } from "./types.js";
import { normalizeAnswer, preview } from "./normalize.js";
import { SafeRegex } from "./safe-regex.js";

// ajv takes ~90 ms to load, so it is required synchronously on the first schema, not when this module loads.
const requireHere = createRequire(import.meta.url);
let ajv: Ajv | undefined;
const validatorsBySchema = new WeakMap<object, ValidateFunction | Error>();
const validatorsByText = new Map<string, ValidateFunction | Error>();

function createAjv(): Ajv {
  const { Ajv } = requireHere("ajv") as typeof import("ajv");
  // Schema `pattern` and `patternProperties` come from the dataset: they run under a time budget, as regex scorers do.
  const regExp = Object.assign((pattern: string, flags: string) => new SafeRegex(pattern, flags), { code: "SafeRegex" });
  return new Ajv({ allErrors: true, strict: false, logger: false, code: { regExp } });
}

/** Compiles a JSON Schema once (cached by object, then by JSON text); returns the compile error if it is invalid. */
export function compileSchema(schema: object): ValidateFunction | Error {
  let validator = validatorsBySchema.get(schema);
  if (validator) return validator;
  const text = JSON.stringify(schema);
  validator = validatorsByText.get(text);
  if (!validator) {
    ajv ??= createAjv();
    try {
      validator = ajv.compile(schema);
    } catch (error) {
      validator = error instanceof Error ? error : new Error(String(error));
    }
    validatorsByText.set(text, validator);
  }
  validatorsBySchema.set(schema, validator);
  return validator;
}

// Each try scans to the end of the text, so a degenerate answer ("{{{{…") is cut off after this many.
const MAX_BRACKET_STARTS = 25;
// The info string stops at a backtick (as in CommonMark), so an answer of many "```" on one line is read in linear time.
const FENCED_BLOCK = /```[ \t]*(json5?|JSON)?[^\n`]*\n([\s\S]*?)```/g;

/** The JSON value in an answer: the whole text, else a fenced block (```json first), else the first balanced {…}/[…]. */
export function extractJson(text: string): { value: unknown } | undefined {
  const whole = tryParse(text.trim());
  if (whole) return whole;
  const blocks = [...text.matchAll(FENCED_BLOCK)].sort((a, b) => Number(b[1] !== undefined) - Number(a[1] !== undefined));
  for (const block of blocks) {
    const parsed = tryParse(block[2]!.trim());
    if (parsed) return parsed;
  }
  let attempts = 0;
  for (let start = text.search(/[{[]/); start !== -1 && attempts++ < MAX_BRACKET_STARTS; start = nextOpening(text, start + 1)) {
    const end = balancedEnd(text, start);
    const parsed = end === -1 ? undefined : tryParse(text.slice(start, end + 1));
    if (parsed) return parsed;
  }
  return undefined;
}

function tryParse(text: string): { value: unknown } | undefined {
  if (text === "") return undefined;
  try {
    return { value: JSON.parse(text) };
  } catch {
    return undefined;
  }
}

function nextOpening(text: string, from: number): number {
  const index = text.slice(from).search(/[{[]/);
  return index === -1 ? -1 : from + index;
}

/** Index of the bracket closing the one at `start`, skipping brackets inside strings; -1 if it never closes. */
function balancedEnd(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "{" || c === "[") depth++;
    else if ((c === "}" || c === "]") && --depth === 0) return i;
  }
  return -1;
}

/** The value at a dotted path ("a.b", "items.0.name"), or undefined. */
export function getPath(value: unknown, path: string): unknown {
  let current = value;
  for (const key of path.split(".")) {
    if (current === null || typeof current !== "object" || !Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** Deep equality where strings compare with the `exact` normalisation and object key order does not matter. */
export function jsonMatches(actual: unknown, expected: unknown): boolean {
  if (typeof actual === "string" && typeof expected === "string") return normalizeAnswer(actual) === normalizeAnswer(expected);
  if (Array.isArray(expected)) {
    return Array.isArray(actual) && actual.length === expected.length && expected.every((e, i) => jsonMatches(actual[i], e));
  }
  if (expected !== null && typeof expected === "object") {
    if (actual === null || typeof actual !== "object" || Array.isArray(actual)) return false;
    const a = actual as Record<string, unknown>;
    const e = expected as Record<string, unknown>;
    const keys = Object.keys(e);
    return keys.length === Object.keys(a).length && keys.every((k) => Object.hasOwn(a, k) && jsonMatches(a[k], e[k]));
  }
  return actual === expected;
}

/**
 * Parses the answer as JSON and runs the checks: `required` paths, `equals` (path → value), `schema` (JSON Schema);
 * with none of them, deep equality with an object/array `expected`. Graded: share of checks passed; 0 if unparseable.
 */
export const json: Scorer = (output, item, options) => {
  const parsed = extractJson(output);
  if (!parsed) return { score: 0, reason: `not JSON: ${preview(output, item)}` };
  const failures: string[] = [];
  let checks = 0;
  const check = (passed: boolean, failure: () => string) => {
    checks++;
    if (!passed) failures.push(failure());
  };
  const required = Array.isArray(options.required) ? options.required.filter((p) => typeof p === "string") : [];
  for (const path of required) check(getPath(parsed.value, path) !== undefined, () => `missing ${path}`);
  const equals = isPlainObject(options.equals) ? options.equals : {};
  for (const [path, wanted] of Object.entries(equals)) {
    const actual = getPath(parsed.value, path);
    check(jsonMatches(actual, wanted), () => `${path}: got ${shown(actual, item)}, expected ${shown(wanted, item)}`);
  }
  if (isPlainObject(options.schema)) {
    const validate = compileSchema(options.schema);
    if (validate instanceof Error) check(false, () => `invalid schema: ${validate.message}`);
    else check(validate(parsed.value), () => `schema: ${schemaErrors(validate)}`);
  }
  if (checks === 0 && item.expected !== null && typeof item.expected === "object") {
    check(jsonMatches(parsed.value, item.expected), () => "differs from expected");
  }
  if (checks === 0) return { score: 1 };
  return { score: (checks - failures.length) / checks, ...(failures.length > 0 ? { reason: failures.join("; ") } : {}) };
};

function shown(value: unknown, item: DatasetItem): string {
  if (item.sensitive) return "(hidden)";
  const text = JSON.stringify(value) ?? "nothing";
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

function schemaErrors(validate: ValidateFunction): string {
  const errors = (validate.errors ?? []).slice(0, 3).map((e) => `${e.instancePath || "/"} ${e.message ?? "is invalid"}`);
  return errors.join(", ");
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

export const scorer: ScorerDescriptor = {
  options: { required: "strings", equals: "object", schema: "object" },
  goldAnswerProblem: (_item, options) => {
    if (!isPlainObject(options.schema)) return undefined;
    const validate = compileSchema(options.schema);
    return validate instanceof Error ? `invalid JSON schema: ${validate.message}` : undefined;
  },
  needsJudge: false,
  score: json,
};
