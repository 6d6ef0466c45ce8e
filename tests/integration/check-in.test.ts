import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { and, eq } from "drizzle-orm";
import { getDb, firstRow } from "../../db/client";
import { appSettings, attendance, auditLog, events, eventSessions, people, registrations, sessionFacilitators } from "../../db/schema";
import * as checkInPage from "~/routes/check-in";
import * as screenPage from "~/routes/events_.$eventId.sessions_.$sessionId.check-in";
import type { Role } from "~/lib/domain";
import { CHECK_IN_ALPHABET, currentCheckInCode } from "~/models/check-in.server";
import { call, createUser, makeRequest, rawGet, sessionCookie, unwrap } from "../setup/helpers";

/**
 * Self check-in with rotating codes. Time is moved with a fake Date (the app reads it through
 * app/lib/clock.ts), never waited for.
 */

const MIN = 60_000;
/** Session A and B: 09:00–10:30 in Nassau (EST) on 23 November 2026, a multiple of 30 s. */
const START = Date.UTC(2026, 10, 23, 14, 0, 0);
const END = START + 90 * MIN;
const GRACE = 15 * MIN;

type Person = { id: string; role: Role; cookie: string; personId?: number; registrationId?: number };
let coordinator: Person;
let facilitator: Person; // facilitates session A only
let otherFacilitator: Person; // facilitates nothing here
let participant: Person; // confirmed participant of the event
let second: Person; // another confirmed participant
let waitlisted: Person;
let outsider: Person; // a participant account, not on this event's roster
let eventId: number;
let sessionA: number;
let sessionB: number;
let otherEventSession: number;

function at(ms: number) {
  vi.setSystemTime(ms);
}

async function account(role: Role): Promise<Person> {
  const user = await createUser({ role });
  return { id: user.id, role, cookie: await sessionCookie(user) };
}

async function register(person: Person, status: "confirmed" | "waitlisted", event = eventId) {
  const personId = (await getDb()
    .insert(people)
    .values({ givenName: "Test", familyName: person.id.slice(0, 8), email: `${person.id}@people.example`, userId: person.id })
    .returning())[0].id;
  const registrationId = (await getDb()
    .insert(registrations)
    .values({ eventId: event, personId, eventRole: "participant", status, statusChangedAt: new Date() })
    .returning())[0].id;
  person.personId = personId;
  person.registrationId = registrationId;
}

async function insertEvent(title: string) {
  return (await getDb()
    .insert(events)
    .values({ title, type: "training", country: "BS", timeZone: "America/Nassau", startDate: "2026-11-23", endDate: "2026-11-24", status: "in_progress" })
    .returning())[0].id;
}

async function insertSession(event: number, title: string, room: string) {
  return (await getDb()
    .insert(eventSessions)
    .values({ eventId: event, title, room, startsAt: new Date(START), endsAt: new Date(END) })
    .returning())[0].id;
}

/** The code the venue screen shows now (the model gives it even while check-in is closed). */
async function codeOf(sessionId: number) {
  return (await currentCheckInCode({ user: { id: coordinator.id, role: "coordinator", email: "", name: "", organisationId: null, locale: null }, ip: null }, sessionId, "http://localhost:3000")).code;
}

async function screen(sessionId: number, who: Person, event = eventId) {
  const request = makeRequest(`/events/${event}/sessions/${sessionId}/check-in`, { cookie: who.cookie });
  return unwrap(await call(screenPage.loader, request, { eventId: String(event), sessionId: String(sessionId) }));
}

async function open(who: Person | null, search = "") {
  const request = makeRequest(`/check-in${search}`, { cookie: who?.cookie });
  return await call(checkInPage.loader, request);
}

async function submit(who: Person, form: Record<string, string>) {
  const request = makeRequest("/check-in", { form, cookie: who.cookie });
  return await call(checkInPage.action, request);
}

async function attendanceOf(person: Person, sessionId: number) {
  return firstRow(await getDb()
    .select()
    .from(attendance)
    .where(and(eq(attendance.registrationId, person.registrationId!), eq(attendance.sessionId, sessionId))).limit(1));
}

function expectRefused(result: unknown, key: string) {
  const { status, data } = unwrap(result);
  expect(status).toBe(400);
  expect(data.error).toBe(key);
}

beforeAll(async () => {
  vi.useFakeTimers({ toFake: ["Date"] });
  at(START - 60 * MIN);
  coordinator = await account("coordinator");
  facilitator = await account("facilitator");
  otherFacilitator = await account("facilitator");
  participant = await account("participant");
  second = await account("participant");
  waitlisted = await account("participant");
  outsider = await account("participant");
  eventId = await insertEvent("Identification of victims of trafficking");
  sessionA = await insertSession(eventId, "Indicators of trafficking", "Hall A");
  sessionB = await insertSession(eventId, "Referral pathways", "Hall B");
  await getDb().insert(sessionFacilitators).values({ sessionId: sessionA, userId: facilitator.id });
  const otherEvent = await insertEvent("Border management workshop");
  otherEventSession = await insertSession(otherEvent, "Risk analysis", "Hall C");
  await getDb().insert(sessionFacilitators).values({ sessionId: otherEventSession, userId: otherFacilitator.id });
  await register(participant, "confirmed");
  await register(second, "confirmed");
  await register(waitlisted, "waitlisted");
});

afterAll(() => {
  vi.useRealTimers();
});

beforeEach(() => {
  at(START + 5 * MIN);
});

describe("rotating codes", () => {
  it("are 6 characters of the unambiguous alphabet, change every 30 seconds, and come from a secret kept in app_settings", async () => {
    at(START);
    const first = await codeOf(sessionA);
    expect(first).toMatch(new RegExp(`^[${CHECK_IN_ALPHABET}]{6}$`));
    expect(first).not.toMatch(/[01OIL]/);
    at(START + 29_999);
    expect(await codeOf(sessionA)).toBe(first);
    at(START + 30_000);
    const next = await codeOf(sessionA);
    expect(next).not.toBe(first);
    at(START + 60_000);
    expect(await codeOf(sessionA)).not.toBe(next);
    // each session has its own code
    expect(await codeOf(sessionB)).not.toBe(await codeOf(sessionA));
    const secret = firstRow(await getDb().select().from(appSettings).where(eq(appSettings.key, "check_in_secret")).limit(1));
    expect(secret?.value).toMatch(/^[0-9a-f]{64}$/);
  });

  it("the screen says how many seconds the code has left", async () => {
    at(START + 5 * MIN);
    expect((await screen(sessionA, coordinator)).data.secondsLeft).toBe(30);
    at(START + 5 * MIN + 25_500);
    expect((await screen(sessionA, coordinator)).data.secondsLeft).toBe(5);
  });

  it("a code read 25 seconds ago (the previous window) still works; one from two windows ago is refused", async () => {
    const read = START + 10 * MIN + 5_000;
    at(read);
    const code = await codeOf(sessionA);
    at(read + 25_000); // the next window
    const still = unwrap(await open(participant, `?c=${sessionA}-${code}`));
    expect(still.data.preview).toMatchObject({ ok: true, sessionId: sessionA });
    at(read + 55_000); // two windows later
    expectRefused(await submit(participant, { intent: "code", code }), "checkIn.errors.invalid");
    expectRefused(await submit(participant, { intent: "confirm", code: `${sessionA}-${code}` }), "checkIn.errors.invalid");
    expect(await attendanceOf(participant, sessionA)).toBeUndefined();
  });
});

describe("when check-in is open", () => {
  it("is refused before (start − grace) and after (end + grace), and accepted at both edges", async () => {
    at(START - GRACE - 1_000);
    let code = await codeOf(sessionA);
    expectRefused(await submit(participant, { intent: "code", code }), "checkIn.errors.closed");
    expectRefused(await submit(participant, { intent: "confirm", code: `${sessionA}-${code}` }), "checkIn.errors.closed");
    expect((await screen(sessionA, coordinator)).data).toMatchObject({ open: false, state: "notYet", code: null, qrSvg: null });

    at(START - GRACE);
    code = await codeOf(sessionA);
    expect(unwrap(await open(participant, `?c=${sessionA}-${code}`)).data.preview.ok).toBe(true);

    at(END + GRACE);
    code = await codeOf(sessionA);
    expect(unwrap(await open(participant, `?c=${sessionA}-${code}`)).data.preview.ok).toBe(true);

    at(END + GRACE + 1_000);
    code = await codeOf(sessionA);
    expectRefused(await submit(participant, { intent: "code", code }), "checkIn.errors.closed");
    expectRefused(await submit(participant, { intent: "confirm", code: `${sessionA}-${code}` }), "checkIn.errors.closed");
    expect((await screen(sessionA, coordinator)).data).toMatchObject({ open: false, state: "ended", code: null });
    expect(await attendanceOf(participant, sessionA)).toBeUndefined();
  });

  it("uses the event's own grace", async () => {
    await getDb().update(events).set({ checkInGraceMinutes: 0 }).where(eq(events.id, eventId));
    try {
      at(START - 1_000);
      expectRefused(await submit(participant, { intent: "code", code: await codeOf(sessionA) }), "checkIn.errors.closed");
    } finally {
      await getDb().update(events).set({ checkInGraceMinutes: 15 }).where(eq(events.id, eventId));
    }
  });
});

describe("refusals", () => {
  it("a QR code naming one session with another session's code is refused as invalid", async () => {
    expectRefused(await submit(participant, { intent: "confirm", code: `${sessionA}-${(await codeOf(sessionB))}` }), "checkIn.errors.invalid");
    expectRefused(await submit(participant, { intent: "confirm", code: `999999-${(await codeOf(sessionA))}` }), "checkIn.errors.invalid");
    expect(unwrap(await open(participant, `?c=${sessionA}-${(await codeOf(sessionB))}`)).data.preview).toEqual({ ok: false, error: "checkIn.errors.invalid", retryAfterSeconds: 0 });
    expect(await attendanceOf(participant, sessionA)).toBeUndefined();
    expect(await attendanceOf(participant, sessionB)).toBeUndefined();
  });

  it("a wrong code, and text that is not a code, are refused with a clear message", async () => {
    const wrong = (await codeOf(sessionA)) === "ZZZZZZ" ? "YYYYYY" : "ZZZZZZ";
    expectRefused(await submit(participant, { intent: "code", code: wrong }), "checkIn.errors.invalid");
    expectRefused(await submit(participant, { intent: "code", code: "ABC" }), "checkIn.errors.format");
    expectRefused(await submit(participant, { intent: "code", code: "" }), "errors.required");
    // the form comes back with what was typed
    expect(unwrap(await submit(participant, { intent: "code", code: wrong })).data.values.code).toBe(wrong);
  });

  it("someone not confirmed on this event's roster cannot check in", async () => {
    expectRefused(await submit(outsider, { intent: "code", code: await codeOf(sessionA) }), "checkIn.errors.notRegistered");
    expectRefused(await submit(outsider, { intent: "confirm", code: `${sessionA}-${(await codeOf(sessionA))}` }), "checkIn.errors.notRegistered");
    expectRefused(await submit(waitlisted, { intent: "code", code: await codeOf(sessionA) }), "checkIn.errors.notRegistered");
    // a participant of this event, with the code of another event's session
    expectRefused(await submit(participant, { intent: "code", code: await codeOf(otherEventSession) }), "checkIn.errors.notRegistered");
    expect(await getDb().select().from(attendance).where(eq(attendance.sessionId, otherEventSession))).toEqual([]);
  });
});

describe("breaks", () => {
  it("take no check-in: a break's code is refused while it runs, and its screen says it is a break", async () => {
    const lunch = (await getDb()
      .insert(eventSessions)
      .values({ eventId, title: "Lunch", kind: "break", startsAt: new Date(START), endsAt: new Date(END) })
      .returning())[0].id;
    try {
      const code = await codeOf(lunch);
      expectRefused(await submit(participant, { intent: "confirm", code: `${lunch}-${code}` }), "checkIn.errors.break");
      expect(unwrap(await open(participant, `?c=${lunch}-${code}`)).data.preview).toEqual({ ok: false, error: "checkIn.errors.break", retryAfterSeconds: 0 });
      expect(await attendanceOf(participant, lunch)).toBeUndefined();
      const { data } = await screen(lunch, coordinator);
      expect(data).toMatchObject({ open: false, state: "break" });
    } finally {
      await getDb().delete(eventSessions).where(eq(eventSessions.id, lunch));
    }
  });
});

describe("checking in", () => {
  it("opening the QR link (GET) only shows what to confirm; it never checks in", async () => {
    const result = unwrap(await open(participant, `?c=${sessionA}-${(await codeOf(sessionA))}`));
    expect(result.data).toMatchObject({
      view: "confirm",
      preview: { ok: true, sessionId: sessionA, sessionTitle: "Indicators of trafficking", eventTitle: "Identification of victims of trafficking" },
    });
    expect(await attendanceOf(participant, sessionA)).toBeUndefined();
    expect(await getDb().select().from(auditLog).where(eq(auditLog.action, "attendance.check_in"))).toEqual([]);
  });

  it("a participant confirms the QR link: present, method qr, recorded by them, audited; then sees the success page", async () => {
    const now = START + 7 * MIN;
    at(now);
    const result = await submit(participant, { intent: "confirm", code: `${sessionA}-${(await codeOf(sessionA))}` });
    expect(result).toBeInstanceOf(Response);
    expect((result as Response).status).toBe(302);
    expect((result as Response).headers.get("Location")).toBe(`/check-in?checkedIn=${sessionA}`);
    const row = (await attendanceOf(participant, sessionA))!;
    expect(row).toMatchObject({ status: "present", method: "qr", recordedByUserId: participant.id });
    expect(row.recordedAt.getTime()).toBe(now);
    const audit = await getDb().select().from(auditLog).where(eq(auditLog.action, "attendance.check_in"));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ userId: participant.id, entityType: "attendance", entityId: String(row.id) });
    expect(audit[0].details).toMatchObject({ sessionId: sessionA, eventId, method: "qr", before: null });

    const done = unwrap(await open(participant, `?checkedIn=${sessionA}`));
    expect(done.data).toMatchObject({ view: "done", done: { sessionTitle: "Indicators of trafficking", eventTitle: "Identification of victims of trafficking" } });
    // the success page is about the visitor's own attendance, never someone else's
    expect(unwrap(await open(second, `?checkedIn=${sessionA}`)).data.view).toBe("form");
  });

  it("a participant types the code: present, method code (upper-cased, spaces ignored)", async () => {
    const code = await codeOf(sessionB);
    const typed = `${code.slice(0, 3).toLowerCase()} ${code.slice(3)}`;
    const result = await submit(second, { intent: "code", code: typed });
    expect((result as Response).headers.get("Location")).toBe(`/check-in?checkedIn=${sessionB}`);
    expect(await attendanceOf(second, sessionB)).toMatchObject({ status: "present", method: "code", recordedByUserId: second.id });
    expect(await attendanceOf(second, sessionA)).toBeUndefined();
  });

  it("checking in twice keeps the first record", async () => {
    const before = (await attendanceOf(participant, sessionA))!;
    at(START + 20 * MIN);
    const result = await submit(participant, { intent: "code", code: await codeOf(sessionA) });
    expect((result as Response).status).toBe(302);
    const after = (await attendanceOf(participant, sessionA))!;
    expect(after).toMatchObject({ status: "present", method: "qr", recordedByUserId: participant.id });
    expect(after.recordedAt.getTime()).toBe(before.recordedAt.getTime());
    expect(await getDb().select().from(auditLog).where(eq(auditLog.action, "attendance.check_in"))).toHaveLength(2); // A (qr) and B (code) only
  });

  it("someone marked absent by the facilitator who then checks in is set present (the audit log keeps what it was)", async () => {
    await getDb()
      .insert(attendance)
      .values({ registrationId: participant.registrationId!, sessionId: sessionB, status: "absent", method: "manual", recordedByUserId: facilitator.id, recordedAt: new Date(START) });
    await submit(participant, { intent: "code", code: await codeOf(sessionB) });
    expect(await attendanceOf(participant, sessionB)).toMatchObject({ status: "present", method: "code", recordedByUserId: participant.id });
    const audit = (await getDb().select().from(auditLog).where(eq(auditLog.action, "attendance.check_in"))).at(-1)!;
    expect(audit.details).toMatchObject({ before: { status: "absent", method: "manual", recordedByUserId: facilitator.id } });
  });

  it("an anonymous visitor is sent to sign in and comes back to the same link", async () => {
    const result = (await open(null, `?c=${sessionA}-ABCDEF`)) as Response;
    expect(result.status).toBe(302);
    const location = new URL(result.headers.get("Location")!, "http://localhost:3000");
    expect(location.pathname).toBe("/login");
    expect(location.searchParams.get("redirectTo")).toBe(`/check-in?c=${sessionA}-ABCDEF`);
  });
});

describe("the venue screen", () => {
  it("shows coordinators and the session's facilitators the code, the QR code (SVG) and the link it encodes", async () => {
    const shown = await screen(sessionA, coordinator);
    expect(shown.status).toBe(200);
    expect(shown.data.code).toBe(await codeOf(sessionA));
    expect(shown.data.qrSvg).toContain("<svg");
    expect(shown.data).toMatchObject({ open: true, state: "open", checkInUrl: "http://localhost:3000/check-in" });
    expect((await screen(sessionA, facilitator)).status).toBe(200);
  });

  it("is 403 for participants and for facilitators of other sessions, 404 for a session of another event", async () => {
    expect((await screen(sessionA, participant)).status).toBe(403);
    expect((await screen(sessionA, outsider)).status).toBe(403);
    expect((await screen(sessionB, facilitator)).status).toBe(403);
    expect((await screen(sessionA, otherFacilitator)).status).toBe(403);
    expect((await screen(999999, coordinator)).status).toBe(404);
    expect((await screen(999999, participant)).status).toBe(403);
    expect((await screen(otherEventSession, coordinator, eventId)).status).toBe(404);
  });

  it("the QR code encodes /check-in?c=<session>-<code> on the app's URL", async () => {
    const { url, code } = await currentCheckInCode(
      { user: { id: facilitator.id, role: "facilitator", email: "", name: "", organisationId: null, locale: null }, ip: null },
      sessionA,
      "http://localhost:3000",
    );
    expect(url).toBe(`http://localhost:3000/check-in?c=${sessionA}-${code}`);
  });
});

describe("wrong codes", () => {
  /** A confirmed participant of its own, so that these counts do not mix with other tests'. */
  async function guesser() {
    const person = await account("participant");
    await register(person, "confirmed");
    return person;
  }

  /** Codes of the unambiguous alphabet that are no session's current or previous code. */
  async function wrongCodes(n: number) {
    const now = Date.now();
    const taken = new Set<string>();
    for (const t of [now, now - 30_000]) {
      at(t);
      for (const id of [sessionA, sessionB, otherEventSession]) taken.add(await codeOf(id));
    }
    at(now);
    const codes: string[] = [];
    for (let i = 0; codes.length < n; i++) {
      const code = `${CHECK_IN_ALPHABET[i % CHECK_IN_ALPHABET.length]}${CHECK_IN_ALPHABET[Math.floor(i / CHECK_IN_ALPHABET.length)]}ZZZZ`;
      if (!taken.has(code)) codes.push(code);
    }
    return codes;
  }

  it("after 10 wrong codes in 10 minutes, refuses every code, even the right one, with the wait and what was typed, until the window passes", async () => {
    const person = await guesser();
    const t0 = START + 5 * MIN;
    at(t0);
    const codes = await wrongCodes(10);
    for (const [i, code] of codes.entries()) {
      at(t0 + i * 10_000);
      // text that is not a code is no guess, and does not count
      expectRefused(await submit(person, { intent: "code", code: "AB" }), "checkIn.errors.format");
      expectRefused(await submit(person, { intent: "code", code }), "checkIn.errors.invalid");
    }
    at(t0 + 2 * MIN);
    const right = await codeOf(sessionA);
    const refused = unwrap(await submit(person, { intent: "code", code: right }));
    expect(refused.status).toBe(429);
    expect(refused.headers.get("Retry-After")).toBe(String(8 * 60));
    expect(refused.headers.get("Cache-Control")).toBe("no-store");
    expect(refused.data).toEqual({ intent: "code", error: "checkIn.errors.tooMany", retryAfterSeconds: 8 * 60, values: { code: right } });
    expect(unwrap(await submit(person, { intent: "confirm", code: `${sessionA}-${right}` })).status).toBe(429);
    // the QR link's preview tells nothing either
    expect(unwrap(await open(person, `?c=${sessionA}-${right}`)).data.preview).toEqual({ ok: false, error: "checkIn.errors.tooMany", retryAfterSeconds: 8 * 60 });
    expect(await attendanceOf(person, sessionA)).toBeUndefined();
    // another participant is not affected
    const other = await guesser();
    expect(((await submit(other, { intent: "code", code: right })) as Response).status).toBe(302);

    at(t0 + 10 * MIN - 1_000);
    expect(unwrap(await submit(person, { intent: "code", code: await codeOf(sessionA) })).status).toBe(429);
    at(t0 + 10 * MIN);
    const checkedIn = (await submit(person, { intent: "code", code: await codeOf(sessionA) })) as Response;
    expect(checkedIn.status).toBe(302);
    expect(await attendanceOf(person, sessionA)).toMatchObject({ status: "present", method: "code" });
  });

  it("counts wrong codes tried through the QR link's preview too, and right ones not at all", async () => {
    const person = await guesser();
    at(START + 20 * MIN);
    const counted = async () => (await rawGet<{ n: number }>("select count as n from rate_limits where key = ?", `user:wrong-check-in-codes:${person.id}`))?.n ?? 0;
    for (let i = 0; i < 5; i++) {
      expect(unwrap(await open(person, `?c=${sessionA}-${(await codeOf(sessionA))}`)).data.preview.ok).toBe(true);
      // taken back before the answer, so that it can never count against the next attempt
      expect(await counted()).toBe(0);
    }
    const codes = await wrongCodes(11);
    for (const code of codes.slice(0, 10)) expect(unwrap(await open(person, `?c=${sessionA}-${code}`)).data.preview.error).toBe("checkIn.errors.invalid");
    expect(unwrap(await open(person, `?c=${sessionA}-${codes[10]}`)).data.preview.error).toBe("checkIn.errors.tooMany");
    expect(unwrap(await submit(person, { intent: "code", code: await codeOf(sessionA) })).status).toBe(429);
  });

  it("lets no more than 10 of many simultaneous wrong codes be checked", async () => {
    const person = await guesser();
    at(START + 40 * MIN);
    const results = await Promise.all((await wrongCodes(25)).map(async (code) => await submit(person, { intent: "code", code })));
    const statuses = results.map((r) => unwrap(r).status);
    expect(statuses.filter((s) => s === 400)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(15);
  });
});
