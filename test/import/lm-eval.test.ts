/**
 * lm-evaluation-harness output directories (test/fixtures/lm-eval/, written from the harness's documented format):
 * samples files of several tasks and models, old and new sample layouts, several filters, an older run.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { ImportRequest } from "../../src/import/index.js";
import type { ResultRow } from "../../src/results/row.js";
import { importInto } from "./helpers.js";

const OUTPUT = fileURLToPath(new URL("../fixtures/lm-eval/output/", import.meta.url));
const PYTHIA = "EleutherAI/pythia-160m";
const LLAMA = "meta-llama/Llama-3.2-1B-Instruct";

function importDir(dir: string, request: Partial<ImportRequest> = {}) {
  return importInto({ file: dir, format: "lm-eval", ...request });
}

function mean(rows: ResultRow[], model: string, task: string): number {
  const scores = rows.filter((r) => r.model === model && r.category === task).map((r) => r.score!);
  return scores.reduce((a, b) => a + b, 0) / scores.length;
}

describe("import --format lm-eval", () => {
  it("names models from model_name or model_args, and items <task>/<doc_id> (doc ids repeat across tasks)", async () => {
    const { outcome, rows } = await importDir(OUTPUT);
    expect(outcome.models.map((m) => [m.id, m.provider, m.hosting])).toEqual([
      [PYTHIA, "hf", "self-hosted"],
      ["gpt-4o-mini", "openai-chat-completions", "cloud"],
      [LLAMA, "vllm", "self-hosted"],
    ]);
    expect(
      rows
        .filter((r) => r.model === PYTHIA)
        .map((r) => r.itemId)
        .filter((id) => id.endsWith("/0")),
    ).toEqual(["arc_easy/0", "gsm8k/0", "hellaswag/0"]);
    expect(outcome.summary.run.endedAt).toBe("2026-11-25T12:05:33.118802");
  });

  it("keeps the answer of generation tasks, and no answer for log-likelihood choices", async () => {
    const { rows } = await importDir(OUTPUT);
    expect(rows.find((r) => r.model === LLAMA && r.itemId === "gsm8k/0")).toMatchObject({ output: "18", score: 1 });
    expect(rows.find((r) => r.model === LLAMA && r.itemId === "arc_easy/0")).toMatchObject({ output: null, score: 1 });
  });

  it("gives each line of a pre-0.4.3 samples file (no `filter`) the filter whose turn it is", async () => {
    const strict = await importDir(path.join(OUTPUT, "EleutherAI__pythia-160m"));
    expect(mean(strict.rows, PYTHIA, "gsm8k")).toBe(1 / 8);
    const flexible = await importDir(path.join(OUTPUT, "EleutherAI__pythia-160m"), { filter: ["gsm8k=flexible-extract"] });
    expect(mean(flexible.rows, PYTHIA, "gsm8k")).toBe(4 / 8);
  });

  it("imports each task from the newest run in a model's directory, and says so", async () => {
    const { rows, outcome } = await importDir(path.join(OUTPUT, "meta-llama__Llama-3.2-1B-Instruct"));
    expect(mean(rows, LLAMA, "arc_easy")).toBe(0.75);
    expect(outcome.notes.join("\n")).toMatch(/results_2026-11-20T17-02-45\.000931\.json: an older run of arc_easy, left out/);
  });

  it("uses --metric NAME for every task that logs it, and says which tasks kept their own", async () => {
    const score = (rows: ResultRow[], itemId: string) => rows.find((r) => r.model === LLAMA && r.itemId === itemId)!.score;
    const plain = await importDir(OUTPUT);
    const { rows, outcome } = await importDir(OUTPUT, { metric: ["acc_norm"] });
    expect([score(plain.rows, "arc_easy/2"), score(rows, "arc_easy/2")]).toEqual([1, 0]);
    expect([score(plain.rows, "hellaswag/1"), score(rows, "hellaswag/1")]).toEqual([1, 0]);
    expect(outcome.notes).toContain("gsm8k: logs no acc_norm; scored on exact_match.");
  });

  it("puts every item in one category with --category", async () => {
    const { rows } = await importDir(path.join(OUTPUT, "gpt-4o-mini"), { defaultCategory: "math" });
    expect(new Set(rows.map((r) => r.category))).toEqual(new Set(["math"]));
  });
});
