import { mkdtempSync, openSync, readFileSync, readSync, readdirSync, rmSync, writeFileSync, closeSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { saveThroughputProfile, type BenchLocalResult } from "../../../src/providers/llama-cpp/bench.js";

const dir = mkdtempSync(path.join(tmpdir(), "modelpick-bench-save-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const RESULT: BenchLocalResult = {
  model: "tiny",
  gguf: "tiny.gguf",
  threads: 2,
  parallel: 1,
  promptTokens: 64,
  genTokens: 32,
  loadMs: 10,
  promptTokensPerSecond: 500,
  generationTokensPerSecond: 50,
  parallelGenerationTokensPerSecond: 50,
  peakRssMb: 100,
  machine: "test machine",
  measuredAt: "2025-01-01T00:00:00.000Z",
};

describe("saveThroughputProfile", () => {
  it("replaces the profile whole: a reader of the old one keeps reading the old one, never a torn mix", () => {
    const file = path.join(dir, "profile.json");
    const old = `${JSON.stringify({ kind: "modelpick-throughput-profile", model: "old" }, null, 2)}\n`.padEnd(4096, " ");
    writeFileSync(file, old);
    const reader = openSync(file, "r");
    try {
      saveThroughputProfile(file, RESULT);
      const seen = Buffer.alloc(8192);
      const length = readSync(reader, seen, 0, seen.length, 0);
      expect(seen.subarray(0, length).toString()).toBe(old);
    } finally {
      closeSync(reader);
    }
    expect(JSON.parse(readFileSync(file, "utf8"))).toMatchObject({ model: "tiny", generationTokensPerSecond: 50 });
    expect(readdirSync(dir)).toEqual(["profile.json"]);
  });
});
