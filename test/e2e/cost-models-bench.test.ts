/**
 * `--help`, `--version`, `cost`, `models` and `bench-local` through the bundle users run (bin/modelpick.js → dist/).
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { ROOT, runCli } from "../helpers/cli.js";
import { writeTinyGguf } from "../helpers/gguf-writer.js";
import { expectBadInput, expectOk } from "./expect-cli.js";

const COMMANDS = ["eval", "cost", "models", "recommend", "check", "import", "bench-local"];
const TWO_MODELS = "gpt-4o,llama-3.1-70b/vllm-0.5.4/2xh100-fp8";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "modelpick-e2e-"));
  writeTinyGguf(path.join(dir, "tiny.gguf"));
});

describe("modelpick --help and --version (the bundle)", () => {
  it("prints the version from package.json, and usage for the program and every command", async () => {
    const version = await runCli(["--version"]);
    expectOk(version);
    expect(version.stdout.trim()).toBe((JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string }).version);
    const help = await runCli(["--help"]);
    expectOk(help);
    for (const command of COMMANDS) expect(help.stdout).toMatch(new RegExp(`^  ${command} `, "m"));
    const perCommand = await Promise.all(COMMANDS.map((command) => runCli([command, "--help"])));
    perCommand.forEach((result, i) => {
      expectOk(result);
      expect(result.stdout).toMatch(new RegExp(`^Usage: modelpick ${COMMANDS[i]} `));
    });
  });

  it("exits 2 on an unknown command or option", async () => {
    expectBadInput(await runCli(["evaluate"]), /unknown command 'evaluate'/);
    expectBadInput(await runCli(["cost", "--tokens-per-dya", "1m"]), /unknown option '--tokens-per-dya'/);
  });
});

describe("modelpick cost (the bundle)", () => {
  it("projects API against self-hosted in every --format", async () => {
    // Outside a project (no modelpick.yaml), so gpt-4o is the catalog's gpt-4o, not the built-in default's snapshot.
    const cwd = mkdtempSync(path.join(tmpdir(), "modelpick-cost-"));
    const cost = (format: string) => runCli(["cost", "--tokens-per-day", "100m", "--models", TWO_MODELS, "--format", format], { cwd });
    const [table, json, csv, md] = await Promise.all([cost("table"), cost("json"), cost("csv"), cost("md")]);
    for (const result of [table, json, csv, md]) expectOk(result);
    expect(table.stdout).toMatch(/│ gpt-4o\s+│ api\s+│ \$13,307 │ \$4\.38\s+│/);
    expect(table.stdout).toMatch(/│ llama-3\.1-70b\/vllm-0\.5\.4\/2xh100-fp8 │ gpt-4o\s+│ 41\.5m\s+│ self-hosted │/);
    expect(table.stdout).toMatch(/^Sources:$/m);
    const report = JSON.parse(json.stdout) as { models: Array<{ id: string; hosting: string; monthlyCostUsd: number; gpus?: number }> };
    expect(report.models.map((m) => [m.id, m.hosting])).toEqual([
      ["llama-3.1-70b/vllm-0.5.4/2xh100-fp8", "self-hosted"],
      ["gpt-4o", "cloud"],
    ]);
    expect(report.models[1]!.monthlyCostUsd).toBeCloseTo(13307.29, 1);
    expect(report.models[0]!.gpus).toBe(2);
    const [header, first] = csv.stdout.split("\n");
    expect(header).toMatch(/^id,hosting,costing,monthlyCostUsd,effectiveCostPerMTokUsd,gpus,/);
    expect(first).toMatch(/^llama-3\.1-70b\/vllm-0\.5\.4\/2xh100-fp8,self-hosted,fleet,5518\.8,/);
    expect(md.stdout).toMatch(/^\| gpt-4o \| api \| \$13,307 \| \$4\.38 \|/m);
    expect(md.stdout).toMatch(/^### Break-even$/m);
  });

  it("exits 2 on an unknown model or a bad volume", async () => {
    expectBadInput(await runCli(["cost", "--tokens-per-day", "1m", "--models", "nope-model"]), /--models: unknown model "nope-model"/);
    expectBadInput(await runCli(["cost", "--tokens-per-day", "lots"]), /--tokens-per-day/);
  });
});

describe("modelpick models (the bundle)", () => {
  it("lists each --kind as a table and as JSON, every entry with a source and a date", async () => {
    const kinds = { api: /^│ Model\s+│ In \$\/MTok/m, gpu: /^│ GPU offer\s+│/m, throughput: /^│ Profile\s+│ Engine/m, power: /^│ GPU\s+│ Watts/m };
    const results = await Promise.all(Object.keys(kinds).flatMap((kind) => [runCli(["models", "--kind", kind]), runCli(["models", "--kind", kind, "--json"])]));
    Object.entries(kinds).forEach(([kind, header], i) => {
      const [table, json] = [results[2 * i]!, results[2 * i + 1]!];
      expectOk(table);
      expectOk(json);
      expect(table.stdout, kind).toMatch(header);
      const entries = JSON.parse(json.stdout) as Array<{ id: string; source: string; date: string }>;
      expect(entries.length, kind).toBeGreaterThan(2);
      for (const entry of entries) {
        expect(entry.source, `${kind} ${entry.id}`).toMatch(/\S/);
        expect(entry.date, `${kind} ${entry.id}`).toMatch(/\S/);
      }
    });
  });

  it("searches by name and provider, and refuses an unknown --kind", async () => {
    const found = await runCli(["models", "sonnet", "--provider", "anthropic", "--json"]);
    expectOk(found);
    const ids = (JSON.parse(found.stdout) as Array<{ id: string }>).map((e) => e.id);
    expect(ids).toContain("anthropic/claude-sonnet-4-6");
    expect(ids.every((id) => id.startsWith("anthropic/") && id.includes("sonnet"))).toBe(true);
    expectBadInput(await runCli(["models", "--kind", "nope"]), /Allowed choices are api, gpu, throughput, power/);
  });

  it("--local reads a GGUF file's header, as a table and as JSON", async () => {
    const [table, json] = await Promise.all([
      runCli(["models", "--local", "tiny.gguf"], { cwd: dir }),
      runCli(["models", "--local", "tiny.gguf", "--json"], { cwd: dir }),
    ]);
    expectOk(table);
    expectOk(json);
    expect(table.stdout).toMatch(/│ architecture\s+│ llama\s+│/);
    expect(JSON.parse(json.stdout)).toMatchObject({
      name: "tiny-test-model",
      architecture: "llama",
      parameters: expect.any(Number),
      quantisation: "F32",
      contextLength: 1024,
      license: "apache-2.0",
    });
  });
});

describe("modelpick bench-local (the bundle)", () => {
  it("measures the tiny GGUF model, saves a profile, and cost prices a self-hosted model from it", async () => {
    const bench = await runCli(
      ["bench-local", "tiny.gguf", "--threads", "1", "--parallel", "2", "--prompt-tokens", "16", "--gen-tokens", "8", "--json", "--save", "profile.json"],
      { cwd: dir },
    );
    expectOk(bench);
    const figures = JSON.parse(bench.stdout) as Record<string, number>;
    for (const key of ["loadMs", "promptTokensPerSecond", "generationTokensPerSecond", "parallelGenerationTokensPerSecond", "peakRssMb"]) {
      expect(figures[key], key).toBeGreaterThan(0);
    }
    const profile = JSON.parse(readFileSync(path.join(dir, "profile.json"), "utf8")) as Record<string, unknown>;
    expect(profile).toMatchObject({ kind: "modelpick-throughput-profile", model: "tiny-test-model", parallel: 2 });

    writeFileSync(
      path.join(dir, "modelpick.yaml"),
      stringify({
        dataset: "unused.jsonl",
        models: [
          { id: "tiny", provider: "llama-cpp", path: "tiny.gguf", selfHosted: { gpu: "h100", gpusPerReplica: 1, throughputProfile: "profile.json" } },
          { id: "gpt", provider: "openai", model: "gpt-4o" },
        ],
      }),
    );
    const cost = await runCli(["cost", "--tokens-per-day", "10m", "--format", "json"], { cwd: dir });
    expectOk(cost);
    const tiny = (JSON.parse(cost.stdout) as { models: Array<Record<string, any>> }).models.find((m) => m.id === "tiny")!;
    expect(tiny).toMatchObject({ hosting: "self-hosted", gpus: 1, gpu: { name: "h100" } });
    expect(tiny.throughput.generationTokensPerSecond).toBe(profile.generationTokensPerSecond);
    expect(tiny.throughput.source).toMatch(/^bench-local profile .*profile\.json/);
  });
});
