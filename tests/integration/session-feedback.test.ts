import { and, asc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb, firstRow } from "../../db/client";
import { eventSessions, events, people, registrations, sessionFacilitators, users } from "../../db/schema";
import { DEMO_EVENTS, seedDemo } from "../../db/seed/demo";
import type { Actor } from "~/auth/session.server";
import * as tab from "~/routes/events.$eventId.feedback";
import * as eventForm from "~/routes/me_.feedback.$eventId";
import * as sessionForm from "~/routes/me_.feedback.$eventId_.sessions.$sessionId";
import * as sessionPage from "~/routes/events.$eventId.sessions.$sessionId";
import * as me from "~/routes/me";
import { FEEDBACK_COMMENT_MAX } from "~/lib/feedback";
import { certificateRuleOf, missingRequirements, setCertificateRule } from "~/models/certificate-requirements.server";
import { feedbackFormForPerson } from "~/models/feedback.server";
import { exportPersonalData } from "~/models/personal-data.server";
import { call, createUser, makeRequest, rawAll, rawGet, runElsewhere, sessionCookie, unwrap, clearDemoEvaluation } from "../setup/helpers";

/**
 * The optional feedback form of a single session, end to end through the real loaders and
 * actions, on either engine: the coordinator opens it on the event's feedback tab, confirmed
 * participants answer it from their page (three ratings and a comment, anonymously, once), the
 * coordinator closes it and reads its results — while the end-of-event form, the certificate
 * rule and everything that reads them stay as they were. Every other role, a participant of
 * another event, a session of another event and odd input are refused with nothing changed.
 */

const TODAY = new Date("2026-11-22T12:00:00Z");
const db = () => getDb();
const onPostgres = () => !!process.env.DATABASE_URL;

let vi: number;
let bahrain: number;
let draft: number;
/** sessions of the victim-identification training, in timetable order; one of Bahrain; one of the draft event */
let s1: number;
let s2: number;
let s3: number;
let bahrainSession: number;
let draftSession: number;
let lunch: number;
const cookies: Record<string, string> = {};
let adminActor: Actor;
let coordinatorActor: Actor;
/** participants of the victim-identification training with an account: cookie, person id, registration id */
const officers: { name: string; cookie: string; personId: number; registrationId: number }[] = [];
let xParticipantCookie: string;
let teachingFacilitatorCookie: string;

async function userByEmail(email: string) {
  return firstRow(await db().select().from(users).where(eq(users.email, email)).limit(1))!;
}
async function eventIdOf(title: string) {
  return firstRow(await db().select({ id: events.id }).from(events).where(eq(events.title, title)).limit(1))!.id;
}
async function actorOf(email: string): Promise<Actor> {
  const u = await userByEmail(email);
  return { user: { id: u.id, email: u.email, name: u.name, role: u.role, organisationId: u.organisationId, locale: u.locale }, ip: null };
}

beforeAll(async () => {
  await seedDemo(db(), { today: TODAY });
  await clearDemoEvaluation();
  for (const role of ["admin", "coordinator", "facilitator", "participant", "partner", "donor"]) {
    const u = await userByEmail(`${role}@example.org`);
    cookies[role] = await sessionCookie({ id: u.id, role: u.role });
  }
  adminActor = await actorOf("admin@example.org");
  coordinatorActor = await actorOf("coordinator@example.org");
  vi = await eventIdOf(DEMO_EVENTS.victimIdentification);
  bahrain = await eventIdOf(DEMO_EVENTS.bahrain);
  draft = await eventIdOf(DEMO_EVENTS.draft);
  const viSessions = await db().select({ id: eventSessions.id }).from(eventSessions).where(eq(eventSessions.eventId, vi)).orderBy(asc(eventSessions.startsAt), asc(eventSessions.id));
  expect(viSessions.length).toBeGreaterThanOrEqual(3);
  [s1, s2, s3] = viSessions.map((s) => s.id);
  bahrainSession = firstRow(await db().select({ id: eventSessions.id }).from(eventSessions).where(eq(eventSessions.eventId, bahrain)).orderBy(asc(eventSessions.id)).limit(1))!.id;
  const lastDay = firstRow(await db().select({ endDate: events.endDate }).from(events).where(eq(events.id, vi)))!.endDate;
  lunch = (
    await db()
      .insert(eventSessions)
      .values({ eventId: vi, title: "Lunch", kind: "break", startsAt: new Date(`${lastDay}T20:00:00Z`), endsAt: new Date(`${lastDay}T21:00:00Z`) })
      .returning({ id: eventSessions.id })
  )[0].id;
  draftSession = (
    await db()
      .insert(eventSessions)
      .values({ eventId: draft, title: "Draft session", startsAt: new Date("2027-03-02T15:00:00Z"), endsAt: new Date("2027-03-02T16:00:00Z") })
      .returning({ id: eventSessions.id })
  )[0].id;

  // participant@example.org and six more confirmed officers given accounts
  const demoParticipant = await userByEmail("participant@example.org");
  const confirmed = await db()
    .select({ registrationId: registrations.id, personId: people.id, given: people.givenName, family: people.familyName, userId: people.userId })
    .from(registrations)
    .innerJoin(people, eq(people.id, registrations.personId))
    .where(and(eq(registrations.eventId, vi), eq(registrations.eventRole, "participant"), eq(registrations.status, "confirmed")))
    .orderBy(asc(registrations.id));
  const mine = confirmed.find((p) => p.userId === demoParticipant.id)!;
  officers.push({ name: `${mine.given} ${mine.family}`, cookie: cookies.participant, personId: mine.personId, registrationId: mine.registrationId });
  for (const [i, p] of confirmed.filter((c) => c.userId === null).slice(0, 6).entries()) {
    const account = await createUser({ role: "participant", email: `session-officer${i}@test.example`, name: `${p.given} ${p.family}` });
    await db().update(people).set({ userId: account.id }).where(eq(people.id, p.personId));
    officers.push({ name: `${p.given} ${p.family}`, cookie: await sessionCookie(account), personId: p.personId, registrationId: p.registrationId });
  }

  // a participant of the Bahrain training
  const bahrainOfficer = firstRow(
    await db()
      .select({ personId: registrations.personId })
      .from(registrations)
      .where(and(eq(registrations.eventId, bahrain), eq(registrations.eventRole, "participant"), eq(registrations.status, "confirmed")))
      .orderBy(asc(registrations.id))
      .limit(1),
  )!;
  const x = await createUser({ role: "participant" });
  await db().update(people).set({ userId: x.id }).where(eq(people.id, bahrainOfficer.personId));
  xParticipantCookie = await sessionCookie(x);

  // the demo facilitator teaches the first session
  const facilitator = await userByEmail("facilitator@example.org");
  await db().insert(sessionFacilitators).values({ sessionId: s1, userId: facilitator.id }).onConflictDoNothing();
  teachingFacilitatorCookie = cookies.facilitator;
});

const tabUrl = (eventId: number | string) => `/events/${eventId}/feedback`;
const getTab = async (cookie: string | undefined, eventId: number | string = vi) =>
  await call(tab.loader, makeRequest(tabUrl(eventId), { cookie }), { eventId: String(eventId) });
/** `cookie` null: no session */
const postTab = async (formData: Record<string, string>, cookie: string | null = cookies.coordinator, eventId: number | string = vi) =>
  await call(tab.action, makeRequest(tabUrl(eventId), { cookie: cookie ?? undefined, form: formData }), { eventId: String(eventId) });
const formUrl = (eventId: number | string, sessionId: number | string) => `/me/feedback/${eventId}/sessions/${sessionId}`;
const getForm = async (cookie: string | undefined, sessionId: number | string = s1, eventId: number | string = vi) =>
  await call(sessionForm.loader, makeRequest(formUrl(eventId, sessionId), { cookie }), { eventId: String(eventId), sessionId: String(sessionId) });
const answer = async (cookie: string | undefined, values: Record<string, string | string[]>, sessionId: number | string = s1, eventId: number | string = vi) =>
  await call(sessionForm.action, makeRequest(formUrl(eventId, sessionId), { cookie, form: values }), { eventId: String(eventId), sessionId: String(sessionId) });
const meOf = async (cookie: string) => unwrap(await call(me.loader, makeRequest("/me", { cookie }))).data;

const ratings = (content: number, facilitators = content, relevance = content) => ({
  content: String(content),
  facilitators: String(facilitators),
  relevance: String(relevance),
});

const counts = async () => ({
  forms: (await rawGet<{ n: number }>("select cast(count(*) as integer) as n from feedback_forms"))!.n,
  respondents: (await rawGet<{ n: number }>("select cast(count(*) as integer) as n from feedback_respondents"))!.n,
  answers: (await rawGet<{ n: number }>("select cast(count(*) as integer) as n from feedback_answers"))!.n,
});
const formIdOf = async (sessionId: number) => (await rawGet<{ id: number }>("select id from feedback_forms where session_id = ?", sessionId))?.id;
const sessionsOfTab = async () => unwrap(await getTab(cookies.coordinator)).data.sessionForms.sessions as {
  session: { id: number };
  state: string;
  respondents: number;
  answeredConfirmed: number;
  nonRespondents: { name: string }[];
  results: { questions: { question: string; counts: number[]; total: number; mean: number | null }[]; comments: string[] } | null;
}[];
const onTab = async (sessionId: number) => (await sessionsOfTab()).find((s) => s.session.id === sessionId)!;

function expectStatus(result: unknown, status: number) {
  expect(result).toBeInstanceOf(Response);
  expect((result as Response).status).toBe(status);
}

describe("a session's feedback form", () => {
  it("lists every session of the event on the feedback tab, none with a form yet", async () => {
    const sessions = await sessionsOfTab();
    expect(sessions.map((s) => s.session.id).slice(0, 3)).toEqual([s1, s2, s3]);
    expect(sessions.every((s) => s.state === "notOpened" && s.results === null)).toBe(true);
    // a break has nothing to give feedback on
    expect(sessions.map((s) => s.session.id)).not.toContain(lunch);
    expect(unwrap(await getTab(cookies.coordinator)).data.sessionForms).toMatchObject({ canOpen: true, confirmed: 22 });
    // a session without a form has no participant's page
    expectStatus(await getForm(cookies.participant), 404);
    expect(await counts()).toEqual({ forms: 0, respondents: 0, answers: 0 });
  });

  it("cannot be opened for a session of a draft event, for a break, nor for a session of another event than the URL's", async () => {
    const refused = unwrap(await postTab({ intent: "openSession", sessionId: String(draftSession) }, cookies.coordinator, draft));
    expect(refused.status).toBe(400);
    expect(refused.data.error).toBe("feedback.errors.eventNotRunning");
    expectStatus(await postTab({ intent: "openSession", sessionId: String(bahrainSession) }), 404);
    const onBreak = unwrap(await postTab({ intent: "openSession", sessionId: String(lunch) }));
    expect(onBreak.status).toBe(400);
    expect(onBreak.data.error).toBe("feedback.errors.breakSession");
    expectStatus(await postTab({ intent: "openSession", sessionId: String(s1) }, cookies.coordinator, bahrain), 404);
    for (const bad of ["", "0", "-1", "abc", "1.5", "99999999999999999999"]) {
      expect(unwrap(await postTab({ intent: "openSession", sessionId: bad })).status, bad).toBe(400);
    }
    expect(unwrap(await postTab({ intent: "openSession" })).status).toBe(400);
    expectStatus(await postTab({ intent: "openSession", sessionId: "2147483647" }), 404);
    expect((await counts()).forms).toBe(0);
  });

  it("opens now for one session; a second click changes nothing; the end-of-event form stays unopened", async () => {
    const opened = await postTab({ intent: "openSession", sessionId: String(s1) });
    expectStatus(opened, 302);
    expect((opened as Response).headers.get("Location")).toBe(`${tabUrl(vi)}#session-${s1}`);
    expectStatus(await postTab({ intent: "openSession", sessionId: String(s1) }), 302);
    expect((await counts()).forms).toBe(1);
    expect(await rawAll("select event_id as \"eventId\", session_id as \"sessionId\" from feedback_forms")).toEqual([{ eventId: vi, sessionId: s1 }]);

    const page = unwrap(await getTab(cookies.coordinator)).data;
    expect(page).toMatchObject({ state: "notOpened", respondents: 0 });
    expect(page.sessionForms.sessions.find((s: { session: { id: number } }) => s.session.id === s1)).toMatchObject({ state: "open", respondents: 0, answeredConfirmed: 0, results: null });
    expect((await onTab(s1)).nonRespondents).toHaveLength(22);
    expect((await onTab(s2)).state).toBe("notOpened");

    // the participant's page lists it apart from the end-of-event forms; its own page asks the three questions
    const mine = await meOf(cookies.participant);
    expect(mine.feedback).toEqual([]);
    expect(mine.sessionFeedback).toMatchObject([{ eventId: vi, sessionId: s1, answered: false }]);
    expect(unwrap(await getForm(cookies.participant)).data).toMatchObject({ state: "open", answered: false, session: { id: s1 }, event: { id: vi } });
    // the end-of-event form (also what personal links and codes reach) is still not open
    expect(await feedbackFormForPerson({ personId: officers[0].personId, eventId: vi })).toMatchObject({ state: "notOpened" });
  });

  it("is one form per session and one end-of-event form per event, held by the database itself", async () => {
    await expect(runElsewhere("insert into feedback_forms (event_id, session_id, opened_at) values (?, ?, ?)", vi, s1, Date.now())).rejects.toThrow();
    await runElsewhere("insert into feedback_forms (event_id, opened_at) values (?, ?)", vi, Date.now());
    await expect(runElsewhere("insert into feedback_forms (event_id, opened_at) values (?, ?)", vi, Date.now())).rejects.toThrow();
    await runElsewhere("delete from feedback_forms where event_id = ? and session_id is null", vi);
    expect((await counts()).forms).toBe(1);
  });

  it("refuses an answer with a rating missing or out of 1–5, or a comment too long, keeping what was typed", async () => {
    const missing = unwrap(await answer(cookies.participant, { ...ratings(4), relevance: "", comment: "The role play on interviews" }));
    expect(missing.status).toBe(400);
    expect(missing.data.errors).toEqual({ relevance: "feedback.errors.ratingRequired" });
    expect(missing.data.values.comment).toBe("The role play on interviews");
    for (const bad of ["0", "6", "-1", "3.5", "1e0", "five"]) {
      const refused = unwrap(await answer(cookies.participant, { ...ratings(4), content: bad }));
      expect(refused.status, bad).toBe(400);
      expect(refused.data.errors.content).toBe("feedback.errors.ratingRequired");
    }
    const long = unwrap(await answer(cookies.participant, { ...ratings(4), comment: "x".repeat(FEEDBACK_COMMENT_MAX + 1) }));
    expect(long.data.errors.comment).toBe(`errors.tooLong|max=${FEEDBACK_COMMENT_MAX}`);
    expect(unwrap(await answer(cookies.participant, { ...ratings(4), content: ["5", "1"] })).status).toBe(400);
    expect(await counts()).toMatchObject({ respondents: 0, answers: 0 });
  });

  it("records one answer per person, with no overall nor confidence rating: a second one is refused and changes nothing", async () => {
    // an overall rating sent anyway is not a question of this form: it is not kept
    const sent = await answer(cookies.participant, { ...ratings(5, 4, 3), overall: "1", confidence: "1", comment: "  The interview role play was the best part.  " });
    expectStatus(sent, 302);
    expect((sent as Response).headers.get("Location")).toBe(formUrl(vi, s1));
    const stored = await rawAll<Record<string, unknown>>("select * from feedback_answers");
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      rating_overall: null,
      rating_content: 5,
      rating_facilitators: 4,
      rating_relevance: 3,
      rating_confidence: null,
      comment: "The interview role play was the best part.",
    });
    expect(String(stored[0].id)).toMatch(/^[0-9a-f]{32}$/);
    expect(await rawAll("select person_id as \"personId\" from feedback_respondents")).toEqual([{ personId: officers[0].personId }]);
    expect(unwrap(await getForm(cookies.participant)).data).toMatchObject({ state: "open", answered: true });
    expect((await meOf(cookies.participant)).sessionFeedback).toMatchObject([{ sessionId: s1, answered: true }]);

    const again = unwrap(await answer(cookies.participant, { ...ratings(1), comment: "changed my mind" }));
    expect(again.status).toBe(400);
    expect(again.data.refusal).toBe("feedback.errors.alreadyAnswered");
    expect(again.data.values.comment).toBe("changed my mind");
    expect(await counts()).toMatchObject({ respondents: 1, answers: 1 });
  });

  it("keeps one answer when the same person sends it many times at once", async () => {
    const officer = officers[1];
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => answer(officer.cookie, { ...ratings(3), comment: `burst ${i}` })));
    expect(results.filter((r) => r instanceof Response && r.status === 302)).toHaveLength(1);
    for (const r of results.filter((x) => !(x instanceof Response))) expect(unwrap(r).data.refusal).toBe("feedback.errors.alreadyAnswered");
    expect(await counts()).toMatchObject({ respondents: 2, answers: 2 });
    expect(await rawAll("select comment from feedback_answers where comment like 'burst %'")).toHaveLength(1);
  });

  it("rewrites only this form's answers in a random order with each new answer, and keeps no insertion order (SQLite: no rowid)", async () => {
    const form = (await formIdOf(s1))!;
    const before = onPostgres() ? await rawAll<{ v: string }>("select cast(xmin as text) as v from feedback_answers where form_id = ?", form) : [];
    const keysBefore = await rawAll<{ id: string; k: number }>("select id, cell_key as k from feedback_answers");
    expectStatus(await answer(officers[2].cookie, { ...ratings(2), comment: "Too short for the topic." }), 302);
    const keysAfter = await rawAll<{ id: string; k: number }>("select id, cell_key as k from feedback_answers");
    expect(keysAfter).toHaveLength(3);
    for (const b of keysBefore) expect(keysAfter.find((a) => a.id === b.id)?.k).toBe(b.k);
    if (onPostgres()) {
      const after = await rawAll<{ v: string }>("select cast(xmin as text) as v from feedback_answers where form_id = ?", form);
      expect(new Set(after.map((r) => r.v)).size).toBe(1);
      expect(before.map((r) => r.v)).not.toContain(after[0].v);
    } else {
      await expect(rawAll("select rowid from feedback_answers")).rejects.toThrow(/rowid/);
    }
    // the respondents still say who, never what
    const respondentColumns = await rawAll<{ name: string }>(
      onPostgres()
        ? "select column_name as name from information_schema.columns where table_name = 'feedback_respondents' order by column_name"
        : "select name from pragma_table_info('feedback_respondents') order by name",
    );
    expect(respondentColumns.map((c) => c.name)).toEqual(["form_id", "person_id"]);
  });

  it("is answered apart from the end-of-event form and from the other sessions' forms: one answer per person per form", async () => {
    expectStatus(await postTab({ intent: "open" }), 302);
    expectStatus(await postTab({ intent: "openSession", sessionId: String(s2) }), 302);
    // a session form that is not open refuses the answer, the others take it
    const notOpen = unwrap(await getForm(cookies.participant, s3));
    expect(notOpen.status).toBe(404);
    expectStatus(await answer(cookies.participant, ratings(5), s2), 302);
    expectStatus(
      await call(eventForm.action, makeRequest(`/me/feedback/${vi}`, { cookie: cookies.participant, form: { overall: "5", ...ratings(5), confidence: "4" } }), { eventId: String(vi) }),
      302,
    );
    const perForm = await rawAll<{ session: number | null; n: number }>(
      "select f.session_id as session, cast(count(*) as integer) as n from feedback_respondents r join feedback_forms f on f.id = r.form_id where r.person_id = ? group by f.session_id order by f.session_id",
      officers[0].personId,
    );
    expect(perForm.map((r) => [r.session === null ? null : Number(r.session), Number(r.n)]).sort()).toEqual([[s1, 1], [s2, 1], [null, 1]].sort());
    const mine = await meOf(cookies.participant);
    expect(mine.feedback).toEqual([{ eventId: vi, title: DEMO_EVENTS.victimIdentification, answered: true }]);
    expect(mine.sessionFeedback.map((f: { sessionId: number; answered: boolean }) => [f.sessionId, f.answered])).toEqual([[s1, true], [s2, true]]);
  });

  it("refuses the form to anyone but the event's confirmed participants, and the tab's session actions to anyone but coordinators and admins", async () => {
    const before = await counts();
    for (const role of ["admin", "coordinator", "partner", "donor"]) {
      expectStatus(await getForm(cookies[role]), 403);
      expectStatus(await answer(cookies[role], ratings(1)), 403);
    }
    // the facilitator who teaches the session cannot answer about it either
    expectStatus(await getForm(teachingFacilitatorCookie), 403);
    expectStatus(await answer(teachingFacilitatorCookie, ratings(5)), 403);
    const anonymous = await getForm(undefined);
    expectStatus(anonymous, 302);
    expect((anonymous as Response).headers.get("Location")).toBe(`/login?redirectTo=${encodeURIComponent(formUrl(vi, s1))}`);
    expectStatus(await answer(undefined, ratings(1)), 302);
    // a participant of another event: as if there were no such form
    expectStatus(await getForm(xParticipantCookie), 404);
    expectStatus(await answer(xParticipantCookie, ratings(1)), 404);
    // a session of another event under this event's address, and the reverse
    expectStatus(await getForm(cookies.participant, bahrainSession), 404);
    expectStatus(await answer(cookies.participant, ratings(1), bahrainSession), 404);
    expectStatus(await getForm(cookies.participant, s1, bahrain), 404);
    expectStatus(await answer(xParticipantCookie, ratings(1), s1, bahrain), 404);
    for (const id of ["0", "-1", "abc", "1.5", "2147483648", "1e3"]) {
      expectStatus(await getForm(cookies.participant, id), 404);
      expectStatus(await answer(cookies.participant, ratings(3), id), 404);
    }

    for (const role of ["facilitator", "partner", "donor", "participant"]) {
      for (const intent of ["openSession", "closeSession"]) expectStatus(await postTab({ intent, sessionId: String(s3) }, cookies[role]), 403);
    }
    expectStatus(await postTab({ intent: "closeSession", sessionId: String(s1) }, xParticipantCookie), 403);
    const anonymousClose = await postTab({ intent: "closeSession", sessionId: String(s1) }, null);
    expectStatus(anonymousClose, 302);
    expect((anonymousClose as Response).headers.get("Location")).toMatch(/^\/login\?redirectTo=/);
    expect(await counts()).toEqual(before);
    expect((await onTab(s1)).state).toBe("open");
    expect((await onTab(s3)).state).toBe("notOpened");
  });

  it("does not count for the certificate: the end-of-event form stays the one required", async () => {
    await setCertificateRule(coordinatorActor, vi, { postTestRequired: false, postTestMinScore: null, feedbackRequired: true });
    const rule = await certificateRuleOf(db(), vi);
    // officers[1] answered the first session's form, not the end-of-event form; officers[0] answered both
    const missing = await missingRequirements(db(), vi, rule, officers.slice(0, 2).map((o) => ({ registrationId: o.registrationId, personId: o.personId })));
    expect(missing.get(officers[0].registrationId)).toEqual([]);
    expect(missing.get(officers[1].registrationId)).toEqual([{ kind: "feedback" }]);
    await setCertificateRule(coordinatorActor, vi, { postTestRequired: false, postTestMinScore: null, feedbackRequired: false });
  });

  it("shows up in a person's data export as answered (which session), never with what was answered", async () => {
    const exported = await exportPersonalData(adminActor, officers[1].personId);
    const registration = exported.registrations.find((r: { eventId: number }) => r.eventId === vi)!;
    expect(registration.answeredFeedbackForm).toBe(false);
    expect(registration.answeredSessionFeedbackForms).toEqual([{ sessionId: s1, sessionTitle: expect.any(String) }]);
    expect(JSON.stringify(exported)).not.toContain("burst");
  });

  it("shows no results after closing while fewer than five answered; refuses a late answer with it kept on screen; never opens again", async () => {
    expectStatus(await answer(officers[3].cookie, ratings(4)), 302);
    const closed = await postTab({ intent: "closeSession", sessionId: String(s1) });
    expectStatus(closed, 302);
    expect((closed as Response).headers.get("Location")).toBe(`${tabUrl(vi)}#session-${s1}`);
    expect(await onTab(s1)).toMatchObject({ state: "closed", respondents: 4, results: null });
    // closing a session's form leaves the end-of-event form and the other session's open
    expect(unwrap(await getTab(cookies.coordinator)).data.state).toBe("open");
    expect((await onTab(s2)).state).toBe("open");

    const late = unwrap(await answer(officers[4].cookie, { ...ratings(5), comment: "Sent from the bus" }));
    expect(late.status).toBe(400);
    expect(late.data.refusal).toBe("feedback.errors.closedAnswerNotKept");
    expect(late.data.values).toMatchObject({ content: "5", comment: "Sent from the bus" });
    expect(unwrap(await getForm(officers[4].cookie)).data).toMatchObject({ state: "closed", answered: false });
    const reopen = unwrap(await postTab({ intent: "openSession", sessionId: String(s1) }));
    expect(reopen.status).toBe(400);
    expect(reopen.data.error).toBe("feedback.errors.closedForGood");
    expect((await meOf(officers[4].cookie)).sessionFeedback.map((f: { sessionId: number }) => f.sessionId)).toEqual([s2]);
  });
});

describe("the results of a closed session form", () => {
  const answers = [
    { ...ratings(5, 4, 5), comment: "Excellent case studies." },
    { ...ratings(4, 4, 4), comment: "" },
    { ...ratings(4, 3, 5), comment: "The legal part went too fast." },
    { ...ratings(3, 5, 4), comment: "More on interviewing children." },
    { ...ratings(2, 5, 3), comment: "" },
    { ...ratings(5, 2, 5), comment: "مفيد جدا" },
  ];

  beforeAll(async () => {
    // officers[0] answered s2 already (5, 5, 5); five more answer it, then it is closed
    for (const [i, a] of answers.slice(0, 5).entries()) expectStatus(await answer(officers[i + 1].cookie, a, s2), 302);
    expectStatus(await postTab({ intent: "closeSession", sessionId: String(s2) }, cookies.admin), 302);
  });

  it("gives per question the count of each rating, the number of answers and the mean, for the three questions asked", async () => {
    const s = await onTab(s2);
    expect(s).toMatchObject({ state: "closed", respondents: 6, answeredConfirmed: 6 });
    expect(s.nonRespondents).toHaveLength(16);
    expect(s.results!.questions.map((q) => q.question)).toEqual(["content", "facilitators", "relevance"]);
    const byQuestion = Object.fromEntries(s.results!.questions.map((q) => [q.question, q]));
    // content: 5 (officers[0]), 5, 4, 4, 3, 2
    expect(byQuestion.content).toEqual({ question: "content", counts: [0, 1, 1, 2, 2], total: 6, mean: 3.8 });
    expect(byQuestion.facilitators).toEqual({ question: "facilitators", counts: [0, 0, 1, 2, 3], total: 6, mean: 4.3 });
  });

  it("lists the comments without names, in the stable order of their random ids", async () => {
    const first = (await onTab(s2)).results!.comments;
    expect([...first].sort()).toEqual(answers.slice(0, 5).map((a) => a.comment).filter((c) => c !== "").sort());
    const ids = (await rawAll<{ id: string; comment: string | null }>("select id, comment from feedback_answers where form_id = ?", (await formIdOf(s2))!))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((r) => r.comment)
      .filter((c) => c !== null);
    expect(first).toEqual(ids);
    expect((await onTab(s2)).results!.comments).toEqual(first);
    const page = JSON.stringify((await onTab(s2)).results);
    for (const o of officers) expect(page).not.toContain(o.name);
  });

  it("leaves the end-of-event form's results to that form alone", async () => {
    expectStatus(await postTab({ intent: "close" }), 302);
    const page = unwrap(await getTab(cookies.coordinator)).data;
    // one answer to the end-of-event form: too few to show, whatever the session forms hold
    expect(page).toMatchObject({ state: "closed", respondents: 1, results: null });
  });
});

describe("deleting a session", () => {
  const removeSession = async (sessionId: number) =>
    await call(sessionPage.action, makeRequest(`/events/${vi}/sessions/${sessionId}`, { cookie: cookies.coordinator, form: { intent: "delete" } }), {
      eventId: String(vi),
      sessionId: String(sessionId),
    });

  it("is refused while its form holds answers, with nothing changed, and the edit page says why", async () => {
    const before = await counts();
    const refused = unwrap(await removeSession(s1));
    expect(refused.status).toBe(400);
    expect(refused.data.errors.form).toBe("sessions.errors.hasFeedback");
    expect(await counts()).toEqual(before);
    expect(firstRow(await db().select({ id: eventSessions.id }).from(eventSessions).where(eq(eventSessions.id, s1)))).toBeDefined();
    const page = unwrap(await call(sessionPage.loader, makeRequest(`/events/${vi}/sessions/${s1}`, { cookie: cookies.coordinator }), { eventId: String(vi), sessionId: String(s1) }));
    expect(page.data.session.feedbackAnswered).toBe(true);
  });

  it("takes its form along when nobody answered it", async () => {
    expectStatus(await postTab({ intent: "openSession", sessionId: String(s3) }), 302);
    const form = (await formIdOf(s3))!;
    expect(form).toBeDefined();
    expectStatus(await removeSession(s3), 302);
    expect(await rawAll("select id from feedback_forms where id = ?", form)).toEqual([]);
    expect(await rawAll("select id from event_sessions where id = ?", s3)).toEqual([]);
  });
});
