import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InputError } from "../../../src/errors.js";
import { readGgufInfo, validateGguf } from "../../../src/providers/llama-cpp/gguf-info.js";
import { writeTinyGguf, type TinyGgufOptions } from "../../helpers/gguf-writer.js";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "modelpick-gguf-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function tiny(name: string, options?: TinyGgufOptions) {
  return writeTinyGguf(path.join(dir, `${name}.gguf`), options);
}

async function rejection(file: string): Promise<InputError> {
  const info = await readGgufInfo(file);
  try {
    validateGguf(info);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error(`${file} was accepted`);
}

describe("readGgufInfo", () => {
  it("reads architecture, size, licence and context length from the header", async () => {
    const facts = tiny("ok");
    const info = await readGgufInfo(facts.file);
    expect(info).toMatchObject({
      file: facts.file,
      sizeBytes: facts.bytes,
      ggufVersion: 3,
      architecture: "llama",
      knownArchitecture: true,
      name: "tiny-test-model",
      license: "apache-2.0",
      parameters: facts.parameters,
      fileType: "ALL_F32",
      quantisation: "F32",
      contextLength: 1024,
      embeddingLength: 64,
      blockCount: 2,
      headCount: 4,
      feedForwardLength: 128,
      tokenizer: "llama",
      vocabularySize: facts.vocabulary.length,
      hasChatTemplate: true,
      tensorCount: 21,
      problems: [],
      notes: [],
    });
    expect(() => validateGguf(info)).not.toThrow();
  });

  it("names the quantisation of F16 and Q8_0 weights", async () => {
    const f16 = await readGgufInfo(tiny("f16", { fileType: "F16" }).file);
    expect([f16.fileType, f16.quantisation]).toEqual(["MOSTLY_F16", "F16"]);
    const q8 = await readGgufInfo(tiny("q8", { fileType: "Q8_0" }).file);
    expect([q8.fileType, q8.quantisation]).toEqual(["MOSTLY_Q8_0", "Q8_0"]);
    expect(q8.problems).toEqual([]);
  });

  it.each([
    [2 ** 31, 2 ** 24, "llama.context_length is 2147483648, more than any model has: clamped to 16777216"],
    [2 ** 32 - 1, 2 ** 24, "llama.context_length is 4294967295, more than any model has: clamped to 16777216"],
    [0, null, "llama.context_length is 0, not a positive whole number: the context length is unknown"],
  ])("clamps a context_length of %d to a sane one, with a note", async (contextLength, expected, note) => {
    const info = await readGgufInfo(tiny(`context-${contextLength}`, { contextLength }).file);
    expect(info.contextLength).toBe(expected);
    expect(info.notes).toEqual([note]);
  });

  it("notes a context_length that is not a number", async () => {
    const info = await readGgufInfo(tiny("context-text", { extraMetadata: { "llama.context_length": { type: "string", value: "lots" } } }).file);
    expect(info.contextLength).toBeNull();
    expect(info.notes).toEqual(["llama.context_length is lots, not a positive whole number: the context length is unknown"]);
  });

  it("reports a missing licence as null", async () => {
    expect((await readGgufInfo(tiny("nolicence", { license: null }).file)).license).toBeNull();
  });

  it("says when the file does not exist", async () => {
    await expect(readGgufInfo(path.join(dir, "absent.gguf"))).rejects.toThrow(/absent\.gguf: model file not found/);
  });

  it("says when the file is not a GGUF", async () => {
    const file = tiny("magic", { badMagic: true }).file;
    await expect(readGgufInfo(file)).rejects.toBeInstanceOf(InputError);
    await expect(readGgufInfo(file)).rejects.toThrow(/magic\.gguf: not a GGUF file/);
  });

  it("flags a file cut inside its header", async () => {
    const info = await readGgufInfo(tiny("short", { truncateTo: 2000 }).file);
    expect(info.problems).toEqual([expect.stringMatching(/truncated inside its header \(it has 2000 bytes/)]);
  });
});

describe("validateGguf", () => {
  // Each of these makes llama.cpp abort the whole process (SIGABRT) instead of returning an error.
  it.each([
    ["no-ffn", { omitKeys: ["llama.feed_forward_length"] }, /llama\.feed_forward_length is missing/],
    ["no-heads", { omitKeys: ["llama.attention.head_count"] }, /llama\.attention\.head_count is missing/],
    ["zero-ffn", { extraMetadata: { "llama.feed_forward_length": { type: "uint32", value: 0 } } }, /feed_forward_length must be a positive number/],
    ["no-newline", { omitTokens: ["<0x0A>"] }, /lacks 1 of the 256 byte tokens \(<0x0A>\)/],
  ] as const)("rejects %s, which would abort llama.cpp", async (name, options, reason) => {
    const error = await rejection(tiny(name, options as TinyGgufOptions).file);
    expect(error.message).toContain(`${name}.gguf: this GGUF file cannot be loaded`);
    expect(error.message).toMatch(reason);
  });

  it("rejects a truncated download, naming the byte counts", async () => {
    const full = tiny("full");
    const error = await rejection(tiny("cut", { truncateTo: Math.floor(full.bytes * 0.7) }).file);
    expect(error.message).toMatch(new RegExp(`truncated: tensor \\S+ ends at byte ${full.bytes} but the file has ${Math.floor(full.bytes * 0.7)} bytes`));
  });

  it("rejects an architecture llama.cpp does not know", async () => {
    const error = await rejection(tiny("arch", { architecture: "notamodel" }).file);
    expect(error.message).toMatch(/architecture "notamodel" is not supported/);
  });

  it("lets the loaded binary decide about architectures when asked", async () => {
    const info = await readGgufInfo(tiny("llama", {}).file);
    expect(() => validateGguf(info, () => false)).toThrow(/architecture "llama" is not supported/);
    expect(() => validateGguf(info, () => true)).not.toThrow();
  });
});
