import { describe, expect, it } from "vitest";
import { exact } from "../../src/scoring/exact.js";
import { normalizeAnswer } from "../../src/scoring/normalize.js";
import { item } from "./item.js";

const score = (output: string, expected: unknown, options: Record<string, unknown> = {}) =>
  exact(output, item({ type: "exact", ...options }, expected), options);

describe("exact", () => {
  it("ignores case, surrounding whitespace, quotes, backticks and trailing punctuation", () => {
    expect(score("  paris. ", "Paris").score).toBe(1);
    expect(score('"Paris".', "Paris").score).toBe(1);
    expect(score("`Paris!`", "paris").score).toBe(1);
    expect(score("New   York\n", "new york").score).toBe(1);
  });

  it("applies Unicode NFKC (full-width letters, ligatures)", () => {
    expect(score("ＰＡＲＩＳ", "Paris").score).toBe(1);
    expect(score("ﬁle", "file").score).toBe(1);
  });

  it("accepts any of a list of answers and numbers as expected", () => {
    expect(score("NYC", ["New York", "NYC"]).score).toBe(1);
    expect(score("42", 42).score).toBe(1);
  });

  it("fails a different answer, with a reason", () => {
    const result = score("Lyon", "Paris");
    expect(result.score).toBe(0);
    expect(result.reason).toContain("Paris");
    expect(result.reason).toContain("Lyon");
  });

  it("does not strip inner punctuation or accept a partial answer", () => {
    expect(score("Paris, France", "Paris").score).toBe(0);
    expect(score("3.14", "3.1").score).toBe(0);
  });

  it("honours caseSensitive", () => {
    expect(score("paris", "Paris", { caseSensitive: true }).score).toBe(0);
    expect(score("Paris.", "Paris", { caseSensitive: true }).score).toBe(1);
  });

  it("hides texts from the reason of a sensitive item", () => {
    const result = exact("jane@example.com", item({ type: "exact" }, "[REDACTED]", { sensitive: true }), {});
    expect(result.score).toBe(0);
    expect(result.reason).not.toContain("jane@example.com");
    expect(result.reason).not.toContain("REDACTED");
  });

  it("normalises nested quotes and punctuation repeatedly", () => {
    expect(normalizeAnswer("'\"Yes!\"'.")).toBe("yes");
  });
});
