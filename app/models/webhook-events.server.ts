import crypto from "node:crypto";
import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import type { Queryable } from "../../db/client";
import { events, users, webhookDeliveries, webhookSubscriptions } from "../../db/schema";
import type { SessionUser } from "~/auth/session.server";
import { now } from "~/lib/clock";
import type { Role } from "~/lib/domain";
import type { WebhookEventType } from "~/lib/webhooks";
import { visibleEventsWhere } from "./event-visibility.server";

/**
 * The events webhooks carry, written to the webhook outbox by the models in the transaction of the
 * change that causes them (like an email). Kept apart from the subscriptions' pages: every model
 * that changes something imports this, and it uses no page texts.
 */

/** The roles that may hold subscriptions (an account that loses the role stops receiving). */
export const WEBHOOK_ROLES: readonly Role[] = ["admin", "coordinator"];

type Data = Record<string, string | number | boolean | null>;

/**
 * An event as the models report it: its type, the training it concerns (null for a follow-up
 * request not linked to one) and its data — ids, statuses and times only.
 */
export type WebhookEvent = { type: WebhookEventType; eventId: number | null; data: Data };

function messageId() {
  return `msg_${crypto.randomUUID().replace(/-/g, "")}`;
}

export function deliveryRow(subscriptionId: number, type: string, data: Data, at: Date) {
  return {
    subscriptionId,
    eventType: type,
    messageId: messageId(),
    payload: JSON.stringify({ type, timestamp: at.toISOString(), data }),
    status: "pending" as const,
    nextAttemptAt: at,
  };
}

/** The ids among `eventIds` that `owner` may see, by the events pages' own rule ("all" when it sees every event). */
async function visibleEventIds(db: Queryable, owner: SessionUser, eventIds: number[]): Promise<Set<number> | "all"> {
  const where = visibleEventsWhere(owner);
  if (where === undefined) return "all";
  if (eventIds.length === 0) return new Set();
  const rows = await db.select({ id: events.id }).from(events).where(and(inArray(events.id, [...new Set(eventIds)]), where));
  return new Set(rows.map((r) => r.id));
}

/**
 * Write the outbox rows of `items` for every active subscription that wants their type and whose
 * owner may see them (an admin everything, a coordinator the events the events pages show it, no
 * one whose account is disabled or no longer an admin's or coordinator's). Call it inside the
 * transaction of the change: the change and its deliveries are committed together or not at all.
 */
export async function emitWebhookEvents(db: Queryable, items: WebhookEvent[]) {
  if (items.length === 0) return;
  const subscriptions = await db
    .select({
      id: webhookSubscriptions.id,
      eventTypes: webhookSubscriptions.eventTypes,
      owner: { id: users.id, email: users.email, name: users.name, role: users.role, organisationId: users.organisationId, locale: users.locale },
    })
    .from(webhookSubscriptions)
    .innerJoin(users, eq(users.id, webhookSubscriptions.userId))
    .where(and(eq(webhookSubscriptions.active, true), isNull(webhookSubscriptions.disabledAt), isNull(users.disabledAt), inArray(users.role, [...WEBHOOK_ROLES])))
    .orderBy(asc(webhookSubscriptions.id));
  if (subscriptions.length === 0) return;
  const at = now();
  const rows: ReturnType<typeof deliveryRow>[] = [];
  for (const subscription of subscriptions) {
    const wanted = items.filter((item) => subscription.eventTypes.includes(item.type));
    if (wanted.length === 0) continue;
    const visible = await visibleEventIds(db, subscription.owner, wanted.flatMap((i) => (i.eventId === null ? [] : [i.eventId])));
    for (const item of wanted) {
      if (item.eventId !== null && visible !== "all" && !visible.has(item.eventId)) continue;
      rows.push(deliveryRow(subscription.id, item.type, item.data, at));
    }
  }
  for (let i = 0; i < rows.length; i += 200) await db.insert(webhookDeliveries).values(rows.slice(i, i + 200));
}

/** One event: `emitWebhookEvents` with a single item. */
export async function emitWebhookEvent(db: Queryable, item: WebhookEvent) {
  await emitWebhookEvents(db, [item]);
}

/**
 * The events, built in one place so that every path that causes one sends the same fields: ids,
 * statuses and times, never a name, an email address or text someone typed.
 */
export const webhookEvent = {
  registrationCreated: (r: { registrationId: number; eventId: number; personId: number; status: string; eventRole: string; source: "public" | "nomination" | "roster" | "import" }): WebhookEvent => ({
    type: "registration.created",
    eventId: r.eventId,
    data: { registrationId: r.registrationId, eventId: r.eventId, personId: r.personId, status: r.status, eventRole: r.eventRole, source: r.source },
  }),
  registrationStatusChanged: (r: { registrationId: number; eventId: number; personId: number; from: string; to: string }): WebhookEvent => ({
    type: "registration.status_changed",
    eventId: r.eventId,
    data: { registrationId: r.registrationId, eventId: r.eventId, personId: r.personId, from: r.from, to: r.to },
  }),
  /**
   * Two records of one person merged: once per registration of the record merged away, and once
   * for the kept record's registration folded into one of the other's (same event). The
   * registration now belongs to `personId` as `keptRegistrationId`: itself when it moved, another
   * one (this one deleted) when it was folded into it.
   */
  registrationMerged: (r: { registrationId: number; eventId: number; personId: number; previousPersonId: number; keptRegistrationId: number }): WebhookEvent => ({
    type: "registration.merged",
    eventId: r.eventId,
    data: { registrationId: r.registrationId, eventId: r.eventId, personId: r.personId, previousPersonId: r.previousPersonId, keptRegistrationId: r.keptRegistrationId },
  }),
  attendanceRecorded: (a: { registrationId: number; sessionId: number; eventId: number; status: string; method: string; recordedAt: Date }): WebhookEvent => ({
    type: "attendance.recorded",
    eventId: a.eventId,
    data: { registrationId: a.registrationId, sessionId: a.sessionId, eventId: a.eventId, status: a.status, method: a.method, recordedAt: a.recordedAt.toISOString() },
  }),
  /**
   * A mark taken away (a cell cleared, its session deleted, a duplicate registration merged away):
   * the mark as it was — its status, how and when it had been recorded — so that a receiver can
   * tell which mark went; the message's timestamp says when it was removed.
   */
  attendanceRemoved: (a: { registrationId: number; sessionId: number; eventId: number; status: string; method: string; recordedAt: Date }): WebhookEvent => ({
    type: "attendance.removed",
    eventId: a.eventId,
    data: { registrationId: a.registrationId, sessionId: a.sessionId, eventId: a.eventId, status: a.status, method: a.method, recordedAt: a.recordedAt.toISOString() },
  }),
  certificateIssued: (c: { certificateId: number; registrationId: number; eventId: number; issuedAt: Date }): WebhookEvent => ({
    type: "certificate.issued",
    eventId: c.eventId,
    data: { certificateId: c.certificateId, registrationId: c.registrationId, eventId: c.eventId, issuedAt: c.issuedAt.toISOString() },
  }),
  certificateRevoked: (c: { certificateId: number; registrationId: number; eventId: number; revokedAt: Date }): WebhookEvent => ({
    type: "certificate.revoked",
    eventId: c.eventId,
    data: { certificateId: c.certificateId, registrationId: c.registrationId, eventId: c.eventId, revokedAt: c.revokedAt.toISOString() },
  }),
  actionPlanSubmitted: (p: { actionPlanId: number; eventId: number; items: number; submittedAt: Date }): WebhookEvent => ({
    type: "action_plan.submitted",
    eventId: p.eventId,
    data: { actionPlanId: p.actionPlanId, eventId: p.eventId, items: p.items, submittedAt: p.submittedAt.toISOString() },
  }),
  followUpRequestStatusChanged: (f: { followUpRequestId: number; originEventId: number | null; answeringEventId: number | null; from: string; to: string }): WebhookEvent => ({
    type: "follow_up_request.status_changed",
    eventId: f.originEventId,
    data: { followUpRequestId: f.followUpRequestId, originEventId: f.originEventId, answeringEventId: f.answeringEventId, from: f.from, to: f.to },
  }),
  eventStatusChanged: (e: { eventId: number; from: string; to: string }): WebhookEvent => ({
    type: "event.status_changed",
    eventId: e.eventId,
    data: { eventId: e.eventId, from: e.from, to: e.to },
  }),
};
