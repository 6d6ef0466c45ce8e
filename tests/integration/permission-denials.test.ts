import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb, firstRow } from "../../db/client";
import { auditLog, events, eventSessions, sessionFacilitators } from "../../db/schema";
import * as auditPage from "~/routes/admin.audit";
import * as usersPage from "~/routes/admin.users._index";
import * as attendancePage from "~/routes/events.$eventId.attendance";
import { call, createUser, makeRequest, sessionCookie, unwrap } from "../setup/helpers";
import { startRouteServer } from "../setup/route-server";

/**
 * Permission denials in the audit log (issue 10), through the real HTTP layer (server/app.ts) and
 * the real entry module: every 403 a signed-in user receives — from a route's `requireRole` or a
 * model's `forbidden()` — becomes one "permission.denied" entry with who, the method and path,
 * when, and the address the server saw. The Remix build here holds real route loaders as resource
 * routes (tests/setup/route-server.ts): the refusal and its audit do not depend on how the page
 * would look.
 */

let close: () => Promise<void>;
let base: string;
let adminCookie: string;

beforeAll(async () => {
  ({ base, close } = await startRouteServer({
    "admin/users": usersPage,
    "events/:eventId/attendance": attendancePage,
  }));
  adminCookie = await sessionCookie(await createUser({ role: "admin" }));
});
afterAll(async () => await close());

const denials = async () => await getDb().select().from(auditLog).where(eq(auditLog.action, "permission.denied"));

/** The entry is written once the answer has gone: wait (briefly) until the log has `n` of them. */
async function denialsOnceThere(n: number) {
  for (let i = 0; i < 100 && (await denials()).length < n; i++) await new Promise((r) => setTimeout(r, 20));
  // and a moment more, to see that no second entry follows
  await new Promise((r) => setTimeout(r, 100));
  return await denials();
}

describe("permission denials", () => {
  it("a participant asking for an admin page: one entry with their id, the method and path, and their address; shown on /admin/audit", async () => {
    const participant = await createUser({ role: "participant" });
    const before = (await denials()).length;
    const response = await fetch(`${base}/admin/users?q=secret`, { headers: { Cookie: await sessionCookie(participant) }, redirect: "manual" });
    expect(response.status).toBe(403);
    const entries = (await denialsOnceThere(before + 1)).slice(before);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ userId: participant.id, action: "permission.denied", details: { method: "GET", path: "/admin/users", role: "participant" } });
    expect(entries[0].ip).toMatch(/^(::ffff:)?127\.0\.0\.1$/);
    expect(Date.now() - entries[0].at.getTime()).toBeLessThan(60_000);

    // the admin page lists it, and the action filter finds it
    const { status, data } = unwrap(await call(auditPage.loader, makeRequest("/admin/audit?action=permission.denied", { cookie: adminCookie })));
    expect(status).toBe(200);
    const rows = data.result.rows.filter((r: { userId: string }) => r.userId === participant.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ action: "permission.denied", userEmail: participant.email, ip: entries[0].ip, details: { method: "GET", path: "/admin/users" } });
    expect(data.options.actions).toContain("permission.denied");
  });

  it("a refusal from inside a model's transaction (forbidden() in a POST) is recorded too, with the data request's page path", async () => {
    // a facilitator of the event's first session marks attendance in its second: refused inside
    // recordAttendance's write transaction, which rolls back
    const db = getDb();
    const event = (await db
      .insert(events)
      .values({ title: "Denials", type: "training", country: "BS", timeZone: "America/Nassau", startDate: "2027-03-02", endDate: "2027-03-02", status: "open" })
      .returning())[0];
    const [taught, other] = await Promise.all([13, 15].map(
      async (hour) =>
        (await db
          .insert(eventSessions)
          .values({ eventId: event.id, title: `At ${hour}`, startsAt: new Date(`2027-03-02T${hour}:00:00Z`), endsAt: new Date(`2027-03-02T${hour + 1}:00:00Z`) })
          .returning())[0].id,
    ));
    const facilitator = await createUser({ role: "facilitator" });
    await db.insert(sessionFacilitators).values({ sessionId: taught, userId: facilitator.id });
    const before = (await denials()).length;
    const response = await fetch(`${base}/events/${event.id}/attendance.data`, {
      method: "POST",
      headers: { Cookie: await sessionCookie(facilitator), Origin: base, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ intent: "cell", sessionId: String(other), registrationId: "1", status: "present" }),
      redirect: "manual",
    });
    expect(response.status).toBe(403);
    const entries = (await denialsOnceThere(before + 1)).slice(before);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ userId: facilitator.id, details: { method: "POST", path: `/events/${event.id}/attendance`, role: "facilitator" } });
  });

  it("anonymous visitors (sent to the login page) and allowed requests leave no denial entry", async () => {
    const before = (await denials()).length;
    const anonymous = await fetch(`${base}/admin/users`, { redirect: "manual" });
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("Location")).toBe("/login?redirectTo=%2Fadmin%2Fusers");
    const allowed = await fetch(`${base}/admin/users`, { headers: { Cookie: adminCookie }, redirect: "manual" });
    expect(allowed.status).toBe(200);
    // a stale cookie is anonymous too
    const stale = await fetch(`${base}/admin/users`, { headers: { Cookie: "auth_session=not-a-session" }, redirect: "manual" });
    expect(stale.status).toBe(302);
    await new Promise((r) => setTimeout(r, 300));
    expect(await denials()).toHaveLength(before);
  });
});
