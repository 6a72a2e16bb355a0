import type { DatasetItem } from "../dataset/types.js";

export interface ScoreResult {
  /** In [0, 1]. */
  score: number;
  /** Why, in a few words, when the scorer can say (shown in reports). */
  reason?: string;
}

/** A pure function of the answer, the item and the scorer's options. */
export type Scorer = (output: string, item: DatasetItem, options: Record<string, unknown>) => ScoreResult;

/** Scorers that need a model (the LLM judge) are async and get a way to ask it. */
export type AsyncScorer = (output: string, item: DatasetItem, options: Record<string, unknown>, context: JudgeContext) => Promise<ScoreResult>;

export interface JudgeContext {
  /** Sends the judge prompt to the configured judge model and returns its answer text. */
  askJudge(prompt: string, system: string): Promise<string>;
}

/** How a scorer option's value is checked: a kind of value, or the list of the strings it may be. */
export type OptionKind = "boolean" | "string" | "strings" | "non-negative number" | "object" | "fraction" | readonly string[];

/**
 * Everything modelpick knows about one scorer, in the scorer's own file: its options, what an item must give it (a
 * gold answer, a valid pattern or schema), and how it scores: a pure function, or the LLM judge, which asks a model.
 */
export type ScorerDescriptor = {
  /** Its options and their kinds; every scorer also takes `threshold` (the score from which an answer passes). */
  options: Readonly<Record<string, OptionKind>>;
  /** What the item lacks for this scorer (its gold answer, a pattern that compiles…), or undefined if it can score. */
  goldAnswerProblem(item: DatasetItem, options: Record<string, unknown>): string | undefined;
} & ({ needsJudge: false; score: Scorer } | { needsJudge: true; score: AsyncScorer });
