/**
 * One price lookup for every command: the model's own `price:`, then `--prices`, then the config's `prices:` file,
 * then the built-in catalog. eval, cost and recommend (check reads its inputs as recommend does) price each model the
 * same way, from the same source, when given `--prices` and a config with `prices:`.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { runCli } from "../helpers/cli.js";
import { makeProject, numberedItems } from "../helpers/project.js";
import { useMockServer } from "../helpers/use-mock-server.js";
import { rowsFor, writeResultsDir } from "../routing/fixtures.js";

const mock = useMockServer();

interface Priced {
  inputPerMTok: number;
  outputPerMTok: number;
  source: string;
  date?: string | null;
}

/** Three models priced by three different links of the chain; none is in the catalog. */
function project(): string {
  const model = (id: string, extra: Record<string, unknown> = {}) => ({
    id,
    provider: "openai-compatible",
    hosting: "cloud",
    baseURL: mock.openaiBaseURL,
    model: `house-${id}`,
    ...extra,
  });
  const models = [
    model("config-only"), // priced only in the config's prices: file
    model("in-both"), // in both files: --prices wins
    model("own", { price: { inputPerMTok: 0.5, outputPerMTok: 0.75 } }), // its own price: beats both files
  ];
  const dir = makeProject({ models, prices: "config-prices.yaml" }, numberedItems(2));
  const prices = (source: string, entries: Record<string, [number, number]>) =>
    stringify({
      source,
      date: "2026-11-01",
      prices: Object.fromEntries(Object.entries(entries).map(([name, [i, o]]) => [name, { inputPerMTok: i, outputPerMTok: o }])),
    });
  writeFileSync(path.join(dir, "config-prices.yaml"), prices("config file", { "house-config-only": [2, 4], "house-in-both": [9, 9], "house-own": [8, 8] }));
  writeFileSync(path.join(dir, "flag-prices.yaml"), prices("flag file", { "house-in-both": [1, 3], "house-own": [7, 7] }));
  return dir;
}

const EXPECTED: Record<string, { inputPerMTok: number; outputPerMTok: number; source: RegExp }> = {
  "config-only": { inputPerMTok: 2, outputPerMTok: 4, source: /^config file$/ },
  "in-both": { inputPerMTok: 1, outputPerMTok: 3, source: /^flag file$/ },
  own: { inputPerMTok: 0.5, outputPerMTok: 0.75, source: /^modelpick\.yaml models\[2\]\.price$/ },
};

function byModel<T>(entries: Array<T & { id: string }>): Map<string, T> {
  return new Map(entries.map((e) => [e.id, e]));
}

describe("--prices with a config that has prices:", () => {
  it("eval, cost and recommend price every model from the same source, in the documented order", async () => {
    const dir = project();

    const evaluated = await runCli(["eval", "--out", "out", "--no-cache", "--prices", "flag-prices.yaml", "--json"], { cwd: dir });
    expect(evaluated.stderr).not.toMatch(/error/);
    expect(evaluated.code).toBe(0);
    const summary = JSON.parse(readFileSync(path.join(dir, "out", "summary.json"), "utf8"));
    const fromEval = byModel<{ price: Priced }>(summary.run.models);

    const costed = await runCli(["cost", "--tokens-per-day", "1m", "--prices", "flag-prices.yaml", "--format", "json"], { cwd: dir });
    expect(costed.code).toBe(0);
    const fromCost = byModel<{ price: Priced }>(JSON.parse(costed.stdout).models);

    // Results without summary.json (no recorded prices: recommend looks every price up itself), in which each model
    // is the only one right in a category of its own, so that the routing table uses all three.
    const ids = Object.keys(EXPECTED);
    const rows = ids.flatMap((winner) => ids.flatMap((id) => rowsFor(id, `won-by-${winner}`, (id === winner ? "1" : "0").repeat(12))));
    writeResultsDir(path.join(dir, "handmade"), rows, [], { summary: false });
    const recommended = await runCli(["recommend", "--results", "handmade", "--prices", "flag-prices.yaml", "--format", "json"], { cwd: dir });
    expect(recommended.code).toBe(0);
    const document = JSON.parse(recommended.stdout);
    const fromRecommend = new Map<string, { model: string; source: string; date: string | null }>(
      document.generatedFrom.prices.map((p: { model: string; source: string; date: string | null }) => [p.model, p]),
    );

    expect([...fromEval.keys()].sort()).toEqual(Object.keys(EXPECTED).sort());
    for (const [id, expected] of Object.entries(EXPECTED)) {
      const evalPrice = fromEval.get(id)!.price;
      const costPrice = fromCost.get(id)!.price;
      expect(evalPrice, id).toMatchObject({ inputPerMTok: expected.inputPerMTok, outputPerMTok: expected.outputPerMTok });
      expect(evalPrice.source, id).toMatch(expected.source);
      expect(costPrice, id).toMatchObject({
        inputPerMTok: evalPrice.inputPerMTok,
        outputPerMTok: evalPrice.outputPerMTok,
        source: evalPrice.source,
        date: evalPrice.date,
      });
      expect(fromRecommend.get(id), id).toEqual({ model: id, source: evalPrice.source, date: evalPrice.date ?? null });
    }
  });

  it("reads both files: --prices no longer hides the config's prices: file from eval", async () => {
    const dir = project();
    const evaluated = await runCli(["eval", "--out", "out", "--no-cache", "--prices", "flag-prices.yaml", "--json"], { cwd: dir });
    expect(evaluated.code).toBe(0);
    const summary = JSON.parse(evaluated.stdout);
    const configOnly = summary.run.models.find((m: { id: string }) => m.id === "config-only");
    expect(configOnly.price).toMatchObject({ inputPerMTok: 2, outputPerMTok: 4, source: "config file", date: "2026-11-01" });
    expect(summary.run.priceSource).toContain("config file (2026-11-01)");
    expect(summary.run.priceSource).toContain("flag file (2026-11-01)");
  });
});

describe("a name your prices file cannot settle", () => {
  it("eval and recommend say why the model has no price (several entries match it), never silently", async () => {
    const models = [{ id: "m", provider: "openai-compatible", hosting: "cloud", baseURL: mock.openaiBaseURL, model: "foo-model" }];
    const dir = makeProject({ models, prices: "litellm.json" }, numberedItems(2));
    const entry = (provider: string, input: number) => ({
      input_cost_per_token: input,
      output_cost_per_token: input,
      litellm_provider: provider,
      mode: "chat",
    });
    writeFileSync(
      path.join(dir, "litellm.json"),
      JSON.stringify({ "mistral/foo-model": entry("mistral", 1e-6), "codestral/foo-model": entry("codestral", 3e-6) }),
    );
    const why = /"foo-model" matches several entries in LiteLLM litellm\.json: mistral\/foo-model, codestral\/foo-model; name one of them/;

    const evaluated = await runCli(["eval", "--out", "out", "--no-cache"], { cwd: dir });
    expect(evaluated.code).toBe(0);
    expect(evaluated.stderr).toMatch(new RegExp(`^note: m has no price, so its costs are not computed: ${why.source}$`, "m"));

    const recommended = await runCli(["recommend", "--results", "out"], { cwd: dir });
    expect(recommended.code).toBe(0);
    expect(recommended.stdout).toMatch(new RegExp(`^note: m has no price: ${why.source}$`, "m"));
  });
});
