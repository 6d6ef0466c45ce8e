import { afterEach, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { getDb, firstRow } from "../../db/client";
import { auditLog, authSessions, passwordResetTokens, rateLimits, users } from "../../db/schema";
import * as account from "~/routes/account";
import * as language from "~/routes/settings.language";
import { resetLucia } from "~/auth/lucia.server";
import { verifyPassword } from "~/auth/password.server";
import { createLoginSession, getSessionUser } from "~/auth/session.server";
import { generateToken, hashToken } from "~/auth/tokens.server";
import { resetConfig } from "~/config.server";
import { readFlash, redirectWithFlash } from "~/flash.server";
import { remixI18n } from "~/i18n.server";
import { inspectToken } from "~/models/accounts.server";
import { call, createOrganisation, createUser, makeRequest, PASSWORD, sessionCookie, unwrap, userRow } from "../setup/helpers";

const NEW_PASSWORD = "a brand new passphrase";

/** The session cookie among a response's Set-Cookie headers ("name=value"), or null. */
function sessionCookieFrom(response: Response) {
  const header = response.headers.getSetCookie().find((c) => c.startsWith("convene_session="));
  return header ?? null;
}

const signedIn = async (cookie: string) => (await getSessionUser(makeRequest("/", { cookie })))?.user ?? null;

async function post(form: Record<string, string>, cookie?: string) {
  return await call(account.action, makeRequest("/account", { form, cookie }));
}

async function changePassword(cookie: string, fields: Partial<Record<"currentPassword" | "newPassword" | "confirmPassword", string>> = {}) {
  return await post({ intent: "change-password", currentPassword: PASSWORD, newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD, ...fields }, cookie);
}

/** A user signed in on three devices. */
async function onThreeDevices(role: "participant" | "coordinator" | "admin" = "participant") {
  const user = await createUser({ role });
  const cookies = [await sessionCookie(user), await sessionCookie(user), await sessionCookie(user)];
  return { user, cookies };
}

const auditOf = async (action: string, userId: string) =>
  await getDb().select().from(auditLog).where(and(eq(auditLog.action, action), eq(auditLog.userId, userId)));

describe("the account page", () => {
  it("is for every signed-in user, and sends anyone else to sign in", async () => {
    const anonymous = (await call(account.loader, makeRequest("/account"))) as Response;
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("Location")).toBe("/login?redirectTo=%2Faccount");
    const anonymousPost = (await post({ intent: "sign-out-everywhere" })) as Response;
    expect(anonymousPost.status).toBe(302);
    expect(anonymousPost.headers.get("Location")).toMatch(/^\/login/);
    for (const role of ["admin", "coordinator", "facilitator", "participant", "partner", "donor"] as const) {
      const organisationId = role === "partner" ? (await createOrganisation(`Agency for ${role}`, "government_partner")).id : role === "donor" ? (await createOrganisation("PRM", "donor", "US")).id : null;
      const user = await createUser({ role, organisationId });
      const { status } = unwrap(await call(account.loader, makeRequest("/account", { cookie: await sessionCookie(user) })));
      expect(status).toBe(200);
    }
  });

  it("shows the user their own details and live sessions, never a password hash", async () => {
    const { user, cookies } = await onThreeDevices();
    const { data } = unwrap(await call(account.loader, makeRequest("/account", { cookie: cookies[0] })));
    expect(data.account).toMatchObject({ id: user.id, email: user.email, role: "participant", activeSessions: 3 });
    expect(JSON.stringify(data)).not.toContain("argon2");
    expect(Object.keys(data.account)).not.toContain("passwordHash");
  });
});

describe("changing one's password", () => {
  it("ends every session of the user, this one included, and continues in a brand-new session", async () => {
    const { user, cookies } = await onThreeDevices();
    const bystander = await createUser({ role: "participant" });
    const bystanderCookie = await sessionCookie(bystander);
    const response = (await changePassword(cookies[0])) as Response;
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/account");
    for (const cookie of cookies) expect(await signedIn(cookie)).toBeNull();
    expect(await signedIn(bystanderCookie)).not.toBeNull();
    const fresh = sessionCookieFrom(response)!;
    expect(fresh).toMatch(/HttpOnly/i);
    expect(fresh).toMatch(/SameSite=Lax/i);
    const freshCookie = fresh.split(";")[0];
    expect(cookies).not.toContain(freshCookie);
    expect((await signedIn(freshCookie))?.id).toBe(user.id);
    expect(await getDb().select().from(authSessions).where(eq(authSessions.userId, user.id))).toHaveLength(1);
  });

  it("takes the new password, refuses the old one, and is audited with where it came from", async () => {
    const { user, cookies } = await onThreeDevices();
    await call(account.action, makeRequest("/account", {
      form: { intent: "change-password", currentPassword: PASSWORD, newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD },
      cookie: cookies[0],
      headers: { "x-convene-client-ip": "203.0.113.7" },
    }));
    const hash = (await userRow(user.id))!.passwordHash!;
    expect(await verifyPassword(hash, NEW_PASSWORD)).toBe(true);
    expect(await verifyPassword(hash, PASSWORD)).toBe(false);
    const [entry] = await auditOf("account.password_change", user.id);
    expect(entry).toMatchObject({ ip: "203.0.113.7", entityType: "user", entityId: user.id });
    expect(entry.details).toEqual({ sessionsEnded: 3 });
    expect(JSON.stringify(entry)).not.toContain(NEW_PASSWORD);
  });

  it("requires the current password: a wrong one changes nothing, ends nothing and is audited", async () => {
    const { user, cookies } = await onThreeDevices();
    const before = (await userRow(user.id))!.passwordHash;
    const { status, data } = unwrap(await changePassword(cookies[0], { currentPassword: "not my password at all" }));
    expect(status).toBe(400);
    expect(data.errors).toEqual({ currentPassword: "account.errors.currentPasswordWrong" });
    expect((await userRow(user.id))!.passwordHash).toBe(before);
    for (const cookie of cookies) expect(await signedIn(cookie)).not.toBeNull();
    expect(await auditOf("account.password_change_failure", user.id)).toHaveLength(1);
    expect(await auditOf("account.password_change", user.id)).toHaveLength(0);
  });

  it("explains a short, mismatched, missing or unchanged password and never echoes a password back", async () => {
    const { user, cookies } = await onThreeDevices();
    const short = unwrap(await changePassword(cookies[0], { newPassword: "9 chars!!", confirmPassword: "9 chars!!" }));
    expect(short.status).toBe(400);
    expect(short.data.errors.newPassword).toBe("errors.passwordShort");
    const mismatch = unwrap(await changePassword(cookies[0], { confirmPassword: "something else entirely" }));
    expect(mismatch.data.errors.confirmPassword).toBe("errors.passwordMismatch");
    const missing = unwrap(await post({ intent: "change-password", newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }, cookies[0]));
    expect(missing.data.errors.currentPassword).toBe("errors.required");
    const same = unwrap(await changePassword(cookies[0], { newPassword: PASSWORD, confirmPassword: PASSWORD }));
    expect(same.data.errors.newPassword).toBe("account.errors.samePassword");
    for (const result of [short, mismatch, missing, same]) {
      expect(result.data.values.currentPassword).toBeUndefined();
      expect(result.data.values.newPassword).toBeUndefined();
      expect(result.data.values.confirmPassword).toBeUndefined();
    }
    for (const cookie of cookies) expect(await signedIn(cookie)).not.toBeNull();
    expect(await verifyPassword((await userRow(user.id))!.passwordHash!, PASSWORD)).toBe(true);
  });

  it("makes outstanding password-reset links stop working", async () => {
    const { user, cookies } = await onThreeDevices();
    const token = generateToken();
    await getDb()
      .insert(passwordResetTokens)
      .values({ tokenHash: hashToken(token), userId: user.id, purpose: "reset", expiresAt: new Date(Date.now() + 3600_000) });
    expect(await inspectToken(token)).not.toBeNull();
    await changePassword(cookies[0]);
    expect(await inspectToken(token)).toBeNull();
  });

  it("counts a wrong current password as a failed sign-in from that address, and waits like one", async () => {
    const { user, cookies } = await onThreeDevices();
    const ip = "203.0.113.77";
    const fromThere = async (cookie: string, currentPassword: string) =>
      await call(
        account.action,
        makeRequest("/account", {
          form: { intent: "change-password", currentPassword, newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD },
          cookie,
          headers: { "x-convene-client-ip": ip },
        }),
      );
    // this address has already failed many times on the account
    await getDb().insert(rateLimits).values({ key: `login-failures:pair:${ip}:${user.email}`, windowStart: Date.now(), count: 100 });
    const refused = (await fromThere(cookies[0], PASSWORD)) as Response;
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(await verifyPassword((await userRow(user.id))!.passwordHash!, PASSWORD)).toBe(true);
    // five wrong current passwords from a fresh address are failures, the sixth attempt waits
    const elsewhere = await onThreeDevices();
    for (let i = 0; i < 5; i++) {
      const wrong = unwrap(await call(account.action, makeRequest("/account", {
        form: { intent: "change-password", currentPassword: "not it", newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD },
        cookie: elsewhere.cookies[0],
        headers: { "x-convene-client-ip": "203.0.113.78" },
      })));
      expect(wrong.status).toBe(400);
    }
    const sixth = (await call(account.action, makeRequest("/account", {
      form: { intent: "change-password", currentPassword: PASSWORD, newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD },
      cookie: elsewhere.cookies[0],
      headers: { "x-convene-client-ip": "203.0.113.78" },
    }))) as Response;
    expect(sixth.status).toBe(429);
  });
});

describe("signing out everywhere", () => {
  it("ends every session of the user, this one included, clears the cookie and goes to the login page", async () => {
    const { user, cookies } = await onThreeDevices();
    const bystander = await createUser({ role: "participant" });
    const bystanderCookie = await sessionCookie(bystander);
    const response = (await call(account.action, makeRequest("/account", {
      form: { intent: "sign-out-everywhere" },
      cookie: cookies[1],
      headers: { "x-convene-client-ip": "198.51.100.4" },
    }))) as Response;
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/login");
    expect(sessionCookieFrom(response)).toMatch(/^convene_session=;/);
    for (const cookie of cookies) expect(await signedIn(cookie)).toBeNull();
    expect(await getDb().select().from(authSessions).where(eq(authSessions.userId, user.id))).toHaveLength(0);
    expect(await signedIn(bystanderCookie)).not.toBeNull();
    const [entry] = await auditOf("account.sign_out_everywhere", user.id);
    expect(entry).toMatchObject({ ip: "198.51.100.4", entityType: "user", entityId: user.id, details: { sessionsEnded: 3 } });
  });

  it("refuses an unknown intent without changing anything", async () => {
    const { cookies } = await onThreeDevices();
    const { status, data } = unwrap(await post({ intent: "delete-everything" }, cookies[0]));
    expect(status).toBe(400);
    expect(data.errors.form).toBe("errors.unknownAction");
    for (const cookie of cookies) expect(await signedIn(cookie)).not.toBeNull();
  });
});

describe("the account page's language form", () => {
  it("saves the choice in the profile and comes back to the account page", async () => {
    const { user, cookies } = await onThreeDevices();
    const response = (await call(language.action, makeRequest("/settings/language", { form: { locale: "ar", redirectTo: "/account" }, cookie: cookies[0] }))) as Response;
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/account");
    expect(firstRow(await getDb().select({ locale: users.locale }).from(users).where(eq(users.id, user.id)).limit(1))!.locale).toBe("ar");
  });
});

describe("session cookie flags", () => {
  afterEach(() => {
    process.env.APP_URL = "http://localhost:3000";
    resetConfig();
    resetLucia();
  });

  it("is HttpOnly, SameSite=Lax, for the whole site, and lives no longer than the session's absolute limit", async () => {
    const participant = await createUser({ role: "participant" });
    const admin = await createUser({ role: "admin" });
    const long = await createLoginSession(participant);
    const short = await createLoginSession(admin);
    for (const cookie of [long, short]) {
      expect(cookie).toMatch(/^convene_session=[^;]+/);
      expect(cookie).toMatch(/; HttpOnly/i);
      expect(cookie).toMatch(/; SameSite=Lax/i);
      expect(cookie).toMatch(/; Path=\//i);
      expect(cookie).not.toMatch(/; Domain=/i);
    }
    expect(long).toMatch(/; Max-Age=2592000/); // 30 days
    expect(short).toMatch(/; Max-Age=43200/); // 12 hours for admins and coordinators
  });

  it("is Secure when Convene is served over https", async () => {
    const user = await createUser({ role: "participant" });
    expect(await createLoginSession(user)).not.toMatch(/; Secure/i); // http://localhost in tests
    process.env.APP_URL = "https://convene.example.org";
    resetConfig();
    resetLucia();
    const cookie = await createLoginSession(user);
    expect(cookie).toMatch(/; Secure/i);
    expect(cookie).toMatch(/; HttpOnly/i);
  });

  it("carries the __Host- prefix and Secure on every cookie over https (session, language, message), none over http", async () => {
    const user = await createUser({ role: "coordinator" });
    const cookiesSet = async () => {
      const session = await createLoginSession(user);
      const lang = ((await call(language.action, makeRequest("/settings/language", { form: { locale: "fr", redirectTo: "/" } }))) as Response).headers.get("Set-Cookie")!;
      const flash = (await redirectWithFlash("/account", "flash.saved")).headers.get("Set-Cookie")!;
      return { session, lang, flash };
    };
    const plain = await cookiesSet();
    expect(plain.session).toMatch(/^convene_session=/);
    expect(plain.lang).toMatch(/^convene_lang=/);
    expect(plain.flash).toMatch(/^convene_flash=/);
    for (const cookie of Object.values(plain)) expect(cookie).not.toMatch(/; Secure/i);

    process.env.APP_URL = "https://convene.example.org";
    resetConfig();
    resetLucia();
    const secure = await cookiesSet();
    expect(secure.session).toMatch(/^__Host-convene_session=/);
    expect(secure.lang).toMatch(/^__Host-convene_lang=/);
    expect(secure.flash).toMatch(/^__Host-convene_flash=/);
    for (const cookie of Object.values(secure)) {
      expect(cookie).toMatch(/; Secure/i);
      expect(cookie).toMatch(/; Path=\/(;|$)/i);
      expect(cookie).toMatch(/; HttpOnly/i);
      expect(cookie).not.toMatch(/; Domain=/i);
    }
    // and they are read back under those names: the session signs in, the language is kept
    const sessionPair = secure.session.split(";")[0];
    expect((await getSessionUser(makeRequest("/", { cookie: sessionPair })))?.user.id).toBe(user.id);
    expect(await getSessionUser(makeRequest("/", { cookie: sessionPair.replace("__Host-", "") }))).toBeNull();
    expect(await remixI18n.getLocale(makeRequest("/", { cookie: secure.lang.split(";")[0], headers: { "Accept-Language": "es" } }))).toBe("fr");
    expect((await readFlash(makeRequest("/", { cookie: secure.flash.split(";")[0] }))).message).toBe("flash.saved");
  });
});
