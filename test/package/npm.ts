import { spawn } from "node:child_process";
import { copyFileSync, cpSync, existsSync, linkSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command (npm, npx, tar) in a child process; never through a shell. */
export function run(
  command: string,
  args: string[],
  options: { cwd: string; env?: Record<string, string | undefined>; timeoutMs?: number },
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0", ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 60_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * Environment for npm runs that must not write to the user's npm cache: npm runs offline on a private copy of the
 * cache that `npm config get cache` names (the one this repository's install filled). npm appends to the cache's
 * index files, so those are copied; the content files never change once written, so they are hard-linked (copied
 * across file systems). npm's logs and update check stay out of it too.
 */
export async function privateOfflineNpmEnv(repoRoot: string, dir: string): Promise<Record<string, string>> {
  const real = (await run("npm", ["config", "get", "cache"], { cwd: repoRoot })).stdout.trim();
  const cache = path.join(dir, "npm-cache");
  const source = path.join(real, "_cacache");
  if (existsSync(path.join(source, "index-v5"))) cpSync(path.join(source, "index-v5"), path.join(cache, "_cacache", "index-v5"), { recursive: true });
  if (existsSync(path.join(source, "content-v2"))) linkTree(path.join(source, "content-v2"), path.join(cache, "_cacache", "content-v2"));
  return {
    npm_config_cache: cache,
    npm_config_offline: "true",
    npm_config_logs_dir: path.join(dir, "npm-logs"),
    npm_config_update_notifier: "false",
    npm_config_audit: "false",
    npm_config_fund: "false",
  };
}

function linkTree(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) {
      linkTree(source, target);
      continue;
    }
    try {
      linkSync(source, target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EXDEV") throw error;
      copyFileSync(source, target);
    }
  }
}

/** npm's own error code ("npm error code ENOTCACHED"), or undefined. */
export function npmErrorCode(output: string): string | undefined {
  return /^npm (?:error|ERR!) code (\S+)$/m.exec(output)?.[1];
}

export interface RestrictedPackage {
  location: string;
  restriction: Record<string, string[]>;
}

/**
 * Packages of an installed tree that carry an `os`, `cpu` or `libc` restriction although npm installs them
 * unconditionally (not optional): on another platform npm refuses them and the whole install fails.
 * Reads node_modules/.package-lock.json, npm's record of the installed tree, and each installed package.json.
 */
export function unconditionalRestricted(projectDir: string): { restricted: RestrictedPackage[]; checked: number; withRestriction: number } {
  const hidden = path.join(projectDir, "node_modules", ".package-lock.json");
  const lock = JSON.parse(readFileSync(hidden, "utf8")) as { packages: Record<string, LockEntry> };
  const restricted: RestrictedPackage[] = [];
  let checked = 0;
  let withRestriction = 0;
  for (const [location, entry] of Object.entries(lock.packages)) {
    const manifestFile = path.join(projectDir, location, "package.json");
    if (entry.link || !existsSync(manifestFile)) continue;
    checked++;
    const restriction = restrictionOf(JSON.parse(readFileSync(manifestFile, "utf8")) as LockEntry);
    if (!restriction) continue;
    withRestriction++;
    if (entry.optional !== true) restricted.push({ location, restriction });
  }
  return { restricted, checked, withRestriction };
}

/** The same rule over a lockfile, which lists the packages of every platform, installed here or not. */
export function unconditionalRestrictedInLockfile(lockfile: string): { restricted: RestrictedPackage[]; withRestriction: number } {
  const lock = JSON.parse(readFileSync(lockfile, "utf8")) as { packages: Record<string, LockEntry> };
  const restricted: RestrictedPackage[] = [];
  let withRestriction = 0;
  for (const [location, entry] of Object.entries(lock.packages)) {
    const restriction = restrictionOf(entry);
    if (!restriction) continue;
    withRestriction++;
    if (entry.optional !== true) restricted.push({ location, restriction });
  }
  return { restricted, withRestriction };
}

interface LockEntry {
  optional?: boolean;
  link?: boolean;
  os?: string[];
  cpu?: string[];
  libc?: string[];
}

function restrictionOf(manifest: LockEntry): Record<string, string[]> | undefined {
  const found = Object.fromEntries((["os", "cpu", "libc"] as const).filter((key) => (manifest[key]?.length ?? 0) > 0).map((key) => [key, manifest[key]!]));
  return Object.keys(found).length > 0 ? found : undefined;
}

interface Manifest {
  name: string;
  version: string;
  license?: string;
  bin?: Record<string, string>;
  engines?: Record<string, string>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, unknown>;
}

/**
 * A project that has the tarball as its one devDependency, with a lockfile holding the versions this repository's
 * lockfile pins for the package's own dependencies (the ones the suite ran with). npm resolves a dependency that no
 * lockfile pins from its full registry metadata, which `npm ci` does not cache; with this lockfile an offline install
 * needs only the tarballs that the repository's own install put in the cache.
 */
export function writeProjectWithTarball(dir: string, tarballSpec: string, repoRoot: string): void {
  const pkg = JSON.parse(readFileSync(path.join(repoRoot, "package.json"), "utf8")) as Manifest;
  const repoLock = JSON.parse(readFileSync(path.join(repoRoot, "package-lock.json"), "utf8")) as {
    packages: Record<string, LockEntry & { dev?: boolean; devOptional?: boolean }>;
  };
  const root = { name: "app", version: "1.0.0", private: true, devDependencies: { [pkg.name]: tarballSpec } };
  const packages: Record<string, unknown> = {
    "": { name: root.name, version: root.version, devDependencies: root.devDependencies },
    [`node_modules/${pkg.name}`]: {
      version: pkg.version,
      resolved: tarballSpec,
      dev: true,
      license: pkg.license,
      dependencies: pkg.dependencies,
      peerDependencies: pkg.peerDependencies,
      peerDependenciesMeta: pkg.peerDependenciesMeta,
      bin: pkg.bin,
      engines: pkg.engines,
    },
  };
  for (const [location, entry] of Object.entries(repoLock.packages)) {
    if (location === "" || entry.dev || entry.devOptional) continue;
    packages[location] = { ...entry, dev: true };
  }
  writeFileSync(path.join(dir, "package.json"), JSON.stringify(root, null, 2) + "\n");
  writeFileSync(
    path.join(dir, "package-lock.json"),
    JSON.stringify({ name: root.name, version: root.version, lockfileVersion: 3, requires: true, packages }, null, 2) + "\n",
  );
}
