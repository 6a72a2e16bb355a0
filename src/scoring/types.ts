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
export type AsyncScorer = (
  output: string,
  item: DatasetItem,
  options: Record<string, unknown>,
  context: JudgeContext,
) => Promise<ScoreResult>;

export interface JudgeContext {
  /** Sends the judge prompt to the configured judge model and returns its answer text. */
  askJudge(prompt: string, system: string): Promise<string>;
}
