import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";

function project(config: string, dataset: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), "modelpick-bad-"));
  writeFileSync(path.join(dir, "modelpick.yaml"), config);
  writeFileSync(path.join(dir, "tasks.jsonl"), dataset);
  return dir;
}
const goodModel = "models:\n  - { id: r, provider: recorded, file: answers.jsonl }\n";

describe("bad input: exit 2 with the place and the fix, never a stack trace", () => {
  it.each([
    [
      "a bad config field",
      "dataset: tasks.jsonl\nmodels:\n  - { id: r, provider: recorded, file: a.jsonl, maxTokens: -5 }\n",
      '{"id":"a","category":"c","input":"x","expected":"y"}\n',
      /modelpick.yaml:3: models\[0\]\.maxTokens: /,
    ],
    [
      "a bad dataset line",
      `dataset: tasks.jsonl\n${goodModel}`,
      '{"id":"a","category":"c","input":"x","expected":"y"}\n{"id":"b","category":"c"}\n',
      /tasks.jsonl:2: input: give either input/,
    ],
    [
      "an unknown scorer",
      `dataset: tasks.jsonl\n${goodModel}`,
      '{"id":"a","category":"c","input":"x","expected":"y","scorer":"fuzzy"}\n',
      /tasks.jsonl:1: scorer: .*fuzzy/,
    ],
    ["a missing dataset", `dataset: nope.jsonl\n${goodModel}`, "", /nope.jsonl: dataset file not found/],
    [
      "a judge item without a judge",
      `dataset: tasks.jsonl\n${goodModel}`,
      '{"id":"a","category":"c","input":"x","rubric":"be nice"}\n',
      /tasks.jsonl:1: item "a" is judge-scored; set judge:/,
    ],
  ])("%s", async (_name, config, dataset, message) => {
    const dir = project(config, dataset);
    writeFileSync(path.join(dir, "answers.jsonl"), '{"itemId":"a","output":"y"}\n');
    const result = await runCli(["eval", "--no-cache", "--out", "out"], { cwd: dir });
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.code).toBe(2);
  });

  it("exits at once on a bad dataset even when model threads were started to warm up meanwhile", async () => {
    const api = (id: string) => `  - { id: ${id}, provider: openai-compatible, model: x, hosting: self-hosted, baseURL: "http://127.0.0.1:9/v1" }\n`;
    const dir = project(`dataset: tasks.jsonl\nmodels:\n${api("a")}${api("b")}${api("c")}`, '{"id":"a","category":"c"}\n');
    const started = Date.now();
    const result = await runCli(["eval", "--no-cache", "--out", "out"], { cwd: dir, timeoutMs: 20_000 });
    expect(result.stderr).toMatch(/tasks.jsonl:1: input: give either input/);
    expect(result.code).toBe(2);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("rejects bad flags with exit 2", async () => {
    const result = await runCli(["eval", "--min-score", "7"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--min-score: expected a number between 0 and 1/);
    expect((await runCli(["eval", "--no-such-flag"])).code).toBe(2);
    expect((await runCli(["frobnicate"])).code).toBe(2);
  });
});

describe("recorded answers", () => {
  it("uses a recorded score as is, and scores recorded outputs without one", async () => {
    const dir = project(
      `dataset: tasks.jsonl\n${goodModel}`,
      '{"id":"a","category":"c","input":"x","expected":"yes"}\n{"id":"b","category":"c","input":"x","expected":"yes"}\n{"id":"c","category":"c","input":"x","expected":"yes"}\n',
    );
    writeFileSync(path.join(dir, "answers.jsonl"), '{"itemId":"a","output":"no","score":1,"latencyMs":120}\n{"itemId":"b","output":"Yes."}\n');
    const result = await runCli(["eval", "--no-cache", "--out", "out", "--json"], { cwd: dir });
    expect(result.code).toBe(0);
    const rows = (await import("node:fs"))
      .readFileSync(path.join(dir, "out", "results.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    const byId = new Map(rows.map((r) => [r.itemId, r]));
    expect(byId.get("a")).toMatchObject({ score: 1, latencyMs: 120 });
    expect(byId.get("b")).toMatchObject({ score: 1, latencyMs: null });
    expect(byId.get("c").error).toMatch(/no recorded answer for item "c"/);
  });
});
