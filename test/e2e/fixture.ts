/**
 * The project the end-to-end suite runs the built CLI on: one dataset file in every format modelpick reads, and two
 * recorded models (no server, no network) whose answers make `recommend` route each category a known way.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { stringify } from "yaml";

/** Every dataset format: file name → how its items are written. */
export const DATASET_FILES = {
  "plain.jsonl": "jsonl",
  "packed.jsonl.gz": "jsonl",
  "sheet.csv": "csv",
  "packed-sheet.csv.gz": "csv",
  "list.yaml": "yaml-list",
  "wrapped.yml": "yaml-items",
  "packed-list.yaml.gz": "yaml-list",
} as const;

type DatasetFormat = (typeof DATASET_FILES)[keyof typeof DATASET_FILES];

interface Item {
  id: string;
  category: "facts" | "math" | "private";
  input: string;
  expected: unknown;
  scorer?: string | Record<string, unknown>;
  sensitive?: boolean;
}

/** One item per scorer kind in `facts`, so every scorer runs in the bundle (the json one through ajv). */
const FACT_SCORERS: Array<{ scorer: Item["scorer"]; expected: unknown; answer: string }> = [
  { scorer: "exact", expected: "Paris", answer: "Paris." },
  { scorer: "contains", expected: "Jupiter", answer: "The largest planet is Jupiter" },
  { scorer: { type: "regex", pattern: "^\\d{4}-\\d{2}-\\d{2}$" }, expected: "a date", answer: "2026-11-30" },
  { scorer: "choice", expected: "C", answer: "The answer is (C)." },
  { scorer: "f1", expected: "the quick brown fox", answer: "the quick brown fox" },
  {
    scorer: { type: "json", schema: { type: "object", properties: { total: { type: "number" } }, required: ["total"] } },
    expected: null,
    answer: '```json\n{"total": 101}\n```',
  },
  { scorer: "exact", expected: "blue", answer: "Blue" },
];

/**
 * Six items per file: two facts, two math, two private (sensitive). The cloud model is right on all it may answer;
 * the local (self-hosted, ten times cheaper) model is right on facts and private data but wrong on every second
 * math item, so `recommend` routes facts and private to `local` and math to `cloud`.
 */
function itemsOf(file: string, index: number): Array<{ item: Item; cloud: string; local: string }> {
  const p = file.split(".")[0]!;
  const fact = (n: number) => FACT_SCORERS[(index * 2 + n) % FACT_SCORERS.length]!;
  const out: Array<{ item: Item; cloud: string; local: string }> = [];
  for (const n of [0, 1]) {
    const f = fact(n);
    const item: Item = { id: `${p}-f${n}`, category: "facts", input: `fact question ${n} of ${file}`, expected: f.expected };
    if (f.scorer !== undefined) item.scorer = f.scorer;
    if (item.expected === null) delete item.expected;
    out.push({ item, cloud: f.answer, local: f.answer });
  }
  for (const n of [0, 1]) {
    const value = 10 * index + n + 2;
    out.push({
      item: { id: `${p}-m${n}`, category: "math", input: `What is ${value} + 0?`, expected: value, scorer: "number" },
      cloud: `The answer is ${value}.`,
      local: n === 0 ? `${value}` : `The answer is ${value + 1}.`,
    });
  }
  for (const n of [0, 1]) {
    out.push({
      item: {
        id: `${p}-p${n}`,
        category: "private",
        input: `Redact: patient Jane Roe ${index}${n}`,
        expected: "[REDACTED]",
        scorer: "contains",
        sensitive: true,
      },
      cloud: "[REDACTED]",
      local: "patient [REDACTED]",
    });
  }
  return out;
}

function csvCell(value: unknown): string {
  const text = value === undefined ? "" : typeof value === "string" ? value : JSON.stringify(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function serialize(items: Item[], format: DatasetFormat): string {
  switch (format) {
    case "jsonl":
      return items.map((i) => JSON.stringify(i)).join("\n") + "\n";
    case "csv": {
      const columns = ["id", "category", "input", "expected", "scorer", "sensitive"] as const;
      const lines = items.map((i) => columns.map((c) => csvCell(c === "sensitive" ? String(i.sensitive ?? false) : i[c])).join(","));
      return [columns.join(","), ...lines].join("\n") + "\n";
    }
    case "yaml-list":
      return stringify(items);
    case "yaml-items":
      return stringify({ description: "wrapped in a top-level items: list", items });
  }
}

function write(file: string, text: string): void {
  writeFileSync(file, file.endsWith(".gz") ? gzipSync(text) : text);
}

export interface E2eProject {
  dir: string;
  /** Every item id, by category. */
  ids: Record<Item["category"], string[]>;
  itemCount: number;
  /** The right answer to each item's input text, for a mock server to give. */
  rightAnswers: Map<string, string>;
}

/** Writes the datasets, the recorded answers (JSONL for cloud, gzipped CSV for local) and modelpick.yaml. */
export function makeE2eProject(): E2eProject {
  const dir = mkdtempSync(path.join(tmpdir(), "modelpick-e2e-"));
  mkdirSync(path.join(dir, "data"));
  const ids: E2eProject["ids"] = { facts: [], math: [], private: [] };
  const rightAnswers = new Map<string, string>();
  const cloudAnswers: string[] = [];
  const localAnswers = ["itemId,output,inputTokens,outputTokens,latencyMs,costUsd"];
  Object.entries(DATASET_FILES).forEach(([file, format], index) => {
    const entries = itemsOf(file, index);
    write(
      path.join(dir, "data", file),
      serialize(
        entries.map((e) => e.item),
        format,
      ),
    );
    for (const { item, cloud, local } of entries) {
      ids[item.category].push(item.id);
      rightAnswers.set(item.input, cloud);
      cloudAnswers.push(JSON.stringify({ itemId: item.id, output: cloud, inputTokens: 40, outputTokens: 10, latencyMs: 900, costUsd: 0.002 }));
      localAnswers.push([item.id, local, 40, 12, 300, 0.0002].map(csvCell).join(","));
    }
  });
  write(path.join(dir, "cloud-answers.jsonl"), cloudAnswers.join("\n") + "\n");
  write(path.join(dir, "local-answers.csv.gz"), localAnswers.join("\n") + "\n");
  writeFileSync(
    path.join(dir, "modelpick.yaml"),
    stringify({
      dataset: Object.keys(DATASET_FILES).map((f) => `data/${f}`),
      models: [
        { id: "cloud", provider: "recorded", hosting: "cloud", file: "cloud-answers.jsonl", license: "proprietary" },
        { id: "local", provider: "recorded", hosting: "self-hosted", file: "local-answers.csv.gz", license: "apache-2.0" },
      ],
    }),
  );
  return { dir, ids, itemCount: ids.facts.length + ids.math.length + ids.private.length, rightAnswers };
}
