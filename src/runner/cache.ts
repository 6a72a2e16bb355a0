import { createHash } from "node:crypto";
import {
  accessSync,
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  openSync,
  readFileSync,
  realpathSync,
  rmdirSync,
  statSync,
  unlinkSync,
  type Dirent,
  type Stats,
} from "node:fs";
import { opendir } from "node:fs/promises";
import { homedir } from "node:os";
import path from "node:path";
import { InputError, errorMessage } from "../errors.js";
import { writeFileAtomic } from "../io/atomic.js";
import { ensureDir } from "../io/dirs.js";
import { isFsError, reasonOf } from "../io/fs-errors.js";
import { secretFreeJson } from "../io/secrets.js";
import type { CompletionResult } from "../providers/types.js";

export interface CacheableRequest {
  messages: unknown;
  system?: string;
  jsonSchema?: unknown;
  maxTokens: number;
  temperature: number;
}

const DAY_MS = 24 * 3600 * 1000;
/** How long a cached answer is used unless --max-cache-age says otherwise. */
export const DEFAULT_MAX_CACHE_AGE_MS = 14 * DAY_MS;

/** An answer found in the cache, and when it was received from the model. */
export interface CachedAnswer {
  result: CompletionResult;
  receivedAt: Date;
}

/** What one cache file holds. Entries without `receivedAt` were written by an older modelpick: they count as expired. */
interface StoredEntry {
  receivedAt: string;
  result: CompletionResult;
}

export interface CacheOptions {
  /** Entries older than this are misses (and are replaced). 0: never read the cache, but still write it. */
  maxAgeMs?: number;
}

/** Where answers are cached unless --cache-dir or MODELPICK_CACHE_DIR says otherwise. */
export function defaultCacheDir(): string {
  if (process.env.MODELPICK_CACHE_DIR) return process.env.MODELPICK_CACHE_DIR;
  const base = process.env.XDG_CACHE_HOME || path.join(homedir(), ".cache");
  return path.join(base, "modelpick");
}

/**
 * A response cache on disk, one small file per answer under a two-level fan-out (`ab/cdef….json`). Keys hash what
 * determines the answer (provider, model, base URL, parameters, messages), never a secret. Errors are never cached.
 * Each entry carries the date its answer was received; an entry older than the maximum age is a miss.
 */
export class ResponseCache {
  readonly maxAgeMs: number;
  private warned = false;

  constructor(
    readonly dir: string,
    options: CacheOptions = {},
  ) {
    this.maxAgeMs = options.maxAgeMs ?? DEFAULT_MAX_CACHE_AGE_MS;
  }

  static key(identity: Record<string, unknown>, request: CacheableRequest): string {
    const { messages, system, jsonSchema, maxTokens, temperature } = request;
    const material = JSON.stringify([identity, maxTokens, temperature, system ?? null, messages, jsonSchema ?? null]);
    return createHash("sha256").update(material).digest("hex");
  }

  /** The cached answer when there is a fresh one; a corrupt entry is removed. */
  get(key: string): CachedAnswer | undefined {
    if (this.maxAgeMs === 0) return undefined;
    const file = this.fileFor(key);
    if (!isRealDirectory(path.dirname(file))) return undefined;
    const read = readEntry(file);
    if (read.kind === "corrupt") removeQuietly(file);
    if (read.kind !== "entry" || isExpired(read.receivedAt, this.maxAgeMs, Date.now())) return undefined;
    return { result: read.entry.result, receivedAt: new Date(read.receivedAt) };
  }

  /** Stores an answer received now. A failed write loses only this entry: the run goes on (one warning). */
  set(key: string, result: CompletionResult): void {
    const file = this.fileFor(key);
    const entry: StoredEntry = { receivedAt: new Date().toISOString(), result };
    try {
      ensureDir(path.dirname(file));
      // Never write through a fan-out directory that is a link to somewhere else.
      if (!isRealDirectory(path.dirname(file))) throw new Error(`${path.dirname(file)} is not a directory`);
      writeFileAtomic(file, secretFreeJson(entry), { durable: false });
    } catch (error) {
      if (!this.warned) process.stderr.write(`warning: could not write to the response cache ${this.dir}: ${errorMessage(error)}; answers are not cached\n`);
      this.warned = true;
    }
  }

  private fileFor(key: string): string {
    return path.join(this.dir, key.slice(0, 2), `${key.slice(2)}.json`);
  }
}

/**
 * Resolves a cache directory and refuses one that looks wrong: a file, a filesystem root, the home directory or
 * one of its parents (cache commands delete files there). `source` names where the directory came from, for the
 * message. With `create`, a missing directory is created and must be writable.
 */
export function openCacheDir(dir: string, source: string, { create }: { create: boolean }): string {
  const resolved = path.resolve(dir);
  const where = `${source} ${dir}`;
  let stat: Stats | undefined;
  try {
    stat = statSync(resolved, { throwIfNoEntry: false });
  } catch (error) {
    throw new InputError(`${where}: ${osReason(error)}; point --cache-dir at a directory, or run with --no-cache`);
  }
  if (stat && !stat.isDirectory()) throw new InputError(`${where}: not a directory; point --cache-dir at a directory, or run with --no-cache`);
  const real = stat ? realpathSync(resolved) : resolved;
  if (looksWrong(real)) {
    throw new InputError(
      `${where}: refusing to use ${real} as the response cache (a filesystem root or home directory); point --cache-dir at a directory of its own, e.g. ~/.cache/modelpick`,
    );
  }
  if (create) {
    try {
      ensureDir(real); // not mkdirSync's recursive mode: it loops forever under /proc
      accessSync(real, constants.W_OK);
    } catch (error) {
      throw new InputError(`${where}: cannot write the cache directory (${osReason(error)}); choose another with --cache-dir, or run with --no-cache`);
    }
  }
  return real;
}

function osReason(error: unknown): string {
  return isFsError(error) ? reasonOf(error.code) : errorMessage(error);
}

function looksWrong(dir: string): boolean {
  if (path.parse(dir).root === dir) return true;
  const home = path.resolve(homedir());
  let realHome = home;
  try {
    realHome = realpathSync(home);
  } catch {
    // A home directory that does not exist cannot be the cache.
  }
  return [home, realHome].some((h) => h === dir || h.startsWith(dir + path.sep));
}

export interface CacheStats {
  dir: string;
  /** Entry files (named as the cache names them). */
  entries: number;
  /** Their total size in bytes. */
  bytes: number;
  /** Dates of the oldest and newest answers (ISO), null when there is no dated entry. */
  oldest: string | null;
  newest: string | null;
  /** Entries older than maxCacheAgeMs, including undated ones (written before entries carried a date). */
  expired: number;
  maxCacheAgeMs: number;
  undated: number;
  /** Entries that are not a cache entry (they are misses, removed when met). */
  corrupt: number;
  /** Entries that could not be read (permissions, not a regular file). */
  unreadable: number;
  /** Temporary files left by a run killed while writing an entry. */
  tempFiles: number;
}

/** Walks the cache and counts; streams the listing, so memory stays flat however many entries there are. */
export async function cacheStats(dir: string, maxCacheAgeMs: number = DEFAULT_MAX_CACHE_AGE_MS): Promise<CacheStats> {
  const stats: CacheStats = {
    dir,
    entries: 0,
    bytes: 0,
    oldest: null,
    newest: null,
    expired: 0,
    maxCacheAgeMs,
    undated: 0,
    corrupt: 0,
    unreadable: 0,
    tempFiles: 0,
  };
  const now = Date.now();
  let oldest = Infinity;
  let newest = -Infinity;
  await walkCache(dir, (file, kind) => {
    if (kind === "temp") {
      stats.tempFiles++;
      return;
    }
    stats.entries++;
    const read = readEntry(file);
    if (read.kind === "unreadable") {
      stats.unreadable++;
      return;
    }
    stats.bytes += read.bytes;
    if (read.kind === "corrupt") stats.corrupt++;
    else if (read.kind === "undated") stats.undated++;
    else {
      oldest = Math.min(oldest, read.receivedAt);
      newest = Math.max(newest, read.receivedAt);
    }
    if (read.kind !== "corrupt" && (read.kind === "undated" || isExpired(read.receivedAt, maxCacheAgeMs, now))) stats.expired++;
  });
  if (Number.isFinite(oldest)) stats.oldest = new Date(oldest).toISOString();
  if (Number.isFinite(newest)) stats.newest = new Date(newest).toISOString();
  return stats;
}

export interface ClearResult {
  dir: string;
  removed: number;
  bytes: number;
  /** Entries left because they could not be read (so their age is unknown). */
  unreadable: number;
}

/**
 * Removes cache entries: all of them, or with `olderThanMs` those received longer ago than that (undated, corrupt
 * and future-dated entries count as old). Only files named as the cache names them are touched, in real directories of the
 * cache (never through a symbolic link); emptied fan-out directories are removed.
 */
export async function clearCache(dir: string, { olderThanMs }: { olderThanMs?: number } = {}): Promise<ClearResult> {
  const result: ClearResult = { dir, removed: 0, bytes: 0, unreadable: 0 };
  const now = Date.now();
  await walkCache(
    dir,
    (file, kind) => {
      let bytes: number;
      if (olderThanMs === undefined || kind === "temp") {
        const stat = lstatSync(file, { throwIfNoEntry: false });
        if (!stat?.isFile()) return;
        if (olderThanMs !== undefined && now - stat.mtimeMs <= olderThanMs) return;
        bytes = stat.size;
      } else {
        const read = readEntry(file);
        if (read.kind === "unreadable") {
          result.unreadable++;
          return;
        }
        if (read.kind === "entry" && !isExpired(read.receivedAt, olderThanMs, now)) return;
        bytes = read.bytes;
      }
      if (removeQuietly(file)) {
        result.removed++;
        result.bytes += bytes;
      }
    },
    (fanOutDir) => {
      try {
        rmdirSync(fanOutDir);
      } catch {
        // Not empty (entries kept, or files that are not ours): leave it.
      }
    },
  );
  return result;
}

type FileKind = "entry" | "temp";
const FAN_OUT_DIR = /^[0-9a-f]{2}$/;
const ENTRY_FILE = /^[0-9a-f]{62}\.json$/;
/** Temporary files of writeFileAtomic (`.name.pid.stamp.tmp`) and of older modelpick versions (`name.pid.tmp`). */
const TEMP_FILE = /^(\.[0-9a-f]{62}\.json\.\d+\.[0-9a-z]+|[0-9a-f]{62}\.json\.\d+)\.tmp$/;

/**
 * Calls `onFile` for every regular file of the cache's own naming, in real fan-out directories (symbolic links are
 * never followed), then `afterDir` for each fan-out directory. Listings are streamed, never loaded whole.
 */
async function walkCache(dir: string, onFile: (file: string, kind: FileKind) => void, afterDir?: (fanOutDir: string) => void): Promise<void> {
  const top = await openDirOrNull(dir);
  if (!top) return;
  for await (const fanOut of top) {
    if (!fanOut.isDirectory() || !FAN_OUT_DIR.test(fanOut.name)) continue;
    const fanOutDir = path.join(dir, fanOut.name);
    const listing = await openDirOrNull(fanOutDir);
    if (!listing) continue;
    for await (const entry of listing) {
      const kind = kindOf(entry);
      if (kind) onFile(path.join(fanOutDir, entry.name), kind);
    }
    afterDir?.(fanOutDir);
  }
}

function kindOf(entry: Dirent): FileKind | null {
  if (!entry.isFile()) return null;
  if (ENTRY_FILE.test(entry.name)) return "entry";
  return TEMP_FILE.test(entry.name) ? "temp" : null;
}

async function openDirOrNull(dir: string) {
  try {
    return await opendir(dir, { bufferSize: 256 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw new InputError(`${dir}: cannot list the cache directory (${errorMessage(error)})`);
  }
}

type ReadEntry =
  | { kind: "entry"; entry: StoredEntry; receivedAt: number; bytes: number }
  | { kind: "undated"; bytes: number }
  | { kind: "corrupt"; bytes: number }
  | { kind: "unreadable" };

/** Reads one entry file without following a symbolic link and without blocking on a FIFO. */
function readEntry(file: string): ReadEntry {
  let text: string;
  try {
    const fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    try {
      if (!fstatSync(fd).isFile()) return { kind: "unreadable" };
      text = readFileSync(fd, "utf8");
    } finally {
      closeSync(fd);
    }
  } catch {
    return { kind: "unreadable" };
  }
  const bytes = Buffer.byteLength(text);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { kind: "corrupt", bytes };
  }
  if (!isObject(parsed)) return { kind: "corrupt", bytes };
  if (isAnswer(parsed) && !("receivedAt" in parsed)) return { kind: "undated", bytes };
  const receivedAt = typeof parsed.receivedAt === "string" ? Date.parse(parsed.receivedAt) : NaN;
  if (!Number.isFinite(receivedAt) || !isAnswer(parsed.result)) return { kind: "corrupt", bytes };
  return { kind: "entry", entry: parsed as unknown as StoredEntry, receivedAt, bytes };
}

/** Expired when older than the maximum age, or dated in the future (a date that cannot be trusted). */
function isExpired(receivedAt: number, maxAgeMs: number, now: number): boolean {
  const age = now - receivedAt;
  return age > maxAgeMs || age < -FUTURE_TOLERANCE_MS;
}

/** Clocks of machines sharing a cache may disagree a little. */
const FUTURE_TOLERANCE_MS = 60_000;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isAnswer(value: unknown): value is CompletionResult {
  return isObject(value) && typeof value.output === "string";
}

function isRealDirectory(dir: string): boolean {
  return lstatSync(dir, { throwIfNoEntry: false })?.isDirectory() === true;
}

/** Unlinks a file (a symbolic link itself, never its target); false when it was already gone or cannot be removed. */
function removeQuietly(file: string): boolean {
  try {
    unlinkSync(file);
    return true;
  } catch {
    return false;
  }
}
