import { Command } from "commander";
import { positiveInt } from "./flags.js";

interface BenchLocalFlags {
  threads?: number;
  parallel: number;
  promptTokens: number;
  genTokens: number;
  json?: boolean;
  save?: string;
}

export function benchLocalCommand(): Command {
  return new Command("bench-local")
    .description("Measure a local GGUF model on this machine: load time, prompt and generation tokens/s, memory")
    .argument("<model.gguf>", "the GGUF model file")
    .option("--threads <n>", "CPU threads (default: physical cores)", positiveInt("--threads"))
    .option("--parallel <n>", "sequences decoded together for the parallel figure", positiveInt("--parallel"), 4)
    .option("--prompt-tokens <n>", "prompt length for the prompt-processing figure", positiveInt("--prompt-tokens"), 128)
    .option("--gen-tokens <n>", "tokens generated per sequence", positiveInt("--gen-tokens"), 64)
    .option("--json", "print the measurements as JSON")
    .option("--save <file>", "save a throughput profile for `modelpick cost` (selfHosted.throughputProfile)")
    .action(async (file: string, flags: BenchLocalFlags) => {
      const { resolvePath } = await import("../config/load.js");
      const bench = await import("../providers/llama-cpp/bench.js");
      const result = await bench.measureLocalThroughput({
        file: resolvePath(process.cwd(), file),
        threads: flags.threads,
        parallel: flags.parallel,
        promptTokens: flags.promptTokens,
        genTokens: flags.genTokens,
      });
      if (flags.save) bench.saveThroughputProfile(resolvePath(process.cwd(), flags.save), result);
      const { terminalSafe, terminalSafeJson } = await import("../io/terminal.js");
      if (flags.json) {
        process.stdout.write(`${terminalSafeJson(result, 2)}\n`);
        return;
      }
      process.stdout.write(terminalSafe(formatTable(result)));
      if (flags.save) process.stdout.write(`throughput profile saved to ${flags.save}\n`);
    });
}

function formatTable(r: import("../providers/llama-cpp/bench.js").BenchLocalResult): string {
  const rows: Array<[string, string]> = [
    ["model", r.model],
    ["file", r.gguf],
    ["machine", r.machine],
    ["load time", `${r.loadMs} ms`],
    [`prompt processing (${r.promptTokens} tokens)`, `${r.promptTokensPerSecond} tok/s`],
    ["generation, 1 sequence", `${r.generationTokensPerSecond} tok/s`],
    [`generation, ${r.parallel} sequences`, `${r.parallelGenerationTokensPerSecond} tok/s (all sequences)`],
    ["peak memory (RSS)", `${r.peakRssMb} MB`],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  return `${rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`).join("\n")}\n`;
}
