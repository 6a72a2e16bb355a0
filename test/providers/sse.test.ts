import { describe, expect, it } from "vitest";
import { readServerSentEvents, type ServerSentEvent } from "../../src/providers/sse.js";

/** A Response whose body arrives in the given pieces (bytes split anywhere, even inside a UTF-8 sequence). */
function responseOf(pieces: Uint8Array[]): Response {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const piece of pieces) controller.enqueue(piece);
      controller.close();
    },
  });
  return new Response(body);
}

async function eventsOf(pieces: Uint8Array[]): Promise<ServerSentEvent[]> {
  const events: ServerSentEvent[] = [];
  for await (const batch of readServerSentEvents(responseOf(pieces), 1 << 20)) events.push(...batch);
  return events;
}

const bytes = (text: string) => new TextEncoder().encode(text);

const STREAM =
  "\uFEFF: a comment\n" +
  'event: message_start\ndata: {"a":1}\n\n' +
  "data: first line\r\ndata:second line\r\n\r\n" +
  "event: ping\rdata: {}\r\r" +
  "data: ünïcödé 🌍\n\n" +
  "id: 7\nretry: 100\n\n" +
  "data\n\n" +
  "data: [DONE]\n\n" +
  "data: never dispatched, no blank line after it";

const EXPECTED: ServerSentEvent[] = [
  { event: "message_start", data: '{"a":1}' },
  { event: null, data: "first line\nsecond line" },
  { event: "ping", data: "{}" },
  { event: null, data: "ünïcödé 🌍" },
  { event: null, data: "" },
  { event: null, data: "[DONE]" },
];

describe("readServerSentEvents", () => {
  it("parses LF, CRLF and CR line ends, comments, multi-line data, a BOM and fields without a colon", async () => {
    expect(await eventsOf([bytes(STREAM)])).toEqual(EXPECTED);
  });

  it("gives the same events however the bytes are split into chunks", async () => {
    const all = bytes(STREAM);
    for (let cut = 1; cut < all.length; cut++) {
      expect(await eventsOf([all.slice(0, cut), all.slice(cut)])).toEqual(EXPECTED);
    }
    const oneByteAtATime = Array.from(all, (byte) => Uint8Array.of(byte));
    expect(await eventsOf(oneByteAtATime)).toEqual(EXPECTED);
  });

  it("resets the event type after each event, dispatched or not", async () => {
    expect(await eventsOf([bytes("event: lost\n\ndata: x\n\n")])).toEqual([{ event: null, data: "x" }]);
  });

  it("fails clearly on a response without a body", async () => {
    await expect(readServerSentEvents(new Response(null), 1 << 20).next()).rejects.toThrow("the response has no body");
  });
});

/** A body of `chunks` pieces made by `piece(i)`, produced as it is read; `cancelled` says whether the reader hung up. */
function streamedBody(chunks: number, piece: (i: number) => string) {
  const state = { sent: 0, cancelled: false };
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (state.sent === chunks) return controller.close();
      controller.enqueue(encoder.encode(piece(state.sent++)));
    },
    cancel() {
      state.cancelled = true;
    },
  });
  return { response: new Response(body), state };
}

async function drain(response: Response, maxEventChars: number): Promise<ServerSentEvent[]> {
  const events: ServerSentEvent[] = [];
  for await (const batch of readServerSentEvents(response, maxEventChars)) events.push(...batch);
  return events;
}

describe("readServerSentEvents on long and endless lines", () => {
  it("reads a 20 MB line arriving in 16 KB chunks in linear time", async () => {
    const chunk = "x".repeat(16 * 1024);
    const chunks = 1280;
    const { response } = streamedBody(chunks + 1, (i) => (i === 0 ? "data: " : i === chunks ? "\n\n" : chunk));
    const started = performance.now();
    const events = await drain(response, 32 * 1024 * 1024);
    expect(events).toHaveLength(1);
    expect(events[0]!.data).toHaveLength((chunks - 1) * chunk.length);
    // Re-scanning the pending line for every chunk took seconds here; linear, it takes milliseconds.
    expect(performance.now() - started).toBeLessThan(3000);
  });

  it("stops at a line without end longer than maxEventChars, and stops reading the body", async () => {
    const { response, state } = streamedBody(4000, () => "y".repeat(16 * 1024));
    await expect(drain(response, 1_000_000)).rejects.toThrow("the event stream sent an event of more than 1,000,000 characters; stopped reading");
    expect(state.sent).toBeLessThan(100);
    expect(state.cancelled).toBe(true);
  });

  it("counts every data line of an event against the limit", async () => {
    const { response, state } = streamedBody(4000, () => `data: ${"z".repeat(1000)}\n`);
    await expect(drain(response, 100_000)).rejects.toThrow(/event of more than 100,000 characters/);
    expect(state.sent).toBeLessThan(200);
  });
});
