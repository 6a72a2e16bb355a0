/** Defaults of the routing rules, light enough for the CLI to import at startup. */

/** The non-inferiority margin when none is given (`--within`); also the margin of the sensitive routes. */
export const DEFAULT_WITHIN = 0.02;

/** A sensitive route more than this below its category's route gets a warning. */
export const LARGE_SENSITIVE_GAP = 0.1;
