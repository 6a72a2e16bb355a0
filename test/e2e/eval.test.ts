/**
 * `modelpick eval` through the bundle users run (bin/modelpick.js → dist/), on every dataset format, a YAML and a
 * JSON config, recorded models, API models through the real SDKs against the mock server, and a local GGUF model.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { RunSummary } from "../../src/results/summary-types.js";
import { runCli } from "../helpers/cli.js";
import { writeTinyGguf } from "../helpers/gguf-writer.js";
import { readRows } from "../helpers/project.js";
import { useMockServer } from "../helpers/use-mock-server.js";
import { expectBadInput, expectOk } from "./expect-cli.js";
import { DATASET_FILES, makeE2eProject, type E2eProject } from "./fixture.js";

const mock = useMockServer();
let project: E2eProject;
beforeAll(() => {
  project = makeE2eProject();
});

function summaryOf(outDir: string): RunSummary {
  return JSON.parse(readFileSync(path.join(project.dir, outDir, "summary.json"), "utf8")) as RunSummary;
}

function cell(summary: RunSummary, category: string, model: string) {
  return summary.cells.find((c) => c.category === category && c.model === model);
}

describe("modelpick eval (the bundle, end to end)", () => {
  it("reads JSONL, JSONL.gz, CSV, CSV.gz, a YAML list, YAML with items: and YAML.gz from modelpick.yaml, and scores every item", async () => {
    const result = await runCli(["eval", "--out", "out"], { cwd: project.dir });
    expectOk(result);
    const rows = readRows(path.join(project.dir, "out"));
    expect(rows).toHaveLength(project.itemCount * 2);
    for (const file of Object.keys(DATASET_FILES)) {
      const ofFile = new RegExp(`^${file.split(".")[0]}-[fmp]\\d$`);
      expect(
        rows.filter((r) => ofFile.test(r.itemId)),
        file,
      ).toHaveLength(12);
    }
    // Every scorer (exact, contains, regex, choice, f1, json with a schema, number) ran and agreed with the answers.
    for (const row of rows) {
      expect(row.error, `${row.model} ${row.itemId}`).toBeNull();
      if (row.model === "cloud" && row.category === "private") expect(row.skipped).toBe("sensitive");
      else if (row.model === "local" && row.itemId.endsWith("-m1")) expect(row.score, row.itemId).toBe(0);
      else expect(row.score, `${row.model} ${row.itemId}: ${row.scoreReason}`).toBe(1);
    }
    const summary = summaryOf("out");
    expect(summary.run.datasetFiles).toEqual(Object.keys(DATASET_FILES).map((f) => `data/${f}`));
    expect(cell(summary, "math", "local")).toMatchObject({ n: 14, mean: 0.5, costPer1kUsd: 0.2, p95LatencyMs: 300 });
    expect(cell(summary, "private", "cloud")).toMatchObject({ n: 0, skipped: 14 });
    expect(result.stdout).toMatch(/│ math\s+│ local │ 14 │ 0\.500 \[/);
    expect(result.stdout).toMatch(/All categories/);
    expect(result.stdout).toMatch(/Results: out\/results\.jsonl and summary\.json/);
  });

  it("--json prints the summary; --min-score exits 1 naming the model below it", async () => {
    const result = await runCli(["eval", "--out", "strict", "--json", "--min-score", "0.9"], { cwd: project.dir });
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toMatch(/model local: mean score 0\.750 on the 28 items every model scored is below --min-score 0\.9/);
    const summary = JSON.parse(result.stdout) as RunSummary;
    expect(summary.overall.map((c) => [c.model, c.n])).toEqual([
      ["cloud", 28],
      ["local", 42],
    ]);
  });

  it("runs a JSON config (--config x.json) with OpenAI and Anthropic models on the mock server, a judge and a local GGUF model", async () => {
    writeTinyGguf(path.join(project.dir, "tiny.gguf"));
    writeFileSync(
      path.join(project.dir, "judged.jsonl"),
      ["tone-1", "tone-2"]
        .map((id) => JSON.stringify({ id, category: "tone", input: `Write a polite reply (${id}).`, rubric: "Polite and short." }))
        .join("\n"),
    );
    const config = {
      dataset: ["data/list.yaml", "judged.jsonl"],
      judge: "gpt",
      models: [
        { id: "gpt", provider: "openai", model: "gpt-test", baseURL: mock.openaiBaseURL, apiKeyEnv: "E2E_KEY", price: { inputPerMTok: 1, outputPerMTok: 4 } },
        { id: "claude", provider: "anthropic", model: "claude-test", baseURL: mock.anthropicBaseURL, apiKeyEnv: "E2E_KEY" },
        { id: "tiny", provider: "llama-cpp", path: "tiny.gguf", threads: 1, contextSize: 512, maxTokens: 12 },
      ],
    };
    writeFileSync(path.join(project.dir, "api.json"), JSON.stringify(config, null, 2));
    mock.setBehavior(({ userText }) =>
      userText.includes("<answer>") ? { text: "Polite enough.\nSCORE: 7" } : { text: project.rightAnswers.get(userText) ?? "no idea" },
    );

    const result = await runCli(["eval", "--config", "api.json", "--out", "api-run", "--no-cache"], {
      cwd: project.dir,
      env: { E2E_KEY: "sk-e2e-not-a-real-key" },
    });
    expectOk(result);
    const rows = readRows(path.join(project.dir, "api-run"));
    expect(rows).toHaveLength(8 * 3);
    for (const row of rows) {
      expect(row.error, `${row.model} ${row.itemId}`).toBeNull();
      if (row.category === "private") {
        // Sensitive items never reach a cloud model; the local model answers them.
        expect(row.skipped).toBe(row.model === "tiny" ? null : "sensitive");
      } else if (row.category === "tone") {
        expect(row.score, `${row.model} ${row.itemId}`).toBe(0.7);
      } else if (row.model !== "tiny") {
        expect(row.score, `${row.model} ${row.itemId}: ${row.output}`).toBe(1);
        expect(row.inputTokens).toBeGreaterThan(0);
      }
    }
    expect(mock.requests.some((r) => JSON.stringify(r.body).includes("Jane Roe"))).toBe(false);
    expect(mock.requests.filter((r) => r.api === "anthropic")).toHaveLength(6);
    // 6 answers from gpt, and 2 tone answers × 3 models judged by gpt.
    expect(mock.requests.filter((r) => r.api === "openai")).toHaveLength(12);
    const tiny = summaryOf("api-run").run.models.find((m) => m.id === "tiny")!;
    expect(tiny).toMatchObject({ provider: "llama-cpp", hosting: "self-hosted", license: "apache-2.0" });
    expect(tiny.throughput?.generationTokensPerSecond).toBeGreaterThan(0);
  });

  it("exits 2 with the file and line for a broken JSONL, CSV and YAML dataset", async () => {
    const broken: Record<string, string> = {
      "bad.jsonl": '{"id": "a", "category": "c", "input": "x"}\n{"id": "b", "category": \n',
      "bad.csv": 'id,category,messages\na,c,"[{""role"": ""user""}"\n',
      "bad.yaml": "- id: a\n  category: c\n  input: x\n- id: b\n  category: [unclosed\n",
    };
    const expected: Record<string, RegExp> = {
      "bad.jsonl": /bad\.jsonl:2: not valid JSON/,
      "bad.csv": /bad\.csv:2: messages: expected JSON/,
      "bad.yaml": /bad\.yaml:\d+: invalid YAML/,
    };
    for (const [file, text] of Object.entries(broken)) {
      writeFileSync(path.join(project.dir, file), text);
      writeFileSync(
        path.join(project.dir, `${file}.json`),
        JSON.stringify({ dataset: file, models: [{ id: "cloud", provider: "recorded", hosting: "cloud", file: "cloud-answers.jsonl" }] }),
      );
      expectBadInput(await runCli(["eval", "--config", `${file}.json`, "--out", `run-${file}`], { cwd: project.dir }), expected[file]!);
    }
  });
});
