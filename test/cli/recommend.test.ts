import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { RoutingDocument } from "../../src/routing/document.js";
import type { ResultRow } from "../../src/runner/types.js";
import { rowsFor, runModel, runModelpick, tempDir, writeResultsDir } from "../routing/fixtures.js";

function results(): ResultRow[] {
  const all = "1".repeat(30);
  return [
    ...rowsFor("sonnet", "extraction", all, { costUsd: 0.006, inputTokens: 1500, outputTokens: 500, latencyMs: 900 }),
    ...rowsFor("haiku", "extraction", "0" + "1".repeat(29), { costUsd: 0.0008, inputTokens: 1500, outputTokens: 500, latencyMs: 400 }),
    ...rowsFor("qwen-local", "extraction", "0".repeat(10) + "1".repeat(20), { latencyMs: 1500 }),
    ...rowsFor("sonnet", "pii", "s".repeat(30)),
    ...rowsFor("haiku", "pii", "s".repeat(30)),
    ...rowsFor("qwen-local", "pii", all, { latencyMs: 1500 }),
  ];
}

const MODELS = [
  runModel("sonnet", { provider: "anthropic", model: "claude-sonnet-4-6" }),
  runModel("haiku", { provider: "anthropic", model: "claude-haiku-4-5" }),
  runModel("qwen-local", { provider: "openai-compatible", model: "qwen2.5-7b-instruct", hosting: "self-hosted", license: "apache-2.0" }),
];

describe("modelpick recommend (CLI)", () => {
  it("prints the table and writes a routing file that is byte-identical when regenerated", async () => {
    const dir = tempDir();
    writeResultsDir(path.join(dir, "run"), results(), MODELS, { runId: "run-2026-11-20" });
    const first = await runModelpick(["recommend", "--results", "run", "--tokens-per-day", "10m", "--out", "routing.ts"], { cwd: dir });
    expect(first.stderr).toBe("Results: run (run run-2026-11-20, finished 2026-11-20 10:00 UTC)\n");
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/│ extraction\s+│ haiku\s+│ 0\.967 \[0\.833, 0\.994\] n=30 │ \$0\.8000\s+│ \$60\.83\s+│ sonnet: costs more: \$6\.00 vs \$0\.8000 per 1k requests/);
    expect(first.stdout).toMatch(/│ pii \(sensitive\)\s+│ qwen-local .*│ haiku, sonnet: cloud-hosted, never sent sensitive/);
    expect(first.stdout).toMatch(/best single model \(sonnet\)/);
    expect(first.stdout).toMatch(/Routing table written to routing\.ts/);
    const text = readFileSync(path.join(dir, "routing.ts"), "utf8");
    expect(text).toMatch(/export const MODEL_ROUTING: Record<TaskCategory, ModelRoute> = \{/);
    expect(text).toMatch(/"model": "claude-haiku-4-5"/);
    const again = await runModelpick(["recommend", "--results", "run", "--tokens-per-day", "10m", "--out", "again.ts"], { cwd: dir });
    expect(again.code).toBe(0);
    expect(readFileSync(path.join(dir, "again.ts"), "utf8")).toBe(text);
  });

  it("prints only the routing file on stdout with --format and no --out, and takes route settings from --config", async () => {
    const dir = tempDir();
    writeResultsDir(path.join(dir, "run"), results(), MODELS);
    writeFileSync(
      path.join(dir, "models.yaml"),
      [
        "dataset: tasks.jsonl",
        "models:",
        "  - { id: haiku, provider: anthropic, model: claude-haiku-4-5, maxTokens: 2048, temperature: 0.3 }",
        "  - { id: qwen-local, provider: openai-compatible, model: qwen2.5-7b-instruct, hosting: self-hosted, baseURL: 'http://user:secret@gpu-box:8000/v1' }",
        "",
      ].join("\n"),
    );
    const result = await runModelpick(["recommend", "--results", "run", "--format", "json", "--config", "models.yaml"], { cwd: dir });
    expect(result.code).toBe(0);
    const document = JSON.parse(result.stdout) as RoutingDocument;
    expect(document.routes.extraction).toMatchObject({ id: "haiku", maxTokens: 2048, temperature: 0.3 });
    expect(document.routes.pii).toMatchObject({ id: "qwen-local", hosting: "self-hosted", baseURL: "http://gpu-box:8000/v1" });
    expect(result.stdout).not.toContain("secret");
    expect(result.stderr).toMatch(/│ extraction/);
  });

  it("costs a self-hosted model with a selfHosted: block as its GPU fleet, in the table and the routing file's evidence", async () => {
    const dir = tempDir();
    const tokens = { inputTokens: 800, outputTokens: 200 };
    const rows = results().map((r) => (r.model === "qwen-local" ? { ...r, ...tokens } : r));
    writeResultsDir(path.join(dir, "run"), rows, MODELS);
    const config = (selfHosted: string) =>
      [
        "dataset: tasks.jsonl",
        "models:",
        "  - { id: qwen-local, provider: openai-compatible, model: qwen2.5-7b-instruct, hosting: self-hosted, baseURL: 'http://gpu-box:8000/v1',",
        `      selfHosted: ${selfHosted} }`,
        "",
      ].join("\n");
    writeFileSync(path.join(dir, "models.yaml"), config("{ gpu: h100, gpuHourlyUsd: 2, tokensPerSecond: 1000, utilization: 0.5 }"));
    const args = ["recommend", "--results", "run", "--config", "models.yaml", "--tokens-per-day", "100m"];
    const result = await runModelpick([...args, "--out", "routing.json"], { cwd: dir });
    expect(result.code).toBe(0);
    // pii is half the items: 50m tokens/day; a replica carries 1,000 × 86,400 × 0.5 / 2 = 21.6m → 3 replicas × $2 × 730 h
    // = $4,380 a month for 50m × 730/24 tokens = $2.88 per million, × 1,000 tokens per request = $2.88 per 1k.
    expect(result.stdout).toMatch(/│ pii \(sensitive\)\s+│ qwen-local\s+│ [^│]+│ \$2\.88 ~\s+│ \$4380\s+│/);
    expect(result.stdout).toMatch(/note: Self-hosted models with a selfHosted: deployment are costed as a GPU fleet/);
    const document = JSON.parse(readFileSync(path.join(dir, "routing.json"), "utf8")) as RoutingDocument;
    expect(document.routes.pii!.evidence.costPer1kUsd).toBe(2.88);
    expect(document.routes.pii!.evidence.monthlyUsd).toBe(4380);
    expect(document.routes.pii!.evidence.costBasis).toMatch(/^self-hosted fleet: 3× h100 \(3 replicas of 1\) for 50m tokens\/day, its 50% share of 100m tokens\/day/);
    expect(document.generatedFrom.prices).toContainEqual(expect.objectContaining({ model: "qwen-local", source: expect.stringMatching(/^self-hosted fleet: GPU models\.yaml/) }));
    const check = await runModelpick(["check", "routing.json", "--results", "run", "--config", "models.yaml"], { cwd: dir });
    expect(check.code).toBe(0);

    writeFileSync(path.join(dir, "models.yaml"), config("{ catalogProfile: no-such-profile }"));
    const broken = await runModelpick(args, { cwd: dir });
    expect(broken.code).toBe(0);
    expect(broken.stdout).toMatch(/note: qwen-local is not costed as a self-hosted fleet: models\.yaml: models\[0\] \(qwen-local\)\.selfHosted\.catalogProfile: "no-such-profile" is not a catalog throughput profile/);
  });

  it("exits 1 when the cheapest qualifying table is over --budget, or when the budget cannot be verified", async () => {
    const dir = tempDir();
    const priced = MODELS.map((m) => (m.id === "qwen-local" ? { ...m, price: { inputPerMTok: 0.2, outputPerMTok: 0.2, source: "own GPU estimate", date: "2026-11" } } : m));
    writeResultsDir(path.join(dir, "run"), results(), priced);
    // haiku: $4e-7/token on 5m tokens/day; qwen-local: $2e-7/token (price only) on 5m tokens/day; 730/24 days.
    const monthly = (5e6 * 4e-7 + 5e6 * 2e-7) * (730 / 24);
    const over = await runModelpick(["recommend", "--results", "run", "--tokens-per-day", "10m", "--budget", "80"], { cwd: dir });
    expect(over.code).toBe(1);
    expect(over.stdout).toContain(`: $${monthly.toFixed(2)} — OVER the budget of $80.00`);
    const within = await runModelpick(["recommend", "--results", "run", "--tokens-per-day", "10m", "--budget", "100"], { cwd: dir });
    expect(within.code).toBe(0);
    expect(within.stdout).toMatch(/within the budget of \$100/);

    writeResultsDir(path.join(dir, "unpriced"), results(), MODELS);
    const unknown = await runModelpick(["recommend", "--results", "unpriced", "--tokens-per-day", "10m", "--budget", "100"], { cwd: dir });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/cannot verify --budget: no cost or price for pii → qwen-local/);
  });

  it("rejects bad input with exit 2 and a message that says what to fix", async () => {
    const dir = tempDir();
    writeResultsDir(path.join(dir, "run"), results(), MODELS);
    const cases: Array<[string[], RegExp]> = [
      [["--min-quality", "1.5"], /--min-quality: expected a number between 0 and 1, got "1\.5"/],
      [["--min-quality", "0.8", "--within", "0.02"], /cannot be used with option '--within/],
      [["--budget", "100"], /--budget needs --tokens-per-day/],
      [["--tokens-per-day", "lots"], /--tokens-per-day: "lots" is not a positive volume/],
      [["--human-review", "legal"], /--human-review: unknown category "legal"; known: .* \(the categories in run\)/],
      [["--results", "nowhere"], /nowhere: no results\.jsonl here/],
      [["--out", "routing.txt"], /routing\.txt: unknown routing file type/],
      [["--out", "routing.ts", "--format", "yaml"], /--out routing\.ts is a ts file but --format is yaml/],
    ];
    for (const [args, message] of cases) {
      const result = await runModelpick(["recommend", "--results", "run", ...args], { cwd: dir });
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
