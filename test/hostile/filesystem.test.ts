/**
 * Hostile filesystems and environments, through the built CLI: two commands on one directory, files torn by an
 * interrupted write, paths that are directories or files or nowhere, a full disk, a closed stdout, /proc.
 * Each must end with a plain message and exit 2 (or quietly, for a closed stdout), never a stack trace or a hang.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { BIN, ROOT, runCli, type CliResult } from "../helpers/cli.js";
import { startMockServer } from "../helpers/mock-server.js";
import { allFiles, makeProject, numberedItems, readRows } from "../helpers/project.js";
import { useMockServer } from "../helpers/use-mock-server.js";
import { rowsFor, runModel, tempDir, writeResultsDir } from "../routing/fixtures.js";

const mock = useMockServer();
const LOCK = ".modelpick.lock";
const isRoot = process.getuid?.() === 0;

/** A project whose one model replays recorded answers: no server, no key. */
function recordedProject(count = 4, extra: Record<string, unknown> = {}): string {
  const items = numberedItems(count);
  const dir = makeProject({ models: [{ id: "rec", provider: "recorded", file: "rec.jsonl" }], ...extra }, items);
  writeFileSync(path.join(dir, "rec.jsonl"), items.map((i) => JSON.stringify({ itemId: i.id, output: i.expected })).join("\n") + "\n");
  return dir;
}

function apiModel(overrides: Record<string, unknown> = {}) {
  return { id: "api", provider: "openai-compatible", model: "m", hosting: "self-hosted", baseURL: mock.openaiBaseURL, ...overrides };
}

/** A plain, single-line error: exit 2, no stack trace, no "internal error". */
function expectPlainError(result: CliResult, pattern: RegExp): void {
  expect(result.stderr).not.toMatch(/internal error|\n\s+at |Error:/);
  expect(result.stderr).toMatch(pattern);
  expect(result.code).toBe(2);
}

function spawnCli(args: string[], cwd: string): { child: ChildProcess; done: Promise<CliResult> } {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" } });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<CliResult>((resolve) => child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done };
}

async function until(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function rowCount(file: string): number {
  return existsSync(file)
    ? readFileSync(file, "utf8")
        .split("\n")
        .filter((l) => l.endsWith("}")).length
    : 0;
}

function writeLock(dir: string, holder: Record<string, unknown>): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, LOCK),
    JSON.stringify({ hostname: hostname(), startedAt: new Date().toISOString(), command: "modelpick eval", args: [], ...holder }),
  );
}

/**
 * A run in `out` as if killed after its first `keep` rows: a complete run, its results.jsonl cut back. (A run started
 * with --limit is not a partial run of more items: --resume continues the items and models a run started with.)
 */
async function interruptedRun(dir: string, keep: number, flags: string[] = []): Promise<void> {
  const started = await runCli(["eval", "--out", "out", ...flags], { cwd: dir });
  expect(started.code, started.stderr).toBe(0);
  const results = path.join(dir, "out", "results.jsonl");
  const rows = readFileSync(results, "utf8").split("\n").filter(Boolean);
  writeFileSync(
    results,
    rows
      .slice(0, keep)
      .map((row) => `${row}\n`)
      .join(""),
  );
}

/** A results directory recommend and check can read, and a routing file made from it. */
async function routedProject(format = "json"): Promise<string> {
  const dir = tempDir("modelpick-fs-");
  writeResultsDir(
    path.join(dir, "res"),
    [...rowsFor("big", "extraction", "1".repeat(12), { costUsd: 0.01 }), ...rowsFor("small", "extraction", "1".repeat(12), { costUsd: 0.001 })],
    [runModel("big"), runModel("small")],
  );
  const made = await runCli(["recommend", "--results", "res", "--out", `routing.${format}`], { cwd: dir });
  expect(made.code).toBe(0);
  return dir;
}

describe("item 5: one command at a time per output directory", () => {
  it("two evals started at once on one --out: exactly one runs, each item is asked once, the other exits 2 naming the holder", async () => {
    // Slow enough (60 items × 50 ms ÷ 2 = 1.5 s) that the second has started long before the first ends.
    const slow = await startMockServer({ latencyMs: 50 });
    try {
      const dir = makeProject({ models: [{ ...apiModel(), baseURL: slow.openaiBaseURL, concurrency: 2 }] }, numberedItems(60));
      const a = spawnCli(["eval", "--out", "out", "--no-cache"], dir);
      const b = spawnCli(["eval", "--out", "out", "--no-cache"], dir);
      const results = await Promise.all([a.done, b.done]);
      const winner = results.findIndex((r) => r.code === 0);
      expect(results.map((r) => r.code).sort()).toEqual([0, 2]);
      const loser = results[1 - winner]!;
      const winnerPid = [a, b][winner]!.child.pid;
      expectPlainError(
        loser,
        new RegExp(
          `out is in use by modelpick eval \\(pid ${winnerPid}, started \\d\\d:\\d\\d:\\d\\d UTC\\); wait for it, or remove out/${LOCK} if that process is gone`,
        ),
      );
      expect(readRows(path.join(dir, "out"))).toHaveLength(60);
      expect(slow.requests).toHaveLength(60);
      expect(existsSync(path.join(dir, "out", LOCK))).toBe(false);
    } finally {
      await slow.close();
    }
  });

  it("two --resume of one run at once: exactly one continues it, every item × model ends up asked once", async () => {
    const slow = await startMockServer({ latencyMs: 50 });
    try {
      const dir = makeProject({ models: [{ ...apiModel(), baseURL: slow.openaiBaseURL, concurrency: 2 }] }, numberedItems(60));
      await interruptedRun(dir, 4, ["--no-cache"]);
      slow.requests.length = 0;
      const a = spawnCli(["eval", "--resume", "out", "--no-cache"], dir);
      const b = spawnCli(["eval", "--resume", "out", "--no-cache"], dir);
      const results = await Promise.all([a.done, b.done]);
      expect(results.map((r) => r.code).sort()).toEqual([0, 2]);
      expectPlainError(results.find((r) => r.code === 2)!, /out is in use by modelpick eval \(pid \d+/);
      const keys = readRows(path.join(dir, "out")).map((r) => r.itemId);
      expect(keys).toHaveLength(60);
      expect(new Set(keys).size).toBe(60);
      expect(slow.requests).toHaveLength(56);
    } finally {
      await slow.close();
    }
  });

  it("a run killed with SIGKILL leaves a stale lock that the next --resume takes over, with a note", async () => {
    const slow = await startMockServer({ latencyMs: 25 });
    try {
      const dir = makeProject({ models: [{ ...apiModel(), baseURL: slow.openaiBaseURL, concurrency: 2 }] }, numberedItems(40));
      const results = path.join(dir, "out", "results.jsonl");
      const run = spawnCli(["eval", "--out", "out", "--no-cache"], dir);
      await until(() => rowCount(results) >= 5, "the first rows");
      run.child.kill("SIGKILL");
      await run.done;
      const stale = JSON.parse(readFileSync(path.join(dir, "out", LOCK), "utf8"));
      expect(stale).toMatchObject({ pid: run.child.pid, hostname: hostname(), command: "modelpick eval" });

      const resumed = await runCli(["eval", "--resume", "out", "--no-cache"], { cwd: dir });
      expect(resumed.stderr).not.toMatch(/internal error/);
      expect(resumed.code).toBe(0);
      expect(resumed.stderr).toMatch(
        new RegExp(`note: took over out/\\${LOCK}, left by modelpick eval \\(pid ${run.child.pid}, started [^)]+\\), which is no longer running`),
      );
      expect(new Set(readRows(path.join(dir, "out")).map((r) => r.itemId)).size).toBe(40);
      expect(existsSync(path.join(dir, "out", LOCK))).toBe(false);
    } finally {
      await slow.close();
    }
  });

  it.each(["SIGINT", "SIGTERM"] as const)("a run stopped with %s releases its lock", async (signal) => {
    const slow = await startMockServer({ latencyMs: 40 });
    try {
      const dir = makeProject({ models: [{ ...apiModel(), baseURL: slow.openaiBaseURL, concurrency: 1 }] }, numberedItems(60));
      const run = spawnCli(["eval", "--out", "out", "--no-cache"], dir);
      await until(() => rowCount(path.join(dir, "out", "results.jsonl")) >= 2, "the first rows");
      expect(existsSync(path.join(dir, "out", LOCK))).toBe(true);
      run.child.kill(signal);
      const ended = await run.done;
      expect(ended.signal).toBe(signal);
      expect(existsSync(path.join(dir, "out", LOCK))).toBe(false);
    } finally {
      await slow.close();
    }
  });

  it("a lock held by a live process refuses eval, --resume and import into that directory (exit 2, the holder named)", async () => {
    const dir = recordedProject();
    writeLock(path.join(dir, "out"), { pid: process.pid, command: "modelpick import" });
    const evaluated = await runCli(["eval", "--out", "out"], { cwd: dir });
    expectPlainError(evaluated, new RegExp(`out is in use by modelpick import \\(pid ${process.pid}, started \\d\\d:\\d\\d:\\d\\d UTC\\)`));
    const resumed = await runCli(["eval", "--resume", "out"], { cwd: dir });
    expectPlainError(resumed, /out is in use by modelpick import/);
    writeFileSync(path.join(dir, "long.csv"), "itemId,category,model,score\nq1,c,m,1\n");
    const imported = await runCli(["import", "long.csv", "--format", "long", "--out", "out"], { cwd: dir });
    expectPlainError(imported, /out is in use by modelpick import/);
    expect(readdirSync(path.join(dir, "out"))).toEqual([LOCK]);
  });

  it("a lock from another host is refused (its process cannot be checked), saying how to clear it", async () => {
    const dir = recordedProject();
    writeLock(path.join(dir, "out"), { pid: 1, hostname: "build-agent-7" });
    const result = await runCli(["eval", "--out", "out"], { cwd: dir });
    expectPlainError(
      result,
      new RegExp(`out is in use by modelpick eval \\(pid 1, started [^)]+\\) on host build-agent-7; .*remove out/\\${LOCK} if that run is over`),
    );
  });

  it("import takes the lock too, and a stale one is taken over with a note", async () => {
    const dir = recordedProject();
    writeLock(path.join(dir, "imported"), { pid: 2 ** 22 + 17 }); // above pid_max's default: no such process
    writeFileSync(path.join(dir, "long.csv"), "itemId,category,model,score\nq1,c,m,1\n");
    const result = await runCli(["import", "long.csv", "--format", "long", "--out", "imported"], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/took over imported\/\.modelpick\.lock, left by modelpick eval/);
    expect(existsSync(path.join(dir, "imported", LOCK))).toBe(false);
    expect(existsSync(path.join(dir, "imported", "results.jsonl"))).toBe(true);
  });

  it("evals started at once without --out each get a directory of their own under reports/", async () => {
    const dir = recordedProject(6);
    const results = await Promise.all([1, 2, 3].map(() => runCli(["eval", "--no-cache"], { cwd: dir })));
    expect(results.map((r) => r.code)).toEqual([0, 0, 0]);
    const runs = readdirSync(path.join(dir, "reports")).filter((name) => name !== "latest");
    expect(runs).toHaveLength(3);
    for (const run of runs) expect(readRows(path.join(dir, "reports", run))).toHaveLength(6);
  });
});

describe("item 6: files torn by an interrupted write", () => {
  it("a torn summary.json: recommend exits 2 naming it, and says results.jsonl alone is enough", async () => {
    const dir = await routedProject();
    const summary = path.join(dir, "res", "summary.json");
    writeFileSync(summary, readFileSync(summary, "utf8").slice(0, 200));
    const result = await runCli(["recommend", "--results", "res"], { cwd: dir });
    expectPlainError(
      result,
      /res\/summary\.json is not valid JSON \(torn by an interrupted write\?\): .*; rerun the command that wrote it, or delete it: results\.jsonl alone is enough/,
    );
    rmSync(summary);
    expect((await runCli(["recommend", "--results", "res"], { cwd: dir })).code).toBe(0);
  });

  it("a summary.json that is JSON but not a summary is refused the same way", async () => {
    const dir = await routedProject();
    writeFileSync(path.join(dir, "res", "summary.json"), "[]");
    expectPlainError(await runCli(["recommend", "--results", "res"], { cwd: dir }), /res\/summary\.json is not a modelpick run summary/);
  });

  it("a damaged results row: exit 2 naming file and line, and what to do", async () => {
    const dir = await routedProject();
    const file = path.join(dir, "res", "results.jsonl");
    const lines = readFileSync(file, "utf8").split("\n");
    lines[3] = lines[3]!.slice(0, 20);
    writeFileSync(file, lines.join("\n"));
    expectPlainError(await runCli(["recommend", "--results", "res"], { cwd: dir }), /res\/results\.jsonl:4 is not valid JSON .*; delete that line/);
  });

  it("a torn run.json: --resume exits 2 naming it", async () => {
    const dir = recordedProject();
    expect((await runCli(["eval", "--out", "out", "--limit", "2"], { cwd: dir })).code).toBe(0);
    writeFileSync(path.join(dir, "out", "run.json"), '{"id":"2026-');
    const result = await runCli(["eval", "--resume", "out"], { cwd: dir });
    expectPlainError(result, /out\/run\.json is not valid JSON \(torn by an interrupted write\?\).*start a new run with --out/);
    expect(existsSync(path.join(dir, "out", LOCK))).toBe(false);
  });

  it.each(["json", "yaml"])("a torn routing file (%s): check exits 2 naming it", async (format) => {
    const dir = await routedProject(format);
    const file = path.join(dir, `routing.${format}`);
    writeFileSync(file, format === "json" ? readFileSync(file, "utf8").slice(0, 100) : "routes: [\n");
    const result = await runCli(["check", `routing.${format}`, "--results", "res"], { cwd: dir });
    expectPlainError(
      result,
      format === "json"
        ? /routing\.json is not valid JSON \(torn by an interrupted write\?\): .*; regenerate it with modelpick recommend --out/
        : /routing\.yaml/,
    );
  });

  it("a damaged prices file and a damaged throughput profile: exit 2 naming the file", async () => {
    const dir = recordedProject();
    writeFileSync(path.join(dir, "prices.json"), '{"gpt-x": {"input_cost_per_token": 1e-6,');
    const prices = await runCli(["cost", "--tokens-per-day", "1m", "--prices", "prices.json", "--models", "gpt-4o"], { cwd: dir });
    expectPlainError(prices, /prices\.json is not valid JSON: .*; fix it, or download the price file again/);
    writeFileSync(path.join(dir, "profile.json"), '{"kind":"modelpick-throughput-profile","model":');
    const profile = await runCli(["cost", "--tokens-per-day", "1m", "--throughput-profile", "profile.json"], { cwd: dir });
    expectPlainError(profile, /profile\.json is not valid JSON \(torn by an interrupted write\?\).*modelpick bench-local/);
  });

  it("damaged cache entries are misses: asked again, and removed when the new answer is not cached", async () => {
    const dir = makeProject({ models: [apiModel()] }, numberedItems(4));
    expect((await runCli(["eval", "--out", "out1", "--cache-dir", "cache"], { cwd: dir })).code).toBe(0);
    const entries = allFiles(path.join(dir, "cache")).map((f) => f.file);
    expect(entries).toHaveLength(4);
    for (const [i, entry] of entries.entries()) writeFileSync(entry, i % 2 === 0 ? "{}" : '{"output":"echo: que');

    const before = mock.requests.length;
    const again = await runCli(["eval", "--out", "out2", "--cache-dir", "cache"], { cwd: dir });
    expect(again.code).toBe(0);
    expect(mock.requests.length - before).toBe(4);
    expect(readRows(path.join(dir, "out2")).every((r) => r.score === 1 && r.cached === false)).toBe(true);

    for (const entry of entries) writeFileSync(entry, "{");
    mock.setBehavior(() => ({ status: 400, message: "no" }));
    expect((await runCli(["eval", "--out", "out3", "--cache-dir", "cache"], { cwd: dir })).code).toBe(0);
    expect(entries.filter((e) => existsSync(e))).toEqual([]);
  });

  it("run.json, summary.json and routing files are replaced whole (a new file renamed into place), never rewritten in place", async () => {
    const dir = await routedProject();
    const routing = path.join(dir, "routing.json");
    const inode = statSync(routing).ino;
    expect((await runCli(["recommend", "--results", "res", "--out", "routing.json"], { cwd: dir })).code).toBe(0);
    expect(statSync(routing).ino).not.toBe(inode);
    // check --update rewrites only a file that changes: a hand edit makes this one differ from the recommendation.
    writeFileSync(routing, readFileSync(routing, "utf8").replace("\n}\n", "\n}\n\n"));
    const checkInode = statSync(routing).ino;
    expect((await runCli(["check", "routing.json", "--results", "res", "--update"], { cwd: dir })).code).toBe(0);
    expect(statSync(routing).ino).not.toBe(checkInode);

    const project = recordedProject();
    await interruptedRun(project, 2);
    const summaryInode = statSync(path.join(project, "out", "summary.json")).ino;
    expect((await runCli(["eval", "--resume", "out"], { cwd: project })).code).toBe(0);
    expect(statSync(path.join(project, "out", "summary.json")).ino).not.toBe(summaryInode);
    expect(readdirSync(path.join(project, "out")).sort()).toEqual(["results.jsonl", "run.json", "summary.json"]);
  });
});

describe("item 7: bad paths and a hostile environment are exit 2 with the path and the reason", () => {
  it("the config path is a directory", async () => {
    const dir = recordedProject();
    mkdirSync(path.join(dir, "conf.yaml"));
    expectPlainError(await runCli(["eval", "--config", "conf.yaml"], { cwd: dir }), /^error: cannot read conf\.yaml: it is a directory$/m);
  });

  const bomb = [
    "a: &a [x, x, x, x, x, x, x, x, x]",
    ...["b", "c", "d", "e", "f", "g"].map((k, i) => `${k}: &${k} [${Array(9).fill(`*${"abcdef"[i]}`).join(", ")}]`),
  ].join("\n");

  it("a YAML alias bomb in the config", async () => {
    const dir = recordedProject();
    writeFileSync(path.join(dir, "bomb.yaml"), `${bomb}\n`);
    expectPlainError(await runCli(["eval", "--config", "bomb.yaml"], { cwd: dir }), /bomb\.yaml: cannot expand the YAML: .*alias/i);
  });

  it("a YAML alias bomb in a dataset", async () => {
    const dir = recordedProject(4, { dataset: "tasks.yaml" });
    writeFileSync(path.join(dir, "tasks.yaml"), `${bomb}\nitems:\n  - { id: q0, category: c, input: *g, expected: x }\n`);
    expectPlainError(await runCli(["eval", "--out", "out"], { cwd: dir }), /tasks\.yaml: cannot expand the YAML: .*alias/i);
  });

  it.each([
    ["not gzip at all", Buffer.from("this is not gzip")],
    [
      "cut short",
      gzipSync(
        Buffer.from(
          numberedItems(50)
            .map((i) => JSON.stringify(i))
            .join("\n"),
        ),
      ).subarray(0, 60),
    ],
  ])("a corrupt .jsonl.gz dataset (%s)", async (_name, bytes) => {
    const dir = recordedProject(4, { dataset: "tasks.jsonl.gz" });
    writeFileSync(path.join(dir, "tasks.jsonl.gz"), bytes);
    expectPlainError(await runCli(["eval", "--out", "out"], { cwd: dir }), /cannot read tasks\.jsonl\.gz: not a valid gzip file/);
  });

  it.each(["tasks.jsonl", "tasks.jsonl.gz", "tasks.csv"])("the dataset path %s is a directory", async (name) => {
    const dir = recordedProject(4, { dataset: name });
    rmSync(path.join(dir, name), { force: true });
    mkdirSync(path.join(dir, name));
    expectPlainError(await runCli(["eval", "--out", "out"], { cwd: dir }), new RegExp(`cannot read ${name.replace(/\./g, "\\.")}: it is a directory`));
  });

  it.each([
    ["a file", "afile", /cannot create directory afile: a file with that name is already there/],
    ["under a file", "afile/run", /cannot create directory afile\/run: a part of the path is not a directory/],
  ])("eval --out is %s", async (_what, out, message) => {
    const dir = recordedProject();
    writeFileSync(path.join(dir, "afile"), "x");
    expectPlainError(await runCli(["eval", "--out", out], { cwd: dir }), message);
  });

  it.skipIf(isRoot)("eval --out in a directory it may not write", async () => {
    const dir = recordedProject();
    mkdirSync(path.join(dir, "locked"));
    chmodSync(path.join(dir, "locked"), 0o555);
    expectPlainError(await runCli(["eval", "--out", "locked/run"], { cwd: dir }), /cannot create directory locked\/run: permission denied/);
  });

  it.skipIf(!existsSync("/proc/self"))("eval --out /proc/x ends at once (Node's recursive mkdir loops forever there)", async () => {
    const dir = recordedProject();
    const started = Date.now();
    const result = await runCli(["eval", "--out", "/proc/modelpick-x/run"], { cwd: dir, timeoutMs: 15_000 });
    expectPlainError(result, /cannot create directory \/proc\/modelpick-x\/run: no such file or directory/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it.skipIf(!existsSync("/proc/self"))("eval --cache-dir or MODELPICK_CACHE_DIR under /proc ends at once, exit 2", async () => {
    const dir = recordedProject();
    const started = Date.now();
    const flagged = await runCli(["eval", "--out", "out", "--cache-dir", "/proc/modelpick-x/cache"], { cwd: dir, timeoutMs: 15_000 });
    expectPlainError(flagged, /--cache-dir \/proc\/modelpick-x\/cache: cannot write the cache directory \(no such file or directory\)/);
    const fromEnv = await runCli(["eval", "--out", "out2"], { cwd: dir, timeoutMs: 15_000, env: { MODELPICK_CACHE_DIR: "/proc/modelpick-x/cache" } });
    expectPlainError(fromEnv, /MODELPICK_CACHE_DIR \/proc\/modelpick-x\/cache: cannot write the cache directory/);
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it.skipIf(!existsSync("/proc/self"))("init in a directory under /proc ends at once, exit 2", async () => {
    const result = await runCli(["init"], { cwd: "/proc/self/fdinfo", timeoutMs: 15_000 });
    expectPlainError(result, /cannot create directory .*datasets: no such file or directory/);
  });

  it("recommend --out under a file, or in a directory it may not write", async () => {
    const dir = await routedProject();
    writeFileSync(path.join(dir, "afile"), "x");
    expectPlainError(
      await runCli(["recommend", "--results", "res", "--out", "afile/routing.ts"], { cwd: dir }),
      /cannot create directory afile: a file with that name is already there/,
    );
    if (isRoot) return; // root writes anywhere
    mkdirSync(path.join(dir, "ro"));
    chmodSync(path.join(dir, "ro"), 0o555);
    expectPlainError(
      await runCli(["recommend", "--results", "res", "--out", "ro/routing.ts"], { cwd: dir }),
      /cannot write ro\/routing\.ts: permission denied/,
    );
  });

  it("check --junit pointing at a directory", async () => {
    const dir = await routedProject();
    mkdirSync(path.join(dir, "junit"));
    const result = await runCli(["check", "routing.json", "--results", "res", "--junit", "junit"], { cwd: dir });
    expectPlainError(result, /cannot write junit: it is a directory/);
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("GITHUB_STEP_SUMMARY pointing at a directory", async () => {
    const dir = await routedProject();
    mkdirSync(path.join(dir, "summary"));
    const result = await runCli(["check", "routing.json", "--results", "res"], { cwd: dir, env: { GITHUB_STEP_SUMMARY: path.join(dir, "summary") } });
    expectPlainError(result, /cannot (write|open) summary: it is a directory; that is where \$GITHUB_STEP_SUMMARY points/);
  });

  it("import --out is a file", async () => {
    const dir = recordedProject();
    writeFileSync(path.join(dir, "afile"), "x");
    writeFileSync(path.join(dir, "long.csv"), "itemId,category,model,score\nq1,c,m,1\n");
    expectPlainError(
      await runCli(["import", "long.csv", "--format", "long", "--out", "afile"], { cwd: dir }),
      /cannot create directory afile: a file with that name is already there/,
    );
  });

  it.each([
    ["on the main thread", () => [apiModel()]],
    ["on a model thread", () => [apiModel(), apiModel({ id: "api2" }), apiModel({ id: "api3" })]],
  ])("a response cache that cannot be written (%s) names the cache and the way out", async (_where, models) => {
    const dir = makeProject({ models: models() }, numberedItems(3));
    writeFileSync(path.join(dir, "afile"), "x");
    const result = await runCli(["eval", "--out", "out", "--cache-dir", "afile/cache"], { cwd: dir });
    // Refused before any request: the cache directory is checked when the run starts.
    expectPlainError(result, /--cache-dir afile\/cache: a part of the path is not a directory; point --cache-dir at a directory, or run with --no-cache/);
  });

  it("a full disk while writing results (ENOSPC): exit 2, says how to resume, and the resumed run completes", async () => {
    const dir = recordedProject(6);
    await interruptedRun(dir, 2);
    const results = path.join(dir, "out", "results.jsonl");
    rmSync(results);
    symlinkSync("/dev/full", results);
    const full = await runCli(["eval", "--resume", "out"], { cwd: dir });
    expectPlainError(
      full,
      /^error: cannot write out\/results\.jsonl: no space left on device; the rows written so far are kept in out: fix that, then continue with modelpick eval --resume out$/m,
    );
    expect(existsSync(path.join(dir, "out", "run.json"))).toBe(true);
    expect(existsSync(path.join(dir, "out", LOCK))).toBe(false);

    rmSync(results); // space again
    const resumed = await runCli(["eval", "--resume", "out"], { cwd: dir });
    expect(resumed.code).toBe(0);
    expect(readRows(path.join(dir, "out"))).toHaveLength(6);
  });

  it.each([
    [
      "a filesystem error",
      "Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write', path: 'late.log' })",
      2,
      /^error: cannot write late\.log: no space left on device\n$/,
    ],
    ["a bug", "new TypeError('x is not a function')", 3, /^internal error \(please report it\): TypeError: x is not a function\n\s+at /],
  ])("an error thrown in a callback, where no caller can catch it (%s), still reaches the exit-code boundary", async (_what, error, code, message) => {
    const main = pathToFileURL(path.join(ROOT, "dist", "main.js")).href;
    const script = `const { main } = await import(${JSON.stringify(main)}); await main(["node", "modelpick", "--version"]); setImmediate(() => { throw ${error}; });`;
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], { cwd: tempDir("modelpick-fs-"), stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const exit = await new Promise<number | null>((resolve) => child.on("close", (c) => resolve(c)));
    expect(stderr).toMatch(message);
    expect(exit).toBe(code);
  });

  it("a reader that closes stdout early (modelpick models | head -1) ends quietly with the command's own exit code", async () => {
    const child = spawn(process.execPath, [BIN, "models"], { stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.destroy();
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("close", (c) => resolve(c)));
    expect(stderr).toBe("");
    expect(code).toBe(0);
  });

  it.skipIf(!existsSync("/dev/full"))("stdout on a full disk: exit 2 with a plain message", async () => {
    const fd = openSync("/dev/full", "w");
    try {
      const child = spawn(process.execPath, [BIN, "models"], { stdio: ["ignore", fd, "pipe"] });
      let stderr = "";
      child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
      const code = await new Promise<number | null>((resolve) => child.on("close", (c) => resolve(c)));
      expect(stderr).toBe("error: cannot write standard output: no space left on device\n");
      expect(code).toBe(2);
    } finally {
      closeSync(fd);
    }
  });
});

describe("item 10: --resume mistakes", () => {
  it("--resume of a directory that does not exist: exit 2, nothing created", async () => {
    const dir = recordedProject();
    const result = await runCli(["eval", "--resume", "reprots/run1"], { cwd: dir });
    expectPlainError(result, /--resume reprots\/run1: no such directory; check the path, or start a new run with --out reprots\/run1/);
    expect(existsSync(path.join(dir, "reprots"))).toBe(false);
  });

  it.each([
    ["empty", () => {}],
    ["imported results", (out: string) => writeFileSync(path.join(out, "results.jsonl"), "")],
  ])("--resume of a directory without run.json (%s): exit 2", async (_what, fill) => {
    const dir = recordedProject();
    mkdirSync(path.join(dir, "out"));
    fill(path.join(dir, "out"));
    const result = await runCli(["eval", "--resume", "out"], { cwd: dir });
    expectPlainError(result, /--resume out: no run\.json there, so it holds no run of modelpick eval to continue; start a new run with --out/);
    expect(existsSync(path.join(dir, "out", LOCK))).toBe(false);
  });

  it("--resume with --out: exit 2 rather than ignoring --out", async () => {
    const dir = recordedProject();
    expect((await runCli(["eval", "--out", "out", "--limit", "2"], { cwd: dir })).code).toBe(0);
    const result = await runCli(["eval", "--resume", "out", "--out", "elsewhere"], { cwd: dir });
    expectPlainError(result, /--resume continues a run in the directory it names, so --out cannot go with it/);
    expect(existsSync(path.join(dir, "elsewhere"))).toBe(false);
    expect(readRows(path.join(dir, "out"))).toHaveLength(2);
  });
});

describe("item 10: --resume continues the same items and models, never another selection", () => {
  function twoModelProject(): string {
    const dir = recordedProject(6);
    const config = readFileSync(path.join(dir, "modelpick.yaml"), "utf8");
    writeFileSync(
      path.join(dir, "modelpick.yaml"),
      config.replace(/file: rec\.jsonl\n/, "file: rec.jsonl\n  - id: rec2\n    provider: recorded\n    file: rec.jsonl\n"),
    );
    return dir;
  }

  it.each([
    ["--limit 2", ["--limit", "2"], [], /this run covers 2 items; this command selects 6/],
    ["--categories even", ["--categories", "even"], ["--categories", "odd"], /this run covers 3 items; this command selects 3 other ones/],
    ["--models rec", ["--models", "rec"], ["--models", "rec2"], /this run is of the model rec; this command selects rec2/],
    ["--models rec", ["--models", "rec"], [], /this run is of the model rec; this command selects rec, rec2/],
  ])("a run started with %s, resumed with another selection: exit 2, nothing asked", async (_what, first, resumed, message) => {
    const dir = twoModelProject();
    const started = await runCli(["eval", "--out", "out", ...first], { cwd: dir });
    expect(started.code, started.stderr).toBe(0);
    const before = readFileSync(path.join(dir, "out", "results.jsonl"), "utf8");
    const result = await runCli(["eval", "--resume", "out", ...resumed], { cwd: dir });
    expectPlainError(result, message);
    expect(result.stderr).toMatch(/resume with the --models, --categories and --limit the run started with/);
    expect(readFileSync(path.join(dir, "out", "results.jsonl"), "utf8")).toBe(before);
    // The same selection continues.
    const same = await runCli(["eval", "--resume", "out", ...first], { cwd: dir });
    expect(same.code, same.stderr).toBe(0);
  });

  it("a run started with one --prices, resumed with other prices: exit 2 naming both, so one run is not costed two ways", async () => {
    const dir = recordedProject(6);
    const prices = (input: number, output: number) => stringify({ source: `list ${input}`, prices: { rec: { inputPerMTok: input, outputPerMTok: output } } });
    writeFileSync(path.join(dir, "p1.yaml"), prices(1, 2));
    writeFileSync(path.join(dir, "p2.yaml"), prices(3, 4));
    expect((await runCli(["eval", "--out", "out", "--prices", "p1.yaml"], { cwd: dir })).code).toBe(0);
    const result = await runCli(["eval", "--resume", "out", "--prices", "p2.yaml"], { cwd: dir });
    expectPlainError(
      result,
      /rec was priced \$1\.00 \/ \$2\.00 per million tokens \(list 1\) when this run started, and \$3\.00 \/ \$4\.00 per million tokens \(list 3\) now/,
    );
    expectPlainError(await runCli(["eval", "--resume", "out"], { cwd: dir }), /rec was priced \$1\.00 .* and nothing now/);
    expect((await runCli(["eval", "--resume", "out", "--prices", "p1.yaml"], { cwd: dir })).code).toBe(0);
  });

  it.each([
    [["--no-cache"], [], /this run was started with --no-cache, this command has --max-cache-age 14d; resume with --no-cache/],
    [
      ["--max-cache-age", "0"],
      ["--max-cache-age", "36h"],
      /started with --max-cache-age 0, this command has --max-cache-age 36h; resume with --max-cache-age 0/,
    ],
    [[], ["--no-cache"], /started with --max-cache-age 14d, this command has --no-cache; resume with --max-cache-age 14d/],
  ])("a run started with %j, resumed with %j: exit 2, so that no row comes from answers the run did not allow", async (first, resumed, message) => {
    const dir = twoModelProject();
    expect((await runCli(["eval", "--out", "out", ...first], { cwd: dir })).code).toBe(0);
    expectPlainError(await runCli(["eval", "--resume", "out", ...resumed], { cwd: dir }), message);
    const same = await runCli(["eval", "--resume", "out", ...first], { cwd: dir });
    expect(same.code, same.stderr).toBe(0);
  });
});
