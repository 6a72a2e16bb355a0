import { expect } from "vitest";
import type { CliResult } from "../helpers/cli.js";

/** A successful run: exit 0 and nothing on stderr that looks like a crash. */
export function expectOk(result: CliResult): void {
  expect(result.stderr, result.stderr).not.toMatch(/internal error|\n\s+at /);
  expect(result.code, result.stderr).toBe(0);
}

/** A refused run: exit 2, a one-line located error, no stack trace. */
export function expectBadInput(result: CliResult, message: RegExp): void {
  expect(result.stderr).not.toMatch(/internal error|\n\s+at /);
  expect(result.code, result.stderr).toBe(2);
  expect(result.stderr).toMatch(message);
}
