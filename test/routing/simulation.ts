import { normalCdf } from "../../src/stats/distributions.js";
import { seededRandom, seedFrom } from "../../src/stats/random.js";
import type { ResultRow } from "../../src/results/row.js";
import { row } from "./fixtures.js";

/**
 * Results with known truths, for check's simulation tests: every item has a difficulty, and a model answers it right
 * with probability Φ(a + z_item), `a` set so that the model's true accuracy on the category is exactly as given. A
 * draw re-samples every answer from those probabilities, as a nondeterministic model (or a re-run) would.
 */
export interface SimulatedModel {
  id: string;
  /** Cost of one request, USD (the results' costUsd). */
  costUsd: number;
  /** True accuracy per category (task0, task1, …). */
  accuracy: number[];
  /** Token counts of every request, so that the bill is known. */
  inputTokens?: number;
  outputTokens?: number;
}

export function simulatedRows(models: readonly SimulatedModel[], items: number, draw: number): ResultRow[] {
  const rows: ResultRow[] = [];
  const categories = models[0]!.accuracy.length;
  for (let c = 0; c < categories; c++) {
    const difficulty = itemDifficulties(`task${c}`, items);
    for (const model of models) {
      const shift = shiftFor(model.accuracy[c]!, difficulty);
      const random = seededRandom(seedFrom(`draw-${draw}/${model.id}/task${c}`));
      difficulty.forEach((z, i) => {
        const right = random() < normalCdf(shift + z);
        rows.push(
          row({
            itemId: `task${c}-${i}`,
            model: model.id,
            category: `task${c}`,
            score: right ? 1 : 0,
            passed: right,
            costUsd: model.costUsd,
            inputTokens: model.inputTokens ?? null,
            outputTokens: model.outputTokens ?? null,
          }),
        );
      });
    }
  }
  return rows;
}

/** Standard normal item effects, fixed per category (Box–Muller on a seeded stream). */
function itemDifficulties(category: string, items: number): number[] {
  const random = seededRandom(seedFrom(`items/${category}`));
  return Array.from({ length: items }, () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random()));
}

const shifts = new Map<string, number>();

/** The `a` for which the mean of Φ(a + z) over the items is `accuracy` (bisection: the mean grows with a). */
function shiftFor(accuracy: number, difficulty: number[]): number {
  const key = `${accuracy}/${difficulty.length}/${difficulty[0]}`;
  const known = shifts.get(key);
  if (known !== undefined) return known;
  let low = -20;
  let high = 20;
  for (let i = 0; i < 100; i++) {
    const mid = (low + high) / 2;
    const mean = difficulty.reduce((sum, z) => sum + normalCdf(mid + z), 0) / difficulty.length;
    if (mean < accuracy) low = mid;
    else high = mid;
  }
  shifts.set(key, (low + high) / 2);
  return (low + high) / 2;
}
