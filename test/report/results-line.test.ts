import { mkdirSync, mkdtempSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { resultsLine } from "../../src/report/results-line.js";

describe("resultsLine", () => {
  const root = mkdtempSync(path.join(tmpdir(), "modelpick-results-line-"));
  const project = path.join(root, "project");
  const elsewhere = path.join(root, "elsewhere", "run");
  mkdirSync(path.join(project, "reports", "run1"), { recursive: true });
  mkdirSync(elsewhere, { recursive: true });
  symlinkSync("run1", path.join(project, "reports", "latest"));

  it("names a directory under the working directory relatively, and where a link points", () => {
    expect(resultsLine(path.join(project, "reports", "latest"), project)).toMatch(/^Results: reports\/latest → reports\/run1 \(/);
  });

  it("names a directory outside the working directory by its absolute path, not a climb of ../", () => {
    expect(resultsLine(elsewhere, project)).toMatch(new RegExp(`^Results: ${elsewhere.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} \\(`));
  });
});
