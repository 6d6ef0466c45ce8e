import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { base32ToBytes, timeStep, totpCode } from "~/auth/second-factor.server";
import { getSessionUser } from "~/auth/session.server";
import { hashPassword } from "~/auth/password.server";
import { setClock } from "~/lib/clock";
import { resetConfig } from "~/config.server";
import { hasSecondFactor } from "~/models/second-factor.server";
import * as account from "~/routes/account";
import * as accountPassword from "~/routes/account_.password";
import * as twoFactor from "~/routes/account_.two-factor";
import * as adminUser from "~/routes/admin.users.$userId";
import * as home from "~/routes/_index";
import * as eventsIndex from "~/routes/events._index";
import * as login from "~/routes/login";
import * as loginCode from "~/routes/login_.two-factor";
import * as logout from "~/routes/logout";
import { call, createUser, makeRequest, PASSWORD, rawAll, rawGet, rawRun, sessionCookie, unwrap } from "../setup/helpers";

type AnyLoader = Parameters<typeof call>[0];
const NEW_PASSWORD = "a fresh and quite long passphrase";
let at = Date.parse("2026-12-01T09:00:00Z");

beforeEach(() => {
  at += 3_600_000; // each test in its own hour: no code step of one test is another's
  setClock(() => at);
});
afterEach(() => setClock(null));

/** Every Set-Cookie of a response, as one Cookie header (what the browser would send back). */
function cookiesOf(response: Response, previous = ""): string {
  const jar = new Map(previous ? previous.split("; ").map((c) => [c.split("=")[0], c] as [string, string]) : []);
  for (const line of response.headers.getSetCookie()) {
    const pair = line.split(";")[0];
    const name = pair.split("=")[0];
    if (/Max-Age=0|Expires=Thu, 01 Jan 1970/i.test(line) || pair.endsWith("=")) jar.delete(name);
    else jar.set(name, pair);
  }
  return [...jar.values()].join("; ");
}

function sessionOnly(cookie: string) {
  return cookie.split("; ").filter((c) => c.startsWith("convene_session=")).join("; ");
}

async function signInWithPassword(email: string, password = PASSWORD, redirectTo?: string) {
  return (await call(login.action, makeRequest("/login", { form: { email, password, ...(redirectTo ? { redirectTo } : {}) } }))) as Response;
}

async function sendCode(pendingCookie: string, code: string) {
  return await call(loginCode.action, makeRequest("/login/two-factor", { form: { code }, cookie: pendingCookie }));
}

async function twoFactorPage(cookie: string) {
  return unwrap(await call(twoFactor.loader, makeRequest("/account/two-factor", { cookie })));
}

async function twoFactorPost(cookie: string, form: Record<string, string>) {
  return await call(twoFactor.action, makeRequest("/account/two-factor", { form, cookie }));
}

/** Enrol `cookie`'s user: start, read the secret the page shows, confirm with a code computed from it. */
async function enrol(cookie: string, password = PASSWORD) {
  await twoFactorPost(cookie, { intent: "start" });
  const page = await twoFactorPage(cookie);
  const key = base32ToBytes(page.data.state.pending.base32);
  const answer = unwrap(await twoFactorPost(cookie, { intent: "confirm", currentPassword: password, code: totpCode(key, timeStep(at)) }));
  expect(answer.status).toBe(200);
  return { key, recoveryCodes: answer.data.recoveryCodes as string[] };
}

async function auditActions(userId: string) {
  return (await rawAll<{ action: string }>(`select action from audit_log where entity_id = ? order by id`, userId)).map((r) => r.action);
}

describe("enrolment", () => {
  it("shows a QR code and the secret, refuses a wrong first code or password, then turns on with ten recovery codes shown once", async () => {
    const user = await createUser({ role: "participant" });
    const cookie = await sessionCookie(user);
    const other = await sessionCookie(user);
    expect((await twoFactorPage(cookie)).data.state).toMatchObject({ enrolled: false, pending: null, required: false });
    // a GET changes nothing: the secret is made by a POST
    expect(await rawAll(`select user_id from second_factors where user_id = ?`, user.id)).toHaveLength(0);
    await twoFactorPost(cookie, { intent: "start" });
    const page = await twoFactorPage(cookie);
    expect(page.data.qrSvg).toMatch(/^<svg/);
    const base32: string = page.data.state.pending.base32;
    expect(base32).toMatch(/^[A-Z2-7]{32}$/);
    expect(page.data.state.pending.uri).toContain(`secret=${base32}`);
    const key = base32ToBytes(base32);
    const rightCode = totpCode(key, timeStep(at));

    const wrongCode = unwrap(await twoFactorPost(cookie, { intent: "confirm", currentPassword: PASSWORD, code: rightCode === "000000" ? "111111" : "000000" }));
    expect(wrongCode.status).toBe(400);
    expect(wrongCode.data.errors.code).toBe("twoFactor.errors.codeWrong");
    expect(wrongCode.data.values.code).toBeUndefined();
    const wrongPassword = unwrap(await twoFactorPost(cookie, { intent: "confirm", currentPassword: "not my password", code: rightCode }));
    expect(wrongPassword.status).toBe(400);
    expect(wrongPassword.data.errors.currentPassword).toBe("account.errors.currentPasswordWrong");
    const missing = unwrap(await twoFactorPost(cookie, { intent: "confirm", code: rightCode }));
    expect(missing.data.errors.currentPassword).toBe("errors.required");
    expect(await hasSecondFactor(user.id)).toBe(false);
    expect((await getSessionUser(makeRequest("/", { cookie: other })))?.user.id).toBe(user.id);

    const done = unwrap(await twoFactorPost(cookie, { intent: "confirm", currentPassword: PASSWORD, code: rightCode }));
    expect(done.status).toBe(200);
    const codes: string[] = done.data.recoveryCodes;
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}$/);
    expect(await hasSecondFactor(user.id)).toBe(true);
    // never shown again, and nothing readable is stored
    const after = await twoFactorPage(cookie);
    expect(after.data.state).toMatchObject({ enrolled: true, pending: null, recoveryCodesLeft: 10 });
    expect(JSON.stringify(after.data)).not.toContain(base32);
    const stored = await rawGet<{ secret: string }>(`select secret from second_factors where user_id = ?`, user.id);
    expect(stored!.secret).toMatch(/^v1\.db\./);
    expect(stored!.secret).not.toContain(base32);
    const hashes = await rawAll<{ code_hash: string }>(`select code_hash from recovery_codes where user_id = ?`, user.id);
    expect(hashes).toHaveLength(10);
    for (const { code_hash } of hashes) for (const code of codes) expect(code_hash).not.toContain(code.replace(/-/g, ""));
    // the other session ended, this one stays
    expect(await getSessionUser(makeRequest("/", { cookie: other }))).toBeNull();
    expect((await getSessionUser(makeRequest("/", { cookie })))?.user.id).toBe(user.id);
    expect(await auditActions(user.id)).toEqual(expect.arrayContaining(["second_factor.failure", "account.reauthentication_failure", "second_factor.enrol"]));
    // a second start is refused: the factor is changed by removing it (after the password and a code)
    expect(unwrap(await twoFactorPost(cookie, { intent: "start" })).data.errors.form).toBe("twoFactor.errors.alreadyEnrolled");
  });

  it("a stranger has no page: the enrolment page and its actions send them to sign in", async () => {
    const page = (await call(twoFactor.loader, makeRequest("/account/two-factor"))) as Response;
    expect(page.status).toBe(302);
    expect(page.headers.get("Location")).toBe("/login?redirectTo=%2Faccount%2Ftwo-factor");
    const before = await rawAll(`select user_id from second_factors`);
    const post = (await twoFactorPost("", { intent: "start" })) as Response;
    expect(post.status).toBe(302);
    expect(await rawAll(`select user_id from second_factors`)).toEqual(before);
  });
});

describe("sign-in with a second factor", () => {
  it("asks for the code after the password, without a session until then", async () => {
    const user = await createUser({ role: "facilitator" });
    const { key } = await enrol(await sessionCookie(user));
    await rawRun(`delete from auth_sessions`);
    const first = await signInWithPassword(user.email, PASSWORD, "/events?when=past");
    expect(first.status).toBe(302);
    expect(first.headers.get("Location")).toBe("/login/two-factor");
    const pending = cookiesOf(first);
    expect(pending).toMatch(/^convene_sign_in=/);
    expect(pending).not.toContain("convene_session");
    expect(await rawAll(`select id from auth_sessions`)).toHaveLength(0);
    // the half-signed-in browser is no one to the rest of the site
    expect(await getSessionUser(makeRequest("/", { cookie: pending }))).toBeNull();
    expect(((await call(home.loader, makeRequest("/", { cookie: pending }))) as Response).headers.get("Location")).toBe("/login");
    expect(unwrap(await call(loginCode.loader, makeRequest("/login/two-factor", { cookie: pending }))).status).toBe(200);

    at += 30_000; // the enrolment used the previous step's code
    const wrong = unwrap(await sendCode(pending, totpCode(key, timeStep(at)) === "123456" ? "654321" : "123456"));
    expect(wrong.status).toBe(400);
    expect(wrong.data.error).toBe("twoFactor.errors.codeWrong");
    expect(await rawAll(`select id from auth_sessions`)).toHaveLength(0);

    const right = (await sendCode(pending, totpCode(key, timeStep(at)))) as Response;
    expect(right.status).toBe(302);
    expect(right.headers.get("Location")).toBe("/events?when=past");
    const signedIn = cookiesOf(right, pending);
    expect(signedIn).not.toContain("convene_sign_in");
    expect((await getSessionUser(makeRequest("/", { cookie: signedIn })))?.user.id).toBe(user.id);
    const actions = await auditActions(user.id);
    expect(actions).toEqual(expect.arrayContaining(["login.password_accepted", "second_factor.failure", "login.success"]));
    const success = await rawGet<{ details: string }>(`select details from audit_log where action = 'login.success' and entity_id = ?`, user.id);
    expect(JSON.stringify(success!.details)).toContain("totp");
  });

  it("without a second factor, the password alone signs in", async () => {
    const user = await createUser({ role: "participant" });
    const response = await signInWithPassword(user.email, PASSWORD, "/me");
    expect(response.headers.get("Location")).toBe("/me");
    expect((await getSessionUser(makeRequest("/", { cookie: sessionOnly(cookiesOf(response)) })))?.user.id).toBe(user.id);
  });

  it("accepts a code once: the same code, or one of an earlier step, is refused afterwards", async () => {
    const user = await createUser({ role: "participant" });
    const { key } = await enrol(await sessionCookie(user));
    at += 30_000;
    const code = totpCode(key, timeStep(at));
    const pendingA = cookiesOf(await signInWithPassword(user.email));
    expect(((await sendCode(pendingA, code)) as Response).status).toBe(302);
    // the same code, within its 30 seconds, from another browser that knows the password
    const pendingB = cookiesOf(await signInWithPassword(user.email));
    const replay = unwrap(await sendCode(pendingB, code));
    expect(replay.status).toBe(400);
    expect(replay.data.error).toBe("twoFactor.errors.codeWrong");
    // the previous step's code is still inside the grace period, but older than the one used
    expect(unwrap(await sendCode(pendingB, totpCode(key, timeStep(at) - 1))).status).toBe(400);
    const failure = await rawGet<{ details: string }>(`select details from audit_log where action = 'second_factor.failure' and entity_id = ? order by id desc`, user.id);
    expect(JSON.stringify(failure!.details)).toContain("already_used");
    // the next code works
    at += 30_000;
    expect(((await sendCode(pendingB, totpCode(key, timeStep(at)))) as Response).status).toBe(302);
  });

  it("takes a recovery code instead of the app's code, each one once", async () => {
    const user = await createUser({ role: "participant" });
    const { recoveryCodes } = await enrol(await sessionCookie(user));
    const pending = cookiesOf(await signInWithPassword(user.email));
    // typed loosely: upper case, spaces instead of dashes
    const used = (await sendCode(pending, recoveryCodes[3].toUpperCase().replace(/-/g, " "))) as Response;
    expect(used.status).toBe(302);
    const again = unwrap(await sendCode(cookiesOf(await signInWithPassword(user.email)), recoveryCodes[3]));
    expect(again.status).toBe(400);
    expect(await rawAll(`select id from recovery_codes where user_id = ? and used_at is null`, user.id)).toHaveLength(9);
    expect(await auditActions(user.id)).toContain("second_factor.recovery_code_use");
    const success = await rawGet<{ details: string }>(`select details from audit_log where action = 'login.success' and entity_id = ? order by id desc`, user.id);
    expect(JSON.stringify(success!.details)).toContain("recovery_code");
  });

  it("slows down wrong codes per account: past five, even the right code waits", async () => {
    const user = await createUser({ role: "participant" });
    const { key } = await enrol(await sessionCookie(user));
    at += 30_000;
    const right = totpCode(key, timeStep(at));
    const wrong = right === "999999" ? "888888" : "999999";
    // from a new address each time (makeRequest): changing address buys nothing
    for (let i = 0; i < 5; i++) {
      const pending = cookiesOf(await signInWithPassword(user.email));
      expect(unwrap(await sendCode(pending, wrong)).status).toBe(400);
    }
    const pending = cookiesOf(await signInWithPassword(user.email));
    const refused = unwrap(await sendCode(pending, right));
    expect(refused.status).toBe(429);
    expect(refused.data.error).toBe("twoFactor.errors.tooMany");
    expect(refused.headers.get("Retry-After")).toBe("1");
    expect(await rawAll(`select id from auth_sessions where user_id = ?`, user.id)).toHaveLength(1); // the enrolling session only
    at += 2_000;
    expect(((await sendCode(pending, right)) as Response).status).toBe(302);
  });

  it("a forged, altered or expired pending sign-in starts again at the login page", async () => {
    const user = await createUser({ role: "participant" });
    const { key } = await enrol(await sessionCookie(user));
    const pending = cookiesOf(await signInWithPassword(user.email));
    const other = await createUser({ role: "participant" });
    // someone else's id in the value, with the original signature
    const [name, value] = pending.split("=");
    const decoded = decodeURIComponent(value);
    const json = JSON.parse(Buffer.from(decoded, "base64").toString("utf8")) as string;
    const [payload, mac] = json.split(".");
    const altered = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, "base64url").toString()), userId: other.id })).toString("base64url");
    const forged = `${name}=${encodeURIComponent(Buffer.from(JSON.stringify(`${altered}.${mac}`)).toString("base64"))}`;
    at += 30_000;
    const forgedAnswer = (await sendCode(forged, totpCode(key, timeStep(at)))) as Response;
    expect(forgedAnswer.status).toBe(302);
    expect(forgedAnswer.headers.get("Location")).toBe("/login");
    at += 11 * 60_000; // past the ten minutes of the code step
    const expired = (await sendCode(pending, totpCode(key, timeStep(at)))) as Response;
    expect(expired.headers.get("Location")).toBe("/login");
    expect(await rawAll(`select id from auth_sessions where user_id in (?, ?)`, user.id, other.id)).toHaveLength(1); // only the enrolling session
  });
});

describe("required for administrators and coordinators", () => {
  it("sends a coordinator without a second factor to enrolment from every page until done; signing out works", async () => {
    const user = await createUser({ role: "coordinator" });
    const response = await signInWithPassword(user.email, PASSWORD, "/events");
    expect(response.headers.get("Location")).toBe("/account/two-factor");
    const cookie = sessionOnly(cookiesOf(response));
    const pages: [AnyLoader, string][] = [[home.loader, "/"], [eventsIndex.loader, "/events"], [account.loader, "/account"], [accountPassword.loader, "/account/password"]];
    for (const [loader, path] of pages) {
      const answer = (await call(loader, makeRequest(path, { cookie }))) as Response;
      expect(answer.status, path).toBe(302);
      expect(answer.headers.get("Location"), path).toBe("/account/two-factor");
    }
    expect(((await call(account.action, makeRequest("/account", { form: { intent: "calendar-feed" }, cookie }))) as Response).status).toBe(302);
    const page = await twoFactorPage(cookie);
    expect(page.status).toBe(200);
    expect(page.data.mustEnrol).toBe(true);
    expect(page.data.state.required).toBe(true);
    await enrol(cookie);
    expect(unwrap(await call(home.loader, makeRequest("/", { cookie }))).status).toBe(200);
    expect((await twoFactorPage(cookie)).data.mustEnrol).toBe(false);

    // signing out works for a restricted session too
    const admin = await createUser({ role: "admin" });
    const adminCookie = sessionOnly(cookiesOf(await signInWithPassword(admin.email)));
    expect((await getSessionUser(makeRequest("/", { cookie: adminCookie })))?.session.restriction).toBe("second_factor_enrolment");
    await call(logout.action, makeRequest("/logout", { form: {}, cookie: adminCookie }));
    expect(await getSessionUser(makeRequest("/", { cookie: adminCookie }))).toBeNull();
  });

  it("is offered, not required, to the other roles", async () => {
    for (const role of ["facilitator", "participant", "partner", "donor"] as const) {
      const user = await createUser({ role });
      const response = await signInWithPassword(user.email, PASSWORD, "/events");
      expect(response.headers.get("Location"), role).toBe("/events");
    }
  });
});

describe("an administrator's reset", () => {
  it("removes the user's second factor and ends their sessions, audited; a coordinator cannot, nor an admin on themselves", async () => {
    const coordinator = await createUser({ role: "coordinator" });
    const coordinatorCookie = await sessionCookie(coordinator);
    await enrol(coordinatorCookie);
    const admin = await createUser({ role: "admin" });
    const adminCookie = await sessionCookie(admin);
    await enrol(adminCookie);

    const other = await createUser({ role: "coordinator" });
    const refused = (await call(adminUser.action, makeRequest(`/admin/users/${admin.id}`, { form: { intent: "reset-second-factor" }, cookie: await sessionCookie(other) }), { userId: admin.id })) as Response;
    expect(refused.status).toBe(403);
    expect(await hasSecondFactor(admin.id)).toBe(true);
    const self = unwrap(await call(adminUser.action, makeRequest(`/admin/users/${admin.id}`, { form: { intent: "reset-second-factor" }, cookie: adminCookie }), { userId: admin.id }));
    expect(self.status).toBe(400);
    expect(self.data.errors.form).toBe("admin.users.errors.resetOwnSecondFactor");
    expect(await hasSecondFactor(admin.id)).toBe(true);

    const page = unwrap(await call(adminUser.loader, makeRequest(`/admin/users/${coordinator.id}`, { cookie: adminCookie }), { userId: coordinator.id }));
    expect(page.data.secondFactor).toEqual({ enrolled: true, recoveryCodesLeft: 10 });
    const reset = (await call(adminUser.action, makeRequest(`/admin/users/${coordinator.id}`, { form: { intent: "reset-second-factor" }, cookie: adminCookie }), { userId: coordinator.id })) as Response;
    expect(reset.status).toBe(302);
    expect(await hasSecondFactor(coordinator.id)).toBe(false);
    expect(await rawAll(`select id from recovery_codes where user_id = ?`, coordinator.id)).toHaveLength(0);
    expect(await getSessionUser(makeRequest("/", { cookie: coordinatorCookie }))).toBeNull();
    const audit = await rawGet<{ user_id: string }>(`select user_id from audit_log where action = 'second_factor.admin_reset' and entity_id = ?`, coordinator.id);
    expect(audit!.user_id).toBe(admin.id);
    // their next sign-in takes the password, then enrolment
    expect((await signInWithPassword(coordinator.email)).headers.get("Location")).toBe("/account/two-factor");
  });
});

describe("re-authentication before sensitive changes", () => {
  it("a password change needs the current password and, once enrolled, a code; a refusal changes nothing", async () => {
    const user = await createUser({ role: "participant" });
    const cookie = await sessionCookie(user);
    const { key } = await enrol(cookie);
    const before = await rawGet<{ h: string }>(`select password_hash as "h" from users where id = ?`, user.id);
    const change = async (fields: Record<string, string>) =>
      await call(account.action, makeRequest("/account", { form: { intent: "change-password", currentPassword: PASSWORD, newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD, ...fields }, cookie }));
    const noCode = unwrap(await change({}));
    expect(noCode.status).toBe(400);
    expect(noCode.data.errors.code).toBe("twoFactor.errors.codeRequired");
    at += 30_000;
    const wrongCode = unwrap(await change({ code: totpCode(key, timeStep(at) + 5) }));
    expect(wrongCode.data.errors.code).toBe("twoFactor.errors.codeWrong");
    // a weak new password is refused before the code is used up: the same code works on the next try
    const weak = unwrap(await change({ newPassword: "password1234", confirmPassword: "password1234", code: totpCode(key, timeStep(at)) }));
    expect(weak.status).toBe(400);
    expect(weak.data.errors.newPassword).toBeTruthy();
    expect(await rawGet(`select password_hash as "h" from users where id = ?`, user.id)).toEqual(before);
    const done = (await change({ code: totpCode(key, timeStep(at)) })) as Response;
    expect(done.status).toBe(302);
    expect(await rawGet(`select password_hash as "h" from users where id = ?`, user.id)).not.toEqual(before);
  });

  it("turning the second factor off needs the password and a code; then other sessions end, and a coordinator must enrol again", async () => {
    const user = await createUser({ role: "coordinator" });
    const cookie = await sessionCookie(user);
    const { key } = await enrol(cookie);
    const other = await sessionCookie(user);
    at += 30_000;
    const code = totpCode(key, timeStep(at));
    const noPassword = unwrap(await twoFactorPost(cookie, { intent: "remove", code }));
    expect(noPassword.status).toBe(400);
    expect(noPassword.data.errors.currentPassword).toBe("errors.required");
    const wrongPassword = unwrap(await twoFactorPost(cookie, { intent: "remove", currentPassword: "nope", code }));
    expect(wrongPassword.data.errors.currentPassword).toBe("account.errors.currentPasswordWrong");
    const noCode = unwrap(await twoFactorPost(cookie, { intent: "remove", currentPassword: PASSWORD }));
    expect(noCode.data.errors.code).toBe("twoFactor.errors.codeRequired");
    expect(await hasSecondFactor(user.id)).toBe(true);
    expect((await getSessionUser(makeRequest("/", { cookie: other })))?.user.id).toBe(user.id);

    const removed = (await twoFactorPost(cookie, { intent: "remove", currentPassword: PASSWORD, code })) as Response;
    expect(removed.status).toBe(302);
    expect(await hasSecondFactor(user.id)).toBe(false);
    expect(await getSessionUser(makeRequest("/", { cookie: other }))).toBeNull();
    expect(((await call(home.loader, makeRequest("/", { cookie }))) as Response).headers.get("Location")).toBe("/account/two-factor");
    expect(await auditActions(user.id)).toContain("second_factor.remove");
  });

  it("new recovery codes need the password and a code, and the old ones stop working", async () => {
    const user = await createUser({ role: "participant" });
    const cookie = await sessionCookie(user);
    const { recoveryCodes } = await enrol(cookie);
    const renewed = unwrap(await twoFactorPost(cookie, { intent: "renew-codes", currentPassword: PASSWORD, code: recoveryCodes[0] }));
    expect(renewed.status).toBe(200);
    expect(renewed.data.recoveryCodes).toHaveLength(10);
    const pending = cookiesOf(await signInWithPassword(user.email));
    expect(unwrap(await sendCode(pending, recoveryCodes[1])).status).toBe(400);
    expect(((await sendCode(pending, renewed.data.recoveryCodes[0])) as Response).status).toBe(302);
  });

  it("there is no form to change one's own email: only an administrator's account page names people (nothing to re-authenticate)", async () => {
    const user = await createUser({ role: "participant" });
    const answer = unwrap(await call(account.action, makeRequest("/account", { form: { intent: "change-email", email: "new@test.example" }, cookie: await sessionCookie(user) })));
    expect(answer.status).toBe(400);
    expect((await rawGet<{ email: string }>(`select email from users where id = ?`, user.id))!.email).toBe(user.email);
  });
});

describe("a password the policy now refuses", () => {
  it("is changed at the next sign-in: every page sends there until it is", async () => {
    const user = await createUser({ role: "participant" });
    await rawRun(`update users set password_hash = ? where id = ?`, await hashPassword("password1234"), user.id);
    const response = await signInWithPassword(user.email, "password1234", "/me");
    expect(response.headers.get("Location")).toBe("/account/password");
    const cookie = sessionOnly(cookiesOf(response));
    const pages: [AnyLoader, string][] = [[home.loader, "/"], [account.loader, "/account"], [twoFactor.loader, "/account/two-factor"]];
    for (const [loader, path] of pages) {
      expect(((await call(loader, makeRequest(path, { cookie }))) as Response).headers.get("Location"), path).toBe("/account/password");
    }
    const page = unwrap(await call(accountPassword.loader, makeRequest("/account/password", { cookie })));
    expect(page.data.mustChange).toBe(true);
    const weak = unwrap(await call(accountPassword.action, makeRequest("/account/password", { form: { intent: "change-password", currentPassword: "password1234", newPassword: "password12345", confirmPassword: "password12345" }, cookie })));
    expect(weak.status).toBe(400);
    const changed = (await call(accountPassword.action, makeRequest("/account/password", { form: { intent: "change-password", currentPassword: "password1234", newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }, cookie }))) as Response;
    expect(changed.status).toBe(302);
    expect(changed.headers.get("Location")).toBe("/");
    const fresh = sessionOnly(cookiesOf(changed));
    expect(unwrap(await call(home.loader, makeRequest("/", { cookie: fresh }))).status).toBe(200);
    expect(await auditActions(user.id)).toContain("account.password_change");
  });

  it("a coordinator with a refused password and a second factor: the code first, then the password change, then the site", async () => {
    const user = await createUser({ role: "coordinator" });
    const { key } = await enrol(await sessionCookie(user));
    await rawRun(`update users set password_hash = ? where id = ?`, await hashPassword("qwertyuiop12"), user.id);
    const pending = cookiesOf(await signInWithPassword(user.email, "qwertyuiop12"));
    at += 30_000;
    const signedIn = (await sendCode(pending, totpCode(key, timeStep(at)))) as Response;
    expect(signedIn.headers.get("Location")).toBe("/account/password");
    const cookie = sessionOnly(cookiesOf(signedIn, pending));
    at += 30_000;
    const changed = (await call(accountPassword.action, makeRequest("/account/password", { form: { intent: "change-password", currentPassword: "qwertyuiop12", code: totpCode(key, timeStep(at)), newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }, cookie }))) as Response;
    expect(changed.headers.get("Location")).toBe("/");
    expect(unwrap(await call(home.loader, makeRequest("/", { cookie: sessionOnly(cookiesOf(changed)) }))).status).toBe(200);
  });

  it("the demo accounts keep demo-password on an installation holding the demo data, and only there", async () => {
    const user = await createUser({ role: "participant" });
    await rawRun(`update users set password_hash = ? where id = ?`, await hashPassword("demo-password"), user.id);
    expect((await signInWithPassword(user.email, "demo-password", "/me")).headers.get("Location")).toBe("/account/password");
    await rawRun(`insert into app_settings (key, value) values ('demo_data', '1')`);
    try {
      expect((await signInWithPassword(user.email, "demo-password", "/me")).headers.get("Location")).toBe("/me");
      // any other refused password is still sent to change it there
      await rawRun(`update users set password_hash = ? where id = ?`, await hashPassword("password1234"), user.id);
      expect((await signInWithPassword(user.email, "password1234", "/me")).headers.get("Location")).toBe("/account/password");
    } finally {
      await rawRun(`delete from app_settings where key = 'demo_data'`);
    }
  });
});

describe("the secret at rest", () => {
  it("is encrypted with a key from SECRET_KEY when set, and stays readable after SECRET_KEY is set later", async () => {
    const early = await createUser({ role: "participant" });
    const { key: earlyKey } = await enrol(await sessionCookie(early));
    process.env.SECRET_KEY = "a test secret key of at least thirty-two characters";
    resetConfig();
    try {
      const user = await createUser({ role: "participant" });
      const { key } = await enrol(await sessionCookie(user));
      expect((await rawGet<{ secret: string }>(`select secret from second_factors where user_id = ?`, user.id))!.secret).toMatch(/^v1\.env\./);
      at += 30_000;
      expect(((await sendCode(cookiesOf(await signInWithPassword(user.email)), totpCode(key, timeStep(at)))) as Response).status).toBe(302);
      // enrolled with the database's key before SECRET_KEY: still works
      expect(((await sendCode(cookiesOf(await signInWithPassword(early.email)), totpCode(earlyKey, timeStep(at)))) as Response).status).toBe(302);
    } finally {
      delete process.env.SECRET_KEY;
      resetConfig();
    }
  });
});
