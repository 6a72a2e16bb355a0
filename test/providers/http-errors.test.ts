import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { registerSecrets } from "../../src/io/secrets.js";
import { parseRetryAfterMs, streamError, toProviderError } from "../../src/providers/http-errors.js";
import { ProviderError } from "../../src/providers/types.js";

const SECRET = "sk-live-SECRET-0123456789";
registerSecrets([SECRET]);

describe("parseRetryAfterMs", () => {
  it("reads retry-after-ms as fractional milliseconds, before retry-after", () => {
    expect(parseRetryAfterMs(new Headers({ "retry-after-ms": "1234.5", "retry-after": "9" }))).toBe(1234.5);
  });

  it("reads retry-after as seconds", () => {
    expect(parseRetryAfterMs(new Headers({ "retry-after": "7" }))).toBe(7000);
    expect(parseRetryAfterMs({ "Retry-After": "0.5" })).toBe(500);
  });

  it("reads retry-after as an HTTP date", () => {
    const now = Date.parse("Wed, 21 Oct 2026 07:28:00 GMT");
    expect(parseRetryAfterMs(new Headers({ "retry-after": "Wed, 21 Oct 2026 07:28:30 GMT" }), now)).toBe(30_000);
    expect(parseRetryAfterMs(new Headers({ "retry-after": "Wed, 21 Oct 2026 07:27:00 GMT" }), now)).toBe(0);
  });

  it("gives undefined for missing or unusable values", () => {
    expect(parseRetryAfterMs(new Headers())).toBeUndefined();
    expect(parseRetryAfterMs(new Headers({ "retry-after": "soon" }))).toBeUndefined();
    expect(parseRetryAfterMs(new Headers({ "retry-after-ms": "-5" }))).toBeUndefined();
    expect(parseRetryAfterMs(undefined)).toBeUndefined();
  });
});

describe("toProviderError", () => {
  it("classifies real OpenAI SDK errors by status", () => {
    const rateLimited = OpenAI.APIError.generate(
      429,
      { error: { message: `Rate limit reached for key ${SECRET}`, type: "requests" } },
      undefined,
      new Headers({ "retry-after": "2" }),
    );
    const error = toProviderError(rateLimited);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ status: 429, retryable: true, retryAfterMs: 2000 });
    expect(error.message).toBe("HTTP 429 rate limited: Rate limit reached for key ***");

    for (const status of [408, 409, 500, 502, 503, 504]) {
      const classified = toProviderError(OpenAI.APIError.generate(status, { error: { message: "x" } }, undefined, new Headers()));
      expect(classified.retryable, `HTTP ${status}`).toBe(true);
    }
    for (const status of [400, 401, 403, 404, 422]) {
      const classified = toProviderError(OpenAI.APIError.generate(status, { error: { message: "x" } }, undefined, new Headers()));
      expect(classified.retryable, `HTTP ${status}`).toBe(false);
    }
  });

  it("reads the message of compatible servers that send a bare error string or no JSON at all", () => {
    const ollama = OpenAI.APIError.generate(404, { error: 'model "qwen9" not found' }, undefined, new Headers());
    expect(toProviderError(ollama).message).toBe('HTTP 404 not found (check the model name and baseURL): model "qwen9" not found');
    const proxy = OpenAI.APIError.generate(502, undefined, "<html>\n<body>Bad Gateway</body>\n</html>", new Headers());
    expect(toProviderError(proxy)).toMatchObject({
      retryable: true,
      message: "HTTP 502 bad gateway: <html> <body>Bad Gateway</body> </html>",
    });
  });

  it("classifies real Anthropic SDK errors by status and reads the provider's message", () => {
    const body = { type: "error", error: { type: "overloaded_error", message: "Overloaded" } };
    const error = toProviderError(Anthropic.APIError.generate(529, body, undefined, new Headers()));
    expect(error).toMatchObject({ status: 529, retryable: true, message: "HTTP 529 overloaded: Overloaded" });
  });

  it("treats an Anthropic error event inside a stream by its type", () => {
    const overloaded = new Anthropic.APIError(
      undefined,
      { type: "error", error: { type: "overloaded_error", message: "Overloaded" } },
      undefined,
      new Headers(),
      "overloaded_error",
    );
    expect(toProviderError(overloaded)).toMatchObject({ retryable: true, message: "stream error overloaded_error: Overloaded" });
    const invalid = new Anthropic.APIError(
      undefined,
      { type: "error", error: { type: "invalid_request_error", message: "bad" } },
      undefined,
      new Headers(),
      "invalid_request_error",
    );
    expect(toProviderError(invalid).retryable).toBe(false);
  });

  it("reads the wait of a Google RetryInfo in the error body when no header gives one", () => {
    const body = (retryDelay: string) => ({
      error: {
        code: 429,
        message: "Resource has been exhausted (e.g. check quota).",
        status: "RESOURCE_EXHAUSTED",
        details: [
          { "@type": "type.googleapis.com/google.rpc.QuotaFailure", violations: [] },
          { "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay },
        ],
      },
    });
    const rateLimited = (retryDelay: string, headers = new Headers()) => toProviderError({ status: 429, error: body(retryDelay), headers });
    expect(rateLimited("13s")).toMatchObject({
      status: 429,
      retryable: true,
      retryAfterMs: 13_000,
      message: "HTTP 429 rate limited: Resource has been exhausted (e.g. check quota).",
    });
    expect(rateLimited("0.250s").retryAfterMs).toBe(250);
    expect(rateLimited("13s", new Headers({ "retry-after": "2" })).retryAfterMs).toBe(2000);
    for (const unusable of ["13", "-1s", "soon", "1e9999s"]) expect(rateLimited(unusable).retryAfterMs, unusable).toBeUndefined();
  });

  it("treats Google's status names in a stream error event by their meaning", () => {
    for (const status of ["UNAVAILABLE", "INTERNAL", "RESOURCE_EXHAUSTED", "DEADLINE_EXCEEDED"]) {
      expect(streamError(status, "x").retryable, status).toBe(true);
    }
    for (const status of ["INVALID_ARGUMENT", "PERMISSION_DENIED", "NOT_FOUND", "FAILED_PRECONDITION"]) {
      expect(streamError(status, "x").retryable, status).toBe(false);
    }
  });

  it("recognises aborts and timeouts from both SDKs", () => {
    expect(toProviderError(new OpenAI.APIUserAbortError())).toMatchObject({ message: "request aborted", retryable: true });
    expect(toProviderError(new Anthropic.APIUserAbortError())).toMatchObject({ message: "request aborted", retryable: true });
    expect(toProviderError(new DOMException("This operation was aborted", "AbortError")).message).toBe("request aborted");
    expect(toProviderError(new OpenAI.APIConnectionTimeoutError())).toMatchObject({ message: "request timed out", retryable: true });
    expect(toProviderError(new Anthropic.APIConnectionTimeoutError())).toMatchObject({ retryable: true });
  });

  it("treats network failures as retryable and names the cause", () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), { code: "ECONNREFUSED" });
    const wrapped = new OpenAI.APIConnectionError({ cause: new TypeError("fetch failed", { cause: refused }) });
    const error = toProviderError(wrapped);
    expect(error.retryable).toBe(true);
    expect(error.message).toBe("connection error (ECONNREFUSED): connect ECONNREFUSED 127.0.0.1:9");

    const droppedMidStream = new TypeError("terminated", { cause: Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" }) });
    expect(toProviderError(droppedMidStream).retryable).toBe(true);
  });

  it("keeps a ProviderError's classification and redacts its message", () => {
    const original = new ProviderError(`bad key ${SECRET}`, { status: 418, retryable: false });
    const error = toProviderError(original);
    expect(error).toMatchObject({ message: "bad key ***", status: 418, retryable: false });
  });

  it("redacts a provider's long message before cutting it, so the cut leaves no piece of the key", () => {
    // The key straddles the 300-character cut: 15 of its characters fall before it.
    const message = `${"m".repeat(285)}${SECRET}${"z".repeat(40)}`;
    const error = toProviderError(OpenAI.APIError.generate(400, { error: { message } }, undefined, new Headers()));
    expect(error.message).toBe(`HTTP 400 bad request: ${"m".repeat(285)}***${"z".repeat(12)}…`);
    const streamed = streamError("overloaded_error", `${"s".repeat(292)}${SECRET}`);
    expect(streamed.message).toBe(`stream error overloaded_error: ${"s".repeat(292)}***`);
    for (let i = 0; i + 8 <= SECRET.length; i++) expect(error.message + streamed.message).not.toContain(SECRET.slice(i, i + 8));
  });

  it("does not retry unknown errors, and still redacts them", () => {
    const error = toProviderError(new Error(`something broke with ${SECRET}`));
    expect(error).toMatchObject({ retryable: false, message: "something broke with ***" });
    expect(toProviderError("plain string").message).toBe("plain string");
  });
});
