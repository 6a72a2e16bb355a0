import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LlamaModel, Llama } from "node-llama-cpp";
import type { DatasetItem } from "../../../src/dataset/types.js";
import { createLlamaCppProvider, type LlamaCppModel } from "../../../src/providers/llama-cpp/index.js";
import { ProviderError, type CompletionRequest, type Provider } from "../../../src/providers/types.js";
import { tinyModelConfig, writeTinyGguf } from "../../helpers/gguf-writer.js";

let dir: string;
let file: string;
let sequential: Provider;
let batched: Provider;
let llama: Llama;
let rawModel: LlamaModel;

const modelConfig = (overrides: Partial<LlamaCppModel> = {}) => tinyModelConfig(file, overrides);

const ITEM: DatasetItem = {
  id: "q1",
  category: "test",
  messages: [],
  scorer: { type: "none" },
  sensitive: false,
  tags: [],
  source: { file: "data.jsonl", line: 3 },
};

function ask(content: string, extra: Partial<CompletionRequest> = {}): CompletionRequest {
  return {
    item: ITEM,
    messages: [{ role: "user", content }],
    maxTokens: 16,
    temperature: 0,
    signal: new AbortController().signal,
    ...extra,
  };
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "modelpick-llama-"));
  file = writeTinyGguf(path.join(dir, "tiny.gguf")).file;
  sequential = await createLlamaCppProvider(modelConfig());
  batched = await createLlamaCppProvider(modelConfig({ id: "tiny-x4", parallel: 4 }));
  const { getLlama } = await import("node-llama-cpp");
  llama = await getLlama({ gpu: false, build: "never", maxThreads: 1, logLevel: "error" as never });
  rawModel = await llama.loadModel({ modelPath: file });
});

afterAll(async () => {
  await sequential?.close?.();
  await batched?.close?.();
  await rawModel?.dispose();
  await llama?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe("llama-cpp provider", () => {
  it("is self-hosted, carries the GGUF licence and identifies the weights for caching", () => {
    expect(sequential.hosting).toBe("self-hosted");
    expect(sequential.license).toBe("apache-2.0");
    expect(sequential.cacheable).toBe(true);
    expect(sequential.cacheIdentity).toMatchObject({
      provider: "llama-cpp",
      file: { sizeBytes: expect.any(Number), headSha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
      maxTokens: 16,
      temperature: 0,
      contextSize: 512,
    });
  });

  it("chats: answers with text, token counts and timings", async () => {
    const result = await sequential.complete(ask("What is the capital of France?"));
    expect(result.output.length).toBeGreaterThan(0);
    expect(result.outputTokens).toBeGreaterThan(0);
    expect(result.outputTokens).toBeLessThanOrEqual(16);
    expect(result.ttftMs).toBeGreaterThan(0);
    expect(result.latencyMs).toBeGreaterThanOrEqual(result.ttftMs!);
  });

  it("is deterministic with greedy decoding", async () => {
    const first = await sequential.complete(ask("Say something about cats."));
    const second = await sequential.complete(ask("Say something about cats."));
    const other = await sequential.complete(ask("Something else entirely: dogs!"));
    expect(second.output).toBe(first.output);
    expect(other.output).not.toBe(first.output);
  });

  it("counts tokens with the model's own tokenizer", async () => {
    const system = "Answer briefly.";
    const question = "How many legs has a spider?";
    const result = await sequential.complete(ask(question, { system, maxTokens: 12 }));
    const chatml = `<|im_start|>system\n${system}<|im_end|>\n<|im_start|>user\n${question}<|im_end|>\n<|im_start|>assistant\n`;
    const bos = rawModel.tokens.bos !== null && rawModel.tokens.shouldPrependBosToken ? 1 : 0;
    expect(result.inputTokens).toBe(rawModel.tokenize(chatml, true).length + bos);
    expect(result.outputTokens).toBe(rawModel.tokenize(result.output, false, "trimLeadingSpace").length);
  });

  it("gives the same answers with 4 parallel sequences as one at a time", async () => {
    const questions = Array.from({ length: 8 }, (_, i) => `Question ${i}: what is ${i} times ${i + 1}?`);
    const oneByOne: string[] = [];
    for (const q of questions) oneByOne.push((await sequential.complete(ask(q))).output);
    const together = await Promise.all(questions.map((q) => batched.complete(ask(q))));
    expect(together.map((r) => r.output)).toEqual(oneByOne);
    expect(new Set(oneByOne).size).toBeGreaterThan(1);
  });

  it("constrains output to a JSON schema", async () => {
    const jsonSchema = {
      type: "object",
      properties: { answer: { enum: ["yes", "no"] }, confident: { type: "boolean" } },
    };
    const result = await sequential.complete(ask("Is the sky blue? Answer in JSON.", { jsonSchema, maxTokens: 60 }));
    const parsed = JSON.parse(result.output) as { answer: string; confident: boolean };
    expect(["yes", "no"]).toContain(parsed.answer);
    expect(typeof parsed.confident).toBe("boolean");
  });

  it("reports run measurements", async () => {
    const figures = batched.measurements!();
    expect(figures.loadMs).toBeGreaterThan(0);
    expect(figures.promptTokensPerSecond).toBeGreaterThan(0);
    expect(figures.generationTokensPerSecond).toBeGreaterThan(0);
    expect(figures.peakRssMb).toBeGreaterThan(50);
    expect(figures).toMatchObject({ threads: 1, parallel: 4, contextSize: 512, items: 8 });
  });

  it("stops when the request is aborted", async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(sequential.complete(ask("hello", { signal: controller.signal }))).rejects.toBeInstanceOf(ProviderError);
    const running = new AbortController();
    const pending = sequential.complete(ask("tell me a long story", { signal: running.signal, maxTokens: 400 }));
    setTimeout(() => running.abort(), 5);
    await expect(pending).rejects.toThrow(/aborted/);
    // The sequence is usable again afterwards.
    expect((await sequential.complete(ask("still there?"))).output.length).toBeGreaterThan(0);
  });

  it("refuses a prompt longer than the context", async () => {
    await expect(sequential.complete(ask("x".repeat(600)))).rejects.toThrow(/the prompt has \d+ tokens but contextSize is 512/);
  });
});
