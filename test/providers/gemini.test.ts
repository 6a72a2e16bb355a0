import { afterEach, describe, expect, it } from "vitest";
import { modelSchema } from "../../src/config/schema.js";
import type { ResolvedModel } from "../../src/config/types.js";
import type { ChatMessage } from "../../src/dataset/types.js";
import { createGeminiProvider } from "../../src/providers/gemini.js";
import { closedPort, failureOf, requestFor } from "../helpers/provider-requests.js";
import { countMockTokens } from "../helpers/mock-server.js";
import { streamingTests } from "../helpers/stream-tests.js";
import { useMockServer } from "../helpers/use-mock-server.js";

const FAKE_KEY = "AIzaSy-TEST-GEMINI-FAKE-KEY-0123456789";

type GeminiModel = ResolvedModel & { provider: "gemini" };

function geminiModel(overrides: Record<string, unknown> = {}): GeminiModel {
  const parsed = modelSchema.parse({ id: "gemini-test", provider: "gemini", model: "gemini-test-1", baseURL: mock.geminiBaseURL, ...overrides });
  return { ...parsed, hosting: "cloud" } as GeminiModel;
}

const mock = useMockServer();
const provider = (overrides: Record<string, unknown> = {}) => createGeminiProvider(geminiModel(overrides), FAKE_KEY);
const ask = (content = "hi", overrides: Record<string, unknown> = {}) => provider(overrides).complete(requestFor([{ role: "user", content }]));

describe("gemini provider against the mock server, through the real @google/genai SDK", () => {
  it("streams the answer, records the server's usage and measures time to first token", async () => {
    mock.setBehavior(() => ({ text: "Bonjour, le monde — ça va? 🌍", inputTokens: 21, outputTokens: 11, latencyMs: 40 }));
    const result = await ask("Say hello in French");
    expect(result).toMatchObject({ output: "Bonjour, le monde — ça va? 🌍", inputTokens: 21, outputTokens: 11 });
    expect(result.ttftMs).toBeGreaterThanOrEqual(35);
  });

  it("counts thinking tokens as output, as Google bills them", async () => {
    mock.setBehavior(() => ({ text: "42", inputTokens: 10, outputTokens: 2, thoughtsTokens: 300 }));
    expect(await ask("think")).toMatchObject({ output: "42", inputTokens: 10, outputTokens: 302 });
  });

  it("reports the mock's default token counts exactly, the system prompt included", async () => {
    const result = await provider().complete(requestFor([{ role: "user", content: "count these words please" }], { system: "sys" }));
    expect(result.inputTokens).toBe(countMockTokens("syscount these words please"));
    expect(result.outputTokens).toBe(countMockTokens("echo: count these words please"));
  });

  it("leaves the tokens unknown when the server sends no usage", async () => {
    mock.setBehavior(() => ({ text: "no usage", omitUsage: true }));
    const result = await ask();
    expect(result.output).toBe("no usage");
    expect(result.inputTokens).toBeUndefined();
    expect(result.outputTokens).toBeUndefined();
  });

  it("sends streamGenerateContent with the key header, the system prompt as systemInstruction and the turns as contents", async () => {
    const messages: ChatMessage[] = [
      { role: "system", content: "Never use emoji." },
      { role: "user", content: "Hi" },
      { role: "assistant", content: "Hello!" },
      { role: "user", content: "Say ok" },
    ];
    const result = await provider().complete(requestFor(messages, { system: "Be terse.", maxTokens: 77, temperature: 0.7 }));
    expect(result.output).toBe("echo: Say ok");
    expect(mock.requests).toHaveLength(1);
    const logged = mock.requests[0]!;
    expect(logged.api).toBe("gemini");
    expect(logged.path).toBe("/v1beta/models/gemini-test-1:streamGenerateContent");
    expect(logged.headers["x-goog-api-key"]).toBe(FAKE_KEY);
    expect(logged.body).toEqual({
      contents: [
        { role: "user", parts: [{ text: "Hi" }] },
        { role: "model", parts: [{ text: "Hello!" }] },
        { role: "user", parts: [{ text: "Say ok" }] },
      ],
      systemInstruction: { parts: [{ text: "Be terse.\n\nNever use emoji." }] },
      generationConfig: { temperature: 0.7, maxOutputTokens: 77 },
    });
  });

  it("asks for JSON that follows the item's schema", async () => {
    const schema = { type: "object", properties: { city: { type: "string" } }, required: ["city"] };
    await provider().complete(requestFor([{ role: "user", content: "json please" }], { jsonSchema: schema }));
    expect(mock.requests[0]!.body.generationConfig).toMatchObject({ responseMimeType: "application/json", responseJsonSchema: schema });
  });

  it("exposes a cache identity without the key", () => {
    const created = provider({ maxTokens: 99, temperature: 0.2 });
    expect(created).toMatchObject({ id: "gemini-test", hosting: "cloud", cacheable: true });
    expect(created.cacheIdentity).toEqual({ provider: "gemini", model: "gemini-test-1", baseURL: mock.geminiBaseURL, maxTokens: 99, temperature: 0.2 });
  });

  it("warms the SDK's request path up when created, without sending anything", async () => {
    provider();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(mock.requests).toHaveLength(0);
  });

  describe("reads no Google setting from the environment behind the config", () => {
    const saved = { ...process.env };
    afterEach(() => {
      for (const name of ["GOOGLE_GENAI_USE_VERTEXAI", "GOOGLE_GEMINI_BASE_URL", "GOOGLE_API_KEY", "GEMINI_API_KEY", "GOOGLE_CLOUD_PROJECT"]) {
        if (saved[name] === undefined) delete process.env[name];
        else process.env[name] = saved[name];
      }
    });

    it("neither Vertex AI, another base URL, nor another key", async () => {
      Object.assign(process.env, {
        GOOGLE_GENAI_USE_VERTEXAI: "true",
        GOOGLE_GEMINI_BASE_URL: "http://127.0.0.1:9",
        GOOGLE_API_KEY: "AIza-ENV-GOOGLE-KEY",
        GEMINI_API_KEY: "AIza-ENV-GEMINI-KEY",
        GOOGLE_CLOUD_PROJECT: "some-project",
      });
      const result = await ask("from the config");
      expect(result.output).toBe("echo: from the config");
      expect(mock.requests[0]!.path).toBe("/v1beta/models/gemini-test-1:streamGenerateContent");
      expect(mock.requests[0]!.headers["x-goog-api-key"]).toBe(FAKE_KEY);
    });
  });
});

describe("gemini provider failures", () => {
  it("turns 429 with Google's RetryInfo into a retryable error with the wait", async () => {
    mock.setBehavior(() => ({ status: 429, retryDelay: "3s" }));
    const error = await failureOf(ask());
    expect(error).toMatchObject({ retryable: true, status: 429, retryAfterMs: 3000 });
    expect(error.message).toBe("HTTP 429 rate limited: Resource has been exhausted (e.g. check quota).");
  });

  it("reads a retry-after header too (a proxy in front of the API may send one)", async () => {
    mock.setBehavior(() => ({ status: 429, retryAfterSeconds: 2 }));
    expect((await failureOf(ask())).retryAfterMs).toBe(2000);
    mock.setBehavior(() => ({ status: 429 }));
    expect((await failureOf(ask())).retryAfterMs).toBeUndefined();
  });

  it("treats 500, 503 and 504 as retryable and 400, 403 and 404 as final, with Google's message", async () => {
    for (const status of [500, 503, 504] as const) {
      mock.setBehavior(() => ({ status }));
      expect(await failureOf(ask()), `HTTP ${status}`).toMatchObject({ retryable: true, status });
    }
    mock.setBehavior(() => ({ status: 503 }));
    expect((await failureOf(ask())).message).toBe("HTTP 503 service unavailable: The model is overloaded. Please try again later.");
    for (const status of [400, 403, 404] as const) {
      mock.setBehavior(() => ({ status }));
      expect(await failureOf(ask()), `HTTP ${status}`).toMatchObject({ retryable: false, status });
    }
    mock.setBehavior(() => ({ status: 400, message: "* GenerateContentRequest.contents: contents is not specified" }));
    expect((await failureOf(ask())).message).toBe("HTTP 400 bad request: * GenerateContentRequest.contents: contents is not specified");
  });

  it("never shows the API key, even when the server echoes it", async () => {
    mock.setBehavior(() => ({ status: 400, message: `API key not valid: ${FAKE_KEY}. Please pass a valid API key.` }));
    const error = await failureOf(ask());
    expect(error.retryable).toBe(false);
    expect(error.message).toBe("HTTP 400 bad request: API key not valid: ***. Please pass a valid API key.");
    expect(String(error.stack)).not.toContain(FAKE_KEY);
  });

  streamingTests(mock, (overrides) => provider(overrides), "INTERNAL");

  it("treats a stream error of a passing kind (UNAVAILABLE) as retryable", async () => {
    mock.setBehavior(() => ({ streamFailure: "error-event", errorType: "UNAVAILABLE" }));
    expect(await failureOf(ask())).toMatchObject({ retryable: true });
  });

  it("cuts an endless answer at maxAnswerChars and hangs up, without the final usage", async () => {
    mock.setBehavior(() => ({ endlessStream: true }));
    const result = await ask("endless", { maxAnswerChars: 20_000 });
    expect(result.truncated).toBe(true);
    expect(result.output).toBe("x".repeat(20_000));
    expect(result.outputTokens).toBeUndefined();
    // The client hung up once it had enough: the server wrote what the socket buffers took, not an endless drain.
    await expect.poll(() => mock.endlessStreams[0]?.closed).toBe(true);
    expect(mock.endlessStreams[0]!.bytesSent).toBeLessThan(16_000_000);
  });

  it("treats a refused connection as retryable", async () => {
    const port = await closedPort();
    const error = await failureOf(ask("hi", { baseURL: `http://127.0.0.1:${port}` }));
    expect(error.retryable).toBe(true);
    expect(error.message).toContain("ECONNREFUSED");
    expect(error.message).not.toContain(FAKE_KEY);
  });
});
