import { errorMessage } from "../errors.js";
import { redactSecrets } from "../io/secrets.js";
import { ProviderError, type CompletionRequest, type CompletionResult, type Provider } from "../providers/types.js";
import { sleep, type Limiter } from "./limiter.js";
import { retryDelay, type RetryPolicy } from "./retry.js";

export interface CallOutcome {
  result?: CompletionResult;
  error?: string;
  attempts: number;
  /** Wall time of the successful attempt (not counting backoff waits). */
  latencyMs?: number;
  /** The successful attempt was one of the lane's warm-up requests (see CallSettings.warmUp). */
  warmup?: true;
}

export interface CallSettings {
  provider: Provider;
  limiter: Limiter;
  policy: RetryPolicy;
  timeoutMs: number;
  /**
   * Warm-up requests left in this lane: the first `concurrency` attempts sent to a model open its connections and
   * warm its client, so their latency is reported apart from the steady state (rows say `warmup: true`).
   */
  warmUp?: { remaining: number };
}

/**
 * One request with retries. The concurrency slot is held only while a request is in flight, never during a
 * backoff or retry-after wait, so rate-limited items do not starve the rest of the run.
 */
export async function callWithRetries(settings: CallSettings, request: Omit<CompletionRequest, "signal">): Promise<CallOutcome> {
  if (settings.provider.replay) return replay(settings, request);
  for (let attempt = 1; ; attempt++) {
    await settings.limiter.acquire();
    // Timed from the moment the request is handed to the provider: the wait for a slot is not latency.
    const started = performance.now();
    const warmup = takeWarmUp(settings);
    let failure: unknown;
    try {
      const result = await withTimeout(settings, request);
      return { result, attempts: attempt, latencyMs: performance.now() - started, ...(warmup ? { warmup } : {}) };
    } catch (error) {
      failure = error;
    } finally {
      settings.limiter.release();
    }
    const delay = retryDelay(failure, attempt, settings.policy);
    if (delay === null) return { error: describe(failure, attempt), attempts: attempt };
    await sleep(delay);
  }
}

function takeWarmUp(settings: CallSettings): true | undefined {
  if (!settings.warmUp || settings.warmUp.remaining <= 0) return undefined;
  settings.warmUp.remaining--;
  return true;
}

async function replay(settings: CallSettings, request: Omit<CompletionRequest, "signal">): Promise<CallOutcome> {
  try {
    return { result: await settings.provider.complete({ ...request, signal: NEVER_ABORTED }), attempts: 1 };
  } catch (error) {
    return { error: describe(error, 1), attempts: 1 };
  }
}

const NEVER_ABORTED = new AbortController().signal;

async function withTimeout(settings: CallSettings, request: Omit<CompletionRequest, "signal">): Promise<CompletionResult> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), settings.timeoutMs);
  try {
    return await settings.provider.complete({ ...request, signal: controller.signal });
  } catch (error) {
    if (controller.signal.aborted) {
      throw new ProviderError(`timed out after ${settings.timeoutMs} ms`, { retryable: true });
    }
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

function describe(error: unknown, attempts: number): string {
  const message = redactSecrets(errorMessage(error));
  const retryable = error instanceof ProviderError && error.retryable;
  return retryable && attempts > 1 ? `${message} (gave up after ${attempts} attempts)` : message;
}
