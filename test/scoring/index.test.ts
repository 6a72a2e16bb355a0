import { describe, expect, it } from "vitest";
import type { DatasetItem, ScorerSpec } from "../../src/dataset/types.js";
import { needsJudge, SCORER_NAMES, scoreOutput, validateScorer } from "../../src/scoring/index.js";
import { item } from "./item.js";

describe("scoreOutput", () => {
  it("dispatches on the item's scorer type with its options", async () => {
    expect(await scoreOutput("The answer is (C).", item({ type: "choice" }, "C"))).toEqual({ score: 1 });
    expect((await scoreOutput("3.14", item({ type: "number", tolerance: 0.01 }, Math.PI))).score).toBe(1);
    expect((await scoreOutput("3.14", item({ type: "number" }, Math.PI))).score).toBe(0);
    expect((await scoreOutput("paris", item({ type: "exact" }, "Paris"))).score).toBe(1);
  });

  it("passes a JudgeContext to judge items and throws without one", async () => {
    const judged = item({ type: "judge" }, undefined, { rubric: "Be polite." });
    const context = { askJudge: async () => "Polite.\nSCORE: 8" };
    expect((await scoreOutput("Thanks!", judged, context)).score).toBeCloseTo(0.8);
    await expect(scoreOutput("Thanks!", judged)).rejects.toThrow(/judge/);
  });

  it("throws for a type it cannot score", async () => {
    await expect(scoreOutput("x", item({ type: "bleu" }, "x"))).rejects.toThrow(/unknown scorer type "bleu"/);
  });
});

describe("validateScorer", () => {
  it("accepts well-formed scorers", () => {
    expect(validateScorer(item({ type: "exact" }, "Paris"))).toBeUndefined();
    expect(validateScorer(item({ type: "contains", forbidden: ["a@b.c"] }))).toBeUndefined();
    expect(validateScorer(item({ type: "regex", pattern: "^\\d+$", flags: "m" }))).toBeUndefined();
    expect(validateScorer(item({ type: "choice", choices: "ABCD" }, "d"))).toBeUndefined();
    expect(validateScorer(item({ type: "number", tolerance: 0.5, threshold: 1 }, "1,000"))).toBeUndefined();
    expect(validateScorer(item({ type: "json", schema: { type: "object" }, required: ["a.b"] }))).toBeUndefined();
    expect(validateScorer(item({ type: "judge" }, undefined, { rubric: "Be kind." }))).toBeUndefined();
  });

  it.each<[string, DatasetItem, string]>([
    ["unknown type", item({ type: "bleu" }), `unknown scorer type "bleu"; known: ${SCORER_NAMES.join(", ")}`],
    ["misspelt type", item({ type: "exatc" }, "x"), 'unknown scorer type "exatc"; did you mean "exact"?'],
    ["no scorer", item({ type: "none" }), "no scorer: give expected, a rubric or a scorer"],
    ["exact without expected", item({ type: "exact" }), "exact needs expected: a string or a list of strings"],
    ["f1 with an object", item({ type: "f1" }, { a: 1 }), "f1 needs expected: a string or a list of strings"],
    ["number with text", item({ type: "number" }, "twelve"), "number needs expected: a number or a numeric string"],
    ["choice out of range", item({ type: "choice", choices: "ABCD" }, "E"), "choice needs expected: one of the letters ABCD"],
    ["contains with nothing", item({ type: "contains" }), "contains needs values, expected (a string or a list of strings) or forbidden"],
    ["regex without pattern", item({ type: "regex" }), "regex needs pattern (or expected as the pattern string)"],
    ["judge without rubric", item({ type: "judge" }), "judge needs a rubric (the item's rubric or the scorer's rubric option) or expected"],
    ["bad option type", item({ type: "number", tolerance: "0.1" }, 1), "number option tolerance must be a non-negative number"],
    ["bad mode", item({ type: "contains", mode: "some" }, "x"), 'contains option mode must be "all" or "any"'],
    ["bad list", item({ type: "json", required: "a" }), "json option required must be a list of non-empty strings"],
    ["bad threshold", item({ type: "f1", threshold: 2 }, "x"), "f1 option threshold must be a number from 0 to 1"],
    ["misspelt option", item({ type: "number", tolerence: 0.1 }, 1), 'unknown option "tolerence" for scorer number; did you mean "tolerance"?'],
    [
      "snake_case option",
      item({ type: "exact", case_sensitive: true }, "x"),
      'unknown option "case_sensitive" for scorer exact; did you mean "caseSensitive"?',
    ],
    ["unknown option", item({ type: "number", margin: 0.1 }, 1), 'unknown option "margin" for scorer number; known: tolerance, relTolerance, threshold'],
  ])("%s", (_, badItem, message) => {
    expect(validateScorer(badItem)).toBe(message);
  });

  it.each(["constructor", "toString", "__proto__", "hasOwnProperty"])("refuses %s: a name an object has, not a scorer", (type) => {
    expect(validateScorer(item({ type }, "x"))).toMatch(new RegExp(`^unknown scorer type "${type}"`));
    expect(needsJudge(item({ type }, "x"))).toBe(false);
  });

  it("refuses an option named like an object's own property", () => {
    expect(validateScorer(item({ type: "exact", constructor: true } as unknown as ScorerSpec, "x"))).toMatch(/^unknown option "constructor" for scorer exact/);
  });

  it("reports an invalid regex and an invalid JSON schema", () => {
    expect(validateScorer(item({ type: "regex", pattern: "(unclosed" }))).toMatch(/^invalid regex \/\(unclosed\/i: /);
    expect(validateScorer(item({ type: "regex", pattern: "a", flags: "q" }))).toMatch(/^invalid regex \/a\/q: /);
    expect(validateScorer(item({ type: "json", schema: { type: "nonsense" } }))).toMatch(/^invalid JSON schema: /);
  });
});

describe("needsJudge / SCORER_NAMES", () => {
  it("knows which items need the judge", () => {
    expect(needsJudge(item({ type: "judge" }))).toBe(true);
    expect(needsJudge(item({ type: "exact" }, "x"))).toBe(false);
  });

  it("lists every scorer", () => {
    expect([...SCORER_NAMES].sort()).toEqual(["choice", "contains", "exact", "f1", "json", "judge", "number", "regex"]);
  });
});
