import type { Progress } from "../runner/run.js";

export interface ProgressView {
  update(progress: Progress): void;
  stop(): void;
}

/** What progress needs of its stream: process.stderr, or a stand-in. */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** Narrower terminals, and those that report 0 or no width, get plain lines instead of a live line. */
const MIN_COLUMNS = 20;
/** The live line is redrawn at most this often: a few hundred bytes a second, whatever the run does. */
const REDRAW_MS = 200;
const PLAIN_EVERY_MS = 5000;
const FRAMES = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏";

/**
 * A spinner line with done/total, errors and ETA on a terminal, redrawn in place on a timer; a plain line every few
 * seconds otherwise, and whenever the terminal's width is unknown or too small to redraw a line in place.
 */
export function startProgress(quiet: boolean, stream: ProgressStream = process.stderr): ProgressView {
  if (quiet) return { update() {}, stop() {} };
  let last: Progress | null = null;
  let lastPlain = Date.now();
  let frame = 0;
  let onScreen = false;
  const live = () => stream.isTTY === true && (stream.columns ?? 0) >= MIN_COLUMNS;
  const clear = () => {
    if (onScreen) stream.write("\r\x1b[K");
    onScreen = false;
  };
  const draw = () => {
    if (!live()) return clear();
    const text = `${FRAMES[frame++ % FRAMES.length]} ${last ? describe(last) : "starting…"}`;
    // One line, cut to the width, so that a redraw never wraps and always replaces exactly what is there.
    stream.write(`\r${text.slice(0, stream.columns! - 1)}\x1b[K`);
    onScreen = true;
  };
  const timer = stream.isTTY === true ? setInterval(draw, REDRAW_MS) : undefined;
  timer?.unref();
  return {
    update(progress) {
      last = progress;
      if (live()) return; // the timer draws
      const now = Date.now();
      if (now - lastPlain >= PLAIN_EVERY_MS || progress.done === progress.total) {
        lastPlain = now;
        stream.write(`${describe(progress)}\n`);
      }
    },
    stop() {
      clearInterval(timer);
      clear();
    },
  };
}

function describe(p: Progress): string {
  const elapsed = (Date.now() - p.startedAt) / 1000;
  const rate = p.done / Math.max(elapsed, 0.001);
  // An ETA from the first second or first few rows is noise.
  const eta = elapsed >= 1 && p.done >= 5 && p.total > p.done ? ` · ETA ${formatSeconds((p.total - p.done) / rate)}` : "";
  const cached = p.cached > 0 ? ` · ${p.cached} cached` : "";
  return `${p.done}/${p.total} done · ${p.errors} errors · ${p.skipped} skipped${cached}${eta}`;
}

function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${Math.ceil(seconds)}s`;
  const minutes = Math.floor(seconds / 60);
  return minutes < 60 ? `${minutes}m${Math.round(seconds % 60)}s` : `${Math.floor(minutes / 60)}h${minutes % 60}m`;
}
