/**
 * The bundle itself: every lazily imported chunk exports the names its importers take from it. esbuild wraps a
 * CommonJS package imported with `await import()` in a chunk that exports only `default`, so destructuring named
 * exports from it gives undefined at run time (YAML datasets crashed this way: "LineCounter is not a constructor").
 * This checks every dynamic import in dist/, including code paths no other test runs.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/cli.js";

const DIST = path.join(ROOT, "dist");

function exportsOf(text: string): Set<string> {
  const names = new Set<string>();
  if (/^export default /m.test(text)) names.add("default");
  for (const block of text.matchAll(/^export \{([^}]*)\};?$/gm)) {
    for (const entry of block[1]!.split(",")) {
      const name = entry
        .trim()
        .split(/\s+as\s+/)
        .at(-1);
      if (name) names.add(name);
    }
  }
  for (const declared of text.matchAll(/^export (?:async )?(?:function\*?|const|let|var|class) (\w+)/gm)) names.add(declared[1]!);
  return names;
}

/** Every name a file takes from a dynamically imported chunk: destructured, `.then(({…}))`, `(await import()).x` or `ns.x`. */
function namesTaken(text: string): Array<{ chunk: string; name: string }> {
  const taken: Array<{ chunk: string; name: string }> = [];
  const destructured = (list: string, chunk: string) => {
    for (const entry of list.split(",")) {
      const name = entry.trim().split(":")[0]!.trim();
      if (name && !name.startsWith("...")) taken.push({ chunk, name });
    }
  };
  for (const m of text.matchAll(/\{([^{}]*)\}\s*=\s*await import\("\.\/([^"]+)"\)/g)) destructured(m[1]!, m[2]!);
  for (const m of text.matchAll(/import\("\.\/([^"]+)"\)\.then\(\(\{([^{}]*)\}\)/g)) destructured(m[2]!, m[1]!);
  for (const m of text.matchAll(/\(await import\("\.\/([^"]+)"\)\)\.(\w+)/g)) taken.push({ chunk: m[1]!, name: m[2]! });
  for (const m of text.matchAll(/(?:const|let|var) (\w+) = await import\("\.\/([^"]+)"\)/g)) {
    for (const use of text.matchAll(new RegExp(`\\b${m[1]}\\.(\\w+)`, "g"))) taken.push({ chunk: m[2]!, name: use[1]! });
  }
  return taken;
}

describe("the bundle (dist/)", () => {
  it("every dynamically imported chunk exports each name its importers take from it", () => {
    const files = readdirSync(DIST).filter((f) => f.endsWith(".js"));
    const texts = new Map(files.map((f) => [f, readFileSync(path.join(DIST, f), "utf8")]));
    const missing: string[] = [];
    let checked = 0;
    for (const [file, text] of texts) {
      for (const { chunk, name } of namesTaken(text)) {
        const target = texts.get(chunk);
        expect(target, `${file} imports ./${chunk}, which is not in dist/`).toBeDefined();
        checked++;
        if (!exportsOf(target!).has(name)) missing.push(`${file} takes "${name}" from ./${chunk}, which exports only ${[...exportsOf(target!)].join(", ")}`);
      }
    }
    expect(missing).toEqual([]);
    // The scan found the imports it is meant to check (commands, renderers, parsers, providers).
    expect(checked).toBeGreaterThan(40);
  });
});

describe("the Gemini SDK in the bundle", () => {
  /** The files a bundle entry loads before it runs: its static imports, transitively. */
  function staticGraph(entry: string): string[] {
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(path.join(DIST, file), "utf8");
      for (const m of text.matchAll(/^import(?:[^"(]*from)? "\.\/([^"]+)";?$/gm)) visit(m[1]!);
    };
    visit(entry);
    return [...seen];
  }

  it("is loaded only when a Gemini model runs: in a chunk of its own, which neither entry point imports at start-up", () => {
    const files = readdirSync(DIST).filter((f) => f.endsWith(".js"));
    const withSdk = files.filter((f) => readFileSync(path.join(DIST, f), "utf8").includes("google-genai-sdk"));
    expect(withSdk).toHaveLength(1);
    expect(withSdk[0]).toMatch(/^gemini-/);
    for (const entry of ["main.js", "lane-worker.js"]) {
      const graph = staticGraph(entry);
      expect(graph.length).toBeGreaterThan(1);
      expect(graph).not.toContain(withSdk[0]);
    }
  });

  it("leaves google-auth-library out (the provider always passes an API key): no Google Cloud credential lookup", () => {
    const files = readdirSync(DIST).filter((f) => f.endsWith(".js"));
    expect(files.filter((f) => readFileSync(path.join(DIST, f), "utf8").includes("metadata.google.internal"))).toEqual([]);
  });
});
