import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  CHECK_MODELS as MODELS,
  checkResults as results,
  degradedCheckResults as degraded,
  rowsFor,
  runModelpick,
  tempDir,
  writeResultsDir,
} from "../routing/fixtures.js";

const ALL = "1".repeat(30);

async function committedTable(dir: string, file: string, rows = results(), flags: string[] = []): Promise<void> {
  writeResultsDir(path.join(dir, "before"), rows, MODELS);
  const made = await runModelpick(["recommend", "--results", "before", "--out", file, ...flags], { cwd: dir });
  expect(made.code, made.stderr).toBe(0);
}

const HEADLINE_RULE = "Holm family-wise α 0\\.05; tolerance 0\\.02";

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
    expect(result.stdout).toMatch(
      new RegExp(`^modelpick check: every route in routing\\.yaml still holds \\(3 comparisons: 2 regressions, 1 against the best now, ${HEADLINE_RULE}\\)\n`),
    );
    expect(readFileSync(summary, "utf8")).toMatch(/^## modelpick check: ✅ every route holds/);
    // extraction and pii, and their sensitive routes (extraction's: none, no self-hosted model was evaluated on it).
    expect(readFileSync(path.join(dir, "junit.xml"), "utf8")).toMatch(/<testsuites name="modelpick check" tests="4" failures="0">/);
  });

  it("exits 1, saying in one line that the routed model got worse (results.jsonl alone: hosting comes from the committed routes)", async () => {
    const dir = tempDir();
    await committedTable(dir, "routing.ts");
    writeResultsDir(path.join(dir, "after"), degraded(), MODELS, { summary: false });
    expect(existsSync(path.join(dir, "after", "summary.json"))).toBe(false);
    const summary = path.join(dir, "step-summary.md");
    const result = await runModelpick(["check", "routing.ts", "--results", "after", "--junit", "junit.xml"], {
      cwd: dir,
      env: { GITHUB_STEP_SUMMARY: summary },
    });
    expect(result.code).toBe(1);
    const line = /✗ extraction → small: quality fell 1\.000 → 0\.600 \(−0\.400 \[−0\.\d\d, −0\.\d\d\], paired on 30 items\)/;
    expect(result.stdout).toMatch(
      new RegExp(
        `^modelpick check: 1 of 3 route\\(s\\) in routing\\.ts no longer hold \\(3 comparisons: 2 regressions, 1 against the best now, ${HEADLINE_RULE}\\)\n`,
      ),
    );
    expect(result.stdout).toMatch(new RegExp(`^${line.source}$`, "m"));
    expect(result.stdout).toMatch(
      /^ {4}exact McNemar test, 12 right → wrong and 0 wrong → right: p = 0\.00044 \(H0: it fell by at most 0\.02\); Holm-adjusted over 3 comparisons: p = 0\.0013 ≤ α 0\.05$/m,
    );
    expect(result.stdout).toMatch(/^ {4}below today's best: small is −0\.400 .* from big/m);
    expect(result.stdout).toMatch(/^ {4}note: recommend would now choose big$/m);
    expect(result.stdout).toMatch(/^✓ pii → local/m);
    expect(result.stdout).toMatch(/^✓ pii \(sensitive data\) → local/m);
    // JUnit and the step summary carry the same verdict, in the same words.
    const junit = readFileSync(path.join(dir, "junit.xml"), "utf8");
    expect(junit).toMatch(/failures="1"/);
    expect(junit).toMatch(
      /<testcase classname="modelpick\.routing" name="extraction → small">\n {6}<failure message="quality fell 1\.000 → 0\.600 \(−0\.400 \[−0\.\d\d, −0\.\d\d\], paired on 30 items\)">/,
    );
    const markdown = readFileSync(summary, "utf8");
    expect(markdown).toMatch(/^## modelpick check: ❌ routes no longer hold/);
    expect(markdown).toMatch(
      /^\| ❌ \| extraction \| small \| 1\.000 → 0\.600 .* \| quality fell 1\.000 → 0\.600 \(−0\.400 \[−0\.\d\d, −0\.\d\d\], paired on 30 items\); exact McNemar test/m,
    );
  });

  it("exits 1 when the routed model fell to the level of a cheaper model, which the issue's check let through", async () => {
    // big routes extraction (small, right on 20 of 30, is not within 0.02 of it); then big falls to small's level.
    const before = [
      ...rowsFor("big", "extraction", ALL, { costUsd: 0.01 }),
      ...rowsFor("small", "extraction", "1".repeat(20) + "0".repeat(10), { costUsd: 0.001 }),
    ];
    const dir = tempDir();
    await committedTable(dir, "routing.yaml", before);
    const after = before.map((r) => (r.model === "big" && Number(r.itemId.split("-")[1]) < 10 ? { ...r, score: 0, passed: false } : r));
    writeResultsDir(path.join(dir, "after"), after, MODELS);
    const result = await runModelpick(["check", "routing.yaml", "--results", "after"], { cwd: dir });
    expect(result.code, result.stdout).toBe(1);
    expect(result.stdout).toMatch(/^✗ extraction → big: quality fell 1\.000 → 0\.667 \(−0\.333 \[−0\.\d\d, −0\.\d\d\], paired on 30 items\)$/m);
    expect(result.stdout).not.toMatch(/below today's best/);
  });

  it("warns when a cheaper model now qualifies, with what it would save (exit 0), and fails on it with --fail-on-cheaper (exit 1)", async () => {
    const hundred = "1".repeat(100);
    const tokens = { inputTokens: 900, outputTokens: 100 };
    const before = [
      ...rowsFor("big", "extraction", hundred, { costUsd: 0.01, ...tokens }),
      ...rowsFor("small", "extraction", "0".repeat(30) + "1".repeat(70), { costUsd: 0.001, ...tokens }),
    ];
    const dir = tempDir();
    await committedTable(dir, "routing.json", before, ["--tokens-per-day", "10m"]);
    writeResultsDir(
      path.join(dir, "after"),
      [...before.filter((r) => r.model === "big"), ...rowsFor("small", "extraction", hundred, { costUsd: 0.001, ...tokens })],
      MODELS,
    );
    const junit = path.join(dir, "junit.xml");
    const warned = await runModelpick(["check", "routing.json", "--results", "after", "--junit", junit], { cwd: dir });
    expect(warned.code, warned.stdout).toBe(0);
    expect(warned.stdout).toMatch(
      /^modelpick check: every route in routing\.json still holds, 1 with a warning \(.*; 1 cheaper model tested apart, warnings only\)$/m,
    );
    expect(warned.stdout).toMatch(/^! extraction → big: quality 1\.000 → 1\.000 /m);
    expect(warned.stdout).toMatch(
      /^ {4}warning: small now qualifies and costs less: \$10\.00 → \$1\.0+ per 1k requests, \$2,738 a month less at 10,000,000 tokens\/day; run check --update to take it$/m,
    );
    expect(readFileSync(junit, "utf8")).toMatch(/<system-out>warning: small now qualifies and costs less/);
    const strict = await runModelpick(["check", "routing.json", "--results", "after", "--fail-on-cheaper"], { cwd: dir });
    expect(strict.code, strict.stdout).toBe(1);
    expect(strict.stdout).toMatch(/^✗ extraction → big: small now qualifies and costs less: /m);
    expect(strict.stdout).toMatch(/--fail-on-cheaper\)$/m);
  });

  it("--format json puts one JSON document on stdout: verdicts, reasons as data, the family (exit code unchanged)", async () => {
    const dir = tempDir();
    await committedTable(dir, "routing.yaml");
    writeResultsDir(path.join(dir, "after"), degraded(), MODELS);
    const result = await runModelpick(["check", "routing.yaml", "--results", "after", "--format", "json"], { cwd: dir });
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({
      modelpickCheck: 1,
      file: "routing.yaml",
      ok: false,
      alpha: 0.05,
      tolerance: 0.02,
      family: { method: "holm", comparisons: 3 },
    });
    expect(report.routes.map((r: { category: string; sensitive: boolean; verdict: string }) => [r.category, r.sensitive, r.verdict])).toEqual([
      ["extraction", false, "fails"],
      ["pii", false, "holds"],
      ["extraction", true, "no-route"],
      ["pii", true, "holds"],
    ]);
    expect(report.routes[0].failures[0]).toMatchObject({ kind: "quality-fell", comparison: { design: "paired", test: "exact-mcnemar", n: 30, losses: 12 } });
    // At a family-wise α of one in a million, 12 items lost of 30 are no longer enough evidence.
    const strict = await runModelpick(["check", "routing.yaml", "--results", "after", "--format", "json", "--alpha", "0.000001"], { cwd: dir });
    expect(strict.code).toBe(0);
    expect(JSON.parse(strict.stdout)).toMatchObject({ ok: true, alpha: 0.000001 });
  });

  it("warns when the fresh results came largely from the response cache, and says how to refresh", async () => {
    const dir = tempDir();
    await committedTable(dir, "routing.yaml");
    const cached = results().map((r) => ({ ...r, cached: true, cachedAt: "2026-11-18T10:00:00.000Z" }));
    writeResultsDir(path.join(dir, "cached"), cached, MODELS);
    const result = await runModelpick(["check", "routing.yaml", "--results", "cached", "--junit", "junit.xml"], { cwd: dir });
    expect(result.code).toBe(0);
    expect(readFileSync(path.join(dir, "junit.xml"), "utf8")).toMatch(/ {4}<system-out>warning: 120 of 120 result rows came from the response cache/);
    expect(result.stdout).toMatch(
      /^warning: 120 of 120 result rows came from the response cache, the oldest received 2 days before the run: a cached answer is what the model said then, so a cache can hide a model change; refresh with modelpick eval --max-cache-age 0 \(or --no-cache\) before relying on this check$/m,
    );
  });

  it("--update rewrites the table from the fresh results, which then passes", async () => {
    const dir = tempDir();
    await committedTable(dir, "routing.json");
    writeResultsDir(path.join(dir, "after"), degraded(), MODELS);
    const updated = await runModelpick(["check", "routing.json", "--results", "after", "--update"], { cwd: dir });
    expect(updated.code).toBe(0);
    expect(updated.stdout).toMatch(/routing\.json rewritten/);
    const rewritten = JSON.parse(readFileSync(path.join(dir, "routing.json"), "utf8"));
    expect(rewritten.routes.extraction.id).toBe("big");
    expect(rewritten.evaluation.crossValidated).not.toBeNull(); // --update cross-fits, as recommend does
    const again = await runModelpick(["check", "routing.json", "--results", "after"], { cwd: dir });
    expect(again.code).toBe(0);
  });

  it("exits 2 on a routing file it cannot read, and on a format 1 or 2 file, saying how to regenerate it", async () => {
    const dir = tempDir();
    writeResultsDir(path.join(dir, "before"), results(), MODELS);
    writeFileSync(path.join(dir, "routing.yaml"), "routes: [1, 2]\n");
    const bad = await runModelpick(["check", "routing.yaml", "--results", "before"], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/routing\.yaml: modelpickRouting: /);
    for (const version of [1, 2]) {
      const old = { modelpickRouting: version, routes: {}, noRoute: {}, sensitiveCategories: [], sensitiveRoute: null, generatedFrom: {} };
      writeFileSync(path.join(dir, "old.json"), JSON.stringify(old));
      const refused = await runModelpick(["check", "old.json", "--results", "before"], { cwd: dir });
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(
        new RegExp(
          `^error: old\\.json: modelpickRouting: ${version} is a routing table written by an older modelpick \\(this one reads 3: each route's per-item outcomes, which check tests the route's model against`,
        ),
      );
      expect(refused.stderr).toMatch(
        /regenerate it with modelpick recommend and the flags it was made with \(recorded in its generatedFrom\.criteria\), e\.g\. modelpick recommend --format json --out old\.json/,
      );
      expect(refused.stderr).not.toMatch(/\n\s+at /);
    }
    const missing = await runModelpick(["check", "nope.ts", "--results", "before"], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope\.ts: routing file not found/);
  });

  it("exits 2 on an --alpha or --tolerance out of range", async () => {
    const dir = tempDir();
    await committedTable(dir, "routing.yaml");
    for (const [flag, value, message] of [
      ["--alpha", "0", /^error: --alpha: expected a family-wise error rate above 0 and at most 0\.5, e\.g\. 0\.05, got "0"/],
      ["--alpha", "0.7", /^error: --alpha: /],
      ["--tolerance", "-0.1", /^error: --tolerance: expected a number between 0 and 1, got "-0\.1"/],
      ["--format", "xml", /--format/],
    ] as const) {
      const result = await runModelpick(["check", "routing.yaml", "--results", "before", flag, value], { cwd: dir });
      expect(result.code, `${flag} ${value}`).toBe(2);
      expect(result.stderr).toMatch(message);
    }
  });
});
