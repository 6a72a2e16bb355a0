import { createReadStream, existsSync, statSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import { InputError, at } from "../errors.js";
import { annotateFsError } from "../io/fs-errors.js";
import type { ResultRow } from "../results/row.js";

/** One slice of the traffic. Shares are of daily tokens; per-request sizes decide long-context tiers. */
export interface WorkloadCategory {
  category: string;
  tokenShare: number;
  /** Input tokens ÷ all tokens in this category. */
  inputShare: number;
  requestShare?: number;
  inputTokensPerRequest?: number;
  outputTokensPerRequest?: number;
  /** Result rows measured, when the mix comes from an eval run. */
  rows?: number;
}

export interface Workload {
  tokensPerDay: number;
  requestsPerDay?: number;
  /** Mean tokens per request over all categories, when known. */
  tokensPerRequest?: number;
  categories: WorkloadCategory[];
  /** Where the mix comes from, in words. */
  source: string;
}

export interface WorkloadOptions {
  tokensPerDay?: number;
  requestsPerDay?: number;
  inputShare?: number;
  inputTokens?: number;
  outputTokens?: number;
  resultsDir?: string;
}

export const DEFAULT_INPUT_SHARE = 0.75;

/** Turns the volume flags (and an eval run's measured token counts) into a workload; `onRow` sees every result row read. */
export async function buildWorkload(options: WorkloadOptions, onRow?: (row: Partial<ResultRow>) => void): Promise<Workload> {
  const { tokensPerDay, requestsPerDay } = options;
  if ((tokensPerDay === undefined) === (requestsPerDay === undefined)) {
    throw new InputError("give the volume with exactly one of --tokens-per-day (e.g. 100m) or --requests-per-day");
  }
  const perRequestGiven = options.inputTokens !== undefined || options.outputTokens !== undefined;
  if (options.inputShare !== undefined && (perRequestGiven || options.resultsDir)) {
    throw new InputError("--input-share cannot be combined with --input-tokens/--output-tokens or --results: those set the mix");
  }
  if (perRequestGiven && options.resultsDir) {
    throw new InputError("use either --input-tokens/--output-tokens or --results for the tokens per request, not both");
  }
  const measured = options.resultsDir ? await measureResults(options.resultsDir, onRow) : undefined;
  const categories = measured?.categories ?? fixedMix(options);
  if (requestsPerDay !== undefined && categories[0]?.inputTokensPerRequest === undefined) {
    throw new InputError("--requests-per-day needs the tokens per request: --input-tokens and --output-tokens, or --results DIR");
  }
  const tokensPerRequest = meanTokensPerRequest(categories);
  const volume = tokensPerDay ?? requestsPerDay! * tokensPerRequest!;
  return {
    tokensPerDay: volume,
    ...(requestsPerDay !== undefined ? { requestsPerDay } : {}),
    ...(tokensPerRequest !== undefined ? { tokensPerRequest } : {}),
    categories,
    source: measured?.source ?? describeFixedMix(options),
  };
}

function fixedMix(options: WorkloadOptions): WorkloadCategory[] {
  const { inputTokens, outputTokens } = options;
  if (inputTokens !== undefined || outputTokens !== undefined) {
    if (inputTokens === undefined || outputTokens === undefined) {
      throw new InputError("give both --input-tokens and --output-tokens (tokens per request)");
    }
    return [
      {
        category: "all",
        tokenShare: 1,
        inputShare: inputTokens / (inputTokens + outputTokens),
        requestShare: 1,
        inputTokensPerRequest: inputTokens,
        outputTokensPerRequest: outputTokens,
      },
    ];
  }
  return [{ category: "all", tokenShare: 1, inputShare: options.inputShare ?? DEFAULT_INPUT_SHARE }];
}

function describeFixedMix(options: WorkloadOptions): string {
  if (options.inputTokens !== undefined) {
    return `${options.inputTokens} input + ${options.outputTokens} output tokens per request (--input-tokens/--output-tokens)`;
  }
  const share = options.inputShare ?? DEFAULT_INPUT_SHARE;
  return `input share ${share}${options.inputShare === undefined ? " (default)" : " (--input-share)"}`;
}

function meanTokensPerRequest(categories: WorkloadCategory[]): number | undefined {
  let total = 0;
  for (const c of categories) {
    if (c.requestShare === undefined || c.inputTokensPerRequest === undefined) return undefined;
    total += c.requestShare * (c.inputTokensPerRequest + (c.outputTokensPerRequest ?? 0));
  }
  return total;
}

interface Tally {
  rows: number;
  input: number;
  output: number;
}

/**
 * Streams DIR/results.jsonl and measures mean input and output tokens per request, per category. Rows without
 * token counts (errors, skipped items) are left out; all models in the run are pooled. `onRow` sees every row, in one
 * pass over the file (quality is read from the same rows).
 */
export async function measureResults(dir: string, onRow?: (row: Partial<ResultRow>) => void): Promise<{ categories: WorkloadCategory[]; source: string }> {
  const file = resultsFile(dir);
  const tallies = new Map<string, Tally>();
  let lineNumber = 0;
  let usable = 0;
  const input = createReadStream(file, "utf8").on("error", (error) => annotateFsError(error, { file, action: "read" }));
  const lines = createInterface({ input, crlfDelay: Infinity });
  for await (const line of lines) {
    lineNumber++;
    if (line.trim() === "") continue;
    const row = parseRow(file, lineNumber, line);
    onRow?.(row);
    if (typeof row.inputTokens !== "number" || typeof row.outputTokens !== "number") continue;
    const category = typeof row.category === "string" && row.category !== "" ? row.category : "uncategorised";
    const tally = tallies.get(category) ?? { rows: 0, input: 0, output: 0 };
    tally.rows++;
    tally.input += row.inputTokens;
    tally.output += row.outputTokens;
    tallies.set(category, tally);
    usable++;
  }
  if (usable === 0) {
    throw new InputError(`${file}: no row has inputTokens and outputTokens; run \`modelpick eval\` first or pass --tokens-per-day`);
  }
  return { categories: categoriesFrom(tallies, usable), source: `measured from ${file} (${usable} rows with token counts)` };
}

function resultsFile(dir: string): string {
  const file = existsSync(dir) && statSync(dir).isFile() ? dir : path.join(dir, "results.jsonl");
  if (!existsSync(file)) throw new InputError(`${file}: not found; --results expects a run folder containing results.jsonl`);
  return file;
}

function parseRow(file: string, line: number, text: string): Partial<ResultRow> {
  try {
    const row: unknown = JSON.parse(text);
    if (typeof row === "object" && row !== null && !Array.isArray(row)) return row as Partial<ResultRow>;
  } catch {
    // reported below
  }
  throw new InputError(`${at(file, line)}: not a JSON object; results.jsonl has one result row per line`);
}

function categoriesFrom(tallies: Map<string, Tally>, usable: number): WorkloadCategory[] {
  const allTokens = [...tallies.values()].reduce((sum, t) => sum + t.input + t.output, 0);
  if (allTokens === 0) throw new InputError("--results: every measured row has 0 tokens; nothing to project");
  return [...tallies.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([category, t]) => ({
      category,
      tokenShare: (t.input + t.output) / allTokens,
      inputShare: t.input + t.output === 0 ? 0 : t.input / (t.input + t.output),
      requestShare: t.rows / usable,
      inputTokensPerRequest: t.input / t.rows,
      outputTokensPerRequest: t.output / t.rows,
      rows: t.rows,
    }));
}

/** Input tokens ÷ all tokens over the whole mix. */
export function overallInputShare(workload: Pick<Workload, "categories">): number {
  return workload.categories.reduce((sum, c) => sum + c.tokenShare * c.inputShare, 0);
}
