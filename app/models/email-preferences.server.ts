import crypto from "node:crypto";
import { eq } from "drizzle-orm";
import { getDb, type DB, firstRow } from "../../db/client";
import { appSettings, people, users } from "../../db/schema";
import { ONE_CLICK_UNSUBSCRIBE_PATH } from "~/auth/origin.server";
import { forbidden, type Actor } from "~/auth/session.server";
import { recordAudit } from "./audit.server";

/**
 * Which emails a person receives. Account and essential emails (invitations, password resets,
 * registration status, timetable changes) are always sent; reminder emails (event reminders,
 * action-plan check-ins) can be turned off, by the signed-in user on /email-preferences or by
 * anyone holding the link at the foot of a reminder:
 *   with an account:     /email-preferences?u=<userId>&t=<token>,   token = HMAC-SHA256(secret, "email-preferences:<userId>")
 *   without an account:  /email-preferences?p=<personId>&t=<token>, token = HMAC-SHA256(secret, "email-preferences-person:<personId>")
 * The two messages differ before the id ("…:" vs "…-person:"), so a user's token never opens a
 * person's setting nor the reverse. The setting of someone with an account lives in
 * users.email_reminders_off; of someone on a roster without one, in people.email_reminders_off
 * (a person who later gets an account is governed by the account's setting, which their old link
 * then reaches). The secret lives in app_settings ("email_preferences_secret"), created on first use.
 * A link never expires (it only ever reaches this one setting of this one person) and works
 * without signing in; changing the setting still takes a POST.
 *
 * Every reminder also carries RFC 8058 headers (List-Unsubscribe with the one-click URL
 * /email-preferences/unsubscribe?…, List-Unsubscribe-Post): a mail client's POST there, with the
 * same token and no session, turns reminders OFF — never on, never anything else.
 */

const SECRET_KEY = "email_preferences_secret";

type Store = Pick<DB, "select" | "insert">;

async function readSecret(db: Pick<DB, "select">): Promise<Buffer | null> {
  const row = firstRow(await db.select({ value: appSettings.value }).from(appSettings).where(eq(appSettings.key, SECRET_KEY)).limit(1));
  return row ? Buffer.from(row.value, "hex") : null;
}

/** The installation's secret for preference links: 32 random bytes, created once (race-safe). */
async function preferencesSecret(db: Store): Promise<Buffer> {
  const existing = await readSecret(db);
  if (existing) return existing;
  await db.insert(appSettings).values({ key: SECRET_KEY, value: crypto.randomBytes(32).toString("hex") }).onConflictDoNothing();
  const created = await readSecret(db);
  if (!created) throw new Error("email preferences secret missing from app_settings");
  return created;
}

/** Whose reminder setting a link reaches: an account, or a person on a roster without one. */
export type PreferencesSubject = { kind: "user"; userId: string } | { kind: "person"; personId: number };

function messageOf(subject: PreferencesSubject) {
  return subject.kind === "user" ? `email-preferences:${subject.userId}` : `email-preferences-person:${subject.personId}`;
}

function tokenWith(secret: Buffer, subject: PreferencesSubject) {
  return crypto.createHmac("sha256", secret).update(messageOf(subject)).digest("base64url");
}

export async function preferencesToken(db: Store, subject: PreferencesSubject): Promise<string> {
  return tokenWith(await preferencesSecret(db), subject);
}

async function linkQuery(db: Store, subject: PreferencesSubject) {
  const [key, id] = subject.kind === "user" ? ["u", subject.userId] : ["p", String(subject.personId)];
  return new URLSearchParams({ [key]: id, t: await preferencesToken(db, subject) });
}

/** The link at the foot of every non-essential email: the preferences page, where a POST confirms. */
export async function preferencesLink(db: Store, appUrl: string, subject: PreferencesSubject): Promise<string> {
  return `${appUrl}/email-preferences?${(await linkQuery(db, subject))}`;
}


/** The URL a mail client POSTs `List-Unsubscribe=One-Click` to. */
export async function oneClickUnsubscribeUrl(db: Store, appUrl: string, subject: PreferencesSubject): Promise<string> {
  return `${appUrl}${ONE_CLICK_UNSUBSCRIBE_PATH}?${(await linkQuery(db, subject))}`;
}

/**
 * The way out of a reminder for this recipient: the footer link and the RFC 8058 headers, for an
 * account (userId) or, without one, for the person on the roster.
 */
export async function reminderOptOut(db: Store, appUrl: string, recipient: { userId: string | null; personId: number }) {
  const subject: PreferencesSubject = recipient.userId ? { kind: "user", userId: recipient.userId } : { kind: "person", personId: recipient.personId };
  return {
    preferencesUrl: await preferencesLink(db, appUrl, subject),
    headers: {
      "List-Unsubscribe": `<${(await oneClickUnsubscribeUrl(db, appUrl, subject))}>`,
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    },
  };
}

/** Whether `token` is this subject's preferences token (compared in constant time). */
export async function verifyPreferencesToken(subject: PreferencesSubject, token: string): Promise<boolean> {
  // no secret yet: no link was ever sent, so no token can be right (and a GET creates nothing)
  const secret = await readSecret(getDb());
  if (!secret) return false;
  const expected = Buffer.from(tokenWith(secret, subject));
  const given = Buffer.from(token);
  return given.length === expected.length && crypto.timingSafeEqual(given, expected);
}

/** Who is changing the setting: the signed-in user, or the holder of a reminder's link. */
export type PreferencesAccess =
  | { via: "account"; actor: Actor }
  | { via: "link"; userId: string; token: string; ip: string | null }
  | { via: "person_link"; personId: number; token: string; ip: string | null };

/** Where the setting is kept: an account's row, or a person's row (no account). */
type Target = { table: "user"; id: string } | { table: "person"; id: number };

/**
 * The setting the access reaches; a wrong token (or an unknown account or person, or one whose
 * data was anonymised) is refused with 403. A person who has an account by now is the account.
 */
async function targetOf(db: Pick<DB, "select">, access: PreferencesAccess): Promise<Target> {
  if (access.via === "account") return { table: "user", id: access.actor.user.id };
  if (access.via === "link") {
    if (!access.userId || !access.token || !(await verifyPreferencesToken({ kind: "user", userId: access.userId }, access.token))) throw forbidden();
    return { table: "user", id: access.userId };
  }
  if (!Number.isSafeInteger(access.personId) || access.personId <= 0 || !access.token) throw forbidden();
  if (!(await verifyPreferencesToken({ kind: "person", personId: access.personId }, access.token))) throw forbidden();
  const person = firstRow(await db
    .select({ userId: people.userId, anonymisedAt: people.anonymisedAt })
    .from(people)
    .where(eq(people.id, access.personId)).limit(1));
  if (!person || person.anonymisedAt) throw forbidden();
  return person.userId ? { table: "user", id: person.userId } : { table: "person", id: access.personId };
}

async function readSetting(db: Pick<DB, "select">, target: Target) {
  return target.table === "user"
    ? firstRow(await db.select({ email: users.email, remindersOff: users.emailRemindersOff }).from(users).where(eq(users.id, target.id)).limit(1))
    : firstRow(await db.select({ email: people.email, remindersOff: people.emailRemindersOff }).from(people).where(eq(people.id, target.id)).limit(1));
}

export async function getEmailPreferences(access: PreferencesAccess) {
  const db = getDb();
  const row = await readSetting(db, await targetOf(db, access));
  if (!row) throw forbidden();
  return { email: row.email ?? "", remindersOff: row.remindersOff };
}

function actorIp(access: PreferencesAccess) {
  return access.via === "account" ? access.actor.ip : access.ip;
}

/**
 * Turn reminder emails off (or back on); audited as "email_preferences.update" (entity the user,
 * or the person without an account) when it changes. Returns whether anything changed.
 */
export async function setReminderEmails(access: PreferencesAccess, remindersOff: boolean, how?: "one_click"): Promise<boolean> {
  return await getDb().transaction(
    async (tx) => {
      const target = await targetOf(tx, access);
      const current = await readSetting(tx, target);
      if (!current) throw forbidden();
      if (current.remindersOff === remindersOff) return false;
      if (target.table === "user") await tx.update(users).set({ emailRemindersOff: remindersOff }).where(eq(users.id, target.id));
      else await tx.update(people).set({ emailRemindersOff: remindersOff }).where(eq(people.id, target.id));
      await recordAudit(tx, {
        userId: access.via === "account" ? access.actor.user.id : target.table === "user" ? target.id : null,
        ip: actorIp(access),
        action: "email_preferences.update",
        entityType: target.table,
        entityId: target.id,
        details: { remindersOff, via: how ?? access.via },
      });
      return true;
    },
    { behavior: "immediate" },
  );
}

/**
 * The one-click unsubscribe (RFC 8058) of a mail client: the link's token alone authenticates it,
 * and it only ever turns reminders OFF. A wrong token is refused (403) and changes nothing.
 */
export async function unsubscribeOneClick(access: Extract<PreferencesAccess, { via: "link" | "person_link" }>) {
  return await setReminderEmails(access, true, "one_click");
}

/** The link's parameters as they came (?u=…&t=… or ?p=…&t=…), kept to carry them through a form. */
export type PreferencesLinkParams = { key: "u" | "p"; id: string; t: string };

/** The link's parameters from a query string or a form; null when there are none (signed-in use). */
export function linkParams(source: { get(name: string): FormDataEntryValue | string | null }): PreferencesLinkParams | null {
  const t = source.get("t");
  const u = source.get("u");
  const p = source.get("p");
  if (typeof u === "string" && typeof p === "string" && (u || p)) throw forbidden(); // one or the other
  if (typeof p === "string" && p) return { key: "p", id: p, t: typeof t === "string" ? t : "" };
  if (typeof u === "string" && (u || (typeof t === "string" && t))) return { key: "u", id: u, t: typeof t === "string" ? t : "" };
  if (typeof t === "string" && t) return { key: "u", id: "", t }; // a token alone reaches nobody: refused
  return null;
}

/** The access a link gives (its token is checked when it is used). */
export function linkAccess(link: PreferencesLinkParams, ip: string | null): Extract<PreferencesAccess, { via: "link" | "person_link" }> {
  if (link.key === "u") return { via: "link", userId: link.id, token: link.t, ip };
  const personId = /^\d{1,15}$/.test(link.id) ? Number(link.id) : 0;
  return { via: "person_link", personId, token: link.t, ip };
}
