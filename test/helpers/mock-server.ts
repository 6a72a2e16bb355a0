/**
 * A fake LLM server on 127.0.0.1 that speaks the real wire formats of OpenAI Chat Completions, Anthropic Messages and
 * Gemini generateContent (JSON and SSE streaming), so the real SDKs can be tested against it. Plain node:http, no vitest imports: the
 * benchmark starts it from a script too.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type MockApi = "openai" | "anthropic" | "gemini";

export interface LoggedRequest {
  api: MockApi;
  path: string;
  /** The parsed JSON body. */
  body: any;
  headers: IncomingHttpHeaders;
  /** Date.now() when the request arrived. */
  receivedAt: number;
  /** The client's port: requests on one kept-alive connection share it. */
  remotePort: number | undefined;
}

export interface MockRequestContext {
  api: MockApi;
  body: any;
  /** 0-based position of this request among all requests the server received. */
  index: number;
  /** Text of the last user message. */
  userText: string;
}

export interface MockAnswer {
  text: string;
  inputTokens?: number;
  outputTokens?: number;
  /** Delay from the request's arrival to the first token (streaming) or to the whole answer (JSON). */
  latencyMs?: number;
  /** Leave the usage out of the answer, like some OpenAI-compatible servers do. */
  omitUsage?: boolean;
  /** Gemini only: thinking tokens (thoughtsTokenCount), billed as output on top of outputTokens. */
  thoughtsTokens?: number;
}

export interface MockRateLimit {
  status: 429;
  retryAfterSeconds?: number | string;
  retryAfterMs?: number;
  /** Gemini only: the wait as a google.rpc.RetryInfo in the error body ("13s"), as Google's API sends it. */
  retryDelay?: string;
  message?: string;
}

export interface MockHttpError {
  status: 400 | 401 | 403 | 404 | 500 | 502 | 503 | 504 | 529;
  message?: string;
}

export interface MockHang {
  hang: true;
}

/** A stream that starts (HTTP 200, first events) and then fails: with an error event, or by dropping the connection. */
export interface MockStreamFailure {
  streamFailure: "error-event" | "disconnect";
  /** Error type of the error event (server_error for OpenAI, overloaded_error for Anthropic, INTERNAL for Gemini). */
  errorType?: string;
}

/**
 * A streamed answer that never ends: text deltas written as fast as the client reads them (the server waits for the
 * socket to drain), until the client goes away. Each one is logged in `endlessStreams`.
 */
export interface MockEndlessStream {
  endlessStream: true;
  /** The text of each delta ("x" × 1,000 by default). */
  piece?: string;
}

/** What happened to one endless stream: how much the server wrote, and whether the connection is closed yet. */
export interface EndlessStreamLog {
  api: MockApi;
  bytesSent: number;
  closed: boolean;
}

export type MockBehavior = MockAnswer | MockRateLimit | MockHttpError | MockHang | MockStreamFailure | MockEndlessStream;
export type MockBehaviorFn = (request: MockRequestContext) => MockBehavior | Promise<MockBehavior>;

export interface MockServerOptions {
  /** Default delay before answering, in milliseconds (0). */
  latencyMs?: number;
  behavior?: MockBehaviorFn;
  /** Keep every request in `requests` (true). Turn off for long benchmarks. */
  logRequests?: boolean;
}

export interface MockServer {
  url: string;
  /** baseURL for the OpenAI SDK (…/v1). */
  openaiBaseURL: string;
  /** baseURL for the Anthropic SDK (it appends /v1/messages itself). */
  anthropicBaseURL: string;
  /** baseUrl for the Google Gen AI SDK (it appends /v1beta/models/<model>:streamGenerateContent itself). */
  geminiBaseURL: string;
  requests: LoggedRequest[];
  /** Every endless stream served so far (see MockEndlessStream). */
  endlessStreams: EndlessStreamLog[];
  setBehavior(behavior: MockBehaviorFn): void;
  close(): Promise<void>;
}

/** A simple deterministic token count: one token per started group of four characters, at least one. */
export function countMockTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

/** The default answer: a deterministic echo of the last user message. */
export const echoBehavior: MockBehaviorFn = ({ userText }) => ({ text: `echo: ${userText}` });

export async function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  const defaultLatencyMs = options.latencyMs ?? 0;
  const logRequests = options.logRequests ?? true;
  let behavior: MockBehaviorFn = options.behavior ?? echoBehavior;
  let requestCount = 0;
  const requests: LoggedRequest[] = [];
  const endlessStreams: EndlessStreamLog[] = [];

  const server = createServer((req, res) => {
    const arrivedAt = performance.now();
    readBody(req)
      .then(async (raw) => {
        const path = (req.url ?? "/").split("?")[0] ?? "/";
        const api = apiForPath(req.method, path);
        if (!api) return sendJson(res, 404, { error: { message: `no mock route for ${req.method} ${path}` } });
        let body: any;
        try {
          body = raw.length > 0 ? JSON.parse(raw) : {};
        } catch {
          return sendError(res, api, 400, "request body is not valid JSON");
        }
        if (logRequests) requests.push({ api, path, body, headers: req.headers, receivedAt: Date.now(), remotePort: req.socket.remotePort });
        const context: MockRequestContext = { api, body, index: requestCount++, userText: lastUserText(body) };
        const chosen = await behavior(context);
        if ("endlessStream" in chosen) return streamEndlessly(res, api, chosen, endlessStreams);
        await respond(res, api, { path, body, streaming: isStreaming(api, path, body) }, context, chosen, defaultLatencyMs, arrivedAt);
      })
      .catch((error: unknown) => {
        if (!res.headersSent && !res.destroyed) sendJson(res, 500, { error: { message: String(error) } });
        else res.destroy();
      });
  });
  server.keepAliveTimeout = 60_000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    openaiBaseURL: `${url}/v1`,
    anthropicBaseURL: url,
    geminiBaseURL: url,
    requests,
    endlessStreams,
    setBehavior(next) {
      behavior = next;
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function apiForPath(method: string | undefined, path: string): MockApi | undefined {
  if (method !== "POST") return undefined;
  if (path.endsWith("/chat/completions")) return "openai";
  if (path.endsWith("/v1/messages")) return "anthropic";
  if (/\/models\/[^/:]+:(stream)?generateContent$/i.test(path)) return "gemini";
  return undefined;
}

/** Gemini streams by method (…:streamGenerateContent?alt=sse); the others by `stream: true` in the body. */
function isStreaming(api: MockApi, path: string, body: any): boolean {
  return api === "gemini" ? path.endsWith(":streamGenerateContent") : body?.stream === true;
}

/** The model a request names: in the body, or in a Gemini path (…/models/<model>:generateContent). */
function modelOf(path: string, body: any): string {
  if (typeof body?.model === "string") return body.model;
  return /\/models\/([^/:]+):/.exec(path)?.[1] ?? "mock-model";
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    return content.map((part) => (part && typeof part === "object" && typeof part.text === "string" ? part.text : "")).join("");
  }
  return "";
}

/** The turns of a request: OpenAI's and Anthropic's messages, or Gemini's contents (text in `parts`). */
function turnsOf(body: any): Array<{ role: unknown; text: string }> {
  if (Array.isArray(body?.contents)) return body.contents.map((content: any) => ({ role: content?.role, text: textOf(content?.parts) }));
  const messages: any[] = Array.isArray(body?.messages) ? body.messages : [];
  return messages.map((message) => ({ role: message?.role, text: textOf(message?.content) }));
}

function lastUserText(body: any): string {
  const turns = turnsOf(body);
  for (let i = turns.length - 1; i >= 0; i--) {
    if (turns[i]!.role === "user") return turns[i]!.text;
  }
  return "";
}

/** All prompt text the model would read, for the default input token count. */
function promptText(body: any): string {
  const system = textOf(body?.system) + textOf(body?.systemInstruction?.parts);
  return (
    system +
    turnsOf(body)
      .map((turn) => turn.text)
      .join("")
  );
}

async function respond(
  res: ServerResponse,
  api: MockApi,
  { path, body, streaming }: { path: string; body: any; streaming: boolean },
  context: MockRequestContext,
  behavior: Exclude<MockBehavior, MockEndlessStream>,
  defaultLatencyMs: number,
  arrivedAt: number,
): Promise<void> {
  if ("hang" in behavior) return; // the socket stays open until the client gives up or the server closes
  if ("streamFailure" in behavior) return failStream(res, api, behavior);
  if ("status" in behavior) {
    if (defaultLatencyMs > 0) await waitUntil(arrivedAt + defaultLatencyMs);
    const headers: Record<string, string> = {};
    if (behavior.status === 429) {
      if (behavior.retryAfterSeconds !== undefined) headers["retry-after"] = String(behavior.retryAfterSeconds);
      if (behavior.retryAfterMs !== undefined) headers["retry-after-ms"] = String(behavior.retryAfterMs);
    }
    const retryDelay = behavior.status === 429 ? behavior.retryDelay : undefined;
    return sendError(res, api, behavior.status, behavior.message, headers, retryDelay);
  }
  const answer: ResolvedAnswer = {
    text: behavior.text,
    inputTokens: behavior.inputTokens ?? countMockTokens(promptText(body)),
    outputTokens: behavior.outputTokens ?? countMockTokens(behavior.text),
    latencyMs: behavior.latencyMs ?? defaultLatencyMs,
    omitUsage: behavior.omitUsage ?? false,
    thoughtsTokens: behavior.thoughtsTokens ?? 0,
  };
  const model = modelOf(path, body);
  const id = `${context.index}`;
  if (streaming) {
    const firstTokenAt = arrivedAt + answer.latencyMs;
    if (api === "openai") return streamOpenAI(res, id, model, answer, body?.stream_options?.include_usage === true, firstTokenAt);
    if (api === "gemini") return streamGemini(res, id, model, answer, firstTokenAt);
    return streamAnthropic(res, id, model, answer, firstTokenAt);
  }
  if (answer.latencyMs > 0) await waitUntil(arrivedAt + answer.latencyMs);
  if (api === "openai") return sendJson(res, 200, openAIMessage(id, model, answer));
  if (api === "gemini") return sendJson(res, 200, geminiChunk(id, model, answer.text, "STOP", geminiUsage(answer)));
  return sendJson(res, 200, anthropicMessage(id, model, answer));
}

type ResolvedAnswer = Required<MockAnswer>;

function openAIUsage(answer: ResolvedAnswer) {
  return {
    prompt_tokens: answer.inputTokens,
    completion_tokens: answer.outputTokens,
    total_tokens: answer.inputTokens + answer.outputTokens,
  };
}

function openAIMessage(id: string, model: string, answer: ResolvedAnswer) {
  return {
    id: `chatcmpl-mock-${id}`,
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [
      {
        index: 0,
        message: { role: "assistant", content: answer.text, refusal: null },
        logprobs: null,
        finish_reason: "stop",
      },
    ],
    ...(answer.omitUsage ? {} : { usage: openAIUsage(answer) }),
  };
}

function anthropicMessage(id: string, model: string, answer: ResolvedAnswer) {
  return {
    id: `msg_mock_${id}`,
    type: "message",
    role: "assistant",
    model,
    content: [{ type: "text", text: answer.text }],
    stop_reason: "end_turn",
    stop_sequence: null,
    usage: { input_tokens: answer.inputTokens, output_tokens: answer.outputTokens },
  };
}

async function streamOpenAI(
  res: ServerResponse,
  id: string,
  model: string,
  answer: ResolvedAnswer,
  includeUsage: boolean,
  firstTokenAt: number,
): Promise<void> {
  startEventStream(res);
  const created = Math.floor(Date.now() / 1000);
  const usageField = includeUsage ? { usage: null } : {};
  const chunk = (delta: object, finishReason: string | null) =>
    `data: ${JSON.stringify({
      id: `chatcmpl-mock-${id}`,
      object: "chat.completion.chunk",
      created,
      model,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
      ...usageField,
    })}\n\n`;
  let out = chunk({ role: "assistant", content: "" }, null);
  if (answer.latencyMs > 0) {
    res.write(out);
    out = "";
    await waitUntil(firstTokenAt);
    if (res.destroyed) return;
  }
  for (const piece of splitText(answer.text)) out += chunk({ content: piece }, null);
  out += chunk({}, "stop");
  if (includeUsage && !answer.omitUsage) {
    out += `data: ${JSON.stringify({
      id: `chatcmpl-mock-${id}`,
      object: "chat.completion.chunk",
      created,
      model,
      choices: [],
      usage: openAIUsage(answer),
    })}\n\n`;
  }
  out += "data: [DONE]\n\n";
  res.end(out);
}

async function streamAnthropic(res: ServerResponse, id: string, model: string, answer: ResolvedAnswer, firstTokenAt: number): Promise<void> {
  startEventStream(res);
  const event = (type: string, data: object) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
  let out =
    event("message_start", {
      message: {
        id: `msg_mock_${id}`,
        type: "message",
        role: "assistant",
        model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: answer.inputTokens, output_tokens: 1 },
      },
    }) +
    event("content_block_start", { index: 0, content_block: { type: "text", text: "" } }) +
    event("ping", {});
  if (answer.latencyMs > 0) {
    res.write(out);
    out = "";
    await waitUntil(firstTokenAt);
    if (res.destroyed) return;
  }
  for (const piece of splitText(answer.text)) {
    out += event("content_block_delta", { index: 0, delta: { type: "text_delta", text: piece } });
  }
  out += event("content_block_stop", { index: 0 });
  out += event("message_delta", {
    delta: { stop_reason: "end_turn", stop_sequence: null },
    usage: { output_tokens: answer.outputTokens },
  });
  out += event("message_stop", {});
  res.end(out);
}

/** Gemini's usageMetadata; thoughtsTokenCount only when the model thought, as Google sends it. */
function geminiUsage(answer: ResolvedAnswer) {
  if (answer.omitUsage) return undefined;
  return {
    promptTokenCount: answer.inputTokens,
    candidatesTokenCount: answer.outputTokens,
    totalTokenCount: answer.inputTokens + answer.outputTokens + answer.thoughtsTokens,
    ...(answer.thoughtsTokens > 0 ? { thoughtsTokenCount: answer.thoughtsTokens } : {}),
  };
}

/** One GenerateContentResponse: a JSON answer, or one event of a stream. */
function geminiChunk(id: string, model: string, text: string, finishReason: string | null, usage: object | undefined) {
  return {
    candidates: [{ content: { parts: [{ text }], role: "model" }, ...(finishReason ? { finishReason } : {}), index: 0 }],
    ...(usage ? { usageMetadata: usage } : {}),
    modelVersion: model,
    responseId: `mock-${id}`,
  };
}

/** A Gemini event, framed as Google frames them (CRLF line ends). */
function geminiEvent(chunk: object): string {
  return `data: ${JSON.stringify(chunk)}\r\n\r\n`;
}

/**
 * Gemini's streamGenerateContent?alt=sse: one event per piece of text, each with the usage so far (the prompt's count
 * from the first event), the last with finishReason and the final counts.
 */
async function streamGemini(res: ServerResponse, id: string, model: string, answer: ResolvedAnswer, firstTokenAt: number): Promise<void> {
  startEventStream(res);
  const pieces = splitText(answer.text);
  if (answer.latencyMs > 0) {
    await waitUntil(firstTokenAt);
    if (res.destroyed) return;
  }
  const partialUsage = answer.omitUsage ? undefined : { promptTokenCount: answer.inputTokens, totalTokenCount: answer.inputTokens };
  let out = "";
  pieces.forEach((piece, i) => {
    const last = i === pieces.length - 1;
    out += geminiEvent(geminiChunk(id, model, piece, last ? "STOP" : null, last ? geminiUsage(answer) : partialUsage));
  });
  if (pieces.length === 0) out += geminiEvent(geminiChunk(id, model, "", "STOP", geminiUsage(answer)));
  res.end(out);
}

function failStream(res: ServerResponse, api: MockApi, failure: MockStreamFailure): void {
  if (api === "gemini") {
    failGeminiStream(res, failure);
    return;
  }
  startEventStream(res);
  const started =
    api === "openai"
      ? `data: ${JSON.stringify({ id: "chatcmpl-mock-fail", object: "chat.completion.chunk", created: 0, model: "mock", choices: [{ index: 0, delta: { role: "assistant", content: "partial" }, logprobs: null, finish_reason: null }] })}\n\n`
      : `event: message_start\ndata: ${JSON.stringify({ type: "message_start", message: { id: "msg_mock_fail", type: "message", role: "assistant", model: "mock", content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 1, output_tokens: 1 } } })}\n\n`;
  if (failure.streamFailure === "disconnect") {
    res.write(started, () => res.destroy());
    return;
  }
  const error =
    api === "openai"
      ? `data: ${JSON.stringify({ error: { message: "The server had an error while processing your request.", type: failure.errorType ?? "server_error", param: null, code: null } })}\n\n`
      : `event: error\ndata: ${JSON.stringify({ type: "error", error: { type: failure.errorType ?? "overloaded_error", message: "Overloaded" } })}\n\n`;
  res.end(started + error);
}

function failGeminiStream(res: ServerResponse, failure: MockStreamFailure): void {
  startEventStream(res);
  const started = geminiEvent(geminiChunk("fail", "mock", "partial", null, { promptTokenCount: 1, totalTokenCount: 1 }));
  if (failure.streamFailure === "disconnect") {
    res.write(started, () => res.destroy());
    return;
  }
  const status = failure.errorType ?? "INTERNAL";
  const error = { code: GOOGLE_STATUS_CODES[status] ?? 400, message: "An internal error has occurred. Please retry.", status };
  res.end(started + geminiEvent({ error }));
}

/** Writes text deltas until the client closes the connection, waiting for the socket to drain between writes. */
async function streamEndlessly(res: ServerResponse, api: MockApi, stream: MockEndlessStream, log: EndlessStreamLog[]): Promise<void> {
  const entry: EndlessStreamLog = { api, bytesSent: 0, closed: false };
  log.push(entry);
  startEventStream(res);
  const piece = stream.piece ?? "x".repeat(1000);
  const opening =
    api === "gemini"
      ? geminiEvent(geminiChunk("endless", "mock", "", null, { promptTokenCount: 1, totalTokenCount: 1 }))
      : api === "openai"
        ? `data: ${JSON.stringify({ id: "chatcmpl-mock-endless", object: "chat.completion.chunk", created: 0, model: "mock", choices: [{ index: 0, delta: { role: "assistant", content: "" }, logprobs: null, finish_reason: null }] })}\n\n`
        : `event: message_start\ndata: ${JSON.stringify({ type: "message_start", message: { id: "msg_mock_endless", type: "message", role: "assistant", model: "mock", content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 1, output_tokens: 1 } } })}\n\n`;
  const delta =
    api === "gemini"
      ? geminiEvent(geminiChunk("endless", "mock", piece, null, { promptTokenCount: 1, totalTokenCount: 1 }))
      : api === "openai"
        ? `data: ${JSON.stringify({ id: "chatcmpl-mock-endless", object: "chat.completion.chunk", created: 0, model: "mock", choices: [{ index: 0, delta: { content: piece }, logprobs: null, finish_reason: null }] })}\n\n`
        : `event: content_block_delta\ndata: ${JSON.stringify({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text: piece } })}\n\n`;
  const closed = new Promise<void>((resolve) =>
    res.once("close", () => {
      entry.closed = true;
      resolve();
    }),
  );
  let text = opening;
  while (!entry.closed) {
    entry.bytesSent += Buffer.byteLength(text);
    const flushed = res.write(text);
    text = delta.repeat(16);
    // Yield either way, so the mock's other connections are served too.
    await Promise.race([new Promise((resolve) => (flushed ? setImmediate(resolve) : res.once("drain", resolve))), closed]);
  }
}

function startEventStream(res: ServerResponse): void {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
}

/** Up to four pieces, split on code points so no surrogate pair is torn apart. */
function splitText(text: string): string[] {
  const codePoints = Array.from(text);
  if (codePoints.length === 0) return [];
  const size = Math.ceil(codePoints.length / Math.min(4, codePoints.length));
  const pieces: string[] = [];
  for (let i = 0; i < codePoints.length; i += size) pieces.push(codePoints.slice(i, i + size).join(""));
  return pieces;
}

const OPENAI_ERROR_TYPES: Record<number, { type: string; code: string | null; message: string }> = {
  400: { type: "invalid_request_error", code: null, message: "Invalid request." },
  401: { type: "invalid_request_error", code: "invalid_api_key", message: "Incorrect API key provided." },
  403: { type: "invalid_request_error", code: null, message: "Permission denied." },
  404: { type: "invalid_request_error", code: "model_not_found", message: "The model does not exist." },
  429: { type: "requests", code: "rate_limit_exceeded", message: "Rate limit reached for requests." },
};

const ANTHROPIC_ERROR_TYPES: Record<number, { type: string; message: string }> = {
  400: { type: "invalid_request_error", message: "Invalid request." },
  401: { type: "authentication_error", message: "invalid x-api-key" },
  403: { type: "permission_error", message: "Permission denied." },
  404: { type: "not_found_error", message: "Not found." },
  429: { type: "rate_limit_error", message: "Number of request tokens has exceeded your rate limit." },
  529: { type: "overloaded_error", message: "Overloaded" },
};

/** google.rpc status names and the HTTP status Google's APIs send with each. */
const GOOGLE_STATUS_CODES: Record<string, number> = {
  INVALID_ARGUMENT: 400,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  NOT_FOUND: 404,
  RESOURCE_EXHAUSTED: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
  DEADLINE_EXCEEDED: 504,
};

const GEMINI_ERRORS: Record<number, { status: string; message: string }> = {
  400: { status: "INVALID_ARGUMENT", message: "Request contains an invalid argument." },
  401: { status: "UNAUTHENTICATED", message: "Request had invalid authentication credentials." },
  403: { status: "PERMISSION_DENIED", message: "The caller does not have permission." },
  404: { status: "NOT_FOUND", message: "models/mock is not found for API version v1beta, or is not supported for generateContent." },
  429: { status: "RESOURCE_EXHAUSTED", message: "Resource has been exhausted (e.g. check quota)." },
  503: { status: "UNAVAILABLE", message: "The model is overloaded. Please try again later." },
  504: { status: "DEADLINE_EXCEEDED", message: "Deadline expired before operation could complete." },
};

/** Google's error body: { error: { code, message, status, details } }; a 429 may carry its wait as a RetryInfo. */
function geminiError(status: number, message: string | undefined, retryDelay: string | undefined) {
  const known = GEMINI_ERRORS[status] ?? {
    status: "INTERNAL",
    message: "An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting",
  };
  const details = retryDelay === undefined ? [] : [{ "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay }];
  return { error: { code: status, message: message ?? known.message, status: known.status, ...(details.length > 0 ? { details } : {}) } };
}

function sendError(
  res: ServerResponse,
  api: MockApi,
  status: number,
  message: string | undefined,
  headers: Record<string, string> = {},
  retryDelay?: string,
): void {
  sendJson(res, status, errorBody(api, status, message, retryDelay), headers);
}

/** The error body each API sends. */
function errorBody(api: MockApi, status: number, message: string | undefined, retryDelay: string | undefined): unknown {
  if (api === "gemini") return geminiError(status, message, retryDelay);
  if (api === "openai") {
    const known = OPENAI_ERROR_TYPES[status] ?? { type: "server_error", code: null, message: "The server had an error." };
    return { error: { message: message ?? known.message, type: known.type, param: null, code: known.code } };
  }
  const known = ANTHROPIC_ERROR_TYPES[status] ?? { type: "api_error", message: "Internal server error" };
  return { type: "error", error: { type: known.type, message: message ?? known.message }, request_id: "req_mock" };
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/**
 * Waits until `deadline` (a performance.now() time): latency counts from the request's arrival, as a real server's
 * time to first token does, so the mock's own work does not add to it. Timers count whole milliseconds on the event
 * loop's clock: rounded up, this ends within about a millisecond of the deadline.
 */
async function waitUntil(deadline: number): Promise<void> {
  const left = deadline - performance.now();
  if (left > 0) await sleep(Math.ceil(left));
}

/** Unref'd so a pending answer never keeps a closed server's process alive. */
function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
