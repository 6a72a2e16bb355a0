import { existsSync, readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { InputError, errorMessage } from "../errors.js";
import { validateDocument, type DocumentRoute, type RoutingDocument, type SensitiveDocumentRoute } from "./document.js";
import type { RoutingFormat } from "./emit.js";

export function formatOfRoutingFile(file: string): RoutingFormat {
  const name = file.toLowerCase();
  if (/\.(ts|mts|cts)$/.test(name)) return "ts";
  if (/\.ya?ml$/.test(name)) return "yaml";
  if (name.endsWith(".json")) return "json";
  throw new InputError(`${file}: unknown routing file type; use .ts, .yaml, .yml or .json`);
}

/** Reads a committed routing table (TS, YAML or JSON) back into its document. */
export function readRoutingFile(file: string): { format: RoutingFormat; document: RoutingDocument } {
  if (!existsSync(file)) throw new InputError(`${file}: routing file not found`);
  const format = formatOfRoutingFile(file);
  const text = readFileSync(file, "utf8");
  return { format, document: parseRouting(text, format, file) };
}

export function parseRouting(text: string, format: RoutingFormat, file: string): RoutingDocument {
  let value: unknown;
  try {
    if (format === "json") value = JSON.parse(text);
    else if (format === "yaml") value = parseYaml(text);
    else value = documentFromTypeScript(text, file);
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`${file}: cannot read the routing table: ${errorMessage(error)}`);
  }
  return validateDocument(value, file);
}

/** Rebuilds the document from the JSON blocks the TypeScript emitter writes. */
function documentFromTypeScript(text: string, file: string): unknown {
  const routes = jsonBlock(text, "MODEL_ROUTING", file) as Record<string, Omit<DocumentRoute, "evidence">>;
  const sensitive = jsonBlock(text, "SENSITIVE_ROUTING", file) as Record<string, Omit<SensitiveDocumentRoute, "evidence"> | null>;
  const block = jsonBlock(text, "ROUTING_EVIDENCE", file) as {
    evidence?: Record<string, DocumentRoute["evidence"]>;
    sensitiveEvidence?: Record<string, SensitiveDocumentRoute["evidence"]>;
    otherSensitiveRoutes?: Record<string, unknown>;
    noRoute?: Record<string, unknown>;
  } & Record<string, unknown>;
  const { evidence = {}, sensitiveEvidence = {}, otherSensitiveRoutes = {}, ...rest } = block;
  const allRoutes: Record<string, unknown> = {};
  for (const [category, route] of Object.entries(routes)) allRoutes[category] = { ...route, evidence: evidence[category] };
  for (const category of Object.keys(rest.noRoute ?? {})) allRoutes[category] = null;
  const sensitiveRoutes: Record<string, unknown> = {};
  for (const [category, route] of Object.entries(sensitive)) sensitiveRoutes[category] = route && { ...route, evidence: sensitiveEvidence[category] };
  Object.assign(sensitiveRoutes, otherSensitiveRoutes);
  return { ...rest, routes: allRoutes, sensitiveRoutes };
}

/**
 * The JSON after `export const NAME… = ` up to the `;` that ends its last line. JSON strings cannot hold a raw
 * newline, so the first `;` at a line end closes the block; whole-line `//` comments inside it are dropped.
 */
function jsonBlock(text: string, name: string, file: string): unknown {
  const start = new RegExp(`^export const ${name}\\b[^=\\n]*=[ ]?`, "m").exec(text);
  if (!start) throw new InputError(`${file}: no \`export const ${name}\` found; is this a file written by modelpick recommend --format ts?`);
  const from = start.index + start[0].length;
  const end = text.indexOf(";\n", from);
  const body = text.slice(from, end === -1 ? undefined : end);
  const json = body
    .split("\n")
    .filter((line) => !/^\s*\/\//.test(line))
    .join("\n");
  try {
    return JSON.parse(json);
  } catch (error) {
    throw new InputError(`${file}: \`${name}\` is not the JSON modelpick wrote (${errorMessage(error)}); regenerate the file`);
  }
}
