import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { FEED_BATCH } from "../../src/runner/item-feed.js";
import { runCli } from "../helpers/cli.js";
import { startMockServer, type MockServer } from "../helpers/mock-server.js";
import { makeProject, numberedItems, readRows } from "../helpers/project.js";

let mock: MockServer;
beforeAll(async () => {
  mock = await startMockServer();
});
afterAll(async () => {
  await mock.close();
});

it("a model on its own thread gets a dataset larger than a few item batches, every item once", async () => {
  // Two API models: the second runs on a worker thread, which asks for its items a batch at a time.
  const count = FEED_BATCH * 2 + 37;
  const config = {
    models: ["a", "b"].map((id) => ({
      id,
      provider: "openai-compatible",
      model: `m-${id}`,
      hosting: "self-hosted",
      baseURL: mock.openaiBaseURL,
      concurrency: 16,
    })),
  };
  const dir = makeProject(config, numberedItems(count));
  const before = mock.requests.length;

  const result = await runCli(["eval", "--out", "out", "--no-cache", "--json"], { cwd: dir });
  expect(result.stderr).not.toMatch(/internal error/);
  expect(result.code).toBe(0);

  const rows = readRows(path.join(dir, "out"));
  const keys = new Set(rows.map((r) => `${r.model}/${r.itemId}`));
  expect(rows).toHaveLength(count * 2);
  expect(keys.size).toBe(count * 2);
  expect(rows.every((r) => r.score === 1)).toBe(true);

  const askedOfB = mock.requests
    .slice(before)
    .filter((r) => r.body.model === "m-b")
    .map((r) => r.body.messages.at(-1).content);
  expect(askedOfB).toHaveLength(count);
  expect(new Set(askedOfB).size).toBe(count);
});
