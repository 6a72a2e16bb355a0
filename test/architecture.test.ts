import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

/**
 * The modules of src/ (a folder, or a file at its top), top to bottom: a module imports only modules of lower layers,
 * never one of its own layer or above. Every import counts, static or dynamic (`import(...)`), types included: a type
 * is a dependency of meaning too. ARCHITECTURE.md says why each module sits where it does.
 */
const LAYERS = [
  ["cli"],
  ["routing", "import", "runner"],
  ["report"],
  ["cost"],
  ["providers", "scoring", "results"],
  ["dataset"],
  ["config"],
  ["io"],
  ["stats", "errors.ts", "suggest.ts"],
];

const SRC = fileURLToPath(new URL("../src/", import.meta.url));
const layerOf = new Map(LAYERS.flatMap((modules, layer) => modules.map((name) => [name, layer] as const)));
/** The module of a file named relative to src/. */
const moduleOf = (file: string) => file.split(path.sep)[0]!;

const FILES = readdirSync(SRC, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts"));
const sourceOf = (file: string) => readFileSync(path.join(SRC, file), "utf8");
/** The file (relative to src/) that a relative specifier in `file` names. */
const resolved = (file: string, specifier: string) => path.relative(SRC, path.resolve(SRC, path.dirname(file), specifier)).replace(/\.js$/, ".ts");

/** Every import between two modules: [importing file, imported file], both relative to src/. */
function crossModuleImports(): Array<[from: string, to: string]> {
  return FILES.flatMap((file) =>
    ts
      .preProcessFile(sourceOf(file), true, true)
      .importedFiles.map(({ fileName }) => fileName)
      .filter((specifier) => specifier.startsWith("."))
      .map((specifier) => resolved(file, specifier))
      .filter((target) => moduleOf(target) !== moduleOf(file))
      .map((target) => [file, target] as [string, string]),
  );
}

/**
 * The files a file loads when it loads: its static imports and re-exports of values (not `import type`, which
 * vanishes, nor `import()`, which runs later). A cycle of these leaves one file reading another's bindings before
 * they exist.
 */
function eagerImports(file: string): string[] {
  const source = ts.createSourceFile(file, sourceOf(file), ts.ScriptTarget.Latest);
  return source.statements.flatMap((statement) => {
    if (!(ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement))) return [];
    if (!statement.moduleSpecifier || !ts.isStringLiteral(statement.moduleSpecifier)) return [];
    if (!statement.moduleSpecifier.text.startsWith(".") || onlyTypes(statement)) return [];
    return [resolved(file, statement.moduleSpecifier.text)];
  });
}

function onlyTypes(statement: ts.ImportDeclaration | ts.ExportDeclaration): boolean {
  if (ts.isExportDeclaration(statement)) return statement.isTypeOnly;
  const clause = statement.importClause;
  if (!clause) return false; // import "./x.js": loaded for its effects
  if (clause.isTypeOnly) return true;
  const bindings = clause.namedBindings;
  return !clause.name && bindings !== undefined && ts.isNamedImports(bindings) && bindings.elements.every((e) => e.isTypeOnly);
}

/** Each cycle of a directed graph once, as "a → b → a". */
function cyclesOf(edges: Map<string, Iterable<string>>): string[] {
  const cycles: string[] = [];
  const done = new Set<string>();
  const visit = (node: string, trail: string[]): void => {
    if (trail.includes(node)) return void cycles.push([...trail.slice(trail.indexOf(node)), node].join(" → "));
    if (done.has(node)) return;
    for (const next of edges.get(node) ?? []) visit(next, [...trail, node]);
    done.add(node);
  };
  for (const node of edges.keys()) visit(node, []);
  return cycles;
}

describe("the architecture", () => {
  const imports = crossModuleImports();

  it("places every module of src/ in a layer", () => {
    const modules = new Set(readdirSync(SRC).filter((name) => !name.startsWith(".")));
    expect([...modules].filter((name) => !layerOf.has(name))).toEqual([]);
  });

  it("imports only downwards, from a module to one of a lower layer", () => {
    const upwards = imports.filter(([from, to]) => layerOf.get(moduleOf(from))! >= layerOf.get(moduleOf(to))!);
    expect(upwards.map(([from, to]) => `src/${from} imports src/${to}`)).toEqual([]);
  });

  it("has no cycle between modules", () => {
    const edges = new Map<string, Set<string>>();
    for (const [from, to] of imports) edges.set(moduleOf(from), (edges.get(moduleOf(from)) ?? new Set()).add(moduleOf(to)));
    expect(cyclesOf(edges)).toEqual([]);
  });

  it("has no cycle between files of one module either, in what they load", () => {
    const edges = new Map(FILES.map((file) => [file, eagerImports(file)]));
    expect(edges.get("cost/prices.ts")).toContain("cost/price-table.ts"); // the reader sees imports at all
    expect(cyclesOf(edges)).toEqual([]);
  });
});
