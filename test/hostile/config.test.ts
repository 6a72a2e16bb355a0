import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { RunSummary } from "../../src/results/summary-types.js";
import { runCli, type CliResult } from "../helpers/cli.js";
import { writeTinyGguf } from "../helpers/gguf-writer.js";
import { readRows } from "../helpers/project.js";
import { useMockServer } from "../helpers/use-mock-server.js";

/**
 * Hostile configs, datasets and provider answers through the built CLI: every one is refused with exit 2, the file,
 * the line and what to write instead, or (for what a file or a server says) corrected and noted, never let through.
 */

const ITEM = '{"id":"a","category":"extraction","input":"x","expected":"y"}\n';
const RECORDED = "  - { id: r, provider: recorded, file: answers.jsonl }\n";

function project(config: string, files: Record<string, string> = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), "modelpick-hostile-config-"));
  writeFileSync(path.join(dir, "modelpick.yaml"), config);
  writeFileSync(path.join(dir, "answers.jsonl"), '{"itemId":"a","output":"y"}\n{"itemId":"b","output":"y"}\n');
  for (const [name, text] of Object.entries({ "tasks.jsonl": ITEM, ...files })) writeFileSync(path.join(dir, name), text);
  return dir;
}

async function evalIn(dir: string, ...flags: string[]): Promise<CliResult> {
  return runCli(["eval", "--no-cache", "--out", "out", ...flags], { cwd: dir, env: { OPENAI_API_KEY: "sk-test", ANTHROPIC_API_KEY: "sk-test" } });
}

function expectRefused(result: CliResult, message: string | RegExp): void {
  expect(result.stderr).toContain(typeof message === "string" ? message : "");
  if (message instanceof RegExp) expect(result.stderr).toMatch(message);
  expect(result.stderr).not.toMatch(/\n\s+at |internal error/);
  expect(result.code).toBe(2);
}

describe("config typos are refused with the line and the closest known key", () => {
  it.each([
    [
      "a misspelt baseURL",
      "dataset: tasks.jsonl\nmodels:\n  - id: local\n    provider: openai\n    model: m\n    hosting: self-hosted\n    baseUrl: http://127.0.0.1:9/v1\n",
      "modelpick.yaml:7: models[0].baseUrl: unknown key; did you mean `baseURL`?",
    ],
    ["a top-level typo", "dataset: tasks.jsonl\njudeg: r\nmodels:\n" + RECORDED, "modelpick.yaml:2: judeg: unknown key; did you mean `judge`?"],
    [
      "a per-model key at the top level",
      "dataset: tasks.jsonl\nconcurency: 8\nmodels:\n" + RECORDED,
      "modelpick.yaml:2: concurency: unknown key; `concurrency` is set per model, under each entry of models:",
    ],
    [
      "a misspelt model key",
      "dataset: tasks.jsonl\nmodels:\n  - id: r\n    provider: recorded\n    file: answers.jsonl\n    temprature: 0.2\n",
      "modelpick.yaml:6: models[0].temprature: unknown key; did you mean `temperature`?",
    ],
    [
      "a snake_case model key",
      "dataset: tasks.jsonl\nmodels:\n  - { id: r, provider: recorded, file: answers.jsonl, max_tokens: 64 }\n",
      "modelpick.yaml:3: models[0].max_tokens: unknown key; did you mean `maxTokens`?",
    ],
    [
      "a misspelt price key",
      "dataset: tasks.jsonl\nmodels:\n  - id: r\n    provider: recorded\n    file: answers.jsonl\n    price:\n      inputPerMtok: 1\n      outputPerMTok: 2\n",
      "modelpick.yaml:7: models[0].price.inputPerMtok: unknown key; did you mean `inputPerMTok`?",
    ],
    [
      "a misspelt longContext key",
      "dataset: tasks.jsonl\nmodels:\n  - id: r\n    provider: recorded\n    file: answers.jsonl\n    price:\n      inputPerMTok: 1\n      outputPerMTok: 2\n      longContext:\n        aboveInputToken: 200000\n        inputPerMTok: 2\n        outputPerMTok: 4\n",
      "modelpick.yaml:10: models[0].price.longContext.aboveInputToken: unknown key; did you mean `aboveInputTokens`?",
    ],
    [
      "a misspelt selfHosted key",
      "dataset: tasks.jsonl\nmodels:\n  - id: r\n    provider: recorded\n    hosting: self-hosted\n    file: answers.jsonl\n    selfHosted:\n      gpu: h100\n      gpu_hourly_usd: 2\n",
      "modelpick.yaml:9: models[0].selfHosted.gpu_hourly_usd: unknown key; did you mean `gpuHourlyUsd`?",
    ],
    [
      "a key with nothing close",
      "dataset: tasks.jsonl\nmodels:\n  - { id: r, provider: recorded, file: answers.jsonl, endpoint: x }\n",
      /models\[0\]\.endpoint: unknown key\n/,
    ],
    [
      "a misspelt provider",
      "dataset: tasks.jsonl\nmodels:\n  - { id: g, provider: opneai, model: m }\n",
      'modelpick.yaml:3: models[0].provider: unknown provider "opneai"; did you mean "openai"?',
    ],
    [
      "an unknown provider",
      "dataset: tasks.jsonl\nmodels:\n  - { id: g, provider: cohere, model: m }\n",
      'models[0].provider: unknown provider "cohere"; known: anthropic, openai, openai-compatible, gemini, recorded, llama-cpp',
    ],
    [
      "a misspelt hosting",
      "dataset: tasks.jsonl\nmodels:\n  - { id: r, provider: recorded, file: answers.jsonl, hosting: self_hosted }\n",
      'models[0].hosting: unknown hosting "self_hosted"; did you mean "self-hosted"?',
    ],
    [
      "a misspelt hosting on an openai-compatible model (where hosting is required)",
      'dataset: tasks.jsonl\nmodels:\n  - { id: c, provider: openai-compatible, model: m, baseURL: "http://127.0.0.1:9/v1", hosting: Cloud }\n',
      'modelpick.yaml:3: models[0].hosting: unknown hosting "Cloud"; did you mean "cloud"?',
    ],
    ["a misspelt judge", "dataset: tasks.jsonl\njudge: rr\nmodels:\n" + RECORDED, 'modelpick.yaml:2: judge: unknown model id "rr"; did you mean "r"?'],
  ])("%s", async (_name, config, message) => {
    expectRefused(await evalIn(project(config)), message);
  });
});

describe("values out of range are refused with the allowed range", () => {
  const model = (extra: string) =>
    `dataset: tasks.jsonl\nmodels:\n  - { id: m, provider: openai-compatible, model: x, hosting: self-hosted, baseURL: "http://127.0.0.1:9/v1", ${extra} }\n`;
  it.each([
    ["timeoutMs: 3000000000", "models[0].timeoutMs: expected a whole number from 1 to 3600000"],
    ["timeoutMs: 0.5", "models[0].timeoutMs: expected a whole number from 1 to 3600000"],
    ["concurrency: 100000", "models[0].concurrency: expected a whole number from 1 to 1024"],
    ["maxRetries: 1000", "models[0].maxRetries: expected a whole number from 0 to 20"],
    ["maxTokens: 0", "models[0].maxTokens: expected a whole number from 1 to 1000000"],
    ["temperature: 7", "models[0].temperature: expected a number from 0 to 2"],
    ["price: { inputPerMTok: -1, outputPerMTok: 1 }", "models[0].price.inputPerMTok: expected a number from 0 to 1000000"],
    ["price: { inputPerMTok: .inf, outputPerMTok: 1 }", "models[0].price.inputPerMTok: "],
    ["selfHosted: { utilization: 2 }", "models[0].selfHosted.utilization: expected a number above 0 and up to 1"],
    ["selfHosted: { gpusPerReplica: 1.5 }", "models[0].selfHosted.gpusPerReplica: expected a whole number from 1 to 1024"],
  ])("%s", async (extra, message) => {
    expectRefused(await evalIn(project(model(extra))), `modelpick.yaml:3: ${message}`);
  });

  it.each([
    ["file:///etc/passwd", "expected an http:// or https:// URL, not file:"],
    ["javascript:alert(1)", "expected an http:// or https:// URL, not javascript:"],
    ["not a url", "expected a URL"],
  ])("baseURL %s", async (url, message) => {
    const config = `dataset: tasks.jsonl\nmodels:\n  - { id: m, provider: openai-compatible, model: x, hosting: self-hosted, baseURL: "${url}" }\n`;
    const started = Date.now();
    expectRefused(await evalIn(project(config)), `modelpick.yaml:3: models[0].baseURL: ${message}`);
    expect(Date.now() - started).toBeLessThan(10_000); // refused, not retried
  });

  it("a llama-cpp contextSize of 2^31", async () => {
    const config = "dataset: tasks.jsonl\nmodels:\n  - { id: l, provider: llama-cpp, path: m.gguf, contextSize: 2147483648 }\n";
    expectRefused(await evalIn(project(config)), "models[0].contextSize: expected a whole number from 1 to 16777216");
  });
});

describe("a vendor's cloud API is never self-hosted", () => {
  const mock = useMockServer();
  const sensitive = '{"id":"p","category":"private","input":"patient Jane Roe","expected":"x","sensitive":true}\n';

  it.each([
    ["openai", "with no baseURL, openai requests go to api.openai.com"],
    ["anthropic", "with no baseURL, anthropic requests go to api.anthropic.com"],
    ["gemini", "with no baseURL, gemini requests go to generativelanguage.googleapis.com"],
  ])("%s with hosting: self-hosted and no baseURL", async (provider, why) => {
    const dir = project(`dataset: tasks.jsonl\nmodels:\n  - id: m\n    provider: ${provider}\n    model: x\n    hosting: self-hosted\n`, {
      "tasks.jsonl": sensitive,
    });
    const result = await evalIn(dir);
    expectRefused(result, `modelpick.yaml:6: models[0].hosting: self-hosted, but ${why}`);
    expect(result.stderr).toMatch(/Set baseURL to your own server, or hosting: cloud/);
  });

  it.each([
    ["openai", "https://api.openai.com/v1"],
    ["openai-compatible", "https://api.groq.com/openai/v1"],
    ["openai-compatible", "https://API.Together.xyz./v1"],
    ["anthropic", "https://api.anthropic.com"],
    ["gemini", "https://Generativelanguage.googleapis.com:443"],
    ["openai", "https://api.openai.com../v1"],
    ["openai-compatible", "https://api.deepseek.com.../v1"],
    ["openai", "https://contoso.openai.azure.com/openai/v1"],
    ["openai-compatible", "https://us-central1-aiplatform.googleapis.com/v1/projects/p/locations/us-central1/endpoints/openapi"],
    ["openai-compatible", "https://bedrock-runtime.us-west-2.amazonaws.com/openai/v1"],
    ["openai-compatible", "https://api.x.ai/v1"],
  ])("%s with hosting: self-hosted and baseURL %s", async (provider, url) => {
    const dir = project(`dataset: tasks.jsonl\nmodels:\n  - { id: m, provider: ${provider}, model: x, hosting: self-hosted, baseURL: "${url}" }\n`, {
      "tasks.jsonl": sensitive,
    });
    expectRefused(await evalIn(dir), /modelpick.yaml:3: models\[0\]\.hosting: self-hosted, but [a-z0-9.-]+ is a vendor's cloud API/);
  });

  it("your own server may be self-hosted, and gets the sensitive items", async () => {
    const dir = project(`dataset: tasks.jsonl\nmodels:\n  - { id: m, provider: openai, model: x, hosting: self-hosted, baseURL: "${mock.openaiBaseURL}" }\n`, {
      "tasks.jsonl": sensitive,
    });
    const result = await evalIn(dir);
    expect(result.stderr).not.toMatch(/internal error/);
    expect(result.code).toBe(0);
    expect(readRows(path.join(dir, "out"))[0]).toMatchObject({ itemId: "p", skipped: null });
    expect(mock.requests).toHaveLength(1);
  });
});

describe("token counts a provider reports are used only when plausible", () => {
  const mock = useMockServer();

  it.each([
    ["negative", -5, -7],
    ["fractional", 2.5, 3.25],
    ["absurdly large", 1e12, 2 ** 40],
  ])("%s usage becomes unknown (null), never a row or a mean", async (_name, inputTokens, outputTokens) => {
    mock.setBehavior(() => ({ text: "y", inputTokens, outputTokens }));
    const models = ["openai-compatible", "anthropic"].map(
      (provider) =>
        `  - { id: ${provider}, provider: ${provider}, model: x, hosting: self-hosted, baseURL: "${provider === "anthropic" ? mock.anthropicBaseURL : mock.openaiBaseURL}" }\n`,
    );
    const dir = project(`dataset: tasks.jsonl\nmodels:\n${models.join("")}`);
    const result = await evalIn(dir);
    expect(result.code).toBe(0);
    const rows = readRows(path.join(dir, "out"));
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(row, row.model).toMatchObject({ error: null, output: "y", inputTokens: null, outputTokens: null });
    const summary = JSON.parse(readFileSync(path.join(dir, "out", "summary.json"), "utf8")) as RunSummary;
    for (const cell of summary.overall) expect(cell).toMatchObject({ meanInputTokens: null, meanOutputTokens: null });
  });

  it("a recorded answers file with a fractional token count is refused with its line", async () => {
    const dir = project("dataset: tasks.jsonl\nmodels:\n" + RECORDED);
    writeFileSync(path.join(dir, "answers.jsonl"), '{"itemId":"a","output":"y","inputTokens":12}\n{"itemId":"b","output":"y","inputTokens":2.5}\n');
    expectRefused(await evalIn(dir), "answers.jsonl:2: inputTokens: expected a whole number from 0 to 16777216, got 2.5");
  });
});

describe("a UTF-8 byte-order mark (as Windows editors and Excel write it) is read past", () => {
  it("at the start of a JSONL dataset and of a JSON prices file", async () => {
    const dir = project(`dataset: tasks.jsonl\nmodels:\n${RECORDED}`, { "tasks.jsonl": `\ufeff${ITEM}` });
    writeFileSync(path.join(dir, "prices.json"), `\ufeff${JSON.stringify({ r: { inputPerMTok: 1, outputPerMTok: 2 } })}`);
    const result = await evalIn(dir, "--prices", "prices.json");
    expect(result.stderr).not.toMatch(/^error:/m);
    expect(result.code).toBe(0);
    expect(readRows(path.join(dir, "out"))[0]).toMatchObject({ itemId: "a", score: 1 });
  });
});

describe("dataset items: unknown keys and yes/no values are refused, never read as 'not sensitive'", () => {
  it("a misspelt sensitive key in JSONL", async () => {
    const dataset = `${ITEM}{"id":"b","category":"c","input":"patient","expected":"y","sensitve":true}\n`;
    expectRefused(
      await evalIn(project("dataset: tasks.jsonl\nmodels:\n" + RECORDED, { "tasks.jsonl": dataset })),
      "tasks.jsonl:2: sensitve: unknown key; did you mean `sensitive`?",
    );
  });

  it("a free-form key outside metadata", async () => {
    const dataset = '{"id":"a","category":"c","input":"x","expected":"y","ticket":"T-1"}\n';
    expectRefused(
      await evalIn(project("dataset: tasks.jsonl\nmodels:\n" + RECORDED, { "tasks.jsonl": dataset })),
      "tasks.jsonl:1: ticket: unknown key; put free-form fields under metadata",
    );
  });

  it.each(["Y", "on", "true.", "sensitive", "2"])("CSV sensitive %j", async (value) => {
    const csv = `id,category,input,expected,sensitive\na,c,x,y,false\nb,c,patient,y,${value}\n`;
    const result = await evalIn(project("dataset: tasks.csv\nmodels:\n" + RECORDED, { "tasks.csv": csv }));
    expectRefused(result, `tasks.csv:3: sensitive: ${JSON.stringify(value)} is not a yes/no value; write true/false, yes/no or 1/0 (empty means false)`);
  });

  it("CSV yes/no values in any case, empty as no, and metadata.<name> columns", async () => {
    const csv = "id,category,input,expected,sensitive,metadata.source\na,c,x,y,TRUE,crm\nb,c,x,y, yes ,\nc,c,x,y,1,\nd,c,x,y,No,\ne,c,x,y,,web\nf,c,x,y,0,\n";
    const dir = project("dataset: tasks.csv\nmodels:\n  - { id: r, provider: recorded, hosting: cloud, file: answers.jsonl }\n", { "tasks.csv": csv });
    writeFileSync(path.join(dir, "answers.jsonl"), ["a", "b", "c", "d", "e", "f"].map((id) => `{"itemId":"${id}","output":"y"}\n`).join(""));
    const result = await evalIn(dir);
    expect(result.code).toBe(0);
    const skipped = readRows(path.join(dir, "out"))
      .filter((row) => row.skipped === "sensitive")
      .map((row) => row.itemId);
    expect(skipped.sort()).toEqual(["a", "b", "c"]);
  });

  it("an unknown CSV column is refused at the header", async () => {
    const csv = "id,category,input,expected,sensitve\na,c,x,y,\n";
    expectRefused(
      await evalIn(project("dataset: tasks.csv\nmodels:\n" + RECORDED, { "tasks.csv": csv })),
      'tasks.csv:1: column "sensitve": unknown; did you mean `sensitive`?',
    );
  });

  it("a misspelt scorer", async () => {
    const dataset = '{"id":"a","category":"c","input":"x","expected":"y","scorer":"exatc"}\n';
    expectRefused(
      await evalIn(project("dataset: tasks.jsonl\nmodels:\n" + RECORDED, { "tasks.jsonl": dataset })),
      'tasks.jsonl:1: scorer: unknown scorer type "exatc"; did you mean "exact"?',
    );
  });

  it("import long: a sensitive value that is not yes/no", async () => {
    const dir = project("dataset: tasks.jsonl\nmodels:\n" + RECORDED, { "long.csv": "itemId,category,model,score,sensitive\na,c,m,1,yes\nb,c,m,1,on\n" });
    const result = await runCli(["import", "long.csv", "--format", "long", "--out", "imported"], { cwd: dir });
    expectRefused(result, 'long.csv:3: sensitive: "on" is not a yes/no value');
  });
});

describe("flags that name models and categories", () => {
  const config =
    "dataset: tasks.jsonl\nmodels:\n  - { id: openai-model, provider: recorded, file: answers.jsonl }\n  - { id: claude-model, provider: recorded, file: answers.jsonl }\n";

  it("--models with a misspelt id", async () => {
    expectRefused(await evalIn(project(config), "--models", "opneai-model"), '--models: unknown model id "opneai-model"; did you mean "openai-model"?');
  });

  it("--models with an id nothing is close to lists the ids", async () => {
    expectRefused(await evalIn(project(config), "--models", "gpt"), '--models: unknown model id "gpt"; known: openai-model, claude-model');
  });

  it("--categories with a misspelt category, even next to a right one", async () => {
    const dataset = `${ITEM}{"id":"b","category":"summarization","input":"x","expected":"y"}\n`;
    const result = await evalIn(project(config, { "tasks.jsonl": dataset }), "--categories", "summarization,extractoin");
    expectRefused(result, '--categories: unknown category "extractoin"; did you mean "extraction"?');
  });

  it.each([
    ["--models", ""],
    ["--models", " , "],
    ["--categories", ""],
    ["--categories", ","],
  ])("%s %j (an unset shell variable) is refused, never read as 'all'", async (flag, value) => {
    const result = await evalIn(project(config), `${flag}=${value}`);
    expectRefused(result, new RegExp(`^error: ${flag}: expected a comma-separated list of`));
    expect(result.stdout).toBe("");
  });

  it("recommend --sensitive with a misspelt category", async () => {
    const dir = project(config, { "long.csv": "itemId,category,model,score\na,sensitive_data,m,1\nb,chat,m,0\n" });
    expect((await runCli(["import", "long.csv", "--format", "long", "--out", "imported"], { cwd: dir })).code).toBe(0);
    const result = await runCli(["recommend", "--results", "imported", "--sensitive", "sensitve_data"], { cwd: dir });
    expectRefused(result, '--sensitive: unknown category "sensitve_data"; did you mean "sensitive_data"?');
  });
});

describe("GGUF metadata out of range is clamped, with a note", () => {
  it("a context_length of 2^31 (llama.cpp would read -2^31)", async () => {
    const dir = project("dataset: tasks.jsonl\nmodels:\n  - { id: l, provider: llama-cpp, path: m.gguf, threads: 1, maxTokens: 4 }\n");
    writeTinyGguf(path.join(dir, "m.gguf"), { contextLength: 2 ** 31 });
    const described = await runCli(["models", "--local", "m.gguf", "--json"], { cwd: dir });
    expect(described.code).toBe(0);
    expect(JSON.parse(described.stdout)).toMatchObject({
      contextLength: 2 ** 24,
      notes: ["llama.context_length is 2147483648, more than any model has: clamped to 16777216"],
    });
    const result = await evalIn(dir);
    expect(result.code).toBe(0);
    expect(readRows(path.join(dir, "out"))[0]).toMatchObject({ error: null });
    const summary = JSON.parse(readFileSync(path.join(dir, "out", "summary.json"), "utf8")) as RunSummary;
    expect(summary.run.models[0]!.throughput).toMatchObject({ contextSize: 4096 });
  });
});
