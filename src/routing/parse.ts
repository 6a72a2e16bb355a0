import { existsSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { InputError, errorMessage } from "../errors.js";
import { parseJsonText, readTextFile } from "../io/json-file.js";
import { terminalSafe } from "../io/terminal.js";
import { validateDocument, type DocumentRoute, type RoutingDocument, type SensitiveDocumentRoute } from "./document.js";
import { emitRouting, type RoutingFormat } from "./emit.js";

export function formatOfRoutingFile(file: string): RoutingFormat {
  const name = file.toLowerCase();
  if (/\.(ts|mts|cts)$/.test(name)) return "ts";
  if (/\.ya?ml$/.test(name)) return "yaml";
  if (name.endsWith(".json")) return "json";
  throw new InputError(`${file}: unknown routing file type; use .ts, .yaml, .yml or .json`);
}

export interface RoutingFile {
  format: RoutingFormat;
  document: RoutingDocument;
  /**
   * For a .ts file, where its text differs from the module modelpick generates from the data it embeds (null when
   * it is byte for byte the same). The code around the data — `routeRequest` above all — is checked this way, since
   * only the data is read.
   */
  handEdit: TextDiff | null;
}

/** Where a file differs from the text it should have: one hunk, from the first differing line to the last. */
export interface TextDiff {
  /** 1-based line of the first difference. */
  line: number;
  /** Lines in the hunk: as generated, and as in the file. */
  removed: number;
  added: number;
  /** `- N: text` (generated) and `+ N: text` (file) lines, bounded in number and length, control characters escaped. */
  lines: string[];
}

/** Reads a committed routing table (TS, YAML or JSON) back into its document. */
export function readRoutingFile(file: string): RoutingFile {
  if (!existsSync(file)) throw new InputError(`${file}: routing file not found`);
  const format = formatOfRoutingFile(file);
  // Line endings are not an edit: a checkout may turn LF into CRLF, and TypeScript reads both the same.
  const text = format === "ts" ? readTextFile(file).replace(/\r\n/g, "\n") : readTextFile(file);
  const document = parseRouting(text, format, file);
  return { format, document, handEdit: format === "ts" ? textDiff(emitRouting(document, "ts"), text) : null };
}

const REGENERATE = "regenerate it with modelpick recommend --out (or restore it from version control)";

export function parseRouting(text: string, format: RoutingFormat, file: string): RoutingDocument {
  let value: unknown;
  try {
    if (format === "json") value = parseJsonText(text, file, { ours: true, remedy: REGENERATE });
    else if (format === "yaml") value = parseYaml(text);
    else value = documentFromTypeScript(text, file);
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`${file}: cannot read the routing table: ${terminalSafe(errorMessage(error))}`);
  }
  return validateDocument(value, file);
}

const MAX_DIFF_LINES = 10;
const MAX_LINE_LENGTH = 200;

/**
 * The hunk between the first and the last line that differ (common leading and trailing lines trimmed): linear, and
 * enough to point at a hand edit; null when the texts are equal.
 */
export function textDiff(expected: string, actual: string): TextDiff | null {
  if (expected === actual) return null;
  const want = expected.split("\n");
  const got = actual.split("\n");
  let start = 0;
  while (start < want.length && start < got.length && want[start] === got[start]) start++;
  let wantEnd = want.length;
  let gotEnd = got.length;
  while (wantEnd > start && gotEnd > start && want[wantEnd - 1] === got[gotEnd - 1]) {
    wantEnd--;
    gotEnd--;
  }
  return {
    line: start + 1,
    removed: wantEnd - start,
    added: gotEnd - start,
    lines: [...hunkSide("-", want, start, wantEnd), ...hunkSide("+", got, start, gotEnd)],
  };
}

function hunkSide(sign: "-" | "+", lines: string[], start: number, end: number): string[] {
  const shown = lines
    .slice(start, Math.min(end, start + MAX_DIFF_LINES))
    .map((line, i) => `${sign} ${start + i + 1}: ${start + i === lines.length - 1 && line === "" ? "(end of file, after a final newline)" : shownLine(line)}`);
  if (end - start > MAX_DIFF_LINES) shown.push(`${sign} … and ${end - start - MAX_DIFF_LINES} more line(s)`);
  return shown;
}

function shownLine(line: string): string {
  if (line === "") return "(empty line)";
  const text = terminalSafe(line);
  return text.length > MAX_LINE_LENGTH ? `${text.slice(0, MAX_LINE_LENGTH)}…` : text;
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
  const regenerate = `regenerate it with \`modelpick recommend --format ts --out ${file}\``;
  const start = new RegExp(`^export const ${name}\\b[^=\\n]*=[ ]?`, "m").exec(text);
  if (!start) {
    throw new InputError(
      `${file}: no \`export const ${name}\` found: this is not a routing table written by modelpick recommend --format ts (or it is cut off); ${regenerate}`,
    );
  }
  const from = start.index + start[0].length;
  const end = /;(?:\n|$)/.exec(text.slice(from));
  if (!end) throw new InputError(`${file}:${lineAt(text, from)}: \`${name}\` is cut off: the file ends before its closing \`;\` (truncated?); ${regenerate}`);
  const json = text
    .slice(from, from + end.index)
    .split("\n")
    .filter((line) => !/^\s*\/\//.test(line))
    .join("\n");
  try {
    return JSON.parse(json);
  } catch (error) {
    throw new InputError(`${file}:${lineAt(text, from)}: \`${name}\` is not valid JSON (${terminalSafe(errorMessage(error))}); ${regenerate}`);
  }
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) line++;
  return line;
}
