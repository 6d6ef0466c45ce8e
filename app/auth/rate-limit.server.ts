import { and, eq, gt, lt, sql } from "drizzle-orm";
import { getDb } from "../../db/client";
import { rateLimits } from "../../db/schema";
import { nowMs } from "~/lib/clock";
import { clientIp } from "./session.server";
import { config } from "~/config.server";

/**
 * Abuse limits: fixed-window counters in the `rate_limits` table. The table (not memory) holds
 * them so that every server process shares one count and a restart does not reset it.
 */

export type Limit = { limit: number; windowMs: number };
export type HitResult = {
  allowed: boolean;
  /** 0 when allowed; otherwise whole seconds until the window ends (at least 1) */
  retryAfterSeconds: number;
  /** this hit's number within the window, and the window it counted in */
  count: number;
  windowStart: number;
};

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const LIMITS = {
  /** POSTs from one address to each public form (login, forgot-password, public registration) */
  postsPerIp: { limit: 10, windowMs: MINUTE },
  /** wrong passwords for one account (or one unknown email), from anywhere */
  loginFailuresPerAccount: { limit: 100, windowMs: HOUR },
  /** password-reset emails to one address */
  resetEmailsPerAddress: { limit: 5, windowMs: HOUR },
  /** links to confirm a public registration, to one address */
  registrationConfirmationsPerAddress: { limit: 5, windowMs: HOUR },
} as const satisfies Record<string, Limit>;

export type PublicForm = "login" | "forgot-password" | "register";

/** The longest window hit() accepts, so that purging never cuts a live window short. */
const MAX_WINDOW_MS = DAY;
/** Rows are kept this long after their window ended (in case someone wants to look), then purged. */
const KEEP_AFTER_WINDOW_MS = DAY;
const PURGE_EVERY_MS = MINUTE;
let lastPurgeAt: number | null = null;

/**
 * Count one hit on `key`. One statement (an upsert with RETURNING) both starts a new window when
 * the old one has ended and increments, so concurrent requests, in this process or another, each
 * get their own number and no more than `limit` are allowed per window.
 */
export function hit(key: string, { limit, windowMs }: Limit): HitResult {
  if (!(windowMs > 0 && windowMs <= MAX_WINDOW_MS)) throw new Error(`rate limit window out of range: ${windowMs}`);
  const now = nowMs();
  const db = getDb();
  purgeOccasionally(now);
  // A window has ended when now is past it, or more than a whole window before it (a clock set
  // back, e.g. a test's fake time): start a new one. Not merely "before it": simultaneous requests
  // read the clock a few ms apart and must not restart each other's window.
  const ended = sql`(${now} >= ${rateLimits.windowStart} + ${windowMs} OR ${now} < ${rateLimits.windowStart} - ${windowMs})`;
  const row = db
    .insert(rateLimits)
    .values({ key, windowStart: now, count: 1 })
    .onConflictDoUpdate({
      target: rateLimits.key,
      set: {
        windowStart: sql`CASE WHEN ${ended} THEN ${now} ELSE ${rateLimits.windowStart} END`,
        count: sql`CASE WHEN ${ended} THEN 1 ELSE ${rateLimits.count} + 1 END`,
      },
    })
    .returning({ windowStart: rateLimits.windowStart, count: rateLimits.count })
    .get();
  const allowed = row.count <= limit;
  const untilWindowEnds = Math.min(row.windowStart + windowMs - now, windowMs);
  const retryAfterSeconds = allowed ? 0 : Math.max(1, Math.ceil(untilWindowEnds / 1000));
  return { allowed, retryAfterSeconds, count: row.count, windowStart: row.windowStart };
}

/** Take one hit back (only if its window is still the current one). */
function unhit(key: string, windowStart: number) {
  getDb()
    .update(rateLimits)
    .set({ count: sql`${rateLimits.count} - 1` })
    .where(and(eq(rateLimits.key, key), eq(rateLimits.windowStart, windowStart), gt(rateLimits.count, 0)))
    .run();
}

/** Delete counters whose window ended more than a day ago; at most once a minute per process. */
function purgeOccasionally(now: number) {
  if (lastPurgeAt !== null && Math.abs(now - lastPurgeAt) < PURGE_EVERY_MS) return;
  lastPurgeAt = now;
  getDb()
    .delete(rateLimits)
    .where(lt(rateLimits.windowStart, now - MAX_WINDOW_MS - KEEP_AFTER_WINDOW_MS))
    .run();
}

/** 429, thrown from an action: the app's error page explains it (errorPage.tooMany). */
export function tooManyRequests(retryAfterSeconds: number): Response {
  return new Response("Too many attempts. Please wait a minute and try again.", {
    status: 429,
    statusText: "Too Many Requests",
    headers: { "Retry-After": String(Math.max(1, Math.ceil(retryAfterSeconds))), "Cache-Control": "no-store" },
  });
}

/**
 * First thing in a public form's action: at most 10 POSTs a minute from one address to that form.
 * A request without the server's address header (a direct call, e.g. in tests) counts as "unknown".
 */
export function limitPostsByIp(request: Request, form: PublicForm) {
  const ip = clientIp(request) || "unknown";
  // a whole ministry behind one NAT address may need more: RATE_LIMIT_PER_MINUTE (README)
  const result = hit(`ip:${form}:${ip}`, { ...LIMITS.postsPerIp, limit: config().rateLimitPerMinute });
  if (!result.allowed) throw tooManyRequests(result.retryAfterSeconds);
}

/**
 * Before a password is checked: at most 100 failed logins an hour per email, whether or not an
 * account has it (so that the 429 reveals nothing). The attempt is counted up front, atomically,
 * so that simultaneous guesses cannot all slip past the check and a refused attempt costs no hash;
 * call `succeeded()` when the password was right, which takes the count back (a success does
 * not reset the earlier failures). Throws 429 when the limit is reached.
 */
export function startLoginAttempt(email: string): { succeeded: () => void } {
  const key = `account:login-failures:${email.toLowerCase()}`;
  const result = hit(key, LIMITS.loginFailuresPerAccount);
  if (!result.allowed) throw tooManyRequests(result.retryAfterSeconds);
  return { succeeded: () => unhit(key, result.windowStart) };
}

/**
 * Forgot-password: whether another reset email may go to this address (5 an hour). Beyond that
 * the page answers the same and simply sends nothing, so nobody can flood an inbox or learn
 * whether the address has an account.
 */
export function mayEmailResetLink(email: string): boolean {
  return hit(`email:password-reset:${email.toLowerCase()}`, LIMITS.resetEmailsPerAddress).allowed;
}

/**
 * Public registration with a known email: whether another confirmation link may go to that address
 * (5 an hour), so that nobody can flood an inbox through the registration page. Past that the page
 * answers the same and nothing is sent.
 */
export function mayEmailRegistrationConfirmation(email: string): boolean {
  return hit(`email:registration-confirmation:${email.toLowerCase()}`, LIMITS.registrationConfirmationsPerAddress).allowed;
}
