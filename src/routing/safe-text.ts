/**
 * Characters JSON.stringify leaves raw that change what a reader sees (the "Trojan Source" attack on code review):
 * C1 controls, the line and paragraph separators (line terminators in older parsers and in comments), and the
 * bidirectional embeddings, overrides and isolates that reorder the text around them.
 */
const INVISIBLE = /[\u0080-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** `text` with every invisible character written as a \uXXXX escape: valid in JSON, JS and YAML double-quoted strings. */
export function escapeInvisible(text: string): string {
  return text.replace(INVISIBLE, unicodeEscape);
}

function unicodeEscape(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`;
}

/**
 * JSON text safe to paste into a TypeScript source file, to print or to review: JSON.stringify escapes quotes,
 * backslashes and C0 controls; the invisible characters above are escaped too (they only ever occur inside strings).
 */
export function jsonForSource(value: unknown, indent?: number): string {
  return escapeInvisible(JSON.stringify(value, null, indent));
}

/**
 * Text for a `//` or `#` comment: any character that could end the comment line, or a block comment, is escaped,
 * so a hostile model or category name stays inside the comment.
 */
export function commentText(text: string): string {
  // Every C0 control but tab, DEL, and the invisible characters.
  const escaped = text.replace(/\\/g, "\\\\").replace(/[\u0000-\u0008\u000a-\u001f\u007f]/g, unicodeEscape);
  return escapeInvisible(escaped).replace(/\*\//g, "*\\/");
}

/** A name inside a comment, quoted so that where it starts and ends is unambiguous. */
export function quotedForComment(name: string): string {
  return `"${commentText(name).replace(/"/g, '\\"')}"`;
}
