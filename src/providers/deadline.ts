import { ProviderError } from "./types.js";

/**
 * Runs one request under the caller's signal and the model's timeoutMs, either of which aborts it while it is sent
 * and while its stream is read (an SDK's own timeout stops at the response headers, so a stream that stalls half-way
 * would otherwise hang). A failure after an abort is said as the abort or timeout it is, not as the network error the
 * torn connection looks like; any other failure goes through `mapError`.
 */
export async function withDeadline<T>(
  callerSignal: AbortSignal,
  timeoutMs: number,
  run: (signal: AbortSignal) => Promise<T>,
  mapError: (error: unknown) => ProviderError,
): Promise<T> {
  const deadline = new Deadline(callerSignal, timeoutMs);
  try {
    return await run(deadline.signal);
  } catch (error) {
    if (callerSignal.aborted) throw new ProviderError("request aborted", { retryable: true });
    if (deadline.timedOut) throw new ProviderError("request timed out", { retryable: true });
    throw mapError(error);
  } finally {
    deadline.clear();
  }
}

/** The caller's signal and a timer in one signal; a timeout is told apart from an abort. Cleared when the request ends. */
class Deadline {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  private readonly abort = () => this.controller.abort();
  timedOut = false;

  constructor(
    private readonly callerSignal: AbortSignal,
    timeoutMs: number,
  ) {
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.abort();
    }, timeoutMs);
    if (callerSignal.aborted) this.abort();
    else callerSignal.addEventListener("abort", this.abort, { once: true });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  clear(): void {
    clearTimeout(this.timer);
    this.callerSignal.removeEventListener("abort", this.abort);
  }
}
