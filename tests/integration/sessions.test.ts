import { beforeAll, describe, expect, it } from "vitest";
import { and, asc, count, eq } from "drizzle-orm";
import { getDb, firstRow } from "../../db/client";
import { auditLog, events, eventSessions, people, programmes, registrations, sessionFacilitators, users } from "../../db/schema";
import { DEMO_EVENTS, DEMO_PROGRAMMES, seedDemo } from "../../db/seed/demo";
import * as timetable from "~/routes/events.$eventId.sessions";
import * as newSession from "~/routes/events.$eventId.sessions.new";
import * as editSession from "~/routes/events.$eventId.sessions.$sessionId";
import type { Role } from "~/lib/domain";
import { call, createUser, makeRequest, sessionCookie, unwrap } from "../setup/helpers";

const TODAY = new Date("2026-11-22T12:00:00Z");
const ROLES: Role[] = ["admin", "coordinator", "facilitator", "participant", "partner", "donor"];
let cookies: Record<Role, string>;
let demo: Record<keyof typeof DEMO_EVENTS, number>;
let march: number; // America/Nassau, 7–9 March 2026: clocks go forward on Sunday 8 March
let november: number; // America/Nassau, 31 October – 2 November 2026: clocks go back on Sunday 1 November
let facilitatorUserId: string;
let rosterPersonId: number;
let participantUserId: string;

async function insertEvent(title: string, startDate: string, endDate: string) {
  const programme = firstRow(await getDb().select().from(programmes).where(eq(programmes.name, DEMO_PROGRAMMES.westernHemisphere)).limit(1))!;
  return (await getDb()
    .insert(events)
    .values({ title, type: "training", country: "BS", locality: "New Providence", timeZone: "America/Nassau", startDate, endDate, status: "open", programmeId: programme.id })
    .returning())[0].id;
}

beforeAll(async () => {
  await seedDemo(getDb(), { today: TODAY });
  cookies = {} as typeof cookies;
  for (const role of ROLES) {
    const user = firstRow(await getDb().select().from(users).where(eq(users.email, `${role}@example.org`)).limit(1))!;
    cookies[role] = await sessionCookie({ id: user.id, role: user.role });
    if (role === "facilitator") facilitatorUserId = user.id;
    if (role === "participant") participantUserId = user.id;
  }
  const all = await getDb().select({ id: events.id, title: events.title }).from(events);
  demo = Object.fromEntries(Object.entries(DEMO_EVENTS).map(([key, title]) => [key, all.find((e) => e.title === title)!.id])) as typeof demo;
  march = await insertEvent("Spring-forward training", "2026-03-07", "2026-03-09");
  november = await insertEvent("Fall-back training", "2026-10-31", "2026-11-02");
  // a roster-only facilitator (no login) of the March event
  rosterPersonId = (await getDb().insert(people).values({ givenName: "Deandra", familyName: "Knowles" }).returning())[0].id;
  await getDb()
    .insert(registrations)
    .values({ eventId: march, personId: rosterPersonId, eventRole: "facilitator", status: "confirmed", statusChangedAt: new Date() });
});

const form = (overrides: Record<string, string | string[]> = {}) => ({
  title: "Key concepts",
  kind: "presentation",
  day: "2026-03-07",
  start: "09:00",
  end: "10:30",
  room: "",
  description: "",
  ...overrides,
});

async function create(eventId: number, fields: Record<string, string | string[]>, role: Role = "coordinator") {
  const request = makeRequest(`/events/${eventId}/sessions/new`, { form: fields, cookie: cookies[role] });
  return await call(newSession.action, request, { eventId: String(eventId) });
}

async function edit(eventId: number, sessionId: number, fields: Record<string, string | string[]>, role: Role = "coordinator") {
  const request = makeRequest(`/events/${eventId}/sessions/${sessionId}`, { form: fields, cookie: cookies[role] });
  return await call(editSession.action, request, { eventId: String(eventId), sessionId: String(sessionId) });
}

async function listing(eventId: number, role: Role = "coordinator") {
  const request = makeRequest(`/events/${eventId}/sessions`, { cookie: cookies[role] });
  return unwrap(await call(timetable.loader, request, { eventId: String(eventId) }));
}

async function sessionsOf(eventId: number) {
  return await getDb().select().from(eventSessions).where(eq(eventSessions.eventId, eventId)).orderBy(asc(eventSessions.startsAt));
}

async function sessionCount(eventId: number) {
  return firstRow(await getDb().select({ n: count() }).from(eventSessions).where(eq(eventSessions.eventId, eventId)).limit(1))!.n;
}

function expectRedirectToTimetable(result: unknown, eventId: number) {
  const response = result as Response;
  expect(response).toBeInstanceOf(Response);
  expect(response.status).toBe(302);
  expect(response.headers.get("Location")).toBe(`/events/${eventId}/sessions`);
  expect(response.headers.get("Set-Cookie")).toContain("convene_flash");
}

describe("times are entered in the event's zone and stored in UTC, across daylight-saving changes", () => {
  it("09:00 in Nassau is 14:00Z before the March change and 13:00Z after it, and is listed as 09:00 every day", async () => {
    for (const day of ["2026-03-07", "2026-03-08", "2026-03-09"]) {
      expectRedirectToTimetable(await create(march, form({ title: `Morning ${day}`, day, room: `Hall ${day}` })), march);
    }
    const stored = (await sessionsOf(march)).map((s) => [s.startsAt.toISOString(), s.endsAt.toISOString()]);
    expect(stored).toEqual([
      ["2026-03-07T14:00:00.000Z", "2026-03-07T15:30:00.000Z"],
      ["2026-03-08T13:00:00.000Z", "2026-03-08T14:30:00.000Z"],
      ["2026-03-09T13:00:00.000Z", "2026-03-09T14:30:00.000Z"],
    ]);
    const result = await listing(march);
    expect(result.status).toBe(200);
    expect(result.data.event.timeZone).toBe("America/Nassau");
    expect(result.data.days).toEqual(["2026-03-07", "2026-03-08", "2026-03-09"]);
    const shown = result.data.sessions.map((s: { day: string; start: string; end: string }) => `${s.day} ${s.start}-${s.end}`);
    expect(shown).toEqual(["2026-03-07 09:00-10:30", "2026-03-08 09:00-10:30", "2026-03-09 09:00-10:30"]);
    const audit = await getDb().select().from(auditLog).where(eq(auditLog.action, "session.create"));
    expect(audit.length).toBe(3);
    expect((audit[0].details as { after: { startsAt: string } }).after.startsAt).toBe("2026-03-07T14:00:00.000Z");
  });

  it("09:00 in Nassau is 13:00Z before the November change and 14:00Z after it", async () => {
    for (const day of ["2026-10-31", "2026-11-01", "2026-11-02"]) {
      expectRedirectToTimetable(await create(november, form({ title: `Morning ${day}`, day })), november);
    }
    expect((await sessionsOf(november)).map((s) => s.startsAt.toISOString())).toEqual([
      "2026-10-31T13:00:00.000Z",
      "2026-11-01T14:00:00.000Z",
      "2026-11-02T14:00:00.000Z",
    ]);
    const result = await listing(november);
    expect(result.data.sessions.map((s: { start: string }) => s.start)).toEqual(["09:00", "09:00", "09:00"]);
  });

  it("refuses a time the clocks skip (02:30 on 8 March in Nassau), keeping what was typed", async () => {
    const before = await sessionCount(march);
    const result = unwrap(await create(march, form({ title: "Night shift", day: "2026-03-08", start: "02:30", end: "04:00" })));
    expect(result.status).toBe(400);
    expect(result.data.errors.start).toBe("sessions.errors.timeSkipped");
    expect(result.data.values).toMatchObject({ title: "Night shift", day: "2026-03-08", start: "02:30" });
    expect(await sessionCount(march)).toBe(before);
  });
});

describe("what a session must respect", () => {
  it("is refused outside the event's days", async () => {
    const before = await sessionCount(march);
    for (const day of ["2026-03-06", "2026-03-10"]) {
      const result = unwrap(await create(march, form({ day })));
      expect(result.status).toBe(400);
      expect(result.data.errors.day).toBe("sessions.errors.dayOutside");
    }
    const malformed = unwrap(await create(march, form({ day: "2026-02-30" })));
    expect(malformed.data.errors.day).toBe("sessions.errors.day");
    expect(await sessionCount(march)).toBe(before);
  });

  it("must end after it starts", async () => {
    for (const [start, end] of [["11:00", "10:00"], ["10:00", "10:00"]]) {
      const result = unwrap(await create(march, form({ start, end })));
      expect(result.status).toBe(400);
      expect(result.data.errors.end).toBe("sessions.errors.endBeforeStart");
    }
    const bad = unwrap(await create(march, form({ start: "9h", end: "25:00" })));
    expect(bad.data.errors.start).toBe("sessions.errors.time");
  });

  it("refuses a 5,000-character title and comes back filled in", async () => {
    const before = await sessionCount(march);
    const result = unwrap(await create(march, form({ title: "x".repeat(5000), room: "Hall 9" })));
    expect(result.status).toBe(400);
    expect(result.data.errors.title).toBe("errors.tooLong|max=200");
    expect(result.data.values.room).toBe("Hall 9");
    expect(await sessionCount(march)).toBe(before);
  });

  it("refuses a second session in the same room at the same time, naming the other one; another room is fine", async () => {
    expectRedirectToTimetable(await create(march, form({ title: "Trafficking indicators", day: "2026-03-09", start: "11:00", end: "12:30", room: "Conference Room A" })), march);
    const before = await sessionCount(march);
    const clash = unwrap(await create(march, form({ title: "Referral mechanism", day: "2026-03-09", start: "12:00", end: "13:00", room: "  conference room a " })));
    expect(clash.status).toBe(400);
    expect(clash.data.errors.room).toBe("sessions.errors.roomTaken");
    expect(clash.data.conflict).toMatchObject({ title: "Trafficking indicators", room: "Conference Room A", day: "2026-03-09", start: "11:00", end: "12:30" });
    expect(clash.data.values.title).toBe("Referral mechanism");
    expect(await sessionCount(march)).toBe(before);

    expectRedirectToTimetable(await create(march, form({ title: "Referral mechanism", day: "2026-03-09", start: "12:00", end: "13:00", room: "Conference Room B" })), march);
    // back to back in the same room is not an overlap
    expectRedirectToTimetable(await create(march, form({ title: "Lunch", kind: "break", day: "2026-03-09", start: "12:30", end: "13:30", room: "Conference Room A" })), march);
    expect(await sessionCount(march)).toBe(before + 2);
  });

  it("accepts facilitator accounts and the event's roster facilitators, nobody else", async () => {
    const accepted = await create(march, form({ title: "Interview techniques", day: "2026-03-08", start: "14:00", end: "15:00", facilitator: [`user:${facilitatorUserId}`, `person:${rosterPersonId}`] }));
    expectRedirectToTimetable(accepted, march);
    const session = (await sessionsOf(march)).find((s) => s.title === "Interview techniques")!;
    const assigned = await getDb().select().from(sessionFacilitators).where(eq(sessionFacilitators.sessionId, session.id));
    expect(assigned.map((a) => a.userId ?? `person:${a.personId}`).sort()).toEqual([facilitatorUserId, `person:${rosterPersonId}`].sort());
    const listed = (await listing(march)).data.sessions.find((s: { id: number }) => s.id === session.id);
    expect(listed.facilitators).toEqual(["Tomás Herrera", "Deandra Knowles"]);

    const outsider = (await getDb().insert(people).values({ givenName: "Not", familyName: "Registered" }).returning())[0].id;
    for (const ref of [`user:${participantUserId}`, `person:${outsider}`, "user:nobody", "someone"]) {
      const result = unwrap(await create(march, form({ title: "Wrong facilitator", day: "2026-03-08", start: "16:00", end: "17:00", facilitator: ref })));
      expect(result.status).toBe(400);
      expect(result.data.errors.facilitator).toBe("sessions.errors.facilitator");
      expect(result.data.selected).toEqual([ref]);
    }

    const options = unwrap(await call(newSession.loader, makeRequest(`/events/${march}/sessions/new?day=2026-03-08`, { cookie: cookies.coordinator }), { eventId: String(march) }));
    expect(options.data.facilitatorUsers.map((f: { ref: string }) => f.ref)).toContain(`user:${facilitatorUserId}`);
    expect(options.data.rosterFacilitators).toEqual([{ ref: `person:${rosterPersonId}`, name: "Deandra Knowles" }]);
    expect(options.data.defaults).toMatchObject({ day: "2026-03-08", start: "09:00", end: "10:30", kind: "presentation" });
    const noDay = unwrap(await call(newSession.loader, makeRequest(`/events/${march}/sessions/new?day=1999-01-01`, { cookie: cookies.coordinator }), { eventId: String(march) }));
    expect(noDay.data.defaults.day).toBe("2026-03-07");
  });
});

describe("moving and removing a session", () => {
  it("moves a session to another day and time, and records before and after", async () => {
    expectRedirectToTimetable(await create(march, form({ title: "Case studies", kind: "group_work", day: "2026-03-07", start: "13:00", end: "14:00", room: "Annex" })), march);
    const session = (await sessionsOf(march)).find((s) => s.title === "Case studies")!;
    const page = unwrap(await call(editSession.loader, makeRequest(`/events/${march}/sessions/${session.id}`, { cookie: cookies.coordinator }), { eventId: String(march), sessionId: String(session.id) }));
    expect(page.data.defaults).toMatchObject({ day: "2026-03-07", start: "13:00", end: "14:00", room: "Annex" });

    const moved = await edit(march, session.id, { intent: "update", ...form({ title: "Case studies", kind: "group_work", day: "2026-03-09", start: "15:00", end: "16:15", room: "Annex" }) });
    expectRedirectToTimetable(moved, march);
    const row = firstRow(await getDb().select().from(eventSessions).where(eq(eventSessions.id, session.id)).limit(1))!;
    expect(row.startsAt.toISOString()).toBe("2026-03-09T19:00:00.000Z");
    expect(row.endsAt.toISOString()).toBe("2026-03-09T20:15:00.000Z");
    const audit = firstRow(await getDb()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "session.update"), eq(auditLog.entityId, String(session.id)))).limit(1))!;
    const details = audit.details as { before: { startsAt: string }; after: { startsAt: string } };
    expect(details.before.startsAt).toBe("2026-03-07T18:00:00.000Z");
    expect(details.after.startsAt).toBe("2026-03-09T19:00:00.000Z");

    // moving onto a busy room is refused like creating
    const clash = unwrap(await edit(march, session.id, { intent: "update", ...form({ title: "Case studies", day: "2026-03-09", start: "11:30", end: "12:00", room: "Conference room A" }) }));
    expect(clash.status).toBe(400);
    expect(clash.data.conflict.title).toBe("Trafficking indicators");
    // a session does not clash with itself
    expectRedirectToTimetable(await edit(march, session.id, { intent: "update", ...form({ title: "Case studies, longer", day: "2026-03-09", start: "15:00", end: "16:30", room: "annex" }) }), march);
  });

  it("removes a session", async () => {
    const session = (await sessionsOf(march)).find((s) => s.title.startsWith("Case studies"))!;
    expectRedirectToTimetable(await edit(march, session.id, { intent: "delete" }), march);
    expect(firstRow(await getDb().select().from(eventSessions).where(eq(eventSessions.id, session.id)).limit(1))).toBeUndefined();
    const audit = firstRow(await getDb().select().from(auditLog).where(and(eq(auditLog.action, "session.delete"), eq(auditLog.entityId, String(session.id)))).limit(1))!;
    expect((audit.details as { before: { title: string } }).before.title).toBe("Case studies, longer");
    const again = await edit(march, session.id, { intent: "delete" });
    expect((again as Response).status).toBe(404);
    const unknown = unwrap(await edit(march, (await sessionsOf(march))[0].id, { intent: "explode" }));
    expect(unknown.status).toBe(400);
  });

  it("does not reach a session through another event's address", async () => {
    const other = (await sessionsOf(november))[0];
    const result = await edit(march, other.id, { intent: "delete" });
    expect((result as Response).status).toBe(404);
    expect(firstRow(await getDb().select().from(eventSessions).where(eq(eventSessions.id, other.id)).limit(1))).toBeDefined();
  });
});

describe("who may see and change the timetable", () => {
  it("only admins and coordinators create, edit or remove sessions (403 for everyone else who sees the event)", async () => {
    const eventId = demo.victimIdentification;
    const session = (await sessionsOf(eventId))[1];
    const before = await sessionCount(eventId);
    for (const role of ["participant", "facilitator", "partner", "donor"] as Role[]) {
      expect((await listing(eventId, role)).status).toBe(200);
      const params = { eventId: String(eventId) };
      expect(((await call(newSession.loader, makeRequest(`/events/${eventId}/sessions/new`, { cookie: cookies[role] }), params)) as Response).status).toBe(403);
      expect(((await create(eventId, form({ day: "2023-08-09", start: "18:00", end: "19:00" }), role)) as Response).status).toBe(403);
      const editParams = { ...params, sessionId: String(session.id) };
      expect(((await call(editSession.loader, makeRequest(`/events/${eventId}/sessions/${session.id}`, { cookie: cookies[role] }), editParams)) as Response).status).toBe(403);
      expect(((await edit(eventId, session.id, { intent: "update", ...form({ title: "Hijacked", day: "2023-08-09" }) }, role)) as Response).status).toBe(403);
      expect(((await edit(eventId, session.id, { intent: "delete" }, role)) as Response).status).toBe(403);
    }
    expect(await sessionCount(eventId)).toBe(before);
    expect(firstRow(await getDb().select().from(eventSessions).where(eq(eventSessions.id, session.id)).limit(1))!.title).not.toBe("Hijacked");
    // the admin may
    expectRedirectToTimetable(await create(eventId, form({ title: "Evening recap", day: "2023-08-09", start: "18:00", end: "19:00" }), "admin"), eventId);
  });

  it("shows facilitators' names to the team but never to a donor", async () => {
    const eventId = demo.victimIdentification;
    const coordinator = await listing(eventId, "coordinator");
    expect(JSON.stringify(coordinator.data)).toContain("Tomás Herrera");
    expect(coordinator.data.canManage).toBe(true);
    const participant = await listing(eventId, "participant");
    expect(JSON.stringify(participant.data)).toContain("Tomás Herrera");
    expect(participant.data.canManage).toBe(false);
    const donor = await listing(eventId, "donor");
    expect(donor.status).toBe(200);
    expect(donor.data.sessions.length).toBeGreaterThan(0);
    expect(donor.data.sessions.every((s: { facilitators: unknown }) => s.facilitators === null)).toBe(true);
    expect(JSON.stringify(donor.data)).not.toContain("Tomás Herrera");
    expect(donor.data.canManage).toBe(false);
    // every day of the event, from the first to the last
    expect(donor.data.days).toEqual(["2023-08-09", "2023-08-10"]);
  });

  it("sends an anonymous visitor to log in", async () => {
    const path = `/events/${march}/sessions`;
    const response = (await call(timetable.loader, makeRequest(path), { eventId: String(march) })) as Response;
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe(`/login?redirectTo=${encodeURIComponent(path)}`);
    const post = (await call(newSession.action, makeRequest(`${path}/new`, { form: form() }), { eventId: String(march) })) as Response;
    expect(post.headers.get("Location")).toMatch(/^\/login\?redirectTo=/);
  });

  it("answers 404 to someone who may not see the event", async () => {
    expect((await listing(demo.bahrain, "donor")).status).toBe(404);
    expect((await listing(demo.draft, "participant")).status).toBe(404);
    expect((await listing(999999, "coordinator")).status).toBe(404);
    const stranger = await createUser({ role: "participant" });
    const cookie = await sessionCookie(stranger);
    const hidden = await call(newSession.action, makeRequest(`/events/${demo.draft}/sessions/new`, { form: form(), cookie }), { eventId: String(demo.draft) });
    expect((hidden as Response).status).toBe(404);
  });
});
