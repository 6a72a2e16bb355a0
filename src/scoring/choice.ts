import type { Scorer, ScorerDescriptor } from "./types.js";
import { preview } from "./normalize.js";

export const DEFAULT_CHOICES = "ABCDEFGHIJ";

interface ChoicePatterns {
  explicit: RegExp;
  lone: RegExp;
  leading: RegExp;
  named: RegExp;
  delimited: RegExp;
  standalone: RegExp;
}

const patternsByChoices = new Map<string, ChoicePatterns>();

function patternsFor(choices: string): ChoicePatterns {
  let patterns = patternsByChoices.get(choices);
  if (!patterns) {
    const L = `[${choices.replace(/[\]\\^-]/g, "\\$&")}]`;
    const notWord = String.raw`(?![\w'’])`;
    patterns = {
      // "the answer is (C)", "Answer: **C**", "correct option is C"; groups: opening bracket, letter, closing.
      // No two adjacent repeats share characters, so a long run of spaces cannot make it backtrack quadratically.
      explicit: new RegExp(
        String.raw`\b(?:answer|correct\s+(?:option|choice|letter))\b(?:\s+(?:is|would\s+be|will\s+be|should\s+be))?` +
          String.raw`[\s:*_=>–—-]*(?:(?:option|choice|letter)\s*)?([(\[{]?)(${L})\s*([)\]}*_]*)${notWord}`,
        "gi",
      ),
      lone: new RegExp(String.raw`^[\s(\[{*_"'\`]*(${L})[\s)\]}*_"'\`.:]*$`, "i"),
      leading: new RegExp(String.raw`^[\s*_]*[(\[]?(${L})(?:[)\].:]|\*\*)(?:\s|$)`),
      named: new RegExp(String.raw`\b(?:option|choice)\s+\(?(${L})\)?${notWord}`, "gi"),
      delimited: new RegExp(String.raw`\((${L})\)|\*\*(${L})\*\*|\[(${L})\]`, "g"),
      standalone: new RegExp(String.raw`(?<![\w'’])(${L})${notWord}(\s+[a-z])?`, "g"),
    };
    patternsByChoices.set(choices, patterns);
  }
  return patterns;
}

/** The letter a free-form answer chose, or undefined. Exported for tests and reports. */
export function extractChoice(text: string, choices = DEFAULT_CHOICES): string | undefined {
  const p = patternsFor(choices.toUpperCase());
  let stated: string | undefined;
  for (const m of text.matchAll(p.explicit)) {
    const letter = m[2]!;
    const decorated = m[1] !== "" || m[3] !== "";
    const endsLine = /^\s*[.!]?\s*(?:\n|$)/.test(text.slice(m.index + m[0].length));
    if (letter === letter.toUpperCase() || decorated || endsLine) stated = letter;
  }
  if (stated) return stated.toUpperCase();
  const lone = p.lone.exec(text) ?? p.leading.exec(text);
  if (lone) return lone[1]!.toUpperCase();
  const named = [...text.matchAll(p.named)].filter((m) => m[1] === m[1]!.toUpperCase()).at(-1);
  if (named) return named[1];
  const delimited = [...text.matchAll(p.delimited)].at(-1);
  if (delimited) return delimited[1] ?? delimited[2] ?? delimited[3];
  // Last resort: a capital letter standing alone, preferring one not used as a word ("A good question"); the
  // pronoun in "I think" never counts.
  const standalone = [...text.matchAll(p.standalone)].filter((m) => !(m[1] === "I" && m[2] !== undefined));
  return (standalone.filter((m) => m[2] === undefined).at(-1) ?? standalone.at(-1))?.[1];
}

/** `expected` is a letter; 1 if the letter the answer chose equals it. Option `choices` (default "ABCDEFGHIJ"). */
export const choice: Scorer = (output, item, options) => {
  const choices = typeof options.choices === "string" && options.choices !== "" ? options.choices : DEFAULT_CHOICES;
  const expected = String(item.expected ?? "")
    .trim()
    .toUpperCase();
  const chosen = extractChoice(output, choices);
  if (chosen === undefined) return { score: 0, reason: `no choice found in ${preview(output, item)}` };
  return chosen === expected ? { score: 1 } : { score: 0, reason: `chose ${chosen}, expected ${expected}` };
};

export const scorer: ScorerDescriptor = {
  options: { choices: "string" },
  goldAnswerProblem: (item, options) => {
    const choices = (typeof options.choices === "string" ? options.choices : DEFAULT_CHOICES).toUpperCase();
    const letter = typeof item.expected === "string" ? item.expected.trim().toUpperCase() : "";
    return letter.length === 1 && choices.includes(letter) ? undefined : `choice needs expected: one of the letters ${choices}`;
  },
  needsJudge: false,
  score: choice,
};
