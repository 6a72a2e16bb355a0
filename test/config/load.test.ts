import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load.js";
import { InputError } from "../../src/errors.js";

function configIn(text: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), "modelpick-config-"));
  writeFileSync(path.join(dir, "modelpick.yaml"), text);
  return dir;
}

function errorOf(dir: string): string {
  try {
    loadConfig(undefined, dir);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }
  throw new Error("expected an InputError");
}

describe("loadConfig", () => {
  it("applies defaults, resolves paths and decides hosting", () => {
    const dir = configIn(`dataset: data/tasks.jsonl
models:
  - { id: a, provider: anthropic, model: claude-x }
  - { id: r, provider: recorded, file: answers.csv, hosting: self-hosted }
`);
    const config = loadConfig(undefined, dir);
    expect(config.datasets).toEqual([path.join(dir, "data/tasks.jsonl")]);
    expect(config.models[0]).toMatchObject({ hosting: "cloud", maxTokens: 512, temperature: 0, maxRetries: 4 });
    expect(config.models[1]).toMatchObject({ hosting: "self-hosted", file: path.join(dir, "answers.csv") });
    expect(config.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("names the file, line and field path of a bad value", () => {
    const dir = configIn(`dataset: t.jsonl
models:
  - { id: a, provider: openai, model: gpt }
  - { id: b, provider: openai, model: gpt }
  - id: c
    provider: openai-compatible
    model: llama
    hosting: self-hosted
    baseURL: not a url
`);
    expect(errorOf(dir)).toBe("modelpick.yaml:9: models[2].baseURL: expected a URL");
  });

  it("requires hosting for openai-compatible, and rejects unknown providers and duplicate ids", () => {
    expect(errorOf(configIn("dataset: t.jsonl\nmodels:\n  - { id: a, provider: openai-compatible, model: m, baseURL: 'http://x/v1' }\n"))).toMatch(
      /models\[0\]\.hosting: required for openai-compatible/,
    );
    expect(errorOf(configIn("dataset: t.jsonl\nmodels:\n  - { id: a, provider: cohere, model: m }\n"))).toMatch(/models\[0\]\.provider: unknown provider/);
    expect(errorOf(configIn("dataset: t.jsonl\nmodels:\n  - { id: a, provider: openai, model: m }\n  - { id: a, provider: openai, model: n }\n"))).toMatch(
      /models\[1\]\.id: "a" is already used by models\[0\]/,
    );
  });

  it("lists unknown keys first, one per line with its own line number, then the other problems", () => {
    const message = errorOf(
      configIn(`dataset: t.jsonl
models:
  - id: c
    provider: openai-compatible
    model: llama
    hosting: self-hosted
    baseUrl: http://localhost:8000/v1
    Concurrency: 2
`),
    );
    expect(message.split("\n")).toEqual([
      "modelpick.yaml:7: models[0].baseUrl: unknown key; did you mean `baseURL`?",
      "modelpick.yaml:8: models[0].Concurrency: unknown key; did you mean `concurrency`?",
      "modelpick.yaml:3: models[0].baseURL: required (string)",
    ]);
  });

  it("checks that the judge is a configured model, and reports invalid YAML with its line", () => {
    expect(errorOf(configIn("dataset: t.jsonl\njudge: nobody\nmodels:\n  - { id: a, provider: openai, model: m }\n"))).toBe(
      'modelpick.yaml:2: judge: unknown model id "nobody"; known: a (the judge must be one of the models)',
    );
    expect(errorOf(configIn("dataset: t.jsonl\nmodels:\n  - { id: a\n"))).toMatch(/^modelpick.yaml:\d+: invalid YAML/);
  });

  it("says how to fix a missing config", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "modelpick-empty-"));
    expect(errorOf(dir)).toMatch(/no modelpick.yaml in .*--config FILE/);
  });
});
