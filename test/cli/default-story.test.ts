import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";

/** The built-in default, evaluated once: the cost story it tells. */
describe("the built-in default tells the whole cost story", () => {
  const out = path.join(mkdtempSync(path.join(tmpdir(), "modelpick-default-story-")), "run");
  let evalStdout = "";
  let summary: {
    run: {
      priceSource: string;
      models: Array<{ id: string; hosting: string; price: { inputPerMTok: number; outputPerMTok: number; historical?: boolean } | null }>;
    };
    overall: Array<{ model: string; mean: number; costPer1kUsd: number | null }>;
  };
  beforeAll(async () => {
    const result = await runCli(["eval", "--no-cache", "--out", out], { env: { OPENAI_API_KEY: undefined, ANTHROPIC_API_KEY: undefined } });
    expect(result.code).toBe(0);
    evalStdout = result.stdout;
    summary = JSON.parse(readFileSync(path.join(out, "summary.json"), "utf8"));
  }, 90_000);

  it("prices every closed model at its last list price, marked historical, and costs its answers", () => {
    const prices = Object.fromEntries(summary.run.models.filter((m) => m.hosting === "cloud").map((m) => [m.id, m.price]));
    expect(prices).toEqual({
      "gpt-4o": expect.objectContaining({ inputPerMTok: 5, outputPerMTok: 15, historical: true }),
      "gemini-1.5-pro": expect.objectContaining({ inputPerMTok: 1.25, outputPerMTok: 5, historical: true }),
      "gemini-1.5-flash": expect.objectContaining({ inputPerMTok: 0.075, outputPerMTok: 0.3, historical: true }),
      "jamba-1.5-large": expect.objectContaining({ inputPerMTok: 2, outputPerMTok: 8, historical: true }),
    });
    const cloud = summary.overall.filter((c) => prices[c.model]);
    expect(cloud.every((c) => c.costPer1kUsd !== null && c.costPer1kUsd > 0)).toBe(true);
    expect(summary.run.priceSource).toContain("[historical list price]");
    expect(evalStdout).toMatch(/Prices: .*\[historical list price\]/);
  });

  it("costs every model: the closed ones, the deployed Llamas, and the three without published throughput at a labelled stand-in", async () => {
    const result = await runCli(["cost", "--tokens-per-day", "100m", "--format", "json"]);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { models: Array<{ id: string }>; notCosted: Array<{ id: string; reason: string }> };
    expect(report.models.map((m) => m.id).sort()).toEqual([
      "gemini-1.5-flash",
      "gemini-1.5-pro",
      "gpt-4o",
      "jamba-1.5-large",
      "llama-3.1-70b",
      "llama-3.1-8b",
      "mistral-7b",
      "mixtral-8x7b",
      "qwen1.5-72b",
    ]);
    expect(report.notCosted).toEqual([]);
    for (const id of ["qwen1.5-72b", "mixtral-8x7b", "mistral-7b"]) {
      expect(JSON.stringify(report.models.find((m) => m.id === id)), id).toMatch(/stand-in: /);
    }
  });

  it("keeps the self-hosted models costed per token self-hosted: in the JSON, the table's kind and the verdict's words", async () => {
    const json = await runCli(["cost", "--tokens-per-day", "100m", "--format", "json"]);
    const report = JSON.parse(json.stdout) as { models: Array<{ id: string; hosting: string; costing: string }>; verdict: string };
    const kinds = Object.fromEntries(report.models.map((m) => [m.id, `${m.hosting} ${m.costing}`]));
    expect(kinds).toMatchObject({
      "gpt-4o": "cloud per-token",
      "mistral-7b": "self-hosted per-token",
      "qwen1.5-72b": "self-hosted per-token",
      "llama-3.1-70b": "self-hosted fleet",
    });
    expect(report.verdict).toMatch(
      /It never beats gemini-1\.5-flash, qwen1\.5-72b, mixtral-8x7b, mistral-7b: each replica costs more than those per-token prices come to for the traffic it can carry \(qwen1\.5-72b, mixtral-8x7b, mistral-7b: self-hosted, costed at the per-token price in the config\)\./,
    );
    expect(report.verdict).not.toMatch(/those APIs/);
    const table = await runCli(["cost", "--tokens-per-day", "100m"]);
    expect(table.stdout).toMatch(/│ mistral-7b +│ self-hosted, per token +│/);
    expect(table.stdout).toMatch(/│ gpt-4o +│ api +│/);
  });

  it("names the cheapest option and what it gives up on the run's own items", async () => {
    const result = await runCli(["cost", "--tokens-per-day", "100m", "--results", out, "--format", "json"]);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { models: Array<{ id: string; monthlyCostUsd: number }>; verdict: string; quality: { sharedItems: number } };
    const mean = (id: string) => summary.overall.find((c) => c.model === id)!.mean.toFixed(3);
    const cheapest = report.models[0]!;
    // Every model answered all 12,032 questions; the best costed model on them is gpt-4o.
    expect(report.quality.sharedItems).toBe(12_032);
    expect(report.verdict).toContain(`the cheapest option is ${cheapest.id} at $`);
    expect(report.verdict).toMatch(
      new RegExp(
        `It scores ${mean(cheapest.id)} against ${mean("gpt-4o")} for gpt-4o \\(−0\\.\\d{3}, 95 % CI −0\\.\\d{3} to −0\\.\\d{3}\\), the best-scoring costed model, on the 12,032 items`,
      ),
    );
    // The figures docs/cost.md quotes for this run.
    expect(report.verdict).toContain("the cheapest option is gemini-1.5-flash at $543/month");
    expect(report.verdict).toContain("It scores 0.638 against 0.721 for gpt-4o (−0.083, 95 % CI −0.091 to −0.074)");
  });
});
