let statementsRun = 0;

/** Transaction control and the PostgreSQL write lock: bookkeeping that differs between the engines. */
export const CONTROL = /^\s*(begin|commit|rollback|end|savepoint|release|lock)\b/i;

/**
 * Called by each engine's handle for every SQL statement it sends (see statementCount); the
 * statements that only open, close or lock a transaction are not counted, so that both engines
 * count the same queries.
 */
export function countStatement(text: string) {
  if (!CONTROL.test(text)) statementsRun++;
}

/** How many SQL statements this process has run through the app's handle (tests count a page's queries with it). */
export function statementCount() {
  return statementsRun;
}

/**
 * The parameters without NUL characters in text: PostgreSQL cannot store U+0000 in text, and
 * SQLite is given the same values so that both engines keep the same data. (Forms drop it before
 * validation already; this covers every other way in, such as query strings and imported files.)
 */
export function withoutNul(params: unknown[]): unknown[] {
  if (!params.some((p) => typeof p === "string" && p.includes("\u0000"))) return params;
  return params.map((p) => (typeof p === "string" ? p.replaceAll("\u0000", "") : p));
}
