import { createHash } from "node:crypto";
import { DrizzleSQLiteAdapter } from "@lucia-auth/adapter-drizzle";
import { Lucia, TimeSpan, type DatabaseSession, type DatabaseUser } from "lucia";
import { eq, lte, or, sql } from "drizzle-orm";
import type { BaseSQLiteDatabase } from "drizzle-orm/sqlite-core";
import { getDb, queryOne, type DB } from "../../db/client";
import { authSessions, users } from "../../db/schema";
import { cookieAttributes, cookieName } from "./cookies.server";
import type { Role, SessionRestriction } from "~/lib/domain";

/** A session ends after this long unused (lucia slides `expires_at` forward on use). */
export const IDLE_TIMEOUT_DAYS = 7;
/** …and at most this long after login. */
export const ABSOLUTE_TIMEOUT_MS = 30 * 24 * 3600 * 1000;
/** Admins and coordinators see everyone's data: their sessions are short. */
export const PRIVILEGED_ABSOLUTE_TIMEOUT_MS = 12 * 3600 * 1000;

export function absoluteTimeoutFor(role: Role) {
  return role === "admin" || role === "coordinator" ? PRIVILEGED_ABSOLUTE_TIMEOUT_MS : ABSOLUTE_TIMEOUT_MS;
}

/** The session and its user in one statement (quoted aliases: PostgreSQL folds bare ones to lower case) (a left join: a session whose user is gone has none). */
const SESSION_AND_USER = `
  select s.id as "id", s.user_id as "userId", s.expires_at as "expiresAt", s.absolute_expires_at as "absoluteExpiresAt",
         s.created_at as "createdAt", s.user_agent as "userAgent", s.ip as "ip", s.last_used_at as "lastUsedAt", s.restriction as "restriction", u.id as "uid", u.email as "email", u.name as "name", u.role as "role", u.organisation_id as "organisationId",
         u.locale as "locale", u.disabled_at as "disabledAt"
  from auth_sessions s left join users u on u.id = s.user_id
  where s.id = `;
type SessionAndUserRow = {
  id: string;
  userId: string;
  expiresAt: number;
  absoluteExpiresAt: number;
  createdAt: number;
  userAgent: string | null;
  ip: string | null;
  lastUsedAt: number | null;
  restriction: SessionRestriction | null;
  uid: string | null;
  email: string;
  name: string;
  role: Role;
  organisationId: number | null;
  locale: string | null;
  disabledAt: number | null;
};

/**
 * What the database keeps of a session id: its SHA-256 (hex). The id itself lives only in the
 * browser's cookie, so whoever reads the database or a backup learns no id to sign in with. The id
 * is 25 random bytes (Lucia's), so a plain hash needs no salt or slow function: nothing can be
 * guessed from it.
 */
export function storedSessionId(sessionId: string): string {
  return createHash("sha256").update(sessionId).digest("hex");
}

/**
 * Lucia's drizzle adapter, with two differences. Session ids are stored hashed (storedSessionId):
 * every method takes and gives Lucia the id of the cookie and reads and writes the hash. And the
 * read every page makes (often once per loader): the session and its user come from one
 * statement, not two queries drizzle builds on every call. The values are those the drizzle
 * adapter gives for the same row (`lucia-adapter.test.ts` compares them).
 */
export class SessionAdapter extends DrizzleSQLiteAdapter {
  private readonly database: DB;
  constructor(db: DB) {
    // the adapter only builds queries and awaits them: the asynchronous handle suits it
    super(db as unknown as BaseSQLiteDatabase<"async", unknown>, authSessions, users);
    this.database = db;
  }
  override async getSessionAndUser(sessionId: string): Promise<[DatabaseSession | null, DatabaseUser | null]> {
    const row = await queryOne<SessionAndUserRow>(this.database, sql`${sql.raw(SESSION_AND_USER)}${storedSessionId(sessionId)}`);
    if (!row) return [null, null];
    const session: DatabaseSession = {
      id: sessionId,
      userId: row.userId,
      expiresAt: new Date(row.expiresAt * 1000),
      attributes: {
        absoluteExpiresAt: Number(row.absoluteExpiresAt),
        createdAt: Number(row.createdAt),
        userAgent: row.userAgent,
        ip: row.ip,
        lastUsedAt: row.lastUsedAt === null ? null : Number(row.lastUsedAt),
        restriction: row.restriction ?? null,
      },
    };
    if (row.uid === null) return [session, null];
    const user: DatabaseUser = {
      id: row.uid,
      attributes: {
        email: row.email,
        name: row.name,
        role: row.role,
        organisationId: row.organisationId,
        locale: row.locale,
        disabledAt: row.disabledAt === null ? null : new Date(row.disabledAt),
      },
    };
    return [session, user];
  }
  // the writes and the list below are the adapter's, awaited without SQLite's `.run()` / `.all()`
  // (which the PostgreSQL handle does not have), on the hashed id
  override async setSession(session: DatabaseSession): Promise<void> {
    await this.database.insert(authSessions).values({
      id: storedSessionId(session.id),
      userId: session.userId,
      expiresAt: Math.floor(session.expiresAt.getTime() / 1000),
      ...(session.attributes as SessionAttributes),
    });
  }
  override async updateSessionExpiration(sessionId: string, expiresAt: Date): Promise<void> {
    await this.database
      .update(authSessions)
      .set({ expiresAt: Math.floor(expiresAt.getTime() / 1000) })
      .where(eq(authSessions.id, storedSessionId(sessionId)));
  }
  override async deleteSession(sessionId: string): Promise<void> {
    await this.database.delete(authSessions).where(eq(authSessions.id, storedSessionId(sessionId)));
  }
  override async deleteUserSessions(userId: string): Promise<void> {
    await this.database.delete(authSessions).where(eq(authSessions.userId, userId));
  }
  /** The user's sessions, each known by its stored (hashed) id: the cookie's id is not kept. */
  override async getUserSessions(userId: string): Promise<DatabaseSession[]> {
    const rows = await this.database.select().from(authSessions).where(eq(authSessions.userId, userId));
    return rows.map(({ id, userId, expiresAt, ...attributes }) => ({ id, userId, expiresAt: new Date(expiresAt * 1000), attributes }));
  }
}

/** What a session keeps besides its expiry: its limits, and where and when it was used (the user's list). */
export type SessionAttributes = {
  absoluteExpiresAt: number;
  createdAt: number;
  userAgent: string | null;
  ip: string | null;
  lastUsedAt: number | null;
  /** what the session must do before it is a full one (auth_sessions.restriction), or null */
  restriction: SessionRestriction | null;
};

function createLucia() {
  const adapter = new SessionAdapter(getDb());
  return new Lucia(adapter, {
    sessionExpiresIn: new TimeSpan(IDLE_TIMEOUT_DAYS, "d"),
    sessionCookie: {
      name: cookieName("convene_session"),
      attributes: cookieAttributes(),
    },
    getSessionAttributes: (attributes) => ({
      absoluteExpiresAt: attributes.absoluteExpiresAt,
      lastUsedAt: attributes.lastUsedAt,
      restriction: attributes.restriction ?? null,
    }),
    getUserAttributes: (attributes) => ({
      email: attributes.email,
      name: attributes.name,
      role: attributes.role,
      organisationId: attributes.organisationId,
      locale: attributes.locale,
      disabledAt: attributes.disabledAt,
    }),
  });
}

/** A session was used now, from `ip`: what the user's list of sessions shows. */
export async function recordSessionUse(sessionId: string, at: number, ip: string | null) {
  await getDb().update(authSessions).set({ lastUsedAt: at, ip }).where(eq(authSessions.id, storedSessionId(sessionId)));
}

/** Lift (null) or set a session's restriction, e.g. once the second factor is enrolled. */
export async function setSessionRestriction(sessionId: string, restriction: SessionRestriction | null) {
  await getDb().update(authSessions).set({ restriction }).where(eq(authSessions.id, storedSessionId(sessionId)));
}

/**
 * Delete the sessions that can no longer be used: unused past their idle limit, past their
 * absolute limit, or stored before ids were hashed (their id is not 64 hex digits: no cookie can
 * match them). Lucia removes an expired session only when its cookie comes back; the retention
 * round calls this once a day. Returns how many went.
 */
export async function deleteEndedSessions(db: DB, at: number): Promise<number> {
  const gone = await db
    .delete(authSessions)
    .where(
      or(
        lte(authSessions.expiresAt, Math.floor(at / 1000)),
        lte(authSessions.absoluteExpiresAt, at),
        sql`length(${authSessions.id}) <> 64`,
      ),
    )
    .returning({ id: authSessions.id });
  return gone.length;
}

let instance: ReturnType<typeof createLucia> | undefined;
export function lucia() {
  instance ??= createLucia();
  return instance;
}
/** Tests open a new database per file. */
export function resetLucia() {
  instance = undefined;
}

declare module "lucia" {
  interface Register {
    Lucia: ReturnType<typeof createLucia>;
    DatabaseSessionAttributes: SessionAttributes;
    DatabaseUserAttributes: {
      email: string;
      name: string;
      role: Role;
      organisationId: number | null;
      locale: string | null;
      disabledAt: Date | number | null;
    };
  }
}
