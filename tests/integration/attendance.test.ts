import { beforeAll, describe, expect, it, vi } from "vitest";
import { and, eq } from "drizzle-orm";
import { getDb, firstRow } from "../../db/client";
import { attendance, auditLog, events, eventSessions, people, registrations, sessionFacilitators, users } from "../../db/schema";
import { DEMO_EVENTS, seedDemo } from "../../db/seed/demo";
import * as page from "~/routes/events.$eventId.attendance";
import * as csv from "~/routes/events.$eventId.attendance[.]csv";
import type { Role } from "~/lib/domain";
import { zonedToUtc } from "~/lib/zoned";
import { call, createUser, makeRequest, sessionCookie, unwrap, rawAll } from "../setup/helpers";

let cookies: Record<string, string>;
let victimId: number;
let bahrainId: number;

beforeAll(async () => {
  await seedDemo(getDb(), { today: new Date("2026-11-22T12:00:00Z") });
  cookies = {};
  for (const role of ["admin", "coordinator", "facilitator", "participant", "partner", "donor"] as Role[]) {
    const user = firstRow(await getDb().select().from(users).where(eq(users.email, `${role}@example.org`)).limit(1))!;
    cookies[role] = await sessionCookie({ id: user.id, role: user.role });
  }
  victimId = firstRow(await getDb().select().from(events).where(eq(events.title, DEMO_EVENTS.victimIdentification)).limit(1))!.id;
  bahrainId = firstRow(await getDb().select().from(events).where(eq(events.title, DEMO_EVENTS.bahrain)).limit(1))!.id;
});

const grid = async (eventId: number, role = "coordinator") =>
  unwrap(await call(page.loader, makeRequest(`/events/${eventId}/attendance`, { cookie: cookies[role] }), { eventId: String(eventId) }));
const post = async (eventId: number, form: Record<string, string>, role = "coordinator") =>
  await call(page.action, makeRequest(`/events/${eventId}/attendance`, { form, cookie: cookies[role] }), { eventId: String(eventId) });

describe("attendance grid", () => {
  it("shows the demo training's real per-session attendance and each officer's completion", async () => {
    const { data } = await grid(victimId);
    expect(data.sessions).toHaveLength(8);
    expect(data.participants).toHaveLength(22);
    // completion recomputed by hand from the marks: (present + late) / (sessions − excused) ≥ 80%
    // the marks as stored, one letter per session in the grid's order
    const stored = await rawAll<{ r: number; s: number; status: string }>("select registration_id as r, session_id as s, status from attendance");
    const letter = { present: "P", late: "L", absent: "A", excused: "E" } as Record<string, string>;
    for (const p of data.participants) {
      const expected = data.sessions.map((s: { id: number }) => {
        const mark = stored.find((m) => m.r === p.registrationId && m.s === s.id);
        return mark ? letter[mark.status] : "-";
      });
      expect(p.marks).toBe(expected.join(""));
      const attended = [...p.marks].filter((m) => m === "P" || m === "L").length;
      const counted = 8 - [...p.marks].filter((m) => m === "E").length;
      expect([p.attended, p.counted, p.completed]).toEqual([attended, counted, counted > 0 && attended * 100 >= 80 * counted]);
    }
    expect(data.participants.some((p: { marks: string }) => p.marks.includes("-") || p.marks.includes("E"))).toBe(true);
    // the overview carries no per-mark details; the session being marked carries its own
    expect(data.sessionMarks).toEqual([]);
    const first = data.sessions[0].id;
    const one = unwrap(await call(page.loader, makeRequest(`/events/${victimId}/attendance?session=${first}`, { cookie: cookies.coordinator }), { eventId: String(victimId) })).data;
    expect(one.sessionMarks.length).toBe(stored.filter((m) => m.s === first).length);
    expect(one.sessionMarks.every((m: { sessionId: number; recordedAt: unknown }) => m.sessionId === first && m.recordedAt)).toBe(true);
    const shavonne = data.participants.find((p: { givenName: string; familyName: string }) => p.givenName === "Shavonne" && p.familyName === "Rolle");
    expect(shavonne).toMatchObject({ attended: 8, counted: 8, completed: true });
    expect(data.participants.some((p: { completed: boolean }) => !p.completed)).toBe(true);
    expect(data.perSession).toHaveLength(8);
  });

  it("is for coordinators, admins and the event's facilitators only", async () => {
    expect((await grid(victimId, "facilitator")).status).toBe(200);
    for (const role of ["participant", "partner", "donor"]) {
      expect(((await call(page.loader, makeRequest(`/events/${victimId}/attendance`, { cookie: cookies[role] }), { eventId: String(victimId) })) as Response).status).toBe(403);
    }
    // a facilitator who teaches nothing in Bahrain may not even learn of its attendance page
    const other = await createUser({ role: "facilitator" });
    const cookie = await sessionCookie(other);
    expect(((await call(page.loader, makeRequest(`/events/${bahrainId}/attendance`, { cookie }), { eventId: String(bahrainId) })) as Response).status).toBe(404);
  });
});

describe("recording attendance", () => {
  // a day already over (attendance is taken only for sessions that have started)
  async function freshEvent(day = "2026-05-04") {
    const db = getDb();
    const eventId = (await db.insert(events).values({ title: "Attendance drill", type: "training", country: "BS", timeZone: "America/Nassau", startDate: day, endDate: day, status: "in_progress" }).returning())[0].id;
    const s = async (time: string, end: string, kind: "presentation" | "break" = "presentation") =>
      (await db.insert(eventSessions).values({ eventId, title: `Session ${time}`, kind, startsAt: zonedToUtc(day, time, "America/Nassau"), endsAt: zonedToUtc(day, end, "America/Nassau") }).returning())[0].id;
    const sessions = [await s("09:00", "10:00"), await s("10:00", "10:15", "break"), await s("10:15", "11:00"), await s("11:00", "12:00"), await s("13:00", "14:00"), await s("14:00", "15:00")];
    const regs = await Promise.all(["Ana", "Ben", "Cy"].map(async (name) => {
      const personId = (await db.insert(people).values({ givenName: name, familyName: "Drill" }).returning())[0].id;
      return (await db.insert(registrations).values({ eventId, personId, status: "confirmed", statusChangedAt: new Date() }).returning())[0].id;
    }));
    return { eventId, sessions, regs };
  }

  it("records, changes and clears a mark, keeping who and when; late counts, excused leaves the count, breaks take none", async () => {
    const { eventId, sessions, regs } = await freshEvent();
    const [s1, brk, s3, s4, s5, s6] = sessions;
    const cell = async (registrationId: number, sessionId: number, status: string) =>
      await post(eventId, { intent: "cell", sessionId: String(sessionId), registrationId: String(registrationId), status });
    for (const [sid, st] of [[s1, "present"], [s3, "late"], [s4, "excused"], [s5, "present"], [s6, "absent"]] as const) {
      expect(unwrap(await cell(regs[0], sid, st)).status).toBe(200);
    }
    // the break is not a column of the grid, and a mark for it is refused
    expect((await grid(eventId)).data.sessions.map((s: { id: number }) => s.id)).toEqual([s1, s3, s4, s5, s6]);
    const onBreak = unwrap(await cell(regs[0], brk, "absent"));
    expect([onBreak.status, onBreak.data.error]).toEqual([400, "attendance.errors.break"]);
    const allOnBreak = unwrap(await post(eventId, { intent: "all-present", sessionId: String(brk) }));
    expect([allOnBreak.status, allOnBreak.data.error]).toEqual([400, "attendance.errors.break"]);
    expect(await getDb().select().from(attendance).where(eq(attendance.sessionId, brk))).toEqual([]);
    const row = firstRow(await getDb().select().from(attendance).where(and(eq(attendance.registrationId, regs[0]), eq(attendance.sessionId, s1))).limit(1))!;
    const coordinatorId = firstRow(await getDb().select().from(users).where(eq(users.email, "coordinator@example.org")).limit(1))!.id;
    expect(row).toMatchObject({ status: "present", method: "manual", recordedByUserId: coordinatorId });
    let ana = (await grid(eventId)).data.participants.find((p: { registrationId: number }) => p.registrationId === regs[0]);
    // 5 sessions count (the break does not); excused leaves 4; present + late + present = 3 → 75% < 80%
    expect(ana).toMatchObject({ attended: 3, counted: 4, completed: false });
    await cell(regs[0], s6, "late");
    ana = (await grid(eventId)).data.participants.find((p: { registrationId: number }) => p.registrationId === regs[0]);
    expect(ana).toMatchObject({ attended: 4, counted: 4, completed: true });
    await cell(regs[0], s6, "");
    expect(firstRow(await getDb().select().from(attendance).where(and(eq(attendance.registrationId, regs[0]), eq(attendance.sessionId, s6))).limit(1))).toBeUndefined();
    expect((await getDb().select().from(auditLog).where(and(eq(auditLog.action, "attendance.record"), eq(auditLog.entityId, String(eventId))))).length).toBeGreaterThan(5);
  });

  it("marks everyone not yet marked as present, leaving existing marks alone", async () => {
    const { eventId, sessions, regs } = await freshEvent();
    await post(eventId, { intent: "cell", sessionId: String(sessions[0]), registrationId: String(regs[1]), status: "absent" });
    const response = (await post(eventId, { intent: "all-present", sessionId: String(sessions[0]) })) as Response;
    expect(response.status).toBe(302);
    const marks = await getDb().select().from(attendance).where(eq(attendance.sessionId, sessions[0]));
    expect(marks.map((m) => [m.registrationId, m.status]).sort()).toEqual([[regs[0], "present"], [regs[1], "absent"], [regs[2], "present"]].sort());
  });

  it("refuses a person not on this event's roster and a session of another event, changing nothing", async () => {
    const { eventId, sessions } = await freshEvent();
    const other = await freshEvent();
    const before = (await getDb().select().from(attendance)).length;
    const foreignPerson = unwrap(await post(eventId, { intent: "cell", sessionId: String(sessions[0]), registrationId: String(other.regs[0]), status: "present" }));
    expect(foreignPerson.status).toBe(400);
    expect(foreignPerson.data.error).toBe("attendance.errors.notOnRoster");
    const foreignSession = unwrap(await post(eventId, { intent: "session", sessionId: String(other.sessions[0]), [`r-${other.regs[0]}`]: "present" }));
    expect(foreignSession.status).toBe(400);
    expect(foreignSession.data.error).toBe("attendance.errors.otherEvent");
    expect((await getDb().select().from(attendance)).length).toBe(before);
  });

  it("takes no attendance for a session that has not started (its check-in grace included): nothing changes, the form says when it opens", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      // 09:50 in Nassau on the training day: the first session runs, the one at 10:15 opens at 10:00
      vi.setSystemTime(new Date("2027-05-04T13:50:00Z"));
      const cookie = await sessionCookie(firstRow(await getDb().select().from(users).where(eq(users.email, "coordinator@example.org")).limit(1))!);
      const { eventId, sessions, regs } = await freshEvent("2027-05-04");
      const [s1, , s3, s4] = sessions;
      const send = async (form: Record<string, string>) => await call(page.action, makeRequest(`/events/${eventId}/attendance`, { form, cookie }), { eventId: String(eventId) });
      const before = (await getDb().select().from(attendance)).length;
      const opensAt = Date.parse("2027-05-04T14:00:00Z");
      for (const form of [
        { intent: "all-present", sessionId: String(s3) } as Record<string, string>,
        { intent: "cell", sessionId: String(s3), registrationId: String(regs[0]), status: "present" },
        { intent: "session", sessionId: String(s4), [`r-${regs[0]}`]: "absent" },
      ]) {
        const refused = unwrap(await send(form));
        expect(refused.status).toBe(400);
        expect(refused.data.error).toBe("attendance.errors.notStarted");
        expect(refused.data.values.opensAt).toBe(form.sessionId === String(s3) ? opensAt : Date.parse("2027-05-04T14:45:00Z"));
      }
      expect((await getDb().select().from(attendance)).length).toBe(before);
      // the page shows which sessions are open
      const page1 = unwrap(await call(page.loader, makeRequest(`/events/${eventId}/attendance`, { cookie }), { eventId: String(eventId) })).data;
      expect(page1.sessions.map((s: { id: number; open: boolean }) => [s.id, s.open])).toEqual([[s1, true], [s3, false], [s4, false], [sessions[4], false], [sessions[5], false]]);
      expect(page1.sessions[1].opensAt).toBe(opensAt);
      // the running session takes attendance; the next one from the start of its grace
      expect(((await send({ intent: "all-present", sessionId: String(s1) })) as Response).status).toBe(302);
      vi.setSystemTime(opensAt);
      expect(((await send({ intent: "all-present", sessionId: String(s3) })) as Response).status).toBe(302);
      expect(await getDb().select().from(attendance).where(eq(attendance.sessionId, s3))).toHaveLength(3);
    } finally {
      vi.useRealTimers();
    }
  });

  it("lets a facilitator mark only the sessions they teach", async () => {
    const { eventId, sessions, regs } = await freshEvent();
    const facilitator = await createUser({ role: "facilitator" });
    await getDb().insert(sessionFacilitators).values({ sessionId: sessions[0], userId: facilitator.id });
    const cookie = await sessionCookie(facilitator);
    const mine = await call(page.action, makeRequest(`/events/${eventId}/attendance`, { form: { intent: "cell", sessionId: String(sessions[0]), registrationId: String(regs[0]), status: "present" }, cookie }), { eventId: String(eventId) });
    expect(unwrap(mine).status).toBe(200);
    const notMine = (await call(page.action, makeRequest(`/events/${eventId}/attendance`, { form: { intent: "cell", sessionId: String(sessions[2]), registrationId: String(regs[0]), status: "present" }, cookie }), { eventId: String(eventId) })) as Response;
    expect(notMine.status).toBe(403);
  });
});

describe("attendance.csv", () => {
  it("has one row per participant × session and a total per participant, for coordinators and admins", async () => {
    const response = (await call(csv.loader, makeRequest(`/events/${victimId}/attendance.csv`, { cookie: cookies.coordinator }), { eventId: String(victimId) })) as Response;
    const lines = (await response.text()).replace(/^\uFEFF/, "").trim().split("\r\n");
    expect(lines[0]).toBe("given name,family name,organisation,session,session start (America/Nassau),status,recorded how,recorded by,recorded at,sessions attended,sessions counted,attendance rate (%),completed");
    expect(lines).toHaveLength(1 + 22 * 8 + 22);
    expect(lines.filter((l) => l.startsWith("Shavonne,Rolle,") && l.includes(",TOTAL,"))[0]).toMatch(/,8,8,100,yes$/);
    expect(lines.some((l) => l.includes("2023-08-09 09:00,present,manual,Tomás Herrera"))).toBe(true);
    const audited = await getDb().select().from(auditLog).where(and(eq(auditLog.action, "export.attendance"), eq(auditLog.entityId, String(victimId))));
    expect(audited).toHaveLength(1);
    expect(((await call(csv.loader, makeRequest(`/events/${victimId}/attendance.csv`, { cookie: cookies.facilitator }), { eventId: String(victimId) })) as Response).status).toBe(403);
  });
});
