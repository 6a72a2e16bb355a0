import { createHash } from "node:crypto";
import { closeSync, existsSync, openSync, readSync } from "node:fs";
import path from "node:path";
import type { Config, ResolvedModel } from "../config/types.js";
import type { ModelRunInfo, RunSummary } from "../results/summary-types.js";
import { RESULTS_FILE, readResultsDir } from "../results/store.js";
import type { ResultRow } from "../results/row.js";
import { compareText } from "./evidence.js";
import type { ModelProfile, RunSource } from "./types.js";

export interface RoutingInputs {
  rows: ResultRow[];
  models: ModelProfile[];
  source: RunSource;
  sensitiveItems: Set<string>;
  /** Models the run summary or the config describe; the others' hosting is not known from these results. */
  described: Set<string>;
  notes: string[];
}

export interface RoutingInputOptions {
  resultsDir: string;
  /** modelpick.yaml for maxTokens, temperature, baseURL, licence and prices; by default the one the run recorded. */
  configFile?: string;
  /** A LiteLLM price file or modelpick price map, for models the results carry no cost or price for. */
  pricesFile?: string;
  cwd?: string;
}

/** Reads a results directory and everything known about its models, for recommend and check. */
export async function loadRoutingInputs(options: RoutingInputOptions): Promise<RoutingInputs> {
  const cwd = options.cwd ?? process.cwd();
  const dir = path.resolve(cwd, options.resultsDir);
  const { rows, summary } = await readResultsDir(dir);
  const notes: string[] = [];
  const config = await loadRunConfig(options.configFile, summary, cwd, notes);
  const models = await buildProfiles(rows, summary, config, options.pricesFile ? path.resolve(cwd, options.pricesFile) : undefined, notes);
  await attachFleets(models, config, notes);
  const { items: sensitiveItems, note } = await datasetSensitiveItems(summary);
  if (note) notes.push(note);
  const described = new Set([...(summary?.run.models ?? []).map((m) => m.id), ...(config?.models ?? []).map((m) => m.id)]);
  const resultsSha256 = sha256File(path.join(dir, RESULTS_FILE));
  return {
    rows,
    models,
    source: {
      runId: summary?.run.id ?? `results-${resultsSha256.slice(0, 12)}`,
      runDate: summary?.run.endedAt || summary?.run.startedAt || null,
      resultsSha256,
    },
    sensitiveItems,
    described,
    notes,
  };
}

async function loadRunConfig(explicit: string | undefined, summary: RunSummary | null, cwd: string, notes: string[]): Promise<Config | null> {
  const { loadConfig } = await import("../config/load.js");
  if (explicit) return loadConfig(explicit, cwd);
  if (!summary) {
    // Without summary.json the run's config is unknown; the working directory's modelpick.yaml is the best guess.
    const { DEFAULT_CONFIG_NAMES } = await import("../config/load.js");
    const found = DEFAULT_CONFIG_NAMES.map((n) => path.join(cwd, n)).find((f) => existsSync(f));
    if (!found) return null;
    try {
      return loadConfig(found, cwd);
    } catch {
      notes.push(`${path.basename(found)} does not load; model details come from the results only (pass --config).`);
      return null;
    }
  }
  const recorded = summary.run.configFile;
  if (recorded && existsSync(path.resolve(cwd, recorded))) {
    try {
      return loadConfig(path.resolve(cwd, recorded), cwd);
    } catch {
      notes.push(`The run's config ${recorded} no longer loads; routes use default maxTokens/temperature (pass --config).`);
      return null;
    }
  }
  return null;
}

async function buildProfiles(
  rows: ResultRow[],
  summary: RunSummary | null,
  config: Config | null,
  pricesFile: string | undefined,
  notes: string[],
): Promise<ModelProfile[]> {
  const { loadPriceSources, lookupPrice, priceProblem } = await import("../cost/prices.js");
  const prices = loadPriceSources(config, pricesFile);
  const ran = new Map((summary?.run.models ?? []).map((m) => [m.id, m]));
  const configured = new Map((config?.models ?? []).map((m) => [m.id, m]));
  const ids = new Set([...ran.keys(), ...rows.map((r) => r.model)]);
  return [...ids].sort(compareText).map((id) => {
    const info = ran.get(id);
    const model = configured.get(id);
    const hosting = info?.hosting ?? model?.hosting ?? "cloud";
    const name = info?.model ?? model?.model ?? id;
    const lookups = [...(model ? [lookupPrice({ model }, prices)] : []), lookupPrice({ name, hosting, alsoTry: name === id ? [] : [id] }, prices)];
    const price = info?.price ?? lookups.map(priceOf).find((p) => p !== null) ?? null;
    const problem = price === null ? lookups.map((l) => priceProblem(l, name)).find((p) => p !== null) : undefined;
    if (problem) notes.push(`${id} has no price: ${problem}`);
    return profileOf(id, name, hosting, info, model, price);
  });
}

/**
 * Self-hosted models whose config has a `selfHosted:` block get their deployment, resolved exactly as `modelpick cost`
 * resolves it (GPU, throughput or a catalog/bench-local profile). A block that does not resolve is reported in a note
 * and the model keeps whatever price it has.
 */
async function attachFleets(models: ModelProfile[], config: Config | null, notes: string[]): Promise<void> {
  const deployed = (config?.models ?? []).filter((m) => m.hosting === "self-hosted" && m.selfHosted !== undefined);
  if (!config || deployed.length === 0) return;
  const { selfHostedOption, datedByFile } = await import("../cost/self-hosted.js");
  const { InputError } = await import("../errors.js");
  const shown = path.basename(config.file);
  for (const profile of models) {
    const model = deployed.find((m) => m.id === profile.id);
    if (!model || profile.hosting !== "self-hosted") continue;
    try {
      profile.fleet = selfHostedOption({
        id: model.id,
        spec: model.selfHosted!,
        where: `${shown}: models[${config.models.indexOf(model)}] (${model.id}).selfHosted`,
        configDir: config.dir,
        configDated: datedByFile(config.file, shown),
        profiles: new Map(),
        overrides: {},
      });
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      notes.push(`${model.id} is not costed as a self-hosted fleet: ${error.message}`);
    }
  }
}

function priceOf(lookup: { price: ModelProfile["price"] & object } | { ambiguous: string[] } | { missing: true }): ModelProfile["price"] {
  return "price" in lookup ? lookup.price : null;
}

function profileOf(
  id: string,
  name: string,
  hosting: ModelProfile["hosting"],
  info: ModelRunInfo | undefined,
  model: ResolvedModel | undefined,
  price: { inputPerMTok: number; outputPerMTok: number; source: string; date?: string } | null,
): ModelProfile {
  const baseURL = model && "baseURL" in model && typeof model.baseURL === "string" ? withoutCredentials(model.baseURL) : undefined;
  const license = info?.license ?? model?.license;
  return {
    id,
    model: name,
    provider: info?.provider ?? model?.provider ?? "unknown",
    hosting,
    maxTokens: model?.maxTokens ?? 512,
    temperature: model?.temperature ?? 0,
    ...(baseURL !== undefined ? { baseURL } : {}),
    ...(license !== undefined ? { license } : {}),
    price: price
      ? { inputPerMTok: price.inputPerMTok, outputPerMTok: price.outputPerMTok, source: price.source, ...(price.date ? { date: price.date } : {}) }
      : null,
  };
}

function sha256File(file: string): string {
  const hash = createHash("sha256");
  const buffer = Buffer.allocUnsafe(1 << 20);
  const fd = openSync(file, "r");
  try {
    for (let read = readSync(fd, buffer); read > 0; read = readSync(fd, buffer)) hash.update(buffer.subarray(0, read));
  } finally {
    closeSync(fd);
  }
  return hash.digest("hex");
}

/** Items the dataset marks sensitive, when the run recorded its dataset files and they are still there. */
async function datasetSensitiveItems(summary: RunSummary | null): Promise<{ items: Set<string>; note?: string }> {
  const files = summary?.run.datasetFiles ?? [];
  if (files.length === 0) return { items: new Set() };
  if (!files.every((f) => existsSync(f))) {
    return { items: new Set(), note: "The run's dataset files are not here: sensitive items are taken from the results (skipped: sensitive) only." };
  }
  const ids = await sensitiveIds(files);
  if (ids === null) {
    return { items: new Set(), note: "The run's dataset files no longer load: sensitive items are taken from the results (skipped: sensitive) only." };
  }
  return { items: new Set(ids) };
}

/** The ids of the items marked sensitive; null when the files no longer load. */
async function sensitiveIds(files: string[]): Promise<string[] | null> {
  try {
    const { loadDatasets } = await import("../dataset/load.js");
    return (await loadDatasets(files)).filter((item) => item.sensitive).map((item) => item.id);
  } catch {
    return null;
  }
}

/** A base URL as it may be written to a routing file: any user:password part is dropped. */
export function withoutCredentials(url: string): string {
  try {
    const parsed = new URL(url);
    if (!parsed.username && !parsed.password) return url;
    parsed.username = "";
    parsed.password = "";
    return parsed.toString();
  } catch {
    return url;
  }
}
