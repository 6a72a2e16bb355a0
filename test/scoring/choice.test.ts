import { describe, expect, it } from "vitest";
import { choice, extractChoice } from "../../src/scoring/choice.js";
import { item } from "./item.js";

describe("extractChoice", () => {
  it.each([
    ["C", "C"],
    ["(C)", "C"],
    ["**C**", "C"],
    ["c", "C"],
    ["C.", "C"],
    ["Answer: C", "C"],
    ["The answer is (C).", "C"],
    ["**Final answer:** **D**", "D"],
    ["The correct answer is option B because it balances cost.", "B"],
    ["C) 42, since 6 × 7 = 42", "C"],
    ["B. Paris is the capital.", "B"],
    ["I would go with option E here.", "E"],
    ["the answer is: d", "D"],
    ["The correct answer is **B) 42**", "B"],
    ["Answer:\n\nD", "D"],
    ["The answer is A, not B.", "A"],
    ["Between A and C, I would pick C.", "C"],
  ])("%j → %s", (text, letter) => {
    expect(extractChoice(text)).toBe(letter);
  });

  it("takes the last explicit statement in chain-of-thought text", () => {
    const text = [
      "Let's think step by step. (A) is wrong because the rate is monthly.",
      "If the answer were (D), the total would be negative, so the answer is not D.",
      "At first I thought the answer is A, but re-checking the units:",
      "The answer is (B).",
    ].join("\n");
    expect(extractChoice(text)).toBe("B");
  });

  it("does not read an article or pronoun as a letter when something better exists", () => {
    expect(extractChoice("A good question. I think it is B")).toBe("B");
    expect(extractChoice("A careful reading shows (C) fits")).toBe("C");
    expect(extractChoice("I believe the answer is a tricky one: option D")).toBe("D");
  });

  it("falls back to a standalone letter only when nothing better exists", () => {
    expect(extractChoice("A good question")).toBe("A");
    expect(extractChoice("No idea, sorry")).toBeUndefined();
    expect(extractChoice("I cannot decide.")).toBeUndefined();
  });

  it("ignores letters inside words", () => {
    expect(extractChoice("Absolutely, Because")).toBeUndefined();
  });

  it("respects custom choices", () => {
    expect(extractChoice("The answer is 3", "1234")).toBe("3");
    expect(extractChoice("The answer is (E)", "ABCD")).toBeUndefined();
  });
});

describe("choice", () => {
  it("scores 1 when the chosen letter equals expected (any case)", () => {
    expect(choice("Reasoning…\nThe answer is (B).", item({ type: "choice" }, "b"), {}).score).toBe(1);
  });

  it("scores 0 with the chosen letter in the reason", () => {
    const result = choice("Answer: A", item({ type: "choice" }, "B"), {});
    expect(result).toEqual({ score: 0, reason: "chose A, expected B" });
  });

  it("scores 0 when no letter can be found", () => {
    const result = choice("I cannot decide.", item({ type: "choice" }, "B"), {});
    expect(result.score).toBe(0);
    expect(result.reason).toMatch(/no choice found/);
  });
});
