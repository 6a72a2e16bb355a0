import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import type { SelfHostedCost } from "../../src/cost/project.js";
import { runCostProjection } from "../../src/cost/run.js";

const CONFIG = `
dataset: data.jsonl
prices: prices.yaml
models:
  - id: sonnet
    provider: anthropic
    model: claude-sonnet-4-6
  - id: cheap-contract
    provider: openai
    model: gpt-4o
  - id: llama-70b
    provider: openai-compatible
    hosting: self-hosted
    baseURL: http://gpu-box:8000/v1
    model: llama
    selfHosted:
      gpu: h100
      gpusPerReplica: 2
      tokensPerSecond: 1700
      utilization: 0.6
      minReplicas: 2
      electricityUsdPerKWh: 0.2
      opsMonthlyUsd: 500
  - id: laptop
    provider: llama-cpp
    path: model.gguf
    selfHosted:
      gpuHourlyUsd: 0.1
      throughputProfile: profile.json
`;

function project(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "modelpick-cost-"));
  writeFileSync(path.join(dir, "modelpick.yaml"), CONFIG);
  writeFileSync(path.join(dir, "prices.yaml"), "source: contract\ndate: 2026-10-01\nprices:\n  gpt-4o: { inputPerMTok: 2, outputPerMTok: 8 }\n");
  writeFileSync(
    path.join(dir, "profile.json"),
    JSON.stringify({
      kind: "modelpick-throughput-profile",
      model: "laptop",
      gguf: "model.gguf",
      threads: 8,
      parallel: 1,
      promptTokensPerSecond: 400,
      generationTokensPerSecond: 40,
      measuredAt: "2026-11-20T10:00:00Z",
      machine: "test box",
    }),
  );
  return dir;
}

describe("runCostProjection with a config", () => {
  it("costs API and self-hosted models with prices, GPUs and throughput from their sources", async () => {
    const cwd = project();
    const report = await runCostProjection({ cwd, tokensPerDay: 86.4e6 });
    const byId = new Map(report.models.map((m) => [m.id, m]));
    // sonnet from the catalog: 86.4m/day × 30.4167 days = 2,628 MTok → 1,971 × 3 + 657 × 15 = $15,768.
    expect(byId.get("sonnet")).toMatchObject({ hosting: "cloud", price: { date: "2026-02-17" } });
    expect(byId.get("sonnet")!.monthlyCostUsd).toBeCloseTo(15_768, 6);
    // gpt-4o from the prices file: 1,971 × 2 + 657 × 8 = $9,198.
    expect(byId.get("cheap-contract")!.monthlyCostUsd).toBeCloseTo(9198, 6);
    expect(byId.get("cheap-contract")).toMatchObject({ price: { source: "contract", date: "2026-10-01" } });

    // 1,000 tok/s average × peak 2 = 2,000 ÷ (1,700 × 0.6 = 1,020) → 2 replicas (= min 2) → 4 H100.
    const llama = byId.get("llama-70b") as SelfHostedCost;
    expect(llama).toMatchObject({ hosting: "self-hosted", replicas: 2, gpus: 4 });
    expect(llama.gpu).toMatchObject({ name: "h100", hourlyUsd: 3.78, date: "2026-05-07" });
    // 4 × 3.78 × 730 = 11,037.60; power 4 × 0.7 kW × 730 h × $0.20 = 408.80; ops 500.
    expect(llama.breakdown.gpuUsd).toBeCloseTo(11_037.6, 6);
    expect(llama.breakdown.electricityUsd).toBeCloseTo(408.8, 6);
    expect(llama.monthlyCostUsd).toBeCloseTo(11_946.4, 6);
    expect(llama.utilizationReached).toBeCloseTo(1000 / 3400, 9);

    // bench-local profile: 750 prompt tok/s at 400 + 250 generated at 40 = 8.125 replicas of work; ×2 ÷ 0.5 → 33.
    const laptop = byId.get("laptop") as SelfHostedCost;
    expect(laptop.throughput).toMatchObject({ counts: "separate", date: "2026-11-20" });
    expect(laptop.throughput.source).toMatch(/bench-local profile .*profile\.json \(test box/);
    expect(laptop.replicas).toBe(33);
    expect(laptop.monthlyCostUsd).toBeCloseTo(33 * 0.1 * 730, 6);

    expect(report.models.map((m) => m.monthlyCostUsd)).toEqual([...report.models.map((m) => m.monthlyCostUsd)].sort((a, b) => a - b));
    expect(report.breakEven).toHaveLength(4);
    expect(report.priceSource).toMatch(/^price: in modelpick\.yaml > prices\.yaml: contract \(1 prices\) > modelpick built-in catalog/);
    expect(report.verdict).toMatch(/cheapest option is/);
  });

  it("lets flags override the models' own utilisation and minimum replicas", async () => {
    const report = await runCostProjection({ cwd: project(), tokensPerDay: 86.4e6, models: ["llama-70b"], utilization: 1, minReplicas: 1 });
    // 2,000 ÷ 1,700 → 2 replicas still; at 50m/day: 1,157 ÷ 1,700 → 1.
    expect((report.models[0] as SelfHostedCost).replicas).toBe(2);
    const smaller = await runCostProjection({ cwd: project(), tokensPerDay: 50e6, models: ["llama-70b"], utilization: 1, minReplicas: 1 });
    expect((smaller.models[0] as SelfHostedCost).replicas).toBe(1);
  });

  it("rejects unknown and ambiguous model names with hints", async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), "modelpick-cost-"));
    await expect(runCostProjection({ cwd, tokensPerDay: 1e6, models: ["claude-sonet-4-6"] })).rejects.toThrow(InputError);
    await expect(runCostProjection({ cwd, tokensPerDay: 1e6, models: ["claude-sonet-4-6"] })).rejects.toThrow(/unknown model .*similar: .*claude/);
    await expect(runCostProjection({ cwd, tokensPerDay: 1e6, models: ["gpt-oss-120b"] })).rejects.toThrow(
      /matches several catalog entries: .*groq\/gpt-oss-120b/,
    );
    await expect(runCostProjection({ cwd, tokensPerDay: 1e6 })).rejects.toThrow(/no models to cost/);
    await expect(runCostProjection({ cwd, tokensPerDay: 1e6, models: ["gpt-4o"], cacheHitRate: 0.8, cacheWriteRate: 0.3 })).rejects.toThrow(/more than 1/);
  });

  it("costs a catalog throughput profile named in --models with its default GPU offer", async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), "modelpick-cost-"));
    const report = await runCostProjection({ cwd, tokensPerDay: 100e6, models: ["llama-3.1-70b/vllm-0.5.4/2xh100-fp8", "gpt-4o"] });
    const llama = report.models.find((m) => m.hosting === "self-hosted") as SelfHostedCost;
    // 25% of 100m/day = 289.35 output tok/s, ×2 peak = 578.7 ÷ (1,727.69 × 0.5) → 1 replica of 2 H100 = $5,518.80.
    expect(llama).toMatchObject({ replicas: 1, gpus: 2 });
    expect(llama.monthlyCostUsd).toBeCloseTo(2 * 3.78 * 730, 6);
    expect(report.breakEven[0]).toMatchObject({ selfHosted: llama.id, api: "gpt-4o", cheaperAtProjectedVolume: "self-hosted" });
  });
});

describe("runCostProjection with results: what the cheapest option gives up", () => {
  /** Results of two costed models: cheap is right on 1 item in 4, dear on 3 in 4; dear also skipped q4 (sensitive). */
  function withResults(): string {
    const cwd = mkdtempSync(path.join(tmpdir(), "modelpick-cost-"));
    writeFileSync(
      path.join(cwd, "modelpick.yaml"),
      "dataset: data.jsonl\nmodels:\n  - { id: cheap, provider: openai, model: gpt-6-luna }\n  - { id: dear, provider: openai, model: gpt-6-astra }\n" +
        "  - { id: unpriced, provider: openai-compatible, hosting: self-hosted, baseURL: 'http://gpu:8000/v1', model: m }\n",
    );
    const row = (model: string, itemId: string, score: number | null, skipped: string | null = null) =>
      JSON.stringify({ itemId, model, category: "c", score, error: null, skipped, inputTokens: skipped ? null : 300, outputTokens: skipped ? null : 100 });
    const rows = [];
    for (let i = 0; i < 4; i++) {
      rows.push(row("cheap", `q${i}`, i === 0 ? 1 : 0), row("dear", `q${i}`, i === 3 ? 0 : 1), row("unpriced", `q${i}`, 1));
    }
    rows.push(row("cheap", "q4", 1), row("dear", "q4", null, "sensitive"), row("unpriced", "q4", 1));
    mkdirSync(path.join(cwd, "run"));
    writeFileSync(path.join(cwd, "run", "results.jsonl"), rows.join("\n") + "\n");
    return cwd;
  }

  it("names the cheapest option and its quality against the best costed model's, on the items both answered", async () => {
    const cwd = withResults();
    const report = await runCostProjection({ cwd, tokensPerDay: 100e6, resultsDir: path.join(cwd, "run") });
    expect(report.models[0]!.id).toBe("cheap");
    // On the 4 items every costed model scored (q4 was skipped by dear): cheap 0.25, dear 0.75.
    expect(report.quality).toMatchObject({
      sharedItems: 4,
      models: [
        { id: "cheap", mean: 0.25, n: 4 },
        { id: "dear", mean: 0.75, n: 4 },
      ],
    });
    expect(report.verdict).toMatch(
      /cheapest option is cheap at \$[\d,]+\/month .*It scores 0\.250 against 0\.750 for dear \(−0\.500, 95 % CI −[\d.]+ to [−+][\d.]+\), the best-scoring costed model, on the 4 items every costed model answered/,
    );
  });

  it("says so when the cheapest option is also the best, or has no results", async () => {
    const cwd = withResults();
    const best = await runCostProjection({ cwd, tokensPerDay: 100e6, resultsDir: path.join(cwd, "run"), models: ["dear"] });
    expect(best.verdict).toMatch(/It is also the best-scoring costed model on your data \(0\.750 on 4 items\)/);
    const unknown = await runCostProjection({ cwd, tokensPerDay: 100e6, resultsDir: path.join(cwd, "run"), models: ["gpt-6-luna", "dear"] });
    expect(unknown.verdict).toMatch(/gpt-6-luna has no scored answers in .*run: what it gives up in quality is not known/);
  });
});
