import { describe, expect, it } from "vitest";
import { closestName, didYouMeanKey, editDistance, suggestName, unknownName } from "../src/suggest.js";

const MODEL_KEYS = [
  "id",
  "provider",
  "model",
  "hosting",
  "baseURL",
  "apiKeyEnv",
  "maxTokens",
  "temperature",
  "concurrency",
  "timeoutMs",
  "maxRetries",
  "price",
];

describe("closestName", () => {
  it.each([
    ["baseUrl", "baseURL"],
    ["base_url", "baseURL"],
    ["BASEURL", "baseURL"],
    ["max_tokens", "maxTokens"],
    ["max-tokens", "maxTokens"],
    ["concurency", "concurrency"],
    ["temprature", "temperature"],
    ["timeout_ms", "timeoutMs"],
    ["maxretries", "maxRetries"],
    ["api_key_env", "apiKeyEnv"],
    ["provdier", "provider"],
    ["modle", "model"],
    ["prices", "price"],
    ["timeout", "timeoutMs"],
    ["i", "id"],
  ])("%s → %s", (given, expected) => {
    expect(closestName(given, MODEL_KEYS)).toBe(expected);
  });

  it.each(["xyz", "endpoint", "url", "retries", "", "tokens"])("finds nothing close to %j", (given) => {
    expect(closestName(given, MODEL_KEYS)).toBeUndefined();
  });

  it("counts a swap of neighbours as one edit, and prefers the closest of several candidates", () => {
    expect(closestName("opneai", ["anthropic", "openai", "openai-compatible"])).toBe("openai");
    expect(closestName("exatc", ["exact", "contains", "regex"])).toBe("exact");
    expect(closestName("judeg", ["dataset", "models", "judge", "prices"])).toBe("judge");
    expect(closestName("llama_cpp", ["openai", "llama-cpp"])).toBe("llama-cpp");
    expect(closestName("cloud2", ["cloud", "cloud23"])).toBe("cloud");
  });
});

describe("editDistance", () => {
  it("is the optimal string alignment distance, cut off above the limit", () => {
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("ab", "ba")).toBe(1);
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("same", "same")).toBe(0);
    expect(editDistance("kitten", "sitting", 1)).toBe(2);
    expect(editDistance("a", "abcdef", 2)).toBe(3);
  });
});

describe("messages", () => {
  it("suggests a close name, else lists the known ones", () => {
    expect(unknownName("provider", "opneai", ["anthropic", "openai"])).toBe('unknown provider "opneai"; did you mean "openai"?');
    expect(unknownName("provider", "gemini", ["anthropic", "openai"])).toBe('unknown provider "gemini"; known: anthropic, openai');
    expect(suggestName("x", [])).toBe("there are none");
    const many = Array.from({ length: 30 }, (_, i) => `category-number-${i}`);
    expect(suggestName("zzz", many)).toMatch(/^known: category-number-0, .*category-number-19, … \(30 in all\)$/);
  });

  it("gives a key suggestion in backticks, or nothing", () => {
    expect(didYouMeanKey("temprature", MODEL_KEYS)).toBe("; did you mean `temperature`?");
    expect(didYouMeanKey("endpoint", MODEL_KEYS)).toBe("");
  });
});
