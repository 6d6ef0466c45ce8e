import { and, eq, gt, lt, sql } from "drizzle-orm";
import { getDb, firstRow } from "../../db/client";
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

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const LIMITS = {
  /** POSTs from one address to each public form (login, forgot-password, public registration) */
  postsPerIp: { limit: 10, windowMs: MINUTE },
  /** password-reset emails to one address */
  resetEmailsPerAddress: { limit: 5, windowMs: HOUR },
  /** links to confirm a public registration, to one address */
  registrationConfirmationsPerAddress: { limit: 5, windowMs: HOUR },
  /** wrong check-in codes typed by one user: enough for typos, far too few to guess a code */
  wrongCheckInCodesPerUser: { limit: 10, windowMs: 10 * MINUTE },
  /**
   * wrong personal codes (knowledge tests, feedback) from one address: a training room shares one
   * address behind its Wi-Fi, so enough for a room's typos, still far too few to guess 8 characters
   */
  wrongEvaluationCodesPerIp: { limit: 30, windowMs: 10 * MINUTE },
  /** wrong personal codes on one entry page (one event's test phase or form), from anywhere */
  wrongEvaluationCodesPerEntry: { limit: 300, windowMs: 10 * MINUTE },
  /** calendar feed addresses that lead nowhere, from one address: plenty for stale subscriptions, nothing to guess with */
  unknownFeedTokensPerIp: { limit: 100, windowMs: 10 * MINUTE },
} as const satisfies Record<string, Limit>;

export type PublicForm = "login" | "second-factor" | "forgot-password" | "register";

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
export async function hit(key: string, { limit, windowMs }: Limit): Promise<HitResult> {
  if (!(windowMs > 0 && windowMs <= MAX_WINDOW_MS)) throw new Error(`rate limit window out of range: ${windowMs}`);
  const now = nowMs();
  const db = getDb();
  await purgeOccasionally(now);
  // A window has ended when now is past it, or more than a whole window before it (a clock set
  // back, e.g. a test's fake time): start a new one. Not merely "before it": simultaneous requests
  // read the clock a few ms apart and must not restart each other's window.
  const ended = sql`(${now} >= ${rateLimits.windowStart} + ${windowMs} OR ${now} < ${rateLimits.windowStart} - ${windowMs})`;
  const row = (await db
    .insert(rateLimits)
    .values({ key, windowStart: now, count: 1 })
    .onConflictDoUpdate({
      target: rateLimits.key,
      set: {
        windowStart: sql`CASE WHEN ${ended} THEN ${now} ELSE ${rateLimits.windowStart} END`,
        count: sql`CASE WHEN ${ended} THEN 1 ELSE ${rateLimits.count} + 1 END`,
      },
    })
    .returning({ windowStart: rateLimits.windowStart, count: rateLimits.count }))[0];
  const allowed = row.count <= limit;
  const untilWindowEnds = Math.min(row.windowStart + windowMs - now, windowMs);
  const retryAfterSeconds = allowed ? 0 : Math.max(1, Math.ceil(untilWindowEnds / 1000));
  return { allowed, retryAfterSeconds, count: row.count, windowStart: row.windowStart };
}

/**
 * Whether `key` has used up its window, without counting a hit: seconds to wait, or 0. For limits
 * that count only failures (hit() on each failure), checked before the work that could fail.
 */
export async function limitReached(key: string, { limit, windowMs }: Limit): Promise<number> {
  const now = nowMs();
  const row = firstRow(await getDb().select({ windowStart: rateLimits.windowStart, count: rateLimits.count }).from(rateLimits).where(eq(rateLimits.key, key)).limit(1));
  if (!row || row.count < limit || now >= row.windowStart + windowMs || now < row.windowStart - windowMs) return 0;
  return Math.max(1, Math.ceil((row.windowStart + windowMs - now) / 1000));
}

/** Take one hit back (only if its window is still the current one). */
async function unhit(key: string, windowStart: number) {
  await getDb()
    .update(rateLimits)
    .set({ count: sql`${rateLimits.count} - 1` })
    .where(and(eq(rateLimits.key, key), eq(rateLimits.windowStart, windowStart), gt(rateLimits.count, 0)));
}

/** Delete counters whose window ended more than a day ago; at most once a minute per process. */
async function purgeOccasionally(now: number) {
  if (lastPurgeAt !== null && Math.abs(now - lastPurgeAt) < PURGE_EVERY_MS) return;
  lastPurgeAt = now;
  await getDb()
    .delete(rateLimits)
    .where(lt(rateLimits.windowStart, now - MAX_WINDOW_MS - KEEP_AFTER_WINDOW_MS));
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
export async function limitPostsByIp(request: Request, form: PublicForm) {
  const ip = clientIp(request) || "unknown";
  // a whole ministry behind one NAT address may need more: RATE_LIMIT_PER_MINUTE (README)
  const result = await hit(`ip:${form}:${ip}`, { ...LIMITS.postsPerIp, limit: config().rateLimitPerMinute });
  if (!result.allowed) throw tooManyRequests(result.retryAfterSeconds);
}

/**
 * Failed sign-ins slow down the one who fails, never the account's owner elsewhere. Two counters:
 * per (account, address) pair, so that a stranger's guesses cannot lock the owner out from their own
 * address; and per address across all accounts, so that one address cannot try a password on many
 * accounts. Each allows `free` failures, then every further attempt waits twice as long as the
 * previous one after the latest failure (1 s, 2 s, 4 s … up to `maxDelayMs`); a counter is forgotten
 * once `forgetAfterMs` has passed without a failure. Stored in `rate_limits`: `count` is the number
 * of failures, `window_start` the time of the latest one.
 */
export type Backoff = { free: number; baseDelayMs: number; maxDelayMs: number; forgetAfterMs: number };

export const LOGIN_BACKOFF = {
  /** wrong passwords for one email (an account or not) from one address */
  perPair: { free: 5, baseDelayMs: SECOND, maxDelayMs: 15 * MINUTE, forgetAfterMs: DAY },
  /** wrong passwords from one address, whatever the email: far more than a shared office mistypes */
  perAddress: { free: 50, baseDelayMs: SECOND, maxDelayMs: 15 * MINUTE, forgetAfterMs: HOUR },
} as const satisfies Record<string, Backoff>;

/** How long after the latest failure the next attempt must wait, given `failures` so far. */
export function backoffDelayMs(failures: number, { free, baseDelayMs, maxDelayMs }: Backoff): number {
  if (failures < free) return 0;
  // the exponent is capped so that 2 ** n stays a finite number for any count
  return Math.min(baseDelayMs * 2 ** Math.min(failures - free, 40), maxDelayMs);
}

type BackoffRow = { windowStart: number; count: number } | undefined;

/** Failures still remembered at `now` (a clock set back by more than the period also forgets). */
function failuresOf(row: BackoffRow, backoff: Backoff, now: number) {
  if (!row) return 0;
  const forgotten = now >= row.windowStart + backoff.forgetAfterMs || now < row.windowStart - backoff.forgetAfterMs;
  return forgotten ? 0 : row.count;
}

export type LoginAttempt =
  | { allowed: false; retryAfterSeconds: number }
  | {
      allowed: true;
      /** the password was right: this attempt was no failure, and the pair's earlier ones are forgiven */
      succeeded: () => Promise<void>;
    };

function loginKeys(email: string, ip: string | null) {
  const address = ip || "unknown";
  return {
    pair: `login-failures:pair:${address}:${email.trim().toLowerCase()}`,
    address: `login-failures:address:${address}`,
  };
}

/**
 * Before a password is checked. The attempt is counted as a failure up front (countFailureUpFront),
 * so that simultaneous guesses cannot all slip past the check; a refused attempt changes nothing
 * and costs no hash.
 * The keys do not depend on whether an account has the email, so the answer reveals nothing.
 * Call `succeeded()` when the password was right.
 */
export async function startLoginAttempt(email: string, ip: string | null): Promise<LoginAttempt> {
  const keys = loginKeys(email, ip);
  const db = getDb();
  const retryAfterSeconds = await countFailureUpFront([
    { key: keys.pair, backoff: LOGIN_BACKOFF.perPair },
    { key: keys.address, backoff: LOGIN_BACKOFF.perAddress },
  ]);
  if (retryAfterSeconds > 0) return { allowed: false, retryAfterSeconds };
  return {
    allowed: true,
    succeeded: async () =>
      await db.transaction(
        async (tx) => {
          // whoever knows the password may forget this address's failures on the account; the
          // address's own count only loses this attempt, or an attacker could clear it with an
          // account of their own
          await tx.delete(rateLimits).where(eq(rateLimits.key, keys.pair));
          await tx.update(rateLimits)
            .set({ count: sql`${rateLimits.count} - 1` })
            .where(and(eq(rateLimits.key, keys.address), gt(rateLimits.count, 0)));
        },
        { behavior: "immediate" },
      ),
  };
}

/**
 * Count an attempt as a failure on each counter before it is checked, in one immediate transaction
 * that reads and writes them all, so that simultaneous attempts (from this process or another)
 * cannot all slip past the check. Returns 0 when allowed, else the seconds to wait (nothing counted).
 */
async function countFailureUpFront(counters: { key: string; backoff: Backoff }[]): Promise<number> {
  const now = nowMs();
  await purgeOccasionally(now);
  const waitMs = await getDb().transaction(
    async (tx) => {
      const states = await Promise.all(counters.map(async ({ key, backoff }) => {
        const row = firstRow(await tx
          .select({ windowStart: rateLimits.windowStart, count: rateLimits.count })
          .from(rateLimits)
          .where(eq(rateLimits.key, key)).limit(1));
        const failures = failuresOf(row, backoff, now);
        const delay = backoffDelayMs(failures, backoff);
        return { key, failures, wait: delay === 0 ? 0 : row!.windowStart + delay - now };
      }));
      const wait = Math.max(...states.map((s) => s.wait));
      if (wait > 0) return wait;
      for (const { key, failures } of states) {
        await tx.insert(rateLimits)
          .values({ key, windowStart: now, count: failures + 1 })
          .onConflictDoUpdate({ target: rateLimits.key, set: { windowStart: now, count: failures + 1 } });
      }
      return 0;
    },
    { behavior: "immediate" },
  );
  return waitMs > 0 ? Math.max(1, Math.ceil(waitMs / 1000)) : 0;
}

/**
 * Wrong second-factor codes (at sign-in, or to confirm a sensitive change) slow down like wrong
 * passwords, but per account: whoever reaches the code step already knows the password, so
 * changing address must not buy more guesses. 5 free, then 1 s, 2 s, 4 s … up to 15 minutes after
 * the latest wrong code; forgotten after a day without one, or at a right code.
 */
export const SECOND_FACTOR_BACKOFF: Backoff = { free: 5, baseDelayMs: SECOND, maxDelayMs: 15 * MINUTE, forgetAfterMs: DAY };

export async function startSecondFactorAttempt(userId: string): Promise<LoginAttempt> {
  const key = `second-factor-failures:user:${userId}`;
  const retryAfterSeconds = await countFailureUpFront([{ key, backoff: SECOND_FACTOR_BACKOFF }]);
  if (retryAfterSeconds > 0) return { allowed: false, retryAfterSeconds };
  return { allowed: true, succeeded: async () => void (await getDb().delete(rateLimits).where(eq(rateLimits.key, key))) };
}

/**
 * Before a user's check-in code is checked: at most 10 wrong codes in 10 minutes, after which every
 * code, even a right one, is refused until the window ends. Counted up front (like a login attempt)
 * so that simultaneous wrong codes cannot slip past; call `notWrong()` when the code was right, or
 * was refused for another reason than being wrong.
 */
export async function startCheckInCodeAttempt(
  userId: string,
): Promise<{ allowed: false; retryAfterSeconds: number } | { allowed: true; notWrong: () => Promise<void> }> {
  const key = `user:wrong-check-in-codes:${userId}`;
  const result = await hit(key, LIMITS.wrongCheckInCodesPerUser);
  if (!result.allowed) return { allowed: false, retryAfterSeconds: result.retryAfterSeconds };
  return { allowed: true, notWrong: async () => await unhit(key, result.windowStart) };
}

/**
 * Before a personal code of a knowledge test or feedback form is checked: counted up front against
 * the address and the entry page (`entry`: the event and its target), like a check-in code; call
 * `notWrong()` when the code was right. Past either limit every code is refused until its window ends.
 */
export async function startEvaluationCodeAttempt(
  ip: string | null,
  entry: string,
): Promise<{ allowed: false; retryAfterSeconds: number } | { allowed: true; notWrong: () => Promise<void> }> {
  const byIp = `ip:wrong-evaluation-codes:${ip || "unknown"}`;
  const byEntry = `entry:wrong-evaluation-codes:${entry}`;
  const first = await hit(byIp, LIMITS.wrongEvaluationCodesPerIp);
  const second = await hit(byEntry, LIMITS.wrongEvaluationCodesPerEntry);
  if (!first.allowed || !second.allowed) {
    return { allowed: false, retryAfterSeconds: Math.max(first.retryAfterSeconds, second.retryAfterSeconds) };
  }
  return {
    allowed: true,
    notWrong: async () => {
      await unhit(byIp, first.windowStart);
      await unhit(byEntry, second.windowStart);
    },
  };
}

/**
 * Forgot-password: whether another reset email may go to this address (5 an hour). Beyond that
 * the page answers the same and simply sends nothing, so nobody can flood an inbox or learn
 * whether the address has an account.
 */
export async function mayEmailResetLink(email: string): Promise<boolean> {
  return (await hit(`email:password-reset:${email.toLowerCase()}`, LIMITS.resetEmailsPerAddress)).allowed;
}

/**
 * Public registration with a known email: whether another confirmation link may go to that address
 * (5 an hour), so that nobody can flood an inbox through the registration page. Past that the page
 * answers the same and nothing is sent.
 */
export async function mayEmailRegistrationConfirmation(email: string): Promise<boolean> {
  return (await hit(`email:registration-confirmation:${email.toLowerCase()}`, LIMITS.registrationConfirmationsPerAddress)).allowed;
}
