import { describe, expect, it } from "vitest";
import { parseItem, plainItem } from "../../src/dataset/item.js";

const KNOWN = ["id", "category", "input", "messages", "system", "expected", "scorer", "rubric", "sensitive", "tags", "metadata"] as const;
const known = (item: Record<string, unknown>) => Object.fromEntries(KNOWN.map((key) => [key, item[key]]));

const VALID: unknown[] = [
  { id: "a", category: "c", input: "hi" },
  { id: 7, category: "c", input: "hi", expected: "yo", metadata: { kept: "by the schema, unused", n: 3 } },
  {
    id: "b",
    category: "c",
    messages: [
      { role: "system", content: "s" },
      { role: "user", content: "u" },
      { role: "assistant", content: "" },
    ],
  },
  { id: "c", category: "c", input: "x", system: "be brief", rubric: "r", sensitive: true, tags: ["t1", "t2"], expected: [1, 2] },
  { id: "d", category: "c", input: "x", scorer: "regex" },
  { id: "e", category: "c", input: "x", scorer: { type: "number", tolerance: 0.5 }, expected: 3, sensitive: false, tags: [] },
  { id: "f", category: "c", input: "", expected: null },
];

const NOT_PLAIN: unknown[] = [
  null,
  [],
  "item",
  { id: "", category: "c", input: "x" },
  { id: Number.NaN, category: "c", input: "x" },
  { id: true, category: "c", input: "x" },
  { id: "a", input: "x" },
  { id: "a", category: "", input: "x" },
  { id: "a", category: "c" },
  { id: "a", category: "c", input: "x", messages: [{ role: "user", content: "y" }] },
  { id: "a", category: "c", messages: [] },
  { id: "a", category: "c", messages: [{ role: "robot", content: "y" }] },
  { id: "a", category: "c", messages: [{ role: "user" }] },
  { id: "a", category: "c", messages: "hi" },
  { id: "a", category: "c", input: 5 },
  { id: "a", category: "c", input: "x", system: null },
  { id: "a", category: "c", input: "x", tags: ["ok", 3] },
  { id: "a", category: "c", input: "x", sensitive: "yes" },
  { id: "a", category: "c", input: "x", scorer: "" },
  { id: "a", category: "c", input: "x", scorer: { type: "" } },
  { id: "a", category: "c", input: "x", scorer: ["exact"] },
  { id: "a", category: "c", input: "x", sensitve: true },
  { id: "a", category: "c", input: "x", extra: "free-form, but not under metadata" },
  { id: "a", category: "c", input: "x", metadata: "notes" },
  { id: "a", category: "c", input: "x", metadata: ["notes"] },
  { id: "a", category: "c", messages: [{ role: "user", content: "u", name: "a name modelpick would not send" }] },
];

describe("plainItem, the fast check in front of the dataset item schema", () => {
  it("returns exactly what the schema returns for the items it accepts", () => {
    for (const record of VALID) {
      const fast = plainItem(record);
      expect(fast, JSON.stringify(record)).toBeDefined();
      expect(known(fast!)).toEqual(known(parseItem(record, "f", 1)));
    }
  });

  it("leaves everything else to the schema, which accepts or explains", () => {
    for (const record of NOT_PLAIN) expect(plainItem(record), JSON.stringify(record)).toBeUndefined();
    expect(() => parseItem({ id: "a", category: "c", messages: [{ role: "robot", content: "y" }] }, "t.jsonl", 4)).toThrow(/^t.jsonl:4: messages\[0\]\.role: /);
  });
});

describe("unknown item keys", () => {
  it.each([
    [{ id: "a", category: "c", input: "x", sensitve: true }, "t.jsonl:4: sensitve: unknown key; did you mean `sensitive`?"],
    [{ id: "a", category: "c", input: "x", Sensitive: true }, "t.jsonl:4: Sensitive: unknown key; did you mean `sensitive`?"],
    [{ id: "a", category: "c", inptu: "x" }, "t.jsonl:4: inptu: unknown key; did you mean `input`?"],
    [{ id: "a", category: "c", input: "x", source: "crm" }, "t.jsonl:4: source: unknown key; put free-form fields under metadata"],
    [{ id: "a", category: "c", messages: [{ role: "user", contnet: "u" }] }, "t.jsonl:4: messages[0].contnet: unknown key; did you mean `content`?"],
  ])("%j is refused with the key, its line and a suggestion", (record, message) => {
    expect(plainItem(record)).toBeUndefined();
    expect(() => parseItem(record, "t.jsonl", 4)).toThrow(message);
  });

  it("keeps free-form fields under metadata", () => {
    expect(parseItem({ id: "a", category: "c", input: "x", metadata: { source: "crm", n: 1 } }, "t.jsonl", 1).metadata).toEqual({ source: "crm", n: 1 });
  });
});
