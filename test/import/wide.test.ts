import { describe, expect, it } from "vitest";
import { importFixture } from "./helpers.js";

describe("import --format wide", () => {
  it("reads one score column per model, with RouterBench-style companion columns", async () => {
    const { rows, outcome, summary } = await importFixture("wide.csv", { format: "wide", columns: { category: "eval_name" } });
    expect(outcome.models.map((m) => m.id)).toEqual(["gpt-4-1106-preview", "mistral-7b-chat"]);
    expect(outcome.notes).toEqual(["Columns with text, not scores, were not imported as models: prompt."]);
    expect(rows).toHaveLength(8);
    expect(rows.find((r) => r.itemId === "mmlu-2" && r.model === "mistral-7b-chat")).toMatchObject({
      category: "mmlu",
      score: 0,
      costUsd: 0.00002,
      output: "A",
    });
    expect(rows.find((r) => r.itemId === "gsm8k-2" && r.model === "gpt-4-1106-preview")).toMatchObject({ score: 0.5, costUsd: 0.0012, output: null });
    const cell = summary.cells.find((c) => c.category === "gsm8k" && c.model === "gpt-4-1106-preview")!;
    expect(cell.mean).toBe(0.75);
    expect(cell.costPer1kUsd).toBeCloseTo(1.15, 9);
  });

  it("imports only the listed models with --models", async () => {
    const { outcome } = await importFixture("wide.csv", { format: "wide", columns: { category: "eval_name" }, models: ["mistral-7b-chat"] });
    expect(outcome.models.map((m) => m.id)).toEqual(["mistral-7b-chat"]);
    expect(outcome.rows).toBe(4);
  });

  it("asks for a category when the table has none", async () => {
    await expect(importFixture("wide.csv", { format: "wide" })).rejects.toThrow(
      /no category column; name it with --map category=COLUMN or give every item one with --category NAME/,
    );
  });
});
