import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseColumnMap } from "../../src/import/fields.js";
import { importResults } from "../../src/import/index.js";
import { tempDir } from "../routing/fixtures.js";
import { importFixture } from "./helpers.js";

const MAP = parseColumnMap(["model=llm,score=correct", "output=answer", "costUsd=usd,latencyMs=ms,sensitive=pii"]);

describe("import --format long", () => {
  it("reads a long CSV with mapped column names", async () => {
    const { rows, summary, outcome } = await importFixture("long.csv", { format: "long", columns: MAP, selfHosted: ["local"] });
    expect(rows).toHaveLength(8);
    expect(rows[0]).toMatchObject({
      itemId: "q1",
      category: "extraction",
      model: "big",
      score: 1,
      output: '{"total": 101}',
      inputTokens: 120,
      outputTokens: 12,
      costUsd: 0.00054,
      latencyMs: 800,
    });
    // A quoted answer spanning two lines stays one field.
    expect(rows.find((r) => r.itemId === "q2" && r.model === "small")).toMatchObject({ score: 0, output: "The total is\nprobably 120, see line 3" });
    // No score: an error row, not a 0.
    expect(rows.find((r) => r.itemId === "q4" && r.model === "local")).toMatchObject({ score: null });
    expect(rows.find((r) => r.itemId === "q4" && r.model === "local")!.error).toMatch(/^no score in the imported file \(.*long\.csv:10\)$/);
    // Sensitive items (pii column) for the cloud model "big" are skipped; "local" is self-hosted.
    expect(rows.filter((r) => r.category === "redaction" && r.model === "big").every((r) => r.skipped === "sensitive")).toBe(true);
    expect(outcome.skippedSensitive).toBe(2);
    expect(summary.cells.find((c) => c.category === "extraction" && c.model === "small")).toMatchObject({ n: 2, mean: 0.5 });
    expect(summary.run.priceSource).toMatch(/costs as recorded in long\.csv/);
  });

  it("reads JSONL with the default column names and a --category for every item", async () => {
    const file = path.join(tempDir(), "scores.jsonl");
    writeFileSync(file, ['{"itemId":"a","model":"m1","score":80}', '{"itemId":"a","model":"m2","score":40}', ""].join("\n"));
    const outDir = tempDir();
    const outcome = await importResults({
      file,
      outDir,
      format: "long",
      columns: {},
      defaultCategory: "general",
      scoreScale: 100,
      selfHosted: [],
      sensitiveCategories: [],
      force: false,
    });
    expect(outcome.summary.cells.map((c) => [c.category, c.model, c.mean])).toEqual([
      ["general", "m1", 0.8],
      ["general", "m2", 0.4],
    ]);
  });

  it("names the file and line of a bad value, and refuses duplicates and a missing column", async () => {
    const dir = tempDir();
    const bad = path.join(dir, "bad.csv");
    writeFileSync(bad, "itemId,category,model,score\na,c,m,0.5\nb,c,m,87\n");
    const base = { outDir: tempDir(), format: "long" as const, columns: {}, scoreScale: 1, selfHosted: [], sensitiveCategories: [], force: false };
    await expect(importResults({ ...base, file: bad })).rejects.toThrow(/bad\.csv:3: score 87 is outside \[0, 1\]/);
    const dup = path.join(dir, "dup.csv");
    writeFileSync(dup, "itemId,category,model,score\na,c,m,1\na,c,m,0\n");
    await expect(importResults({ ...base, file: dup })).rejects.toThrow(/item "a" appears twice for model "m"/);
    const missing = path.join(dir, "missing.csv");
    writeFileSync(missing, "itemId,category,llm,score\na,c,m,1\n");
    await expect(importResults({ ...base, file: missing })).rejects.toThrow(/no model column; name one with --map model=COLUMN/);
    expect(() => parseColumnMap(["colour=x"])).toThrow(/unknown field "colour"/);
  });

  it("will not overwrite an existing results directory without --force", async () => {
    const file = path.join(tempDir(), "s.csv");
    writeFileSync(file, "itemId,category,model,score\na,c,m,1\n");
    const outDir = tempDir();
    const request = { file, outDir, format: "long" as const, columns: {}, scoreScale: 1, selfHosted: [], sensitiveCategories: [], force: false };
    await importResults(request);
    await expect(importResults(request)).rejects.toThrow(/already holds results\.jsonl/);
    await expect(importResults({ ...request, force: true })).resolves.toMatchObject({ rows: 1 });
  });
});
