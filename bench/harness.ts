import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { stringify } from "yaml";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));
const BIN = path.join(ROOT, "bin", "modelpick.js");
const PRELOAD = path.join(ROOT, "bench", "peak-rss.cjs");
/** A made-up API key of a real key's length, for the models of bench projects that name MODELPICK_BENCH_KEY. */
const BENCH_KEY = "sk-bench-0123456789abcdefghijklmnopqrstuvwxyzABCDEF";

export interface Measured {
  wallMs: number;
  peakRssMb: number;
  /** CPU time of the process, all threads, user + system. */
  cpuMs: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI in a child process and measures its wall time and peak RSS. */
export function measureCli(args: string[], cwd: string): Promise<Measured> {
  const rssFile = path.join(mkdtempSync(path.join(tmpdir(), "modelpick-rss-")), "rss");
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ["--require", PRELOAD, BIN, ...args], {
      cwd,
      env: { ...process.env, MODELPICK_BENCH_RSS_FILE: rssFile, NO_COLOR: "1", MODELPICK_BENCH_KEY: BENCH_KEY },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d));
    child.stderr.on("data", (d: Buffer) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => {
      const wallMs = performance.now() - started;
      let peakRssMb = NaN;
      let cpuMs = NaN;
      try {
        const [peakKb, cpu] = readFileSync(rssFile, "utf8").split(" ").map(Number);
        peakRssMb = peakKb! / 1024;
        cpuMs = cpu!;
      } catch {
        // The process died before it could report.
      }
      resolve({ wallMs, peakRssMb, cpuMs, code, stdout, stderr });
    });
  });
}

/** A temporary project with `count` exact-scored items and the given models. */
export function benchProject(count: number, models: Array<Record<string, unknown>>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "modelpick-bench-"));
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    lines.push(JSON.stringify({ id: `b${i}`, category: `cat${i % 6}`, input: `question ${i}`, expected: `echo: question ${i}` }));
  }
  writeFileSync(path.join(dir, "tasks.jsonl"), lines.join("\n") + "\n");
  writeFileSync(path.join(dir, "modelpick.yaml"), stringify({ dataset: "tasks.jsonl", models }));
  return dir;
}

export function report(name: string, value: string, target: string, ok: boolean): void {
  console.log(`${ok ? "PASS" : "MISS"}  ${name.padEnd(58)} ${value.padEnd(24)} target ${target}`);
}

export const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
