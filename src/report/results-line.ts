import { existsSync, lstatSync, readFileSync, realpathSync, statSync } from "node:fs";
import path from "node:path";
import { shownPath } from "../io/fs-errors.js";
import { terminalSafe } from "../io/terminal.js";

/**
 * One line saying which results a command reads and when that run finished, so that nobody silently reads an older
 * run: "Results: reports/latest → reports/2026-11-30T12-00-00Z (run 2026-…, finished 2026-11-30 12:01 UTC)".
 * `dir` is a results directory (or its results.jsonl); never throws.
 */
export function resultsLine(dir: string, cwd: string = process.cwd()): string {
  const shown = shownDir(dir, cwd);
  if (!existsSync(dir)) return terminalSafe(`Results: ${shown} (not found)`);
  const base = statSync(dir).isFile() ? path.dirname(dir) : dir;
  // The run's id and dates come from files anyone may have written: printed escaped, like every name from data.
  return terminalSafe(`Results: ${shown} (${describeRun(base)})`);
}

/** Relative to the working directory when under it, else absolute; a symbolic link with where it points. */
function shownDir(dir: string, cwd: string): string {
  try {
    if (lstatSync(dir).isSymbolicLink()) return `${shownPath(dir, cwd)} → ${shownPath(realpathSync(dir), cwd)}`;
  } catch {
    // missing: shown as given
  }
  return shownPath(dir, cwd);
}

function describeRun(dir: string): string {
  const summaryFile = path.join(dir, "summary.json");
  const summary = readRun(summaryFile);
  if (summary) return `run ${summary.id ?? "without an id"}, ${summary.endedAt ? `finished ${utc(summary.endedAt)}` : "date unknown"}`;
  const started = readRun(path.join(dir, "run.json"));
  const missing = existsSync(summaryFile) ? "summary.json unreadable" : "no summary.json";
  if (started) return `run ${started.id ?? "without an id"}, started ${utc(started.startedAt ?? "")}, not finished: ${missing}`;
  const results = path.join(dir, "results.jsonl");
  if (existsSync(results)) {
    return `${missing}: an unfinished or hand-made run; results.jsonl last written ${utc(statSync(results).mtime.toISOString())}`;
  }
  return "no results.jsonl";
}

/** Summaries are small; anything else (a FIFO, a device, a huge file) is not read, so the line never hangs. */
const MAX_SUMMARY_BYTES = 64 * 1024 * 1024;

function readRun(file: string): { id?: string; startedAt?: string; endedAt?: string } | null {
  try {
    const stats = statSync(file);
    if (!stats.isFile() || stats.size > MAX_SUMMARY_BYTES) return null;
    const parsed = JSON.parse(readFileSync(file, "utf8")) as { run?: unknown; id?: unknown };
    const run = (parsed.run ?? parsed) as Record<string, unknown>;
    const text = (key: string) => (typeof run[key] === "string" ? (run[key] as string) : undefined);
    return { id: text("id"), startedAt: text("startedAt"), endedAt: text("endedAt") };
  } catch {
    return null;
  }
}

/** "2026-11-30T12:01:07.123Z" → "2026-11-30 12:01 UTC"; anything else as given. */
function utc(iso: string): string {
  const time = Date.parse(iso);
  if (!Number.isFinite(time) || !/T/.test(iso)) return iso || "date unknown";
  return `${new Date(time).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}
