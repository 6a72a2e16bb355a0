import { z } from "zod";
import { InputError } from "../errors.js";
import { formatPath } from "../config/issues.js";
import { strictObject, unknownKeysFirst } from "../config/strict.js";
import type { ChatMessage, DatasetItem, ScorerSpec } from "./types.js";

const message = strictObject({
  role: z.enum(["system", "user", "assistant"]),
  content: z.string(),
});

const scorer = z.union([z.string().min(1), z.object({ type: z.string().min(1) }).passthrough()]);

/** Free-form fields of an item (your ids, sources, notes): never read by modelpick, only carried along. */
const metadata = z.record(z.string(), z.unknown());

const ITEM_SHAPE = {
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
  metadata: metadata.optional(),
};

/** The keys an item may have; anything else is a typo to report (a misspelt `sensitive` must not mean "not sensitive"). */
export const ITEM_KEYS: ReadonlySet<string> = new Set(Object.keys(ITEM_SHAPE));

const rawItem = strictObject(ITEM_SHAPE, () => "; put free-form fields under metadata").refine(
  (item) => (item.input === undefined) !== (item.messages === undefined),
  {
    message: "give either input (a string) or messages ([{role, content}]), not both and not neither",
    path: ["input"],
  },
);

type RawItem = z.output<typeof rawItem>;

const YES = new Set(["true", "yes", "1"]);
const NO = new Set(["false", "no", "0", ""]);

/**
 * A yes/no cell of a table (CSV `sensitive`): true/yes/1 or false/no/0, any case, or empty for no; undefined for
 * anything else (`Y`, `on`, `sensitive`…), which the caller must refuse: guessing "no" would send sensitive data out.
 */
export function yesNo(cell: string): boolean | undefined {
  const word = cell.trim().toLowerCase();
  return YES.has(word) ? true : NO.has(word) ? false : undefined;
}

/** Validates one parsed record and turns it into a DatasetItem, or throws an InputError naming file and line. */
export function toItem(record: unknown, file: string, line: number): DatasetItem {
  const r = plainItem(record) ?? parseItem(record, file, line);
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
    ...(r.metadata === undefined ? {} : { metadata: r.metadata }),
    source: { file, line },
  };
}

/** The schema's verdict: the parsed item, or an InputError with file, line and the field at fault. */
export function parseItem(record: unknown, file: string, line: number): RawItem {
  const parsed = rawItem.safeParse(record);
  if (parsed.success) return parsed.data;
  const issue = unknownKeysFirst(parsed.error.issues)[0]!;
  const where = formatPath(issue.path);
  throw new InputError(`${file}:${line}: ${where ? `${where}: ` : ""}${issue.message}`);
}

/**
 * What the schema returns for a record it certainly accepts (the common case), checked by hand; undefined for
 * anything else, which the schema then judges and explains. Before V8 has optimised it, the schema is the slowest
 * part of loading a large dataset; this check is a small fraction of its cost.
 */
export function plainItem(record: unknown): RawItem | undefined {
  if (!isObject(record)) return undefined;
  const r = record as Record<string, unknown>;
  for (const key in r) if (!ITEM_KEYS.has(key)) return undefined;
  const id = typeof r.id === "string" && r.id !== "" ? r.id : typeof r.id === "number" && Number.isFinite(r.id) ? String(r.id) : undefined;
  if (id === undefined || typeof r.category !== "string" || r.category === "") return undefined;
  if (!optionalString(r.input) || !optionalString(r.system) || !optionalString(r.rubric)) return undefined;
  if ((r.input === undefined) === (r.messages === undefined)) return undefined;
  const messages = r.messages === undefined ? undefined : plainMessages(r.messages);
  if (messages === null) return undefined;
  if (r.sensitive !== undefined && typeof r.sensitive !== "boolean") return undefined;
  if (r.tags !== undefined && !(Array.isArray(r.tags) && r.tags.every((tag) => typeof tag === "string"))) return undefined;
  if (!plainScorer(r.scorer)) return undefined;
  if (r.metadata !== undefined && !isObject(r.metadata)) return undefined;
  return {
    id,
    category: r.category,
    expected: r.expected,
    input: r.input as string | undefined,
    messages,
    system: r.system as string | undefined,
    scorer: r.scorer as RawItem["scorer"],
    rubric: r.rubric as string | undefined,
    sensitive: (r.sensitive as boolean | undefined) ?? false,
    tags: (r.tags as string[] | undefined) ?? [],
    metadata: r.metadata as Record<string, unknown> | undefined,
  };
}

const ROLES = new Set(["system", "user", "assistant"]);

/** Messages as the schema returns them (only role and content), or null when the schema would have its say. */
function plainMessages(value: unknown): ChatMessage[] | null {
  if (!Array.isArray(value) || value.length === 0) return null;
  const messages: ChatMessage[] = [];
  for (const message of value) {
    if (!isObject(message)) return null;
    if (Object.keys(message as object).length !== 2) return null;
    const { role, content } = message as Record<string, unknown>;
    if (typeof role !== "string" || !ROLES.has(role) || typeof content !== "string") return null;
    messages.push({ role: role as ChatMessage["role"], content });
  }
  return messages;
}

function plainScorer(value: unknown): boolean {
  if (value === undefined) return true;
  if (typeof value === "string") return value !== "";
  return isObject(value) && typeof (value as { type?: unknown }).type === "string" && (value as { type: string }).type !== "";
}

function optionalString(value: unknown): boolean {
  return value === undefined || typeof value === "string";
}

function isObject(value: unknown): boolean {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function toScorerSpec(spec: string | { type: string } | undefined, expected: unknown, rubric?: string): ScorerSpec {
  if (typeof spec === "string") return { type: spec };
  if (spec) return spec as ScorerSpec;
  // Without a scorer: a rubric means a judge, a gold answer means exact match.
  if (rubric !== undefined) return { type: "judge" };
  if (expected !== undefined) return { type: "exact" };
  return { type: "none" };
}
