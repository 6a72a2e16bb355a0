import { z } from "zod";
import { didYouMeanKey } from "../suggest.js";

/** Marks the issues strictObject raises, so they can be shown first: a misspelt key often explains the others. */
const UNKNOWN_KEY = { unknownKey: true } as const;

/**
 * An object schema that refuses keys it does not know, one issue per key with the key's own path (so its line can be
 * found) and the closest known key. zod's `.strict()` reports all unknown keys of an object in one issue, at the
 * object, and without the known keys to suggest from. `hint` ends the message when no known key is close.
 */
export function strictObject<Shape extends z.core.$ZodLooseShape>(shape: Shape, hint: (key: string) => string = () => "") {
  const known = Object.keys(shape);
  const schema = z
    .object(shape)
    .catchall(z.unknown())
    .superRefine(
      (value, ctx) => {
        if (typeof value !== "object" || value === null) return;
        for (const key of Object.keys(value)) {
          if (Object.hasOwn(shape, key)) continue;
          const suggestion = didYouMeanKey(key, known);
          ctx.addIssue({ code: "custom", path: [key], message: `unknown key${suggestion || hint(key)}`, params: UNKNOWN_KEY });
        }
      },
      // Also when a known field is wrong: the unknown key may be the reason (baseUrl next to a missing baseURL).
      { when: () => true },
    );
  // Unknown keys never get through (the refinement rejects them), so the output has only the shape's keys.
  return schema as unknown as z.ZodObject<Shape, z.core.$strict>;
}

/** Unknown-key issues first, the rest in zod's order. */
export function unknownKeysFirst<Issue extends z.core.$ZodIssue>(issues: readonly Issue[]): Issue[] {
  const isUnknownKey = (issue: Issue) => issue.code === "custom" && issue.params?.unknownKey === true;
  return [...issues.filter(isUnknownKey), ...issues.filter((issue) => !isUnknownKey(issue))];
}
