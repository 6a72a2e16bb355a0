import http from "node:http";
import https from "node:https";

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
  const given = init.headers instanceof Headers ? init.headers : new Headers(init.headers);
  given.forEach((value, key) => {
    headers[key] = value;
  });
  return new Promise((resolve, reject) => {
    const request = transport.request(url, { method: init.method ?? "GET", headers, agent, signal: init.signal ?? undefined }, (response) =>
      resolve(toResponse(response, init.method)),
    );
    request.on("error", reject);
    request.end(bodyOf(init.body));
  });
}

function toResponse(response: http.IncomingMessage, method: string | undefined): Response {
  const headers = new Headers();
  const raw = response.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
  const status = response.statusCode ?? 500;
  const bodyless = status === 204 || status === 304 || method === "HEAD";
  if (bodyless) response.resume();
  return new Response(bodyless ? null : webStream(response), { status, statusText: response.statusMessage ?? "", headers });
}

/**
 * The body as a web stream. Readable.toWeb does the same through more general machinery that costs a measurable
 * share of a streamed request's CPU; this keeps backpressure (pause at the high-water mark, resume on pull).
 */
function webStream(response: http.IncomingMessage): ReadableStream<Uint8Array> {
  let ended = false;
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        response.on("data", (chunk: Buffer) => {
          controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
          if ((controller.desiredSize ?? 1) <= 0) response.pause();
        });
        response.once("end", () => {
          ended = true;
          controller.close();
        });
        response.once("error", (error) => controller.error(error));
        response.once("close", () => {
          if (!ended && !response.errored) controller.error(connectionClosed());
        });
      },
      pull() {
        response.resume();
      },
      cancel() {
        response.destroy();
      },
    },
    new ByteLengthQueuingStrategy({ highWaterMark: 64 * 1024 }),
  );
}

function connectionClosed(): Error {
  return Object.assign(new Error("the connection closed before the response ended"), { code: "ECONNRESET" });
}

function bodyOf(body: RequestInit["body"]): string | Uint8Array | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === "string" || body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  throw new TypeError("nodeFetch sends string or byte bodies only");
}
