import { createReadStream, existsSync } from "node:fs";
import path from "node:path";
import { createGunzip } from "node:zlib";
import type { Readable } from "node:stream";
// Static: in the esbuild bundle a dynamic import of this CommonJS package exposes only `default`.
import { LineCounter, isNode, isSeq, parseDocument } from "yaml";
import { InputError, errorMessage } from "../errors.js";
import { annotateFsError, isFsError } from "../io/fs-errors.js";
import { readTextFile, withoutBom } from "../io/json-file.js";
import { expandYaml } from "../io/yaml.js";
import { didYouMeanKey } from "../suggest.js";
import { ITEM_KEYS, toItem, yesNo } from "./item.js";
import type { DatasetItem } from "./types.js";

export type DatasetFormat = "jsonl" | "csv" | "yaml";

export function formatOf(file: string): DatasetFormat {
  const name = file.toLowerCase().replace(/\.gz$/, "");
  if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) return "jsonl";
  if (name.endsWith(".csv")) return "csv";
  if (name.endsWith(".yaml") || name.endsWith(".yml")) return "yaml";
  throw new InputError(`${file}: unknown dataset format; use .jsonl, .csv or .yaml (optionally .gz)`);
}

/** The file's bytes, gunzipped for .gz; a read or gzip error comes out of the returned stream, naming the file. */
export function openText(file: string): Readable {
  const source = createReadStream(file);
  const nameFile = (error: Error) => annotateFsError(error, { file, action: "read" });
  source.on("error", nameFile);
  if (!file.endsWith(".gz")) return source;
  const gunzip = createGunzip();
  gunzip.on("error", nameFile);
  source.on("error", (error) => gunzip.destroy(error)); // pipe() does not pass the file's own errors on
  return source.pipe(gunzip);
}

/** Loads every dataset file, in order, and checks that item ids are unique across all of them. */
export async function loadDatasets(files: string[], cwd = process.cwd()): Promise<DatasetItem[]> {
  const items: DatasetItem[] = [];
  const seen = new Map<string, DatasetItem>();
  for (const file of files) {
    const shown = path.relative(cwd, file) || file;
    if (!existsSync(file)) throw new InputError(`${shown}: dataset file not found`);
    for await (const batch of readDataset(file, shown)) {
      for (const item of batch) {
        const first = seen.get(item.id);
        if (first) {
          throw new InputError(`${shown}:${item.source.line}: id "${item.id}" is a duplicate of ${first.source.file}:${first.source.line}`);
        }
        seen.set(item.id, item);
        items.push(item);
      }
    }
  }
  if (items.length === 0) throw new InputError(`${files.join(", ")}: the dataset has no items`);
  return items;
}

/** Items in batches (a chunk of lines at a time): an await per item would cost more than parsing it. */
async function* readDataset(file: string, shown: string): AsyncGenerator<DatasetItem[]> {
  const format = formatOf(file);
  if (format === "jsonl") yield* readJsonl(file, shown);
  else if (format === "csv") yield* readCsv(file, shown);
  else yield* readYaml(file, shown);
}

async function* readJsonl(file: string, shown: string): AsyncGenerator<DatasetItem[]> {
  let lineNo = 0;
  for await (const lines of readLines(openText(file), shown)) {
    const batch: DatasetItem[] = [];
    for (const line of lines) {
      lineNo++;
      if (line.trim() === "") continue;
      let record: unknown;
      try {
        record = JSON.parse(line);
      } catch (error) {
        throw new InputError(`${shown}:${lineNo}: not valid JSON (${errorMessage(error)})`);
      }
      batch.push(toItem(record, shown, lineNo));
    }
    yield batch;
  }
}

/**
 * A dataset line longer than this is refused rather than read on: no model's context holds it (10M tokens is about
 * 40M characters), and past V8's string limit (2^29 characters) joining it would crash instead of explaining.
 */
const MAX_LINE_CHARS = 64 * 1024 * 1024;

/**
 * The stream's lines (LF or CRLF), a chunk's worth at a time. A line spread over many chunks is kept as pieces and
 * joined once at its end: joining as it grows would copy it again for every chunk (quadratic on a long line).
 */
async function* readLines(stream: Readable, shown: string): AsyncGenerator<string[]> {
  stream.setEncoding("utf8");
  let head: string[] = [];
  let headChars = 0;
  let lineNo = 0;
  let first = true;
  const grow = (piece: string) => {
    headChars += piece.length;
    if (headChars > MAX_LINE_CHARS) {
      throw new InputError(
        `${shown}:${lineNo + 1}: the line is longer than ${MAX_LINE_CHARS.toLocaleString("en-US")} characters; ` +
          "no model takes an item this large: shorten or split it",
      );
    }
    head.push(piece);
  };
  for await (const text of stream as AsyncIterable<string>) {
    const chunk = first ? withoutBom(text) : text;
    first = false;
    const lines = chunk.split("\n");
    const rest = lines.pop()!;
    if (lines.length > 0) {
      if (head.length > 0) {
        grow(lines[0]!);
        lines[0] = head.join("");
        head = [];
        headChars = 0;
      }
      lineNo += lines.length;
      yield lines.map(stripCR);
    }
    if (rest !== "") grow(rest);
  }
  if (head.length > 0) yield [stripCR(head.join(""))];
}

function stripCR(line: string): string {
  return line.endsWith("\r") ? line.slice(0, -1) : line;
}

async function* readCsv(file: string, shown: string): AsyncGenerator<DatasetItem[]> {
  const { parse } = await import("csv-parse");
  const text = openText(file);
  const parser = text.pipe(
    parse({ columns: (header: string[]) => checkCsvColumns(header, shown), skip_empty_lines: true, bom: true, info: true, relax_column_count: false }),
  );
  text.on("error", (error) => parser.destroy(error));
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
      yield [toItem(csvRecordToItem(record, shown, info.lines), shown, info.lines)];
    }
  } catch (error) {
    if (error instanceof InputError || isFsError(error)) throw error;
    throw new InputError(`${shown}: ${errorMessage(error)}`);
  }
}

const METADATA_COLUMN = "metadata.";

/** Every column must be an item field or `metadata.<name>`: an unknown one is refused before any row is read. */
function checkCsvColumns(header: string[], file: string): string[] {
  const fields = [...ITEM_KEYS].filter((key) => key !== "metadata");
  for (const column of header) {
    if (ITEM_KEYS.has(column) && column !== "metadata") continue;
    if (column.startsWith(METADATA_COLUMN) && column.length > METADATA_COLUMN.length) continue;
    const hint = didYouMeanKey(column, fields) || `; name free-form columns ${METADATA_COLUMN}<name>`;
    throw new InputError(`${file}:1: column "${column}": unknown${hint}`);
  }
  return header;
}

/** CSV cells are strings: decode the JSON-valued columns and the boolean, drop empty optional cells. */
function csvRecordToItem(record: Record<string, string>, file: string, line: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    if (key === "sensitive") {
      out[key] = csvSensitive(value, file, line);
      continue;
    }
    if (value === "" || value === undefined) continue;
    if (key === "messages" || (key === "scorer" && value.trim().startsWith("{"))) {
      try {
        out[key] = JSON.parse(value);
      } catch {
        throw new InputError(`${file}:${line}: ${key}: expected JSON, got ${JSON.stringify(value.slice(0, 40))}`);
      }
    } else if (key === "tags") {
      out[key] = value
        .split(/[|,]/)
        .map((t) => t.trim())
        .filter(Boolean);
    } else if (key.startsWith(METADATA_COLUMN)) {
      ((out.metadata ??= {}) as Record<string, string>)[key.slice(METADATA_COLUMN.length)] = value;
    } else {
      out[key] = value;
    }
  }
  return out;
}

function csvSensitive(value: string | undefined, file: string, line: number): boolean {
  const sensitive = yesNo(value ?? "");
  if (sensitive === undefined) {
    throw new InputError(`${file}:${line}: sensitive: ${JSON.stringify(value)} is not a yes/no value; write true/false, yes/no or 1/0 (empty means false)`);
  }
  return sensitive;
}

async function* readYaml(file: string, shown: string): AsyncGenerator<DatasetItem[]> {
  const counter = new LineCounter();
  const text = file.endsWith(".gz") ? await readAll(openText(file)) : readTextFile(file);
  const doc = parseDocument(text, { lineCounter: counter });
  if (doc.errors.length > 0) {
    const line = counter.linePos(doc.errors[0]!.pos[0]).line;
    throw new InputError(`${shown}${line ? `:${line}` : ""}: invalid YAML: ${doc.errors[0]!.message.split("\n")[0]}`);
  }
  const root = doc.contents;
  const seq = isSeq(root) ? root : (doc.get("items", true) as unknown);
  if (!isSeq(seq)) throw new InputError(`${shown}: expected a list of items (or a top-level "items:" list)`);
  // The whole document at once: only the document's toJS counts *alias expansions (and refuses an alias bomb).
  const values = expandYaml(() => doc.toJS(), shown) as unknown[] | { items: unknown[] };
  const items = Array.isArray(values) ? values : values.items;
  yield seq.items.map((node, i) => toItem(items[i], shown, isNode(node) && node.range ? counter.linePos(node.range[0]).line : 0));
}

async function readAll(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
