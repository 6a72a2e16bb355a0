import { describe, expect, it } from "vitest";
import { holmAdjust } from "../../src/stats/multiple-comparisons.js";
import { seededRandom } from "../../src/stats/random.js";

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
