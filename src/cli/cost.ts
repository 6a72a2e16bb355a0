import { Command, Option } from "commander";
import { InputError } from "../errors.js";
import { EXIT, setExitCode } from "./exit.js";

interface CostFlags {
  config?: string;
  tokensPerDay?: string;
  requestsPerDay?: string;
  inputShare?: string;
  inputTokens?: string;
  outputTokens?: string;
  results?: string;
  models?: string;
  prices?: string;
  throughputProfile?: string[];
  batch?: boolean;
  cacheHitRate?: string;
  cacheWriteRate?: string;
  utilization?: string;
  peakFactor?: string;
  minReplicas?: string;
  electricityUsdPerKwh?: string;
  opsMonthlyUsd?: string;
  format: string;
}

const FORMATS = ["table", "json", "csv", "md"];

export function costCommand(): Command {
  return new Command("cost")
    .description("project the monthly bill for API and self-hosted models, and where self-hosting starts to pay")
    .option("-c, --config <file>", "config file (default: ./modelpick.yaml when present; optional)")
    .option("--tokens-per-day <n>", "daily volume in tokens, e.g. 250k, 100m, 1.5b")
    .option("--requests-per-day <n>", "daily volume in requests (tokens per request from --input-tokens/--output-tokens or --results)")
    .option("--input-share <x>", "share of tokens that are input (prompt), 0–1 (default 0.75)")
    .option("--input-tokens <n>", "input tokens per request")
    .option("--output-tokens <n>", "output tokens per request")
    .option("--results <dir>", "measure tokens per request, per category, from an eval run's results.jsonl")
    .option("-m, --models <list>", "comma-separated: config model ids, catalog model names, catalog throughput profiles (default: all config models)")
    .option("--prices <file>", "your prices: LiteLLM model_prices_and_context_window.json or a modelpick YAML/JSON price map")
    .option("--throughput-profile <file...>", "bench-local throughput profile(s); each applies to the config model its `model` names")
    .option("--batch", "use batch-API prices where the provider has them")
    .option("--cache-hit-rate <x>", "share of input tokens read from the prompt cache, 0–1")
    .option("--cache-write-rate <x>", "share of input tokens written to the prompt cache, 0–1")
    .option("--utilization <x>", "share of a replica's throughput usable in practice, 0–1 (default: the model's, else 0.5)")
    .option("--peak-factor <x>", "peak token rate ÷ average token rate (default 2)")
    .option("--min-replicas <n>", "self-hosted replicas kept up for availability (default: the model's, else 1)")
    .option("--electricity-usd-per-kwh <x>", "charge GPU power at this price (own hardware; cloud GPU prices include power)")
    .option("--ops-monthly-usd <x>", "fixed monthly operations cost per self-hosted option")
    .addOption(new Option("--format <format>", "output format").choices(FORMATS).default("table"))
    .action(async (flags: CostFlags) => {
      await runCostCommand(flags);
      setExitCode(EXIT.ok);
    });
}

async function runCostCommand(flags: CostFlags): Promise<void> {
  const { parseNumber, parseVolume } = await import("../cost/units.js");
  const { runCostProjection } = await import("../cost/run.js");
  const share = (flag: string, text?: string) => (text === undefined ? undefined : parseNumber(text, flag, { min: 0, max: 1 }));
  const models = flags.models?.split(",").map((m) => m.trim()).filter(Boolean);
  if (models && models.length === 0) throw new InputError("--models: expected a comma-separated list of model names");
  const report = await runCostProjection({
    cwd: process.cwd(),
    configFile: flags.config,
    tokensPerDay: flags.tokensPerDay === undefined ? undefined : parseVolume(flags.tokensPerDay, "--tokens-per-day"),
    requestsPerDay: flags.requestsPerDay === undefined ? undefined : parseVolume(flags.requestsPerDay, "--requests-per-day"),
    inputShare: flags.inputShare === undefined ? undefined : parseNumber(flags.inputShare, "--input-share", { min: 0, max: 1, exclusiveMin: true }),
    inputTokens: flags.inputTokens === undefined ? undefined : parseVolume(flags.inputTokens, "--input-tokens"),
    outputTokens: flags.outputTokens === undefined ? undefined : parseVolume(flags.outputTokens, "--output-tokens"),
    resultsDir: flags.results,
    models,
    pricesFile: flags.prices,
    throughputProfiles: flags.throughputProfile,
    batch: flags.batch === true,
    cacheHitRate: share("--cache-hit-rate", flags.cacheHitRate),
    cacheWriteRate: share("--cache-write-rate", flags.cacheWriteRate),
    utilization: flags.utilization === undefined ? undefined : parseNumber(flags.utilization, "--utilization", { min: 0, max: 1, exclusiveMin: true }),
    peakFactor: flags.peakFactor === undefined ? undefined : parseNumber(flags.peakFactor, "--peak-factor", { min: 1 }),
    minReplicas: flags.minReplicas === undefined ? undefined : parseNumber(flags.minReplicas, "--min-replicas", { min: 1, integer: true }),
    electricityUsdPerKWh: flags.electricityUsdPerKwh === undefined ? undefined : parseNumber(flags.electricityUsdPerKwh, "--electricity-usd-per-kwh", { min: 0 }),
    opsMonthlyUsd: flags.opsMonthlyUsd === undefined ? undefined : parseNumber(flags.opsMonthlyUsd, "--ops-monthly-usd", { min: 0 }),
  });
  if (flags.results) process.stderr.write(`${(await import("../report/results-line.js")).resultsLine(flags.results)}\n`);
  process.stdout.write(await render(report, flags.format));
}

async function render(report: Awaited<ReturnType<typeof import("../cost/run.js").runCostProjection>>, format: string): Promise<string> {
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
