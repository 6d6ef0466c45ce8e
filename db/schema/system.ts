import { check, index, integer, table, text, uniqueIndex, wideInteger } from "./dialect";
import { OUTBOX_STATUSES } from "../../app/lib/domain";
import { inList, instant, timestamps } from "./columns";
import { users } from "./users";

/**
 * Every email is written here in the same transaction as the change that causes it; a worker
 * delivers it. `message_id` is fixed at insert so that a retry after a crash is recognisable.
 */
export const emailOutbox = table(
  "email_outbox",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    kind: text("kind").notNull(),
    toAddress: text("to_address").notNull(),
    subject: text("subject").notNull(),
    html: text("html").notNull(),
    text: text("text").notNull(),
    /** files sent with the message (e.g. an .ics), JSON: [{ filename, contentType, content (base64) }] */
    attachments: text("attachments", { mode: "json" }).$type<{ filename: string; contentType: string; content: string }[]>(),
    /** extra message headers (List-Unsubscribe on reminders), JSON: { name: value } */
    headers: text("headers", { mode: "json" }).$type<Record<string, string>>(),
    messageId: text("message_id").notNull(),
    status: text("status", { enum: OUTBOX_STATUSES }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: instant("next_attempt_at").notNull(),
    lastError: text("last_error"),
    sentAt: instant("sent_at"),
    /**
     * The server instance handing the message to SMTP (status "sending") and since when: recovery
     * marks a message interrupted only when its claimer is this instance starting again, or when
     * the claim is older than the send lease (app/models/outbox.server.ts)
     */
    claimedBy: text("claimed_by"),
    claimedAt: instant("claimed_at"),
    userId: text("user_id").references(() => users.id, { onDelete: "set null" }),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("email_outbox_message_id_unique").on(t.messageId),
    index("email_outbox_status_next_idx").on(t.status, t.nextAttemptAt),
    index("email_outbox_user_idx").on(t.userId),
    index("email_outbox_created_idx").on(t.createdAt),
    check("email_outbox_status_check", inList("status", OUTBOX_STATUSES)),
  ],
);

/** Append-only record of who did what, when and from where (triggers refuse UPDATE and DELETE). */
export const auditLog = table(
  "audit_log",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    at: instant("at").notNull(),
    userId: text("user_id"),
    action: text("action").notNull(),
    entityType: text("entity_type"),
    entityId: text("entity_id"),
    details: text("details", { mode: "json" }).$type<Record<string, unknown>>(),
    ip: text("ip"),
  },
  (t) => [
    index("audit_log_at_idx").on(t.at),
    index("audit_log_user_idx").on(t.userId),
    index("audit_log_entity_idx").on(t.entityType, t.entityId),
    index("audit_log_action_idx").on(t.action),
  ],
);

/** Fixed-window counters for abuse limits (login, forgot-password, public registration). */
export const rateLimits = table("rate_limits", {
  key: text("key").primaryKey(),
  windowStart: wideInteger("window_start").notNull(),
  count: integer("count").notNull(),
});

/** Installation-wide values the app generates for itself (e.g. the secret behind check-in codes). */
export const appSettings = table("app_settings", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
});

/**
 * One-time keys of create forms: each form carries a random key; the first POST with it records the
 * key and the place it led to in the same transaction as the record it created, later POSTs with the
 * same key are sent to that place and create nothing.
 */
export const submissionKeys = table(
  "submission_keys",
  {
    key: text("key").primaryKey(),
    /** what the form creates, e.g. "event", "registration" */
    scope: text("scope").notNull(),
    /** where the first submission led (a path) */
    location: text("location"),
    createdAt: instant("created_at").notNull(),
  },
  (t) => [index("submission_keys_created_idx").on(t.createdAt)],
);

/**
 * Counters bumped by triggers whenever data a cached computation reads changes (migration 0008):
 * "reports" moves on every insert, update or delete in the tables the activity summaries read, so
 * a summary cached with the counter's value is known to be current while the value is unchanged —
 * in this process or any other writing the same file.
 */
export const dataVersions = table("data_versions", {
  name: text("name").primaryKey(),
  n: wideInteger("n").notNull().default(0),
});
