import { randomBytes } from "node:crypto";
import { closeSync, existsSync, linkSync, openSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import { hostname } from "node:os";
import path from "node:path";
import { InputError } from "../errors.js";
import { writeAll } from "./atomic.js";
import { onFile, shownPath } from "./fs-errors.js";

/** The lock a run or an import holds on its output directory, so two of them never write one directory at once. */
export const LOCK_FILE = ".modelpick.lock";

interface LockHolder {
  pid: number;
  hostname: string;
  startedAt: string;
  /** What holds it, e.g. "modelpick eval". */
  command: string;
  args: string[];
}

export interface DirLock {
  /** Set when a lock left by a process that is gone was taken over: say so to the user. */
  readonly note: string | undefined;
  /** Removes the lock (also done on exit, SIGINT and SIGTERM); safe to call more than once. */
  release(): void;
}

/** Tries to take a lock that keeps being released and taken by others before giving up (a bound, never a spin). */
const MAX_ATTEMPTS = 5;
const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

/**
 * Takes `dir/.modelpick.lock`, created exclusively. A lock whose process is gone (same host, pid no longer alive) is
 * taken over; one held by a live process, or by another host (whose processes cannot be checked from here), is
 * refused with an InputError naming the holder and how to clear it. Costs one file create and one delete per run.
 */
export function lockDir(dir: string, command: string): DirLock {
  const file = path.join(dir, LOCK_FILE);
  const me: LockHolder = { pid: process.pid, hostname: hostname(), startedAt: new Date().toISOString(), command, args: process.argv.slice(2) };
  let note: string | undefined;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const ino = onFile(file, "lock", () => create(file, `${JSON.stringify(me)}\n`));
    if (ino !== undefined) return held(file, ino, note);
    const found = readHolder(file);
    if (found === "gone") continue; // released between our create and our read: try again
    if (found === "unreadable") {
      throw new InputError(
        `${shownPath(dir)} is locked by ${shownPath(file)}, which cannot be read; if no modelpick command is writing to ${shownPath(dir)}, remove that file`,
      );
    }
    const { holder, ino: staleIno } = found;
    if (holder.hostname !== me.hostname) {
      throw new InputError(
        `${shownPath(dir)} is in use by ${who(holder)} on host ${holder.hostname}; its process cannot be checked from here: wait for it, or remove ${shownPath(file)} if that run is over`,
      );
    }
    if (isAlive(holder.pid)) {
      throw new InputError(`${shownPath(dir)} is in use by ${who(holder)}; wait for it, or remove ${shownPath(file)} if that process is gone`);
    }
    takeOver(file, staleIno);
    note = `took over ${shownPath(file)}, left by ${who(holder)}, which is no longer running`;
  }
  throw new InputError(`${shownPath(dir)}: could not take ${shownPath(file)} after ${MAX_ATTEMPTS} tries, other commands keep taking it; run one at a time`);
}

/** Creates the lock whole (written aside, then hard-linked into place) and returns its inode; undefined if taken. */
function create(file: string, text: string): number | undefined {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  const fd = openSync(tmp, "wx");
  try {
    writeAll(fd, text);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(tmp, file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST") return undefined;
    if (!NO_HARD_LINKS.has(code ?? "")) throw error;
    // No hard links here: rename cannot refuse to replace, so look first (a small window, but never a torn lock).
    if (existsSync(file)) return undefined;
    renameSync(tmp, file);
  } finally {
    rmSync(tmp, { force: true });
  }
  return statSync(file).ino;
}

/** Filesystems without hard links (some network and FUSE mounts) answer link() with these. */
const NO_HARD_LINKS = new Set(["EPERM", "ENOTSUP", "EOPNOTSUPP", "ENOSYS"]);

function readHolder(file: string): { holder: LockHolder; ino: number } | "gone" | "unreadable" {
  let text: string;
  let ino: number;
  try {
    ino = statSync(file).ino;
    text = readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return "gone";
    throw error;
  }
  try {
    const holder = JSON.parse(text) as LockHolder;
    if (typeof holder.pid === "number" && typeof holder.hostname === "string") return { holder, ino };
  } catch {
    // reported below
  }
  return "unreadable";
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM"; // alive, but another user's
  }
}

/**
 * Moves the stale lock aside and removes it. Two commands may take over the same stale lock at once: the inode tells
 * whether what was moved is still the stale lock, or a fresh one the other just made, which is put back.
 */
function takeOver(file: string, staleIno: number): void {
  const aside = `${file}.stale.${process.pid}.${randomBytes(4).toString("hex")}`;
  try {
    renameSync(file, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw error;
  }
  try {
    if (statSync(aside).ino !== staleIno) linkSync(aside, file);
  } catch {
    // someone took the lock meanwhile: theirs stands, and the next attempt sees it
  } finally {
    rmSync(aside, { force: true });
  }
}

function held(file: string, ino: number, note: string | undefined): DirLock {
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off("exit", release);
    for (const signal of SIGNALS) process.off(signal, onSignal);
    try {
      if (statSync(file).ino === ino) rmSync(file, { force: true });
    } catch {
      // already gone
    }
  };
  // Release, then let the signal do what it would have done: end the process, unless someone else handles it.
  const onSignal = (signal: NodeJS.Signals) => {
    release();
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  process.on("exit", release);
  for (const signal of SIGNALS) process.on(signal, onSignal);
  return { note, release };
}

function who(holder: LockHolder): string {
  return `${holder.command} (pid ${holder.pid}, started ${shownTime(holder.startedAt)})`;
}

/** "12:01:05 UTC" today, "2025-01-31 12:01:05 UTC" on another day. */
function shownTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "at an unknown time";
  const [day, time] = date.toISOString().slice(0, 19).split("T") as [string, string];
  return day === new Date().toISOString().slice(0, 10) ? `${time} UTC` : `${day} ${time} UTC`;
}
