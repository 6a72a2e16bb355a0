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
  p50LatencyMs: number | null;
  p95LatencyMs: number | null;
  meanInputTokens: number | null;
  meanOutputTokens: number | null;
  costPer1kUsd: number | null;
  errors: number;
  skipped: number;
  /** Rows answered from the response cache rather than by the model during this run. */
  cached: number;
}

export interface ModelRunInfo {
  id: string;
  provider: string;
  model?: string;
  hosting: "cloud" | "self-hosted";
  license?: string;
  /** Where this model's prices came from, and their date; null when no price is known. */
  price: { inputPerMTok: number; outputPerMTok: number; source: string; date?: string } | null;
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
