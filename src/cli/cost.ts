import { Command, Option } from "commander";
import type { CostOptions, CostReport } from "../cost/run.js";
import { EXIT, setExitCode } from "./exit.js";
import { addFlags, nonEmptyList, numberIn, volume, type FlagTable } from "./flags.js";

const FORMATS = ["table", "json", "csv", "md"];

const share = numberIn({ min: 0, max: 1 });
const positiveShare = numberIn({ min: 0, max: 1, exclusiveMin: true });

/** Every option of the projection, and the flag that sets it (or why none does). */
const COST_FLAGS: FlagTable<CostOptions> = {
  cwd: null, // the working directory the command runs in
  configFile: { flag: "-c, --config <file>", description: "config file (default: ./modelpick.yaml when present; optional)" },
  tokensPerDay: { flag: "--tokens-per-day <n>", description: "daily volume in tokens, e.g. 250k, 100m, 1.5b", parse: volume },
  requestsPerDay: {
    flag: "--requests-per-day <n>",
    description: "daily volume in requests (tokens per request from --input-tokens/--output-tokens or --results)",
    parse: volume,
  },
  inputShare: { flag: "--input-share <x>", description: "share of tokens that are input (prompt), 0–1 (default 0.75)", parse: positiveShare },
  inputTokens: { flag: "--input-tokens <n>", description: "input tokens per request", parse: volume },
  outputTokens: { flag: "--output-tokens <n>", description: "output tokens per request", parse: volume },
  resultsDir: { flag: "--results <dir>", description: "measure tokens per request, per category, from an eval run's results.jsonl" },
  models: {
    flag: "-m, --models <list>",
    description: "comma-separated: config model ids, catalog model names, catalog throughput profiles (default: all config models)",
    parse: nonEmptyList("model names"),
  },
  pricesFile: {
    flag: "--prices <file>",
    description: "your prices: LiteLLM model_prices_and_context_window.json or a modelpick YAML/JSON price map, ahead of the config's prices: file",
  },
  throughputProfiles: {
    flag: "--throughput-profile <file...>",
    description: "bench-local throughput profile(s); each applies to the config model its `model` names",
  },
  batch: { flag: "--batch", description: "use batch-API prices where the provider has them" },
  cacheHitRate: { flag: "--cache-hit-rate <x>", description: "share of input tokens read from the prompt cache, 0–1", parse: share },
  cacheWriteRate: { flag: "--cache-write-rate <x>", description: "share of input tokens written to the prompt cache, 0–1", parse: share },
  utilization: {
    flag: "--utilization <x>",
    description: "share of a replica's throughput usable in practice, 0–1 (default: the model's, else 0.5)",
    parse: positiveShare,
  },
  peakFactor: { flag: "--peak-factor <x>", description: "peak token rate ÷ average token rate (default 2)", parse: numberIn({ min: 1 }) },
  minReplicas: {
    flag: "--min-replicas <n>",
    description: "self-hosted replicas kept up for availability (default: the model's, else 1)",
    parse: numberIn({ min: 1, integer: true }),
  },
  electricityUsdPerKWh: {
    flag: "--electricity-usd-per-kwh <x>",
    description: "charge GPU power at this price (own hardware; cloud GPU prices include power)",
    parse: numberIn({ min: 0 }),
  },
  opsMonthlyUsd: { flag: "--ops-monthly-usd <x>", description: "fixed monthly operations cost per self-hosted option", parse: numberIn({ min: 0 }) },
};

export function costCommand(): Command {
  const command = new Command("cost").description("project the monthly bill for API and self-hosted models, and where self-hosting starts to pay");
  const costOptions = addFlags(command, COST_FLAGS);
  return command
    .addOption(new Option("--format <format>", "output format").choices(FORMATS).default("table"))
    .action(async (flags: Record<string, unknown> & { format: string; results?: string }) => {
      await runCostCommand({ ...costOptions(flags), cwd: process.cwd() }, flags.format);
      setExitCode(EXIT.ok);
    });
}

async function runCostCommand(options: CostOptions, format: string): Promise<void> {
  const { runCostProjection } = await import("../cost/run.js");
  const report = await runCostProjection(options);
  if (options.resultsDir) process.stderr.write(`${(await import("../report/results-line.js")).resultsLine(options.resultsDir)}\n`);
  process.stdout.write(await render(report, format));
}

async function render(report: CostReport, format: string): Promise<string> {
  switch (format) {
    case "json":
      return (await import("../report/cost-json.js")).renderCostJson(report);
    case "csv":
      return (await import("../report/cost-csv.js")).renderCostCsv(report);
    case "md":
      return (await import("../report/cost-md.js")).renderCostMarkdown(report);
    default:
      return (await import("../report/cost-table.js")).renderCostTable(report);
  }
}
