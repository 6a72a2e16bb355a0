import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { loadDatasets } from "../../src/dataset/load.js";
import type { DatasetItem } from "../../src/dataset/types.js";
import { scoreOutput, validateScorer } from "../../src/scoring/index.js";

const TASKS_FILE = fileURLToPath(new URL("../../datasets/tasks.jsonl", import.meta.url));

const ID_PREFIX_BY_CATEGORY: Record<string, string> = {
  complex_reasoning: "reason-",
  simple_classification: "cls-",
  extraction: "ext-",
  summarization: "sum-",
  sensitive_data: "sens-",
  user_facing_chat: "chat-",
};
const REQUIRED_CATEGORIES = Object.keys(ID_PREFIX_BY_CATEGORY);

let items: DatasetItem[];

beforeAll(async () => {
  items = await loadDatasets([TASKS_FILE]);
});

function scorerType(item: DatasetItem): string {
  return item.scorer.type;
}

/** The gold answer written the way a model would write it, for the scorers where that must score 1. */
function goldAnswerAsModelOutput(item: DatasetItem): string | undefined {
  const { expected } = item;
  switch (scorerType(item)) {
    case "exact":
      return Array.isArray(expected) ? String(expected[0]) : String(expected);
    case "choice":
      return `The answer is (${String(expected)}).`;
    case "number":
      return String(expected);
    case "json":
      return expected !== null && typeof expected === "object" ? JSON.stringify(expected) : undefined;
    default:
      return undefined;
  }
}

describe("datasets/tasks.jsonl", () => {
  it("has at least 120 items and at least 15 in each required category", () => {
    expect(items.length).toBeGreaterThanOrEqual(120);
    for (const category of REQUIRED_CATEGORIES) {
      const count = items.filter((item) => item.category === category).length;
      expect(count, category).toBeGreaterThanOrEqual(15);
    }
    const unknown = items.filter((item) => !REQUIRED_CATEGORIES.includes(item.category)).map((item) => item.id);
    expect(unknown).toEqual([]);
  });

  it("has unique ids prefixed by their category", () => {
    const ids = items.map((item) => item.id);
    expect(new Set(ids).size).toBe(ids.length);
    const misnamed = items.filter((item) => !item.id.startsWith(ID_PREFIX_BY_CATEGORY[item.category] ?? "?"));
    expect(misnamed.map((item) => item.id)).toEqual([]);
  });

  it("marks every sensitive_data item as sensitive", () => {
    const sensitiveItems = items.filter((item) => item.category === "sensitive_data");
    expect(sensitiveItems.filter((item) => !item.sensitive).map((item) => item.id)).toEqual([]);
  });

  it("gives every item a gold answer or a rubric, and every judge item a rubric", () => {
    expect(items.filter((item) => item.expected === undefined && item.rubric === undefined).map((i) => i.id)).toEqual([]);
    const judgeWithoutRubric = items.filter((item) => scorerType(item) === "judge" && (item.rubric ?? "").length < 80);
    expect(judgeWithoutRubric.map((item) => item.id)).toEqual([]);
  });

  it("uses multi-turn messages for several user_facing_chat items", () => {
    const multiTurn = items.filter((item) => item.category === "user_facing_chat" && item.messages.length > 1);
    expect(multiTurn.length).toBeGreaterThanOrEqual(5);
    for (const item of multiTurn) expect(item.messages.at(-1)!.role, item.id).toBe("user");
  });

  it("has a scorer that validateScorer accepts on every item", () => {
    const problems = items.map((item) => [item.id, validateScorer(item)]).filter(([, problem]) => problem !== undefined);
    expect(problems).toEqual([]);
  });

  it("scores 1 for the gold answer itself on exact, choice, number and json items", async () => {
    const checked = items.filter((item) => goldAnswerAsModelOutput(item) !== undefined);
    expect(checked.length).toBeGreaterThanOrEqual(60);
    const failures: string[] = [];
    for (const item of checked) {
      const { score } = await scoreOutput(goldAnswerAsModelOutput(item)!, item);
      if (score !== 1) failures.push(`${item.id}: ${score}`);
    }
    expect(failures).toEqual([]);
  });

  it("scores 1 for the reference answer on regex items and for all values on contains items", async () => {
    const failures: string[] = [];
    for (const item of items.filter((i) => scorerType(i) === "regex")) {
      const { score } = await scoreOutput(String(item.expected), item);
      if (score !== 1) failures.push(`${item.id}: ${score}`);
    }
    for (const item of items.filter((i) => scorerType(i) === "contains")) {
      const values = (item.scorer.values as string[] | undefined) ?? (item.expected as string[]);
      const { score } = await scoreOutput(values.join("\n"), item);
      if (score !== 1) failures.push(`${item.id}: ${score}`);
    }
    expect(failures).toEqual([]);
  });

  it("scores 0 when a redaction or masking answer just echoes the personal data it was given", async () => {
    const leakChecked = items.filter(
      (item) =>
        item.category === "sensitive_data" &&
        (scorerType(item) === "regex" || (scorerType(item) === "contains" && Array.isArray(item.scorer.forbidden))) &&
        item.tags.some((tag) => tag === "redaction" || tag === "masking"),
    );
    expect(leakChecked.length).toBeGreaterThanOrEqual(10);
    const failures: string[] = [];
    for (const item of leakChecked) {
      const echoed = item.messages.map((message) => message.content).join("\n");
      const { score } = await scoreOutput(echoed, item);
      if (score !== 0) failures.push(`${item.id}: ${score}`);
    }
    expect(failures).toEqual([]);
  });
});
