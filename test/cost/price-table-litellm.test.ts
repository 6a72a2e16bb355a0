/**
 * A real LiteLLM `model_prices_and_context_window.json` (trimmed, test/fixtures/litellm/, MIT) grown to full size:
 * gateway entries share first-party names, and a name is priced from the entry the user means or said to be ambiguous.
 */
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { ResolvedModel } from "../../src/config/types.js";
import { loadPriceTable } from "../../src/cost/price-table.js";
import { costUsd } from "../../src/cost/price.js";
import { knownPrice, lookupPrice, requirePrice } from "../../src/cost/prices.js";
import { REAL_SIZE, TRIMMED, realSizeFile, tempDir, type Entry } from "./price-table-fixture.js";

function model(fields: Partial<ResolvedModel> & Pick<ResolvedModel, "id" | "provider">): ResolvedModel {
  return { hosting: "cloud", maxTokens: 512, temperature: 0, concurrency: 4, timeoutMs: 60_000, maxRetries: 4, ...fields } as ResolvedModel;
}

describe("a real-size LiteLLM file", () => {
  const file = realSizeFile();
  const raw = JSON.parse(readFileSync(file, "utf8")) as Record<string, Entry>;
  const table = loadPriceTable(file);

  it("is real size, and every entry with a chat price per token is reached by its own key", () => {
    expect(Object.keys(raw).length).toBeGreaterThanOrEqual(REAL_SIZE);
    const unreachable = Object.entries(raw)
      .filter(([key, e]) => key !== "sample_spec" && ["chat", "completion", "responses"].includes(String(e.mode)))
      .filter(([, e]) => typeof e.input_cost_per_token === "number" && typeof e.output_cost_per_token === "number")
      .filter(([key, e]) => table.lookup(key)?.inputPerMTok !== Number(((e.input_cost_per_token as number) * 1e6).toPrecision(12)));
    expect(unreachable.map(([key]) => key)).toEqual([]);
  });

  it.each([
    ["gpt-4o", 2.5, 10],
    ["gpt-5.5", 5, 30],
    ["claude-sonnet-4-6", 3, 15],
    ["gemini-2.5-pro", 1.25, 10],
    ["deepseek-chat", 0.28, 0.42],
    ["gpt-4-0613", 30, 60],
    ["claude-opus-4-5", 5, 25],
    ["claude-haiku-4-5", 1, 5],
    ["gpt-4.1", 2, 8],
    ["gemini/gemini-flash-latest", 0.3, 2.5],
  ])("prices %s from its own first-party entry, not a gateway's", (name, input, output) => {
    const found = table.find(name);
    expect(found).toMatchObject({ key: name, price: { inputPerMTok: input, outputPerMTok: output, source: "LiteLLM model_prices_and_context_window.json" } });
  });

  it("gives a gateway entry only its own key: no bare or maker-qualified alias", () => {
    expect(table.find("azure/gpt-4o")).toMatchObject({ key: "azure/gpt-4o" });
    expect(table.find("openrouter/openai/gpt-4o")).toMatchObject({ key: "openrouter/openai/gpt-4o" });
    // openai/gpt-4o is the first-party entry's qualified name, not openrouter's entry without its prefix
    expect(table.find("openai/gpt-4o")).toMatchObject({ key: "gpt-4o", price: { inputPerMTok: 2.5 } });
    expect(table.find("openai/gpt-5.5")).toMatchObject({ key: "gpt-5.5", price: { inputPerMTok: 5 } });
    expect(table.find("anthropic/claude-sonnet-4-6")).toMatchObject({ key: "claude-sonnet-4-6" });
    // a maker's prefixed entry answers to its bare name, when no entry has that name as its key
    expect(table.find("qwen3-max")).toMatchObject({ key: "dashscope/qwen3-max" });
    expect(table.find("gemini-flash-latest")).toMatchObject({ key: "gemini-flash-latest" });
  });

  it("looks a name up under the config's provider first (a host's own entry)", () => {
    expect(table.find("llama-3.3-70b-versatile", "groq")).toMatchObject({ key: "groq/llama-3.3-70b-versatile" });
    expect(table.find("meta-llama/Llama-3.3-70B-Instruct-Turbo", "together")).toMatchObject({ key: "together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo" });
    expect(table.find("gpt-4o", "openai")).toMatchObject({ key: "gpt-4o" });
    expect(knownPrice({ model: model({ id: "gpt-4o", provider: "openai" }) }, { tables: [table] })).toMatchObject({
      inputPerMTok: 2.5,
      source: "LiteLLM model_prices_and_context_window.json",
    });
  });

  it("says a truly ambiguous name is ambiguous, with the candidates, and never prices it from the catalog", () => {
    expect(table.find("codestral-latest")).toEqual({ ambiguous: ["codestral/codestral-latest", "mistral/codestral-latest"] });
    expect(lookupPrice({ name: "codestral-latest" }, { tables: [table] })).toEqual({
      ambiguous: ["codestral/codestral-latest", "mistral/codestral-latest"],
      in: "LiteLLM model_prices_and_context_window.json",
    });
    expect(() => requirePrice({ name: "codestral-latest" }, { tables: [table] }, "--models")).toThrow(
      '--models: "codestral-latest" matches several entries in LiteLLM model_prices_and_context_window.json: codestral/codestral-latest, mistral/codestral-latest; name one of them',
    );
  });

  it("says which entry a name found and why it has no chat price per token", () => {
    const why = (name: string) => {
      const found = table.find(name);
      return "unusable" in found ? found.unusable : found;
    };
    expect(why("text-embedding-3-small")).toBe("it is an embedding model (mode: embedding), not a chat model");
    expect(why("tts-1")).toBe("it is an audio_speech model (mode: audio_speech), not a chat model");
    expect(why("medlm-large")).toBe("it is priced per character (input_cost_per_character), not per token");
    expect(why("bedrock/*/1-month-commitment/cohere.command-light-text-v14")).toBe("it is priced per second (input_cost_per_second), not per token");
    expect(why("fireworks-ai-up-to-4b")).toBe("it has no `mode`, so it is not known to be a chat model");
    expect(() => requirePrice({ name: "text-embedding-3-small" }, { tables: [table] }, "--models")).toThrow(
      /^--models: no usable price for "text-embedding-3-small": LiteLLM model_prices_and_context_window\.json lists "text-embedding-3-small", but it is an embedding model \(mode: embedding\), not a chat model;/,
    );
  });

  it("names the hosts that list a model it has under no bare name", () => {
    expect(() => requirePrice({ name: "Llama-3.3-70B-Instruct-Turbo", hosting: "self-hosted" }, { tables: [table] }, "--models")).toThrow(
      /lists it only under other hosts' names: deepinfra\/meta-llama\/Llama-3\.3-70B-Instruct-Turbo, together_ai\/meta-llama\/Llama-3\.3-70B-Instruct-Turbo/,
    );
  });

  it("reads tiered_pricing arrays: each tier bills the whole request whose prompt is past its start", () => {
    const qwen = table.lookup("dashscope/qwen3-max")!;
    expect(qwen).toMatchObject({
      inputPerMTok: 1.2,
      outputPerMTok: 6,
      longContext: { aboveInputTokens: 32_000, inputPerMTok: 2.4, outputPerMTok: 12 },
      higherTiers: [{ aboveInputTokens: 128_000, inputPerMTok: 3, outputPerMTok: 15 }],
    });
    expect(costUsd(qwen, 10_000, 1000)).toBeCloseTo((10_000 * 1.2 + 1000 * 6) / 1e6, 12);
    expect(costUsd(qwen, 100_000, 1000)).toBeCloseTo((100_000 * 2.4 + 1000 * 12) / 1e6, 12);
    expect(costUsd(qwen, 200_000, 1000)).toBeCloseTo((200_000 * 3 + 1000 * 15) / 1e6, 12);
    expect(table.lookup("qwen3-max")).toEqual(qwen);
  });

  it("marks an entry priced $0/$0 in its source: free, or a placeholder", () => {
    expect(table.lookup("ollama/codellama")).toMatchObject({
      inputPerMTok: 0,
      outputPerMTok: 0,
      source: "LiteLLM model_prices_and_context_window.json [listed at $0 in the file: free, or a placeholder]",
    });
  });

  it("prices gpt-5.5's 272K tier from the file, to the cent", () => {
    const price = requirePrice({ name: "gpt-5.5" }, { tables: [table] }, "--models");
    // 300K-token prompt, 1K answer: the whole request at the >272K rates, $10 / $45 per million
    expect(costUsd(price, 300_000, 1000)).toBeCloseTo(0.3 * 10 + 0.001 * 45, 12);
  });
});

describe("a LiteLLM file saved without .json", () => {
  it("is read as JSON, as its first character says (YAML would refuse a repeated key LiteLLM files have had)", () => {
    const dir = tempDir();
    const file = path.join(dir, "prices");
    const text = readFileSync(TRIMMED, "utf8").replace(
      /^\{\n/,
      '{\n  "gpt-4o": {"input_cost_per_token": 1e-06, "output_cost_per_token": 1e-06, "litellm_provider": "openai", "mode": "chat"},\n',
    );
    writeFileSync(file, text);
    const table = loadPriceTable(file);
    expect(table.format).toBe("litellm");
    expect(table.lookup("gpt-4o")).toMatchObject({ inputPerMTok: 2.5 });
  });

  it("still reads modelpick's own YAML, and YAML written in flow style", () => {
    const dir = tempDir();
    const yaml = path.join(dir, "prices");
    writeFileSync(yaml, "prices:\n  m: { inputPerMTok: 1, outputPerMTok: 2 }\n");
    expect(loadPriceTable(yaml).lookup("m")).toMatchObject({ inputPerMTok: 1 });
    const flow = path.join(dir, "flow");
    writeFileSync(flow, "{ m: { inputPerMTok: 3, outputPerMTok: 4 } }\n");
    expect(loadPriceTable(flow).lookup("m")).toMatchObject({ inputPerMTok: 3 });
    copyFileSync(TRIMMED, path.join(dir, "copy.txt"));
    expect(loadPriceTable(path.join(dir, "copy.txt")).format).toBe("litellm");
  });
});
