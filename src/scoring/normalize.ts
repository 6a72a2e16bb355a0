import type { DatasetItem } from "../dataset/types.js";

const WHITESPACE_RUN = /\s+/g;
const SURROUNDING_QUOTES = /^(["'`“”‘’]+)([\s\S]*?)(["'`“”‘’]+)$/;
const TRAILING_PUNCTUATION = /[.!?]+$/;

/** NFKC, trim and collapse whitespace: the shape-only normalisation every text comparison starts from. */
export function normalizeSpacing(text: string): string {
  return text.normalize("NFKC").replace(WHITESPACE_RUN, " ").trim();
}

/**
 * The `exact` normalisation: spacing, then strip surrounding quotes/backticks and trailing . ! ? (repeatedly, so
 * `"Paris."` and `"Paris".` both become Paris), lower-cased unless case matters.
 */
export function normalizeAnswer(text: string, caseSensitive = false): string {
  let result = normalizeSpacing(text);
  for (;;) {
    const stripped = result.replace(TRAILING_PUNCTUATION, "").replace(SURROUNDING_QUOTES, "$2").trim();
    if (stripped === result) break;
    result = stripped;
  }
  return caseSensitive ? result : result.toLowerCase();
}

/** A gold answer given as a string, a number or an array of them, as a list of strings; undefined if it is not one. */
export function toStringList(value: unknown): string[] | undefined {
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return [String(value)];
  if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === "string" || typeof v === "number")) {
    return value.map(String);
  }
  return undefined;
}

/** The problem of a scorer that compares with a text gold answer, when the item has none. */
export function textAnswerProblem(scorer: string, item: DatasetItem): string | undefined {
  return toStringList(item.expected) === undefined ? `${scorer} needs expected: a string or a list of strings` : undefined;
}

/** A short quotation of a text for a score reason, hidden for sensitive items so reports never leak their content. */
export function preview(text: string, item: DatasetItem, maxLength = 60): string {
  if (item.sensitive) return "(hidden: sensitive item)";
  const flat = normalizeSpacing(text);
  return JSON.stringify(flat.length > maxLength ? `${flat.slice(0, maxLength)}…` : flat);
}
