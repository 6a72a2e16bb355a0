import { InputError, at } from "../errors.js";
import { optionalBoolean, optionalNumber, resolveColumns, scoreOf, sensitiveFlag, text, toResultRow } from "./fields.js";
import { readTableRecords } from "./records.js";
import type { ImportedResults, ImportOptions } from "./types.js";

/** A long table: one row per item × model with `itemId, category, model, score` and optional measurements. */
export async function importLong(file: string, options: ImportOptions): Promise<ImportedResults> {
  const { columns, records } = await readTableRecords(file);
  const col = resolveColumns(columns, options.columns, file);
  for (const field of ["itemId", "model", "score"] as const) {
    if (!col[field]) throw new InputError(`${file}: no ${field} column; name one with --map ${field}=COLUMN (columns: ${columns.join(", ")})`);
  }
  if (!col.category && options.defaultCategory === undefined) {
    throw new InputError(`${file}: no category column; name it with --map category=COLUMN or give every item one with --category NAME`);
  }
  const rows = [];
  const models = new Set<string>();
  const sensitiveItems = new Set<string>();
  for (const { record, line } of records) {
    const where = at(file, line);
    const itemId = required(record[col.itemId!], where, "itemId");
    const model = required(record[col.model!], where, "model");
    models.add(model);
    if (col.sensitive && sensitiveFlag(record[col.sensitive], where)) sensitiveItems.add(itemId);
    const error = col.error ? text(record[col.error]) : null;
    rows.push(
      toResultRow(
        {
          itemId,
          model,
          category: col.category ? required(record[col.category], where, "category") : options.defaultCategory!,
          score: scoreOf(record[col.score!], options.scoreScale, where),
          output: col.output ? text(record[col.output]) : null,
          passed: col.passed ? optionalBoolean(record[col.passed]) : null,
          error: error === "" ? null : error,
          latencyMs: col.latencyMs ? optionalNumber(record[col.latencyMs], where, "latencyMs") : null,
          inputTokens: col.inputTokens ? optionalNumber(record[col.inputTokens], where, "inputTokens") : null,
          outputTokens: col.outputTokens ? optionalNumber(record[col.outputTokens], where, "outputTokens") : null,
          costUsd: col.costUsd ? optionalNumber(record[col.costUsd], where, "costUsd") : null,
        },
        where,
      ),
    );
  }
  return {
    rows,
    models: [...models].map((id) => ({ id, provider: "imported", model: id })),
    sensitiveItems,
    notes: [],
  };
}

export function required(value: unknown, where: string, what: string): string {
  const s = value === undefined || value === null ? "" : String(value).trim();
  if (s === "") throw new InputError(`${where}: ${what} is empty`);
  return s;
}
