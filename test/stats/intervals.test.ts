import { describe, expect, it } from "vitest";
import { bootstrapMeanInterval, quantileSorted, wilsonInterval } from "../../src/stats/intervals.js";

describe("stats", () => {
  it("Wilson interval matches the textbook values", () => {
    // 8/10 successes: Wilson 95 % interval is [0.4902, 0.9433].
    const w = wilsonInterval(8, 10)!;
    expect(w.low).toBeCloseTo(0.4902, 3);
    expect(w.high).toBeCloseTo(0.9433, 3);
    const all = wilsonInterval(20, 20)!;
    expect(all.high).toBe(1);
    expect(all.low).toBeCloseTo(0.8389, 3);
    expect(wilsonInterval(0, 0)).toBeNull();
  });

  it("bootstrap interval contains the mean, narrows with n, and is reproducible", () => {
    const small = [0.2, 0.9, 0.5, 0.7, 0.4, 0.8, 0.6, 0.3];
    const a = bootstrapMeanInterval(small, { seed: 7 })!;
    expect(a).toEqual(bootstrapMeanInterval(small, { seed: 7 }));
    expect(a.low).toBeLessThan(0.55);
    expect(a.high).toBeGreaterThan(0.55);
    const large = Array.from({ length: 400 }, (_, i) => small[i % small.length]!);
    const b = bootstrapMeanInterval(large, { seed: 7 })!;
    expect(b.high - b.low).toBeLessThan((a.high - a.low) / 4);
  });

  it("quantiles interpolate", () => {
    expect(quantileSorted([10, 20, 30, 40], 0.5)).toBe(25);
    expect(quantileSorted([10, 20, 30, 40], 0.95)).toBeCloseTo(38.5);
  });
});
