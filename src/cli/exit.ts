import { CommanderError } from "commander";
import { InputError } from "../errors.js";
import { terminalSafe } from "../io/terminal.js";

/** Exit codes: 0 ok, 1 a check or threshold failed, 2 bad input or usage, 3 an internal error (a bug). */
export const EXIT = { ok: 0, checkFailed: 1, badInput: 2, internal: 3 } as const;

let exitCode: number = EXIT.ok;

/** Commands report their outcome here; the worst outcome wins. */
export function setExitCode(code: number): void {
  exitCode = Math.max(exitCode, code);
}

export function takeExitCode(): number {
  const code = exitCode;
  exitCode = EXIT.ok;
  return code;
}

export function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) {
    return ["commander.helpDisplayed", "commander.version", "commander.help"].includes(error.code)
      ? EXIT.ok
      : EXIT.badInput;
  }
  if (error instanceof InputError) {
    // Messages quote names and values from the data: they are printed with control characters escaped.
    process.stderr.write(`error: ${terminalSafe(error.message)}\n`);
    return EXIT.badInput;
  }
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`internal error (please report it): ${terminalSafe(message)}\n`);
  return EXIT.internal;
}
