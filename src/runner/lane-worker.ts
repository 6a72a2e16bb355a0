import { parentPort, workerData } from "node:worker_threads";
import { InputError, errorMessage } from "../errors.js";
import { registerSecrets } from "../io/secrets.js";
import { fsErrorData, isFsError } from "../io/fs-errors.js";
import { createProvider, preloadProvider } from "../providers/index.js";
import type { Provider } from "../providers/types.js";
import { ResponseCache } from "./cache.js";
import { BatchFeed } from "./item-feed.js";
import { laneFor, runLane, type ItemBatch, type LaneJob, type LaneMessage } from "./lane.js";
import type { ResultRow } from "../results/row.js";

/** Worker-thread entry: runs one model's lane and posts its rows back in batches. */
async function main(job: LaneJob): Promise<void> {
  const scoring = await import("../scoring/index.js");
  registerSecrets(Object.values(job.keys));
  const providers: Provider[] = [];
  const provider = async (id: string, model: LaneJob["model"]) => {
    const created = await createProvider(model, job.keys[id]);
    providers.push(created);
    return created;
  };
  let batch: ResultRow[] = [];
  const flush = () => {
    if (batch.length > 0) post({ rows: batch });
    batch = [];
  };
  try {
    const lane = laneFor(job.model, await provider(job.model.id, job.model), job.price);
    const judge = job.judge ? laneFor(job.judge.model, await provider(job.judge.model.id, job.judge.model), job.judge.price) : null;
    const ctx = {
      cache: job.cacheDir ? new ResponseCache(job.cacheDir, { maxAgeMs: job.cacheMaxAgeMs }) : null,
      judge,
      scoreOutput: scoring.scoreOutput,
      needsJudge: scoring.needsJudge,
    };
    const feed = new BatchFeed(() => post({ more: true }));
    feed.push(job.items.items, job.items.last);
    parentPort!.on("message", (batch: ItemBatch) => feed.push(batch.items, batch.last));
    await runLane(lane, feed, ctx, (row) => {
      if (batch.push(row) === 1) setImmediate(flush);
    });
    flush();
    post({ finished: true });
  } catch (error) {
    flush();
    post({ error: errorMessage(error), input: error instanceof InputError, ...(isFsError(error) ? { fs: fsErrorData(error) } : {}) });
  } finally {
    for (const p of providers) await p.close?.();
  }
}

function post(message: LaneMessage): void {
  parentPort!.postMessage(message);
}

// Warm up while the main thread reads the dataset; the job follows as the first message.
const warm = Promise.all([import("../scoring/index.js"), preloadProvider((workerData as { provider: LaneJob["model"]["provider"] }).provider)]);
parentPort!.once(
  "message",
  (job: LaneJob) =>
    void warm.then(
      () => main(job),
      () => main(job),
    ),
);
