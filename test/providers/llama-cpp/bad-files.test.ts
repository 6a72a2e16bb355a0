import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InputError } from "../../../src/errors.js";
import { createLlamaCppProvider } from "../../../src/providers/llama-cpp/index.js";
import { tinyModelConfig, writeTinyGguf, type TinyGgufOptions } from "../../helpers/gguf-writer.js";

// Kept apart from provider.test.ts: a second Llama instance in the same process would take over llama.cpp's log
// hook, and these tests check that llama.cpp's own reason reaches the user.
let dir: string;
let good: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "modelpick-badgguf-"));
  good = writeTinyGguf(path.join(dir, "good.gguf")).file;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const modelConfig = (file: string) => tinyModelConfig(file, { contextSize: 256 });

describe("llama-cpp provider with bad files", () => {
  const cases: Array<[string, TinyGgufOptions | null, RegExp]> = [
    ["missing", null, /missing\.gguf: model file not found/],
    ["magic", { badMagic: true }, /not a GGUF file/],
    ["no-ffn", { omitKeys: ["llama.feed_forward_length"] }, /llama\.feed_forward_length is missing/],
    ["no-newline", { omitTokens: ["<0x0A>"] }, /byte tokens \(<0x0A>\)/],
    ["cut", { truncateTo: 300_000 }, /truncated/],
    ["no-width", { omitKeys: ["llama.embedding_length"] }, /llama\.embedding_length is missing/],
    ["arch", { architecture: "notamodel" }, /architecture "notamodel" is not supported/],
  ];
  it.each(cases)("%s: a clear InputError, and the process survives", async (name, options, reason) => {
    const target = path.join(dir, `${name}.gguf`);
    if (options) writeTinyGguf(target, options);
    const attempt = createLlamaCppProvider(modelConfig(target));
    await expect(attempt).rejects.toBeInstanceOf(InputError);
    await expect(attempt).rejects.toThrow(reason);
  });

  it("passes llama.cpp's own reason through when it refuses a file validation let by", async () => {
    const target = path.join(dir, "bad-rope.gguf");
    writeTinyGguf(target, { extraMetadata: { "llama.rope.dimension_count": { type: "uint32", value: 7 } } });
    await expect(createLlamaCppProvider(modelConfig(target))).rejects.toThrow(/bad-rope\.gguf: llama\.cpp could not load the model \(.*n_rot/);
  });

  it("still loads a good file after all those failures", async () => {
    const provider = await createLlamaCppProvider(modelConfig(good));
    const answer = await provider.complete({
      item: { id: "1", category: "c", messages: [], scorer: { type: "none" }, sensitive: false, tags: [], source: { file: "d.jsonl", line: 1 } },
      messages: [{ role: "user", content: "hello" }],
      maxTokens: 4,
      temperature: 0,
      signal: new AbortController().signal,
    });
    expect(answer.outputTokens).toBeGreaterThan(0);
    await provider.close!();
  });
});
