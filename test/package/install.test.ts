/**
 * modelpick as users get it: `npm pack`, then the tarball installed into a new project, then `npx modelpick …`.
 * Nothing is downloaded: npm installs offline from a private copy of the cache that this repository's own install
 * filled (privateOfflineNpmEnv), the package's dependencies pinned as in this repository's lockfile
 * (writeProjectWithTarball). The repository is copied first, so packing (prepack builds dist/) never touches the
 * dist/ that other test files are running.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, type TestContext } from "vitest";
import { ROOT } from "../helpers/cli.js";
import { writeTinyGguf } from "../helpers/gguf-writer.js";
import { readRows } from "../helpers/project.js";
import { useMockServer } from "../helpers/use-mock-server.js";
import { rowsFor, runModel, writeResultsDir } from "../routing/fixtures.js";
import { npmErrorCode, privateOfflineNpmEnv, run, unconditionalRestricted, writeProjectWithTarball, type RunResult } from "./npm.js";

const work = mkdtempSync(path.join(tmpdir(), "modelpick-install-"));
const app = path.join(work, "app");
/** npm and npx run offline on a private copy of the npm cache; the CLI sees no API key. Set in beforeAll. */
const NPM_ENV: Record<string, string | undefined> = { ANTHROPIC_API_KEY: undefined, OPENAI_API_KEY: undefined, GEMINI_API_KEY: undefined };
const NOT_INSTALLED = "error: node-llama-cpp is not installed: npm i node-llama-cpp to run local GGUF models\n";

let tarball = "";
let tarballFiles: string[] = [];
/** Why the install could not be tried (the npm cache lacks a package), or undefined. */
let skipReason: string | undefined;

/** `npx modelpick …` in the project (or a folder of it), as a user types it. */
function npx(args: string[], cwd = app): Promise<RunResult> {
  return run("npx", ["modelpick", ...args], { cwd, env: NPM_ENV });
}

/** The same installed bin that npx runs, without npm's start-up time. */
function modelpick(args: string[], cwd = app): Promise<RunResult> {
  return run(process.execPath, [path.join(app, "node_modules", ".bin", "modelpick"), ...args], { cwd, env: NPM_ENV });
}

function needsInstall(ctx: TestContext): void {
  if (skipReason) ctx.skip();
}

beforeAll(async () => {
  Object.assign(NPM_ENV, await privateOfflineNpmEnv(ROOT, work));
  const source = path.join(work, "source");
  const skip = new Set(["node_modules", "dist", ".git", "reports", "coverage", ".modelpick"].map((name) => path.join(ROOT, name)));
  cpSync(ROOT, source, { recursive: true, filter: (file) => !skip.has(file) });
  symlinkSync(path.join(ROOT, "node_modules"), path.join(source, "node_modules"), "dir");

  const packed = await run("npm", ["pack", "--pack-destination", work], { cwd: source, env: NPM_ENV, timeoutMs: 90_000 });
  expect(packed.stderr).not.toMatch(/npm error/);
  expect(packed.code).toBe(0);
  tarball = path.join(work, packed.stdout.trim().split("\n").at(-1)!);
  const listed = await run("tar", ["-tzf", tarball], { cwd: work });
  tarballFiles = listed.stdout.split("\n").filter(Boolean);

  mkdirSync(app);
  writeProjectWithTarball(app, `file:../${path.basename(tarball)}`, ROOT);
  const installed = await run("npm", ["install", "--offline"], { cwd: app, env: NPM_ENV, timeoutMs: 120_000 });
  if (installed.code !== 0 && npmErrorCode(installed.stderr) === "ENOTCACHED") {
    skipReason = `the npm cache lacks a package modelpick depends on, so it cannot be installed offline:\n${installed.stderr}`;
    console.warn(`SKIPPED install tests: ${skipReason}`);
    return;
  }
  expect(installed.stderr).not.toMatch(/npm error/);
  expect(installed.code).toBe(0);
}, 240_000);

// The project's node_modules and the cache copy take ~80 MB.
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("the packed tarball", () => {
  it("holds what runs and what it reads, and nothing else: bin, dist (no source maps), datasets, the default config, README and the docs it links, LICENSE", () => {
    const allowed = /^package\/(bin\/|dist\/|datasets\/|docs\/[\w-]+\.md$|package\.json$|README\.md$|ARCHITECTURE\.md$|LICENSE$|modelpick\.yaml$)/;
    expect(tarballFiles.filter((file) => !allowed.test(file))).toEqual([]);
    for (const needed of [
      "package/bin/modelpick.js",
      "package/dist/main.js",
      "package/dist/lane-worker.js",
      "package/datasets/mmlu-pro/questions.jsonl.gz",
      "package/datasets/mmlu-pro/recorded/gpt-4o-2024-05-13.csv.gz",
      "package/modelpick.yaml",
      "package/LICENSE",
      "package/README.md",
      "package/docs/eval.md",
    ]) {
      expect(tarballFiles).toContain(needed);
    }
    expect(tarballFiles.filter((file) => file.endsWith(".map") || file.endsWith(".ts"))).toEqual([]);
    expect(readFileSync(path.join(ROOT, "LICENSE"), "utf8")).toMatch(/Apache License\s+Version 2\.0, January 2004/);
  });
  it("has every file that the packaged README and docs link to", () => {
    const linked = (file: string) =>
      [...readFileSync(path.join(ROOT, file), "utf8").matchAll(/\]\(([^)#:\s]+)(?:#[^)]*)?\)/g)].map((m) => path.posix.join(path.posix.dirname(file), m[1]!));
    const documents = tarballFiles.filter((f) => f.endsWith(".md")).map((f) => f.slice("package/".length));
    const links = documents.flatMap(linked);
    expect(links.length).toBeGreaterThan(10);
    expect(links.filter((link) => !tarballFiles.includes(`package/${link}`))).toEqual([]);
  });
});

describe("installed into a new project with npm install --offline", () => {
  const mock = useMockServer();

  it("installs no package that carries an os, cpu or libc restriction unconditionally, and not node-llama-cpp", (ctx) => {
    needsInstall(ctx);
    const { restricted, checked } = unconditionalRestricted(app);
    expect(checked).toBeGreaterThanOrEqual(6); // every installed package (see the next test)
    expect(restricted).toEqual([]);
    expect(existsSync(path.join(app, "node_modules", "node-llama-cpp"))).toBe(false);
  });

  it("installs modelpick and ajv (which the bundle loads at run time) only, with no install script: dist/ carries the SDKs, zod, yaml…", (ctx) => {
    needsInstall(ctx);
    const lock = JSON.parse(readFileSync(path.join(app, "node_modules", ".package-lock.json"), "utf8")) as {
      packages: Record<string, { hasInstallScript?: boolean }>;
    };
    const installed = Object.keys(lock.packages).map((location) => location.replace(/^.*node_modules\//, ""));
    expect(installed.sort()).toEqual(["ajv", "fast-deep-equal", "fast-uri", "json-schema-traverse", "modelpick", "require-from-string"]);
    expect(Object.entries(lock.packages).filter(([, entry]) => entry.hasInstallScript)).toEqual([]);
  });

  it("runs every cloud provider (Anthropic, OpenAI, Gemini) without their SDKs installed", async (ctx) => {
    needsInstall(ctx);
    const project = path.join(app, "providers");
    mkdirSync(project);
    // The mock server answers "echo: <the prompt>".
    writeFileSync(path.join(project, "items.jsonl"), JSON.stringify({ id: "q1", category: "c", input: "hi", expected: "echo: hi" }) + "\n");
    writeFileSync(
      path.join(project, "modelpick.yaml"),
      [
        "dataset: items.jsonl",
        "models:",
        `  - { id: claude, provider: anthropic, model: claude-sonnet-4-6, baseURL: "${mock.anthropicBaseURL}" }`,
        `  - { id: gpt, provider: openai, model: gpt-4.1-mini, baseURL: "${mock.openaiBaseURL}" }`,
        `  - { id: gemini, provider: gemini, model: gemini-2.5-flash, baseURL: "${mock.geminiBaseURL}" }`,
        "",
      ].join("\n"),
    );
    const keys = { ANTHROPIC_API_KEY: "test-key", OPENAI_API_KEY: "test-key", GEMINI_API_KEY: "test-key" };
    const result = await run(process.execPath, [path.join(app, "node_modules", ".bin", "modelpick"), "eval", "--out", "run", "--no-cache", "--json"], {
      cwd: project,
      env: { ...NPM_ENV, ...keys },
    });
    expect(result.code).toBe(0);
    expect(readRows(path.join(project, "run")).map((r) => [r.model, r.score, r.error])).toEqual(
      expect.arrayContaining([
        ["claude", 1, null],
        ["gpt", 1, null],
        ["gemini", 1, null],
      ]),
    );
    expect(mock.requests.map((r) => r.api).sort()).toEqual(["anthropic", "gemini", "openai"]);
  });

  it("npx modelpick --help lists the commands (exit 0)", async (ctx) => {
    needsInstall(ctx);
    const result = await npx(["--help"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    for (const command of ["init", "eval", "cost", "models", "recommend", "check", "import", "bench-local"]) {
      expect(result.stdout).toMatch(new RegExp(`^  ${command} `, "m"));
    }
  });

  it("npx modelpick eval --demo replays the built-in default shipped in the package; results in the project's ./reports", async (ctx) => {
    needsInstall(ctx);
    const result = await npx(["eval", "--demo", "--limit", "30", "--no-cache"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/│ \(all\) +│ gpt-4o +│ +30 │/);
    expect(result.stdout).toMatch(/^Results: reports\/\d{4}-\d\d-\d\dT[\d-]+Z\/results\.jsonl and summary\.json$/m);
    const latest = path.join(app, "reports", readlinkSync(path.join(app, "reports", "latest")));
    expect(readFileSync(path.join(latest, "results.jsonl"), "utf8").trim().split("\n")).toHaveLength(9 * 30);
  });

  it("npx modelpick eval without a config names init and --demo; init writes a starter config that eval validates (exit 2: no API key)", async (ctx) => {
    needsInstall(ctx);
    const project = path.join(app, "without-config");
    mkdirSync(project);
    const missing = await modelpick(["eval"], project);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^error: no modelpick\.yaml in .*: run modelpick init to write a starter config, or modelpick eval --demo/);

    const init = await npx(["init"], project);
    expect(init.code).toBe(0);
    expect(init.stdout).toMatch(/^Wrote modelpick\.yaml \(models: claude, gpt, gemini\) and datasets\/starter\.yaml/);
    const evaluated = await modelpick(["eval"], project);
    expect(evaluated.code).toBe(2);
    expect(evaluated.stderr).toMatch(
      /^error: missing API key: set ANTHROPIC_API_KEY \(model "claude"\), OPENAI_API_KEY \(model "gpt"\), GEMINI_API_KEY \(model "gemini"\)/,
    );
    const again = await modelpick(["init"], project);
    expect(again.code).toBe(2);
  });

  it("npx modelpick check holds on the results a table came from (exit 0) and fails on degraded ones (exit 1)", async (ctx) => {
    needsInstall(ctx);
    // "small" is as good and cheaper, so it gets the route; afterwards it loses 12 of its 30 items.
    const models = [runModel("big"), runModel("small")];
    const big = rowsFor("big", "extraction", "1".repeat(30), { costUsd: 0.01 });
    writeResultsDir(path.join(app, "before"), [...big, ...rowsFor("small", "extraction", "1".repeat(30), { costUsd: 0.001 })], models);
    writeResultsDir(path.join(app, "after"), [...big, ...rowsFor("small", "extraction", "0".repeat(12) + "1".repeat(18), { costUsd: 0.001 })], models);
    const made = await modelpick(["recommend", "--results", "before", "--out", "routing.ts"]);
    expect(made.code).toBe(0);

    const holds = await npx(["check", "routing.ts", "--results", "before"]);
    expect(holds.stderr).toBe("Results: before (run run-fixture, finished 2026-11-20 10:00 UTC)\n");
    expect(holds.code).toBe(0);
    expect(holds.stdout).toMatch(/^modelpick check: every route in routing\.ts still holds/);
    const fails = await modelpick(["check", "routing.ts", "--results", "after"]);
    expect(fails.code).toBe(1);
    expect(fails.stdout).toMatch(/^modelpick check: 1 of 1 route\(s\) in routing\.ts no longer hold/);
    expect(fails.stdout).toMatch(/^✗ extraction → small: quality fell 1\.000 → 0\.600 \(−0\.400 \[−0\.\d\d, −0\.\d\d\], paired on 30 items\)$/m);
  });

  it("local GGUF commands say how to add node-llama-cpp, the optional peer (exit 2): models --local, bench-local, eval", async (ctx) => {
    needsInstall(ctx);
    const gguf = path.join(app, "tiny.gguf");
    writeTinyGguf(gguf);
    writeFileSync(path.join(app, "local.yaml"), "dataset: items.jsonl\nmodels:\n  - { id: tiny, provider: llama-cpp, path: tiny.gguf }\n");
    writeFileSync(path.join(app, "items.jsonl"), JSON.stringify({ id: "q1", category: "c", input: "hi", expected: "hi" }) + "\n");
    for (const args of [
      ["models", "--local", "tiny.gguf"],
      ["bench-local", "tiny.gguf"],
      ["eval", "--config", "local.yaml", "--out", "local-run"],
    ]) {
      const result = await modelpick(args);
      expect({ args, code: result.code, stderr: result.stderr }).toEqual({ args, code: 2, stderr: NOT_INSTALLED });
    }
  });
});
