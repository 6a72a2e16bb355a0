import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { makeProject, numberedItems } from "../helpers/project.js";
import { useMockServer } from "../helpers/use-mock-server.js";

const mock = useMockServer();

function project(): string {
  const model = { id: "m", provider: "openai-compatible", hosting: "self-hosted", baseURL: mock.openaiBaseURL, model: "m" };
  return makeProject({ models: [model] }, numberedItems(2));
}

function resultsOnly(dir: string, name: string): string {
  const run = path.join(dir, name);
  mkdirSync(run);
  writeFileSync(
    path.join(run, "results.jsonl"),
    JSON.stringify({ itemId: "q0", model: "m", category: "even", score: 1, error: null, skipped: null, inputTokens: 3, outputTokens: 2 }) + "\n",
  );
  return run;
}

describe("reports/latest and the results line, on hostile ground", () => {
  it("leaves a real reports/latest directory alone; the run still completes", async () => {
    const dir = project();
    mkdirSync(path.join(dir, "reports", "latest"), { recursive: true });
    writeFileSync(path.join(dir, "reports", "latest", "keep.txt"), "mine");
    const result = await runCli(["eval", "--no-cache"], { cwd: dir });
    expect(result.code).toBe(0);
    expect(readFileSync(path.join(dir, "reports", "latest", "keep.txt"), "utf8")).toBe("mine");
    expect(readdirSync(path.join(dir, "reports")).filter((n) => n.startsWith(".latest"))).toEqual([]);
  });

  it("replaces a dangling latest link", async () => {
    const dir = project();
    mkdirSync(path.join(dir, "reports"));
    symlinkSync("gone", path.join(dir, "reports", "latest"));
    expect((await runCli(["eval", "--no-cache", "--out", "reports/new"], { cwd: dir })).code).toBe(0);
    expect(readdirSync(path.join(dir, "reports", "latest"))).toContain("results.jsonl");
  });

  it("describes a run whose summary.json is garbage, a FIFO or a directory without reading it wrong or hanging", async () => {
    const dir = project();
    const garbage = resultsOnly(dir, "garbage");
    writeFileSync(path.join(garbage, "summary.json"), "{ not json");
    const fifo = resultsOnly(dir, "fifo");
    execFileSync("mkfifo", [path.join(fifo, "summary.json")]);
    const folder = resultsOnly(dir, "folder");
    mkdirSync(path.join(folder, "summary.json"));
    for (const name of ["garbage", "fifo", "folder"]) {
      const cost = await runCli(["cost", "--requests-per-day", "1k", "--results", name, "--models", "gpt-6-luna"], { cwd: dir, timeoutMs: 15_000 });
      expect(cost.code, name).toBe(0);
      expect(cost.stderr, name).toMatch(
        new RegExp(`^Results: ${name} \\(summary\\.json unreadable: an unfinished or hand-made run; results\\.jsonl last written `, "m"),
      );
    }
  });
});
