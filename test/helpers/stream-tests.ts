import { expect, it } from "vitest";
import type { Provider } from "../../src/providers/types.js";
import type { MockServer } from "./mock-server.js";
import { failureOf, requestFor } from "./provider-requests.js";

/**
 * The streaming behaviour every API provider shares, as tests: a failed stream is an error (retryable or not as the
 * server says), never a partial answer; an abort or a timeout, while waiting or while streaming, is said as such; a
 * finished stream leaves its connection ready for the next request. `provider` takes config overrides (timeoutMs).
 */
export function streamingTests(mock: MockServer, provider: (overrides?: { timeoutMs?: number }) => Provider, serverErrorType: string): void {
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

  it("stops a hanging request when the signal aborts", async () => {
    mock.setBehavior(() => ({ hang: true }));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();
    const error = await failureOf(provider().complete(requestFor([{ role: "user", content: "hi" }], { signal: controller.signal })));
    expect(error).toMatchObject({ message: "request aborted", retryable: true });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("does not pass off a stream aborted half-way as an answer", async () => {
    mock.setBehavior(() => ({ text: "never finished", latencyMs: 10_000 }));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const error = await failureOf(provider().complete(requestFor([{ role: "user", content: "hi" }], { signal: controller.signal })));
    expect(error.message).toBe("request aborted");
  });

  it("times out after the model's timeoutMs, while waiting for the answer and while it streams", async () => {
    const slow = () => provider({ timeoutMs: 150 }).complete(requestFor([{ role: "user", content: "hi" }]));
    mock.setBehavior(() => ({ hang: true }));
    expect(await failureOf(slow())).toMatchObject({ message: "request timed out", retryable: true });
    mock.setBehavior(() => ({ text: "too slow", latencyMs: 10_000 }));
    expect(await failureOf(slow())).toMatchObject({ message: "request timed out", retryable: true });
  });
}
