/**
 * `recommend`, `check` and `import` through the bundle users run (bin/modelpick.js → dist/), on the results of an
 * `eval` of the end-to-end project: every routing format written and checked, and every import format read.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import type { RoutingDocument } from "../../src/routing/document.js";
import { runCli } from "../helpers/cli.js";
import { readRows } from "../helpers/project.js";
import { expectBadInput, expectOk } from "./expect-cli.js";
import { makeE2eProject, type E2eProject } from "./fixture.js";

const FIXTURES = fileURLToPath(new URL("../fixtures/routing/", import.meta.url));
const FORMATS = ["ts", "yaml", "json"] as const;

let project: E2eProject;
const cli = (args: string[], env?: Record<string, string>) => runCli(args, { cwd: project.dir, env });

beforeAll(async () => {
  project = makeE2eProject();
  expectOk(await cli(["eval", "--out", "run"]));
  // The same run after the local model lost all its facts: the facts route, and the facts sensitive route (the same
  // model), no longer hold. (Half of 14 items lost is not enough evidence once the table's comparisons are counted.)
  const degraded = readRows(path.join(project.dir, "run")).map((row) =>
    row.model === "local" && row.category === "facts" ? { ...row, score: 0, passed: false } : row,
  );
  mkdirSync(path.join(project.dir, "degraded"));
  writeFileSync(path.join(project.dir, "degraded", "results.jsonl"), degraded.map((r) => JSON.stringify(r)).join("\n") + "\n");
  await Promise.all(FORMATS.map(async (format) => expectOk(await cli(["recommend", "--results", "run", "--format", format, "--out", `routing.${format}`]))));
});

function routesOf(document: RoutingDocument): Record<string, string | null> {
  return Object.fromEntries(Object.entries(document.routes).map(([category, route]) => [category, route?.id ?? null]));
}

describe("modelpick recommend (the bundle)", () => {
  it("prints the table: each category's route, its evidence and the runner-up, then the baselines", async () => {
    const result = await cli(["recommend", "--results", "run"]);
    expectOk(result);
    expect(result.stdout).toMatch(/│ facts\s+│ local │ 1\.000 \[0\.785, 1\.000\] n=14 │ \$0\.2000\s+│/);
    expect(result.stdout).toMatch(/│ math\s+│ cloud │ .* local: lower end below the bar/);
    expect(result.stdout).toMatch(/│ private \(14 of 14 items sensitive\)\s+│ local │ .* cloud: cloud-hosted, never sent sensitive items/);
    expect(result.stdout).toMatch(/│ math\s+│ local\s+│ .* │ −0\.500 \[/);
    expect(result.stdout).toMatch(/│ best single model \(cloud\), in-sample\s+│ 1\.000\s+│ \$2\.00/);
    expect(result.stdout).toMatch(/│ this routing table, cross-fitted, 5 folds\s+│ 1\.000 \[1\.000, 1\.000\] │/);
  });

  it("writes the same table as TypeScript, YAML and JSON, with --format alone putting the file on stdout", async () => {
    const json = JSON.parse(readFileSync(path.join(project.dir, "routing.json"), "utf8")) as RoutingDocument;
    expect(routesOf(json)).toEqual({ facts: "local", math: "cloud", private: "local" });
    expect(Object.values(json.sensitiveRoutes).map((r) => r?.id)).toEqual(["local", "local", "local"]);
    expect(json.sensitiveCategories).toEqual([]);
    expect(parseYaml(readFileSync(path.join(project.dir, "routing.yaml"), "utf8"))).toEqual(json);
    const ts = readFileSync(path.join(project.dir, "routing.ts"), "utf8");
    expect(ts).toMatch(/^export type TaskCategory =\n {2}\| "facts"\n {2}\| "math"\n {2}\| "private";$/m);
    expect(ts).toMatch(/^export function routeRequest\(task: TaskCategory, dataSensitive: boolean\): ModelRoute \{$/m);

    const stdout = await cli(["recommend", "--results", "run", "--format", "ts"]);
    expectOk(stdout);
    expect(stdout.stdout).toBe(ts);
    expect(stdout.stderr).toMatch(/│ facts\s+│ local │/);
  });
});

describe("modelpick check (the bundle)", () => {
  it("passes every format on the results the table came from (exit 0), with JUnit and the step summary", async () => {
    for (const format of FORMATS) {
      const summary = path.join(project.dir, `summary-${format}.md`);
      const result = await cli(["check", `routing.${format}`, "--results", "run", "--junit", `junit-${format}.xml`], { GITHUB_STEP_SUMMARY: summary });
      expectOk(result);
      expect(result.stdout).toMatch(new RegExp(`^modelpick check: every route in routing\\.${format} still holds`));
      expect(result.stdout).toMatch(/^✓ private \(sensitive data\) → local/m);
      expect(readFileSync(summary, "utf8")).toMatch(/^## modelpick check: ✅ every route holds/);
      expect(readFileSync(path.join(project.dir, `junit-${format}.xml`), "utf8")).toMatch(/tests="6" failures="0"/);
    }
  });

  it("fails every format on degraded results (exit 1) with the per-category diff", async () => {
    for (const format of FORMATS) {
      const result = await cli(["check", `routing.${format}`, "--results", "degraded"]);
      expect(result.stderr).not.toMatch(/internal error/);
      expect(result.code, result.stdout).toBe(1);
      expect(result.stdout).toMatch(new RegExp(`^modelpick check: 2 of 6 route\\(s\\) in routing\\.${format} no longer hold`));
      expect(result.stdout).toMatch(/^✗ facts → local: quality fell 1\.000 → 0\.000 \(−1\.000 \[−1\.00, −1\.00\], paired on 14 items\)$/m);
      expect(result.stdout).toMatch(/^✗ facts \(sensitive data\) → local: quality fell 1\.000 → 0\.000 /m);
      expect(result.stdout).toMatch(/below today's best: local is −1\.000 /);
      expect(result.stdout).toMatch(/^✓ math → cloud/m);
    }
  });

  it("--update rewrites each format, says which route changed, and the file then passes", async () => {
    for (const format of FORMATS) {
      writeFileSync(path.join(project.dir, `update.${format}`), readFileSync(path.join(project.dir, `routing.${format}`)));
      const result = await cli(["check", `update.${format}`, "--results", "degraded", "--update"]);
      expectOk(result);
      expect(result.stdout).toMatch(new RegExp(`^update\\.${format} rewritten: 1 of 6 routes changed \\(facts: local → cloud\\)$`, "m"));
      expectOk(await cli(["check", `update.${format}`, "--results", "degraded"]));
    }
  });

  it("exits 2 on a hand-made routing file it cannot read, and 1 on a hand-edited .ts file", async () => {
    writeFileSync(path.join(project.dir, "empty.yaml"), "routes: {}\n");
    expectBadInput(await cli(["check", "empty.yaml", "--results", "run"]), /empty\.yaml: modelpickRouting: /);
    const ts = readFileSync(path.join(project.dir, "routing.ts"), "utf8");
    writeFileSync(
      path.join(project.dir, "edited.ts"),
      ts.replace("  if (dataSensitive === false) return MODEL_ROUTING[task];", "  return MODEL_ROUTING[task];"),
    );
    const edited = await cli(["check", "edited.ts", "--results", "run"]);
    expect(edited.code).toBe(1);
    expect(edited.stdout).toMatch(/^modelpick check: edited\.ts was edited by hand/);
  });
});

describe("modelpick import (the bundle)", () => {
  it("reads promptfoo JSON, a long CSV, a long JSONL and a wide CSV into results recommend can route", async () => {
    const long = readRows(path.join(project.dir, "run")).map((r) =>
      JSON.stringify({
        itemId: r.itemId,
        category: r.category,
        model: r.model,
        score: r.score,
        output: r.output,
        costUsd: r.costUsd,
        latencyMs: r.latencyMs,
        sensitive: r.category === "private",
      }),
    );
    writeFileSync(path.join(project.dir, "long.jsonl"), long.join("\n") + "\n");
    const [promptfoo, longCsv, longJsonl, wide] = await Promise.all([
      cli([
        "import",
        path.join(FIXTURES, "promptfoo-output.json"),
        "--format",
        "promptfoo",
        "--out",
        "imported-promptfoo",
        "--self-hosted",
        "ollama:chat:llama3.1:8b",
      ]),
      cli([
        "import",
        path.join(FIXTURES, "long.csv"),
        "--format",
        "long",
        "--out",
        "imported-long-csv",
        "--map",
        "model=llm,score=correct,sensitive=pii",
        "--self-hosted",
        "local",
      ]),
      cli(["import", "long.jsonl", "--format", "long", "--out", "imported-long-jsonl", "--self-hosted", "local"]),
      cli(["import", path.join(FIXTURES, "wide.csv"), "--format", "wide", "--map", "category=eval_name", "--out", "imported-wide"]),
    ]);
    for (const result of [promptfoo, longCsv, longJsonl, wide]) expectOk(result);
    expect(promptfoo.stdout).toMatch(/^Imported 24 rows \(12 items × 2 models: openai:gpt-4o-mini \(cloud\), ollama:chat:llama3\.1:8b \(self-hosted\)\)/);
    expect(longCsv.stdout).toMatch(/^Imported 8 rows \(4 items × 3 models: big \(cloud\), small \(cloud\), local \(self-hosted\)\)/);
    expect(longJsonl.stdout).toMatch(/^Imported 84 rows \(42 items × 2 models: cloud \(cloud\), local \(self-hosted\)\)/);
    expect(longJsonl.stdout).toMatch(/14 row\(s\) of sensitive items for cloud-hosted models were recorded as skipped: sensitive/);
    expect(wide.stdout).toMatch(/^Imported 8 rows \(4 items × 2 models: gpt-4-1106-preview \(cloud\), mistral-7b-chat \(cloud\)\)/);

    // The long JSONL of this project's own run routes exactly as the run did.
    const routed = await cli(["recommend", "--results", "imported-long-jsonl", "--format", "json"]);
    expectOk(routed);
    const document = JSON.parse(routed.stdout) as RoutingDocument;
    expect(routesOf(document)).toEqual({ facts: "local", math: "cloud", private: "local" });
    expect(document.sensitiveRoutes.private?.id).toBe("local");
  });

  it("exits 2 on an unknown --format or a column it cannot find", async () => {
    expectBadInput(await cli(["import", "long.jsonl", "--format", "tall", "--out", "x"]), /--format/);
    expectBadInput(
      await cli(["import", path.join(FIXTURES, "long.csv"), "--format", "long", "--out", "y"]),
      /long\.csv: no model column; name one with --map model=COLUMN/,
    );
  });
});
