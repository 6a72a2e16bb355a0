import { open, stat } from "node:fs/promises";
import { InputError, errorMessage } from "../../errors.js";
import { MAX_CONTEXT_TOKENS } from "../../config/provider-kinds.js";
import { importLlamaCpp } from "./runtime.js";

/** What a GGUF file says about its model, read from the header without loading the weights. */
export interface GgufInfo {
  file: string;
  sizeBytes: number;
  ggufVersion: number;
  architecture: string | null;
  /** False when this node-llama-cpp release does not know the architecture. */
  knownArchitecture: boolean;
  name: string | null;
  license: string | null;
  /** Total weights, counted from the tensor shapes. */
  parameters: number;
  /** general.file_type as llama.cpp names it (e.g. MOSTLY_Q4_K_M), or null when the file does not say. */
  fileType: string | null;
  /** The ggml type holding most of the weights (e.g. Q4_K, F16). */
  quantisation: string | null;
  /** The training context, in tokens: null when the file gives none or a nonsensical one, clamped when absurdly large. */
  contextLength: number | null;
  embeddingLength: number | null;
  blockCount: number | null;
  headCount: number | null;
  feedForwardLength: number | null;
  tokenizer: string | null;
  vocabularySize: number | null;
  hasChatTemplate: boolean;
  tensorCount: number;
  /** Metadata that would make llama.cpp fail or abort the process; empty for a loadable file. */
  problems: string[];
  /** Metadata modelpick corrected (e.g. an absurd context length), each saying what the file had and what is used. */
  notes: string[];
}

export interface GgufRead {
  info: GgufInfo;
  /** node-llama-cpp's own parse, for GgufInsights. */
  raw: unknown;
}

/** Reads a GGUF file's metadata and tensor table (never the weights). Throws InputError for a missing or non-GGUF file. */
export async function readGgufInfo(file: string): Promise<GgufInfo> {
  return (await readGguf(file)).info;
}

export async function readGguf(file: string): Promise<GgufRead> {
  const size = await fileSize(file);
  const llamaCpp = await importLlamaCpp();
  let raw: Awaited<ReturnType<typeof llamaCpp.readGgufFileInfo>>;
  try {
    raw = await llamaCpp.readGgufFileInfo(file, { sourceType: "filesystem", readTensorInfo: true, logWarnings: false });
  } catch (error) {
    throw new InputError(await describeReadError(file, error));
  }
  const metadata = flattenMetadata(raw.metadata as unknown as Record<string, unknown>);
  const tensors = (raw.fullTensorInfo ?? raw.tensorInfo ?? []).map((t) => ({
    name: t.name,
    dims: t.dimensions.map(Number),
    type: llamaCpp.GgmlType[t.ggmlType] ?? `type ${t.ggmlType}`,
    fileOffset: Number(t.fileOffset),
  }));
  const architecture = stringAt(metadata, "general.architecture");
  const arch = architecture ?? "";
  const tokens = metadata.get("tokenizer.ggml.tokens");
  const fileTypeNumber = numberAt(metadata, "general.file_type");
  const notes: string[] = [];
  const info: GgufInfo = {
    file,
    sizeBytes: size,
    ggufVersion: Number(raw.version),
    architecture,
    knownArchitecture: architecture !== null && knownArchitectures(llamaCpp).has(architecture),
    name: stringAt(metadata, "general.name"),
    license: stringAt(metadata, "general.license"),
    parameters: tensors.reduce((sum, t) => sum + t.dims.reduce((p, d) => p * d, 1), 0),
    fileType: fileTypeNumber === null ? null : (llamaCpp.GgufFileType[fileTypeNumber] ?? `type ${fileTypeNumber}`),
    quantisation: dominantType(tensors),
    contextLength: saneContextLength(metadata.get(`${arch}.context_length`), `${arch}.context_length`, notes),
    embeddingLength: numberAt(metadata, `${arch}.embedding_length`),
    blockCount: numberAt(metadata, `${arch}.block_count`),
    headCount: numberAt(metadata, `${arch}.attention.head_count`),
    feedForwardLength: numberAt(metadata, `${arch}.feed_forward_length`),
    tokenizer: stringAt(metadata, "tokenizer.ggml.model"),
    vocabularySize: Array.isArray(tokens) ? tokens.length : null,
    hasChatTemplate: typeof metadata.get("tokenizer.chat_template") === "string",
    tensorCount: Number(raw.totalTensorCount),
    problems: [],
    notes,
  };
  const headerEnd = Number(raw.infoEndOffset ?? 0);
  info.problems =
    headerEnd > size
      ? [`the file is truncated inside its header (it has ${size} bytes, the header alone needs ${headerEnd}); download it again`]
      : findProblems(info, metadata, tensors, size);
  return { info, raw };
}

/**
 * Rejects a GGUF whose metadata would make llama.cpp fail, or abort the whole process, when loading it.
 * `isArchitectureSupported` asks the loaded llama.cpp binary; without it, node-llama-cpp's list of architectures decides.
 */
export function validateGguf(info: GgufInfo, isArchitectureSupported?: (architecture: string) => boolean): void {
  const problems = [...info.problems];
  const supported = (arch: string) => (isArchitectureSupported ? isArchitectureSupported(arch) : info.knownArchitecture);
  if (info.architecture !== null && !supported(info.architecture)) {
    problems.unshift(
      `architecture "${info.architecture}" is not supported by the bundled llama.cpp (update node-llama-cpp, or use a model of a supported architecture)`,
    );
  }
  if (problems.length > 0) {
    throw new InputError(`${info.file}: this GGUF file cannot be loaded:\n  - ${problems.join("\n  - ")}`);
  }
}

/** Architectures without attention heads or a dense feed-forward size. */
const RECURRENT_ARCHITECTURES = new Set(["mamba", "mamba2", "rwkv6", "rwkv6qwen2", "rwkv7", "arwkv7"]);

type Metadata = Map<string, unknown>;
interface TensorSummary {
  name: string;
  dims: number[];
  type: string;
  fileOffset: number;
}

function findProblems(info: GgufInfo, metadata: Metadata, tensors: TensorSummary[], size: number): string[] {
  const problems: string[] = [];
  const arch = info.architecture;
  if (arch === null) return ["general.architecture is missing"];
  const positive = (key: string) => {
    const value = metadata.get(key);
    if (value === undefined) problems.push(`${key} is missing`);
    else if (!isPositiveOrPositiveArray(value)) problems.push(`${key} must be a positive number (found ${JSON.stringify(value)})`);
  };
  // llama.cpp asserts (SIGABRT) instead of failing when these are missing or zero.
  positive(`${arch}.embedding_length`);
  positive(`${arch}.block_count`);
  if (!RECURRENT_ARCHITECTURES.has(arch)) {
    positive(`${arch}.attention.head_count`);
    if (!metadata.has(`${arch}.expert_feed_forward_length`)) positive(`${arch}.feed_forward_length`);
  }
  problems.push(...tokenizerProblems(metadata), ...tensorProblems(tensors, size));
  if (tensors.length === 0) problems.push("the file has no tensors (weights)");
  return problems;
}

function tokenizerProblems(metadata: Metadata): string[] {
  const model = metadata.get("tokenizer.ggml.model");
  if (model === undefined) return ["tokenizer.ggml.model is missing"];
  if (model === "none") return [];
  const tokens = metadata.get("tokenizer.ggml.tokens");
  if (!Array.isArray(tokens) || tokens.length === 0) return ["tokenizer.ggml.tokens (the vocabulary) is missing"];
  const problems: string[] = [];
  for (const key of ["tokenizer.ggml.scores", "tokenizer.ggml.token_type"]) {
    const values = metadata.get(key);
    if (Array.isArray(values) && values.length !== tokens.length) {
      problems.push(`${key} has ${values.length} entries but the vocabulary has ${tokens.length}`);
    }
  }
  const vocabulary = new Set(tokens as string[]);
  // llama.cpp looks these up with std::map::at, which terminates the process when the token is absent.
  if (model === "llama") {
    const missing = missingByteTokens(vocabulary);
    if (missing.length > 0) {
      problems.push(
        `the byte-fallback vocabulary lacks ${missing.length} of the 256 byte tokens (${missing.slice(0, 4).join(", ")}${missing.length > 4 ? ", …" : ""})`,
      );
    }
  } else if (model === "gpt2" && !vocabulary.has("\u010a")) {
    problems.push('the BPE vocabulary has no newline token ("Ċ")');
  }
  return problems;
}

function missingByteTokens(vocabulary: Set<string>): string[] {
  const missing: string[] = [];
  for (let byte = 0; byte < 256; byte++) {
    const hex = `<0x${byte.toString(16).toUpperCase().padStart(2, "0")}>`;
    if (!vocabulary.has(hex) && !(byte < 128 && vocabulary.has(String.fromCharCode(byte)))) missing.push(hex);
  }
  return missing;
}

/** Bytes per block and elements per block of the common ggml types, to check that every tensor's data is in the file. */
const TYPE_LAYOUT: Record<string, [elementsPerBlock: number, bytesPerBlock: number]> = {
  F32: [1, 4],
  F16: [1, 2],
  BF16: [1, 2],
  F64: [1, 8],
  I8: [1, 1],
  I16: [1, 2],
  I32: [1, 4],
  I64: [1, 8],
  Q4_0: [32, 18],
  Q4_1: [32, 20],
  Q5_0: [32, 22],
  Q5_1: [32, 24],
  Q8_0: [32, 34],
  Q8_1: [32, 36],
  Q2_K: [256, 84],
  Q3_K: [256, 110],
  Q4_K: [256, 144],
  Q5_K: [256, 176],
  Q6_K: [256, 210],
  Q8_K: [256, 292],
};

function tensorProblems(tensors: TensorSummary[], size: number): string[] {
  const problems: string[] = [];
  const empty = tensors.filter((t) => t.dims.some((d) => d < 1));
  if (empty.length > 0) problems.push(`tensor ${empty[0]!.name} has a zero dimension`);
  let needed = 0;
  let neededBy = "";
  for (const tensor of tensors) {
    const end = tensor.fileOffset + (tensorBytes(tensor) ?? 0);
    if (end > needed) [needed, neededBy] = [end, tensor.name];
  }
  if (needed > size) {
    problems.push(`the file is truncated: tensor ${neededBy} ends at byte ${needed} but the file has ${size} bytes (download it again)`);
  }
  return problems;
}

function tensorBytes(tensor: TensorSummary): number | undefined {
  const layout = TYPE_LAYOUT[tensor.type];
  if (!layout) return undefined;
  const [perBlock, bytesPerBlock] = layout;
  const [first = 1, ...rest] = tensor.dims;
  return Math.ceil(first / perBlock) * bytesPerBlock * rest.reduce((p, d) => p * d, 1);
}

function dominantType(tensors: TensorSummary[]): string | null {
  const elements = new Map<string, number>();
  for (const t of tensors) {
    if (t.dims.length < 2) continue;
    elements.set(t.type, (elements.get(t.type) ?? 0) + t.dims.reduce((p, d) => p * d, 1));
  }
  let best: string | null = null;
  for (const [type, count] of elements) if (best === null || count > elements.get(best)!) best = type;
  return best;
}

/** GgufArchitectureType is a `const enum` in the typings but a real object at run time. */
function knownArchitectures(llamaCpp: unknown): Set<string> {
  const values = (llamaCpp as { GgufArchitectureType: Record<string, string> }).GgufArchitectureType;
  return new Set(Object.values(values));
}

async function fileSize(file: string): Promise<number> {
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new InputError(`${file}: not a file (expected a .gguf model file)`);
    return info.size;
  } catch (error) {
    if (error instanceof InputError) throw error;
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new InputError(`${file}: model file not found; check the path`);
    }
    throw new InputError(`${file}: cannot read the model file (${errorMessage(error)})`);
  }
}

/** Decided on the file's first four bytes, not on the wording of node-llama-cpp's error. */
async function describeReadError(file: string, error: unknown): Promise<string> {
  const message = errorMessage(error);
  if (!(await startsWithGgufMagic(file))) return `${file}: not a GGUF file (it does not start with "GGUF"); llama-cpp models must be .gguf files`;
  return `${file}: cannot read the GGUF header, the file is damaged (${message})`;
}

async function startsWithGgufMagic(file: string): Promise<boolean> {
  const handle = await open(file, "r");
  try {
    const head = Buffer.alloc(4);
    const { bytesRead } = await handle.read(head, 0, 4, 0);
    return bytesRead === 4 && head.toString("latin1") === "GGUF";
  } finally {
    await handle.close();
  }
}

/** node-llama-cpp nests metadata by dotted key ({ llama: { attention: { head_count } } }); flatten it back. */
function flattenMetadata(nested: Record<string, unknown>, prefix = "", out: Metadata = new Map()): Metadata {
  for (const [key, value] of Object.entries(nested)) {
    const full = prefix ? `${prefix}.${key}` : key;
    if (value !== null && typeof value === "object" && !Array.isArray(value)) {
      flattenMetadata(value as Record<string, unknown>, full, out);
    } else {
      out.set(full, value);
    }
  }
  return out;
}

function stringAt(metadata: Metadata, key: string): string | null {
  const value = metadata.get(key);
  return typeof value === "string" ? value : null;
}

function numberAt(metadata: Metadata, key: string): number | null {
  const value = metadata.get(key);
  if (typeof value === "number") return value;
  if (typeof value === "bigint") return Number(value);
  return null;
}

/**
 * The file's context length if it is plausible; clamped to MAX_CONTEXT_TOKENS when larger (llama.cpp reads it into a
 * 32-bit int, so 2^31 would become −2^31), null when not a positive whole number. Either correction adds a note.
 */
function saneContextLength(value: unknown, key: string, notes: string[]): number | null {
  if (value === undefined) return null;
  const length = typeof value === "bigint" ? Number(value) : value;
  if (typeof length !== "number" || !Number.isInteger(length) || length < 1) {
    notes.push(`${key} is ${String(value)}, not a positive whole number: the context length is unknown`);
    return null;
  }
  if (length > MAX_CONTEXT_TOKENS) {
    notes.push(`${key} is ${String(value)}, more than any model has: clamped to ${MAX_CONTEXT_TOKENS}`);
    return MAX_CONTEXT_TOKENS;
  }
  return length;
}

function isPositiveOrPositiveArray(value: unknown): boolean {
  if (typeof value === "number" || typeof value === "bigint") return Number(value) > 0;
  return Array.isArray(value) && value.length > 0 && value.some((v) => Number(v) > 0);
}
