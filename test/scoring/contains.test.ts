import { describe, expect, it } from "vitest";
import { contains } from "../../src/scoring/contains.js";
import { item } from "./item.js";

const score = (output: string, options: Record<string, unknown>, expected?: unknown) =>
  contains(output, item({ type: "contains", ...options }, expected), options);

describe("contains", () => {
  it("mode all is graded by the share of values found", () => {
    const result = score("Paris is in France.", { values: ["paris", "france", "europe", "seine"] });
    expect(result.score).toBe(0.5);
    expect(result.reason).toContain("europe");
    expect(score("Paris, France, Europe", { values: ["paris", "france", "europe"] }).score).toBe(1);
  });

  it("mode any passes when one value is present", () => {
    expect(score("It is the Seine.", { values: ["Loire", "seine"], mode: "any" }).score).toBe(1);
    expect(score("It is the Rhine.", { values: ["Loire", "seine"], mode: "any" }).score).toBe(0);
  });

  it("defaults values to expected (string or list)", () => {
    expect(score("The capital is Paris", {}, "paris").score).toBe(1);
    expect(score("Paris and Lyon", {}, ["Paris", "Lyon", "Nice"]).score).toBeCloseTo(2 / 3);
  });

  it("is case-insensitive unless caseSensitive", () => {
    expect(score("PARIS", { values: ["Paris"] }).score).toBe(1);
    expect(score("PARIS", { values: ["Paris"], caseSensitive: true }).score).toBe(0);
  });

  it("scores 0 when a forbidden value appears (redaction check)", () => {
    const options = { values: ["[EMAIL]"], forbidden: ["jane.doe@example.com"] };
    expect(score("Contact: [EMAIL]", options).score).toBe(1);
    const leaked = score("Contact: [EMAIL] or Jane.Doe@example.com", options);
    expect(leaked.score).toBe(0);
    expect(leaked.reason).toContain("forbidden");
  });

  it("forbidden alone passes when nothing forbidden appears", () => {
    expect(score("Contact: [REDACTED]", { forbidden: ["555-0199"] }).score).toBe(1);
    expect(score("Call 555-0199", { forbidden: ["555-0199"] }).score).toBe(0);
  });

  it("matches across whitespace and Unicode width differences", () => {
    expect(score("New\n  York", { values: ["new york"] }).score).toBe(1);
    expect(score("ＡＰＩ key", { values: ["API"] }).score).toBe(1);
  });
});
