import { lstatSync, mkdirSync, readlinkSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { makeProject, numberedItems } from "../helpers/project.js";
import { useMockServer } from "../helpers/use-mock-server.js";

const mock = useMockServer();

function project(): string {
  const model = { id: "m", provider: "openai-compatible", hosting: "self-hosted", baseURL: mock.openaiBaseURL, model: "m" };
  return makeProject({ models: [model] }, numberedItems(4));
}

const RESULTS_LINE = /^Results: (.+) \(run (\S+), finished (\d{4}-\d{2}-\d{2} \d{2}:\d{2}) UTC\)$/m;

describe("reports/latest follows the newest completed run", () => {
  it("moves to an --out run under ./reports, and says recommend needs --results for a run elsewhere", async () => {
    const dir = project();
    expect((await runCli(["eval", "--no-cache"], { cwd: dir })).code).toBe(0);
    const first = readlinkSync(path.join(dir, "reports", "latest"));

    const named = await runCli(["eval", "--no-cache", "--out", "reports/ci"], { cwd: dir });
    expect(named.code).toBe(0);
    expect(readlinkSync(path.join(dir, "reports", "latest"))).toBe("ci");
    expect(first).not.toBe("ci");

    const elsewhere = await runCli(["eval", "--no-cache", "--out", "elsewhere"], { cwd: dir });
    expect(elsewhere.code).toBe(0);
    expect(readlinkSync(path.join(dir, "reports", "latest"))).toBe("ci");
    expect(elsewhere.stdout + elsewhere.stderr).toMatch(/reports\/latest still points at reports\/ci: pass --results elsewhere to recommend, check and cost/);
    // The link is replaced by a rename: no temporary link is left behind.
    expect(readdirSync(path.join(dir, "reports")).filter((n) => n.startsWith(".latest"))).toEqual([]);
  });

  it("does not move when the run fails", async () => {
    const dir = project();
    expect((await runCli(["eval", "--no-cache", "--out", "reports/good"], { cwd: dir })).code).toBe(0);
    const failed = await runCli(["eval", "--no-cache", "--out", "reports/bad", "--categories", "nothing-like-this"], { cwd: dir });
    expect(failed.code).toBe(2);
    expect(readlinkSync(path.join(dir, "reports", "latest"))).toBe("good");
  });

  it("recommend, check and cost print which results they read, with the run's id and end time", async () => {
    const dir = project();
    expect((await runCli(["eval", "--no-cache", "--out", "reports/one"], { cwd: dir })).code).toBe(0);
    const recommend = await runCli(["recommend", "--format", "json", "--out", "routing.json"], { cwd: dir });
    expect(recommend.code).toBe(0);
    const line = RESULTS_LINE.exec(recommend.stderr);
    expect(line?.[1]).toBe("reports/latest → reports/one");
    expect(line?.[2]).toMatch(/^\d{4}-/);

    const check = await runCli(["check", "routing.json"], { cwd: dir });
    expect(check.code).toBe(0);
    expect(RESULTS_LINE.exec(check.stderr)?.[1]).toBe("reports/latest → reports/one");

    const cost = await runCli(["cost", "--requests-per-day", "1k", "--results", "reports/one", "--models", "gpt-6-luna", "--format", "json"], { cwd: dir });
    expect(cost.code).toBe(0);
    expect(RESULTS_LINE.exec(cost.stderr)?.[1]).toBe("reports/one");
    expect(() => JSON.parse(cost.stdout)).not.toThrow();
  });

  it("says when results have no summary (an unfinished or hand-made run)", async () => {
    const dir = project();
    mkdirSync(path.join(dir, "partial"));
    writeFileSync(
      path.join(dir, "partial", "results.jsonl"),
      JSON.stringify({ itemId: "q0", model: "m", category: "even", score: 1, error: null, skipped: null, inputTokens: 3, outputTokens: 2 }) + "\n",
    );
    const cost = await runCli(["cost", "--requests-per-day", "1k", "--results", "partial", "--models", "gpt-6-luna"], { cwd: dir });
    expect(cost.code).toBe(0);
    expect(cost.stderr).toMatch(
      /^Results: partial \(no summary\.json: an unfinished or hand-made run; results\.jsonl last written \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC\)$/m,
    );
    expect(lstatSync(path.join(dir, "partial")).isDirectory()).toBe(true);
  });
});
