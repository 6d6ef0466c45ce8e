import { sql } from "drizzle-orm";
import { check, index, integer, primaryKey, table, text, uniqueIndex } from "./dialect";
import { instant, timestamps } from "./columns";
import { eventSessions, events } from "./events";
import { people } from "./people";
import { users } from "./users";

/**
 * A feedback form: the one at the end of an event (no session; one per event), or the optional
 * short form of one of its sessions (one per session). The coordinator opens it, then closes it
 * for good. Who answered and what was answered live in two tables that share nothing but the
 * form (docs/feedback.md): an answer has no person, no time and no sequential id.
 */
export const feedbackForms = table(
  "feedback_forms",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    eventId: integer("event_id")
      .notNull()
      .references(() => events.id, { onDelete: "cascade" }),
    /** the session of a session form (one of the event's sessions); null for the end-of-event form */
    sessionId: integer("session_id").references(() => eventSessions.id, { onDelete: "cascade" }),
    openedAt: instant("opened_at").notNull(),
    openedByUserId: text("opened_by_user_id").references(() => users.id, { onDelete: "set null" }),
    /** set once: a closed form never opens again (its results are shown only then) */
    closedAt: instant("closed_at"),
    /** the one reminder to non-respondents, sent at most once per form */
    reminderSentAt: instant("reminder_sent_at"),
    ...timestamps,
  },
  (t) => [
    // one end-of-event form per event, one form per session (NULLs are distinct in a unique index on both engines)
    uniqueIndex("feedback_forms_event_unique").on(t.eventId).where(sql`session_id IS NULL`),
    uniqueIndex("feedback_forms_session_unique").on(t.sessionId),
    index("feedback_forms_opened_by_idx").on(t.openedByUserId),
  ],
);

/** Who answered a form (to list non-respondents): never what they answered, never when. */
export const feedbackRespondents = table(
  "feedback_respondents",
  {
    formId: integer("form_id")
      .notNull()
      .references(() => feedbackForms.id, { onDelete: "cascade" }),
    personId: integer("person_id")
      .notNull()
      .references(() => people.id, { onDelete: "cascade" }),
  },
  // the key is what refuses a second answer, whichever engine and however many requests at once
  (t) => [primaryKey({ columns: [t.formId, t.personId] }), index("feedback_respondents_person_idx").on(t.personId)],
);

const rating = (column: string) => sql.raw(`${column} BETWEEN 1 AND 5`);

/**
 * One answered form, anonymous: ratings 1–5 and a comment. A session form asks content,
 * facilitators and relevance only: its answers have no overall nor confidence rating (null). The id is random (a UUID) and there is
 * no timestamp; every new answer rewrites the form's answers in a random order, so neither ids, row
 * order nor the rows' storage reveal which answer came when (docs/feedback.md).
 */
export const feedbackAnswers = table(
  "feedback_answers",
  {
    id: text("id").primaryKey(),
    formId: integer("form_id")
      .notNull()
      .references(() => feedbackForms.id, { onDelete: "cascade" }),
    overall: integer("rating_overall"),
    content: integer("rating_content").notNull(),
    facilitators: integer("rating_facilitators").notNull(),
    relevance: integer("rating_relevance").notNull(),
    confidence: integer("rating_confidence"),
    comment: text("comment"),
    /** the disclosure control's random key (0–99) of this answer, for donors' satisfaction figures (app/models/disclosure.server.ts) */
    cellKey: integer("cell_key"),
  },
  (t) => [
    index("feedback_answers_form_idx").on(t.formId, t.id),
    check("feedback_answers_overall_check", rating("rating_overall")),
    check("feedback_answers_content_check", rating("rating_content")),
    check("feedback_answers_facilitators_check", rating("rating_facilitators")),
    check("feedback_answers_relevance_check", rating("rating_relevance")),
    check("feedback_answers_confidence_check", rating("rating_confidence")),
  ],
);
