import type { ResultRow } from "../results/row.js";
import type { Field } from "./fields.js";

export type ImportFormat = "promptfoo" | "long" | "wide" | "lm-eval";

export interface ImportOptions {
  format: ImportFormat;
  /** field → column (long, wide) or test variable (promptfoo: itemId, category, sensitive). */
  columns: Partial<Record<Field, string>>;
  /** Category for every item when the file has none. */
  defaultCategory?: string;
  /** Wide format: the score columns to import (default: every numeric column that is not a mapped field). */
  models?: string[];
  /** Divide scores by this (100 for percentages). */
  scoreScale: number;
  /** lm-eval: the metric to score on, `NAME` for every task that logs it or `task=NAME` (repeatable, comma-separated). */
  metric?: string[];
  /** lm-eval: the filter whose answers to score, `NAME` or `task=NAME`. */
  filter?: string[];
}

export interface ImportedModel {
  id: string;
  provider: string;
  /** The provider's model name, when the source gives one (promptfoo `openai:gpt-4o` → `gpt-4o`). */
  model: string;
  /** Where the source says the model ran (lm-eval: locally, unless it called a vendor's API); else cloud. */
  hosting?: "self-hosted" | "cloud";
}

/** What an importer read, before hosting and sensitivity are applied. */
export interface ImportedResults {
  rows: ResultRow[];
  models: ImportedModel[];
  sensitiveItems: Set<string>;
  /** The source's own run id and date, when it records them (promptfoo evalId and timestamp). */
  runId?: string;
  date?: string;
  /** A digest of everything read, when the source is not one file (lm-eval reads a directory). */
  digest?: string;
  notes: string[];
}
