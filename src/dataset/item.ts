import { z } from "zod";
import { InputError } from "../errors.js";
import { formatPath } from "../config/load.js";
import type { DatasetItem, ScorerSpec } from "./types.js";

const message = z.object({
  role: z.enum(["system", "user", "assistant"]),
  content: z.string(),
});

const scorer = z.union([
  z.string().min(1),
  z.object({ type: z.string().min(1) }).passthrough(),
]);

const rawItem = z
  .object({
    id: z.union([z.string().min(1), z.number()]).transform(String),
    category: z.string().min(1),
    input: z.string().optional(),
    messages: z.array(message).min(1).optional(),
    system: z.string().optional(),
    expected: z.unknown().optional(),
    scorer: scorer.optional(),
    rubric: z.string().optional(),
    sensitive: z.boolean().default(false),
    tags: z.array(z.string()).default([]),
  })
  .passthrough()
  .refine((item) => (item.input === undefined) !== (item.messages === undefined), {
    message: "give either input (a string) or messages ([{role, content}]), not both and not neither",
    path: ["input"],
  });

/** Validates one parsed record and turns it into a DatasetItem, or throws an InputError naming file and line. */
export function toItem(record: unknown, file: string, line: number): DatasetItem {
  const parsed = rawItem.safeParse(record);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = formatPath(issue.path);
    throw new InputError(`${file}:${line}: ${where ? `${where}: ` : ""}${issue.message}`);
  }
  const r = parsed.data;
  return {
    id: r.id,
    category: r.category,
    messages: r.messages ?? [{ role: "user", content: r.input! }],
    system: r.system,
    expected: r.expected,
    scorer: toScorerSpec(r.scorer, r.expected, r.rubric),
    sensitive: r.sensitive,
    tags: r.tags,
    rubric: r.rubric,
    source: { file, line },
  };
}

function toScorerSpec(spec: string | { type: string } | undefined, expected: unknown, rubric?: string): ScorerSpec {
  if (typeof spec === "string") return { type: spec };
  if (spec) return spec as ScorerSpec;
  // Without a scorer: a rubric means a judge, a gold answer means exact match.
  if (rubric !== undefined) return { type: "judge" };
  if (expected !== undefined) return { type: "exact" };
  return { type: "none" };
}
