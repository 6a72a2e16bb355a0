import { InputError, errorMessage } from "../errors.js";
import { readTextFile } from "../io/json-file.js";

export interface SourceRecord {
  record: Record<string, unknown>;
  /** Line of the file the record starts on, for error messages. */
  line: number;
}

/** Reads a CSV (header row) or JSONL file whole into records with their line numbers. */
export async function readTableRecords(file: string): Promise<{ columns: string[]; records: SourceRecord[] }> {
  const name = file.toLowerCase();
  const text = readTextFile(file);
  if (name.endsWith(".csv") || name.endsWith(".tsv")) return parseCsv(text, file, name.endsWith(".tsv") ? "\t" : ",");
  if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) return parseJsonl(text, file);
  throw new InputError(`${file}: expected a .csv, .tsv or .jsonl file`);
}

async function parseCsv(text: string, file: string, delimiter: string): Promise<{ columns: string[]; records: SourceRecord[] }> {
  const { parse } = await import("csv-parse/sync");
  let parsed: Array<{ record: Record<string, string>; info: { lines: number } }>;
  try {
    parsed = parse(text, { columns: true, bom: true, skip_empty_lines: true, info: true, delimiter, trim: true }) as never;
  } catch (error) {
    throw new InputError(`${file}: not a valid CSV file: ${errorMessage(error)}`);
  }
  const columns = parsed[0] ? Object.keys(parsed[0].record) : headerOf(text, delimiter);
  return { columns, records: parsed.map((p) => ({ record: p.record, line: p.info.lines })) };
}

function headerOf(text: string, delimiter: string): string[] {
  const first = text.replace(/^\uFEFF/, "").split(/\r?\n/, 1)[0] ?? "";
  return first
    .split(delimiter)
    .map((c) => c.trim())
    .filter(Boolean);
}

function parseJsonl(text: string, file: string): { columns: string[]; records: SourceRecord[] } {
  const records: SourceRecord[] = [];
  const columns = new Set<string>();
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new InputError(`${file}:${i + 1}: not valid JSON`);
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      throw new InputError(`${file}:${i + 1}: expected a JSON object per line`);
    }
    for (const key of Object.keys(value)) columns.add(key);
    records.push({ record: value as Record<string, unknown>, line: i + 1 });
  });
  return { columns: [...columns], records };
}
