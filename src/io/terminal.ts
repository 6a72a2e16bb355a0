/**
 * Control characters in text that comes from data (model and category names, GGUF metadata, error messages): C0
 * except newline and tab, DEL, C1, the line and paragraph separators (U+2028, U+2029: some viewers break a line
 * there) and the bidirectional embeddings, overrides and isolates that reorder what a terminal shows (U+202A–U+202E,
 * U+2066–U+2069).
 */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text safe to print to a terminal: every control character is shown as an escape (`\x1b`, `\u202e`) instead of
 * acting on the terminal (moving the cursor, changing colours, hiding or reversing text). Files keep the data as is.
 */
export function terminalSafe(text: string): string {
  CONTROL.lastIndex = 0;
  if (!CONTROL.test(text)) return text;
  return text.replace(CONTROL, (char) => {
    const code = char.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16)}`;
  });
}

/** Every cell of a table row, safe to print. */
export function terminalSafeRow(cells: string[]): string[] {
  return cells.map(terminalSafe);
}

/**
 * JSON for a terminal: the same value, with the control characters JSON.stringify leaves raw (DEL, C1, the line
 * separators, bidi) written as \u escapes, which JSON reads back as the same characters.
 */
export function terminalSafeJson(value: unknown, indent?: number, replacer?: (key: string, value: unknown) => unknown): string {
  return JSON.stringify(value, replacer, indent).replace(
    /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
