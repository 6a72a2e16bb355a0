import { describe, expect, it } from "vitest";
import { modelSchema } from "../../src/config/schema.js";
import type { ResolvedModel } from "../../src/config/types.js";
import type { ChatMessage } from "../../src/dataset/types.js";
import { createOpenAIProvider } from "../../src/providers/openai.js";
import { closedPort, failureOf, requestFor } from "../helpers/provider-requests.js";
import { countMockTokens } from "../helpers/mock-server.js";
import { streamingTests } from "../helpers/stream-tests.js";
import { useMockServer } from "../helpers/use-mock-server.js";

const FAKE_KEY = "sk-test-OPENAI-FAKE-KEY-1234567890abcdef";

type OpenAIModel = ResolvedModel & { provider: "openai" | "openai-compatible" };

function openaiModel(overrides: Record<string, unknown> = {}): OpenAIModel {
  const parsed = modelSchema.parse({ id: "gpt-test", provider: "openai", model: "gpt-test-1", ...overrides });
  return { ...parsed, hosting: (parsed.hosting ?? "cloud") as "cloud" | "self-hosted" } as OpenAIModel;
}

const mock = useMockServer();

describe("openai provider against the mock server", () => {
  it("streams the answer, records the server's usage and measures time to first token", async () => {
    mock.setBehavior(() => ({ text: "Paris is the capital of France.", inputTokens: 17, outputTokens: 9, latencyMs: 40 }));
    const provider = createOpenAIProvider(openaiModel({ baseURL: mock.openaiBaseURL }), FAKE_KEY);
    const result = await provider.complete(requestFor([{ role: "user", content: "Capital of France?" }], { system: "Answer briefly.", temperature: 0.3 }));
    expect(result.output).toBe("Paris is the capital of France.");
    expect(result.inputTokens).toBe(17);
    expect(result.outputTokens).toBe(9);
    expect(result.ttftMs).toBeGreaterThanOrEqual(35);
  });

  it("sends the system prompt first, the conversation in order and streaming with usage", async () => {
    const provider = createOpenAIProvider(openaiModel({ baseURL: mock.openaiBaseURL }), FAKE_KEY);
    const messages: ChatMessage[] = [
      { role: "user", content: "Hi" },
      { role: "assistant", content: "Hello!" },
      { role: "user", content: "Say ok" },
    ];
    const result = await provider.complete(requestFor(messages, { system: "Be terse.", maxTokens: 33, temperature: 0.5 }));
    expect(result.output).toBe("echo: Say ok");

    expect(mock.requests).toHaveLength(1);
    const logged = mock.requests[0]!;
    expect(logged.api).toBe("openai");
    expect(logged.path).toBe("/v1/chat/completions");
    expect(logged.headers.authorization).toBe(`Bearer ${FAKE_KEY}`);
    expect(logged.body.model).toBe("gpt-test-1");
    expect(logged.body.messages).toEqual([{ role: "system", content: "Be terse." }, ...messages]);
    expect(logged.body.stream).toBe(true);
    expect(logged.body.stream_options).toEqual({ include_usage: true });
    expect(logged.body.max_completion_tokens).toBe(33);
    expect(logged.body.max_tokens).toBeUndefined();
    expect(logged.body.temperature).toBe(0.5);
    expect(logged.body.response_format).toBeUndefined();
  });

  it("reports the mock's default token counts exactly", async () => {
    const provider = createOpenAIProvider(openaiModel({ baseURL: mock.openaiBaseURL }), FAKE_KEY);
    const result = await provider.complete(requestFor([{ role: "user", content: "count these words please" }]));
    expect(result.output).toBe("echo: count these words please");
    expect(result.inputTokens).toBe(countMockTokens("count these words please"));
    expect(result.outputTokens).toBe(countMockTokens("echo: count these words please"));
  });

  it("asks OpenAI for structured output when the item has a JSON schema", async () => {
    const provider = createOpenAIProvider(openaiModel({ baseURL: mock.openaiBaseURL }), FAKE_KEY);
    const schema = { type: "object", properties: { city: { type: "string" } }, required: ["city"] };
    await provider.complete(requestFor([{ role: "user", content: "json please" }], { jsonSchema: schema }));
    expect(mock.requests[0]!.body.response_format).toEqual({
      type: "json_schema",
      json_schema: { name: "answer", schema, strict: false },
    });
  });

  it("talks to an openai-compatible server with max_tokens and leaves tokens unknown when it sends no usage", async () => {
    mock.setBehavior(() => ({ text: "local answer", omitUsage: true }));
    const model = openaiModel({
      id: "qwen-local",
      provider: "openai-compatible",
      model: "qwen2.5-7b-instruct",
      baseURL: mock.openaiBaseURL,
      hosting: "self-hosted",
      maxTokens: 128,
    });
    const provider = createOpenAIProvider(model, "placeholder");
    const schema = { type: "object" };
    const result = await provider.complete(requestFor([{ role: "user", content: "hi" }], { maxTokens: 128, jsonSchema: schema }));
    expect(result.output).toBe("local answer");
    expect(result.inputTokens).toBeUndefined();
    expect(result.outputTokens).toBeUndefined();
    expect(result.ttftMs).toBeGreaterThanOrEqual(0);
    const body = mock.requests[0]!.body;
    expect(body.max_tokens).toBe(128);
    expect(body.max_completion_tokens).toBeUndefined();
    expect(body.response_format).toBeUndefined();
    expect(provider.hosting).toBe("self-hosted");
  });

  it("exposes a cache identity without the key", () => {
    const provider = createOpenAIProvider(openaiModel({ baseURL: mock.openaiBaseURL, temperature: 0.2, maxTokens: 99 }), FAKE_KEY);
    expect(provider.id).toBe("gpt-test");
    expect(provider.cacheable).toBe(true);
    expect(provider.cacheIdentity).toEqual({
      provider: "openai",
      model: "gpt-test-1",
      baseURL: mock.openaiBaseURL,
      maxTokens: 99,
      temperature: 0.2,
    });
    expect(JSON.stringify(provider.cacheIdentity)).not.toContain(FAKE_KEY);
  });
});

describe("openai provider failures", () => {
  const provider = () => createOpenAIProvider(openaiModel({ baseURL: mock.openaiBaseURL }), FAKE_KEY);
  const ask = () => provider().complete(requestFor([{ role: "user", content: "hi" }]));

  it("turns 429 with retry-after (seconds) into a retryable error with the wait", async () => {
    mock.setBehavior(() => ({ status: 429, retryAfterSeconds: 2 }));
    const error = await failureOf(ask());
    expect(error.retryable).toBe(true);
    expect(error.status).toBe(429);
    expect(error.retryAfterMs).toBe(2000);
    expect(error.message).toBe("HTTP 429 rate limited: Rate limit reached for requests.");
  });

  it("prefers retry-after-ms", async () => {
    mock.setBehavior(() => ({ status: 429, retryAfterMs: 1500.5, retryAfterSeconds: 9 }));
    const error = await failureOf(ask());
    expect(error.retryAfterMs).toBe(1500.5);
  });

  it("treats 500 and 503 as retryable and 400 as final", async () => {
    mock.setBehavior(() => ({ status: 500 }));
    const serverError = await failureOf(ask());
    expect(serverError).toMatchObject({ retryable: true, status: 500 });
    expect(serverError.retryAfterMs).toBeUndefined();

    mock.setBehavior(() => ({ status: 503 }));
    expect(await failureOf(ask())).toMatchObject({ retryable: true, status: 503 });

    mock.setBehavior(() => ({ status: 400, message: "Unsupported parameter: 'foo'." }));
    const badRequest = await failureOf(ask());
    expect(badRequest).toMatchObject({ retryable: false, status: 400 });
    expect(badRequest.message).toBe("HTTP 400 bad request: Unsupported parameter: 'foo'.");
  });

  it("never shows the API key, even when the server echoes it", async () => {
    mock.setBehavior(() => ({ status: 401, message: `Incorrect API key provided: ${FAKE_KEY}.` }));
    const error = await failureOf(ask());
    expect(error.retryable).toBe(false);
    expect(error.message).not.toContain(FAKE_KEY);
    expect(error.message).toContain("Incorrect API key provided: ***.");
    expect(String(error.stack)).not.toContain(FAKE_KEY);
  });

  streamingTests(mock, (overrides) => createOpenAIProvider(openaiModel({ baseURL: mock.openaiBaseURL, ...overrides }), FAKE_KEY), "server_error");

  it("treats a refused connection as retryable", async () => {
    const port = await closedPort();
    const refused = createOpenAIProvider(openaiModel({ baseURL: `http://127.0.0.1:${port}/v1` }), FAKE_KEY);
    const error = await failureOf(refused.complete(requestFor([{ role: "user", content: "hi" }])));
    expect(error.retryable).toBe(true);
    expect(error.message).toContain("ECONNREFUSED");
    expect(error.message).not.toContain(FAKE_KEY);
  });
});
