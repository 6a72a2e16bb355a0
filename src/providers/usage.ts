/**
 * More tokens than any model's context holds (the largest trained contexts are 10M tokens): the bound for context
 * sizes in the config and in GGUF metadata, and for the token counts a provider reports for one request.
 */
export const MAX_CONTEXT_TOKENS = 2 ** 24;

/**
 * A provider's reported token count if it is one (a whole number from 0 to MAX_CONTEXT_TOKENS), else undefined:
 * a negative, fractional, NaN or absurd count is unknown, never a number that would go into rows, means and costs.
 */
export function tokenCount(value: unknown): number | undefined {
  return typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= MAX_CONTEXT_TOKENS ? value : undefined;
}
