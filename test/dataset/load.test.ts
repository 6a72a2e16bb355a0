import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { loadDatasets } from "../../src/dataset/load.js";

function file(name: string, content: string | Buffer): string {
  const dir = mkdtempSync(path.join(tmpdir(), "modelpick-ds-"));
  const f = path.join(dir, name);
  writeFileSync(f, content);
  return f;
}

async function errorOf(files: string[]): Promise<string> {
  try {
    await loadDatasets(files, path.dirname(files[0]!));
  } catch (error) {
    expect((error as Error).name).toBe("InputError");
    return (error as Error).message;
  }
  throw new Error("expected an InputError");
}

describe("loadDatasets", () => {
  it("reads JSONL (also gzipped), turning input into a user message and defaulting the scorer", async () => {
    const lines = [
      { id: "a", category: "c", input: "hi", expected: "yo" },
      {
        id: 2,
        category: "c",
        messages: [
          { role: "user", content: "x" },
          { role: "assistant", content: "y" },
          { role: "user", content: "z" },
        ],
        rubric: "r",
        sensitive: true,
      },
    ]
      .map((l) => JSON.stringify(l))
      .join("\n");
    for (const f of [file("t.jsonl", lines), file("t.jsonl.gz", gzipSync(lines))]) {
      const items = await loadDatasets([f]);
      expect(items[0]).toMatchObject({ id: "a", messages: [{ role: "user", content: "hi" }], scorer: { type: "exact" }, sensitive: false });
      expect(items[1]).toMatchObject({ id: "2", scorer: { type: "judge" }, sensitive: true });
      expect(items[1]!.messages).toHaveLength(3);
    }
  });

  it("reads CSV with JSON scorer cells, booleans and tags", async () => {
    const csv =
      'id,category,input,expected,scorer,sensitive,tags\nx1,cls,"Is ""this"" spam?",spam,,true,a|b\nx2,num,2+2?,4,"{""type"":""number"",""tolerance"":0.1}",false,\n';
    const items = await loadDatasets([file("t.csv", csv)]);
    expect(items[0]).toMatchObject({ id: "x1", sensitive: true, tags: ["a", "b"], messages: [{ content: 'Is "this" spam?' }] });
    expect(items[1]!.scorer).toEqual({ type: "number", tolerance: 0.1 });
  });

  it("reads YAML lists with line numbers", async () => {
    const yaml = "- id: a\n  category: c\n  input: hi\n  expected: yo\n- id: b\n  category: c\n";
    expect(await errorOf([file("t.yaml", yaml)])).toMatch(/t.yaml:5: input: give either input/);
  });

  it("reports a bad item with file and line, and duplicate ids with both places", async () => {
    const bad = file("t.jsonl", '{"id":"a","category":"c","input":"x"}\n\n{"id":"b","input":"x"}\n');
    expect(await errorOf([bad])).toBe("t.jsonl:3: category: Invalid input: expected string, received undefined");
    const notJson = file("t.jsonl", '{"id":"a","category":"c","input":"x"}\n{oops\n');
    expect(await errorOf([notJson])).toMatch(/^t.jsonl:2: not valid JSON/);
    const dup = file("t.jsonl", '{"id":"a","category":"c","input":"x"}\n{"id":"a","category":"c","input":"y"}\n');
    expect(await errorOf([dup])).toBe('t.jsonl:2: id "a" is a duplicate of t.jsonl:1');
  });

  it("keeps line numbers right across read chunks, with CRLF line ends and multi-byte text", async () => {
    const lines = Array.from({ length: 3000 }, (_, i) => JSON.stringify({ id: `q${i}`, category: "c", input: `question ${i} — ünïcödé 🌍` }));
    lines.push('{"id":"last","input":"no category"}');
    const crlf = file("big.jsonl", lines.join("\r\n") + "\r\n");
    expect(await errorOf([crlf])).toBe("big.jsonl:3001: category: Invalid input: expected string, received undefined");
    const good = await loadDatasets([file("good.jsonl", lines.slice(0, -1).join("\r\n"))]);
    expect(good).toHaveLength(3000);
    expect(good[2999]).toMatchObject({ id: "q2999", messages: [{ content: "question 2999 — ünïcödé 🌍" }], source: { line: 3000 } });
  });
});
