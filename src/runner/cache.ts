import { createHash } from "node:crypto";
import { readFileSync, rmSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";
import { writeFileAtomic } from "../io/atomic.js";
import { ensureDir } from "../io/dirs.js";
import { annotateFsError, isFsError } from "../io/fs-errors.js";
import type { CompletionResult } from "../providers/types.js";

export interface CacheableRequest {
  messages: unknown;
  system?: string;
  jsonSchema?: unknown;
  maxTokens: number;
  temperature: number;
}

/** Where answers are cached unless --cache-dir or MODELPICK_CACHE_DIR says otherwise. */
export function defaultCacheDir(): string {
  if (process.env.MODELPICK_CACHE_DIR) return process.env.MODELPICK_CACHE_DIR;
  const base = process.env.XDG_CACHE_HOME || path.join(homedir(), ".cache");
  return path.join(base, "modelpick");
}

/**
 * A response cache on disk, one small file per answer under a two-level fan-out. Keys hash what determines the
 * answer (provider, model, base URL, parameters, messages), never a secret. Errors are never cached.
 */
export class ResponseCache {
  /** Fan-out directories known to exist, so each answer costs no mkdir. */
  private readonly made = new Set<string>();

  constructor(readonly dir: string) {}

  static key(identity: Record<string, unknown>, request: CacheableRequest): string {
    const { messages, system, jsonSchema, maxTokens, temperature } = request;
    const material = JSON.stringify([identity, maxTokens, temperature, system ?? null, messages, jsonSchema ?? null]);
    return createHash("sha256").update(material).digest("hex");
  }

  /** The cached answer, if any; an entry that does not parse (damaged on disk) is a miss, and is removed. */
  get(key: string): CompletionResult | undefined {
    const file = this.fileFor(key);
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch {
      return undefined;
    }
    try {
      const entry = JSON.parse(text) as CompletionResult | null;
      if (typeof entry?.output === "string") return entry;
    } catch {
      // damaged: removed below
    }
    try {
      rmSync(file, { force: true });
    } catch {
      // a read-only cache keeps its damaged entry; it is still a miss
    }
    return undefined;
  }

  set(key: string, result: CompletionResult): void {
    const file = this.fileFor(key);
    const dir = path.dirname(file);
    const text = JSON.stringify(result);
    try {
      if (!this.made.has(dir)) ensureDir(dir);
      this.made.add(dir);
      try {
        writeFileAtomic(file, text, { durable: false });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
        ensureDir(dir); // the cache was cleared while the run went on
        writeFileAtomic(file, text, { durable: false });
      }
    } catch (error) {
      if (isFsError(error)) annotateFsError(error, { hint: "that is the response cache: pass --cache-dir DIR for another place, or --no-cache" });
      throw error;
    }
  }

  private fileFor(key: string): string {
    return path.join(this.dir, key.slice(0, 2), `${key.slice(2)}.json`);
  }
}
