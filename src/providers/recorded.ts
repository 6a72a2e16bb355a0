import { createInterface } from "node:readline";
import { existsSync } from "node:fs";
import { InputError } from "../errors.js";
import type { ResolvedModel } from "../config/types.js";
import { formatOf, openText } from "../dataset/load.js";
import { cutAnswer } from "./streamed-answer.js";
import { ProviderError, type CompletionRequest, type CompletionResult, type Provider } from "./types.js";
import { MAX_CONTEXT_TOKENS } from "../config/provider-kinds.js";
import { tokenCount } from "./usage.js";

interface RecordedRow {
  output: string;
  inputTokens?: number;
  outputTokens?: number;
  latencyMs?: number;
  costUsd?: number;
  score?: number;
  tokensEstimated?: boolean;
  truncated?: boolean;
}

const NUMERIC = ["inputTokens", "outputTokens", "latencyMs", "costUsd", "score"] as const;

/** Replays answers recorded earlier (a JSONL or CSV file of `itemId, output[, tokens, latency, cost, score]`). */
export async function createRecordedProvider(model: ResolvedModel & { provider: "recorded" }): Promise<Provider> {
  const answers = await loadRecordedAnswers(model.file, model.maxAnswerChars);
  return {
    id: model.id,
    hosting: model.hosting,
    cacheable: false,
    replay: true,
    cacheIdentity: { provider: "recorded", file: model.file },
    license: model.license,
    async complete(request: CompletionRequest): Promise<CompletionResult> {
      const row = answers.get(request.item.id);
      if (!row) {
        throw new ProviderError(`no recorded answer for item "${request.item.id}" in ${model.file}`, { retryable: false });
      }
      return { ...row, latencyMs: row.latencyMs ?? null };
    },
  };
}

/** The recorded answers by item id; an output longer than `maxAnswerChars` is cut there and marked truncated. */
export async function loadRecordedAnswers(file: string, maxAnswerChars: number): Promise<Map<string, RecordedRow>> {
  if (!existsSync(file)) throw new InputError(`${file}: recorded answers file not found`);
  const answers = new Map<string, RecordedRow>();
  for await (const { record, line } of readRecords(file)) {
    const itemId = record.itemId;
    if (itemId === undefined || itemId === null || itemId === "") throw new InputError(`${file}:${line}: itemId is missing`);
    answers.set(String(itemId), toRecordedRow(record, file, line, maxAnswerChars));
  }
  return answers;
}

function toRecordedRow(record: Record<string, unknown>, file: string, line: number, maxAnswerChars: number): RecordedRow {
  const output = record.output === undefined || record.output === null ? "" : String(record.output);
  const row: RecordedRow = output.length > maxAnswerChars ? { output: cutAnswer(output, maxAnswerChars), truncated: true } : { output };
  if (record.tokensEstimated === true || record.tokensEstimated === "true") row.tokensEstimated = true;
  for (const key of NUMERIC) {
    const raw = record[key];
    if (raw === undefined || raw === null || raw === "") continue;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < 0) throw new InputError(`${file}:${line}: ${key}: expected a number ≥ 0, got ${JSON.stringify(raw)}`);
    if (key === "score" && value > 1) throw new InputError(`${file}:${line}: score: expected a number in [0, 1], got ${value}`);
    if ((key === "inputTokens" || key === "outputTokens") && tokenCount(value) === undefined) {
      throw new InputError(`${file}:${line}: ${key}: expected a whole number from 0 to ${MAX_CONTEXT_TOKENS}, got ${JSON.stringify(raw)}`);
    }
    row[key] = value;
  }
  return row;
}

async function* readRecords(file: string): AsyncGenerator<{ record: Record<string, unknown>; line: number }> {
  const format = formatOf(file);
  if (format === "jsonl") {
    let line = 0;
    for await (const text of createInterface({ input: openText(file), crlfDelay: Infinity })) {
      line++;
      if (text.trim() === "") continue;
      try {
        yield { record: JSON.parse(text) as Record<string, unknown>, line };
      } catch {
        throw new InputError(`${file}:${line}: not valid JSON`);
      }
    }
  } else if (format === "csv") {
    // Recorded files are read whole (a few MB at most): the synchronous parser is several times faster here.
    const { parse } = await import("csv-parse/sync");
    const chunks: Buffer[] = [];
    for await (const chunk of openText(file)) chunks.push(chunk as Buffer);
    let records: Record<string, string>[];
    try {
      records = parse(Buffer.concat(chunks), { columns: true, bom: true, skip_empty_lines: true });
    } catch (error) {
      throw new InputError(`${file}: ${error instanceof Error ? error.message : String(error)}`);
    }
    for (let i = 0; i < records.length; i++) yield { record: records[i]!, line: i + 2 };
  } else {
    throw new InputError(`${file}: recorded answers must be JSONL or CSV`);
  }
}
