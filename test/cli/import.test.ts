import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runModelpick, tempDir } from "../routing/fixtures.js";

const FIXTURES = fileURLToPath(new URL("../fixtures/routing/", import.meta.url));

describe("modelpick import (CLI)", () => {
  it("imports promptfoo output that recommend can then route", async () => {
    const dir = tempDir();
    const imported = await runModelpick(
      ["import", path.join(FIXTURES, "promptfoo-output.json"), "--format", "promptfoo", "--out", "imported", "--self-hosted", "ollama:chat:llama3.1:8b"],
      { cwd: dir },
    );
    expect(imported.stderr).toBe("");
    expect(imported.code).toBe(0);
    expect(imported.stdout).toMatch(/^Imported 24 rows \(12 items × 2 models: openai:gpt-4o-mini \(cloud\), ollama:chat:llama3\.1:8b \(self-hosted\)\)/);
    expect(imported.stdout).toMatch(/1 row\(s\) without a score are recorded as errors, never as 0/);
    expect(imported.stdout).toMatch(/4 row\(s\) of sensitive items for cloud-hosted models were recorded as skipped: sensitive/);
    const summary = JSON.parse(readFileSync(path.join(dir, "imported", "summary.json"), "utf8"));
    expect(summary.run.id).toBe("eval-7Xk-2026-11-18T14:02:11");

    const routed = await runModelpick(["recommend", "--results", "imported", "--min-items", "4", "--format", "json"], { cwd: dir });
    expect(routed.code).toBe(0);
    const document = JSON.parse(routed.stdout);
    expect(document.routes.pii.id).toBe("ollama:chat:llama3.1:8b");
    expect(document.routes.pii.hosting).toBe("self-hosted");
    expect(document.generatedFrom.runId).toBe("eval-7Xk-2026-11-18T14:02:11");
  });

  it("imports a wide CSV with a mapped category column", async () => {
    const dir = tempDir();
    const result = await runModelpick(["import", path.join(FIXTURES, "wide.csv"), "--format", "wide", "--map", "category=eval_name", "--out", "wide"], {
      cwd: dir,
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Imported 8 rows \(4 items × 2 models/);
    expect(result.stdout).toMatch(/not imported as models: prompt/);
  });

  it("ranks by price per token from a LiteLLM --prices file when the results carry no tokens or costs, and says so", async () => {
    const dir = tempDir();
    const rows = ["item,subject,gpt-4-1106-preview,mistral-7b-chat"];
    for (let i = 0; i < 20; i++) rows.push(`q${i},trivia,1,${i === 0 ? 0 : 1}`);
    writeFileSync(path.join(dir, "scores.csv"), rows.join("\n") + "\n");
    const imported = await runModelpick(["import", "scores.csv", "--format", "wide", "--map", "itemId=item,category=subject", "--out", "run"], { cwd: dir });
    expect(imported.code).toBe(0);
    const prices = path.join(FIXTURES, "litellm-prices.json");
    // mistral is one item below gpt-4 of 20: non-inferior within 0.2 (the lower end of its paired interval is −0.15).
    const result = await runModelpick(["recommend", "--results", "run", "--prices", prices, "--within", "0.2", "--format", "json"], { cwd: dir });
    expect(result.code).toBe(0);
    const document = JSON.parse(result.stdout);
    expect(document.routes.trivia).toMatchObject({ id: "mistral-7b-chat", evidence: { costBasis: "price per token only", costPer1kUsd: null } });
    expect(document.generatedFrom.prices[0]).toMatchObject({ model: "mistral-7b-chat", source: "LiteLLM litellm-prices.json" });
    expect(result.stderr).toMatch(/gpt-4-1106-preview: higher price per token: \$15\.00 vs/);
    expect(result.stderr).toMatch(/ranked by price per token \(75 % input \/ 25 % output\)/);
  });

  it("exits 2 on a missing --format or a bad mapping", async () => {
    const dir = tempDir();
    const noFormat = await runModelpick(["import", path.join(FIXTURES, "wide.csv"), "--out", "x"], { cwd: dir });
    expect(noFormat.code).toBe(2);
    expect(noFormat.stderr).toMatch(/--format/);
    const badMap = await runModelpick(["import", path.join(FIXTURES, "long.csv"), "--format", "long", "--out", "x", "--map", "score=nope"], { cwd: dir });
    expect(badMap.code).toBe(2);
    expect(badMap.stderr).toMatch(/--map score=nope: no column "nope"/);
  });

  it.each(["promptfoo", "long", "wide"])("--format %s on a directory exits 2 saying it is a directory", async (format) => {
    const dir = tempDir();
    const result = await runModelpick(["import", dir, "--format", format, "--out", "x"], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/it is a directory/);
    expect(result.stderr).not.toMatch(/EISDIR|\n\s+at /);
  });
});
