import { createHash, randomBytes } from "node:crypto";
import { createReadStream, existsSync, readlinkSync, renameSync, rmSync, symlinkSync } from "node:fs";
import path from "node:path";
import type { Config, ResolvedModel } from "../config/types.js";
import type { DatasetItem } from "../dataset/types.js";
import { InputError } from "../errors.js";
import { unknownName } from "../suggest.js";
import { secretFreeJson } from "../io/secrets.js";
import type { ResolvedPrice } from "../cost/price.js";
import { describePriceSource, knownPrice, loadPriceSources, lookupPrice, priceProblem, targetName, type PriceSources } from "../cost/prices.js";
import { writeFileAtomic } from "../io/atomic.js";
import { ensureDir, isDirectory } from "../io/dirs.js";
import { annotateFsError, isFsError, onFile, shownPath } from "../io/fs-errors.js";
import { readJsonFile } from "../io/json-file.js";
import { lockDir, type DirLock } from "../io/lock.js";
import { collectApiKeys, createProvider } from "../providers/index.js";
import type { Provider } from "../providers/types.js";
import { SummaryBuilder } from "../results/summary.js";
import type { ModelRunInfo, RunSummary } from "../results/summary-types.js";
import { compactDuration } from "../report/age.js";
import { formatPerMTok } from "../cost/units.js";
import type { ResponseCache } from "./cache.js";
import type { EvaluateContext } from "./evaluate.js";
import { arrayFeed, type ItemFeed } from "./item-feed.js";
import { LaneThread, laneFor, runLane, threadedModels } from "./lane.js";
import { RESULTS_FILE, ResultsWriter, SUMMARY_FILE, readResultRows, repairTornTail, rowKey } from "../results/store.js";
import type { ResultRow } from "../results/row.js";

export const RUN_FILE = "run.json";

export interface EvalOptions {
  config: Config;
  items: DatasetItem[];
  outDir: string;
  /** Continue the run in outDir: rows already there are not requested again. */
  resume: boolean;
  cache: ResponseCache | null;
  /** Restrict the run to these model ids (default: all). */
  modelIds?: string[];
  onRow?: (row: ResultRow, progress: Progress) => void;
  env?: NodeJS.ProcessEnv;
  /** Where prices come from (`loadPriceSources`); by default the config's own: its models' price: and prices: file. */
  prices?: PriceSources;
  /** Threads started early by prepareEval; runEval starts any it needs that are not here. */
  prepared?: PreparedEval;
  /** Things the user should know that are not errors (a stale lock taken over). */
  onNote?: (note: string) => void;
}

/** Model threads started before the dataset is read, so they load their SDKs meanwhile. */
export interface PreparedEval {
  threads: Map<string, LaneThread>;
  /** Ends the threads nobody took; safe to call more than once. */
  dispose(): void;
}

/** Starts the threads that runEval will most likely want (it decides for sure once it has the items). */
export function prepareEval(config: Config, modelIds?: string[]): PreparedEval {
  const judge = config.judge ? config.models.find((m) => m.id === config.judge) : undefined;
  const threads = new Map(threadedModels(selectModels(config, modelIds), judge).map((m) => [m.id, new LaneThread(m.provider)]));
  return {
    threads,
    dispose() {
      for (const thread of threads.values()) thread.dispose();
      threads.clear();
    },
  };
}

export interface Progress {
  done: number;
  total: number;
  errors: number;
  skipped: number;
  /** Rows answered from the response cache. */
  cached: number;
  startedAt: number;
}

export interface EvalOutcome {
  summary: RunSummary;
  outDir: string;
  progress: Progress;
}

type RunRecord = Omit<RunSummary["run"], "endedAt">;

export async function runEval(options: EvalOptions): Promise<EvalOutcome> {
  const { config, items } = options;
  const models = selectModels(config, options.modelIds);
  const scoring = await import("../scoring/index.js");
  checkScorers(items, scoring.validateScorer);
  const judgeModel = judgeFor(config, items, scoring.needsJudge);
  const involved = judgeModel && !models.includes(judgeModel) ? [...models, judgeModel] : models;
  const keys = collectApiKeys(involved, options.env);
  const priceSources = options.prices ?? loadPriceSources(config);
  const price = pricer(priceSources);
  for (const model of involved) {
    const problem = priceProblem(lookupPrice({ model }, priceSources), targetName({ model }));
    if (problem) options.onNote?.(`${model.id} has no price, so its costs are not computed: ${problem}`);
  }
  const lock = claimOutDir(options);
  try {
    return await evalInDir(options, models, judgeModel, keys, scoring, price);
  } catch (error) {
    if (isFsError(error) && existsSync(path.join(options.outDir, RUN_FILE))) {
      const dir = shownPath(options.outDir);
      annotateFsError(error, { hint: `the rows written so far are kept in ${dir}: fix that, then continue with modelpick eval --resume ${dir}` });
    }
    throw error;
  } finally {
    lock.release();
  }
}

/**
 * The run's directory, locked for this run alone: a second run on it, or a resume while the first still writes, is
 * refused. --resume needs a run to continue; a new run needs a directory without one.
 */
function claimOutDir(options: EvalOptions): DirLock {
  const dir = shownPath(options.outDir);
  if (options.resume && !isDirectory(options.outDir)) {
    throw new InputError(`--resume ${dir}: no such directory; check the path, or start a new run with --out ${dir}`);
  }
  ensureDir(options.outDir);
  const lock = lockDir(options.outDir, "modelpick eval");
  try {
    if (options.resume && !existsSync(path.join(options.outDir, RUN_FILE))) {
      throw new InputError(`--resume ${dir}: no ${RUN_FILE} there, so it holds no run of modelpick eval to continue; start a new run with --out`);
    }
    if (!options.resume && existsSync(path.join(options.outDir, RESULTS_FILE))) {
      throw new InputError(`${dir} already holds a run: continue it with --resume, or choose another --out directory`);
    }
  } catch (error) {
    lock.release();
    throw error;
  }
  if (lock.note) options.onNote?.(lock.note);
  return lock;
}

async function evalInDir(
  options: EvalOptions,
  models: ResolvedModel[],
  judgeModel: ResolvedModel | null,
  keys: Map<string, string>,
  scoring: typeof import("../scoring/index.js"),
  price: Pricer,
): Promise<EvalOutcome> {
  const { items } = options;
  const record = await startRecord(options, models, judgeModel, price);
  const resultsFile = path.join(options.outDir, RESULTS_FILE);
  const builder = new SummaryBuilder();
  const done = new Set<string>();
  const estimated = new Set<string>();
  if (options.resume) await replayFinished(resultsFile, builder, done, estimated);

  const providers = new Map<string, Provider>();
  let writeFailed: (error: Error) => void = () => {};
  const writing = new Promise<never>((_, reject) => (writeFailed = reject));
  writing.catch(() => {}); // raced below; a failure in the final flush is thrown by close()
  const writer = new ResultsWriter(resultsFile, writeFailed);
  const progress: Progress = { done: 0, total: 0, errors: 0, skipped: 0, cached: 0, startedAt: Date.now() };
  let closed = false;
  const onRow = (row: ResultRow) => {
    if (closed) return; // a thread still finishing after another failed: the run is over
    writer.append(row);
    builder.add(row);
    progress.done++;
    if (row.error !== null) progress.errors++;
    if (row.skipped !== null) progress.skipped++;
    if (row.cached) progress.cached++;
    if (row.tokensEstimated) estimated.add(row.model);
    options.onRow?.(row, progress);
  };
  const pending = (m: ResolvedModel) => (done.size === 0 ? items : items.filter((item) => !done.has(rowKey(m.id, item.id))));
  const threaded = threadedModels(models, judgeModel);
  const inProcess = models.filter((m) => !threaded.includes(m));
  const stopThreads = new AbortController();
  try {
    progress.total = models.length * items.length - countDone(done, models, items);
    const runs = threaded.map((model) =>
      takeThread(options.prepared, model).run(
        {
          model,
          price: price(model),
          judge: judgeModel ? { model: judgeModel, price: price(judgeModel) } : null,
          keys: Object.fromEntries(keys),
          cacheDir: options.cache?.dir ?? null,
          cacheMaxAgeMs: options.cache?.maxAgeMs ?? 0,
        },
        pending(model),
        onRow,
        stopThreads.signal,
      ),
    );
    if (inProcess.length > 0) {
      const needed = judgeModel && !inProcess.includes(judgeModel) ? [...inProcess, judgeModel] : inProcess;
      for (const model of needed) providers.set(model.id, await createProvider(model, keys.get(model.id)));
      const lane = (m: ResolvedModel) => laneFor(m, providers.get(m.id)!, price(m));
      const ctx: EvaluateContext = {
        cache: options.cache,
        judge: judgeModel ? lane(judgeModel) : null,
        scoreOutput: scoring.scoreOutput,
        needsJudge: scoring.needsJudge,
      };
      runs.push(...inProcess.map((m) => runLane(lane(m), untilAborted(arrayFeed(pending(m)), stopThreads.signal), ctx, onRow)));
    }
    await Promise.race([Promise.all(runs), writing]);
  } finally {
    closed = true;
    stopThreads.abort();
    options.prepared?.dispose();
    try {
      writer.close();
    } finally {
      for (const provider of providers.values()) await provider.close?.();
    }
  }
  const infos = modelInfos(models, providers, price).map((info) => (estimated.has(info.id) ? { ...info, tokensEstimated: true } : info));
  const summary = builder.build({ ...record, models: infos, endedAt: new Date().toISOString() });
  writeFileAtomic(path.join(options.outDir, SUMMARY_FILE), secretFreeJson(summary, 2) + "\n");
  return { summary, outDir: options.outDir, progress };
}

/** A feed that hands out no more items once the run is stopped (another lane failed, the disk is full). */
function untilAborted(feed: ItemFeed, signal: AbortSignal): ItemFeed {
  return {
    next: () => (signal.aborted ? undefined : feed.next()),
    get ended() {
      return signal.aborted || feed.ended;
    },
    onItems: (listener) => feed.onItems(listener),
  };
}

function takeThread(prepared: PreparedEval | undefined, model: ResolvedModel): LaneThread {
  const thread = prepared?.threads.get(model.id);
  if (!thread) return new LaneThread(model.provider);
  prepared!.threads.delete(model.id);
  return thread;
}

function selectModels(config: Config, ids: string[] | undefined): ResolvedModel[] {
  if (!ids || ids.length === 0) return config.models;
  return ids.map((id) => {
    const model = config.models.find((m) => m.id === id);
    if (!model)
      throw new InputError(
        `--models: ${unknownName(
          "model id",
          id,
          config.models.map((m) => m.id),
        )} (the ids in ${config.file})`,
      );
    return model;
  });
}

function checkScorers(items: DatasetItem[], validate: (item: DatasetItem) => string | undefined): void {
  const problems: string[] = [];
  for (const item of items) {
    const problem = validate(item);
    if (problem) problems.push(`${item.source.file}:${item.source.line}: scorer: ${problem}`);
    if (problems.length >= 10) break;
  }
  if (problems.length > 0) throw new InputError(problems.join("\n"));
}

function judgeFor(config: Config, items: DatasetItem[], needsJudge: (item: DatasetItem) => boolean): ResolvedModel | null {
  const judged = items.find(needsJudge);
  if (!judged) return null;
  if (!config.judge) {
    throw new InputError(
      `${judged.source.file}:${judged.source.line}: item "${judged.id}" is judge-scored; set judge: <model id> in ${path.basename(config.file)}`,
    );
  }
  return config.models.find((m) => m.id === config.judge)!;
}

async function replayFinished(file: string, builder: SummaryBuilder, done: Set<string>, estimated: Set<string>): Promise<void> {
  if (!existsSync(file)) return;
  onFile(file, "write", () => repairTornTail(file));
  for await (const row of readResultRows(file)) {
    const key = rowKey(row.model, row.itemId);
    if (done.has(key)) continue;
    done.add(key);
    builder.add(row);
    if (row.tokensEstimated) estimated.add(row.model);
  }
}

function countDone(done: Set<string>, models: ResolvedModel[], items: DatasetItem[]): number {
  if (done.size === 0) return 0;
  let count = 0;
  for (const model of models) for (const item of items) if (done.has(rowKey(model.id, item.id))) count++;
  return count;
}

/** Writes run.json at the start (or checks it on resume), so a resumed run is provably the same run. */
async function startRecord(options: EvalOptions, models: ResolvedModel[], judge: ResolvedModel | null, price: Pricer): Promise<RunRecord> {
  const file = path.join(options.outDir, RUN_FILE);
  const datasetHash = await hashFiles(options.config.datasets);
  if (options.resume) {
    const previous = readRunRecord(file);
    if (previous.datasetHash !== datasetHash || previous.configHash !== options.config.hash) {
      throw new InputError(`${file}: the config or dataset changed since this run started; resume with the same files, or start a new run with --out`);
    }
    const change = selectionChange(previous, options.items, models);
    if (change) {
      throw new InputError(`--resume ${shownPath(options.outDir)}: ${change}; resume with the --models, --categories and --limit the run started with`);
    }
    const cacheChange = cachePolicyChange(previous, options.cache);
    if (cacheChange) throw new InputError(`--resume ${shownPath(options.outDir)}: ${cacheChange}`);
    const repriced = priceChange(previous, models, price);
    if (repriced) throw new InputError(`--resume ${shownPath(options.outDir)}: ${repriced}; resume with the --prices (and prices file) the run started with`);
    return previous;
  }
  const record: RunRecord = {
    id: `${new Date().toISOString().replace(/[:.]/g, "-")}-${randomBytes(3).toString("hex")}`,
    configFile: path.basename(options.config.file),
    configHash: options.config.hash,
    datasetHash,
    datasetFiles: options.config.datasets.map((d) => path.relative(options.config.dir, d)),
    items: options.items.length,
    itemsHash: itemsHash(options.items),
    cacheMaxAgeMs: options.cache ? options.cache.maxAgeMs : null,
    models: modelInfos(models, new Map(), price),
    judge: judge?.id ?? null,
    startedAt: new Date().toISOString(),
    priceSource: priceSourceOf(models, price),
  };
  writeFileAtomic(file, secretFreeJson(record, 2) + "\n");
  return record;
}

/**
 * How the items and models this command selects differ from the run's (a resumed run must be the same run: with
 * other flags it would silently grow or mix two runs), or undefined. A record from before itemsHash compares counts.
 */
function selectionChange(record: RunRecord, items: DatasetItem[], models: ResolvedModel[]): string | undefined {
  const before = record.models.map((m) => m.id).sort();
  const now = models.map((m) => m.id).sort();
  if (before.join("\n") !== now.join("\n")) {
    return `this run is of the model${before.length === 1 ? "" : "s"} ${before.join(", ")}; this command selects ${now.join(", ")}`;
  }
  if (record.items !== items.length) return `this run covers ${record.items} items; this command selects ${items.length}`;
  if (record.itemsHash !== undefined && record.itemsHash !== itemsHash(items)) {
    return `this run covers ${record.items} items; this command selects ${items.length} other ones`;
  }
  return undefined;
}

/**
 * How this command's response cache differs from the run's, or undefined: a run started with --no-cache (or a shorter
 * --max-cache-age) and resumed without it would take some rows from answers older than the run allows.
 */
function cachePolicyChange(record: RunRecord, cache: ResponseCache | null): string | undefined {
  if (record.cacheMaxAgeMs === undefined) return undefined;
  const now = cache ? cache.maxAgeMs : null;
  if (now === record.cacheMaxAgeMs) return undefined;
  const flags = (maxAgeMs: number | null) => (maxAgeMs === null ? "--no-cache" : `--max-cache-age ${compactDuration(maxAgeMs)}`);
  return `this run was started with ${flags(record.cacheMaxAgeMs)}, this command has ${flags(now)}; resume with ${flags(record.cacheMaxAgeMs)}`;
}

/** A model whose price differs from the one its run started with (its rows so far are costed at that one), or undefined. */
function priceChange(record: RunRecord, models: ResolvedModel[], priceOf: Pricer): string | undefined {
  const recorded = new Map(record.models.map((m) => [m.id, m.price]));
  for (const model of models) {
    const before = recorded.get(model.id) ?? null;
    const now = priceOf(model);
    const same = before === null ? now === null : now !== null && before.inputPerMTok === now.inputPerMTok && before.outputPerMTok === now.outputPerMTok;
    if (!same) return `${model.id} was priced ${priceText(before)} when this run started, and ${priceText(now)} now`;
  }
  return undefined;
}

function priceText(price: { inputPerMTok: number; outputPerMTok: number; source: string } | null): string {
  return price ? `${formatPerMTok(price.inputPerMTok)} / ${formatPerMTok(price.outputPerMTok)} per million tokens (${price.source})` : "nothing";
}

/** The items a run covers, by id (after --categories and --limit). */
function itemsHash(items: DatasetItem[]): string {
  const hash = createHash("sha256");
  for (const item of items) hash.update(`${item.id}\n`);
  return hash.digest("hex");
}

function readRunRecord(file: string): RunRecord {
  const remedy = "without it this run cannot be checked against the config and dataset: start a new run with --out";
  const record = readJsonFile(file, { ours: true, remedy }) as Partial<RunRecord> | null;
  if (typeof record?.configHash !== "string" || typeof record.datasetHash !== "string") {
    throw new InputError(`${shownPath(file)} is not a run record of modelpick eval (no configHash and datasetHash); ${remedy}`);
  }
  return record as RunRecord;
}

/** A model's price from the run's price sources, looked up once per model. */
type Pricer = (model: ResolvedModel) => ResolvedPrice | null;

function pricer(sources: PriceSources): Pricer {
  const known = new Map<string, ResolvedPrice | null>();
  return (model) => {
    if (!known.has(model.id)) known.set(model.id, knownPrice({ model }, sources));
    return known.get(model.id) ?? null;
  };
}

function modelInfos(models: ResolvedModel[], providers: Map<string, Provider>, priceOf: Pricer): ModelRunInfo[] {
  return models.map((m) => {
    const provider = providers.get(m.id);
    const price = priceOf(m);
    const measured = provider?.measurements?.();
    return {
      id: m.id,
      provider: m.provider,
      ...("model" in m && m.model ? { model: m.model } : {}),
      hosting: m.hosting,
      ...((provider?.license ?? m.license) ? { license: provider?.license ?? m.license } : {}),
      price: price && {
        inputPerMTok: price.inputPerMTok,
        outputPerMTok: price.outputPerMTok,
        source: price.source,
        ...(price.date ? { date: price.date } : {}),
        ...(price.historical ? { historical: true as const } : {}),
        ...(price.pricedAs ? { pricedAs: price.pricedAs } : {}),
      },
      ...(measured ? { throughput: measured } : {}),
    };
  });
}

function priceSourceOf(models: ResolvedModel[], priceOf: Pricer): string {
  const sources = new Set<string>();
  for (const m of models) {
    const price = priceOf(m);
    if (price) sources.add(describePriceSource(price, m.model ?? m.id));
  }
  return sources.size ? [...sources].join("; ") : "none (no prices known: costs are not computed)";
}

async function hashFiles(files: string[]): Promise<string> {
  const hash = createHash("sha256");
  for (const file of files) {
    for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  }
  return hash.digest("hex");
}

/** What became of reports/latest after a run: moved to it, or left where it was (and where that is). */
export interface LatestLink {
  updated: boolean;
  /** Why it was not moved: the run is outside ./reports, or the link could not be made (no symlinks, a real directory). */
  reason?: "outside" | "failed";
  link: string;
  /** The run the link points at now, or null when there is none. */
  pointsAt: string | null;
}

/**
 * Points ./reports/latest at a completed run whose directory is under ./reports (`reports/<timestamp>`, `--out
 * reports/ci`, a resumed run). The link is replaced atomically: a new relative symlink under a temporary name is
 * renamed over it, so readers see the old run or the new one, never no link. A run elsewhere leaves the link alone.
 */
export function linkLatest(outDir: string, cwd: string = process.cwd()): LatestLink {
  const reports = path.resolve(cwd, "reports");
  const link = path.join(reports, "latest");
  const target = path.relative(reports, path.resolve(cwd, outDir));
  if (target === "" || target === "latest" || target.startsWith("..") || path.isAbsolute(target)) {
    return { updated: false, reason: "outside", link, pointsAt: currentTarget(link) };
  }
  const temporary = path.join(reports, `.latest.${process.pid}.${randomBytes(4).toString("hex")}`);
  try {
    symlinkSync(target, temporary);
    renameSync(temporary, link);
    return { updated: true, link, pointsAt: path.join(reports, target) };
  } catch {
    // Some filesystems have no symlinks, or latest is a real directory: the run itself is complete without the link.
    rmSync(temporary, { force: true });
    return { updated: false, reason: "failed", link, pointsAt: currentTarget(link) };
  }
}

function currentTarget(link: string): string | null {
  try {
    return path.resolve(path.dirname(link), readlinkSync(link));
  } catch {
    return null;
  }
}
