import OpenAI from "openai";
import type { ResolvedModel } from "../config/types.js";
import { registerSecrets } from "../io/secrets.js";
import { withDeadline } from "./deadline.js";
import { streamError, toProviderError } from "./http-errors.js";
import { nodeFetch } from "./node-fetch.js";
import { parseEventJson } from "./sse.js";
import { StreamedAnswer } from "./streamed-answer.js";
import { warmUpClient } from "./warm-up.js";
import type { CompletionRequest, CompletionResult, Provider } from "./types.js";
import { apiCacheIdentity } from "./cache-identity.js";

type OpenAIModel = ResolvedModel & { provider: "openai" | "openai-compatible" };
type StreamParams = OpenAI.Chat.Completions.ChatCompletionCreateParamsStreaming;

/** OpenAI Chat Completions, and every server that speaks it (vLLM, llama.cpp server, Ollama, …). Streamed for TTFT. */
export function createOpenAIProvider(model: OpenAIModel, apiKey: string | undefined): Provider {
  // Whoever holds a key registers it, so that its failures and answers are redacted however it was created.
  registerSecrets([apiKey]);
  const client = new OpenAI({
    // OpenAI-compatible servers that need no key (vLLM, llama.cpp server, Ollama) accept a placeholder.
    apiKey: apiKey ?? "not-needed",
    fetch: nodeFetch,
    ...(model.baseURL ? { baseURL: model.baseURL } : {}),
    maxRetries: 0,
    timeout: model.timeoutMs,
  });
  warmUpClient(client, "/chat/completions");
  return {
    id: model.id,
    hosting: model.hosting,
    cacheable: true,
    cacheIdentity: apiCacheIdentity(model),
    complete: (request) => withDeadline(request.signal, model.timeoutMs, (signal) => streamChat(client, model, { ...request, signal }), toProviderError),
  };
}

function buildParams(model: OpenAIModel, request: CompletionRequest): StreamParams {
  const messages: OpenAI.Chat.Completions.ChatCompletionMessageParam[] = [];
  if (request.system) messages.push({ role: "system", content: request.system });
  for (const message of request.messages) messages.push({ role: message.role, content: message.content });
  const params: StreamParams = {
    model: model.model,
    messages,
    temperature: request.temperature,
    stream: true,
    stream_options: { include_usage: true },
  };
  // OpenAI's newer models reject max_tokens; compatible servers (vLLM, llama.cpp, Ollama) all know max_tokens.
  if (model.provider === "openai") params.max_completion_tokens = request.maxTokens;
  else params.max_tokens = request.maxTokens;
  if (request.jsonSchema && model.provider === "openai") {
    params.response_format = {
      type: "json_schema",
      json_schema: { name: "answer", schema: request.jsonSchema, strict: false },
    };
  }
  return params;
}

type ChatChunk = OpenAI.Chat.Completions.ChatCompletionChunk & { error?: { type?: string; message?: string } };

async function streamChat(client: OpenAI, model: OpenAIModel, request: CompletionRequest): Promise<CompletionResult> {
  const startedAt = performance.now();
  // The SDK sends the request and maps HTTP errors; the event stream is read here (see readServerSentEvents).
  const response = await client.chat.completions.create(buildParams(model, request), { signal: request.signal }).asResponse();

  const answer = new StreamedAnswer(startedAt, model.maxAnswerChars);
  let done = false;
  await answer.read(response, ({ data }) => {
    // Read on to the end of the body after [DONE], so the connection can be reused.
    done ||= data.startsWith("[DONE]");
    if (!done) addChunk(answer, parseEventJson<ChatChunk>(data));
  });
  return answer.result(request.signal, "stream ended before the model finished");
}

function addChunk(answer: StreamedAnswer, chunk: ChatChunk): void {
  if (chunk.error) throw streamError(chunk.error.type, chunk.error.message);
  const choice = chunk.choices?.[0];
  answer.addText(choice?.delta?.content);
  if (choice?.finish_reason) answer.finished = true;
  // Only the provider's own count is recorded; servers that send no usage leave the tokens unknown.
  if (chunk.usage) {
    answer.inputTokens = chunk.usage.prompt_tokens;
    answer.outputTokens = chunk.usage.completion_tokens;
  }
}
