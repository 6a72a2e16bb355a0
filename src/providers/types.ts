import type { Hosting } from "../config/types.js";
import type { ChatMessage, DatasetItem } from "../dataset/types.js";

export interface CompletionRequest {
  item: DatasetItem;
  messages: ChatMessage[];
  system?: string;
  maxTokens: number;
  temperature: number;
  /** A JSON schema the answer must follow, when the provider can constrain output. */
  jsonSchema?: Record<string, unknown>;
  signal: AbortSignal;
}

export interface CompletionResult {
  output: string;
  inputTokens?: number;
  outputTokens?: number;
  /** Time to first token, measured from the request start. */
  ttftMs?: number;
  /** Set only when the provider knows the latency better than the wall clock: null = unknown (recorded answers). */
  latencyMs?: number | null;
  /** Set only when the provider itself reports a cost (recorded answers). */
  costUsd?: number;
  /** True when the token counts are estimates (recorded data without usage), not the provider's own count. */
  tokensEstimated?: boolean;
  /** A score that came with the answer (recorded benchmark tables); used instead of the item's scorer. */
  score?: number;
  /** The answer reached the model's maxAnswerChars and was cut there (the request was stopped). */
  truncated?: boolean;
}

/**
 * One model behind one API. Providers translate a request into their wire format and back, and map failures to
 * ProviderError so the runner can decide about retries. They never retry themselves.
 */
export interface Provider {
  /** The model id from the config. */
  readonly id: string;
  readonly hosting: Hosting;
  /** Parameters that identify the answer for caching; never includes secrets. */
  readonly cacheIdentity: Record<string, unknown>;
  /** False for providers whose answers are already on disk (no point caching them). */
  readonly cacheable: boolean;
  /** True when answers come from memory (recorded): no request, so no timeout, retry or concurrency limit. */
  readonly replay?: boolean;
  /** Licence of the weights when the provider knows it (GGUF metadata), so routing can respect it. */
  readonly license?: string;
  complete(request: CompletionRequest): Promise<CompletionResult>;
  /** Run-level measurements (local models: loadMs, promptTokensPerSecond, generationTokensPerSecond, peakRssMb…). */
  measurements?(): Record<string, number>;
  close?(): Promise<void>;
}

/** A failed request, classified for the retry policy. */
export class ProviderError extends Error {
  override readonly name = "ProviderError";
  constructor(
    message: string,
    readonly options: { status?: number; retryable: boolean; retryAfterMs?: number } = { retryable: false },
  ) {
    super(message);
  }
  get retryable(): boolean {
    return this.options.retryable;
  }
  get retryAfterMs(): number | undefined {
    return this.options.retryAfterMs;
  }
  get status(): number | undefined {
    return this.options.status;
  }
}
