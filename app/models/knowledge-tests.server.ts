import { and, asc, desc, eq, gt, inArray, isNotNull, isNull, lte, ne, or, sql } from "drizzle-orm";
import { getDb, firstRow, isUniqueViolation, queryAll, type DB, type Tx } from "../../db/client";
import { countOf } from "../../db/sql-dialect";
import {
  events,
  knowledgeTestAnswers,
  knowledgeTestAttempts,
  knowledgeTestOptions,
  knowledgeTestQuestions,
  knowledgeTests,
  organisations,
  people,
  registrations,
} from "../../db/schema";
import { forbidden, notFound, type Actor, type SessionUser } from "~/auth/session.server";
import { nowMs } from "~/lib/clock";
import type { FieldErrors } from "~/lib/forms";
import {
  answeredCorrectly,
  QUESTIONS_MAX,
  scorePercent,
  shuffledFor,
  scoreGain,
  summarise,
  TEST_PHASES,
  type AttemptSource,
  type QuestionKind,
  type TestPhase,
} from "~/lib/knowledge-tests";
import { hasCorrectAnswer, testMsg, type QuestionInput, type ScheduleInput } from "~/lib/schemas/knowledge-tests";
import { wallClockExists, zonedToUtc } from "~/lib/zoned";
import { recordAudit } from "./audit.server";
import { keptUntilDataChanges } from "./data-version.server";
import { FieldError } from "./field-error.server";
import { ownConfirmedParticipation, ownConfirmedRegistration } from "./registrations.server";

/**
 * Knowledge tests: an event's questions, taken by its confirmed participants before the training
 * (pre-test) and after it (post-test), so that each person's two scores can be paired. Admins and
 * coordinators build the test, open and close each phase, enter paper scores and read the results;
 * a participant takes it signed in, only while the phase is open, once per phase.
 *
 * The questions can change only while nobody has started either phase and no phase is open or
 * scheduled: a pre-test and a post-test compare only if they asked the same questions.
 */

type Reader = Pick<DB, "select">;

export type PhaseState = "notScheduled" | "scheduled" | "open" | "closed";

/** Where a phase stands at `at`: open from its opening until its closing (no end while that is unset). */
export function phaseState(opensAt: Date | null, closesAt: Date | null, at = nowMs()): PhaseState {
  if (opensAt === null) return "notScheduled";
  if (opensAt.getTime() > at) return "scheduled";
  if (closesAt !== null && closesAt.getTime() <= at) return "closed";
  return "open";
}

function requireManager(actor: Actor | SessionUser) {
  const user = "user" in actor ? actor.user : actor;
  if (user.role !== "admin" && user.role !== "coordinator") throw forbidden();
}

async function loadEvent(db: Reader, eventId: number) {
  const event = firstRow(
    await db
      .select({ id: events.id, title: events.title, timeZone: events.timeZone, startDate: events.startDate, endDate: events.endDate })
      .from(events)
      .where(eq(events.id, eventId))
      .limit(1),
  );
  if (!event) throw notFound();
  return event;
}

type TestRow = typeof knowledgeTests.$inferSelect;

async function testOf(db: Reader, eventId: number): Promise<TestRow | undefined> {
  return firstRow(await db.select().from(knowledgeTests).where(eq(knowledgeTests.eventId, eventId)).limit(1));
}

/** The event's test, created (empty, nothing scheduled) the first time it is needed. */
async function ensureTest(tx: Tx, eventId: number): Promise<TestRow> {
  await tx.insert(knowledgeTests).values({ eventId }).onConflictDoNothing();
  return (await testOf(tx, eventId))!;
}

function windowOf(test: TestRow, phase: TestPhase) {
  return phase === "pre" ? { opensAt: test.preOpensAt, closesAt: test.preClosesAt } : { opensAt: test.postOpensAt, closesAt: test.postClosesAt };
}

function phaseColumns(phase: TestPhase, opensAt: Date | null, closesAt: Date | null) {
  return phase === "pre" ? { preOpensAt: opensAt, preClosesAt: closesAt } : { postOpensAt: opensAt, postClosesAt: closesAt };
}

type QuestionWithOptions = {
  id: number;
  position: number;
  kind: QuestionKind;
  prompt: string;
  explanation: string | null;
  options: { id: number; label: string; isCorrect: boolean }[];
};

async function questionsOf(db: Reader, testId: number): Promise<QuestionWithOptions[]> {
  const rows = await db
    .select({
      id: knowledgeTestQuestions.id,
      position: knowledgeTestQuestions.position,
      kind: knowledgeTestQuestions.kind,
      prompt: knowledgeTestQuestions.prompt,
      explanation: knowledgeTestQuestions.explanation,
      optionId: knowledgeTestOptions.id,
      label: knowledgeTestOptions.label,
      isCorrect: knowledgeTestOptions.isCorrect,
    })
    .from(knowledgeTestQuestions)
    .leftJoin(knowledgeTestOptions, eq(knowledgeTestOptions.questionId, knowledgeTestQuestions.id))
    .where(eq(knowledgeTestQuestions.testId, testId))
    .orderBy(asc(knowledgeTestQuestions.position), asc(knowledgeTestQuestions.id), asc(knowledgeTestOptions.position), asc(knowledgeTestOptions.id));
  const questions: QuestionWithOptions[] = [];
  for (const r of rows) {
    let q = questions.at(-1);
    if (!q || q.id !== r.id) {
      q = { id: r.id, position: r.position, kind: r.kind, prompt: r.prompt, explanation: r.explanation, options: [] };
      questions.push(q);
    }
    if (r.optionId !== null) q.options.push({ id: r.optionId, label: r.label!, isCorrect: r.isCorrect! });
  }
  return questions;
}

async function attemptCount(db: Reader, testId: number) {
  return firstRow(await db.select({ n: countOf() }).from(knowledgeTestAttempts).where(eq(knowledgeTestAttempts.testId, testId)).limit(1))?.n ?? 0;
}

/** Why the questions cannot change now, or null when they can. */
async function lockReason(db: Reader, test: TestRow | undefined): Promise<"started" | "scheduled" | null> {
  if (!test) return null;
  if ((await attemptCount(db, test.id)) > 0) return "started";
  const at = nowMs();
  for (const phase of TEST_PHASES) {
    const w = windowOf(test, phase);
    const state = phaseState(w.opensAt, w.closesAt, at);
    if (state === "open" || state === "scheduled") return "scheduled";
  }
  return null;
}

async function requireEditable(tx: Tx, test: TestRow | undefined) {
  const reason = await lockReason(tx, test);
  if (reason === "started") throw new FieldError("form", "knowledgeTests.errors.lockedStarted");
  if (reason === "scheduled") throw new FieldError("form", "knowledgeTests.errors.lockedScheduled");
}

/** Why a test cannot be opened: no questions, or questions without a correct answer (their numbers). */
function openingProblem(questions: QuestionWithOptions[]): FieldError | null {
  if (questions.length === 0) return new FieldError("form", "knowledgeTests.errors.noQuestions");
  const missing = questions.flatMap((q, i) => (q.options.some((o) => o.isCorrect) ? [] : [i + 1]));
  if (missing.length > 0) return new FieldError("form", "knowledgeTests.errors.noCorrectAnswer", { numbers: missing.join(", "), count: missing.length });
  return null;
}

// ——— the coordinator's pages ———

/** The earlier tests offered to copy from: the most recent events' tests with questions. */
const COPY_SOURCES_LISTED = 200;
/**
 * A listed event's number of questions. Counted per listed event rather than joined and grouped:
 * walked from the events' start dates, the list stops at its 200 (scale 10: 11,000 tests with
 * 114,000 questions; the grouped join took 36 ms a view of the test page, this 1–2).
 */
const sourceQuestionCount = sql<number>`(select ${countOf()} from ${knowledgeTests} ct join ${knowledgeTestQuestions} cq on cq.test_id = ct.id where ct.event_id = "events"."id")`.mapWith(Number);

/** The test tab: the questions, each phase's window, whether the questions may change, tests to copy from. */
export async function testForEditing(actor: Actor, eventId: number) {
  requireManager(actor);
  const db = getDb();
  const event = await loadEvent(db, eventId);
  const test = await testOf(db, eventId);
  const questions = test ? await questionsOf(db, test.id) : [];
  const at = nowMs();
  const phases = TEST_PHASES.map((phase) => {
    const w = test ? windowOf(test, phase) : { opensAt: null, closesAt: null };
    return { phase, opensAt: w.opensAt, closesAt: w.closesAt, state: phaseState(w.opensAt, w.closesAt, at) };
  });
  const submitted = test
    ? await db
        .select({ phase: knowledgeTestAttempts.phase, n: countOf() })
        .from(knowledgeTestAttempts)
        .where(and(eq(knowledgeTestAttempts.testId, test.id), isNotNull(knowledgeTestAttempts.submittedAt)))
        .groupBy(knowledgeTestAttempts.phase)
    : [];
  const lock = await lockReason(db, test);
  // tests to copy from only while questions may be added: a locked test's page offers no copying
  const sources =
    lock === null
      ? await db
          .select({ id: events.id, title: events.title, startDate: events.startDate, endDate: events.endDate, questions: sourceQuestionCount })
          .from(events)
          .where(and(ne(events.id, eventId), sql`exists (select 1 from ${knowledgeTests} st join ${knowledgeTestQuestions} sq on sq.test_id = st.id where st.event_id = ${events.id})`))
          .orderBy(desc(events.startDate), asc(events.id))
          .limit(COPY_SOURCES_LISTED)
      : [];
  return {
    event,
    questions,
    phases: phases.map((p) => ({ ...p, submitted: submitted.find((s) => s.phase === p.phase)?.n ?? 0 })),
    lock,
    openingProblem: (() => {
      const problem = openingProblem(questions);
      return problem ? { key: problem.messageKey, values: problem.values } : null;
    })(),
    sources,
  };
}

/** One question for its edit form (404 when it is not this event's). */
export async function questionForEditing(actor: Actor, eventId: number, questionId: number) {
  requireManager(actor);
  const db = getDb();
  const event = await loadEvent(db, eventId);
  const test = await testOf(db, eventId);
  const question = test ? (await questionsOf(db, test.id)).find((q) => q.id === questionId) : undefined;
  if (!test || !question) throw notFound();
  return { event, question, number: question.position, lock: await lockReason(db, test) };
}

/** The options rows to store for a question (true/false: two fixed rows). */
function optionRows(input: QuestionInput) {
  if (input.kind === "true_false") {
    return [
      { label: "true", isCorrect: input.trueFalseAnswer === true },
      { label: "false", isCorrect: input.trueFalseAnswer === false },
    ];
  }
  return input.options.map((o) => ({ label: o.label, isCorrect: o.correct }));
}

function checkShape(input: QuestionInput): FieldErrors | null {
  if (input.kind === "single" && input.options.filter((o) => o.correct).length > 1) return { correct: testMsg.singleOneCorrect };
  if (input.kind !== "true_false" && input.options.length < 2) return { "option-0": testMsg.optionsTooFew };
  return null;
}

export type QuestionWriteResult = { ok: true; questionId: number } | { ok: false; errors: FieldErrors };

/** Add a question at the end of the event's test (the test is created with its first question). */
export async function createQuestion(actor: Actor, eventId: number, input: QuestionInput): Promise<QuestionWriteResult> {
  requireManager(actor);
  const shape = checkShape(input);
  if (shape) return { ok: false, errors: shape };
  return await getDb().transaction(async (tx) => {
    await loadEvent(tx, eventId);
    const test = await ensureTest(tx, eventId);
    await requireEditable(tx, test);
    const existing = await questionsOf(tx, test.id);
    if (existing.length >= QUESTIONS_MAX) throw new FieldError("form", "knowledgeTests.errors.tooManyQuestions", { max: QUESTIONS_MAX });
    const [question] = await tx
      .insert(knowledgeTestQuestions)
      .values({ testId: test.id, position: existing.length + 1, kind: input.kind, prompt: input.prompt, explanation: input.explanation })
      .returning({ id: knowledgeTestQuestions.id });
    await tx.insert(knowledgeTestOptions).values(optionRows(input).map((o, i) => ({ ...o, questionId: question.id, position: i + 1 })));
    await recordAudit(tx, { userId: actor.user.id, ip: actor.ip, action: "knowledge_test.question_create", entityType: "event", entityId: eventId, details: { questionId: question.id } });
    return { ok: true as const, questionId: question.id };
  });
}

async function questionOfEvent(tx: Tx, eventId: number, questionId: number) {
  const row = firstRow(
    await tx
      .select({ id: knowledgeTestQuestions.id, testId: knowledgeTestQuestions.testId })
      .from(knowledgeTestQuestions)
      .innerJoin(knowledgeTests, eq(knowledgeTests.id, knowledgeTestQuestions.testId))
      .where(and(eq(knowledgeTestQuestions.id, questionId), eq(knowledgeTests.eventId, eventId)))
      .limit(1),
  );
  if (!row) throw notFound();
  return row;
}

/** Change a question (its options are replaced: nobody has answered yet, the lock guarantees it). */
export async function updateQuestion(actor: Actor, eventId: number, questionId: number, input: QuestionInput): Promise<QuestionWriteResult> {
  requireManager(actor);
  const shape = checkShape(input);
  if (shape) return { ok: false, errors: shape };
  return await getDb().transaction(async (tx) => {
    await loadEvent(tx, eventId);
    const question = await questionOfEvent(tx, eventId, questionId);
    await requireEditable(tx, await testOf(tx, eventId));
    await tx.update(knowledgeTestQuestions).set({ kind: input.kind, prompt: input.prompt, explanation: input.explanation }).where(eq(knowledgeTestQuestions.id, question.id));
    await tx.delete(knowledgeTestOptions).where(eq(knowledgeTestOptions.questionId, question.id));
    await tx.insert(knowledgeTestOptions).values(optionRows(input).map((o, i) => ({ ...o, questionId: question.id, position: i + 1 })));
    await recordAudit(tx, { userId: actor.user.id, ip: actor.ip, action: "knowledge_test.question_update", entityType: "event", entityId: eventId, details: { questionId } });
    return { ok: true as const, questionId };
  });
}

/** Number the questions 1…n again in their current order. */
async function renumber(tx: Tx, testId: number) {
  const ids = (await questionsOf(tx, testId)).map((q) => q.id);
  for (const [i, id] of ids.entries()) await tx.update(knowledgeTestQuestions).set({ position: i + 1 }).where(eq(knowledgeTestQuestions.id, id));
}

export async function deleteQuestion(actor: Actor, eventId: number, questionId: number) {
  requireManager(actor);
  await getDb().transaction(async (tx) => {
    await loadEvent(tx, eventId);
    const question = await questionOfEvent(tx, eventId, questionId);
    await requireEditable(tx, await testOf(tx, eventId));
    await tx.delete(knowledgeTestQuestions).where(eq(knowledgeTestQuestions.id, question.id));
    await renumber(tx, question.testId);
    await recordAudit(tx, { userId: actor.user.id, ip: actor.ip, action: "knowledge_test.question_delete", entityType: "event", entityId: eventId, details: { questionId } });
  });
}

/** Move a question one place up or down (the first cannot go up, the last cannot go down: nothing changes). */
export async function moveQuestion(actor: Actor, eventId: number, questionId: number, direction: "up" | "down") {
  requireManager(actor);
  await getDb().transaction(async (tx) => {
    await loadEvent(tx, eventId);
    const question = await questionOfEvent(tx, eventId, questionId);
    await requireEditable(tx, await testOf(tx, eventId));
    const ids = (await questionsOf(tx, question.testId)).map((q) => q.id);
    const from = ids.indexOf(questionId);
    const to = direction === "up" ? from - 1 : from + 1;
    if (to < 0 || to >= ids.length) return;
    [ids[from], ids[to]] = [ids[to], ids[from]];
    for (const [i, id] of ids.entries()) await tx.update(knowledgeTestQuestions).set({ position: i + 1 }).where(eq(knowledgeTestQuestions.id, id));
    await recordAudit(tx, { userId: actor.user.id, ip: actor.ip, action: "knowledge_test.question_move", entityType: "event", entityId: eventId, details: { questionId, direction } });
  });
}

/**
 * Copy every question of another event's test (a curriculum reused across trainings) to the end of
 * this event's test. The coordinator may copy from any event (coordinators manage them all).
 */
export async function copyQuestions(actor: Actor, eventId: number, fromEventId: number) {
  requireManager(actor);
  if (fromEventId === eventId) throw new FieldError("fromEventId", "knowledgeTests.errors.copySelf");
  return await getDb().transaction(async (tx) => {
    await loadEvent(tx, eventId);
    const source = await testOf(tx, fromEventId);
    // an event that does not exist was never among the choices
    if (!source && !firstRow(await tx.select({ id: events.id }).from(events).where(eq(events.id, fromEventId)).limit(1))) {
      throw new FieldError("fromEventId", "knowledgeTests.errors.copyChoose");
    }
    const copied = source ? await questionsOf(tx, source.id) : [];
    if (copied.length === 0) throw new FieldError("fromEventId", "knowledgeTests.errors.copyNothing");
    const test = await ensureTest(tx, eventId);
    await requireEditable(tx, test);
    const existing = (await questionsOf(tx, test.id)).length;
    if (existing + copied.length > QUESTIONS_MAX) throw new FieldError("fromEventId", "knowledgeTests.errors.tooManyQuestions", { max: QUESTIONS_MAX });
    for (const [i, q] of copied.entries()) {
      const [row] = await tx
        .insert(knowledgeTestQuestions)
        .values({ testId: test.id, position: existing + i + 1, kind: q.kind, prompt: q.prompt, explanation: q.explanation })
        .returning({ id: knowledgeTestQuestions.id });
      if (q.options.length > 0) {
        await tx.insert(knowledgeTestOptions).values(q.options.map((o, k) => ({ questionId: row.id, position: k + 1, label: o.label, isCorrect: o.isCorrect })));
      }
    }
    await recordAudit(tx, { userId: actor.user.id, ip: actor.ip, action: "knowledge_test.copy", entityType: "event", entityId: eventId, details: { fromEventId, questions: copied.length } });
    return copied.length;
  });
}

async function openableTest(tx: Tx, eventId: number) {
  const test = await testOf(tx, eventId);
  const problem = openingProblem(test ? await questionsOf(tx, test.id) : []);
  if (problem || !test) throw problem ?? new FieldError("form", "knowledgeTests.errors.noQuestions");
  return test;
}

/** Open a phase now (a closing time already passed is cleared: it stays open until closed). */
export async function openPhase(actor: Actor, eventId: number, phase: TestPhase) {
  requireManager(actor);
  await getDb().transaction(async (tx) => {
    await loadEvent(tx, eventId);
    const test = await openableTest(tx, eventId);
    const w = windowOf(test, phase);
    const at = nowMs();
    if (phaseState(w.opensAt, w.closesAt, at) === "open") return;
    const closesAt = w.closesAt && w.closesAt.getTime() > at ? w.closesAt : null;
    await tx.update(knowledgeTests).set(phaseColumns(phase, new Date(at), closesAt)).where(eq(knowledgeTests.id, test.id));
    await recordAudit(tx, { userId: actor.user.id, ip: actor.ip, action: "knowledge_test.open", entityType: "event", entityId: eventId, details: { phase } });
  });
}

/** Close an open phase now: answers sent after this are refused. */
export async function closePhase(actor: Actor, eventId: number, phase: TestPhase) {
  requireManager(actor);
  await getDb().transaction(async (tx) => {
    await loadEvent(tx, eventId);
    const test = await testOf(tx, eventId);
    const w = test ? windowOf(test, phase) : { opensAt: null, closesAt: null };
    const at = nowMs();
    if (!test || phaseState(w.opensAt, w.closesAt, at) !== "open") throw new FieldError("form", "knowledgeTests.errors.notOpen");
    await tx.update(knowledgeTests).set(phaseColumns(phase, w.opensAt, new Date(at))).where(eq(knowledgeTests.id, test.id));
    await recordAudit(tx, { userId: actor.user.id, ip: actor.ip, action: "knowledge_test.close", entityType: "event", entityId: eventId, details: { phase } });
  });
}

export type ScheduleResult = { ok: true } | { ok: false; errors: FieldErrors };

/** Set a phase's window from times typed in the event's zone (the closing time is optional). */
export async function schedulePhase(actor: Actor, eventId: number, phase: TestPhase, input: ScheduleInput): Promise<ScheduleResult> {
  requireManager(actor);
  return await getDb().transaction(async (tx) => {
    const event = await loadEvent(tx, eventId);
    const errors: FieldErrors = {};
    if (!wallClockExists(input.opensDay, input.opensTime, event.timeZone)) errors.opensTime = testMsg.timeSkipped;
    if (input.closesDay && input.closesTime && !wallClockExists(input.closesDay, input.closesTime, event.timeZone)) errors.closesTime = testMsg.timeSkipped;
    const opensAt = zonedToUtc(input.opensDay, input.opensTime, event.timeZone);
    const closesAt = input.closesDay && input.closesTime ? zonedToUtc(input.closesDay, input.closesTime, event.timeZone) : null;
    if (closesAt && closesAt.getTime() <= opensAt.getTime()) errors.closesTime ??= testMsg.closesBeforeOpens;
    else if (closesAt && closesAt.getTime() <= nowMs()) errors.closesTime ??= testMsg.closesInPast;
    if (Object.keys(errors).length > 0) return { ok: false as const, errors };
    const test = await openableTest(tx, eventId);
    await tx.update(knowledgeTests).set(phaseColumns(phase, opensAt, closesAt)).where(eq(knowledgeTests.id, test.id));
    await recordAudit(tx, {
      userId: actor.user.id,
      ip: actor.ip,
      action: "knowledge_test.schedule",
      entityType: "event",
      entityId: eventId,
      details: { phase, opensAt: opensAt.getTime(), closesAt: closesAt?.getTime() ?? null },
    });
    return { ok: true as const };
  });
}

/** Take a phase's schedule back before it opens (an open phase is closed instead). */
export async function unschedulePhase(actor: Actor, eventId: number, phase: TestPhase) {
  requireManager(actor);
  await getDb().transaction(async (tx) => {
    await loadEvent(tx, eventId);
    const test = await testOf(tx, eventId);
    const w = test ? windowOf(test, phase) : { opensAt: null, closesAt: null };
    if (!test || phaseState(w.opensAt, w.closesAt) !== "scheduled") throw new FieldError("form", "knowledgeTests.errors.notScheduled");
    await tx.update(knowledgeTests).set(phaseColumns(phase, null, null)).where(eq(knowledgeTests.id, test.id));
    await recordAudit(tx, { userId: actor.user.id, ip: actor.ip, action: "knowledge_test.unschedule", entityType: "event", entityId: eventId, details: { phase } });
  });
}

/** The confirmed participants of an event (who may take its test), for the paper-score form. */
async function confirmedParticipants(db: Reader, eventId: number) {
  return await db
    .select({ registrationId: registrations.id, personId: people.id, givenName: people.givenName, familyName: people.familyName, organisationName: organisations.name })
    .from(registrations)
    .innerJoin(people, eq(people.id, registrations.personId))
    .leftJoin(organisations, eq(organisations.id, people.organisationId))
    .where(and(eq(registrations.eventId, eventId), eq(registrations.eventRole, "participant"), eq(registrations.status, "confirmed")))
    .orderBy(asc(people.familyName), asc(people.givenName), asc(registrations.id));
}

/**
 * A score from a paper sheet for a confirmed participant of this event: `correct` answers of the
 * test's questions. Refused when the person submitted online (their answers stand); a paper score
 * may be corrected by entering it again, and it replaces an unfinished online draft.
 */
export async function recordPaperScore(actor: Actor, eventId: number, input: { registrationId: number; phase: TestPhase; correct: number }) {
  requireManager(actor);
  await getDb().transaction(async (tx) => {
    await loadEvent(tx, eventId);
    const registration = firstRow(
      await tx
        .select({ id: registrations.id })
        .from(registrations)
        .where(and(eq(registrations.id, input.registrationId), eq(registrations.eventId, eventId), eq(registrations.eventRole, "participant"), eq(registrations.status, "confirmed")))
        .limit(1),
    );
    if (!registration) throw new FieldError("registrationId", "knowledgeTests.errors.notOnRoster");
    const test = await testOf(tx, eventId);
    const total = test ? (await questionsOf(tx, test.id)).length : 0;
    if (!test || total === 0) throw new FieldError("form", "knowledgeTests.errors.noQuestions");
    if (!Number.isInteger(input.correct) || input.correct < 0 || input.correct > total) throw new FieldError("correct", testMsg.correctCount, { max: total });
    const existing = firstRow(
      await tx.select().from(knowledgeTestAttempts).where(and(eq(knowledgeTestAttempts.registrationId, registration.id), eq(knowledgeTestAttempts.phase, input.phase))).limit(1),
    );
    if (existing && existing.source === "online" && existing.submittedAt !== null) throw new FieldError("registrationId", "knowledgeTests.errors.submittedOnline");
    const values = { source: "paper" as AttemptSource, correct: input.correct, total, submittedAt: new Date(nowMs()), recordedByUserId: actor.user.id };
    if (existing) {
      await tx.delete(knowledgeTestAnswers).where(eq(knowledgeTestAnswers.attemptId, existing.id));
      await tx.update(knowledgeTestAttempts).set(values).where(eq(knowledgeTestAttempts.id, existing.id));
    } else {
      await tx.insert(knowledgeTestAttempts).values({ ...values, testId: test.id, registrationId: registration.id, phase: input.phase });
    }
    await recordAudit(tx, {
      userId: actor.user.id,
      ip: actor.ip,
      action: "knowledge_test.paper_score",
      entityType: "registration",
      entityId: registration.id,
      details: { eventId, phase: input.phase, correct: input.correct, total, replaced: existing?.source === "paper" && existing.submittedAt !== null },
    });
  });
}

/**
 * Per phase and question ("pre:12"), how many submitted online attempts chose exactly the
 * question's right options (what `answeredCorrectly` says), counted by the database: a 500-person
 * event has 10,000 answers. Kept until the data version moves: an attempt's submission, a paper
 * score replacing a draft and a removed attempt move it (migration 0022), and a test's questions
 * are locked once someone has answered.
 */
async function rightAnswersPerQuestion(db: DB, testId: number) {
  const rows = await queryAll<{ phase: TestPhase; questionId: number; right: number | string }>(
    db,
    sql`select a.phase as phase, s.question_id as "questionId", count(*) as "right"
        from (
          select ans.attempt_id, ans.question_id,
            sum(case when o.is_correct and o.question_id = ans.question_id then 1 else 0 end) as chosen_right,
            sum(case when o.is_correct and o.question_id = ans.question_id then 0 else 1 end) as chosen_wrong
          from ${knowledgeTestAnswers} ans
          join ${knowledgeTestAttempts} a on a.id = ans.attempt_id
          join ${knowledgeTestOptions} o on o.id = ans.option_id
          where a.test_id = ${testId} and a.submitted_at is not null and a.source = 'online'
          group by ans.attempt_id, ans.question_id
        ) s
        join ${knowledgeTestAttempts} a on a.id = s.attempt_id
        where s.chosen_wrong = 0
          and s.chosen_right = (select count(*) from ${knowledgeTestOptions} c where c.question_id = s.question_id and c.is_correct)
        group by a.phase, s.question_id`,
  );
  return new Map(rows.map((r) => [`${r.phase}:${r.questionId}`, Number(r.right)]));
}
const keptRightCounts = keptUntilDataChanges<Map<string, number>>(64);

/**
 * Every confirmed participant of the event with their pre and post score and gain (roster order),
 * the number of online attempts of each phase, and the event's figures. Kept until the data moves
 * (registrations, people, organisations and attempts all move it): the results page asks for
 * them again on every page, search and paper score of a 500-person event.
 */
async function scoresOf(db: Reader, eventId: number, testId: number | undefined) {
  const roster = await confirmedParticipants(db, eventId);
  const attempts =
    testId === undefined
      ? []
      : await db
          .select({
            registrationId: knowledgeTestAttempts.registrationId,
            phase: knowledgeTestAttempts.phase,
            source: knowledgeTestAttempts.source,
            correct: knowledgeTestAttempts.correct,
            total: knowledgeTestAttempts.total,
          })
          .from(knowledgeTestAttempts)
          .where(and(eq(knowledgeTestAttempts.testId, testId), isNotNull(knowledgeTestAttempts.submittedAt)));
  const byRegistration = new Map<number, { pre?: (typeof attempts)[number]; post?: (typeof attempts)[number] }>();
  for (const a of attempts) byRegistration.set(a.registrationId, { ...byRegistration.get(a.registrationId), [a.phase]: a });
  const score = (a?: (typeof attempts)[number]) => (a ? scorePercent(a.correct!, a.total!) : null);
  const everyone = roster.map((r) => {
    const own = byRegistration.get(r.registrationId) ?? {};
    const pre = score(own.pre);
    const post = score(own.post);
    return {
      registrationId: r.registrationId,
      name: `${r.givenName} ${r.familyName}`,
      organisationName: r.organisationName,
      pre,
      post,
      preSource: own.pre?.source ?? null,
      postSource: own.post?.source ?? null,
      gain: own.pre && own.post ? scoreGain({ correct: own.pre.correct!, total: own.pre.total! }, { correct: own.post.correct!, total: own.post.total! }) : null,
    };
  });
  // per phase, the online attempts (the denominators of each question's share of right answers)
  const taken = { pre: 0, post: 0 };
  for (const a of attempts) if (a.source === "online") taken[a.phase] += 1;
  return { everyone, taken, summary: summarise(everyone) };
}
const keptScores = keptUntilDataChanges<Awaited<ReturnType<typeof scoresOf>>>(16);

/** People a page of the results shows (as the lists of people and agencies; a search narrows them). */
export const RESULTS_PAGE_SIZE = 50;

/**
 * The results page: the event's figures (paired people) from every confirmed participant's pre and
 * post score, per question the share who answered it right before and after (online answers only:
 * a paper score has no answers), and a page of the people (`page`, 50 a page; `q` narrows them
 * to names or agencies containing it) with their scores and gain.
 */
export async function testResults(actor: Actor, eventId: number, options: { page?: number; q?: string } = {}) {
  requireManager(actor);
  const db = getDb();
  const event = await loadEvent(db, eventId);
  const test = await testOf(db, eventId);
  const questions = test ? await questionsOf(db, test.id) : [];
  const { everyone, taken, summary } = await keptScores(db, `${eventId}:${test?.id ?? ""}`, () => scoresOf(db, eventId, test?.id));
  const q = options.q?.trim().toLocaleLowerCase() ?? "";
  const matching = q ? everyone.filter((p) => p.name.toLocaleLowerCase().includes(q) || (p.organisationName ?? "").toLocaleLowerCase().includes(q)) : everyone;
  const pageCount = Math.max(1, Math.ceil(matching.length / RESULTS_PAGE_SIZE));
  const page = Math.min(Math.max(1, Math.floor(options.page ?? 1)), pageCount);

  // per question: the online attempts of each phase, and how many of them chose exactly the
  // question's right options — counted by the database (a 500-person event has 10,000 answers)
  const rightCounts = test && taken.pre + taken.post > 0 ? await keptRightCounts(db, `${test.id}`, () => rightAnswersPerQuestion(db, test.id)) : new Map<string, number>();
  const perQuestion = questions.map((question, index) => {
    const share = (phase: TestPhase) => {
      if (taken[phase] === 0) return { answered: 0, right: 0, share: null };
      // a question without a right option is answered right by no one (answeredCorrectly)
      const right = question.options.some((o) => o.isCorrect) ? (rightCounts.get(`${phase}:${question.id}`) ?? 0) : 0;
      return { answered: taken[phase], right, share: right / taken[phase] };
    };
    return { id: question.id, number: index + 1, prompt: question.prompt, pre: share("pre"), post: share("post") };
  });
  return {
    event,
    hasQuestions: questions.length > 0,
    questionCount: questions.length,
    people: matching.slice((page - 1) * RESULTS_PAGE_SIZE, page * RESULTS_PAGE_SIZE),
    /** confirmed participants, and those the search leaves */
    participantCount: everyone.length,
    matching: matching.length,
    page,
    pageCount,
    firstRow: (page - 1) * RESULTS_PAGE_SIZE + 1,
    summary,
    perQuestion,
  };
}

/**
 * The figures of the event's knowledge test for the API (the results page's rights: admins and
 * coordinators): the pre/post summary and each question's share of right answers; null when the
 * event has no test. No one's own score.
 */
export async function apiTestResults(actor: Actor, eventId: number) {
  const results = await testResults(actor, eventId);
  if (!results.hasQuestions) return null;
  return {
    questionCount: results.questionCount,
    summary: results.summary,
    perQuestion: results.perQuestion.map((q) => ({ number: q.number, prompt: q.prompt, pre: q.pre, post: q.post })),
  };
}

// ——— the participant's side ———

/** Check, before reading a form, that this user may take the event's test (404 otherwise: the test is private). */
export async function requireTestTaker(user: SessionUser, eventId: number) {
  const db = getDb();
  const registration = await ownConfirmedRegistration(db, user, eventId);
  if (!registration || !(await testOf(db, eventId))) throw notFound();
}

/** The tests waiting for this person now (an open phase they have not submitted), for /me. */
export async function myOpenTests(user: SessionUser) {
  const db = getDb();
  const at = new Date(nowMs());
  const openNow = (opens: typeof knowledgeTests.preOpensAt, closes: typeof knowledgeTests.preClosesAt) =>
    and(isNotNull(opens), lte(opens, at), or(isNull(closes), gt(closes, at)));
  const rows = await db
    .select({
      eventId: events.id,
      title: events.title,
      timeZone: events.timeZone,
      registrationId: registrations.id,
      preOpensAt: knowledgeTests.preOpensAt,
      preClosesAt: knowledgeTests.preClosesAt,
      postOpensAt: knowledgeTests.postOpensAt,
      postClosesAt: knowledgeTests.postClosesAt,
    })
    .from(knowledgeTests)
    .innerJoin(events, eq(events.id, knowledgeTests.eventId))
    .innerJoin(registrations, eq(registrations.eventId, events.id))
    .innerJoin(people, eq(people.id, registrations.personId))
    .where(
      and(
        ownConfirmedParticipation(user),
        or(openNow(knowledgeTests.preOpensAt, knowledgeTests.preClosesAt), openNow(knowledgeTests.postOpensAt, knowledgeTests.postClosesAt)),
      ),
    )
    .orderBy(asc(events.startDate), asc(events.id));
  if (rows.length === 0) return [];
  const done = await db
    .select({ registrationId: knowledgeTestAttempts.registrationId, phase: knowledgeTestAttempts.phase })
    .from(knowledgeTestAttempts)
    .where(and(inArray(knowledgeTestAttempts.registrationId, rows.map((r) => r.registrationId)), isNotNull(knowledgeTestAttempts.submittedAt)));
  const isDone = (registrationId: number, phase: TestPhase) => done.some((d) => d.registrationId === registrationId && d.phase === phase);
  return rows.flatMap((r) =>
    TEST_PHASES.flatMap((phase) => {
      const w = phase === "pre" ? { opensAt: r.preOpensAt, closesAt: r.preClosesAt } : { opensAt: r.postOpensAt, closesAt: r.postClosesAt };
      if (phaseState(w.opensAt, w.closesAt, at.getTime()) !== "open" || isDone(r.registrationId, phase)) return [];
      return [{ eventId: r.eventId, title: r.title, phase, closesAt: w.closesAt, timeZone: r.timeZone, url: `/me/tests/${r.eventId}/${phase}` }];
    }),
  );
}

type AttemptRow = typeof knowledgeTestAttempts.$inferSelect;

async function attemptOf(db: Reader, registrationId: number, phase: TestPhase): Promise<AttemptRow | undefined> {
  return firstRow(await db.select().from(knowledgeTestAttempts).where(and(eq(knowledgeTestAttempts.registrationId, registrationId), eq(knowledgeTestAttempts.phase, phase))).limit(1));
}

async function chosenOptions(db: Reader, attemptId: number) {
  const rows = await db.select({ questionId: knowledgeTestAnswers.questionId, optionId: knowledgeTestAnswers.optionId }).from(knowledgeTestAnswers).where(eq(knowledgeTestAnswers.attemptId, attemptId));
  const map: Record<number, number[]> = {};
  for (const r of rows) (map[r.questionId] ??= []).push(r.optionId);
  return map;
}

/**
 * Whose test is being taken: a confirmed registration of the event, found from the signed-in
 * account (/me) or from a personal link or code (people without an account, app/models/
 * evaluation-access.server.ts). `via` is recorded in the audit log with the submission.
 */
export type TestTaker = { registrationId: number; personId: number; eventId: number; userId: string | null; ip: string | null; via: "account" | "link" | "code" };

async function takerOf(actor: Actor | SessionUser, eventId: number): Promise<TestTaker> {
  const user = "user" in actor ? actor.user : actor;
  const registration = await ownConfirmedRegistration(getDb(), user, eventId);
  if (!registration) throw notFound();
  return { registrationId: registration.id, personId: registration.personId, eventId, userId: user.id, ip: "user" in actor ? actor.ip : null, via: "account" };
}

/**
 * A participant's test page: the questions with their options in this person's order (never which
 * is correct while the test can still be taken), the answers saved so far, and where the phase
 * stands. After the post-test closes, each question shows the correct answer and its explanation
 * to those who submitted the post-test.
 * 404 for anyone who is not a confirmed participant of the event, and when the event has no test.
 */
export async function testForParticipant(user: SessionUser, eventId: number, phase: TestPhase) {
  return await testForTaker(await takerOf(user, eventId), phase);
}

/** The test page of a taker already checked (see TestTaker): 404 when the event has no test. */
export async function testForTaker(taker: TestTaker, phase: TestPhase) {
  const db = getDb();
  const eventId = taker.eventId;
  const test = await testOf(db, eventId);
  if (!test) throw notFound();
  const registration = { id: taker.registrationId, personId: taker.personId };
  const event = await loadEvent(db, eventId);
  const w = windowOf(test, phase);
  const at = nowMs();
  const state = phaseState(w.opensAt, w.closesAt, at);
  const attempt = await attemptOf(db, registration.id, phase);
  const post = windowOf(test, "post");
  // the answers are shown once the post-test is over, to those who submitted it (online or on
  // paper): someone who never did must not read them, then answer it when it is opened again
  const postAttempt = phase === "post" ? attempt : await attemptOf(db, registration.id, "post");
  const review = phaseState(post.opensAt, post.closesAt, at) === "closed" && Boolean(postAttempt?.submittedAt);
  const questions = state === "notScheduled" || state === "scheduled" ? [] : await questionsOf(db, test.id);
  return {
    event: { id: event.id, title: event.title, timeZone: event.timeZone },
    phase,
    state,
    opensAt: w.opensAt,
    closesAt: w.closesAt,
    submitted: attempt?.submittedAt
      ? { at: attempt.submittedAt, source: attempt.source, correct: attempt.correct!, total: attempt.total!, score: scorePercent(attempt.correct!, attempt.total!) }
      : null,
    saved: attempt && attempt.source === "online" ? await chosenOptions(db, attempt.id) : {},
    /** the answers and explanations are shown once the post-test is over, to those who submitted it */
    review,
    questions: questions.map((q) => ({
      id: q.id,
      kind: q.kind,
      prompt: q.prompt,
      explanation: review ? q.explanation : null,
      options: (q.kind === "true_false" ? q.options : shuffledFor(q.options, registration.personId, q.id)).map((o) => ({
        id: o.id,
        label: o.label,
        ...(review ? { isCorrect: o.isCorrect } : {}),
      })),
    })),
  };
}

export type AnswerResult =
  | { ok: true; submitted: boolean; score: number | null }
  | { ok: false; error: string; values?: Record<string, string | number> };

/**
 * Save a participant's answers (a draft, as they go) or submit them (once). The answers come as
 * question id → chosen option ids; a question or option that is not this test's, or two options
 * on a one-answer question, refuses the whole request and changes nothing. So does a phase that is
 * not open, an attempt already submitted (online or on paper), or — on submitting — an unanswered
 * question. Whose attempt it is comes from the session only.
 */
export async function answerTest(actor: Actor, eventId: number, phase: TestPhase, answers: Map<number, number[]>, submit: boolean): Promise<AnswerResult> {
  return await answerAsTaker(await takerOf(actor, eventId), phase, answers, submit);
}

/** answerTest for a taker already checked (see TestTaker). */
export async function answerAsTaker(taker: TestTaker, phase: TestPhase, answers: Map<number, number[]>, submit: boolean): Promise<AnswerResult> {
  const eventId = taker.eventId;
  const registration = { id: taker.registrationId };
  try {
    return await getDb().transaction(async (tx): Promise<AnswerResult> => {
      const test = await testOf(tx, eventId);
      if (!test) throw notFound();
      const w = windowOf(test, phase);
      const at = nowMs();
      const state = phaseState(w.opensAt, w.closesAt, at);
      if (state === "closed") return { ok: false, error: "testTaking.errors.closed", values: { at: w.closesAt!.getTime() } };
      if (state !== "open") return { ok: false, error: "testTaking.errors.notOpen" };
      const questions = await questionsOf(tx, test.id);
      const byId = new Map(questions.map((q) => [q.id, q]));
      for (const [questionId, optionIds] of answers) {
        const q = byId.get(questionId);
        if (!q) return { ok: false, error: "testTaking.errors.mismatch" };
        const own = new Set(q.options.map((o) => o.id));
        if (!optionIds.every((id) => own.has(id))) return { ok: false, error: "testTaking.errors.mismatch" };
        if (q.kind !== "multiple" && optionIds.length > 1) return { ok: false, error: "testTaking.errors.mismatch" };
      }
      const unanswered = questions.flatMap((q, i) => ((answers.get(q.id)?.length ?? 0) === 0 ? [i + 1] : []));
      if (submit && unanswered.length > 0) {
        return { ok: false, error: "testTaking.errors.unanswered", values: { numbers: unanswered.join(", "), count: unanswered.length } };
      }
      let attempt = await attemptOf(tx, registration.id, phase);
      if (!attempt) {
        await tx.insert(knowledgeTestAttempts).values({ testId: test.id, registrationId: registration.id, phase, source: "online" }).onConflictDoNothing();
        attempt = (await attemptOf(tx, registration.id, phase))!;
      }
      if (attempt.submittedAt !== null) return { ok: false, error: "testTaking.errors.alreadySubmitted" };
      // the draft is what the form holds now: every question it sent replaces what was saved for it
      const sent = [...answers.keys()];
      if (sent.length > 0) {
        await tx.delete(knowledgeTestAnswers).where(and(eq(knowledgeTestAnswers.attemptId, attempt.id), inArray(knowledgeTestAnswers.questionId, sent)));
        const rows = [...answers].flatMap(([questionId, optionIds]) => optionIds.map((optionId) => ({ attemptId: attempt.id, questionId, optionId })));
        if (rows.length > 0) await tx.insert(knowledgeTestAnswers).values(rows);
      }
      await tx.update(knowledgeTestAttempts).set({ updatedAt: new Date(at) }).where(eq(knowledgeTestAttempts.id, attempt.id));
      if (!submit) return { ok: true, submitted: false, score: null };
      const saved = await chosenOptions(tx, attempt.id);
      const correct = questions.filter((q) => answeredCorrectly(saved[q.id] ?? [], q.options.filter((o) => o.isCorrect).map((o) => o.id))).length;
      const done = await tx
        .update(knowledgeTestAttempts)
        .set({ submittedAt: new Date(at), correct, total: questions.length })
        .where(and(eq(knowledgeTestAttempts.id, attempt.id), isNull(knowledgeTestAttempts.submittedAt)))
        .returning({ id: knowledgeTestAttempts.id });
      if (done.length === 0) return { ok: false, error: "testTaking.errors.alreadySubmitted" };
      await recordAudit(tx, {
        userId: taker.userId,
        ip: taker.ip,
        action: "knowledge_test.submit",
        entityType: "registration",
        entityId: registration.id,
        details: { eventId, phase, correct, total: questions.length, ...(taker.via === "account" ? {} : { via: taker.via }) },
      });
      return { ok: true, submitted: true, score: scorePercent(correct, questions.length) };
    });
  } catch (error) {
    // two requests of the same person racing to create the draft: the unique index kept one
    if (isUniqueViolation(error)) return { ok: false, error: "testTaking.errors.alreadySubmitted" };
    throw error;
  }
}
