/** What the webhook pages offer (shared by the pages, app/models/webhooks.server.ts and the OpenAPI document). */

/** The event types a subscription may receive, in the order the form lists them. */
export const WEBHOOK_EVENT_TYPES = [
  "registration.created",
  "registration.status_changed",
  "registration.merged",
  "attendance.recorded",
  "attendance.removed",
  "certificate.issued",
  "certificate.revoked",
  "action_plan.submitted",
  "follow_up_request.status_changed",
  "event.status_changed",
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** The type of the message "send a test ping" sends (never subscribed to: every subscription may get it). */
export const WEBHOOK_PING_TYPE = "webhook.ping";

export function isWebhookEventType(value: string): value is WebhookEventType {
  return (WEBHOOK_EVENT_TYPES as readonly string[]).includes(value);
}

export const WEBHOOK_NAME_MAX = 80;
export const WEBHOOK_URL_MAX = 2000;
/** Subscriptions one user may hold: enough for every integration, bounded. */
export const MAX_WEBHOOKS_PER_USER = 20;
/** The start of a receiver's answer kept for the deliveries list. */
export const WEBHOOK_RESPONSE_KEPT = 4096;
/** Deliveries shown on a subscription's page (the most recent). */
export const WEBHOOK_DELIVERIES_SHOWN = 50;
/** Deliveries given up in a row after which a subscription is paused (and its owner told). */
export const DISABLE_AFTER_FAILURES = 10;
