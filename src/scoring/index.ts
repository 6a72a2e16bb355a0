import type { DatasetItem } from "../dataset/types.js";
import { suggestName, unknownName } from "../suggest.js";
import { scorer as choice } from "./choice.js";
import { scorer as contains } from "./contains.js";
import { scorer as exact } from "./exact.js";
import { scorer as f1 } from "./f1.js";
import { scorer as json } from "./json.js";
import { scorer as judge } from "./judge.js";
import { scorer as number } from "./number.js";
import { optionProblem } from "./options.js";
import { scorer as regex } from "./regex.js";
import type { JudgeContext, ScoreResult, ScorerDescriptor } from "./types.js";

/** The scorers a dataset can name (`scorer: <name>`); each one's details are in its own file. */
const SCORERS: Readonly<Record<string, ScorerDescriptor>> = { exact, contains, regex, choice, number, json, f1, judge };

export const SCORER_NAMES: readonly string[] = Object.keys(SCORERS);

function scorerNamed(type: string): ScorerDescriptor | undefined {
  return Object.hasOwn(SCORERS, type) ? SCORERS[type] : undefined;
}

/** Scores one answer with the item's scorer; judge items need a JudgeContext. Bad answers score 0, never throw. */
export async function scoreOutput(output: string, item: DatasetItem, judgeContext?: JudgeContext): Promise<ScoreResult> {
  const spec = item.scorer;
  const scorer = scorerNamed(spec.type);
  if (!scorer) throw new Error(`item "${item.id}": ${validateScorer(item) ?? `cannot score with "${spec.type}"`}`);
  if (!scorer.needsJudge) {
    const result = scorer.score(output, item, spec);
    return { ...result, score: Math.min(1, Math.max(0, result.score)) };
  }
  if (!judgeContext) throw new Error(`item "${item.id}" is judge-scored but no judge model was given`);
  return scorer.score(output, item, spec, judgeContext);
}

/** What is wrong with an item's scorer (type, options, the gold answer it needs), or undefined if it can score. */
export function validateScorer(item: DatasetItem): string | undefined {
  const { type, ...options } = item.scorer;
  if (type === "none") return "no scorer: give expected, a rubric or a scorer";
  const scorer = scorerNamed(type);
  if (!scorer) return unknownName("scorer type", type, SCORER_NAMES);
  for (const [name, value] of Object.entries(options)) {
    const kind = name === "threshold" ? "fraction" : Object.hasOwn(scorer.options, name) ? scorer.options[name] : undefined;
    if (kind === undefined) return `unknown option "${name}" for scorer ${type}; ${suggestName(name, [...Object.keys(scorer.options), "threshold"])}`;
    const problem = optionProblem(value, kind);
    if (problem) return `${type} option ${name} must be ${problem}`;
  }
  return scorer.goldAnswerProblem(item, options);
}

/** Whether scoring this item needs the judge model. */
export function needsJudge(item: DatasetItem): boolean {
  return scorerNamed(item.scorer.type)?.needsJudge === true;
}
