import { redactSecrets } from "../io/secrets.js";
import { ProviderError } from "./types.js";

const STATUS_LABELS: Record<number, string> = {
  400: "bad request",
  401: "unauthorized (check the API key)",
  402: "payment required",
  403: "forbidden",
  404: "not found (check the model name and baseURL)",
  408: "request timeout",
  409: "conflict",
  413: "request too large",
  422: "unprocessable request",
  429: "rate limited",
  500: "server error",
  502: "bad gateway",
  503: "service unavailable",
  504: "gateway timeout",
  529: "overloaded",
};

/**
 * Error types sent inside a stream (no HTTP status) that are worth another try: Anthropic's and OpenAI's types, and
 * Google's status names (google.rpc.Code) of passing problems.
 */
const RETRYABLE_STREAM_ERROR_TYPES = new Set([
  "overloaded_error",
  "api_error",
  "rate_limit_error",
  "timeout_error",
  "server_error",
  "RESOURCE_EXHAUSTED",
  "INTERNAL",
  "UNAVAILABLE",
  "DEADLINE_EXCEEDED",
]);

const NETWORK_ERROR_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENETDOWN",
]);

const MAX_PROVIDER_MESSAGE_LENGTH = 300;

export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/** Map any failure of an SDK call to a ProviderError the runner can act on. */
export function toProviderError(error: unknown): ProviderError {
  if (error instanceof ProviderError) {
    return new ProviderError(redactSecrets(error.message), error.options);
  }
  const classes = classNames(error);
  const status = numberField(error, "status");

  if (classes.has("APIUserAbortError") || errorName(error) === "AbortError") {
    return new ProviderError("request aborted", { retryable: true });
  }
  if (classes.has("APIConnectionTimeoutError")) {
    return new ProviderError("request timed out", { retryable: true });
  }
  if (status !== undefined) {
    const label = STATUS_LABELS[status] ?? (status >= 500 ? "server error" : "client error");
    const detail = providerMessage(error);
    const message = `HTTP ${status} ${label}${detail ? `: ${detail}` : ""}`;
    return new ProviderError(redactSecrets(message), {
      status,
      retryable: isRetryableStatus(status),
      retryAfterMs: parseRetryAfterMs(field(error, "headers")) ?? googleRetryDelayMs(field(error, "error")),
    });
  }
  const networkCode = findNetworkCode(error);
  if (classes.has("APIConnectionError") || networkCode !== undefined || isFetchTermination(error)) {
    const cause = deepestMessage(error);
    const message = `connection error${networkCode ? ` (${networkCode})` : ""}: ${cause}`;
    return new ProviderError(redactSecrets(message), { retryable: true });
  }
  const streamErrorType = anthropicErrorType(error);
  if (streamErrorType !== undefined) return streamError(streamErrorType, providerMessage(error));
  const message = error instanceof Error ? error.message : String(error);
  return new ProviderError(redactSecrets(message), { retryable: false });
}

/** An error event inside a stream (no HTTP status): retryable when its type says the server had a passing problem. */
export function streamError(type: string | undefined, message: string | undefined): ProviderError {
  const detail = message ? `: ${oneLine(message)}` : "";
  return new ProviderError(redactSecrets(`stream error${type ? ` ${type}` : ""}${detail}`), {
    retryable: type !== undefined && RETRYABLE_STREAM_ERROR_TYPES.has(type),
  });
}

/**
 * Milliseconds to wait, from `retry-after-ms` (milliseconds, may be fractional) or `retry-after` (seconds, or an
 * HTTP date). Undefined when neither header holds a usable value.
 */
export function parseRetryAfterMs(headers: unknown, now: number = Date.now()): number | undefined {
  const millis = Number.parseFloat(headerValue(headers, "retry-after-ms") ?? "");
  if (Number.isFinite(millis) && millis >= 0) return millis;

  const retryAfter = headerValue(headers, "retry-after")?.trim();
  if (!retryAfter) return undefined;
  if (/^\d+(\.\d+)?$/.test(retryAfter)) return Number.parseFloat(retryAfter) * 1000;
  const date = Date.parse(retryAfter);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/**
 * The wait a Google API asks for in its error body (a google.rpc.RetryInfo among error.details, its retryDelay a
 * protobuf Duration such as "13s" or "0.250s"), in milliseconds; undefined when there is none.
 */
function googleRetryDelayMs(body: unknown): number | undefined {
  const details = field(field(body, "error"), "details");
  if (!Array.isArray(details)) return undefined;
  for (const detail of details) {
    if (field(detail, "@type") !== "type.googleapis.com/google.rpc.RetryInfo") continue;
    const delay = field(detail, "retryDelay");
    const seconds = typeof delay === "string" && /^\d+(\.\d+)?s$/.test(delay) ? Number.parseFloat(delay) : Number.NaN;
    return Number.isFinite(seconds) ? seconds * 1000 : undefined;
  }
  return undefined;
}

function headerValue(headers: unknown, name: string): string | undefined {
  if (!headers || typeof headers !== "object") return undefined;
  if (typeof (headers as Headers).get === "function") return (headers as Headers).get(name) ?? undefined;
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name) continue;
    if (typeof value === "string") return value;
    if (Array.isArray(value) && typeof value[0] === "string") return value[0];
  }
  return undefined;
}

/** The message the provider put in its error body (OpenAI: error.message, Anthropic: error.error.message). */
function providerMessage(error: unknown): string | undefined {
  const body = field(error, "error");
  // Some compatible servers (Ollama) send `{"error": "model not found"}`: then the body itself is the message.
  const candidates = [field(error, "apiMessage"), field(field(body, "error"), "message"), field(body, "message"), body];
  const found = candidates.find((candidate): candidate is string => typeof candidate === "string" && candidate !== "");
  const text = found ?? (error instanceof Error ? error.message.replace(/^\d{3}\s+/, "") : undefined);
  return text ? oneLine(text) : undefined;
}

/** The message on one line, cut to a readable length; redacted before the cut, so no piece of a secret survives it. */
export function oneLine(text: string, maxLength = MAX_PROVIDER_MESSAGE_LENGTH): string {
  const line = redactSecrets(text.replace(/\s+/g, " ").trim());
  return line.length > maxLength ? `${line.slice(0, maxLength)}…` : line;
}

function anthropicErrorType(error: unknown): string | undefined {
  const type = field(error, "type") ?? field(field(field(error, "error"), "error"), "type");
  return typeof type === "string" && type.endsWith("_error") ? type : undefined;
}

/** Names of the error's class and its ancestors; the SDKs' error classes are recognised without importing them. */
function classNames(error: unknown): Set<string> {
  const names = new Set<string>();
  let prototype = error && typeof error === "object" ? Object.getPrototypeOf(error) : null;
  while (prototype && prototype !== Object.prototype) {
    const name = prototype.constructor?.name;
    if (typeof name === "string") names.add(name);
    prototype = Object.getPrototypeOf(prototype);
  }
  return names;
}

function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  let current = error;
  while (current && typeof current === "object" && chain.length < 8 && !chain.includes(current)) {
    chain.push(current);
    current = (current as { cause?: unknown }).cause;
  }
  return chain;
}

function findNetworkCode(error: unknown): string | undefined {
  for (const link of causeChain(error)) {
    const code = field(link, "code");
    if (typeof code === "string" && (NETWORK_ERROR_CODES.has(code) || code.startsWith("UND_ERR_"))) return code;
  }
  return undefined;
}

/** undici reports a connection dropped mid-body as TypeError("terminated") and a failed connect as "fetch failed". */
function isFetchTermination(error: unknown): boolean {
  return error instanceof TypeError && (error.message === "terminated" || error.message === "fetch failed");
}

function deepestMessage(error: unknown): string {
  const messages = causeChain(error)
    .map((link) => (link instanceof Error ? link.message : undefined))
    .filter((message): message is string => !!message);
  return messages[messages.length - 1] ?? String(error);
}

function errorName(error: unknown): string | undefined {
  const name = field(error, "name");
  return typeof name === "string" ? name : undefined;
}

function numberField(value: unknown, key: string): number | undefined {
  const found = field(value, key);
  return typeof found === "number" ? found : undefined;
}

function field(value: unknown, key: string): unknown {
  return value && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined;
}
