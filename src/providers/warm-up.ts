/** The part of an SDK client that builds a request (URL, headers, body) without sending it. */
interface RequestBuilder {
  buildRequest(options: { method: "post"; path: string; body: Record<string, unknown> }): Promise<unknown>;
}

/**
 * Builds one request without sending it, when the provider is created: the SDK's first request otherwise loads
 * Node's fetch classes (Headers, Response) and compiles its request path, about 100–200 ms measured against the
 * loopback mock, which landed in the first requests' latency. A failure here is harmless: the real request reports it.
 */
export function warmUpClient(client: RequestBuilder, path: string): void {
  client.buildRequest({ method: "post", path, body: { model: "warm-up", stream: true } }).catch(() => {});
}
