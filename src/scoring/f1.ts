import type { Scorer, ScorerDescriptor } from "./types.js";
import { textAnswerProblem, toStringList } from "./normalize.js";

const PUNCTUATION = /[\p{P}\p{S}]/gu;
const ARTICLES = /\b(?:a|an|the)\b/g;

/** SQuAD normalisation: lower-case, drop punctuation and the articles a/an/the, split on whitespace. */
export function f1Tokens(text: string): string[] {
  const cleaned = text.normalize("NFKC").toLowerCase().replace(PUNCTUATION, " ").replace(ARTICLES, " ");
  return cleaned.split(/\s+/).filter((token) => token !== "");
}

/** Token-overlap F1 of two token lists (1 when both are empty, 0 when only one is). */
export function tokenF1(predicted: string[], gold: string[]): number {
  if (predicted.length === 0 || gold.length === 0) return predicted.length === gold.length ? 1 : 0;
  const goldCounts = new Map<string, number>();
  for (const token of gold) goldCounts.set(token, (goldCounts.get(token) ?? 0) + 1);
  let common = 0;
  for (const token of predicted) {
    const left = goldCounts.get(token) ?? 0;
    if (left > 0) {
      common++;
      goldCounts.set(token, left - 1);
    }
  }
  if (common === 0) return 0;
  const precision = common / predicted.length;
  const recall = common / gold.length;
  return (2 * precision * recall) / (precision + recall);
}

/** SQuAD-style token F1 against `expected` (a string, or a list of references: the best one counts). Graded. */
export const f1: Scorer = (output, item) => {
  const references = toStringList(item.expected);
  if (!references) return { score: 0, reason: "no expected answer to compare with" };
  const predicted = f1Tokens(output);
  const score = Math.max(...references.map((reference) => tokenF1(predicted, f1Tokens(reference))));
  return score === 1 ? { score } : { score, reason: `token F1 ${score.toFixed(2)}` };
};

export const scorer: ScorerDescriptor = {
  options: {},
  goldAnswerProblem: (item) => textAnswerProblem("f1", item),
  needsJudge: false,
  score: f1,
};
