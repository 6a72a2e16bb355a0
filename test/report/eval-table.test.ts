import { describe, expect, it } from "vitest";
import { renderEvalTable } from "../../src/report/eval-table.js";
import { summarize } from "../../src/results/summary.js";
import { row, runInfo } from "../results/fixtures.js";

describe("eval table", () => {
  it("prints costs per 1k requests with thousands separators, and fractions of a cent below $1", async () => {
    const rows = [row("big", "a", { costUsd: 5.5194 }), row("small", "a", { costUsd: 0.0000042 })];
    const text = await renderEvalTable(summarize(rows, runInfo(["big", "small"])));
    expect(text).toContain("$5,519");
    expect(text).not.toContain("$5519");
    expect(text).toContain("$0.0042");
  });

  it("prints counts, latencies and token counts with thousands separators", async () => {
    const rows = Array.from({ length: 1200 }, (_, i) => row("m", `q${i}`, { latencyMs: 1500 + i, inputTokens: 12_345, outputTokens: 2000 }));
    const text = await renderEvalTable(summarize(rows, runInfo(["m"])));
    expect(text).toContain("1,200");
    expect(text).toMatch(/2,100 \/ 2,6\d\d/);
    expect(text).toContain("12,345 / 2,000");
  });

  it("shows the (all) means on the items every model scored when the models answered different items", async () => {
    const rows = [];
    for (let i = 0; i < 25; i++) {
      const sensitive = i >= 19;
      rows.push(row("cloud", `q${i}`, sensitive ? { skipped: "sensitive", score: null, output: null } : {}));
      rows.push(row("local", `q${i}`, { score: sensitive ? 0 : 1 }));
    }
    const text = await renderEvalTable(summarize(rows, runInfo(["cloud", "local"])));
    const all = text.slice(text.indexOf("All categories"));
    expect(all).toContain("on 19 shared items");
    expect(all).toMatch(/local .*0\.760 \[.*1\.000 \[/s);
    expect(all).toMatch(/models answered different items/);
  });

  it("shows no shared-items column when every model scored the same items", async () => {
    const text = await renderEvalTable(summarize([row("a", "q1"), row("b", "q1")], runInfo(["a", "b"])));
    expect(text).not.toContain("shared items");
  });

  it("says warm-up requests are left out of p50 / p95, with their own figures", async () => {
    const rows = [row("m", "w", { latencyMs: 812, warmup: true }), row("m", "a", { latencyMs: 40 }), row("m", "b", { latencyMs: 44 })];
    const text = await renderEvalTable(summarize(rows, runInfo(["m"])));
    expect(text).toContain("42 / 44");
    expect(text).toMatch(/p50 \/ p95 leave out each model's warm-up requests .*: m: 1 request, median 812 ms, max 812 ms\./);
  });
});
