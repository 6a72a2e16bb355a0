import { Worker } from "node:worker_threads";
import type { ResolvedModel } from "../config/types.js";
import type { ResolvedPrice } from "../cost/prices.js";
import type { DatasetItem } from "../dataset/types.js";
import { InputError } from "../errors.js";
import type { Provider } from "../providers/types.js";
import { evaluateItem, type EvaluateContext, type ModelLane } from "./evaluate.js";
import { Limiter } from "./limiter.js";
import { rowKey } from "./results-store.js";
import { DEFAULT_RETRY } from "./retry.js";
import type { ResultRow } from "./types.js";

export function laneFor(model: ResolvedModel, provider: Provider, secrets: string[], price: ResolvedPrice | null): ModelLane {
  // A local model decodes `parallel` sequences at once: exactly that many requests reach it, so none waits inside
  // the provider while its timeout runs.
  const inFlight = model.provider === "llama-cpp" ? model.parallel : model.concurrency;
  return {
    model,
    price,
    call: {
      provider,
      limiter: new Limiter(inFlight),
      policy: { ...DEFAULT_RETRY, maxRetries: model.maxRetries },
      timeoutMs: model.timeoutMs,
      secrets,
    },
  };
}

/**
 * Runs one model over the items: a bounded number of items in progress (so memory stays flat on huge datasets);
 * the model's `concurrency` limits requests in flight, separately, inside callWithRetries.
 */
export async function runLane(
  lane: ModelLane,
  items: DatasetItem[],
  done: Set<string>,
  ctx: EvaluateContext,
  onRow: (row: ResultRow) => void,
): Promise<void> {
  let next = 0;
  const inProgressLimit = Math.max(lane.call.limiter.limit * 8, 64);
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++]!;
      if (done.has(rowKey(lane.model.id, item.id))) continue;
      onRow(await evaluateItem(item, lane, ctx));
    }
  };
  await Promise.all(Array.from({ length: Math.min(inProgressLimit, items.length) }, worker));
}

/** Everything a worker thread needs to run one model's lane: plain data, cloned into the thread. */
export interface LaneJob {
  model: ResolvedModel;
  price: ResolvedPrice | null;
  judge: { model: ResolvedModel; price: ResolvedPrice | null } | null;
  /** API keys by model id; they stay in memory, as in the main thread. */
  keys: Record<string, string>;
  items: DatasetItem[];
  /** Keys (rowKey) of rows already finished, for --resume. */
  done: string[];
  cacheDir: string | null;
}

export type LaneMessage = { rows: ResultRow[] } | { error: string; input: boolean } | { finished: true };

/** API models only: their SDKs spend most of a request's CPU, so each gets a thread of its own. */
export function runsOnItsOwnThread(model: ResolvedModel): boolean {
  return model.provider === "anthropic" || model.provider === "openai" || model.provider === "openai-compatible";
}

/**
 * Runs a lane on a worker thread and hands its rows to `onRow` on this thread, where results are written. `stop`
 * ends the thread (when another part of the run failed), so a failed run never waits for it.
 */
export function runLaneOnThread(job: LaneJob, onRow: (row: ResultRow) => void, stop: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL("./lane-worker.js", import.meta.url), { workerData: job });
    stop.addEventListener("abort", () => void worker.terminate(), { once: true });
    let settled = false;
    worker.on("message", (message: LaneMessage) => {
      if ("rows" in message) for (const row of message.rows) onRow(row);
      else if ("error" in message) {
        settled = true;
        reject(message.input ? new InputError(message.error) : new Error(message.error));
      } else {
        settled = true;
        resolve();
      }
    });
    worker.on("error", (error) => {
      settled = true;
      reject(error);
    });
    worker.on("exit", (code) => {
      if (!settled) reject(new Error(`the thread running model "${job.model.id}" stopped (exit code ${code})`));
    });
  });
}
