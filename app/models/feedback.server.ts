import crypto from "node:crypto";
import { and, asc, eq, isNull, sql } from "drizzle-orm";
import { getDb, type DB, type Tx, firstRow } from "../../db/client";
import { eventSessions, events, feedbackAnswers, feedbackForms, feedbackRespondents, organisations, people, registrations, users } from "../../db/schema";
import { feedbackReminderEmail } from "@emails/feedback-reminder";
import { forbidden, notFound, type Actor, type SessionUser } from "~/auth/session.server";
import { translatorFor } from "~/i18n.server";
import { now } from "~/lib/clock";
import type { EventStatus } from "~/lib/domain";
import { FEEDBACK_QUESTIONS, FEEDBACK_RESULTS_MIN, FEEDBACK_SCALE, type FeedbackQuestion } from "~/lib/feedback";
import { formatDateTimeNamedZone, formatDayRange } from "~/lib/format";
import { recordAudit } from "./audit.server";
import { reminderOptOut } from "./email-preferences.server";
import { findSessionOfEvent, knownLanguagesOf, personalLinksFor } from "./evaluation-access.server";
import { FieldError } from "./field-error.server";
import { KEY_MODULUS } from "./disclosure.server";
import { enqueueEmail } from "./outbox.server";
import { ownConfirmedParticipation, ownConfirmedRegistration } from "./registrations.server";

/**
 * The feedback form at the end of an event: five ratings from 1 to 5 and a comment, answered by
 * the event's confirmed participants from their own page, anonymously (docs/feedback.md). The
 * optional short forms of single sessions (app/models/session-feedback.server.ts) share this
 * file's storage, anonymity and refusals; the end-of-event form stays the one certificates and
 * reports use.
 *
 * - Who answered (feedback_respondents: form and person, nothing else) is kept apart from what was
 *   answered (feedback_answers: form, ratings, comment — no person, no time, a random id). No
 *   query, page, export or log joins the two: the only thing they share is the form.
 * - Every answer rewrites the form's answers in a random order, so neither the order of the rows
 *   nor where and by which transaction the database stored them tells which answer came when.
 * - The coordinator sees the answers only once the form is closed (for good) and at least
 *   FEEDBACK_RESULTS_MIN people answered: watching the results while answers come in, or reading
 *   the answers of one or two respondents, would tell who said what.
 * - One answer per person: the respondents' primary key refuses a second one, on both engines and
 *   however many requests arrive at once.
 */

export type Reader = Pick<DB, "select">;

/** Events whose feedback forms may be opened: not a draft (nobody is there yet) nor cancelled. */
export const FEEDBACK_EVENT_STATUSES: readonly EventStatus[] = ["open", "in_progress", "completed", "reported"];

export type FeedbackFormState = "notOpened" | "open" | "closed";

/** Ratings of one answer, and its comment. */
export type FeedbackInput = Record<FeedbackQuestion, number> & { comment: string | null };

/** One answer as stored: a session form's answers have no overall nor confidence rating. */
export type StoredAnswer = Omit<FeedbackInput, "overall" | "confidence"> & { overall: number | null; confidence: number | null };

export function requireFeedbackManager(actor: Actor) {
  if (actor.user.role !== "admin" && actor.user.role !== "coordinator") throw forbidden();
}

export async function loadEvent(db: Reader, eventId: number) {
  const event = firstRow(
    await db
      .select({ id: events.id, title: events.title, status: events.status, timeZone: events.timeZone, startDate: events.startDate, endDate: events.endDate })
      .from(events)
      .where(eq(events.id, eventId))
      .limit(1),
  );
  if (!event) throw notFound();
  return event;
}

/** The event's end-of-event form (sessionId null, the default) or the form of one of its sessions. */
export async function formOf(db: Reader, eventId: number, sessionId: number | null = null) {
  return firstRow(
    await db
      .select({ id: feedbackForms.id, openedAt: feedbackForms.openedAt, closedAt: feedbackForms.closedAt, reminderSentAt: feedbackForms.reminderSentAt })
      .from(feedbackForms)
      .where(and(eq(feedbackForms.eventId, eventId), sessionId === null ? isNull(feedbackForms.sessionId) : eq(feedbackForms.sessionId, sessionId)))
      .limit(1),
  );
}

export function stateOf(form: { closedAt: Date | null } | undefined): FeedbackFormState {
  if (!form) return "notOpened";
  return form.closedAt ? "closed" : "open";
}

/** The event's confirmed participants, by name, with what a reminder needs. */
export async function confirmedParticipants(db: Reader, eventId: number) {
  return await db
    .select({
      registrationId: registrations.id,
      personId: people.id,
      givenName: people.givenName,
      familyName: people.familyName,
      organisationName: organisations.name,
      userId: people.userId,
      email: people.email,
      accountEmail: users.email,
      locale: users.locale,
      // an account's setting, or (no account) the person's own
      remindersOff: sql<number>`coalesce(${users.emailRemindersOff}, ${people.emailRemindersOff})`.mapWith(Boolean),
      disabledAt: users.disabledAt,
      anonymisedAt: people.anonymisedAt,
    })
    .from(registrations)
    .innerJoin(people, eq(people.id, registrations.personId))
    .leftJoin(organisations, eq(organisations.id, people.organisationId))
    .leftJoin(users, eq(users.id, people.userId))
    .where(and(eq(registrations.eventId, eventId), eq(registrations.eventRole, "participant"), eq(registrations.status, "confirmed")))
    .orderBy(asc(people.familyName), asc(people.givenName), asc(people.id));
}

export async function respondentIds(db: Reader, formId: number): Promise<Set<number>> {
  const rows = await db.select({ personId: feedbackRespondents.personId }).from(feedbackRespondents).where(eq(feedbackRespondents.formId, formId));
  return new Set(rows.map((r) => r.personId));
}

/** Who may answer online: a confirmed participant with an account that is not disabled. */
export function answersOnline(p: { userId: string | null; accountEmail: string | null; disabledAt: Date | null }) {
  return p.userId !== null && p.accountEmail !== null && p.disabledAt === null;
}

/** Per question: how many gave each rating, how many answered, and the mean (one decimal). */
export function distributions<Q extends FeedbackQuestion>(questions: readonly Q[], rows: Record<Q, number | null>[]) {
  return questions.map((question) => {
    const counts = FEEDBACK_SCALE.map((value) => rows.filter((r) => r[question] === value).length);
    const rated = rows.map((r) => r[question]).filter((v): v is number => v !== null);
    const total = rated.length;
    const sum = rated.reduce((acc, v) => acc + v, 0);
    return { question, counts, total, mean: total === 0 ? null : Math.round((sum / total) * 10) / 10 };
  });
}

/** A form's answers as the results show them, in the order of their random ids. */
export async function answersOf(db: Reader, formId: number) {
  return await db
    .select({
      overall: feedbackAnswers.overall,
      content: feedbackAnswers.content,
      facilitators: feedbackAnswers.facilitators,
      relevance: feedbackAnswers.relevance,
      confidence: feedbackAnswers.confidence,
      comment: feedbackAnswers.comment,
    })
    .from(feedbackAnswers)
    .where(eq(feedbackAnswers.formId, formId))
    .orderBy(asc(feedbackAnswers.id));
}

/**
 * The event's feedback tab (admins and coordinators): the form's state, how many of the confirmed
 * participants answered, who has not (to remind them), and — once the form is closed and enough
 * people answered — the distribution of each rating and the comments, in the order of their
 * random ids (stable, and saying nothing about when they came).
 */
export async function feedbackOverview(actor: Actor, eventId: number) {
  requireFeedbackManager(actor);
  const db = getDb();
  const event = await loadEvent(db, eventId);
  const form = await formOf(db, eventId);
  const participants = await confirmedParticipants(db, eventId);
  const answered = form ? await respondentIds(db, form.id) : new Set<number>();
  const nonRespondents = participants
    .filter((p) => !answered.has(p.personId))
    .map((p) => ({ personId: p.personId, name: `${p.givenName} ${p.familyName}`, organisationName: p.organisationName, online: answersOnline(p) }));
  const state = stateOf(form);
  let results: { questions: ReturnType<typeof distributions>; comments: string[] } | null = null;
  if (form && state === "closed" && answered.size >= FEEDBACK_RESULTS_MIN) {
    const rows = await answersOf(db, form.id);
    results = { questions: distributions(FEEDBACK_QUESTIONS, rows), comments: rows.map((r) => r.comment).filter((c): c is string => c !== null) };
  }
  return {
    event: { id: event.id, title: event.title, status: event.status, timeZone: event.timeZone },
    canOpen: FEEDBACK_EVENT_STATUSES.includes(event.status),
    state,
    openedAt: form?.openedAt ?? null,
    closedAt: form?.closedAt ?? null,
    reminderSentAt: form?.reminderSentAt ?? null,
    respondents: answered.size,
    confirmed: participants.length,
    answeredConfirmed: participants.length - nonRespondents.length,
    nonRespondents,
    results,
    minimumShown: FEEDBACK_RESULTS_MIN,
  };
}

/**
 * The figures of the event's feedback form for the API (the feedback tab's rights: admins and
 * coordinators): its state, how many answered, and — once it is closed and enough answered — each
 * rating's distribution. No names, no comments (they may name people).
 */
export async function apiFeedbackResults(actor: Actor, eventId: number) {
  const overview = await feedbackOverview(actor, eventId);
  return {
    state: overview.state,
    respondents: overview.respondents,
    confirmed: overview.confirmed,
    minimumShown: overview.minimumShown,
    questions: overview.results ? overview.results.questions : null,
  };
}

/** Open the event's form now. Opening an open form again changes nothing; a closed one stays closed. */
export async function openFeedbackForm(actor: Actor, eventId: number) {
  await openForm(actor, eventId, null);
}

/** Close the event's form now, for good: no more answers, and the results can be shown. */
export async function closeFeedbackForm(actor: Actor, eventId: number) {
  await closeForm(actor, eventId, null);
}

/** A session of the event, or "not found" (a session of another event included). */
export async function sessionOfEvent(db: Reader, eventId: number, sessionId: number) {
  const session = await findSessionOfEvent(db, eventId, sessionId);
  if (!session) throw notFound();
  return session;
}

/** Open the event's form (sessionId null) or one of its sessions' forms. */
export async function openForm(actor: Actor, eventId: number, sessionId: number | null) {
  requireFeedbackManager(actor);
  await getDb().transaction(
    async (tx) => {
      const event = await loadEvent(tx, eventId);
      const session = sessionId === null ? null : await sessionOfEvent(tx, eventId, sessionId);
      const form = await formOf(tx, eventId, sessionId);
      if (form?.closedAt) throw new FieldError("form", "feedback.errors.closedForGood");
      if (form) return;
      if (!FEEDBACK_EVENT_STATUSES.includes(event.status)) throw new FieldError("form", "feedback.errors.eventNotRunning");
      // a break (lunch, coffee) is nothing to give feedback on, as it is not counted for attendance
      if (session?.kind === "break") throw new FieldError("form", "feedback.errors.breakSession");
      const [created] = await tx
        .insert(feedbackForms)
        .values({ eventId, sessionId, openedAt: now(), openedByUserId: actor.user.id })
        .onConflictDoNothing()
        .returning({ id: feedbackForms.id });
      if (created) await recordAudit(tx, { userId: actor.user.id, ip: actor.ip, action: "feedback.open", ...auditEntity(eventId, sessionId) });
    },
    { behavior: "immediate" },
  );
}

/** Close the event's form (sessionId null) or one of its sessions' forms, for good. */
export async function closeForm(actor: Actor, eventId: number, sessionId: number | null) {
  requireFeedbackManager(actor);
  await getDb().transaction(
    async (tx) => {
      await loadEvent(tx, eventId);
      if (sessionId !== null) await sessionOfEvent(tx, eventId, sessionId);
      const form = await formOf(tx, eventId, sessionId);
      if (!form) throw new FieldError("form", "feedback.errors.notOpened");
      if (form.closedAt) return;
      await tx.update(feedbackForms).set({ closedAt: now() }).where(and(eq(feedbackForms.id, form.id), isNull(feedbackForms.closedAt)));
      await recordAudit(tx, { userId: actor.user.id, ip: actor.ip, action: "feedback.close", ...auditEntity(eventId, sessionId) });
    },
    { behavior: "immediate" },
  );
}

function auditEntity(eventId: number, sessionId: number | null) {
  return sessionId === null
    ? { entityType: "event", entityId: eventId }
    : { entityType: "session", entityId: sessionId, details: { eventId } };
}

/**
 * The one reminder of a form: an email to each confirmed participant who has not answered, unless
 * they turned reminders off — leading to their page if they can answer online (an account), else,
 * for someone on the roster without an (active) account who has an email address, carrying their
 * own personal link to the form (as the links and codes tab sends; app/models/evaluation-access.server.ts).
 * Once per form: a second attempt is refused with the time the first went out. Returns the number
 * of emails queued.
 */
export async function sendFeedbackReminder(actor: Actor, eventId: number, appUrl: string): Promise<number> {
  requireFeedbackManager(actor);
  return await getDb().transaction(
    async (tx) => {
      const event = await loadEvent(tx, eventId);
      const form = await formOf(tx, eventId);
      if (!form) throw new FieldError("form", "feedback.errors.notOpened");
      if (form.reminderSentAt) throw new FieldError("form", "feedback.errors.reminderAlreadySent", { at: form.reminderSentAt.getTime() });
      if (form.closedAt) throw new FieldError("form", "feedback.errors.closed");
      const answered = await respondentIds(tx, form.id);
      const due = (await confirmedParticipants(tx, eventId)).filter(
        (p) => !answered.has(p.personId) && !p.remindersOff && (answersOnline(p) || (p.email !== null && p.anonymisedAt === null)),
      );
      if (due.length === 0) throw new FieldError("form", "feedback.errors.nobodyToRemind");
      const claimed = await tx
        .update(feedbackForms)
        .set({ reminderSentAt: now() })
        .where(and(eq(feedbackForms.id, form.id), isNull(feedbackForms.reminderSentAt)))
        .returning({ id: feedbackForms.id });
      if (claimed.length === 0) throw new FieldError("form", "feedback.errors.reminderAlreadySent", { at: now().getTime() });
      const byLink = due.filter((p) => !answersOnline(p));
      const links = await personalLinksFor(tx, appUrl, "feedback", byLink.map((p) => p.registrationId));
      const languages = await knownLanguagesOf(tx, eventId, byLink.map((p) => p.email!));
      for (const p of due) {
        const link = answersOnline(p) ? null : links.urls.get(p.registrationId)!;
        const { t, lang, dir } = translatorFor(p.locale ?? (link ? languages.get(p.email!.toLowerCase()) : null));
        const optOut = await reminderOptOut(tx, appUrl, { userId: p.userId, personId: p.personId });
        const content = feedbackReminderEmail(
          {
            name: `${p.givenName} ${p.familyName}`,
            eventTitle: event.title,
            dates: formatDayRange(event.startDate, event.endDate, lang),
            url: link ?? `${appUrl}/me/feedback/${event.id}`,
            personalLinkExpires: link ? formatDateTimeNamedZone(new Date(links.expiresAt), event.timeZone, lang) : null,
            preferencesUrl: optOut.preferencesUrl,
          },
          t,
          { lang, dir },
        );
        await enqueueEmail(tx, { ...content, kind: "feedback_reminder", to: p.email ?? p.accountEmail!, userId: p.userId, headers: optOut.headers });
      }
      await recordAudit(tx, {
        userId: actor.user.id,
        ip: actor.ip,
        action: "feedback.remind",
        entityType: "event",
        entityId: eventId,
        details: { emails: due.length, personalLinks: byLink.length },
      });
      return due.length;
    },
    { behavior: "immediate" },
  );
}

// ——— the participant's side ———

function requireParticipant(user: SessionUser) {
  if (user.role !== "participant") throw forbidden();
}

/** The person behind this account if they are a confirmed participant of the event, else null. */
async function confirmedPersonOf(db: Reader, user: SessionUser, eventId: number): Promise<number | null> {
  return (await ownConfirmedRegistration(db, user, eventId))?.personId ?? null;
}

export async function hasAnswered(db: Reader, formId: number, personId: number) {
  return !!firstRow(
    await db
      .select({ personId: feedbackRespondents.personId })
      .from(feedbackRespondents)
      .where(and(eq(feedbackRespondents.formId, formId), eq(feedbackRespondents.personId, personId)))
      .limit(1),
  );
}

/**
 * The form as a participant sees it: the event, whether the form is open, and whether they have
 * answered (never what: the answers are not theirs to read back, nor anyone's). Someone who is not
 * a confirmed participant of the event gets "not found", whether or not the event exists.
 */
export async function myFeedbackForm(user: SessionUser, eventId: number) {
  requireParticipant(user);
  const personId = await confirmedPersonOf(getDb(), user, eventId);
  if (personId === null) throw notFound();
  return await feedbackFormForPerson({ personId, eventId });
}

/**
 * Who answers: a confirmed participant of the event, found from the signed-in account or from a
 * personal link or code (people without an account, app/models/evaluation-access.server.ts).
 */
export type FeedbackTaker = { personId: number; eventId: number };

/** myFeedbackForm for a person already checked (see FeedbackTaker). */
export async function feedbackFormForPerson(taker: FeedbackTaker) {
  const db = getDb();
  const event = await loadEvent(db, taker.eventId);
  const form = await formOf(db, taker.eventId);
  return {
    event: { id: event.id, title: event.title, startDate: event.startDate, endDate: event.endDate, timeZone: event.timeZone },
    state: stateOf(form),
    closedAt: form?.closedAt ?? null,
    answered: form ? await hasAnswered(db, form.id, taker.personId) : false,
  };
}

/** Fisher–Yates with the system's random source. */
function shuffled<T>(items: T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = crypto.randomInt(i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** Rows per INSERT when the answers are written again (well under both engines' parameter limits). */
const REWRITE_BATCH = 500;

/**
 * Record a participant's answer. Refused (FieldError, nothing written) when the form is not open,
 * is closed, or this person answered already. Who answered and what was answered are written to
 * separate tables; the form's answers are then written again, all of them, in a random order
 * (docs/feedback.md).
 */
export async function submitFeedback(actor: Actor, eventId: number, input: FeedbackInput) {
  requireParticipant(actor.user);
  const personId = await confirmedPersonOf(getDb(), actor.user, eventId);
  if (personId === null) throw notFound();
  await submitFeedbackAsPerson({ personId, eventId }, input);
}

/** submitFeedback for a person already checked (see FeedbackTaker); the same refusals. */
export async function submitFeedbackAsPerson(taker: FeedbackTaker, input: FeedbackInput) {
  await recordAnswer(taker, null, input);
}

/**
 * Write one person's answer to the event's form (sessionId null) or a session's form, refused
 * with a FieldError and nothing written when that form is not open, is closed, or this person
 * answered it already.
 */
export async function recordAnswer(taker: FeedbackTaker, sessionId: number | null, input: StoredAnswer) {
  await getDb().transaction(
    async (tx) => {
      const personId = taker.personId;
      const form = await formOf(tx, taker.eventId, sessionId);
      if (!form) throw new FieldError("form", "feedback.errors.notOpenYet");
      if (form.closedAt) throw new FieldError("form", "feedback.errors.closedAnswerNotKept", { at: form.closedAt.getTime() });
      const [respondent] = await tx
        .insert(feedbackRespondents)
        .values({ formId: form.id, personId })
        .onConflictDoNothing()
        .returning({ personId: feedbackRespondents.personId });
      if (!respondent) throw new FieldError("form", "feedback.errors.alreadyAnswered");
      await rewriteAnswers(tx, form.id, input);
    },
    { behavior: "immediate" },
  );
}

async function rewriteAnswers(tx: Tx, formId: number, added: StoredAnswer) {
  const existing = await tx
    .select({
      id: feedbackAnswers.id,
      overall: feedbackAnswers.overall,
      content: feedbackAnswers.content,
      facilitators: feedbackAnswers.facilitators,
      relevance: feedbackAnswers.relevance,
      confidence: feedbackAnswers.confidence,
      comment: feedbackAnswers.comment,
      cellKey: feedbackAnswers.cellKey,
    })
    .from(feedbackAnswers)
    .where(eq(feedbackAnswers.formId, formId));
  const rows = shuffled([
    ...existing.map((r) => ({ ...r, formId })),
    {
      id: crypto.randomBytes(16).toString("hex"),
      formId,
      overall: added.overall,
      content: added.content,
      facilitators: added.facilitators,
      relevance: added.relevance,
      confidence: added.confidence,
      comment: added.comment,
      // the disclosure control's key, random like the id and kept through every rewrite
      cellKey: crypto.randomInt(KEY_MODULUS),
    },
  ]);
  await tx.delete(feedbackAnswers).where(eq(feedbackAnswers.formId, formId));
  for (let i = 0; i < rows.length; i += REWRITE_BATCH) await tx.insert(feedbackAnswers).values(rows.slice(i, i + REWRITE_BATCH));
}

/**
 * The feedback forms waiting on a participant's page: open forms of events they are a confirmed
 * participant of, with whether they answered.
 */
export async function myOpenFeedbackForms(user: SessionUser) {
  if (user.role !== "participant") return [];
  const db = getDb();
  const rows = await db
    .select({ eventId: events.id, title: events.title, formId: feedbackForms.id, personId: people.id })
    .from(feedbackForms)
    .innerJoin(events, eq(events.id, feedbackForms.eventId))
    .innerJoin(registrations, eq(registrations.eventId, events.id))
    .innerJoin(people, eq(people.id, registrations.personId))
    .where(
      and(
        ownConfirmedParticipation(user),
        isNull(feedbackForms.closedAt),
        isNull(feedbackForms.sessionId),
      ),
    )
    .orderBy(asc(events.startDate), asc(events.id));
  const out = [];
  for (const r of rows) out.push({ eventId: r.eventId, title: r.title, answered: await hasAnswered(db, r.formId, r.personId) });
  return out;
}
