const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** An age in words, rounded down to its largest unit: "less than a minute", "5 minutes", "1 hour", "3 days". */
export function ageInWords(ms: number): string {
  if (ms < MINUTE) return "less than a minute";
  const [count, unit] = ms < HOUR ? [ms / MINUTE, "minute"] : ms < DAY ? [ms / HOUR, "hour"] : [ms / DAY, "day"];
  const whole = Math.floor(count);
  return `${whole} ${unit}${whole === 1 ? "" : "s"}`;
}

/** A duration the way --max-cache-age and --older-than take it: "14d", "36h", "90m", "45s", "0". */
export function compactDuration(ms: number): string {
  if (ms === 0) return "0";
  for (const [unit, size] of [
    ["d", DAY],
    ["h", HOUR],
    ["m", MINUTE],
    ["s", SECOND],
  ] as const) {
    if (ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}
