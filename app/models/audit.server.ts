import { AsyncLocalStorage } from "node:async_hooks";
import { and, count, desc, eq, gte, lt, sql, type SQL } from "drizzle-orm";
import { getDb, type DB, queryAll, firstRow } from "../../db/client";
import { auditLog, users } from "../../db/schema";
import { forbidden, getSessionUser, type Actor } from "~/auth/session.server";
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

/**
 * The API token a request acts through, for the length of that request: every entry the request
 * writes — whichever model writes it, deep inside its transaction — says it came through the API
 * and which token (`details.channel = "api"`, `details.apiTokenId`), without each model knowing.
 */
const apiRequest = new AsyncLocalStorage<{ tokenId: number }>();

/** Run `work` (one API request) so that its audit entries name the token it came through. */
export function throughApiToken<T>(tokenId: number, work: () => Promise<T>): Promise<T> {
  return apiRequest.run({ tokenId }, work);
}

function detailsOf(entry: AuditEntry) {
  const api = apiRequest.getStore();
  if (!api) return entry.details ?? null;
  return { ...entry.details, channel: "api", apiTokenId: api.tokenId };
}

/** Append one entry to the audit log (in the caller's transaction when given one). */
export async function recordAudit(db: Writer, entry: AuditEntry): Promise<number> {
  const [row] = await db.insert(auditLog)
    .values({
      at: now(),
      userId: entry.userId,
      ip: entry.ip ?? null,
      action: entry.action,
      entityType: entry.entityType ?? null,
      entityId: entry.entityId === undefined ? null : String(entry.entityId),
      details: detailsOf(entry),
    })
    .returning({ id: auditLog.id });
  return row.id;
}

export type DeniedRequest = {
  method: string;
  /** the path asked for (no query string: it may carry search terms about people) */
  path: string;
  /** the request's Cookie header, to find who was signed in */
  cookie: string | null;
  /** the client's address as the server saw it (x-convene-client-ip) */
  ip: string | null;
};

/**
 * A signed-in user was refused (403): "permission.denied" with who, the method and path, when and
 * from where. Called by the HTTP server (server/app.ts, through entry.server) once a 403 response
 * has been sent, whatever refused it (`forbidden()` in a route or a model, `requireRole`): outside
 * every transaction of the request, so that the refusal's own rollback cannot take the entry with
 * it. Anonymous visitors are not recorded (they are sent to the login page, not refused).
 */
export async function recordPermissionDenial(request: DeniedRequest) {
  const found = await getSessionUser(new Request("http://convene.invalid/", { headers: { Cookie: request.cookie ?? "" } }));
  if (!found) return false;
  // single-fetch data requests ask for "/page.data" (and "/_root.data" for "/"): record the page
  const path = request.path.replace(/\.data$/, "").replace(/^\/_root$/, "/").slice(0, 2000);
  await recordAudit(getDb(), {
    userId: found.user.id,
    ip: request.ip,
    action: "permission.denied",
    details: { method: request.method.toUpperCase().slice(0, 10), path, role: found.user.role },
  });
  return true;
}

/* ------------------------------------------------------------------------------------------------
 * The admin audit page (/admin/audit): search the log. Admins only, checked here as well as in
 * the route. Read-only: nothing here can change or remove an entry (triggers refuse it anyway).
 * --------------------------------------------------------------------------------------------- */

export const AUDIT_PAGE_SIZE = 50;

export type AuditFilters = {
  /** the start of an action name: "login" finds login.success and login.failure */
  action?: string;
  /** the account that acted */
  userId?: string;
  entityType?: string;
  entityId?: string;
  /** calendar days in UTC, YYYY-MM-DD, both included */
  from?: string;
  to?: string;
  page?: number;
};

function requireAuditor(actor: Actor) {
  if (actor.user.role !== "admin") throw forbidden();
}

const DAY_MS = 24 * 60 * 60 * 1000;
const dayStartUtc = (day: string) => new Date(`${day}T00:00:00.000Z`);

/**
 * The smallest string greater than every string that starts with `prefix`, so that a prefix
 * search is an index range (`action >= prefix AND action < upper`) rather than a scan.
 */
function prefixUpperBound(prefix: string) {
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}

/**
 * The distinct values of an indexed column, one index seek each (a "skip scan"), so that the
 * filter lists stay fast however long the log grows.
 */
async function distinctIndexed(column: "action" | "entity_type"): Promise<string[]> {
  const rows = await queryAll<{ v: string }>(getDb(), sql.raw(
      `WITH RECURSIVE d(v) AS (
         SELECT min(${column}) FROM audit_log
         UNION ALL
         SELECT (SELECT min(${column}) FROM audit_log WHERE ${column} > d.v) FROM d WHERE d.v IS NOT NULL
       ) SELECT v FROM d WHERE v IS NOT NULL`,
    ));
  return rows.map((r) => r.v);
}

/**
 * The account named by the "user" filter: found by its email address (stored lower-cased) when an
 * admin types one, by its id when the filter comes back in a page's address.
 */
export async function auditUser(actor: Actor, by: { email: string } | { id: string }) {
  requireAuditor(actor);
  return (
    firstRow(await getDb()
      .select({ id: users.id, name: users.name, email: users.email })
      .from(users)
      .where("email" in by ? eq(users.email, by.email.trim().toLowerCase()) : eq(users.id, by.id)).limit(1)) ?? null
  );
}

/**
 * Entries of the audit log matching the filters, newest first, 50 a page, with who acted (name
 * and email; null for anonymous requests such as a failed login with an unknown email).
 */
export async function searchAudit(actor: Actor, filters: AuditFilters = {}) {
  requireAuditor(actor);
  const db = getDb();
  const conditions: SQL[] = [];
  if (filters.action) {
    conditions.push(gte(auditLog.action, filters.action), lt(auditLog.action, prefixUpperBound(filters.action)));
  }
  if (filters.userId) conditions.push(eq(auditLog.userId, filters.userId));
  if (filters.entityType) conditions.push(eq(auditLog.entityType, filters.entityType));
  if (filters.entityId) conditions.push(eq(auditLog.entityId, filters.entityId));
  if (filters.from) conditions.push(gte(auditLog.at, dayStartUtc(filters.from)));
  if (filters.to) conditions.push(lt(auditLog.at, new Date(dayStartUtc(filters.to).getTime() + DAY_MS)));
  const where = conditions.length > 0 ? and(...conditions) : undefined;

  const total = firstRow(await db.select({ n: count() }).from(auditLog).where(where).limit(1))?.n ?? 0;
  const pageCount = Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE));
  const page = Math.min(Math.max(1, filters.page ?? 1), pageCount);
  const rows = (await db
    .select({
      id: auditLog.id,
      at: auditLog.at,
      action: auditLog.action,
      entityType: auditLog.entityType,
      entityId: auditLog.entityId,
      details: auditLog.details,
      ip: auditLog.ip,
      userId: auditLog.userId,
      userName: users.name,
      userEmail: users.email,
    })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.userId))
    .where(where)
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(AUDIT_PAGE_SIZE)
    .offset((page - 1) * AUDIT_PAGE_SIZE))
    .map((r) => ({ ...r, at: r.at.getTime() }));
  return { rows, total, page, pageCount };
}

/** The actions and record types present in the log, offered as choices by the search form. */
export async function auditFilterOptions(actor: Actor) {
  requireAuditor(actor);
  return { actions: await distinctIndexed("action"), entityTypes: await distinctIndexed("entity_type") };
}
