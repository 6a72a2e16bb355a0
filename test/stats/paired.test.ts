import { describe, expect, it } from "vitest";
import { bootstrapMeanInterval, fastBootstrapMeanInterval, qualityInterval } from "../../src/stats/intervals.js";
import { seededRandom } from "../../src/stats/random.js";
import { nonInferior, pairedDifference } from "../../src/stats/paired.js";

const OPTIONS = { seedText: "c/m/bar", confidence: 0.95, resamples: 2000 };

function scores(values: number[], prefix = "i"): Map<string, number> {
  return new Map(values.map((v, i) => [`${prefix}${i}`, v]));
}

describe("paired bootstrap", () => {
  it("pairs only the items both models were scored on", () => {
    const a = scores([1, 1, 0, 1]);
    const b = new Map([
      ["i0", 0],
      ["i2", 1],
      ["other", 1],
    ]);
    const d = pairedDifference(a, b, OPTIONS)!;
    expect(d.n).toBe(2);
    expect(d.diff).toBe(0); // (1 − 0) and (0 − 1)
    expect(d.low).toBeGreaterThanOrEqual(-1);
    expect(d.high).toBeLessThanOrEqual(1);
  });

  it("gives a zero-width interval for identical models, so a model is always non-inferior to itself", () => {
    const a = scores([1, 0, 1, 1, 0, 1, 1, 1, 0, 1]);
    const d = pairedDifference(a, a, OPTIONS)!;
    expect(d).toEqual({ n: 10, diff: 0, low: 0, high: 0 });
    expect(nonInferior(d)).toBe(true);
  });

  it("calls a difference non-inferior only when its lower end (and centre) reach the bar", () => {
    expect(nonInferior({ diff: 0.01, low: -1e-15 })).toBe(true); // rounding noise around 0
    expect(nonInferior({ diff: 0.1, low: -0.001 })).toBe(false);
    expect(nonInferior({ diff: -0.001, low: 0.01 })).toBe(false);
  });

  it("is narrower than comparing two independent intervals, because item difficulty cancels out", () => {
    // Both models fail the same hard items; b also fails 2 more. Independently their 95 % intervals overlap widely.
    const a = scores([...Array(20).fill(1), ...Array(20).fill(0)]);
    const b = scores([...Array(18).fill(1), 0, 0, ...Array(20).fill(0)]);
    const d = pairedDifference(b, a, OPTIONS)!;
    expect(d.diff).toBeCloseTo(-0.05, 12);
    const qa = qualityInterval(a.values(), "a")!;
    const qb = qualityInterval(b.values(), "b")!;
    expect(qb.high - qa.low).toBeGreaterThan(0.2);
    expect(d.high - d.low).toBeLessThan(0.15);
  });

  it("compares against a constant bar, and is reproducible for the same seed text", () => {
    const a = scores([1, 1, 1, 0, 1, 1, 0, 1, 1, 1, 1, 1]);
    const first = pairedDifference(a, 0.9, OPTIONS)!;
    expect(first.diff).toBeCloseTo(10 / 12 - 0.9, 12);
    expect(pairedDifference(a, 0.9, OPTIONS)).toEqual(first);
    expect(pairedDifference(new Map(), 0.5, OPTIONS)).toBeNull();
  });

  it("uses the Wilson interval for pass/fail scores, as summary.json does", () => {
    const q = qualityInterval([1, 1, 1, 1, 0], "x")!;
    expect(q.mean).toBe(0.8);
    expect(q.low).toBeCloseTo(0.3755, 3);
    expect(q.high).toBeCloseTo(0.9638, 3);
  });

  it("computes exactly the intervals of bootstrapMeanInterval, bit for bit, only faster", () => {
    const random = seededRandom(42);
    const cases: Array<{ values: number[]; resamples: number; confidence: number }> = [
      // Paired differences of pass/fail scores, a constant bar's non-integer differences, fractional scores, odd sizes
      // and resample counts that are not multiples of the four computed side by side.
      { values: Array.from({ length: 1203 }, () => Math.floor(random() * 3) - 1), resamples: 2000, confidence: 0.95 },
      { values: Array.from({ length: 517 }, () => (random() < 0.7 ? 1 : 0) - 0.83), resamples: 2001, confidence: 0.95 },
      { values: Array.from({ length: 33 }, () => random()), resamples: 1003, confidence: 0.9 },
      { values: [0.3], resamples: 7, confidence: 0.95 },
      { values: Array(50).fill(0.1), resamples: 2000, confidence: 0.95 },
    ];
    for (const [i, { values, resamples, confidence }] of cases.entries()) {
      const seed = 1000 + i;
      const expected = bootstrapMeanInterval(values, { seed, resamples, confidence });
      expect(fastBootstrapMeanInterval(Float64Array.from(values), seed, confidence, resamples)).toStrictEqual(expected);
    }
    expect(fastBootstrapMeanInterval(new Float64Array(0), 1, 0.95, 2000)).toBeNull();
  });
});
