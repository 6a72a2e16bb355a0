import { describe, expect, it } from "vitest";
import { summarize } from "../../src/results/summary.js";
import { row, runInfo } from "./fixtures.js";

/** 25 items; the last 6 are sensitive: the cloud model skips them, the self-hosted model gets them wrong. */
function sensitiveRun() {
  const rows = [];
  for (let i = 0; i < 25; i++) {
    const sensitive = i >= 19;
    rows.push(row("cloud", `q${i}`, sensitive ? { skipped: "sensitive", score: null, passed: null, output: null } : { score: i === 0 ? 0 : 1 }));
    rows.push(row("local", `q${i}`, { score: sensitive ? 0 : 1 }));
  }
  return summarize(rows, runInfo(["cloud", "local"]));
}

describe("summary: models compared on the same items", () => {
  it("gives each (all) cell its mean on the items every model scored, next to its own mean", () => {
    const summary = sensitiveRun();
    const cloud = summary.overall.find((c) => c.model === "cloud")!;
    const local = summary.overall.find((c) => c.model === "local")!;
    expect([cloud.n, cloud.mean]).toEqual([19, 18 / 19]);
    expect([local.n, local.mean]).toEqual([25, 19 / 25]);
    expect(cloud.shared).toMatchObject({ n: 19, mean: 18 / 19 });
    expect(local.shared).toMatchObject({ n: 19, mean: 1 });
    expect(local.shared!.ciLow).toBeLessThan(1);
    expect(local.shared!.ciHigh).toBeCloseTo(1, 9);
  });

  it("has no shared items when a model scored nothing", () => {
    const summary = summarize([row("a", "q1"), row("b", "q1", { error: "boom", score: null })], runInfo(["a", "b"]));
    expect(summary.overall.map((c) => c.shared?.n)).toEqual([0, 0]);
    expect(summary.overall.map((c) => c.shared?.mean)).toEqual([null, null]);
  });
});

describe("summary: warm-up latency apart", () => {
  it("leaves warm-up requests out of p50/p95 and reports them apart", () => {
    const rows = [
      ...[700, 800, 900, 980].map((latencyMs, i) => row("m", `w${i}`, { latencyMs, warmup: true })),
      ...Array.from({ length: 20 }, (_, i) => row("m", `q${i}`, { latencyMs: 40 + i })),
    ];
    const cell = summarize(rows, runInfo(["m"])).overall[0]!;
    expect(cell.n).toBe(24);
    expect(cell.p95LatencyMs).toBeLessThan(60);
    expect(cell.p50LatencyMs).toBeCloseTo(49.5, 5);
    expect(cell.warmup).toEqual({ n: 4, p50LatencyMs: 850, maxLatencyMs: 980 });
  });

  it("has no latency figures when every measured request was warm-up", () => {
    const cell = summarize([row("m", "a", { latencyMs: 900, warmup: true })], runInfo(["m"])).overall[0]!;
    expect([cell.p50LatencyMs, cell.p95LatencyMs]).toEqual([null, null]);
    expect(cell.warmup).toEqual({ n: 1, p50LatencyMs: 900, maxLatencyMs: 900 });
  });
});
