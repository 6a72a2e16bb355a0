import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";
import { secretFreeJson } from "../io/secrets.js";
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
  constructor(readonly dir: string) {}

  static key(identity: Record<string, unknown>, request: CacheableRequest): string {
    const { messages, system, jsonSchema, maxTokens, temperature } = request;
    const material = JSON.stringify([identity, maxTokens, temperature, system ?? null, messages, jsonSchema ?? null]);
    return createHash("sha256").update(material).digest("hex");
  }

  get(key: string): CompletionResult | undefined {
    try {
      return JSON.parse(readFileSync(this.fileFor(key), "utf8")) as CompletionResult;
    } catch {
      return undefined;
    }
  }

  set(key: string, result: CompletionResult): void {
    const file = this.fileFor(key);
    mkdirSync(path.dirname(file), { recursive: true });
    // Write then rename, so a killed run never leaves a half-written entry behind.
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, secretFreeJson(result));
    renameSync(tmp, file);
  }

  private fileFor(key: string): string {
    return path.join(this.dir, key.slice(0, 2), `${key.slice(2)}.json`);
  }
}
