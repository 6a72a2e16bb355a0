import { createHash, type Hash } from "node:crypto";
import { createReadStream, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import { InputError } from "../errors.js";
import { annotateFsError, isFsError, onFile, shownPath } from "../io/fs-errors.js";
import { parseJsonLine, parseJsonText, readTextFile } from "../io/json-file.js";
import { vendorOfUrl } from "../config/vendor-hosts.js";
import type { ResultRow } from "../results/row.js";
import { scoreOf, toResultRow } from "./fields.js";
import type { ImportedModel, ImportedResults, ImportOptions } from "./types.js";

/**
 * lm-evaluation-harness `--output_path DIR --log_samples` writes, per model, `DIR/<model_name_sanitized>/`
 * `results_<date>.json` (the run: `config.model`, `config.model_args`, `model_name`, `configs` per task with its
 * `metric_list` and `filter_list`, `higher_is_better`) and `samples_<task>_<date>.jsonl` (one line per document and
 * filter: `doc_id`, `filtered_resps`, the per-document metrics, and since 0.4.3 `filter` and `metrics`).
 */
interface HarnessRun {
  file: string;
  date: string;
  doc: Record<string, unknown>;
}

interface TaskPlan {
  task: string;
  samples: string;
  metric: string;
  filter: string;
  /** The task's filters in the order the harness logs them (the order of `filter_list`). */
  filters: string[];
  /** The results file's value of the metric under the filter, when the harness averaged it over documents. */
  reported?: number;
  results: string;
}

/** Harness model types that call a vendor's API: their answers came from the cloud. */
const API_MODEL_TYPES = new Set([
  "openai-completions",
  "openai-chat-completions",
  "anthropic",
  "anthropic-completions",
  "anthropic-chat",
  "anthropic-chat-completions",
  "textsynth",
]);

/** Keys of `model_args` that name the model, in the harness's own order of preference. */
const MODEL_ARG_KEYS = ["peft", "delta", "pretrained", "model", "path", "engine"];

const RESULTS_FILE = /^(?:results|.+)_(\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}(?:\.\d+)?)\.json$/;

/**
 * One row per document × model: item `<task>/<doc_id>`, category the task (or `--category`), score the document's
 * value of the task's metric under one filter: `--metric` and `--filter` choose (`NAME` for every task or
 * `task=NAME`), by default the task's first higher-is-better metric and its first filter.
 */
export async function importLmEval(dir: string, options: ImportOptions): Promise<ImportedResults> {
  const modelDirs = harnessDirs(dir);
  const choices: Choices = { metric: taskChoice(options.metric ?? [], "--metric"), filter: taskChoice(options.filter ?? [], "--filter") };
  const plans: TaskPlan[] = [];
  const digest = createHash("sha256");
  const notes: string[] = [];
  const rows: ResultRow[] = [];
  const models: ImportedModel[] = [];
  let latest = "";
  for (const modelDir of modelDirs) {
    const runs = readRuns(modelDir, digest);
    const model = modelOf(runs, modelDir);
    if (models.some((m) => m.id === model.id)) {
      throw new InputError(`${shownPath(modelDir)}: a second directory of results for model "${model.id}"; import one of them, or each into its own --out`);
    }
    models.push(model);
    for (const plan of planTasks(runs, modelDir, choices, notes)) {
      plans.push(plan);
      rows.push(...(await readSamples(plan, model.id, options, digest)));
    }
    latest = [latest, ...runs.map((r) => r.date)].sort().at(-1)!;
  }
  checkChoicesUsed(choices, plans, dir);
  notes.push(...hostingNotes(models));
  return {
    rows,
    models,
    sensitiveItems: new Set(),
    date: isoDate(latest),
    digest: digest.digest("hex"),
    notes: [...new Set(notes)],
  };
}

/** DIR itself when it holds results files, else its subdirectories that do (one per model). */
function harnessDirs(dir: string): string[] {
  const stat = onFile(dir, "read", () => statSync(dir));
  if (!stat.isDirectory()) {
    throw new InputError(`${shownPath(dir)}: --format lm-eval reads a directory: the --output_path given to lm_eval (or one model's directory in it)`);
  }
  if (hasResults(dir)) return [dir];
  const subdirs = listDir(dir)
    .map((name) => path.join(dir, name))
    .filter((sub) => statSync(sub).isDirectory() && hasResults(sub))
    .sort();
  if (subdirs.length === 0) {
    throw new InputError(
      `${shownPath(dir)}: no results_<date>.json here or in its subdirectories; run lm_eval with --output_path ${shownPath(dir)} --log_samples`,
    );
  }
  return subdirs;
}

function hasResults(dir: string): boolean {
  return listDir(dir).some((name) => RESULTS_FILE.test(name) && !name.startsWith("samples_"));
}

function listDir(dir: string): string[] {
  return onFile(dir, "read", () => readdirSync(dir));
}

/** The directory's runs, newest first. */
function readRuns(dir: string, digest: Hash): HarnessRun[] {
  const runs: HarnessRun[] = [];
  for (const name of listDir(dir).sort()) {
    const match = RESULTS_FILE.exec(name);
    if (!match || name.startsWith("samples_")) continue;
    const file = path.join(dir, name);
    const text = readTextFile(file);
    digest.update(text);
    const doc = parseJsonText(text, file, { ours: false, remedy: "it should be the results file lm_eval wrote; run it again" });
    if (!isObject(doc) || !isObject(doc.configs)) {
      throw new InputError(`${shownPath(file)}: not an lm-evaluation-harness results file (no "configs" of the tasks)`);
    }
    runs.push({ file, date: match[1]!, doc });
  }
  return runs.sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0));
}

/** The model id: `model_name` (lm_eval ≥ 0.4.3), else the model named in `model_args`, else the directory's name. */
function modelOf(runs: HarnessRun[], dir: string): ImportedModel {
  const newest = runs[0]!.doc;
  const config = isObject(newest.config) ? newest.config : {};
  const args = modelArgs(config.model_args);
  const named = typeof newest.model_name === "string" && newest.model_name ? newest.model_name : MODEL_ARG_KEYS.map((k) => args[k]).find((v) => v);
  const type = typeof config.model === "string" ? config.model : "lm-eval";
  const baseURL = args.base_url;
  const cloud = API_MODEL_TYPES.has(type) || vendorOfUrl(baseURL) !== undefined;
  const id = named ?? path.basename(dir);
  return { id, provider: type, model: id, hosting: cloud ? "cloud" : "self-hosted" };
}

/** `pretrained=EleutherAI/pythia-160m,dtype=float` (or the same as an object, in newer files). */
function modelArgs(value: unknown): Record<string, string | undefined> {
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, v === undefined || v === null ? undefined : String(v)]));
  if (typeof value !== "string") return {};
  return Object.fromEntries(
    value
      .split(",")
      .filter((pair) => pair.includes("="))
      .map((pair) => [pair.slice(0, pair.indexOf("=")).trim(), pair.slice(pair.indexOf("=") + 1).trim()]),
  );
}

/**
 * Every task of the directory's runs, from the newest run that has it (older runs of a task are said and left out),
 * with the samples file, metric and filter to read. A task without samples is said and left out; a task whose
 * metrics are all lower-is-better (perplexity) is too, unless `--metric` names one for it, which is refused.
 */
function planTasks(runs: HarnessRun[], dir: string, choices: Choices, notes: string[]): TaskPlan[] {
  const { metric: metricChoice, filter: filterChoice } = choices;
  const files = new Set(listDir(dir));
  const plans: TaskPlan[] = [];
  const seen = new Set<string>();
  for (const run of runs) {
    const configs = run.doc.configs as Record<string, unknown>;
    for (const task of Object.keys(configs).sort()) {
      if (seen.has(task)) {
        notes.push(`${shownPath(run.file)}: an older run of ${task}, left out (the newest run of each task is imported).`);
        continue;
      }
      seen.add(task);
      const samples = [task, task.replace(/\W/g, "_")].map((t) => `samples_${t}_${run.date}.jsonl`).find((name) => files.has(name));
      if (!samples) {
        notes.push(`${shownPath(run.file)}: task ${task} has no samples_${task}_${run.date}.jsonl (run lm_eval with --log_samples); left out.`);
        continue;
      }
      const config = isObject(configs[task]) ? (configs[task] as Record<string, unknown>) : {};
      const metric = chooseMetric(task, metricList(task, config, run), metricChoice, notes);
      if (metric === undefined) continue;
      const filters = filterNames(config);
      const filter = chooseFilter(task, filters, filterChoice, notes);
      plans.push({
        task,
        samples: path.join(dir, samples),
        metric,
        filter,
        filters,
        reported: reportedMean(run, task, config, metric, filter),
        results: run.file,
      });
    }
  }
  if (plans.length === 0) throw new InputError(`${shownPath(dir)}: no task with per-document samples to import${notes.length ? `: ${notes.at(-1)}` : ""}`);
  return plans;
}

/** A `--metric` or `--filter` that matched no task is a typo, not a preference. */
function checkChoicesUsed(choices: Choices, plans: TaskPlan[], dir: string): void {
  const tasks = new Set(plans.map((p) => p.task));
  for (const [flag, choice, used] of [
    ["--metric", choices.metric, plans.map((p) => p.metric)],
    ["--filter", choices.filter, plans.map((p) => p.filter)],
  ] as const) {
    for (const task of choice.byTask.keys()) {
      if (!tasks.has(task)) throw new InputError(`${flag} ${task}=…: no task ${task} imported from ${shownPath(dir)} (tasks: ${[...tasks].join(", ")})`);
    }
    if (choice.all !== undefined && !used.includes(choice.all)) throw new InputError(`${flag} ${choice.all}: no task in ${shownPath(dir)} logs it`);
  }
}

interface Choices {
  metric: TaskChoice;
  filter: TaskChoice;
}

interface TaskChoice {
  all?: string;
  byTask: Map<string, string>;
}

/** `--metric acc_norm` (every task that has it) or `--metric gsm8k=exact_match,arc_easy=acc_norm`. */
function taskChoice(values: readonly string[], flag: string): TaskChoice {
  const choice: TaskChoice = { byTask: new Map() };
  for (const value of values
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter(Boolean)) {
    const eq = value.indexOf("=");
    if (eq < 0) {
      if (choice.all !== undefined && choice.all !== value)
        throw new InputError(`${flag}: "${choice.all}" and "${value}" both for every task; write task=NAME for each`);
      choice.all = value;
      continue;
    }
    const task = value.slice(0, eq).trim();
    const name = value.slice(eq + 1).trim();
    if (!task || !name) throw new InputError(`${flag}: "${value}" should be NAME or task=NAME`);
    choice.byTask.set(task, name);
  }
  return choice;
}

/**
 * `--metric task=NAME` for this task (refused when the task does not log it or lower is better for it), else
 * `--metric NAME` when the task logs it, else the task's first higher-is-better metric; none: the task is left out.
 */
function chooseMetric(task: string, listed: Metric[], choice: TaskChoice, notes: string[]): string | undefined {
  const named = choice.byTask.get(task) ?? (listed.some((m) => m.metric === choice.all) ? choice.all : undefined);
  if (named !== undefined) {
    const found = listed.find((m) => m.metric === named);
    if (!found) throw new InputError(`--metric ${task}=${named}: task ${task} logs ${listed.map((m) => m.metric).join(", ")}; choose one of them`);
    if (found.higherIsBetter === false) {
      throw new InputError(`--metric ${task}=${named}: lower is better for ${named}; modelpick scores are higher-is-better, in [0, 1]: choose another metric`);
    }
    return named;
  }
  const first = listed.find((m) => m.higherIsBetter !== false);
  if (!first) {
    notes.push(`${task}: left out: its metrics (${listed.map((m) => m.metric).join(", ")}) are lower-is-better, not scores.`);
    return undefined;
  }
  const others = listed.filter((m) => m !== first).map((m) => m.metric);
  if (choice.all !== undefined) notes.push(`${task}: logs no ${choice.all}; scored on ${first.metric}.`);
  else if (others.length > 0) notes.push(`${task}: scored on ${first.metric} (also logged: ${others.join(", ")}; choose with --metric ${task}=NAME).`);
  return first.metric;
}

/** `--filter task=NAME`, else `--filter NAME` when the task logs it, else the task's first filter. */
function chooseFilter(task: string, filters: string[], choice: TaskChoice, notes: string[]): string {
  const named = choice.byTask.get(task) ?? (filters.includes(choice.all ?? "") ? choice.all : undefined);
  if (named !== undefined && !filters.includes(named)) {
    throw new InputError(`--filter ${task}=${named}: task ${task} logs filters ${filters.join(", ")}; choose one of them`);
  }
  if (named !== undefined) return named;
  if (filters.length > 1)
    notes.push(`${task}: scored under filter ${filters[0]} (also logged: ${filters.slice(1).join(", ")}; choose with --filter ${task}=NAME).`);
  return filters[0]!;
}

interface Metric {
  metric: string;
  higherIsBetter?: boolean;
}

/** The task's metrics in its config's order, with `higher_is_better` from the config or the results file. */
function metricList(task: string, config: Record<string, unknown>, run: HarnessRun): Metric[] {
  const better =
    isObject(run.doc.higher_is_better) && isObject(run.doc.higher_is_better[task]) ? (run.doc.higher_is_better[task] as Record<string, unknown>) : {};
  const fromConfig = Array.isArray(config.metric_list)
    ? config.metric_list.filter(isObject).map((m) => ({ metric: String(m.metric), hib: m.higher_is_better }))
    : [];
  const names = fromConfig.length > 0 ? fromConfig.map((m) => m.metric) : Object.keys(better);
  if (names.length === 0) throw new InputError(`${shownPath(run.file)}: task ${task} lists no metrics (configs.${task}.metric_list)`);
  return names.map((metric) => {
    const hib = fromConfig.find((m) => m.metric === metric)?.hib ?? better[metric];
    return typeof hib === "boolean" ? { metric, higherIsBetter: hib } : { metric };
  });
}

/** `results[task]["acc,none"]`, for a metric whose aggregation is the mean over documents. */
function reportedMean(run: HarnessRun, task: string, config: Record<string, unknown>, metric: string, filter: string): number | undefined {
  const listed = Array.isArray(config.metric_list) ? config.metric_list.filter(isObject).find((m) => m.metric === metric) : undefined;
  if (listed?.aggregation !== "mean") return undefined;
  const results = isObject(run.doc.results) && isObject(run.doc.results[task]) ? (run.doc.results[task] as Record<string, unknown>) : {};
  const value = results[`${metric},${filter}`];
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

function filterNames(config: Record<string, unknown>): string[] {
  const names = Array.isArray(config.filter_list) ? config.filter_list.filter(isObject).map((f) => String(f.name)) : [];
  return names.length > 0 ? names : ["none"];
}

/**
 * Streams a samples file: a line's filter is its `filter` field, else (harness before 0.4.3) the filter whose turn it
 * is for that document (the harness logs every document under the first filter, then under the next).
 */
async function readSamples(plan: TaskPlan, model: string, options: ImportOptions, digest: Hash): Promise<ResultRow[]> {
  const rows = new Map<string, ResultRow>();
  const turns = new Map<string, number>();
  const lines = createInterface({ input: createReadStream(plan.samples), crlfDelay: Infinity });
  let lineNo = 0;
  try {
    for await (const line of lines) {
      lineNo++;
      digest.update(line);
      if (line.trim() === "") continue;
      const where = `${shownPath(plan.samples)}:${lineNo}`;
      const sample = parseJsonLine(line, plan.samples, lineNo, { ours: false, remedy: "it should be the samples file lm_eval wrote; run it again" });
      if (!isObject(sample) || (typeof sample.doc_id !== "number" && typeof sample.doc_id !== "string")) {
        throw new InputError(`${where}: not an lm-evaluation-harness sample (no doc_id)`);
      }
      const docId = String(sample.doc_id);
      const filter = typeof sample.filter === "string" ? sample.filter : filterTurn(plan, docId, turns, where);
      if (filter !== plan.filter) continue;
      const itemId = `${plan.task}/${docId}`;
      if (rows.has(itemId)) throw new InputError(`${where}: document ${docId} of ${plan.task} appears twice under filter ${filter}`);
      rows.set(itemId, sampleRow(sample, plan, itemId, model, options, where));
    }
  } catch (error) {
    throw isFsError(error) ? annotateFsError(error, { file: plan.samples, action: "read" }) : error;
  }
  if (rows.size === 0) throw new InputError(`${shownPath(plan.samples)}: no sample under filter ${plan.filter}`);
  checkAgainstResults(plan, [...rows.values()], options.scoreScale);
  return [...rows.values()];
}

/**
 * The documents' mean must be the harness's own figure: a samples file from another run, or lines given to the wrong
 * filter, would otherwise be imported as if they were this run's scores.
 */
function checkAgainstResults(plan: TaskPlan, rows: ResultRow[], scale: number): void {
  if (plan.reported === undefined || rows.some((r) => r.score === null)) return;
  const mean = (rows.reduce((sum, r) => sum + r.score!, 0) / rows.length) * scale;
  if (Math.abs(mean - plan.reported) > 1e-6 * Math.max(1, Math.abs(plan.reported))) {
    throw new InputError(
      `${shownPath(plan.samples)}: its ${rows.length} documents average ${plan.metric} ${mean} under filter ${plan.filter}, ` +
        `but ${shownPath(plan.results)} reports ${plan.reported}: the samples are not this run's; run lm_eval again with --log_samples`,
    );
  }
}

function filterTurn(plan: TaskPlan, docId: string, turns: Map<string, number>, where: string): string {
  const turn = turns.get(docId) ?? 0;
  turns.set(docId, turn + 1);
  const filter = plan.filters[turn];
  if (filter === undefined) throw new InputError(`${where}: document ${docId} logged more times than ${plan.task} has filters (${plan.filters.join(", ")})`);
  return filter;
}

function sampleRow(sample: Record<string, unknown>, plan: TaskPlan, itemId: string, model: string, options: ImportOptions, where: string): ResultRow {
  const value = sample[plan.metric];
  if (value === undefined) {
    const logged = Array.isArray(sample.metrics) ? ` (it logs ${sample.metrics.join(", ")})` : "";
    throw new InputError(`${where}: no ${plan.metric} in this sample of ${plan.task}${logged}; choose the metric with --metric ${plan.task}=NAME`);
  }
  if (Array.isArray(value) || isObject(value)) {
    throw new InputError(
      `${where}: ${plan.task}'s ${plan.metric} is logged as ${JSON.stringify(value).slice(0, 60)}, not a score per document ` +
        `(the harness aggregates it over the whole task); choose another with --metric ${plan.task}=NAME`,
    );
  }
  const score = scoreOf(typeof value === "boolean" ? (value ? 1 : 0) : value, options.scoreScale, `${where} ${plan.metric}`);
  return toResultRow({ itemId, model, category: options.defaultCategory ?? plan.task, score, output: answerText(sample.filtered_resps) }, where);
}

/** A generated answer (`filtered_resps: ["18"]`); multiple-choice tasks log log-likelihoods instead, not an answer. */
function answerText(filtered: unknown): string | null {
  const first = Array.isArray(filtered) ? filtered[0] : undefined;
  if (typeof first === "string") return first;
  return Array.isArray(first) && typeof first[0] === "string" && first.length === 1 ? first[0] : null;
}

function hostingNotes(models: ImportedModel[]): string[] {
  const local = models.filter((m) => m.hosting === "self-hosted").map((m) => m.id);
  const cloud = models.filter((m) => m.hosting === "cloud").map((m) => `${m.id} (${m.provider})`);
  return [
    ...(local.length > 0 ? [`Self-hosted by default (lm_eval ran them locally): ${local.join(", ")}; mark any served by a vendor with --cloud.`] : []),
    ...(cloud.length > 0 ? [`Cloud-hosted (lm_eval called a vendor's API): ${cloud.join(", ")}.`] : []),
  ];
}

/** `2026-11-25T11-44-12.772310` (the harness's file-name date) → `2026-11-25T11:44:12.772310`. */
function isoDate(date: string): string | undefined {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2}(?:\.\d+)?)$/.exec(date);
  return match ? `${match[1]}T${match[2]}:${match[3]}:${match[4]}` : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
