import { beforeAll, describe, expect, it, vi } from "vitest";
import { and, eq } from "drizzle-orm";
import { getDb, firstRow } from "../../db/client";
import { auditLog, eventGcmObjectives, eventPartners, events, eventSessions, organisations, programmes, users } from "../../db/schema";
import { DEMO_EVENTS, seedDemo } from "../../db/seed/demo";
import * as newEvent from "~/routes/events.new";
import * as editEvent from "~/routes/events.$eventId.edit";
import * as overview from "~/routes/events.$eventId._index";
import * as eventLayout from "~/routes/events.$eventId";
import * as register from "~/routes/events_.$eventId.register";
import * as eventsCsv from "~/routes/events[.]csv";
import * as calendar from "~/routes/events.$eventId.calendar[.]ics";
import * as eventsIndex from "~/routes/events._index";
import { timetableZones, zonedToUtc, utcToZoned } from "~/lib/zoned";
import { formatTimeRange, zoneLabel } from "~/lib/format";
import { timetableFor } from "~/models/reminders.server";
import { fieldMessage } from "~/lib/forms";
import { translator } from "~/i18n";
import type { Role } from "~/lib/domain";
import { call, makeRequest, sessionCookie, unwrap } from "../setup/helpers";

let cookies: Record<string, string>;
let immigrationId: number;
let programmeId: number;
let demoEvent: (key: keyof typeof DEMO_EVENTS) => number;

beforeAll(async () => {
  await seedDemo(getDb(), { today: new Date("2026-11-22T12:00:00Z") });
  cookies = {};
  for (const role of ["admin", "coordinator", "facilitator", "participant", "partner", "donor"] as Role[]) {
    const user = firstRow(await getDb().select().from(users).where(eq(users.email, `${role}@example.org`)).limit(1))!;
    cookies[role] = await sessionCookie({ id: user.id, role: user.role });
  }
  immigrationId = firstRow(await getDb().select().from(organisations).where(eq(organisations.name, "Bahamas Department of Immigration")).limit(1))!.id;
  programmeId = firstRow(await getDb().select().from(programmes).where(eq(programmes.name, "Western Hemisphere Program")).limit(1))!.id;
  const all = await getDb().select({ id: events.id, title: events.title }).from(events);
  demoEvent = (key) => all.find((e) => e.title === DEMO_EVENTS[key])!.id;
});

const bahamas = () => ({
  title: "Identification and Protection of Victims of Trafficking — Bimini",
  type: "training",
  description: "Two days for immigration officers on Bimini.",
  programmeId: String(programmeId),
  partnerIds: String(immigrationId),
  country: "BS",
  locality: "Bimini",
  venue: "Alice Town Community Centre",
  timeZone: "",
  startDate: "2027-03-09",
  endDate: "2027-03-10",
  capacity: "25",
  targetRoles: ["immigration_officer", "border_officer"],
  topics: "Key concepts\nTrauma-informed interview techniques",
  gcmObjectiveIds: ["7", "10", "11"],
  contactName: "Marguerite Cooper",
  contactEmail: "coordinator@example.org",
  registrationOpensAt: "2027-02-01T09:00",
  registrationClosesAt: "2027-03-01T17:00",
  completionThreshold: "",
  consentText: "",
});

async function create(form: Record<string, string | string[]>, role = "coordinator") {
  return await call(newEvent.action, makeRequest("/events/new", { form, cookie: cookies[role] }));
}

describe("creating an event", () => {
  it("stores every field, defaults the zone from the country and the threshold to 80%, as a draft", async () => {
    const response = (await create(bahamas())) as Response;
    expect(response.status).toBe(302);
    const id = Number(response.headers.get("Location")!.split("/").pop());
    const event = firstRow(await getDb().select().from(events).where(eq(events.id, id)).limit(1))!;
    expect(event).toMatchObject({
      title: "Identification and Protection of Victims of Trafficking — Bimini",
      status: "draft",
      country: "BS",
      locality: "Bimini",
      timeZone: "America/Nassau",
      startDate: "2027-03-09",
      endDate: "2027-03-10",
      capacity: 25,
      completionThreshold: 80,
      targetRoles: ["immigration_officer", "border_officer"],
      topics: ["Key concepts", "Trauma-informed interview techniques"],
    });
    // registration window entered in Nassau time (EST in February, UTC-5)
    expect(event.registrationOpensAt!.toISOString()).toBe("2027-02-01T14:00:00.000Z");
    expect((await getDb().select().from(eventGcmObjectives).where(eq(eventGcmObjectives.eventId, id))).map((o) => o.objectiveId).sort((a, b) => a - b)).toEqual([7, 10, 11]);
    expect((await getDb().select().from(eventPartners).where(eq(eventPartners.eventId, id))).map((p) => p.organisationId)).toEqual([immigrationId]);
    const audit = firstRow(await getDb().select().from(auditLog).where(and(eq(auditLog.action, "event.create"), eq(auditLog.entityId, String(id)))).limit(1));
    expect(audit).toBeTruthy();
  });

  it("refuses bad input field by field, keeps the form and saves nothing", async () => {
    const before = (await getDb().select().from(events)).length;
    const result = unwrap(
      await create({
        ...bahamas(),
        title: "T".repeat(5000),
        startDate: "2027-03-10",
        endDate: "2027-03-09",
        timeZone: "Mars/Olympus_Mons",
        capacity: "-3",
        gcmObjectiveIds: ["7", "24"],
        country: "XX",
      }),
    );
    expect(result.status).toBe(400);
    // every error in the first answer — the order of the days too, not only once the rest is fixed
    expect(result.data.errors).toMatchObject({
      title: "errors.tooLong|max=200",
      endDate: "events.form.errors.endBeforeStart",
      timeZone: "errors.timeZone",
      capacity: "events.form.errors.capacity",
      gcmObjectiveIds: "events.form.errors.gcm",
      country: "errors.country",
    });
    expect(result.data.values.locality).toBe("Bimini");
    expect(result.data.values.gcmObjectiveIds).toEqual(["7", "24"]);
    const order = unwrap(await create({ ...bahamas(), startDate: "2027-03-10", endDate: "2027-03-09" }));
    expect(order.data.errors).toEqual({ endDate: "events.form.errors.endBeforeStart" });
    // a wrong field that the order check needs: no order message, only that field's own
    const badStart = unwrap(await create({ ...bahamas(), title: "", startDate: "2027-02-30", endDate: "2027-03-09" }));
    expect(badStart.data.errors).toEqual({ title: "errors.required", startDate: "errors.date" });
    expect((await getDb().select().from(events)).length).toBe(before);
  });

  it("says the limit of a too-long field in each language, and accepts only plausible years (2000 to 2100)", async () => {
    const before = (await getDb().select().from(events)).length;
    const result = unwrap(await create({ ...bahamas(), title: "T".repeat(201), startDate: "1900-03-10", endDate: "1900-03-12" }));
    expect(result.status).toBe(400);
    expect(result.data.errors).toEqual({ title: "errors.tooLong|max=200", startDate: "errors.year|first=2000&last=2100", endDate: "errors.year|first=2000&last=2100" });
    const said = (lang: string, message: string) => fieldMessage(translator(lang).t, message);
    expect(said("en", result.data.errors.title)).toBe("At most 200 characters.");
    expect(said("fr", result.data.errors.title)).toBe("200 caractères au maximum.");
    expect(said("es", result.data.errors.title)).toBe("Como máximo 200 caracteres.");
    expect(said("ar", result.data.errors.title)).toBe("200 حرفًا على الأكثر.");
    expect(said("en", result.data.errors.startDate)).toBe("Enter a year between 2000 and 2100.");
    for (const lang of ["fr", "es", "ar"]) {
      expect(said(lang, result.data.errors.startDate)).toContain("2000");
      expect(said(lang, result.data.errors.startDate)).toContain("2100");
    }
    // the edges are accepted
    expect(unwrap(await create({ ...bahamas(), startDate: "2100-12-30", endDate: "2100-12-31" })).status).toBe(302);
    expect(unwrap(await create({ ...bahamas(), startDate: "2101-01-01", endDate: "2101-01-02" })).data.errors.startDate).toBe("errors.year|first=2000&last=2100");
    expect((await getDb().select().from(events)).length).toBe(before + 1);
  });

  it("is for coordinators and admins only", async () => {
    for (const role of ["participant", "facilitator", "partner", "donor"]) {
      expect(((await call(newEvent.loader, makeRequest("/events/new", { cookie: cookies[role] }))) as Response).status).toBe(403);
      expect(((await create(bahamas(), role)) as Response).status).toBe(403);
    }
    const anonymous = (await call(newEvent.loader, makeRequest("/events/new"))) as Response;
    expect(anonymous.headers.get("Location")).toBe("/login?redirectTo=%2Fevents%2Fnew");
  });
});

describe("editing an event", () => {
  it("saves changes, and refuses days that would leave sessions outside the event", async () => {
    const id = demoEvent("victimIdentification");
    const edit = async (form: Record<string, string | string[]>) =>
      await call(editEvent.action, makeRequest(`/events/${id}/edit`, { form, cookie: cookies.coordinator }), { eventId: String(id) });
    const loaded = unwrap(await call(editEvent.loader, makeRequest(`/events/${id}/edit`, { cookie: cookies.coordinator }), { eventId: String(id) }));
    const values = loaded.data.event.values as Record<string, string | string[]>;
    expect(values.timeZone).toBe("America/Nassau");
    const moved = unwrap(await edit({ ...values, startDate: "2023-08-10" }));
    expect(moved.status).toBe(400);
    expect(moved.data.errors.startDate).toBe("events.form.errors.sessionsOutside");
    expect(firstRow(await getDb().select().from(events).where(eq(events.id, id)).limit(1))!.startDate).toBe("2023-08-09");
    const saved = (await edit({ ...values, venue: "Harbour View Hotel, Room B" })) as Response;
    expect(saved.status).toBe(302);
    expect(firstRow(await getDb().select().from(events).where(eq(events.id, id)).limit(1))!.venue).toBe("Harbour View Hotel, Room B");
  });
});

describe("event status", () => {
  /** A session cookie made on the (fake) day it is used (sessions end after some idle days). */
  async function coordinatorAt(iso: string, role: Role = "coordinator") {
    vi.setSystemTime(new Date(iso));
    const user = firstRow(await getDb().select().from(users).where(eq(users.email, `${role}@example.org`)).limit(1))!;
    return await sessionCookie({ id: user.id, role: user.role });
  }
  const stepOf = (id: number, cookie: string) => async (form: Record<string, string>) =>
    await call(overview.action, makeRequest(`/events/${id}`, { form: { intent: "status", ...form }, cookie }), { eventId: String(id) });
  const statusOf = async (id: number) => firstRow(await getDb().select().from(events).where(eq(events.id, id)).limit(1))!.status;
  const statusAudits = async (id: number) => await getDb().select().from(auditLog).where(and(eq(auditLog.action, "event.status"), eq(auditLog.entityId, String(id))));

  it("moves only along allowed steps, each step in the audit log with who", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      // every step on a day that fits it: registration open in February, the training on 9–10 March
      let cookie = await coordinatorAt("2027-02-15T12:00:00Z");
      const id = Number(((await call(newEvent.action, makeRequest("/events/new", { form: { ...bahamas(), title: "Status walk" }, cookie }))) as Response).headers.get("Location")!.split("/").pop());
      let step = stepOf(id, cookie);
      const skip = unwrap(await step({ status: "completed" }));
      expect(skip.status).toBe(400);
      expect(skip.data.errors.status).toBe("eventStatusChange.errors.notAllowed");
      expect(await statusOf(id)).toBe("draft");
      const participant = await coordinatorAt("2027-02-15T12:00:00Z", "participant");
      expect(((await stepOf(id, participant)({ status: "open" })) as Response).status).toBe(403);
      expect(((await step({ status: "open" })) as Response).status).toBe(302);
      cookie = await coordinatorAt("2027-03-09T13:00:00Z");
      step = stepOf(id, cookie);
      expect(((await step({ status: "in_progress" })) as Response).status).toBe(302);
      cookie = await coordinatorAt("2027-03-11T06:00:00Z");
      step = stepOf(id, cookie);
      for (const next of ["completed", "reported"]) expect(((await step({ status: next })) as Response).status).toBe(302);
      expect(await statusOf(id)).toBe("reported");
      expect(unwrap(await step({ status: "cancelled" })).status).toBe(400);
      const history = unwrap(await call(overview.loader, makeRequest(`/events/${id}`, { cookie }), { eventId: String(id) })).data.history;
      expect(history.map((h: { to: string }) => h.to)).toEqual(["open", "in_progress", "completed", "reported"]);
      expect(history[0].by).toBe("Marguerite Cooper");
      expect(history.every((h: { reason: string | null }) => h.reason === null)).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it("asks to confirm, with a reason, a step that contradicts the dates (in the event's zone), and keeps the reason in the audit log", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      const cookie = await coordinatorAt("2027-02-15T12:00:00Z");
      const id = Number(((await call(newEvent.action, makeRequest("/events/new", { form: { ...bahamas(), title: "Started early" }, cookie }))) as Response).headers.get("Location")!.split("/").pop());
      await getDb()
        .insert(eventSessions)
        .values({ eventId: id, title: "Closing", startsAt: zonedToUtc("2027-03-10", "15:00", "America/Nassau"), endsAt: zonedToUtc("2027-03-10", "16:30", "America/Nassau") });
      let step = stepOf(id, cookie);
      expect(((await step({ status: "open" })) as Response).status).toBe(302);

      // a month before the first day: the answer is a question, and nothing changes
      const asked = unwrap(await step({ status: "in_progress" }));
      expect(asked.status).toBe(409);
      expect(asked.data.confirmation).toEqual({ to: "in_progress", conflicts: [{ kind: "notStarted", at: zonedToUtc("2027-03-10", "15:00", "America/Nassau").getTime() }] });
      expect(await statusOf(id)).toBe("open");
      // confirmed without a reason: refused
      const noReason = unwrap(await step({ status: "in_progress", confirm: "yes", reason: "  " }));
      expect(noReason.status).toBe(400);
      expect(noReason.data.errors.reason).toBe("eventStatusChange.errors.reasonRequired");
      expect(noReason.data.confirmation.to).toBe("in_progress");
      expect(await statusOf(id)).toBe("open");
      // confirmed with a reason: done, the reason in the audit entry and the history
      const reason = "The pre-training e-learning module starts today.";
      expect(((await step({ status: "in_progress", confirm: "yes", reason })) as Response).status).toBe(302);
      expect(await statusOf(id)).toBe("in_progress");
      expect((await statusAudits(id)).at(-1)!.details).toEqual({ from: "open", to: "in_progress", reason, conflicts: ["notStarted"] });
      const history = unwrap(await call(overview.loader, makeRequest(`/events/${id}`, { cookie }), { eventId: String(id) })).data.history;
      expect(history.at(-1)).toMatchObject({ to: "in_progress", reason });

      // completed before its last session has ended (16:30 in Nassau on 10 March)
      step = stepOf(id, await coordinatorAt(zonedToUtc("2027-03-10", "16:00", "America/Nassau").toISOString()));
      const early = unwrap(await step({ status: "completed" }));
      expect(early.status).toBe(409);
      expect(early.data.confirmation.conflicts).toEqual([{ kind: "notEnded", at: zonedToUtc("2027-03-10", "16:30", "America/Nassau").getTime() }]);
      expect(await statusOf(id)).toBe("in_progress");
      vi.setSystemTime(zonedToUtc("2027-03-10", "16:30", "America/Nassau"));
      expect(((await step({ status: "completed" })) as Response).status).toBe(302);
      expect((await statusAudits(id)).at(-1)!.details).toEqual({ from: "in_progress", to: "completed" });
    } finally {
      vi.useRealTimers();
    }
  });

  it("opens registration only while its window is open, or with a new closing date in the same step; the overview shows the window", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      // 5 March: registration closed on 1 March at 17:00 in Nassau
      const cookie = await coordinatorAt("2027-03-05T12:00:00Z");
      const id = Number(((await call(newEvent.action, makeRequest("/events/new", { form: { ...bahamas(), title: "Late opening" }, cookie }))) as Response).headers.get("Location")!.split("/").pop());
      const step = stepOf(id, cookie);
      const page = async () => unwrap(await call(overview.loader, makeRequest(`/events/${id}`, { cookie }), { eventId: String(id) })).data;
      const before = await page();
      expect(before.registrationClosed).toBe(true);
      expect(new Date(before.event.registrationOpensAt).getTime()).toBe(zonedToUtc("2027-02-01", "09:00", "America/Nassau").getTime());
      expect(new Date(before.event.registrationClosesAt).getTime()).toBe(zonedToUtc("2027-03-01", "17:00", "America/Nassau").getTime());

      const refused = unwrap(await step({ status: "open" }));
      expect(refused.status).toBe(400);
      expect(refused.data.errors.registrationClosesAt).toBe("eventStatusChange.errors.registrationClosed");
      expect(refused.data.vars).toEqual({ closesAt: zonedToUtc("2027-03-01", "17:00", "America/Nassau").getTime() });
      expect(await statusOf(id)).toBe("draft");
      const past = unwrap(await step({ status: "open", registrationClosesAt: "2027-03-04T17:00" }));
      expect(past.data.errors.registrationClosesAt).toBe("eventStatusChange.errors.closesInPast");
      expect(await statusOf(id)).toBe("draft");

      expect(((await step({ status: "open", registrationClosesAt: "2027-03-08T17:00" })) as Response).status).toBe(302);
      const opened = firstRow(await getDb().select().from(events).where(eq(events.id, id)).limit(1))!;
      expect(opened.status).toBe("open");
      expect(opened.registrationClosesAt!.getTime()).toBe(zonedToUtc("2027-03-08", "17:00", "America/Nassau").getTime());
      expect((await statusAudits(id)).at(-1)!.details).toMatchObject({ from: "draft", to: "open", registrationClosesAt: { after: opened.registrationClosesAt!.getTime() } });
      expect((await page()).registrationClosed).toBe(false);
      // and the public page agrees: open for registration
      const publicPage = unwrap(await call(register.loader, makeRequest(`/events/${id}/register`), { eventId: String(id) }));
      expect(publicPage.data.event.window).toEqual({ open: true, reason: null });
    } finally {
      vi.useRealTimers();
    }
  });

  it("says 'Registration closed' instead of 'Open for registration' once the closing date has passed, and never lets the edit form move it into the past", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      // opened on 5 March with registration closing on 8 March at 17:00 in Nassau
      let cookie = await coordinatorAt("2027-03-05T12:00:00Z");
      const id = Number(((await call(newEvent.action, makeRequest("/events/new", { form: { ...bahamas(), title: "Closing badge" }, cookie }))) as Response).headers.get("Location")!.split("/").pop());
      expect(((await stepOf(id, cookie)({ status: "open", registrationClosesAt: "2027-03-08T17:00" })) as Response).status).toBe(302);
      const row = async () => {
        const list = unwrap(await call(eventsIndex.loader, makeRequest("/events?q=Closing%20badge", { cookie }))).data.result.rows[0];
        const header = unwrap(await call(eventLayout.loader, makeRequest(`/events/${id}`, { cookie }), { eventId: String(id) })).data;
        return { list: list.registrationClosed, status: list.status, overview: header.event.registrationClosed };
      };
      expect(await row()).toEqual({ list: false, status: "open", overview: false });

      // the edit form refuses a closing date in the past while registration is open, and changes nothing
      const edit = async (values: Record<string, string>) =>
        await call(editEvent.action, makeRequest(`/events/${id}/edit`, { form: { ...bahamas(), title: "Closing badge", ...values }, cookie }), { eventId: String(id) });
      const refused = unwrap(await edit({ registrationClosesAt: "2027-03-04T17:00" }));
      expect(refused.status).toBe(400);
      expect(refused.data.errors.registrationClosesAt).toBe("events.form.errors.closesInPastWhileOpen");
      expect(refused.data.values.registrationClosesAt).toBe("2027-03-04T17:00");
      expect(firstRow(await getDb().select().from(events).where(eq(events.id, id)).limit(1))!.registrationClosesAt!.getTime()).toBe(zonedToUtc("2027-03-08", "17:00", "America/Nassau").getTime());
      // a later date is fine
      expect(((await edit({ registrationClosesAt: "2027-03-07T17:00" })) as Response).status).toBe(302);

      // 8 March: the closing date has passed; the list and the header say registration is closed
      cookie = await coordinatorAt("2027-03-08T12:00:00Z");
      expect(await row()).toEqual({ list: true, status: "open", overview: true });
      // the date already passed may stay as it is while other fields change
      expect(((await edit({ registrationClosesAt: "2027-03-07T17:00", venue: "Bimini Big Game Club" })) as Response).status).toBe(302);
    } finally {
      vi.useRealTimers();
    }
  });

  it("answers a past event's registration link with a page saying registration has closed; drafts and cancelled events stay 404", async () => {
    const past = unwrap(await call(register.loader, makeRequest(`/events/${demoEvent("victimIdentification")}/register`), { eventId: String(demoEvent("victimIdentification")) }));
    expect(past.status).toBe(200);
    expect(past.data.event).toMatchObject({ title: DEMO_EVENTS.victimIdentification, window: { open: false, reason: "closed" }, organisations: [] });
    const posted = unwrap(
      await call(
        register.action,
        makeRequest(`/events/${demoEvent("victimIdentification")}/register`, { form: { givenName: "Late", familyName: "Comer", email: "late.comer@test.example", consent: "yes", locale: "en" } }),
        { eventId: String(demoEvent("victimIdentification")) },
      ),
    );
    expect(posted.status).toBe(400);
    expect(posted.data.errors.form).toBe("registration.errors.closed");
    const cancelled = (await getDb()
      .insert(events)
      .values({ title: "Cancelled seminar", type: "seminar", country: "BS", timeZone: "America/Nassau", startDate: "2026-06-02", endDate: "2026-06-02", status: "cancelled" })
      .returning())[0].id;
    for (const id of [cancelled, demoEvent("draft")]) {
      expect(((await call(register.loader, makeRequest(`/events/${id}/register`), { eventId: String(id) })) as Response).status).toBe(404);
    }
  });
});

describe("duplicating an event", () => {
  it("copies the timetable to new dates at the same local times, across a daylight-saving change", async () => {
    const id = Number(((await create({ ...bahamas(), title: "Winter course", startDate: "2027-02-02", endDate: "2027-02-03" })) as Response).headers.get("Location")!.split("/").pop());
    await getDb()
      .insert(eventSessions)
      .values([
        { eventId: id, title: "Opening", startsAt: zonedToUtc("2027-02-02", "09:00", "America/Nassau"), endsAt: zonedToUtc("2027-02-02", "10:30", "America/Nassau"), room: "Hall" },
        { eventId: id, title: "Exercise", startsAt: zonedToUtc("2027-02-03", "13:15", "America/Nassau"), endsAt: zonedToUtc("2027-02-03", "14:45", "America/Nassau"), room: "Hall" },
      ]);
    const response = (await call(
      overview.action,
      makeRequest(`/events/${id}`, { form: { intent: "duplicate", startDate: "2027-04-06" }, cookie: cookies.coordinator }),
      { eventId: String(id) },
    )) as Response;
    expect(response.status).toBe(302);
    const copyId = Number(response.headers.get("Location")!.split("/").pop());
    const copy = firstRow(await getDb().select().from(events).where(eq(events.id, copyId)).limit(1))!;
    expect(copy).toMatchObject({ status: "draft", startDate: "2027-04-06", endDate: "2027-04-07", title: "Winter course" });
    const sessions = await getDb().select().from(eventSessions).where(eq(eventSessions.eventId, copyId));
    expect(sessions.map((s) => utcToZoned(s.startsAt, "America/Nassau"))).toEqual([
      { day: "2027-04-06", time: "09:00" },
      { day: "2027-04-07", time: "13:15" },
    ]);
    // February is UTC-5 in Nassau, April UTC-4: the UTC instants differ by the DST hour
    expect(sessions[0].startsAt.toISOString()).toBe("2027-04-06T13:00:00.000Z");
    const bad = unwrap(
      await call(overview.action, makeRequest(`/events/${id}`, { form: { intent: "duplicate", startDate: "next week" }, cookie: cookies.coordinator }), { eventId: String(id) }),
    );
    expect(bad.status).toBe(400);
    expect(bad.data.errors.startDate).toBe("errors.date");
  });
});

describe("events list filters and CSV export", () => {
  it("filters by period and GCM objective", async () => {
    const titles = async (query: string) =>
      (unwrap(await call(eventsIndex.loader, makeRequest(`/events${query}`, { cookie: cookies.coordinator }))).data.result.rows as { title: string }[]).map((r) => r.title);
    expect(await titles("?from=2023-08-01&to=2023-08-31")).toEqual([DEMO_EVENTS.media, DEMO_EVENTS.victimIdentification]);
    expect(await titles("?gcmObjectiveId=10&to=2023-12-31")).toEqual([DEMO_EVENTS.victimIdentification]);
  });

  it("exports the filtered list with its columns, neutralising formulas, for coordinators and admins", async () => {
    await create({ ...bahamas(), title: "=HYPERLINK(\"http://evil.example\")", startDate: "2030-01-01", endDate: "2030-01-02", registrationOpensAt: "", registrationClosesAt: "" });
    const response = (await call(eventsCsv.loader, makeRequest("/events.csv?from=2023-08-01&to=2023-08-31", { cookie: cookies.coordinator }))) as Response;
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    const text = (await response.text()).replace(/^\uFEFF/, "");
    const lines = text.trim().split("\r\n");
    expect(lines[0]).toBe("id,title,type,programme,country,locality,time zone,start date,end date,status,partners,GCM objectives,participants confirmed");
    expect(lines).toHaveLength(3);
    expect(lines[2]).toContain("Identification and Protection of Victims of Trafficking and Migrants in Vulnerable Situations");
    expect(lines[2]).toContain("America/Nassau,2023-08-09,2023-08-10,completed,Bahamas Department of Immigration,7; 10; 11,22");
    const all = await ((await call(eventsCsv.loader, makeRequest("/events.csv?from=2030-01-01", { cookie: cookies.admin }))) as Response).text();
    expect(all).toContain(`"'=HYPERLINK(""http://evil.example"")"`);
    for (const role of ["participant", "donor", "partner", "facilitator"]) {
      expect(((await call(eventsCsv.loader, makeRequest("/events.csv", { cookie: cookies[role] }))) as Response).status).toBe(403);
    }
  });
});

describe("calendar", () => {
  it("has one VEVENT per session in UTC with stable UIDs, for anyone who may see the event", async () => {
    const id = demoEvent("victimIdentification");
    const download = async (role: string) =>
      (await call(calendar.loader, makeRequest(`/events/${id}/calendar.ics`, { cookie: cookies[role] }), { eventId: String(id) })) as Response;
    const response = await download("participant");
    expect(response.headers.get("Content-Type")).toBe("text/calendar; charset=utf-8");
    expect(response.headers.get("Content-Disposition")).toBe(`attachment; filename="event-${id}.ics"; filename*=UTF-8''event-${id}.ics`);
    const first = await response.text();
    expect(first.match(/BEGIN:VEVENT/g)).toHaveLength(8);
    expect(first).toContain("DTSTART:20230809T130000Z");
    // every session at its exact instants in UTC, with its title, the event's title and the place
    const event = firstRow(await getDb().select().from(events).where(eq(events.id, id)).limit(1))!;
    const sessions = await getDb().select().from(eventSessions).where(eq(eventSessions.eventId, id));
    // iCalendar text escapes backslashes, semicolons and commas
    const icsText = (value: string) => value.replace(/[\\;,]/g, (c) => `\\${c}`);
    const utc = (at: Date) => at.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
    const unfolded = first.replace(/\r\n[ \t]/g, ""); // long lines are folded
    expect(unfolded).toContain(`X-WR-CALNAME:${icsText(event.title)}`);
    const vevents = unfolded.split("BEGIN:VEVENT").slice(1);
    for (const session of sessions) {
      const block = vevents.find((v) => v.includes(`UID:event-${id}-session-${session.id}@localhost:3000`))!;
      expect(block).toContain(`DTSTART:${utc(session.startsAt)}`);
      expect(block).toContain(`DTEND:${utc(session.endsAt)}`);
      expect(block).toContain(`SUMMARY:${icsText(session.title)}`);
      expect(block).toContain(`DESCRIPTION:${icsText(event.title)}`);
      expect(block).toContain(`LOCATION:${icsText([session.room, event.venue, event.locality, "Bahamas"].filter(Boolean).join(", "))}`);
    }
    const uids = first.match(/UID:.*/g)!;
    const again = await (await download("coordinator")).text();
    expect(again.match(/UID:.*/g)).toEqual(uids);
    expect(first).not.toContain("Tomás Herrera"); // no personal data
    expect((await download("donor")).status).toBe(200); // PRM funds this programme
    const bahrain = demoEvent("bahrain");
    const refused = (await call(calendar.loader, makeRequest(`/events/${bahrain}/calendar.ics`, { cookie: cookies.donor }), { eventId: String(bahrain) })) as Response;
    expect(refused.status).toBe(404);
  });

  it("folds lines at 75 octets, never inside a UTF-8 sequence; escapes the calendar's name; says each part of the place once", async () => {
    const title = "دورة تدريبية حول تحديد هوية ضحايا الاتجار بالبشر وحمايتهم، المنامة; \\ نسخة 2\nالثانية, مع ملاحظات";
    const eventId = (await getDb()
      .insert(events)
      .values({
        title,
        type: "training",
        country: "BH",
        locality: "Manama",
        venue: "Ministry of Interior Training Hall, Manama",
        timeZone: "Asia/Bahrain",
        startDate: "2026-12-07",
        endDate: "2026-12-07",
        status: "open",
        createdByUserId: firstRow(await getDb().select().from(users).where(eq(users.email, "coordinator@example.org")).limit(1))!.id,
      })
      .returning())[0].id;
    await getDb()
      .insert(eventSessions)
      .values({
        eventId,
        title: "Ã".repeat(40) + " — تحديد الهوية والإحالة إلى الجهات المختصة عبر آلية الإحالة الوطنية",
        startsAt: zonedToUtc("2026-12-07", "09:00", "Asia/Bahrain"),
        endsAt: zonedToUtc("2026-12-07", "10:30", "Asia/Bahrain"),
        room: "Hall 1",
      });
    const response = (await call(calendar.loader, makeRequest(`/events/${eventId}/calendar.ics`, { cookie: cookies.coordinator }), { eventId: String(eventId) })) as Response;
    expect(response.status).toBe(200);
    const bytes = Buffer.from(await response.arrayBuffer());
    const lines = bytes.toString("utf8").split("\r\n");
    expect(lines.some((l) => l.startsWith(" "))).toBe(true); // long lines were folded
    for (const line of lines) {
      // 75 octets at most, and each physical line is whole UTF-8 (no sequence cut at a fold)
      expect(Buffer.byteLength(line, "utf8")).toBeLessThanOrEqual(75);
      expect(line).not.toContain("\uFFFD");
    }
    expect(bytes.toString("utf8")).not.toContain("\uFFFD");
    const unfolded = bytes.toString("utf8").replace(/\r\n /g, "");
    const stored = firstRow(await getDb().select({ title: events.title }).from(events).where(eq(events.id, eventId)).limit(1))!.title;
    expect(stored).toContain("\n");
    const escaped = stored.replace(/\\/g, "\\\\").replace(/;/g, "\\;").replace(/,/g, "\\,").replace(/\n/g, "\\n");
    expect(unfolded).toContain(`\r\nX-WR-CALNAME:${escaped}\r\n`);
    expect(unfolded).toContain("LOCATION:Hall 1\\, Ministry of Interior Training Hall\\, Manama\\, Bahrain\r\n");
  });

  it("names the zone in force for sessions on the day the clocks change in Nassau — also those before the change", () => {
    const tz = "America/Nassau";
    const at = (day: string, time: string) => zonedToUtc(day, time, tz);
    // 2026-11-01: the clocks go back at 02:00 (EDT → EST)
    const overnight = at("2026-11-01", "00:30"); // still EDT
    const morning = at("2026-11-01", "09:00"); // EST
    expect(zoneLabel(tz, overnight, "en")).toBe("Nassau (EDT)");
    expect(zoneLabel(tz, morning, "en")).toBe("Nassau (EST)");

    // a day whose only session comes before the change: no "from this day, EST"
    let zones = timetableZones(["2026-10-31", "2026-11-01"], new Map([["2026-10-31", [at("2026-10-31", "22:00")]], ["2026-11-01", [overnight]]]), tz, "en");
    expect(zones.first).toBe("Nassau (EDT)");
    expect(zones.notes.get("2026-11-01")).toBeUndefined();

    // sessions on both sides of the change: the day says so and each time names its zone
    zones = timetableZones(["2026-10-31", "2026-11-01", "2026-11-02"], new Map([["2026-10-31", [at("2026-10-31", "09:00")]], ["2026-11-01", [overnight, morning]], ["2026-11-02", [at("2026-11-02", "09:00")]]]), tz, "en");
    expect(zones.notes.get("2026-11-01")).toEqual({ kind: "within" });
    expect(zones.notes.get("2026-11-02")).toBeUndefined(); // already EST since the day before

    // the whole day after the change: "from this day, EST"
    zones = timetableZones(["2026-10-31", "2026-11-01"], new Map([["2026-10-31", [at("2026-10-31", "09:00")]], ["2026-11-01", [morning]]]), tz, "en");
    expect(zones.notes.get("2026-11-01")).toEqual({ kind: "from", zone: "Nassau (EST)" });

    // a timetable in an email names the first session's zone; a time across the change names its own
    const session = (id: number, startsAt: Date) => ({ id, title: `Session ${id}`, startsAt, endsAt: new Date(startsAt.getTime() + 3_600_000), room: null, description: null, updatedAt: startsAt });
    const days = timetableFor([session(1, at("2026-10-31", "09:00")), session(2, overnight), session(3, morning)], tz, "en");
    expect(days.flatMap((d) => d.rows.map((r) => r.time))).toEqual([
      formatTimeRange(at("2026-10-31", "09:00"), at("2026-10-31", "10:00"), tz, "en"),
      formatTimeRange(overnight, new Date(overnight.getTime() + 3_600_000), tz, "en"),
      `${formatTimeRange(morning, new Date(morning.getTime() + 3_600_000), tz, "en")} Nassau (EST)`,
    ]);
  });
});
