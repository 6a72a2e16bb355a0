import Anthropic from "@anthropic-ai/sdk";
import type { ResolvedModel } from "../config/types.js";
import { registerSecrets } from "../io/secrets.js";
import { withDeadline } from "./deadline.js";
import { streamError, toProviderError } from "./http-errors.js";
import { nodeFetch } from "./node-fetch.js";
import { parseEventJson } from "./sse.js";
import { StreamedAnswer } from "./streamed-answer.js";
import { splitSystem } from "./system-turns.js";
import { warmUpClient } from "./warm-up.js";
import type { CompletionRequest, CompletionResult, Provider } from "./types.js";
import { apiCacheIdentity } from "./cache-identity.js";

type AnthropicModel = ResolvedModel & { provider: "anthropic" };

/** Anthropic Messages API, streamed so time to first token can be measured. */
export function createAnthropicProvider(model: AnthropicModel, apiKey: string | undefined): Provider {
  // Whoever holds a key registers it, so that its failures and answers are redacted however it was created.
  registerSecrets([apiKey]);
  const client = new Anthropic({
    // Null, not undefined, when there is none: the SDK would read ANTHROPIC_API_KEY itself, behind the key check.
    apiKey: apiKey ?? null,
    fetch: nodeFetch,
    ...(model.baseURL ? { baseURL: model.baseURL } : {}),
    maxRetries: 0,
    timeout: model.timeoutMs,
  });
  warmUpClient(client, "/v1/messages");
  return {
    id: model.id,
    hosting: model.hosting,
    cacheable: true,
    // No temperature: the answer does not depend on it (see streamMessage).
    cacheIdentity: apiCacheIdentity(model, { temperature: false }),
    complete: (request) => withDeadline(request.signal, model.timeoutMs, (signal) => streamMessage(client, model, { ...request, signal }), toProviderError),
  };
}

async function streamMessage(client: Anthropic, model: AnthropicModel, request: CompletionRequest): Promise<CompletionResult> {
  const startedAt = performance.now();
  // Anthropic takes the system prompt as a parameter, not as a message.
  const { system, turns: messages } = splitSystem(request.system, request.messages);
  // No temperature: the API version this SDK sends (2026-10-21) rejects temperature, top_p and top_k on every model
  // with HTTP 400, and the SDK's types no longer have them.
  // The SDK sends the request and maps HTTP errors; the event stream is read here (see readServerSentEvents).
  const response = await client.messages
    .create({ model: model.model, max_tokens: request.maxTokens, ...(system ? { system } : {}), messages, stream: true }, { signal: request.signal })
    .asResponse();

  const answer = new StreamedAnswer(startedAt, model.maxAnswerChars);
  await answer.read(response, ({ event, data }) => {
    if (event !== "ping") addEvent(answer, parseEventJson<StreamEvent>(data));
  });
  return answer.result(request.signal, "stream ended before message_stop");
}

function addEvent(answer: StreamedAnswer, message: StreamEvent): void {
  switch (message.type) {
    case "error":
      throw streamError(message.error?.type, message.error?.message);
    case "message_start":
      answer.inputTokens = message.message.usage.input_tokens;
      answer.outputTokens = message.message.usage.output_tokens;
      break;
    case "content_block_delta":
      if (message.delta.type === "text_delta") answer.addText(message.delta.text);
      break;
    case "message_delta":
      // message_delta carries the final, cumulative counts.
      answer.inputTokens = message.usage.input_tokens ?? answer.inputTokens;
      answer.outputTokens = message.usage.output_tokens ?? answer.outputTokens;
      break;
    case "message_stop":
      answer.finished = true;
      break;
  }
}

type StreamEvent = Anthropic.RawMessageStreamEvent | { type: "error"; error?: { type?: string; message?: string } };
