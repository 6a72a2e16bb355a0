import { readServerSentEvents, type ServerSentEvent } from "./sse.js";
import { ProviderError, type CompletionResult } from "./types.js";
import { tokenCount } from "./usage.js";

/**
 * A streamed answer as its events arrive: the text, time to first token, the provider's token counts. The text is
 * kept up to `maxChars` (the model's maxAnswerChars); past it the answer is cut, marked truncated, and no longer read.
 */
export class StreamedAnswer {
  output = "";
  ttftMs: number | undefined;
  /** As the server sent them; result() keeps only plausible counts. */
  inputTokens: unknown;
  outputTokens: unknown;
  /** The model said it finished (finish_reason, message_stop): a stream that ends without it was cut short. */
  finished = false;
  /** The answer reached maxChars and was cut there. */
  truncated = false;

  constructor(
    private readonly startedAt: number,
    private readonly maxChars: number,
  ) {}

  addText(text: string | null | undefined): void {
    if (!text || this.truncated) return;
    this.ttftMs ??= performance.now() - this.startedAt;
    const room = this.maxChars - this.output.length;
    if (text.length <= room) {
      this.output += text;
      return;
    }
    this.output += cutAnswer(text, room);
    this.truncated = true;
  }

  /**
   * Hands each event of the response's stream to `onEvent` until the stream ends or the answer is truncated. Then it
   * stops reading, which cancels the body and closes the connection: an endless answer is not drained.
   */
  async read(response: Response, onEvent: (event: ServerSentEvent) => void): Promise<void> {
    // An event may carry a whole answer: room for it, its JSON and its escapes, but not for a line without end.
    const maxEventChars = 4 * this.maxChars + 65_536;
    for await (const events of readServerSentEvents(response, maxEventChars)) {
      for (const event of events) {
        onEvent(event);
        if (this.truncated) return;
      }
    }
  }

  result(signal: AbortSignal, unfinished: string): CompletionResult {
    if (signal.aborted) throw new ProviderError("request aborted", { retryable: true });
    if (this.truncated) {
      // The final usage never came: the output count so far (if any) is not the answer's.
      return { output: this.output, inputTokens: tokenCount(this.inputTokens), ttftMs: this.ttftMs, truncated: true };
    }
    if (!this.finished) throw new ProviderError(unfinished, { retryable: true });
    return { output: this.output, inputTokens: tokenCount(this.inputTokens), outputTokens: tokenCount(this.outputTokens), ttftMs: this.ttftMs };
  }
}

/** The first `maxChars` characters of an answer, cut between code points (never inside a surrogate pair). */
export function cutAnswer(text: string, maxChars: number): string {
  const code = text.charCodeAt(maxChars - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? maxChars - 1 : maxChars);
}
