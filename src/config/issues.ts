import type { z } from "zod";
import { unknownKeysFirst } from "./strict.js";

// Schema issues as messages, "file:line: field.path: problem": shared by the config, dataset and routing-file readers.

type Issue = z.core.$ZodIssue;

/**
 * One line per issue (at most 10), unknown keys first: "file:line: field.path: problem". `input` (the parsed document)
 * tells a missing field from a wrong one.
 */
export function formatIssues(file: string, issues: Issue[], lineOf?: (p: readonly PropertyKey[]) => number | undefined, input?: unknown): string {
  const lines = unknownKeysFirst(issues)
    .slice(0, 10)
    .map((issue) => {
      const line = lineOf?.(issue.path);
      return `${file}${line ? `:${line}` : ""}: ${formatPath(issue.path) || "(top level)"}: ${describeIssue(issue, input)}`;
    });
  if (issues.length > 10) lines.push(`…and ${issues.length - 10} more problems`);
  return lines.join("\n");
}

export function formatPath(p: readonly PropertyKey[]): string {
  return p.map((key, i) => (typeof key === "number" ? `[${key}]` : `${i === 0 ? "" : "."}${String(key)}`)).join("");
}

function describeIssue(issue: Issue, input: unknown): string {
  if (issue.code === "invalid_type" && input !== undefined && valueAt(input, issue.path) === undefined) {
    return `required (${issue.expected})`;
  }
  return issue.message;
}

function valueAt(value: unknown, p: readonly PropertyKey[]): unknown {
  let current = value;
  for (const key of p) {
    if (typeof current !== "object" || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}
