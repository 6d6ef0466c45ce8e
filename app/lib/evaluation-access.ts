/** The targets every event has: one phase of the event's knowledge test, or its end-of-event feedback form. */
export const ACCESS_TARGETS = ["pre", "post", "feedback"] as const;
export type EventTarget = (typeof ACCESS_TARGETS)[number];
/** A session's own feedback form: the session's id is part of the target, hence of every link's MAC and every code. */
export type SessionTarget = `session-${number}`;
/** What a personal link or code opens. */
export type AccessTarget = EventTarget | SessionTarget;
export type TestPhaseTarget = "pre" | "post";

/** Personal codes: 8 characters of the check-in alphabet (about 40 bits), printed as two groups of four. */
export const EVALUATION_CODE_LENGTH = 8;

/** A session target as it is written in links and addresses: digits only, no leading zero, a safe integer. */
const SESSION_TARGET = /^session-([1-9][0-9]{0,14})$/;

export function sessionTarget(sessionId: number): SessionTarget {
  return `session-${sessionId}`;
}

/** The session a target names, or null for the event's own targets. */
export function sessionIdOf(target: AccessTarget): number | null {
  const m = SESSION_TARGET.exec(target);
  return m ? Number(m[1]) : null;
}

export function isTestPhase(target: AccessTarget): target is TestPhaseTarget {
  return target === "pre" || target === "post";
}

export function isAccessTarget(value: unknown): value is AccessTarget {
  if (typeof value !== "string") return false;
  if ((ACCESS_TARGETS as readonly string[]).includes(value)) return true;
  const m = SESSION_TARGET.exec(value);
  return !!m && Number.isSafeInteger(Number(m[1]));
}
