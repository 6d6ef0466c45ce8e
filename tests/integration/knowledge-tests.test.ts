import { and, asc, eq, isNull } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { getDb, firstRow } from "../../db/client";
import { events, people, registrations, users } from "../../db/schema";
import { DEMO_EVENTS, seedDemo } from "../../db/seed/demo";
import type { Actor, SessionUser } from "~/auth/session.server";
import { setClock } from "~/lib/clock";
import { shuffledFor } from "~/lib/knowledge-tests";
import { zonedToUtc } from "~/lib/zoned";
import { FieldError } from "~/models/field-error.server";
import {
  closePhase,
  copyQuestions,
  createQuestion,
  moveQuestion,
  openPhase,
  recordPaperScore,
  schedulePhase,
  testForEditing,
  testResults,
  updateQuestion,
} from "~/models/knowledge-tests.server";
import * as tab from "~/routes/events.$eventId.tests";
import * as newQuestion from "~/routes/events.$eventId.tests_.questions.new";
import * as editQuestion from "~/routes/events.$eventId.tests_.questions.$questionId";
import * as results from "~/routes/events.$eventId.tests_.results";
import * as take from "~/routes/me_.tests.$eventId.$phase";
import * as me from "~/routes/me";
import { call, createUser, makeRequest, rawAll, rawGet, rawRun, sessionCookie, unwrap, clearDemoEvaluation } from "../setup/helpers";

/**
 * Knowledge tests: built by coordinators (questions, copy, reorder, the two phases' windows in the
 * event's zone, paper scores), taken by confirmed participants on their phones (drafts saved as
 * they go, one submission per phase, nothing after the window), and their results. Every check of
 * the database goes through raw SQL that both engines run.
 */

const TODAY = new Date("2026-11-22T12:00:00Z");
const db = () => getDb();

let coordinator: Actor;
let viId: number; // the 2023 Bahamas training: participant@example.org took part
let currentId: number; // the training in progress (Nassau)
let bahrainId: number;
const cookies: Record<string, string> = {};
/** a participant account of the Bahrain training (another event) */
let otherParticipantCookie: string;
/** confirmed participants of the victim-identification training with accounts, by name */
const officers: { name: string; cookie: string; personId: number; registrationId: number }[] = [];

async function userByEmail(email: string) {
  return firstRow(await db().select().from(users).where(eq(users.email, email)).limit(1))!;
}

async function actorFor(email: string): Promise<Actor> {
  const u = await userByEmail(email);
  const user: SessionUser = { id: u.id, email: u.email, name: u.name, role: u.role, organisationId: u.organisationId, locale: u.locale };
  return { user, ip: null };
}

async function eventIdOf(title: string) {
  return firstRow(await db().select({ id: events.id }).from(events).where(eq(events.title, title)).limit(1))!.id;
}

const single = (prompt: string, options: string[], correct: number[]) => ({
  kind: "single" as const,
  prompt,
  explanation: null,
  options: options.map((label, i) => ({ label, correct: correct.includes(i) })),
  trueFalseAnswer: null,
});

beforeAll(async () => {
  await seedDemo(db(), { today: TODAY });
  await clearDemoEvaluation(); // these tests build their own tests and forms on the demo events
  coordinator = await actorFor("coordinator@example.org");
  for (const role of ["admin", "coordinator", "facilitator", "participant", "partner", "donor"]) {
    const u = await userByEmail(`${role}@example.org`);
    cookies[role] = await sessionCookie({ id: u.id, role: u.role });
  }
  viId = await eventIdOf(DEMO_EVENTS.victimIdentification);
  currentId = await eventIdOf(DEMO_EVENTS.current);
  bahrainId = await eventIdOf(DEMO_EVENTS.bahrain);

  // a participant of the Bahrain training, with an account
  const bahrainPerson = firstRow(
    await db()
      .select({ personId: registrations.personId })
      .from(registrations)
      .where(and(eq(registrations.eventId, bahrainId), eq(registrations.eventRole, "participant")))
      .orderBy(asc(registrations.id))
      .limit(1),
  )!;
  const other = await createUser({ role: "participant" });
  await db().update(people).set({ userId: other.id }).where(eq(people.id, bahrainPerson.personId));
  otherParticipantCookie = await sessionCookie(other);

  // three officers of the victim-identification training take the test on their phones
  const participantPerson = firstRow(await db().select({ id: people.id }).from(people).innerJoin(users, eq(users.id, people.userId)).where(eq(users.email, "participant@example.org")).limit(1))!.id;
  const regs = await db()
    .select({ id: registrations.id, personId: registrations.personId, given: people.givenName, family: people.familyName, userId: people.userId })
    .from(registrations)
    .innerJoin(people, eq(people.id, registrations.personId))
    .where(and(eq(registrations.eventId, viId), eq(registrations.eventRole, "participant"), eq(registrations.status, "confirmed")))
    .orderBy(asc(registrations.id));
  const own = regs.find((r) => r.personId === participantPerson)!;
  officers.push({ name: `${own.given} ${own.family}`, cookie: cookies.participant, personId: own.personId, registrationId: own.id });
  for (const r of regs.filter((r) => r.personId !== participantPerson && r.userId === null).slice(0, 2)) {
    const account = await createUser({ role: "participant" });
    await db().update(people).set({ userId: account.id }).where(eq(people.id, r.personId));
    officers.push({ name: `${r.given} ${r.family}`, cookie: await sessionCookie(account), personId: r.personId, registrationId: r.id });
  }
});

afterEach(() => setClock(null));

const tabGet = (cookie: string, eventId = viId, query = "") => call(tab.loader, makeRequest(`/events/${eventId}/tests${query}`, { cookie }), { eventId: String(eventId) });
const tabPost = (cookie: string, form: Record<string, string | string[]>, eventId = viId) =>
  call(tab.action, makeRequest(`/events/${eventId}/tests`, { cookie, form }), { eventId: String(eventId) });
const takeGet = (cookie: string, phase = "pre", eventId = viId) =>
  call(take.loader, makeRequest(`/me/tests/${eventId}/${phase}`, { cookie }), { eventId: String(eventId), phase });
const takePost = (cookie: string, form: Record<string, string | string[]>, phase = "pre", eventId = viId) =>
  call(take.action, makeRequest(`/me/tests/${eventId}/${phase}`, { cookie, form }), { eventId: String(eventId), phase });

async function errorOf(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a refusal");
}

async function attempts(eventId = viId) {
  return await rawAll<{ registrationId: number; phase: string; source: string; correct: number | null; total: number | null; submitted: number }>(
    `select a.registration_id as "registrationId", a.phase, a.source, a.correct, a.total, case when a.submitted_at is null then 0 else 1 end as submitted
       from knowledge_test_attempts a join knowledge_tests t on t.id = a.test_id where t.event_id = ? order by a.id`,
    eventId,
  );
}

describe("building a test (coordinators)", () => {
  it("refuses to open a test without questions, then one with a question that has no correct answer, naming it", async () => {
    const empty = (await errorOf(openPhase(coordinator, viId, "pre"))) as FieldError;
    expect(empty).toBeInstanceOf(FieldError);
    expect(empty.messageKey).toBe("knowledgeTests.errors.noQuestions");

    await createQuestion(coordinator, viId, single("Which document defines trafficking in persons internationally?", ["The Palermo Protocol", "The Geneva Convention", "The Kyoto Protocol"], [0]));
    await createQuestion(coordinator, viId, { kind: "true_false", prompt: "A victim must have crossed a border.", explanation: "Trafficking can happen inside one country.", options: [], trueFalseAnswer: null });
    const noCorrect = (await errorOf(openPhase(coordinator, viId, "pre"))) as FieldError;
    expect(noCorrect.messageKey).toBe("knowledgeTests.errors.noCorrectAnswer");
    expect(noCorrect.values).toMatchObject({ numbers: "2", count: 1 });
    // through the page: a 400 with the message, and nothing opened
    const page = unwrap(await tabPost(cookies.coordinator, { intent: "open", phase: "pre" }));
    expect(page.status).toBe(400);
    expect(page.data.error).toBe("knowledgeTests.errors.noCorrectAnswer");
    expect(await rawGet(`select pre_opens_at as "opens" from knowledge_tests where event_id = ?`, viId)).toEqual({ opens: null });
    const loaded = unwrap(await tabGet(cookies.coordinator)).data;
    expect(loaded.openingProblem).toMatchObject({ key: "knowledgeTests.errors.noCorrectAnswer" });
  });

  it("edits questions through the forms, keeping what was typed on error, and reorders them with up/down forms", async () => {
    const form = (await rawAll<{ id: number }>(`select q.id from knowledge_test_questions q join knowledge_tests t on t.id = q.test_id where t.event_id = ? order by q.position`, viId)).map((r) => r.id);
    // a single-choice question with two correct answers is refused, the form comes back filled in
    const bad = unwrap(
      await call(
        newQuestion.action,
        makeRequest(`/events/${viId}/tests/questions/new`, {
          cookie: cookies.coordinator,
          form: { kind: "single", prompt: "Which are indicators of trafficking?", "option-0": "Confiscated documents", "option-1": "Debt bondage", correct: ["0", "1"] },
        }),
        { eventId: String(viId) },
      ),
    );
    expect(bad.status).toBe(400);
    expect(bad.data.errors.correct).toBe("knowledgeTests.errors.singleOneCorrect");
    expect(bad.data.values).toMatchObject({ prompt: "Which are indicators of trafficking?", options: ["Confiscated documents", "Debt bondage"], correct: [0, 1] });
    // as multiple choice it is saved
    const good = await call(
      newQuestion.action,
      makeRequest(`/events/${viId}/tests/questions/new`, {
        cookie: cookies.coordinator,
        form: { kind: "multiple", prompt: "Which are indicators of trafficking?", "option-0": "Confiscated documents", "option-1": "Debt bondage", "option-2": "A valid work visa", correct: ["0", "1"] },
      }),
      { eventId: String(viId) },
    );
    expect((good as Response).status).toBe(302);
    // the true/false question gets its answer through the edit form
    const edited = await call(
      editQuestion.action,
      makeRequest(`/events/${viId}/tests/questions/${form[1]}`, {
        cookie: cookies.coordinator,
        form: { kind: "true_false", prompt: "A victim must have crossed a border.", explanation: "Trafficking can happen inside one country.", trueFalse: "false" },
      }),
      { eventId: String(viId), questionId: String(form[1]) },
    );
    expect((edited as Response).status).toBe(302);
    const q = await rawAll<{ prompt: string; position: number }>(`select q.prompt, q.position from knowledge_test_questions q join knowledge_tests t on t.id = q.test_id where t.event_id = ? order by q.position`, viId);
    expect(q.map((r) => r.prompt)).toEqual(["Which document defines trafficking in persons internationally?", "A victim must have crossed a border.", "Which are indicators of trafficking?"]);

    // move the third up: it becomes second; the first cannot go up (nothing changes)
    const third = (await rawGet<{ id: number }>(`select q.id from knowledge_test_questions q join knowledge_tests t on t.id = q.test_id where t.event_id = ? and q.position = 3`, viId))!.id;
    expect((await tabPost(cookies.coordinator, { intent: "move", questionId: String(third), direction: "up" })) as Response).toHaveProperty("status", 302);
    await moveQuestion(coordinator, viId, form[0], "up");
    const order = await rawAll<{ prompt: string }>(`select q.prompt from knowledge_test_questions q join knowledge_tests t on t.id = q.test_id where t.event_id = ? order by q.position`, viId);
    expect(order.map((r) => r.prompt)).toEqual(["Which document defines trafficking in persons internationally?", "Which are indicators of trafficking?", "A victim must have crossed a border."]);
    expect(unwrap(await tabGet(cookies.coordinator)).data.openingProblem).toBeNull();
  });

  it("copies the questions of an earlier event's test, with their answers and explanations, after the ones already there", async () => {
    const choices = unwrap(await tabGet(cookies.coordinator, currentId)).data.sources as { id: number; questions: number }[];
    expect(choices).toEqual([expect.objectContaining({ id: viId, questions: 3 })]);
    const done = await tabPost(cookies.coordinator, { intent: "copy", fromEventId: String(viId) }, currentId);
    expect((done as Response).headers.get("Location")).toBe(`/events/${currentId}/tests?done=copied&n=3`);
    const copied = await rawAll<{ prompt: string; kind: string; explanation: string | null; options: number; correct: number }>(
      `select q.prompt, q.kind, q.explanation, cast(count(o.id) as integer) as options, cast(sum(case when o.is_correct then 1 else 0 end) as integer) as correct
         from knowledge_test_questions q join knowledge_tests t on t.id = q.test_id join knowledge_test_options o on o.question_id = q.id
        where t.event_id = ? group by q.id, q.prompt, q.kind, q.explanation, q.position order by q.position`,
      currentId,
    );
    expect(copied).toEqual([
      { prompt: "Which document defines trafficking in persons internationally?", kind: "single", explanation: null, options: 3, correct: 1 },
      { prompt: "Which are indicators of trafficking?", kind: "multiple", explanation: null, options: 3, correct: 2 },
      { prompt: "A victim must have crossed a border.", kind: "true_false", explanation: "Trafficking can happen inside one country.", options: 2, correct: 1 },
    ]);
    // copying from itself, from an event without a test, or nothing chosen: refused with a message
    expect((await errorOf(copyQuestions(coordinator, currentId, currentId))) as FieldError).toMatchObject({ messageKey: "knowledgeTests.errors.copySelf" });
    expect((await errorOf(copyQuestions(coordinator, currentId, bahrainId))) as FieldError).toMatchObject({ messageKey: "knowledgeTests.errors.copyNothing" });
    expect(unwrap(await tabPost(cookies.coordinator, { intent: "copy", fromEventId: "" }, currentId)).data.errors).toEqual({ fromEventId: "knowledgeTests.errors.copyChoose" });
  });

  it("schedules a phase in the event's zone, refuses a closing before the opening, and opens and closes now", async () => {
    setClock(() => TODAY.getTime());
    const refused = unwrap(await tabPost(cookies.coordinator, { intent: "schedule", phase: "post", opensDay: "2026-11-23", opensTime: "15:00", closesDay: "2026-11-23", closesTime: "14:00" }, currentId));
    expect(refused.status).toBe(400);
    expect(refused.data.errors.closesTime).toBe("knowledgeTests.errors.closesBeforeOpens");
    expect(refused.data.values).toMatchObject({ opensDay: "2026-11-23", closesTime: "14:00" });
    const ok = await tabPost(cookies.coordinator, { intent: "schedule", phase: "post", opensDay: "2026-11-23", opensTime: "15:00", closesDay: "2026-11-23", closesTime: "17:30" }, currentId);
    expect((ok as Response).status).toBe(302);
    const stored = await rawGet<{ opens: number; closes: number }>(`select post_opens_at as "opens", post_closes_at as "closes" from knowledge_tests where event_id = ?`, currentId);
    expect(Number(stored!.opens)).toBe(zonedToUtc("2026-11-23", "15:00", "America/Nassau").getTime());
    expect(Number(stored!.closes)).toBe(zonedToUtc("2026-11-23", "17:30", "America/Nassau").getTime());
    expect(new Date(Number(stored!.opens)).toISOString()).toBe("2026-11-23T20:00:00.000Z"); // EST, UTC−5
    // scheduled, so the questions are locked
    const view = await testForEditing(coordinator, currentId);
    expect(view.phases.find((p) => p.phase === "post")!.state).toBe("scheduled");
    expect(view.lock).toBe("scheduled");
    // nothing can be copied into a locked test, so no tests to copy from are looked up or sent
    expect(view.sources).toEqual([]);
    expect((await errorOf(updateQuestion(coordinator, currentId, view.questions[0].id, single("Changed", ["a", "b"], [0])))) as FieldError).toMatchObject({
      messageKey: "knowledgeTests.errors.lockedScheduled",
    });
    // cancel the schedule: editable again
    expect((await tabPost(cookies.coordinator, { intent: "unschedule", phase: "post" }, currentId)) as Response).toHaveProperty("status", 302);
    const editableAgain = await testForEditing(coordinator, currentId);
    expect(editableAgain.lock).toBeNull();
    expect(editableAgain.sources).toEqual([expect.objectContaining({ id: viId, questions: 3 })]);

    // the victim-identification test: open the pre-test now, close it, open it again
    expect((await tabPost(cookies.coordinator, { intent: "open", phase: "pre" })) as Response).toHaveProperty("status", 302);
    expect((await testForEditing(coordinator, viId)).phases[0].state).toBe("open");
    setClock(() => TODAY.getTime() + 60_000);
    await closePhase(coordinator, viId, "pre");
    expect((await testForEditing(coordinator, viId)).phases[0].state).toBe("closed");
    expect((await errorOf(closePhase(coordinator, viId, "pre"))) as FieldError).toMatchObject({ messageKey: "knowledgeTests.errors.notOpen" });
    setClock(() => TODAY.getTime() + 120_000);
    await openPhase(coordinator, viId, "pre");
    const reopened = await testForEditing(coordinator, viId);
    expect(reopened.phases[0]).toMatchObject({ state: "open", closesAt: null });
  });

  it("refuses a schedule typed at a time the clocks skip", async () => {
    const result = await schedulePhase(coordinator, currentId, "pre", { opensDay: "2027-03-14", opensTime: "02:30", closesDay: undefined, closesTime: undefined });
    expect(result).toEqual({ ok: false, errors: { opensTime: "knowledgeTests.errors.timeSkipped" } });
  });
});

describe("who may build a test", () => {
  it("admins and coordinators only: facilitators, participants, partners and donors get 403, anonymous visitors the login page", async () => {
    expect(unwrap(await tabGet(cookies.admin)).status).toBe(200);
    for (const role of ["facilitator", "participant", "partner", "donor"]) {
      expect((await tabGet(cookies[role])) as Response).toHaveProperty("status", 403);
      expect((await tabPost(cookies[role], { intent: "close", phase: "pre" })) as Response).toHaveProperty("status", 403);
      const r = await call(results.loader, makeRequest(`/events/${viId}/tests/results`, { cookie: cookies[role] }), { eventId: String(viId) });
      expect(r as Response).toHaveProperty("status", 403);
      const paper = await call(results.action, makeRequest(`/events/${viId}/tests/results`, { cookie: cookies[role], form: { registrationId: String(officers[0].registrationId), phase: "pre", correct: "3" } }), { eventId: String(viId) });
      expect(paper as Response).toHaveProperty("status", 403);
      const added = await call(newQuestion.action, makeRequest(`/events/${viId}/tests/questions/new`, { cookie: cookies[role], form: { kind: "true_false", prompt: "x", trueFalse: "true" } }), { eventId: String(viId) });
      expect(added as Response).toHaveProperty("status", 403);
    }
    const anon = (await tabGet("")) as Response;
    expect(anon.status).toBe(302);
    expect(anon.headers.get("Location")).toBe(`/login?redirectTo=${encodeURIComponent(`/events/${viId}/tests`)}`);
    // the pre-test stayed open: no refused request changed it
    expect((await testForEditing(coordinator, viId)).phases[0].state).toBe("open");
  });

  it("answers 404 for a question of another event, an unknown event and ids beyond range", async () => {
    const otherQuestion = (await testForEditing(coordinator, currentId)).questions[0].id;
    const r = await call(editQuestion.loader, makeRequest(`/events/${viId}/tests/questions/${otherQuestion}`, { cookie: cookies.coordinator }), { eventId: String(viId), questionId: String(otherQuestion) });
    expect(r as Response).toHaveProperty("status", 404);
    expect(unwrap(await tabPost(cookies.coordinator, { intent: "delete", questionId: String(otherQuestion) })).status).toBe(404);
    for (const id of ["2147483648", "99999999999", "-1", "1e3"]) {
      expect((await tabGet(cookies.coordinator, id as unknown as number)) as Response).toHaveProperty("status", 404);
    }
    expect(unwrap(await tabPost(cookies.coordinator, { intent: "move", questionId: "2147483648", direction: "up" })).status).toBe(400);
    expect(unwrap(await tabPost(cookies.coordinator, { intent: "open", phase: "middle" })).status).toBe(400);
    // an event that does not exist: "choose an event", not "its test has no questions"
    expect(unwrap(await tabPost(cookies.coordinator, { intent: "copy", fromEventId: "9999999" })).data.errors).toEqual({ fromEventId: "knowledgeTests.errors.copyChoose" });
  });
});

describe("taking the test (participants, signed in)", () => {
  it("shows the open pre-test on /me with a link, to confirmed participants only", async () => {
    setClock(() => TODAY.getTime() + 180_000);
    const mine = unwrap(await call(me.loader, makeRequest("/me", { cookie: cookies.participant }))).data;
    expect(mine.tests).toEqual([expect.objectContaining({ eventId: viId, phase: "pre", url: `/me/tests/${viId}/pre` })]);
    const theirs = unwrap(await call(me.loader, makeRequest("/me", { cookie: otherParticipantCookie }))).data;
    expect(theirs.tests).toEqual([]);
  });

  it("shuffles the options per person, the same way on every load, and never sends which is correct", async () => {
    setClock(() => TODAY.getTime() + 180_000);
    const first = unwrap(await takeGet(officers[0].cookie)).data;
    const again = unwrap(await takeGet(officers[0].cookie)).data;
    expect(first.state).toBe("open");
    expect(first.questions.map((q: { options: { id: number }[] }) => q.options.map((o) => o.id))).toEqual(again.questions.map((q: { options: { id: number }[] }) => q.options.map((o) => o.id)));
    expect(JSON.stringify(first)).not.toMatch(/isCorrect/);
    // the order is the seeded shuffle of this person and question
    const stored = (await testForEditing(coordinator, viId)).questions;
    for (const q of first.questions as { id: number; kind: string; options: { id: number }[] }[]) {
      const own = stored.find((s) => s.id === q.id)!;
      const expected = q.kind === "true_false" ? own.options : shuffledFor(own.options, officers[0].personId, q.id);
      expect(q.options.map((o) => o.id)).toEqual(expected.map((o) => o.id));
    }
    // with three options and three people, someone sees another order than another (over all questions)
    const orders = await Promise.all(officers.map(async (o) => JSON.stringify(unwrap(await takeGet(o.cookie)).data.questions.map((q: { options: { id: number }[] }) => q.options.map((x) => x.id)))));
    expect(new Set(orders).size).toBeGreaterThan(1);
  });

  it("saves answers as they go (a reload shows them), refuses submitting with unanswered questions, then takes one submission only", async () => {
    setClock(() => TODAY.getTime() + 240_000);
    const [q1, q2, q3] = (await testForEditing(coordinator, viId)).questions;
    const correct = (q: typeof q1) => q.options.filter((o) => o.isCorrect).map((o) => String(o.id));
    const wrong = (q: typeof q1) => [String(q.options.find((o) => !o.isCorrect)!.id)];
    const me0 = officers[0];

    const autosave = unwrap(await takePost(me0.cookie, { intent: "autosave", [`q-${q1.id}`]: correct(q1) }));
    expect(autosave).toMatchObject({ status: 200, data: { ok: true } });
    expect(unwrap(await takeGet(me0.cookie)).data.saved).toEqual({ [q1.id]: correct(q1).map(Number) });
    // a second answer, then a change of the first: the draft holds the latest choice
    await takePost(me0.cookie, { intent: "autosave", [`q-${q2.id}`]: correct(q2), [`q-${q1.id}`]: wrong(q1) });
    expect(unwrap(await takeGet(me0.cookie)).data.saved).toEqual({ [q1.id]: wrong(q1).map(Number), [q2.id]: correct(q2).map(Number) });

    const incomplete = unwrap(await takePost(me0.cookie, { intent: "submit", [`q-${q1.id}`]: correct(q1), [`q-${q2.id}`]: correct(q2) }));
    expect(incomplete.status).toBe(400);
    expect(incomplete.data).toMatchObject({ error: "testTaking.errors.unanswered", values: { numbers: "3", count: 1 }, answers: { [q1.id]: correct(q1).map(Number) } });
    // refused: the draft is as it was
    expect(unwrap(await takeGet(me0.cookie)).data.saved[q1.id]).toEqual(wrong(q1).map(Number));

    const submitted = (await takePost(me0.cookie, { intent: "submit", [`q-${q1.id}`]: correct(q1), [`q-${q2.id}`]: correct(q2), [`q-${q3.id}`]: wrong(q3) })) as Response;
    expect(submitted.status).toBe(302);
    expect(submitted.headers.get("Location")).toBe(`/me/tests/${viId}/pre?done=submitted`);
    const page = unwrap(await takeGet(me0.cookie)).data;
    expect(page.submitted).toMatchObject({ correct: 2, total: 3, score: 66.7, source: "online" });

    const second = unwrap(await takePost(me0.cookie, { intent: "submit", [`q-${q1.id}`]: correct(q1), [`q-${q2.id}`]: correct(q2), [`q-${q3.id}`]: correct(q3) }));
    expect(second.status).toBe(409);
    expect(second.data.error).toBe("testTaking.errors.alreadySubmitted");
    const draft = unwrap(await takePost(me0.cookie, { intent: "autosave", [`q-${q1.id}`]: wrong(q1) }));
    expect(draft.data.error).toBe("testTaking.errors.alreadySubmitted");
    expect((await attempts()).filter((a) => a.registrationId === me0.registrationId)).toEqual([
      { registrationId: me0.registrationId, phase: "pre", source: "online", correct: 2, total: 3, submitted: 1 },
    ]);
    // the pre-test is no longer waiting on /me
    expect(unwrap(await call(me.loader, makeRequest("/me", { cookie: me0.cookie }))).data.tests).toEqual([]);
  });

  it("takes one submission when two arrive at once (the unique index holds on both engines)", async () => {
    setClock(() => TODAY.getTime() + 300_000);
    const qs = (await testForEditing(coordinator, viId)).questions;
    const form = Object.fromEntries(qs.map((q) => [`q-${q.id}`, q.options.filter((o) => o.isCorrect).map((o) => String(o.id))]));
    const both = await Promise.all([takePost(officers[1].cookie, { intent: "submit", ...form }), takePost(officers[1].cookie, { intent: "submit", ...form })]);
    const statuses = both.map((r) => (r instanceof Response ? r.status : unwrap(r).status)).sort();
    expect(statuses).toEqual([302, 409]);
    expect((await attempts()).filter((a) => a.registrationId === officers[1].registrationId)).toHaveLength(1);
  });

  it("refuses answers to options of another question, other tests' ids, ids beyond range, junk and oversized answer lists — changing nothing", async () => {
    setClock(() => TODAY.getTime() + 300_000);
    const [q1, q2] = (await testForEditing(coordinator, viId)).questions;
    const otherTest = (await testForEditing(coordinator, currentId)).questions[0];
    const me2 = officers[2];
    const before = await rawAll(`select * from knowledge_test_answers order by attempt_id, option_id`);
    const refusals: Record<string, string | string[]>[] = [
      { intent: "autosave", [`q-${q1.id}`]: String(q2.options[0].id) }, // an option of another question
      { intent: "autosave", [`q-${otherTest.id}`]: String(otherTest.options[0].id) }, // another event's question
      { intent: "autosave", [`q-${q1.id}`]: q1.options.slice(0, 2).map((o) => String(o.id)) }, // two answers to a single-choice question
      { intent: "autosave", [`q-${q1.id}`]: "2147483648" },
      { intent: "autosave", "q-99999999999": "1" },
      { intent: "autosave", [`q-${q1.id}`]: "1 OR 1=1" },
      { intent: "autosave", [`q-${q1.id}`]: Array.from({ length: 1000 }, (_, i) => String(i + 1)) },
      { intent: "bogus" },
    ];
    for (const form of refusals) {
      const r = unwrap(await takePost(me2.cookie, form));
      expect(r.status, JSON.stringify(form).slice(0, 80)).toBe(400);
    }
    expect(await rawAll(`select * from knowledge_test_answers order by attempt_id, option_id`)).toEqual(before);
    // a body that is not a form
    const json = await call(
      take.action,
      new Request(`http://localhost:3000/me/tests/${viId}/pre`, { method: "POST", headers: { Cookie: me2.cookie, Origin: "http://localhost:3000", "Content-Type": "application/json" }, body: "{}" }),
      { eventId: String(viId), phase: "pre" },
    );
    expect((json as Response).status).toBe(415);
    // a phase that is neither pre nor post
    expect((await takeGet(me2.cookie, "final")) as Response).toHaveProperty("status", 404);
  });

  it("records answers for the signed-in person only, whatever person or registration ids the form carries", async () => {
    setClock(() => TODAY.getTime() + 300_000);
    const [q1] = (await testForEditing(coordinator, viId)).questions;
    const me2 = officers[2];
    const r = unwrap(
      await takePost(me2.cookie, {
        intent: "autosave",
        [`q-${q1.id}`]: String(q1.options[0].id),
        registrationId: String(officers[0].registrationId),
        personId: String(officers[0].personId),
        userId: "someone-else",
      }),
    );
    expect(r.status).toBe(200);
    const rows = await attempts();
    expect(rows.filter((a) => a.registrationId === me2.registrationId)).toEqual([{ registrationId: me2.registrationId, phase: "pre", source: "online", correct: null, total: null, submitted: 0 }]);
    expect(rows.filter((a) => a.registrationId === officers[0].registrationId)).toHaveLength(1); // still the one submission
  });

  it("refuses everyone who is not a confirmed participant of the event: strangers, another event's participant, staff, partners, donors", async () => {
    setClock(() => TODAY.getTime() + 300_000);
    const [q1] = (await testForEditing(coordinator, viId)).questions;
    const anon = (await takeGet("")) as Response;
    expect(anon.status).toBe(302);
    expect(anon.headers.get("Location")).toMatch(/^\/login\?redirectTo=/);
    for (const cookie of [otherParticipantCookie, cookies.admin, cookies.coordinator, cookies.facilitator, cookies.partner, cookies.donor]) {
      expect((await takeGet(cookie)) as Response).toHaveProperty("status", 404);
      expect((await takePost(cookie, { intent: "autosave", [`q-${q1.id}`]: String(q1.options[0].id) })) as Response).toHaveProperty("status", 404);
    }
    // a participant whose registration is not confirmed (waitlisted) is refused too
    const waitlisted = officers[2];
    await rawRun(`update registrations set status = 'waitlisted' where id = ?`, waitlisted.registrationId);
    expect((await takeGet(waitlisted.cookie)) as Response).toHaveProperty("status", 404);
    await rawRun(`update registrations set status = 'confirmed' where id = ?`, waitlisted.registrationId);
    expect((await attempts()).filter((a) => a.registrationId === waitlisted.registrationId)).toHaveLength(1);
  });

  it("refuses an answer after the window closes, with the time in the event's zone, and keeps the answers on the page", async () => {
    setClock(() => TODAY.getTime() + 360_000);
    await closePhase(coordinator, viId, "pre");
    setClock(() => TODAY.getTime() + 420_000);
    const qs = (await testForEditing(coordinator, viId)).questions;
    const me2 = officers[2];
    const form = Object.fromEntries(qs.map((q) => [`q-${q.id}`, [String(q.options[0].id)]]));
    const late = unwrap(await takePost(me2.cookie, { intent: "submit", ...form }));
    expect(late.status).toBe(400);
    expect(late.data.error).toBe("testTaking.errors.closed");
    expect(late.data.values.at).toBe(TODAY.getTime() + 360_000);
    expect(late.data.answers).toEqual(Object.fromEntries(qs.map((q) => [q.id, [q.options[0].id]])));
    const row = (await attempts()).find((a) => a.registrationId === me2.registrationId)!;
    expect(row.submitted).toBe(0);
    const page = unwrap(await takeGet(me2.cookie)).data;
    expect(page.state).toBe("closed");
    // the saved draft is still shown
    expect(Object.keys(page.saved)).toHaveLength(1);
  });
});

describe("paper scores and results", () => {
  it("enters a paper score for a person on the roster, refuses one for someone not on it or over the question count, and never replaces an online submission", async () => {
    const paperPerson = officers[2];
    const post = (form: Record<string, string>) => call(results.action, makeRequest(`/events/${viId}/tests/results`, { cookie: cookies.coordinator, form }), { eventId: String(viId) });
    // their online draft is replaced by the paper score
    const saved = (await post({ registrationId: String(paperPerson.registrationId), phase: "pre", correct: "1" })) as Response;
    expect(saved.status).toBe(302);
    expect((await attempts()).find((a) => a.registrationId === paperPerson.registrationId)).toMatchObject({ source: "paper", correct: 1, total: 3, submitted: 1 });
    expect(await rawGet(`select cast(count(*) as integer) as n from knowledge_test_answers a join knowledge_test_attempts t on t.id = a.attempt_id where t.registration_id = ?`, paperPerson.registrationId)).toEqual({ n: 0 });
    // a paper score can be corrected
    await recordPaperScore(coordinator, viId, { registrationId: paperPerson.registrationId, phase: "pre", correct: 2 });
    expect((await attempts()).find((a) => a.registrationId === paperPerson.registrationId)).toMatchObject({ correct: 2 });

    const tooMany = unwrap(await post({ registrationId: String(paperPerson.registrationId), phase: "post", correct: "4" }));
    expect(tooMany).toMatchObject({ status: 400, data: { errors: { correct: "knowledgeTests.errors.correctCount|max=3" }, values: { correct: "4" } } });
    const online = unwrap(await post({ registrationId: String(officers[0].registrationId), phase: "pre", correct: "0" }));
    expect(online.data.errors).toEqual({ registrationId: "knowledgeTests.errors.submittedOnline" });
    const bahrainReg = (await rawGet<{ id: number }>(`select id from registrations where event_id = ? order by id limit 1`, bahrainId))!.id;
    expect(unwrap(await post({ registrationId: String(bahrainReg), phase: "pre", correct: "1" })).data.errors).toEqual({ registrationId: "knowledgeTests.errors.notOnRoster" });
    // an id no form offers: the message every form gives for a choice that was not offered, translated
    for (const junk of ["2147483648", "99999999999999999999", "1.5", "-3", "abc"]) {
      const refused = unwrap(await post({ registrationId: junk, phase: "pre", correct: "1" }));
      expect(refused.status, junk).toBe(400);
      expect(refused.data.errors, junk).toEqual({ registrationId: "errors.choice" });
    }
    expect(unwrap(await post({ registrationId: "", phase: "pre", correct: "" })).data.errors).toMatchObject({ registrationId: "errors.required", correct: "errors.required" });
    expect((await attempts()).filter((a) => a.phase === "post")).toEqual([]);
  });

  it("locks the questions once someone has answered", async () => {
    const view = await testForEditing(coordinator, viId);
    expect(view.lock).toBe("started");
    expect(view.sources).toEqual([]);
    expect((await errorOf(moveQuestion(coordinator, viId, view.questions[1].id, "up"))) as FieldError).toMatchObject({ messageKey: "knowledgeTests.errors.lockedStarted" });
  });

  it("pairs pre and post per person and gives the event's figures and each question's share correct before and after", async () => {
    // the post-test: open, three people answer (everything right, one wrong, a paper score)
    setClock(() => TODAY.getTime() + 600_000);
    await openPhase(coordinator, viId, "post");
    const qs = (await testForEditing(coordinator, viId)).questions;
    const answer = (right: boolean[]) => Object.fromEntries(qs.map((q, i) => [`q-${q.id}`, (right[i] ? q.options.filter((o) => o.isCorrect) : [q.options.find((o) => !o.isCorrect)!]).map((o) => String(o.id))]));
    expect(((await takePost(officers[0].cookie, { intent: "submit", ...answer([true, true, true]) }, "post")) as Response).status).toBe(302);
    expect(((await takePost(officers[1].cookie, { intent: "submit", ...answer([true, true, false]) }, "post")) as Response).status).toBe(302);
    await recordPaperScore(coordinator, viId, { registrationId: officers[2].registrationId, phase: "post", correct: 3 });

    const data = unwrap(await call(results.loader, makeRequest(`/events/${viId}/tests/results`, { cookie: cookies.coordinator }), { eventId: String(viId) })).data;
    const byName = Object.fromEntries(data.people.map((p: { name: string }) => [p.name, p]));
    // pre: 2 of 3 (66.7), 3 of 3 (100), paper 2 of 3 (66.7); post: 100, 66.7, 100
    expect(byName[officers[0].name]).toMatchObject({ pre: 66.7, post: 100, gain: 33.3, preSource: "online", postSource: "online" });
    expect(byName[officers[1].name]).toMatchObject({ pre: 100, post: 66.7, gain: -33.3 });
    expect(byName[officers[2].name]).toMatchObject({ pre: 66.7, post: 100, preSource: "paper", postSource: "paper" });
    expect(data.people.filter((p: { pre: number | null }) => p.pre === null).length).toBe(data.people.length - 3);
    expect(data.summary).toMatchObject({ paired: 3, preTaken: 3, postTaken: 3, improved: 2, normalisedCount: 2 });
    expect(data.summary.meanPre).toBeCloseTo((66.7 + 100 + 66.7) / 3, 5);
    expect(data.summary.meanPost).toBeCloseTo((100 + 66.7 + 100) / 3, 5);
    expect(data.summary.meanGain).toBeCloseTo((33.3 - 33.3 + 33.3) / 3, 5);
    // (100 − 66.7) / (100 − 66.7) = 1 for each of the two below 100
    expect(data.summary.normalisedGain).toBeCloseTo(1, 5);
    expect(data.summary.improvedShare).toBeCloseTo(2 / 3, 5);
    // per question, online answers only: pre — officer 0 (right, right, wrong), officer 1 (all right); post — (all right), (right, right, wrong)
    expect(data.perQuestion.map((q: { pre: { share: number }; post: { share: number } }) => [q.pre.share, q.post.share])).toEqual([
      [1, 1],
      [1, 1],
      [0.5, 0.5],
    ]);
  });

  it("shows the correct answers and explanations to participants only once the post-test has closed", async () => {
    setClock(() => TODAY.getTime() + 700_000);
    const during = unwrap(await takeGet(officers[0].cookie, "post")).data;
    expect(during.review).toBe(false);
    expect(JSON.stringify(during)).not.toMatch(/isCorrect|Trafficking can happen inside one country/);
    await closePhase(coordinator, viId, "post");
    setClock(() => TODAY.getTime() + 800_000);
    const after = unwrap(await takeGet(officers[0].cookie, "post")).data;
    expect(after.review).toBe(true);
    expect(after.questions.find((q: { kind: string }) => q.kind === "true_false")).toMatchObject({ explanation: "Trafficking can happen inside one country." });
  });

  it("never shows them to someone who did not submit the post-test, who can still take it when it is opened again", async () => {
    setClock(() => TODAY.getTime() + 800_000);
    const late = firstRow(
      await db()
        .select({ personId: registrations.personId })
        .from(registrations)
        .innerJoin(people, eq(people.id, registrations.personId))
        .where(and(eq(registrations.eventId, viId), eq(registrations.eventRole, "participant"), eq(registrations.status, "confirmed"), isNull(people.userId)))
        .limit(1),
    )!;
    const account = await createUser({ role: "participant" });
    await db().update(people).set({ userId: account.id }).where(eq(people.id, late.personId));
    const cookie = await sessionCookie(account);
    for (const phase of ["post", "pre"]) {
      const closed = unwrap(await takeGet(cookie, phase)).data;
      expect(closed.review).toBe(false);
      expect(JSON.stringify(closed)).not.toMatch(/isCorrect|Trafficking can happen inside one country/);
    }
    // the coordinator opens the post-test again: she answers it, having read no answer
    await openPhase(coordinator, viId, "post");
    setClock(() => TODAY.getTime() + 900_000);
    const reopened = unwrap(await takeGet(cookie, "post")).data;
    expect(reopened.state).toBe("open");
    expect(JSON.stringify(reopened)).not.toMatch(/isCorrect/);
    const form = Object.fromEntries(reopened.questions.map((q: { id: number; options: { id: number }[] }) => [`q-${q.id}`, [String(q.options[0].id)]]));
    expect(((await takePost(cookie, { intent: "submit", ...form }, "post")) as Response).status).toBe(302);
    // those who submitted see the answers again once it closes
    await closePhase(coordinator, viId, "post");
    setClock(() => TODAY.getTime() + 1_000_000);
    expect(unwrap(await takeGet(cookie, "post")).data.review).toBe(true);
    expect(unwrap(await takeGet(officers[0].cookie, "post")).data.review).toBe(true);
  });
});
