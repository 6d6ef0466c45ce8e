import crypto from "node:crypto";
import { and, eq, gte, lte, sql } from "drizzle-orm";
import { getDb, type DB, firstRow } from "../../db/client";
import { appSettings, attendance, events, eventSessions, people, registrations, sessionFacilitators } from "../../db/schema";
import { startCheckInCodeAttempt } from "~/auth/rate-limit.server";
import { forbidden, notFound, type Actor, type SessionUser } from "~/auth/session.server";
import { nowMs } from "~/lib/clock";
import { recordAudit } from "./audit.server";
import { emitWebhookEvent, webhookEvent } from "./webhook-events.server";
import { getEventHeader } from "./events.server";
import { FieldError } from "./field-error.server";

/**
 * Self check-in. The venue screen shows a code that changes every 30 seconds:
 * code(session, window) = the first 6 characters (from an alphabet without look-alikes) of
 * HMAC-SHA256(installation secret, "<sessionId>:<window>"), window = floor(now / 30 s). The current
 * and the previous window are accepted, so a code read 25 s ago still works while a photo sent to
 * a colleague stops working within about a minute. Nothing is stored per code: the secret (in
 * app_settings, generated on first use) and the clock are enough to check one.
 */

export const CHECK_IN_WINDOW_MS = 30_000;
export const CHECK_IN_CODE_LENGTH = 6;
/** No 0/O, 1/I/L: codes are read off a projector and typed on a phone. */
export const CHECK_IN_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
/** The largest grace an event may have (events_grace_check), to find candidate sessions in SQL. */
const MAX_GRACE_MS = 240 * 60_000;
const SECRET_KEY = "check_in_secret";

export type CheckInErrorKey = "checkIn.errors.invalid" | "checkIn.errors.closed" | "checkIn.errors.break" | "checkIn.errors.notRegistered" | "checkIn.errors.format";

type Reader = Pick<DB, "select">;

/** A user who typed too many wrong codes lately: every code is refused until the wait is over. */
export class TooManyWrongCodes extends Error {
  constructor(public readonly retryAfterSeconds: number) {
    super("too many wrong check-in codes");
  }
}

// ——— codes ———

const secrets = new WeakMap<object, Buffer>();

/** The installation's check-in secret: 32 random bytes, created once (race-safe) and kept in app_settings. */
async function checkInSecret(db: DB): Promise<Buffer> {
  const cached = secrets.get(db);
  if (cached) return cached;
  await db.insert(appSettings)
    .values({ key: SECRET_KEY, value: crypto.randomBytes(32).toString("hex") })
    .onConflictDoNothing();
  const row = firstRow(await db.select({ value: appSettings.value }).from(appSettings).where(eq(appSettings.key, SECRET_KEY)).limit(1));
  if (!row) throw new Error("check-in secret missing from app_settings");
  const secret = Buffer.from(row.value, "hex");
  secrets.set(db, secret);
  return secret;
}

export function checkInWindow(atMs: number) {
  return Math.floor(atMs / CHECK_IN_WINDOW_MS);
}

/**
 * `length` characters of CHECK_IN_ALPHABET from HMAC-SHA256(secret, message), by rejection sampling
 * (no bias towards the first letters of the alphabet). Also the personal codes of knowledge tests
 * and feedback forms (evaluation-access.server.ts).
 */
export function codeFromDigest(secret: Buffer, message: string, length = CHECK_IN_CODE_LENGTH): string {
  const n = CHECK_IN_ALPHABET.length;
  const limit = 256 - (256 % n);
  let out = "";
  let input = message;
  while (out.length < length) {
    const digest = crypto.createHmac("sha256", secret).update(input).digest();
    for (const byte of digest) {
      if (byte >= limit) continue;
      out += CHECK_IN_ALPHABET[byte % n];
      if (out.length === length) break;
    }
    input = digest.toString("hex"); // practically never needed: 32 bytes, each kept with probability 248/256
  }
  return out;
}

function codeFor(secret: Buffer, sessionId: number, window: number) {
  return codeFromDigest(secret, `${sessionId}:${window}`);
}

function sameCode(a: string, b: string) {
  return a.length === b.length && crypto.timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

/** Whether a code is this session's code now or in the previous window. */
function codeMatches(secret: Buffer, sessionId: number, code: string, atMs: number) {
  const window = checkInWindow(atMs);
  return sameCode(codeFor(secret, sessionId, window), code) || sameCode(codeFor(secret, sessionId, window - 1), code);
}

/** "<sessionId>-<code>" (from the QR code) or a bare code (typed), upper-cased and without spaces. */
export function parseCheckInCode(raw: string): { sessionId: number | null; code: string } | null {
  const text = raw.normalize("NFKC").replace(/\s+/g, "").toUpperCase();
  const qr = /^(\d{1,15})-([A-Z0-9]{6})$/.exec(text);
  if (qr) {
    const sessionId = Number(qr[1]);
    return Number.isSafeInteger(sessionId) && sessionId > 0 ? { sessionId, code: qr[2] } : null;
  }
  const bare = text.replace(/-/g, "");
  return /^[A-Z0-9]{6}$/.test(bare) ? { sessionId: null, code: bare } : null;
}

// ——— the check-in window ———

type WindowedSession = {
  id: number;
  title: string;
  kind: string;
  room: string | null;
  startsAt: Date;
  endsAt: Date;
  eventId: number;
  eventTitle: string;
  eventStatus: string;
  timeZone: string;
  graceMinutes: number;
};

const windowedColumns = {
  id: eventSessions.id,
  title: eventSessions.title,
  kind: eventSessions.kind,
  room: eventSessions.room,
  startsAt: eventSessions.startsAt,
  endsAt: eventSessions.endsAt,
  eventId: events.id,
  eventTitle: events.title,
  eventStatus: events.status,
  timeZone: events.timeZone,
  graceMinutes: events.checkInGraceMinutes,
};

export type CheckInState = "open" | "notYet" | "ended" | "eventClosed" | "break";

/**
 * Check-in runs from (start − grace) to (end + grace), both included; never for draft or cancelled
 * events, and never for breaks (nobody's attendance is taken at lunch).
 */
function checkInPeriod(s: WindowedSession, atMs: number) {
  const graceMs = s.graceMinutes * 60_000;
  const opensAt = s.startsAt.getTime() - graceMs;
  const closesAt = s.endsAt.getTime() + graceMs;
  const state: CheckInState =
    s.eventStatus === "draft" || s.eventStatus === "cancelled"
      ? "eventClosed"
      : s.kind === "break"
        ? "break"
        : atMs < opensAt
        ? "notYet"
        : atMs > closesAt
          ? "ended"
          : "open";
  return { opensAt, closesAt, state };
}

async function loadSession(db: Reader, sessionId: number): Promise<WindowedSession | undefined> {
  return firstRow(await db
    .select(windowedColumns)
    .from(eventSessions)
    .innerJoin(events, eq(events.id, eventSessions.eventId))
    .where(eq(eventSessions.id, sessionId)).limit(1));
}

/** Sessions whose check-in could be open around now (the exact test is checkInPeriod): few at any moment. */
async function sessionsAround(db: Reader, atMs: number): Promise<WindowedSession[]> {
  return await db
    .select(windowedColumns)
    .from(eventSessions)
    .innerJoin(events, eq(events.id, eventSessions.eventId))
    .where(and(lte(eventSessions.startsAt, new Date(atMs + MAX_GRACE_MS)), gte(eventSessions.endsAt, new Date(atMs - MAX_GRACE_MS))));
}

// ——— the venue screen ———

/**
 * Admins and coordinators, and facilitators assigned to this session: the same people who may take
 * its attendance by hand (showing the code lets people mark themselves present).
 */
async function mayShowCode(db: Reader, user: SessionUser, sessionId: number) {
  if (user.role === "admin" || user.role === "coordinator") return true;
  if (user.role !== "facilitator") return false;
  const row = firstRow(await db
    .select({ id: sessionFacilitators.id })
    .from(sessionFacilitators)
    .where(and(eq(sessionFacilitators.sessionId, sessionId), eq(sessionFacilitators.userId, user.id))).limit(1));
  return Boolean(row);
}

/**
 * What the venue screen shows: the current code, the URL in the QR code, seconds until the code
 * changes, and whether check-in is open now. 403 for anyone but admins, coordinators and the
 * session's facilitators (also when the session does not exist, so ids cannot be probed); 404 when
 * the session is not in this event or the event is not visible to them (a draft, for facilitators).
 */
export async function currentCheckInCode(actor: Actor, sessionId: number, appUrl: string, eventId?: number) {
  const db = getDb();
  if (!(await mayShowCode(db, actor.user, sessionId))) throw forbidden();
  const session = await loadSession(db, sessionId);
  if (!session || (eventId !== undefined && session.eventId !== eventId)) throw notFound();
  // an event the user may not see (a facilitator's draft: its existence is private) is 404, as on
  // the attendance page
  await getEventHeader(actor.user, session.eventId);
  const t = nowMs();
  const window = checkInWindow(t);
  const code = codeFor(await checkInSecret(db), sessionId, window);
  const windowEndsAt = (window + 1) * CHECK_IN_WINDOW_MS;
  const period = checkInPeriod(session, t);
  return {
    session: { id: session.id, title: session.title, room: session.room, startsAt: session.startsAt.getTime(), endsAt: session.endsAt.getTime() },
    event: { id: session.eventId, title: session.eventTitle, timeZone: session.timeZone, graceMinutes: session.graceMinutes },
    code,
    url: `${appUrl}/check-in?c=${sessionId}-${code}`,
    checkInUrl: `${appUrl}/check-in`,
    secondsLeft: Math.max(1, Math.ceil((windowEndsAt - t) / 1000)),
    open: period.state === "open",
    state: period.state,
    opensAt: period.opensAt,
    closesAt: period.closesAt,
    now: t,
  };
}

// ——— checking in ———

export type CheckInMethod = "qr" | "code";

type Resolved =
  | { ok: true; session: WindowedSession; registrationId: number; method: CheckInMethod }
  | { ok: false; error: CheckInErrorKey };

/** The confirmed participant registration of this user on the event, if any. */
async function confirmedRegistration(db: Reader, userId: string, eventId: number) {
  return firstRow(await db
    .select({ id: registrations.id })
    .from(registrations)
    .innerJoin(people, eq(people.id, registrations.personId))
    .where(
      and(
        eq(registrations.eventId, eventId),
        eq(people.userId, userId),
        eq(registrations.eventRole, "participant"),
        eq(registrations.status, "confirmed"),
      ),
    ).limit(1));
}

/**
 * Which session a code is for, and whether this user may check in to it now. Refusals, in order:
 * a malformed code, a code that is not the named session's (wrong, expired, or another
 * session's), check-in not open, not a confirmed participant of the event.
 */
async function resolve(db: Reader, secret: Buffer, user: SessionUser, input: { sessionId?: number | null; code: string }): Promise<Resolved> {
  const parsed = parseCheckInCode(input.code);
  if (!parsed) return { ok: false, error: "checkIn.errors.format" };
  const t = nowMs();
  const named = input.sessionId ?? null;
  if (named !== null && parsed.sessionId !== null && named !== parsed.sessionId) return { ok: false, error: "checkIn.errors.invalid" };
  const sessionId = parsed.sessionId ?? named;
  const method: CheckInMethod = parsed.sessionId !== null ? "qr" : "code";

  let session: WindowedSession | undefined;
  if (sessionId !== null) {
    const found = await loadSession(db, sessionId);
    if (found && codeMatches(secret, found.id, parsed.code, t)) session = found;
  } else {
    // a typed code names no session: look among the sessions whose check-in could be open now
    const matches = (await sessionsAround(db, t)).filter((s) => codeMatches(secret, s.id, parsed.code, t));
    // two sessions sharing a code at once is a one-in-hundreds-of-millions event; prefer the user's own
    for (const match of matches) {
      if (await confirmedRegistration(db, user.id, match.eventId)) {
        session = match;
        break;
      }
    }
    session ??= matches[0];
  }
  if (!session) return { ok: false, error: "checkIn.errors.invalid" };
  const state = checkInPeriod(session, t).state;
  if (state === "break") return { ok: false, error: "checkIn.errors.break" };
  if (state !== "open") return { ok: false, error: "checkIn.errors.closed" };
  const registration = await confirmedRegistration(db, user.id, session.eventId);
  if (!registration) return { ok: false, error: "checkIn.errors.notRegistered" };
  return { ok: true, session, registrationId: registration.id, method };
}

/**
 * What the participant's page shows before they confirm (a GET never checks in): the session and
 * event a code is for, or why it would be refused.
 */
export async function previewCheckIn(actor: Actor, input: { sessionId?: number | null; code: string }) {
  const db = getDb();
  // a preview tells a right code from a wrong one, so it counts against the same limit as checking in
  const attempt = await startCheckInCodeAttempt(actor.user.id);
  if (!attempt.allowed) return { ok: false as const, error: "checkIn.errors.tooMany" as const, retryAfterSeconds: attempt.retryAfterSeconds };
  const result = await resolve(db, await checkInSecret(db), actor.user, input);
  // (awaited: a hit taken back later would race the next attempt's and count it wrong)
  if (result.ok || result.error !== "checkIn.errors.invalid") await attempt.notWrong();
  if (!result.ok) return { ok: false as const, error: result.error, retryAfterSeconds: 0 };
  return { ok: true as const, sessionId: result.session.id, sessionTitle: result.session.title, eventTitle: result.session.eventTitle };
}

/**
 * Check the acting user in to a session with a code (throws FieldError("code", key) when refused).
 * A first check-in records the participant as present by qr or code, recorded by themselves. Someone
 * already present or late stays as recorded; someone marked absent or excused who then checks in
 * during the session is set present (the audit log keeps what it was before).
 */
export async function checkIn(actor: Actor, input: { sessionId?: number | null; code: string }) {
  const db = getDb();
  const secret = await checkInSecret(db);
  const attempt = await startCheckInCodeAttempt(actor.user.id);
  if (!attempt.allowed) throw new TooManyWrongCodes(attempt.retryAfterSeconds);
  let outcome;
  try {
    outcome = await recordCheckIn(db, secret, actor, input);
  } catch (error) {
    // only a wrong code counts; taken back after the transaction, which a refusal rolls back
    if (!(error instanceof FieldError && error.messageKey === "checkIn.errors.invalid")) await attempt.notWrong();
    throw error;
  }
  await attempt.notWrong();
  return outcome;
}

async function recordCheckIn(db: DB, secret: Buffer, actor: Actor, input: { sessionId?: number | null; code: string }) {
  return await db.transaction(
    async (tx) => {
      const result = await resolve(tx, secret, actor.user, input);
      if (!result.ok) throw new FieldError("code", result.error);
      const { session, registrationId, method } = result;
      const at = new Date(nowMs());
      const existing = firstRow(await tx
        .select({ id: attendance.id, status: attendance.status, method: attendance.method, recordedByUserId: attendance.recordedByUserId })
        .from(attendance)
        .where(and(eq(attendance.registrationId, registrationId), eq(attendance.sessionId, session.id))).limit(1));
      const outcome = { sessionId: session.id, sessionTitle: session.title, eventId: session.eventId, eventTitle: session.eventTitle };
      if (existing && (existing.status === "present" || existing.status === "late")) {
        return { ...outcome, alreadyCheckedIn: true, status: existing.status };
      }
      let attendanceId: number;
      if (existing) {
        await tx.update(attendance)
          .set({ status: "present", method, recordedByUserId: actor.user.id, recordedAt: at })
          .where(eq(attendance.id, existing.id));
        attendanceId = existing.id;
      } else {
        attendanceId = (await tx
          .insert(attendance)
          .values({ registrationId, sessionId: session.id, status: "present", method, recordedByUserId: actor.user.id, recordedAt: at })
          .returning({ id: attendance.id }))[0].id;
      }
      await emitWebhookEvent(tx, webhookEvent.attendanceRecorded({ registrationId, sessionId: session.id, eventId: session.eventId, status: "present", method, recordedAt: at }));
      await recordAudit(tx, {
        userId: actor.user.id,
        ip: actor.ip,
        action: "attendance.check_in",
        entityType: "attendance",
        entityId: attendanceId,
        details: {
          eventId: session.eventId,
          sessionId: session.id,
          registrationId,
          method,
          before: existing ? { status: existing.status, method: existing.method, recordedByUserId: existing.recordedByUserId } : null,
        },
      });
      return { ...outcome, alreadyCheckedIn: false, status: "present" as const };
    },
    { behavior: "immediate" },
  );
}

/** The success page: the session the user is recorded present (or late) at, or null (nothing read from the URL is trusted). */
export async function checkedInTo(user: SessionUser, sessionId: number) {
  return (
    firstRow(await getDb()
      .select({ sessionTitle: eventSessions.title, eventTitle: events.title, status: attendance.status })
      .from(attendance)
      .innerJoin(registrations, eq(registrations.id, attendance.registrationId))
      .innerJoin(people, eq(people.id, registrations.personId))
      .innerJoin(eventSessions, eq(eventSessions.id, attendance.sessionId))
      .innerJoin(events, eq(events.id, eventSessions.eventId))
      .where(and(eq(attendance.sessionId, sessionId), eq(people.userId, user.id), sql`${attendance.status} in ('present', 'late')`)).limit(1)) ?? null
  );
}
