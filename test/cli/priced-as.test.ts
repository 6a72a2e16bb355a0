import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { makeProject, numberedItems } from "../helpers/project.js";
import { useMockServer } from "../helpers/use-mock-server.js";

const mock = useMockServer();

describe("a dated snapshot with no price of its own", () => {
  it("is priced as its family and says so: eval's footnote, summary.json, cost notes", async () => {
    // gpt-4o-2024-08-06 has no catalog entry; the config id gpt-4o has (2.50 / 10).
    const model = { id: "gpt-4o", provider: "openai-compatible", hosting: "cloud", baseURL: mock.openaiBaseURL, model: "gpt-4o-2024-08-06" };
    const dir = makeProject({ models: [model] }, numberedItems(2));
    const evaluated = await runCli(["eval", "--out", "out", "--no-cache"], { cwd: dir });
    expect(evaluated.code).toBe(0);
    expect(evaluated.stdout).toMatch(/Prices: gpt-4o-2024-08-06 priced as gpt-4o: modelpick built-in catalog/);
    const summary = JSON.parse(readFileSync(path.join(dir, "out", "summary.json"), "utf8"));
    expect(summary.run.models[0].price).toMatchObject({ inputPerMTok: 2.5, pricedAs: "gpt-4o" });
    expect(summary.run.priceSource).toMatch(/^gpt-4o-2024-08-06 priced as gpt-4o: /);

    const cost = await runCli(["cost", "--tokens-per-day", "1m"], { cwd: dir });
    expect(cost.code).toBe(0);
    expect(cost.stdout).toContain("gpt-4o: priced as gpt-4o: no price is listed for gpt-4o-2024-08-06");
    const json = JSON.parse((await runCli(["cost", "--tokens-per-day", "1m", "--format", "json"], { cwd: dir })).stdout);
    expect(json.models[0].price.pricedAs).toBe("gpt-4o");
  });
});
