import { CommanderError } from "commander";
import { InputError } from "../errors.js";
import { terminalSafe } from "../io/terminal.js";
import { describeFsError, isFsError, reasonOf } from "../io/fs-errors.js";

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

/**
 * The one boundary where errors become exit codes: bad input and filesystem or environment errors (a full disk, a
 * path that is a directory…) are one plain line and exit 2; anything else is a bug, exit 3 with its stack.
 */
export function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) {
    return ["commander.helpDisplayed", "commander.version", "commander.help"].includes(error.code) ? EXIT.ok : EXIT.badInput;
  }
  if (error instanceof InputError) {
    // Messages quote names and values from the data: they are printed with control characters escaped.
    process.stderr.write(`error: ${terminalSafe(error.message)}\n`);
    return EXIT.badInput;
  }
  if (isFsError(error)) {
    process.stderr.write(`error: ${describeFsError(error)}\n`);
    return EXIT.badInput;
  }
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`internal error (please report it): ${terminalSafe(message)}\n`);
  return EXIT.internal;
}

let guarded = false;

/**
 * Process-wide last resorts. An error thrown where no caller can catch it (a callback, a stream) still goes through
 * exitCodeFor. A reader that stops reading (`modelpick models | head -1`) ends output quietly: the command finishes
 * and exits with the code it would have had. Any other failure to write the output (a full disk) is exit 2.
 */
export function guardProcess(): void {
  if (guarded) return;
  guarded = true;
  process.on("uncaughtException", (error) => process.exit(exitCodeFor(error)));
  let stdoutClosed = false;
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (stdoutClosed || error.code === "EPIPE") {
      stdoutClosed = true;
      return;
    }
    process.stderr.write(`error: cannot write standard output: ${reasonOf(error.code ?? "EIO")}\n`);
    process.exit(EXIT.badInput);
  });
  // Nowhere left to report a failure to write stderr; the exit code still says how the command went.
  process.stderr.on("error", () => {});
}
