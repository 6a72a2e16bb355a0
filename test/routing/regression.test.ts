import { describe, expect, it } from "vitest";
import { decodeItems, decodeOutcomes, encodeItems, encodeOutcomes, OutcomeDecodeError } from "../../src/routing/outcomes.js";
import { compareScores, compareWithLevel } from "../../src/routing/regression.js";
import { binomialTailBySum } from "../helpers/binomial.js";

describe("comparisons of a route's scores", () => {
  const options = { margin: 0.02, minItems: 10, seedText: "c/m/regression", confidence: 0.95, resamples: 2000 };
  const scores = (values: number[], prefix = "i") => new Map(values.map((v, i) => [`${prefix}${i}`, v]));

  it("pairs on the shared items when they are most of either side's, else compares two samples", () => {
    const before = scores(Array(40).fill(1));
    const after = scores([...Array(30).fill(1), ...Array(10).fill(0)]);
    expect(compareScores(before, after, options)).toMatchObject({
      design: "paired",
      test: "exact-mcnemar",
      n: 40,
      losses: 10,
      gains: 0,
      before: 1,
      after: 0.75,
    });
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
    const ids = ["", "1", "10", "100", "11", "2", "a\u0000b", "item-00012", "item-00013", 'x"; */ globalThis.pwned = 1; //\u2028', "é", "日本語", "😀"].sort(
      (a, b) => (a < b ? -1 : a > b ? 1 : 0),
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
    const good = encodeOutcomes(
      ids,
      new Map([
        ["a", 1],
        ["c", 0],
      ]),
    );
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
