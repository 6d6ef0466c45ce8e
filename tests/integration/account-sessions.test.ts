import { afterEach, describe, expect, it } from "vitest";
import { storedSessionId } from "~/auth/lucia.server";
import { getSessionUser, LAST_USED_EVERY_MS } from "~/auth/session.server";
import { setClock } from "~/lib/clock";
import { runRetention } from "~/models/personal-data.server";
import { getDb } from "../../db/client";
import * as account from "~/routes/account";
import * as adminUser from "~/routes/admin.users.$userId";
import * as login from "~/routes/login";
import { call, createUser, makeRequest, PASSWORD, rawAll, rawGet, rawRun, sessionCookie, unwrap } from "../setup/helpers";

/**
 * /account lists where the user is signed in (browser and system from the User-Agent, the address,
 * when signed in and last used) and ends any other session or all of them; an admin ends every
 * session of a user. Nobody ends a session that is not theirs.
 */

const ANDROID = "Mozilla/5.0 (Linux; Android 13; SM-A536B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36";
const WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0";

afterEach(() => setClock(null));

/** Sign in through the login form, from a browser and an address. */
async function signIn(email: string, userAgent: string, ip: string) {
  const response = (await call(
    login.action,
    makeRequest("/login", { form: { email, password: PASSWORD }, headers: { "User-Agent": userAgent, "x-convene-client-ip": ip } }),
  )) as Response;
  expect(response.status).toBe(302);
  return response.headers.get("Set-Cookie")!.split(";")[0];
}

async function sessionsOf(cookie: string) {
  const result = unwrap(await call(account.loader, makeRequest("/account", { cookie })));
  expect(result.status).toBe(200);
  return result.data.sessions as { handle: string; browser: string | null; os: string | null; mobile: boolean; ip: string | null; current: boolean }[];
}

async function post(cookie: string, form: Record<string, string>) {
  return await call(account.action, makeRequest("/account", { form, cookie }));
}

describe("the list of sessions", () => {
  it("shows each browser and system, the address and which one is this, and never a cookie's id", async () => {
    const user = await createUser({ role: "facilitator" });
    const phone = await signIn(user.email, ANDROID, "198.51.100.7");
    const laptop = await signIn(user.email, WINDOWS, "203.0.113.20");
    const listed = await sessionsOf(laptop);
    expect(listed).toHaveLength(2);
    expect(listed[0]).toMatchObject({ current: true, browser: "Firefox 128", os: "Windows 10", mobile: false, ip: "203.0.113.20" });
    expect(listed[1]).toMatchObject({ current: false, browser: "Chrome 120", os: "Android 13", mobile: true, ip: "198.51.100.7" });
    const ids = [phone, laptop].map((c) => c.split("=")[1]);
    for (const line of listed) expect(ids).not.toContain(line.handle);
    expect(listed.map((l) => l.handle).sort()).toEqual(ids.map(storedSessionId).sort());
  });

  it("moves 'last used' and the address at most every few minutes, not on every page", async () => {
    const user = await createUser({ role: "participant" });
    let at = Date.parse("2026-12-01T09:00:00Z");
    setClock(() => at);
    const cookie = await signIn(user.email, ANDROID, "198.51.100.7");
    const stored = storedSessionId(cookie.split("=")[1]);
    const lastUsed = async () => await rawGet<{ at: number; ip: string }>(`select last_used_at as "at", ip from auth_sessions where id = ?`, stored);
    expect(Number((await lastUsed())!.at)).toBe(at);
    at += 60_000;
    await getSessionUser(makeRequest("/", { cookie, headers: { "x-convene-client-ip": "198.51.100.8" } }));
    expect(Number((await lastUsed())!.at)).toBe(at - 60_000);
    at += LAST_USED_EVERY_MS;
    await getSessionUser(makeRequest("/", { cookie, headers: { "x-convene-client-ip": "198.51.100.9" } }));
    expect(await lastUsed()).toEqual({ at: expect.anything(), ip: "198.51.100.9" });
    expect(Number((await lastUsed())!.at)).toBe(at);
  });
});

describe("ending sessions", () => {
  it("ends another session of one's own: that browser is signed out, this one stays, audited", async () => {
    const user = await createUser({ role: "facilitator" });
    const phone = await signIn(user.email, ANDROID, "198.51.100.7");
    const laptop = await signIn(user.email, WINDOWS, "203.0.113.20");
    const other = (await sessionsOf(laptop)).find((s) => !s.current)!;
    const ended = (await post(laptop, { intent: "end-session", session: other.handle })) as Response;
    expect(ended.status).toBe(302);
    expect(await getSessionUser(makeRequest("/", { cookie: phone }))).toBeNull();
    expect((await getSessionUser(makeRequest("/", { cookie: laptop })))?.user.id).toBe(user.id);
    expect(await rawAll(`select action from audit_log where action = ? and user_id = ?`, "account.session_end", user.id)).toHaveLength(1);
  });

  it("refuses to end someone else's session, one already gone, a junk handle or this one — and changes nothing", async () => {
    const mine = await createUser({ role: "participant" });
    const theirs = await createUser({ role: "admin" });
    const cookie = await signIn(mine.email, ANDROID, "198.51.100.7");
    const victim = await signIn(theirs.email, WINDOWS, "203.0.113.20");
    const victimHandle = storedSessionId(victim.split("=")[1]);
    const before = await rawAll(`select id from auth_sessions order by id`);
    const foreign = unwrap(await post(cookie, { intent: "end-session", session: victimHandle }));
    expect(foreign.status).toBe(404);
    expect(foreign.data.errors.form).toBe("account.sessions.unknown");
    // the victim's cookie value itself, or junk
    for (const junk of [victim.split("=")[1], "", "x".repeat(10_000), "' or 1=1 --", victimHandle.toUpperCase()]) {
      expect(unwrap(await post(cookie, { intent: "end-session", session: junk })).status, junk.slice(0, 20)).toBe(400);
    }
    const self = unwrap(await post(cookie, { intent: "end-session", session: storedSessionId(cookie.split("=")[1]) }));
    expect(self.status).toBe(400);
    expect(self.data.errors.form).toBe("account.sessions.notCurrent");
    expect(await rawAll(`select id from auth_sessions order by id`)).toEqual(before);
    expect((await getSessionUser(makeRequest("/", { cookie: victim })))?.user.id).toBe(theirs.id);
  });

  it("ends every other session at once, keeping this one", async () => {
    const user = await createUser({ role: "partner" });
    const a = await signIn(user.email, ANDROID, "198.51.100.7");
    const b = await signIn(user.email, WINDOWS, "203.0.113.20");
    const here = await signIn(user.email, WINDOWS, "203.0.113.21");
    expect((await post(here, { intent: "end-other-sessions" }) as Response).status).toBe(302);
    expect(await getSessionUser(makeRequest("/", { cookie: a }))).toBeNull();
    expect(await getSessionUser(makeRequest("/", { cookie: b }))).toBeNull();
    expect(await sessionsOf(here)).toEqual([expect.objectContaining({ current: true })]);
    expect(await rawGet(`select details from audit_log where action = ? and user_id = ?`, "account.sessions_end_others", user.id)).toBeDefined();
  });

  it("lets an admin end every session of a user, audited; nobody else", async () => {
    const admin = await createUser({ role: "admin" });
    const coordinator = await createUser({ role: "coordinator" });
    const target = await createUser({ role: "facilitator" });
    const targetCookie = await signIn(target.email, ANDROID, "198.51.100.7");
    const coordinatorCookie = await sessionCookie(coordinator);
    const refused = await call(adminUser.action, makeRequest(`/admin/users/${target.id}`, { form: { intent: "end-sessions" }, cookie: coordinatorCookie }), { userId: target.id });
    expect((refused as Response).status).toBe(403);
    expect((await getSessionUser(makeRequest("/", { cookie: targetCookie })))?.user.id).toBe(target.id);
    const done = (await call(adminUser.action, makeRequest(`/admin/users/${target.id}`, { form: { intent: "end-sessions" }, cookie: await sessionCookie(admin) }), { userId: target.id })) as Response;
    expect(done.status).toBe(302);
    expect(await getSessionUser(makeRequest("/", { cookie: targetCookie }))).toBeNull();
    expect(await rawAll(`select id from auth_sessions where user_id = ?`, target.id)).toHaveLength(0);
    expect(await rawAll(`select action from audit_log where action = ? and entity_id = ?`, "user.sessions_end", target.id)).toHaveLength(1);
  });
});

describe("sessions nobody can use", () => {
  it("are deleted by the daily retention round: idle or absolute limit passed, or stored before ids were hashed", async () => {
    const user = await createUser({ role: "participant" });
    const live = storedSessionId((await sessionCookie(user)).split("=")[1]);
    const idle = storedSessionId((await sessionCookie(user)).split("=")[1]);
    const old = storedSessionId((await sessionCookie(user)).split("=")[1]);
    const at = Date.now();
    await rawRun(`update auth_sessions set expires_at = ? where id = ?`, Math.floor(at / 1000) - 60, idle);
    await rawRun(`update auth_sessions set absolute_expires_at = ? where id = ?`, at - 60_000, old);
    // a row as sessions were stored before: the cookie's id itself (40 characters)
    await rawRun(
      `insert into auth_sessions (id, user_id, expires_at, absolute_expires_at, created_at) values (?, ?, ?, ?, ?)`,
      "a".repeat(40), user.id, Math.floor(at / 1000) + 3600, at + 3_600_000, at,
    );
    const result = await runRetention(getDb(), new Date(at));
    expect(result.sessionsDeleted).toBeGreaterThanOrEqual(3);
    expect(await rawAll(`select id from auth_sessions where user_id = ?`, user.id)).toEqual([{ id: live }]);
  });
});
