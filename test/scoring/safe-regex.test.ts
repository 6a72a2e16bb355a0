import { describe, expect, it } from "vitest";
import { REGEX_BUDGET_MS, RegexTimeoutError, SafeRegex } from "../../src/scoring/safe-regex.js";

const EVIL_ANSWER = `${"a".repeat(40)}!`;

describe("SafeRegex", () => {
  it("matches as RegExp does, flags included", () => {
    expect(new SafeRegex("^order #\\d+$", "im").test("Hi\nORDER #12")).toBe(true);
    expect(new SafeRegex("^order #\\d+$", "").test("Hi\nORDER #12")).toBe(false);
    expect(new SafeRegex("(\\w)\\1", "").test("hello")).toBe(true);
    expect(new SafeRegex("\\p{Lu}", "u").test("é")).toBe(false);
  });

  it("stops a catastrophically backtracking pattern after its budget, naming the pattern, then carries on", () => {
    const nested = new SafeRegex("^(a+)+$", "i");
    const started = performance.now();
    expect(() => nested.test(EVIL_ANSWER)).toThrow(RegexTimeoutError);
    expect(performance.now() - started).toBeLessThan(REGEX_BUDGET_MS * 5);
    expect(() => nested.test(EVIL_ANSWER)).toThrow(
      "regex /^(a+)+$/ took longer than 1000 ms on this answer (catastrophic backtracking?); simplify the pattern",
    );
    expect(nested.test("aaa")).toBe(true);
    expect(new SafeRegex("b", "").test("abc")).toBe(true);
  }, 20_000);

  it("refuses an invalid pattern as RegExp does", () => {
    expect(() => new SafeRegex("(unclosed", "i")).toThrow(SyntaxError);
  });

  it("prints as a distinct /pattern/flags (ajv keys a schema's patterns by it)", () => {
    expect(String(new SafeRegex("^a", "u"))).toBe("/^a/u");
  });
});
