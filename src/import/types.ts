import type { ResultRow } from "../runner/types.js";
import type { Field } from "./fields.js";

export type ImportFormat = "promptfoo" | "long" | "wide";

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
}

export interface ImportedModel {
  id: string;
  provider: string;
  /** The provider's model name, when the source gives one (promptfoo `openai:gpt-4o` → `gpt-4o`). */
  model: string;
}

/** What an importer read, before hosting and sensitivity are applied. */
export interface ImportedResults {
  rows: ResultRow[];
  models: ImportedModel[];
  sensitiveItems: Set<string>;
  /** The source's own run id and date, when it records them (promptfoo evalId and timestamp). */
  runId?: string;
  date?: string;
  notes: string[];
}
