import { Option, type Command } from "commander";
import { parseNumber, parseVolume } from "../cost/units.js";
import { InputError } from "../errors.js";

/** Flag value parsers shared by the commands; a bad value is an InputError naming the flag (exit 2). */

export function list(text: string | undefined): string[] {
  return (text ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
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

/** A volume such as 250k, 100m, 1.5b or a plain number. */
export function volume(flag: string): (value: string) => number {
  return (value) => parseVolume(value, flag);
}

/** A number within a range (inclusive unless `exclusiveMin`), e.g. `numberIn({ min: 1, integer: true })`. */
export function numberIn(range: Parameters<typeof parseNumber>[2]): (flag: string) => (value: string) => number {
  return (flag) => (value) => parseNumber(value, flag, range);
}

/** A comma-separated list that must name at least one thing (`what`: "model names"). */
export function nonEmptyList(what: string): (flag: string) => (value: string) => string[] {
  return (flag) => (value) => {
    const items = list(value);
    if (items.length === 0) throw new InputError(`${flag}: expected a comma-separated list of ${what}`);
    return items;
  };
}

type Parser<Value> = (flag: string) => (value: string) => Value;

/**
 * How one option of a core function is given on the command line: commander's flag syntax, its help text and, for
 * anything but a string, a switch or a variadic list of strings, the parser of its value (which names the flag).
 */
export type FlagSpec<Value> = { description: string } & ([Value] extends [boolean]
  ? { flag: string; parse?: never }
  : [Value] extends [string]
    ? { flag: `${string}<${string}>`; parse?: Parser<Value> }
    : [Value] extends [string[]]
      ? { flag: `${string}...>`; parse?: never } | { flag: `${string}<${string}>`; parse: Parser<Value> }
      : { flag: `${string}<${string}>`; parse: Parser<Value> });

/**
 * The command line of a core function's options, derived from their type: every option has a flag or, with null, a
 * decision to have none. The compiler refuses an option left out, and a flag whose parser gives another type.
 */
export type FlagTable<Options> = { [Key in keyof Options]-?: FlagSpec<NonNullable<Options[Key]>> | null };

/**
 * Adds the table's flags to the command, in the table's order; returns a function that turns commander's parsed flags
 * back into the options they stand for (only the flags given).
 */
export function addFlags<Options>(command: Command, table: FlagTable<Options>): (parsed: Record<string, unknown>) => Partial<Options> {
  const attributes: Array<[option: string, attribute: string]> = [];
  for (const [key, spec] of Object.entries(table) as Array<[string, { flag: string; description: string; parse?: Parser<unknown> } | null]>) {
    if (spec === null) continue;
    const option = new Option(spec.flag, spec.description);
    if (spec.parse) option.argParser(spec.parse(option.long ?? option.flags));
    command.addOption(option);
    attributes.push([key, option.attributeName()]);
  }
  return (parsed) =>
    Object.fromEntries(
      attributes.filter(([, attribute]) => parsed[attribute] !== undefined).map(([key, attribute]) => [key, parsed[attribute]]),
    ) as Partial<Options>;
}
