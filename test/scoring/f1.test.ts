import { describe, expect, it } from "vitest";
import { f1, f1Tokens, tokenF1 } from "../../src/scoring/f1.js";
import { item } from "./item.js";

describe("f1Tokens", () => {
  it("lower-cases and drops punctuation and articles", () => {
    expect(f1Tokens("The Eiffel Tower, in an old city!")).toEqual(["eiffel", "tower", "in", "old", "city"]);
  });
});

describe("tokenF1", () => {
  it("computes precision/recall F1 with repeated tokens counted once each", () => {
    // predicted x x y, gold x y z: common x, y → precision = recall = 2/3.
    expect(tokenF1(["x", "x", "y"], ["x", "y", "z"])).toBeCloseTo(2 / 3);
    expect(tokenF1([], [])).toBe(1);
    expect(tokenF1(["x"], [])).toBe(0);
  });
});

describe("f1", () => {
  it("is 1 for the same answer up to articles and punctuation", () => {
    expect(f1("The Eiffel Tower.", item({ type: "f1" }, "eiffel tower"), {}).score).toBe(1);
  });

  it("is graded for a partial overlap", () => {
    // predicted: in paris france (3); gold: paris (1): P = 1/3, R = 1 → F1 = 0.5.
    const result = f1("in Paris, France", item({ type: "f1" }, "Paris"), {});
    expect(result.score).toBeCloseTo(0.5);
    expect(result.reason).toBe("token F1 0.50");
  });

  it("takes the best of several references", () => {
    const references = ["Denver Broncos", "Broncos"];
    expect(f1("the Broncos", item({ type: "f1" }, references), {}).score).toBe(1);
  });

  it("is 0 with no overlap", () => {
    expect(f1("Lyon", item({ type: "f1" }, "Paris"), {}).score).toBe(0);
  });
});
