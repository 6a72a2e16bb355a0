import { MAX_CONTEXT_TOKENS } from "../config/provider-kinds.js";

/**
 * A provider's reported token count if it is one (a whole number from 0 to MAX_CONTEXT_TOKENS), else undefined:
 * a negative, fractional, NaN or absurd count is unknown, never a number that would go into rows, means and costs.
 */
export function tokenCount(value: unknown): number | undefined {
  return typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= MAX_CONTEXT_TOKENS ? value : undefined;
}
