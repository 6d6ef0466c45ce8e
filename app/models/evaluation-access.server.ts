import crypto from "node:crypto";
import { and, asc, eq, inArray, isNotNull, isNull, sql } from "drizzle-orm";
import { getDb, firstRow, type DB } from "../../db/client";
import {
  appSettings,
  events,
  eventSessions,
  feedbackForms,
  feedbackRespondents,
  knowledgeTestAttempts,
  knowledgeTests,
  people,
  registrationRequests,
  registrations,
  sessionFacilitators,
  users,
} from "../../db/schema";
import { evaluationLinkEmail } from "@emails/evaluation-link";
import { startEvaluationCodeAttempt } from "~/auth/rate-limit.server";
import { forbidden, notFound, type Actor, type SessionUser } from "~/auth/session.server";
import { supportedLocales } from "~/i18n";
import { translatorFor } from "~/i18n.server";
import { ACCESS_TARGETS, EVALUATION_CODE_LENGTH, isAccessTarget, sessionIdOf, sessionTarget, type AccessTarget, type TestPhaseTarget } from "~/lib/evaluation-access";
import { nowMs } from "~/lib/clock";
import { formatDateTimeNamedZone, formatDayRange } from "~/lib/format";
import { recordAudit } from "./audit.server";
import { CHECK_IN_ALPHABET, codeFromDigest } from "./check-in.server";
import { getEventHeader } from "./events.server";
import { FieldError } from "./field-error.server";
import { phaseState, type TestTaker } from "./knowledge-tests.server";
import { enqueueEmail } from "./outbox.server";

/**
 * Taking a knowledge test or answering a feedback form without an account (docs/evaluation.md).
 *
 * Personal links. `/take/<token>`, token = "<registrationId>.<target>.<expires>.<via>.<mac>":
 *   mac = base64url(HMAC-SHA256(secret, "evaluation-access:<registrationId>:<target>:<expires>:<via>")),
 *   target pre | post | feedback | session-<sessionId> (a session's own feedback form), expires in
 *   UNIX seconds, via l (emailed link) | c (typed code). The session's id is written in the target,
 *   so it is inside the MAC: a link for one session's form never opens another's.
 * Nothing is stored per link: the secret (app_settings "evaluation_access_secret", created when the
 * first link or code is made) and the clock are enough to check one. Changing any part (another
 * person, phase, form or expiry) breaks the MAC. A link reaches only its own registration's
 * attempt at its own target, and only while that registration is a confirmed participation of a
 * person whose data was not anonymised.
 *
 * Personal codes, for a room without email: code = 8 characters of the check-in alphabet from
 * HMAC-SHA256(secret, "evaluation-code:<eventId>:<registrationId>:<target>"), printed on slips for
 * the facilitator and typed on the entry page the venue screen's QR code opens
 * (/take/code/<eventId>/<target>). A right code gives the same access as a link (via c, for
 * CODE_ACCESS_TTL_MS). Wrong codes are limited per address and per entry page
 * (app/auth/rate-limit.server.ts).
 */

const SECRET_KEY = "evaluation_access_secret";
/** How long an emailed link works: the span of a training and its follow-up week. */
export const LINK_TTL_MS = 14 * 24 * 60 * 60 * 1000;
/** How long a typed code's access lasts on the device: a training day. */
export const CODE_ACCESS_TTL_MS = 12 * 60 * 60 * 1000;
const TOKEN_MAX = 200;
// numbers written one way only (no leading zero): a link is accepted only as it was issued
const TOKEN_PATTERN = /^([1-9]\d{0,14})\.(pre|post|feedback|session-[1-9]\d{0,14})\.([1-9]\d{0,11})\.([lc])\.([A-Za-z0-9_-]{43})$/;

type Reader = Pick<DB, "select">;
type Via = "l" | "c";

async function readSecret(db: Reader): Promise<Buffer | null> {
  const row = firstRow(await db.select({ value: appSettings.value }).from(appSettings).where(eq(appSettings.key, SECRET_KEY)).limit(1));
  return row ? Buffer.from(row.value, "hex") : null;
}

/** The installation's secret for links and codes: 32 random bytes, created once (race-safe). */
async function accessSecret(db: Pick<DB, "select" | "insert">): Promise<Buffer> {
  const existing = await readSecret(db);
  if (existing) return existing;
  await db.insert(appSettings).values({ key: SECRET_KEY, value: crypto.randomBytes(32).toString("hex") }).onConflictDoNothing();
  const created = await readSecret(db);
  if (!created) throw new Error("evaluation access secret missing from app_settings");
  return created;
}

function macOf(secret: Buffer, registrationId: number, target: AccessTarget, expires: number, via: Via) {
  return crypto.createHmac("sha256", secret).update(`evaluation-access:${registrationId}:${target}:${expires}:${via}`).digest("base64url");
}

function tokenWith(secret: Buffer, registrationId: number, target: AccessTarget, expiresAtMs: number, via: Via) {
  const expires = Math.floor(expiresAtMs / 1000);
  return `${registrationId}.${target}.${expires}.${via}.${macOf(secret, registrationId, target, expires, via)}`;
}

function personalCode(secret: Buffer, eventId: number, registrationId: number, target: AccessTarget) {
  return codeFromDigest(secret, `evaluation-code:${eventId}:${registrationId}:${target}`, EVALUATION_CODE_LENGTH);
}

/** A typed code, upper-cased, without spaces or dashes; null when it cannot be a code. */
export function normaliseCode(raw: string): string | null {
  const text = raw.normalize("NFKC").replace(/[\s-]+/g, "").toUpperCase();
  if (text.length !== EVALUATION_CODE_LENGTH) return null;
  for (const ch of text) if (!CHECK_IN_ALPHABET.includes(ch)) return null;
  return text;
}

/** A code as printed: two groups of four, easier to read out and type. */
export function printedCode(code: string) {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

// ——— who holds a link ———

export type AccessRefusal = "invalid" | "expired";

/** What a valid token gives: one registration's attempt at one target. */
export type EvaluationAccess = {
  registrationId: number;
  personId: number;
  eventId: number;
  target: AccessTarget;
  /** The session whose form the target is (a session of this registration's event), else null. */
  sessionId: number | null;
  via: "link" | "code";
  expiresAt: number;
};

/**
 * The access a token gives, or why it gives none: "invalid" for anything malformed, tampered,
 * made with another secret, whose registration is no longer a confirmed participation, or whose
 * session is not (or no longer) one of the registration's event (nothing tells these apart: a
 * refusal reveals nothing about anyone); "expired" for a genuine link past its time. Reading never
 * creates the secret.
 */
export async function resolveAccess(token: string | null | undefined): Promise<{ ok: true; access: EvaluationAccess } | { ok: false; refusal: AccessRefusal }> {
  if (!token || token.length > TOKEN_MAX) return { ok: false, refusal: "invalid" };
  const m = TOKEN_PATTERN.exec(token);
  if (!m) return { ok: false, refusal: "invalid" };
  const db = getDb();
  const secret = await readSecret(db);
  if (!secret) return { ok: false, refusal: "invalid" };
  const registrationId = Number(m[1]);
  if (!isAccessTarget(m[2])) return { ok: false, refusal: "invalid" };
  const target = m[2];
  const expires = Number(m[3]);
  const via = m[4] as Via;
  const expected = Buffer.from(macOf(secret, registrationId, target, expires, via));
  const given = Buffer.from(m[5]);
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return { ok: false, refusal: "invalid" };
  if (expires * 1000 <= nowMs()) return { ok: false, refusal: "expired" };
  const registration = firstRow(
    await db
      .select({ id: registrations.id, personId: registrations.personId, eventId: registrations.eventId })
      .from(registrations)
      .innerJoin(people, eq(people.id, registrations.personId))
      .where(
        and(
          eq(registrations.id, registrationId),
          eq(registrations.eventRole, "participant"),
          eq(registrations.status, "confirmed"),
          sql`${people.anonymisedAt} is null`,
        ),
      )
      .limit(1),
  );
  if (!registration) return { ok: false, refusal: "invalid" };
  const sessionId = sessionIdOf(target);
  if (sessionId !== null) {
    // a session deleted since, or (never by a genuine link) one of another event
    const session = firstRow(
      await db.select({ id: eventSessions.id }).from(eventSessions).where(and(eq(eventSessions.id, sessionId), eq(eventSessions.eventId, registration.eventId))).limit(1),
    );
    if (!session) return { ok: false, refusal: "invalid" };
  }
  return {
    ok: true,
    access: { registrationId, personId: registration.personId, eventId: registration.eventId, target, sessionId, via: via === "l" ? "link" : "code", expiresAt: expires * 1000 },
  };
}

/** The knowledge-test taker a link's access stands for (its target is a test phase). */
export function takerOfAccess(access: EvaluationAccess & { target: TestPhaseTarget }, ip: string | null): TestTaker {
  return { registrationId: access.registrationId, personId: access.personId, eventId: access.eventId, userId: null, ip, via: access.via };
}

// ——— coordinators and facilitators ———

function isManager(user: SessionUser) {
  return user.role === "admin" || user.role === "coordinator";
}

/**
 * Admins and coordinators; facilitators who teach a session of this event (they run the room:
 * the venue screen and the paper slips). Others: 403. An event the user may not see: 404.
 */
async function requireRoomRunner(user: SessionUser, eventId: number) {
  if (!isManager(user) && user.role !== "facilitator") throw forbidden();
  await getEventHeader(user, eventId);
  if (isManager(user)) return;
  const teaches = firstRow(
    await getDb()
      .select({ id: sessionFacilitators.id })
      .from(sessionFacilitators)
      .innerJoin(eventSessions, eq(eventSessions.id, sessionFacilitators.sessionId))
      .where(and(eq(eventSessions.eventId, eventId), eq(sessionFacilitators.userId, user.id)))
      .limit(1),
  );
  if (!teaches) throw forbidden();
}

/** A session of this event (what the feedback pages show of it and its kind), or null for a session of another event. */
export async function findSessionOfEvent(db: Reader, eventId: number, sessionId: number) {
  return firstRow(
    await db
      .select({ id: eventSessions.id, title: eventSessions.title, kind: eventSessions.kind, startsAt: eventSessions.startsAt, endsAt: eventSessions.endsAt })
      .from(eventSessions)
      .where(and(eq(eventSessions.id, sessionId), eq(eventSessions.eventId, eventId)))
      .limit(1),
  ) ?? null;
}

type TargetState = "open" | "notOpen" | "closed" | "none";
/** A session whose form a target is: what the pages and the email show of it. */
type TargetSession = { id: number; title: string; startsAt: Date; endsAt: Date };

/**
 * Whether a target can be taken now: a test phase's window, a feedback form's state. A session
 * target whose session is not one of this event's, or is a break without a form, is "none" (the
 * pages answer 404, as for a phase of an event without a test).
 */
async function targetState(db: Reader, eventId: number, target: AccessTarget): Promise<{ state: TargetState; session: TargetSession | null }> {
  const sessionId = sessionIdOf(target);
  if (sessionId !== null) {
    const session = await findSessionOfEvent(db, eventId, sessionId);
    if (!session) return { state: "none", session: null };
    const form = firstRow(await db.select({ closedAt: feedbackForms.closedAt }).from(feedbackForms).where(and(eq(feedbackForms.eventId, eventId), eq(feedbackForms.sessionId, sessionId))).limit(1));
    const { kind, ...shown } = session;
    if (!form) return { state: kind === "break" ? "none" : "notOpen", session: shown };
    return { state: form.closedAt ? "closed" : "open", session: shown };
  }
  if (target === "feedback") {
    const form = firstRow(await db.select({ closedAt: feedbackForms.closedAt }).from(feedbackForms).where(and(eq(feedbackForms.eventId, eventId), isNull(feedbackForms.sessionId))).limit(1));
    return { state: !form ? "notOpen" : form.closedAt ? "closed" : "open", session: null };
  }
  const test = firstRow(await db.select().from(knowledgeTests).where(eq(knowledgeTests.eventId, eventId)).limit(1));
  if (!test) return { state: "none", session: null };
  const s = target === "pre" ? phaseState(test.preOpensAt, test.preClosesAt, nowMs()) : phaseState(test.postOpensAt, test.postClosesAt, nowMs());
  return { state: s === "open" ? "open" : s === "closed" ? "closed" : "notOpen", session: null };
}

/**
 * The event's confirmed participants and whether each has submitted a target (a test phase: an
 * online or paper attempt submitted; a feedback form, the event's or a session's: among its
 * respondents — who, never what).
 */
async function rosterWithProgress(db: Reader, eventId: number) {
  const roster = (
    await db
      .select({
        registrationId: registrations.id,
        personId: people.id,
        givenName: people.givenName,
        familyName: people.familyName,
        email: people.email,
        userId: people.userId,
        accountDisabledAt: users.disabledAt,
        accountLocale: users.locale,
      })
      .from(registrations)
      .innerJoin(people, eq(people.id, registrations.personId))
      .leftJoin(users, eq(users.id, people.userId))
      .where(and(eq(registrations.eventId, eventId), eq(registrations.eventRole, "participant"), eq(registrations.status, "confirmed"), sql`${people.anonymisedAt} is null`))
      .orderBy(asc(people.familyName), asc(people.givenName), asc(registrations.id))
  ).map((r) => ({ ...r, hasAccount: r.userId !== null && r.accountDisabledAt === null }));
  const submitted = await db
    .select({ registrationId: knowledgeTestAttempts.registrationId, phase: knowledgeTestAttempts.phase })
    .from(knowledgeTestAttempts)
    .innerJoin(knowledgeTests, eq(knowledgeTests.id, knowledgeTestAttempts.testId))
    .where(and(eq(knowledgeTests.eventId, eventId), isNotNull(knowledgeTestAttempts.submittedAt)));
  const answered = await db
    .select({ personId: feedbackRespondents.personId, sessionId: feedbackForms.sessionId })
    .from(feedbackRespondents)
    .innerJoin(feedbackForms, eq(feedbackForms.id, feedbackRespondents.formId))
    .where(eq(feedbackForms.eventId, eventId));
  const answeredKeys = new Set(answered.map((a) => `${a.sessionId ?? "event"}:${a.personId}`));
  const submittedKeys = new Set(submitted.map((s) => `${s.phase}:${s.registrationId}`));
  const done = (r: (typeof roster)[number], target: AccessTarget) => {
    if (target === "pre" || target === "post") return submittedKeys.has(`${target}:${r.registrationId}`);
    return answeredKeys.has(`${sessionIdOf(target) ?? "event"}:${r.personId}`);
  };
  return { roster, done };
}

/**
 * The access page of an event: per target, whether it is open, how many confirmed participants
 * have not submitted, and how many of those have no account and an email (links can go to them).
 * Names are not listed here (the slips page has them, for the people allowed to print them).
 */
export async function accessOverview(actor: Actor, eventId: number) {
  await requireRoomRunner(actor.user, eventId);
  const db = getDb();
  const event = firstRow(await db.select({ id: events.id, title: events.title, timeZone: events.timeZone }).from(events).where(eq(events.id, eventId)).limit(1));
  if (!event) throw notFound();
  const { roster, done } = await rosterWithProgress(db, eventId);
  const progress = (target: AccessTarget) => {
    const waiting = roster.filter((r) => !done(r, target));
    return {
      confirmed: roster.length,
      waiting: waiting.length,
      linkRecipients: waiting.filter((r) => !r.hasAccount && r.email).length,
      withoutEmail: waiting.filter((r) => !r.hasAccount && !r.email).length,
    };
  };
  const targets = [];
  for (const target of ACCESS_TARGETS) targets.push({ target, state: (await targetState(db, eventId, target)).state, ...progress(target) });
  // the open session forms, in timetable order (a closed one has nothing left to hand out)
  const openSessionForms = await db
    .select({ id: eventSessions.id, title: eventSessions.title, startsAt: eventSessions.startsAt, endsAt: eventSessions.endsAt })
    .from(feedbackForms)
    .innerJoin(eventSessions, eq(eventSessions.id, feedbackForms.sessionId))
    .where(and(eq(feedbackForms.eventId, eventId), eq(eventSessions.eventId, eventId), isNull(feedbackForms.closedAt)))
    .orderBy(asc(eventSessions.startsAt), asc(eventSessions.id));
  const sessions = openSessionForms.map((session) => ({ target: sessionTarget(session.id), state: "open" as const, session, ...progress(sessionTarget(session.id)) }));
  return { event, targets, sessions, mayEmail: isManager(actor.user) };
}

/**
 * The languages people without an account registered in through the public form, by lower-cased
 * email (an account's own language comes first; no entry: the sender's fallback).
 */
export async function knownLanguagesOf(db: Reader, eventId: number, emails: string[]) {
  if (emails.length === 0) return new Map<string, string>();
  const rows = await db
    .select({ email: registrationRequests.email, locale: registrationRequests.locale })
    .from(registrationRequests)
    .where(and(eq(registrationRequests.eventId, eventId), inArray(registrationRequests.email, emails.map((e) => e.toLowerCase()))))
    .orderBy(asc(registrationRequests.id));
  return new Map(rows.map((r) => [r.email, r.locale]));
}

/**
 * Email a personal link for `target` to each confirmed participant of the event who has not
 * submitted yet, has no (active) account and has an email address — in their language where it is
 * known, else in `fallbackLocale`. The target must be open. Audited with the number of emails,
 * never the links. Returns the number of emails queued.
 */
export async function emailPersonalLinks(actor: Actor, eventId: number, target: AccessTarget, fallbackLocale: string, appUrl: string): Promise<number> {
  if (!isManager(actor.user)) throw forbidden();
  await getEventHeader(actor.user, eventId);
  const fallback = (supportedLocales as readonly string[]).includes(fallbackLocale) ? fallbackLocale : "en";
  return await getDb().transaction(
    async (tx) => {
      const event = firstRow(
        await tx
          .select({ id: events.id, title: events.title, timeZone: events.timeZone, startDate: events.startDate, endDate: events.endDate })
          .from(events)
          .where(eq(events.id, eventId))
          .limit(1),
      );
      if (!event) throw notFound();
      const { state, session } = await targetState(tx, eventId, target);
      if (state !== "open") throw new FieldError("form", "evaluationAccess.errors.notOpen");
      const { roster, done } = await rosterWithProgress(tx, eventId);
      const due = roster.filter((r) => !done(r, target) && !r.hasAccount && r.email);
      if (due.length === 0) throw new FieldError("form", "evaluationAccess.errors.nobodyToEmail");
      const secret = await accessSecret(tx);
      const expiresAt = nowMs() + LINK_TTL_MS;
      const languages = await knownLanguagesOf(tx, eventId, due.map((r) => r.email!));
      for (const r of due) {
        const locale = r.accountLocale ?? languages.get(r.email!.toLowerCase()) ?? fallback;
        const { t, lang, dir } = translatorFor(locale);
        const content = evaluationLinkEmail(
          {
            name: `${r.givenName} ${r.familyName}`,
            eventTitle: event.title,
            dates: formatDayRange(event.startDate, event.endDate, lang),
            target,
            sessionTitle: session?.title ?? null,
            url: personalLinkUrl(appUrl, secret, r.registrationId, target, expiresAt),
            expires: formatDateTimeNamedZone(new Date(expiresAt), event.timeZone, lang),
          },
          t,
          { lang, dir },
        );
        await enqueueEmail(tx, { ...content, kind: "evaluation_link", to: r.email!, userId: null });
      }
      await recordAudit(tx, {
        userId: actor.user.id,
        ip: actor.ip,
        action: "evaluation.links_email",
        entityType: "event",
        entityId: eventId,
        details: { target, emails: due.length, registrationIds: due.map((r) => r.registrationId) },
      });
      return due.length;
    },
    { behavior: "immediate" },
  );
}

function personalLinkUrl(appUrl: string, secret: Buffer, registrationId: number, target: AccessTarget, expiresAtMs: number) {
  return `${appUrl}/take/${tokenWith(secret, registrationId, target, expiresAtMs, "l")}`;
}

/**
 * Personal links for emails other models send (the feedback form's reminder): the address of
 * each registration's own link to `target`, valid LINK_TTL_MS from now, and when it expires. The
 * caller has checked that the registrations are confirmed participants of the target's event;
 * resolveAccess checks it again whenever a link is opened.
 */
export async function personalLinksFor(db: Pick<DB, "select" | "insert">, appUrl: string, target: AccessTarget, registrationIds: number[]) {
  const secret = await accessSecret(db);
  const expiresAt = nowMs() + LINK_TTL_MS;
  return { expiresAt, urls: new Map(registrationIds.map((id) => [id, personalLinkUrl(appUrl, secret, id, target, expiresAt)])) };
}

/**
 * The paper slips of a target: each confirmed participant who has not submitted yet, with their
 * personal code, and the entry page's address. Admins, coordinators and the event's facilitators.
 * Printing is audited (how many, for whom; never the codes).
 */
export async function codeSlips(actor: Actor, eventId: number, target: AccessTarget, appUrl: string) {
  await requireRoomRunner(actor.user, eventId);
  const db = getDb();
  const event = firstRow(await db.select({ id: events.id, title: events.title }).from(events).where(eq(events.id, eventId)).limit(1));
  if (!event) throw notFound();
  const { state, session } = await targetState(db, eventId, target);
  if (state === "none") throw notFound();
  const secret = await accessSecret(db);
  const { roster, done } = await rosterWithProgress(db, eventId);
  const people_ = roster
    .filter((r) => !done(r, target))
    .map((r) => ({ registrationId: r.registrationId, name: `${r.givenName} ${r.familyName}`, code: printedCode(personalCode(secret, eventId, r.registrationId, target)) }));
  await recordAudit(db, {
    userId: actor.user.id,
    ip: actor.ip,
    action: "evaluation.codes_print",
    entityType: "event",
    entityId: eventId,
    details: { target, people: people_.length, registrationIds: people_.map((p) => p.registrationId) },
  });
  return { event, target, sessionTitle: session?.title ?? null, state, people: people_, entryUrl: entryUrl(appUrl, eventId, target) };
}

function entryUrl(appUrl: string, eventId: number, target: AccessTarget) {
  return `${appUrl}/take/code/${eventId}/${target}`;
}

/** The venue screen of a target: the entry page's address (for the QR code) while it is open. */
export async function venueScreen(actor: Actor, eventId: number, target: AccessTarget, appUrl: string) {
  await requireRoomRunner(actor.user, eventId);
  const db = getDb();
  const event = firstRow(await db.select({ id: events.id, title: events.title }).from(events).where(eq(events.id, eventId)).limit(1));
  if (!event) throw notFound();
  const { state, session } = await targetState(db, eventId, target);
  if (state === "none") throw notFound();
  return { event, target, sessionTitle: session?.title ?? null, open: state === "open", entryUrl: entryUrl(appUrl, eventId, target) };
}

// ——— the entry page ———

export type CodeResult = { ok: true; token: string } | { ok: false; error: "evaluationAccess.errors.wrongCode" | "evaluationAccess.errors.codeFormat"; retryAfterSeconds: 0 } | { ok: false; error: "evaluationAccess.errors.tooMany"; retryAfterSeconds: number };

/**
 * A code typed on the entry page of an event's target: the access token of the confirmed
 * participant whose code it is, or a refusal. The same refusal for a wrong code, an unknown event
 * and a target without a test (nothing to learn by probing). Every wrong code counts against the
 * address and the entry page; past the limit every code is refused until the window ends.
 */
export async function redeemCode(eventId: number, target: AccessTarget, typed: string, ip: string | null): Promise<CodeResult> {
  const code = normaliseCode(typed);
  if (!code) return { ok: false, error: "evaluationAccess.errors.codeFormat", retryAfterSeconds: 0 };
  const attempt = await startEvaluationCodeAttempt(ip, `${eventId}:${target}`);
  if (!attempt.allowed) return { ok: false, error: "evaluationAccess.errors.tooMany", retryAfterSeconds: attempt.retryAfterSeconds };
  const db = getDb();
  const secret = await readSecret(db);
  const candidates = secret
    ? await db
        .select({ registrationId: registrations.id })
        .from(registrations)
        .innerJoin(people, eq(people.id, registrations.personId))
        .where(and(eq(registrations.eventId, eventId), eq(registrations.eventRole, "participant"), eq(registrations.status, "confirmed"), sql`${people.anonymisedAt} is null`))
    : [];
  const given = Buffer.from(code);
  // every candidate is compared (no early exit): the time taken says nothing about how close a guess was
  let match: number | null = null;
  for (const c of candidates) {
    const expected = Buffer.from(personalCode(secret!, eventId, c.registrationId, target));
    if (crypto.timingSafeEqual(expected, given)) match ??= c.registrationId;
  }
  if (match === null) return { ok: false, error: "evaluationAccess.errors.wrongCode", retryAfterSeconds: 0 };
  await attempt.notWrong();
  return { ok: true, token: tokenWith(secret!, match, target, nowMs() + CODE_ACCESS_TTL_MS, "c") };
}

/** For tests and the seed: a registration's personal link token and code. */
export async function accessTokenFor(registrationId: number, target: AccessTarget, expiresAtMs: number) {
  return tokenWith(await accessSecret(getDb()), registrationId, target, expiresAtMs, "l");
}

export async function personalCodeFor(eventId: number, registrationId: number, target: AccessTarget) {
  return personalCode(await accessSecret(getDb()), eventId, registrationId, target);
}

