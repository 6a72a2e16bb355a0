import { writeFileSync } from "node:fs";
import { seededRandom } from "../../src/stats/random.js";
import type { LlamaCppModel } from "../../src/providers/llama-cpp/index.js";

/**
 * Writes a tiny, random-weight llama-architecture GGUF (v3) model for tests: no download needed.
 *
 * The model has a byte-level ("llama" byte-fallback) tokenizer, a ChatML chat template and `general.license`.
 * Weights come from a seeded PRNG, so the same options always give the same file and the same greedy answers.
 * Options can break the file in the ways real downloads break (missing keys, bad magic, truncation) for error tests.
 */
export interface TinyGgufOptions {
  seed?: number;
  name?: string;
  license?: string | null;
  architecture?: string;
  contextLength?: number;
  embeddingLength?: number;
  blockCount?: number;
  headCount?: number;
  feedForwardLength?: number;
  /** Weight type of the 2-D tensors; Q8_0 (needs widths divisible by 32) makes weight reads, not arithmetic, the cost, as in real models. */
  fileType?: "F32" | "F16" | "Q8_0";
  /** Zero the output rows of non-ASCII and control tokens so the random model mostly writes printable ASCII. */
  asciiOutput?: boolean;
  /** Metadata keys to leave out (e.g. "llama.feed_forward_length"). */
  omitKeys?: string[];
  /** Vocabulary entries to leave out (e.g. "<0x0A>"). */
  omitTokens?: string[];
  /** Extra or replaced metadata, written with the given GGUF type. */
  extraMetadata?: Record<string, { type: "string" | "uint32" | "float32" | "bool"; value: string | number | boolean }>;
  badMagic?: boolean;
  /** Cut the file to this many bytes. */
  truncateTo?: number;
  /** Leave out the chat template. */
  noChatTemplate?: boolean;
}

export interface TinyGgufFacts {
  file: string;
  bytes: number;
  parameters: number;
  vocabulary: string[];
}

export const CHATML_TEMPLATE =
  "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}" +
  "{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

const TYPE = { uint32: 4, int32: 5, float32: 6, bool: 7, string: 8, array: 9, uint64: 10 } as const;
const GGML = { F32: 0, F16: 1, Q8_0: 8 } as const;
/** general.file_type values: ALL_F32, MOSTLY_F16, MOSTLY_Q8_0. */
const FILE_TYPE = { F32: 0, F16: 1, Q8_0: 7 } as const;
const ALIGNMENT = 32;

export function writeTinyGguf(file: string, options: TinyGgufOptions = {}): TinyGgufFacts {
  const arch = options.architecture ?? "llama";
  const dims = {
    context: options.contextLength ?? 1024,
    width: options.embeddingLength ?? 64,
    blocks: options.blockCount ?? 2,
    heads: options.headCount ?? 4,
    ffn: options.feedForwardLength ?? 128,
  };
  const vocab = byteLevelVocabulary().filter((t) => !options.omitTokens?.includes(t.text));
  const random = seededRandom(options.seed ?? 42);
  const weightType = options.fileType ?? "F32";
  if (weightType === "Q8_0" && (dims.width % 32 !== 0 || dims.ffn % 32 !== 0)) {
    throw new Error("Q8_0 needs embeddingLength and feedForwardLength divisible by 32");
  }

  const metadata = new MetadataWriter(options.omitKeys ?? []);
  metadata.string("general.architecture", arch);
  metadata.string("general.name", options.name ?? "tiny-test-model");
  if (options.license !== null) metadata.string("general.license", options.license ?? "apache-2.0");
  metadata.uint32("general.file_type", FILE_TYPE[weightType]);
  metadata.uint32(`${arch}.context_length`, dims.context);
  metadata.uint32(`${arch}.embedding_length`, dims.width);
  metadata.uint32(`${arch}.block_count`, dims.blocks);
  metadata.uint32(`${arch}.feed_forward_length`, dims.ffn);
  metadata.uint32(`${arch}.attention.head_count`, dims.heads);
  metadata.uint32(`${arch}.attention.head_count_kv`, dims.heads);
  metadata.uint32(`${arch}.rope.dimension_count`, dims.width / dims.heads);
  metadata.float32(`${arch}.rope.freq_base`, 10000);
  metadata.float32(`${arch}.attention.layer_norm_rms_epsilon`, 1e-5);
  metadata.string("tokenizer.ggml.model", "llama");
  metadata.stringArray(
    "tokenizer.ggml.tokens",
    vocab.map((t) => t.text),
  );
  metadata.float32Array(
    "tokenizer.ggml.scores",
    vocab.map(() => 0),
  );
  metadata.int32Array(
    "tokenizer.ggml.token_type",
    vocab.map((t) => t.type),
  );
  const idOf = (text: string) => vocab.findIndex((t) => t.text === text);
  metadata.uint32("tokenizer.ggml.bos_token_id", Math.max(0, idOf("<s>")));
  metadata.uint32("tokenizer.ggml.eos_token_id", Math.max(0, idOf("<|im_end|>")));
  metadata.uint32("tokenizer.ggml.unknown_token_id", Math.max(0, idOf("<unk>")));
  metadata.bool("tokenizer.ggml.add_bos_token", true);
  metadata.bool("tokenizer.ggml.add_eos_token", false);
  if (!options.noChatTemplate) metadata.string("tokenizer.chat_template", CHATML_TEMPLATE);
  for (const [key, { type, value }] of Object.entries(options.extraMetadata ?? {})) metadata.typed(key, type, value);

  const tensors = tinyLlamaTensors(dims, vocab.length, random, weightType);
  if (options.asciiOutput !== false) zeroNonAsciiOutputRows(tensors, vocab, dims.width);
  let bytes = assemble(metadata, tensors);
  if (options.badMagic) bytes.write("GGML", 0, "latin1");
  if (options.truncateTo !== undefined) bytes = bytes.subarray(0, options.truncateTo);
  writeFileSync(file, bytes);
  return {
    file,
    bytes: bytes.length,
    parameters: tensors.reduce((sum, t) => sum + t.values.length, 0),
    vocabulary: vocab.map((t) => t.text),
  };
}

interface VocabEntry {
  text: string;
  /** llama.cpp token types: 1 normal, 2 unknown, 3 control, 6 byte. */
  type: number;
}

function byteLevelVocabulary(): VocabEntry[] {
  const bytes = Array.from({ length: 256 }, (_, b) => ({
    text: `<0x${b.toString(16).toUpperCase().padStart(2, "0")}>`,
    type: 6,
  }));
  return [
    { text: "<unk>", type: 2 },
    { text: "<s>", type: 3 },
    { text: "</s>", type: 3 },
    ...bytes,
    { text: "\u2581", type: 1 },
    { text: "<|im_start|>", type: 3 },
    { text: "<|im_end|>", type: 3 },
  ];
}

interface Tensor {
  name: string;
  /** ggml order: [in, out]. */
  shape: number[];
  type: "F32" | "F16" | "Q8_0";
  values: Float32Array;
}

function tinyLlamaTensors(
  dims: { width: number; blocks: number; ffn: number },
  vocabSize: number,
  random: () => number,
  weightType: "F32" | "F16" | "Q8_0",
): Tensor[] {
  const matrix = (name: string, inputs: number, outputs: number): Tensor => {
    const scale = 2 / Math.sqrt(inputs);
    const values = Float32Array.from({ length: inputs * outputs }, () => (random() * 2 - 1) * scale);
    return { name, shape: [inputs, outputs], type: weightType, values };
  };
  const norm = (name: string): Tensor => ({ name, shape: [dims.width], type: "F32", values: new Float32Array(dims.width).fill(1) });
  const tensors: Tensor[] = [matrix("token_embd.weight", dims.width, vocabSize), norm("output_norm.weight"), matrix("output.weight", dims.width, vocabSize)];
  for (let block = 0; block < dims.blocks; block++) {
    const blk = `blk.${block}`;
    tensors.push(
      norm(`${blk}.attn_norm.weight`),
      matrix(`${blk}.attn_q.weight`, dims.width, dims.width),
      matrix(`${blk}.attn_k.weight`, dims.width, dims.width),
      matrix(`${blk}.attn_v.weight`, dims.width, dims.width),
      matrix(`${blk}.attn_output.weight`, dims.width, dims.width),
      norm(`${blk}.ffn_norm.weight`),
      matrix(`${blk}.ffn_gate.weight`, dims.width, dims.ffn),
      matrix(`${blk}.ffn_up.weight`, dims.width, dims.ffn),
      matrix(`${blk}.ffn_down.weight`, dims.ffn, dims.width),
    );
  }
  return tensors;
}

/** A zero output row gives logit 0, below roughly half of the random rows: greedy decoding then prefers ASCII. */
function zeroNonAsciiOutputRows(tensors: Tensor[], vocab: VocabEntry[], width: number): void {
  const output = tensors.find((t) => t.name === "output.weight")!;
  vocab.forEach((token, id) => {
    const byte = /^<0x([0-9A-F]{2})>$/.exec(token.text);
    const printable = byte ? isPrintableAscii(parseInt(byte[1]!, 16)) : token.text === "<|im_end|>" || token.text === "\u2581";
    if (!printable) output.values.fill(0, id * width, (id + 1) * width);
  });
}

function isPrintableAscii(byte: number): boolean {
  return (byte >= 0x20 && byte < 0x7f) || byte === 0x0a;
}

class MetadataWriter {
  /** Insertion-ordered; writing a key again replaces its value in place. */
  private readonly entries = new Map<string, Buffer>();
  constructor(private readonly omit: string[]) {}

  string(key: string, value: string): void {
    this.entry(key, TYPE.string, ggufString(value));
  }
  uint32(key: string, value: number): void {
    this.entry(key, TYPE.uint32, u32(value));
  }
  float32(key: string, value: number): void {
    const b = Buffer.alloc(4);
    b.writeFloatLE(value);
    this.entry(key, TYPE.float32, b);
  }
  bool(key: string, value: boolean): void {
    this.entry(key, TYPE.bool, Buffer.from([value ? 1 : 0]));
  }
  typed(key: string, type: "string" | "uint32" | "float32" | "bool", value: string | number | boolean): void {
    if (type === "string") this.string(key, String(value));
    else if (type === "uint32") this.uint32(key, Number(value));
    else if (type === "float32") this.float32(key, Number(value));
    else this.bool(key, Boolean(value));
  }
  stringArray(key: string, values: string[]): void {
    this.entry(key, TYPE.array, Buffer.concat([u32(TYPE.string), u64(values.length), ...values.map(ggufString)]));
  }
  float32Array(key: string, values: number[]): void {
    const b = Buffer.alloc(values.length * 4);
    values.forEach((v, i) => b.writeFloatLE(v, i * 4));
    this.entry(key, TYPE.array, Buffer.concat([u32(TYPE.float32), u64(values.length), b]));
  }
  int32Array(key: string, values: number[]): void {
    const b = Buffer.alloc(values.length * 4);
    values.forEach((v, i) => b.writeInt32LE(v, i * 4));
    this.entry(key, TYPE.array, Buffer.concat([u32(TYPE.int32), u64(values.length), b]));
  }
  get count(): number {
    return this.entries.size;
  }
  get chunks(): Buffer[] {
    return [...this.entries.values()];
  }
  private entry(key: string, type: number, value: Buffer): void {
    if (this.omit.includes(key)) return;
    this.entries.set(key, Buffer.concat([ggufString(key), u32(type), value]));
  }
}

function assemble(metadata: MetadataWriter, tensors: Tensor[]): Buffer {
  const data: Buffer[] = [];
  const infos: Buffer[] = [];
  let offset = 0;
  for (const tensor of tensors) {
    const bytes = tensorBytes(tensor);
    infos.push(Buffer.concat([ggufString(tensor.name), u32(tensor.shape.length), ...tensor.shape.map(u64), u32(GGML[tensor.type]), u64(offset)]));
    const padded = Buffer.alloc(alignUp(bytes.length));
    bytes.copy(padded);
    data.push(padded);
    offset += padded.length;
  }
  const header = Buffer.concat([Buffer.from("GGUF", "latin1"), u32(3), u64(tensors.length), u64(metadata.count), ...metadata.chunks, ...infos]);
  const headerPadded = Buffer.alloc(alignUp(header.length));
  header.copy(headerPadded);
  return Buffer.concat([headerPadded, ...data]);
}

function tensorBytes(tensor: Tensor): Buffer {
  if (tensor.type === "F32") return Buffer.from(tensor.values.buffer, tensor.values.byteOffset, tensor.values.byteLength);
  if (tensor.type === "Q8_0") return quantizeQ8_0(tensor.values);
  const out = Buffer.alloc(tensor.values.length * 2);
  tensor.values.forEach((v, i) => out.writeUInt16LE(toHalf(v), i * 2));
  return out;
}

/** ggml Q8_0: blocks of 32 weights stored as one f16 scale and 32 signed bytes. */
function quantizeQ8_0(values: Float32Array): Buffer {
  const blocks = values.length / 32;
  const out = Buffer.alloc(blocks * 34);
  for (let b = 0; b < blocks; b++) {
    const block = values.subarray(b * 32, b * 32 + 32);
    const scale = block.reduce((m, v) => Math.max(m, Math.abs(v)), 0) / 127;
    out.writeUInt16LE(toHalf(scale), b * 34);
    block.forEach((v, i) => out.writeInt8(scale === 0 ? 0 : Math.round(v / scale), b * 34 + 2 + i));
  }
  return out;
}

/** IEEE 754 binary16, round to nearest; the test weights are small normal numbers. */
function toHalf(value: number): number {
  const f32 = new Float32Array([value]);
  const bits = new Uint32Array(f32.buffer)[0]!;
  const sign = (bits >>> 16) & 0x8000;
  const exponent = ((bits >>> 23) & 0xff) - 127 + 15;
  const mantissa = bits & 0x7fffff;
  if (exponent <= 0) return sign;
  if (exponent >= 31) return sign | 0x7c00;
  const half = sign | (exponent << 10) | (mantissa >>> 13);
  return (mantissa & 0x1000) !== 0 ? half + 1 : half;
}

function alignUp(n: number): number {
  return Math.ceil(n / ALIGNMENT) * ALIGNMENT;
}

function ggufString(value: string): Buffer {
  const bytes = Buffer.from(value, "utf8");
  return Buffer.concat([u64(bytes.length), bytes]);
}

function u32(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(value);
  return b;
}

function u64(value: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(value));
  return b;
}

/** The config of a llama-cpp model for a file written by writeTinyGguf: one thread, one sequence, greedy. */
export function tinyModelConfig(file: string, overrides: Partial<LlamaCppModel> = {}): LlamaCppModel {
  return {
    id: "tiny",
    provider: "llama-cpp",
    path: file,
    hosting: "self-hosted",
    maxTokens: 16,
    temperature: 0,
    concurrency: 1,
    timeoutMs: 30_000,
    maxRetries: 0,
    parallel: 1,
    threads: 1,
    contextSize: 512,
    ...overrides,
  };
}
