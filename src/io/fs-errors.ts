import path from "node:path";
import { getSystemErrorMap } from "node:util";

/**
 * Filesystem and environment errors (a full disk, a path that is a directory, a read-only mount, a corrupt gzip
 * stream…) are the user's to fix, not bugs: the CLI prints them as one plain line naming the path and the OS reason,
 * and exits 2. Everything here decides on `error.code`, never on the message text.
 */

/** errno codes that mean "this path or this disk cannot be used as asked". */
const FS_CODES = new Set([
  "ENOENT",
  "EACCES",
  "EPERM",
  "EISDIR",
  "ENOTDIR",
  "EEXIST",
  "ENOTEMPTY",
  "ENOSPC",
  "EDQUOT",
  "EROFS",
  "EMFILE",
  "ENFILE",
  "ELOOP",
  "ENAMETOOLONG",
  "EIO",
  "EFBIG",
  "EBUSY",
  "ETXTBSY",
  "ENXIO",
  "ENODEV",
  "EXDEV",
  "ENOTSUP",
  "EOPNOTSUPP",
]);

/** zlib's codes for a stream that is not gzip, or is cut short. */
const GZIP_CODES = new Set(["Z_DATA_ERROR", "Z_BUF_ERROR", "Z_NEED_DICT", "Z_STREAM_ERROR"]);

/** Plainer words than libuv's for the common cases; the rest use libuv's own description. */
const REASONS: Record<string, string> = {
  EISDIR: "it is a directory",
  ENOTDIR: "a part of the path is not a directory",
  EEXIST: "a file with that name is already there",
  ENOTEMPTY: "the directory is not empty",
  ELOOP: "too many levels of symbolic links",
  EPIPE: "the reader closed the pipe",
};

export type FsAction = "read" | "write" | "create directory" | "open" | "lock";

interface Note {
  file?: string;
  action?: FsAction;
  hint?: string;
  /** A message already worded (an error that crossed from a worker thread). */
  text?: string;
}

const notes = new WeakMap<object, Note>();

export interface FsError extends Error {
  code: string;
  path?: string;
  dest?: string;
  syscall?: string;
}

/** A filesystem or environment error the user can act on (decided on its code). */
export function isFsError(error: unknown): error is FsError {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" && (FS_CODES.has(code) || GZIP_CODES.has(code) || notes.get(error)?.text !== undefined);
}

/**
 * Adds what the place that caught the error knows: the file (the one the user named, not a temporary file), what
 * was being done to it, and what to do about it. The innermost file and action win; hints accumulate, outermost last.
 */
export function annotateFsError<E>(error: E, note: Note): E {
  if (!(error instanceof Error)) return error;
  const previous = notes.get(error) ?? {};
  notes.set(error, {
    file: previous.file ?? note.file,
    action: previous.action ?? note.action,
    text: previous.text ?? note.text,
    hint: [previous.hint, note.hint].filter(Boolean).join("; ") || undefined,
  });
  return error;
}

/** Runs `work`, annotating any filesystem error it throws with the file and action. */
export function onFile<T>(file: string, action: FsAction, work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (isFsError(error)) annotateFsError(error, { file, action });
    throw error;
  }
}

/** "cannot write reports/x/results.jsonl: no space left on device; <hint>" */
export function describeFsError(error: FsError, cwd = process.cwd()): string {
  const note = notes.get(error) ?? {};
  const base = note.text ?? worded(error, note, cwd);
  return note.hint ? `${base}; ${note.hint}` : base;
}

function worded(error: FsError, note: Note, cwd: string): string {
  const file = note.file ?? (error.syscall === "rename" || error.syscall === "link" ? error.dest : undefined) ?? error.path;
  const action = note.action ?? actionOf(error);
  const what = file === undefined ? "" : ` ${shownPath(file, cwd)}`;
  return `cannot ${action}${what}: ${reasonOf(error.code)}`;
}

function actionOf(error: FsError): FsAction {
  if (GZIP_CODES.has(error.code)) return "read";
  switch (error.syscall) {
    case "mkdir":
      return "create directory";
    case "open":
      return "open";
    case "read":
    case "scandir":
    case "opendir":
    case "stat":
    case "lstat":
    case "access":
    case "readlink":
      return "read";
    default:
      return "write";
  }
}

export function reasonOf(code: string): string {
  if (GZIP_CODES.has(code)) return "not a valid gzip file (corrupt or cut short)";
  return REASONS[code] ?? systemReasons().get(code) ?? code;
}

let systemReasonCache: Map<string, string> | undefined;
function systemReasons(): Map<string, string> {
  systemReasonCache ??= new Map([...getSystemErrorMap().values()].map(([name, message]) => [name, message]));
  return systemReasonCache;
}

/** A path as the user would type it: relative to the working directory when inside it. */
export function shownPath(file: string, cwd = process.cwd()): string {
  const relative = path.relative(cwd, path.resolve(cwd, file));
  return relative === "" ? "." : relative.startsWith("..") || path.isAbsolute(relative) ? path.resolve(cwd, file) : relative;
}

/** What a worker thread sends back for a filesystem error, and how the main thread rebuilds it. */
export interface FsErrorData {
  code: string;
  text: string;
}

export function fsErrorData(error: FsError): FsErrorData {
  return { code: error.code, text: describeFsError(error) };
}

export function fsErrorFromData(data: FsErrorData): FsError {
  const error = Object.assign(new Error(data.text), { code: data.code }) as FsError;
  return annotateFsError(error, { text: data.text });
}
