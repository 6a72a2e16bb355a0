/**
 * The run's secrets (API keys), registered process-wide where they are collected, and the one redaction applied
 * wherever text leaves the process: provider results and error messages, results rows, cache entries, the summary,
 * and everything written to stdout and stderr.
 *
 * Not only whole secrets are redacted: every run of 8 or more characters that also occurs in a secret is, so a key
 * cut in half (a truncated message, a server echoing part of it) leaves nothing recognisable. Text is scanned once,
 * with a rolling hash over runs of the characters secrets are made of (prose breaks them at every space), so the cost
 * is linear in the text and small; nothing at all happens while no secret is registered.
 */

/** The shortest key that counts as a secret, and the shortest piece of one that is redacted. */
const SECRET_PIECE_LENGTH = 8;
const REDACTED = "***";

/** Every 8-character window of every secret. */
const pieces = new Set<string>();
/** The characters secrets are made of: a window with any other character in it is skipped without hashing. */
const secretChar = new Uint8Array(1 << 16);
/** A bit per rolling-hash slot that some window hashes to: most windows are rejected without making a string. */
const maybePiece = new Uint8Array(1 << 16);

const BASE = 0x01000193;
/** BASE^(SECRET_PIECE_LENGTH - 1), to take the oldest character out of the rolling hash. */
const OLDEST = Array.from({ length: SECRET_PIECE_LENGTH - 1 }).reduce<number>((power) => Math.imul(power, BASE), 1);

function slot(hash: number): number {
  return (hash ^ (hash >>> 16)) & 0xffff;
}

/**
 * Registers secrets for redaction. Values shorter than 8 characters are placeholders ("x" for a local server), not
 * secrets: redacting them would garble every message.
 */
export function registerSecrets(values: Iterable<string | undefined>): void {
  for (const value of values) {
    if (value === undefined || value.length < SECRET_PIECE_LENGTH) continue;
    // Also as it reads in JSON text (quotes, backslashes, control characters escaped), and in bytes written to
    // stdout/stderr, which are scanned as latin1 (a non-ASCII secret's UTF-8 bytes read that way differ from it).
    const forms = new Set([value, JSON.stringify(value).slice(1, -1), Buffer.from(value, "utf8").toString("latin1")]);
    for (const form of forms) addPieces(form);
  }
}

/** Query parameters whose value is a credential (Azure's api-key, ?key=, ?token=, a signature…), by name. */
const CREDENTIAL_PARAMETER = /key|token|secret|password|passwd|sig|auth|credential/i;

/**
 * The credentials a URL carries: the password of its userinfo and the values of credential-named query parameters,
 * as written in the URL and decoded. NODE_DEBUG=http prints a request's whole URL.
 */
export function urlSecrets(url: string | undefined): string[] {
  if (url === undefined || !URL.canParse(url)) return [];
  const parsed = new URL(url);
  const found = [parsed.password, safeDecode(parsed.password)];
  for (const pair of parsed.search.slice(1).split("&")) {
    const [name = "", value = ""] = pair.split("=");
    if (CREDENTIAL_PARAMETER.test(safeDecode(name))) found.push(value, safeDecode(value.replaceAll("+", " ")));
  }
  return found.filter((value) => value.length > 0);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function addPieces(secret: string): void {
  for (let start = 0; start + SECRET_PIECE_LENGTH <= secret.length; start++) {
    const piece = secret.slice(start, start + SECRET_PIECE_LENGTH);
    pieces.add(piece);
    maybePiece[slot(hashOf(piece))] = 1;
  }
  for (let i = 0; i < secret.length; i++) secretChar[secret.charCodeAt(i)] = 1;
}

function hashOf(piece: string): number {
  let hash = 0;
  for (let i = 0; i < piece.length; i++) hash = (Math.imul(hash, BASE) + piece.charCodeAt(i)) | 0;
  return hash;
}

/** `text` with every piece of a registered secret (8 characters or more) replaced by "***". */
export function redactSecrets(text: string): string {
  if (pieces.size === 0 || text.length < SECRET_PIECE_LENGTH) return text;
  // Redacted spans as [from, to) pairs; overlapping and touching windows merge into one span.
  let spans: number[] | null = null;
  let from = -1;
  let to = -1;
  // The rolling hash covers the run of secret characters that ends at i (its last 8 characters at most).
  let runStart = 0;
  let hash = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (secretChar[code] === 0) {
      runStart = i + 1;
      hash = 0;
      continue;
    }
    if (i - runStart >= SECRET_PIECE_LENGTH) hash = (hash - Math.imul(text.charCodeAt(i - SECRET_PIECE_LENGTH), OLDEST)) | 0;
    hash = (Math.imul(hash, BASE) + code) | 0;
    if (i - runStart < SECRET_PIECE_LENGTH - 1 || maybePiece[slot(hash)] === 0) continue;
    const start = i - SECRET_PIECE_LENGTH + 1;
    if (!pieces.has(text.slice(start, i + 1))) continue;
    if (start <= to) {
      to = i + 1;
      continue;
    }
    if (to >= 0) (spans ??= []).push(from, to);
    from = start;
    to = i + 1;
  }
  if (to < 0) return text;
  (spans ??= []).push(from, to);
  let result = "";
  let kept = 0;
  for (let s = 0; s < spans.length; s += 2) {
    result += text.slice(kept, spans[s]) + REDACTED;
    kept = spans[s + 1]!;
  }
  return result + text.slice(kept);
}

/**
 * JSON text of `value` with every string in it redacted; the structure stays valid JSON whatever the secret holds.
 * The JSON text is scanned first (a secret's JSON form is registered too): only a value that holds a piece of a
 * secret pays for redacting string by string.
 */
export function secretFreeJson(value: unknown, indent?: number): string {
  const text = JSON.stringify(value, null, indent);
  if (pieces.size === 0 || redactSecrets(text) === text) return text;
  return JSON.stringify(value, (_key, field: unknown) => (typeof field === "string" ? redactSecrets(field) : field), indent);
}

let streamsRedacted = false;

/**
 * Redacts everything written to process.stdout and process.stderr from now on: the CLI's own output, and what
 * Node itself prints there (NODE_DEBUG=http prints request headers) or forwards from worker threads.
 */
export function redactOutputStreams(): void {
  if (streamsRedacted) return;
  streamsRedacted = true;
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write;
    stream.write = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]) {
      return (write as (...args: unknown[]) => boolean).call(this, redactChunk(chunk), ...rest);
    } as typeof stream.write;
  }
}

function redactChunk(chunk: unknown): unknown {
  if (pieces.size === 0) return chunk;
  if (typeof chunk === "string") return redactSecrets(chunk);
  if (!(chunk instanceof Uint8Array)) return chunk;
  // latin1 maps each byte to one character and back, so bytes that are not text survive unchanged.
  const text = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString("latin1");
  const redacted = redactSecrets(text);
  return redacted === text ? chunk : Buffer.from(redacted, "latin1");
}
