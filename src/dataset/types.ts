export type Role = "system" | "user" | "assistant";

export interface ChatMessage {
  role: Role;
  content: string;
}

/** A scorer reference as written in a dataset: a bare name, or `{ type, ...options }`. */
export interface ScorerSpec {
  type: string;
  [option: string]: unknown;
}

export interface DatasetItem {
  id: string;
  category: string;
  /** The conversation sent to the model, always normalised to messages (an `input` string becomes one user turn). */
  messages: ChatMessage[];
  system?: string;
  expected?: unknown;
  scorer: ScorerSpec;
  sensitive: boolean;
  tags: string[];
  /** Optional rubric for judge-scored items. */
  rubric?: string;
  /** Free-form fields (`metadata:` in the dataset, `metadata.<name>` columns in CSV), carried along unread. */
  metadata?: Record<string, unknown>;
  /** Where the item came from, for error messages. */
  source: { file: string; line: number };
}
