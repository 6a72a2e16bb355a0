import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { stringify } from "yaml";
import type { ResultRow } from "../../src/results/row.js";

/** A throw-away project folder with a modelpick.yaml and a JSONL dataset. */
export function makeProject(config: Record<string, unknown>, items: Array<Record<string, unknown>>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "modelpick-test-"));
  writeFileSync(path.join(dir, "tasks.jsonl"), items.map((i) => JSON.stringify(i)).join("\n") + "\n");
  writeFileSync(path.join(dir, "modelpick.yaml"), stringify({ dataset: "tasks.jsonl", ...config }));
  return dir;
}

export function readRows(outDir: string): ResultRow[] {
  return readFileSync(path.join(outDir, "results.jsonl"), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as ResultRow);
}

/** Every file under dir, recursively, with its text. */
export function allFiles(dir: string): Array<{ file: string; text: string }> {
  const out: Array<{ file: string; text: string }> = [];
  for (const name of readdirSync(dir)) {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) out.push(...allFiles(file));
    else out.push({ file, text: readFileSync(file, "utf8") });
  }
  return out;
}

export function numberedItems(count: number, extra: Record<string, unknown> = {}): Array<Record<string, unknown>> {
  return Array.from({ length: count }, (_, i) => ({
    id: `q${i}`,
    category: i % 2 === 0 ? "even" : "odd",
    input: `question ${i}`,
    expected: `echo: question ${i}`,
    ...extra,
  }));
}
