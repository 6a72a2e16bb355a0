import type { Scorer, ScorerDescriptor } from "./types.js";
import { normalizeAnswer, preview, textAnswerProblem, toStringList } from "./normalize.js";

/**
 * Normalised equality with `expected` (a string or a list of acceptable strings). Pass/fail.
 * Options: `caseSensitive` (default false).
 */
export const exact: Scorer = (output, item, options) => {
  const accepted = toStringList(item.expected);
  if (!accepted) return { score: 0, reason: "no expected answer to compare with" };
  const caseSensitive = options.caseSensitive === true;
  const answer = normalizeAnswer(output, caseSensitive);
  if (accepted.some((gold) => normalizeAnswer(gold, caseSensitive) === answer)) return { score: 1 };
  const wanted = accepted.length === 1 ? preview(accepted[0]!, item) : `one of ${accepted.length} accepted answers`;
  return { score: 0, reason: `expected ${wanted}, got ${preview(output, item)}` };
};

export const scorer: ScorerDescriptor = {
  options: { caseSensitive: "boolean" },
  goldAnswerProblem: (item) => textAnswerProblem("exact", item),
  needsJudge: false,
  score: exact,
};
