import { InputError, at } from "../errors.js";
import { optionalNumber, resolveColumns, scoreOf, sensitiveFlag, text, toResultRow, type Field } from "./fields.js";
import { required } from "./long.js";
import { readTableRecords, type SourceRecord } from "./records.js";
import type { ImportedResults, ImportOptions } from "./types.js";

/** Per-model companion columns `<model>|<suffix>`, as RouterBench-style tables publish them. */
const COMPANIONS: Record<string, "output" | "costUsd" | "latencyMs" | "inputTokens" | "outputTokens"> = {
  output: "output",
  model_response: "output",
  response: "output",
  cost: "costUsd",
  total_cost: "costUsd",
  costusd: "costUsd",
  latency: "latencyMs",
  latencyms: "latencyMs",
  inputtokens: "inputTokens",
  input_tokens: "inputTokens",
  outputtokens: "outputTokens",
  output_tokens: "outputTokens",
};

/** A wide table: `itemId, category`, then one score column per model (as published router benchmarks share them). */
export async function importWide(file: string, options: ImportOptions): Promise<ImportedResults> {
  const { columns, records } = await readTableRecords(file);
  const col = pick(resolveColumns(columns, pick(options.columns, ["itemId", "category", "sensitive"]), file), ["itemId", "category", "sensitive"]);
  if (!col.itemId) throw new InputError(`${file}: no itemId column; name it with --map itemId=COLUMN (columns: ${columns.join(", ")})`);
  if (!col.category && options.defaultCategory === undefined) {
    throw new InputError(`${file}: no category column; name it with --map category=COLUMN or give every item one with --category NAME`);
  }
  const notes: string[] = [];
  const modelColumns = options.models ?? detectModelColumns(columns, col, records, notes);
  for (const model of modelColumns) {
    if (!columns.includes(model)) throw new InputError(`${file}: --models: no column "${model}" (columns: ${columns.join(", ")})`);
  }
  if (modelColumns.length === 0) throw new InputError(`${file}: no score columns found; list them with --models a,b,c`);
  const companions = companionColumns(columns, modelColumns);
  const rows = [];
  const sensitiveItems = new Set<string>();
  for (const { record, line } of records) {
    const where = at(file, line);
    const itemId = required(record[col.itemId], where, "itemId");
    const category = col.category ? required(record[col.category], where, "category") : options.defaultCategory!;
    if (col.sensitive && sensitiveFlag(record[col.sensitive], where)) sensitiveItems.add(itemId);
    for (const model of modelColumns) {
      const extra = companions.get(model) ?? {};
      rows.push(
        toResultRow(
          {
            itemId,
            model,
            category,
            score: scoreOf(record[model], options.scoreScale, `${where} column ${model}`),
            output: extra.output ? text(record[extra.output]) : null,
            costUsd: extra.costUsd ? optionalNumber(record[extra.costUsd], where, `${extra.costUsd}`) : null,
            latencyMs: extra.latencyMs ? optionalNumber(record[extra.latencyMs], where, `${extra.latencyMs}`) : null,
            inputTokens: extra.inputTokens ? optionalNumber(record[extra.inputTokens], where, `${extra.inputTokens}`) : null,
            outputTokens: extra.outputTokens ? optionalNumber(record[extra.outputTokens], where, `${extra.outputTokens}`) : null,
          },
          `${where} column ${model}`,
        ),
      );
    }
  }
  return {
    rows,
    models: modelColumns.map((id) => ({ id, provider: "imported", model: id })),
    sensitiveItems,
    notes,
  };
}

/** Score columns: every column that is not a mapped field or a companion and holds only numbers (or blanks). */
function detectModelColumns(columns: string[], col: Partial<Record<Field, string>>, records: SourceRecord[], notes: string[]): string[] {
  const taken = new Set(Object.values(col));
  const models: string[] = [];
  const ignored: string[] = [];
  for (const column of columns) {
    if (taken.has(column) || column.includes("|")) continue;
    const numeric = records.every(({ record }) => {
      const v = record[column];
      return v === undefined || v === null || v === "" || Number.isFinite(typeof v === "number" ? v : Number(String(v)));
    });
    (numeric ? models : ignored).push(column);
  }
  if (ignored.length > 0) notes.push(`Columns with text, not scores, were not imported as models: ${ignored.join(", ")}.`);
  return models;
}

function companionColumns(columns: string[], models: string[]): Map<string, Partial<Record<(typeof COMPANIONS)[string], string>>> {
  const wanted = new Set(models);
  const map = new Map<string, Partial<Record<(typeof COMPANIONS)[string], string>>>();
  for (const column of columns) {
    const bar = column.lastIndexOf("|");
    if (bar <= 0) continue;
    const model = column.slice(0, bar);
    const field =
      COMPANIONS[
        column
          .slice(bar + 1)
          .trim()
          .toLowerCase()
      ];
    if (!field || !wanted.has(model)) continue;
    const entry = map.get(model) ?? {};
    entry[field] = column;
    map.set(model, entry);
  }
  return map;
}

function pick<T extends object, K extends keyof T>(value: T, keys: K[]): Pick<T, K> {
  return Object.fromEntries(keys.filter((k) => value[k] !== undefined).map((k) => [k, value[k]])) as Pick<T, K>;
}
