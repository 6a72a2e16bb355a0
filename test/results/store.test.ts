import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, it } from "vitest";
import { repairTornTail } from "../../src/results/store.js";

it("repairTornTail cuts a partial last line and leaves whole lines alone", () => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "modelpick-rs-")), "results.jsonl");
  writeFileSync(file, '{"a":1}\n{"b":2}\n{"c":');
  repairTornTail(file);
  expect(readFileSync(file, "utf8")).toBe('{"a":1}\n{"b":2}\n');
  repairTornTail(file);
  expect(readFileSync(file, "utf8")).toBe('{"a":1}\n{"b":2}\n');
  writeFileSync(file, '{"torn');
  repairTornTail(file);
  expect(readFileSync(file, "utf8")).toBe("");
});
