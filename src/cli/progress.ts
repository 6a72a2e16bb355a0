import type { Progress } from "../runner/run.js";

export interface ProgressView {
  update(progress: Progress): void;
  stop(): void;
}

/** A spinner with done/total, errors and ETA on a terminal; a plain line every few seconds otherwise. */
export function startProgress(quiet: boolean): ProgressView {
  if (quiet) return { update() {}, stop() {} };
  const tty = process.stderr.isTTY === true;
  let last: Progress | null = null;
  let spinner: { text: string; stop(): void } | null = null;
  let lastPlain = Date.now();
  if (tty) {
    void import("ora").then(({ default: ora }) => {
      spinner = ora({ text: "starting…", stream: process.stderr }).start();
      if (last) spinner.text = describe(last);
    });
  }
  return {
    update(progress) {
      last = progress;
      if (spinner) {
        spinner.text = describe(progress);
      } else if (!tty) {
        const now = Date.now();
        if (now - lastPlain >= 5000 || progress.done === progress.total) {
          lastPlain = now;
          process.stderr.write(`${describe(progress)}\n`);
        }
      }
    },
    stop() {
      spinner?.stop();
      spinner = null;
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
