import { and, count, eq, isNotNull, isNull, lt, ne, or } from "drizzle-orm";
import { changedRows, firstRow, getDb, type DB, type Tx } from "../../db/client";
import { appSettings, authSessions, recoveryCodes, secondFactors, users } from "../../db/schema";
import { setSessionRestriction, storedSessionId } from "~/auth/lucia.server";
import { passwordProblem } from "~/auth/password-strength.server";
import { verifyAgainstDummy, verifyPassword } from "~/auth/password.server";
import { startLoginAttempt, startSecondFactorAttempt, tooManyRequests } from "~/auth/rate-limit.server";
import {
  decryptSecret,
  encryptSecret,
  hashRecoveryCode,
  matchingStep,
  newRecoveryCodes,
  newTotpSecret,
  normaliseRecoveryCode,
  readPendingSignIn,
  signPendingSignIn,
  totpKeyUri,
  PENDING_SIGN_IN_MS,
  type PendingSignIn,
} from "~/auth/second-factor.server";
import { endAllSessions, forbidden, notFound, type Actor } from "~/auth/session.server";
import { now, nowMs } from "~/lib/clock";
import type { Role, SessionRestriction } from "~/lib/domain";
import { AccountError } from "./accounts.server";
import { revokeAllApiTokensIn } from "./api-tokens.server";
import { recordAudit } from "./audit.server";

/**
 * Two-factor sign-in with an authenticator app: enrolment and removal by the user (after proving
 * who they are again), the code step of sign-in, recovery codes, and an administrator's reset.
 */

/** Administrators and coordinators can read everyone's personal data: a second factor is required of them. */
export const SECOND_FACTOR_REQUIRED: readonly Role[] = ["admin", "coordinator"];

export function secondFactorRequired(role: Role) {
  return SECOND_FACTOR_REQUIRED.includes(role);
}

type Reader = Pick<DB, "select">;

/** Whether the user has a confirmed second factor. */
export async function hasSecondFactor(userId: string, db: Reader = getDb()): Promise<boolean> {
  const row = firstRow(await db
    .select({ userId: secondFactors.userId })
    .from(secondFactors)
    .where(and(eq(secondFactors.userId, userId), isNotNull(secondFactors.confirmedAt)))
    .limit(1));
  return Boolean(row);
}

/**
 * What a session made by a sign-in must do before it is a full one: change a password the policy
 * now refuses, else enrol a second factor when the role requires one and the user has none.
 */
export async function restrictionAtSignIn(user: { id: string; role: Role }, passwordRefused: boolean): Promise<SessionRestriction | null> {
  if (passwordRefused) return "password_change";
  if (secondFactorRequired(user.role) && !(await hasSecondFactor(user.id))) return "second_factor_enrolment";
  return null;
}

// ——— the password policy at sign-in ———

/**
 * The password of the demo accounts (db/seed/demo.ts), which the policy refuses. On an installation
 * holding the demo data (the seed marks it in app_settings, `npm start` never does) signing in with
 * it is not sent to change it: the demo's accounts must keep working with the password the README
 * prints. Any other refused password, there too, must be changed.
 */
export const DEMO_PASSWORD = "demo-password";
export const DEMO_DATA_SETTING = "demo_data";

async function holdsDemoData(): Promise<boolean> {
  return Boolean(firstRow(await getDb().select({ key: appSettings.key }).from(appSettings).where(eq(appSettings.key, DEMO_DATA_SETTING)).limit(1)));
}

/**
 * At sign-in, with the password just typed (the only time Convene sees it): would the policy refuse
 * it today? Then the new session must change it before anything else.
 */
export async function passwordRefusedAtSignIn(user: { name: string; email: string }, password: string): Promise<boolean> {
  if ((await passwordProblem(password, [user.name, user.email])) === null) return false;
  return !(password === DEMO_PASSWORD && (await holdsDemoData()));
}

// ——— codes ———

export type CodeContext = "sign_in" | "password_change" | "enrolment" | "removal";

/**
 * Accept a code of the user's second factor, once: a code of their authenticator app (its time
 * step must be later than the last one accepted, so the same code, or an older one, never works
 * twice), or one of their unused recovery codes (used up here). Returns how it was proven, or null.
 * Every refusal and every recovery code used is in the audit log.
 */
async function acceptCode(userId: string, code: string, ip: string | null, context: CodeContext): Promise<"totp" | "recovery_code" | null> {
  const db = getDb();
  const row = firstRow(await db
    .select({ secret: secondFactors.secret, confirmedAt: secondFactors.confirmedAt })
    .from(secondFactors)
    .where(eq(secondFactors.userId, userId))
    .limit(1));
  if (!row?.confirmedAt) return null;
  const typed = code.replace(/\s/g, "");
  let reason = "wrong";
  if (/^\d+$/.test(typed)) {
    const step = matchingStep(await decryptSecret(db, userId, row.secret), typed, nowMs());
    if (step !== null) {
      // compare-and-set: of two requests with the same code, one wins
      const updated = changedRows(await db
        .update(secondFactors)
        .set({ lastUsedStep: step })
        .where(and(eq(secondFactors.userId, userId), or(isNull(secondFactors.lastUsedStep), lt(secondFactors.lastUsedStep, step)))));
      if (updated === 1) return "totp";
      reason = "already_used";
    }
  } else {
    const normalised = normaliseRecoveryCode(typed);
    if (normalised) {
      const used = await db.transaction(async (tx) => {
        const gone = changedRows(await tx
          .update(recoveryCodes)
          .set({ usedAt: now() })
          .where(and(eq(recoveryCodes.userId, userId), eq(recoveryCodes.codeHash, hashRecoveryCode(normalised)), isNull(recoveryCodes.usedAt))));
        if (gone === 0) return false;
        await recordAudit(tx, {
          userId,
          ip,
          action: "second_factor.recovery_code_use",
          entityType: "user",
          entityId: userId,
          details: { context, recoveryCodesLeft: await unusedRecoveryCodes(tx, userId) },
        });
        return true;
      });
      if (used) return "recovery_code";
    }
  }
  await recordAudit(db, { userId, ip, action: "second_factor.failure", entityType: "user", entityId: userId, details: { context, reason } });
  return null;
}

async function unusedRecoveryCodes(db: Reader, userId: string): Promise<number> {
  return firstRow(await db
    .select({ n: count() })
    .from(recoveryCodes)
    .where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt)))
    .limit(1))?.n ?? 0;
}

/**
 * Before a sensitive change by a user who has a second factor: a code of it (or a recovery code),
 * wrong ones slowing down like wrong passwords. Throws AccountError on `code`, or a 429.
 * Call it after every other check of the change, as it uses the code up.
 */
export async function requireSecondFactorCode(actor: Actor, code: string | undefined, context: CodeContext) {
  if (!(await hasSecondFactor(actor.user.id))) return;
  if (!code?.trim()) throw new AccountError("code", "twoFactor.errors.codeRequired");
  const attempt = await startSecondFactorAttempt(actor.user.id);
  if (!attempt.allowed) throw tooManyRequests(attempt.retryAfterSeconds);
  if (!(await acceptCode(actor.user.id, code, actor.ip, context))) throw new AccountError("code", "twoFactor.errors.codeWrong");
  await attempt.succeeded();
}

/**
 * The user proves who they are again before changing their second factor: their password, counted
 * like a sign-in attempt from this address (a 429 past the limit). Throws AccountError on
 * `currentPassword` when it is wrong.
 */
async function requireCurrentPassword(actor: Actor, password: string, context: CodeContext) {
  const attempt = await startLoginAttempt(actor.user.email, actor.ip);
  if (!attempt.allowed) throw tooManyRequests(attempt.retryAfterSeconds);
  const row = firstRow(await getDb().select({ passwordHash: users.passwordHash, disabledAt: users.disabledAt }).from(users).where(eq(users.id, actor.user.id)).limit(1));
  if (!row || row.disabledAt) throw forbidden();
  const valid = row.passwordHash ? await verifyPassword(row.passwordHash, password) : await verifyAgainstDummy(password);
  if (!valid) {
    await recordAudit(getDb(), {
      userId: actor.user.id,
      ip: actor.ip,
      action: "account.reauthentication_failure",
      entityType: "user",
      entityId: actor.user.id,
      details: { context },
    });
    throw new AccountError("currentPassword", "account.errors.currentPasswordWrong");
  }
  await attempt.succeeded();
}

// ——— one's own second factor (/account/two-factor) ———

export type OwnSecondFactor = {
  enrolled: boolean;
  confirmedAt: Date | null;
  recoveryCodesLeft: number;
  required: boolean;
  /** while enrolling: the secret to add to the app (never once enrolment is confirmed) */
  pending: { uri: string; base32: string } | null;
};

export async function ownSecondFactor(actor: Actor): Promise<OwnSecondFactor> {
  const db = getDb();
  const row = firstRow(await db
    .select({ secret: secondFactors.secret, confirmedAt: secondFactors.confirmedAt })
    .from(secondFactors)
    .where(eq(secondFactors.userId, actor.user.id))
    .limit(1));
  const enrolled = Boolean(row?.confirmedAt);
  return {
    enrolled,
    confirmedAt: row?.confirmedAt ?? null,
    recoveryCodesLeft: enrolled ? await unusedRecoveryCodes(db, actor.user.id) : 0,
    required: secondFactorRequired(actor.user.role),
    pending: row && !enrolled ? totpKeyUri(actor.user.email, await decryptSecret(db, actor.user.id, row.secret)) : null,
  };
}

/** Begin enrolling: a new secret, waiting for its first code (replaces one that was waiting). */
export async function startEnrolment(actor: Actor) {
  const db = getDb();
  const secret = await encryptSecret(db, actor.user.id, newTotpSecret());
  await db.transaction(async (tx) => {
    if (await hasSecondFactor(actor.user.id, tx)) throw new AccountError("form", "twoFactor.errors.alreadyEnrolled");
    await tx.delete(secondFactors).where(eq(secondFactors.userId, actor.user.id));
    await tx.insert(secondFactors).values({ userId: actor.user.id, secret });
  }, { behavior: "immediate" });
}

/**
 * Confirm enrolment with the password and a first code of the app. The factor is then on, ten new
 * recovery codes are made (returned once: only their hashes are kept), every other session of the
 * user ends, and this one is no longer restricted to enrolment. Returns the recovery codes.
 */
export async function confirmEnrolment(actor: Actor, input: { currentPassword: string; code: string }, currentSessionId: string): Promise<string[]> {
  const db = getDb();
  const pending = firstRow(await db
    .select({ secret: secondFactors.secret, confirmedAt: secondFactors.confirmedAt })
    .from(secondFactors)
    .where(eq(secondFactors.userId, actor.user.id))
    .limit(1));
  if (!pending) throw new AccountError("form", "twoFactor.errors.notStarted");
  if (pending.confirmedAt) throw new AccountError("form", "twoFactor.errors.alreadyEnrolled");
  await requireCurrentPassword(actor, input.currentPassword, "enrolment");
  const attempt = await startSecondFactorAttempt(actor.user.id);
  if (!attempt.allowed) throw tooManyRequests(attempt.retryAfterSeconds);
  const step = matchingStep(await decryptSecret(db, actor.user.id, pending.secret), input.code.replace(/\s/g, ""), nowMs());
  if (step === null) {
    await recordAudit(db, { userId: actor.user.id, ip: actor.ip, action: "second_factor.failure", entityType: "user", entityId: actor.user.id, details: { context: "enrolment", reason: "wrong" } });
    throw new AccountError("code", "twoFactor.errors.codeWrong");
  }
  await attempt.succeeded();
  const codes = newRecoveryCodes();
  const confirmed = await db.transaction(async (tx) => {
    const updated = changedRows(await tx
      .update(secondFactors)
      .set({ confirmedAt: now(), lastUsedStep: step })
      .where(and(eq(secondFactors.userId, actor.user.id), isNull(secondFactors.confirmedAt), eq(secondFactors.secret, pending.secret))));
    if (updated === 0) return false;
    await replaceRecoveryCodes(tx, actor.user.id, codes);
    const ended = await endOtherSessionsIn(tx, actor.user.id, currentSessionId);
    await recordAudit(tx, { userId: actor.user.id, ip: actor.ip, action: "second_factor.enrol", entityType: "user", entityId: actor.user.id, details: { sessionsEnded: ended } });
    return true;
  }, { behavior: "immediate" });
  if (!confirmed) throw new AccountError("form", "twoFactor.errors.notStarted");
  await setSessionRestriction(currentSessionId, null);
  return codes;
}

async function replaceRecoveryCodes(tx: Tx, userId: string, codes: string[]) {
  await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
  await tx.insert(recoveryCodes).values(codes.map((code) => ({ userId, codeHash: hashRecoveryCode(normaliseRecoveryCode(code)!) })));
}

async function endOtherSessionsIn(tx: Tx, userId: string, currentSessionId: string) {
  return changedRows(await tx.delete(authSessions).where(and(eq(authSessions.userId, userId), ne(authSessions.id, storedSessionId(currentSessionId)))));
}

/**
 * Ten new recovery codes (the old ones stop working), after the password and a code. Returns them
 * (shown once). Every other session ends.
 */
export async function renewRecoveryCodes(actor: Actor, input: { currentPassword: string; code: string }, currentSessionId: string): Promise<string[]> {
  if (!(await hasSecondFactor(actor.user.id))) throw new AccountError("form", "twoFactor.errors.notEnrolled");
  await requireCurrentPassword(actor, input.currentPassword, "removal");
  await requireSecondFactorCode(actor, input.code, "removal");
  const codes = newRecoveryCodes();
  await getDb().transaction(async (tx) => {
    await replaceRecoveryCodes(tx, actor.user.id, codes);
    const ended = await endOtherSessionsIn(tx, actor.user.id, currentSessionId);
    await recordAudit(tx, { userId: actor.user.id, ip: actor.ip, action: "second_factor.recovery_codes_renew", entityType: "user", entityId: actor.user.id, details: { sessionsEnded: ended } });
  }, { behavior: "immediate" });
  return codes;
}

/**
 * Turn one's second factor off, after the password and a code (or a recovery code). Every other
 * session ends; for a role that requires a second factor this session is restricted to enrolling
 * a new one (that is how an administrator replaces a lost phone's app with a new one).
 */
export async function removeOwnSecondFactor(actor: Actor, input: { currentPassword: string; code: string }, currentSessionId: string) {
  if (!(await hasSecondFactor(actor.user.id))) throw new AccountError("form", "twoFactor.errors.notEnrolled");
  await requireCurrentPassword(actor, input.currentPassword, "removal");
  await requireSecondFactorCode(actor, input.code, "removal");
  await getDb().transaction(async (tx) => {
    await tx.delete(secondFactors).where(eq(secondFactors.userId, actor.user.id));
    await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, actor.user.id));
    const ended = await endOtherSessionsIn(tx, actor.user.id, currentSessionId);
    await recordAudit(tx, { userId: actor.user.id, ip: actor.ip, action: "second_factor.remove", entityType: "user", entityId: actor.user.id, details: { sessionsEnded: ended } });
  }, { behavior: "immediate" });
  if (secondFactorRequired(actor.user.role)) await setSessionRestriction(currentSessionId, "second_factor_enrolment");
}

// ——— sign-in ———

/** The signed cookie value of a sign-in whose password was right, waiting for its code. */
export async function pendingSignInValue(input: Omit<PendingSignIn, "expiresAt">): Promise<string> {
  return await signPendingSignIn(getDb(), { ...input, expiresAt: nowMs() + PENDING_SIGN_IN_MS });
}

export async function readPendingSignInValue(value: unknown): Promise<PendingSignIn | null> {
  return await readPendingSignIn(getDb(), value, nowMs());
}

export type SecondFactorSignIn =
  | { ok: true; user: { id: string; role: Role } }
  | { ok: false; reason: "wrong" | "gone" };

/**
 * The code step of a sign-in: the code of the app (once) or a recovery code. A right code records
 * the sign-in; a wrong one is in the audit log. "gone": the account was disabled or lost its second
 * factor meanwhile (an administrator's reset): the sign-in starts again.
 */
export async function completeSignIn(pending: PendingSignIn, code: string, ip: string | null): Promise<SecondFactorSignIn> {
  const db = getDb();
  const user = firstRow(await db.select({ id: users.id, role: users.role, disabledAt: users.disabledAt }).from(users).where(eq(users.id, pending.userId)).limit(1));
  if (!user || user.disabledAt || !(await hasSecondFactor(user.id))) return { ok: false, reason: "gone" };
  const how = await acceptCode(user.id, code, ip, "sign_in");
  if (!how) return { ok: false, reason: "wrong" };
  await db.update(users).set({ lastLoginAt: now() }).where(eq(users.id, user.id));
  await recordAudit(db, { userId: user.id, ip, action: "login.success", entityType: "user", entityId: user.id, details: { secondFactor: how } });
  return { ok: true, user: { id: user.id, role: user.role } };
}

// ——— administration ———

/** Whether a user has a second factor and how many recovery codes are left (the admin's user page). */
export async function secondFactorForAdmin(actor: Actor, userId: string) {
  if (actor.user.role !== "admin") throw forbidden();
  const db = getDb();
  const enrolled = await hasSecondFactor(userId, db);
  return { enrolled, recoveryCodesLeft: enrolled ? await unusedRecoveryCodes(db, userId) : 0 };
}

/**
 * An administrator resets a user's second factor (a lost phone and lost recovery codes): it is
 * removed and every session of the user ends, so their next sign-in takes the password only — and
 * sends an administrator or coordinator to enrol a new one at once. Audited.
 */
export async function resetSecondFactor(actor: Actor, userId: string) {
  if (actor.user.role !== "admin") throw forbidden();
  // one's own is changed on one's own page, after the password and a code
  if (userId === actor.user.id) throw new AccountError("form", "admin.users.errors.resetOwnSecondFactor");
  const db = getDb();
  const target = firstRow(await db.select({ id: users.id }).from(users).where(eq(users.id, userId)).limit(1));
  if (!target) throw notFound();
  const removed = await db.transaction(async (tx) => {
    const gone = changedRows(await tx.delete(secondFactors).where(eq(secondFactors.userId, userId)));
    await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
    const ended = changedRows(await tx.delete(authSessions).where(eq(authSessions.userId, userId)));
    const apiTokensRevoked = await revokeAllApiTokensIn(tx, userId);
    await recordAudit(tx, { userId: actor.user.id, ip: actor.ip, action: "second_factor.admin_reset", entityType: "user", entityId: userId, details: { hadSecondFactor: gone > 0, sessionsEnded: ended, ...(apiTokensRevoked > 0 ? { apiTokensRevoked } : {}) } });
    return gone > 0;
  }, { behavior: "immediate" });
  await endAllSessions(userId);
  return removed;
}
