import { statSync } from "node:fs";
import path from "node:path";
import { InputError } from "../errors.js";
import { annotateFsError, isFsError } from "../io/fs-errors.js";
import { readJsonFile } from "../io/json-file.js";
import { GPU_OFFERS, findGpuOffer, findGpuPower, findThroughputProfile, type ThroughputEntry } from "./catalog/index.js";
import type { ThroughputProfileFile } from "../providers/llama-cpp/bench.js";
import type { Dated, SelfHostedOption, Throughput } from "./project.js";

/** The `selfHosted:` block of a model in modelpick.yaml (see src/config/schema.ts). */
export interface SelfHostedSpec {
  gpu?: string;
  gpuHourlyUsd?: number;
  gpusPerReplica?: number;
  tokensPerSecond?: number;
  inputTokensPerSecond?: number;
  outputTokensPerSecond?: number;
  throughputProfile?: string;
  catalogProfile?: string;
  utilization?: number;
  minReplicas?: number;
  watts?: number;
  electricityUsdPerKWh?: number;
  opsMonthlyUsd?: number;
}

/** Flags that override every self-hosted option's own settings. */
export interface SelfHostedOverrides {
  utilization?: number;
  minReplicas?: number;
  electricityUsdPerKWh?: number;
  opsMonthlyUsd?: number;
}

export const DEFAULT_UTILIZATION = 0.5;

export function readThroughputProfile(file: string): ThroughputProfileFile {
  const remedy = "run `modelpick bench-local` to write it again";
  let data: unknown;
  try {
    data = readJsonFile(file, { ours: true, remedy });
  } catch (error) {
    throw isFsError(error) ? annotateFsError(error, { hint: `it should be a throughput profile: ${remedy}` }) : error;
  }
  const profile = data as Partial<ThroughputProfileFile> | null;
  if (typeof profile !== "object" || profile === null || profile.kind !== "modelpick-throughput-profile") {
    throw new InputError(`${file}: kind: expected "modelpick-throughput-profile" (a file written by \`modelpick bench-local\`)`);
  }
  for (const field of ["promptTokensPerSecond", "generationTokensPerSecond"] as const) {
    const value = profile[field];
    if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
      throw new InputError(`${file}: ${field}: expected a positive number of tokens per second, got ${JSON.stringify(value)}`);
    }
  }
  return profile as ThroughputProfileFile;
}

export function throughputFromProfileFile(file: string, profile: ThroughputProfileFile): Throughput {
  const where = [profile.machine, profile.gguf && path.basename(profile.gguf), profile.parallel && `parallel ${profile.parallel}`].filter(Boolean).join(", ");
  return {
    counts: "separate",
    promptTokensPerSecond: profile.promptTokensPerSecond,
    generationTokensPerSecond: profile.generationTokensPerSecond,
    source: `bench-local profile ${file}${where ? ` (${where})` : ""}`,
    date: typeof profile.measuredAt === "string" ? profile.measuredAt.slice(0, 10) : "n.d.",
  };
}

export function throughputFromCatalog(entry: ThroughputEntry): Throughput {
  return {
    counts: entry.counts,
    ...(entry.tokensPerSecond !== undefined ? { tokensPerSecond: entry.tokensPerSecond } : {}),
    ...(entry.promptTokensPerSecond !== undefined ? { promptTokensPerSecond: entry.promptTokensPerSecond } : {}),
    ...(entry.generationTokensPerSecond !== undefined ? { generationTokensPerSecond: entry.generationTokensPerSecond } : {}),
    source: `catalog profile ${entry.id}: ${entry.engine}, ${entry.gpusPerReplica}× ${entry.gpu}, ${entry.workload}; ${entry.source}`,
    date: entry.date,
    ...(entry.unconfirmed ? { unconfirmed: true as const } : {}),
  };
}

/**
 * Builds a self-hosted option from a model's `selfHosted:` block. `where` names the config field for messages;
 * `configDated` dates figures the user wrote (`where` names them); `profiles` are `--throughput-profile` files keyed by model id.
 */
export function selfHostedOption(input: {
  id: string;
  spec: SelfHostedSpec;
  where: string;
  configDir: string;
  configDated: Dated;
  profiles: Map<string, { file: string; profile: ThroughputProfileFile }>;
  overrides: SelfHostedOverrides;
}): SelfHostedOption {
  const { id, spec, where, overrides } = input;
  const catalogProfile = spec.catalogProfile === undefined ? undefined : findCatalogProfile(spec.catalogProfile, `${where}.catalogProfile`);
  const throughput = throughputFor(input, catalogProfile);
  const gpu = gpuFor(spec, where, input.configDated, catalogProfile);
  const usdPerKWh = overrides.electricityUsdPerKWh ?? spec.electricityUsdPerKWh;
  return {
    id,
    gpu,
    gpusPerReplica: spec.gpusPerReplica ?? catalogProfile?.gpusPerReplica ?? 1,
    throughput,
    utilization: overrides.utilization ?? spec.utilization ?? DEFAULT_UTILIZATION,
    minReplicas: overrides.minReplicas ?? spec.minReplicas ?? 1,
    ...(usdPerKWh !== undefined ? { electricity: electricityFor(spec, where, gpu.name, usdPerKWh, input.configDated) } : {}),
    opsMonthlyUsd: overrides.opsMonthlyUsd ?? spec.opsMonthlyUsd ?? 0,
  };
}

/** A self-hosted option straight from a catalog throughput profile named in --models. */
export function catalogSelfHostedOption(entry: ThroughputEntry, overrides: SelfHostedOverrides): SelfHostedOption {
  const offer = findGpuOffer(entry.gpu);
  if (!offer) {
    throw new InputError(
      `--models: ${entry.id}: the catalog has no hourly price for "${entry.gpu}"; describe it in modelpick.yaml with selfHosted.catalogProfile and gpuHourlyUsd`,
    );
  }
  const gpu = {
    name: offer.gpu,
    hourlyUsd: offer.hourlyUsd,
    source: `${offer.id}: ${offer.offer}; ${offer.source}`,
    date: offer.date,
    ...(offer.unconfirmed ? { unconfirmed: true as const } : {}),
  };
  const usdPerKWh = overrides.electricityUsdPerKWh;
  return {
    id: entry.id,
    gpu,
    gpusPerReplica: entry.gpusPerReplica,
    throughput: throughputFromCatalog(entry),
    utilization: overrides.utilization ?? DEFAULT_UTILIZATION,
    minReplicas: overrides.minReplicas ?? 1,
    ...(usdPerKWh !== undefined ? { electricity: electricityFor({}, "--models", offer.gpu, usdPerKWh, { source: "--electricity-usd-per-kwh" }) } : {}),
    opsMonthlyUsd: overrides.opsMonthlyUsd ?? 0,
  };
}

function findCatalogProfile(id: string, where: string): ThroughputEntry {
  const entry = findThroughputProfile(id);
  if (!entry) throw new InputError(`${where}: "${id}" is not a catalog throughput profile; list them with \`modelpick models --kind throughput\``);
  return entry;
}

function throughputFor(input: Parameters<typeof selfHostedOption>[0], catalogProfile: ThroughputEntry | undefined): Throughput {
  const { spec, where, configDated } = input;
  if (spec.tokensPerSecond !== undefined) {
    return { counts: "total", tokensPerSecond: spec.tokensPerSecond, ...configDated, source: `${where}.tokensPerSecond` };
  }
  if (spec.inputTokensPerSecond !== undefined || spec.outputTokensPerSecond !== undefined) {
    if (spec.inputTokensPerSecond === undefined || spec.outputTokensPerSecond === undefined) {
      throw new InputError(`${where}: give both inputTokensPerSecond and outputTokensPerSecond, or tokensPerSecond`);
    }
    return {
      counts: "separate",
      promptTokensPerSecond: spec.inputTokensPerSecond,
      generationTokensPerSecond: spec.outputTokensPerSecond,
      ...configDated,
      source: `${where}.inputTokensPerSecond/outputTokensPerSecond`,
    };
  }
  if (spec.throughputProfile !== undefined) {
    const file = path.resolve(input.configDir, spec.throughputProfile);
    return throughputFromProfileFile(file, readThroughputProfile(file));
  }
  const flagged = input.profiles.get(input.id);
  if (flagged) return throughputFromProfileFile(flagged.file, flagged.profile);
  if (catalogProfile) return throughputFromCatalog(catalogProfile);
  throw new InputError(
    `${where}: no throughput: set tokensPerSecond, inputTokensPerSecond + outputTokensPerSecond, throughputProfile (a bench-local file) or catalogProfile`,
  );
}

function gpuFor(spec: SelfHostedSpec, where: string, configDated: Dated, catalogProfile: ThroughputEntry | undefined): SelfHostedOption["gpu"] {
  if (spec.gpuHourlyUsd !== undefined) {
    return {
      name: spec.gpu ?? catalogProfile?.gpu ?? "gpu",
      hourlyUsd: spec.gpuHourlyUsd,
      ...configDated,
      source: `${where}.gpuHourlyUsd`,
    };
  }
  const wanted = spec.gpu ?? catalogProfile?.gpu;
  if (wanted === undefined) throw new InputError(`${where}: set gpu (e.g. h100) or gpuHourlyUsd`);
  const offer = findGpuOffer(wanted);
  if (!offer) {
    const names = [...new Set(GPU_OFFERS.map((o) => o.gpu))].join(", ");
    throw new InputError(
      `${where}.gpu: "${wanted}" has no catalog price; use one of ${names}, an offer id from \`modelpick models --kind gpu\`, or set gpuHourlyUsd`,
    );
  }
  return {
    name: offer.gpu,
    hourlyUsd: offer.hourlyUsd,
    source: `${offer.id}: ${offer.offer}; ${offer.source}`,
    date: offer.date,
    ...(offer.unconfirmed ? { unconfirmed: true as const } : {}),
  };
}

function electricityFor(spec: SelfHostedSpec, where: string, gpu: string, usdPerKWh: number, configDated: Dated): NonNullable<SelfHostedOption["electricity"]> {
  if (spec.watts !== undefined) {
    return { wattsPerGpu: spec.watts, usdPerKWh, ...configDated, source: `${where}.watts` };
  }
  const power = findGpuPower(gpu);
  if (!power) throw new InputError(`${where}.watts: the catalog has no power draw for "${gpu}"; set watts (per GPU) to charge electricity`);
  return {
    wattsPerGpu: power.watts,
    usdPerKWh,
    source: `${power.id}: ${power.source}`,
    date: power.date,
    ...(power.unconfirmed ? { unconfirmed: true as const } : {}),
  };
}

/** Figures a user wrote in a file carry that file's modification date. */
export function datedByFile(file: string, label: string): Dated {
  return { source: label, date: `${statSync(file).mtime.toISOString().slice(0, 10)} (file modified)` };
}
