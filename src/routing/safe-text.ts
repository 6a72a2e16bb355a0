/**
 * JSON text safe to paste into a TypeScript source file: JSON.stringify escapes quotes, backslashes and newlines, and
 * U+2028 / U+2029 (line terminators in older parsers and in comments) are escaped too.
 */
export function jsonForSource(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent)
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/**
 * Text for a `//` or `#` comment: any character that could end the comment line, or a block comment, is escaped,
 * so a hostile model or category name stays inside the comment.
 */
export function commentText(text: string): string {
  return text
    .replace(/\\/g, "\\\\")
    .replace(/[\r\n\u2028\u2029\u0085\v\f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)
    .replace(/[\u0000-\u0008\u000e-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)
    .replace(/\*\//g, "*\\/");
}

/** A name inside a comment, quoted so that where it starts and ends is unambiguous. */
export function quotedForComment(name: string): string {
  return `"${commentText(name).replace(/"/g, '\\"')}"`;
}
