import { Worker } from "node:worker_threads";
import type { ResolvedModel } from "../config/types.js";
import type { ResolvedPrice } from "../cost/price.js";
import type { DatasetItem } from "../dataset/types.js";
import { InputError } from "../errors.js";
import { fsErrorFromData, type FsErrorData } from "../io/fs-errors.js";
import { kindOf } from "../config/provider-kinds.js";
import type { Provider } from "../providers/types.js";
import { evaluateItem, type EvaluateContext, type ModelLane } from "./evaluate.js";
import { FEED_BATCH, type ItemFeed } from "./item-feed.js";
import { Limiter } from "./limiter.js";
import { DEFAULT_RETRY } from "./retry.js";
import type { ResultRow } from "../results/row.js";

export function laneFor(model: ResolvedModel, provider: Provider, price: ResolvedPrice | null): ModelLane {
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
      warmUp: { remaining: inFlight },
    },
  };
}

/**
 * Runs one model over the feed's items. An item starts when the model has a request slot to give it (or when others
 * wait out a retry or a judge), so only about `concurrency` items are in progress: memory stays flat on huge datasets
 * and short-lived requests die young. Items waiting out a retry-after hold no slot, so others take their place, up to
 * a hard bound of `IN_PROGRESS_PER_SLOT` items per slot in all.
 */
export function runLane(lane: ModelLane, feed: ItemFeed, ctx: EvaluateContext, onRow: (row: ResultRow) => void): Promise<void> {
  const limiter = lane.call.limiter;
  const maxInProgress = Math.max(limiter.limit * IN_PROGRESS_PER_SLOT, 64);
  let inProgress = 0;
  let failed = false;
  return new Promise<void>((resolve, reject) => {
    const stopListening = limiter.onFree(() => launch());
    feed.onItems(() => launch());
    const finish = (row: ResultRow) => {
      inProgress--;
      onRow(row);
      launch();
    };
    const fail = (error: unknown) => {
      stopListening();
      failed = true;
      reject(error);
    };
    function launch(): void {
      while (!failed && inProgress < maxInProgress && limiter.queued < READY_QUEUE) {
        const item = feed.next();
        if (!item) break;
        inProgress++;
        evaluateItem(item, lane, ctx).then(finish, fail);
      }
      if (feed.ended && inProgress === 0) {
        stopListening();
        resolve();
      }
    }
    launch();
  });
}

/** Items kept waiting for a slot, so a freed slot is taken at once. */
const READY_QUEUE = 4;
/** Hard bound on items in progress per slot, reached only while many items wait out retries. */
const IN_PROGRESS_PER_SLOT = 8;

/** Everything a worker thread needs to run one model's lane: plain data, cloned into the thread. */
export interface LaneJob {
  model: ResolvedModel;
  price: ResolvedPrice | null;
  judge: { model: ResolvedModel; price: ResolvedPrice | null } | null;
  /** API keys by model id; they stay in memory, as in the main thread. */
  keys: Record<string, string>;
  cacheDir: string | null;
  cacheMaxAgeMs: number;
  /** The first batch of items; the thread asks for the rest (`more`) as it goes. */
  items: ItemBatch;
}

/** Items for a thread, sent a batch at a time; `last` says no more will come. */
export interface ItemBatch {
  items: DatasetItem[];
  last: boolean;
}

/** What a thread sends back. */
export type LaneMessage = { rows: ResultRow[] } | { more: true } | { error: string; input: boolean; fs?: FsErrorData } | { finished: true };

/** Models whose SDKs spend most of a request's CPU (API models, as their kind says): each can get a thread of its own. */
export function runsOnItsOwnThread(model: ResolvedModel): boolean {
  return kindOf(model).thread === "own";
}

/**
 * Which models run on threads of their own: with two or more that can (their SDKs are CPU-heavy), all but the first;
 * the first shares the main thread with the writer, which saves a V8 heap. A judge loaded once per process (a local
 * model) would have to be loaded once per thread, so then everything stays on the main thread.
 */
export function threadedModels(models: ResolvedModel[], judge: ResolvedModel | null | undefined): ResolvedModel[] {
  const threadable = models.filter(runsOnItsOwnThread);
  const judgeStaysHome = judge ? kindOf(judge).thread === "main-only" : false;
  return threadable.length >= 2 && !judgeStaysHome ? threadable.slice(1) : [];
}

/**
 * A worker thread for one model's lane. It starts loading its modules (and the model's SDK) as soon as it is
 * created, so it can be created before the dataset is read; it keeps the process alive only once it has a job.
 */
export class LaneThread {
  private readonly worker: Worker;

  constructor(provider: ResolvedModel["provider"]) {
    this.worker = new Worker(new URL("./lane-worker.js", import.meta.url), { workerData: { provider } });
    this.worker.unref();
  }

  /**
   * Runs the lane over `items` (those still to do), sending them a batch at a time as the thread asks, and hands its
   * rows to `onRow` here, where results are written; `stop` ends the thread early.
   */
  run(job: Omit<LaneJob, "items">, items: DatasetItem[], onRow: (row: ResultRow) => void, stop: AbortSignal): Promise<void> {
    const worker = this.worker;
    let sent = 0;
    const nextBatch = (): ItemBatch => {
      const batch = items.slice(sent, sent + FEED_BATCH);
      sent += batch.length;
      return { items: batch, last: sent >= items.length };
    };
    worker.ref();
    worker.postMessage({ ...job, items: nextBatch() } satisfies LaneJob);
    return new Promise((resolve, reject) => {
      stop.addEventListener("abort", () => void worker.terminate(), { once: true });
      let settled = false;
      worker.on("message", (message: LaneMessage) => {
        if ("rows" in message) for (const row of message.rows) onRow(row);
        else if ("more" in message) worker.postMessage(nextBatch());
        else if ("error" in message) {
          settled = true;
          reject(message.fs ? fsErrorFromData(message.fs) : message.input ? new InputError(message.error) : new Error(message.error));
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

  /** Ends a thread that was prepared but is not needed after all. */
  dispose(): void {
    void this.worker.terminate();
  }
}
