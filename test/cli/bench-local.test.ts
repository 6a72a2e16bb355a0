import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { writeTinyGguf } from "../helpers/gguf-writer.js";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "modelpick-bench-"));
  writeTinyGguf(path.join(dir, "tiny.gguf"));
});

const QUICK = ["--threads", "1", "--parallel", "2", "--prompt-tokens", "32", "--gen-tokens", "16"];

describe("modelpick bench-local", () => {
  it("--json reports positive, sane figures and --save writes a throughput profile", async () => {
    const result = await runCli(["bench-local", "tiny.gguf", ...QUICK, "--json", "--save", "profile.json"], { cwd: dir });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const figures = JSON.parse(result.stdout) as Record<string, number | string>;
    expect(figures).toMatchObject({ model: "tiny-test-model", threads: 1, parallel: 2, promptTokens: 32, genTokens: 16 });
    expect(figures.gguf).toBe(path.join(dir, "tiny.gguf"));
    for (const key of ["loadMs", "promptTokensPerSecond", "generationTokensPerSecond", "parallelGenerationTokensPerSecond", "peakRssMb"]) {
      expect(figures[key], key).toBeGreaterThan(0);
    }
    // Sane: the 116K-parameter model on one thread is neither stalled nor impossibly fast.
    expect(figures.generationTokensPerSecond).toBeGreaterThan(20);
    expect(figures.generationTokensPerSecond).toBeLessThan(1_000_000);
    expect(figures.loadMs).toBeLessThan(30_000);
    expect(figures.peakRssMb).toBeLessThan(4_000);

    const profile = JSON.parse(readFileSync(path.join(dir, "profile.json"), "utf8")) as Record<string, unknown>;
    expect(Object.keys(profile).sort()).toEqual(
      ["kind", "model", "gguf", "threads", "parallel", "promptTokensPerSecond", "generationTokensPerSecond", "measuredAt", "machine"].sort(),
    );
    expect(profile).toMatchObject({
      kind: "modelpick-throughput-profile",
      model: "tiny-test-model",
      threads: 1,
      parallel: 2,
      promptTokensPerSecond: figures.promptTokensPerSecond,
      generationTokensPerSecond: figures.parallelGenerationTokensPerSecond,
      measuredAt: figures.measuredAt,
    });
    expect(Number.isNaN(Date.parse(profile.measuredAt as string))).toBe(false);
    expect(profile.machine).toMatch(/hardware threads/);
  });

  it("prints a table without --json", async () => {
    const result = await runCli(["bench-local", "tiny.gguf", ...QUICK], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/load time\s+\d+(\.\d)? ms/);
    expect(result.stdout).toMatch(/generation, 2 sequences\s+\d+(\.\d)? tok\/s/);
  });

  it("exits 2 with a clear message for a missing or broken file", async () => {
    const missing = await runCli(["bench-local", "nope.gguf"], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope\.gguf: model file not found/);
    writeTinyGguf(path.join(dir, "broken.gguf"), { omitTokens: ["<0x0A>"] });
    const broken = await runCli(["bench-local", "broken.gguf", "--threads", "1"], { cwd: dir });
    expect(broken.signal).toBeNull();
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/broken\.gguf: this GGUF file cannot be loaded/);
    const badFlag = await runCli(["bench-local", "tiny.gguf", "--parallel", "0"], { cwd: dir });
    expect(badFlag.code).toBe(2);
  });
});
