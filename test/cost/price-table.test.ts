import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { ResolvedModel } from "../../src/config/types.js";
import { InputError } from "../../src/errors.js";
import { loadPriceTable } from "../../src/cost/price-table.js";
import { describeFsError, isFsError } from "../../src/io/fs-errors.js";
import { costUsd } from "../../src/cost/price.js";
import { knownPrice, type PriceSources } from "../../src/cost/prices.js";

const SAMPLE = fileURLToPath(new URL("../fixtures/litellm-sample.json", import.meta.url));

function tempFile(name: string, text: string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "modelpick-prices-")), name);
  writeFileSync(file, text);
  return file;
}

function model(fields: Partial<ResolvedModel> & Pick<ResolvedModel, "id" | "provider">): ResolvedModel {
  return { hosting: "cloud", maxTokens: 512, temperature: 0, concurrency: 4, timeoutMs: 60_000, maxRetries: 4, ...fields } as ResolvedModel;
}

describe("LiteLLM import", () => {
  const table = loadPriceTable(SAMPLE);

  it("converts per-token prices to USD per million tokens", () => {
    expect(table.format).toBe("litellm");
    expect(table.lookup("claude-opus-4-6")).toMatchObject({
      inputPerMTok: 5,
      outputPerMTok: 25,
      cacheReadPerMTok: 0.5,
      cacheWritePerMTok: 6.25,
      cacheWrite1hPerMTok: 10,
    });
    expect(table.lookup("together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo")).toMatchObject({ inputPerMTok: 0.88, outputPerMTok: 0.88 });
  });

  it("reads batch prices and the long-context tier", () => {
    expect(table.lookup("gpt-4.1")).toMatchObject({ inputPerMTok: 2, outputPerMTok: 8, batchInputPerMTok: 1, batchOutputPerMTok: 4 });
    const sonnet = table.lookup("claude-sonnet-4-20250514")!;
    expect(sonnet.longContext).toEqual({ aboveInputTokens: 200_000, inputPerMTok: 6, outputPerMTok: 22.5, cacheReadPerMTok: 0.6, cacheWritePerMTok: 7.5 });
    // one 300k-token prompt with 1k output: 0.3 × 6 + 0.001 × 22.5
    expect(costUsd(sonnet, 300_000, 1000)).toBeCloseTo(1.8225, 9);
    expect(costUsd(sonnet, 100_000, 1000)).toBeCloseTo(0.315, 9);
  });

  it("answers to provider-prefixed names and LiteLLM's own provider keys", () => {
    expect(table.lookup("claude-opus-4-6", "anthropic")).toBeDefined();
    expect(table.lookup("anthropic/claude-opus-4-6")).toBeDefined();
    expect(table.lookup("together/meta-llama/Llama-3.3-70B-Instruct-Turbo")).toMatchObject({ inputPerMTok: 0.88 });
    expect(table.lookup("meta-llama/Llama-3.3-70B-Instruct-Turbo", "together")).toMatchObject({ inputPerMTok: 0.88 });
  });

  it("skips sample_spec and entries without a price, and labels figures with the file and its date", () => {
    expect(table.lookup("sample_spec")).toBeUndefined();
    expect(table.lookup("together_ai/Qwen/Qwen2.5-72B-Instruct-Turbo")).toBeUndefined();
    expect(table.size).toBe(5);
    expect(table.skipped).toBe(1);
    expect(table.lookup("gpt-4.1")?.source).toBe("LiteLLM litellm-sample.json");
    expect(table.lookup("gpt-4.1")?.date).toMatch(/^\d{4}-\d{2}-\d{2} \(file modified\)$/);
  });
});

describe("modelpick's own price format", () => {
  it("reads a YAML map with a file-level source and date, entries overriding them", () => {
    const file = tempFile(
      "prices.yaml",
      [
        "source: our Anthropic contract",
        "date: 2026-10-01",
        "prices:",
        "  claude-sonnet-4-6: { inputPerMTok: 2.4, outputPerMTok: 12 }",
        "  internal-llm: { inputPerMTok: 0.1, outputPerMTok: 0.2, source: chargeback sheet, date: 2026-11-01 }",
      ].join("\n"),
    );
    const table = loadPriceTable(file);
    expect(table.lookup("claude-sonnet-4-6")).toEqual({ inputPerMTok: 2.4, outputPerMTok: 12, source: "our Anthropic contract", date: "2026-10-01" });
    expect(table.lookup("internal-llm")).toMatchObject({ source: "chargeback sheet", date: "2026-11-01" });
  });

  it("reads a bare JSON map", () => {
    const table = loadPriceTable(tempFile("p.json", JSON.stringify({ "my-model": { inputPerMTok: 1, outputPerMTok: 2 } })));
    expect(table.lookup("my-model")).toMatchObject({ inputPerMTok: 1, outputPerMTok: 2, source: "p.json" });
  });

  it("names the file and field of a bad price", () => {
    const file = tempFile("bad.yaml", "prices:\n  m: { inputPerMTok: -1, outputPerMTok: 2 }\n");
    expect(() => loadPriceTable(file)).toThrow(InputError);
    expect(() => loadPriceTable(file)).toThrow(/bad\.yaml: m\.inputPerMTok/);
    expect(() => loadPriceTable(tempFile("x.json", "{ nope"))).toThrow(/not valid JSON/);
    // A missing file is a filesystem error: the CLI's boundary prints it as one line, exit 2.
    const missing = (() => {
      try {
        loadPriceTable("/no/such/prices.json");
      } catch (error) {
        return error;
      }
    })();
    expect(isFsError(missing) && describeFsError(missing)).toMatch(
      /^cannot read \/no\/such\/prices\.json: no such file or directory; check the prices file's path/,
    );
  });
});

describe("price precedence", () => {
  const table = loadPriceTable(SAMPLE);
  const withTable: PriceSources = { tables: [table] };
  const catalogOnly: PriceSources = { tables: [] };
  const priceOf = (m: ResolvedModel, sources = catalogOnly) => knownPrice({ model: m }, sources);

  it("prefers the model's own price:, then the user table, then the catalog", () => {
    const own = model({ id: "a", provider: "anthropic", model: "claude-opus-4-6", price: { inputPerMTok: 1, outputPerMTok: 2, date: "2026-11-01" } });
    expect(priceOf(own, withTable)).toMatchObject({ inputPerMTok: 1, source: "modelpick.yaml", date: "2026-11-01" });
    const fromTable = model({ id: "b", provider: "openai", model: "gpt-4.1" });
    expect(priceOf(fromTable, withTable)).toMatchObject({ inputPerMTok: 2, source: "LiteLLM litellm-sample.json" });
    const fromCatalog = model({ id: "c", provider: "anthropic", model: "claude-sonnet-4-6" });
    expect(priceOf(fromCatalog, withTable)).toMatchObject({ inputPerMTok: 3, date: "2026-02-17", catalogId: "anthropic/claude-sonnet-4-6" });
    expect(priceOf(fromCatalog)?.source).toMatch(/built-in catalog/);
  });

  it("finds a hosted open-weight price from the base URL's provider", () => {
    const groq = model({
      id: "g",
      provider: "openai-compatible",
      model: "llama-3.3-70b-versatile",
      baseURL: "https://api.groq.com/openai/v1",
    } as Partial<ResolvedModel> & Pick<ResolvedModel, "id" | "provider">);
    expect(priceOf(groq)).toMatchObject({ inputPerMTok: 0.59, outputPerMTok: 0.79 });
  });

  it("gives self-hosted models no catalog price, and unknown or ambiguous names none", () => {
    const local = model({ id: "l", provider: "llama-cpp", hosting: "self-hosted", model: "gpt-4o" } as never);
    expect(priceOf(local)).toBeNull();
    expect(priceOf(model({ id: "x", provider: "openai", model: "no-such-model" }))).toBeNull();
  });
});
