import { beforeAll, describe, expect, it } from "vitest";
import { and, asc, count, eq } from "drizzle-orm";
import { getDb, firstRow } from "../../db/client";
import { auditLog, emailOutbox, events, eventSessions, organisations, people, programmes, registrations, sessionFacilitators, users } from "../../db/schema";
import { DEMO_EVENTS, DEMO_ORGANISATIONS, DEMO_PROGRAMMES, seedDemo } from "../../db/seed/demo";
import * as newSession from "~/routes/events.$eventId.sessions.new";
import * as several from "~/routes/events.$eventId.sessions.several";
import * as copyDayRoute from "~/routes/events.$eventId.sessions.copy-day";
import { SUBMISSION_KEY_FIELD } from "~/lib/submission-key";
import type { Role } from "~/lib/domain";
import { call, createUser, makeRequest, sessionCookie, unwrap } from "../setup/helpers";

const TODAY = new Date("2026-11-22T12:00:00Z");
const ROLES: Role[] = ["admin", "coordinator", "facilitator", "participant", "partner", "donor"];
let cookies: Record<Role, string>;
let march: number; // America/Nassau, 7–9 March 2026 (open): clocks go forward on Sunday 8 March
let vi: number;
let facilitatorUserId: string;
let rosterPersonId: number;

async function insertEvent(title: string, startDate: string, endDate: string, status: "open" | "draft" = "open") {
  const programme = firstRow(await getDb().select().from(programmes).where(eq(programmes.name, DEMO_PROGRAMMES.westernHemisphere)).limit(1))!;
  return (await getDb()
    .insert(events)
    .values({ title, type: "training", country: "BS", locality: "New Providence", timeZone: "America/Nassau", startDate, endDate, status, programmeId: programme.id })
    .returning())[0].id;
}

beforeAll(async () => {
  await seedDemo(getDb(), { today: TODAY });
  cookies = {} as typeof cookies;
  for (const role of ROLES) {
    const user = firstRow(await getDb().select().from(users).where(eq(users.email, `${role}@example.org`)).limit(1))!;
    cookies[role] = await sessionCookie({ id: user.id, role: user.role });
    if (role === "facilitator") facilitatorUserId = user.id;
  }
  vi = firstRow(await getDb().select({ id: events.id }).from(events).where(eq(events.title, DEMO_EVENTS.victimIdentification)).limit(1))!.id;
  march = await insertEvent("Spring-forward training", "2026-03-07", "2026-03-09");
  rosterPersonId = (await getDb().insert(people).values({ givenName: "Deandra", familyName: "Knowles" }).returning())[0].id;
  await getDb().insert(registrations).values({ eventId: march, personId: rosterPersonId, eventRole: "facilitator", status: "confirmed", statusChangedAt: new Date() });
  // two confirmed participants with an email: they hear of timetable changes
  for (const n of [1, 2]) {
    const person = (await getDb().insert(people).values({ givenName: "Officer", familyName: `Number ${n}`, email: `officer-${n}@test.example` }).returning())[0].id;
    await getDb().insert(registrations).values({ eventId: march, personId: person, eventRole: "participant", status: "confirmed", statusChangedAt: new Date() });
  }
});

type Row = { title?: string; kind?: string; day?: string; start?: string; end?: string; room?: string; facilitator?: string };

/** The several-sessions form with these rows (and empty rows up to `total`). */
function rowsForm(rows: Row[], total = Math.max(rows.length, 5)) {
  const form: Record<string, string> = { rows: String(total), intent: "create" };
  for (let i = 0; i < total; i++) {
    const r = rows[i] ?? {};
    form[`row-${i}-title`] = r.title ?? "";
    form[`row-${i}-kind`] = r.kind ?? "presentation";
    form[`row-${i}-day`] = r.day ?? "2026-03-07";
    form[`row-${i}-start`] = r.start ?? "";
    form[`row-${i}-end`] = r.end ?? "";
    form[`row-${i}-room`] = r.room ?? "";
    form[`row-${i}-facilitator`] = r.facilitator ?? "";
  }
  return form;
}

/** As the coordinator unless a cookie (or null: nobody signed in) is given. */
async function postSeveral(eventId: number, form: Record<string, string>, cookie: string | null = cookies.coordinator) {
  return await call(several.action, makeRequest(`/events/${eventId}/sessions/several`, { form, cookie: cookie ?? undefined }), { eventId: String(eventId) });
}

async function postCopy(eventId: number, form: Record<string, string>, cookie: string | null = cookies.coordinator) {
  return await call(copyDayRoute.action, makeRequest(`/events/${eventId}/sessions/copy-day`, { form, cookie: cookie ?? undefined }), { eventId: String(eventId) });
}

async function sessionsOf(eventId: number) {
  return await getDb().select().from(eventSessions).where(eq(eventSessions.eventId, eventId)).orderBy(asc(eventSessions.startsAt), asc(eventSessions.id));
}

async function sessionCount(eventId: number) {
  return firstRow(await getDb().select({ n: count() }).from(eventSessions).where(eq(eventSessions.eventId, eventId)).limit(1))!.n;
}

async function scheduleEmails() {
  return await getDb().select().from(emailOutbox).where(eq(emailOutbox.kind, "schedule_changed"));
}

function expectRedirectToTimetable(result: unknown, eventId: number) {
  const response = result as Response;
  expect(response).toBeInstanceOf(Response);
  expect(response.status).toBe(302);
  expect(response.headers.get("Location")).toBe(`/events/${eventId}/sessions`);
}

describe("several sessions in one form", () => {
  it("adds every filled row in the event's zone (09:00 stays 09:00 across the daylight-saving change), skips empty rows, and sends one email per participant", async () => {
    const emailsBefore = (await scheduleEmails()).length;
    const result = await postSeveral(
      march,
      rowsForm(
        [
          { title: "Opening", kind: "opening", day: "2026-03-07", start: "09:00", end: "09:30", room: "Plenary", facilitator: `user:${facilitatorUserId}` },
          {},
          { title: "Coffee", kind: "break", day: "2026-03-07", start: "10:30", end: "10:45" },
          { title: "Sunday morning", day: "2026-03-08", start: "09:00", end: "10:00", room: "Plenary", facilitator: `person:${rosterPersonId}` },
        ],
        6,
      ),
    );
    expectRedirectToTimetable(result, march);
    const stored = (await sessionsOf(march)).map((s) => [s.title, s.kind, s.startsAt.toISOString(), s.room]);
    expect(stored).toEqual([
      ["Opening", "opening", "2026-03-07T14:00:00.000Z", "Plenary"],
      ["Coffee", "break", "2026-03-07T15:30:00.000Z", null],
      ["Sunday morning", "presentation", "2026-03-08T13:00:00.000Z", "Plenary"],
    ]);
    const opening = (await sessionsOf(march))[0];
    expect((await getDb().select().from(sessionFacilitators).where(eq(sessionFacilitators.sessionId, opening.id))).map((f) => f.userId)).toEqual([facilitatorUserId]);
    const sunday = (await sessionsOf(march))[2];
    expect((await getDb().select().from(sessionFacilitators).where(eq(sessionFacilitators.sessionId, sunday.id))).map((f) => f.personId)).toEqual([rosterPersonId]);
    // each new session audited, marked as entered with several
    const audits = (await getDb().select().from(auditLog).where(eq(auditLog.action, "session.create"))).filter((a) => (a.details as { eventId: number }).eventId === march);
    expect(audits.map((a) => (a.details as { via?: string }).via)).toEqual(["several", "several", "several"]);
    // one email per participant for the three sessions, naming them all
    const emails = (await scheduleEmails()).slice(emailsBefore);
    expect(emails.map((e) => e.toAddress).sort()).toEqual(["officer-1@test.example", "officer-2@test.example"]);
    for (const title of ["Opening", "Coffee", "Sunday morning"]) expect(emails[0].text).toContain(title);
  });

  it("refuses the whole batch when one row is wrong, saying what is wrong beside each bad row and keeping everything typed", async () => {
    const before = await sessionCount(march);
    const emailsBefore = (await scheduleEmails()).length;
    const auditBefore = firstRow(await getDb().select({ n: count() }).from(auditLog).limit(1))!.n;
    const form = rowsForm([
      { title: "Fine on its own", day: "2026-03-09", start: "09:00", end: "10:00", room: "Annex" },
      { title: "Takes the plenary", day: "2026-03-07", start: "09:15", end: "10:00", room: " plenary " },
      { title: "Same room as row 1", day: "2026-03-09", start: "09:30", end: "10:30", room: "ANNEX" },
      { title: "In the skipped hour", day: "2026-03-08", start: "02:15", end: "03:30" },
      { title: "Backwards", day: "2026-03-09", start: "15:00", end: "14:00" },
      { title: "Outside the event", day: "2026-03-12", start: "09:00", end: "10:00" },
      { title: "", day: "2026-03-09", start: "16:00", end: "17:00", room: "Annex" },
      { title: "Somebody else", day: "2026-03-09", start: "17:00", end: "18:00", facilitator: "user:nobody" },
    ]);
    const result = unwrap(await postSeveral(march, form));
    expect(result.status).toBe(400);
    expect(result.data.errors).toEqual({
      "row-1-room": "sessions.errors.roomTaken",
      "row-2-room": "sessions.errors.roomTaken",
      "row-3-start": "sessions.errors.timeSkipped",
      "row-4-end": "sessions.errors.endBeforeStart",
      "row-5-day": "sessions.errors.dayOutside",
      "row-6-title": "errors.required",
      "row-7-facilitator": "sessions.errors.facilitator",
    });
    // the clash names the other session, one of the timetable's or one of the batch's own rows
    expect(result.data.conflicts["1"]).toMatchObject({ title: "Opening", room: "Plenary", day: "2026-03-07", start: "09:00", end: "09:30" });
    expect(result.data.conflicts["2"]).toMatchObject({ title: "Fine on its own", room: "Annex", day: "2026-03-09" });
    expect(result.data.values).toMatchObject({ "row-0-title": "Fine on its own", "row-3-start": "02:15", "row-5-day": "2026-03-12", "row-7-facilitator": "user:nobody" });
    expect(await sessionCount(march)).toBe(before);
    expect((await scheduleEmails()).length).toBe(emailsBefore);
    expect(firstRow(await getDb().select({ n: count() }).from(auditLog).limit(1))!.n).toBe(auditBefore);
  });

  it("asks for at least one row, and adds rows without losing what was typed", async () => {
    const empty = unwrap(await postSeveral(march, rowsForm([])));
    expect(empty.status).toBe(400);
    expect(empty.data.errors).toEqual({ form: "timetableEntry.errors.noRows" });
    const more = unwrap(await postSeveral(march, { ...rowsForm([{ title: "Typed before", start: "11:00" }]), intent: "more-rows" }));
    expect(more.status).toBe(200);
    expect(more.data.rows).toBe(10);
    expect(more.data.values["row-0-title"]).toBe("Typed before");
    // never more than 30 rows, whatever the form says
    expect(unwrap(await postSeveral(march, { ...rowsForm([]), rows: "5000", intent: "more-rows" })).data.rows).toBe(30);
  });

  it("is safe against a double submit: the same form sent five times at once adds its sessions once", async () => {
    const page = unwrap(await call(several.loader, makeRequest(`/events/${march}/sessions/several`, { cookie: cookies.coordinator }), { eventId: String(march) }));
    expect(page.status).toBe(200);
    const form = { ...rowsForm([{ title: "Twice A", day: "2026-03-09", start: "11:00", end: "12:00", room: "Hall 9" }, { title: "Twice B", day: "2026-03-09", start: "12:00", end: "13:00", room: "Hall 9" }]), [SUBMISSION_KEY_FIELD]: page.data.formKey };
    const before = await sessionCount(march);
    const results = await Promise.all(Array.from({ length: 5 }, async () => await postSeveral(march, form)));
    for (const r of results) expectRedirectToTimetable(r, march);
    expect(await sessionCount(march)).toBe(before + 2);
  });
});

describe("duplicating a session", () => {
  it("opens the new-session form filled in from the session, facilitators included", async () => {
    const opening = (await sessionsOf(march)).find((s) => s.title === "Opening")!;
    const page = unwrap(await call(newSession.loader, makeRequest(`/events/${march}/sessions/new?from=${opening.id}`, { cookie: cookies.coordinator }), { eventId: String(march) }));
    expect(page.status).toBe(200);
    expect(page.data.copyOf).toBe("Opening");
    expect(page.data.defaults).toMatchObject({ title: "Opening", kind: "opening", day: "2026-03-07", start: "09:00", end: "09:30", room: "Plenary" });
    expect(page.data.selected).toEqual([`user:${facilitatorUserId}`]);
    // unchanged, the copy would take the same room at the same time: the usual check refuses it
    const same = unwrap(
      await call(newSession.action, makeRequest(`/events/${march}/sessions/new`, { form: { ...page.data.defaults, facilitator: page.data.selected }, cookie: cookies.coordinator }), { eventId: String(march) }),
    );
    expect(same.status).toBe(400);
    expect(same.data.errors.room).toBe("sessions.errors.roomTaken");
    const moved = await call(
      newSession.action,
      makeRequest(`/events/${march}/sessions/new`, { form: { ...page.data.defaults, day: "2026-03-09", facilitator: page.data.selected }, cookie: cookies.coordinator }),
      { eventId: String(march) },
    );
    expectRedirectToTimetable(moved, march);
    expect((await sessionsOf(march)).filter((s) => s.title === "Opening").map((s) => s.startsAt.toISOString())).toEqual(["2026-03-07T14:00:00.000Z", "2026-03-09T13:00:00.000Z"]);
  });

  it("never copies a session of another event, nor a missing one (404)", async () => {
    const viSession = (await sessionsOf(vi))[0];
    for (const from of [String(viSession.id), "999999", "abc"]) {
      const result = await call(newSession.loader, makeRequest(`/events/${march}/sessions/new?from=${from}`, { cookie: cookies.coordinator }), { eventId: String(march) });
      expect((result as Response).status).toBe(404);
    }
  });
});

describe("copying a day", () => {
  let copyEvent: number;
  beforeAll(async () => {
    // 6–8 March 2026: the 6th and 7th are EST (UTC−5), the 8th EDT (UTC−4)
    copyEvent = await insertEvent("Copy-day training", "2026-03-06", "2026-03-08");
    const form = rowsForm([
      { title: "Welcome", kind: "opening", day: "2026-03-06", start: "09:00", end: "09:30", room: "Hall" },
      { title: "Indicators", day: "2026-03-06", start: "09:30", end: "11:00", room: "Hall", facilitator: `user:${facilitatorUserId}` },
      { title: "Lunch", kind: "break", day: "2026-03-06", start: "12:00", end: "13:00" },
    ]);
    expectRedirectToTimetable(await postSeveral(copyEvent, form), copyEvent);
  });

  it("copies every session to the other day at the same local times, with kind, room and facilitators, across a daylight-saving change", async () => {
    const page = unwrap(await call(copyDayRoute.loader, makeRequest(`/events/${copyEvent}/sessions/copy-day?from=2026-03-06`, { cookie: cookies.coordinator }), { eventId: String(copyEvent) }));
    expect(page.data.defaults).toEqual({ from: "2026-03-06", to: "2026-03-07" });
    expect(page.data.days).toEqual([
      { day: "2026-03-06", sessions: 3 },
      { day: "2026-03-07", sessions: 0 },
      { day: "2026-03-08", sessions: 0 },
    ]);
    expectRedirectToTimetable(await postCopy(copyEvent, { from: "2026-03-06", to: "2026-03-08" }), copyEvent);
    const copies = (await sessionsOf(copyEvent)).filter((s) => s.startsAt.toISOString().startsWith("2026-03-08"));
    expect(copies.map((s) => [s.title, s.kind, s.startsAt.toISOString(), s.endsAt.toISOString(), s.room])).toEqual([
      ["Welcome", "opening", "2026-03-08T13:00:00.000Z", "2026-03-08T13:30:00.000Z", "Hall"],
      ["Indicators", "presentation", "2026-03-08T13:30:00.000Z", "2026-03-08T15:00:00.000Z", "Hall"],
      ["Lunch", "break", "2026-03-08T16:00:00.000Z", "2026-03-08T17:00:00.000Z", null],
    ]);
    const indicators = copies.find((s) => s.title === "Indicators")!;
    expect((await getDb().select().from(sessionFacilitators).where(eq(sessionFacilitators.sessionId, indicators.id))).map((f) => f.userId)).toEqual([facilitatorUserId]);
    const audits = await getDb().select().from(auditLog).where(and(eq(auditLog.action, "session.create"), eq(auditLog.entityId, String(indicators.id))));
    expect((audits[0].details as { via: string }).via).toBe("copy-day");
  });

  it("copies nothing when one copy would clash, listing each refused session with the session in its way", async () => {
    const before = await sessionCount(copyEvent);
    const refused = unwrap(await postCopy(copyEvent, { from: "2026-03-06", to: "2026-03-08" }));
    expect(refused.status).toBe(400);
    expect(refused.data.refused.map((r: { title: string; errors: object; conflict: { title: string } | null }) => [r.title, r.errors, r.conflict?.title])).toEqual([
      ["Welcome", { room: "sessions.errors.roomTaken" }, "Welcome"],
      ["Indicators", { room: "sessions.errors.roomTaken" }, "Indicators"],
    ]);
    expect(refused.data.values).toMatchObject({ from: "2026-03-06", to: "2026-03-08" });
    expect(await sessionCount(copyEvent)).toBe(before);
  });

  it("says when a facilitator of the copied day can no longer be chosen", async () => {
    const gone = await createUser({ role: "facilitator", disabled: true });
    const indicators = (await sessionsOf(copyEvent)).find((s) => s.title === "Indicators")!;
    await getDb().insert(sessionFacilitators).values({ sessionId: indicators.id, userId: gone.id });
    const before = await sessionCount(copyEvent);
    const refused = unwrap(await postCopy(copyEvent, { from: "2026-03-06", to: "2026-03-07" }));
    expect(refused.status).toBe(400);
    expect(refused.data.refused).toHaveLength(1);
    expect(refused.data.refused[0]).toMatchObject({ title: "Indicators", errors: { facilitator: "timetableEntry.errors.facilitatorGone" } });
    expect(await sessionCount(copyEvent)).toBe(before);
    await getDb().delete(sessionFacilitators).where(and(eq(sessionFacilitators.sessionId, indicators.id), eq(sessionFacilitators.userId, gone.id)));
  });

  it("refuses the same day, a day outside the event and a day without sessions", async () => {
    const before = await sessionCount(copyEvent);
    const cases: [Record<string, string>, Record<string, string>][] = [
      [{ from: "2026-03-06", to: "2026-03-06" }, { to: "timetableEntry.errors.sameDay" }],
      [{ from: "2026-03-06", to: "2026-03-09" }, { to: "timetableEntry.errors.day" }],
      [{ from: "2026-03-07", to: "2026-03-08" }, { from: "timetableEntry.errors.emptyDay" }],
      [{ from: "not a day", to: "" }, { from: "timetableEntry.errors.day", to: "timetableEntry.errors.day" }],
    ];
    for (const [form, errors] of cases) {
      const result = unwrap(await postCopy(copyEvent, form));
      expect(result.status).toBe(400);
      expect(result.data.errors).toEqual(errors);
    }
    expect(await sessionCount(copyEvent)).toBe(before);
  });

  it("is safe against a double submit", async () => {
    const page = unwrap(await call(copyDayRoute.loader, makeRequest(`/events/${copyEvent}/sessions/copy-day`, { cookie: cookies.coordinator }), { eventId: String(copyEvent) }));
    const before = await sessionCount(copyEvent);
    const form = { from: "2026-03-06", to: "2026-03-07", [SUBMISSION_KEY_FIELD]: page.data.formKey };
    const results = await Promise.all(Array.from({ length: 5 }, async () => await postCopy(copyEvent, form)));
    for (const r of results) expectRedirectToTimetable(r, copyEvent);
    expect(await sessionCount(copyEvent)).toBe(before + 3);
  });
});

describe("who may use the faster entry", () => {
  it("nobody but admins and coordinators: facilitators, participants, partners and donors of the event get 403, outsiders 404, strangers the login page; nothing is created", async () => {
    const otherAgency = firstRow(await getDb().select().from(organisations).where(eq(organisations.name, DEMO_ORGANISATIONS.bahrainInterior)).limit(1))!.id;
    const xPartner = await sessionCookie(await createUser({ role: "partner", organisationId: otherAgency }));
    const xFacilitator = await sessionCookie(await createUser({ role: "facilitator" }));
    const before = await sessionCount(vi);
    const day = "2023-08-09";
    const batch = rowsForm([{ title: "Injected", day, start: "18:00", end: "19:00" }]);
    const copy = { from: "2023-08-09", to: "2023-08-10" };
    const base = `/events/${vi}/sessions`;
    const params = { eventId: String(vi) };
    const seen: Record<string, number[]> = {};
    for (const [who, cookie] of [
      ["facilitator", cookies.facilitator],
      ["participant", cookies.participant],
      ["partner", cookies.partner],
      ["donor", cookies.donor],
      ["xPartner", xPartner],
      ["xFacilitator", xFacilitator],
    ] as const) {
      seen[who] = [
        ((await call(several.loader, makeRequest(`${base}/several`, { cookie }), params)) as Response).status,
        ((await postSeveral(vi, batch, cookie)) as Response).status,
        ((await call(copyDayRoute.loader, makeRequest(`${base}/copy-day`, { cookie }), params)) as Response).status,
        ((await postCopy(vi, copy, cookie)) as Response).status,
        ((await call(newSession.loader, makeRequest(`${base}/new?from=${(await sessionsOf(vi))[0].id}`, { cookie }), params)) as Response).status,
      ];
    }
    expect(seen).toEqual({
      facilitator: [403, 403, 403, 403, 403],
      participant: [403, 403, 403, 403, 403],
      partner: [403, 403, 403, 403, 403],
      donor: [403, 403, 403, 403, 403],
      xPartner: [404, 404, 404, 404, 404],
      xFacilitator: [404, 404, 404, 404, 404],
    });
    for (const result of [await postSeveral(vi, batch, null), await postCopy(vi, copy, null)]) {
      expect((result as Response).status).toBe(302);
      expect((result as Response).headers.get("Location")).toMatch(/^\/login\?redirectTo=/);
    }
    expect(await sessionCount(vi)).toBe(before);
    // any coordinator may (coordinators are not restricted by programme: every coordinator plans every event)
    expectRedirectToTimetable(await postSeveral(vi, batch, await sessionCookie(await createUser({ role: "coordinator" }))), vi);
    expect(await sessionCount(vi)).toBe(before + 1);
  });

  it("a draft event stays hidden from its facilitator", async () => {
    const draft = firstRow(await getDb().select({ id: events.id }).from(events).where(eq(events.title, DEMO_EVENTS.draft)).limit(1))!.id;
    const result = await postSeveral(draft, rowsForm([{ title: "x", start: "09:00", end: "10:00" }]), cookies.facilitator);
    expect((result as Response).status).toBe(404);
  });
});
