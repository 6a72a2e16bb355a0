import { InputError } from "../errors.js";

/** Flag value parsers shared by the commands; a bad value is an InputError naming the flag (exit 2). */

export function list(text: string | undefined): string[] {
  return (text ?? "").split(",").map((s) => s.trim()).filter(Boolean);
}

export function unit(flag: string): (value: string) => number {
  return number(flag, "a number between 0 and 1", (n) => n >= 0 && n <= 1);
}

export function positive(flag: string): (value: string) => number {
  return number(flag, "a positive number", (n) => n > 0);
}

export function positiveInt(flag: string): (value: string) => number {
  return number(flag, "a positive whole number", (n) => Number.isInteger(n) && n > 0);
}

function number(flag: string, expected: string, ok: (n: number) => boolean): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === "" || !Number.isFinite(n) || !ok(n)) throw new InputError(`${flag}: expected ${expected}, got "${value}"`);
    return n;
  };
}

const DURATION_UNITS_MS = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000 } as const;

/** A duration in milliseconds from "14d", "36h", "90m", "45s" or "0" (whole numbers only). */
export function duration(flag: string): (value: string) => number {
  return (value) => {
    const match = /^(\d+)([dhms])$/.exec(value.trim());
    const ms = value.trim() === "0" ? 0 : match ? Number(match[1]) * DURATION_UNITS_MS[match[2] as keyof typeof DURATION_UNITS_MS] : NaN;
    if (!Number.isSafeInteger(ms)) {
      throw new InputError(`${flag}: expected a duration such as 14d, 36h, 90m, 45s or 0, got "${value}"`);
    }
    return ms;
  };
}
