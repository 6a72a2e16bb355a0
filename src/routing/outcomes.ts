import { compareText } from "./evidence.js";

/**
 * The per-item outcomes a routing file carries (format 3), so that `modelpick check` can test a route's model against
 * the very answers it was chosen on, paired item by item, with no old results at hand. Compact, deterministic (a pure
 * function of the ids and scores: the file regenerates byte for byte) and inert in any file type (base64 only).
 *
 * - A category's items, once: its item ids sorted (code-unit order), front-coded — each id as the length of the
 *   prefix it shares with the previous id and the rest of its UTF-8 bytes, both lengths as LEB128 varints.
 * - A route's scores over those items, in the same order: pass/fail as 2 bits an item (0 not scored, 1 wrong, 2 right;
 *   the first item in the high bits), graded as 1 byte an item (score × 200, rounded: steps of 0.005; 255 not scored).
 *   "Not scored" covers items the model errored on, skipped, or never saw.
 */

export interface EncodedItems {
  /** How many item ids `ids` holds. */
  n: number;
  ids: string;
}

export type OutcomeScale = "pass-fail" | "graded";

export interface EncodedOutcomes {
  scale: OutcomeScale;
  data: string;
}

/** Graded scores are kept in steps of 1 / GRADED_STEPS. */
export const GRADED_STEPS = 200;
const NOT_SCORED = 255;

/** A value that cannot be decoded; the caller names the file and the field. */
export class OutcomeDecodeError extends Error {}

export function encodeItems(sortedIds: readonly string[]): EncodedItems {
  const encoder = new TextEncoder();
  const bytes: number[] = [];
  let previous = new Uint8Array(0);
  for (const id of sortedIds) {
    const current = encoder.encode(id);
    let shared = 0;
    while (shared < previous.length && shared < current.length && previous[shared] === current[shared]) shared++;
    pushVarint(bytes, shared);
    pushVarint(bytes, current.length - shared);
    for (let i = shared; i < current.length; i++) bytes.push(current[i]!);
    previous = current;
  }
  return { n: sortedIds.length, ids: Buffer.from(bytes).toString("base64") };
}

export function decodeItems(encoded: EncodedItems): string[] {
  const bytes = base64Bytes(encoded.ids);
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const ids: string[] = [];
  let previous = new Uint8Array(0);
  let at = 0;
  while (at < bytes.length) {
    const shared = readVarint(bytes, at);
    const rest = readVarint(bytes, shared.next);
    at = rest.next + rest.value;
    if (shared.value > previous.length || at > bytes.length) throw new OutcomeDecodeError("the item ids are cut off or damaged");
    const current = new Uint8Array(shared.value + rest.value);
    current.set(previous.subarray(0, shared.value));
    current.set(bytes.subarray(rest.next, at), shared.value);
    let id: string;
    try {
      id = decoder.decode(current);
    } catch {
      throw new OutcomeDecodeError("an item id is not valid UTF-8");
    }
    if (ids.length > 0 && compareText(ids[ids.length - 1]!, id) >= 0) throw new OutcomeDecodeError("the item ids are not sorted and distinct");
    ids.push(id);
    previous = current;
  }
  if (ids.length !== encoded.n) throw new OutcomeDecodeError(`${ids.length} item id(s) where n is ${encoded.n}`);
  return ids;
}

/** A model's scores over a category's items (`items` sorted as in `encodeItems`); pass/fail when every score is 0 or 1. */
export function encodeOutcomes(items: readonly string[], scores: ReadonlyMap<string, number>): EncodedOutcomes {
  const passFail = [...scores.values()].every((s) => s === 0 || s === 1);
  if (passFail) {
    const bytes = new Uint8Array(Math.ceil(items.length / 4));
    items.forEach((item, i) => {
      const score = scores.get(item);
      const code = score === undefined ? 0 : score === 1 ? 2 : 1;
      bytes[i >> 2]! |= code << (6 - 2 * (i & 3));
    });
    return { scale: "pass-fail", data: Buffer.from(bytes).toString("base64") };
  }
  const bytes = new Uint8Array(items.length);
  items.forEach((item, i) => {
    const score = scores.get(item);
    bytes[i] = score === undefined ? NOT_SCORED : Math.round(Math.min(1, Math.max(0, score)) * GRADED_STEPS);
  });
  return { scale: "graded", data: Buffer.from(bytes).toString("base64") };
}

/** The scores back, item id → score, for the items the model was scored on. */
export function decodeOutcomes(items: readonly string[], encoded: EncodedOutcomes): Map<string, number> {
  const bytes = base64Bytes(encoded.data);
  const scores = new Map<string, number>();
  if (encoded.scale === "pass-fail") {
    if (bytes.length !== Math.ceil(items.length / 4)) throw new OutcomeDecodeError(`${bytes.length} byte(s) of outcomes for ${items.length} items`);
    items.forEach((item, i) => {
      const code = (bytes[i >> 2]! >> (6 - 2 * (i & 3))) & 3;
      if (code === 3) throw new OutcomeDecodeError(`item ${i + 1} has an outcome code that does not exist`);
      if (code !== 0) scores.set(item, code === 2 ? 1 : 0);
    });
    for (let i = items.length; i < bytes.length * 4; i++) {
      if (((bytes[i >> 2]! >> (6 - 2 * (i & 3))) & 3) !== 0) throw new OutcomeDecodeError("outcomes past the last item");
    }
    return scores;
  }
  if (bytes.length !== items.length) throw new OutcomeDecodeError(`${bytes.length} graded score(s) for ${items.length} items`);
  items.forEach((item, i) => {
    const value = bytes[i]!;
    if (value === NOT_SCORED) return;
    if (value > GRADED_STEPS) throw new OutcomeDecodeError(`item ${i + 1} has a graded score above ${GRADED_STEPS}`);
    scores.set(item, value / GRADED_STEPS);
  });
  return scores;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Strict base64: Buffer.from would silently skip characters outside the alphabet. */
function base64Bytes(text: string): Uint8Array {
  if (!BASE64.test(text)) throw new OutcomeDecodeError("not base64");
  return new Uint8Array(Buffer.from(text, "base64"));
}

function pushVarint(bytes: number[], value: number): void {
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest & 0x7f) | 0x80);
    rest = Math.floor(rest / 128);
  }
  bytes.push(rest);
}

function readVarint(bytes: Uint8Array, at: number): { value: number; next: number } {
  let value = 0;
  let scale = 1;
  for (let i = at; i < bytes.length && i < at + 5; i++) {
    const byte = bytes[i]!;
    value += (byte & 0x7f) * scale;
    if (byte < 0x80) return { value, next: i + 1 };
    scale *= 128;
  }
  throw new OutcomeDecodeError("the item ids are cut off or damaged");
}
