/**
 * "Did you mean …?" for names a user typed (config keys, providers, scorers, model ids, categories): the known name
 * closest to the given one, compared without case and without `_`, `-`, `.` or spaces (so `max_tokens` finds
 * `maxTokens` and `baseUrl` finds `baseURL`), by edit distance counting a swap of two neighbours as one edit.
 */
export function closestName(given: string, known: Iterable<string>): string | undefined {
  const target = comparable(given);
  // Up to a third of the name may be wrong (1 edit for short names, at most 3), or every name would be "close".
  let allowed = Math.min(3, Math.max(1, Math.floor(target.length / 3)));
  let best: string | undefined;
  for (const name of known) {
    const distance = editDistance(target, comparable(name), allowed);
    if (distance === 0) return name;
    if (distance <= allowed) {
      best = name;
      allowed = distance - 1;
    }
  }
  return best;
}

/** `; did you mean `maxTokens`?` for a close known key, else "". */
export function didYouMeanKey(given: string, known: Iterable<string>): string {
  const near = closestName(given, known);
  return near === undefined ? "" : `; did you mean \`${near}\`?`;
}

/**
 * `unknown provider "opneai"; did you mean "openai"?`, or `unknown provider "x"; known: a, b, c` when nothing is close,
 * so the user always learns what to write.
 */
export function unknownName(what: string, given: string, known: readonly string[]): string {
  return `unknown ${what} "${given}"; ${suggestName(given, known)}`;
}

/** `did you mean "openai"?`, or `known: a, b, c` when no known name is close. */
export function suggestName(given: string, known: readonly string[]): string {
  const near = closestName(given, known);
  if (near !== undefined) return `did you mean "${near}"?`;
  return known.length === 0 ? "there are none" : `known: ${shortList(known)}`;
}

const LISTED = 20;

function shortList(names: readonly string[]): string {
  const shown = names.slice(0, LISTED).join(", ");
  return names.length > LISTED ? `${shown}, … (${names.length} in all)` : shown;
}

function comparable(name: string): string {
  return name.toLowerCase().replace(/[-_.\s]/g, "");
}

/**
 * Optimal string alignment distance (Levenshtein plus adjacent transpositions), or `limit + 1` as soon as it must
 * exceed `limit`: names are short and compared against few candidates, so the plain table is cheap enough.
 */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let beforePrevious: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, beforePrevious[j - 2]! + 1);
      current.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > limit) return limit + 1;
    beforePrevious = previous;
    previous = current;
  }
  return Math.min(previous[b.length]!, limit + 1);
}
