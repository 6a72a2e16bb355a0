import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";

describe("modelpick models", () => {
  it("lists API prices as JSON, filtered by provider and name, each with source and date", async () => {
    const result = await runCli(["models", "sonnet", "--provider", "anthropic", "--json"]);
    expect(result.code).toBe(0);
    const entries = JSON.parse(result.stdout) as Array<{ id: string; provider: string; source: string; date: string }>;
    expect(entries.length).toBeGreaterThan(3);
    for (const e of entries) {
      expect(e.provider).toBe("anthropic");
      expect(e.id).toMatch(/sonnet/);
      expect(e.source).not.toBe("");
      expect(e.date).not.toBe("");
    }
    expect(entries.map((e) => e.id)).toContain("anthropic/claude-sonnet-4-6");
  });

  it("--provider takes a config provider kind too: gemini lists the catalog's google prices", async () => {
    const [byKind, byCatalogName] = await Promise.all([
      runCli(["models", "--provider", "gemini", "--json"]),
      runCli(["models", "--provider", "google", "--json"]),
    ]);
    expect(byKind.code).toBe(0);
    const entries = JSON.parse(byKind.stdout) as Array<{ id: string; provider: string }>;
    expect(entries.length).toBeGreaterThan(0);
    expect(entries).toEqual(JSON.parse(byCatalogName.stdout));
  });

  it("prints a table and lists GPUs and throughput profiles", async () => {
    const table = await runCli(["models", "gpt-4o"]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/openai\/gpt-4o-mini/);
    const gpus = JSON.parse((await runCli(["models", "--kind", "gpu", "--json", "h100"])).stdout) as Array<{ gpu: string }>;
    expect(gpus.length).toBeGreaterThan(0);
    expect(gpus.filter((g) => g.gpu !== "h100")).toEqual([]);
    const profiles = await runCli(["models", "--kind", "throughput", "70b"]);
    expect(profiles.stdout).toMatch(/llama-3\.1-70b\/vllm-0\.5\.4\/2xh100-fp8/);
  });

  it("prints rates without floating-point noise and with separators", async () => {
    const luna = await runCli(["models", "gpt-5.6-luna"]);
    expect(luna.stdout).toContain(">272K: 0.4/1.8");
    expect(luna.stdout).not.toMatch(/\d\.\d{7,}/);
    const profiles = await runCli(["models", "--kind", "throughput", "vllm-0.6.0-step10/1xh100"]);
    expect(profiles.stdout).toContain("8,088.35");
  });

  it("marks the recorded default's last list prices as historical, with source and date", async () => {
    const table = await runCli(["models", "1.5"]);
    expect(table.code).toBe(0);
    for (const id of ["google/gemini-1.5-pro-002", "google/gemini-1.5-flash-002", "ai21/jamba-1.5-large"]) expect(table.stdout).toContain(id);
    expect(table.stdout).toContain("[historical list price]");
    expect(table.stdout).toMatch(/not an offer open today/);
    const json = JSON.parse((await runCli(["models", "gpt-4o-2024-05-13", "--json"])).stdout) as Array<Record<string, unknown>>;
    expect(json).toEqual([expect.objectContaining({ id: "openai/gpt-4o-2024-05-13", inputPerMTok: 5, outputPerMTok: 15, historical: true, date: "n.d." })]);
  });

  it("exits 2 for an unknown provider or a file that is not GGUF", async () => {
    const unknown = await runCli(["models", "--provider", "nobody"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/known providers: .*anthropic/);
    const dir = mkdtempSync(path.join(tmpdir(), "modelpick-models-"));
    const file = path.join(dir, "fake.gguf");
    writeFileSync(file, "not a gguf file");
    const local = await runCli(["models", "--local", file]);
    expect(local.code).toBe(2);
    expect(local.stderr).not.toMatch(/\n\s+at /);
  });
});
