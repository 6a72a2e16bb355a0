import { expect, it } from "vitest";
import type { Provider } from "../../src/providers/types.js";
import type { MockServer } from "./mock-server.js";
import { failureOf, requestFor } from "./provider-requests.js";

/**
 * The streaming behaviour both SDK providers share, as tests: a failed stream is an error (retryable or not as the
 * server says), never a partial answer, and a finished stream leaves its connection ready for the next request.
 */
export function streamingTests(mock: MockServer, provider: () => Provider, serverErrorType: string): void {
  const ask = (content = "hi") => provider().complete(requestFor([{ role: "user", content }]));

  it("turns an error event in the middle of the stream into a retryable error, not a partial answer", async () => {
    mock.setBehavior(() => ({ streamFailure: "error-event" }));
    const error = await failureOf(ask());
    expect(error.message).toContain(`stream error ${serverErrorType}`);
    expect(error.retryable).toBe(true);
  });

  it("treats an error event of a request-level type as final", async () => {
    mock.setBehavior(() => ({ streamFailure: "error-event", errorType: "invalid_request_error" }));
    const error = await failureOf(ask());
    expect(error.message).toContain("stream error invalid_request_error");
    expect(error.retryable).toBe(false);
  });

  it("treats a connection dropped in the middle of the stream as retryable", async () => {
    mock.setBehavior(() => ({ streamFailure: "disconnect" }));
    const error = await failureOf(ask());
    expect(error.retryable).toBe(true);
    expect(error.message).not.toContain("partial");
  });

  it("reads each stream to its end, so one kept-alive connection serves request after request", async () => {
    const one = provider();
    for (let i = 0; i < 5; i++) {
      const result = await one.complete(requestFor([{ role: "user", content: `question ${i}` }]));
      expect(result.output).toBe(`echo: question ${i}`);
    }
    expect(mock.requests).toHaveLength(5);
    expect(new Set(mock.requests.map((request) => request.remotePort)).size).toBe(1);
  });
}
