import { describe, expect, it } from "vitest";
import { modelSchema } from "../../src/config/schema.js";
import type { ResolvedModel } from "../../src/config/types.js";
import type { ChatMessage } from "../../src/dataset/types.js";
import { createAnthropicProvider } from "../../src/providers/anthropic.js";
import { closedPort, failureOf, requestFor } from "../helpers/provider-requests.js";
import { countMockTokens } from "../helpers/mock-server.js";
import { streamingTests } from "../helpers/stream-tests.js";
import { useMockServer } from "../helpers/use-mock-server.js";

const FAKE_KEY = "sk-ant-test-FAKE-KEY-abcdef0123456789";

type AnthropicModel = ResolvedModel & { provider: "anthropic" };

function anthropicModel(overrides: Record<string, unknown> = {}): AnthropicModel {
  const parsed = modelSchema.parse({ id: "claude-test", provider: "anthropic", model: "claude-test-1", ...overrides });
  return { ...parsed, hosting: "cloud" } as AnthropicModel;
}

const mock = useMockServer();

describe("anthropic provider against the mock server", () => {
  it("streams the answer, records the server's usage and measures time to first token", async () => {
    mock.setBehavior(() => ({ text: "Bonjour, le monde — ça va? 🌍", inputTokens: 21, outputTokens: 11, latencyMs: 40 }));
    const provider = createAnthropicProvider(anthropicModel({ baseURL: mock.anthropicBaseURL }), FAKE_KEY);
    const result = await provider.complete(requestFor([{ role: "user", content: "Say hello in French" }]));
    expect(result.output).toBe("Bonjour, le monde — ça va? 🌍");
    expect(result.inputTokens).toBe(21);
    expect(result.outputTokens).toBe(11);
    expect(result.ttftMs).toBeGreaterThanOrEqual(35);
  });

  it("sends the system prompt as the system parameter and the turns as messages", async () => {
    const provider = createAnthropicProvider(anthropicModel({ baseURL: mock.anthropicBaseURL }), FAKE_KEY);
    const messages: ChatMessage[] = [
      { role: "system", content: "Never use emoji." },
      { role: "user", content: "Hi" },
      { role: "assistant", content: "Hello!" },
      { role: "user", content: "Say ok" },
    ];
    const result = await provider.complete(requestFor(messages, { system: "Be terse.", maxTokens: 77, temperature: 0.7 }));
    expect(result.output).toBe("echo: Say ok");

    expect(mock.requests).toHaveLength(1);
    const logged = mock.requests[0]!;
    expect(logged.api).toBe("anthropic");
    expect(logged.path).toBe("/v1/messages");
    expect(logged.body).toEqual({
      model: "claude-test-1",
      max_tokens: 77,
      system: "Be terse.\n\nNever use emoji.",
      messages: messages.slice(1),
      stream: true,
    });
    // The API version the SDK sends rejects sampling parameters, so none is sent.
    expect(logged.body.temperature).toBeUndefined();
    expect(logged.headers["anthropic-version"]).toBeTruthy();
    expect(`${logged.headers["x-api-key"] ?? ""}${logged.headers.authorization ?? ""}`).toContain(FAKE_KEY);
  });

  it("leaves out the system parameter when there is none", async () => {
    const provider = createAnthropicProvider(anthropicModel({ baseURL: mock.anthropicBaseURL }), FAKE_KEY);
    await provider.complete(requestFor([{ role: "user", content: "plain" }]));
    expect(mock.requests[0]!.body.system).toBeUndefined();
  });

  it("reports the mock's default token counts exactly", async () => {
    const provider = createAnthropicProvider(anthropicModel({ baseURL: mock.anthropicBaseURL }), FAKE_KEY);
    const result = await provider.complete(requestFor([{ role: "user", content: "count these words please" }], { system: "sys" }));
    expect(result.inputTokens).toBe(countMockTokens("syscount these words please"));
    expect(result.outputTokens).toBe(countMockTokens("echo: count these words please"));
  });

  it("exposes a cache identity without the key", () => {
    const provider = createAnthropicProvider(anthropicModel({ maxTokens: 99 }), FAKE_KEY);
    expect(provider.id).toBe("claude-test");
    expect(provider.hosting).toBe("cloud");
    expect(provider.cacheable).toBe(true);
    expect(provider.cacheIdentity).toEqual({ provider: "anthropic", model: "claude-test-1", maxTokens: 99 });
  });
});

describe("anthropic provider failures", () => {
  const provider = () => createAnthropicProvider(anthropicModel({ baseURL: mock.anthropicBaseURL }), FAKE_KEY);
  const ask = () => provider().complete(requestFor([{ role: "user", content: "hi" }]));

  it("turns 429 with retry-after into a retryable error with the wait", async () => {
    mock.setBehavior(() => ({ status: 429, retryAfterSeconds: 3 }));
    const error = await failureOf(ask());
    expect(error).toMatchObject({ retryable: true, status: 429, retryAfterMs: 3000 });
    expect(error.message).toBe("HTTP 429 rate limited: Number of request tokens has exceeded your rate limit.");
  });

  it("reads retry-after-ms", async () => {
    mock.setBehavior(() => ({ status: 429, retryAfterMs: 250 }));
    expect((await failureOf(ask())).retryAfterMs).toBe(250);
  });

  it("treats 500 and 529 as retryable and 400 as final", async () => {
    mock.setBehavior(() => ({ status: 500 }));
    expect(await failureOf(ask())).toMatchObject({ retryable: true, status: 500 });
    mock.setBehavior(() => ({ status: 529 }));
    const overloaded = await failureOf(ask());
    expect(overloaded).toMatchObject({ retryable: true, status: 529 });
    expect(overloaded.message).toBe("HTTP 529 overloaded: Overloaded");
    mock.setBehavior(() => ({ status: 400, message: "messages: at least one message is required" }));
    const badRequest = await failureOf(ask());
    expect(badRequest).toMatchObject({ retryable: false, status: 400 });
    expect(badRequest.message).toBe("HTTP 400 bad request: messages: at least one message is required");
  });

  it("never shows the API key, even when the server echoes it", async () => {
    mock.setBehavior(() => ({ status: 401, message: `invalid x-api-key ${FAKE_KEY}` }));
    const error = await failureOf(ask());
    expect(error.retryable).toBe(false);
    expect(error.message).toBe("HTTP 401 unauthorized (check the API key): invalid x-api-key ***");
  });

  streamingTests(mock, (overrides) => createAnthropicProvider(anthropicModel({ baseURL: mock.anthropicBaseURL, ...overrides }), FAKE_KEY), "overloaded_error");

  it("treats a refused connection as retryable", async () => {
    const port = await closedPort();
    const refused = createAnthropicProvider(anthropicModel({ baseURL: `http://127.0.0.1:${port}` }), FAKE_KEY);
    const error = await failureOf(refused.complete(requestFor([{ role: "user", content: "hi" }])));
    expect(error.retryable).toBe(true);
    expect(error.message).toContain("ECONNREFUSED");
  });
});
