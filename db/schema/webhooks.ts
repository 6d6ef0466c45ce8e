import { check, index, integer, table, text, uniqueIndex } from "./dialect";
import { OUTBOX_STATUSES } from "../../app/lib/domain";
import { inList, instant, timestamps } from "./columns";
import { users } from "./users";

/**
 * A webhook subscription: an admin's or coordinator's https address that receives the chosen event
 * types (app/models/webhooks.server.ts). The signing secret is encrypted at rest like the TOTP
 * secrets (AES-256-GCM, bound to the subscription's id), shown once at creation and rotation.
 */
export const webhookSubscriptions = table(
  "webhook_subscriptions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    url: text("url").notNull(),
    /** JSON array of event types (app/lib/webhooks.ts) */
    eventTypes: text("event_types", { mode: "json" }).notNull().$type<string[]>(),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    /** the encrypted "whsec_…" secret: v1.<key source>.<iv>.<tag>.<ciphertext> */
    secret: text("secret").notNull(),
    /** deliveries that failed in a row; reset by a success (the subscription is paused past a bound) */
    consecutiveFailures: integer("consecutive_failures").notNull().default(0),
    /** set when the worker paused it after too many failures (its owner was told by email) */
    disabledAt: instant("disabled_at"),
    ...timestamps,
  },
  (t) => [index("webhook_subscriptions_user_idx").on(t.userId)],
);

/**
 * The webhook outbox: one row per (subscription, event), written in the transaction of the change,
 * delivered by the same worker and claim as the email outbox. `message_id` is the Standard
 * Webhooks `webhook-id`, the same on every attempt; `payload` is the exact body that is signed.
 */
export const webhookDeliveries = table(
  "webhook_deliveries",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    subscriptionId: integer("subscription_id")
      .notNull()
      .references(() => webhookSubscriptions.id, { onDelete: "cascade" }),
    eventType: text("event_type").notNull(),
    messageId: text("message_id").notNull(),
    payload: text("payload").notNull(),
    status: text("status", { enum: OUTBOX_STATUSES }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: instant("next_attempt_at").notNull(),
    lastError: text("last_error"),
    /** the receiver's last HTTP status, and the start of its body (at most 4 kB) */
    responseStatus: integer("response_status"),
    responseBody: text("response_body"),
    sentAt: instant("sent_at"),
    claimedBy: text("claimed_by"),
    claimedAt: instant("claimed_at"),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("webhook_deliveries_message_id_unique").on(t.messageId),
    index("webhook_deliveries_status_next_idx").on(t.status, t.nextAttemptAt),
    index("webhook_deliveries_subscription_idx").on(t.subscriptionId, t.id),
    check("webhook_deliveries_status_check", inList("status", OUTBOX_STATUSES)),
  ],
);
