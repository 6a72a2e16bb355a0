import { closeSync, existsSync, ftruncateSync, openSync, readSync, fstatSync, statSync } from "node:fs";
import { createReadStream } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import { InputError } from "../errors.js";
import { secretFreeJson } from "../io/secrets.js";
import { writeAll } from "../io/atomic.js";
import { annotateFsError, isFsError, onFile, shownPath } from "../io/fs-errors.js";
import { parseJsonLine, readJsonFile } from "../io/json-file.js";
import type { RunSummary } from "./summary-types.js";
import type { ResultRow } from "./row.js";

export const RESULTS_FILE = "results.jsonl";
export const SUMMARY_FILE = "summary.json";

export function rowKey(model: string, itemId: string): string {
  return `${model}\u0000${itemId}`;
}

/**
 * Appends rows to results.jsonl. Rows finished in the same tick go out in one write; each write is a whole number of
 * lines, so a run killed at any moment leaves at most one torn last line, which `repairTornTail` removes on resume.
 * A write that fails (a full disk) happens outside any caller's stack: it goes to `onFailure`, later rows are
 * dropped, and `close` throws it; the rows written before it stay.
 */
export class ResultsWriter {
  private readonly fd: number;
  private buffer: string[] = [];
  private scheduled = false;
  private failure: Error | null = null;

  constructor(
    readonly file: string,
    private readonly onFailure: (error: Error) => void = () => {},
  ) {
    this.fd = onFile(file, "write", () => openSync(file, "a"));
  }

  append(row: ResultRow): void {
    if (this.failure) return;
    this.buffer.push(secretFreeJson(row) + "\n");
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  flush(): void {
    this.scheduled = false;
    if (this.buffer.length === 0 || this.failure) return;
    const chunk = this.buffer.join("");
    this.buffer = [];
    try {
      writeAll(this.fd, chunk);
    } catch (error) {
      this.failure = annotateFsError(error as Error, { file: this.file, action: "write" });
      this.onFailure(this.failure);
    }
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
    if (this.failure) throw this.failure;
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

const DAMAGED_ROW = {
  ours: true,
  remedy: "delete that line (modelpick eval --resume runs its item again), or rerun the command that wrote the file",
};

/**
 * Streams the rows of a results file, as far as it reached when reading began; a malformed line is an InputError
 * naming it. A file that is not a regular file (a device) holds no rows.
 */
export async function* readResultRows(file: string): AsyncGenerator<ResultRow> {
  const { size } = onFile(file, "read", () => statSync(file));
  if (size === 0) return;
  const lines = createInterface({ input: createReadStream(file, { end: size - 1 }), crlfDelay: Infinity });
  let lineNo = 0;
  try {
    for await (const line of lines) {
      lineNo++;
      if (line.trim() === "") continue;
      const row = parseJsonLine(line, file, lineNo, DAMAGED_ROW) as ResultRow | null;
      if (typeof row !== "object" || row === null || typeof row.itemId !== "string" || typeof row.model !== "string") {
        throw new InputError(`${shownPath(file)}:${lineNo}: a results row needs itemId and model; ${DAMAGED_ROW.remedy}`);
      }
      yield row;
    }
  } catch (error) {
    throw isFsError(error) ? annotateFsError(error, { file, action: "read" }) : error;
  }
}

/** Reads a results directory (results.jsonl, and summary.json when present) for recommend, check, cost, report. */
export async function readResultsDir(dir: string): Promise<{ rows: ResultRow[]; summary: RunSummary | null }> {
  const file = path.join(dir, RESULTS_FILE);
  if (!existsSync(file)) throw new InputError(`${dir}: no ${RESULTS_FILE} here; pass a directory written by modelpick eval or import`);
  const rows: ResultRow[] = [];
  for await (const row of readResultRows(file)) rows.push(row);
  const summaryFile = path.join(dir, SUMMARY_FILE);
  const summary = existsSync(summaryFile) ? readSummary(summaryFile) : null;
  return { rows, summary };
}

const REWRITE_SUMMARY = `rerun the command that wrote it, or delete it: ${RESULTS_FILE} alone is enough`;

function readSummary(file: string): RunSummary {
  const summary = readJsonFile(file, { ours: true, remedy: REWRITE_SUMMARY }) as Partial<RunSummary> | null;
  const run = typeof summary === "object" && summary !== null ? summary.run : undefined;
  if (typeof run !== "object" || run === null || (run.models !== undefined && !Array.isArray(run.models))) {
    throw new InputError(`${shownPath(file)} is not a modelpick run summary (no run record); ${REWRITE_SUMMARY}`);
  }
  return summary as RunSummary;
}
