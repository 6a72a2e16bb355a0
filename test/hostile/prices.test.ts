/**
 * `--prices` / `prices:` with a real-size LiteLLM file, through the built CLI: gateway entries that share a model's
 * name, names that are truly ambiguous, entries that are not chat prices, a file saved without its extension.
 */
import { copyFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { makeProject, numberedItems } from "../helpers/project.js";
import { realSizeFile } from "../cost/price-table-fixture.js";

const SOURCE = "LiteLLM model_prices_and_context_window.json";
const DAYS_PER_MONTH = 730 / 24;

let prices: string;
let dir: string;

beforeAll(() => {
  prices = realSizeFile();
  dir = mkdtempSync(path.join(tmpdir(), "modelpick-prices-"));
});

async function costJson(args: string[], cwd = dir) {
  const result = await runCli(["cost", "--format", "json", ...args], { cwd });
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as { models: Array<{ id: string; monthlyCostUsd: number; price: { source: string; inputPerMTok: number } }> };
}

describe("cost --prices with a real-size LiteLLM file", () => {
  it("prices the models people use most from the file, and says so", async () => {
    const names = ["gpt-4o", "gpt-5.5", "claude-sonnet-4-6", "gemini-2.5-pro", "deepseek-chat", "gpt-4-0613"];
    const report = await costJson(["--prices", prices, "--models", names.join(","), "--tokens-per-day", "1m"]);
    const byId = new Map(report.models.map((m) => [m.id, m]));
    expect(names.map((n) => [n, byId.get(n)?.price.source, byId.get(n)?.price.inputPerMTok])).toEqual([
      ["gpt-4o", SOURCE, 2.5],
      ["gpt-5.5", SOURCE, 5],
      ["claude-sonnet-4-6", SOURCE, 3],
      ["gemini-2.5-pro", SOURCE, 1.25],
      ["deepseek-chat", SOURCE, 0.28],
      ["gpt-4-0613", SOURCE, 30],
    ]);
  });

  it("bills gpt-5.5's 300K-token prompts at the file's >272K tier, whichever name it is given by", async () => {
    const volume = ["--requests-per-day", "1000", "--input-tokens", "300000", "--output-tokens", "1000"];
    const report = await costJson(["--prices", prices, "--models", "gpt-5.5,openai/gpt-5.5", ...volume]);
    const expected = 1000 * DAYS_PER_MONTH * ((300_000 * 10 + 1000 * 45) / 1e6);
    for (const m of report.models) expect(m.monthlyCostUsd).toBeCloseTo(expected, 2);
  });

  it("takes the file's price for a config model whose name a gateway shares (prices: in modelpick.yaml)", async () => {
    const project = makeProject({ prices: "litellm.json", models: [{ id: "main", provider: "openai", model: "gpt-4o" }] }, numberedItems(2));
    copyFileSync(prices, path.join(project, "litellm.json"));
    const report = await costJson(["--tokens-per-day", "1m"], project);
    expect(report.models[0]).toMatchObject({ id: "main", price: { source: "LiteLLM litellm.json", inputPerMTok: 2.5 } });
  });

  it("exits 2 on a name the file makes ambiguous, naming the candidates, instead of pricing it from the catalog", async () => {
    const result = await runCli(["cost", "--prices", prices, "--models", "codestral-latest", "--tokens-per-day", "1m"], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `error: --models: "codestral-latest" matches several entries in ${SOURCE}: codestral/codestral-latest, mistral/codestral-latest; name one of them\n`,
    );
  });

  it.each([
    ["text-embedding-3-small", "it is an embedding model (mode: embedding), not a chat model"],
    ["medlm-large", "it is priced per character (input_cost_per_character), not per token"],
    ["fireworks-ai-up-to-4b", "it has no `mode`, so it is not known to be a chat model"],
  ])("exits 2 on %s, saying which entry it found and why it cannot price it", async (name, why) => {
    const result = await runCli(["cost", "--prices", prices, "--models", name, "--tokens-per-day", "1m"], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`error: --models: no usable price for "${name}": ${SOURCE} lists "${name}", but ${why}`);
    expect(result.stderr).not.toMatch(/not in your prices file/);
  });

  it("reads a LiteLLM file saved without the .json extension as JSON", async () => {
    const bare = path.join(dir, "model_prices_and_context_window");
    copyFileSync(prices, bare);
    const report = await costJson(["--prices", bare, "--models", "gpt-4o", "--tokens-per-day", "1m"]);
    expect(report.models[0]!.price).toMatchObject({ source: "LiteLLM model_prices_and_context_window", inputPerMTok: 2.5 });
  });
});
