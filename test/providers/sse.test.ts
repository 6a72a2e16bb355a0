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
  for await (const batch of readServerSentEvents(responseOf(pieces))) events.push(...batch);
  return events;
}

const bytes = (text: string) => new TextEncoder().encode(text);

const STREAM =
  "\uFEFF: a comment\n" +
  "event: message_start\ndata: {\"a\":1}\n\n" +
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
    await expect(readServerSentEvents(new Response(null)).next()).rejects.toThrow("the response has no body");
  });
});
