/** One category × model cell of summary.json. The names are a contract: recommend, check and CI read them. */
export interface SummaryCell {
  category: string;
  model: string;
  /** Items with a score (not errored, not skipped). */
  n: number;
  mean: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  ciMethod: "wilson" | "bootstrap" | null;
  /** Latency of the requests after warm-up (see `warmup`); null when none was measured. */
  p50LatencyMs: number | null;
  p95LatencyMs: number | null;
  meanInputTokens: number | null;
  meanOutputTokens: number | null;
  costPer1kUsd: number | null;
  errors: number;
  skipped: number;
  /** Rows answered from the response cache rather than by the model during this run. */
  cached: number;
  /**
   * Warm-up requests (rows with `warmup: true`: the first `concurrency` requests sent to the model, which open its
   * connections and warm its client), reported apart from p50/p95; absent when there were none.
   */
  warmup?: { n: number; p50LatencyMs: number; maxLatencyMs: number };
  /**
   * "(all)" cells only: the model's mean on the items every model of the run scored, so that models are compared on
   * the same items (cloud models skip sensitive items; errors leave items out). `--min-score` uses it.
   */
  shared?: SharedItemsMean;
}

export interface SharedItemsMean {
  /** Items every model of the run scored. */
  n: number;
  mean: number | null;
  ciLow: number | null;
  ciHigh: number | null;
}

export interface ModelRunInfo {
  id: string;
  provider: string;
  model?: string;
  hosting: "cloud" | "self-hosted";
  license?: string;
  /**
   * Where this model's prices came from, and their date; null when no price is known. `historical`: a last list
   * price, not an offer open today; `pricedAs`: the model's own name has no price and it was priced as this name.
   */
  price: { inputPerMTok: number; outputPerMTok: number; source: string; date?: string; historical?: true; pricedAs?: string } | null;
  tokensEstimated?: boolean;
  /** Rows of this model answered from the response cache (summary.json; absent in run.json). */
  cachedRows?: number;
  /** Measured by local models: load time, tokens/s, peak memory. */
  throughput?: Record<string, number>;
}

export interface RunSummary {
  run: {
    id: string;
    configFile: string;
    configHash: string;
    datasetHash: string;
    datasetFiles: string[];
    items: number;
    /** sha256 of the ids of the items the run covers (after --categories and --limit), one per line; absent in older runs. */
    itemsHash?: string;
    /** The response cache's --max-cache-age for this run, null with --no-cache; absent in older runs. */
    cacheMaxAgeMs?: number | null;
    models: ModelRunInfo[];
    judge: string | null;
    startedAt: string;
    endedAt: string;
    priceSource: string;
    /** Rows answered from the response cache, and when the oldest of those answers was received (ISO, or null). */
    cachedRows?: number;
    oldestCachedAt?: string | null;
  };
  cells: SummaryCell[];
  /** The same statistics over all categories, one per model. */
  overall: SummaryCell[];
}
