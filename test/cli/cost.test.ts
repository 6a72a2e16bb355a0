import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";

const LITELLM_SAMPLE = fileURLToPath(new URL("../fixtures/litellm-sample.json", import.meta.url));

function project(config?: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), "modelpick-cost-cli-"));
  if (config) writeFileSync(path.join(dir, "modelpick.yaml"), config);
  return dir;
}

const CONFIG = `dataset: data.jsonl
models:
  - id: sonnet
    provider: anthropic
    model: claude-sonnet-4-6
  - id: llama-70b
    provider: openai-compatible
    hosting: self-hosted
    baseURL: http://gpu-box:8000/v1
    model: llama
    selfHosted: { gpu: h100, gpusPerReplica: 2, tokensPerSecond: 1700, utilization: 0.6 }
`;

describe("modelpick cost", () => {
  it("lists config models it cannot cost instead of failing, but fails for one named with --models", async () => {
    const cwd = project(CONFIG + "  - { id: qwen, provider: recorded, file: q.csv, hosting: self-hosted }\n");
    const result = await runCli(["cost", "--tokens-per-day", "10m", "--format", "json"], { cwd });
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.models.map((m: { id: string }) => m.id).sort()).toEqual(["llama-70b", "sonnet"]);
    expect(report.notCosted).toEqual([{ id: "qwen", reason: expect.stringMatching(/models\[2\] \(qwen\): a self-hosted model needs a selfHosted: block/) }]);
    expect(report.verdict).toMatch(/Not costed .*: qwen/);
    const named = await runCli(["cost", "--tokens-per-day", "10m", "--models", "qwen"], { cwd });
    expect(named.code).toBe(2);
    expect(named.stderr).toMatch(/qwen\): a self-hosted model needs a selfHosted: block/);
  });

  it("prints the issue's JSON shape, sorted by monthly cost, with price sources and dates", async () => {
    const cwd = project(CONFIG);
    const result = await runCli(["cost", "--tokens-per-day", "100m", "--format", "json"], { cwd });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(Object.keys(report)).toEqual(["assumptions", "priceSource", "models", "notCosted", "breakEven", "quality", "verdict"]);
    expect(report.quality).toBeNull();
    expect(report.notCosted).toEqual([]);
    expect(report.assumptions).toMatchObject({ tokensPerDay: 100e6, inputShare: 0.75, hoursPerMonth: 730, peakFactor: 2 });
    const [first, second] = report.models;
    // 100m/day: 1,157 tok/s × 2 = 2,315 ÷ (1,700 × 0.6) → 3 replicas × 2 H100 × $3.78 × 730 h = $16,556.40.
    expect(first).toMatchObject({ id: "llama-70b", hosting: "self-hosted", gpus: 6, replicas: 3 });
    expect(first.monthlyCostUsd).toBeCloseTo(16_556.4, 2);
    expect(first.gpu).toMatchObject({ hourlyUsd: 3.78, date: "2026-05-07" });
    // sonnet: 3,041.67 MTok × (0.75 × 3 + 0.25 × 15) = $18,250.
    expect(second).toMatchObject({ id: "sonnet", hosting: "cloud", price: { date: "2026-02-17" } });
    expect(second.monthlyCostUsd).toBeCloseTo(18_250, 2);
    expect(second.effectiveCostPerMTokUsd).toBeCloseTo(6, 6);
    expect(second.price.source).toMatch(/built-in catalog/);
    expect(report.breakEven).toEqual([expect.objectContaining({ selfHosted: "llama-70b", api: "sonnet", cheaperAtProjectedVolume: "self-hosted" })]);
    // one replica ($5,518.80) pays for itself at 5,518.80 / 182.5 per 1m/day = 30.24m tokens/day.
    expect(report.breakEven[0].tokensPerDay).toBeCloseTo(30_240_000, -3);
    expect(report.verdict).toMatch(/llama-70b needs 6× h100/);
  });

  it("names a figure written in the config by its file and field once, and prints a GPU price with separators", async () => {
    const config = CONFIG.replace(
      "{ gpu: h100,",
      "{ gpu: h100, gpuHourlyUsd: 1234.5, watts: 700, inputTokensPerSecond: 900, outputTokensPerSecond: 800,",
    ).replace(" tokensPerSecond: 1700,", "");
    const cwd = project(config);
    const args = ["cost", "--tokens-per-day", "100m", "--models", "llama-70b", "--electricity-usd-per-kwh", "0.1"];
    const json = await runCli([...args, "--format", "json"], { cwd });
    expect(json.code).toBe(0);
    const [model] = JSON.parse(json.stdout).models;
    const field = "modelpick.yaml: models[1] (llama-70b).selfHosted.";
    expect([model.gpu.source, model.throughput.source, model.electricity.source]).toEqual([
      `${field}gpuHourlyUsd`,
      `${field}inputTokensPerSecond/outputTokensPerSecond`,
      `${field}watts`,
    ]);
    const csv = await runCli([...args, "--format", "csv"], { cwd });
    expect(csv.stdout).toContain(`GPU $1,234.5/h: ${field}gpuHourlyUsd`);
  });

  it("renders a table with numbered dated sources, and CSV and Markdown", async () => {
    const cwd = project();
    const args = ["cost", "--tokens-per-day", "250k", "--models", "gpt-4o,llama-3.1-8b/vllm-0.5.4/1xh100-fp8"];
    const table = await runCli(args, { cwd });
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/gpt-4o .*│ api/);
    expect(table.stdout).toMatch(/Sources:\n\[1\] .*\(≈?\d{4}/);
    const csv = await runCli([...args, "--format", "csv"], { cwd });
    const lines = csv.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^id,hosting,costing,monthlyCostUsd,effectiveCostPerMTokUsd,gpus/);
    expect(lines).toHaveLength(3);
    const md = await runCli([...args, "--format", "md"], { cwd });
    expect(md.stdout).toMatch(/^## Monthly cost projection/);
    expect(md.stdout).toMatch(/\| Model \| Hosting \| Monthly \|/);
  });

  it("imports a LiteLLM price file with --prices and names it as the source", async () => {
    const cwd = project();
    const result = await runCli(["cost", "--tokens-per-day", "1m", "--models", "gpt-4.1", "--prices", LITELLM_SAMPLE, "--batch", "--format", "json"], { cwd });
    expect(result.code).toBe(0);
    const [model] = JSON.parse(result.stdout).models;
    expect(model.price).toMatchObject({ source: "LiteLLM litellm-sample.json", batchInputPerMTok: 1, batchOutputPerMTok: 4 });
    // 30.4167 MTok: 22.8125 × $1 + 7.6042 × $4 (batch prices from the file).
    expect(model.monthlyCostUsd).toBeCloseTo(22.8125 + 30.416667, 3);
  });

  it("does not tell a user who gave --prices to pass --prices", async () => {
    const withFile = await runCli(["cost", "--tokens-per-day", "1m", "--models", "gpt-9000", "--prices", LITELLM_SAMPLE], { cwd: project() });
    expect(withFile.code).toBe(2);
    expect(withFile.stderr).toMatch(
      /not in your prices file or the built-in catalog.*; add price: to the model in modelpick\.yaml, add it to your prices file,/,
    );
    expect(withFile.stderr).not.toMatch(/pass --prices/);
    const without = await runCli(["cost", "--tokens-per-day", "1m", "--models", "gpt-9000"], { cwd: project() });
    expect(without.stderr).toMatch(/pass --prices FILE/);
  });

  it.each([
    ["a negative volume", ["--tokens-per-day", "-5m", "--models", "gpt-4o"], /--tokens-per-day: "-5m" is not a positive volume/],
    ["no volume", ["--models", "gpt-4o"], /exactly one of --tokens-per-day/],
    ["an unknown model", ["--tokens-per-day", "1m", "--models", "gpt-9000"], /unknown model "gpt-9000"/],
    ["a utilisation of zero", ["--tokens-per-day", "1m", "--models", "gpt-4o", "--utilization", "0"], /--utilization: "0" is not valid/],
    ["a cache rate over 1", ["--tokens-per-day", "1m", "--models", "gpt-4o", "--cache-hit-rate", "1.5"], /--cache-hit-rate/],
    ["a bad format", ["--tokens-per-day", "1m", "--models", "gpt-4o", "--format", "xml"], /xml/],
  ])("exits 2 for %s", async (_name, args, message) => {
    const result = await runCli(["cost", ...args], { cwd: project() });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it.each([
    ["--requests-per-day", "0"],
    ["--input-share", "1.5"],
    ["--input-tokens", "-1"],
    ["--output-tokens", "x"],
    ["--cache-write-rate", "-0.1"],
    ["--peak-factor", "0.5"],
    ["--min-replicas", "1.5"],
    ["--electricity-usd-per-kwh", "-1"],
    ["--ops-monthly-usd", "lots"],
  ])("exits 2 for %s %s, naming the flag and the value", async (flag, value) => {
    const result = await runCli(["cost", "--tokens-per-day", "1m", "--models", "gpt-4o", flag, value], { cwd: project() });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`^error: ${flag}: "${value.replace(".", "\\.")}" is not`));
  });

  it("exits 2 for an empty --models list", async () => {
    const result = await runCli(["cost", "--tokens-per-day", "1m", "--models", " , "], { cwd: project() });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("error: --models: expected a comma-separated list of model names\n");
  });

  it("exits 2 for zero throughput in the config, naming the field", async () => {
    const cwd = project(CONFIG.replace("tokensPerSecond: 1700", "tokensPerSecond: 0"));
    const result = await runCli(["cost", "--tokens-per-day", "1m"], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/modelpick\.yaml:\d+: models\[1\]\.selfHosted\.tokensPerSecond/);
  });
});
