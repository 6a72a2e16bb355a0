import { describe, expect, it } from "vitest";
import { regex } from "../../src/scoring/regex.js";
import { item } from "./item.js";

const score = (output: string, options: Record<string, unknown>, expected?: unknown) => regex(output, item({ type: "regex", ...options }, expected), options);

describe("regex", () => {
  it("matches pattern case-insensitively by default", () => {
    expect(score("Order #A-1234 shipped", { pattern: "#a-\\d{4}" }).score).toBe(1);
    expect(score("Order shipped", { pattern: "#a-\\d{4}" }).score).toBe(0);
  });

  it("uses expected as the pattern when none is given", () => {
    expect(score("2024-05-01", {}, "^\\d{4}-\\d{2}-\\d{2}$").score).toBe(1);
    expect(score("May 1st", {}, "^\\d{4}-\\d{2}-\\d{2}$").score).toBe(0);
  });

  it("honours flags", () => {
    expect(score("ABC", { pattern: "abc", flags: "" }).score).toBe(0);
    expect(score("x\nabc", { pattern: "^abc$", flags: "m" }).score).toBe(1);
  });

  it("is stateless with the g flag", () => {
    const options = { pattern: "abc", flags: "gi" };
    expect([1, 2, 3].map(() => score("abc", options).score)).toEqual([1, 1, 1]);
  });

  it("mustNotMatch inverts", () => {
    const options = { pattern: "[\\w.]+@[\\w.]+", mustNotMatch: true };
    expect(score("Email: [REDACTED]", options).score).toBe(1);
    const result = score("Email: jane@example.com", options);
    expect(result.score).toBe(0);
    expect(result.reason).toContain("forbidden");
  });

  it("scores an invalid pattern 0 with a reason instead of throwing", () => {
    const result = score("anything", { pattern: "(unclosed" });
    expect(result.score).toBe(0);
    expect(result.reason).toMatch(/invalid pattern/);
  });
});
