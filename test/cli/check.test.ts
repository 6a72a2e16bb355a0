import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { ResultRow } from "../../src/results/row.js";
import { rowsFor, runModel, runModelpick, tempDir, writeResultsDir } from "../routing/fixtures.js";

const ALL = "1".repeat(30);
const MODELS = [runModel("big"), runModel("small"), runModel("local", { hosting: "self-hosted" })];

function results(): ResultRow[] {
  return [
    ...rowsFor("big", "extraction", ALL, { costUsd: 0.01 }),
    ...rowsFor("small", "extraction", ALL, { costUsd: 0.001 }),
    ...rowsFor("big", "pii", "s".repeat(30)),
    ...rowsFor("local", "pii", ALL),
  ];
}

/** The routed model "small" loses 12 of its 30 extraction items. */
function degraded(): ResultRow[] {
  return results().map((r) => (r.model === "small" && Number(r.itemId.split("-")[1]) < 12 ? { ...r, score: 0, passed: false } : r));
}

async function committedTable(dir: string, file: string): Promise<void> {
  writeResultsDir(path.join(dir, "before"), results(), MODELS);
  const made = await runModelpick(["recommend", "--results", "before", "--out", file], { cwd: dir });
  expect(made.code).toBe(0);
}

describe("modelpick check (CLI)", () => {
  it("exits 0 on the results the table came from, writing the step summary and JUnit", async () => {
    const dir = tempDir();
    await committedTable(dir, "routing.yaml");
    const summary = path.join(dir, "step-summary.md");
    const result = await runModelpick(["check", "routing.yaml", "--results", "before", "--junit", "junit.xml"], {
      cwd: dir,
      env: { GITHUB_STEP_SUMMARY: summary },
    });
    expect(result.stderr).toMatch(/^Results: before \(run [^,]+, finished \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC\)\n$/);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^modelpick check: every route in routing\.yaml still holds \(tolerance 0\.02\)/);
    expect(readFileSync(summary, "utf8")).toMatch(/^## modelpick check: ✅ every route holds/);
    // extraction and pii, and their sensitive routes (extraction's: none, no self-hosted model was evaluated on it).
    expect(readFileSync(path.join(dir, "junit.xml"), "utf8")).toMatch(/<testsuites name="modelpick check" tests="4" failures="0">/);
  });

  it("exits 1 with a per-category diff on degraded results (results.jsonl alone: hosting comes from the committed routes)", async () => {
    const dir = tempDir();
    await committedTable(dir, "routing.ts");
    writeResultsDir(path.join(dir, "after"), degraded(), MODELS, { summary: false });
    expect(existsSync(path.join(dir, "after", "summary.json"))).toBe(false);
    const result = await runModelpick(["check", "routing.ts", "--results", "after", "--junit", "junit.xml"], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^modelpick check: 1 of 4 route\(s\) in routing\.ts no longer hold/);
    expect(result.stdout).toMatch(/✗ extraction → small: quality 1\.000 → 0\.600 \[0\.423, 0\.754\] n=30, bar 0\.980 \(best big − 0\.02\)/);
    expect(result.stdout).toMatch(/quality significantly below the bar even with tolerance 0\.02/);
    expect(result.stdout).toMatch(/note: recommend would now choose big/);
    expect(result.stdout).toMatch(/✓ pii → local/);
    expect(result.stdout).toMatch(/✓ pii \(sensitive data\) → local/);
    expect(readFileSync(path.join(dir, "junit.xml"), "utf8")).toMatch(/failures="1"/);
  });

  it("--update rewrites the table from the fresh results, which then passes", async () => {
    const dir = tempDir();
    await committedTable(dir, "routing.json");
    writeResultsDir(path.join(dir, "after"), degraded(), MODELS);
    const updated = await runModelpick(["check", "routing.json", "--results", "after", "--update"], { cwd: dir });
    expect(updated.code).toBe(0);
    expect(updated.stdout).toMatch(/routing\.json rewritten/);
    expect(JSON.parse(readFileSync(path.join(dir, "routing.json"), "utf8")).routes.extraction.id).toBe("big");
    const again = await runModelpick(["check", "routing.json", "--results", "after"], { cwd: dir });
    expect(again.code).toBe(0);
  });

  it("exits 2 on a routing file it cannot read", async () => {
    const dir = tempDir();
    writeResultsDir(path.join(dir, "before"), results(), MODELS);
    writeFileSync(path.join(dir, "routing.yaml"), "routes: [1, 2]\n");
    const bad = await runModelpick(["check", "routing.yaml", "--results", "before"], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/routing\.yaml: modelpickRouting: /);
    const v1 = { modelpickRouting: 1, routes: {}, noRoute: {}, sensitiveCategories: [], sensitiveRoute: null, generatedFrom: {} };
    writeFileSync(path.join(dir, "old.json"), JSON.stringify(v1));
    const old = await runModelpick(["check", "old.json", "--results", "before"], { cwd: dir });
    expect(old.code).toBe(2);
    expect(old.stderr).toMatch(/^error: old\.json: modelpickRouting: 1 is a routing table written by an older modelpick \(this one reads 2: per-category sensitive routes/);
    expect(old.stderr).toMatch(/regenerate it with modelpick recommend and the flags it was made with \(recorded in its generatedFrom\.criteria\), e\.g\. modelpick recommend --format json --out old\.json/);
    expect(old.stderr).not.toMatch(/\n\s+at /);
    const missing = await runModelpick(["check", "nope.ts", "--results", "before"], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope\.ts: routing file not found/);
  });
});
