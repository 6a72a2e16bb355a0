import { InputError } from "../errors.js";

/** A month is 730 hours (8,760 / 12), as cloud providers bill it. */
export const HOURS_PER_MONTH = 730;
export const DAYS_PER_MONTH = HOURS_PER_MONTH / 24;
export const SECONDS_PER_DAY = 86_400;

const SUFFIX: Record<string, number> = { "": 1, k: 1e3, m: 1e6, b: 1e9 };

/** Parses `250k`, `100m`, `1.5b`, `2000` (also `1_000_000`) into a positive number; `what` names the flag. */
export function parseVolume(text: string, what: string): number {
  const match = /^\s*(\d+(?:[._]\d+)*)\s*([kmb]?)\s*$/i.exec(text);
  const digits = match?.[1]?.includes("_") ? match[1].replaceAll("_", "") : match?.[1];
  const value = digits === undefined ? Number.NaN : Number(digits) * SUFFIX[match![2]!.toLowerCase()]!;
  if (!Number.isFinite(value) || value <= 0) {
    throw new InputError(`${what}: "${text}" is not a positive volume; write e.g. 250k, 100m or 1.5b`);
  }
  return value;
}

/** Parses a number within [min, max] (inclusive unless `exclusiveMin`). */
export function parseNumber(text: string, what: string, range: { min?: number; max?: number; exclusiveMin?: boolean; integer?: boolean } = {}): number {
  const value = text.trim() === "" ? Number.NaN : Number(text);
  const { min = -Infinity, max = Infinity, exclusiveMin = false, integer = false } = range;
  const belowMin = exclusiveMin ? value <= min : value < min;
  if (!Number.isFinite(value) || belowMin || value > max || (integer && !Number.isInteger(value))) {
    const bounds = [min > -Infinity ? `${exclusiveMin ? "more than" : "at least"} ${min}` : "", max < Infinity ? `at most ${max}` : ""]
      .filter(Boolean)
      .join(" and ");
    throw new InputError(`${what}: "${text}" is not valid; expected ${integer ? "a whole number" : "a number"}${bounds ? ` ${bounds}` : ""}`);
  }
  return value;
}

/** 100_000_000 → "100m", 1_500_000_000 → "1.5b", 30_241_000 → "30.2m". */
export function formatVolume(value: number): string {
  const [divisor, suffix] = value >= 1e9 ? [1e9, "b"] : value >= 1e6 ? [1e6, "m"] : value >= 1e3 ? [1e3, "k"] : [1, ""];
  const scaled = value / divisor;
  const digits = scaled >= 100 ? 0 : scaled >= 10 ? 1 : 2;
  return `${Number(scaled.toFixed(digits))}${suffix}`;
}

/** Rounds away floating-point noise (0.5 × 0.3 = 0.15, not 0.15000000000000002). */
export function tidyNumber(value: number): number {
  return Number(value.toPrecision(12));
}

/** A plain number (a price per MTok, $/GPU-hour, tokens/s, a count) with separators and without floating-point noise. */
export function formatNumber(value: number): string {
  return tidyNumber(value).toLocaleString("en-US", { maximumFractionDigits: 6 });
}

/** Whole dollars with thousands separators, cents below $100: the money format of every report. */
export function formatUsd(value: number): string {
  return dollars(value, Math.abs(value) >= 99.995 ? 0 : 2);
}

/** formatUsd for amounts that may be fractions of a cent (costs per request or per 1k requests): 4 decimals below $1. */
export function formatUsdSmall(value: number): string {
  // From $0.99995 the four decimals would round up to "$1.0000".
  if (Math.abs(value) >= 0.99995) return formatUsd(value);
  if (value > 0 && value < 0.00005) return "<$0.0001";
  return dollars(value, 4);
}

/** A price per million tokens: 2 decimals from $1 (with separators), more below. */
export function formatPerMTok(value: number): string {
  return dollars(value, Math.abs(value) >= 1 ? 2 : Math.abs(value) >= 0.01 ? 3 : 4);
}

/** A rate as its source states it ($3.78, $2.4984 per GPU-hour): separators, every digit, no floating-point noise. */
export function formatUsdRate(value: number): string {
  return `${value < 0 ? "-" : ""}$${formatNumber(Math.abs(value))}`;
}

function dollars(value: number, decimals: number): string {
  const text = Math.abs(value).toLocaleString("en-US", { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
  return `${value < 0 ? "-" : ""}$${text}`;
}

/** A difference with its sign ("+0.022", "−0.180", "+∞"); one that rounds to zero is "+0.000", never "−0.000". */
export function formatSigned(value: number, decimals = 3): string {
  if (!Number.isFinite(value)) return value > 0 ? "+∞" : "−∞";
  const text = Math.abs(value).toFixed(decimals);
  return `${value < 0 && Number(text) !== 0 ? "−" : "+"}${text}`;
}

export function formatPercent(share: number): string {
  if (share > 0 && share < 0.001) return "<0.1%";
  return `${(share * 100).toFixed(share < 0.1 ? 1 : 0)}%`;
}
