import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";
import { LineCounter, isNode, parseDocument } from "yaml";
import { InputError, at } from "../errors.js";
import { readTextFile } from "../io/json-file.js";
import { expandYaml } from "../io/yaml.js";
import { unknownName } from "../suggest.js";
import { kindOf } from "./provider-kinds.js";
import { vendorCloudHost } from "./vendor-hosts.js";
import { configSchema, type ModelConfig } from "./schema.js";
import { formatIssues } from "./issues.js";
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
  const text = readTextFile(file);
  const shown = path.relative(cwd, file) || file;
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    const line = lineCounter.linePos(first.pos[0]).line;
    throw new InputError(`${shown}${line ? `:${line}` : ""}: invalid YAML: ${first.message.split("\n")[0]}`);
  }
  // Copied through JSON: the parser's strings are slices of the file's text, and one non-Latin-1 character anywhere in
  // it (a dash in a comment) makes them all two-byte strings, which every row built from a model id then inherits
  // (+20 % memory replaying the built-in default). JSON.parse gives fresh strings, one-byte where they can be.
  const input: unknown = JSON.parse(JSON.stringify(expandYaml(() => doc.toJS(), shown)));
  const parsed = configSchema.safeParse(input);
  const lineAt = (p: readonly PropertyKey[]) => lineOf(doc, lineCounter, p);
  if (!parsed.success) throw new InputError(formatIssues(shown, parsed.error.issues, lineAt, input));
  const raw = parsed.data;
  const dir = path.dirname(file);
  const models = raw.models.map((m, i) => resolveModel(m, dir, (field) => `${at(shown, lineAt(["models", i, field]))}: models[${i}].${field}`));
  checkUniqueIds(shown, models);
  if (raw.judge !== undefined && !models.some((m) => m.id === raw.judge)) {
    const ids = models.map((m) => m.id);
    throw new InputError(`${at(shown, lineAt(["judge"]))}: judge: ${unknownName("model id", raw.judge, ids)} (the judge must be one of the models)`);
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

/** `where(field)` is "file:line: models[i].field", for errors about one of the model's fields. */
function resolveModel(m: ModelConfig, dir: string, where: (field: string) => string): ResolvedModel {
  checkNotVendorCloud(m, where);
  const kind = kindOf(m);
  // Only openai-compatible has no default hosting, and its schema variant requires one; cloud is the safe side anyway
  // (sensitive items never go to a cloud model).
  const resolved = { ...m, hosting: m.hosting ?? kind.defaultHosting ?? "cloud" } as ResolvedModel;
  for (const field of kind.pathFields) Object.assign(resolved, { [field]: resolvePath(dir, resolved[field] as string) });
  return resolved;
}

/**
 * Sensitive items go only to self-hosted models, so "self-hosted" must be true of the endpoint: a vendor's cloud API
 * (the SDK's default host, or a baseURL on a vendor's domain) is cloud whatever the config says.
 */
function checkNotVendorCloud(m: ModelConfig & { baseURL?: string }, where: (field: string) => string): void {
  if (m.hosting !== "self-hosted") return;
  const host = vendorCloudHost(m);
  if (host === undefined) return;
  const endpoint = m.baseURL === undefined ? `with no baseURL, ${m.provider} requests go to ${host}` : `${host} is a vendor's cloud API`;
  throw new InputError(
    `${where("hosting")}: self-hosted, but ${endpoint}: sensitive items would leave your infrastructure. ` +
      "Set baseURL to your own server, or hosting: cloud",
  );
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

function lineOf(doc: ReturnType<typeof parseDocument>, counter: LineCounter, p: readonly PropertyKey[]): number | undefined {
  for (let depth = p.length; depth >= 0; depth--) {
    const node = doc.getIn(p.slice(0, depth) as unknown[], true);
    if (isNode(node) && node.range) return counter.linePos(node.range[0]).line;
  }
  return undefined;
}
