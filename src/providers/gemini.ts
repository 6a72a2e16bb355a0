import { ApiError, GoogleGenAI, type GenerateContentParameters } from "@google/genai";
import type { ResolvedModel } from "../config/types.js";
import { registerSecrets } from "../io/secrets.js";
import { withDeadline } from "./deadline.js";
import { streamError, toProviderError } from "./http-errors.js";
import { nodeFetch } from "./node-fetch.js";
import { PROVIDER_KINDS } from "../config/provider-kinds.js";
import { parseEventJson } from "./sse.js";
import { StreamedAnswer } from "./streamed-answer.js";
import { splitSystem } from "./system-turns.js";
import type { CompletionRequest, CompletionResult, Provider } from "./types.js";
import { apiCacheIdentity } from "./cache-identity.js";

type GeminiModel = ResolvedModel & { provider: "gemini" };

/** Google's Gemini API (generateContent on generativelanguage.googleapis.com), streamed for time to first token. */
export function createGeminiProvider(model: GeminiModel, apiKey: string | undefined): Provider {
  // Whoever holds a key registers it, so that its failures and answers are redacted however it was created.
  registerSecrets([apiKey]);
  const client = newClient(model, apiKey);
  warmUp(client, model);
  return {
    id: model.id,
    hosting: model.hosting,
    cacheable: true,
    cacheIdentity: apiCacheIdentity(model),
    async complete(request) {
      const sent: SentRequest = {};
      return withDeadline(
        request.signal,
        model.timeoutMs,
        (signal) => streamContent(client, model, request, signal, sent),
        (error) => toProviderError(error instanceof ApiError ? httpFailure(error, sent.response) : error),
      );
    },
  };
}

/**
 * Every setting explicit: left out, the SDK would read GOOGLE_API_KEY or GEMINI_API_KEY, switch to Vertex AI on
 * GOOGLE_GENAI_USE_VERTEXAI, take its host from GOOGLE_GEMINI_BASE_URL, or without a key ask Google Cloud's default
 * credentials (a metadata-server request): all behind the key check and the vendor-host check. The SDK retries
 * nothing unless told to (the runner retries).
 */
function newClient(model: GeminiModel, apiKey: string | undefined): GoogleGenAI {
  const options = {
    apiKey: apiKey ?? "",
    vertexai: false,
    httpOptions: { baseUrl: model.baseURL ?? `https://${PROVIDER_KINDS.gemini.vendorHost}`, fetch: nodeFetch },
  };
  // The constructor warns on stderr when both GOOGLE_API_KEY and GEMINI_API_KEY are set ("Using GOOGLE_API_KEY"),
  // though it uses neither here: that one synchronous call runs with console.warn muted.
  const warn = console.warn;
  console.warn = () => {};
  try {
    return new GoogleGenAI(options);
  } finally {
    console.warn = warn;
  }
}

/** The response the SDK's fetch got, kept for its body (the stream) and its headers (retry-after). */
interface SentRequest {
  response?: Response;
}

async function streamContent(
  client: GoogleGenAI,
  model: GeminiModel,
  request: CompletionRequest,
  signal: AbortSignal,
  sent: SentRequest,
): Promise<CompletionResult> {
  const startedAt = performance.now();
  const fetch = async (input: string | URL | Request, init?: RequestInit) => (sent.response = await nodeFetch(input, init));
  // The SDK builds and sends the request and maps HTTP errors; its stream reader is never started (its generator is
  // lazy): the event stream is read here (see readServerSentEvents), from the response its fetch got.
  await client.models.generateContentStream(buildParams(model, request, signal, fetch));
  if (!sent.response) throw new Error("the Gemini SDK returned a stream without sending a request");

  const answer = new StreamedAnswer(startedAt, model.maxAnswerChars);
  await answer.read(sent.response, ({ data }) => addChunk(answer, parseEventJson<GeminiChunk>(data)));
  return answer.result(signal, "stream ended before the model finished");
}

function buildParams(
  model: GeminiModel,
  request: CompletionRequest,
  signal: AbortSignal,
  fetch: (input: string | URL | Request, init?: RequestInit) => Promise<Response>,
): GenerateContentParameters {
  // Gemini takes the system prompt as systemInstruction, not as a turn; the model's turns have the role "model".
  const { system, turns } = splitSystem(request.system, request.messages);
  return {
    model: model.model,
    contents: turns.map((turn) => ({ role: turn.role === "assistant" ? "model" : "user", parts: [{ text: turn.content }] })),
    config: {
      ...(system ? { systemInstruction: { parts: [{ text: system }] } } : {}),
      temperature: request.temperature,
      maxOutputTokens: request.maxTokens,
      ...(request.jsonSchema ? { responseMimeType: "application/json", responseJsonSchema: request.jsonSchema } : {}),
      abortSignal: signal,
      httpOptions: { fetch },
    },
  };
}

/** The fields read from one event of streamGenerateContent?alt=sse (a GenerateContentResponse, or an error). */
interface GeminiChunk {
  candidates?: Array<{ content?: { parts?: unknown }; finishReason?: string }>;
  promptFeedback?: { blockReason?: string };
  usageMetadata?: { promptTokenCount?: unknown; candidatesTokenCount?: unknown; thoughtsTokenCount?: unknown };
  error?: { code?: number; message?: string; status?: string };
}

function addChunk(answer: StreamedAnswer, chunk: GeminiChunk): void {
  if (chunk.error) throw streamError(chunk.error.status, chunk.error.message);
  const candidate = chunk.candidates?.[0];
  const parts = candidate?.content?.parts;
  if (Array.isArray(parts)) {
    for (const part of parts as Array<{ text?: unknown; thought?: unknown }>) {
      // Thought summaries (sent only when asked for) are not the answer.
      if (typeof part?.text === "string" && part.thought !== true) answer.addText(part.text);
    }
  }
  // A blocked prompt gets no candidate, only the reason: the model has finished, with an empty answer.
  if (candidate?.finishReason || chunk.promptFeedback?.blockReason) answer.finished = true;
  // Every event carries the counts so far; the last one the final counts.
  const usage = chunk.usageMetadata;
  if (usage) {
    answer.inputTokens = usage.promptTokenCount;
    answer.outputTokens = outputTokens(usage.candidatesTokenCount, usage.thoughtsTokenCount);
  }
}

/** Thinking tokens are billed as output: the answer's tokens plus the thoughts' (either left out when zero). */
function outputTokens(answer: unknown, thoughts: unknown): unknown {
  if (thoughts === undefined) return answer;
  if (answer === undefined) return thoughts;
  return typeof answer === "number" && typeof thoughts === "number" ? answer + thoughts : undefined;
}

/**
 * The SDK's ApiError as the fields toProviderError reads: the HTTP status, the error body (the SDK puts it, as JSON
 * text, in the message) and the response's headers (for retry-after; Google's own wait is in the body's RetryInfo).
 */
function httpFailure(error: ApiError, response: Response | undefined): { status: number; error: unknown; headers?: Headers } {
  let body: unknown;
  try {
    body = JSON.parse(error.message);
  } catch {
    body = error.message;
  }
  return { status: error.status, error: body, headers: response?.headers };
}

/**
 * Runs the SDK's request path once without sending anything (its fetch fails at once), when the provider is created:
 * the first request otherwise pays for building it (converting the parameters, the URL, the headers). A failure here
 * is harmless: the real request reports it. See warm-up.ts for the other SDKs.
 */
function warmUp(client: GoogleGenAI, model: GeminiModel): void {
  const notSent = () => Promise.reject(new Error("warm-up: not sent"));
  client.models
    .generateContentStream({ model: model.model, contents: "warm-up", config: { maxOutputTokens: 1, httpOptions: { fetch: notSent } } })
    .catch(() => {});
}
