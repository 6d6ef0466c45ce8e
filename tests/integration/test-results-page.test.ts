import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb, firstRow } from "../../db/client";
import { events, knowledgeTestAnswers, knowledgeTestAttempts, knowledgeTests, people, registrations, users } from "../../db/schema";
import { seedDemo } from "../../db/seed/demo";
import type { Actor } from "~/auth/session.server";
import { answeredCorrectly, TEST_PHASES, type TestPhase } from "~/lib/knowledge-tests";
import { createQuestion, RESULTS_PAGE_SIZE, testForEditing } from "~/models/knowledge-tests.server";
import * as results from "~/routes/events.$eventId.tests_.results";
import { call, makeRequest, sessionCookie, unwrap } from "../setup/helpers";

/**
 * The results page of a large event (230 confirmed participants): the figures and the per-question
 * shares count everyone, the table shows 50 people a page, a search narrows it, the paper-score
 * form offers the page's people (the one whose row link was followed chosen) and comes back to the
 * same page. The per-question shares are counted by the database: they must equal what
 * `answeredCorrectly` says of each person's choices, multiple-choice subsets and supersets included.
 */

const TODAY = new Date("2026-11-22T12:00:00Z");
const PEOPLE = 230;
let eventId: number;
let cookie: string;
let coordinator: Actor;
const registrationIds: number[] = [];

/** A deterministic sequence of numbers in [0, 1) (no randomness between runs). */
function sequence(seed: number) {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
}

beforeAll(async () => {
  const db = getDb();
  await seedDemo(db, { today: TODAY });
  const u = firstRow(await db.select().from(users).where(eq(users.email, "coordinator@example.org")).limit(1))!;
  coordinator = { user: { id: u.id, email: u.email, name: u.name, role: u.role, organisationId: u.organisationId, locale: u.locale }, ip: null };
  cookie = await sessionCookie({ id: u.id, role: u.role });
  eventId = (await db
    .insert(events)
    .values({ title: "Large results training", type: "training", country: "BS", timeZone: "America/Nassau", startDate: "2026-11-01", endDate: "2026-11-03", status: "completed" })
    .returning({ id: events.id }))[0].id;
  for (let i = 0; i < PEOPLE; i++) {
    const family = i === 7 ? "Zzyzx" : `Officer ${String(i).padStart(3, "0")}`;
    const personId = (await db.insert(people).values({ givenName: "Test", familyName: family }).returning({ id: people.id }))[0].id;
    const id = (await db.insert(registrations).values({ eventId, personId, status: "confirmed", statusChangedAt: TODAY }).returning({ id: registrations.id }))[0].id;
    registrationIds.push(id);
  }
  // a single choice, a multiple choice with two right options of four, a true/false
  await createQuestion(coordinator, eventId, { kind: "single", prompt: "Single", explanation: null, options: [{ label: "A", correct: true }, { label: "B", correct: false }, { label: "C", correct: false }], trueFalseAnswer: null });
  await createQuestion(coordinator, eventId, { kind: "multiple", prompt: "Multiple", explanation: null, options: [{ label: "A", correct: true }, { label: "B", correct: true }, { label: "C", correct: false }, { label: "D", correct: false }], trueFalseAnswer: null });
  await createQuestion(coordinator, eventId, { kind: "true_false", prompt: "True or false", explanation: null, options: [], trueFalseAnswer: true });
  const testId = firstRow(await db.select({ id: knowledgeTests.id }).from(knowledgeTests).where(eq(knowledgeTests.eventId, eventId)).limit(1))!.id;
  const questions = (await testForEditing(coordinator, eventId)).questions;
  // submitted online attempts with every kind of choice: none, one, a subset, the right set, a superset, all
  const random = sequence(42);
  for (const [index, registrationId] of registrationIds.entries()) {
    for (const phase of TEST_PHASES) {
      if (phase === "post" && index % 5 === 0) continue; // some never took the post-test
      const source = index % 11 === 0 ? "paper" : "online";
      const answers: { questionId: number; optionId: number }[] = [];
      if (source === "online") {
        for (const q of questions) {
          const chosen = q.options.filter(() => random() < (phase === "post" ? 0.55 : 0.4));
          for (const o of q.kind === "multiple" ? chosen : chosen.slice(0, 1)) answers.push({ questionId: q.id, optionId: o.id });
        }
      }
      const attemptId = (await db
        .insert(knowledgeTestAttempts)
        .values({ testId, registrationId, phase, source, correct: source === "paper" ? 2 : 0, total: 3, submittedAt: TODAY })
        .returning({ id: knowledgeTestAttempts.id }))[0].id;
      if (answers.length > 0) await db.insert(knowledgeTestAnswers).values(answers.map((a) => ({ attemptId, ...a })));
    }
  }
});

const load = async (query = "") => unwrap(await call(results.loader, makeRequest(`/events/${eventId}/tests/results${query}`, { cookie }), { eventId: String(eventId) })).data;

describe("the results page of a 230-person event", () => {
  it("counts every person's online answers per question exactly as answeredCorrectly does", async () => {
    const data = await load();
    const questions = (await testForEditing(coordinator, eventId)).questions;
    const rows = await getDb()
      .select({ attemptId: knowledgeTestAnswers.attemptId, questionId: knowledgeTestAnswers.questionId, optionId: knowledgeTestAnswers.optionId, phase: knowledgeTestAttempts.phase })
      .from(knowledgeTestAnswers)
      .innerJoin(knowledgeTestAttempts, eq(knowledgeTestAttempts.id, knowledgeTestAnswers.attemptId));
    const testId = firstRow(await getDb().select({ id: knowledgeTests.id }).from(knowledgeTests).where(eq(knowledgeTests.eventId, eventId)).limit(1))!.id;
    const attempts = await getDb().select().from(knowledgeTestAttempts).where(eq(knowledgeTestAttempts.testId, testId));
    const expected = questions.map((q) => {
      const right = q.options.filter((o) => o.isCorrect).map((o) => o.id);
      const share = (phase: TestPhase) => {
        const taken = attempts.filter((a) => a.phase === phase && a.source === "online" && a.submittedAt !== null);
        const rightCount = taken.filter((a) => answeredCorrectly(rows.filter((r) => r.attemptId === a.id && r.questionId === q.id).map((r) => r.optionId), right)).length;
        return { answered: taken.length, right: rightCount };
      };
      return { pre: share("pre"), post: share("post") };
    });
    const shown = data.perQuestion.map((q: { pre: { answered: number; right: number }; post: { answered: number; right: number } }) => ({
      pre: { answered: q.pre.answered, right: q.pre.right },
      post: { answered: q.post.answered, right: q.post.right },
    }));
    expect(shown).toEqual(expected);
    // the sample has right and wrong answers for every question, so the comparison means something
    for (const q of expected) for (const phase of TEST_PHASES) expect(q[phase].right).toBeGreaterThan(0);
    for (const q of expected) for (const phase of TEST_PHASES) expect(q[phase].right).toBeLessThan(q[phase].answered);

    // the counts are kept until the data changes: one more post-test, all right, counts at once
    const attempt = (await getDb()
      .insert(knowledgeTestAttempts)
      .values({ testId, registrationId: registrationIds[5], phase: "post", source: "online", correct: 3, total: 3, submittedAt: TODAY })
      .returning({ id: knowledgeTestAttempts.id }))[0].id;
    await getDb().insert(knowledgeTestAnswers).values(questions.flatMap((q) => q.options.filter((o) => o.isCorrect).map((o) => ({ attemptId: attempt, questionId: q.id, optionId: o.id }))));
    const after = await load();
    expect(after.perQuestion.map((q: { post: { answered: number; right: number } }) => q.post)).toEqual(
      expected.map((q) => expect.objectContaining({ answered: q.post.answered + 1, right: q.post.right + 1 })),
    );
  });

  it("shows 50 people a page while the event's figures count all 230", async () => {
    const first = await load();
    expect(RESULTS_PAGE_SIZE).toBe(50);
    expect(first.participantCount).toBe(PEOPLE);
    expect(first.people).toHaveLength(50);
    expect(first).toMatchObject({ page: 1, pageCount: 5, matching: PEOPLE, firstRow: 1 });
    expect(first.summary.preTaken).toBe(PEOPLE);
    expect(first.summary.postTaken).toBe(PEOPLE - Math.ceil(PEOPLE / 5) + 1); // one more taken in the test above
    const last = await load("?page=5");
    expect(last.people).toHaveLength(PEOPLE - 4 * 50);
    expect(last).toMatchObject({ page: 5, firstRow: 201 });
    expect(last.summary).toEqual(first.summary);
    // pages do not overlap and together hold everyone
    const pages = [first, ...(await Promise.all([2, 3, 4].map((n) => load(`?page=${n}`)))), last];
    const ids = new Set(pages.flatMap((page) => page.people).map((p: { registrationId: number }) => p.registrationId));
    expect(ids.size).toBe(PEOPLE);
    // a page past the end shows the last one; junk shows the first
    expect((await load("?page=99")).page).toBe(5);
    expect((await load("?page=abc")).page).toBe(1);
  });

  it("narrows the table by a search, without changing the event's figures", async () => {
    const all = await load();
    const found = await load("?q=zzyZX");
    expect(found.people.map((p: { name: string }) => p.name)).toEqual(["Test Zzyzx"]);
    expect(found).toMatchObject({ matching: 1, pageCount: 1, q: "zzyZX" });
    expect(found.summary).toEqual(all.summary);
    expect(found.perQuestion).toEqual(all.perQuestion);
    const none = await load("?q=nobody-by-this-name");
    expect(none).toMatchObject({ matching: 0, people: [] });
  });

  it("offers the page's people in the paper-score form, the followed one chosen, and comes back to the same page", async () => {
    const second = await load("?page=2");
    const someone = second.people[5].registrationId;
    const chosen = await load(`?page=2&person=${someone}`);
    expect(chosen.chosen).toBe(String(someone));
    // someone on another page (or not on the roster) is not chosen
    expect((await load(`?page=1&person=${someone}`)).chosen).toBe("");
    expect((await load("?person=999999999")).chosen).toBe("");
    // a paper score for someone who has no online post-test (index 0: paper) comes back to page 2
    const paperPerson = registrationIds[0];
    const saved = (await call(
      results.action,
      makeRequest(`/events/${eventId}/tests/results?page=2&q=Officer&person=${paperPerson}`, { cookie, form: { registrationId: String(paperPerson), phase: "post", correct: "3" } }),
      { eventId: String(eventId) },
    )) as Response;
    expect(saved.status).toBe(302);
    const location = new URL(saved.headers.get("Location")!, "http://x");
    expect(Object.fromEntries(location.searchParams)).toEqual({ q: "Officer", page: "2", done: "paper" });
    expect(location.hash).toBe("#paper");
  });

  it("keeps the people's scores between requests only until something they show changes", async () => {
    const db = getDb();
    const person = registrationIds[3];
    const find = async (q = "") => (await load(q)).people.find((p: { registrationId: number }) => p.registrationId === person);
    const before = await load();
    expect(await find()).toMatchObject({ name: "Test Officer 003" });
    // a paper score replaces the person's post-test score, and the figures count it
    const { personId } = firstRow(await db.select({ personId: registrations.personId }).from(registrations).where(eq(registrations.id, person)).limit(1))!;
    await db.update(knowledgeTestAttempts).set({ source: "paper", correct: 0, total: 3 }).where(and(eq(knowledgeTestAttempts.registrationId, person), eq(knowledgeTestAttempts.phase, "post")));
    expect(await find()).toMatchObject({ post: 0, postSource: "paper" });
    // a new name
    await db.update(people).set({ familyName: "Renamed" }).where(eq(people.id, personId));
    expect(await find("?q=Renamed")).toMatchObject({ name: "Test Renamed" });
    // a cancelled registration leaves the table and the figures
    await db.update(registrations).set({ status: "cancelled" }).where(eq(registrations.id, person));
    const after = await load();
    expect(after.participantCount).toBe(before.participantCount - 1);
    expect(await find()).toBeUndefined();
    expect(after.summary.preTaken).toBe(before.summary.preTaken - 1);
  });
});

