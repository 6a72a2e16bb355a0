import { expect, it } from "vitest";
import { ProviderError } from "../../src/providers/types.js";
import { DEFAULT_RETRY, retryDelay } from "../../src/runner/retry.js";

const policy = { ...DEFAULT_RETRY, maxRetries: 3 };

it("backs off exponentially with jitter, capped, and honours the server's retry-after", () => {
  const retryable = new ProviderError("HTTP 503", { retryable: true, status: 503 });
  expect(retryDelay(retryable, 1, policy, () => 1)).toBe(500);
  expect(retryDelay(retryable, 2, policy, () => 1)).toBe(1000);
  expect(retryDelay(retryable, 3, policy, () => 0)).toBe(1500);
  expect(retryDelay(retryable, 4, policy, () => 1)).toBeNull();
  expect(retryDelay(retryable, 3, { ...policy, maxRetries: 10, maxDelayMs: 1200 }, () => 1)).toBe(1200);
  const limited = new ProviderError("HTTP 429", { retryable: true, status: 429, retryAfterMs: 1234 });
  expect(retryDelay(limited, 1, policy)).toBe(1234);
  const tooLong = new ProviderError("HTTP 429", { retryable: true, status: 429, retryAfterMs: 3_600_000 });
  expect(retryDelay(tooLong, 1, policy)).toBeNull();
});

it("never retries a non-retryable error, or anything with maxRetries 0", () => {
  expect(retryDelay(new ProviderError("HTTP 400", { retryable: false, status: 400 }), 1, policy)).toBeNull();
  expect(retryDelay(new Error("boom"), 1, policy)).toBeNull();
  expect(retryDelay(new ProviderError("HTTP 500", { retryable: true }), 1, { ...policy, maxRetries: 0 })).toBeNull();
});
