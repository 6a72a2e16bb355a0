import { mkdirSync, statSync } from "node:fs";
import path from "node:path";
import { onFile } from "./fs-errors.js";

/**
 * `mkdir -p` with a bound: each missing directory is created once, parents first. Node's own
 * `mkdirSync(dir, { recursive: true })` loops forever where mkdir answers ENOENT under a parent that exists
 * (pseudo-filesystems such as /proc); here such a directory fails with that ENOENT instead.
 */
export function ensureDir(dir: string): void {
  onFile(dir, "create directory", () => makeDir(path.resolve(dir)));
}

function makeDir(dir: string): void {
  if (tryMkdir(dir) !== "ENOENT") return;
  makeDir(path.dirname(dir));
  tryMkdir(dir, true); // once more, now that the parent exists; a second ENOENT is final
}

/** mkdir that accepts an existing directory; returns "ENOENT" (a parent is missing) unless `final`, else throws. */
function tryMkdir(dir: string, final = false): "ENOENT" | undefined {
  try {
    mkdirSync(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST" && isDirectory(dir)) return undefined;
    if (code === "ENOENT" && !final && path.dirname(dir) !== dir) return "ENOENT";
    throw error;
  }
  return undefined;
}

export function isDirectory(dir: string): boolean {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Creates `parent/name`, or `parent/name-2`, `-3`… when another run already took it, and returns the one created.
 * mkdir either creates a directory or fails, so two runs starting in the same second never share one.
 */
export function createFreshDir(parent: string, name: string): string {
  ensureDir(parent);
  for (let n = 1; ; n++) {
    const dir = path.join(parent, n === 1 ? name : `${name}-${n}`);
    try {
      onFile(dir, "create directory", () => mkdirSync(dir));
      return dir;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST" || n >= 1000) throw error;
    }
  }
}
