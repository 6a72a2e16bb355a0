import { spawn } from "node:child_process";
import { appendFileSync, existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { BIN, runCli } from "../helpers/cli.js";
import { startMockServer, type MockServer } from "../helpers/mock-server.js";
import { makeProject, numberedItems, readRows } from "../helpers/project.js";

let mock: MockServer;
beforeAll(async () => {
  mock = await startMockServer({ latencyMs: 25 });
});
afterAll(async () => {
  await mock.close();
});

function linesIn(file: string): string[] {
  return existsSync(file)
    ? readFileSync(file, "utf8")
        .split("\n")
        .filter((l) => l.endsWith("}"))
    : [];
}

it("a run killed with SIGKILL and resumed ends with every item × model exactly once, without re-asking finished items", async () => {
  const config = {
    models: [
      { id: "a", provider: "openai-compatible", model: "m-a", hosting: "self-hosted", baseURL: mock.openaiBaseURL, concurrency: 3 },
      { id: "b", provider: "openai-compatible", model: "m-b", hosting: "cloud", baseURL: mock.openaiBaseURL, concurrency: 2 },
    ],
  };
  const dir = makeProject(config, numberedItems(60));
  const results = path.join(dir, "out", "results.jsonl");

  const child = spawn(process.execPath, [BIN, "eval", "--out", "out", "--no-cache"], { cwd: dir, stdio: "ignore" });
  const deadline = Date.now() + 20_000;
  while (linesIn(results).length < 25 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  child.kill("SIGKILL");
  await new Promise((resolve) => child.once("close", resolve));

  // Simulate the worst moment: a row torn in the middle of its write.
  appendFileSync(results, '{"itemId":"q59","model":"a","categ');
  const finished = new Set(
    linesIn(results).map((l) => {
      const r = JSON.parse(l);
      return `${r.model}/${r.itemId}`;
    }),
  );
  expect(finished.size).toBeGreaterThanOrEqual(25);
  expect(finished.size).toBeLessThan(120);
  const before = mock.requests.length;

  const resumed = await runCli(["eval", "--resume", "out", "--no-cache"], { cwd: dir });
  expect(resumed.stderr).not.toMatch(/internal error/);
  expect(resumed.code).toBe(0);

  const rows = readRows(path.join(dir, "out"));
  const keys = rows.map((r) => `${r.model}/${r.itemId}`);
  expect(keys).toHaveLength(120);
  expect(new Set(keys).size).toBe(120);
  expect(rows.every((r) => r.score === 1)).toBe(true);

  const askedAgain = mock.requests.slice(before).map((r) => `${r.body.model === "m-a" ? "a" : "b"}/q${r.body.messages.at(-1).content.split(" ")[1]}`);
  expect(askedAgain.filter((k) => finished.has(k))).toEqual([]);
  expect(new Set(askedAgain).size).toBe(askedAgain.length);
  expect(askedAgain.length).toBe(120 - finished.size);

  const summary = JSON.parse(readFileSync(path.join(dir, "out", "summary.json"), "utf8"));
  expect(summary.overall.map((c: { n: number }) => c.n)).toEqual([60, 60]);
});

it("refuses to resume when the dataset changed, exit 2", async () => {
  const dir = makeProject(
    { models: [{ id: "a", provider: "openai-compatible", model: "m", hosting: "self-hosted", baseURL: mock.openaiBaseURL }] },
    numberedItems(2),
  );
  expect((await runCli(["eval", "--out", "out", "--no-cache"], { cwd: dir })).code).toBe(0);
  appendFileSync(path.join(dir, "tasks.jsonl"), JSON.stringify({ id: "new", category: "x", input: "hi", expected: "echo: hi" }) + "\n");
  const resumed = await runCli(["eval", "--resume", "out", "--no-cache"], { cwd: dir });
  expect(resumed.code).toBe(2);
  expect(resumed.stderr).toMatch(/changed since this run started/);
});
