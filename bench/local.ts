/**
 * Local GGUF speed targets (issue 3), with the test suite's tiny random-weight model:
 *  - generation throughput of `modelpick eval` within 10 % of node-llama-cpp's own loop (same model, same threads);
 *  - `parallel: 4` delivering at least 2x the items per second of `parallel: 1` on a 100-item dataset.
 * The machine is shared and small (2 cores), so each figure is the median of interleaved repetitions.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { stringify } from "yaml";
import { writeTinyGguf } from "../test/helpers/gguf-writer.js";
import { ROOT, measureCli, report } from "./harness.js";

const THREADS = 1;
const REPEATS = 3;

interface LocalModelSpec {
  id: string;
  parallel: number;
  maxTokens: number;
}

export async function benchLocal(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), "modelpick-bench-local-"));
  const model = writeTinyGguf(path.join(dir, "tiny.gguf"));
  console.log(`local GGUF: tiny random-weight llama model, ${model.parameters.toLocaleString("en")} parameters, F32, ${THREADS} thread`);
  await harnessOverhead(dir, model.file);
  await parallelSpeedup(dir, model.file);
}

/** Generation tokens/s: modelpick eval (the provider's own measurement) against a bare node-llama-cpp loop. */
async function harnessOverhead(dir: string, file: string): Promise<void> {
  const items = questions(50);
  const project = localProject(dir, "overhead", file, items, [{ id: "tiny", parallel: 1, maxTokens: 64 }]);
  const evalRates: number[] = [];
  const rawRates: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    rawRates.push((await rawLoop(file, items, 64)).tokensPerSecond);
    const summary = await evalSummary(project, `out-${i}`);
    evalRates.push(throughputOf(summary, "tiny").generationTokensPerSecond!);
  }
  const evalRate = median(evalRates);
  const rawRate = median(rawRates);
  const ratio = evalRate / rawRate;
  report(
    "eval generation tok/s vs node-llama-cpp loop (tiny, 1 thread)",
    `${evalRate.toFixed(0)} vs ${rawRate.toFixed(0)} (${(ratio * 100).toFixed(0)} %)`,
    ">= 90 %",
    ratio >= 0.9,
  );
}

/** Items per second of a whole eval (model load excluded) with 4 sequences decoded together versus 1. */
async function parallelSpeedup(dir: string, file: string): Promise<void> {
  const items = questions(100);
  const project = localProject(dir, "parallel", file, items, [
    { id: "p1", parallel: 1, maxTokens: 32 },
    { id: "p4", parallel: 4, maxTokens: 32 },
  ]);
  const rates: Record<string, number[]> = { p1: [], p4: [] };
  const raw: Record<string, number[]> = { p1: [], p4: [] };
  for (let i = 0; i < REPEATS; i++) {
    raw.p1!.push((await rawLoop(file, items, 32, 1)).itemsPerSecond);
    raw.p4!.push((await rawLoop(file, items, 32, 4)).itemsPerSecond);
    for (const id of ["p1", "p4"]) {
      const summary = await evalSummary(project, `out-${id}-${i}`, ["--models", id]);
      const evalMs = Date.parse(summary.run.endedAt) - Date.parse(summary.run.startedAt) - throughputOf(summary, id).loadMs!;
      rates[id]!.push((summary.run.items * 1000) / evalMs);
    }
  }
  const one = median(rates.p1!);
  const four = median(rates.p4!);
  report(
    "eval items/s, parallel 4 vs 1 (100 items, 32 tokens)",
    `${four.toFixed(1)} vs ${one.toFixed(1)} (${(four / one).toFixed(2)}x)`,
    ">= 2x",
    four / one >= 2,
  );
  const rawOne = median(raw.p1!);
  const rawFour = median(raw.p4!);
  console.log(
    `      for comparison, node-llama-cpp alone: ${rawFour.toFixed(1)} vs ${rawOne.toFixed(1)} items/s (${(rawFour / rawOne).toFixed(2)}x)`,
  );
}

function questions(count: number): Array<Record<string, unknown>> {
  return Array.from({ length: count }, (_, i) => ({
    id: `q${i}`,
    category: `cat${i % 4}`,
    input: `Question ${i}: what is ${i} plus ${i * 3}?`,
    expected: String(i * 4),
    scorer: "contains",
  }));
}

function localProject(
  dir: string,
  name: string,
  file: string,
  items: Array<Record<string, unknown>>,
  models: LocalModelSpec[],
): string {
  const project = mkdtempSync(path.join(dir, `${name}-`));
  writeFileSync(path.join(project, "tasks.jsonl"), items.map((item) => JSON.stringify(item)).join("\n") + "\n");
  const config = {
    dataset: "tasks.jsonl",
    models: models.map((m) => ({
      id: m.id,
      provider: "llama-cpp",
      path: file,
      threads: THREADS,
      parallel: m.parallel,
      concurrency: m.parallel,
      contextSize: 512,
      maxTokens: m.maxTokens,
    })),
  };
  writeFileSync(path.join(project, "modelpick.yaml"), stringify(config));
  return project;
}

interface Summary {
  run: { items: number; startedAt: string; endedAt: string; models: Array<{ id: string; throughput?: Record<string, number> }> };
}

async function evalSummary(project: string, out: string, extra: string[] = []): Promise<Summary> {
  const measured = await measureCli(["eval", "--no-cache", "--json", "--out", out, ...extra], project);
  if (measured.code !== 0) throw new Error(`local eval failed (exit ${measured.code}): ${measured.stderr}`);
  return JSON.parse(readFileSync(path.join(project, out, "summary.json"), "utf8")) as Summary;
}

function throughputOf(summary: Summary, id: string): Record<string, number> {
  const throughput = summary.run.models.find((m) => m.id === id)?.throughput;
  if (!throughput) throw new Error(`summary.json has no throughput for ${id}`);
  return throughput;
}

/**
 * node-llama-cpp without modelpick, in a fresh process like the eval's (a warm process is faster): the same chat
 * prompts, one sequence, greedy, `maxTokens` tokens each, timed as the provider times generation (first to last token).
 */
const RAW_LOOP = `
const [llamaCppUrl, file, itemsJson, maxTokensText, threadsText, parallelText] = process.argv.slice(2);
const { getLlama, resolveChatWrapper } = await import(llamaCppUrl);
const threads = Number(threadsText);
const maxTokens = Number(maxTokensText);
const parallel = Number(parallelText);
const inputs = JSON.parse(itemsJson);
const llama = await getLlama({ gpu: false, build: "never", maxThreads: threads, logLevel: "error" });
const model = await llama.loadModel({ modelPath: file });
const context = await model.createContext({ contextSize: 512, sequences: parallel, threads });
const wrapper = resolveChatWrapper(model);
let generated = 0;
let generationMs = 0;
const started = performance.now();
await Promise.all(Array.from({ length: parallel }, async (_, lane) => {
  const sequence = context.getSequence();
  for (let i = lane; i < inputs.length; i += parallel) {
    const history = [{ type: "user", text: inputs[i] }, { type: "model", response: [] }];
    const prompt = wrapper.generateContextState({ chatHistory: history }).contextText.tokenize(model.tokenizer);
    await sequence.clearHistory();
    let count = 0;
    let firstAt = 0;
    for await (const token of sequence.evaluate(prompt)) {
      if (count++ === 0) firstAt = performance.now();
      if (count >= maxTokens) break;
    }
    generationMs += performance.now() - firstAt;
    generated += count - 1;
  }
}));
const itemsPerSecond = (inputs.length * 1000) / (performance.now() - started);
await context.dispose();
await model.dispose();
await llama.dispose();
console.log(JSON.stringify({ tokensPerSecond: (generated * 1000) / generationMs, itemsPerSecond }));
`;

interface RawFigures {
  /** Generation tokens/s of one sequence (meaningful with parallel 1). */
  tokensPerSecond: number;
  itemsPerSecond: number;
}

async function rawLoop(file: string, items: Array<Record<string, unknown>>, maxTokens: number, parallel = 1): Promise<RawFigures> {
  const { execFile } = await import("node:child_process");
  // A script file, not `node -e`: node-llama-cpp re-runs process.execArgv to test its binary.
  const script = path.join(path.dirname(file), "raw-loop.mjs");
  writeFileSync(script, RAW_LOOP);
  const llamaCppUrl = pathToFileURL(path.join(ROOT, "node_modules", "node-llama-cpp", "dist", "index.js")).href;
  const inputs = JSON.stringify(items.map((i) => i.input));
  const args = [script, llamaCppUrl, file, inputs, String(maxTokens), String(THREADS), String(parallel)];
  const stdout = await new Promise<string>((resolve, reject) =>
    execFile(process.execPath, args, { cwd: ROOT, maxBuffer: 1 << 20 }, (error, out) => (error ? reject(error) : resolve(out))),
  );
  return JSON.parse(stdout.trim().split("\n").at(-1)!) as RawFigures;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}
