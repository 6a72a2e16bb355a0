import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { importResults } from "../../src/import/index.js";
import { tempDir } from "../routing/fixtures.js";
import { FIXTURES, importFixture } from "./helpers.js";

const LOCAL = "ollama:chat:llama3.1:8b";

describe("import --format promptfoo", () => {
  it("turns `promptfoo eval -o out.json` into results.jsonl and summary.json", async () => {
    const { outcome, rows, summary } = await importFixture("promptfoo-output.json", { format: "promptfoo", selfHosted: [LOCAL] });
    expect(rows).toHaveLength(24);
    expect(outcome.models).toEqual([
      { id: "openai:gpt-4o-mini", provider: "openai", model: "gpt-4o-mini", hosting: "cloud", price: null },
      { id: LOCAL, provider: "ollama", model: "llama3.1:8b", hosting: "self-hosted", price: null },
    ]);
    expect(summary.run.id).toBe("eval-7Xk-2026-11-18T14:02:11");
    expect(summary.run.endedAt).toBe("2026-11-18T14:02:11.412Z");

    const first = rows.find((r) => r.itemId === "inv-0" && r.model === "openai:gpt-4o-mini")!;
    expect(first).toMatchObject({
      category: "extraction",
      score: 1,
      passed: true,
      output: "100.00",
      inputTokens: 42,
      outputTokens: 7,
      latencyMs: 610,
      error: null,
      skipped: null,
    });
    expect(first.costUsd).toBeCloseTo((42 * 0.15 + 7 * 0.6) / 1e6, 12);
    // An assertion failure is a real 0; an API error is an error, never a silent 0.
    expect(rows.find((r) => r.itemId === "inv-3" && r.model === LOCAL)).toMatchObject({ score: 0, passed: false, error: null });
    expect(rows.find((r) => r.itemId === "inv-5" && r.model === "openai:gpt-4o-mini")).toMatchObject({
      score: null,
      error: "API error: 429 Too Many Requests",
    });
    expect(outcome.errors).toBe(1);
  });

  it("records sensitive items for the cloud model as skipped, as eval does, and keeps the self-hosted answers", async () => {
    const { outcome, rows, summary } = await importFixture("promptfoo-output.json", { format: "promptfoo", selfHosted: [LOCAL] });
    const pii = rows.filter((r) => r.category === "pii");
    const cloud = pii.filter((r) => r.model === "openai:gpt-4o-mini");
    const local = pii.filter((r) => r.model === LOCAL);
    expect([cloud.length, local.length]).toEqual([4, 4]);
    expect(cloud.filter((r) => !(r.skipped === "sensitive" && r.score === null && r.output === null))).toEqual([]);
    expect(local.filter((r) => !(r.skipped === null && r.score === 1))).toEqual([]);
    expect(outcome.skippedSensitive).toBe(4);
    const cell = summary.cells.find((c) => c.category === "pii" && c.model === "openai:gpt-4o-mini")!;
    expect(cell).toMatchObject({ n: 0, skipped: 4 });
    const extraction = summary.cells.find((c) => c.category === "extraction" && c.model === LOCAL)!;
    expect(extraction).toMatchObject({ n: 8, mean: 6 / 8, errors: 0 });
  });

  it("maps the item id and category from test variables, and names models per prompt (by its label) when there are several", async () => {
    const data = JSON.parse((await import("node:fs")).readFileSync(path.join(FIXTURES, "promptfoo-output.json"), "utf8"));
    const second = { promptIdx: 1, promptId: "9b2d4c", prompt: { raw: "Give only the field.", label: "field_only" } };
    data.results.results = data.results.results.slice(0, 4).flatMap((r: Record<string, unknown>) => [r, { ...r, ...second }]);
    const file = path.join(tempDir(), "two-prompts.json");
    writeFileSync(file, JSON.stringify(data));
    const outcome = await importResults({
      file,
      outDir: tempDir(),
      format: "promptfoo",
      columns: { itemId: "question", category: "expected" },
      scoreScale: 1,
      selfHosted: [],
      sensitiveCategories: [],
      force: false,
    });
    expect(outcome.models.map((m) => m.id)).toEqual([
      "openai:gpt-4o-mini#extract_prompt",
      "openai:gpt-4o-mini#field_only",
      `${LOCAL}#extract_prompt`,
      `${LOCAL}#field_only`,
    ]);
    expect([...new Set(outcome.summary.cells.map((c) => c.category))]).toEqual(["100.00", "101.00"]);
  });

  it("rejects a file that is not promptfoo output", async () => {
    const file = path.join(tempDir(), "x.json");
    writeFileSync(file, '{"foo": 1}');
    await expect(
      importResults({ file, outDir: tempDir(), format: "promptfoo", columns: {}, scoreScale: 1, selfHosted: [], sensitiveCategories: [], force: false }),
    ).rejects.toThrow(/x\.json: no results\.results\[\] array/);
  });
});
