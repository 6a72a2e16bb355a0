import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";
import { LineCounter, isNode, parseDocument } from "yaml";
import type { z } from "zod";
import { InputError } from "../errors.js";
import { configSchema } from "./schema.js";
import type { Config, ResolvedModel } from "./types.js";

export const DEFAULT_CONFIG_NAMES = ["modelpick.yaml", "modelpick.yml"];

/** Finds the config: the given file, or modelpick.yaml in the working directory. */
export function findConfigFile(explicit: string | undefined, cwd = process.cwd()): string {
  if (explicit) {
    const file = path.resolve(cwd, explicit);
    if (!existsSync(file)) throw new InputError(`${explicit}: config file not found`);
    return file;
  }
  for (const name of DEFAULT_CONFIG_NAMES) {
    const file = path.join(cwd, name);
    if (existsSync(file)) return file;
  }
  throw new InputError(
    `no modelpick.yaml in ${cwd}: run modelpick init to write a starter config, or modelpick eval --demo to try the ` +
      `built-in example; or pass --config FILE`,
  );
}

export function loadConfig(explicit?: string, cwd = process.cwd()): Config {
  const file = findConfigFile(explicit, cwd);
  const text = readFileSync(file, "utf8");
  const shown = path.relative(cwd, file) || file;
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    const line = lineCounter.linePos(first.pos[0]).line;
    throw new InputError(`${shown}${line ? `:${line}` : ""}: invalid YAML: ${first.message.split("\n")[0]}`);
  }
  const parsed = configSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    throw new InputError(formatIssues(shown, parsed.error.issues, (p) => lineOf(doc, lineCounter, p)));
  }
  const raw = parsed.data;
  const dir = path.dirname(file);
  const models = raw.models.map((m) => resolveModel(m, dir));
  checkUniqueIds(shown, models);
  if (raw.judge !== undefined && !models.some((m) => m.id === raw.judge)) {
    throw new InputError(`${shown}: judge: "${raw.judge}" is not the id of a model in models`);
  }
  return {
    file,
    dir,
    datasets: (Array.isArray(raw.dataset) ? raw.dataset : [raw.dataset]).map((d) => resolvePath(dir, d)),
    models,
    judge: raw.judge,
    prices: raw.prices === undefined ? undefined : resolvePath(dir, raw.prices),
    hash: createHash("sha256").update(text).digest("hex"),
  };
}

export function resolvePath(dir: string, p: string): string {
  if (p === "~" || p.startsWith("~/")) return path.join(homedir(), p.slice(1));
  return path.resolve(dir, p);
}

function resolveModel(m: z.output<typeof configSchema>["models"][number], dir: string): ResolvedModel {
  switch (m.provider) {
    case "anthropic":
    case "openai":
      return { ...m, hosting: m.hosting ?? "cloud" };
    case "openai-compatible":
      return { ...m, hosting: m.hosting };
    case "recorded":
      return { ...m, file: resolvePath(dir, m.file), hosting: m.hosting ?? "cloud" };
    case "llama-cpp":
      return { ...m, path: resolvePath(dir, m.path), hosting: "self-hosted" };
  }
}

function checkUniqueIds(file: string, models: ResolvedModel[]): void {
  const seen = new Map<string, number>();
  models.forEach((m, i) => {
    const first = seen.get(m.id);
    if (first !== undefined) {
      throw new InputError(`${file}: models[${i}].id: "${m.id}" is already used by models[${first}]; ids must be unique`);
    }
    seen.set(m.id, i);
  });
}

type Issue = z.core.$ZodIssue;

export function formatIssues(file: string, issues: Issue[], lineOf?: (p: PropertyKey[]) => number | undefined): string {
  const lines = issues.slice(0, 10).map((issue) => {
    const line = lineOf?.(issue.path);
    return `${file}${line ? `:${line}` : ""}: ${formatPath(issue.path) || "(top level)"}: ${describeIssue(issue)}`;
  });
  if (issues.length > 10) lines.push(`…and ${issues.length - 10} more problems`);
  return lines.join("\n");
}

export function formatPath(p: readonly PropertyKey[]): string {
  return p
    .map((key, i) => (typeof key === "number" ? `[${key}]` : `${i === 0 ? "" : "."}${String(key)}`))
    .join("");
}

function describeIssue(issue: Issue): string {
  if (issue.code === "invalid_union" && "note" in issue && issue.note === "No matching discriminator") {
    return "unknown provider: expected anthropic, openai, openai-compatible, recorded or llama-cpp";
  }
  if (issue.code === "invalid_type" && issue.message.includes("received undefined")) {
    return `required (${issue.expected})`;
  }
  return issue.message;
}

function lineOf(doc: ReturnType<typeof parseDocument>, counter: LineCounter, p: PropertyKey[]): number | undefined {
  for (let depth = p.length; depth >= 0; depth--) {
    const node = doc.getIn(p.slice(0, depth) as unknown[], true);
    if (isNode(node) && node.range) return counter.linePos(node.range[0]).line;
  }
  return undefined;
}
