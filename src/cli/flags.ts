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
