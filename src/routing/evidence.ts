import type { ResultRow } from "../results/row.js";
import type { ModelProfile } from "./types.js";

/** One model's scored answers in one category, kept per item so models can be compared on the same items. */
export interface ModelCategoryData {
  model: string;
  scores: Map<string, number>;
  /** Whether each scored item counts as answered right (the row's `passed`, else score ≥ 0.5). */
  correct: Map<string, boolean>;
  /** Cost of each scored item: the row's costUsd, else price × tokens, else null. */
  itemCost: Map<string, number | null>;
  /** Tokens (input + output) of each scored item that has token counts but no cost, for costing it later. */
  itemTokens: Map<string, number>;
  latencies: number[];
  measuredCosts: number[];
  inputTokens: number;
  outputTokens: number;
  tokenRows: number;
  /** Some of the token counts are estimates (rows with `tokensEstimated`), and so are costs computed from them. */
  tokensEstimated: boolean;
  errors: number;
  skipped: number;
}

export interface CategoryData {
  category: string;
  /** Every item of the category seen in the results, sorted. */
  itemIds: string[];
  /** Declared sensitive (--sensitive): all its traffic is sensitive. */
  declaredSensitive: boolean;
  /** Items marked sensitive: in the dataset, or skipped as sensitive by a cloud model. */
  sensitiveItems: number;
  byModel: Map<string, ModelCategoryData>;
}

export interface Evidence {
  categories: CategoryData[];
  /** Items marked sensitive (skipped as sensitive for a cloud model, or marked in the dataset). */
  sensitiveItems: Set<string>;
}

/**
 * Groups result rows by category and model. An item is sensitive when any cloud model skipped it as sensitive or the
 * dataset marks it; a declared-sensitive category is sensitive as a whole.
 */
export function gatherEvidence(
  rows: readonly ResultRow[],
  models: ReadonlyMap<string, ModelProfile>,
  options: { sensitiveItems?: Iterable<string>; sensitiveCategories?: Iterable<string> } = {},
): Evidence {
  const sensitiveItems = new Set(options.sensitiveItems ?? []);
  const declared = new Set(options.sensitiveCategories ?? []);
  const byCategory = new Map<string, { items: Set<string>; byModel: Map<string, ModelCategoryData> }>();
  for (const row of rows) {
    if (row.skipped === "sensitive") sensitiveItems.add(row.itemId);
    let group = byCategory.get(row.category);
    if (!group) byCategory.set(row.category, (group = { items: new Set(), byModel: new Map() }));
    group.items.add(row.itemId);
    let data = group.byModel.get(row.model);
    if (!data) group.byModel.set(row.model, (data = emptyData(row.model)));
    addRow(data, row, models.get(row.model)?.price ?? null);
  }
  const categories = [...byCategory.entries()]
    .sort(([a], [b]) => compareText(a, b))
    .map(([category, group]) => {
      const itemIds = [...group.items].sort(compareText);
      return {
        category,
        itemIds,
        declaredSensitive: declared.has(category),
        sensitiveItems: itemIds.reduce((count, id) => count + (sensitiveItems.has(id) ? 1 : 0), 0),
        byModel: new Map([...group.byModel.entries()].sort(([a], [b]) => compareText(a, b))),
      };
    });
  return { categories, sensitiveItems };
}

export function emptyData(model: string): ModelCategoryData {
  return {
    model,
    scores: new Map(),
    correct: new Map(),
    itemCost: new Map(),
    itemTokens: new Map(),
    latencies: [],
    measuredCosts: [],
    inputTokens: 0,
    outputTokens: 0,
    tokenRows: 0,
    tokensEstimated: false,
    errors: 0,
    skipped: 0,
  };
}

function addRow(data: ModelCategoryData, row: ResultRow, price: ModelProfile["price"]): void {
  if (row.skipped) {
    data.skipped++;
    return;
  }
  if (row.error !== null || row.score === null || !Number.isFinite(row.score)) {
    data.errors++;
    return;
  }
  data.scores.set(row.itemId, row.score);
  data.correct.set(row.itemId, row.passed ?? row.score >= 0.5);
  if (row.latencyMs !== null && row.latencyMs !== undefined && !row.warmup) data.latencies.push(row.latencyMs);
  const hasTokens = typeof row.inputTokens === "number" && typeof row.outputTokens === "number";
  if (hasTokens) {
    data.inputTokens += row.inputTokens!;
    data.outputTokens += row.outputTokens!;
    data.tokenRows++;
    if (row.tokensEstimated === true) data.tokensEstimated = true;
  }
  if (typeof row.costUsd === "number") data.measuredCosts.push(row.costUsd);
  const cost =
    typeof row.costUsd === "number"
      ? row.costUsd
      : price && hasTokens
        ? (row.inputTokens! * price.inputPerMTok + row.outputTokens! * price.outputPerMTok) / 1_000_000
        : null;
  data.itemCost.set(row.itemId, cost);
  if (cost === null && hasTokens) data.itemTokens.set(row.itemId, row.inputTokens! + row.outputTokens!);
}

/** Locale-independent ordering, so emitted files are identical on every machine. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
