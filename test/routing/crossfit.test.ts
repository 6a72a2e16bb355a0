import { describe, expect, it } from "vitest";
import { seededRandom } from "../../src/stats/random.js";
import { crossValidate } from "../../src/routing/crossfit.js";
import { gatherEvidence, type CategoryData } from "../../src/routing/evidence.js";
import { recommend } from "../../src/routing/select.js";
import type { ResultRow } from "../../src/results/row.js";
import { SOURCE, criteria, rowsFor } from "./fixtures.js";

/** `models` × `categories` of `items` coin-flip answers each: no model is better anywhere, whatever in-sample says. */
function coinFlips(models: string[], categories: number, items: number, seed = 7): ResultRow[] {
  const random = seededRandom(seed);
  return models.flatMap((model) =>
    Array.from({ length: categories }, (_, c) => {
      const pattern = Array.from({ length: items }, () => (random() < 0.5 ? "1" : "0")).join("");
      return rowsFor(model, `topic-${String(c).padStart(2, "0")}`, pattern, { costUsd: 0.001, latencyMs: 100 });
    }).flat(),
  );
}

function categoriesOf(rows: ResultRow[]): CategoryData[] {
  return gatherEvidence(rows, new Map()).categories;
}

const OPTIONS = { folds: 5, confidence: 0.95, resamples: 2000 };

describe("cross-fitting", () => {
  it("scores each route on items it was not chosen on: a table that only fits noise loses its in-sample edge", () => {
    // Three equally good (coin-flip) models at the same cost: any within 1 of the best qualifies, and the tie goes
    // to the higher mean on the items seen — in-sample that is the luckiest model of each category.
    const rows = coinFlips(["a", "b", "c"], 20, 40);
    const result = recommend({ rows, models: [], criteria: criteria({ within: 1, folds: 5 }), source: SOURCE });
    const inSample = result.evaluation.inSample.table.quality!;
    const cv = result.evaluation.crossValidated!;
    expect(cv).toMatchObject({ method: "k-fold", folds: 5, holdout: null, n: 800 });
    expect(inSample).toBeGreaterThan(0.55);
    expect(cv.quality!).toBeLessThan(inSample - 0.04);
    expect(cv.ciLow!).toBeLessThan(0.5);
    expect(cv.ciHigh!).toBeGreaterThan(cv.quality!);
    expect(cv.vsBestSingle!.low).toBeLessThan(0); // held out, routing beats no single model
  });

  it("deals each category's items into the folds evenly, and chooses each fold's routes on the other folds only", () => {
    const rows = [...rowsFor("m", "big", "1".repeat(23)), ...rowsFor("m", "small", "1".repeat(7))];
    const seen: Array<{ fold: number; category: string; items: string[] }> = [];
    const cv = crossValidate(
      categoriesOf(rows),
      (training, fold) => {
        seen.push({ fold, category: training.category, items: [...training.byModel.get("m")!.scores.keys()] });
        return "m";
      },
      OPTIONS,
    )!;
    expect(cv.n).toBe(30);
    for (const category of ["big", "small"]) {
      const total = category === "big" ? 23 : 7;
      const folds = seen.filter((s) => s.category === category);
      expect(folds.map((f) => f.fold)).toEqual([0, 1, 2, 3, 4]);
      // Held out: ⌊n/5⌋ or ⌈n/5⌉ items per fold, every item in exactly one.
      const heldOut = folds.map((f) => total - f.items.length);
      expect(heldOut.every((h) => h === Math.floor(total / 5) || h === Math.ceil(total / 5))).toBe(true);
      expect(heldOut.reduce((a, b) => a + b, 0)).toBe(total);
    }
  });

  it("puts an item in the same fold whatever the row order and whatever else is in the results", () => {
    const folds = (rows: ResultRow[]) => {
      const held = new Map<string, number>();
      const categories = categoriesOf(rows);
      crossValidate(
        categories,
        (training, fold) => {
          const all = categories.find((c) => c.category === training.category)!.itemIds;
          for (const item of all) if (!training.itemIds.includes(item)) held.set(item, fold);
          return null;
        },
        OPTIONS,
      );
      return held;
    };
    const base = rowsFor("m", "x", "1".repeat(20));
    const first = folds(base);
    expect(first.size).toBe(20);
    expect(folds([...base].reverse())).toEqual(first);
    const withOther = folds([...rowsFor("other", "y", "0".repeat(13)), ...base]);
    for (const [item, fold] of first) expect(withOther.get(item)).toBe(fold);
  });

  it("with --holdout, chooses on the rest and scores one held-out share of each category", () => {
    const rows = [...rowsFor("m", "a", "1".repeat(50)), ...rowsFor("m", "b", "0".repeat(30))];
    const trained: number[] = [];
    const cv = crossValidate(
      categoriesOf(rows),
      (training) => {
        trained.push(training.itemIds.length);
        return "m";
      },
      { holdout: 0.2, confidence: 0.95, resamples: 2000 },
    )!;
    expect(cv).toMatchObject({ method: "holdout", folds: 1, holdout: 0.2, n: 16 });
    expect(trained).toEqual([40, 24]);
    expect(cv.quality).toBeCloseTo(10 / 16, 12);
  });

  it("chooses the best single model on the training folds too, and compares on the same held-out items", () => {
    // "steady" is best overall; the table routes each category to a model that is best there.
    const rows = [
      ...rowsFor("steady", "p", "1".repeat(30) + "0".repeat(10)),
      ...rowsFor("steady", "q", "1".repeat(30) + "0".repeat(10)),
      ...rowsFor("p-expert", "p", "1".repeat(40)),
      ...rowsFor("p-expert", "q", "0".repeat(40)),
    ];
    const cv = crossValidate(categoriesOf(rows), (training) => (training.category === "p" ? "p-expert" : "steady"), OPTIONS)!;
    expect(cv.n).toBe(80);
    expect(cv.quality).toBeCloseTo(70 / 80, 12);
    expect(cv.bestSingleQuality).toBeCloseTo(60 / 80, 12);
    expect(cv.vsBestSingle!.diff).toBeCloseTo(10 / 80, 12);
    expect(cv.vsBestSingle!.low).toBeGreaterThan(0);
  });

  it("is off without --folds or --holdout", () => {
    expect(crossValidate(categoriesOf(rowsFor("m", "a", "11")), () => "m", { confidence: 0.95, resamples: 2000 })).toBeNull();
  });
});
