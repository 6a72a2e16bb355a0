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

/** Every import between two modules: [importing file, imported file], both relative to src/. */
function crossModuleImports(): Array<[from: string, to: string]> {
  const files = readdirSync(SRC, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts"));
  return files.flatMap((file) =>
    ts
      .preProcessFile(readFileSync(path.join(SRC, file), "utf8"), true, true)
      .importedFiles.map(({ fileName }) => fileName)
      .filter((specifier) => specifier.startsWith("."))
      .map((specifier) => path.relative(SRC, path.resolve(SRC, path.dirname(file), specifier)).replace(/\.js$/, ".ts"))
      .filter((target) => moduleOf(target) !== moduleOf(file))
      .map((target) => [file, target] as [string, string]),
  );
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
    const cycles: string[] = [];
    const done = new Set<string>();
    const visit = (module: string, trail: string[]): void => {
      if (trail.includes(module)) return void cycles.push([...trail.slice(trail.indexOf(module)), module].join(" → "));
      if (done.has(module)) return;
      for (const next of edges.get(module) ?? []) visit(next, [...trail, module]);
      done.add(module);
    };
    for (const module of edges.keys()) visit(module, []);
    expect(cycles).toEqual([]);
  });
});
