import type { ResultRow } from "./row.js";
import { mean } from "../stats/intervals.js";

/** One model's quality on a set of items: their mean score and how many there are. */
export interface ItemMean {
  model: string;
  n: number;
  mean: number | null;
}

/**
 * Every model's score per item, gathered one row at a time, so models can be compared on the same items: a model that
 * skipped the sensitive items (cloud models) or errored on some is not compared on a different, easier or harder set.
 */
export class ScoresByItem {
  private readonly byModel = new Map<string, Map<string, number>>();

  /** Keeps scored rows only (not errored, not skipped); takes rows as read from any results.jsonl. */
  add(row: Partial<Pick<ResultRow, "model" | "itemId" | "score" | "error" | "skipped">>): void {
    if (typeof row.model !== "string" || typeof row.itemId !== "string") return;
    if (row.skipped || (row.error ?? null) !== null || typeof row.score !== "number" || !Number.isFinite(row.score)) return;
    let scores = this.byModel.get(row.model);
    if (!scores) this.byModel.set(row.model, (scores = new Map()));
    scores.set(row.itemId, row.score);
  }

  has(model: string): boolean {
    return this.byModel.has(model);
  }

  /** The items every one of `models` scored (none when a model scored nothing). */
  sharedItems(models: readonly string[]): string[] {
    const sets = models.map((m) => this.byModel.get(m) ?? new Map<string, number>());
    if (sets.length === 0) return [];
    const smallest = sets.reduce((a, b) => (b.size < a.size ? b : a));
    return [...smallest.keys()].filter((item) => sets.every((s) => s.has(item)));
  }

  /** The scores of `model` on `items`, in their order (items it did not score are left out). */
  scoresOn(model: string, items: readonly string[]): number[] {
    const scores = this.byModel.get(model);
    if (!scores) return [];
    const out: number[] = [];
    for (const item of items) {
      const score = scores.get(item);
      if (score !== undefined) out.push(score);
    }
    return out;
  }

  /** Each model's mean over its own scored items. */
  ownMean(model: string): ItemMean {
    const scores = [...(this.byModel.get(model)?.values() ?? [])];
    return { model, n: scores.length, mean: mean(scores) };
  }
}
