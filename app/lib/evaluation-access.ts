/** What a personal link or code opens: one phase of the event's knowledge test, or its feedback form. */
export const ACCESS_TARGETS = ["pre", "post", "feedback"] as const;
export type AccessTarget = (typeof ACCESS_TARGETS)[number];

/** Personal codes: 8 characters of the check-in alphabet (about 40 bits), printed as two groups of four. */
export const EVALUATION_CODE_LENGTH = 8;

export function isAccessTarget(value: unknown): value is AccessTarget {
  return typeof value === "string" && (ACCESS_TARGETS as readonly string[]).includes(value);
}
