import type { Scorer, ScorerDescriptor } from "./types.js";
import { preview } from "./normalize.js";

// A number as people write it: -3, 1,234.5, $12, 45%, 1e3, 3/4, −2 (Unicode minus). Not the "19" sign in "COVID-19".
const NUMBER = String.raw`(?<![\w.])([-−+]?)(?:[$€£¥]\s?)?([-−]?)(?:(\d+)\s*\/\s*(\d+)|((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+)((?:[eE][-+]?\d+)?))(\s?%)?`;
const ANY_NUMBER = new RegExp(NUMBER, "g");
// "answer", then (on the same line, with no digit or full stop in between) the number.
const AFTER_ANSWER = new RegExp(String.raw`\banswer\b[^\d\n.$€£¥+−-]{0,40}?` + NUMBER, "gi");
const AFTER_MARKER = new RegExp(String.raw`(?:=|≈|\bis\b|\bequals\b|\bmakes\b)[^\d\n.$€£¥+−-]{0,20}?` + NUMBER, "gi");
const WHOLE_NUMBER = new RegExp(`^\\s*${NUMBER}\\s*$`);
const SENTENCE_BREAK = /(?<=[.!?;])\s+|\n/;

/** The values a number match stands for: a percentage also stands for its fraction (45% → 45 or 0.45). */
function valuesOf(m: RegExpMatchArray, offset: number): number[] {
  const [sign, innerSign, numerator, denominator, decimal, exponent, percent] = m.slice(offset, offset + 7);
  const negative = /[-−]/.test(`${sign ?? ""}${innerSign ?? ""}`);
  let value: number;
  if (numerator !== undefined && denominator !== undefined) {
    if (Number(denominator) === 0) return [];
    value = Number(numerator) / Number(denominator);
  } else {
    value = Number(`${decimal!.replace(/,/g, "")}${exponent ?? ""}`);
  }
  if (negative) value = -value;
  return percent ? [value, value / 100] : [value];
}

/**
 * The final numeric answer in a text, as candidate values: after the last "answer", else the number after "=" or "is"
 * in the last sentence that has a number, else that sentence's last number. undefined if the text has no number.
 */
export function extractNumber(text: string): number[] | undefined {
  const stated = [...text.matchAll(AFTER_ANSWER)].at(-1);
  if (stated) return valuesOf(stated, 1);
  const sentences = text.split(SENTENCE_BREAK);
  for (let i = sentences.length - 1; i >= 0; i--) {
    const numbers = [...sentences[i]!.matchAll(ANY_NUMBER)];
    if (numbers.length === 0) continue;
    const marked = [...sentences[i]!.matchAll(AFTER_MARKER)].at(-1);
    return marked ? valuesOf(marked, 1) : valuesOf(numbers.at(-1)!, 1);
  }
  return undefined;
}

/** `expected` as a number: a number, or a numeric string such as "1,234.5", "3/4" or "$12". */
export function parseExpectedNumber(expected: unknown): number | undefined {
  if (typeof expected === "number") return Number.isFinite(expected) ? expected : undefined;
  if (typeof expected !== "string") return undefined;
  const m = WHOLE_NUMBER.exec(expected);
  return m ? valuesOf(m, 1)[0] : undefined;
}

/** Pass if the final number in the answer is within `tolerance` (absolute, 1e-6) or `relTolerance` (0) of `expected`. */
export const numberScorer: Scorer = (output, item, options) => {
  const expected = parseExpectedNumber(item.expected);
  if (expected === undefined) return { score: 0, reason: "expected is not a number" };
  const tolerance = Math.max(
    typeof options.tolerance === "number" ? options.tolerance : 1e-6,
    typeof options.relTolerance === "number" ? options.relTolerance * Math.abs(expected) : 0,
  );
  const candidates = extractNumber(output);
  if (candidates === undefined) return { score: 0, reason: `no number in ${preview(output, item)}` };
  if (candidates.some((value) => Math.abs(value - expected) <= tolerance)) return { score: 1 };
  return { score: 0, reason: `got ${candidates[0]}, expected ${expected}` };
};

export const scorer: ScorerDescriptor = {
  options: { tolerance: "non-negative number", relTolerance: "non-negative number" },
  goldAnswerProblem: (item) => (parseExpectedNumber(item.expected) === undefined ? "number needs expected: a number or a numeric string" : undefined),
  needsJudge: false,
  score: numberScorer,
};
