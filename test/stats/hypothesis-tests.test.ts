import { describe, expect, it } from "vitest";
import { binomialUpperTail, normalCdf, studentTCdf } from "../../src/stats/distributions.js";
import { binomialAgainstLevel, mcNemarExact, momentsOf, tTest, twoProportionTest, welchTest } from "../../src/stats/hypothesis-tests.js";
import { seededRandom } from "../../src/stats/random.js";
import { binomialTailBySum } from "../helpers/binomial.js";

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
    expect(studentTCdf(2.086, 20)).toBeCloseTo(0.975, 4);
    expect(studentTCdf(1.5, 1e6)).toBeCloseTo(normalCdf(1.5), 5);
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
