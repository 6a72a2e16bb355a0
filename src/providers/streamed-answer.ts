import { ProviderError, type CompletionResult } from "./types.js";
import { tokenCount } from "./usage.js";

/** A streamed answer as its events arrive: the text, time to first token, the provider's token counts. */
export class StreamedAnswer {
  output = "";
  ttftMs: number | undefined;
  /** As the server sent them; result() keeps only plausible counts. */
  inputTokens: unknown;
  outputTokens: unknown;
  /** The model said it finished (finish_reason, message_stop): a stream that ends without it was cut short. */
  finished = false;

  constructor(private readonly startedAt: number) {}

  addText(text: string | null | undefined): void {
    if (!text) return;
    this.ttftMs ??= performance.now() - this.startedAt;
    this.output += text;
  }

  result(signal: AbortSignal, unfinished: string): CompletionResult {
    if (signal.aborted) throw new ProviderError("request aborted", { retryable: true });
    if (!this.finished) throw new ProviderError(unfinished, { retryable: true });
    return { output: this.output, inputTokens: tokenCount(this.inputTokens), outputTokens: tokenCount(this.outputTokens), ttftMs: this.ttftMs };
  }
}
