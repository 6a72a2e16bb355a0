import { oneLine } from "./http-errors.js";
import { ProviderError } from "./types.js";

/** One dispatched server-sent event: its `event:` type (null when the stream gave none) and its joined `data:`. */
export interface ServerSentEvent {
  event: string | null;
  data: string;
}

/**
 * Parses a text/event-stream body as the WHATWG spec says (LF, CRLF or CR line ends; `:` comments; multi-line data;
 * one optional space after the colon). The SDKs' own stream helpers do the same with more general machinery that
 * costs a visible share of a streamed request's CPU on a large eval (see `npm run bench`). An event (or a line not
 * yet ended) longer than `maxEventChars` ends the stream with an error, so a server that never sends a line break
 * cannot fill the memory.
 */
export async function* readServerSentEvents(response: Response, maxEventChars: number): AsyncGenerator<ServerSentEvent[]> {
  if (!response.body) throw new ProviderError("the response has no body", { retryable: true });
  const body = response.body as unknown as AsyncIterable<Uint8Array>;
  const parser = new EventStreamParser(maxEventChars);
  const decoder = new TextDecoder();
  // The events of each network chunk come as one array: an await per event would cost more than parsing it.
  for await (const chunk of body) {
    const events = parser.push(decoder.decode(chunk, { stream: true }));
    if (events.length > 0) yield events;
  }
  const last = parser.push(decoder.decode(), true);
  if (last.length > 0) yield last;
}

/**
 * An event's data parsed as JSON. A malformed event is reported with only its start, redacted and cut short: the
 * parser's own message quotes the text raw (a server echoing `Bearer <key>` would put the key in the error).
 */
export function parseEventJson<T>(data: string): T {
  try {
    return JSON.parse(data) as T;
  } catch {
    throw new ProviderError(`the stream sent an event that is not JSON: ${JSON.stringify(oneLine(data, 60))}`, { retryable: false });
  }
}

class EventStreamParser {
  /** The line not yet ended, in the pieces it came in: joined once when it ends (joining as it grows is quadratic). */
  private pending: string[] = [];
  private pendingChars = 0;
  private event: string | null = null;
  private data: string[] = [];
  private dataChars = 0;
  private first = true;
  /** A CR ended the last chunk: an LF at the start of the next one belongs to it. */
  private afterCR = false;

  constructor(private readonly maxEventChars: number) {}

  push(text: string, final = false): ServerSentEvent[] {
    const events: ServerSentEvent[] = [];
    let start = 0;
    if (text.length > 0) {
      if (this.afterCR && text.charCodeAt(0) === 10) start = 1;
      else if (this.first && text.charCodeAt(0) === 0xfeff) start = 1;
      this.afterCR = false;
      this.first = false;
    }
    let lf = text.indexOf("\n", start);
    let cr = text.indexOf("\r", start);
    for (;;) {
      if (lf !== -1 && lf < start) lf = text.indexOf("\n", start);
      if (cr !== -1 && cr < start) cr = text.indexOf("\r", start);
      const end = cr === -1 ? lf : lf === -1 ? cr : Math.min(cr, lf);
      if (end === -1) break;
      const dispatched = this.line(this.takePending(text.slice(start, end)));
      if (dispatched) events.push(dispatched);
      start = end + 1;
      if (end === cr) {
        if (start === text.length) this.afterCR = true;
        else if (text.charCodeAt(start) === 10) start++;
      }
    }
    if (start < text.length) {
      this.pending.push(start === 0 ? text : text.slice(start));
      this.pendingChars += text.length - start;
      this.checkSize();
    }
    // A stream that ends without a blank line leaves its last event undispatched, as the spec says.
    if (final) this.takePending("");
    return events;
  }

  /** The pending start of a line joined with its end. */
  private takePending(end: string): string {
    if (this.pending.length === 0) return end;
    this.pending.push(end);
    const line = this.pending.join("");
    this.pending = [];
    this.pendingChars = 0;
    return line;
  }

  private checkSize(): void {
    if (this.pendingChars + this.dataChars > this.maxEventChars) {
      throw new ProviderError(`the event stream sent an event of more than ${this.maxEventChars.toLocaleString("en-US")} characters; stopped reading`);
    }
  }

  private line(line: string): ServerSentEvent | undefined {
    if (line === "") return this.dispatch();
    if (line.charCodeAt(0) === 58) return undefined; // ":" starts a comment
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (field === "data") {
      this.data.push(value);
      this.dataChars += value.length;
      this.checkSize();
    } else if (field === "event") this.event = value;
    return undefined;
  }

  private dispatch(): ServerSentEvent | undefined {
    const event = this.event;
    this.event = null;
    if (this.data.length === 0) return undefined;
    const data = this.data.length === 1 ? this.data[0]! : this.data.join("\n");
    this.data = [];
    this.dataChars = 0;
    return { event, data };
  }
}
