/**
 * Builds dist/ from src/: one ESM bundle per entry point (the CLI and the model-thread worker), with lazily imported
 * modules split into chunks of their own. A bundle starts in a fraction of the time Node takes to resolve and compile
 * the few hundred small modules of the SDKs, zod and yaml, and every eval pays that time once per thread.
 * Type checking is `npm run typecheck`.
 */
import { rmSync } from "node:fs";
import { build } from "esbuild";

const root = new URL("..", import.meta.url).pathname;

rmSync(`${root}dist`, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: ["src/cli/main.ts", "src/runner/lane-worker.ts"],
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  outdir: "dist",
  // Flat, so that `new URL("./lane-worker.js", import.meta.url)` finds the worker from whichever chunk asks.
  entryNames: "[name]",
  chunkNames: "[name]-[hash]",
  // Native binaries, located at run time relative to the package itself.
  external: ["node-llama-cpp"],
  // Never used: the Gemini provider always passes an API key (see the stub).
  alias: { "google-auth-library": "./scripts/stubs/google-auth-library.js" },
  sourcemap: true,
  // CommonJS dependencies (commander, cli-table3) call require() for Node's built-in modules.
  banner: { js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);' },
  logLevel: "warning",
});
