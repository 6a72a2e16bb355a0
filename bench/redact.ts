/**
 * Micro-benchmark of secret redaction on the eval hot path: per result row, the answer is redacted where it enters
 * the run and the row's strings again where it is written. Run: npx tsx bench/redact.ts
 */
import { randomBytes } from "node:crypto";
import { redactSecrets, registerSecrets, secretFreeJson } from "../src/io/secrets.js";
import type { ResultRow } from "../src/results/row.js";

const words = "the model answered the question about capital cities and rivers with a short paragraph".split(" ");
function answer(chars: number): string {
  let text = "";
  for (let i = 0; text.length < chars; i++) text += `${words[i % words.length]} `;
  return text.slice(0, chars);
}

function row(output: string, i: number): ResultRow {
  return {
    itemId: `mmlu-pro-${i}`,
    model: "gpt-4o-mini",
    category: "reasoning",
    output,
    score: 1,
    passed: true,
    error: null,
    skipped: null,
    latencyMs: 812.4,
    ttftMs: 301.2,
    inputTokens: 512,
    outputTokens: 180,
    costUsd: 0.000184,
    cached: false,
    attempts: 1,
  };
}

/** The best of several rounds: on a shared machine the slower rounds measure the neighbours. */
function perCall(label: string, runs: number, work: (i: number) => unknown): void {
  let best = Infinity;
  for (let round = 0; round < 7; round++) {
    const started = process.hrtime.bigint();
    for (let i = 0; i < runs; i++) work(i);
    best = Math.min(best, Number(process.hrtime.bigint() - started) / runs);
  }
  console.log(`${label.padEnd(58)} ${(best / 1000).toFixed(2)} µs`);
}

const RUNS = 5_000;
const cases = [200, 1000, 4000].map((chars) => {
  const output = answer(chars);
  return { output, rows: Array.from({ length: 64 }, (_, i) => row(output, i)) };
});
for (const { output, rows } of cases) {
  perCall(`answer ${output.length} chars: JSON.stringify(row), for comparison`, RUNS, (i) => JSON.stringify(rows[i % 64]));
  perCall(`answer ${output.length} chars, no secrets: secretFreeJson(row)`, RUNS, (i) => secretFreeJson(rows[i % 64]));
}
registerSecrets([`sk-proj-${randomBytes(24).toString("base64url")}`, `sk-ant-api03-${randomBytes(40).toString("base64url")}`]);
for (const { output, rows } of cases) {
  perCall(`answer ${output.length} chars, 2 keys: redactSecrets(answer)`, RUNS, () => redactSecrets(output));
  perCall(`answer ${output.length} chars, 2 keys: secretFreeJson(row)`, RUNS, (i) => secretFreeJson(rows[i % 64]));
}
