import vm from "node:vm";

/** How long a dataset-supplied pattern may run on one answer before that item's score becomes an error. */
export const REGEX_BUDGET_MS = 1000;

/**
 * A regular expression from a dataset (a `regex` scorer, a JSON Schema `pattern`), run under a time budget so that
 * no pattern can hang the run, whatever the answer: it runs in a vm script with a timeout, which interrupts a
 * backtracking regex. The timeout costs a watchdog thread per call (70–90 µs here), against 0.1–20 µs for the
 * regex itself on a typical answer.
 *
 * V8's linear-time engine (the `l` flag, behind --enable-experimental-regexp-engine) was measured and not chosen:
 * in Node 20 it cannot run the i flag (the regex scorer's default), u (JSON Schema patterns), lookarounds (all the
 * regex items of the shipped dataset) or backreferences, and where it can, it interprets: 6–700 µs per 1 KB answer
 * and up to 2 s on a 1 MB one. Its automatic fallback (--enable-experimental-regexp-engine-on-excessive-backtracks)
 * misses quadratic patterns such as `[\w.]+@` on a long answer, whose greedy loops it does not count.
 */
export class SafeRegex {
  private readonly regex: RegExp;

  /** Throws a SyntaxError when the pattern or flags are invalid. */
  constructor(
    readonly pattern: string,
    readonly flags: string,
  ) {
    this.regex = new RegExp(pattern, flags);
  }

  /** Whether the text matches; throws a RegexTimeoutError when the pattern runs past its budget. */
  test(text: string): boolean {
    sandbox ??= { context: vm.createContext({ regex: null, text: "" }) as Sandbox["context"], script: new vm.Script("regex.test(text)") };
    const { context, script } = sandbox;
    context.regex = this.regex;
    context.text = text;
    try {
      return script.runInContext(context, { timeout: REGEX_BUDGET_MS }) === true;
    } catch (error) {
      if ((error as { code?: unknown }).code === "ERR_SCRIPT_EXECUTION_TIMEOUT") throw new RegexTimeoutError(this.pattern);
      throw error;
    } finally {
      // Do not keep a large answer alive until the next call.
      context.regex = null;
      context.text = "";
    }
  }

  /** Distinct per pattern: ajv keys the patterns of a schema by it. */
  toString(): string {
    return `/${this.pattern}/${this.flags}`;
  }
}

/** One sandbox per thread (worker threads load their own copy of this module). */
let sandbox: Sandbox | undefined;
type Sandbox = { context: { regex: RegExp | null; text: string }; script: vm.Script };

export class RegexTimeoutError extends Error {
  override readonly name = "RegexTimeoutError";
  constructor(readonly pattern: string) {
    super(`regex /${pattern}/ took longer than ${REGEX_BUDGET_MS} ms on this answer (catastrophic backtracking?); ` + "simplify the pattern");
  }
}
