/** One line of results.jsonl: one dataset item answered (or not) by one model. Other commands read these names. */
export interface ResultRow {
  itemId: string;
  model: string;
  category: string;
  output: string | null;
  score: number | null;
  passed: boolean | null;
  /** Why the item has no score: the last error after all retries. Never scored 0 silently. */
  error: string | null;
  /** Why the item was deliberately not sent, e.g. "sensitive" for sensitive data and a cloud model. */
  skipped: string | null;
  latencyMs: number | null;
  ttftMs: number | null;
  inputTokens: number | null;
  outputTokens: number | null;
  costUsd: number | null;
  cached: boolean;
  /** When a cached answer was received from the model (ISO date); present only when `cached`. */
  cachedAt?: string;
  attempts: number;
  /**
   * One of the first `concurrency` requests sent to this model in the run (connection set-up, client warm-up): its
   * latency is reported apart and left out of p50/p95 and of recommend's --max-p95-ms.
   */
  warmup?: true;
  /** True when token counts are estimates rather than the provider's own usage. */
  tokensEstimated?: boolean;
  /** True when the answer reached the model's maxAnswerChars and was cut there; it is scored as cut. */
  truncated?: boolean;
  scoreReason?: string;
  /**
   * Imported rows only: the number of repeated answers (promptfoo `--repeat`) this row averages; its score, tokens,
   * cost and latency are their means, and the item is counted once.
   */
  repeats?: number;
}
