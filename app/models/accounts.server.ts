import crypto from "node:crypto";
import Bowser from "bowser";
import { and, asc, count, desc, eq, isNull, gt, ne } from "drizzle-orm";
import { getDb, type Tx, firstRow, changedRows } from "../../db/client";
import { authSessions, organisations, passwordResetTokens, users } from "../../db/schema";
import { accountLinkEmail } from "@emails/account-link";
import { generateToken, hashToken } from "~/auth/tokens.server";
import { passwordProblem } from "~/auth/password-strength.server";
import { storedSessionId } from "~/auth/lucia.server";
import { hashPassword, verifyAgainstDummy, verifyPassword } from "~/auth/password.server";
import { endAllSessions, forbidden, notFound, type Actor } from "~/auth/session.server";
import { translatorFor } from "~/i18n.server";
import { now, nowMs } from "~/lib/clock";
import type { Locale, OrganisationKind, Role, TokenPurpose } from "~/lib/domain";
import { revokeAllApiTokensIn } from "./api-tokens.server";
import { recordAudit } from "./audit.server";
import { enqueueEmail } from "./outbox.server";
import { organisationChoice, organisationChoices } from "./organisations.server";
import { hasSecondFactor, requireSecondFactorCode } from "./second-factor.server";

export const RESET_TOKEN_TTL_MS = 60 * 60 * 1000;
export const INVITE_TOKEN_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export class AccountError extends Error {
  constructor(
    public readonly field: string,
    public readonly messageKey: string,
  ) {
    super(messageKey);
  }
}

export async function countUsers(): Promise<number> {
  return firstRow(await getDb().select({ n: count() }).from(users).limit(1))?.n ?? 0;
}

/** A new password too easy to guess is refused, with the reason (AccountError on `field`). */
async function requireStrongPassword(field: string, password: string, userInputs: (string | null | undefined)[]) {
  const problem = await passwordProblem(password, userInputs);
  if (problem) throw new AccountError(field, problem);
}

/** /setup: the first admin, only while no user exists (checked inside the write transaction). */
export async function createFirstAdmin(input: { name: string; email: string; password: string }, ip: string | null) {
  await requireStrongPassword("password", input.password, [input.name, input.email]);
  const passwordHash = await hashPassword(input.password);
  const db = getDb();
  return await db.transaction(async (tx) => {
    const existing = firstRow(await tx.select({ n: count() }).from(users).limit(1))?.n ?? 0;
    if (existing > 0) return null;
    const id = newUserId();
    await tx.insert(users).values({ id, email: input.email, name: input.name, role: "admin", passwordHash });
    await recordAudit(tx, { userId: id, ip, action: "setup.first_admin", entityType: "user", entityId: id });
    return { id, role: "admin" as Role };
  }, { behavior: "immediate" });
}

export function newUserId() {
  return crypto.randomBytes(15).toString("base64url");
}

export type LoginResult =
  | { ok: true; user: { id: string; role: Role; name: string; email: string }; secondFactor: boolean }
  | { ok: false; reason: "invalid" | "disabled" };

/**
 * Check an email and password. The same work is done whether or not the account exists. A user
 * with a second factor is not signed in yet: the password is recorded as accepted, and the sign-in
 * itself once the code is (completeSignIn).
 */
export async function authenticate(email: string, password: string, ip: string | null): Promise<LoginResult> {
  const db = getDb();
  const user = firstRow(await db
    .select({ id: users.id, role: users.role, name: users.name, email: users.email, passwordHash: users.passwordHash, disabledAt: users.disabledAt })
    .from(users)
    .where(eq(users.email, email.toLowerCase())).limit(1));
  if (!user || !user.passwordHash) {
    await verifyAgainstDummy(password);
    await recordAudit(db, { userId: user?.id ?? null, ip, action: "login.failure", details: { reason: "invalid" } });
    return { ok: false, reason: "invalid" };
  }
  const valid = await verifyPassword(user.passwordHash, password);
  if (!valid) {
    await recordAudit(db, { userId: user.id, ip, action: "login.failure", entityType: "user", entityId: user.id, details: { reason: "invalid" } });
    return { ok: false, reason: "invalid" };
  }
  if (user.disabledAt) {
    await recordAudit(db, { userId: user.id, ip, action: "login.failure", entityType: "user", entityId: user.id, details: { reason: "disabled" } });
    return { ok: false, reason: "disabled" };
  }
  const secondFactor = await hasSecondFactor(user.id, db);
  if (secondFactor) {
    await recordAudit(db, { userId: user.id, ip, action: "login.password_accepted", entityType: "user", entityId: user.id });
  } else {
    await db.update(users).set({ lastLoginAt: now() }).where(eq(users.id, user.id));
    await recordAudit(db, { userId: user.id, ip, action: "login.success", entityType: "user", entityId: user.id });
  }
  return { ok: true, user: { id: user.id, role: user.role, name: user.name, email: user.email }, secondFactor };
}

async function issueToken(tx: Tx, userId: string, purpose: TokenPurpose) {
  const token = generateToken();
  const ttl = purpose === "reset" ? RESET_TOKEN_TTL_MS : INVITE_TOKEN_TTL_MS;
  await tx.insert(passwordResetTokens)
    .values({ tokenHash: hashToken(token), userId, purpose, expiresAt: new Date(nowMs() + ttl) });
  return token;
}

/**
 * Forgot password: if an active account has this email, queue a one-time link (valid one hour).
 * The caller shows the same answer either way.
 */
export async function requestPasswordReset(email: string, appUrl: string, ip: string | null) {
  return await getDb().transaction(async (tx) => {
    const user = firstRow(await tx
      .select({ id: users.id, name: users.name, email: users.email, locale: users.locale, disabledAt: users.disabledAt })
      .from(users)
      .where(eq(users.email, email.toLowerCase())).limit(1));
    if (!user || user.disabledAt) {
      await recordAudit(tx, { userId: null, ip, action: "password_reset.request_unknown" });
      return false;
    }
    const token = await issueToken(tx, user.id, "reset");
    const { t, lang, dir } = translatorFor(user.locale);
    const content = accountLinkEmail(
      { purpose: "reset", name: user.name, url: `${appUrl}/reset-password/${token}`, validFor: t("email.oneHour") },
      t,
      { lang, dir },
    );
    await enqueueEmail(tx, { ...content, kind: "password_reset", to: user.email, userId: user.id });
    await recordAudit(tx, { userId: user.id, ip, action: "password_reset.request", entityType: "user", entityId: user.id });
    return true;
  }, { behavior: "immediate" });
}

/** A link's state, for the page that shows it (never reveals whose it is beyond the name's greeting). */
export async function inspectToken(token: string): Promise<{ purpose: TokenPurpose; name: string } | null> {
  const row = firstRow(await getDb()
    .select({ purpose: passwordResetTokens.purpose, name: users.name, usedAt: passwordResetTokens.usedAt, expiresAt: passwordResetTokens.expiresAt, disabledAt: users.disabledAt })
    .from(passwordResetTokens)
    .innerJoin(users, eq(users.id, passwordResetTokens.userId))
    .where(eq(passwordResetTokens.tokenHash, hashToken(token))).limit(1));
  if (!row || row.usedAt || row.expiresAt.getTime() <= nowMs() || row.disabledAt) return null;
  return { purpose: row.purpose, name: row.name };
}

/**
 * Use a one-time link to set a password. Single use: the token is marked used in the same
 * transaction that sets the password; all the user's sessions end.
 */
export async function consumeTokenAndSetPassword(token: string, password: string, ip: string | null) {
  const holder = firstRow(await getDb()
    .select({ name: users.name, email: users.email })
    .from(passwordResetTokens)
    .innerJoin(users, eq(users.id, passwordResetTokens.userId))
    .where(eq(passwordResetTokens.tokenHash, hashToken(token))).limit(1));
  if (!holder) return null;
  await requireStrongPassword("password", password, [holder.name, holder.email]);
  const passwordHash = await hashPassword(password);
  const db = getDb();
  const userId = await db.transaction(async (tx) => {
    const row = firstRow(await tx
      .select({ id: passwordResetTokens.id, userId: passwordResetTokens.userId, purpose: passwordResetTokens.purpose })
      .from(passwordResetTokens)
      .innerJoin(users, eq(users.id, passwordResetTokens.userId))
      .where(
        and(
          eq(passwordResetTokens.tokenHash, hashToken(token)),
          isNull(passwordResetTokens.usedAt),
          gt(passwordResetTokens.expiresAt, now()),
          isNull(users.disabledAt),
        ),
      ).limit(1));
    if (!row) return null;
    await tx.update(passwordResetTokens).set({ usedAt: now() }).where(eq(passwordResetTokens.id, row.id));
    // any other outstanding links of this user stop working too
    await tx.update(passwordResetTokens)
      .set({ usedAt: now() })
      .where(and(eq(passwordResetTokens.userId, row.userId), isNull(passwordResetTokens.usedAt)));
    await tx.update(users).set({ passwordHash }).where(eq(users.id, row.userId));
    const tokensRevoked = await revokeAllApiTokensIn(tx, row.userId);
    await recordAudit(tx, {
      userId: row.userId,
      ip,
      action: row.purpose === "reset" ? "password_reset.complete" : "invitation.accept",
      entityType: "user",
      entityId: row.userId,
      ...(tokensRevoked > 0 ? { details: { apiTokensRevoked: tokensRevoked } } : {}),
    });
    return row.userId;
  }, { behavior: "immediate" });
  if (userId) await endAllSessions(userId);
  return userId;
}

// ——— administration of accounts (admins only) ———

function requireAdmin(actor: Actor) {
  if (actor.user.role !== "admin") throw forbidden();
}

/** Which organisation kinds a role may be linked to; partner and donor accounts must be linked. */
const LINK_RULES: Partial<Record<Role, { kinds: OrganisationKind[]; required: boolean }>> = {
  partner: { kinds: ["government_partner", "other", "media"], required: true },
  donor: { kinds: ["donor"], required: true },
  participant: { kinds: ["government_partner", "media", "other", "implementing_office"], required: false },
  facilitator: { kinds: ["implementing_office", "government_partner", "other"], required: false },
  coordinator: { kinds: ["implementing_office"], required: false },
};

async function checkOrganisationLink(role: Role, organisationId: number | null) {
  const rule = LINK_RULES[role];
  if (!rule) return null; // admins are not linked
  if (organisationId === null) {
    if (rule.required) throw new AccountError("organisationId", role === "donor" ? "admin.users.errors.donorNeedsOrg" : "admin.users.errors.partnerNeedsOrg");
    return null;
  }
  const org = firstRow(await getDb().select({ kind: organisations.kind }).from(organisations).where(eq(organisations.id, organisationId)).limit(1));
  if (!org) throw new AccountError("organisationId", "errors.choice");
  if (!rule.kinds.includes(org.kind)) throw new AccountError("organisationId", "admin.users.errors.wrongOrgKind");
  return organisationId;
}

export async function listUsers(actor: Actor) {
  requireAdmin(actor);
  return (await getDb()
    .select({
      id: users.id,
      name: users.name,
      email: users.email,
      role: users.role,
      organisationName: organisations.name,
      disabledAt: users.disabledAt,
      lastLoginAt: users.lastLoginAt,
      hasPassword: users.passwordHash,
    })
    .from(users)
    .leftJoin(organisations, eq(organisations.id, users.organisationId))
    .orderBy(asc(users.name)))
    .map(({ hasPassword, ...u }) => ({ ...u, invitationPending: hasPassword === null }));
}

export async function getUserForAdmin(actor: Actor, userId: string) {
  requireAdmin(actor);
  const user = firstRow(await getDb()
    .select({
      id: users.id,
      name: users.name,
      email: users.email,
      role: users.role,
      organisationId: users.organisationId,
      disabledAt: users.disabledAt,
      lastLoginAt: users.lastLoginAt,
      createdAt: users.createdAt,
    })
    .from(users)
    .where(eq(users.id, userId)).limit(1));
  if (!user) throw notFound();
  const activeSessions = firstRow(await getDb().select({ n: count() }).from(authSessions).where(eq(authSessions.userId, userId)).limit(1))?.n ?? 0;
  return { ...user, activeSessions };
}

export async function organisationsForLinking(currentId?: number | null) {
  const choices = await organisationChoices("all");
  // too many to list: the form searches, and shows the account's organisation until another is chosen
  return { choices, current: choices ? null : (await organisationChoice("all", currentId)) };
}

/** Invite someone: an account without a password and an emailed link (7 days) to choose one. */
export async function inviteUser(
  actor: Actor,
  input: { name: string; email: string; role: Role; organisationId: number | null; locale: Locale },
  appUrl: string,
) {
  requireAdmin(actor);
  const organisationId = await checkOrganisationLink(input.role, input.organisationId);
  const db = getDb();
  return await db.transaction(async (tx) => {
    const taken = firstRow(await tx.select({ id: users.id }).from(users).where(eq(users.email, input.email)).limit(1));
    if (taken) throw new AccountError("email", "admin.users.errors.emailTaken");
    const id = newUserId();
    await tx.insert(users)
      .values({ id, email: input.email, name: input.name, role: input.role, organisationId, locale: input.locale });
    const token = await issueToken(tx, id, "invite");
    const { t, lang, dir } = translatorFor(input.locale);
    const content = accountLinkEmail(
      {
        purpose: "invite",
        name: input.name,
        url: `${appUrl}/reset-password/${token}`,
        validFor: t("email.sevenDays"),
        invitedBy: actor.user.name,
        role: t(`roles.${input.role}`),
      },
      t,
      { lang, dir },
    );
    await enqueueEmail(tx, { ...content, kind: "invitation", to: input.email, userId: id });
    await recordAudit(tx, { userId: actor.user.id, ip: actor.ip, action: "user.invite", entityType: "user", entityId: id, details: { role: input.role, organisationId } });
    return id;
  }, { behavior: "immediate" });
}

/** Change a user's name, role or organisation. A change of role or organisation ends their sessions. */
export async function updateUser(
  actor: Actor,
  userId: string,
  input: { name: string; role: Role; organisationId: number | null },
) {
  requireAdmin(actor);
  if (userId === actor.user.id && input.role !== "admin") {
    throw new AccountError("role", "admin.users.errors.cannotDemoteSelf");
  }
  // what the change is measured against is read in the same (IMMEDIATE) transaction as the write
  const { before, organisationId } = await getDb().transaction(async (tx) => {
    const before = await getUserForAdmin(actor, userId);
    const organisationId = await checkOrganisationLink(input.role, input.organisationId);
    await tx.update(users).set({ name: input.name, role: input.role, organisationId }).where(eq(users.id, userId));
    await recordAudit(tx, {
      userId: actor.user.id,
      ip: actor.ip,
      action: "user.update",
      entityType: "user",
      entityId: userId,
      details: { from: { role: before.role, organisationId: before.organisationId }, to: { role: input.role, organisationId } },
    });
    return { before, organisationId };
  }, { behavior: "immediate" });
  if (before.role !== input.role || before.organisationId !== organisationId) await endAllSessions(userId);
}

/** Disable (ends every session at once) or re-enable an account. */
export async function setUserDisabled(actor: Actor, userId: string, disabled: boolean) {
  requireAdmin(actor);
  if (userId === actor.user.id) throw new AccountError("form", "admin.users.errors.cannotDisableSelf");
  await getDb().transaction(async (tx) => {
    await getUserForAdmin(actor, userId);
    await tx.update(users).set({ disabledAt: disabled ? now() : null }).where(eq(users.id, userId));
    await recordAudit(tx, { userId: actor.user.id, ip: actor.ip, action: disabled ? "user.disable" : "user.enable", entityType: "user", entityId: userId });
  }, { behavior: "immediate" });
  if (disabled) await endAllSessions(userId);
}

/** Send a fresh invitation link to a user who has not set a password yet. */
export async function resendInvitation(actor: Actor, userId: string, appUrl: string) {
  requireAdmin(actor);
  await getDb().transaction(async (tx) => {
    const user = firstRow(await tx
      .select({ id: users.id, name: users.name, email: users.email, passwordHash: users.passwordHash, role: users.role, locale: users.locale })
      .from(users)
      .where(eq(users.id, userId)).limit(1));
    if (!user) throw notFound();
    if (user.passwordHash) throw new AccountError("form", "admin.users.errors.alreadyActive");
    const token = await issueToken(tx, user.id, "invite");
    const { t, lang, dir } = translatorFor(user.locale);
    const content = accountLinkEmail(
      { purpose: "invite", name: user.name, url: `${appUrl}/reset-password/${token}`, validFor: t("email.sevenDays"), invitedBy: actor.user.name, role: t(`roles.${user.role}`) },
      t,
      { lang, dir },
    );
    await enqueueEmail(tx, { ...content, kind: "invitation", to: user.email, userId: user.id });
    await recordAudit(tx, { userId: actor.user.id, ip: actor.ip, action: "user.invite_resend", entityType: "user", entityId: user.id });
  }, { behavior: "immediate" });
}

/** A user's own choice of language (used for pages, emails and certificates sent to them). */
export async function setOwnLocale(userId: string, locale: Locale) {
  await getDb().update(users).set({ locale }).where(eq(users.id, userId));
}

/**
 * Inside a registration: give the person a participant account, invited by email (a link to choose
 * a password, valid seven days). Returns the account's id, or the existing account when the
 * email already has one.
 */
export async function inviteParticipantInTransaction(
  tx: Tx,
  input: { email: string; name: string; organisationId: number | null; locale: Locale; invitedBy: string },
  appUrl: string,
): Promise<{ userId: string; created: boolean }> {
  const existing = firstRow(await tx.select({ id: users.id }).from(users).where(eq(users.email, input.email)).limit(1));
  if (existing) return { userId: existing.id, created: false };
  const id = newUserId();
  await tx.insert(users)
    .values({ id, email: input.email, name: input.name, role: "participant", organisationId: input.organisationId, locale: input.locale });
  const token = await issueToken(tx, id, "invite");
  const { t, lang, dir } = translatorFor(input.locale);
  const content = accountLinkEmail(
    { purpose: "invite", name: input.name, url: `${appUrl}/reset-password/${token}`, validFor: t("email.sevenDays"), invitedBy: input.invitedBy, role: t("roles.participant") },
    t,
    { lang, dir },
  );
  await enqueueEmail(tx, { ...content, kind: "invitation", to: input.email, userId: id });
  return { userId: id, created: true };
}

// ——— one's own account (/account): every signed-in user ———

/** Sessions of a user that still work now (neither idle nor past their absolute limit). */
async function countLiveSessions(userId: string) {
  const at = nowMs();
  return (
    firstRow(await getDb()
      .select({ n: count() })
      .from(authSessions)
      .where(
        and(
          eq(authSessions.userId, userId),
          // lucia keeps `expires_at` in UNIX seconds, `absolute_expires_at` is milliseconds
          gt(authSessions.expiresAt, Math.floor(at / 1000)),
          gt(authSessions.absoluteExpiresAt, at),
        ),
      ).limit(1))?.n ?? 0
  );
}

/** A session still alive at `at` (lucia keeps `expires_at` in UNIX seconds, `absolute_expires_at` in ms). */
function liveSession(at: number) {
  return and(gt(authSessions.expiresAt, Math.floor(at / 1000)), gt(authSessions.absoluteExpiresAt, at));
}

/** A session as /account lists it; `handle` is the stored (hashed) id, never the cookie's. */
export type OwnSession = {
  handle: string;
  browser: string | null;
  os: string | null;
  mobile: boolean;
  ip: string | null;
  createdAt: number;
  lastUsedAt: number | null;
  current: boolean;
};

/** The browser and system a User-Agent names (bowser), or nulls when it names none. */
function deviceOf(userAgent: string | null) {
  if (!userAgent) return { browser: null, os: null, mobile: false };
  const parsed = Bowser.parse(userAgent);
  const browser = parsed.browser.name ? `${parsed.browser.name}${parsed.browser.version ? ` ${parsed.browser.version.split(".")[0]}` : ""}` : null;
  const os = parsed.os.name ? `${parsed.os.name}${parsed.os.versionName ? ` ${parsed.os.versionName}` : parsed.os.version ? ` ${parsed.os.version}` : ""}` : null;
  return { browser, os, mobile: parsed.platform.type === "mobile" || parsed.platform.type === "tablet" };
}

/** The signed-in user's live sessions, the current one first, then the most recently used. */
export async function listOwnSessions(actor: Actor, currentSessionId: string): Promise<OwnSession[]> {
  const current = storedSessionId(currentSessionId);
  const rows = await getDb()
    .select({ id: authSessions.id, userAgent: authSessions.userAgent, ip: authSessions.ip, createdAt: authSessions.createdAt, lastUsedAt: authSessions.lastUsedAt })
    .from(authSessions)
    .where(and(eq(authSessions.userId, actor.user.id), liveSession(nowMs())))
    .orderBy(desc(authSessions.lastUsedAt), desc(authSessions.createdAt))
    .limit(100);
  return rows
    .map((row) => ({
      handle: row.id,
      ...deviceOf(row.userAgent),
      ip: row.ip,
      createdAt: Number(row.createdAt),
      lastUsedAt: row.lastUsedAt === null ? null : Number(row.lastUsedAt),
      current: row.id === current,
    }))
    .sort((a, b) => Number(b.current) - Number(a.current));
}

/**
 * End one of the user's own sessions, by its handle (listOwnSessions). Someone else's session, or
 * one already gone, ends nothing and is answered as not found. The current session is ended by
 * signing out, not here.
 */
export async function endOwnSession(actor: Actor, handle: string, currentSessionId: string) {
  if (handle === storedSessionId(currentSessionId)) throw new AccountError("form", "account.sessions.notCurrent");
  const db = getDb();
  const ended = await db.transaction(async (tx) => {
    const gone = changedRows(await tx.delete(authSessions).where(and(eq(authSessions.id, handle), eq(authSessions.userId, actor.user.id))));
    if (gone === 0) return false;
    await recordAudit(tx, { userId: actor.user.id, ip: actor.ip, action: "account.session_end", entityType: "user", entityId: actor.user.id, details: { sessionsEnded: 1 } });
    return true;
  });
  if (!ended) throw notFound();
}

/** End every other session of the user: the one making the request stays. Returns how many ended. */
export async function endOtherSessions(actor: Actor, currentSessionId: string): Promise<number> {
  return await getDb().transaction(async (tx) => {
    const gone = changedRows(await tx
      .delete(authSessions)
      .where(and(eq(authSessions.userId, actor.user.id), ne(authSessions.id, storedSessionId(currentSessionId)))));
    await recordAudit(tx, { userId: actor.user.id, ip: actor.ip, action: "account.sessions_end_others", entityType: "user", entityId: actor.user.id, details: { sessionsEnded: gone } });
    return gone;
  });
}

/** An admin ends every session of a user (a lost phone, a suspected takeover), audited. */
export async function endUserSessions(actor: Actor, userId: string): Promise<number> {
  requireAdmin(actor);
  return await getDb().transaction(async (tx) => {
    await getUserForAdmin(actor, userId);
    const gone = changedRows(await tx.delete(authSessions).where(eq(authSessions.userId, userId)));
    await recordAudit(tx, { userId: actor.user.id, ip: actor.ip, action: "user.sessions_end", entityType: "user", entityId: userId, details: { sessionsEnded: gone } });
    return gone;
  });
}

/** What /account shows the signed-in user about themselves (never the password hash). */
export async function getOwnAccount(actor: Actor) {
  const account = firstRow(await getDb()
    .select({
      id: users.id,
      name: users.name,
      email: users.email,
      role: users.role,
      organisationName: organisations.name,
      locale: users.locale,
      lastLoginAt: users.lastLoginAt,
      createdAt: users.createdAt,
    })
    .from(users)
    .leftJoin(organisations, eq(organisations.id, users.organisationId))
    .where(eq(users.id, actor.user.id)).limit(1));
  if (!account) throw notFound();
  return { ...account, activeSessions: await countLiveSessions(actor.user.id) };
}

/**
 * Change one's own password. The current password is required (a borrowed or stolen session is
 * not enough), and a code of the second factor where the user has one; the new one replaces it only if nobody changed it meanwhile; outstanding reset
 * links stop working; and every session of the user ends, the one making the change included.
 * Returns the account so that the caller can start a new session for it.
 */
export async function changePassword(
  actor: Actor,
  input: { currentPassword: string; newPassword: string; code?: string },
): Promise<{ id: string; role: Role }> {
  const userId = actor.user.id;
  const db = getDb();
  const row = firstRow(await db
    .select({ passwordHash: users.passwordHash, role: users.role, disabledAt: users.disabledAt })
    .from(users)
    .where(eq(users.id, userId)).limit(1));
  if (!row || row.disabledAt) throw forbidden();
  const valid = row.passwordHash
    ? await verifyPassword(row.passwordHash, input.currentPassword)
    : await verifyAgainstDummy(input.currentPassword);
  if (!valid || !row.passwordHash) {
    await recordAudit(db, {
      userId,
      ip: actor.ip,
      action: "account.password_change_failure",
      entityType: "user",
      entityId: userId,
      details: { reason: "wrong_current_password" },
    });
    throw new AccountError("currentPassword", "account.errors.currentPasswordWrong");
  }
  if (await verifyPassword(row.passwordHash, input.newPassword)) {
    throw new AccountError("newPassword", "account.errors.samePassword");
  }
  await requireStrongPassword("newPassword", input.newPassword, [actor.user.name, actor.user.email]);
  // last of the checks: a right code is used up
  await requireSecondFactorCode(actor, input.code, "password_change");
  const passwordHash = await hashPassword(input.newPassword);
  const sessionsEnded = await countLiveSessions(userId);
  const changed = await db.transaction(
    async (tx) => {
      // compare-and-set: a password changed since it was checked above is not overwritten
      const updated = changedRows(await tx
        .update(users)
        .set({ passwordHash })
        .where(and(eq(users.id, userId), eq(users.passwordHash, row.passwordHash!), isNull(users.disabledAt))));
      if (updated === 0) return false;
      await tx.update(passwordResetTokens)
        .set({ usedAt: now() })
        .where(and(eq(passwordResetTokens.userId, userId), isNull(passwordResetTokens.usedAt)));
      const apiTokensRevoked = await revokeAllApiTokensIn(tx, userId);
      await recordAudit(tx, {
        userId,
        ip: actor.ip,
        action: "account.password_change",
        entityType: "user",
        entityId: userId,
        details: { sessionsEnded, ...(apiTokensRevoked > 0 ? { apiTokensRevoked } : {}) },
      });
      return true;
    },
    { behavior: "immediate" },
  );
  if (!changed) throw new AccountError("currentPassword", "account.errors.currentPasswordWrong");
  await endAllSessions(userId);
  return { id: userId, role: row.role };
}

/** "Sign out everywhere": every session of the user ends, this one included. */
export async function signOutEverywhere(actor: Actor) {
  const userId = actor.user.id;
  await recordAudit(getDb(), {
    userId,
    ip: actor.ip,
    action: "account.sign_out_everywhere",
    entityType: "user",
    entityId: userId,
    details: { sessionsEnded: await countLiveSessions(userId) },
  });
  await endAllSessions(userId);
}
