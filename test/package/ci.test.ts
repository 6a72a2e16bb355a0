/**
 * `.ci/run`, CI's one command, against a stand-in `npm` (no install, no real test run): it type-checks and lints
 * before the tests, a type error or a lint finding fails it, and it always ends with the one summary line CI reads.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/cli.js";

/** Runs a copy of .ci/run with an `npm` whose `run typecheck` and `run lint` exit as given; returns its output and the npm calls. */
function runCi(typecheckCode: number, lintCode = 0): { code: number | null; lastLine: string; calls: string[] } {
  const dir = mkdtempSync(path.join(tmpdir(), "modelpick-ci-"));
  mkdirSync(path.join(dir, ".ci"));
  copyFileSync(path.join(ROOT, ".ci", "run"), path.join(dir, ".ci", "run"));
  const bin = path.join(dir, "bin");
  mkdirSync(bin);
  const log = path.join(dir, "npm-calls.log");
  writeFileSync(
    path.join(bin, "npm"),
    [
      "#!/bin/sh",
      `echo "$*" >> "${log}"`,
      'case "$*" in',
      `  "run typecheck") echo "src/x.ts(1,1): error TS2322: a type error"; exit ${typecheckCode};;`,
      `  "run lint") echo "src/x.ts:1:1 lint/correctness/noUnusedImports"; exit ${lintCode};;`,
      '  "test") echo " Tests  7 passed (7)"; exit 0;;',
      "esac",
      "exit 0",
      "",
    ].join("\n"),
  );
  chmodSync(path.join(bin, "npm"), 0o755);
  const result = spawnSync("bash", [path.join(dir, ".ci", "run")], { env: { ...process.env, PATH: `${bin}:${process.env.PATH}` }, encoding: "utf8" });
  const lines = result.stdout.trimEnd().split("\n");
  const calls = readFileSync(log, "utf8").trim().split("\n");
  return { code: result.status, lastLine: lines.at(-1) ?? "", calls };
}

describe(".ci/run", () => {
  it("type-checks before the tests, and a type error fails it with the summary line", () => {
    const failed = runCi(2);
    expect(failed.calls).toEqual(["ci --no-audit --no-fund", "run typecheck"]);
    expect(failed.lastLine).toBe("tests: 0 passed, 1 failed");
    expect(failed.code).toBe(1);
  });

  it("lints after the typecheck, before the tests, and a lint finding fails it with the summary line", () => {
    const failed = runCi(0, 1);
    expect(failed.calls).toEqual(["ci --no-audit --no-fund", "run typecheck", "run lint"]);
    expect(failed.lastLine).toBe("tests: 0 passed, 1 failed");
    expect(failed.code).toBe(1);
  });

  it("runs the tests once the types check and the lint is clean, and ends with their counts", () => {
    const passed = runCi(0);
    expect(passed.calls).toEqual(["ci --no-audit --no-fund", "run typecheck", "run lint", "test"]);
    expect(passed.lastLine).toBe("tests: 7 passed, 0 failed");
    expect(passed.code).toBe(0);
  });
});
