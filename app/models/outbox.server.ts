import crypto from "node:crypto";
import nodemailer, { type Transporter } from "nodemailer";
import { and, count, desc, eq, inArray, or, type SQL } from "drizzle-orm";
import { getDb, type DB, firstRow } from "../../db/client";
import { likeInsensitive } from "../../db/sql-dialect";
import { emailOutbox, users } from "../../db/schema";
import type { EmailContent } from "@emails/layout";
import { forbidden, notFound, type Actor } from "~/auth/session.server";
import { config } from "~/config.server";
import { now, nowMs } from "~/lib/clock";
import type { OutboxStatus } from "~/lib/domain";
import { recordAudit } from "./audit.server";
import { FieldError } from "./field-error.server";
import { anyDue, backoffMs, claimNextDue, INTERRUPTED_ERROR, MAX_ATTEMPTS, recoverInterrupted, SEND_LEASE_MS, stillClaimed } from "./outbox-claims.server";
import { cleanFileName } from "~/lib/file-names";

type Writer = Pick<DB, "insert">;

/** A file sent with a message (e.g. an event's .ics), kept in the outbox as base64. */
export type OutboxAttachment = { filename: string; contentType: string; content: string };

export { MAX_ATTEMPTS, SEND_LEASE_MS, INTERRUPTED_ERROR };

/**
 * Queue an email. Call it inside the transaction of the change that causes the email, so the
 * change and its email are committed together or not at all.
 */
export async function enqueueEmail(
  db: Writer,
  message: EmailContent & {
    kind: string;
    to: string;
    userId?: string | null;
    attachments?: OutboxAttachment[];
    /** extra headers kept with the message and sent as they are (List-Unsubscribe on reminders) */
    headers?: Record<string, string>;
  },
) {
  const messageId = `<${crypto.randomUUID()}@convene>`;
  await db.insert(emailOutbox)
    .values({
      kind: message.kind,
      toAddress: message.to,
      subject: message.subject,
      html: message.html,
      text: message.text,
      messageId,
      status: "pending",
      nextAttemptAt: now(),
      userId: message.userId ?? null,
      attachments: message.attachments && message.attachments.length > 0 ? message.attachments : null,
      headers: message.headers && Object.keys(message.headers).length > 0 ? message.headers : null,
    });
  return messageId;
}

export function createTransport(smtpUrl: string): Transporter {
  return nodemailer.createTransport({ url: smtpUrl, connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 60_000 });
}

/** SMTP 5xx replies (bad address, rejected) are permanent; everything else is worth retrying. */
function isPermanent(error: unknown) {
  const code = (error as { responseCode?: number }).responseCode;
  return typeof code === "number" && code >= 500 && code < 600;
}

/**
 * Email left in "sending" by an instance that stopped mid-send is marked failed, never sent again
 * on its own (`recoverInterrupted`, shared with the webhook outbox); an admin can check and retry
 * it. Safe to run on any instance at any time: the start-up passes its own name, the outbox worker
 * calls it without one now and then to settle the claims of an instance that went away.
 */
export async function recoverInterruptedSends(db: DB, options: { instance?: string; at?: Date } = {}) {
  return await recoverInterrupted(db, emailOutbox, options);
}

/**
 * Deliver what is due, at most `limit` messages. Each is claimed (pending → sending, with this
 * instance's name) just before it is handed to SMTP, then recorded as sent or failed — only while
 * the claim is still this instance's (a claim settled by recovery and taken again elsewhere is not
 * overwritten). Any number of instances may run this at once: each message is sent once.
 */
export async function deliverDueEmails(
  db: DB,
  options: {
    transport: Transporter;
    from: string;
    retryMs: number;
    limit?: number;
    instance?: string;
    /** true once the server is stopping: the message being sent is finished, no other is claimed */
    shouldStop?: () => boolean;
  },
) {
  const instance = options.instance ?? config().instanceId;
  const limit = options.limit ?? 20;
  let sent = 0;
  // an idle round only reads: a claim is a write, which on PostgreSQL waits for the write lock
  if (!(await anyDue(db, emailOutbox))) return 0;
  for (let handled = 0; handled < limit && !options.shouldStop?.(); handled++) {
    const message = await claimNextDue(db, emailOutbox, instance, now());
    if (!message) break;
    const ours = stillClaimed(emailOutbox, message.id, instance);
    try {
      await options.transport.sendMail({
        from: options.from,
        to: message.toAddress,
        subject: message.subject,
        html: message.html,
        text: message.text,
        messageId: message.messageId,
        headers: message.headers ?? undefined,
        attachments: (message.attachments ?? []).map((a) => ({
          filename: a.filename,
          contentType: a.contentType,
          content: a.content,
          encoding: "base64",
        })),
      });
      await db.update(emailOutbox)
        .set({ status: "sent", sentAt: now(), lastError: null })
        .where(ours);
      sent++;
    } catch (error) {
      const attempts = message.attempts;
      const permanent = isPermanent(error) || attempts >= MAX_ATTEMPTS;
      await db.update(emailOutbox)
        .set({
          status: permanent ? "failed" : "pending",
          lastError: String((error as Error).message ?? error).slice(0, 1000),
          nextAttemptAt: new Date(nowMs() + backoffMs(options.retryMs, attempts)),
        })
        .where(ours);
    }
  }
  return sent;
}

/* ------------------------------------------------------------------------------------------------
 * The admin outbox (/admin/outbox): what was sent, what is waiting, what failed, and the two
 * corrections an admin may make (retry, cancel). Admins only, checked here as well as in routes.
 * --------------------------------------------------------------------------------------------- */

/** The outbox list's tabs. "pending" includes a message being handed to SMTP right now. */
export const OUTBOX_FILTERS = ["pending", "sent", "failed", "cancelled", "all"] as const;
export type OutboxFilter = (typeof OUTBOX_FILTERS)[number];
export const OUTBOX_PAGE_SIZE = 50;

const RETRYABLE: readonly OutboxStatus[] = ["failed", "cancelled"];
const CANCELLABLE: readonly OutboxStatus[] = ["pending", "failed"];

/** What an admin may do with a message in this status (the page shows only these buttons). */
export function outboxActionsFor(status: OutboxStatus) {
  return { canRetry: RETRYABLE.includes(status), canCancel: CANCELLABLE.includes(status) };
}

function requireOutboxAdmin(actor: Actor) {
  if (actor.user.role !== "admin") throw forbidden();
}

function statusCondition(filter: OutboxFilter): SQL | undefined {
  if (filter === "all") return undefined;
  if (filter === "pending") return inArray(emailOutbox.status, ["pending", "sending"]);
  return eq(emailOutbox.status, filter);
}

/** `%q%` for LIKE, with the wildcards the admin typed taken literally. */
function outboxSearch(q: string | undefined): SQL | undefined {
  const text = q?.trim();
  if (!text) return undefined;
  const pattern = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return or(likeInsensitive(emailOutbox.toAddress, pattern), likeInsensitive(emailOutbox.subject, pattern));
}

/**
 * Messages newest first, 50 a page, filtered by status and searched by recipient address or
 * subject; `counts` gives each tab's number for the same search.
 */
export async function listOutbox(actor: Actor, options: { status?: OutboxFilter; q?: string; page?: number } = {}) {
  requireOutboxAdmin(actor);
  const db = getDb();
  const status = options.status ?? "all";
  const search = outboxSearch(options.q);
  const byStatus = await db
    .select({ status: emailOutbox.status, n: count() })
    .from(emailOutbox)
    .where(search)
    .groupBy(emailOutbox.status);
  const n = (s: OutboxStatus) => byStatus.find((r) => r.status === s)?.n ?? 0;
  const counts: Record<OutboxFilter, number> = {
    pending: n("pending") + n("sending"),
    sent: n("sent"),
    failed: n("failed"),
    cancelled: n("cancelled"),
    all: byStatus.reduce((sum, r) => sum + r.n, 0),
  };
  const total = counts[status];
  const pageCount = Math.max(1, Math.ceil(total / OUTBOX_PAGE_SIZE));
  const page = Math.min(Math.max(1, Math.trunc(options.page ?? 1) || 1), pageCount);
  const rows = await db
    .select({
      id: emailOutbox.id,
      createdAt: emailOutbox.createdAt,
      toAddress: emailOutbox.toAddress,
      subject: emailOutbox.subject,
      kind: emailOutbox.kind,
      status: emailOutbox.status,
      attempts: emailOutbox.attempts,
    })
    .from(emailOutbox)
    .where(and(statusCondition(status), search))
    .orderBy(desc(emailOutbox.createdAt), desc(emailOutbox.id))
    .limit(OUTBOX_PAGE_SIZE)
    .offset((page - 1) * OUTBOX_PAGE_SIZE);
  const tabs = OUTBOX_FILTERS.map((filter) => ({ filter, count: counts[filter] }));
  return { rows, counts, tabs, total, page, pageCount, status };
}

/** One message as stored (and so as sent): headers, both parts, and its delivery history. */
export async function getOutboxMessage(actor: Actor, id: number) {
  requireOutboxAdmin(actor);
  const message = firstRow(await getDb()
    .select({
      id: emailOutbox.id,
      kind: emailOutbox.kind,
      toAddress: emailOutbox.toAddress,
      subject: emailOutbox.subject,
      html: emailOutbox.html,
      text: emailOutbox.text,
      messageId: emailOutbox.messageId,
      status: emailOutbox.status,
      attempts: emailOutbox.attempts,
      nextAttemptAt: emailOutbox.nextAttemptAt,
      lastError: emailOutbox.lastError,
      sentAt: emailOutbox.sentAt,
      createdAt: emailOutbox.createdAt,
      updatedAt: emailOutbox.updatedAt,
      userId: emailOutbox.userId,
      userName: users.name,
      headers: emailOutbox.headers,
      attachments: emailOutbox.attachments,
    })
    .from(emailOutbox)
    .leftJoin(users, eq(users.id, emailOutbox.userId))
    .where(eq(emailOutbox.id, id)).limit(1));
  if (!message) throw notFound();
  const { attachments, headers, ...rest } = message;
  return {
    ...rest,
    headers: Object.entries(headers ?? {}).map(([name, value]) => ({ name, value })),
    // what was attached, without the content (downloaded one at a time, /admin/outbox/:id/attachments/:index)
    attachments: (attachments ?? []).map((a, index) => ({
      index,
      // shown and offered as a download name: without control or bidirectional characters
      filename: cleanFileName(a.filename),
      contentType: a.contentType,
      size: Buffer.byteLength(a.content, "base64"),
    })),
    interrupted: message.lastError === INTERRUPTED_ERROR,
    ...outboxActionsFor(message.status),
  };
}

/** One attachment of a message as it was sent (admins only); an unknown message or index is 404. */
export async function getOutboxAttachment(actor: Actor, id: number, index: number) {
  requireOutboxAdmin(actor);
  const row = firstRow(await getDb().select({ attachments: emailOutbox.attachments }).from(emailOutbox).where(eq(emailOutbox.id, id)).limit(1));
  if (!row) throw notFound();
  const attachment = Number.isInteger(index) && index >= 0 ? row.attachments?.[index] : undefined;
  if (!attachment) throw notFound();
  return { filename: attachment.filename, contentType: attachment.contentType, content: Buffer.from(attachment.content, "base64") };
}

/**
 * Move a message from one of `from` to `to` (checked and written in one transaction), with its
 * audit entry; a refused transition throws a FieldError and changes nothing.
 */
async function transition(
  actor: Actor,
  id: number,
  from: readonly OutboxStatus[],
  set: Partial<typeof emailOutbox.$inferInsert> & { status: OutboxStatus },
  audit: { action: string; refusedKey: string },
) {
  requireOutboxAdmin(actor);
  await getDb().transaction(
    async (tx) => {
      const current = firstRow(await tx.select({ status: emailOutbox.status }).from(emailOutbox).where(eq(emailOutbox.id, id)).limit(1));
      if (!current) throw notFound();
      if (!from.includes(current.status)) throw new FieldError("form", audit.refusedKey, { status: current.status });
      await tx.update(emailOutbox)
        .set(set)
        .where(and(eq(emailOutbox.id, id), eq(emailOutbox.status, current.status)));
      await recordAudit(tx, {
        userId: actor.user.id,
        ip: actor.ip,
        action: audit.action,
        entityType: "email",
        entityId: id,
        details: { from: current.status, to: set.status },
      });
    },
    { behavior: "immediate" },
  );
}

/** Send a failed or cancelled message again: due now, its attempts so far kept. */
export async function retryMessage(actor: Actor, id: number) {
  await transition(actor, id, RETRYABLE, { status: "pending", nextAttemptAt: now() }, {
    action: "outbox.retry",
    refusedKey: "outbox.errors.cannotRetry",
  });
}

/** Stop a message that is waiting (or has failed) from ever being sent. */
export async function cancelMessage(actor: Actor, id: number) {
  await transition(actor, id, CANCELLABLE, { status: "cancelled" }, {
    action: "outbox.cancel",
    refusedKey: "outbox.errors.cannotCancel",
  });
}
