import type { DB } from "../../db/client";
import { auditLog } from "../../db/schema";
import { now } from "~/lib/clock";

export type AuditEntry = {
  userId: string | null;
  ip?: string | null;
  action: string;
  entityType?: string;
  entityId?: string | number;
  details?: Record<string, unknown>;
};

type Writer = Pick<DB, "insert">;

/** Append one entry to the audit log (in the caller's transaction when given one). */
export function recordAudit(db: Writer, entry: AuditEntry) {
  db.insert(auditLog)
    .values({
      at: now(),
      userId: entry.userId,
      ip: entry.ip ?? null,
      action: entry.action,
      entityType: entry.entityType ?? null,
      entityId: entry.entityId === undefined ? null : String(entry.entityId),
      details: entry.details ?? null,
    })
    .run();
}
