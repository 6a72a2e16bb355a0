import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { makeProject, numberedItems } from "../helpers/project.js";
import { useMockServer } from "../helpers/use-mock-server.js";

const mock = useMockServer();

/**
 * 25 items, the last 6 sensitive with an answer nobody gives: the cloud model never sees them (19 scored, all right),
 * the self-hosted model gets them wrong (25 scored, 0.76) — but both are perfect on the 19 items both answered.
 */
function project(): string {
  const items = numberedItems(25).map((item, i) => (i >= 19 ? { ...item, sensitive: true, expected: "never said" } : item));
  const model = { provider: "openai-compatible", baseURL: mock.openaiBaseURL, model: "m" };
  return makeProject(
    {
      models: [
        { id: "cloud", hosting: "cloud", ...model },
        { id: "local", hosting: "self-hosted", ...model },
      ],
    },
    items,
  );
}

describe("eval compares models on the items every model scored", () => {
  it("shows (all) on the shared items and holds --min-score to that comparable figure", async () => {
    const dir = project();
    const result = await runCli(["eval", "--out", "out", "--no-cache", "--min-score", "0.9"], { cwd: dir });
    expect(result.stderr).not.toMatch(/internal error/);
    // Own means: cloud 1.000 on 19 items, local 0.760 on 25 — different items. On the 19 shared items both score 1.
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("on 19 shared items");
    const summary = JSON.parse(readFileSync(path.join(dir, "out", "summary.json"), "utf8"));
    const local = summary.overall.find((c: { model: string }) => c.model === "local");
    expect(local).toMatchObject({ n: 25, mean: 0.76, shared: { n: 19, mean: 1 } });

    const strict = await runCli(["eval", "--out", "out2", "--no-cache", "--min-score", "0.9", "--models", "local"], { cwd: dir });
    expect(strict.code).toBe(1);
    expect(strict.stderr).toMatch(/model local: mean score 0\.760 on 25 items is below --min-score 0\.9/);
  });
});
