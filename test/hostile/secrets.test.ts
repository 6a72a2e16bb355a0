import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { cacheEntries } from "../helpers/cache.js";
import { allFiles, makeProject, readRows } from "../helpers/project.js";

/**
 * A server that knows the key it was sent and echoes it wherever it can: in answers, in long error bodies (the key
 * placed across the 300-character cut of provider messages), in a malformed SSE line, in stream error events, in
 * the judge's replies, in response headers and the HTTP status line.
 */
const KEYS = {
  openai: `sk-hostile-oa-${randomBytes(16).toString("hex")}`,
  anthropic: `sk-ant-hostile-${randomBytes(16).toString("hex")}`,
  gemini: `AIzaHostile${randomBytes(16).toString("hex")}`,
  judge: `sk-judge-${randomBytes(16).toString("hex")}`,
};
const ALL_KEYS = Object.values(KEYS);
const ENV = {
  H_OPENAI_KEY: KEYS.openai,
  H_ANTHROPIC_KEY: KEYS.anthropic,
  H_GEMINI_KEY: KEYS.gemini,
  H_JUDGE_KEY: KEYS.judge,
  MODELPICK_CACHE_DIR: undefined,
};

interface Received {
  path: string;
  key: string;
  model: string;
  prompt: string;
}

let server: Server;
let baseURL: string;
const received: Received[] = [];

beforeAll(async () => {
  server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  const api = req.url?.includes("/chat/completions") ? "openai" : req.url?.includes(":streamGenerateContent") ? "gemini" : "anthropic";
  const auth = req.headers.authorization;
  const key = auth?.startsWith("Bearer ") ? auth.slice(7) : String(req.headers["x-api-key"] ?? req.headers["x-goog-api-key"] ?? "");
  // Gemini's turns are contents[].parts[].text, its model is in the path.
  const turns: string[] =
    api === "gemini"
      ? body.contents.map((c: { parts: Array<{ text: string }> }) => c.parts.map((p) => p.text).join(""))
      : body.messages.map((m: { content: string }) => m.content);
  const prompt = [body.system ?? "", ...turns].join("\n");
  const question = String(turns.at(-1));
  const model = api === "gemini" ? (req.url?.match(/\/models\/([^:]+):/)?.[1] ?? "") : body.model;
  received.push({ path: req.url ?? "", key, model, prompt });
  const headers = { "x-echo-key": key, "x-request-id": `req-${key}` };

  if (model === "judge-m") {
    const reply = prompt.includes("judge-noscore")
      ? `${"n".repeat(70)}${key} and no score at all`
      : `The answer quoted ${key} (half: ${key.slice(10, 30)}).\nSCORE: 7`;
    return answer(res, api, reply, headers);
  }
  if (question.startsWith("error-400")) return fail(res, api, 400, `${"m".repeat(285)}${key}${"z".repeat(40)}`, headers, key);
  if (question.startsWith("error-502")) {
    res.writeHead(502, `Bad ${key}`, { ...headers, "content-type": "text/html" });
    return void res.end(`<html>${"h".repeat(288)}${key}</html>`);
  }
  if (question.startsWith("malformed")) {
    res.writeHead(200, { ...headers, "content-type": "text/event-stream" });
    const event = api === "anthropic" ? "event: content_block_delta\n" : "";
    return void res.end(`${event}data: Bearer ${key} is not JSON\n\n`);
  }
  if (question.startsWith("stream-error")) {
    res.writeHead(200, { ...headers, "content-type": "text/event-stream" });
    const error = { type: "invalid_request_error", message: `${"s".repeat(295)}${key} rejected` };
    if (api === "gemini") return void res.end(`data: ${JSON.stringify({ error: { code: 400, message: error.message, status: "INVALID_ARGUMENT" } })}\n\n`);
    return void res.end(api === "openai" ? `data: ${JSON.stringify({ error })}\n\n` : `event: error\ndata: ${JSON.stringify({ type: "error", error })}\n\n`);
  }
  // Every other question, judged ones included: an answer that quotes the key, whole and in pieces.
  return answer(res, api, `Your key is ${key}; its middle is ${key.slice(6, 22)} and its end ${key.slice(-9)}.`, headers);
}

function fail(res: ServerResponse, api: string, status: number, message: string, headers: Record<string, string>, key: string): void {
  const body =
    api === "openai"
      ? { error: { message, type: "invalid_request_error", param: key, code: null } }
      : api === "gemini"
        ? { error: { code: status, message, status: "INVALID_ARGUMENT", details: [{ reason: key }] } }
        : { type: "error", error: { type: "invalid_request_error", message } };
  res.writeHead(status, `Denied ${key}`, { ...headers, "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

/** A streamed answer, the key cut across chunks. */
function answer(res: ServerResponse, api: string, text: string, headers: Record<string, string>): void {
  res.writeHead(200, { ...headers, "content-type": "text/event-stream" });
  const pieces = [text.slice(0, 20), text.slice(20, 31), text.slice(31)];
  if (api === "openai") {
    const chunk = (delta: object, finish: string | null) =>
      `data: ${JSON.stringify({ id: "c", object: "chat.completion.chunk", created: 0, model: "m", choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
    const usage = `data: ${JSON.stringify({ id: "c", object: "chat.completion.chunk", created: 0, model: "m", choices: [], usage: { prompt_tokens: 5, completion_tokens: 9, total_tokens: 14 } })}\n\n`;
    res.end(pieces.map((p) => chunk({ content: p }, null)).join("") + chunk({}, "stop") + usage + "data: [DONE]\n\n");
    return;
  }
  if (api === "gemini") {
    const chunk = (piece: string, last: boolean) =>
      `data: ${JSON.stringify({
        candidates: [{ content: { role: "model", parts: [{ text: piece }] }, ...(last ? { finishReason: "STOP" } : {}) }],
        usageMetadata: { promptTokenCount: 5, candidatesTokenCount: 9 },
      })}\r\n\r\n`;
    res.end(pieces.map((p, i) => chunk(p, i === pieces.length - 1)).join(""));
    return;
  }
  const event = (type: string, data: object) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
  res.end(
    event("message_start", {
      message: {
        id: "m",
        type: "message",
        role: "assistant",
        model: "m",
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: 5, output_tokens: 1 },
      },
    }) +
      pieces.map((p) => event("content_block_delta", { index: 0, delta: { type: "text_delta", text: p } })).join("") +
      event("message_delta", { delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: 9 } }) +
      event("message_stop", {}),
  );
}

/** Every 8-character piece of every key found in `text`. */
function keyPieces(text: string): string[] {
  const found: string[] = [];
  for (const key of ALL_KEYS) {
    for (let i = 0; i + 8 <= key.length; i++) if (text.includes(key.slice(i, i + 8))) found.push(key.slice(i, i + 8));
  }
  return found;
}

const QUESTIONS = ["answer", "error-400", "error-502", "malformed", "stream-error"];

function hostileProject(): string {
  const common = { maxRetries: 0, hosting: "cloud" };
  const config = {
    models: [
      { ...common, id: "gpt", provider: "openai", model: "gpt-h", baseURL: `${baseURL}/v1`, apiKeyEnv: "H_OPENAI_KEY" },
      // The second API model runs on a worker thread of its own, whose stdout/stderr the main thread forwards.
      { ...common, id: "claude", provider: "anthropic", model: "claude-h", baseURL, apiKeyEnv: "H_ANTHROPIC_KEY" },
      { ...common, id: "gem", provider: "gemini", model: "gem-h", baseURL, apiKeyEnv: "H_GEMINI_KEY" },
      { ...common, id: "judge", provider: "openai", model: "judge-m", baseURL: `${baseURL}/v1`, apiKeyEnv: "H_JUDGE_KEY" },
    ],
    judge: "judge",
  };
  const items = [
    ...QUESTIONS.map((q) => ({ id: q, category: q.startsWith("error") ? "errors" : "leaks", input: q, expected: "key", scorer: "contains" })),
    { id: "judge-ok", category: "judged", input: "judge-ok", scorer: "judge", rubric: "Does it keep secrets?" },
    { id: "judge-noscore", category: "judged", input: "judge-noscore", scorer: "judge", rubric: "Any." },
  ];
  return makeProject(config, items);
}

const DEBUG = { NODE_DEBUG: "http,http2,net,fetch" };

describe("secrets against a server that echoes the key everywhere", () => {
  it("no 8-character piece of any key in any written file, stdout or stderr (NODE_DEBUG on, a worker thread, a judge)", async () => {
    const dir = hostileProject();
    received.length = 0;
    const result = await runCli(["eval", "--models", "gpt,claude,gem", "--out", "out", "--cache-dir", "cache"], { cwd: dir, env: { ...ENV, ...DEBUG } });
    expect(result.stderr).not.toMatch(/internal error/);
    expect(result.code, result.stderr.slice(-2000)).toBe(0);

    // The hostile paths were all taken: every key reached the server, every kind of failure happened.
    expect(new Set(received.map((r) => r.key))).toEqual(new Set(ALL_KEYS));
    const rows = readRows(path.join(dir, "out"));
    expect(rows).toHaveLength(21);
    const row = (model: string, id: string) => rows.find((r) => r.model === model && r.itemId === id)!;
    for (const model of ["gpt", "claude", "gem"]) {
      expect(row(model, "answer").output).toMatch(/^Your key is \*\*\*; its middle is \*\*\* and its end \*\*\*\.$/);
      expect(row(model, "error-400").error).toMatch(/^HTTP 400 bad request: m{285}\*\*\*/);
      expect(row(model, "error-502").error).toMatch(/^HTTP 502 bad gateway/);
      expect(row(model, "malformed").error).toBe('the stream sent an event that is not JSON: "Bearer *** is not JSON"');
      expect(row(model, "stream-error").error).toMatch(/^stream error (invalid_request_error|INVALID_ARGUMENT): s+/);
      expect(row(model, "judge-ok").scoreReason).toMatch(/^judge 7\/10: The answer quoted \*\*\*/);
      expect(row(model, "judge-noscore").error).toMatch(/^scoring failed: judge reply had no SCORE line/);
    }
    // Node's debug output printed the request headers, in the worker thread too (only it talks to /v1/messages).
    expect(result.stderr).toMatch(/^HTTP \d+: createConnection/m);
    expect(result.stderr).toMatch(/pathname: '\/v1\/messages'/);
    expect(result.stderr).toMatch(/authorization: 'Bearer \*\*\*'/);
    expect(result.stderr).toMatch(/'x-goog-api-key': '\*\*\*'/);

    const files = [...allFiles(path.join(dir, "out")), ...allFiles(path.join(dir, "cache"))];
    expect(files.map((f) => path.basename(f.file))).toEqual(expect.arrayContaining(["results.jsonl", "summary.json", "run.json"]));
    expect(files.length).toBeGreaterThan(5); // cache entries too
    for (const { file, text } of files) expect(keyPieces(text), file).toEqual([]);
    expect(keyPieces(result.stdout), "stdout").toEqual([]);
    expect(keyPieces(result.stderr), "stderr").toEqual([]);

    // What a model echoed is never passed on to another provider (the judge sees the redacted answer).
    const judgePrompts = received.filter((r) => r.model === "judge-m").map((r) => r.prompt);
    expect(judgePrompts.length).toBeGreaterThanOrEqual(2);
    for (const prompt of judgePrompts) {
      expect(prompt).toContain("Your key is ***");
      expect(keyPieces(prompt)).toEqual([]);
    }
  });

  it("a run from a cache that holds keys (written by an older version) writes and prints none of them", async () => {
    const dir = hostileProject();
    const first = await runCli(["eval", "--models", "gpt,claude,gem", "--out", "out", "--cache-dir", "cache", "--json"], { cwd: dir, env: ENV });
    expect(first.code, first.stderr).toBe(0);
    // Put the keys back into every cached answer, as a version that did not redact would have stored them.
    const entries = cacheEntries(path.join(dir, "cache"));
    expect(entries.length).toBeGreaterThan(0);
    for (const file of entries) {
      const entry = JSON.parse(readFileSync(file, "utf8"));
      entry.result.output = `${entry.result.output} ${ALL_KEYS.join(" ")}`;
      writeFileSync(file, JSON.stringify(entry));
    }

    const second = await runCli(["eval", "--models", "gpt,claude,gem", "--out", "out2", "--cache-dir", "cache", "--json"], {
      cwd: dir,
      env: { ...ENV, ...DEBUG },
    });
    expect(second.code).toBe(0);
    const cached = readRows(path.join(dir, "out2")).filter((r) => r.cached);
    expect(cached.length).toBeGreaterThanOrEqual(4);
    for (const r of cached) expect(r.output).toMatch(/\*\*\* \*\*\* \*\*\*$/);
    for (const { file, text } of allFiles(path.join(dir, "out2"))) expect(keyPieces(text), file).toEqual([]);
    expect(keyPieces(readFileSync(path.join(dir, "out2", "results.jsonl"), "utf8"))).toEqual([]);
    expect(keyPieces(second.stdout + second.stderr)).toEqual([]);
  });
});

describe("secrets in a baseURL", () => {
  it("a password in its userinfo and a key in its query are redacted like API keys (NODE_DEBUG prints the URL)", async () => {
    const password = `pw-${randomBytes(12).toString("hex")}`;
    const queryKey = `qk-${randomBytes(12).toString("hex")}`;
    const url = new URL(`${baseURL}/v1`);
    url.username = "gateway";
    url.password = password;
    url.searchParams.set("api-key", queryKey);
    url.searchParams.set("api-version", "2024-06-01");
    const config = { models: [{ id: "gw", provider: "openai-compatible", model: "gw-m", hosting: "self-hosted", baseURL: url.href, maxRetries: 0 }] };
    const dir = makeProject(config, [{ id: "answer", category: "leaks", input: "answer", expected: "key" }]);
    const result = await runCli(["eval", "--out", "out", "--no-cache"], { cwd: dir, env: { ...ENV, ...DEBUG } });
    expect(result.code, result.stderr.slice(-2000)).toBe(0);
    expect(result.stderr).toMatch(/^HTTP \d+: createConnection/m);
    const secrets = [password, queryKey];
    const pieces = (text: string) => secrets.flatMap((s) => Array.from({ length: s.length - 7 }, (_, i) => s.slice(i, i + 8)).filter((p) => text.includes(p)));
    expect(pieces(result.stdout), "stdout").toEqual([]);
    expect(pieces(result.stderr), "stderr").toEqual([]);
    for (const { file, text } of allFiles(path.join(dir, "out"))) expect(pieces(text), file).toEqual([]);
    // What is not a secret stays readable.
    expect(result.stderr).toContain("2024-06-01");
  });
});
