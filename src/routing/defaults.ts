/** Defaults of the routing rules, light enough for the CLI to import at startup. */

/** The non-inferiority margin when none is given (`--within`); also the margin of the sensitive routes. */
export const DEFAULT_WITHIN = 0.02;

/** A sensitive route more than this below its category's route gets a warning. */
export const LARGE_SENSITIVE_GAP = 0.1;

/** check: the family-wise error rate of a table's comparisons (Holm), and the slack in quality points before a fall fails. */
export const DEFAULT_ALPHA = 0.05;
export const DEFAULT_TOLERANCE = 0.02;
