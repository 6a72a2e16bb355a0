import { createHash } from "node:crypto";
import { open } from "node:fs/promises";
import type { ChatHistoryItem, ChatWrapper, LlamaContext, LlamaContextSequence, LlamaGrammar, LlamaModel, LlamaText, Token } from "node-llama-cpp";
import type { ResolvedModel } from "../../config/types.js";
import type { ChatMessage } from "../../dataset/types.js";
import { errorMessage } from "../../errors.js";
import { ProviderError, type CompletionRequest, type CompletionResult, type Provider } from "../types.js";
import { explainContextError, loadGgufModel, resolveThreads, type LoadedModel } from "./load.js";
import { ThroughputMeter, peakRssMb, round1 } from "./meter.js";
import { Pool } from "./pool.js";
import { importLlamaCpp } from "./runtime.js";

export { readGgufInfo, validateGguf, type GgufInfo } from "./gguf-info.js";

export type LlamaCppModel = Extract<ResolvedModel, { provider: "llama-cpp" }>;

/** Context size when the config gives none: enough for chat-style eval items without a large KV cache per sequence. */
const DEFAULT_CONTEXT_SIZE = 4096;

/**
 * A GGUF model run in-process by llama.cpp. The model is loaded once; one context holds `parallel` sequences, and up
 * to `parallel` requests are decoded together in shared batches. Each request starts from an empty sequence, so an
 * answer never depends on which sequence served it or what ran before.
 *
 * Generation is a plain token loop over the sequence (the prompt rendered by the GGUF's chat template, sampling as
 * asked, stopping at end-of-generation or the template's stop text): node-llama-cpp's LlamaChat adds per-token work
 * (a default repeat penalty, segment tracking) that an eval neither wants nor should pay for.
 */
export async function createLlamaCppProvider(model: LlamaCppModel): Promise<Provider> {
  const threads = resolveThreads(model.threads);
  const parallel = model.parallel;
  const started = performance.now();
  const loaded = await loadGgufModel({ file: model.path, threads, gpuLayers: model.gpuLayers });
  try {
    // The GGUF's context length as read and checked by gguf-info: llama.cpp's own trainContextSize is a 32-bit int.
    const contextSize = model.contextSize ?? Math.min(loaded.info.contextLength ?? DEFAULT_CONTEXT_SIZE, DEFAULT_CONTEXT_SIZE);
    const context = await loaded.model
      .createContext({ contextSize, sequences: parallel, threads })
      .catch((error: unknown) => Promise.reject(explainContextError(model.path, error)));
    const llamaCpp = await importLlamaCpp();
    const chatWrapper = llamaCpp.resolveChatWrapper(loaded.model);
    const sequences = Array.from({ length: parallel }, () => context.getSequence());
    const loadMs = performance.now() - started;
    return new LlamaCppProvider(model, loaded, context, chatWrapper, sequences, {
      loadMs,
      threads,
      contextSize,
      fingerprint: await fingerprint(model.path),
    });
  } catch (error) {
    await loaded.dispose();
    throw error;
  }
}

interface Setup {
  loadMs: number;
  threads: number;
  contextSize: number;
  fingerprint: { sizeBytes: number; headSha256: string };
}

class LlamaCppProvider implements Provider {
  readonly id: string;
  readonly hosting = "self-hosted" as const;
  readonly cacheable = true;
  readonly cacheIdentity: Record<string, unknown>;
  readonly license?: string;
  private readonly pool: Pool<LlamaContextSequence>;
  private readonly grammars = new Map<string, Promise<LlamaGrammar>>();
  private readonly meter = new ThroughputMeter();
  private completed = 0;
  private closed = false;

  constructor(
    private readonly model: LlamaCppModel,
    private readonly loaded: LoadedModel,
    private readonly context: LlamaContext,
    private readonly chatWrapper: ChatWrapper,
    sequences: LlamaContextSequence[],
    private readonly setup: Setup,
  ) {
    this.id = model.id;
    this.license = model.license ?? loaded.info.license ?? undefined;
    this.pool = new Pool(sequences);
    this.cacheIdentity = {
      provider: "llama-cpp",
      file: setup.fingerprint,
      maxTokens: model.maxTokens,
      temperature: model.temperature,
      contextSize: setup.contextSize,
      gpuLayers: model.gpuLayers ?? 0,
    };
  }

  async complete(request: CompletionRequest): Promise<CompletionResult> {
    if (this.closed) throw new ProviderError(`${this.id}: the model was already closed`);
    const sequence = await this.pool.acquire(request.signal).catch((error: unknown) => {
      throw asProviderError(this.id, error, request.signal);
    });
    try {
      return await this.generate(sequence, request);
    } catch (error) {
      throw asProviderError(this.id, error, request.signal);
    } finally {
      this.pool.release(sequence);
    }
  }

  /** Latency and time to first token are measured from the moment a sequence serves the request. */
  private async generate(sequence: LlamaContextSequence, request: CompletionRequest): Promise<CompletionResult> {
    const model = this.loaded.model;
    const state = this.chatWrapper.generateContextState({ chatHistory: toChatHistory(request.system, request.messages) });
    const prompt = state.contextText.tokenize(model.tokenizer);
    const room = this.setup.contextSize - prompt.length;
    if (room < 1) {
      throw new ProviderError(`${this.id}: the prompt has ${prompt.length} tokens but contextSize is ${this.setup.contextSize}; raise contextSize`);
    }
    const grammar = request.jsonSchema ? await this.grammarFor(request) : undefined;
    const llamaCpp = await importLlamaCpp();
    const grammarEvaluationState = grammar ? new llamaCpp.LlamaGrammarEvaluationState({ model, grammar }) : undefined;
    const stops = new StopDetector(model, [...state.stopGenerationTriggers, ...(grammar?.stopGenerationTriggers ?? [])]);
    const maxTokens = Math.min(request.maxTokens, room);
    await sequence.clearHistory();
    const start = performance.now();
    let firstTokenAt: number | undefined;
    for await (const token of sequence.evaluate(prompt, { temperature: request.temperature, grammarEvaluationState })) {
      firstTokenAt ??= performance.now();
      if (request.signal.aborted) throw request.signal.reason ?? new Error("aborted");
      if (model.isEogToken(token) || stops.push(token) || stops.length >= maxTokens) break;
    }
    const end = performance.now();
    const answer = stops.answer();
    const output = grammar?.trimWhitespaceSuffix ? answer.text.trimEnd() : answer.text;
    this.meter.recordPrompt(start, firstTokenAt ?? end, prompt.length);
    if (firstTokenAt !== undefined) this.meter.recordGeneration(firstTokenAt, end, answer.tokens - 1);
    this.completed++;
    return {
      output,
      inputTokens: prompt.length,
      outputTokens: answer.tokens,
      ttftMs: firstTokenAt === undefined ? undefined : round1(firstTokenAt - start),
      latencyMs: round1(end - start),
    };
  }

  private grammarFor(request: CompletionRequest): Promise<LlamaGrammar> {
    const key = JSON.stringify(request.jsonSchema);
    let grammar = this.grammars.get(key);
    if (!grammar) {
      grammar = this.loaded.llama.createGrammarForJsonSchema(request.jsonSchema as never).catch((error: unknown) => {
        this.grammars.delete(key);
        const { file, line } = request.item.source;
        throw new ProviderError(
          `${file}:${line}: scorer schema cannot constrain ${this.id}'s output (${errorMessage(error)}); ` +
            "llama-cpp supports the JSON-schema subset of node-llama-cpp's grammar (types, properties, enum, const, items)",
        );
      });
      this.grammars.set(key, grammar);
    }
    return grammar;
  }

  measurements(): Record<string, number> {
    const figures: Record<string, number | undefined> = {
      loadMs: round1(this.setup.loadMs),
      promptTokensPerSecond: this.meter.promptTokensPerSecond(),
      generationTokensPerSecond: this.meter.generationTokensPerSecond(),
      peakRssMb: peakRssMb(),
      threads: this.setup.threads,
      parallel: this.model.parallel,
      contextSize: this.setup.contextSize,
      items: this.completed,
    };
    return Object.fromEntries(Object.entries(figures).filter(([, v]) => v !== undefined)) as Record<string, number>;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.context.dispose();
    await this.loaded.dispose();
  }
}

/** A conversation as node-llama-cpp's chat history, ending with the (empty) model turn to generate. */
export function toChatHistory(system: string | undefined, messages: ChatMessage[]): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = system ? [{ type: "system", text: system }] : [];
  for (const message of messages) {
    if (message.role === "system") history.push({ type: "system", text: message.content });
    else if (message.role === "user") history.push({ type: "user", text: message.content });
    else history.push({ type: "model", response: [message.content] });
  }
  history.push({ type: "model", response: [] });
  return history;
}

type StopTrigger = LlamaText | string | readonly (string | Token)[];

/**
 * Collects generated tokens and notices the chat template's stop triggers. A trigger made of special tokens (e.g.
 * "<|im_end|>") is matched on token ids; one with ordinary text is matched on the decoded text, because a model can
 * spell the same text with different tokens. Text is decoded per token only when such a trigger exists. The answer
 * excludes the trigger.
 */
class StopDetector {
  private readonly tokens: Token[] = [];
  /** Length of the decoded answer after each token, when decoding as we go. */
  private readonly textLengths: number[] = [];
  private readonly stopTexts: string[] = [];
  private readonly stopTokenRuns: Token[][] = [];
  private text = "";
  private stoppedAt: { tokens: number; text?: number } | undefined;

  constructor(
    private readonly model: LlamaModel,
    triggers: readonly StopTrigger[],
  ) {
    for (const trigger of triggers) {
      if (typeof trigger === "string") this.stopTexts.push(trigger);
      else if (Array.isArray(trigger)) this.stopTexts.push(trigger.filter((t) => typeof t === "string").join(""));
      else {
        const run = (trigger as LlamaText).tokenize(model.tokenizer, "trimLeadingSpace");
        if (run.every((token) => model.isSpecialToken(token))) this.stopTokenRuns.push(run);
        else this.stopTexts.push(model.detokenize(run, true));
      }
    }
    this.stopTexts = this.stopTexts.filter((t) => t.length > 0);
  }

  get length(): number {
    return this.tokens.length;
  }

  /** Adds a token; true when the answer has reached a stop trigger. */
  push(token: Token): boolean {
    this.tokens.push(token);
    for (const run of this.stopTokenRuns) {
      const start = this.tokens.length - run.length;
      if (run.length > 0 && start >= 0 && run.every((t, i) => this.tokens[start + i] === t)) {
        this.stoppedAt = { tokens: start, text: start === 0 ? 0 : this.textLengths[start - 1] };
        return true;
      }
    }
    if (this.stopTexts.length === 0) return false;
    const before = this.text.length;
    this.text += this.model.detokenize([token], false, this.tokens.slice(-9, -1));
    this.textLengths.push(this.text.length);
    for (const stop of this.stopTexts) {
      const at = this.text.indexOf(stop, Math.max(0, before - stop.length));
      if (at >= 0) {
        this.stoppedAt = { tokens: this.tokens.length - 1, text: at };
        return true;
      }
    }
    return false;
  }

  answer(): { text: string; tokens: number } {
    const tokens = this.stoppedAt?.tokens ?? this.tokens.length;
    if (this.stopTexts.length === 0) return { text: this.model.detokenize(this.tokens.slice(0, tokens), false), tokens };
    return { text: this.text.slice(0, this.stoppedAt?.text ?? this.text.length), tokens };
  }
}

function asProviderError(id: string, error: unknown, signal: AbortSignal): ProviderError {
  if (error instanceof ProviderError) return error;
  if (signal.aborted) return new ProviderError(`${id}: request aborted`, { retryable: true });
  return new ProviderError(`${id}: llama.cpp failed: ${errorMessage(error)}`);
}

/** Identifies the weights without hashing gigabytes: the size plus a hash of the first MiB (header and first tensors). */
async function fingerprint(file: string): Promise<{ sizeBytes: number; headSha256: string }> {
  const handle = await open(file, "r");
  try {
    const { size } = await handle.stat();
    const head = Buffer.alloc(Math.min(size, 1 << 20));
    await handle.read(head, 0, head.length, 0);
    return { sizeBytes: size, headSha256: createHash("sha256").update(head).digest("hex") };
  } finally {
    await handle.close();
  }
}
