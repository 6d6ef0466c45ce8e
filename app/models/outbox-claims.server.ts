import { and, eq, isNull, lt, lte, or, sql } from "drizzle-orm";
import { changedRows, firstRow, type DB } from "../../db/client";
import { forUpdateSkipLocked } from "../../db/sql-dialect";
import { emailOutbox, webhookDeliveries } from "../../db/schema";
import { now } from "~/lib/clock";

/**
 * The mechanics every outbox shares (email, webhooks): claim a due row for one instance in one
 * statement, back off after a transient failure, and settle the claims of an instance that stopped
 * mid-send without ever sending such a row again on its own. Each outbox table has the same
 * columns for this (status, attempts, next_attempt_at, claimed_by, claimed_at, updated_at).
 */
export type OutboxTable = typeof emailOutbox | typeof webhookDeliveries;

/** Attempts after which a transiently failing row is given up. */
export const MAX_ATTEMPTS = 8;

/**
 * How long a row may stay claimed ("sending") before another instance may conclude that its
 * claimer stopped mid-send: far longer than a send can take with the transports' timeouts (an SMTP
 * connection in 30 s, the greeting in 30 s, then never a minute without a reply; a webhook in 10 s).
 */
export const SEND_LEASE_MS = 10 * 60_000;

/** The error recorded on a row whose delivery was interrupted (the outbox pages warn about it). */
export const INTERRUPTED_ERROR = "Interrupted while sending: check the recipient's inbox before retrying.";

// The tables share these columns by name; queries are built on the one given (a cast for the types).
const columnsOf = (table: OutboxTable) => table as typeof emailOutbox;

/** The wait before the next attempt: `retryMs`, doubled after each attempt so far. */
export function backoffMs(retryMs: number, attempts: number) {
  return retryMs * 2 ** Math.max(0, attempts - 1);
}

/** Whether any row is due: an idle round only reads (a claim is a write, which waits for PostgreSQL's write lock). */
export async function anyDue(db: DB, table: OutboxTable, at: Date = now()) {
  const t = columnsOf(table);
  return Boolean(firstRow(await db.select({ id: t.id }).from(t).where(and(eq(t.status, "pending"), lte(t.nextAttemptAt, at))).limit(1)));
}

/**
 * Claim the next due row for `instance`: pending → sending, its attempt counted, claimer and time
 * recorded, in ONE statement, so two instances polling at once never claim the same row (the outer
 * `status = 'pending'` is checked again on the row as it is when the UPDATE reaches it). On
 * PostgreSQL the candidate row is locked `FOR UPDATE SKIP LOCKED`: a second instance claiming at
 * the same moment takes the next row instead of waiting for this one. This holds without the
 * database's write lock (db/postgres.ts), which today makes such claims run one after another.
 */
export async function claimNextDue<T extends OutboxTable>(db: DB, table: T, instance: string, at: Date): Promise<T["$inferSelect"] | undefined> {
  const t = columnsOf(table);
  const next = sql`(select ${t.id} from ${t}
    where ${t.status} = 'pending' and ${t.nextAttemptAt} <= ${at.getTime()}
    order by ${t.nextAttemptAt}, ${t.id}
    limit 1 ${forUpdateSkipLocked()})`;
  return firstRow(await db
    .update(t)
    .set({ status: "sending", attempts: sql`${t.attempts} + 1`, claimedBy: instance, claimedAt: at })
    .where(and(eq(t.id, next), eq(t.status, "pending")))
    .returning()) as T["$inferSelect"] | undefined;
}

/** The condition "this row is still claimed by `instance`": a settled claim taken again elsewhere is never overwritten. */
export function stillClaimed(table: OutboxTable, id: number, instance: string) {
  const t = columnsOf(table);
  return and(eq(t.id, id), eq(t.claimedBy, instance));
}

/**
 * A row left in "sending" was being handed over when its sender stopped: it may or may not have
 * gone out. It is marked failed (never sent a second time on its own); it can be checked and
 * retried by hand. Several instances share the outbox, so only rows whose sender is known to have
 * stopped are touched — never one another instance is sending right now:
 * - claimed by `instance` itself, when it starts again (nothing of its own can be in flight yet);
 * - claimed longer ago than the send lease (its claimer died, or never came back);
 * - claimed without a claimer recorded (by a version that did not record one), at start-up only.
 */
export async function recoverInterrupted(db: DB, table: OutboxTable, options: { instance?: string; at?: Date } = {}) {
  const t = columnsOf(table);
  const at = options.at ?? now();
  const leaseOver = lt(sql`coalesce(${t.claimedAt}, ${t.updatedAt})`, at.getTime() - SEND_LEASE_MS);
  const stopped = options.instance === undefined ? leaseOver : or(leaseOver, isNull(t.claimedBy), eq(t.claimedBy, options.instance));
  return changedRows(await db
    .update(t)
    .set({ status: "failed", lastError: INTERRUPTED_ERROR })
    .where(and(eq(t.status, "sending"), stopped)));
}
