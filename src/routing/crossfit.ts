import { seedFrom } from "../stats/random.js";
import { compareText, type CategoryData } from "./evidence.js";
import { fastBootstrapMeanInterval, mean } from "../stats/intervals.js";
import { differenceOf } from "../stats/paired.js";
import type { CrossValidated } from "./types.js";

/** Chooses a category's route from training data only; returns the model id, or null for no route. */
export type FoldChooser = (training: CategoryData, fold: number) => string | null;

export interface CrossFitOptions {
  /** k-fold cross-fitting with this many folds; exclusive with `holdout`. */
  folds?: number;
  /** One split: this share of each category's items is held out. */
  holdout?: number;
  confidence: number;
  resamples: number;
}

/** Fold assignment is seeded by this text: the same item always lands in the same fold. */
const FOLD_SEED = "modelpick-crossfit";

/**
 * An honest figure for the table: each category's route is chosen on k − 1 folds and scored on the held-out fold
 * (or chosen on the rest and scored on one held-out split), and so is the best single model. The held-out scores of
 * all folds together give the quality, with a bootstrap interval over items, and the paired difference with the
 * best single model on the same items. Only scores are held out; costs and latencies are the whole data's.
 */
export function crossValidate(categories: readonly CategoryData[], chooseRoute: FoldChooser, options: CrossFitOptions): CrossValidated | null {
  const plan = foldPlan(categories, options);
  if (plan === null) return null;
  const table: number[] = [];
  const single: number[] = [];
  for (const fold of plan.evaluated) {
    const training = categories.map((c) => restrict(c, (item) => plan.foldOf.get(c.category)!.get(item) !== fold));
    const routes = new Map<string, string>();
    for (const data of training) {
      const model = chooseRoute(data, fold);
      if (model !== null) routes.set(data.category, model);
    }
    const best = bestSingleModel(training.filter((t) => routes.has(t.category)));
    if (best === null) continue;
    for (const category of categories) {
      const routed = category.byModel.get(routes.get(category.category) ?? "")?.scores;
      const bestScores = category.byModel.get(best)?.scores;
      if (!routed || !bestScores) continue;
      const folds = plan.foldOf.get(category.category)!;
      for (const item of category.itemIds) {
        if (folds.get(item) !== fold) continue;
        const a = routed.get(item);
        const b = bestScores.get(item);
        if (a === undefined || b === undefined) continue;
        table.push(a);
        single.push(b);
      }
    }
  }
  return summarise(table, single, plan, options);
}

interface FoldPlan {
  method: CrossValidated["method"];
  folds: number;
  holdout: number | null;
  /** Per category: item → fold. */
  foldOf: Map<string, Map<string, number>>;
  /** The folds that are held out in turn (all k, or fold 0 of a single split). */
  evaluated: number[];
}

/**
 * Within each category the items are put in the order of a seeded hash of their id, then dealt round-robin into
 * k folds (stratified: every fold gets its share of every category), or the first `holdout` share is held out.
 */
function foldPlan(categories: readonly CategoryData[], options: CrossFitOptions): FoldPlan | null {
  const { folds, holdout } = options;
  if (folds === undefined && holdout === undefined) return null;
  const foldOf = new Map<string, Map<string, number>>();
  for (const category of categories) {
    const ordered = category.itemIds
      .map((item) => ({ item, hash: seedFrom(`${FOLD_SEED}/${item}`) }))
      .sort((a, b) => a.hash - b.hash || compareText(a.item, b.item));
    const heldOut = holdout === undefined ? 0 : Math.round(holdout * ordered.length);
    foldOf.set(category.category, new Map(ordered.map(({ item }, i) => [item, holdout === undefined ? i % folds! : i < heldOut ? 0 : 1])));
  }
  return holdout === undefined
    ? { method: "k-fold", folds: folds!, holdout: null, foldOf, evaluated: Array.from({ length: folds! }, (_, i) => i) }
    : { method: "holdout", folds: 1, holdout, foldOf, evaluated: [0] };
}

/** The category with only the items `keep` accepts scored: what a decision may see. */
function restrict(category: CategoryData, keep: (item: string) => boolean): CategoryData {
  const byModel = new Map(
    [...category.byModel].map(([model, data]) => {
      const scores = new Map<string, number>();
      for (const [item, score] of data.scores) if (keep(item)) scores.set(item, score);
      return [model, { ...data, scores }] as const;
    }),
  );
  return { ...category, itemIds: category.itemIds.filter(keep), byModel };
}

/** The model with the best mean over the given categories' items, among models that answered at least half of them. */
function bestSingleModel(categories: readonly CategoryData[]): string | null {
  const items = categories.reduce((n, c) => n + c.itemIds.length, 0);
  const totals = new Map<string, { sum: number; n: number }>();
  for (const category of categories) {
    for (const [model, data] of category.byModel) {
      const total = totals.get(model) ?? { sum: 0, n: 0 };
      for (const score of data.scores.values()) total.sum += score;
      total.n += data.scores.size;
      totals.set(model, total);
    }
  }
  let best: { model: string; mean: number } | null = null;
  for (const [model, t] of [...totals].sort(([a], [b]) => compareText(a, b))) {
    if (t.n === 0 || t.n * 2 < items) continue;
    const mean = t.sum / t.n;
    if (!best || mean > best.mean + 1e-12) best = { model, mean };
  }
  return best?.model ?? null;
}

function summarise(table: number[], single: number[], plan: FoldPlan, options: CrossFitOptions): CrossValidated {
  const scores = Float64Array.from(table);
  const interval = fastBootstrapMeanInterval(scores, seedFrom(`${FOLD_SEED}/table`), options.confidence, options.resamples);
  const diffs = Float64Array.from(table, (score, i) => score - single[i]!);
  const versus = differenceOf(diffs, { seedText: `${FOLD_SEED}/vs-best-single`, confidence: options.confidence, resamples: options.resamples });
  return {
    method: plan.method,
    folds: plan.folds,
    holdout: plan.holdout,
    n: table.length,
    quality: mean(scores),
    ciLow: interval?.low ?? null,
    ciHigh: interval?.high ?? null,
    bestSingleQuality: mean(Float64Array.from(single)),
    vsBestSingle: versus && { diff: versus.diff, low: versus.low, high: versus.high },
  };
}
