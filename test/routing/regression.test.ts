import { describe, expect, it } from "vitest";
import {
  binomialAgainstLevel,
  binomialUpperTail,
  holmAdjust,
  mcNemarExact,
  momentsOf,
  normalCdf,
  seededRandom,
  studentTCdf,
  tTest,
  twoProportionTest,
  welchTest,
} from "../../src/stats/intervals.js";
import { decodeItems, decodeOutcomes, encodeItems, encodeOutcomes, OutcomeDecodeError } from "../../src/routing/outcomes.js";
import { compareScores, compareWithLevel } from "../../src/routing/regression.js";

/** C(n, k) p^k (1 − p)^(n − k), summed the slow, obvious way. */
function binomialTailBySum(k: number, n: number, p: number): number {
  let total = 0;
  for (let i = k; i <= n; i++) {
    let choose = 1;
    for (let j = 1; j <= i; j++) choose = (choose * (n - i + j)) / j;
    total += choose * p ** i * (1 - p) ** (n - i);
  }
  return total;
}

describe("the exact McNemar test", () => {
  it("is the one-sided exact binomial test on the discordant pairs: 10 of 12 lost gives 79/4096", () => {
    // P(X ≥ 10), X ~ Binomial(12, ½) = (C(12,10) + C(12,11) + C(12,12)) / 2¹² = (66 + 12 + 1) / 4096.
    expect(mcNemarExact({ losses: 10, gains: 2, n: 100 }).pValue).toBeCloseTo(79 / 4096, 14);
    expect(mcNemarExact({ losses: 2, gains: 10, n: 100 }).pValue).toBeCloseTo(binomialTailBySum(2, 12, 0.5), 14); // 1 − 13/4096: a gain
    expect(mcNemarExact({ losses: 0, gains: 0, n: 100 }).pValue).toBe(1);
    // Concordant items do not count, only the discordant ones.
    expect(mcNemarExact({ losses: 10, gains: 2, n: 5000 }).pValue).toBeCloseTo(79 / 4096, 14);
  });

  it("shifts its null to a fall of exactly the margin, and cannot fail a fall the margin covers", () => {
    // n = 100, margin 0.05: P(loss | discordant) = ½ + 100 × 0.05 / (2 × 12) under H0.
    expect(mcNemarExact({ losses: 10, gains: 2, n: 100 }, 0.05).pValue).toBeCloseTo(binomialTailBySum(10, 12, 0.5 + 5 / 24), 12);
    // 5 discordant items of 100 can only be a fall of 0.05: within a margin of 0.05, whatever they are.
    expect(mcNemarExact({ losses: 5, gains: 0, n: 100 }, 0.05).pValue).toBe(1);
    // A larger margin never makes a fall more significant.
    let previous = 0;
    for (const margin of [0, 0.01, 0.02, 0.05]) {
      const p = mcNemarExact({ losses: 30, gains: 10, n: 400 }, margin).pValue;
      expect(p).toBeGreaterThanOrEqual(previous);
      previous = p;
    }
  });

  it("keeps its size at most α at every number of discordant items, where the mid-p version does not (why exact)", () => {
    // The gate must not fail on noise: under "no change" the chance of p ≤ 0.05 is at most 0.05, exactly, at each D.
    // The mid-p value (half the probability of the observed count) is less conservative and exceeds 0.05 at some D.
    let midPExceeds = false;
    for (let d = 1; d <= 60; d++) {
      let size = 0;
      let midSize = 0;
      for (let losses = 0; losses <= d; losses++) {
        const probability = binomialTailBySum(losses, d, 0.5) - binomialTailBySum(losses + 1, d, 0.5);
        const p = mcNemarExact({ losses, gains: d - losses, n: 1000 }).pValue;
        if (p <= 0.05) size += probability;
        if (p - probability / 2 <= 0.05) midSize += probability;
      }
      expect(size).toBeLessThanOrEqual(0.05 + 1e-12);
      if (midSize > 0.05 + 1e-12) midPExceeds = true;
    }
    expect(midPExceeds).toBe(true);
  });
});

describe("distributions", () => {
  it("binomial tails agree with the sum of the probabilities, also for thousands of trials", () => {
    const random = seededRandom(7);
    for (let i = 0; i < 50; i++) {
      const n = 1 + Math.floor(random() * 60);
      const k = Math.floor(random() * (n + 1));
      const p = random();
      expect(binomialUpperTail(k, n, p)).toBeCloseTo(binomialTailBySum(k, n, p), 10);
    }
    // Normal approximation with continuity correction, 2,000 trials: close to the exact tail.
    expect(binomialUpperTail(1100, 2000, 0.5) / normalCdf(-(1100 - 1000 - 0.5) / Math.sqrt(500))).toBeCloseTo(1, 1);
    expect(binomialAgainstLevel(7, 10, 0.9).pValue).toBeCloseTo(1 - binomialTailBySum(8, 10, 0.9), 12);
    expect(binomialAgainstLevel(10, 10, 0.9, "not-below").pValue).toBeCloseTo(0.9 ** 10, 12);
  });

  it("normal and t distribution functions match their tables", () => {
    expect(normalCdf(-1.959964)).toBeCloseTo(0.025, 7);
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(-4)).toBeCloseTo(3.167124183311992e-5, 9);
    expect(studentTCdf(-2.262157, 9)).toBeCloseTo(0.025, 6);
    expect(studentTCdf(2.0860, 20)).toBeCloseTo(0.975, 4);
    expect(studentTCdf(1.5, 1e6)).toBeCloseTo(normalCdf(1.5), 5);
  });
});

describe("Holm's adjustment", () => {
  it("multiplies the k-th smallest p-value by m − k + 1, keeps the order monotone, caps at 1, in the input's order", () => {
    // Sorted: 0.005 × 4 = 0.02, 0.01 × 3 = 0.03, 0.03 × 2 = 0.06, 0.04 × 1 = 0.04 → raised to 0.06 to stay monotone.
    expect(holmAdjust([0.01, 0.04, 0.03, 0.005])).toEqual([0.03, 0.06, 0.06, 0.02]);
    expect(holmAdjust([0.3, 0.9])).toEqual([0.6, 0.9]);
    expect(holmAdjust([0.04])).toEqual([0.04]);
    expect(holmAdjust([0.5, 0.6, 0.7])).toEqual([1, 1, 1]);
    expect(holmAdjust([])).toEqual([]);
  });

  it("rejects at α exactly the hypotheses its step-down procedure rejects", () => {
    const random = seededRandom(11);
    for (let trial = 0; trial < 200; trial++) {
      const ps = Array.from({ length: 1 + Math.floor(random() * 12) }, () => random() ** 3);
      const sorted = [...ps].sort((a, b) => a - b);
      let stop = sorted.findIndex((p, k) => p > 0.05 / (ps.length - k));
      if (stop === -1) stop = ps.length;
      const threshold = stop === 0 ? -1 : sorted[stop - 1]!;
      expect(holmAdjust(ps).map((p) => p <= 0.05)).toEqual(ps.map((p) => p <= threshold));
    }
  });
});

describe("two-sample and t tests", () => {
  it("the paired t test is one-sided and mirrors for non-inferiority", () => {
    const diffs = momentsOf([-0.1, -0.2, 0, -0.1, -0.15, -0.05, -0.1, -0.2]);
    const below = tTest(diffs, 0).pValue;
    expect(below).toBeLessThan(0.002);
    expect(below + tTest(diffs, 0, "not-below").pValue).toBeCloseTo(1, 12);
    expect(tTest(diffs, 0.3).pValue).toBeGreaterThan(0.99); // a fall of 0.11 is within a margin of 0.3
    expect(tTest(momentsOf([0, 0, 0]), 0).pValue).toBe(1);
    expect(tTest(momentsOf([-0.5, -0.5]), 0.1).pValue).toBe(0);
  });

  it("Welch's t test and the Agresti–Caffo test give an interval around the difference and a one-sided p-value", () => {
    const welch = welchTest(momentsOf([0.8, 0.9, 0.85, 0.95, 0.7, 0.9]), momentsOf([0.5, 0.6, 0.55, 0.7, 0.4, 0.6]));
    expect(welch.diff).toBeCloseTo(3.35 / 6 - 5.1 / 6, 12);
    expect(welch.low).toBeLessThan(welch.diff);
    expect(welch.high).toBeGreaterThan(welch.diff);
    expect(welch.high).toBeLessThan(0);
    expect(welch.pValue).toBeLessThan(0.001);
    const same = twoProportionTest({ successes: 80, n: 100 }, { successes: 80, n: 100 });
    expect(same.diff).toBe(0);
    expect(same.pValue).toBeCloseTo(0.5, 7);
    // All right before, all wrong after, on 10 items each: the plain Wald test has no variance here; this one does.
    const extreme = twoProportionTest({ successes: 10, n: 10 }, { successes: 0, n: 10 });
    expect(extreme.diff).toBe(-1);
    expect(extreme.pValue).toBeLessThan(1e-6);
    expect(extreme.pValue + twoProportionTest({ successes: 10, n: 10 }, { successes: 0, n: 10 }, 0, "not-below").pValue).toBeCloseTo(1, 12);
  });
});

describe("comparisons of a route's scores", () => {
  const options = { margin: 0.02, minItems: 10, seedText: "c/m/regression", confidence: 0.95, resamples: 2000 };
  const scores = (values: number[], prefix = "i") => new Map(values.map((v, i) => [`${prefix}${i}`, v]));

  it("pairs on the shared items when they are most of either side's, else compares two samples", () => {
    const before = scores(Array(40).fill(1));
    const after = scores([...Array(30).fill(1), ...Array(10).fill(0)]);
    expect(compareScores(before, after, options)).toMatchObject({ design: "paired", test: "exact-mcnemar", n: 40, losses: 10, gains: 0, before: 1, after: 0.75 });
    // Half the fresh items are new: still paired, on the 20 shared.
    const half = new Map([...[...after].slice(20), ...[...scores(Array(20).fill(0), "new")]]);
    expect(compareScores(before, half, options)).toMatchObject({ design: "paired", n: 20 });
    // A fresh run on other items entirely.
    const other = scores(Array(40).fill(1), "other");
    expect(compareScores(before, other, options)).toMatchObject({ design: "two-sample", test: "two-proportion-z", n: 40, beforeN: 40, diff: 0 });
    expect(compareScores(new Map(), after, options)).toBeNull();
  });

  it("reads its bootstrap interval lazily, seeded: the same inputs give the same interval", () => {
    const before = scores([...Array(30).fill(1), ...Array(10).fill(0)]);
    const after = scores([...Array(20).fill(1), ...Array(20).fill(0)]);
    const a = compareScores(before, after, options)!;
    const b = compareScores(before, after, options)!;
    expect([a.low, a.high]).toEqual([b.low, b.high]);
    expect(a.low).toBeLessThan(a.diff);
    expect(a.high).toBeGreaterThan(a.diff);
    expect(JSON.parse(JSON.stringify(a))).toMatchObject({ low: a.low, high: a.high });
  });

  it("tests against an absolute level with the exact binomial test", () => {
    const comparison = compareWithLevel(scores([...Array(12).fill(1), ...Array(8).fill(0)]), 0.9, { margin: 0.02, seedText: "x" })!;
    expect(comparison).toMatchObject({ design: "level", test: "exact-binomial", n: 20, before: 0.9, after: 0.6 });
    expect(comparison.pValue).toBeCloseTo(1 - binomialTailBySum(13, 20, 0.88), 12);
  });
});

describe("the per-item outcomes a routing file carries", () => {
  it("round-trip item ids of any kind, front-coded, in base64", () => {
    const ids = ["", "1", "10", "100", "11", "2", "a\u0000b", "item-00012", "item-00013", "x\"; */ globalThis.pwned = 1; //\u2028", "é", "日本語", "😀"].sort((a, b) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    const encoded = encodeItems(ids);
    expect(encoded.n).toBe(ids.length);
    expect(encoded.ids).toMatch(/^[A-Za-z0-9+/]*=*$/);
    expect(decodeItems(encoded)).toEqual(ids);
    expect(decodeItems(encodeItems([]))).toEqual([]);
  });

  it("are compact for the built-in default's kind of ids: about 3 bytes an item, 2 bits a pass/fail outcome", () => {
    const ids = Array.from({ length: 2000 }, (_, i) => String(70 + i)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const items = encodeItems(ids);
    expect(items.ids.length).toBeLessThan(2000 * 4.5);
    const outcomes = encodeOutcomes(ids, new Map(ids.map((id, i) => [id, i % 3 === 0 ? 0 : 1])));
    expect(outcomes.scale).toBe("pass-fail");
    expect(outcomes.data.length).toBe(Math.ceil(Math.ceil(2000 / 4) / 3) * 4);
  });

  it("round-trip pass/fail scores and unscored items exactly, and graded scores to 0.005", () => {
    const ids = Array.from({ length: 23 }, (_, i) => `q${String(i).padStart(2, "0")}`);
    const passFail = new Map(ids.filter((_, i) => i % 5 !== 0).map((id, i) => [id, i % 2]));
    expect(decodeOutcomes(ids, encodeOutcomes(ids, passFail))).toEqual(passFail);
    const graded = new Map(ids.filter((_, i) => i % 4 !== 0).map((id, i) => [id, (i * 0.137) % 1]));
    const encoded = encodeOutcomes(ids, graded);
    expect(encoded.scale).toBe("graded");
    const decoded = decodeOutcomes(ids, encoded);
    expect([...decoded.keys()]).toEqual([...graded.keys()]);
    for (const [id, score] of graded) expect(Math.abs(decoded.get(id)! - score)).toBeLessThanOrEqual(0.0025 + 1e-12);
    // Deterministic: the same scores, however the map was built, give the same text.
    expect(encodeOutcomes(ids, new Map([...graded].reverse()))).toEqual(encoded);
  });

  it("refuse damaged encodings rather than misread them", () => {
    const ids = ["a", "b", "c", "d", "e"];
    const good = encodeOutcomes(ids, new Map([["a", 1], ["c", 0]]));
    expect(() => decodeOutcomes(ids.slice(0, 3), good)).toThrow(/2 byte\(s\) of outcomes for 3 items/);
    expect(() => decodeOutcomes([...ids, "f", "g", "h", "i"], good)).toThrow(OutcomeDecodeError);
    expect(() => decodeOutcomes(ids, { ...good, data: "!!!!" })).toThrow(/not base64/);
    expect(() => decodeOutcomes(ids, { scale: "pass-fail", data: Buffer.from([0xff, 0]).toString("base64") })).toThrow(/outcome code that does not exist/);
    expect(() => decodeOutcomes(["a"], { scale: "pass-fail", data: Buffer.from([0b10000010]).toString("base64") })).toThrow(/outcomes past the last item/);
    expect(() => decodeOutcomes(["a"], { scale: "graded", data: Buffer.from([201]).toString("base64") })).toThrow(/above 200/);
    const items = encodeItems(["a", "b"]);
    expect(() => decodeItems({ ...items, n: 3 })).toThrow(/2 item id\(s\) where n is 3/);
    expect(() => decodeItems({ n: 2, ids: Buffer.from([0, 1, 98, 0, 1, 97]).toString("base64") })).toThrow(/not sorted/);
    expect(() => decodeItems({ n: 1, ids: Buffer.from([0, 5, 97]).toString("base64") })).toThrow(/cut off/);
    expect(() => decodeItems({ n: 1, ids: Buffer.from([0, 1, 0xff]).toString("base64") })).toThrow(/not valid UTF-8/);
  });
});
