import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { makeProject, numberedItems, readRows } from "../helpers/project.js";
import { useMockServer } from "../helpers/use-mock-server.js";

const mock = useMockServer();

describe("latency: warm-up reported apart", () => {
  it("marks the first `concurrency` requests as warm-up, keeps them out of p50/p95 and out of recommend's --max-p95-ms", async () => {
    // The first two requests the server sees are slow, as connection set-up and a cold client make them.
    mock.setBehavior(({ index, userText }) => ({ text: `echo: ${userText}`, latencyMs: index < 2 ? 600 : 20 }));
    const model = { id: "m", provider: "openai-compatible", hosting: "self-hosted", baseURL: mock.openaiBaseURL, model: "m", concurrency: 2 };
    const dir = makeProject({ models: [model] }, numberedItems(12));
    const evaluated = await runCli(["eval", "--out", "reports/run", "--cache-dir", "cache"], { cwd: dir });
    expect(evaluated.code).toBe(0);

    const rows = readRows(path.join(dir, "reports", "run"));
    const warm = rows.filter((row) => row.warmup === true);
    expect(warm).toHaveLength(2);
    expect(warm.every((row) => row.latencyMs! >= 600)).toBe(true);
    const summary = JSON.parse(readFileSync(path.join(dir, "reports", "run", "summary.json"), "utf8"));
    const overall = summary.overall[0];
    expect(overall.p95LatencyMs).toBeLessThan(400);
    expect(overall.warmup).toMatchObject({ n: 2 });
    expect(overall.warmup.p50LatencyMs).toBeGreaterThanOrEqual(600);
    expect(evaluated.stdout).toMatch(/p50 \/ p95 leave out each model's warm-up requests .*m: 2 requests, median \d+ ms/);

    const recommend = await runCli(["recommend", "--max-p95-ms", "400", "--min-items", "2", "--format", "json"], { cwd: dir });
    expect(recommend.code).toBe(0);
    const routing = JSON.parse(recommend.stdout);
    expect(routing.routes.even?.id).toBe("m");
    expect(routing.routes.odd?.id).toBe("m");

    // Answered again from the cache: a warm-up latency was not kept, so it cannot pass for a steady-state one.
    const cached = await runCli(["eval", "--out", "reports/cached", "--cache-dir", "cache"], { cwd: dir });
    expect(cached.code).toBe(0);
    const again = readRows(path.join(dir, "reports", "cached"));
    expect(again.every((row) => (row.cached && row.latencyMs === null ? true : row.latencyMs! < 600))).toBe(true);
    expect(again.filter((row) => row.latencyMs === null)).toHaveLength(2);
  });
});
