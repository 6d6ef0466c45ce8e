import { sql } from "drizzle-orm";
import { index, integer, table, text, uniqueIndex } from "./dialect";
import { instant } from "./columns";
import { events } from "./events";
import { users } from "./users";

/**
 * Private calendar feeds: a secret address a calendar app subscribes to, with no session cookie.
 * Each user has at most one feed of their own trainings and sessions (`event_id` null) and, for
 * staff, one per event. Only the SHA-256 of the token is kept: a copy of the database holds no
 * usable address, and resetting a feed replaces the row (the old address then answers 404).
 */
export const calendarFeeds = table(
  "calendar_feeds",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    eventId: integer("event_id").references(() => events.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull(),
    createdAt: instant("created_at").notNull(),
    /** the last time a calendar app fetched it (written at most once an hour) */
    lastUsedAt: instant("last_used_at"),
  },
  (t) => [
    uniqueIndex("calendar_feeds_token_hash_unique").on(t.tokenHash),
    uniqueIndex("calendar_feeds_user_own_unique").on(t.userId).where(sql`event_id IS NULL`),
    uniqueIndex("calendar_feeds_user_event_unique").on(t.userId, t.eventId).where(sql`event_id IS NOT NULL`),
    index("calendar_feeds_event_idx").on(t.eventId),
  ],
);
