import { availableParallelism } from "node:os";
import type { Llama, LlamaModel } from "node-llama-cpp";
import { InputError, errorMessage } from "../../errors.js";
import { readGguf, validateGguf, type GgufInfo } from "./gguf-info.js";
import { importLlamaCpp, type LlamaCpp } from "./runtime.js";

/** Physical cores, assuming two hardware threads per core: llama.cpp slows down badly when oversubscribed. */
export function defaultThreads(): number {
  return Math.max(1, Math.round(availableParallelism() / 2));
}

/** The requested thread count, or the default; never more than the machine's hardware threads. */
export function resolveThreads(requested: number | undefined): number {
  return Math.min(requested ?? defaultThreads(), availableParallelism());
}

export interface LoadedModel {
  llama: Llama;
  model: LlamaModel;
  info: GgufInfo;
  dispose(): Promise<void>;
}

export interface LoadOptions {
  file: string;
  threads: number;
  gpuLayers?: number;
}

/**
 * Validates the GGUF, then loads it with the prebuilt CPU binary: never downloads or compiles llama.cpp, and probes
 * for a GPU only when `gpuLayers` asks for offloading.
 */
export async function loadGgufModel(options: LoadOptions): Promise<LoadedModel> {
  const { info, raw } = await readGguf(options.file);
  validateGguf(info);
  const llamaCpp = await importLlamaCpp();
  const gpu = (options.gpuLayers ?? 0) > 0;
  const llama = await acquireLlama(llamaCpp, gpu, options.threads);
  try {
    const insights = await llamaCpp.GgufInsights.from(raw as Parameters<typeof llamaCpp.GgufInsights.from>[0], llama);
    validateGguf(info, () => insights.isSupportedByLlamaCpp);
    const model = await loadOrExplain(llama, options);
    return {
      llama,
      model,
      info,
      async dispose() {
        await model.dispose();
        await releaseLlama(gpu);
      },
    };
  } catch (error) {
    await releaseLlama(gpu);
    throw error;
  }
}

/**
 * One Llama per process (and GPU mode), shared by every local model: the native addon has a single log hook, which the
 * most recently created Llama takes over, and getLlama() is the main start-up cost.
 */
const sharedLlamas = new Map<boolean, { llama: Promise<Llama>; users: number }>();

/** llama.cpp's recent log lines, numbered: the only place it says why a load failed. */
const recentLog: Array<{ n: number; line: string }> = [];
let logLines = 0;

async function acquireLlama(llamaCpp: LlamaCpp, gpu: boolean, threads: number): Promise<Llama> {
  let entry = sharedLlamas.get(gpu);
  if (!entry) {
    entry = { llama: createLlama(llamaCpp, gpu, threads), users: 0 };
    sharedLlamas.set(gpu, entry);
    entry.llama.catch(() => sharedLlamas.delete(gpu));
  }
  entry.users++;
  try {
    const llama = await entry.llama;
    if (llama.maxThreads < threads) llama.maxThreads = threads;
    return llama;
  } catch (error) {
    entry.users--;
    throw error;
  }
}

async function releaseLlama(gpu: boolean): Promise<void> {
  const entry = sharedLlamas.get(gpu);
  if (!entry || --entry.users > 0) return;
  sharedLlamas.delete(gpu);
  await (await entry.llama).dispose();
}

async function createLlama(llamaCpp: LlamaCpp, gpu: boolean, threads: number): Promise<Llama> {
  try {
    return await llamaCpp.getLlama({
      gpu: gpu ? "auto" : false,
      build: "never",
      skipDownload: true,
      usePrebuiltBinaries: true,
      progressLogs: false,
      maxThreads: threads,
      logLevel: llamaCpp.LlamaLogLevel.warn,
      logger: (level, message) => remember(`${level}: ${message.trim()}`),
    });
  } catch (error) {
    if (error instanceof llamaCpp.NoBinaryFoundError) {
      throw new InputError(
        `no prebuilt llama.cpp binary for ${process.platform}-${process.arch}: reinstall node-llama-cpp with its ` +
          `optional dependencies, which hold the binaries (modelpick never compiles or downloads llama.cpp at run time)`,
      );
    }
    throw error;
  }
}

async function loadOrExplain(llama: Llama, options: LoadOptions): Promise<LlamaModel> {
  const mark = logLines;
  try {
    return await llama.loadModel({ modelPath: options.file, gpuLayers: options.gpuLayers ?? 0 });
  } catch (error) {
    const errors = recentLog.filter((entry) => entry.n > mark && entry.line.startsWith("error")).map((e) => e.line);
    const reason = errors.filter((line) => line.includes("error loading model:")).at(-1) ?? errors.at(-1);
    const why = reason ? reason.replace(/^.*error loading model: /, "").replace(/^error: /, "") : errorMessage(error);
    throw new InputError(`${options.file}: llama.cpp could not load the model (${why})`);
  }
}

function remember(line: string): void {
  recentLog.push({ n: ++logLines, line });
  if (recentLog.length > 50) recentLog.shift();
}

/** Turns node-llama-cpp's context-creation failures into something the user can act on. */
export function explainContextError(file: string, error: unknown): Error {
  const message = errorMessage(error);
  if (/memory|VRAM|RAM/i.test(message)) {
    return new InputError(`${file}: not enough memory for the context (${message}); lower contextSize or parallel`);
  }
  return error instanceof Error ? error : new Error(message);
}
