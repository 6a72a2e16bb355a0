import { existsSync } from "node:fs";
import path from "node:path";
import { DEFAULT_CONFIG_NAMES, loadConfig } from "../config/load.js";
import type { Config, ResolvedModel } from "../config/types.js";
import { InputError } from "../errors.js";
import { findThroughputProfile } from "./catalog/index.js";
import { describePriceOrder, loadPriceSources, lookupPrice, requirePrice, type PriceSources } from "./prices.js";
import {
  apiMonthlyCost,
  breakEven,
  monthlyTokens,
  selfHostedMonthlyCost,
  type ApiCost,
  type ApiOption,
  type Assumptions,
  type BreakEven,
  type SelfHostedCost,
  type SelfHostedOption,
} from "./project.js";
import { catalogSelfHostedOption, datedByFile, readThroughputProfile, selfHostedOption, type SelfHostedOverrides } from "./self-hosted.js";
import type { ThroughputProfileFile } from "../providers/llama-cpp/bench.js";
import { DAYS_PER_MONTH, HOURS_PER_MONTH, formatPercent, formatSigned, formatPerMTok, formatUsd, formatVolume } from "./units.js";
import { ScoresByItem } from "../results/shared-items.js";
import { bootstrapMeanInterval, mean } from "../stats/intervals.js";
import { seedFrom } from "../stats/random.js";
import { buildWorkload, overallInputShare, type Workload, type WorkloadOptions } from "./workload.js";

export interface CostOptions extends WorkloadOptions, SelfHostedOverrides {
  cwd: string;
  configFile?: string;
  /** Model ids from the config, catalog API names or catalog throughput-profile ids. */
  models?: string[];
  pricesFile?: string;
  throughputProfiles?: string[];
  batch?: boolean;
  cacheHitRate?: number;
  cacheWriteRate?: number;
  peakFactor?: number;
}

export const DEFAULT_PEAK_FACTOR = 2;

export interface CostReport {
  assumptions: Assumptions & {
    tokensPerDay: number;
    requestsPerDay?: number;
    tokensPerRequest?: number;
    inputShare: number;
    monthlyTokens: number;
    hoursPerMonth: number;
    daysPerMonth: number;
    utilizationOverride?: number;
    minReplicasOverride?: number;
    electricityUsdPerKWh?: number;
    opsMonthlyUsd?: number;
    workload: { source: string; categories: Workload["categories"] };
  };
  /** The order prices are looked up in; each model names the source and date of the price it got. */
  priceSource: string;
  models: Array<ApiCost | SelfHostedCost>;
  /** Config models with no basis for a cost (no price known, no self-hosted deployment described), and why. */
  notCosted: Array<{ id: string; reason: string }>;
  breakEven: BreakEven[];
  /** With --results: the costed models' quality on that run, on the items every one of them scored when there are any. */
  quality: CostQuality | null;
  verdict: string;
}

export interface CostQuality {
  results: string;
  /** Items every costed model with results scored, or null when there are none and each model's own items are used. */
  sharedItems: number | null;
  /** Costed models with scored answers in the results, in cost order. */
  models: Array<{ id: string; mean: number | null; n: number }>;
  /** The cheapest option's mean minus the best-scoring one's on the shared items, with a paired 95 % interval. */
  gap: { cheapest: string; best: string; difference: number; ciLow: number; ciHigh: number } | null;
}

export async function runCostProjection(options: CostOptions): Promise<CostReport> {
  checkAssumptionRanges(options);
  const config = loadOptionalConfig(options);
  const prices = loadPriceSources(config, options.pricesFile, options.cwd);
  const profiles = loadProfileFlags(options);
  const scores = options.resultsDir ? new ScoresByItem() : undefined;
  const workload = await buildWorkload(options, scores && ((row) => scores.add(row)));
  const assumptions: Assumptions = {
    batch: options.batch ?? false,
    cacheHitRate: options.cacheHitRate ?? 0,
    cacheWriteRate: options.cacheWriteRate ?? 0,
    peakFactor: options.peakFactor ?? DEFAULT_PEAK_FACTOR,
  };
  const { apis, selfHosted, notCosted } = selectOptions(options, config, prices, profiles);
  const apiCosts = apis.map((o) => apiMonthlyCost(o, workload, assumptions));
  const selfHostedCosts = selfHosted.map((o) => ({ option: o, cost: selfHostedMonthlyCost(o, workload, assumptions) }));
  const breakEvens = selfHostedCosts.flatMap(({ option, cost }) => apiCosts.map((api) => breakEven(cost, option, api, workload)));
  const models = [...apiCosts, ...selfHostedCosts.map((s) => s.cost)].sort((a, b) => a.monthlyCostUsd - b.monthlyCostUsd);
  const quality = scores ? qualityOf(models, scores, options.resultsDir!) : null;
  return {
    assumptions: {
      ...assumptions,
      tokensPerDay: workload.tokensPerDay,
      ...(workload.requestsPerDay !== undefined ? { requestsPerDay: workload.requestsPerDay } : {}),
      ...(workload.tokensPerRequest !== undefined ? { tokensPerRequest: workload.tokensPerRequest } : {}),
      inputShare: overallInputShare(workload),
      monthlyTokens: monthlyTokens(workload.tokensPerDay),
      hoursPerMonth: HOURS_PER_MONTH,
      daysPerMonth: DAYS_PER_MONTH,
      ...definedOnly({
        utilizationOverride: options.utilization,
        minReplicasOverride: options.minReplicas,
        electricityUsdPerKWh: options.electricityUsdPerKWh,
        opsMonthlyUsd: options.opsMonthlyUsd,
      }),
      workload: { source: workload.source, categories: workload.categories },
    },
    priceSource: describePriceOrder(prices),
    models,
    notCosted,
    breakEven: breakEvens,
    quality,
    verdict: verdict(workload, models, breakEvens, quality) + notCostedNote(notCosted),
  };
}

function checkAssumptionRanges(options: CostOptions): void {
  const hit = options.cacheHitRate ?? 0;
  const write = options.cacheWriteRate ?? 0;
  if (hit + write > 1) {
    throw new InputError(`--cache-hit-rate ${hit} + --cache-write-rate ${write} is more than 1: they are shares of the same input tokens`);
  }
}

function loadOptionalConfig(options: CostOptions): Config | undefined {
  if (options.configFile) return loadConfig(options.configFile, options.cwd);
  const present = DEFAULT_CONFIG_NAMES.some((name) => existsSync(path.join(options.cwd, name)));
  return present ? loadConfig(undefined, options.cwd) : undefined;
}

function loadProfileFlags(options: CostOptions): Map<string, { file: string; profile: ThroughputProfileFile }> {
  const profiles = new Map<string, { file: string; profile: ThroughputProfileFile }>();
  for (const given of options.throughputProfiles ?? []) {
    const file = path.resolve(options.cwd, given);
    const profile = readThroughputProfile(file);
    profiles.set(profile.model, { file, profile });
  }
  return profiles;
}

function selectOptions(
  options: CostOptions,
  config: Config | undefined,
  prices: PriceSources,
  profiles: Map<string, { file: string; profile: ThroughputProfileFile }>,
): { apis: ApiOption[]; selfHosted: SelfHostedOption[]; notCosted: CostReport["notCosted"] } {
  const names = options.models ?? config?.models.map((m) => m.id);
  // Models named with --models must all be costed; models taken from the config are skipped, with the reason, when
  // there is nothing to cost them with.
  const implicit = options.models === undefined;
  const notCosted: CostReport["notCosted"] = [];
  if (!names || names.length === 0) {
    throw new InputError("no models to cost: pass --models a,b (catalog names such as claude-sonnet-4-6, gpt-4o) or run where modelpick.yaml lists models");
  }
  const apis: ApiOption[] = [];
  const selfHosted: SelfHostedOption[] = [];
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) continue;
    seen.add(name);
    const configured = config?.models.find((m) => m.id === name);
    if (configured) {
      let option: ApiOption | SelfHostedOption;
      try {
        option = fromConfiguredModel(configured, config!, prices, profiles, options);
      } catch (error) {
        if (!implicit || !(error instanceof InputError)) throw error;
        notCosted.push({ id: name, reason: error.message });
        continue;
      }
      if ("price" in option) apis.push(option);
      else selfHosted.push(option);
      continue;
    }
    const profile = findThroughputProfile(name);
    if (profile) {
      selfHosted.push(catalogSelfHostedOption(profile, options));
      continue;
    }
    apis.push({ id: name, price: requirePrice({ name }, prices, "--models") });
  }
  if (apis.length + selfHosted.length === 0) {
    throw new InputError(`no model in ${config ? path.basename(config.file) : "the config"} can be costed:\n${notCosted.map((n) => n.reason).join("\n")}`);
  }
  return { apis, selfHosted, notCosted };
}

function notCostedNote(notCosted: CostReport["notCosted"]): string {
  if (notCosted.length === 0) return "";
  return ` Not costed (no price or self-hosted deployment known): ${notCosted.map((n) => n.id).join(", ")}; run with --models to see why.`;
}

function fromConfiguredModel(
  model: ResolvedModel,
  config: Config,
  prices: PriceSources,
  profiles: Map<string, { file: string; profile: ThroughputProfileFile }>,
  overrides: SelfHostedOverrides,
): ApiOption | SelfHostedOption {
  const shown = path.basename(config.file);
  const index = config.models.indexOf(model);
  const where = `${shown}: models[${index}] (${model.id})`;
  const wantsSelfHosting = model.hosting === "self-hosted" && (model.selfHosted !== undefined || profiles.has(model.id));
  if (wantsSelfHosting) {
    return selfHostedOption({
      id: model.id,
      spec: model.selfHosted ?? {},
      where: `${where}.selfHosted`,
      configDir: config.dir,
      configDated: datedByFile(config.file, shown),
      profiles,
      overrides,
    });
  }
  if (model.hosting === "self-hosted" && "missing" in lookupPrice({ model }, prices)) {
    throw new InputError(`${where}: a self-hosted model needs a selfHosted: block (gpu, throughput) or --throughput-profile to be costed`);
  }
  return { id: model.id, hosting: model.hosting, provider: model.provider, ...modelName(model), price: requirePrice({ model }, prices, where) };
}

function modelName(model: ResolvedModel): { model?: string } {
  return model.model ? { model: model.model } : {};
}

function definedOnly<T extends Record<string, number | undefined>>(values: T): Partial<Record<keyof T, number>> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Partial<Record<keyof T, number>>;
}

/**
 * The costed models' mean scores in the results: on the items every one of them scored (so none is judged on easier or
 * harder items), or on their own items when they share none. With shared items, the cheapest option's gap to the
 * best-scoring one comes with a paired 95 % bootstrap interval.
 */
function qualityOf(models: Array<ApiCost | SelfHostedCost>, scores: ScoresByItem, results: string): CostQuality {
  const measured = models.map((m) => m.id).filter((id) => scores.has(id));
  const shared = scores.sharedItems(measured);
  const means = measured.map((id) => {
    if (shared.length === 0) return { id, mean: scores.ownMean(id).mean, n: scores.ownMean(id).n };
    const on = scores.scoresOn(id, shared);
    return { id, mean: mean(on), n: on.length };
  });
  const quality: CostQuality = { results, sharedItems: shared.length > 0 ? shared.length : null, models: means, gap: null };
  const cheapest = means.find((m) => m.id === models[0]?.id);
  const best = bestOf(means);
  if (shared.length > 0 && cheapest && best && best.id !== cheapest.id && cheapest.mean !== null && best.mean !== null) {
    const cheap = scores.scoresOn(cheapest.id, shared);
    const differences = scores.scoresOn(best.id, shared).map((score, i) => cheap[i]! - score);
    const interval = bootstrapMeanInterval(differences, { seed: seedFrom(`${cheapest.id}/${best.id}`) });
    quality.gap = { cheapest: cheapest.id, best: best.id, difference: cheapest.mean - best.mean, ciLow: interval!.low, ciHigh: interval!.high };
  }
  return quality;
}

function bestOf<T extends { mean: number | null }>(models: T[]): T | undefined {
  return models.filter((m) => m.mean !== null).reduce<T | undefined>((best, m) => (best === undefined || m.mean! > best.mean! ? m : best), undefined);
}

/** What the cheapest option gives up: its quality against the best-scoring costed model's. */
function qualitySentence(cheapestId: string, quality: CostQuality): string {
  const cheapest = quality.models.find((m) => m.id === cheapestId);
  if (!cheapest || cheapest.mean === null) {
    return `${cheapestId} has no scored answers in ${quality.results}: what it gives up in quality is not known.`;
  }
  const best = bestOf(quality.models)!;
  const score = (value: number) => value.toFixed(3);
  const items = (n: number) => n.toLocaleString("en-US");
  if (best.id === cheapest.id || best.mean === cheapest.mean) {
    return `It is also the best-scoring costed model on your data (${score(cheapest.mean)} on ${items(cheapest.n)} items).`;
  }
  const gap = quality.gap;
  const difference = gap ? ` (${formatSigned(gap.difference)}, 95 % CI ${formatSigned(gap.ciLow)} to ${formatSigned(gap.ciHigh)})` : "";
  const basis =
    quality.sharedItems !== null
      ? `on the ${items(quality.sharedItems)} items every costed model answered`
      : `on different items (${items(cheapest.n)} and ${items(best.n)}: no item was answered by every costed model)`;
  return `It scores ${score(cheapest.mean)} against ${score(best.mean!)} for ${best.id}${difference}, the best-scoring costed model, ${basis} in ${quality.results}.`;
}

/** Why a fleet never beats these per-token options, in words that fit them: cloud APIs, or self-hosted per-token prices. */
function neverBeatsReason(ids: string[], models: Array<ApiCost | SelfHostedCost>): string {
  const selfHosted = ids.filter((id) => models.some((m) => m.id === id && m.hosting === "self-hosted"));
  if (selfHosted.length === 0) return "each replica costs more than those APIs charge for the traffic it can carry";
  return `each replica costs more than those per-token prices come to for the traffic it can carry (${selfHosted.join(", ")}: self-hosted, costed at the per-token price in the config)`;
}

/** A few plain sentences: the cheapest option (and, with results, what it gives up), what self-hosting needs, and from which volume it pays. */
export function verdict(workload: Workload, models: Array<ApiCost | SelfHostedCost>, breakEvens: BreakEven[], quality: CostQuality | null = null): string {
  const volume = `${formatVolume(workload.tokensPerDay)} tokens/day (${formatVolume(monthlyTokens(workload.tokensPerDay))} a month)`;
  const cheapest = models[0]!;
  const sentences = [
    `At ${volume} the cheapest option is ${cheapest.id} at ${formatUsd(cheapest.monthlyCostUsd)}/month (${formatPerMTok(cheapest.effectiveCostPerMTokUsd)} per million tokens).`,
    ...(quality ? [qualitySentence(cheapest.id, quality)] : []),
  ];
  for (const model of models) {
    if (model.costing !== "fleet") continue;
    sentences.push(
      `${model.id} needs ${model.gpus}× ${model.gpu.name} (${model.replicas} replica${model.replicas === 1 ? "" : "s"}) for ${formatUsd(model.monthlyCostUsd)}/month; on average its GPUs do ${formatPercent(model.utilizationReached)} of the work they could.`,
    );
    const pairs = breakEvens.filter((b) => b.selfHosted === model.id);
    const pays = pairs.filter((b) => b.tokensPerDay !== null).map((b) => `${b.api} from ${formatVolume(b.tokensPerDay!)}/day`);
    const never = pairs.filter((b) => b.tokensPerDay === null).map((b) => b.api);
    if (pays.length > 0) sentences.push(`It beats ${pays.join(", ")}.`);
    if (never.length > 0) sentences.push(`It never beats ${never.join(", ")}: ${neverBeatsReason(never, models)}.`);
  }
  if (!models.some((m) => m.costing === "fleet")) {
    sentences.push(
      "No self-hosted option was compared: describe one in modelpick.yaml (hosting: self-hosted with selfHosted:) or name a catalog throughput profile in --models.",
    );
  }
  return sentences.join(" ");
}
