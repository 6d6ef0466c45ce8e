import crypto from "node:crypto";
import { eq } from "drizzle-orm";
import { getDb, type DB } from "../../db/client";
import { appSettings, users } from "../../db/schema";
import { forbidden, type Actor } from "~/auth/session.server";
import { recordAudit } from "./audit.server";

/**
 * Which emails a person receives. Account and essential emails (invitations, password resets,
 * registration status, timetable changes) are always sent; reminder emails (event reminders,
 * action-plan check-ins) can be turned off, by the signed-in user on /email-preferences or by
 * anyone holding the link at the foot of a reminder:
 *   /email-preferences?u=<userId>&t=<token>, token = HMAC-SHA256(installation secret, "email-preferences:<userId>")
 * The secret lives in app_settings ("email_preferences_secret"), created on first use. The link
 * never expires (it only ever reaches this one setting of this one account) and works without
 * signing in; changing the setting still takes a POST.
 */

const SECRET_KEY = "email_preferences_secret";

type Store = Pick<DB, "select" | "insert">;

function readSecret(db: Pick<DB, "select">): Buffer | null {
  const row = db.select({ value: appSettings.value }).from(appSettings).where(eq(appSettings.key, SECRET_KEY)).get();
  return row ? Buffer.from(row.value, "hex") : null;
}

/** The installation's secret for preference links: 32 random bytes, created once (race-safe). */
function preferencesSecret(db: Store): Buffer {
  const existing = readSecret(db);
  if (existing) return existing;
  db.insert(appSettings).values({ key: SECRET_KEY, value: crypto.randomBytes(32).toString("hex") }).onConflictDoNothing().run();
  const created = readSecret(db);
  if (!created) throw new Error("email preferences secret missing from app_settings");
  return created;
}

function tokenWith(secret: Buffer, userId: string) {
  return crypto.createHmac("sha256", secret).update(`email-preferences:${userId}`).digest("base64url");
}

export function preferencesToken(db: Store, userId: string): string {
  return tokenWith(preferencesSecret(db), userId);
}

/** The link at the foot of every non-essential email. */
export function preferencesLink(db: Store, appUrl: string, userId: string): string {
  return `${appUrl}/email-preferences?${new URLSearchParams({ u: userId, t: preferencesToken(db, userId) })}`;
}

/** Whether `token` is this user's preferences token (compared in constant time). */
export function verifyPreferencesToken(userId: string, token: string): boolean {
  // no secret yet: no link was ever sent, so no token can be right (and a GET creates nothing)
  const secret = readSecret(getDb());
  if (!secret) return false;
  const expected = Buffer.from(tokenWith(secret, userId));
  const given = Buffer.from(token);
  return given.length === expected.length && crypto.timingSafeEqual(given, expected);
}

/** Who is changing the setting: the signed-in user, or the holder of a reminder's link. */
export type PreferencesAccess =
  | { via: "account"; actor: Actor }
  | { via: "link"; userId: string; token: string; ip: string | null };

/** The account the access reaches; a wrong token (or an unknown account) is refused with 403. */
function accountOf(access: PreferencesAccess): string {
  if (access.via === "account") return access.actor.user.id;
  if (!access.userId || !access.token || !verifyPreferencesToken(access.userId, access.token)) throw forbidden();
  return access.userId;
}

export function getEmailPreferences(access: PreferencesAccess) {
  const userId = accountOf(access);
  const row = getDb()
    .select({ email: users.email, remindersOff: users.emailRemindersOff })
    .from(users)
    .where(eq(users.id, userId))
    .get();
  if (!row) throw forbidden();
  return row;
}

/** Turn reminder emails off (or back on); audited as "email_preferences.update" when it changes. */
export function setReminderEmails(access: PreferencesAccess, remindersOff: boolean) {
  const userId = accountOf(access);
  getDb().transaction(
    (tx) => {
      const current = tx.select({ remindersOff: users.emailRemindersOff }).from(users).where(eq(users.id, userId)).get();
      if (!current) throw forbidden();
      if (current.remindersOff === remindersOff) return;
      tx.update(users).set({ emailRemindersOff: remindersOff }).where(eq(users.id, userId)).run();
      recordAudit(tx, {
        userId: access.via === "account" ? access.actor.user.id : userId,
        ip: access.via === "account" ? access.actor.ip : access.ip,
        action: "email_preferences.update",
        entityType: "user",
        entityId: userId,
        details: { remindersOff, via: access.via },
      });
    },
    { behavior: "immediate" },
  );
}
