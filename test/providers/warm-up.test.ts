import { describe, expect, it } from "vitest";
import { modelSchema } from "../../src/config/schema.js";
import type { ResolvedModel } from "../../src/config/types.js";
import { createAnthropicProvider } from "../../src/providers/anthropic.js";
import { createOpenAIProvider } from "../../src/providers/openai.js";
import { warmUpClient } from "../../src/providers/warm-up.js";
import { useMockServer } from "../helpers/use-mock-server.js";

const mock = useMockServer();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function model(provider: "openai" | "anthropic", baseURL: string) {
  return { ...modelSchema.parse({ id: "m", provider, model: "m-1", baseURL }), hosting: "cloud" } as never as ResolvedModel & { provider: typeof provider };
}

describe("client warm-up when a provider is created", () => {
  it("builds a request for each SDK without sending anything", async () => {
    const openai = createOpenAIProvider(model("openai", mock.openaiBaseURL) as never, "sk-test-KEY");
    const anthropic = createAnthropicProvider(model("anthropic", mock.anthropicBaseURL) as never, "sk-ant-test-KEY");
    await sleep(50);
    expect(mock.requests).toHaveLength(0);
    expect(openai.id).toBe("m");
    expect(anthropic.id).toBe("m");
  });

  it("never throws, even when the client cannot build a request", async () => {
    const broken = { buildRequest: () => Promise.reject(new Error("no key")) };
    expect(() => warmUpClient(broken, "/x")).not.toThrow();
    await sleep(5); // an unhandled rejection would fail the run
  });
});
