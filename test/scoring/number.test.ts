import { describe, expect, it } from "vitest";
import { extractNumber, numberScorer, parseExpectedNumber } from "../../src/scoring/number.js";
import { item } from "./item.js";

const score = (output: string, expected: unknown, options: Record<string, unknown> = {}) =>
  numberScorer(output, item({ type: "number", ...options }, expected), options);

describe("extractNumber", () => {
  it.each([
    ["The total is $1,234.50.", 1234.5],
    ["42", 42],
    ["-3", -3],
    ["The temperature dropped to −12 degrees.", -12],
    ["That is 1e3 grams", 1000],
    ["Half of 3/2 is 3/4", 0.75],
    ["It went from 10 to 12 units", 12],
    ["Cases of COVID-19 rose", 19],
    ["x = -7", -7],
  ])("%j → %d", (text, value) => {
    expect(extractNumber(text)?.[0]).toBe(value);
  });

  it("prefers the number after 'answer' over later numbers", () => {
    expect(extractNumber("The answer is 12, because 6 is half of it.")?.[0]).toBe(12);
    expect(extractNumber("Step 1: 3 + 4 = 7.\nStep 2: 7 * 2 = 14.\nFinal answer: **14** apples (from 2 trees)")?.[0]).toBe(14);
  });

  it("prefers a number after = or 'is' in the last sentence with a number", () => {
    expect(extractNumber("Each box weighs 4 kg. So 3 boxes weigh 12 kg.")?.[0]).toBe(12);
    expect(extractNumber("We need 5 * 8. 5 * 8 = 40 (from 5 rows)")?.[0]).toBe(40);
  });

  it("reads a percentage as either the number or the fraction", () => {
    expect(extractNumber("Growth was 45%")).toEqual([45, 0.45]);
  });

  it("returns undefined without a number", () => {
    expect(extractNumber("no digits here")).toBeUndefined();
  });
});

describe("parseExpectedNumber", () => {
  it("accepts numbers and numeric strings", () => {
    expect(parseExpectedNumber(3)).toBe(3);
    expect(parseExpectedNumber("1,234.5")).toBe(1234.5);
    expect(parseExpectedNumber("3/4")).toBe(0.75);
    expect(parseExpectedNumber("$12")).toBe(12);
    expect(parseExpectedNumber("twelve")).toBeUndefined();
    expect(parseExpectedNumber("12 apples")).toBeUndefined();
  });
});

describe("numberScorer", () => {
  it("passes the right total with currency and thousands separators", () => {
    expect(score("The total is $1,234.50.", 1234.5).score).toBe(1);
    expect(score("The total is $1,234.50.", "1234.50").score).toBe(1);
  });

  it("fails a wrong number with a reason", () => {
    const result = score("The total is $1,234.", 1234.5);
    expect(result.score).toBe(0);
    expect(result.reason).toBe("got 1234, expected 1234.5");
  });

  it("uses absolute and relative tolerance", () => {
    expect(score("3.14", Math.PI).score).toBe(0);
    expect(score("3.14", Math.PI, { tolerance: 0.01 }).score).toBe(1);
    expect(score("1010", 1000, { relTolerance: 0.02 }).score).toBe(1);
    expect(score("1030", 1000, { relTolerance: 0.02 }).score).toBe(0);
  });

  it("matches a percentage against a fraction or a percent", () => {
    expect(score("The margin is 45%.", 0.45).score).toBe(1);
    expect(score("The margin is 45%.", 45).score).toBe(1);
  });

  it("scores 0 when the answer has no number", () => {
    expect(score("I don't know", 5)).toEqual({ score: 0, reason: 'no number in "I don\'t know"' });
  });
});
