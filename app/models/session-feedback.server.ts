import { and, asc, eq, inArray, isNotNull, isNull } from "drizzle-orm";
import { getDb, firstRow } from "../../db/client";
import { eventSessions, events, feedbackAnswers, feedbackForms, feedbackRespondents, people, registrations } from "../../db/schema";
import { forbidden, notFound, type Actor, type SessionUser } from "~/auth/session.server";
import { FEEDBACK_RESULTS_MIN, SESSION_FEEDBACK_QUESTIONS, type SessionFeedbackInput } from "~/lib/feedback";
import {
  FEEDBACK_EVENT_STATUSES,
  answersOf,
  closeForm,
  confirmedParticipants,
  distributions,
  formOf,
  hasAnswered,
  loadEvent,
  openForm,
  recordAnswer,
  requireFeedbackManager,
  respondentIds,
  sessionOfEvent,
  stateOf,
  type FeedbackTaker,
  type Reader,
} from "./feedback.server";
import { ownConfirmedParticipation, ownConfirmedRegistration } from "./registrations.server";

/**
 * The optional short feedback form of one session: content, facilitators, relevance (1–5) and a
 * comment. The same storage and anonymity as the end-of-event form (app/models/feedback.server.ts,
 * docs/feedback.md): respondents apart from answers, answers rewritten in a random order, results
 * only once closed and with at least FEEDBACK_RESULTS_MIN answers. Who may answer: the event's
 * confirmed participants, like the end-of-event form (attendance is often recorded after the
 * session, or on paper the next day; the form must not wait for it), signed in on /me or, without
 * an account, through a personal link or code to the session's form (/take,
 * app/models/evaluation-access.server.ts). No reminder emails: a session form is answered in the
 * room, and an event of twelve sessions would send twelve.
 *
 * The end-of-event form stays the one a certificate may require and the reports add up: session
 * forms appear only on the event's feedback tab.
 */

/**
 * The session forms of an event for its feedback tab (admins and coordinators): every session in
 * timetable order, with its form's state, how many confirmed participants answered, who has not,
 * and the results of a closed form with enough answers.
 */
export async function sessionFeedbackOverview(actor: Actor, eventId: number) {
  requireFeedbackManager(actor);
  const db = getDb();
  const event = await loadEvent(db, eventId);
  const sessions = await db
    .select({ id: eventSessions.id, title: eventSessions.title, kind: eventSessions.kind, startsAt: eventSessions.startsAt, endsAt: eventSessions.endsAt })
    .from(eventSessions)
    .where(eq(eventSessions.eventId, eventId))
    .orderBy(asc(eventSessions.startsAt), asc(eventSessions.id));
  const forms = await db
    .select({ id: feedbackForms.id, sessionId: feedbackForms.sessionId, openedAt: feedbackForms.openedAt, closedAt: feedbackForms.closedAt })
    .from(feedbackForms)
    .where(and(eq(feedbackForms.eventId, eventId), isNotNull(feedbackForms.sessionId)));
  const participants = await confirmedParticipants(db, eventId);
  const out = [];
  for (const { kind, ...session } of sessions) {
    const form = forms.find((f) => f.sessionId === session.id);
    // breaks get no form (a break that became one after its form opened keeps it listed)
    if (kind === "break" && !form) continue;
    const state = stateOf(form);
    const answered = form ? await respondentIds(db, form.id) : new Set<number>();
    const nonRespondents = form
      ? participants.filter((p) => !answered.has(p.personId)).map((p) => ({ personId: p.personId, name: `${p.givenName} ${p.familyName}` }))
      : [];
    let results: { questions: ReturnType<typeof distributions<(typeof SESSION_FEEDBACK_QUESTIONS)[number]>>; comments: string[] } | null = null;
    if (form && state === "closed" && answered.size >= FEEDBACK_RESULTS_MIN) {
      const rows = await answersOf(db, form.id);
      results = { questions: distributions(SESSION_FEEDBACK_QUESTIONS, rows), comments: rows.map((r) => r.comment).filter((c): c is string => c !== null) };
    }
    out.push({
      session,
      state,
      openedAt: form?.openedAt ?? null,
      closedAt: form?.closedAt ?? null,
      respondents: answered.size,
      answeredConfirmed: form ? participants.length - nonRespondents.length : 0,
      nonRespondents,
      results,
    });
  }
  return { canOpen: FEEDBACK_EVENT_STATUSES.includes(event.status), confirmed: participants.length, sessions: out };
}

/** Open a session's form now (a session of this event only). Again: nothing changes; closed stays closed. */
export async function openSessionFeedbackForm(actor: Actor, eventId: number, sessionId: number) {
  await openForm(actor, eventId, sessionId);
}

/** Close a session's form now, for good. */
export async function closeSessionFeedbackForm(actor: Actor, eventId: number, sessionId: number) {
  await closeForm(actor, eventId, sessionId);
}

// ——— the participant's side ———

/** The person behind a participant account confirmed in the event, or "not found" for anyone else. */
async function confirmedPerson(db: Reader, user: SessionUser, eventId: number) {
  if (user.role !== "participant") throw forbidden();
  const personId = (await ownConfirmedRegistration(db, user, eventId))?.personId ?? null;
  if (personId === null) throw notFound();
  return personId;
}

/**
 * A session's form as a confirmed participant of the event sees it: the event, the session,
 * whether the form is open and whether they answered. Anyone else gets "not found", as does a
 * session of another event or a session without a form.
 */
export async function mySessionFeedbackForm(user: SessionUser, eventId: number, sessionId: number) {
  const personId = await confirmedPerson(getDb(), user, eventId);
  const form = await sessionFeedbackFormForPerson({ personId, eventId }, sessionId);
  // a session nobody opened a form for has no page: the participant's list never links to one
  if (form.state === "notOpened") throw notFound();
  return form;
}

/**
 * A session's form for a person already checked (see FeedbackTaker: the signed-in participant, or
 * the holder of a personal link or code to this session's form): the event, the session, the
 * form's state ("notOpened" when nobody opened it yet) and whether this person answered. A session
 * of another event is "not found".
 */
export async function sessionFeedbackFormForPerson(taker: FeedbackTaker, sessionId: number) {
  const db = getDb();
  const session = await sessionOfEvent(db, taker.eventId, sessionId);
  const event = await loadEvent(db, taker.eventId);
  const form = await formOf(db, taker.eventId, sessionId);
  return {
    event: { id: event.id, title: event.title, startDate: event.startDate, endDate: event.endDate, timeZone: event.timeZone },
    session: { id: session.id, title: session.title, startsAt: session.startsAt, endsAt: session.endsAt },
    state: stateOf(form),
    closedAt: form?.closedAt ?? null,
    answered: form ? await hasAnswered(db, form.id, taker.personId) : false,
  };
}

/** Record a participant's answer to a session's form: the refusals of the end-of-event form. */
export async function submitSessionFeedback(actor: Actor, eventId: number, sessionId: number, input: SessionFeedbackInput) {
  const personId = await confirmedPerson(getDb(), actor.user, eventId);
  await submitSessionFeedbackAsPerson({ personId, eventId }, sessionId, input);
}

/** submitSessionFeedback for a person already checked (see FeedbackTaker); the same refusals. */
export async function submitSessionFeedbackAsPerson(taker: FeedbackTaker, sessionId: number, input: SessionFeedbackInput) {
  await sessionOfEvent(getDb(), taker.eventId, sessionId);
  await recordAnswer(taker, sessionId, { ...input, overall: null, confidence: null });
}

/**
 * The open session forms on a participant's page: those of events they are a confirmed
 * participant of, in timetable order, with whether they answered.
 */
export async function myOpenSessionFeedbackForms(user: SessionUser) {
  if (user.role !== "participant") return [];
  const db = getDb();
  const rows = await db
    .select({
      eventId: events.id,
      eventTitle: events.title,
      timeZone: events.timeZone,
      sessionId: eventSessions.id,
      sessionTitle: eventSessions.title,
      startsAt: eventSessions.startsAt,
      endsAt: eventSessions.endsAt,
      formId: feedbackForms.id,
      personId: people.id,
    })
    .from(feedbackForms)
    .innerJoin(eventSessions, eq(eventSessions.id, feedbackForms.sessionId))
    .innerJoin(events, eq(events.id, feedbackForms.eventId))
    .innerJoin(registrations, eq(registrations.eventId, events.id))
    .innerJoin(people, eq(people.id, registrations.personId))
    .where(and(ownConfirmedParticipation(user), isNull(feedbackForms.closedAt)))
    .orderBy(asc(eventSessions.startsAt), asc(eventSessions.id));
  if (rows.length === 0) return [];
  const answered = new Set(
    (
      await db
        .select({ formId: feedbackRespondents.formId })
        .from(feedbackRespondents)
        .where(and(inArray(feedbackRespondents.formId, rows.map((r) => r.formId)), inArray(feedbackRespondents.personId, [...new Set(rows.map((r) => r.personId))])))
    ).map((r) => r.formId),
  );
  return rows.map((r) => ({
    eventId: r.eventId,
    eventTitle: r.eventTitle,
    timeZone: r.timeZone,
    sessionId: r.sessionId,
    sessionTitle: r.sessionTitle,
    startsAt: r.startsAt,
    endsAt: r.endsAt,
    answered: answered.has(r.formId),
  }));
}

/**
 * Whether a session's form holds answers. Such a session cannot be deleted (what participants
 * said would be thrown away); a form without answers goes with its session.
 */
export async function sessionFeedbackHasAnswers(db: Reader, sessionId: number) {
  const answered = firstRow(
    await db
      .select({ formId: feedbackAnswers.formId })
      .from(feedbackAnswers)
      .innerJoin(feedbackForms, eq(feedbackForms.id, feedbackAnswers.formId))
      .where(eq(feedbackForms.sessionId, sessionId))
      .limit(1),
  );
  return !!answered;
}
