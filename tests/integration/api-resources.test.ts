import { and, asc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb, firstRow } from "../../db/client";
import { certificates, eventSessions, events, registrations, sessionFacilitators, users } from "../../db/schema";
import { DEMO_EVENTS, DEMO_FOLLOW_UP_TITLE, seedDemo } from "../../db/seed/demo";
import type { Actor } from "~/auth/session.server";
import { setClock } from "~/lib/clock";
import { createApiToken } from "~/models/api-tokens.server";
import { activityReport, parseReportFilters, reportDefaults } from "~/models/reports.server";
import * as actionPlanApi from "~/api/api.v1.events_.$eventId_.action-plans_.$planId";
import * as actionPlansApi from "~/api/api.v1.events_.$eventId_.action-plans";
import * as attendanceApi from "~/api/api.v1.events_.$eventId_.attendance";
import * as certificatesApi from "~/api/api.v1.events_.$eventId_.certificates";
import * as evaluationApi from "~/api/api.v1.events_.$eventId_.evaluation";
import * as eventApi from "~/api/api.v1.events_.$eventId";
import * as marksApi from "~/api/api.v1.events_.$eventId_.sessions_.$sessionId_.attendance";
import * as sessionApi from "~/api/api.v1.events_.$eventId_.sessions_.$sessionId";
import * as sessionsApi from "~/api/api.v1.events_.$eventId_.sessions";
import * as verifyApi from "~/api/api.v1.certificates.$code";
import * as eventsApi from "~/api/api.v1.events";
import * as followUpApi from "~/api/api.v1.follow-ups_.$requestId";
import * as followUpsApi from "~/api/api.v1.follow-ups";
import * as organisationsApi from "~/api/api.v1.organisations";
import * as programmesApi from "~/api/api.v1.programmes";
import * as summaryApi from "~/api/api.v1.reports.summary";
import * as certificatePage from "~/routes/certificates.$code";
import * as reportsPage from "~/routes/reports._index";
import { call, makeRequest, rawAll, rawGet, sessionCookie, unwrap } from "../setup/helpers";
import { expectMatchesOpenApi } from "../setup/openapi";

/**
 * The API's resources besides the roster (tests/integration/api-roster.test.ts): events and their
 * sessions (read and write), attendance, certificates and their verification, action plans,
 * follow-up requests, evaluation figures, programmes, organisations and the activity summary —
 * each with the rights of the page it mirrors, every answer checked against the OpenAPI document.
 */

const TODAY = new Date("2026-11-22T12:00:00Z");
const db = () => getDb();
const actors: Record<string, Actor> = {};
const tokens: Record<string, string> = {};
const ids: Record<string, number> = {};

type Module = { loader?: (args: never) => Promise<Response>; action?: (args: never) => Promise<Response> };

/** Call an API route module as Remix would: GET to its loader, anything else to its action. */
async function api(mod: Module, token: string | undefined, path: string, params: Record<string, string | number>, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  const method = init.method ?? (init.body === undefined ? "GET" : "POST");
  const headers: Record<string, string> = { "x-convene-client-ip": "203.0.113.7", ...(token ? { Authorization: `Bearer ${token}` } : {}), ...init.headers };
  if (init.body !== undefined) headers["Content-Type"] = "application/json";
  const request = new Request(`http://localhost:3000/api/v1${path}`, { method, headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
  const fn = (method === "GET" ? mod.loader : mod.action) as (args: { request: Request; params: Record<string, string>; context: object }) => Promise<Response>;
  return await fn({ request, params: Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])), context: {} });
}

async function actorOf(role: string): Promise<Actor> {
  const u = firstRow(await db().select().from(users).where(eq(users.email, `${role}@example.org`)).limit(1))!;
  return { user: { id: u.id, email: u.email, name: u.name, role: u.role, organisationId: u.organisationId, locale: u.locale }, ip: "127.0.0.1" };
}
/** An audit entry's details: JSON text on SQLite, already parsed (jsonb) on PostgreSQL. */
const detailsOf = (details: unknown) => (typeof details === "string" ? JSON.parse(details) : details);
const eventIdOf = async (title: string) => firstRow(await db().select({ id: events.id }).from(events).where(eq(events.title, title)).limit(1))!.id;

beforeAll(async () => {
  setClock(() => TODAY.getTime());
  await seedDemo(db(), { today: TODAY });
  for (const role of ["admin", "coordinator", "facilitator", "participant", "partner", "donor"]) {
    actors[role] = await actorOf(role);
    tokens[role] = (await createApiToken(actors[role], { name: `${role} sync`, access: "write", lifetimeDays: 30 })).secret;
  }
  tokens.readOnly = (await createApiToken(actors.coordinator, { name: "read only", access: "read", lifetimeDays: 30 })).secret;
  ids.vi = await eventIdOf(DEMO_EVENTS.victimIdentification);
  ids.draft = await eventIdOf(DEMO_EVENTS.draft);
  ids.bahrain = await eventIdOf(DEMO_EVENTS.bahrain);
  ids.taught = firstRow(await db()
    .select({ id: eventSessions.id })
    .from(eventSessions)
    .innerJoin(sessionFacilitators, eq(sessionFacilitators.sessionId, eventSessions.id))
    .where(and(eq(eventSessions.eventId, ids.vi), eq(sessionFacilitators.userId, actors.facilitator.user.id)))
    .orderBy(asc(eventSessions.startsAt)).limit(1))!.id;
  ids.request = Number((await rawGet<{ id: number }>("select id from follow_up_requests where title = ?", DEMO_FOLLOW_UP_TITLE))!.id);
});

describe("events and their sessions", () => {
  it("reads one event with its timetable, with the overview page's blanks for donors", async () => {
    const coordinator = await expectMatchesOpenApi("/events/{eventId}", "get", await api(eventApi, tokens.coordinator, `/events/${ids.vi}`, { eventId: ids.vi }));
    expect(coordinator).toMatchObject({ id: ids.vi, title: DEMO_EVENTS.victimIdentification, protected: false });
    expect(coordinator.sessions.length).toBeGreaterThan(0);
    expect(coordinator.sessions.some((s: { facilitators: { ref?: string }[] }) => s.facilitators.some((f) => f.ref?.startsWith("user:")))).toBe(true);
    const donor = await expectMatchesOpenApi("/events/{eventId}", "get", await api(eventApi, tokens.donor, `/events/${ids.vi}`, { eventId: ids.vi }));
    expect(donor).toMatchObject({ contactName: null, contactEmail: null, retentionMonths: null, checkInDays: null, protected: true });
    expect(donor.sessions.every((s: { facilitators: unknown }) => s.facilitators === null)).toBe(true);
    const participant = await expectMatchesOpenApi("/events/{eventId}", "get", await api(eventApi, tokens.participant, `/events/${ids.vi}`, { eventId: ids.vi }));
    expect(participant.sessions.flatMap((s: { facilitators: { ref?: string }[] }) => s.facilitators).every((f: { ref?: string }) => f.ref === undefined)).toBe(true);
    // a draft and another country's training are not found for a partner; a malformed id neither
    for (const [eventId, token] of [[ids.draft, tokens.partner], [ids.bahrain, tokens.partner], [ids.draft, tokens.donor], ["x1", tokens.coordinator]] as const) {
      const response = await api(eventApi, token, `/events/${eventId}`, { eventId });
      expect(response.status).toBe(404);
      await expectMatchesOpenApi("/events/{eventId}", "get", response);
    }
    const sessions = await expectMatchesOpenApi("/events/{eventId}/sessions", "get", await api(sessionsApi, tokens.partner, `/events/${ids.vi}/sessions`, { eventId: ids.vi }));
    expect(sessions.data.map((s: { id: number }) => s.id)).toEqual(coordinator.sessions.map((s: { id: number }) => s.id));
  });

  it("creates an event as the new-event form does, and changes it as the edit form does; both audited as coming through the token", async () => {
    const body = { title: "Counter-smuggling workshop", type: "workshop", country: "BS", locality: "Nassau", startDate: "2027-03-08", endDate: "2027-03-10", capacity: 25, topics: ["Smuggling routes", "Evidence"], targetRoles: ["immigration_officer"], requiresApproval: true, checkInDays: [30, 90] };
    const created = await api(eventsApi, tokens.coordinator, "/events", {}, { body, headers: { "Idempotency-Key": "event-create-key-0001" } });
    expect(created.status).toBe(201);
    const event = await expectMatchesOpenApi("/events", "post", created);
    expect(event).toMatchObject({ title: body.title, status: "draft", timeZone: "America/Nassau", capacity: 25, topics: ["Smuggling routes", "Evidence"], checkInDays: [30, 90], sessions: [] });
    const again = await api(eventsApi, tokens.coordinator, "/events", {}, { body, headers: { "Idempotency-Key": "event-create-key-0001" } });
    expect(again.status).toBe(200);
    expect((await again.json()).id).toBe(event.id);
    expect(await rawAll("select id from events where title = ?", body.title)).toHaveLength(1);
    ids.created = event.id;

    const patched = await api(eventApi, tokens.coordinator, `/events/${event.id}`, { eventId: event.id }, { method: "PATCH", body: { title: "Counter-smuggling workshop (Nassau)", capacity: null } });
    expect(patched.status).toBe(200);
    expect(await expectMatchesOpenApi("/events/{eventId}", "patch", patched)).toMatchObject({ title: "Counter-smuggling workshop (Nassau)", capacity: null, locality: "Nassau", topics: ["Smuggling routes", "Evidence"] });
    const audit = await rawAll<{ action: string; details: string }>("select action, details from audit_log where entity_type = 'event' and entity_id = ? order by id", String(event.id));
    expect(audit.map((a) => a.action)).toEqual(["event.create", "event.update"]);
    for (const a of audit) expect(detailsOf(a.details)).toMatchObject({ channel: "api" });
  });

  it("refuses what the event forms refuse (422 per field), and what only planners may do (403), changing nothing", async () => {
    const before = await rawGet("select title, start_date, end_date, updated_at from events where id = ?", ids.created);
    const cases: [unknown, string, string][] = [
      [{ endDate: "2027-03-01" }, "endDate", "events.form.errors.endBeforeStart"],
      [{ startDate: "2027-02-30" }, "startDate", "errors.date"],
      [{ title: "" }, "title", "errors.required"],
      [{ type: "party" }, "type", "errors.choice"],
      [{ partnerIds: [999999] }, "partnerIds", "errors.choice"],
      [{ partnerIds: 5 }, "partnerIds", "errors.list"],
      [{ status: "open" }, "status", "errors.unknownField"],
      [{ registrationOpensAt: "2027-01-01T09:00:00Z" }, "registrationOpensAt", "errors.dateTime"],
    ];
    for (const [body, field, code] of cases) {
      const response = await api(eventApi, tokens.coordinator, `/events/${ids.created}`, { eventId: ids.created }, { method: "PATCH", body });
      expect(response.status, JSON.stringify(body)).toBe(422);
      const problem = await expectMatchesOpenApi("/events/{eventId}", "patch", response);
      expect(problem.errors[0], JSON.stringify(body)).toMatchObject({ field, code });
    }
    for (const token of [tokens.facilitator, tokens.partner, tokens.donor, tokens.participant, tokens.readOnly]) {
      const response = await api(eventApi, token, `/events/${ids.created}`, { eventId: ids.created }, { method: "PATCH", body: { title: "Hijacked" } });
      // a draft: 404 for those who may not see it; 403 for the read-only token
      expect([403, 404]).toContain(response.status);
      await expectMatchesOpenApi("/events/{eventId}", "patch", response);
    }
    const facilitatorOnVisible = await api(eventApi, tokens.facilitator, `/events/${ids.vi}`, { eventId: ids.vi }, { method: "PATCH", body: { title: "Hijacked" } });
    expect(facilitatorOnVisible.status).toBe(403);
    const create = await api(eventsApi, tokens.partner, "/events", {}, { body: { title: "Partner's own", type: "workshop", country: "BS", startDate: "2027-03-08", endDate: "2027-03-08" } });
    expect(create.status).toBe(403);
    expect(await rawGet("select title, start_date, end_date, updated_at from events where id = ?", ids.created)).toEqual(before);
    expect(await rawAll("select id from events where title in ('Hijacked', 'Partner''s own')")).toEqual([]);
  });

  it("adds and changes sessions with the session form's checks (a day of the event, a free room)", async () => {
    const facilitatorRef = `user:${actors.facilitator.user.id}`;
    const first = await api(sessionsApi, tokens.coordinator, `/events/${ids.created}/sessions`, { eventId: ids.created }, { body: { title: "Routes and methods", kind: "presentation", day: "2027-03-08", start: "09:00", end: "10:30", room: "Room A", facilitator: [facilitatorRef] } });
    expect(first.status).toBe(201);
    const session = await expectMatchesOpenApi("/events/{eventId}/sessions", "post", first);
    expect(session).toMatchObject({ day: "2027-03-08", start: "09:00", end: "10:30", startsAt: "2027-03-08T14:00:00.000Z", facilitators: [{ ref: facilitatorRef }] });
    const clash = await api(sessionsApi, tokens.coordinator, `/events/${ids.created}/sessions`, { eventId: ids.created }, { body: { title: "Clash", kind: "exercise", day: "2027-03-08", start: "10:00", end: "11:00", room: "room a " } });
    expect(clash.status).toBe(422);
    const problem = await expectMatchesOpenApi("/events/{eventId}/sessions", "post", clash);
    expect(problem).toMatchObject({ errors: [{ field: "room", code: "sessions.errors.roomTaken" }], conflictingSessionId: session.id });
    const outside = await api(sessionsApi, tokens.coordinator, `/events/${ids.created}/sessions`, { eventId: ids.created }, { body: { title: "Too late", kind: "exercise", day: "2027-04-01", start: "10:00", end: "11:00" } });
    expect((await expectMatchesOpenApi("/events/{eventId}/sessions", "post", outside)).errors[0]).toMatchObject({ field: "day", code: "sessions.errors.dayOutside" });

    const moved = await api(sessionApi, tokens.coordinator, `/events/${ids.created}/sessions/${session.id}`, { eventId: ids.created, sessionId: session.id }, { method: "PATCH", body: { start: "13:00", end: "14:00" } });
    expect(moved.status).toBe(200);
    expect(await expectMatchesOpenApi("/events/{eventId}/sessions/{sessionId}", "patch", moved)).toMatchObject({ title: "Routes and methods", room: "Room A", start: "13:00", facilitators: [{ ref: facilitatorRef }] });
    // moving the event away from its session is the edit form's refusal
    const away = await api(eventApi, tokens.coordinator, `/events/${ids.created}`, { eventId: ids.created }, { method: "PATCH", body: { startDate: "2027-03-09" } });
    expect((await expectMatchesOpenApi("/events/{eventId}", "patch", away)).errors[0]).toMatchObject({ field: "startDate", code: "events.form.errors.sessionsOutside" });
    // a session of another event than the address's is not found; a facilitator may not change the timetable
    const wrongEvent = await api(sessionApi, tokens.coordinator, `/events/${ids.vi}/sessions/${session.id}`, { eventId: ids.vi, sessionId: session.id }, { method: "PATCH", body: { title: "x" } });
    expect(wrongEvent.status).toBe(404);
    const facilitator = await api(sessionsApi, tokens.facilitator, `/events/${ids.vi}/sessions`, { eventId: ids.vi }, { body: { title: "Mine", kind: "exercise", day: "2026-01-01", start: "10:00", end: "11:00" } });
    expect(facilitator.status).toBe(403);
    await expectMatchesOpenApi("/events/{eventId}/sessions", "post", facilitator);
  });
});

describe("attendance", () => {
  it("reads an event's attendance a page at a time (the attendance page's rights)", async () => {
    const confirmed = await rawAll<{ id: number }>("select id from registrations where event_id = ? and event_role = 'participant' and status = 'confirmed' order by id", ids.vi);
    const seen: number[] = [];
    let cursor = "";
    for (let i = 0; i < 50; i++) {
      const response = await api(attendanceApi, tokens.facilitator, `/events/${ids.vi}/attendance?limit=4${cursor ? `&cursor=${cursor}` : ""}`, { eventId: ids.vi });
      const body = await expectMatchesOpenApi("/events/{eventId}/attendance", "get", response);
      expect(body.sessions.length).toBeGreaterThan(0);
      seen.push(...body.data.map((r: { id: number }) => r.id));
      if (!body.next) break;
      cursor = body.next;
    }
    expect(seen).toEqual(confirmed.map((r) => Number(r.id)));
    for (const [token, status] of [[tokens.partner, 403], [tokens.participant, 403], [tokens.donor, 403]] as const) {
      const response = await api(attendanceApi, token, `/events/${ids.vi}/attendance`, { eventId: ids.vi });
      expect(response.status).toBe(status);
      await expectMatchesOpenApi("/events/{eventId}/attendance", "get", response);
    }
  });

  it("records a session's marks as the facilitator's page does, all or nothing", async () => {
    const regs = await rawAll<{ id: number }>("select id from registrations where event_id = ? and event_role = 'participant' and status = 'confirmed' order by id limit 3", ids.vi);
    const path = `/events/${ids.vi}/sessions/${ids.taught}/attendance`;
    const params = { eventId: ids.vi, sessionId: ids.taught };
    const marks = [{ registrationId: Number(regs[0].id), status: "late" }, { registrationId: Number(regs[1].id), status: "absent" }];
    const recorded = await api(marksApi, tokens.facilitator, path, params, { body: { marks } });
    expect(recorded.status).toBe(200);
    expect((await expectMatchesOpenApi("/events/{eventId}/sessions/{sessionId}/attendance", "post", recorded)).changed).toBeGreaterThan(0);
    const stored = await rawAll<{ status: string }>("select status from attendance where session_id = ? and registration_id in (?, ?) order by registration_id", ids.taught, regs[0].id, regs[1].id);
    expect(stored.map((s) => s.status)).toEqual(["late", "absent"]);
    const audit = await rawGet<{ details: string }>("select details from audit_log where action = 'attendance.record' order by id desc limit 1");
    expect(detailsOf(audit!.details)).toMatchObject({ channel: "api", sessions: [ids.taught] });

    const before = await rawAll("select registration_id, session_id, status from attendance order by id");
    const refusals: [string | undefined, unknown, number][] = [
      [tokens.facilitator, { marks: [{ registrationId: Number(regs[2].id), status: "asleep" }] }, 422],
      [tokens.facilitator, { marks: [{ registrationId: Number(regs[2].id), status: "present" }, { registrationId: Number(regs[2].id), status: "absent" }] }, 422],
      [tokens.facilitator, { marks: [{ registrationId: 99999999, status: "present" }] }, 422],
      [tokens.facilitator, { marks: [] }, 422],
      [tokens.facilitator, { marks: [{ registrationId: Number(regs[2].id), status: "present", note: "x" }] }, 422],
      [tokens.participant, { marks: [{ registrationId: Number(regs[2].id), status: "present" }] }, 403],
      [tokens.partner, { marks: [{ registrationId: Number(regs[2].id), status: "present" }] }, 403],
      [tokens.readOnly, { marks: [{ registrationId: Number(regs[2].id), status: "present" }] }, 403],
    ];
    for (const [token, body, status] of refusals) {
      const response = await api(marksApi, token, path, params, { body });
      expect(response.status, JSON.stringify(body)).toBe(status);
      await expectMatchesOpenApi("/events/{eventId}/sessions/{sessionId}/attendance", "post", response);
    }
    // a session of another event than the address's: not found
    const elsewhere = await api(marksApi, tokens.coordinator, `/events/${ids.bahrain}/sessions/${ids.taught}/attendance`, { eventId: ids.bahrain, sessionId: ids.taught }, { body: { marks } });
    expect(elsewhere.status).toBe(404);
    expect(await rawAll("select registration_id, session_id, status from attendance order by id")).toEqual(before);
  });

  it("lists no marks against a session made a break since (its marks stay stored, count for nothing)", async () => {
    const marked = await rawGet<{ session_id: number }>(
      "select a.session_id from attendance a join registrations r on r.id = a.registration_id where r.event_id = ? group by a.session_id order by count(*) desc limit 1",
      ids.vi,
    );
    expect(marked).toBeDefined();
    const sessionId = Number(marked!.session_id);
    const { kind } = firstRow(await db().select({ kind: eventSessions.kind }).from(eventSessions).where(eq(eventSessions.id, sessionId)))!;
    const marksOf = (body: { data: { marks: { sessionId: number }[] }[] }) => body.data.flatMap((p) => p.marks).filter((m) => m.sessionId === sessionId);
    const read = async () => await expectMatchesOpenApi("/events/{eventId}/attendance", "get", await api(attendanceApi, tokens.coordinator, `/events/${ids.vi}/attendance?limit=100`, { eventId: ids.vi }));
    const before = await read();
    expect(marksOf(before).length).toBeGreaterThan(0);
    await db().update(eventSessions).set({ kind: "break" }).where(eq(eventSessions.id, sessionId));
    try {
      const after = await read();
      expect(after.sessions.map((s: { id: number }) => s.id)).not.toContain(sessionId);
      expect(marksOf(after)).toEqual([]);
      // the other sessions' marks are still listed
      expect(after.data.flatMap((p: { marks: unknown[] }) => p.marks).length).toBe(before.data.flatMap((p: { marks: unknown[] }) => p.marks).length - marksOf(before).length);
    } finally {
      await db().update(eventSessions).set({ kind }).where(eq(eventSessions.id, sessionId));
    }
  });
});

describe("certificates", () => {
  it("lists an event's certificates for staff, and verifies a code with the public page's fields and nothing more", async () => {
    const list = await expectMatchesOpenApi("/events/{eventId}/certificates", "get", await api(certificatesApi, tokens.coordinator, `/events/${ids.vi}/certificates`, { eventId: ids.vi }));
    expect(list.data.length).toBeGreaterThan(0);
    for (const token of [tokens.partner, tokens.donor, tokens.facilitator]) {
      expect((await api(certificatesApi, token, `/events/${ids.vi}/certificates`, { eventId: ids.vi })).status).toBe(403);
    }
    const cert = firstRow(await db().select({ code: certificates.code }).from(certificates).innerJoin(registrations, eq(registrations.id, certificates.registrationId)).where(eq(registrations.eventId, ids.vi)).limit(1))!;
    const verified = await expectMatchesOpenApi("/certificates/{code}", "get", await api(verifyApi, tokens.donor, `/certificates/${cert.code}`, { code: cert.code.toLowerCase() }));
    const page = unwrap(await call(certificatePage.loader, makeRequest(`/certificates/${cert.code}`), { code: cert.code })).data;
    expect(verified).toEqual(page);
    expect(Object.keys(verified).sort()).toEqual(["code", "endDate", "eventTitle", "name", "revokedOn", "startDate", "state"]);
    const unknown = await api(verifyApi, tokens.donor, "/certificates/ZZZZZZZZZZZZ", { code: "ZZZZZZZZZZZZ" });
    expect(unknown.status).toBe(404);
    await expectMatchesOpenApi("/certificates/{code}", "get", unknown);
  });
});

describe("action plans", () => {
  it("gives each reader the plans the tab gives them, items and status included; donors 403", async () => {
    const all = await expectMatchesOpenApi("/events/{eventId}/action-plans", "get", await api(actionPlansApi, tokens.coordinator, `/events/${ids.vi}/action-plans`, { eventId: ids.vi }));
    const own = await expectMatchesOpenApi("/events/{eventId}/action-plans", "get", await api(actionPlansApi, tokens.participant, `/events/${ids.vi}/action-plans`, { eventId: ids.vi }));
    expect(own.data.length).toBeGreaterThan(0);
    expect(own.data.length).toBeLessThanOrEqual(all.data.length);
    const donor = await api(actionPlansApi, tokens.donor, `/events/${ids.vi}/action-plans`, { eventId: ids.vi });
    expect(donor.status).toBe(403);
    await expectMatchesOpenApi("/events/{eventId}/action-plans", "get", donor);
    const planId = own.data[0].id;
    const plan = await expectMatchesOpenApi("/events/{eventId}/action-plans/{planId}", "get", await api(actionPlanApi, tokens.participant, `/events/${ids.vi}/action-plans/${planId}`, { eventId: ids.vi, planId }));
    expect(plan.items.length).toBe(own.data[0].items.total);
    const wrongEvent = await api(actionPlanApi, tokens.coordinator, `/events/${ids.bahrain}/action-plans/${planId}`, { eventId: ids.bahrain, planId });
    expect(wrongEvent.status).toBe(404);
  });
});

describe("follow-up requests", () => {
  it("lists them with the list's rights and filters, and moves one a step as the request page does", async () => {
    const all = await expectMatchesOpenApi("/follow-ups", "get", await api(followUpsApi, tokens.coordinator, "/follow-ups", {}));
    expect(all.data.map((r: { id: number }) => r.id)).toContain(ids.request);
    const partner = await expectMatchesOpenApi("/follow-ups", "get", await api(followUpsApi, tokens.partner, "/follow-ups", {}));
    expect(partner.data.every((r: { organisation: { id: number } | null }) => r.organisation?.id === actors.partner.user.organisationId)).toBe(true);
    for (const token of [tokens.donor, tokens.participant, tokens.facilitator]) {
      const response = await api(followUpsApi, token, "/follow-ups", {});
      expect(response.status).toBe(403);
      await expectMatchesOpenApi("/follow-ups", "get", response);
    }
    expect((await api(followUpsApi, tokens.coordinator, "/follow-ups?status=lost", {})).status).toBe(400);

    const path = `/follow-ups/${ids.request}`;
    const params = { requestId: ids.request };
    const declineWithoutReason = await api(followUpApi, tokens.coordinator, path, params, { method: "PATCH", body: { status: "declined" } });
    expect((await expectMatchesOpenApi("/follow-ups/{requestId}", "patch", declineWithoutReason)).errors[0]).toMatchObject({ field: "comment", code: "followUps.errors.reasonRequired" });
    for (const [token, body, status] of [
      [tokens.partner, { status: "accepted" }, 403],
      [tokens.readOnly, { status: "accepted" }, 403],
      [tokens.donor, { status: "accepted" }, 403],
      [tokens.coordinator, { status: "received" }, 422],
      [tokens.coordinator, { status: "accepted", intent: "comment" }, 422],
    ] as const) {
      const response = await api(followUpApi, token, path, params, { method: "PATCH", body });
      expect(response.status, JSON.stringify(body)).toBe(status);
      await expectMatchesOpenApi("/follow-ups/{requestId}", "patch", response);
    }
    const accepted = await api(followUpApi, tokens.coordinator, path, params, { method: "PATCH", body: { status: "accepted", comment: "Planned for the spring." } });
    expect(accepted.status).toBe(200);
    const request = await expectMatchesOpenApi("/follow-ups/{requestId}", "patch", accepted);
    expect(request.status).toBe("accepted");
    expect(request.linkedEventIds).toHaveLength(1);
    expect(request.history.at(-1)).toMatchObject({ from: "under_review", to: "accepted", comment: "Planned for the spring." });
    const audit = await rawGet<{ details: string }>("select details from audit_log where action = 'follow_up.status' order by id desc limit 1");
    expect(detailsOf(audit!.details)).toMatchObject({ to: "accepted", channel: "api" });
  });
});

describe("evaluation, programmes, organisations", () => {
  it("gives staff the evaluation figures; donors and partners 403", async () => {
    const figures = await expectMatchesOpenApi("/events/{eventId}/evaluation", "get", await api(evaluationApi, tokens.coordinator, `/events/${ids.vi}/evaluation`, { eventId: ids.vi }));
    expect(figures.feedback.confirmed).toBeGreaterThan(0);
    for (const token of [tokens.donor, tokens.partner, tokens.facilitator]) {
      const response = await api(evaluationApi, token, `/events/${ids.vi}/evaluation`, { eventId: ids.vi });
      expect(response.status).toBe(403);
      await expectMatchesOpenApi("/events/{eventId}/evaluation", "get", response);
    }
  });

  it("lists programmes and organisations for staff in pages; others 403", async () => {
    const programmes = await expectMatchesOpenApi("/programmes", "get", await api(programmesApi, tokens.admin, "/programmes?limit=100", {}));
    expect(programmes.data.map((p: { id: number }) => p.id)).toEqual((await rawAll<{ id: number }>("select id from programmes order by id")).map((p) => Number(p.id)));
    const donors = await expectMatchesOpenApi("/organisations", "get", await api(organisationsApi, tokens.coordinator, "/organisations?kind=donor", {}));
    expect(donors.data.length).toBeGreaterThan(0);
    expect(donors.data.every((o: { kind: string }) => o.kind === "donor")).toBe(true);
    const paged = await expectMatchesOpenApi("/organisations", "get", await api(organisationsApi, tokens.coordinator, "/organisations?limit=2", {}));
    const next = await expectMatchesOpenApi("/organisations", "get", await api(organisationsApi, tokens.coordinator, `/organisations?limit=2&cursor=${paged.next}`, {}));
    expect(next.data[0].id).toBeGreaterThan(paged.data[1].id);
    expect((await api(organisationsApi, tokens.coordinator, "/organisations?kind=spy", {})).status).toBe(400);
    for (const token of [tokens.partner, tokens.donor, tokens.participant, tokens.facilitator]) {
      const p = await api(programmesApi, token, "/programmes", {});
      const o = await api(organisationsApi, token, "/organisations", {});
      expect([p.status, o.status]).toEqual([403, 403]);
      await expectMatchesOpenApi("/programmes", "get", p);
    }
  });
});

describe("the activity summary", () => {
  it("gives a donor exactly the disclosure-controlled figures of /reports", async () => {
    const response = await api(summaryApi, tokens.donor, "/reports/summary", {});
    const summary = await expectMatchesOpenApi("/reports/summary", "get", response);
    expect(summary.protected).toBe(true);
    const parsed = await parseReportFilters(new URL("http://x/reports"), reportDefaults(actors.donor.user));
    if (!parsed.ok) throw new Error("filters");
    expect(summary).toEqual(JSON.parse(JSON.stringify(await activityReport(actors.donor.user, parsed.filters))));
    const cookie = await sessionCookie({ id: actors.donor.user.id, role: "donor" });
    const page = unwrap(await call(reportsPage.loader, makeRequest("/reports", { cookie }))).data;
    expect(page.report.participants.unique).toEqual(summary.participants.unique);
    // no figure of people is an exact small number
    const counts = JSON.stringify(summary.table.map((r: { participants: unknown }) => r.participants));
    expect(counts).not.toMatch(/(^|[,[])[1-4](?=[,\]])/);
  });

  it("refuses what /reports refuses: other roles 403, a programme the donor does not fund 403, bad filters 400", async () => {
    for (const token of [tokens.participant, tokens.facilitator]) {
      const response = await api(summaryApi, token, "/reports/summary", {});
      expect(response.status).toBe(403);
      await expectMatchesOpenApi("/reports/summary", "get", response);
    }
    const unfunded = Number((await rawGet<{ id: number }>(
      "select p.id from programmes p where not exists (select 1 from programme_funding f where f.programme_id = p.id and f.donor_organisation_id = ?) order by p.id limit 1",
      actors.donor.user.organisationId,
    ))!.id);
    expect((await api(summaryApi, tokens.donor, `/reports/summary?programmeId=${unfunded}`, {})).status).toBe(403);
    const bad = await api(summaryApi, tokens.coordinator, "/reports/summary?from=2027-13-01", {});
    expect(bad.status).toBe(400);
    expect((await expectMatchesOpenApi("/reports/summary", "get", bad)).errors[0]).toMatchObject({ field: "from" });
    const coordinator = await expectMatchesOpenApi("/reports/summary", "get", await api(summaryApi, tokens.coordinator, "/reports/summary?from=2020-01-01&to=2027-12-31", {}));
    expect(coordinator.protected).toBe(false);
  });
});
