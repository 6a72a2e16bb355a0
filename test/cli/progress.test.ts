import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { startProgress, type ProgressStream } from "../../src/cli/progress.js";
import type { Progress } from "../../src/runner/run.js";

function stubStream(isTTY: boolean, columns: number | undefined): ProgressStream & { written: string[] } {
  const written: string[] = [];
  return { isTTY, columns, written, write: (text: string) => written.push(text) };
}

/** Simulates a run of `rows` rows, one every `everyMs`, against fake timers. */
function run(stream: ProgressStream, rows: number, everyMs: number): void {
  const progress: Progress = { done: 0, total: rows, errors: 0, skipped: 0, cached: 0, startedAt: Date.now() };
  const view = startProgress(false, stream);
  for (let i = 0; i < rows; i++) {
    vi.advanceTimersByTime(everyMs);
    progress.done++;
    view.update(progress);
  }
  view.stop();
}

describe("progress", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  for (const [what, columns] of [
    ["0 columns", 0],
    ["no width", undefined],
    ["5 columns", 5],
  ] as const) {
    it(`a terminal with ${what} gets a plain line every 5 s, with no escape codes`, () => {
      const stream = stubStream(true, columns);
      run(stream, 6000, 10); // 60 s
      expect(stream.written.length).toBeGreaterThanOrEqual(12);
      expect(stream.written.length).toBeLessThanOrEqual(13);
      for (const line of stream.written) expect(line).toMatch(/^\d+\/6000 done · 0 errors · 0 skipped( · ETA \d+s)?\n$/);
      expect(stream.written.at(-1)).toBe("6000/6000 done · 0 errors · 0 skipped\n");
    });
  }

  it("a terminal is redrawn in place at most 5 times a second, one line cut to its width, and cleared at the end", () => {
    const stream = stubStream(true, 30);
    run(stream, 60_000, 1); // 60,000 rows in 60 s
    expect(stream.written.length).toBeLessThanOrEqual(60 * 5 + 1);
    expect(stream.written.length).toBeGreaterThan(60 * 4);
    for (const write of stream.written.slice(0, -1)) {
      expect(write).toMatch(/^\r[^\n\r]{1,29}\x1b\[K$/);
    }
    expect(stream.written.at(-1)).toBe("\r\x1b[K");
    expect(stream.written.join("").length).toBeLessThan(60 * 5 * 40);
  });

  it("a terminal that shrinks to 0 columns mid-run switches to plain lines", () => {
    const stream = stubStream(true, 80);
    const progress: Progress = { done: 0, total: 10, errors: 0, skipped: 0, cached: 0, startedAt: Date.now() };
    const view = startProgress(false, stream);
    vi.advanceTimersByTime(1000);
    expect(stream.written.at(-1)).toMatch(/^\r. starting…\x1b\[K$/);
    stream.columns = 0;
    vi.advanceTimersByTime(1000);
    expect(stream.written.at(-1)).toBe("\r\x1b[K");
    const before = stream.written.length;
    vi.advanceTimersByTime(10_000);
    expect(stream.written.length).toBe(before);
    progress.done = 10;
    view.update(progress);
    view.stop();
    expect(stream.written.slice(before)).toEqual(["10/10 done · 0 errors · 0 skipped\n"]);
  });

  it("writes plain lines when stderr is not a terminal, and nothing with --json", () => {
    const pipe = stubStream(false, undefined);
    run(pipe, 100, 100); // 10 s
    expect(pipe.written).toEqual(["50/100 done · 0 errors · 0 skipped · ETA 5s\n", "100/100 done · 0 errors · 0 skipped\n"]);
    const quiet = stubStream(true, 80);
    const view = startProgress(true, quiet);
    view.update({ done: 1, total: 1, errors: 0, skipped: 0, cached: 0, startedAt: Date.now() });
    view.stop();
    expect(quiet.written).toEqual([]);
  });
});
