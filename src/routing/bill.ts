import { fleetMonthlyCost, type SelfHostedCost } from "../cost/project.js";
import { DEFAULT_PEAK_FACTOR } from "../cost/run.js";
import { formatPercent, formatUsd, formatVolume } from "../cost/units.js";
import { sum } from "../stats/intervals.js";
import { fleetSources, monthlyUsd } from "./costs.js";
import { compareText } from "./evidence.js";
import type { Bill, BillApi, BillFleet, CandidateVerdict, ModelProfile } from "./types.js";

/** The traffic one route sends to its model: a category's ordinary or sensitive share of the daily volume. */
export interface TrafficStream {
  category: string;
  sensitive: boolean;
  /** Share of the daily volume. */
  share: number;
  candidate: CandidateVerdict;
  profile: ModelProfile;
}

/**
 * The monthly bill of the final routes. An API (or a self-hosted model priced per token) costs its price for the
 * tokens routed to it. A self-hosted fleet is sized once, for all the traffic routed to it — ordinary and sensitive,
 * from every category it serves — so one replica carrying two categories is paid once. A fleet that some route uses
 * but no traffic reaches in this projection still runs at its minimum size: it is billed as standby.
 * `perStream` is each stream's part of the bill: a fleet split by tokens (a standby fleet evenly).
 */
export function computeBill(streams: readonly TrafficStream[], tokensPerDay: number): { bill: Bill; perStream: Array<number | null> } {
  const perStream: Array<number | null> = streams.map(() => 0);
  const apis = new Map<string, BillApi>();
  const fleets = new Map<string, number[]>();
  const unpriced = new Map<string, Bill["unpriced"][number]>();
  streams.forEach((stream, i) => {
    if (stream.profile.fleet) {
      const list = fleets.get(stream.profile.id) ?? [];
      fleets.set(stream.profile.id, [...list, i]);
      return;
    }
    if (stream.share === 0) return;
    const cost = monthlyUsd(tokensPerDay, stream.share, stream.candidate.usdPerToken);
    perStream[i] = cost;
    if (cost === null) {
      const entry = unpriced.get(stream.candidate.model) ?? { model: stream.candidate.model, categories: [], sensitiveCategories: [] };
      (stream.sensitive ? entry.sensitiveCategories : entry.categories).push(stream.category);
      unpriced.set(stream.candidate.model, entry);
      return;
    }
    const line = apis.get(stream.candidate.model) ?? {
      model: stream.candidate.model,
      hosting: stream.profile.hosting,
      monthlyUsd: 0,
      tokensPerDay: 0,
      categories: [],
      sensitiveCategories: [],
      costEstimated: false,
    };
    line.monthlyUsd += cost;
    line.tokensPerDay += tokensPerDay * stream.share;
    line.costEstimated ||= stream.candidate.costEstimated;
    (stream.sensitive ? line.sensitiveCategories : line.categories).push(stream.category);
    apis.set(stream.candidate.model, line);
  });
  const fleetLines = [...fleets.entries()].map(([model, indices]) =>
    fleetLine(
      model,
      indices.map((i) => streams[i]!),
      tokensPerDay,
      (i, usd) => (perStream[indices[i]!] = usd),
    ),
  );
  const apiLines = [...apis.values()];
  const total = unpriced.size > 0 ? null : sum(apiLines.map((a) => a.monthlyUsd)) + sum(fleetLines.map((f) => f.monthlyUsd));
  return {
    bill: {
      tokensPerDay,
      totalUsd: total,
      apis: apiLines.sort((a, b) => compareText(a.model, b.model)),
      fleets: fleetLines.sort((a, b) => compareText(a.model, b.model)),
      unpriced: [...unpriced.values()].sort((a, b) => compareText(a.model, b.model)),
    },
    perStream,
  };
}

function fleetLine(model: string, streams: TrafficStream[], tokensPerDay: number, allocate: (i: number, usd: number) => void): BillFleet {
  const option = streams[0]!.profile.fleet!;
  const tokens = streams.map((s) => tokensPerDay * s.share);
  const served = sum(tokens);
  const fleet = fleetMonthlyCost(option, served, inputShare(streams, tokens), DEFAULT_PEAK_FACTOR);
  streams.forEach((_, i) => allocate(i, served > 0 ? (fleet.monthlyCostUsd * tokens[i]!) / served : fleet.monthlyCostUsd / streams.length));
  return {
    model,
    gpu: fleet.gpu.name,
    gpus: fleet.gpus,
    replicas: fleet.replicas,
    monthlyUsd: fleet.monthlyCostUsd,
    utilisation: fleet.utilizationReached,
    tokensPerDay: served,
    categories: streams.filter((s) => !s.sensitive).map((s) => s.category),
    sensitiveCategories: streams.filter((s) => s.sensitive).map((s) => s.category),
    standby: served === 0,
    costBasis: describeBilledFleet(fleet, served),
  };
}

/** The input share of a fleet's traffic: each stream's measured share, weighted by its tokens. */
function inputShare(streams: TrafficStream[], tokens: number[]): number {
  const shares = streams.map((s) => s.candidate.inputShare);
  const weight = sum(tokens);
  if (weight === 0) return sum(shares) / shares.length;
  return sum(shares.map((share, i) => share * tokens[i]!)) / weight;
}

function describeBilledFleet(fleet: SelfHostedCost, served: number): string {
  const replicas = `${fleet.replicas} replica${fleet.replicas === 1 ? "" : "s"} of ${fleet.gpusPerReplica}`;
  const load = served === 0 ? "standby: no traffic routed to it in this projection, so it runs at its minimum size" : `for ${formatVolume(served)} tokens/day`;
  return (
    `${fleet.gpus}× ${fleet.gpu.name} (${replicas}) ${load}; utilisation ${formatPercent(fleet.utilizationReached)} on average ` +
    `(target ${formatPercent(fleet.utilizationTarget)} at peak ×${DEFAULT_PEAK_FACTOR}); ${formatUsd(fleet.monthlyCostUsd)}/month; ${fleetSources(fleet)}`
  );
}
