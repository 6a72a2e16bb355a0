import type { DatasetItem, ScorerSpec } from "../../src/dataset/types.js";

/** A one-question dataset item scored by `scorer` against `expected`, for the scorer tests. */
export function item(scorer: ScorerSpec, expected?: unknown, extra: Partial<DatasetItem> = {}): DatasetItem {
  return {
    id: "q1",
    category: "test",
    messages: [{ role: "user", content: "question?" }],
    expected,
    scorer,
    sensitive: false,
    tags: [],
    source: { file: "data.jsonl", line: 1 },
    ...extra,
  };
}
