import { tierFor, type ResolvedPrice } from "./price.js";
import { DAYS_PER_MONTH, HOURS_PER_MONTH, SECONDS_PER_DAY, tidyNumber } from "./units.js";
import { overallInputShare, type Workload, type WorkloadCategory } from "./workload.js";

/** The knobs of a projection that are not the volume. */
export interface Assumptions {
  batch: boolean;
  /** Share of input tokens read from the prompt cache. */
  cacheHitRate: number;
  /** Share of input tokens written to the prompt cache (billed at the cache-write price). */
  cacheWriteRate: number;
  /** Peak token rate ÷ average token rate. */
  peakFactor: number;
}

export interface ApiOption {
  id: string;
  /** Self-hosted when the config says so and the model is costed by a per-token price of its own (or a stand-in). */
  hosting?: "cloud" | "self-hosted";
  provider?: string;
  model?: string;
  price: ResolvedPrice;
}

export interface Dated {
  source: string;
  date?: string;
  unconfirmed?: true;
  /** A last list price, not an offer open today. */
  historical?: true;
}

export interface Throughput extends Dated {
  /** "total": prompt + generated tokens/s; "output": generated tokens/s (prefill included); "separate": both rates. */
  counts: "total" | "output" | "separate";
  tokensPerSecond?: number;
  promptTokensPerSecond?: number;
  generationTokensPerSecond?: number;
}

export interface SelfHostedOption {
  id: string;
  gpu: Dated & { name: string; hourlyUsd: number };
  gpusPerReplica: number;
  throughput: Throughput;
  /** Share of a replica's measured throughput usable in practice. */
  utilization: number;
  minReplicas: number;
  /** Set only when electricity is charged (own hardware); cloud GPU prices include power. */
  electricity?: Dated & { wattsPerGpu: number; usdPerKWh: number };
  opsMonthlyUsd: number;
}

/** A model costed per token: a cloud API, or a self-hosted model given a per-token price instead of a fleet. */
export interface ApiCost {
  id: string;
  costing: "per-token";
  hosting: "cloud" | "self-hosted";
  provider?: string;
  model?: string;
  monthlyCostUsd: number;
  effectiveCostPerMTokUsd: number;
  price: ResolvedPrice;
  breakdown: { inputUsd: number; cachedInputUsd: number; cacheWriteUsd: number; outputUsd: number };
  batchApplied: boolean;
  longContextCategories: string[];
  notes: string[];
}

/** A self-hosted fleet: GPUs × hours at a measured throughput. */
export interface SelfHostedCost {
  id: string;
  costing: "fleet";
  hosting: "self-hosted";
  monthlyCostUsd: number;
  effectiveCostPerMTokUsd: number;
  gpus: number;
  replicas: number;
  gpusPerReplica: number;
  gpu: SelfHostedOption["gpu"];
  throughput: Throughput;
  /** Average tokens/day one replica carries at the utilisation target and peak factor. */
  replicaDailyTokens: number;
  utilizationTarget: number;
  /** Average load ÷ fleet capacity: how busy the GPUs really are over the month. */
  utilizationReached: number;
  /** Peak load ÷ fleet capacity. */
  peakUtilization: number;
  minReplicas: number;
  breakdown: { gpuUsd: number; electricityUsd: number; opsUsd: number };
  electricity?: SelfHostedOption["electricity"];
  notes: string[];
}

export interface BreakEven {
  selfHosted: string;
  api: string;
  /** Smallest daily volume at which the self-hosted option costs no more than the API; null when never. */
  tokensPerDay: number | null;
  requestsPerDay?: number | null;
  cheaperAtProjectedVolume: "self-hosted" | "api" | "equal";
  note: string;
}

export interface Projection {
  models: Array<ApiCost | SelfHostedCost>;
  breakEven: BreakEven[];
  verdict: string;
}

/** Monthly tokens for a daily volume: a month is 730 hours. */
export function monthlyTokens(tokensPerDay: number): number {
  return tokensPerDay * DAYS_PER_MONTH;
}

export function apiMonthlyCost(option: ApiOption, workload: Workload, assumptions: Assumptions): ApiCost {
  const notes = new Set<string>();
  const breakdown = { inputUsd: 0, cachedInputUsd: 0, cacheWriteUsd: 0, outputUsd: 0 };
  const longContext: Array<{ category: string; above: number }> = [];
  let batchApplied = false;
  for (const category of workload.categories) {
    const tokens = monthlyTokens(workload.tokensPerDay) * category.tokenShare;
    const inputTokens = tokens * category.inputShare;
    const rates = ratesFor(option.price, category, longContext);
    const batch = batchRates(option.price, rates, assumptions.batch, notes);
    batchApplied ||= batch.applied;
    const hits = inputTokens * assumptions.cacheHitRate;
    const writes = inputTokens * assumptions.cacheWriteRate;
    breakdown.inputUsd += ((inputTokens - hits - writes) * batch.input) / 1e6;
    if (hits > 0) {
      if (rates.derived["cache-read"]) notes.add(rates.derived["cache-read"]);
      const cacheRead = rates.cacheReadPerMTok ?? missing(notes, "no cache-read price known: cache hits are charged at the input price", batch.input);
      breakdown.cachedInputUsd += (hits * cacheRead) / 1e6;
    }
    if (writes > 0) {
      if (rates.derived["cache-write"]) notes.add(rates.derived["cache-write"]);
      const cacheWrite = rates.cacheWritePerMTok ?? missing(notes, "no cache-write price known: cache writes are charged at the input price", batch.input);
      breakdown.cacheWriteUsd += (writes * cacheWrite) / 1e6;
    }
    breakdown.outputUsd += ((tokens - inputTokens) * batch.output) / 1e6;
  }
  if (assumptions.batch && batchApplied && (assumptions.cacheHitRate > 0 || assumptions.cacheWriteRate > 0)) {
    notes.add("batch discount applied to input and output only; cache reads/writes at their own prices");
  }
  for (const above of new Set(longContext.map((c) => c.above))) {
    const categories = longContext.filter((c) => c.above === above).map((c) => c.category);
    notes.add(`long-context price (prompt over ${above.toLocaleString("en-US")} tokens) for: ${categories.join(", ")}`);
  }
  if (option.price.unconfirmed) notes.add("price unconfirmed (not from an official source, or sources disagree)");
  if (option.price.historical) notes.add("historical price: the last list price of a retired or legacy model, not an offer open today");
  if (option.price.pricedAs) notes.add(`priced as ${option.price.pricedAs}: no price is listed for ${option.model ?? option.id}`);
  const monthlyCostUsd = breakdown.inputUsd + breakdown.cachedInputUsd + breakdown.cacheWriteUsd + breakdown.outputUsd;
  return {
    id: option.id,
    costing: "per-token",
    hosting: option.hosting ?? "cloud",
    ...(option.provider ? { provider: option.provider } : {}),
    ...(option.model ? { model: option.model } : {}),
    monthlyCostUsd,
    effectiveCostPerMTokUsd: perMTok(monthlyCostUsd, workload.tokensPerDay),
    price: option.price,
    breakdown,
    batchApplied,
    longContextCategories: longContext.map((c) => c.category),
    notes: [...notes],
  };
}

type Rates = Pick<ResolvedPrice, "inputPerMTok" | "outputPerMTok" | "cacheReadPerMTok" | "cacheWritePerMTok">;

/**
 * The long-context tier that applies is the highest one the category's mean prompt is over. A tier that gives no cache
 * price takes the standard one times the tier's input multiplier (providers scale cache prices with input), never the
 * tier's plain input price; `derived` names the cache prices found that way.
 */
function ratesFor(
  price: ResolvedPrice,
  category: WorkloadCategory,
  longContext: Array<{ category: string; above: number }>,
): Rates & { derived: DerivedNotes } {
  const tier = category.inputTokensPerRequest === undefined ? undefined : tierFor(price, category.inputTokensPerRequest);
  if (!tier) return { ...price, derived: {} };
  longContext.push({ category: category.category, above: tier.aboveInputTokens });
  const multiplier = price.inputPerMTok === 0 ? 1 : tier.inputPerMTok / price.inputPerMTok;
  const derived: DerivedNotes = {};
  const scaled = (tierPrice: number | undefined, standard: number | undefined, what: keyof DerivedNotes) => {
    if (tierPrice !== undefined || standard === undefined) return tierPrice;
    derived[what] =
      `${what} price over ${tier.aboveInputTokens.toLocaleString("en-US")} input tokens: ${tidyNumber(multiplier)}× the standard ` +
      `${what} price (the tier's input multiplier; the price list gives none)`;
    return tidyNumber(standard * multiplier);
  };
  return {
    inputPerMTok: tier.inputPerMTok,
    outputPerMTok: tier.outputPerMTok,
    cacheReadPerMTok: scaled(tier.cacheReadPerMTok, price.cacheReadPerMTok, "cache-read"),
    cacheWritePerMTok: scaled(tier.cacheWritePerMTok, price.cacheWritePerMTok, "cache-write"),
    derived,
  };
}

/** Notes for cache prices a long-context tier did not give and that were derived from the standard ones. */
type DerivedNotes = Partial<Record<"cache-read" | "cache-write", string>>;

function batchRates(price: ResolvedPrice, rates: Rates, batch: boolean, notes: Set<string>) {
  if (!batch) return { input: rates.inputPerMTok, output: rates.outputPerMTok, applied: false };
  if (price.batchInputPerMTok === undefined || price.batchOutputPerMTok === undefined) {
    notes.add("--batch: no batch price known for this model; standard prices used");
    return { input: rates.inputPerMTok, output: rates.outputPerMTok, applied: false };
  }
  // A long-context tier keeps the same batch ratio as the standard price.
  const inputRatio = price.inputPerMTok === 0 ? 1 : price.batchInputPerMTok / price.inputPerMTok;
  const outputRatio = price.outputPerMTok === 0 ? 1 : price.batchOutputPerMTok / price.outputPerMTok;
  return { input: rates.inputPerMTok * inputRatio, output: rates.outputPerMTok * outputRatio, applied: true };
}

function missing(notes: Set<string>, note: string, fallback: number): number {
  notes.add(note);
  return fallback;
}

/**
 * Replica-seconds of work per second of traffic, per token/day of volume: a replica is "full" at 1. Output-counted
 * throughput is limited by generated tokens only (the benchmark's prompts were processed in the same time).
 */
export function loadPerDailyToken(throughput: Throughput, inputShare: number): number {
  const perSecond = 1 / SECONDS_PER_DAY;
  switch (throughput.counts) {
    case "total":
      return perSecond / throughput.tokensPerSecond!;
    case "output":
      return (perSecond * (1 - inputShare)) / throughput.tokensPerSecond!;
    case "separate":
      return perSecond * (inputShare / throughput.promptTokensPerSecond! + (1 - inputShare) / throughput.generationTokensPerSecond!);
  }
}

/** Tokens/day one replica carries on average when its peak load is at the utilisation target. */
export function replicaDailyTokens(option: SelfHostedOption, inputShare: number, peakFactor: number): number {
  const load = loadPerDailyToken(option.throughput, inputShare);
  return load === 0 ? Infinity : option.utilization / (load * peakFactor);
}

/** Cost of one replica for a month: its GPUs' rent and, on own hardware, their electricity at board power. */
export function replicaMonthlyUsd(option: SelfHostedOption): { gpu: number; electricity: number } {
  const gpu = option.gpusPerReplica * option.gpu.hourlyUsd * HOURS_PER_MONTH;
  const kWh = option.electricity ? (option.gpusPerReplica * option.electricity.wattsPerGpu * HOURS_PER_MONTH) / 1000 : 0;
  return { gpu, electricity: kWh * (option.electricity?.usdPerKWh ?? 0) };
}

/** Replicas needed: peak load ÷ utilisation target, rounded up, at least 1 and at least the minimum. */
export function replicasNeeded(tokensPerDay: number, perReplica: number, minReplicas: number): number {
  const needed = Math.ceil(tokensPerDay / perReplica - 1e-9);
  return Math.max(needed, 1, minReplicas);
}

export function selfHostedMonthlyCost(option: SelfHostedOption, workload: Workload, assumptions: Assumptions): SelfHostedCost {
  const inputShare = overallInputShare(workload);
  const perReplica = replicaDailyTokens(option, inputShare, assumptions.peakFactor);
  const replicas = replicasNeeded(workload.tokensPerDay, perReplica, option.minReplicas);
  const replicaCost = replicaMonthlyUsd(option);
  const breakdown = {
    gpuUsd: replicas * replicaCost.gpu,
    electricityUsd: replicas * replicaCost.electricity,
    opsUsd: option.opsMonthlyUsd,
  };
  const monthlyCostUsd = breakdown.gpuUsd + breakdown.electricityUsd + breakdown.opsUsd;
  const averageLoad = workload.tokensPerDay * loadPerDailyToken(option.throughput, inputShare);
  const notes: string[] = [];
  if (option.throughput.counts === "output") {
    notes.push("throughput counts generated tokens under the benchmark's own prompt lengths");
  }
  if (option.gpu.unconfirmed) notes.push("GPU price unconfirmed");
  if (option.throughput.unconfirmed) notes.push("throughput unconfirmed");
  if (option.electricity) notes.push("electricity at board power for every hour of the month (an upper bound)");
  return {
    id: option.id,
    costing: "fleet",
    hosting: "self-hosted",
    monthlyCostUsd,
    effectiveCostPerMTokUsd: perMTok(monthlyCostUsd, workload.tokensPerDay),
    gpus: replicas * option.gpusPerReplica,
    replicas,
    gpusPerReplica: option.gpusPerReplica,
    gpu: option.gpu,
    throughput: option.throughput,
    replicaDailyTokens: perReplica,
    utilizationTarget: option.utilization,
    utilizationReached: averageLoad / replicas,
    peakUtilization: (averageLoad * assumptions.peakFactor) / replicas,
    minReplicas: option.minReplicas,
    breakdown,
    ...(option.electricity ? { electricity: option.electricity } : {}),
    notes,
  };
}

/**
 * A self-hosted fleet sized for one stream of traffic (`tokensPerDay` at one input share), with no batch or cache
 * discounts: what `modelpick recommend` uses to cost a self-hosted model on one category.
 */
export function fleetMonthlyCost(option: SelfHostedOption, tokensPerDay: number, inputShare: number, peakFactor: number): SelfHostedCost {
  const workload: Workload = { tokensPerDay, categories: [{ category: "all", tokenShare: 1, inputShare }], source: "recommend" };
  return selfHostedMonthlyCost(option, workload, { batch: false, cacheHitRate: 0, cacheWriteRate: 0, peakFactor });
}

/**
 * The smallest daily volume at which a self-hosted option costs no more than an API. The API bill grows in a
 * straight line (apiUsdPerDailyToken × volume); the self-hosted bill is a staircase (one step per replica, flat up
 * to the minimum replicas). Null when each replica costs more than the API bill for the traffic it can carry.
 */
export function breakEvenTokensPerDay(input: {
  apiUsdPerDailyToken: number;
  replicaDailyTokens: number;
  replicaMonthlyUsd: number;
  fixedMonthlyUsd: number;
  minReplicas: number;
}): number | null {
  const { apiUsdPerDailyToken: a, replicaDailyTokens: v, replicaMonthlyUsd: c, fixedMonthlyUsd: f, minReplicas: m } = input;
  if (a <= 0 || a * v <= c) return null;
  const flat = m * c + f;
  if (flat / a <= m * v) return flat / a;
  const replicas = Math.max(m + 1, Math.ceil(f / (a * v - c) - 1e-9));
  return Math.max((replicas * c + f) / a, (replicas - 1) * v);
}

export function breakEven(selfHosted: SelfHostedCost, option: SelfHostedOption, api: ApiCost, workload: Workload): BreakEven {
  const replicaCost = replicaMonthlyUsd(option);
  const tokensPerDay = breakEvenTokensPerDay({
    apiUsdPerDailyToken: api.monthlyCostUsd / workload.tokensPerDay,
    replicaDailyTokens: selfHosted.replicaDailyTokens,
    replicaMonthlyUsd: replicaCost.gpu + replicaCost.electricity,
    fixedMonthlyUsd: option.opsMonthlyUsd,
    minReplicas: option.minReplicas,
  });
  const difference = selfHosted.monthlyCostUsd - api.monthlyCostUsd;
  const cheaper = Math.abs(difference) < 0.005 ? "equal" : difference < 0 ? "self-hosted" : "api";
  return {
    selfHosted: selfHosted.id,
    api: api.id,
    tokensPerDay,
    ...(workload.tokensPerRequest !== undefined ? { requestsPerDay: tokensPerDay === null ? null : tokensPerDay / workload.tokensPerRequest } : {}),
    cheaperAtProjectedVolume: cheaper,
    note:
      tokensPerDay === null
        ? "never: one replica costs more per month than the API charges for all the traffic it can carry"
        : "cheaper from this volume up, except just after each added replica",
  };
}

function perMTok(monthlyUsd: number, tokensPerDay: number): number {
  return monthlyUsd / (monthlyTokens(tokensPerDay) / 1e6);
}
