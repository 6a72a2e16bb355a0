import { describe, expect, it } from "vitest";
import {
  apiMonthlyCost,
  breakEven,
  breakEvenTokensPerDay,
  selfHostedMonthlyCost,
  type ApiOption,
  type Assumptions,
  type SelfHostedOption,
} from "../../src/cost/project.js";
import type { Workload } from "../../src/cost/workload.js";
import { API_PRICES } from "../../src/cost/catalog/index.js";
import { fromCatalog } from "../../src/cost/prices.js";

function findCatalogEntry(id: string) {
  const entry = API_PRICES.find((e) => e.id === id);
  if (!entry) throw new Error(`no catalog entry ${id}`);
  return entry;
}

const BASE: Assumptions = { batch: false, cacheHitRate: 0, cacheWriteRate: 0, peakFactor: 1 };
/** A month is 730 h = 730/24 days: 1m tokens/day is 30,416,666.67 tokens a month. */
const MONTH_DAYS = 730 / 24;

function workload(tokensPerDay: number, inputShare = 0.75, inputTokensPerRequest?: number): Workload {
  return {
    tokensPerDay,
    categories: [{ category: "all", tokenShare: 1, inputShare, ...(inputTokensPerRequest ? { inputTokensPerRequest } : {}) }],
    source: "test",
  };
}

const SONNET: ApiOption = {
  id: "sonnet",
  price: {
    inputPerMTok: 3,
    outputPerMTok: 15,
    cacheReadPerMTok: 0.3,
    cacheWritePerMTok: 3.75,
    batchInputPerMTok: 1.5,
    batchOutputPerMTok: 7.5,
    longContext: { aboveInputTokens: 200_000, inputPerMTok: 6, outputPerMTok: 22.5, cacheReadPerMTok: 0.6 },
    source: "test",
    date: "2026-01-01",
  },
};

describe("API monthly cost", () => {
  it("charges input and output tokens at their prices over a 730-hour month", () => {
    // 1m tokens/day → 30.4167m tokens/month: 22.8125m input × $3 + 7.6042m output × $15 = 68.4375 + 114.0625.
    const cost = apiMonthlyCost(SONNET, workload(1e6), BASE);
    expect(cost.breakdown.inputUsd).toBeCloseTo(68.4375, 6);
    expect(cost.breakdown.outputUsd).toBeCloseTo(114.0625, 6);
    expect(cost.monthlyCostUsd).toBeCloseTo(182.5, 6);
    // 182.5 / 30.4167 MTok = $6.00 per million tokens.
    expect(cost.effectiveCostPerMTokUsd).toBeCloseTo(6, 9);
  });

  it("reads cache hits at the cache-read price and writes at the cache-write price", () => {
    // input 22.8125 MTok: 30% hits at 0.3 = 2.053125; 10% writes at 3.75 = 8.5546875; 60% at 3 = 41.0625.
    const cost = apiMonthlyCost(SONNET, workload(1e6), { ...BASE, cacheHitRate: 0.3, cacheWriteRate: 0.1 });
    expect(cost.breakdown.cachedInputUsd).toBeCloseTo(2.053125, 6);
    expect(cost.breakdown.cacheWriteUsd).toBeCloseTo(8.5546875, 6);
    expect(cost.breakdown.inputUsd).toBeCloseTo(41.0625, 6);
    expect(cost.monthlyCostUsd).toBeCloseTo(2.053125 + 8.5546875 + 41.0625 + 114.0625, 6);
  });

  it("charges cache hits at the input price, with a note, when no cache price is known", () => {
    const plain: ApiOption = { id: "plain", price: { inputPerMTok: 2, outputPerMTok: 8, source: "t" } };
    const cost = apiMonthlyCost(plain, workload(1e6, 0.5), { ...BASE, cacheHitRate: 0.5 });
    // 15.2083 MTok input, all at $2 (half as "cached" at the input price) + 15.2083 × 8.
    expect(cost.monthlyCostUsd).toBeCloseTo(MONTH_DAYS * 0.5 * 2 + MONTH_DAYS * 0.5 * 8, 6);
    expect(cost.notes.join(" ")).toMatch(/no cache-read price/);
  });

  it("applies batch prices to input and output", () => {
    const cost = apiMonthlyCost(SONNET, workload(1e6), { ...BASE, batch: true });
    expect(cost.batchApplied).toBe(true);
    expect(cost.monthlyCostUsd).toBeCloseTo(91.25, 6);
  });

  it("keeps standard prices and says so when a model has no batch price", () => {
    const plain: ApiOption = { id: "plain", price: { inputPerMTok: 1, outputPerMTok: 1, source: "t" } };
    const cost = apiMonthlyCost(plain, workload(1e6), { ...BASE, batch: true });
    expect(cost.batchApplied).toBe(false);
    expect(cost.monthlyCostUsd).toBeCloseTo(MONTH_DAYS, 6);
    expect(cost.notes.join(" ")).toMatch(/no batch price/);
  });

  it("bills the whole request at the long-context tier when prompts are over the threshold", () => {
    // 300k-token prompts: 22.8125 MTok × $6 + 7.6042 MTok × $22.50 = 136.875 + 171.09375.
    const long = apiMonthlyCost(SONNET, workload(1e6, 0.75, 300_000), BASE);
    expect(long.monthlyCostUsd).toBeCloseTo(307.96875, 6);
    expect(long.longContextCategories).toEqual(["all"]);
    const short = apiMonthlyCost(SONNET, workload(1e6, 0.75, 200_000), BASE);
    expect(short.monthlyCostUsd).toBeCloseTo(182.5, 6);
  });

  it("charges cache writes over OpenAI's 272K threshold at 2× the cache-write price, as the provider bills them", () => {
    // Facts §2: over 272K input the whole request costs 2× input and cache. 10% of 22.8125 MTok input written:
    // 2.28125 MTok × (2 × 2.50) = 11.40625 for gpt-6-sol; never the plain tier input price (4.00 → 9.125).
    for (const [name, write] of [
      ["gpt-6-sol", 5],
      ["gpt-6.2-sol", 5],
      ["gpt-5.6-luna", 0.5],
    ] as const) {
      const option: ApiOption = { id: name, price: fromCatalog(findCatalogEntry(`openai/${name}`)) };
      const cost = apiMonthlyCost(option, workload(1e6, 0.75, 300_000), { ...BASE, cacheWriteRate: 0.1 });
      expect(cost.longContextCategories).toEqual(["all"]);
      expect(cost.breakdown.cacheWriteUsd).toBeCloseTo(2.28125 * write, 6);
      expect(cost.notes.join(" ")).not.toMatch(/no cache-write price/);
    }
  });

  it("scales a tier's missing cache prices by the tier's input multiplier, and says so", () => {
    // SONNET's tier has no cache-write price: 3.75 × (6 / 3) = 7.50, not the tier's input price 6.
    const cost = apiMonthlyCost(SONNET, workload(1e6, 0.75, 300_000), { ...BASE, cacheWriteRate: 0.1 });
    expect(cost.breakdown.cacheWriteUsd).toBeCloseTo(2.28125 * 7.5, 6);
    expect(cost.notes.join(" ")).toMatch(/cache-write price over 200,000 input tokens: 2× the standard cache-write price/);
  });

  it("keeps the batch ratio on the long-context tier", () => {
    const cost = apiMonthlyCost(SONNET, workload(1e6, 0.75, 300_000), { ...BASE, batch: true });
    expect(cost.monthlyCostUsd).toBeCloseTo(307.96875 / 2, 6);
  });

  it("adds category costs weighted by their token shares", () => {
    const mixed: Workload = {
      tokensPerDay: 1e6,
      categories: [
        { category: "short", tokenShare: 0.5, inputShare: 0.5, inputTokensPerRequest: 1000 },
        { category: "long", tokenShare: 0.5, inputShare: 1, inputTokensPerRequest: 250_000 },
      ],
      source: "test",
    };
    // short: 15.2083 MTok: 7.604 in × 3 + 7.604 out × 15 = 136.875; long: 15.2083 MTok in × 6 = 91.25.
    const cost = apiMonthlyCost(SONNET, mixed, BASE);
    expect(cost.monthlyCostUsd).toBeCloseTo(136.875 + 91.25, 6);
    expect(cost.longContextCategories).toEqual(["long"]);
  });
});

function h100(overrides: Partial<SelfHostedOption> = {}): SelfHostedOption {
  return {
    id: "llama",
    gpu: { name: "h100", hourlyUsd: 2, source: "test", date: "2026-01-01" },
    gpusPerReplica: 2,
    throughput: { counts: "total", tokensPerSecond: 1000, source: "test" },
    utilization: 0.5,
    minReplicas: 1,
    opsMonthlyUsd: 0,
    ...overrides,
  };
}

describe("self-hosted monthly cost", () => {
  it("rounds the replicas up from peak rate ÷ (throughput × utilisation)", () => {
    // 86.4m tokens/day = 1,000 tok/s average; peak ×2 = 2,000 tok/s; one replica carries 1,000 × 0.5 = 500 → 4.
    const cost = selfHostedMonthlyCost(h100(), workload(86.4e6), { ...BASE, peakFactor: 2 });
    expect(cost.replicas).toBe(4);
    expect(cost.gpus).toBe(8);
    // 8 GPUs × $2 × 730 h.
    expect(cost.monthlyCostUsd).toBeCloseTo(11_680, 6);
    // average load 1,000 tok/s on 4 × 1,000 tok/s of capacity.
    expect(cost.utilizationReached).toBeCloseTo(0.25, 9);
    expect(cost.peakUtilization).toBeCloseTo(0.5, 9);
    // 11,680 / (86.4 × 30.4167 MTok).
    expect(cost.effectiveCostPerMTokUsd).toBeCloseTo(11_680 / (86.4 * MONTH_DAYS), 9);
  });

  it("adds a replica as soon as the peak is over the usable capacity", () => {
    // 1,001 tok/s at peak factor 1 and utilisation 0.5 → 1,001 / 500 = 2.002 → 3 replicas.
    const cost = selfHostedMonthlyCost(h100(), workload(1001 * 86_400), BASE);
    expect(cost.replicas).toBe(3);
    const exact = selfHostedMonthlyCost(h100(), workload(1000 * 86_400), BASE);
    expect(exact.replicas).toBe(2);
  });

  it("keeps at least one replica and at least the minimum", () => {
    expect(selfHostedMonthlyCost(h100(), workload(1000), BASE).replicas).toBe(1);
    const kept = selfHostedMonthlyCost(h100({ minReplicas: 3 }), workload(1000), BASE);
    expect(kept.replicas).toBe(3);
    expect(kept.gpus).toBe(6);
    expect(kept.monthlyCostUsd).toBeCloseTo(6 * 2 * 730, 6);
  });

  it("counts only generated tokens against an output-counted throughput", () => {
    // 25% output of 86.4m/day = 250 tok/s; 1,000 output tok/s × 0.5 → 1 replica at 25% average utilisation.
    const cost = selfHostedMonthlyCost(h100({ throughput: { counts: "output", tokensPerSecond: 1000, source: "t" } }), workload(86.4e6), BASE);
    expect(cost.replicas).toBe(1);
    expect(cost.utilizationReached).toBeCloseTo(0.25, 9);
  });

  it("adds prompt and generation time for separate rates", () => {
    // 1,000 tok/s: 750 prompt at 3,000/s = 0.25 s + 250 generated at 100/s = 2.5 s → 2.75 replica-seconds per second.
    const option = h100({
      gpusPerReplica: 1,
      utilization: 1,
      throughput: { counts: "separate", promptTokensPerSecond: 3000, generationTokensPerSecond: 100, source: "t" },
    });
    const cost = selfHostedMonthlyCost(option, workload(86.4e6), BASE);
    expect(cost.replicas).toBe(3);
    expect(cost.utilizationReached).toBeCloseTo(2.75 / 3, 9);
  });

  it("charges electricity at board power for the month, and a fixed operations cost", () => {
    const option = h100({
      electricity: { wattsPerGpu: 700, usdPerKWh: 0.15, source: "t" },
      opsMonthlyUsd: 1000,
    });
    const cost = selfHostedMonthlyCost(option, workload(1000), BASE);
    // 2 GPUs × 0.7 kW × 730 h × $0.15 = 153.30; GPUs 2 × 2 × 730 = 2,920.
    expect(cost.breakdown.electricityUsd).toBeCloseTo(153.3, 6);
    expect(cost.breakdown.gpuUsd).toBeCloseTo(2920, 6);
    expect(cost.breakdown.opsUsd).toBe(1000);
    expect(cost.monthlyCostUsd).toBeCloseTo(4073.3, 6);
  });
});

describe("break-even volume", () => {
  it("is the flat minimum-fleet cost ÷ the API price per daily token", () => {
    // API $1e-4 per daily token per month; one replica $2,920 carrying 43.2m/day → 29.2m/day.
    expect(
      breakEvenTokensPerDay({ apiUsdPerDailyToken: 1e-4, replicaDailyTokens: 43.2e6, replicaMonthlyUsd: 2920, fixedMonthlyUsd: 0, minReplicas: 1 }),
    ).toBeCloseTo(29.2e6, 0);
  });

  it("moves past the replica steps when the minimum fleet costs more than the API at full load", () => {
    // c = 1,000, v = 10m, a = 2e-4 (a replica of traffic is worth $2,000), fixed 3,000, min 1:
    // flat 4,000 / 2e-4 = 20m > 10m; r ≥ 3,000 / (2,000 − 1,000) = 3 → (3 × 1,000 + 3,000) / 2e-4 = 30m.
    expect(
      breakEvenTokensPerDay({ apiUsdPerDailyToken: 2e-4, replicaDailyTokens: 10e6, replicaMonthlyUsd: 1000, fixedMonthlyUsd: 3000, minReplicas: 1 }),
    ).toBeCloseTo(30e6, 0);
  });

  it("counts the minimum replicas in the flat part", () => {
    // min 3 → flat 3,000 / 2e-4 = 15m ≤ 3 × 10m.
    expect(
      breakEvenTokensPerDay({ apiUsdPerDailyToken: 2e-4, replicaDailyTokens: 10e6, replicaMonthlyUsd: 1000, fixedMonthlyUsd: 0, minReplicas: 3 }),
    ).toBeCloseTo(15e6, 0);
  });

  it("is never when a replica costs more than the API charges for its traffic", () => {
    expect(
      breakEvenTokensPerDay({ apiUsdPerDailyToken: 1e-5, replicaDailyTokens: 10e6, replicaMonthlyUsd: 1000, fixedMonthlyUsd: 0, minReplicas: 1 }),
    ).toBeNull();
  });

  it("agrees with the two monthly bills at the break-even volume", () => {
    const option = h100();
    const api = apiMonthlyCost(SONNET, workload(100e6), BASE);
    const selfHosted = selfHostedMonthlyCost(option, workload(100e6), BASE);
    const pair = breakEven(selfHosted, option, api, workload(100e6));
    expect(pair.tokensPerDay).not.toBeNull();
    const at = pair.tokensPerDay!;
    const apiThere = apiMonthlyCost(SONNET, workload(at), BASE).monthlyCostUsd;
    const selfThere = selfHostedMonthlyCost(option, workload(at), BASE).monthlyCostUsd;
    expect(apiThere).toBeCloseTo(selfThere, 4);
    expect(apiMonthlyCost(SONNET, workload(at * 0.99), BASE).monthlyCostUsd).toBeLessThan(
      selfHostedMonthlyCost(option, workload(at * 0.99), BASE).monthlyCostUsd,
    );
    expect(pair.cheaperAtProjectedVolume).toBe(api.monthlyCostUsd < selfHosted.monthlyCostUsd ? "api" : "self-hosted");
  });
});
