import os from "node:os";
import path from "node:path";
import type { LlamaContextSequence, Token } from "node-llama-cpp";
import { writeFileAtomic } from "../../io/atomic.js";
import { explainContextError, loadGgufModel, resolveThreads } from "./load.js";
import { peakRssMb, round1 } from "./meter.js";

export interface BenchLocalOptions {
  file: string;
  threads?: number;
  parallel?: number;
  promptTokens?: number;
  genTokens?: number;
  /** Repetitions of each measurement; the median is reported. */
  repeats?: number;
}

export interface BenchLocalResult {
  model: string;
  gguf: string;
  threads: number;
  parallel: number;
  promptTokens: number;
  genTokens: number;
  /** getLlama + loadModel + createContext, in ms. */
  loadMs: number;
  promptTokensPerSecond: number;
  /** One sequence generating alone. */
  generationTokensPerSecond: number;
  /** All `parallel` sequences generating together, tokens of all sequences per second. */
  parallelGenerationTokensPerSecond: number;
  peakRssMb: number;
  machine: string;
  measuredAt: string;
}

/** The throughput profile `bench-local` writes: the file `modelpick cost` reads instead of a published figure. */
export interface ThroughputProfileFile {
  kind: "modelpick-throughput-profile";
  model: string;
  gguf: string;
  threads: number;
  parallel: number;
  promptTokensPerSecond: number;
  generationTokensPerSecond: number;
  measuredAt: string;
  machine: string;
}

const FILLER = "The quick brown fox jumps over the lazy dog while the cat watches from the warm windowsill. ";

/** Measures load time, prompt processing and generation speed (one and `parallel` sequences) and peak memory. */
export async function measureLocalThroughput(options: BenchLocalOptions): Promise<BenchLocalResult> {
  const threads = resolveThreads(options.threads);
  const parallel = options.parallel ?? 4;
  const promptTokens = options.promptTokens ?? 128;
  const genTokens = options.genTokens ?? 64;
  const repeats = options.repeats ?? 3;
  const started = performance.now();
  const loaded = await loadGgufModel({ file: options.file, threads });
  try {
    const contextSize = Math.max(64, promptTokens + genTokens + 8);
    const context = await loaded.model
      .createContext({ contextSize, sequences: parallel, threads })
      .catch((error: unknown) => Promise.reject(explainContextError(options.file, error)));
    const loadMs = performance.now() - started;
    const sequences = Array.from({ length: parallel }, () => context.getSequence());
    const prompt = fillerTokens(loaded.model, promptTokens);
    await generate(sequences.slice(0, 1), prompt.slice(0, 8), 8); // warm-up: first decode allocates buffers

    const promptRates: number[] = [];
    const singleRates: number[] = [];
    const parallelRates: number[] = [];
    for (let i = 0; i < repeats; i++) {
      promptRates.push(await processPrompt(sequences[0]!, prompt));
      singleRates.push(await generate(sequences.slice(0, 1), prompt.slice(0, 16), genTokens));
      parallelRates.push(await generate(sequences, prompt.slice(0, 16), genTokens));
    }
    await context.dispose();
    return {
      model: loaded.info.name ?? path.basename(options.file, ".gguf"),
      gguf: path.resolve(options.file),
      threads,
      parallel,
      promptTokens,
      genTokens,
      loadMs: round1(loadMs),
      promptTokensPerSecond: round1(median(promptRates)),
      generationTokensPerSecond: round1(median(singleRates)),
      parallelGenerationTokensPerSecond: round1(median(parallelRates)),
      peakRssMb: peakRssMb(),
      machine: machineDescription(threads),
      measuredAt: new Date().toISOString(),
    };
  } finally {
    await loaded.dispose();
  }
}

/** The profile records the machine's throughput at the measured parallelism: what a deployment would deliver. */
export function toThroughputProfile(result: BenchLocalResult): ThroughputProfileFile {
  return {
    kind: "modelpick-throughput-profile",
    model: result.model,
    gguf: result.gguf,
    threads: result.threads,
    parallel: result.parallel,
    promptTokensPerSecond: result.promptTokensPerSecond,
    generationTokensPerSecond: result.parallel > 1 ? result.parallelGenerationTokensPerSecond : result.generationTokensPerSecond,
    measuredAt: result.measuredAt,
    machine: result.machine,
  };
}

/** Written whole or not at all; a filesystem error names the file (io/fs-errors) and is exit 2. */
export function saveThroughputProfile(file: string, result: BenchLocalResult): void {
  writeFileAtomic(file, `${JSON.stringify(toThroughputProfile(result), null, 2)}\n`);
}

export function machineDescription(threads?: number): string {
  const cpu = os.cpus()[0]?.model.trim() ?? "unknown CPU";
  const memoryGb = Math.round(os.totalmem() / 1024 ** 3);
  const used = threads === undefined ? "" : `, ${threads} thread${threads === 1 ? "" : "s"} used`;
  return `${cpu}, ${os.availableParallelism()} hardware threads${used}, ${memoryGb} GB RAM, ${process.platform}-${process.arch}`;
}

/** Deterministic prompt text in the model's own tokens, exactly `count` long. */
function fillerTokens(model: { tokenize(text: string): Token[] }, count: number): Token[] {
  let text = FILLER;
  let tokens = model.tokenize(text);
  while (tokens.length < count) {
    text += FILLER;
    tokens = model.tokenize(text);
  }
  return tokens.slice(0, count);
}

async function processPrompt(sequence: LlamaContextSequence, prompt: Token[]): Promise<number> {
  await sequence.clearHistory();
  const start = performance.now();
  await sequence.evaluateWithoutGeneratingNewTokens(prompt);
  return (prompt.length * 1000) / (performance.now() - start);
}

/**
 * Every sequence reads the same short prompt, then all generate `count` tokens together (greedy, not stopping at
 * end-of-text). Returns generated tokens of all sequences per second of generation.
 */
async function generate(sequences: LlamaContextSequence[], prompt: Token[], count: number): Promise<number> {
  await Promise.all(sequences.map((s) => s.clearHistory()));
  await Promise.all(sequences.map((s) => s.evaluateWithoutGeneratingNewTokens(prompt.slice(0, -1))));
  const start = performance.now();
  await Promise.all(
    sequences.map(async (sequence) => {
      let generated = 0;
      for await (const token of sequence.evaluate(prompt.slice(-1), { temperature: 0 })) {
        void token;
        if (++generated >= count) break;
      }
    }),
  );
  return (sequences.length * count * 1000) / (performance.now() - start);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}
