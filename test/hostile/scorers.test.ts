import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";

/** A dataset naming a scorer by a name every JavaScript object has is refused before any model is asked. */
describe("scorer names that are object properties", () => {
  it.each(["constructor", "toString", "__proto__"])("scorer: %s is an unknown scorer type (exit 2, file and line)", async (type) => {
    const dir = mkdtempSync(path.join(tmpdir(), "modelpick-hostile-scorer-"));
    writeFileSync(path.join(dir, "modelpick.yaml"), "dataset: tasks.jsonl\nmodels:\n  - { id: r, provider: recorded, file: answers.jsonl }\n");
    writeFileSync(path.join(dir, "answers.jsonl"), '{"itemId":"a","output":"y"}\n');
    writeFileSync(path.join(dir, "tasks.jsonl"), `${JSON.stringify({ id: "a", category: "c", input: "x", expected: "y", scorer: type })}\n`);
    const result = await runCli(["eval", "--no-cache", "--out", "out"], { cwd: dir });
    expect(result.stderr).toContain(`tasks.jsonl:1: scorer: unknown scorer type "${type}"`);
    expect(result.stderr).not.toMatch(/\n\s+at |internal error/);
    expect(result.code).toBe(2);
  });
});
