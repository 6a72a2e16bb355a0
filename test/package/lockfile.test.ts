/**
 * This repository's own install: a lockfile that `npm ci` accepts and `npm install` leaves alone, and nothing
 * platform-pinned, so that a contributor on any platform can install it. npm runs offline, on a copy of
 * package.json and package-lock.json, with a private copy of the cache that the repository's own install filled.
 */
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it, type TestContext } from "vitest";
import { ROOT } from "../helpers/cli.js";
import { npmErrorCode, privateOfflineNpmEnv, run, unconditionalRestricted, unconditionalRestrictedInLockfile, type RunResult } from "./npm.js";

const copies: string[] = [];
afterAll(() => copies.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

async function copyOfManifests(): Promise<{ dir: string; env: Record<string, string> }> {
  const dir = mkdtempSync(path.join(tmpdir(), "modelpick-lockfile-"));
  copies.push(dir);
  for (const file of ["package.json", "package-lock.json"]) copyFileSync(path.join(ROOT, file), path.join(dir, file));
  return { dir, env: await privateOfflineNpmEnv(ROOT, dir) };
}

/** Skips (with npm's output) only when the npm cache lacks a package, so that npm could not run offline. */
function skipIfNotCached(ctx: TestContext, result: RunResult): void {
  if (result.code !== 0 && npmErrorCode(result.stderr) === "ENOTCACHED") {
    console.warn(`SKIPPED: the npm cache lacks a package of the lockfile:\n${result.stderr}`);
    ctx.skip();
  }
}

describe("package-lock.json", () => {
  it("npm ci accepts it (dry run, offline)", async (ctx) => {
    const { dir, env } = await copyOfManifests();
    const result = await run("npm", ["ci", "--dry-run", "--offline", "--ignore-scripts"], { cwd: dir, env });
    skipIfNotCached(ctx, result);
    expect(result.stderr).not.toMatch(/npm error/);
    expect(result.code).toBe(0);
  });

  it("npm install leaves it as it is", async (ctx) => {
    const { dir, env } = await copyOfManifests();
    const result = await run("npm", ["install", "--package-lock-only", "--offline", "--ignore-scripts"], { cwd: dir, env });
    skipIfNotCached(ctx, result);
    expect(result.code).toBe(0);
    expect(readFileSync(path.join(dir, "package-lock.json"), "utf8")).toBe(readFileSync(path.join(ROOT, "package-lock.json"), "utf8"));
  });

  it("for every platform, installs no package with an os, cpu or libc restriction unconditionally", () => {
    const { restricted, withRestriction } = unconditionalRestrictedInLockfile(path.join(ROOT, "package-lock.json"));
    expect(withRestriction).toBeGreaterThan(10);
    expect(restricted).toEqual([]);
  });
});

describe("this repository's installed tree", () => {
  it("holds no package with an os, cpu or libc restriction that npm installs unconditionally", () => {
    const { restricted, checked, withRestriction } = unconditionalRestricted(ROOT);
    expect(checked).toBeGreaterThan(100);
    expect(withRestriction).toBeGreaterThan(0);
    expect(restricted).toEqual([]);
  });

  it("has node-llama-cpp with one prebuilt CPU binary for this platform, and none of its CUDA or Vulkan builds", () => {
    const binaries = path.join(ROOT, "node_modules", "@node-llama-cpp");
    const installed = existsSync(binaries) ? readdirSync(binaries) : [];
    expect(installed.filter((name) => /cuda|vulkan/.test(name))).toEqual([]);
    if (process.platform === "linux" && process.arch === "x64") expect(installed).toContain("linux-x64");
    const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8"));
    expect(pkg.peerDependenciesMeta["node-llama-cpp"]).toEqual({ optional: true });
    expect(Object.keys(pkg.dependencies)).not.toContain("node-llama-cpp");
  });
});
