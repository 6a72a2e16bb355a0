import type { ResolvedModel } from "../config/types.js";
import type { DatasetItem } from "../dataset/types.js";
import { costUsd, type ResolvedPrice } from "../cost/price.js";
import type { CompletionRequest, CompletionResult, Provider } from "../providers/types.js";
import { errorMessage } from "../errors.js";
import { redactSecrets } from "../io/secrets.js";
import type { JudgeContext } from "../scoring/types.js";
import { ResponseCache } from "./cache.js";
import { callWithRetries, type CallOutcome, type CallSettings } from "./call.js";
import type { ResultRow } from "../results/row.js";

/** Everything needed to answer and score items for one model. */
export interface ModelLane {
  model: ResolvedModel;
  call: CallSettings;
  price: ResolvedPrice | null;
}

export interface EvaluateContext {
  cache: ResponseCache | null;
  /** The judge's lane, when the dataset has judge-scored items. */
  judge: ModelLane | null;
  scoreOutput: (output: string, item: DatasetItem, judge?: JudgeContext) => Promise<{ score: number; reason?: string }>;
  needsJudge: (item: DatasetItem) => boolean;
}

/** Answers one item with one model and scores it. Never throws: every failure becomes the row's error. */
export async function evaluateItem(item: DatasetItem, lane: ModelLane, ctx: EvaluateContext): Promise<ResultRow> {
  const base = emptyRow(item, lane.model.id);
  if (item.sensitive && lane.model.hosting === "cloud") {
    return { ...base, skipped: "sensitive" };
  }
  const request = buildRequest(item, lane.model);
  const answer = await cachedCall(lane, request, ctx.cache);
  if (answer.error !== undefined || !answer.result) {
    return { ...base, error: answer.error ?? "no answer", attempts: answer.attempts };
  }
  const result = answer.result;
  const row: ResultRow = {
    ...base,
    output: result.output,
    latencyMs: result.latencyMs === undefined ? round1(answer.latencyMs) : result.latencyMs,
    ttftMs: result.ttftMs === undefined ? null : round1(result.ttftMs),
    inputTokens: result.inputTokens ?? null,
    outputTokens: result.outputTokens ?? null,
    costUsd: rowCost(result, lane.price),
    cached: answer.cachedAt !== undefined,
    ...(answer.cachedAt !== undefined ? { cachedAt: answer.cachedAt } : {}),
    attempts: answer.attempts,
    ...(answer.warmup ? { warmup: true as const } : {}),
    ...(result.tokensEstimated ? { tokensEstimated: true } : {}),
    ...(result.truncated ? { truncated: true } : {}),
  };
  return score(row, item, result, ctx);
}

async function score(row: ResultRow, item: DatasetItem, result: CompletionResult, ctx: EvaluateContext): Promise<ResultRow> {
  if (result.score !== undefined) return withScore(row, result.score, item);
  let judge: JudgeContext | undefined;
  if (ctx.needsJudge(item)) {
    if (!ctx.judge) return { ...row, error: "item is judge-scored but no judge is configured" };
    if (item.sensitive && ctx.judge.model.hosting === "cloud") {
      // Sensitive data is never sent to a cloud model, not even to be judged.
      return { ...row, skipped: "sensitive-judge" };
    }
    judge = judgeContext(item, ctx.judge, ctx.cache);
  }
  try {
    const { score, reason } = await ctx.scoreOutput(result.output, item, judge);
    return { ...withScore(row, score, item), ...(reason ? { scoreReason: reason } : {}) };
  } catch (error) {
    return { ...row, error: `scoring failed: ${redactSecrets(errorMessage(error))}` };
  }
}

function judgeContext(item: DatasetItem, judge: ModelLane, cache: ResponseCache | null): JudgeContext {
  return {
    async askJudge(prompt: string, system: string): Promise<string> {
      const request: Omit<CompletionRequest, "signal"> = {
        item,
        messages: [{ role: "user", content: prompt }],
        system,
        maxTokens: Math.max(judge.model.maxTokens, 256),
        temperature: 0,
      };
      const answer = await cachedCall(judge, request, cache);
      if (!answer.result) throw new Error(`judge "${judge.model.id}" failed: ${answer.error ?? "no answer"}`);
      return answer.result.output;
    },
  };
}

/** A call's outcome; `cachedAt` (ISO) is when a cached answer was received, absent for a fresh answer. */
type Answer = CallOutcome & { cachedAt?: string };

/**
 * Where answers enter the run, from the provider or the cache: a piece of a secret in an answer (a server echoing the
 * key) is redacted here, before the answer is scored, judged, cached or written.
 */
async function cachedCall(lane: ModelLane, request: Omit<CompletionRequest, "signal">, cache: ResponseCache | null): Promise<Answer> {
  const provider: Provider = lane.call.provider;
  const key = cache && provider.cacheable ? ResponseCache.key(provider.cacheIdentity, request) : null;
  if (key && cache) {
    const hit = cache.get(key);
    if (hit) {
      const result = withoutSecrets(hit.result);
      return { result, attempts: 0, cachedAt: hit.receivedAt.toISOString(), latencyMs: result.latencyMs ?? undefined };
    }
  }
  const outcome = await callWithRetries(lane.call, request);
  const result = outcome.result && withoutSecrets(outcome.result);
  // A truncated answer depends on maxAnswerChars, which the key leaves out: like an error, it is asked again next time.
  if (key && cache && result && !result.truncated) {
    // A warm-up latency is not the model's: it is not kept, so a later cache hit never passes it off as steady state.
    cache.set(key, { ...result, latencyMs: outcome.warmup ? null : (result.latencyMs ?? round1(outcome.latencyMs)) });
  }
  return { ...outcome, result };
}

function withoutSecrets(result: CompletionResult): CompletionResult {
  const output = redactSecrets(result.output);
  return output === result.output ? result : { ...result, output };
}

function buildRequest(item: DatasetItem, model: ResolvedModel): Omit<CompletionRequest, "signal"> {
  const schema = item.scorer.type === "json" ? item.scorer.schema : undefined;
  return {
    item,
    messages: item.messages,
    system: item.system,
    maxTokens: model.maxTokens,
    temperature: model.temperature,
    ...(schema && typeof schema === "object" ? { jsonSchema: schema as Record<string, unknown> } : {}),
  };
}

function withScore(row: ResultRow, score: number, item: DatasetItem): ResultRow {
  const threshold = typeof item.scorer.threshold === "number" ? item.scorer.threshold : 0.5;
  return { ...row, score, passed: score >= threshold };
}

function rowCost(result: CompletionResult, price: ResolvedPrice | null): number | null {
  if (result.costUsd !== undefined) return result.costUsd;
  if (!price || result.inputTokens === undefined || result.outputTokens === undefined) return null;
  return costUsd(price, result.inputTokens, result.outputTokens);
}

function emptyRow(item: DatasetItem, model: string): ResultRow {
  return {
    itemId: item.id,
    model,
    category: item.category,
    output: null,
    score: null,
    passed: null,
    error: null,
    skipped: null,
    latencyMs: null,
    ttftMs: null,
    inputTokens: null,
    outputTokens: null,
    costUsd: null,
    cached: false,
    attempts: 0,
  };
}

function round1(value: number | undefined): number | null {
  return value === undefined ? null : Math.round(value * 10) / 10;
}
