import { fleetMonthlyCost, type SelfHostedCost, type SelfHostedOption } from "../cost/project.js";
import { DEFAULT_PEAK_FACTOR } from "../cost/run.js";
import { DAYS_PER_MONTH, formatPercent, formatUsd, formatUsdRate, formatUsdSmall, formatVolume } from "../cost/units.js";
import { sum } from "../stats/intervals.js";
import type { ModelCategoryData } from "./evidence.js";
import type { CostBasis, ModelProfile } from "./types.js";

/** The daily volume a self-hosted fleet is sized for when --tokens-per-day is not given. */
export const DEFAULT_FLEET_TOKENS_PER_DAY = 100_000_000;

/** The traffic a self-hosted candidate is costed for: its category's share of the daily volume. */
export interface FleetVolume {
  tokensPerDay: number;
  /** True when --tokens-per-day was not given and the default volume stands in. */
  defaulted: boolean;
  /** The category's share of the volume; 0 (no traffic) costs the fleet for the whole volume. */
  share: number;
}

export function fleetVolume(tokensPerDay: number | undefined, share: number): FleetVolume {
  return { tokensPerDay: tokensPerDay ?? DEFAULT_FLEET_TOKENS_PER_DAY, defaulted: tokensPerDay === undefined, share };
}

/** Share of input tokens assumed when the results carry no token counts (the `modelpick cost` default). */
export const DEFAULT_INPUT_SHARE = 0.75;

export interface CategoryCost {
  costPer1kUsd: number | null;
  usdPerToken: number | null;
  basis: CostBasis;
  /** Rests on estimated token counts or on a price × tokens estimate: shown with "~", never as measured. */
  estimated: boolean;
}

/**
 * Cost of one model on one category: a self-hosted model with a deployment (`fleet`) is costed as that GPU fleet
 * serving `volume`; else measured costs from the results; else the model's price × its mean tokens per request; else
 * only its price per token (enough to rank, not to state a cost per request).
 */
export function categoryCost(data: ModelCategoryData, price: ModelProfile["price"], fleet?: { option: SelfHostedOption; volume: FleetVolume }): CategoryCost {
  if (fleet) return fleetCost(data, fleet.option, fleet.volume);
  const cost = costFromResults(data, price);
  return { ...cost, estimated: cost.basis === "measured" ? data.tokensEstimated : cost.basis !== "unknown" };
}

function costFromResults(data: ModelCategoryData, price: ModelProfile["price"]): Omit<CategoryCost, "estimated"> {
  const meanIn = data.tokenRows ? data.inputTokens / data.tokenRows : null;
  const meanOut = data.tokenRows ? data.outputTokens / data.tokenRows : null;
  const tokensPerRequest = meanIn !== null && meanOut !== null ? meanIn + meanOut : null;
  if (data.measuredCosts.length > 0) {
    const costPer1kUsd = (sum(data.measuredCosts) / data.measuredCosts.length) * 1000;
    const usdPerToken = tokensPerRequest ? costPer1kUsd / 1000 / tokensPerRequest : price ? blended(price) : null;
    return { costPer1kUsd, usdPerToken, basis: data.tokensEstimated ? "results' costUsd, from estimated tokens" : "measured" };
  }
  if (price && meanIn !== null && meanOut !== null) {
    const costPer1kUsd = ((meanIn * price.inputPerMTok + meanOut * price.outputPerMTok) / 1_000_000) * 1000;
    return { costPer1kUsd, usdPerToken: tokensPerRequest ? costPer1kUsd / 1000 / tokensPerRequest : blended(price), basis: "price × tokens" };
  }
  if (price) return { costPer1kUsd: null, usdPerToken: blended(price), basis: "price per token only" };
  return { costPer1kUsd: null, usdPerToken: null, basis: "unknown" };
}

/**
 * The fleet's monthly cost for the traffic it serves → its effective $ per token → $ per 1k requests at the model's
 * measured mean tokens per request (unknown when the results carry no token counts). A fleet is paid per replica,
 * so the cost per token depends on the volume: each candidate is costed as if it served its category's share.
 */
export function fleetCost(data: ModelCategoryData, option: SelfHostedOption, volume: FleetVolume): CategoryCost {
  const served = volume.share > 0 ? volume.tokensPerDay * volume.share : volume.tokensPerDay;
  const tokens = data.inputTokens + data.outputTokens;
  const fleet = fleetMonthlyCost(option, served, inputShareOf(data), DEFAULT_PEAK_FACTOR);
  const usdPerToken = fleet.effectiveCostPerMTokUsd / 1_000_000;
  const costPer1kUsd = data.tokenRows > 0 ? (usdPerToken * tokens * 1000) / data.tokenRows : null;
  return { costPer1kUsd, usdPerToken, basis: describeFleet(fleet, served, volume), estimated: true };
}

/** Share of input tokens in the model's measured tokens; the default share when the results carry none. */
export function inputShareOf(data: ModelCategoryData): number {
  const tokens = data.inputTokens + data.outputTokens;
  return data.tokenRows > 0 && tokens > 0 ? data.inputTokens / tokens : DEFAULT_INPUT_SHARE;
}

function describeFleet(fleet: SelfHostedCost, served: number, volume: FleetVolume): CostBasis {
  const total = `${formatVolume(volume.tokensPerDay)} tokens/day${volume.defaulted ? " (default volume: --tokens-per-day not given)" : ""}`;
  const traffic =
    volume.share <= 0
      ? `the whole ${total} (the category has no traffic share)`
      : volume.share >= 1
        ? total
        : `${formatVolume(served)} tokens/day, its ${formatPercent(volume.share)} share of ${total}`;
  const replicas = `${fleet.replicas} replica${fleet.replicas === 1 ? "" : "s"} of ${fleet.gpusPerReplica}`;
  const detail =
    `${fleet.gpus}× ${fleet.gpu.name} (${replicas}) for ${traffic}, ` +
    `utilisation target ${formatPercent(fleet.utilizationTarget)} at peak ×${DEFAULT_PEAK_FACTOR}, reached ${formatPercent(fleet.utilizationReached)} on average; ` +
    `${formatUsd(fleet.monthlyCostUsd)}/month = ${formatUsdSmall(fleet.effectiveCostPerMTokUsd)} per million tokens; ` +
    fleetSources(fleet);
  return `self-hosted fleet: ${detail}`;
}

/** Where a fleet's figures come from: its GPU price and its throughput, with their dates. */
export function fleetSources(fleet: Pick<SelfHostedCost, "gpu" | "throughput">): string {
  const { gpu, throughput } = fleet;
  return `GPU ${formatUsdRate(gpu.hourlyUsd)}/h from ${gpu.source} (${gpu.date ?? "undated"}); throughput from ${throughput.source} (${throughput.date ?? "undated"})`;
}

export function isFleetBasis(basis: CostBasis): boolean {
  return basis.startsWith("self-hosted fleet:");
}

function blended(price: NonNullable<ModelProfile["price"]>): number {
  return (DEFAULT_INPUT_SHARE * price.inputPerMTok + (1 - DEFAULT_INPUT_SHARE) * price.outputPerMTok) / 1_000_000;
}

export function monthlyUsd(tokensPerDay: number, share: number, usdPerToken: number | null): number | null {
  return usdPerToken === null ? null : tokensPerDay * share * usdPerToken * DAYS_PER_MONTH;
}

/**
 * Orders two candidates by cost: per request when both are known, else by price per token, and a known cost before
 * an unknown one. Returns 0 for a tie, so the caller can break it on speed.
 */
export function compareCost(
  a: { costPer1kUsd: number | null; usdPerToken: number | null },
  b: { costPer1kUsd: number | null; usdPerToken: number | null },
): number {
  if (a.costPer1kUsd !== null && b.costPer1kUsd !== null) return compareNumbers(a.costPer1kUsd, b.costPer1kUsd);
  if (a.usdPerToken !== null && b.usdPerToken !== null) return compareNumbers(a.usdPerToken, b.usdPerToken);
  const aKnown = a.costPer1kUsd !== null || a.usdPerToken !== null;
  const bKnown = b.costPer1kUsd !== null || b.usdPerToken !== null;
  return aKnown === bKnown ? 0 : aKnown ? -1 : 1;
}

/** Equal within a relative 1e-9, so float noise does not decide a tie. */
function compareNumbers(a: number, b: number): number {
  if (Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b), 1e-12)) return 0;
  return a < b ? -1 : 1;
}
