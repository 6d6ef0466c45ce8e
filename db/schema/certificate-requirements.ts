import { sql } from "drizzle-orm";
import { check, index, integer, table, text } from "./dialect";
import { timestamps } from "./columns";
import { events } from "./events";
import { users } from "./users";

/**
 * What an event's certificate requires besides the attendance threshold (events.completion_threshold):
 * the post-test (optionally a minimum score, in whole percent) and/or an answer to the feedback form.
 * No row = attendance only. Kept beside the events table rather than in it: the rule is about
 * certificates, and a new column with a CHECK would make SQLite rebuild the events table.
 */
export const certificateRequirements = table(
  "certificate_requirements",
  {
    eventId: integer("event_id")
      .primaryKey()
      .references(() => events.id, { onDelete: "cascade" }),
    postTestRequired: integer("post_test_required", { mode: "boolean" }).notNull().default(false),
    /** whole percent 0–100; null = taking the post-test is enough */
    postTestMinScore: integer("post_test_min_score"),
    feedbackRequired: integer("feedback_required", { mode: "boolean" }).notNull().default(false),
    updatedByUserId: text("updated_by_user_id").references(() => users.id, { onDelete: "set null" }),
    ...timestamps,
  },
  (t) => [
    index("certificate_requirements_updated_by_idx").on(t.updatedByUserId),
    check("certificate_requirements_min_score_check", sql.raw("post_test_min_score IS NULL OR (post_test_min_score BETWEEN 0 AND 100)")),
    // a minimum score means nothing unless the post-test is required
    check("certificate_requirements_min_needs_test_check", sql.raw("post_test_min_score IS NULL OR post_test_required")),
  ],
);
