/**
 * promptfoo outputs of every version (test/fixtures/promptfoo/, written in the shapes promptfoo writes: version 3 with
 * several providers, an http and a file:// provider it has no price for, two prompts, --repeat 3; version 2 of 2023):
 * models keep the user's ids, items stay items, and promptfoo's "no price" is never a $0.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { ImportRequest } from "../../src/import/index.js";
import type { ResultRow } from "../../src/results/row.js";
import { tempDir } from "../routing/fixtures.js";
import { importInto } from "./helpers.js";

const PROMPTFOO = fileURLToPath(new URL("../fixtures/promptfoo/", import.meta.url));
const GPT = "openai:gpt-4o-mini";
const HTTP = "llama-local";
const PYTHON = "file://providers/rag_pipeline.py";

function importFile(file: string, request: Partial<ImportRequest> = {}) {
  return importInto({ file: file.includes("/") ? file : path.join(PROMPTFOO, file), format: "promptfoo", ...request });
}

function row(rows: ResultRow[], model: string, itemId: string): ResultRow {
  const found = rows.find((r) => r.model === model && r.itemId === itemId);
  if (!found) throw new Error(`no row ${model} × ${itemId}`);
  return found;
}

function withoutOrder(rows: ResultRow[]) {
  return [...rows].sort((a, b) => `${a.model} ${a.itemId}`.localeCompare(`${b.model} ${b.itemId}`));
}

describe("promptfoo version 3 with several providers", () => {
  it("names each model by its own label or id, never by its column", async () => {
    const { outcome } = await importFile("v3-three-providers.json", { selfHosted: [HTTP] });
    expect(outcome.models.map((m) => [m.id, m.provider, m.model, m.hosting])).toEqual([
      [GPT, "openai", "gpt-4o-mini", "cloud"],
      [HTTP, "http", "https://llm.internal.example/v1/generate", "self-hosted"],
      [PYTHON, "file", PYTHON, "cloud"],
    ]);
  });

  it("gives the same models, items and rows when the providers are listed in another order", async () => {
    const first = await importFile("v3-three-providers.json");
    const reordered = await importFile("v3-three-providers-reordered.json");
    expect(withoutOrder(reordered.rows)).toEqual(withoutOrder(first.rows));
    expect(reordered.outcome.models.map((m) => m.id).sort()).toEqual(first.outcome.models.map((m) => m.id).sort());
  });

  it("reads promptfoo's cost 0 (no price known) as unknown, and 0 tokens (no usage reported) as unknown", async () => {
    const { rows, outcome } = await importFile("v3-three-providers.json");
    const priced = row(rows, GPT, "test-0");
    expect(priced).toMatchObject({ inputTokens: 40, outputTokens: 6 });
    expect(priced.costUsd).toBeCloseTo(40 * 0.15e-6 + 6 * 0.6e-6, 12);
    expect(rows.filter((r) => r.model === HTTP).every((r) => r.costUsd === null && r.inputTokens !== null)).toBe(true);
    expect(rows.filter((r) => r.model === PYTHON).every((r) => r.costUsd === null && r.inputTokens === null && r.outputTokens === null)).toBe(true);
    expect(outcome.notes.join("\n")).toMatch(/llama-local: promptfoo recorded cost 0 for 10 answer\(s\) .*recorded as unknown, not free/);
  });

  it("keeps every score, category and error", async () => {
    const { rows, summary } = await importFile("v3-three-providers.json");
    expect(rows).toHaveLength(30);
    expect(row(rows, GPT, "test-3")).toMatchObject({ score: null, error: "API error: 429 Too Many Requests", category: "extraction" });
    expect(row(rows, HTTP, "test-1")).toMatchObject({ score: 0, passed: false, error: null });
    const cell = (model: string, category: string) => summary.cells.find((c) => c.model === model && c.category === category)!;
    expect([cell(GPT, "summary").mean, cell(HTTP, "summary").mean, cell(PYTHON, "extraction").mean]).toEqual([0.8, 0.4, 1]);
  });

  it("lets --map itemId=description name items by the tests' descriptions", async () => {
    const { rows } = await importFile("v3-three-providers.json", { columns: { itemId: "description" } });
    expect([...new Set(rows.map((r) => r.itemId))].sort()).toEqual([
      "extraction 1",
      "extraction 2",
      "extraction 3",
      "extraction 4",
      "extraction 5",
      "summary 10",
      "summary 6",
      "summary 7",
      "summary 8",
      "summary 9",
    ]);
  });

  it("refuses an item id that names two different tests", async () => {
    await expect(importFile("v3-three-providers.json", { columns: { itemId: "category" } })).rejects.toThrow(
      /item "extraction" names two different tests \(results\[0\] and results\[3\]\); choose a test variable whose value is unique per test with --map itemId=VAR/,
    );
  });

  it("refuses two providers under one name rather than mixing their answers", async () => {
    const data = JSON.parse(readFileSync(path.join(PROMPTFOO, "v3-three-providers.json"), "utf8"));
    for (const r of data.results.results) if (r.provider.label === HTTP) r.provider = { id: GPT, label: "" };
    const file = path.join(tempDir(), "same-id.json");
    writeFileSync(file, JSON.stringify(data));
    await expect(importFile(file)).rejects.toThrow(
      /two providers are both named "openai:gpt-4o-mini" \(promptfoo columns 0 and 1\); give each a distinct label/,
    );
  });
});

describe("promptfoo version 3 with two prompts", () => {
  it("suffixes a model with the prompt's label only when its provider answered several prompts", async () => {
    const { outcome, rows } = await importFile("v3-two-prompts.json");
    expect(outcome.models.map((m) => m.id)).toEqual([`${GPT}#terse`, `${GPT}#verbose`, `${HTTP}#terse`, `${HTTP}#verbose`]);
    expect(rows).toHaveLength(40);
  });
});

describe("promptfoo --repeat 3", () => {
  it("keeps the item as the unit: one row per item × model, the mean of its repeats, with the count", async () => {
    const { rows, outcome, summary } = await importFile("v3-repeat-3.json");
    expect(rows).toHaveLength(20);
    expect(outcome.items).toBe(10);
    expect(rows.every((r) => r.repeats === 3)).toBe(true);
    // llama-local on summary item 7 passes repeats 2 of (0, 1, 2): (7 + r) % 3 === 0
    expect(row(rows, HTTP, "test-7")).toMatchObject({ score: 1 / 3, passed: false, error: null, inputTokens: 47, outputTokens: 7 });
    // item 1's third repeat failed with an HTTP error: scored on the two others
    expect(row(rows, HTTP, "test-1")).toMatchObject({ score: 0, error: null });
    expect(summary.cells.find((c) => c.model === GPT && c.category === "extraction")).toMatchObject({ n: 5, mean: 1 });
    expect(outcome.notes.join("\n")).toMatch(/repeated answers to the same tests \(promptfoo --repeat\): 20 item × model row\(s\) from 3 answers each/);
    expect(outcome.notes.join("\n")).toMatch(/1 repeated answer\(s\) were errors/);
  });
});

describe("promptfoo version 2 (2023)", () => {
  it("reads providers from the prompts' display, and items in the table's order though results come in completion order", async () => {
    const { outcome, rows } = await importFile("v2-2023-two-providers.json", { selfHosted: ["localai:chat:vicuna"] });
    expect(outcome.models.map((m) => [m.id, m.provider, m.model, m.hosting])).toEqual([
      ["localai:chat:vicuna", "localai", "vicuna", "self-hosted"],
      ["openai:gpt-3.5-turbo", "openai", "gpt-3.5-turbo", "cloud"],
    ]);
    expect(rows).toHaveLength(20);
    const first = row(rows, "openai:gpt-3.5-turbo", "test-0");
    expect(first).toMatchObject({ category: "extraction", score: 1, output: "120.00", inputTokens: 40, costUsd: null });
    expect(row(rows, "openai:gpt-3.5-turbo", "test-7")).toMatchObject({ score: 0, passed: false, error: null });
    expect(row(rows, "localai:chat:vicuna", "test-9")).toMatchObject({ category: "summary", output: "weeks", score: 1 });
  });

  it("reads a file whose results name no provider at all: the config's one provider", async () => {
    const { outcome, rows } = await importFile("v2-2023-one-provider.json");
    expect(outcome.models.map((m) => m.id)).toEqual(["openai:gpt-3.5-turbo"]);
    expect(rows).toHaveLength(10);
    expect(row(rows, "openai:gpt-3.5-turbo", "test-2")).toMatchObject({ output: "Acme GmbH" });
  });

  it("reads a file whose results carry a provider field", async () => {
    const { rows } = await importFile("v2-2023-provider-field.json");
    const plain = await importFile("v2-2023-two-providers.json");
    expect(withoutOrder(rows)).toEqual(withoutOrder(plain.rows));
  });
});

describe("an empty promptfoo file", () => {
  it("is refused: it holds no results", async () => {
    const data = JSON.parse(readFileSync(path.join(PROMPTFOO, "v3-three-providers.json"), "utf8"));
    data.results.results = [];
    const file = path.join(tempDir(), "empty.json");
    writeFileSync(file, JSON.stringify(data));
    await expect(importFile(file)).rejects.toThrow(/empty\.json: holds no results \(results\.results is empty\)/);
  });
});
