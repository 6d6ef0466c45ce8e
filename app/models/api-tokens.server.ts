import crypto from "node:crypto";
import { and, desc, eq, gt, isNull, sql } from "drizzle-orm";
import { getDb, firstRow, type DB } from "../../db/client";
import { apiTokens, users } from "../../db/schema";
import type { API_TOKEN_ACCESS } from "../../db/schema/api";
import { hashToken } from "~/auth/tokens.server";
import type { Actor, SessionUser } from "~/auth/session.server";
import { TOKEN_LIFETIMES, TOKEN_NAME_MAX } from "~/lib/api-tokens";
import { nowMs } from "~/lib/clock";
import { recordAudit } from "./audit.server";
import { FieldError } from "./field-error.server";

/**
 * Personal access tokens for the API. A token is `cvn_` and 43 random URL-safe characters (256
 * bits); only its SHA-256 is stored, with its first characters to recognise it in the list. It
 * acts as its user — the same permission checks as the pages, made by the same models — until it
 * expires or is revoked, or the user is disabled. "read" tokens are refused every write.
 */

export type ApiTokenAccess = (typeof API_TOKEN_ACCESS)[number];
export const TOKEN_PREFIX = "cvn_";
/** Tokens one user may hold at once (live ones): enough for every integration, bounded. */
export const MAX_LIVE_TOKENS = 20;
/** `last_used_at` is written at most this often per token. */
const LAST_USED_EVERY_MS = 60_000;
const DAY_MS = 86_400_000;

export type TokenInput = { name: string; lifetimeDays: number; access: ApiTokenAccess };

/** Create a token for the signed-in user; the secret is returned once and never again. */
export async function createApiToken(actor: Actor, input: TokenInput): Promise<{ id: number; secret: string }> {
  const name = input.name.trim();
  if (name === "" || name.length > TOKEN_NAME_MAX) throw new FieldError("name", "apiTokens.errors.name");
  if (!(TOKEN_LIFETIMES as readonly number[]).includes(input.lifetimeDays)) throw new FieldError("lifetimeDays", "apiTokens.errors.lifetime");
  if (input.access !== "read" && input.access !== "write") throw new FieldError("access", "apiTokens.errors.access");
  const secret = `${TOKEN_PREFIX}${crypto.randomBytes(32).toString("base64url")}`;
  const db = getDb();
  const now = nowMs();
  return await db.transaction(async (tx) => {
    const live = firstRow(
      await tx
        .select({ n: sql<number>`count(*)`.mapWith(Number) })
        .from(apiTokens)
        .where(and(eq(apiTokens.userId, actor.user.id), isNull(apiTokens.revokedAt), gt(apiTokens.expiresAt, new Date(now))))
        .limit(1),
    )!.n;
    if (live >= MAX_LIVE_TOKENS) throw new FieldError("name", "apiTokens.errors.tooMany");
    const [row] = await tx
      .insert(apiTokens)
      .values({
        userId: actor.user.id,
        name,
        tokenHash: hashToken(secret),
        prefix: secret.slice(0, TOKEN_PREFIX.length + 6),
        access: input.access,
        expiresAt: new Date(now + input.lifetimeDays * DAY_MS),
      })
      .returning({ id: apiTokens.id });
    await recordAudit(tx, {
      userId: actor.user.id,
      ip: actor.ip,
      action: "api_token.create",
      entityType: "api_token",
      entityId: row.id,
      details: { name, access: input.access, lifetimeDays: input.lifetimeDays },
    });
    return { id: row.id, secret };
  });
}

/** The user's tokens, newest first (never the secret: it is not kept). */
export async function listOwnApiTokens(user: SessionUser) {
  const rows = await getDb()
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      prefix: apiTokens.prefix,
      access: apiTokens.access,
      createdAt: apiTokens.createdAt,
      expiresAt: apiTokens.expiresAt,
      lastUsedAt: apiTokens.lastUsedAt,
      lastUsedIp: apiTokens.lastUsedIp,
      revokedAt: apiTokens.revokedAt,
    })
    .from(apiTokens)
    .where(eq(apiTokens.userId, user.id))
    .orderBy(desc(apiTokens.id))
    .limit(100);
  const now = nowMs();
  return rows.map((r) => ({ ...r, state: r.revokedAt ? ("revoked" as const) : r.expiresAt.getTime() <= now ? ("expired" as const) : ("active" as const) }));
}

/** Revoke one of the user's own tokens; another user's token is "not found" (nothing said about it). */
export async function revokeApiToken(actor: Actor, tokenId: number): Promise<boolean> {
  const db = getDb();
  return await db.transaction(async (tx) => {
    const [row] = await tx
      .update(apiTokens)
      .set({ revokedAt: new Date(nowMs()), updatedAt: new Date(nowMs()) })
      .where(and(eq(apiTokens.id, tokenId), eq(apiTokens.userId, actor.user.id), isNull(apiTokens.revokedAt)))
      .returning({ id: apiTokens.id, name: apiTokens.name });
    if (!row) return false;
    await recordAudit(tx, { userId: actor.user.id, ip: actor.ip, action: "api_token.revoke", entityType: "api_token", entityId: row.id, details: { name: row.name } });
    return true;
  });
}

/**
 * Revoke every live token of a user, inside the transaction of a change that should end them: a
 * new password (changed, or set through a reset link) and an administrator's reset of the second
 * factor. These are what someone does after losing control of an account; a token minted by
 * whoever held the session must not outlive them. Returns how many were revoked (for the audit).
 */
export async function revokeAllApiTokensIn(tx: Pick<DB, "update">, userId: string): Promise<number> {
  const at = new Date(nowMs());
  const revoked = await tx
    .update(apiTokens)
    .set({ revokedAt: at, updatedAt: at })
    .where(and(eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt), gt(apiTokens.expiresAt, at)))
    .returning({ id: apiTokens.id });
  return revoked.length;
}

export type TokenActor = Actor & { token: { id: number; access: ApiTokenAccess } };

/**
 * The user a presented token acts as, or null when the token is unknown, malformed, revoked,
 * expired, or its user disabled. Records when and from where it was last used.
 */
export async function authenticateApiToken(secret: string, ip: string | null): Promise<TokenActor | null> {
  if (!secret.startsWith(TOKEN_PREFIX) || secret.length !== TOKEN_PREFIX.length + 43 || !/^[A-Za-z0-9_-]+$/.test(secret.slice(TOKEN_PREFIX.length))) return null;
  const db = getDb();
  const now = nowMs();
  const row = firstRow(
    await db
      .select({
        id: apiTokens.id,
        access: apiTokens.access,
        expiresAt: apiTokens.expiresAt,
        revokedAt: apiTokens.revokedAt,
        lastUsedAt: apiTokens.lastUsedAt,
        user: { id: users.id, email: users.email, name: users.name, role: users.role, organisationId: users.organisationId, locale: users.locale },
        disabledAt: users.disabledAt,
      })
      .from(apiTokens)
      .innerJoin(users, eq(users.id, apiTokens.userId))
      .where(eq(apiTokens.tokenHash, hashToken(secret)))
      .limit(1),
  );
  if (!row || row.revokedAt || row.disabledAt || row.expiresAt.getTime() <= now) return null;
  if (!row.lastUsedAt || now - row.lastUsedAt.getTime() >= LAST_USED_EVERY_MS) {
    await db.update(apiTokens).set({ lastUsedAt: new Date(now), lastUsedIp: ip }).where(eq(apiTokens.id, row.id));
  }
  const user: SessionUser = row.user;
  return { user, ip, token: { id: row.id, access: row.access } };
}
