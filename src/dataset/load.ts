import { createReadStream, existsSync } from "node:fs";
import path from "node:path";
import { createGunzip } from "node:zlib";
import type { Readable } from "node:stream";
// Static: in the bundle, `await import("yaml")` exposes only `default` (yaml is CommonJS).
import { LineCounter, isNode, isSeq, parseDocument } from "yaml";
import { InputError, errorMessage } from "../errors.js";
import { toItem } from "./item.js";
import type { DatasetItem } from "./types.js";

export type DatasetFormat = "jsonl" | "csv" | "yaml";

export function formatOf(file: string): DatasetFormat {
  const name = file.toLowerCase().replace(/\.gz$/, "");
  if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) return "jsonl";
  if (name.endsWith(".csv")) return "csv";
  if (name.endsWith(".yaml") || name.endsWith(".yml")) return "yaml";
  throw new InputError(`${file}: unknown dataset format; use .jsonl, .csv or .yaml (optionally .gz)`);
}

export function openText(file: string): Readable {
  const stream = createReadStream(file);
  return file.endsWith(".gz") ? stream.pipe(createGunzip()) : stream;
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
          throw new InputError(
            `${shown}:${item.source.line}: id "${item.id}" is a duplicate of ${first.source.file}:${first.source.line}`,
          );
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
  for await (const lines of readLines(openText(file))) {
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

/** The stream's lines (LF or CRLF), a chunk's worth at a time. */
async function* readLines(stream: Readable): AsyncGenerator<string[]> {
  stream.setEncoding("utf8");
  let partial = "";
  for await (const chunk of stream as AsyncIterable<string>) {
    const lines = (partial + chunk).split("\n");
    partial = lines.pop()!;
    yield lines.map(stripCR);
  }
  if (partial !== "") yield [stripCR(partial)];
}

function stripCR(line: string): string {
  return line.endsWith("\r") ? line.slice(0, -1) : line;
}

async function* readCsv(file: string, shown: string): AsyncGenerator<DatasetItem[]> {
  const { parse } = await import("csv-parse");
  const parser = openText(file).pipe(
    parse({ columns: true, skip_empty_lines: true, bom: true, info: true, relax_column_count: false }),
  );
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
      yield [toItem(csvRecordToItem(record, shown, info.lines), shown, info.lines)];
    }
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`${shown}: ${errorMessage(error)}`);
  }
}

/** CSV cells are strings: decode the JSON-valued columns and the boolean, drop empty optional cells. */
function csvRecordToItem(record: Record<string, string>, file: string, line: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    if (value === "" || value === undefined) continue;
    if (key === "messages" || (key === "scorer" && value.trim().startsWith("{"))) {
      try {
        out[key] = JSON.parse(value);
      } catch {
        throw new InputError(`${file}:${line}: ${key}: expected JSON, got ${JSON.stringify(value.slice(0, 40))}`);
      }
    } else if (key === "sensitive") {
      out[key] = /^(true|1|yes)$/i.test(value.trim());
    } else if (key === "tags") {
      out[key] = value.split(/[|,]/).map((t) => t.trim()).filter(Boolean);
    } else {
      out[key] = value;
    }
  }
  return out;
}

async function* readYaml(file: string, shown: string): AsyncGenerator<DatasetItem[]> {
  const { readFile } = await import("node:fs/promises");
  const counter = new LineCounter();
  const text = file.endsWith(".gz")
    ? await new Response(openText(file) as unknown as ReadableStream).text()
    : await readFile(file, "utf8");
  const doc = parseDocument(text, { lineCounter: counter });
  if (doc.errors.length > 0) {
    const line = counter.linePos(doc.errors[0]!.pos[0]).line;
    throw new InputError(`${shown}${line ? `:${line}` : ""}: invalid YAML: ${doc.errors[0]!.message.split("\n")[0]}`);
  }
  const root = doc.contents;
  const seq = isSeq(root) ? root : (doc.get("items", true) as unknown);
  if (!isSeq(seq)) throw new InputError(`${shown}: expected a list of items (or a top-level "items:" list)`);
  yield seq.items.map((node) => {
    const line = isNode(node) && node.range ? counter.linePos(node.range[0]).line : 0;
    return toItem(isNode(node) ? node.toJSON() : node, shown, line);
  });
}
