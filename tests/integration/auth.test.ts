import { afterEach, describe, expect, it, vi } from "vitest";
import { eq } from "drizzle-orm";
import { getDb } from "../../db/client";
import { auditLog, authSessions } from "../../db/schema";
import * as login from "~/routes/login";
import * as logout from "~/routes/logout";
import * as home from "~/routes/_index";
import * as eventsIndex from "~/routes/events._index";
import { getSessionUser } from "~/auth/session.server";
import { call, createOrganisation, createUser, makeRequest, PASSWORD, unwrap } from "../setup/helpers";

function cookieFrom(response: Response) {
  const setCookie = response.headers.get("Set-Cookie") ?? "";
  return setCookie.split(";")[0];
}

async function signIn(email: string, password: string, extra: Record<string, string> = {}) {
  return await call(login.action, makeRequest("/login", { form: { email, password, ...extra } }));
}

afterEach(() => {
  vi.useRealTimers();
});

describe("login", () => {
  it("starts a session with a secure cookie and redirects to the requested page", async () => {
    // (a role that needs no second factor: admins and coordinators are sent to enrol one, second-factor.test.ts)
    const user = await createUser({ role: "facilitator", email: "coord@test.example" });
    const response = (await signIn("Coord@Test.Example", PASSWORD, { redirectTo: "/events?when=past" })) as Response;
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/events?when=past");
    const setCookie = response.headers.get("Set-Cookie")!;
    expect(setCookie).toMatch(/^convene_session=/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    const session = await getSessionUser(makeRequest("/", { cookie: cookieFrom(response) }));
    expect(session?.user.id).toBe(user.id);
    expect(session?.user.role).toBe("facilitator");
  });

  it("creates a new session id at every login", async () => {
    await createUser({ role: "participant", email: "p@test.example" });
    const first = cookieFrom((await signIn("p@test.example", PASSWORD)) as Response);
    const second = cookieFrom((await signIn("p@test.example", PASSWORD)) as Response);
    expect(first).not.toBe(second);
  });

  it("refuses a wrong password with a generic message and no session", async () => {
    await createUser({ role: "coordinator", email: "coord2@test.example" });
    const sessionsBefore = (await getDb().select().from(authSessions)).length;
    const wrong = unwrap(await signIn("coord2@test.example", "not the password"));
    const unknown = unwrap(await signIn("nobody@test.example", "not the password"));
    expect(wrong.status).toBe(400);
    expect(wrong.headers.get("Set-Cookie")).toBeNull();
    expect(wrong.data.formError).toBe("login.invalid");
    // an unknown email gets exactly the same answer: no account enumeration
    expect(unknown.status).toBe(400);
    expect(unknown.data.formError).toBe("login.invalid");
    expect(wrong.data.values.email).toBe("coord2@test.example");
    expect((await getDb().select().from(authSessions)).length).toBe(sessionsBefore);
    const failures = await getDb().select().from(auditLog).where(eq(auditLog.action, "login.failure"));
    expect(failures.length).toBe(2);
  });

  it("refuses a disabled account even with the right password", async () => {
    const user = await createUser({ role: "partner", email: "gone@test.example", disabled: true });
    const result = unwrap(await signIn("gone@test.example", PASSWORD));
    expect(result.status).toBe(400);
    expect(result.data.formError).toBe("login.disabled");
    expect(await getDb().select().from(authSessions).where(eq(authSessions.userId, user.id))).toHaveLength(0);
  });

  it("refuses an invited user who has not chosen a password", async () => {
    await createUser({ role: "participant", email: "invited@test.example", withoutPassword: true });
    const result = unwrap(await signIn("invited@test.example", ""));
    expect(result.status).toBe(400);
    expect(result.data.errors.password).toBe("errors.required");
  });

  it("keeps what was typed and explains a malformed email or an oversized field", async () => {
    const malformed = unwrap(await signIn("not-an-email", "x"));
    expect(malformed.status).toBe(400);
    expect(malformed.data.errors.email).toBe("errors.email");
    expect(malformed.data.values.email).toBe("not-an-email");
    expect(malformed.data.values.password).toBeUndefined();
    const huge = unwrap(await signIn(`${"a".repeat(10 * 1024 * 1024)}@example.org`, "x"));
    expect(huge.status).toBe(400);
    expect(huge.data.errors.email).toBe("errors.tooLong|max=254");
    // the page gets the value back, but never megabytes of it
    expect(huge.data.values.email.length).toBeLessThanOrEqual(20000);
  });

  it("never redirects to another site after login", async () => {
    await createUser({ role: "facilitator", email: "c3@test.example" });
    const response = (await signIn("c3@test.example", PASSWORD, { redirectTo: "//evil.example/x" })) as Response;
    expect(response.headers.get("Location")).toBe("/");
    // a path that a URL parser normalises into another host: /.//evil.example -> //evil.example
    for (const redirectTo of ["/.//evil.example", "/\\evil.example", "/%2F/evil.example", "/\t/evil.example", "/..//evil.example"]) {
      const answer = (await signIn("c3@test.example", PASSWORD, { redirectTo })) as Response;
      expect(answer.headers.get("Location"), redirectTo).toBe("/");
    }
  });
});

describe("logout", () => {
  it("ends the session on the server and clears the cookie", async () => {
    await createUser({ role: "donor", email: "d@test.example", organisationId: (await createOrganisation("PRM", "donor", "US")).id });
    const cookie = cookieFrom((await signIn("d@test.example", PASSWORD)) as Response);
    const response = (await call(logout.action, makeRequest("/logout", { form: {}, cookie }))) as Response;
    expect(response.status).toBe(302);
    expect(response.headers.get("Set-Cookie")).toMatch(/convene_session=;/);
    expect(await getSessionUser(makeRequest("/", { cookie }))).toBeNull();
  });
});

describe("session lifetime", () => {
  it("ends a participant's session after 7 days unused but keeps a used one alive", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-01-01T08:00:00Z"));
    await createUser({ role: "participant", email: "idle@test.example" });
    const cookie = cookieFrom((await signIn("idle@test.example", PASSWORD)) as Response);
    vi.setSystemTime(new Date("2026-01-05T08:00:00Z"));
    expect(await getSessionUser(makeRequest("/", { cookie }))).not.toBeNull(); // used on day 4: extended
    vi.setSystemTime(new Date("2026-01-11T08:00:00Z"));
    expect(await getSessionUser(makeRequest("/", { cookie }))).not.toBeNull(); // 6 days after last use
    vi.setSystemTime(new Date("2026-01-18T09:00:00Z"));
    expect(await getSessionUser(makeRequest("/", { cookie }))).toBeNull(); // 7 days unused
  });

  it("ends any session 30 days after login, however much it is used", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const start = new Date("2026-02-01T08:00:00Z").getTime();
    vi.setSystemTime(start);
    await createUser({ role: "partner", email: "abs@test.example", organisationId: (await createOrganisation("Agency", "government_partner")).id });
    const cookie = cookieFrom((await signIn("abs@test.example", PASSWORD)) as Response);
    for (let day = 3; day < 30; day += 3) {
      vi.setSystemTime(start + day * 86400_000);
      expect(await getSessionUser(makeRequest("/", { cookie }))).not.toBeNull();
    }
    vi.setSystemTime(start + 30 * 86400_000 + 1000);
    expect(await getSessionUser(makeRequest("/", { cookie }))).toBeNull();
  });

  it("ends admin and coordinator sessions 12 hours after login", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const start = new Date("2026-03-01T08:00:00Z").getTime();
    vi.setSystemTime(start);
    await createUser({ role: "coordinator", email: "short@test.example" });
    const cookie = cookieFrom((await signIn("short@test.example", PASSWORD)) as Response);
    vi.setSystemTime(start + 11 * 3600_000);
    expect(await getSessionUser(makeRequest("/", { cookie }))).not.toBeNull();
    vi.setSystemTime(start + 12 * 3600_000 + 1000);
    expect(await getSessionUser(makeRequest("/", { cookie }))).toBeNull();
  });

  it("sends an anonymous visitor to the login page with the page to come back to", async () => {
    await createUser({ role: "admin", email: "first-admin@test.example" });
    const response = (await call(eventsIndex.loader, makeRequest("/events?when=past"))) as Response;
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/login?redirectTo=%2Fevents%3Fwhen%3Dpast");
    const homeResponse = (await call(home.loader, makeRequest("/"))) as Response;
    expect(homeResponse.headers.get("Location")).toBe("/login");
  });
});
