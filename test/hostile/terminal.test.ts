import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { BIN, runCli } from "../helpers/cli.js";
import { writeTinyGguf } from "../helpers/gguf-writer.js";
import { useMockServer } from "../helpers/use-mock-server.js";
import { makeProject, readRows } from "../helpers/project.js";

const mock = useMockServer();

/** Bytes that act on a terminal: C0 but newline and tab, DEL, C1, bidi embeddings, overrides and isolates. */
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

// An ANSI "clear screen", a NUL, a title-setting OSC sequence, a carriage return, a C1 CSI and a right-to-left override.
const CATEGORY = "math\u001b[2J\u0000\r\u202egnirts";
const MODEL = "gpt\u001b]0;pwned\u0007\u009b31m\u202e";

function hostileProject(): string {
  const config = {
    models: [
      {
        id: MODEL,
        provider: "openai-compatible",
        model: "m",
        hosting: "self-hosted",
        baseURL: mock.openaiBaseURL,
        maxRetries: 0,
        price: { inputPerMTok: 1, outputPerMTok: 1 },
      },
    ],
  };
  const items = Array.from({ length: 12 }, (_, i) => ({
    id: `q${i}`,
    category: i < 10 ? CATEGORY : "plain",
    input: `question ${i}`,
    expected: i === 0 ? "not the answer" : `echo: question ${i}`,
  }));
  return makeProject(config, items);
}

function expectPrintable(text: string, what: string): void {
  const found = RAW_CONTROL.exec(text);
  expect(found && JSON.stringify(text.slice(Math.max(0, found.index - 40), found.index + 20)), what).toBeNull();
}

describe("hostile names never reach the terminal raw", () => {
  it("eval, recommend and check print escapes for control characters in category and model names; results keep them", async () => {
    const dir = hostileProject();
    const evaluated = await runCli(["eval", "--out", "out", "--no-cache", "--min-score", "0.99"], { cwd: dir });
    expect(evaluated.code, evaluated.stderr).toBe(1); // one model below --min-score: its id is printed on stderr
    expect(evaluated.stdout).toContain("math\\x1b[2J\\x00\\x0d\\u202egnirts");
    expect(evaluated.stderr).toContain("model gpt\\x1b]0;pwned\\x07\\x9b31m\\u202e: mean score");
    expectPrintable(evaluated.stdout, "eval stdout");
    expectPrintable(evaluated.stderr, "eval stderr");

    const rows = readRows(path.join(dir, "out"));
    expect(rows).toHaveLength(12);
    expect(new Set(rows.map((r) => r.category))).toEqual(new Set([CATEGORY, "plain"]));
    expect(rows.every((r) => r.model === MODEL)).toBe(true);

    const asJson = await runCli(["eval", "--out", "out-json", "--no-cache", "--json"], { cwd: dir });
    expect(asJson.code).toBe(0);
    expectPrintable(asJson.stdout, "eval --json stdout");
    const summary = JSON.parse(asJson.stdout);
    expect(summary.cells.map((c: { category: string }) => c.category)).toContain(CATEGORY);

    const recommended = await runCli(["recommend", "--results", "out", "--min-items", "2", "--out", "routing.json"], { cwd: dir });
    expect(recommended.code, recommended.stderr).toBe(0);
    expect(recommended.stdout).toContain("\\u202egnirts");
    expectPrintable(recommended.stdout + recommended.stderr, "recommend output");

    const checked = await runCli(["check", "routing.json", "--results", "out"], { cwd: dir });
    expect(checked.code, checked.stderr).toBe(0);
    expect(checked.stdout).toContain("\\u202egnirts");
    expectPrintable(checked.stdout + checked.stderr, "check output");
  });

  it("import prints the imported file's model names escaped", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "modelpick-import-"));
    const csv = ["id,category,model,score", ...[1, 2, 3].map((i) => `q${i},math,"${MODEL}",1`)].join("\n");
    writeFileSync(path.join(dir, "long.csv"), `${csv}\n`);
    const result = await runCli(["import", "long.csv", "--format", "long", "--out", "imported"], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("gpt\\x1b]0;pwned\\x07\\x9b31m\\u202e (cloud)");
    expectPrintable(result.stdout + result.stderr, "import output");
    expect(readRows(path.join(dir, "imported")).map((r) => r.model)).toEqual([MODEL, MODEL, MODEL]);
  });

  it("the Results: line escapes the run id and date a results directory's summary.json holds", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "modelpick-import-"));
    const csv = ["id,category,model,score", ...[1, 2, 3].map((i) => `q${i},math,m,1`)].join("\n");
    writeFileSync(path.join(dir, "long.csv"), `${csv}\n`);
    expect((await runCli(["import", "long.csv", "--format", "long", "--out", "imported"], { cwd: dir })).code).toBe(0);
    const summaryFile = path.join(dir, "imported", "summary.json");
    const summary = JSON.parse(readFileSync(summaryFile, "utf8"));
    writeFileSync(summaryFile, JSON.stringify({ ...summary, run: { ...summary.run, id: `run${MODEL}`, endedAt: `x${CATEGORY}` } }));
    for (const command of [
      ["recommend", "--results", "imported", "--min-items", "2", "--out", "routing.json"],
      ["check", "routing.json", "--results", "imported"],
    ]) {
      const result = await runCli(command, { cwd: dir });
      expect(result.stderr).toContain("Results: imported (run rungpt\\x1b]0;pwned");
      expectPrintable(result.stdout + result.stderr, command[0]!);
    }
  });

  it("the error: line escapes what the user typed or the data held", async () => {
    const dir = hostileProject();
    const result = await runCli(["eval", "--out", "out", "--no-cache", "--models", "x\u001b[2J\u202e"], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: --models: unknown model id "x\\x1b\[2J\\u202e"/);
    expectPrintable(result.stderr, "stderr");
  });

  it("models --local escapes GGUF metadata; --json keeps the exact value in JSON escapes", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "modelpick-gguf-"));
    const file = path.join(dir, "evil.gguf");
    const name = "tiny\u001b[2J\u001b[31mred\u0000\u202eledom";
    writeTinyGguf(file, { name, license: "mit\u009b2J" });
    const table = await runCli(["models", "--local", file]);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toContain("tiny\\x1b[2J\\x1b[31mred\\x00\\u202eledom");
    expectPrintable(table.stdout, "models --local");
    const json = await runCli(["models", "--local", file, "--json"]);
    expect(json.code).toBe(0);
    expectPrintable(json.stdout, "models --local --json");
    expect(JSON.parse(json.stdout)).toMatchObject({ name, license: "mit\u009b2J" });
  });

  it("bench-local escapes the GGUF's model name in its table; --json keeps the exact name in JSON escapes", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "modelpick-gguf-"));
    const name = "tiny\u001b]0;pwned\u0007\u009b31m\u202eledom";
    writeTinyGguf(path.join(dir, "evil.gguf"), { name });
    const quick = ["--threads", "1", "--parallel", "2", "--prompt-tokens", "8", "--gen-tokens", "4"];
    const table = await runCli(["bench-local", "evil.gguf", ...quick], { cwd: dir });
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toContain("tiny\\x1b]0;pwned\\x07\\x9b31m\\u202eledom");
    expectPrintable(table.stdout + table.stderr, "bench-local");
    const json = await runCli(["bench-local", "evil.gguf", ...quick, "--json"], { cwd: dir });
    expect(json.code, json.stderr).toBe(0);
    expectPrintable(json.stdout, "bench-local --json");
    expect(JSON.parse(json.stdout).model).toBe(name);
  });

  it("cost --format csv and json print a hostile model id escaped; json reads back the exact id", async () => {
    const dir = makeProject({ models: [{ id: MODEL, provider: "openai", model: "gpt-4o", price: { inputPerMTok: 1, outputPerMTok: 2 } }] }, []);
    const csv = await runCli(["cost", "--tokens-per-day", "1m", "--format", "csv"], { cwd: dir });
    expect(csv.code, csv.stderr).toBe(0);
    expect(csv.stdout).toContain("gpt\\x1b]0;pwned\\x07\\x9b31m\\u202e,cloud,");
    expectPrintable(csv.stdout, "cost --format csv");
    const json = await runCli(["cost", "--tokens-per-day", "1m", "--format", "json"], { cwd: dir });
    expect(json.code, json.stderr).toBe(0);
    expectPrintable(json.stdout, "cost --format json");
    expect(JSON.parse(json.stdout).models[0].id).toBe(MODEL);
  });

  const hasScript = spawnSync("script", ["--version"]).status === 0;
  it.skipIf(!hasScript)("on a terminal that reports 0 columns, progress is a few plain lines, not a flood", async () => {
    mock.setBehavior(({ userText }) => ({ text: `echo: ${userText}`, latencyMs: 40 }));
    const dir = hostileProject();
    const node = process.execPath;
    // A real pseudo-terminal (util-linux `script`), its width set to 0 columns; the shell's pid is the CLI's after exec.
    const command = `stty cols 0 rows 0; echo $$ > cli.pid; exec ${node} ${BIN} eval --out out --no-cache`;
    // Asynchronously: the mock server answering the run lives in this process.
    const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve, reject) => {
      const child = spawn("script", ["-qec", command, "/dev/null"], { cwd: dir, stdio: ["ignore", "pipe", "inherit"] });
      let output = "";
      child.stdout.on("data", (chunk: Buffer) => {
        output += chunk.toString();
        if (output.length <= 1_000_000) return;
        // The flood this test is about: stop it, and the CLI too (stuck in a write loop, it would outlive its terminal).
        child.kill("SIGKILL");
        process.kill(Number(readFileSync(path.join(dir, "cli.pid"), "utf8")), "SIGKILL");
      });
      child.on("error", reject);
      child.on("close", (exitCode) => resolve({ code: exitCode, output }));
    });
    expect(output.length).toBeLessThan(20_000);
    expect(code).toBe(0);
    expect(readRows(path.join(dir, "out"))).toHaveLength(12);
    expect(output).toMatch(/12\/12 done · 0 errors/);
  });
});
