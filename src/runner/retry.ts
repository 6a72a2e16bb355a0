import { ProviderError } from "../providers/types.js";

export interface RetryPolicy {
  maxRetries: number;
  /** First backoff delay; doubles each attempt. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A server's retry-after longer than this is not waited for: the item fails with the server's message. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: Omit<RetryPolicy, "maxRetries"> = {
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 60_000,
};

/**
 * The wait before attempt `attempt + 1` (attempt counts from 1), or null to give up. Honours the server's
 * retry-after; otherwise exponential backoff with jitter (between 75 % and 100 % of the step, as openai-node does).
 */
export function retryDelay(error: unknown, attempt: number, policy: RetryPolicy, random = Math.random): number | null {
  if (!(error instanceof ProviderError) || !error.retryable) return null;
  if (attempt > policy.maxRetries) return null;
  const serverSays = error.retryAfterMs;
  if (serverSays !== undefined && serverSays >= 0) {
    return serverSays <= policy.maxRetryAfterMs ? serverSays : null;
  }
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return step * (0.75 + 0.25 * random());
}
