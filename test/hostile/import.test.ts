/**
 * `modelpick import` on the files people have, through the built CLI: promptfoo outputs with providers it has no
 * price for, reordered providers, --repeat, 2023 files, empty files; lm-evaluation-harness output directories.
 */
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { ResultRow } from "../../src/results/row.js";
import { runCli, type CliResult } from "../helpers/cli.js";
import { readRows } from "../helpers/project.js";
import { tempDir } from "../routing/fixtures.js";

const PROMPTFOO = fileURLToPath(new URL("../fixtures/promptfoo/", import.meta.url));
const LM_EVAL = fileURLToPath(new URL("../fixtures/lm-eval/output/", import.meta.url));

function ok(result: CliResult): CliResult {
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  return result;
}

function refused(result: CliResult, message: RegExp): void {
  expect(result.code).toBe(2);
  expect(result.stdout).toBe("");
  expect(result.stderr).toMatch(message);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

async function importPromptfoo(dir: string, fixture: string, out: string, ...flags: string[]): Promise<CliResult> {
  return runCli(["import", path.join(PROMPTFOO, fixture), "--format", "promptfoo", "--out", out, ...flags], { cwd: dir });
}

async function recommendJson(dir: string, ...flags: string[]) {
  const result = await runCli(["recommend", "--format", "json", ...flags], { cwd: dir });
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as {
    routes: Record<string, { id: string; evidence: { costBasis: string; costPer1kUsd: number | null } } | null>;
    noRoute: Record<string, { message: string }>;
  };
}

describe("import --format promptfoo (CLI)", () => {
  it("keeps the user's model ids in a multi-provider eval, so --self-hosted accepts them", async () => {
    const dir = tempDir();
    const result = ok(await importPromptfoo(dir, "v3-three-providers.json", "run", "--self-hosted", "llama-local"));
    expect(result.stdout).toMatch(
      /^Imported 30 rows \(10 items × 3 models: openai:gpt-4o-mini \(cloud\), llama-local \(self-hosted\), file:\/\/providers\/rag_pipeline\.py \(cloud\)\)/,
    );
    expect(result.stdout).toMatch(/llama-local: promptfoo recorded cost 0 for 10 answer\(s\)/);
  });

  it("never routes to a model because promptfoo wrote cost 0 for it", async () => {
    const dir = tempDir();
    ok(await importPromptfoo(dir, "v3-three-providers.json", "run"));
    const document = await recommendJson(dir, "--results", "run", "--min-items", "4");
    // the python pipeline's $0 was promptfoo's "no price": its cost is unknown, so the priced model takes the route
    expect(document.routes.extraction).toMatchObject({ id: "openai:gpt-4o-mini", evidence: { costBasis: "measured" } });
    expect(document.routes.summary).toMatchObject({ id: "openai:gpt-4o-mini" });
  });

  it("prices an unpriced provider from --prices instead of promptfoo's 0", async () => {
    const dir = tempDir();
    ok(await importPromptfoo(dir, "v3-three-providers.json", "run"));
    writeFileSync(path.join(dir, "prices.yaml"), "prices:\n  llama-local: { inputPerMTok: 0.05, outputPerMTok: 0.1 }\n");
    const document = await recommendJson(dir, "--results", "run", "--min-items", "4", "--within", "0.9", "--prices", "prices.yaml");
    // within 0.9 of the best, the cheapest qualifies: llama-local at its price × its tokens, not at $0
    const route = document.routes.summary!;
    expect(route.id).toBe("llama-local");
    expect(route.evidence.costBasis).toBe("price × tokens");
    expect(route.evidence.costPer1kUsd).toBeGreaterThan(0);
  });

  it("keeps a routing table valid when the promptfoo config lists its providers in another order", async () => {
    const dir = tempDir();
    ok(await importPromptfoo(dir, "v3-three-providers.json", "before"));
    ok(await importPromptfoo(dir, "v3-three-providers-reordered.json", "after"));
    const made = await runCli(["recommend", "--results", "before", "--min-items", "4", "--format", "yaml", "--out", "routing.yaml"], { cwd: dir });
    expect(made.code).toBe(0);
    const checked = await runCli(["check", "routing.yaml", "--results", "after"], { cwd: dir });
    expect(checked.stderr).not.toMatch(/no longer measured|renamed|not measured/);
    expect(checked.code).toBe(0);
  });

  it("counts items, not repeats: --repeat 3 of 5 items per category does not pass --min-items 10", async () => {
    const dir = tempDir();
    const result = ok(await importPromptfoo(dir, "v3-repeat-3.json", "run"));
    expect(result.stdout).toMatch(/^Imported 20 rows \(10 items × 2 models/);
    const rows: ResultRow[] = readRows(path.join(dir, "run"));
    expect(rows.every((r) => r.repeats === 3)).toBe(true);
    const document = await recommendJson(dir, "--results", "run", "--min-items", "10");
    expect(document.routes).toEqual({ extraction: null, summary: null });
    expect(document.noRoute.summary!.message).toMatch(/only 5 paired item\(s\), fewer than --min-items 10/);
  });

  it.each(["v2-2023-two-providers.json", "v2-2023-one-provider.json", "v2-2023-provider-field.json"])("imports the 2023 file %s", async (fixture) => {
    const dir = tempDir();
    const result = ok(await importPromptfoo(dir, fixture, "run"));
    expect(result.stdout).toMatch(/^Imported (20 rows \(10 items × 2 models|10 rows \(10 items × 1 models): .*openai:gpt-3\.5-turbo \(cloud\)/);
  });

  it("exits 2 on a file that holds no results", async () => {
    const dir = tempDir();
    const data = JSON.parse(readFileSync(path.join(PROMPTFOO, "v3-two-prompts.json"), "utf8"));
    data.results.results = [];
    writeFileSync(path.join(dir, "empty.json"), JSON.stringify(data));
    refused(await runCli(["import", "empty.json", "--format", "promptfoo", "--out", "run"], { cwd: dir }), /^error: empty\.json: holds no results/);
  });

  it("exits 2 on a CSV that holds no rows", async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, "empty.csv"), "itemId,category,model,score\n");
    refused(await runCli(["import", "empty.csv", "--format", "long", "--out", "run"], { cwd: dir }), /^error: empty\.csv: holds no results to import/);
  });
});

describe("import --format lm-eval (CLI)", () => {
  it("imports an lm_eval --output_path directory in one command: every model, every task with samples", async () => {
    const dir = tempDir();
    const result = ok(await runCli(["import", LM_EVAL, "--format", "lm-eval", "--out", "run"], { cwd: dir }));
    expect(result.stdout).toMatch(
      /^Imported 56 rows \(24 items × 3 models: EleutherAI\/pythia-160m \(self-hosted\), gpt-4o-mini \(cloud\), meta-llama\/Llama-3\.2-1B-Instruct \(self-hosted\)\)/,
    );
    expect(result.stdout).toMatch(/gsm8k: scored under filter strict-match \(also logged: flexible-extract; choose with --filter gsm8k=NAME\)/);
    expect(result.stdout).toMatch(/wikitext: left out: its metrics \(word_perplexity, byte_perplexity, bits_per_byte\) are lower-is-better/);
    const rows = readRows(path.join(dir, "run"));
    expect(new Set(rows.map((r) => r.category))).toEqual(new Set(["arc_easy", "gsm8k", "hellaswag"]));
    expect(rows.find((r) => r.model === "gpt-4o-mini" && r.itemId === "gsm8k/0")).toMatchObject({ score: 1, output: "18" });
    const routed = await recommendJson(dir, "--results", "run", "--min-items", "5");
    expect(Object.keys(routed.routes).sort()).toEqual(["arc_easy", "gsm8k", "hellaswag"]);
  });

  it("reads a directory as lm_eval output without --format; a file still needs one", async () => {
    const dir = tempDir();
    const result = ok(await runCli(["import", LM_EVAL, "--out", "run"], { cwd: dir }));
    expect(result.stdout).toMatch(/^Imported 56 rows \(24 items × 3 models/);
    writeFileSync(path.join(dir, "results.csv"), "itemId,category,model,score\na,c,m,1\n");
    refused(await runCli(["import", "results.csv", "--out", "csv"], { cwd: dir }), /results\.csv: say what the file is with --format promptfoo, long or wide/);
    refused(await runCli(["import", "nope.json", "--out", "nope"], { cwd: dir }), /nope\.json: no such file or directory/);
  });

  it("lets --metric, --filter, --cloud and --self-hosted choose", async () => {
    const dir = tempDir();
    const flags = ["--metric", "acc_norm", "--filter", "gsm8k=flexible-extract", "--cloud", "meta-llama/Llama-3.2-1B-Instruct", "--self-hosted", "gpt-4o-mini"];
    const result = ok(await runCli(["import", LM_EVAL, "--format", "lm-eval", "--out", "run", ...flags], { cwd: dir }));
    expect(result.stdout).toMatch(/gpt-4o-mini \(self-hosted\), meta-llama\/Llama-3\.2-1B-Instruct \(cloud\)/);
    const rows = readRows(path.join(dir, "run"));
    const mean = (model: string, task: string) => {
      const scores = rows.filter((r) => r.model === model && r.category === task).map((r) => r.score!);
      return scores.reduce((a, b) => a + b, 0) / scores.length;
    };
    expect(mean("EleutherAI/pythia-160m", "gsm8k")).toBe(0.5);
    expect(mean("EleutherAI/pythia-160m", "arc_easy")).toBe(0.5);
  });

  it.each([
    [["--metric", "wikitext=word_perplexity"], /--metric wikitext=word_perplexity: lower is better for word_perplexity/],
    [["--metric", "arc_easy=f1"], /--metric arc_easy=f1: task arc_easy logs acc, acc_norm; choose one of them/],
    [["--metric", "acc_nrom"], /--metric acc_nrom: no task in .* logs it/],
    [["--filter", "gsm8k=strict"], /--filter gsm8k=strict: task gsm8k logs filters strict-match, flexible-extract/],
    [["--cloud", "pythia"], /--cloud: no model "pythia" in the imported results/],
  ])("exits 2 on %j", async (flags, message) => {
    const dir = tempDir();
    refused(await runCli(["import", LM_EVAL, "--format", "lm-eval", "--out", "run", ...flags], { cwd: dir }), message);
  });

  it("exits 2 on samples that do not add up to the run's own results", async () => {
    const dir = tempDir();
    cpSync(path.join(LM_EVAL, "gpt-4o-mini"), path.join(dir, "out", "gpt-4o-mini"), { recursive: true });
    const samples = path.join(dir, "out", "gpt-4o-mini", "samples_gsm8k_2026-11-25T12-05-33.118802.jsonl");
    writeFileSync(samples, readFileSync(samples, "utf8").replace('"exact_match":0', '"exact_match":1'));
    refused(
      await runCli(["import", "out", "--format", "lm-eval", "--out", "run"], { cwd: dir }),
      /samples_gsm8k_2026-11-25T12-05-33\.118802\.jsonl: its 8 documents average exact_match 1 under filter strict-match, but .*results_2026-11-25T12-05-33\.118802\.json reports 0\.875/,
    );
  });

  it("exits 2 on a metric the harness logs as a pair to aggregate over the task, not a score per document", async () => {
    const dir = tempDir();
    cpSync(path.join(LM_EVAL, "EleutherAI__pythia-160m"), path.join(dir, "pythia"), { recursive: true });
    const results = path.join(dir, "pythia", "results_2026-11-24T09-30-01.402118.json");
    writeFileSync(results, readFileSync(results, "utf8").replace('"word_perplexity": false', '"word_perplexity": true'));
    refused(
      await runCli(["import", "pythia", "--format", "lm-eval", "--out", "run", "--metric", "wikitext=word_perplexity"], { cwd: dir }),
      /wikitext's word_perplexity is logged as \[-812\.4,14\], not a score per document/,
    );
  });

  it("exits 2 on a directory with no lm_eval results, and on a file", async () => {
    const dir = tempDir();
    refused(
      await runCli(["import", ".", "--format", "lm-eval", "--out", "run"], { cwd: dir }),
      /no results_<date>\.json here or in its subdirectories; run lm_eval with --output_path/,
    );
    writeFileSync(path.join(dir, "x.json"), "{}");
    refused(await runCli(["import", "x.json", "--format", "lm-eval", "--out", "run"], { cwd: dir }), /--format lm-eval reads a directory/);
  });

  it("refuses --metric and --filter with other formats", async () => {
    const dir = tempDir();
    refused(await importPromptfoo(dir, "v3-two-prompts.json", "run", "--metric", "acc"), /--metric and --filter .* use them with --format lm-eval/);
  });
});
