import { isFleetBasis } from "./costs.js";
import { compareText, type CategoryData, type ModelCategoryData } from "./evidence.js";
import type { Baselines, CategoryDecision, StrategyFigures } from "./types.js";

interface Answer {
  score: number;
  correct: boolean;
  cost: number | null;
  /** The cost rests on estimated tokens, a price × tokens or a fleet (its model's figure in the category is marked ~). */
  costEstimated: boolean;
}

/**
 * The table against two baselines on the same items: always the best single model, and the per-item oracle that
 * sends each item to the cheapest model that got it right. The items are those the table routes and the best
 * single model answered, so the three figures describe the same questions.
 */
export function computeBaselines(categories: CategoryData[], decisions: CategoryDecision[]): Baselines {
  const routed = new Map(decisions.filter((d) => d.chosen).map((d) => [d.category, d.chosen!.model]));
  const answers = answersByItem(categories, decisions);
  const tableItems: Array<{ item: string; model: string }> = [];
  for (const category of categories) {
    const model = routed.get(category.category);
    if (!model) continue;
    for (const item of category.itemIds) if (answers.get(item)?.has(model)) tableItems.push({ item, model });
  }
  const best = bestSingleModel(
    tableItems.map((t) => t.item),
    answers,
  );
  const same = best ? tableItems.filter((t) => answers.get(t.item)!.has(best)) : [];
  return {
    n: same.length,
    table: figures(same.map((t) => answers.get(t.item)!.get(t.model)!)),
    bestSingle: { model: best, ...figures(same.map((t) => answers.get(t.item)!.get(best!)!)) },
    oracle: figures(same.map((t) => oracleAnswer(answers.get(t.item)!))),
  };
}

function answersByItem(categories: CategoryData[], decisions: CategoryDecision[]): Map<string, Map<string, Answer>> {
  const candidates = new Map(decisions.map((d) => [d.category, new Map(d.candidates.map((c) => [c.model, c]))]));
  const answers = new Map<string, Map<string, Answer>>();
  for (const category of categories) {
    for (const data of category.byModel.values()) {
      addAnswers(answers, data, candidates.get(category.category)?.get(data.model)?.costEstimated ?? false);
    }
  }
  return answers;
}

function addAnswers(answers: Map<string, Map<string, Answer>>, data: ModelCategoryData, costEstimated: boolean): void {
  for (const [item, score] of data.scores) {
    let byModel = answers.get(item);
    if (!byModel) answers.set(item, (byModel = new Map()));
    byModel.set(data.model, { score, correct: data.correct.get(item) ?? score >= 0.5, cost: data.itemCost.get(item) ?? null, costEstimated });
  }
}

/** The model with the best mean on the routed items, among models that answered at least half of them. */
function bestSingleModel(items: string[], answers: Map<string, Map<string, Answer>>): string | null {
  const totals = new Map<string, { sum: number; n: number }>();
  for (const item of items) {
    for (const [model, answer] of answers.get(item) ?? []) {
      const t = totals.get(model) ?? { sum: 0, n: 0 };
      t.sum += answer.score;
      t.n++;
      totals.set(model, t);
    }
  }
  let best: { model: string; mean: number } | null = null;
  for (const [model, t] of [...totals.entries()].sort(([a], [b]) => compareText(a, b))) {
    if (t.n * 2 < items.length) continue;
    const mean = t.sum / t.n;
    if (!best || mean > best.mean + 1e-12) best = { model, mean };
  }
  return best?.model ?? null;
}

/** The cheapest model that got the item right; when none did, the best answer there was. */
function oracleAnswer(byModel: Map<string, Answer>): Answer {
  const all = [...byModel.entries()].sort(([a], [b]) => compareText(a, b)).map(([, answer]) => answer);
  const right = all.filter((a) => a.correct).sort((a, b) => costOrder(a.cost, b.cost));
  if (right.length > 0) return right[0]!;
  return all.sort((a, b) => b.score - a.score || costOrder(a.cost, b.cost))[0]!;
}

function costOrder(a: number | null, b: number | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  return a - b;
}

function figures(answers: Answer[]): StrategyFigures {
  if (answers.length === 0) return { quality: null, costPer1kUsd: null, costEstimated: false, n: 0 };
  let score = 0;
  let cost = 0;
  let costKnown = true;
  let costEstimated = false;
  for (const a of answers) {
    score += a.score;
    if (a.cost === null) costKnown = false;
    else cost += a.cost;
    if (a.costEstimated) costEstimated = true;
  }
  return {
    quality: score / answers.length,
    costPer1kUsd: costKnown ? (cost / answers.length) * 1000 : null,
    costEstimated: costKnown && costEstimated,
    n: answers.length,
  };
}

/**
 * Items with no cost of their own get one, so the baselines can compare the table's cost with the best model's and
 * the oracle's: an item answered by a fleet-costed model, the fleet's $ per token on its category × the item's tokens;
 * any other item of a model whose cost in the category is known (an empty reply has no tokens and no costUsd), the
 * model's mean cost per request there — the figure its route shows. A model with no cost at all stays unknown.
 */
export function costItemsWithoutCost(categories: CategoryData[], decisions: CategoryDecision[]): void {
  const byCategory = new Map(decisions.map((d) => [d.category, d]));
  for (const category of categories) {
    const decision = byCategory.get(category.category);
    for (const candidate of decision?.candidates ?? []) {
      const data = category.byModel.get(candidate.model)!;
      if (isFleetBasis(candidate.costBasis) && candidate.usdPerToken !== null) {
        for (const [item, tokens] of data.itemTokens) if (data.itemCost.get(item) === null) data.itemCost.set(item, tokens * candidate.usdPerToken);
      }
      if (candidate.costPer1kUsd === null) continue;
      for (const [item, cost] of data.itemCost) if (cost === null) data.itemCost.set(item, candidate.costPer1kUsd / 1000);
    }
  }
}
