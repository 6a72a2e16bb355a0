import type { Scorer, ScorerDescriptor } from "./types.js";
import { normalizeSpacing, preview, toStringList } from "./normalize.js";

/**
 * Checks that the answer mentions given values. Options: `values` (default: `expected`), `mode` "all" (graded: share
 * found) | "any" (pass/fail), `caseSensitive` (default false), `forbidden` (any of them present scores 0).
 */
export const contains: Scorer = (output, item, options) => {
  const caseSensitive = options.caseSensitive === true;
  const prepare = (text: string) => (caseSensitive ? normalizeSpacing(text) : normalizeSpacing(text).toLowerCase());
  const answer = prepare(output);
  const present = (value: string) => answer.includes(prepare(value));

  const forbidden = stringArray(options.forbidden);
  const leaked = forbidden.find(present);
  if (leaked !== undefined) return { score: 0, reason: `contains forbidden ${preview(leaked, item)}` };

  const values = options.values !== undefined ? stringArray(options.values) : (toStringList(item.expected) ?? []);
  if (values.length === 0) {
    return forbidden.length > 0 ? { score: 1 } : { score: 0, reason: "no values to look for" };
  }
  const missing = values.filter((value) => !present(value));
  if (options.mode === "any") {
    return missing.length < values.length ? { score: 1 } : { score: 0, reason: `none of ${values.length} values found` };
  }
  if (missing.length === 0) return { score: 1 };
  const found = values.length - missing.length;
  return {
    score: found / values.length,
    reason: `missing ${missing.length}/${values.length}: ${missing.map((m) => preview(m, item, 30)).join(", ")}`,
  };
};

function stringArray(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string" && v !== "") : [];
}

export const scorer: ScorerDescriptor = {
  options: { values: "strings", mode: ["all", "any"], caseSensitive: "boolean", forbidden: "strings" },
  goldAnswerProblem: (item, options) => {
    if (stringArray(options.values).length > 0 || toStringList(item.expected) !== undefined) return undefined;
    if (stringArray(options.forbidden).length > 0) return undefined;
    return "contains needs values, expected (a string or a list of strings) or forbidden";
  },
  needsJudge: false,
  score: contains,
};
