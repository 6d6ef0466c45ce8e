import crypto from "node:crypto";
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { firstRow, getDb, type DB } from "../../db/client";
import { appSettings, users, webhookDeliveries, webhookSubscriptions } from "../../db/schema";
import { openSecret, prepareSecretKey, sealSecret } from "~/auth/second-factor.server";
import { forbidden, notFound, type Actor, type SessionUser } from "~/auth/session.server";
import { config } from "~/config.server";
import { now } from "~/lib/clock";
import { checkWebhookUrl, resolveReceiver, AddressRefused, systemLookup, type Lookup, type UrlRefusal } from "~/lib/webhook-address.server";
import {
  isWebhookEventType,
  MAX_WEBHOOKS_PER_USER,
  WEBHOOK_DELIVERIES_SHOWN,
  WEBHOOK_EVENT_TYPES,
  WEBHOOK_NAME_MAX,
  WEBHOOK_PING_TYPE,
  type WebhookEventType,
} from "~/lib/webhooks";
import { recordAudit } from "./audit.server";
import { deliveryRow, WEBHOOK_ROLES } from "./webhook-events.server";
import { FieldError } from "./field-error.server";

/**
 * Webhooks: admins and coordinators subscribe an https address to event types; every change that
 * causes such an event writes one outbox row per subscription that may see it, in the change's own
 * transaction, like an email (webhook-events.server.ts); the worker (webhook-delivery.server.ts)
 * delivers them, signed as the Standard Webhooks specification says. Payloads carry ids, statuses and times — never a
 * person's name, email or free text: the API serves the details, with its own permission checks.
 */

export { WEBHOOK_ROLES };
export const ALLOW_PRIVATE_SETTING = "webhooks_allow_private_addresses";
const SECRET_PURPOSE = "webhook secrets";
export const SECRET_PREFIX = "whsec_";

export function mayUseWebhooks(user: Pick<SessionUser, "role">) {
  return WEBHOOK_ROLES.includes(user.role);
}

function requireWebhookUser(actor: Actor) {
  if (!mayUseWebhooks(actor.user)) throw forbidden();
}

/** Several fields refused at once (the form shows each one's message). */
export class InvalidWebhook extends Error {
  constructor(readonly errors: Record<string, string>) {
    super("invalid webhook subscription");
  }
}

// ——— the administrator's setting ———

export async function privateAddressesAllowed(db: Pick<DB, "select"> = getDb()): Promise<boolean> {
  const row = firstRow(await db.select({ value: appSettings.value }).from(appSettings).where(eq(appSettings.key, ALLOW_PRIVATE_SETTING)).limit(1));
  return row?.value === "1";
}

/** Allow or refuse private addresses for every subscription (admins only, audited). */
export async function setPrivateAddressesAllowed(actor: Actor, allow: boolean) {
  if (actor.user.role !== "admin") throw forbidden();
  await getDb().transaction(async (tx) => {
    const before = await privateAddressesAllowed(tx);
    if (before === allow) return;
    await tx.insert(appSettings).values({ key: ALLOW_PRIVATE_SETTING, value: allow ? "1" : "0" }).onConflictDoUpdate({ target: appSettings.key, set: { value: allow ? "1" : "0" } });
    await recordAudit(tx, { userId: actor.user.id, ip: actor.ip, action: "webhook.private_addresses", details: { from: before, to: allow } });
  }, { behavior: "immediate" });
}

export async function urlRules(db: Pick<DB, "select"> = getDb()) {
  return { production: config().production, allowPrivate: await privateAddressesAllowed(db) };
}

// ——— secrets ———

/** A new signing secret in the Standard Webhooks form: "whsec_" and the base64 of 32 random bytes. */
function newSecret(): string {
  return `${SECRET_PREFIX}${crypto.randomBytes(32).toString("base64")}`;
}

async function storedSecret(db: DB, subscriptionId: number, secret: string) {
  return await sealSecret(db, SECRET_PURPOSE, `webhook:${subscriptionId}`, new TextEncoder().encode(secret));
}

/** The "whsec_…" secret of a subscription, decrypted (for signing only; never sent to a page again). */
export async function readSecret(db: DB, subscriptionId: number, stored: string): Promise<string> {
  return new TextDecoder().decode(await openSecret(db, SECRET_PURPOSE, `webhook:${subscriptionId}`, stored));
}

// ——— subscriptions ———

export type WebhookInput = { name: string; url: string; eventTypes: string[] };

const URL_MESSAGES: Record<UrlRefusal | "unresolved", string> = {
  invalid: "webhooks.errors.url",
  scheme: "webhooks.errors.scheme",
  credentials: "webhooks.errors.credentials",
  private: "webhooks.errors.private",
  never: "webhooks.errors.never",
  unresolved: "webhooks.errors.url",
};

/**
 * Check a subscription's fields; every refused field gets its message. The address follows the URL
 * rules (app/lib/webhook-address.server.ts) and, when its host is a name that resolves now, every
 * address it resolves to must be allowed too (a name that does not resolve yet is accepted: the
 * delivery checks again, and refuses it then).
 */
async function validate(input: WebhookInput, lookup: Lookup): Promise<{ name: string; url: string; eventTypes: WebhookEventType[] }> {
  const errors: Record<string, string> = {};
  const name = input.name.trim();
  if (name === "" || name.length > WEBHOOK_NAME_MAX || /[\u0000-\u001f\u007f]/.test(name)) errors.name = "webhooks.errors.name";
  const rules = await urlRules();
  const checked = checkWebhookUrl(input.url, rules);
  if (!checked.ok) errors.url = URL_MESSAGES[checked.reason];
  else {
    try {
      await resolveReceiver(checked.url, rules, lookup, 2000);
    } catch (error) {
      if (!(error instanceof AddressRefused)) throw error;
      if (error.reason !== "unresolved") errors.url = URL_MESSAGES[error.reason];
    }
  }
  const types = [...new Set(input.eventTypes)];
  if (types.length === 0 || !types.every(isWebhookEventType)) errors.eventTypes = "webhooks.errors.eventTypes";
  if (Object.keys(errors).length > 0) throw new InvalidWebhook(errors);
  const eventTypes = WEBHOOK_EVENT_TYPES.filter((t) => types.includes(t));
  return { name, url: checked.ok ? checked.url.toString() : "", eventTypes };
}

/** Create a subscription for the signed-in admin or coordinator; its secret is returned once. */
export async function createWebhook(actor: Actor, input: WebhookInput, lookup: Lookup = systemLookup): Promise<{ id: number; secret: string }> {
  requireWebhookUser(actor);
  const valid = await validate(input, lookup);
  const secret = newSecret();
  const db = getDb();
  await prepareSecretKey(db, SECRET_PURPOSE);
  return await db.transaction(async (tx) => {
    const held = firstRow(await tx.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(webhookSubscriptions).where(eq(webhookSubscriptions.userId, actor.user.id)).limit(1))!.n;
    if (held >= MAX_WEBHOOKS_PER_USER) throw new InvalidWebhook({ name: "webhooks.errors.tooMany" });
    const [row] = await tx
      .insert(webhookSubscriptions)
      .values({ userId: actor.user.id, name: valid.name, url: valid.url, eventTypes: valid.eventTypes, active: true, secret: "" })
      .returning({ id: webhookSubscriptions.id });
    await tx.update(webhookSubscriptions).set({ secret: await storedSecret(db, row.id, secret) }).where(eq(webhookSubscriptions.id, row.id));
    await recordAudit(tx, {
      userId: actor.user.id,
      ip: actor.ip,
      action: "webhook.create",
      entityType: "webhook_subscription",
      entityId: row.id,
      details: { name: valid.name, url: valid.url, eventTypes: valid.eventTypes },
    });
    return { id: row.id, secret };
  }, { behavior: "immediate" });
}

/** Who may see a subscription: its owner, and every admin; anyone else is told it does not exist. */
function ownedBy(actor: Actor) {
  return actor.user.role === "admin" ? undefined : eq(webhookSubscriptions.userId, actor.user.id);
}

async function loadSubscription(db: Pick<DB, "select">, actor: Actor, id: number) {
  requireWebhookUser(actor);
  const row = firstRow(await db
    .select()
    .from(webhookSubscriptions)
    .where(and(eq(webhookSubscriptions.id, id), ownedBy(actor)))
    .limit(1));
  if (!row) throw notFound();
  return row;
}

/** The subscriptions the user manages (an admin: everyone's, with the owner's name), newest first. */
export async function listWebhooks(actor: Actor) {
  requireWebhookUser(actor);
  const rows = await getDb()
    .select({
      id: webhookSubscriptions.id,
      name: webhookSubscriptions.name,
      url: webhookSubscriptions.url,
      eventTypes: webhookSubscriptions.eventTypes,
      active: webhookSubscriptions.active,
      disabledAt: webhookSubscriptions.disabledAt,
      createdAt: webhookSubscriptions.createdAt,
      ownerId: webhookSubscriptions.userId,
      ownerName: users.name,
    })
    .from(webhookSubscriptions)
    .innerJoin(users, eq(users.id, webhookSubscriptions.userId))
    .where(ownedBy(actor))
    .orderBy(desc(webhookSubscriptions.id))
    .limit(500);
  return rows.map((r) => ({ ...r, own: r.ownerId === actor.user.id, state: stateOf(r) }));
}

function stateOf(row: { active: boolean; disabledAt: Date | null }) {
  return row.disabledAt ? ("disabled" as const) : row.active ? ("active" as const) : ("paused" as const);
}

/** One subscription with its recent deliveries (never its secret). */
export async function getWebhook(actor: Actor, id: number) {
  const db = getDb();
  const row = await loadSubscription(db, actor, id);
  const owner = firstRow(await db.select({ name: users.name }).from(users).where(eq(users.id, row.userId)).limit(1));
  const deliveries = await db
    .select({
      id: webhookDeliveries.id,
      eventType: webhookDeliveries.eventType,
      messageId: webhookDeliveries.messageId,
      status: webhookDeliveries.status,
      attempts: webhookDeliveries.attempts,
      nextAttemptAt: webhookDeliveries.nextAttemptAt,
      responseStatus: webhookDeliveries.responseStatus,
      responseBody: webhookDeliveries.responseBody,
      lastError: webhookDeliveries.lastError,
      createdAt: webhookDeliveries.createdAt,
      sentAt: webhookDeliveries.sentAt,
    })
    .from(webhookDeliveries)
    .where(eq(webhookDeliveries.subscriptionId, id))
    .orderBy(desc(webhookDeliveries.id))
    .limit(WEBHOOK_DELIVERIES_SHOWN);
  return {
    subscription: {
      id: row.id,
      name: row.name,
      url: row.url,
      eventTypes: row.eventTypes,
      active: row.active,
      disabledAt: row.disabledAt,
      consecutiveFailures: row.consecutiveFailures,
      createdAt: row.createdAt,
      ownerName: owner?.name ?? "",
      own: row.userId === actor.user.id,
      state: stateOf(row),
    },
    deliveries: deliveries.map((d) => ({ ...d, canRetry: d.status === "failed" || d.status === "cancelled" })),
  };
}

/** Change a subscription's name, address, event types and whether it is active (re-activating clears a pause for failures). */
export async function updateWebhook(actor: Actor, id: number, input: WebhookInput & { active: boolean }, lookup: Lookup = systemLookup) {
  const db = getDb();
  await loadSubscription(db, actor, id);
  const valid = await validate(input, lookup);
  await db.transaction(async (tx) => {
    const before = await loadSubscription(tx, actor, id);
    await tx.update(webhookSubscriptions)
      .set({
        name: valid.name,
        url: valid.url,
        eventTypes: valid.eventTypes,
        active: input.active,
        ...(input.active ? { disabledAt: null, consecutiveFailures: 0 } : {}),
      })
      .where(eq(webhookSubscriptions.id, id));
    const changed: Record<string, unknown> = {};
    if (before.name !== valid.name) changed.name = { from: before.name, to: valid.name };
    if (before.url !== valid.url) changed.url = { from: before.url, to: valid.url };
    if (before.eventTypes.join() !== valid.eventTypes.join()) changed.eventTypes = { from: before.eventTypes, to: valid.eventTypes };
    if (before.active !== input.active || (input.active && before.disabledAt)) changed.active = { from: stateOf(before), to: input.active ? "active" : "paused" };
    await recordAudit(tx, { userId: actor.user.id, ip: actor.ip, action: "webhook.update", entityType: "webhook_subscription", entityId: id, details: changed });
  }, { behavior: "immediate" });
}

/** Replace a subscription's secret; the new one is returned once. Deliveries not yet sent are signed with it. */
export async function rotateWebhookSecret(actor: Actor, id: number): Promise<string> {
  const db = getDb();
  // the owner's check comes first: a refused request changes nothing, not even the key's setting
  await loadSubscription(db, actor, id);
  const secret = newSecret();
  const sealed = await storedSecret(db, id, secret);
  await db.transaction(async (tx) => {
    await loadSubscription(tx, actor, id);
    await tx.update(webhookSubscriptions).set({ secret: sealed }).where(eq(webhookSubscriptions.id, id));
    await recordAudit(tx, { userId: actor.user.id, ip: actor.ip, action: "webhook.rotate", entityType: "webhook_subscription", entityId: id });
  }, { behavior: "immediate" });
  return secret;
}

/** Delete a subscription with its deliveries (those not yet sent are never sent). */
export async function deleteWebhook(actor: Actor, id: number) {
  await getDb().transaction(async (tx) => {
    const row = await loadSubscription(tx, actor, id);
    await tx.delete(webhookSubscriptions).where(eq(webhookSubscriptions.id, id));
    await recordAudit(tx, { userId: actor.user.id, ip: actor.ip, action: "webhook.delete", entityType: "webhook_subscription", entityId: id, details: { name: row.name, url: row.url } });
  }, { behavior: "immediate" });
}

/** Send a failed (or cancelled) delivery again, now, with the same webhook-id. */
export async function retryWebhookDelivery(actor: Actor, subscriptionId: number, deliveryId: number) {
  await getDb().transaction(async (tx) => {
    await loadSubscription(tx, actor, subscriptionId);
    const delivery = firstRow(await tx
      .select({ status: webhookDeliveries.status })
      .from(webhookDeliveries)
      .where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.subscriptionId, subscriptionId)))
      .limit(1));
    if (!delivery) throw notFound();
    if (delivery.status !== "failed" && delivery.status !== "cancelled") throw new FieldError("form", "webhooks.errors.cannotRetry");
    await tx.update(webhookDeliveries)
      .set({ status: "pending", nextAttemptAt: now(), lastError: null })
      .where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.status, delivery.status)));
    await recordAudit(tx, { userId: actor.user.id, ip: actor.ip, action: "webhook.retry", entityType: "webhook_subscription", entityId: subscriptionId, details: { deliveryId } });
  }, { behavior: "immediate" });
}

/** Queue a "webhook.ping" to the subscription; one waiting at a time (a button pressed ten times sends one). */
export async function sendWebhookPing(actor: Actor, subscriptionId: number) {
  await getDb().transaction(async (tx) => {
    await loadSubscription(tx, actor, subscriptionId);
    const waiting = firstRow(await tx
      .select({ id: webhookDeliveries.id })
      .from(webhookDeliveries)
      .where(and(eq(webhookDeliveries.subscriptionId, subscriptionId), eq(webhookDeliveries.eventType, WEBHOOK_PING_TYPE), inArray(webhookDeliveries.status, ["pending", "sending"])))
      .limit(1));
    if (waiting) throw new FieldError("form", "webhooks.errors.pingWaiting");
    await tx.insert(webhookDeliveries).values(deliveryRow(subscriptionId, WEBHOOK_PING_TYPE, { subscriptionId }, now()));
  }, { behavior: "immediate" });
}

