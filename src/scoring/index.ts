import type { DatasetItem, ScorerSpec } from "../dataset/types.js";
import type { JudgeContext, ScoreResult, Scorer } from "./types.js";
import { toStringList } from "./normalize.js";
import { exact } from "./exact.js";
import { contains } from "./contains.js";
import { compileRegex, regex, regexSource } from "./regex.js";
import { choice, DEFAULT_CHOICES } from "./choice.js";
import { numberScorer, parseExpectedNumber } from "./number.js";
import { compileSchema, isPlainObject, json } from "./json.js";
import { f1 } from "./f1.js";
import { judge } from "./judge.js";
import { suggestName, unknownName } from "../suggest.js";

const SYNC_SCORERS: Record<string, Scorer> = { exact, contains, regex, choice, number: numberScorer, json, f1 };

export const SCORER_NAMES: readonly string[] = [...Object.keys(SYNC_SCORERS), "judge"];

type OptionKind = "boolean" | "string" | "strings" | "non-negative number" | "object" | "fraction" | readonly string[];

// Every scorer accepts `threshold` (the score from which the runner counts an answer as passed).
const OPTIONS: Record<string, Record<string, OptionKind>> = {
  exact: { caseSensitive: "boolean" },
  contains: { values: "strings", mode: ["all", "any"], caseSensitive: "boolean", forbidden: "strings" },
  regex: { pattern: "string", flags: "string", mustNotMatch: "boolean" },
  choice: { choices: "string" },
  number: { tolerance: "non-negative number", relTolerance: "non-negative number" },
  json: { required: "strings", equals: "object", schema: "object" },
  f1: {},
  judge: { rubric: "string" },
};

/** Scores one answer with the item's scorer; judge items need a JudgeContext. Bad answers score 0, never throw. */
export async function scoreOutput(output: string, item: DatasetItem, judgeContext?: JudgeContext): Promise<ScoreResult> {
  const spec = item.scorer;
  if (spec.type === "judge") {
    if (!judgeContext) throw new Error(`item "${item.id}" is judge-scored but no judge model was given`);
    return judge(output, item, spec, judgeContext);
  }
  const scorer = SYNC_SCORERS[spec.type];
  if (!scorer) throw new Error(`item "${item.id}": ${validateScorer(item) ?? `cannot score with "${spec.type}"`}`);
  const result = scorer(output, item, spec);
  return { ...result, score: Math.min(1, Math.max(0, result.score)) };
}

/** What is wrong with an item's scorer (type, options, the gold answer it needs), or undefined if it can score. */
export function validateScorer(item: DatasetItem): string | undefined {
  const { type, ...options } = item.scorer;
  if (type === "none") return "no scorer: give expected, a rubric or a scorer";
  const known = OPTIONS[type];
  if (!known) return unknownName("scorer type", type, SCORER_NAMES);
  for (const [name, value] of Object.entries(options)) {
    const kind = name === "threshold" ? "fraction" : known[name];
    if (kind === undefined) return `unknown option "${name}" for scorer ${type}; ${suggestName(name, [...Object.keys(known), "threshold"])}`;
    const problem = optionProblem(value, kind);
    if (problem) return `${type} option ${name} must be ${problem}`;
  }
  return goldAnswerProblem(item, options);
}

const OPTION_CHECKS: Record<string, { test: (value: unknown) => boolean; description: string }> = {
  boolean: { test: (v) => typeof v === "boolean", description: "true or false" },
  string: { test: (v) => typeof v === "string" && v !== "", description: "a non-empty string" },
  strings: {
    test: (v) => Array.isArray(v) && v.every((s) => typeof s === "string" && s !== ""),
    description: "a list of non-empty strings",
  },
  "non-negative number": {
    test: (v) => typeof v === "number" && Number.isFinite(v) && v >= 0,
    description: "a non-negative number",
  },
  object: { test: isPlainObject, description: "an object" },
  fraction: { test: (v) => typeof v === "number" && v >= 0 && v <= 1, description: "a number from 0 to 1" },
};

function optionProblem(value: unknown, kind: OptionKind): string | undefined {
  if (typeof kind !== "string") return kind.includes(value as string) ? undefined : kind.map((k) => `"${k}"`).join(" or ");
  const check = OPTION_CHECKS[kind]!;
  return check.test(value) ? undefined : check.description;
}

function goldAnswerProblem(item: DatasetItem, options: Record<string, unknown>): string | undefined {
  const { type } = item.scorer;
  const hasTextAnswer = toStringList(item.expected) !== undefined;
  switch (type) {
    case "exact":
    case "f1":
      return hasTextAnswer ? undefined : `${type} needs expected: a string or a list of strings`;
    case "contains":
      if (options.values !== undefined && (options.values as string[]).length > 0) return undefined;
      if (hasTextAnswer || (options.forbidden as string[] | undefined)?.length) return undefined;
      return "contains needs values, expected (a string or a list of strings) or forbidden";
    case "regex": {
      const { pattern, flags } = regexSource(options, item.expected);
      if (pattern === undefined) return "regex needs pattern (or expected as the pattern string)";
      const compiled = compileRegex(pattern, flags);
      return compiled instanceof Error ? `invalid regex /${pattern}/${flags}: ${compiled.message}` : undefined;
    }
    case "choice": {
      const choices = ((options.choices as string | undefined) ?? DEFAULT_CHOICES).toUpperCase();
      const letter = typeof item.expected === "string" ? item.expected.trim().toUpperCase() : "";
      return letter.length === 1 && choices.includes(letter) ? undefined : `choice needs expected: one of the letters ${choices}`;
    }
    case "number":
      return parseExpectedNumber(item.expected) === undefined ? "number needs expected: a number or a numeric string" : undefined;
    case "json": {
      if (!isPlainObject(options.schema)) return undefined;
      const compiled = compileSchema(options.schema);
      return compiled instanceof Error ? `invalid JSON schema: ${compiled.message}` : undefined;
    }
    case "judge":
      if (options.rubric !== undefined || item.rubric !== undefined || item.expected !== undefined) return undefined;
      return "judge needs a rubric (the item's rubric or the scorer's rubric option) or expected";
    default:
      return undefined;
  }
}

/** Whether a scorer gives only 0 or 1 (Wilson intervals) rather than graded scores (bootstrap intervals). */
export function isPassFail(spec: string | ScorerSpec): boolean {
  const type = typeof spec === "string" ? spec : spec.type;
  if (type === "contains") return typeof spec !== "string" && spec.mode === "any";
  return type === "exact" || type === "regex" || type === "choice" || type === "number";
}

/** Whether scoring this item needs the judge model. */
export function needsJudge(item: DatasetItem): boolean {
  return item.scorer.type === "judge";
}
