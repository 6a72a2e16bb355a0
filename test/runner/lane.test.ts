import { describe, expect, it } from "vitest";
import { modelSchema } from "../../src/config/schema.js";
import type { ResolvedModel } from "../../src/config/types.js";
import type { DatasetItem } from "../../src/dataset/types.js";
import { ProviderError, type CompletionRequest, type Provider } from "../../src/providers/types.js";
import type { EvaluateContext } from "../../src/runner/evaluate.js";
import { BatchFeed, FEED_BATCH, arrayFeed } from "../../src/runner/item-feed.js";
import { laneFor, runLane } from "../../src/runner/lane.js";
import { Limiter } from "../../src/runner/limiter.js";
import type { ResultRow } from "../../src/results/row.js";

function items(count: number): DatasetItem[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `i${i}`,
    category: "c",
    messages: [{ role: "user" as const, content: `q${i}` }],
    expected: `a:q${i}`,
    scorer: { type: "exact" },
    sensitive: false,
    tags: [],
    source: { file: "inline", line: i + 1 },
  }));
}

const model = modelSchema.parse({
  id: "m",
  provider: "openai-compatible",
  model: "x",
  hosting: "self-hosted",
  baseURL: "http://127.0.0.1:1/v1",
  concurrency: 4,
}) as ResolvedModel;

/** A provider whose answers `answer` delays or fails; it counts the attempts per item. */
function fakeProvider(answer: (request: CompletionRequest, attempt: number) => Promise<void>) {
  const attempts = new Map<string, number>();
  const provider: Provider = {
    id: "m",
    hosting: "self-hosted",
    cacheable: false,
    cacheIdentity: {},
    async complete(request) {
      const attempt = (attempts.get(request.item.id) ?? 0) + 1;
      attempts.set(request.item.id, attempt);
      await answer(request, attempt);
      return { output: `a:${request.messages[0]!.content}` };
    },
  };
  return { provider, attempts };
}

const ctx: EvaluateContext = {
  cache: null,
  judge: null,
  scoreOutput: async (output, item) => ({ score: output === item.expected ? 1 : 0 }),
  needsJudge: () => false,
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("runLane", () => {
  it("keeps every slot busy but starts only about as many items as there are slots", async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const { provider } = fakeProvider(async () => {
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      await sleep(2);
      inFlight--;
    });
    const lane = laneFor(model, provider, null);
    let started = 0;
    let maxStarted = 0;
    const rows: ResultRow[] = [];
    const original = lane.call.limiter.acquire.bind(lane.call.limiter);
    lane.call.limiter.acquire = () => {
      maxStarted = Math.max(maxStarted, ++started - rows.length);
      return original();
    };
    await runLane(lane, arrayFeed(items(200)), ctx, (row) => rows.push(row));
    expect(rows).toHaveLength(200);
    expect(rows.every((row) => row.score === 1)).toBe(true);
    expect(maxInFlight).toBe(4);
    expect(maxStarted).toBeLessThanOrEqual(4 + 4); // the slots, and a short queue ready to take a freed slot
  });

  it("lets other items take the slots of items that wait out a retry-after", async () => {
    const started = Date.now();
    const { provider, attempts } = fakeProvider(async (request, attempt) => {
      await sleep(1);
      if (request.item.id === "i0" || request.item.id === "i1") {
        if (attempt === 1) throw new ProviderError("HTTP 429", { retryable: true, status: 429, retryAfterMs: 300 });
      }
    });
    const lane = laneFor(model, provider, null);
    const order: string[] = [];
    await runLane(lane, arrayFeed(items(100)), ctx, (row) => order.push(row.itemId));
    expect(order).toHaveLength(100);
    // The 98 others finish long before the rate-limited two come back.
    expect(order.slice(-2).sort()).toEqual(["i0", "i1"]);
    expect(attempts.get("i0")).toBe(2);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("marks the first `concurrency` requests sent as warm-up, and times requests from the slot, not the wait for it", async () => {
    const { provider } = fakeProvider(async () => {
      await sleep(100);
    });
    const lane = laneFor(model, provider, null);
    const rows: ResultRow[] = [];
    await runLane(lane, arrayFeed(items(12)), ctx, (row) => rows.push(row));
    const warm = rows.filter((row) => row.warmup === true);
    expect(warm.map((row) => row.itemId).sort()).toEqual(["i0", "i1", "i2", "i3"]);
    expect(rows.filter((row) => row.warmup === undefined)).toHaveLength(8);
    // 12 items through 4 slots take 3 rounds of 100 ms; each request's latency is one round (timed from its slot), not
    // the two rounds of queueing the last ones wait (which would make them 200–300 ms).
    for (const row of rows) expect(row.latencyMs!).toBeLessThan(190);
  });

  it("does not count a retried attempt as warm-up, and counts the failed first attempts as the warm-up ones", async () => {
    const { provider } = fakeProvider(async (request, attempt) => {
      await sleep(1);
      if (request.item.id === "i0" && attempt === 1) throw new ProviderError("HTTP 500", { retryable: true, status: 500 });
    });
    const lane = laneFor({ ...model, concurrency: 1 } as ResolvedModel, provider, null);
    const rows: ResultRow[] = [];
    await runLane(lane, arrayFeed(items(3)), ctx, (row) => rows.push(row));
    expect(rows.filter((row) => row.warmup)).toEqual([]);
  });

  it("resolves at once when there is nothing to do", async () => {
    const { provider, attempts } = fakeProvider(async () => {});
    const rows: ResultRow[] = [];
    await runLane(laneFor(model, provider, null), arrayFeed([]), ctx, (row) => rows.push(row));
    expect(rows).toHaveLength(0);
    expect(attempts.size).toBe(0);
  });

  it("runs over a feed that arrives in batches, asking for the next one before it runs dry", async () => {
    const all = items(FEED_BATCH * 2 + 10);
    let sent = 0;
    let asks = 0;
    const feed: BatchFeed = new BatchFeed(() => {
      asks++;
      // The answer comes later, as a thread's does.
      setTimeout(() => {
        const batch = all.slice(sent, sent + FEED_BATCH);
        sent += batch.length;
        feed.push(batch, sent >= all.length);
      }, 5);
    });
    feed.push(all.slice(0, FEED_BATCH), false);
    sent = FEED_BATCH;
    const { provider } = fakeProvider(async () => {});
    const rows: ResultRow[] = [];
    await runLane(laneFor(model, provider, null), feed, ctx, (row) => rows.push(row));
    expect(rows.map((row) => row.itemId)).toEqual(all.map((item) => item.id));
    expect(asks).toBe(2);
    expect(feed.ended).toBe(true);
  });
});

describe("Limiter", () => {
  it("hands slots out first come, first served, and tells when one is free with nobody waiting", async () => {
    const limiter = new Limiter(2);
    let freed = 0;
    limiter.onFree(() => freed++);
    await limiter.acquire();
    await limiter.acquire();
    const order: number[] = [];
    const waiting = [1, 2, 3].map((n) => limiter.acquire().then(() => order.push(n)));
    expect(limiter.queued).toBe(3);
    for (let i = 0; i < 3; i++) limiter.release();
    await Promise.all(waiting);
    expect(order).toEqual([1, 2, 3]);
    expect(limiter.queued).toBe(0);
    expect(freed).toBe(0);
    limiter.release();
    expect(freed).toBe(1);
  });
});
