/**
 * An error caused by the user's input (config, dataset, flags). The CLI prints its message without a stack trace
 * and exits with code 2. Messages name the file and the line or field path, and say what to do.
 */
export class InputError extends Error {
  override readonly name = "InputError";
  constructor(message: string) {
    super(message);
  }
}

/** Prefix a message with "file:line" or "file" so the user can jump straight to the problem. */
export function at(file: string, line?: number): string {
  return line === undefined ? file : `${file}:${line}`;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
