import http from "node:http";
import https from "node:https";
import { Readable } from "node:stream";

const agents = {
  "http:": new http.Agent({ keepAlive: true }),
  "https:": new https.Agent({ keepAlive: true }),
};

/**
 * A `fetch` for the provider SDKs on node:http with keep-alive agents. Node 20's built-in fetch spends about 1.6×
 * the CPU per request (measured with the openai SDK against the loopback mock), which bounds a large eval on a
 * small machine; the SDKs accept any WHATWG-compatible fetch.
 */
export function nodeFetch(input: string | URL | Request, init: RequestInit = {}): Promise<Response> {
  const url = new URL(typeof input === "string" || input instanceof URL ? input : input.url);
  const transport = url.protocol === "https:" ? https : http;
  const agent = agents[url.protocol as keyof typeof agents];
  const headers: Record<string, string> = {};
  new Headers(init.headers).forEach((value, key) => {
    headers[key] = value;
  });
  return new Promise((resolve, reject) => {
    const request = transport.request(
      url,
      { method: init.method ?? "GET", headers, agent, signal: init.signal ?? undefined },
      (response) => resolve(toResponse(response, init.method)),
    );
    request.on("error", reject);
    request.end(bodyOf(init.body));
  });
}

function toResponse(response: http.IncomingMessage, method: string | undefined): Response {
  const headers = new Headers();
  for (const [key, value] of Object.entries(response.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(", ") : value);
  }
  const status = response.statusCode ?? 500;
  const bodyless = status === 204 || status === 304 || method === "HEAD";
  if (bodyless) response.resume();
  const body = bodyless ? null : (Readable.toWeb(response) as unknown as ReadableStream<Uint8Array>);
  return new Response(body, { status, statusText: response.statusMessage ?? "", headers });
}

function bodyOf(body: RequestInit["body"]): string | Uint8Array | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === "string" || body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  throw new TypeError("nodeFetch sends string or byte bodies only");
}
