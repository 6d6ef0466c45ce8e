import crypto from "node:crypto";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import { and, eq, ne, sql } from "drizzle-orm";
import { firstRow, type DB } from "../../db/client";
import { users, webhookDeliveries, webhookSubscriptions } from "../../db/schema";
import { webhookDisabledEmail } from "@emails/webhook-disabled";
import { config } from "~/config.server";
import { translatorFor } from "~/i18n.server";
import { now, nowMs } from "~/lib/clock";
import { AddressRefused, checkWebhookUrl, resolveReceiver, systemLookup, type Lookup, type ResolvedAddress } from "~/lib/webhook-address.server";
import { DISABLE_AFTER_FAILURES, WEBHOOK_RESPONSE_KEPT } from "~/lib/webhooks";
import { anyDue, backoffMs, claimNextDue, MAX_ATTEMPTS, recoverInterrupted, stillClaimed } from "./outbox-claims.server";
import { enqueueEmail } from "./outbox.server";
import { mayUseWebhooks, readSecret, SECRET_PREFIX, urlRules } from "./webhooks.server";

/**
 * The webhook worker: delivers the webhook outbox with the email outbox's claim (each row sent by
 * one instance, once), a few at a time, outside every request. Each delivery is signed as the
 * Standard Webhooks specification says and sent to the address its host resolved to when it was
 * checked; redirects are not followed. Transient failures (no connection, a timeout, 408, 429, 5xx)
 * are retried with backoff; anything else fails at once. A subscription whose deliveries fail
 * DISABLE_AFTER_FAILURES times in a row is paused and its owner told by email.
 */

/** Connection and whole request: a receiver gets this long to answer. */
export const WEBHOOK_TIMEOUT_MS = 10_000;
/** A Retry-After is honoured up to this long. */
const RETRY_AFTER_MAX_MS = 3600_000;

export type WebhookDeliveryOptions = {
  /** the first retry's delay (doubles after each attempt) */
  retryMs: number;
  instance?: string;
  /** rows handled in this round at most */
  limit?: number;
  /** deliveries in flight at once */
  concurrency?: number;
  /** true once the server is stopping: what is in flight is finished, nothing more is claimed */
  shouldStop?: () => boolean;
  lookup?: Lookup;
  timeoutMs?: number;
};

/** The Standard Webhooks signature: base64 HMAC-SHA256 of "id.timestamp.body" keyed with the secret's bytes. */
export function signWebhook(secret: string, id: string, timestamp: number, body: string) {
  const key = Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, "base64");
  return `v1,${crypto.createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest("base64")}`;
}

type Answer = { status: number; body: string; retryAfter: string | null };

/** One POST to the checked address (the URL's host only names it: Host header, TLS name). */
function post(url: URL, to: ResolvedAddress, headers: Record<string, string>, body: string, timeoutMs: number): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const secure = url.protocol === "https:";
    const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
    const request = (secure ? https : http).request(
      {
        host: to.address,
        family: to.family,
        port: url.port || (secure ? 443 : 80),
        path: `${url.pathname}${url.search}`,
        method: "POST",
        headers: { ...headers, Host: url.host, "Content-Length": String(Buffer.byteLength(body)) },
        servername: secure && !net.isIP(host) ? host : undefined,
        agent: false,
        timeout: timeoutMs,
        signal: AbortSignal.timeout(timeoutMs),
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        let done = false;
        const finish = () => {
          if (done) return;
          done = true;
          response.destroy();
          const text = Buffer.concat(chunks).subarray(0, WEBHOOK_RESPONSE_KEPT).toString("utf8").replace(/\u0000/g, "");
          const retryAfter = response.headers["retry-after"];
          resolve({ status: response.statusCode ?? 0, body: text, retryAfter: typeof retryAfter === "string" ? retryAfter : null });
        };
        response.on("data", (chunk: Buffer) => {
          if (size < WEBHOOK_RESPONSE_KEPT) chunks.push(chunk);
          size += chunk.length;
          // the rest of a large answer is not read: the receiver has answered
          if (size >= WEBHOOK_RESPONSE_KEPT) finish();
        });
        response.on("end", finish);
        response.on("close", finish);
        response.on("error", finish);
      },
    );
    request.on("timeout", () => request.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)));
    request.on("error", (error) => reject(error));
    request.end(body);
  });
}

/** Retry-After as a delay in ms (seconds or an HTTP date), or null. */
function retryAfterMs(value: string | null): number | null {
  if (!value) return null;
  if (/^\d{1,10}$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs());
}

type Outcome =
  | { kind: "sent"; status: number; body: string }
  | { kind: "retry"; error: string; status?: number; body?: string; delayMs?: number | null }
  | { kind: "fail"; error: string; status?: number; body?: string }
  | { kind: "cancel"; error: string };

type Row = typeof webhookDeliveries.$inferSelect;

async function attempt(db: DB, row: Row, options: WebhookDeliveryOptions): Promise<{ outcome: Outcome; subscriptionId: number }> {
  const found = firstRow(await db
    .select({
      id: webhookSubscriptions.id,
      url: webhookSubscriptions.url,
      secret: webhookSubscriptions.secret,
      active: webhookSubscriptions.active,
      disabledAt: webhookSubscriptions.disabledAt,
      ownerRole: users.role,
      ownerDisabledAt: users.disabledAt,
    })
    .from(webhookSubscriptions)
    .innerJoin(users, eq(users.id, webhookSubscriptions.userId))
    .where(eq(webhookSubscriptions.id, row.subscriptionId))
    .limit(1));
  const subscriptionId = row.subscriptionId;
  if (!found) return { subscriptionId, outcome: { kind: "cancel", error: "The subscription no longer exists." } };
  if (found.ownerDisabledAt || !mayUseWebhooks({ role: found.ownerRole })) {
    return { subscriptionId, outcome: { kind: "cancel", error: "The subscription's owner may no longer receive webhooks." } };
  }
  if (!found.active || found.disabledAt) return { subscriptionId, outcome: { kind: "cancel", error: "The subscription is paused." } };
  const rules = await urlRules(db);
  const checked = checkWebhookUrl(found.url, rules);
  if (!checked.ok) return { subscriptionId, outcome: { kind: "fail", error: `The address is not allowed (${checked.reason}).` } };
  let to: ResolvedAddress;
  try {
    to = await resolveReceiver(checked.url, rules, options.lookup ?? systemLookup);
  } catch (error) {
    if (!(error instanceof AddressRefused)) throw error;
    // a name that does not resolve may again later; one that resolves to a refused address fails
    return { subscriptionId, outcome: error.reason === "unresolved" ? { kind: "retry", error: error.detail } : { kind: "fail", error: error.detail } };
  }
  const secret = await readSecret(db, found.id, found.secret);
  const timestamp = Math.floor(nowMs() / 1000);
  const headers = {
    "Content-Type": "application/json",
    "User-Agent": "Convene-Webhooks/1",
    "webhook-id": row.messageId,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": signWebhook(secret, row.messageId, timestamp, row.payload),
  };
  let answer: Answer;
  try {
    answer = await post(checked.url, to, headers, row.payload, options.timeoutMs ?? WEBHOOK_TIMEOUT_MS);
  } catch (error) {
    const e = error as Error & { code?: string };
    const message = e.name === "TimeoutError" || e.name === "AbortError" ? `no answer within ${(options.timeoutMs ?? WEBHOOK_TIMEOUT_MS) / 1000} s` : e.message;
    return { subscriptionId, outcome: { kind: "retry", error: message.slice(0, 500) } };
  }
  const { status, body } = answer;
  if (status >= 200 && status < 300) return { subscriptionId, outcome: { kind: "sent", status, body } };
  if (status === 408 || status === 429 || status >= 500) {
    return { subscriptionId, outcome: { kind: "retry", error: `HTTP ${status}`, status, body, delayMs: retryAfterMs(answer.retryAfter) } };
  }
  if (status >= 300 && status < 400) return { subscriptionId, outcome: { kind: "fail", error: `HTTP ${status}: redirects are not followed`, status, body } };
  return { subscriptionId, outcome: { kind: "fail", error: `HTTP ${status}`, status, body } };
}

/** Record an attempt's outcome, while the claim is still this instance's; count and act on failures. */
async function record(db: DB, row: Row, instance: string, subscriptionId: number, outcome: Outcome, retryMs: number) {
  const ours = stillClaimed(webhookDeliveries, row.id, instance);
  const response = "status" in outcome ? { responseStatus: outcome.status ?? null, responseBody: outcome.body ?? null } : {};
  if (outcome.kind === "sent") {
    await db.transaction(async (tx) => {
      await tx.update(webhookDeliveries).set({ status: "sent", sentAt: now(), lastError: null, ...response }).where(ours);
      await tx.update(webhookSubscriptions).set({ consecutiveFailures: 0 }).where(and(eq(webhookSubscriptions.id, subscriptionId), ne(webhookSubscriptions.consecutiveFailures, 0)));
    });
    return true;
  }
  if (outcome.kind === "cancel") {
    await db.update(webhookDeliveries).set({ status: "cancelled", lastError: outcome.error }).where(ours);
    return false;
  }
  const givenUp = outcome.kind === "fail" || row.attempts >= MAX_ATTEMPTS;
  const delay = Math.max(backoffMs(retryMs, row.attempts), Math.min(outcome.kind === "retry" ? (outcome.delayMs ?? 0) : 0, RETRY_AFTER_MAX_MS));
  await db.transaction(async (tx) => {
    await tx.update(webhookDeliveries)
      .set({ status: givenUp ? "failed" : "pending", lastError: outcome.error, nextAttemptAt: new Date(nowMs() + delay), ...response })
      .where(ours);
    if (!givenUp) return;
    const [subscription] = await tx
      .update(webhookSubscriptions)
      .set({ consecutiveFailures: sql`${webhookSubscriptions.consecutiveFailures} + 1` })
      .where(eq(webhookSubscriptions.id, subscriptionId))
      .returning({ failures: webhookSubscriptions.consecutiveFailures, disabledAt: webhookSubscriptions.disabledAt, name: webhookSubscriptions.name, url: webhookSubscriptions.url, userId: webhookSubscriptions.userId });
    if (!subscription || subscription.disabledAt || subscription.failures < DISABLE_AFTER_FAILURES) return;
    await tx.update(webhookSubscriptions).set({ disabledAt: now() }).where(eq(webhookSubscriptions.id, subscriptionId));
    const owner = firstRow(await tx.select({ email: users.email, name: users.name, locale: users.locale }).from(users).where(eq(users.id, subscription.userId)).limit(1));
    if (!owner) return;
    const { t, lang, dir } = translatorFor(owner.locale);
    const content = webhookDisabledEmail(
      { name: owner.name, subscription: subscription.name, url: subscription.url, failures: subscription.failures, lastError: outcome.error, link: `${config().appUrl}/account/webhooks/${subscriptionId}` },
      t,
      { lang, dir },
    );
    await enqueueEmail(tx, { ...content, kind: "webhook_disabled", to: owner.email, userId: subscription.userId });
  });
  return false;
}

/**
 * Deliver what is due, at most `limit` rows, `concurrency` at a time. Any number of instances may
 * run this at once: each row is claimed by one of them before it is sent, and recorded only while
 * the claim is still its own. Returns how many were delivered.
 */
export async function deliverDueWebhooks(db: DB, options: WebhookDeliveryOptions): Promise<number> {
  const instance = options.instance ?? config().instanceId;
  if (!(await anyDue(db, webhookDeliveries))) return 0;
  let left = options.limit ?? 100;
  let sent = 0;
  const lane = async () => {
    while (left > 0 && !options.shouldStop?.()) {
      left--;
      const row = await claimNextDue(db, webhookDeliveries, instance, now());
      if (!row) return;
      let result: { outcome: Outcome; subscriptionId: number };
      try {
        result = await attempt(db, row, options);
      } catch (error) {
        result = { subscriptionId: row.subscriptionId, outcome: { kind: "retry", error: String((error as Error).message ?? error).slice(0, 500) } };
      }
      if (await record(db, row, instance, result.subscriptionId, result.outcome, options.retryMs)) sent++;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, lane));
  return sent;
}

/** Webhook deliveries left "sending" by an instance that stopped: failed, never sent again on their own (see outbox-claims). */
export async function recoverInterruptedWebhooks(db: DB, options: { instance?: string; at?: Date } = {}) {
  return await recoverInterrupted(db, webhookDeliveries, options);
}
