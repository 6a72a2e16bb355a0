#!/usr/bin/env node
// Rebuilds datasets/mmlu-pro/ from the MMLU-Pro per-item data (TIGER-AI-Lab/MMLU-Pro, Apache-2.0):
//   node scripts/build-mmlu-pro.mjs <folder with mmlu_pro_questions.jsonl.gz and mmlu_pro_per_item_9models.csv>
// Token counts are ESTIMATES (characters / 4): the source records answer lengths in characters, not tokens, and
// not the 5-shot prompt that was actually sent, so input estimates cover the question and options only.
import { createReadStream, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import { createGunzip, gzipSync } from "node:zlib";
import { parse } from "csv-parse/sync";
import { readFileSync } from "node:fs";

const source = process.argv[2] ?? "../shared/data/mmlu-pro";
const out = path.resolve("datasets/mmlu-pro");
const LETTERS = "ABCDEFGHIJ";
const estimate = (chars) => Math.ceil(chars / 4);

const items = [];
const inputChars = new Map();
const lines = createInterface({ input: createReadStream(path.join(source, "mmlu_pro_questions.jsonl.gz")).pipe(createGunzip()) });
for await (const line of lines) {
  if (!line.trim()) continue;
  const q = JSON.parse(line);
  const options = q.options.map((o, i) => `${LETTERS[i]}. ${o}`).join("\n");
  const input = `${q.question}\n\n${options}\n\nThink step by step, then finish with "The answer is (X)" where X is the letter of the correct option.`;
  inputChars.set(String(q.question_id), q.question.length + options.length);
  items.push({ id: String(q.question_id), category: q.category, input, expected: q.answer, scorer: "choice", tags: [q.src] });
}
mkdirSync(path.join(out, "recorded"), { recursive: true });
writeFileSync(path.join(out, "questions.jsonl.gz"), gzipSync(items.map((i) => JSON.stringify(i)).join("\n") + "\n", { level: 9 }));

const rows = parse(readFileSync(path.join(source, "mmlu_pro_per_item_9models.csv")), { columns: true });
const models = Object.keys(rows[0])
  .filter((c) => c.endsWith("|pred"))
  .map((c) => c.slice(0, -5));
const accuracy = {};
for (const model of models) {
  const csv = ["itemId,output,score,inputTokens,outputTokens,tokensEstimated"];
  let correct = 0;
  for (const row of rows) {
    const answered = row[`${model}|correct`] !== "";
    const score = answered ? Number(row[`${model}|correct`]) : 0; // unanswered counts as wrong, as in PROVENANCE.md
    correct += score;
    const output = answered ? row[`${model}|pred`] : ""; // the letter the model gave; its full text was not published
    const outputTokens = answered ? estimate(Number(row[`${model}|output_chars`])) : "";
    csv.push([row.question_id, output, score, estimate(inputChars.get(row.question_id)), outputTokens, "true"].join(","));
  }
  accuracy[model] = ((100 * correct) / rows.length).toFixed(2);
  writeFileSync(path.join(out, "recorded", `${model}.csv.gz`), gzipSync(csv.join("\n") + "\n", { level: 9 }));
}
console.log(`${items.length} items, ${models.length} models`);
console.log(accuracy);
