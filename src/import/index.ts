import { createHash } from "node:crypto";
import { existsSync, readFileSync, renameSync, rmSync } from "node:fs";
import path from "node:path";
import { InputError } from "../errors.js";
import { writeFileAtomic } from "../io/atomic.js";
import { ensureDir } from "../io/dirs.js";
import { onFile, shownPath } from "../io/fs-errors.js";
import { lockDir } from "../io/lock.js";
import { summarize } from "../results/summary.js";
import type { ModelRunInfo, RunSummary } from "../results/summary-types.js";
import { RESULTS_FILE, ResultsWriter, SUMMARY_FILE, rowKey } from "../results/store.js";
import type { ResultRow } from "../results/row.js";
import { importLmEval } from "./lm-eval.js";
import { importLong } from "./long.js";
import { importPromptfoo } from "./promptfoo.js";
import type { ImportedResults, ImportOptions } from "./types.js";
import { importWide } from "./wide.js";

export type { ImportFormat, ImportOptions } from "./types.js";

export interface ImportRequest extends ImportOptions {
  file: string;
  outDir: string;
  /** Model ids that run on the team's own infrastructure. */
  selfHosted: string[];
  /** Model ids served by a vendor's cloud. Models in neither list take the source's word (lm-eval: local), else cloud. */
  cloud?: string[];
  /** Categories whose items are all sensitive, on top of items the file marks sensitive. */
  sensitiveCategories: string[];
  /** Replace an existing results.jsonl in outDir. */
  force: boolean;
}

export interface ImportOutcome {
  outDir: string;
  rows: number;
  items: number;
  models: ModelRunInfo[];
  errors: number;
  /** Rows of sensitive items for cloud models, recorded as skipped like `eval` does. */
  skippedSensitive: number;
  notes: string[];
  summary: RunSummary;
}

/** Reads results from another tool and writes a modelpick results directory (results.jsonl + summary.json). */
export async function importResults(request: ImportRequest): Promise<ImportOutcome> {
  const imported = await readImport(request);
  if (imported.rows.length === 0) throw new InputError(`${request.file}: holds no results to import`);
  checkUnique(imported.rows, request.file);
  const models = runModels(imported, request.selfHosted, request.cloud ?? []);
  const sensitiveItems = sensitiveItemsOf(imported, request.sensitiveCategories);
  const hosting = new Map(models.map((m) => [m.id, m.hosting]));
  let skippedSensitive = 0;
  const rows = imported.rows.map((row) => {
    if (!sensitiveItems.has(row.itemId) || hosting.get(row.model) === "self-hosted") return row;
    skippedSensitive++;
    return { ...row, output: null, score: null, passed: null, error: null, skipped: "sensitive" };
  });
  const summary = summarize(rows, runInfo(request, imported, models, rows));
  const lockNote = writeResults(request, rows, summary);
  const notes = [...imported.notes, ...(lockNote ? [lockNote] : [])];
  if (skippedSensitive > 0) {
    notes.push(
      `${skippedSensitive} row(s) of sensitive items for cloud-hosted models were recorded as skipped: sensitive, as eval records them (sensitive data is routed only to self-hosted models; mark self-hosted models with --self-hosted).`,
    );
  }
  return {
    outDir: request.outDir,
    rows: rows.length,
    items: new Set(rows.map((r) => r.itemId)).size,
    models,
    errors: rows.filter((r) => r.error !== null).length,
    skippedSensitive,
    notes,
    summary,
  };
}

function readImport(request: ImportRequest): Promise<ImportedResults> {
  if (!existsSync(request.file)) throw new InputError(`${request.file}: ${request.format === "lm-eval" ? "directory" : "file"} not found`);
  if (request.format === "promptfoo") return importPromptfoo(request.file, request);
  if (request.format === "lm-eval") return importLmEval(request.file, request);
  if (request.format === "long") return importLong(request.file, request);
  return importWide(request.file, request);
}

function checkUnique(rows: ResultRow[], file: string): void {
  const seen = new Set<string>();
  for (const row of rows) {
    const key = rowKey(row.model, row.itemId);
    if (seen.has(key)) throw new InputError(`${file}: item "${row.itemId}" appears twice for model "${row.model}"; each item × model must appear once`);
    seen.add(key);
  }
}

function runModels(imported: ImportedResults, selfHosted: string[], cloud: string[]): ModelRunInfo[] {
  const ids = new Set(imported.models.map((m) => m.id));
  for (const [flag, list] of [
    ["--self-hosted", selfHosted],
    ["--cloud", cloud],
  ] as const) {
    for (const id of list) {
      if (!ids.has(id)) throw new InputError(`${flag}: no model "${id}" in the imported results (models: ${[...ids].join(", ")})`);
    }
  }
  const both = selfHosted.find((id) => cloud.includes(id));
  if (both) throw new InputError(`--self-hosted and --cloud both name "${both}"; a model runs in one place`);
  return imported.models.map((m) => ({
    id: m.id,
    provider: m.provider,
    model: m.model,
    hosting: selfHosted.includes(m.id) ? "self-hosted" : cloud.includes(m.id) ? "cloud" : (m.hosting ?? "cloud"),
    price: null,
  }));
}

function sensitiveItemsOf(imported: ImportedResults, categories: string[]): Set<string> {
  const items = new Set(imported.sensitiveItems);
  const wanted = new Set(categories);
  const known = new Set(imported.rows.map((r) => r.category));
  for (const category of categories) {
    if (!known.has(category)) throw new InputError(`--sensitive-categories: no category "${category}" in the imported results`);
  }
  for (const row of imported.rows) if (wanted.has(row.category)) items.add(row.itemId);
  return items;
}

function runInfo(request: ImportRequest, imported: ImportedResults, models: ModelRunInfo[], rows: ResultRow[]): RunSummary["run"] {
  const digest = imported.digest ?? createHash("sha256").update(readFileSync(request.file)).digest("hex");
  const hasCosts = rows.some((r) => r.costUsd !== null);
  return {
    id: imported.runId ?? `import-${digest.slice(0, 12)}`,
    configFile: "",
    configHash: "",
    datasetHash: digest,
    datasetFiles: [],
    items: new Set(rows.map((r) => r.itemId)).size,
    models,
    judge: null,
    startedAt: imported.date ?? "",
    endedAt: imported.date ?? "",
    priceSource: hasCosts
      ? `costs as recorded in ${path.basename(request.file)} (imported, ${request.format})`
      : `none: ${path.basename(request.file)} carries no costs (recommend ranks by price per token)`,
  };
}

/**
 * Writes results.jsonl and summary.json under the directory's lock (an eval or another import may be writing there),
 * each whole or not at all; returns a note when a stale lock was taken over.
 */
function writeResults(request: ImportRequest, rows: ResultRow[], summary: RunSummary): string | undefined {
  ensureDir(request.outDir);
  const lock = lockDir(request.outDir, "modelpick import");
  try {
    const resultsFile = path.join(request.outDir, RESULTS_FILE);
    if (existsSync(resultsFile) && !request.force) {
      throw new InputError(`${shownPath(request.outDir)}: already holds ${RESULTS_FILE}; choose another --out or pass --force to replace it`);
    }
    const tmp = path.join(request.outDir, `.${RESULTS_FILE}.${process.pid}.tmp`);
    try {
      const writer = new ResultsWriter(tmp);
      for (const row of rows) writer.append(row);
      writer.close();
    } catch (error) {
      rmSync(tmp, { force: true });
      throw error;
    }
    // The old summary goes first, so no moment pairs the new rows with it.
    const summaryFile = path.join(request.outDir, SUMMARY_FILE);
    onFile(summaryFile, "write", () => rmSync(summaryFile, { force: true }));
    onFile(resultsFile, "write", () => renameSync(tmp, resultsFile));
    writeFileAtomic(summaryFile, `${JSON.stringify(summary, null, 2)}\n`);
    return lock.note;
  } finally {
    lock.release();
  }
}
