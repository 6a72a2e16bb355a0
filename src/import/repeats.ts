import { rowKey } from "../results/store.js";
import type { ResultRow } from "../results/row.js";
import { mean } from "../stats/intervals.js";
import { toResultRow, type RowFields } from "./fields.js";

/** One answer read from an imported file, before answers of the same item × model are merged. */
export interface Answer {
  /** Where it is in the file, for messages. */
  where: string;
  fields: Omit<RowFields, "itemId" | "model">;
  /** The file recorded a cost that is read as unknown. */
  unknownCost?: boolean;
}

/**
 * One row per item × model. Several answers to one item by one model (promptfoo `--repeat N`) are repeated
 * measurements of the same item, not N items: they become one row whose score is the mean of the scored answers, whose
 * tokens, cost and latency are the means per request, with `repeats: N`. Every statistic downstream (intervals,
 * `--min-items`, paired comparisons, check) then counts items, as it must: repeats narrow nothing they do not measure.
 * An item whose every answer failed is an error row; answers that failed among scored ones are said in a note.
 */
export function mergeRepeats(
  answers: Answer[],
  modelOf: (answer: Answer) => string,
  itemOf: (answer: Answer) => string,
  file: string,
  notes: string[],
): ResultRow[] {
  const groups = new Map<string, { model: string; itemId: string; answers: Answer[] }>();
  for (const answer of answers) {
    const model = modelOf(answer);
    const itemId = itemOf(answer);
    const key = rowKey(model, itemId);
    const group = groups.get(key);
    if (group) group.answers.push(answer);
    else groups.set(key, { model, itemId, answers: [answer] });
  }
  const repeated = new Map<number, number>();
  let failedRepeats = 0;
  const rows: ResultRow[] = [];
  for (const { model, itemId, answers: group } of groups.values()) {
    if (group.length === 1) {
      rows.push(toResultRow({ itemId, model, ...group[0]!.fields }, group[0]!.where));
      continue;
    }
    repeated.set(group.length, (repeated.get(group.length) ?? 0) + 1);
    const merged = mergeGroup(group);
    failedRepeats += merged.failed;
    rows.push({ ...toResultRow({ itemId, model, ...merged.fields }, `${group[0]!.where} and ${group.length - 1} repeat(s)`), repeats: group.length });
  }
  if (repeated.size > 0) {
    const counts = [...repeated].map(([n, rowsWithN]) => `${rowsWithN} item × model row(s) from ${n} answers each`).join(", ");
    notes.push(
      `${file} holds repeated answers to the same tests (promptfoo --repeat): ${counts}. Each row is the mean of its repeats (score, tokens, cost, latency; ` +
        "repeats: N in results.jsonl), so every statistic counts items, not answers.",
    );
  }
  if (failedRepeats > 0) notes.push(`${failedRepeats} repeated answer(s) were errors; their rows are scored on the other repeats.`);
  return rows;
}

function mergeGroup(group: Answer[]): { fields: Omit<RowFields, "itemId" | "model">; failed: number } {
  const all = group.map((a) => a.fields);
  const scored = all.filter((f) => f.error === null || f.error === undefined).filter((f) => f.score !== null);
  const first = scored[0] ?? all[0]!;
  const fields: Omit<RowFields, "itemId" | "model"> = {
    category: first.category,
    score: scored.length > 0 ? meanOfKnown(scored.map((f) => f.score!))! : null,
    output: first.output ?? null,
    passed: scored.length === 0 ? null : scored.every((f) => f.passed === true) ? true : scored.some((f) => f.passed === false) ? false : null,
    error: scored.length > 0 ? null : `all ${group.length} repeats failed: ${all.find((f) => f.error)?.error ?? "no score"}`,
    latencyMs: meanOfKnown(scored.map((f) => f.latencyMs)),
    inputTokens: meanOfKnown(all.map((f) => f.inputTokens)),
    outputTokens: meanOfKnown(all.map((f) => f.outputTokens)),
    costUsd: meanOfKnown(all.map((f) => f.costUsd)),
    cached: all.every((f) => f.cached === true),
  };
  return { fields, failed: scored.length > 0 ? group.length - scored.length : 0 };
}

/** The mean of the known values, or null when none is known. */
function meanOfKnown(values: Array<number | null | undefined>): number | null {
  return mean(values.filter((v): v is number => typeof v === "number"));
}
