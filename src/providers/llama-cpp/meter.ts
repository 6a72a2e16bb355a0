/**
 * Aggregate throughput over a run in which several sequences overlap: tokens divided by the wall time during which
 * at least one sequence was in that phase (prompt processing or generation). With one sequence this is the plain
 * per-request rate; with several it is what the machine delivers, which is what a cost projection needs.
 */
export class ThroughputMeter {
  private readonly prompt: Interval[] = [];
  private readonly generation: Interval[] = [];
  private promptTokens = 0;
  private generatedTokens = 0;

  recordPrompt(startMs: number, endMs: number, tokens: number): void {
    this.prompt.push([startMs, endMs]);
    this.promptTokens += tokens;
  }

  /** Tokens generated after the first one (the first comes out of the prompt pass). */
  recordGeneration(startMs: number, endMs: number, tokens: number): void {
    if (tokens <= 0 || endMs <= startMs) return;
    this.generation.push([startMs, endMs]);
    this.generatedTokens += tokens;
  }

  promptTokensPerSecond(): number | undefined {
    return rate(this.promptTokens, unionMs(this.prompt));
  }

  generationTokensPerSecond(): number | undefined {
    return rate(this.generatedTokens, unionMs(this.generation));
  }
}

type Interval = [start: number, end: number];

export function unionMs(intervals: readonly Interval[]): number {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
  let total = 0;
  let current: Interval | undefined;
  for (const [start, end] of sorted) {
    if (current && start <= current[1]) current[1] = Math.max(current[1], end);
    else {
      if (current) total += current[1] - current[0];
      current = [start, end];
    }
  }
  if (current) total += current[1] - current[0];
  return total;
}

function rate(tokens: number, ms: number): number | undefined {
  return tokens > 0 && ms > 0 ? round1((tokens * 1000) / ms) : undefined;
}

export function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

/** Peak resident memory of this process so far, in MB. */
export function peakRssMb(): number {
  return round1(process.resourceUsage().maxRSS / 1024);
}
