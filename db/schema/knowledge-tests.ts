import { check, index, integer, primaryKey, table, text, uniqueIndex } from "./dialect";
import { sql } from "drizzle-orm";
import { ATTEMPT_SOURCES, QUESTION_KINDS, TEST_PHASES } from "../../app/lib/knowledge-tests";
import { inList, inOrder, instant, timestamps } from "./columns";
import { events } from "./events";
import { registrations } from "./registrations";
import { users } from "./users";

/**
 * An event's knowledge test (one per event), taken twice: before the training (pre) and after it
 * (post). Each phase is open from its `opens_at` until its `closes_at` (no end while null); a phase
 * whose `opens_at` is null has not been opened or scheduled.
 */
export const knowledgeTests = table(
  "knowledge_tests",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    eventId: integer("event_id")
      .notNull()
      .references(() => events.id, { onDelete: "cascade" }),
    preOpensAt: instant("pre_opens_at"),
    preClosesAt: instant("pre_closes_at"),
    postOpensAt: instant("post_opens_at"),
    postClosesAt: instant("post_closes_at"),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("knowledge_tests_event_unique").on(t.eventId),
    check("knowledge_tests_pre_order", inOrder("pre_opens_at", "pre_closes_at")),
    check("knowledge_tests_post_order", inOrder("post_opens_at", "post_closes_at")),
  ],
);

/** A question of a test, shown in `position` order. */
export const knowledgeTestQuestions = table(
  "knowledge_test_questions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    testId: integer("test_id")
      .notNull()
      .references(() => knowledgeTests.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    kind: text("kind", { enum: QUESTION_KINDS }).notNull(),
    prompt: text("prompt").notNull(),
    /** shown with the answers once the post-test has closed */
    explanation: text("explanation"),
    ...timestamps,
  },
  (t) => [
    index("knowledge_test_questions_test_idx").on(t.testId, t.position),
    check("knowledge_test_questions_kind_check", inList("kind", QUESTION_KINDS)),
  ],
);

/** An answer a question offers; a true/false question has two, labelled "true" and "false" (translated on the page). */
export const knowledgeTestOptions = table(
  "knowledge_test_options",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    questionId: integer("question_id")
      .notNull()
      .references(() => knowledgeTestQuestions.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    label: text("label").notNull(),
    isCorrect: integer("is_correct", { mode: "boolean" }).notNull().default(false),
  },
  (t) => [index("knowledge_test_options_question_idx").on(t.questionId, t.position)],
);

/**
 * One person's pre-test or post-test: a draft while `submitted_at` is null (answers saved as they
 * are given), then a score (`correct` of `total` questions). One per registration and phase (the
 * unique index holds it on both engines, whatever two requests race). A paper score has no answers.
 */
export const knowledgeTestAttempts = table(
  "knowledge_test_attempts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    testId: integer("test_id")
      .notNull()
      .references(() => knowledgeTests.id, { onDelete: "cascade" }),
    registrationId: integer("registration_id")
      .notNull()
      .references(() => registrations.id, { onDelete: "cascade" }),
    phase: text("phase", { enum: TEST_PHASES }).notNull(),
    source: text("source", { enum: ATTEMPT_SOURCES }).notNull().default("online"),
    correct: integer("correct"),
    total: integer("total"),
    submittedAt: instant("submitted_at"),
    /** who typed a paper score */
    recordedByUserId: text("recorded_by_user_id").references(() => users.id, { onDelete: "set null" }),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("knowledge_test_attempts_registration_phase_unique").on(t.registrationId, t.phase),
    index("knowledge_test_attempts_test_idx").on(t.testId, t.phase),
    index("knowledge_test_attempts_recorded_by_idx").on(t.recordedByUserId),
    check("knowledge_test_attempts_phase_check", inList("phase", TEST_PHASES)),
    check("knowledge_test_attempts_source_check", inList("source", ATTEMPT_SOURCES)),
    check(
      "knowledge_test_attempts_score_check",
      sql.raw(
        "(submitted_at IS NULL AND correct IS NULL AND total IS NULL) OR (submitted_at IS NOT NULL AND total > 0 AND correct >= 0 AND correct <= total)",
      ),
    ),
  ],
);

/** The options a person chose, one row each (a multiple-choice question may have several). */
export const knowledgeTestAnswers = table(
  "knowledge_test_answers",
  {
    attemptId: integer("attempt_id")
      .notNull()
      .references(() => knowledgeTestAttempts.id, { onDelete: "cascade" }),
    questionId: integer("question_id")
      .notNull()
      .references(() => knowledgeTestQuestions.id, { onDelete: "cascade" }),
    optionId: integer("option_id")
      .notNull()
      .references(() => knowledgeTestOptions.id, { onDelete: "cascade" }),
  },
  (t) => [
    primaryKey({ columns: [t.attemptId, t.optionId] }),
    index("knowledge_test_answers_question_idx").on(t.questionId),
    index("knowledge_test_answers_option_idx").on(t.optionId),
  ],
);
