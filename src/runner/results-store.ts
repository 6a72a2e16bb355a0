import { closeSync, existsSync, ftruncateSync, openSync, readFileSync, readSync, fstatSync, writeSync } from "node:fs";
import { createReadStream } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import { InputError } from "../errors.js";
import { secretFreeJson } from "../io/secrets.js";
import type { RunSummary } from "../report/types.js";
import type { ResultRow } from "./types.js";

export const RESULTS_FILE = "results.jsonl";
export const SUMMARY_FILE = "summary.json";

export function rowKey(model: string, itemId: string): string {
  return `${model}\u0000${itemId}`;
}

/**
 * Appends rows to results.jsonl. Rows finished in the same tick go out in one write; each write is a whole number of
 * lines, so a run killed at any moment leaves at most one torn last line, which `repairTornTail` removes on resume.
 */
export class ResultsWriter {
  private readonly fd: number;
  private buffer: string[] = [];
  private scheduled = false;

  constructor(readonly file: string) {
    this.fd = openSync(file, "a");
  }

  append(row: ResultRow): void {
    this.buffer.push(secretFreeJson(row) + "\n");
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  flush(): void {
    this.scheduled = false;
    if (this.buffer.length === 0) return;
    const chunk = this.buffer.join("");
    this.buffer = [];
    writeSync(this.fd, chunk);
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

/** Cuts a partial last line left by a killed run, so appended rows start on a line of their own. */
export function repairTornTail(file: string): void {
  if (!existsSync(file)) return;
  const fd = openSync(file, "r+");
  try {
    const size = fstatSync(fd).size;
    if (size === 0) return;
    const last = Buffer.alloc(1);
    readSync(fd, last, 0, 1, size - 1);
    if (last[0] === 0x0a) return;
    // Walk back to the previous newline; the torn line was never acknowledged, so its item is simply run again.
    const chunk = 64 * 1024;
    let end = size;
    while (end > 0) {
      const start = Math.max(0, end - chunk);
      const buf = Buffer.alloc(end - start);
      readSync(fd, buf, 0, buf.length, start);
      const nl = buf.lastIndexOf(0x0a);
      if (nl >= 0) {
        ftruncateSync(fd, start + nl + 1);
        return;
      }
      end = start;
    }
    ftruncateSync(fd, 0);
  } finally {
    closeSync(fd);
  }
}

/** Streams the rows of a results file; a malformed line is reported with its line number. */
export async function* readResultRows(file: string): AsyncGenerator<ResultRow> {
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  let lineNo = 0;
  for await (const line of lines) {
    lineNo++;
    if (line.trim() === "") continue;
    let row: ResultRow;
    try {
      row = JSON.parse(line) as ResultRow;
    } catch {
      throw new InputError(`${file}:${lineNo}: not a JSON results row`);
    }
    if (typeof row.itemId !== "string" || typeof row.model !== "string") {
      throw new InputError(`${file}:${lineNo}: a results row needs itemId and model`);
    }
    yield row;
  }
}

/** Reads a results directory (results.jsonl, and summary.json when present) for recommend, check, cost, report. */
export async function readResultsDir(dir: string): Promise<{ rows: ResultRow[]; summary: RunSummary | null }> {
  const file = path.join(dir, RESULTS_FILE);
  if (!existsSync(file)) throw new InputError(`${dir}: no ${RESULTS_FILE} here; pass a directory written by modelpick eval or import`);
  const rows: ResultRow[] = [];
  for await (const row of readResultRows(file)) rows.push(row);
  const summaryFile = path.join(dir, SUMMARY_FILE);
  const summary = existsSync(summaryFile) ? (JSON.parse(readFileSync(summaryFile, "utf8")) as RunSummary) : null;
  return { rows, summary };
}
