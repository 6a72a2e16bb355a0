import { describe, expect, it } from "vitest";
import { compileSchema, extractJson, getPath, json } from "../../src/scoring/json.js";
import { item } from "./item.js";

const score = (output: string, options: Record<string, unknown>, expected?: unknown) => json(output, item({ type: "json", ...options }, expected), options);

describe("extractJson", () => {
  it("reads an answer of many fence openings on one line in linear time", () => {
    const started = performance.now();
    expect(extractJson("```x".repeat(50_000))).toBeUndefined();
    expect(extractJson(`${"```x".repeat(50_000)}\n\`\`\`json\n{"a": 1}\n\`\`\``)).toEqual({ value: { a: 1 } });
    // Each opening used to scan to the end of the line: 5.6 s for 100,000 characters here.
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it("parses plain JSON, a fenced block and the first balanced object in prose", () => {
    expect(extractJson(' {"a": 1} ')).toEqual({ value: { a: 1 } });
    expect(extractJson('Here you go:\n```json\n{"name": "Ada", "tags": ["x"]}\n```\nAnything else?')).toEqual({
      value: { name: "Ada", tags: ["x"] },
    });
    expect(extractJson('Sure! {"note": "a } inside a string", "n": [1, 2]} Hope it helps {')).toEqual({
      value: { note: "a } inside a string", n: [1, 2] },
    });
    expect(extractJson("The list is [1, 2, 3].")).toEqual({ value: [1, 2, 3] });
  });

  it("skips a non-JSON brace group and keeps looking", () => {
    expect(extractJson('Use {curly} braces: {"ok": true}')).toEqual({ value: { ok: true } });
  });

  it("returns undefined for text with no JSON", () => {
    expect(extractJson("no json {here")).toBeUndefined();
  });
});

describe("getPath", () => {
  it("walks objects and arrays by dotted path", () => {
    const value = { a: { b: [{ c: 3 }] } };
    expect(getPath(value, "a.b.0.c")).toBe(3);
    expect(getPath(value, "a.x")).toBeUndefined();
    expect(getPath(value, "a.b.c.d")).toBeUndefined();
  });
});

describe("json", () => {
  it("scores 0 when the answer is not JSON", () => {
    const result = score("I'd rather not.", { required: ["a"] });
    expect(result.score).toBe(0);
    expect(result.reason).toMatch(/^not JSON/);
  });

  it("is graded by the share of required fields and equals checks passed", () => {
    const output = '```json\n{"name": "Ada Lovelace", "address": {"city": "London"}, "year": 1843}\n```';
    const options = { required: ["name", "address.city", "email"], equals: { year: 1843, "address.city": "london." } };
    const result = score(output, options);
    expect(result.score).toBeCloseTo(4 / 5);
    expect(result.reason).toBe("missing email");
  });

  it("reports a wrong value with the path", () => {
    const result = score('{"year": 1842}', { equals: { year: 1843 } });
    expect(result).toEqual({ score: 0, reason: "year: got 1842, expected 1843" });
  });

  it("validates a JSON schema and lists what failed", () => {
    const schema = {
      type: "object",
      required: ["name", "age"],
      properties: { name: { type: "string" }, age: { type: "integer", minimum: 0 } },
    };
    expect(score('{"name": "Ada", "age": 36}', { schema }).score).toBe(1);
    const result = score('{"name": "Ada", "age": "thirty-six"}', { schema });
    expect(result.score).toBe(0);
    expect(result.reason).toContain("/age must be integer");
  });

  it("compiles each schema once", () => {
    const schema = { type: "array", items: { type: "number" } };
    expect(compileSchema(schema)).toBe(compileSchema(schema));
    expect(compileSchema({ ...schema })).toBe(compileSchema(schema));
  });

  it("returns the compile error for an invalid schema", () => {
    expect(compileSchema({ type: "nonsense" })).toBeInstanceOf(Error);
    expect(compileSchema({ type: "string", pattern: "(unclosed" })).toBeInstanceOf(Error);
  });

  it("checks schema patterns and patternProperties, each with its own pattern", () => {
    const schema = {
      type: "object",
      properties: { code: { type: "string", pattern: "^[A-Z]{3}$" }, year: { type: "string", pattern: "^\\d{4}$" } },
      patternProperties: { "^x-": { type: "number" } },
    };
    expect(score('{"code": "ABC", "year": "2024", "x-n": 1}', { schema }).score).toBe(1);
    expect(score('{"code": "2024", "year": "ABC"}', { schema }).reason).toMatch(/\/code must match pattern.*\/year must match/);
    expect(score('{"code": "ABC", "x-n": "one"}', { schema }).reason).toContain("/x-n must be number");
  });

  it("stops a schema pattern that backtracks catastrophically, naming it, instead of hanging", () => {
    const schema = { type: "object", properties: { code: { type: "string", pattern: "^(a+)+$" } } };
    expect(() => score(JSON.stringify({ code: `${"a".repeat(40)}!` }), { schema })).toThrow(
      "regex /^(a+)+$/ took longer than 1000 ms on this answer (catastrophic backtracking?); simplify the pattern",
    );
  }, 20_000);

  it("deep-compares with an object expected when no checks are given (key order and string case ignored)", () => {
    const expected = { city: "Paris", tags: ["a", "b"] };
    expect(score('{"tags": ["A", "b"], "city": "paris"}', {}, expected).score).toBe(1);
    expect(score('{"tags": ["a"], "city": "Paris"}', {}, expected).score).toBe(0);
    expect(score('{"tags": ["a", "b"], "city": "Paris", "extra": 1}', {}, expected).score).toBe(0);
  });

  it("passes any parseable JSON when there is nothing to check", () => {
    expect(score("[]", {}).score).toBe(1);
  });
});
