import { SafeRegex } from "./safe-regex.js";
import type { Scorer, ScorerDescriptor } from "./types.js";

const compiled = new Map<string, SafeRegex | Error>();

/**
 * Compiles (once per pattern and flags) the regex a `regex` scorer tests with, or returns the compile error. It runs
 * under a time budget (see SafeRegex). g and y are dropped: they make `test` stateful and add nothing to "does it match".
 */
export function compileRegex(pattern: string, flags: string): SafeRegex | Error {
  const key = `${flags}/${pattern}`;
  let regex = compiled.get(key);
  if (regex === undefined) {
    try {
      regex = new SafeRegex(pattern, flags.replace(/[gy]/g, ""));
    } catch (error) {
      regex = error instanceof Error ? error : new Error(String(error));
    }
    compiled.set(key, regex);
  }
  return regex;
}

/** The pattern and flags a regex scorer uses: `pattern` (default `expected`) and `flags` (default "i"). */
export function regexSource(options: Record<string, unknown>, expected: unknown): { pattern?: string; flags: string } {
  const pattern = typeof options.pattern === "string" ? options.pattern : typeof expected === "string" ? expected : undefined;
  const flags = typeof options.flags === "string" ? options.flags : "i";
  return { pattern, flags };
}

/**
 * 1 if the answer matches `pattern` (or, with `mustNotMatch: true`, if it does not). Pass/fail. Throws when the
 * pattern runs past its time budget: the item gets an error naming the pattern, not a score.
 */
export const regex: Scorer = (output, item, options) => {
  const { pattern, flags } = regexSource(options, item.expected);
  if (pattern === undefined) return { score: 0, reason: "no pattern to match" };
  const compiledRegex = compileRegex(pattern, flags);
  if (compiledRegex instanceof Error) return { score: 0, reason: `invalid pattern: ${compiledRegex.message}` };
  const matches = compiledRegex.test(output);
  if (options.mustNotMatch === true) {
    return matches ? { score: 0, reason: `matches forbidden pattern /${pattern}/` } : { score: 1 };
  }
  return matches ? { score: 1 } : { score: 0, reason: `does not match /${pattern}/` };
};

export const scorer: ScorerDescriptor = {
  options: { pattern: "string", flags: "string", mustNotMatch: "boolean" },
  goldAnswerProblem: (item, options) => {
    const { pattern, flags } = regexSource(options, item.expected);
    if (pattern === undefined) return "regex needs pattern (or expected as the pattern string)";
    const compiledRegex = compileRegex(pattern, flags);
    return compiledRegex instanceof Error ? `invalid regex /${pattern}/${flags}: ${compiledRegex.message}` : undefined;
  },
  needsJudge: false,
  score: regex,
};
