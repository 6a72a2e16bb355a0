import { createServer } from "node:net";
import { expect } from "vitest";
import type { ChatMessage, DatasetItem } from "../../src/dataset/types.js";
import { ProviderError, type CompletionRequest } from "../../src/providers/types.js";

/** A provider request for one inline item, as the runner builds it. */
export function requestFor(messages: ChatMessage[], extra: Partial<CompletionRequest> = {}): CompletionRequest {
  const item: DatasetItem = {
    id: "item-1",
    category: "test",
    messages,
    scorer: { type: "exact" },
    sensitive: false,
    tags: [],
    source: { file: "inline", line: 1 },
  };
  return { item, messages, maxTokens: 64, temperature: 0, signal: new AbortController().signal, ...extra };
}

/** The ProviderError a request fails with (the test fails if it succeeds). */
export async function failureOf(promise: Promise<unknown>): Promise<ProviderError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ProviderError);
    return error as ProviderError;
  }
  throw new Error("expected the request to fail");
}

/** A port nothing listens on: bind, read the port, close. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === "string") throw new Error("no port");
  return address.port;
}
