import { isPlainObject } from "./json.js";
import type { OptionKind } from "./types.js";

const CHECKS: Record<Exclude<OptionKind, readonly string[]>, { test: (value: unknown) => boolean; description: string }> = {
  boolean: { test: (v) => typeof v === "boolean", description: "true or false" },
  string: { test: (v) => typeof v === "string" && v !== "", description: "a non-empty string" },
  strings: {
    test: (v) => Array.isArray(v) && v.every((s) => typeof s === "string" && s !== ""),
    description: "a list of non-empty strings",
  },
  "non-negative number": {
    test: (v) => typeof v === "number" && Number.isFinite(v) && v >= 0,
    description: "a non-negative number",
  },
  object: { test: isPlainObject, description: "an object" },
  fraction: { test: (v) => typeof v === "number" && v >= 0 && v <= 1, description: "a number from 0 to 1" },
};

/** What an option's value must be, when it is not that; undefined when it is. */
export function optionProblem(value: unknown, kind: OptionKind): string | undefined {
  if (typeof kind !== "string") return kind.includes(value as string) ? undefined : kind.map((k) => `"${k}"`).join(" or ");
  const check = CHECKS[kind];
  return check.test(value) ? undefined : check.description;
}
