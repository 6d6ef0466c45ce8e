import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, asc, eq, inArray, ne, notInArray } from "drizzle-orm";
import { getDb, firstRow } from "../../db/client";
import { calendarFeeds, events, eventSessions, organisations, people, rateLimits, registrations, sessionFacilitators, users } from "../../db/schema";
import { DEMO_EVENTS, DEMO_ORGANISATIONS, seedDemo } from "../../db/seed/demo";
import * as account from "~/routes/account";
import * as timetable from "~/routes/events.$eventId.sessions";
import * as feedRoute from "~/routes/feeds.$token.calendar[.]ics";
import { hashToken } from "~/auth/tokens.server";
import type { Role } from "~/lib/domain";
import { APP, call, createUser, makeRequest, sessionCookie, unwrap, rawAll } from "../setup/helpers";
import { startRouteServer } from "../setup/route-server";

const TODAY = new Date("2026-11-22T12:00:00Z");
const ROLES: Role[] = ["admin", "coordinator", "facilitator", "participant", "partner", "donor"];
let cookies: Record<Role, string>;
let ids: Record<Role, string>;
let ev: Record<keyof typeof DEMO_EVENTS, number>;
const host = new URL(APP).host;

beforeAll(async () => {
  await seedDemo(getDb(), { today: TODAY });
  cookies = {} as typeof cookies;
  ids = {} as typeof ids;
  for (const role of ROLES) {
    const user = firstRow(await getDb().select().from(users).where(eq(users.email, `${role}@example.org`)).limit(1))!;
    cookies[role] = await sessionCookie({ id: user.id, role: user.role });
    ids[role] = user.id;
  }
  const all = await getDb().select({ id: events.id, title: events.title }).from(events);
  ev = Object.fromEntries(Object.entries(DEMO_EVENTS).map(([key, title]) => [key, all.find((e) => e.title === title)!.id])) as typeof ev;
});

/** Make (or reset) the user's own feed from the account page; the new address comes back once. */
async function ownFeed(cookie: string) {
  const result = unwrap(await call(account.action, makeRequest("/account", { form: { intent: "calendar-feed" }, cookie })));
  expect(result.status).toBe(200);
  return result.data.feed as { https: string; webcal: string };
}

async function eventFeed(eventId: number, cookie: string) {
  return await call(timetable.action, makeRequest(`/events/${eventId}/sessions`, { form: { intent: "calendar-feed" }, cookie }), { eventId: String(eventId) });
}

function tokenOf(url: string) {
  return /\/feeds\/([^/]+)\/calendar\.ics$/.exec(url)![1];
}

/** Fetch a feed as a calendar app does: no cookie at all. */
async function fetchFeed(token: string, ip = "198.51.100.7") {
  const result = await call(feedRoute.loader, makeRequest(`/feeds/${token}/calendar.ics`, { headers: { "x-convene-client-ip": ip } }), { token });
  return result as Response;
}

/** The feed's text, its folded lines joined again (RFC 5545 §3.1). */
async function feedText(token: string) {
  const response = await fetchFeed(token);
  expect(response.status).toBe(200);
  return (await response.text()).replace(/\r\n /g, "");
}

const uid = (eventId: number, sessionId: number) => `UID:event-${eventId}-session-${sessionId}@${host}`;

async function sessionsOf(eventId: number) {
  return await getDb().select().from(eventSessions).where(eq(eventSessions.eventId, eventId)).orderBy(asc(eventSessions.startsAt));
}

async function participantPerson() {
  return firstRow(await getDb().select({ id: people.id }).from(people).where(eq(people.userId, ids.participant)).limit(1))!.id;
}

/** The published events the demo participant is confirmed on (as a participant), read straight from the tables. */
async function participantEvents() {
  return (await getDb()
    .select({ id: events.id })
    .from(registrations)
    .innerJoin(events, eq(events.id, registrations.eventId))
    .where(and(eq(registrations.personId, await participantPerson()), eq(registrations.status, "confirmed"), ne(registrations.eventRole, "facilitator"), notInArray(events.status, ["draft", "cancelled"]))))
    .map((e) => e.id);
}

function uids(body: string) {
  return [...body.matchAll(/^UID:(.*)$/gm)].map((m) => m[1].trim());
}

describe("a participant's feed", () => {
  let token: string;
  beforeAll(async () => {
    const feed = await ownFeed(cookies.participant);
    expect(feed.https).toMatch(new RegExp(`^${APP}/feeds/[A-Za-z0-9_-]{43}/calendar\\.ics$`));
    expect(feed.webcal).toBe(feed.https.replace(/^http:\/\//, "webcal://"));
    token = tokenOf(feed.https);
  });

  it("answers a calendar app without any cookie: text/calendar in UTF-8, never cached, no cookie set, no sign-in redirect", async () => {
    const response = await fetchFeed(token);
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("text/calendar; charset=utf-8");
    expect(response.headers.get("Location")).toBeNull();
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    expect(response.headers.get("Set-Cookie")).toBeNull();
    const body = await response.text();
    expect(body.startsWith("BEGIN:VCALENDAR\r\n")).toBe(true);
    expect(body).toContain("X-WR-CALNAME:Convene: my trainings");
    expect(body).toContain("X-PUBLISHED-TTL:PT1H");
    // every line within 75 octets (RFC 5545 folding, from the one writer)
    for (const line of body.split("\r\n")) expect(Buffer.byteLength(line, "utf8")).toBeLessThanOrEqual(75);
  });

  it("holds every session of the trainings they are confirmed on, each with a stable UID, SEQUENCE and LAST-MODIFIED, and nothing else", async () => {
    const body = await feedText(token);
    const confirmedOn = await participantEvents();
    expect(confirmedOn).toContain(ev.victimIdentification);
    const expected: string[] = [];
    for (const eventId of confirmedOn) for (const s of await sessionsOf(eventId)) expected.push(uid(eventId, s.id).slice(4));
    expect(uids(body).sort()).toEqual(expected.sort());
    expect(body).toMatch(/^SEQUENCE:\d+$/m);
    expect(body).toMatch(/^LAST-MODIFIED:\d{8}T\d{6}Z$/m);
    // nothing of trainings they are not on, nobody's name
    expect(body).not.toContain(`event-${ev.bahrain}-`);
    expect(body).not.toContain(`event-${ev.draft}-`);
    expect(body).not.toContain("Tomás Herrera");
    // the same UIDs on the next fetch: a calendar updates, never duplicates
    expect(uids(await feedText(token))).toEqual(uids(body));
  });

  it("takes a change in: the session keeps its UID, its SEQUENCE grows and LAST-MODIFIED moves", async () => {
    const session = (await sessionsOf(ev.victimIdentification))[0];
    const before = await feedText(token);
    const sequence = (body: string) => Number(new RegExp(`${uid(ev.victimIdentification, session.id)}[\\s\\S]*?SEQUENCE:(\\d+)`).exec(body)![1]);
    await getDb().update(eventSessions).set({ room: "Room 2", updatedAt: new Date(session.updatedAt.getTime() + 3_600_000) }).where(eq(eventSessions.id, session.id));
    const after = await feedText(token);
    expect(uids(after)).toEqual(uids(before));
    expect(sequence(after)).toBeGreaterThan(sequence(before));
    expect(after).toContain("Room 2");
  });

  it("drops a withdrawn registration and a cancelled event at the next fetch", async () => {
    const person = await participantPerson();
    const registration = firstRow(await getDb().select().from(registrations).where(and(eq(registrations.personId, person), eq(registrations.eventId, ev.victimIdentification))).limit(1))!;
    const ofTheEvent = (body: string) => uids(body).filter((u) => u.startsWith(`event-${ev.victimIdentification}-`));
    const others = (body: string) => uids(body).filter((u) => !u.startsWith(`event-${ev.victimIdentification}-`));
    const before = await feedText(token);
    expect(ofTheEvent(before).length).toBeGreaterThan(0);
    await getDb().update(registrations).set({ status: "cancelled" }).where(eq(registrations.id, registration.id));
    const withdrawn = await feedText(token);
    expect(ofTheEvent(withdrawn)).toEqual([]);
    expect(others(withdrawn)).toEqual(others(before));
    await getDb().update(registrations).set({ status: registration.status }).where(eq(registrations.id, registration.id));
    expect(ofTheEvent(await feedText(token))).toEqual(ofTheEvent(before));
    const status = firstRow(await getDb().select({ status: events.status }).from(events).where(eq(events.id, ev.victimIdentification)).limit(1))!.status;
    await getDb().update(events).set({ status: "cancelled" }).where(eq(events.id, ev.victimIdentification));
    const cancelled = await feedText(token);
    expect(ofTheEvent(cancelled)).toEqual([]);
    expect(others(cancelled)).toEqual(others(before));
    await getDb().update(events).set({ status }).where(eq(events.id, ev.victimIdentification));
  });
});

describe("other roles' feeds", () => {
  it("a facilitator's holds the sessions they teach, not the rest of the timetable, and nothing of a draft", async () => {
    const token = tokenOf((await ownFeed(cookies.facilitator)).https);
    const taught = (await getDb()
      .select({ id: eventSessions.id, eventId: eventSessions.eventId, status: events.status })
      .from(sessionFacilitators)
      .innerJoin(eventSessions, eq(eventSessions.id, sessionFacilitators.sessionId))
      .innerJoin(events, eq(events.id, eventSessions.eventId))
      .where(eq(sessionFacilitators.userId, ids.facilitator)))
      .filter((s) => s.status !== "draft" && s.status !== "cancelled");
    expect(taught.length).toBeGreaterThan(0);
    // a draft's session they teach stays out
    const draftSession = (await getDb().insert(eventSessions).values({ eventId: ev.draft, title: "Draft slot", startsAt: new Date("2027-02-05T06:00:00Z"), endsAt: new Date("2027-02-05T08:00:00Z") }).returning())[0];
    await getDb().insert(sessionFacilitators).values({ sessionId: draftSession.id, userId: ids.facilitator });
    const body = await feedText(token);
    expect(uids(body).sort()).toEqual(taught.map((s) => uid(s.eventId, s.id).slice(4)).sort());
    const untaught = (await sessionsOf(ev.victimIdentification)).filter((s) => !taught.some((t) => t.id === s.id));
    expect(untaught.length).toBeGreaterThan(0);
    for (const s of untaught) expect(body).not.toContain(uid(ev.victimIdentification, s.id));
  });

  it("a coordinator's holds the published events they created; a donor's and a partner's hold nothing of their programmes or agency", async () => {
    const coordinator = await feedText(tokenOf((await ownFeed(cookies.coordinator)).https));
    expect(coordinator).toContain(`event-${ev.bahrain}-`);
    expect(coordinator).toContain(`event-${ev.victimIdentification}-`);
    expect(coordinator).not.toContain(`event-${ev.draft}-`);
    for (const role of ["donor", "partner"] as const) {
      expect(uids(await feedText(tokenOf((await ownFeed(cookies[role])).https)))).toEqual([]);
    }
  });
});

describe("an event's feed, for the staff who plan it", () => {
  it("holds the whole timetable; a cancelled event's calendar is empty", async () => {
    const result = unwrap(await eventFeed(ev.bahrain, cookies.coordinator));
    expect(result.status).toBe(200);
    const token = tokenOf(result.data.feed.https);
    const body = await feedText(token);
    expect(uids(body).sort()).toEqual((await sessionsOf(ev.bahrain)).map((s) => uid(ev.bahrain, s.id).slice(4)).sort());
    expect(body).toContain("X-WR-CALNAME:Counter-Trafficking Training for Immigration Officials (Convene)");
    await getDb().update(events).set({ status: "cancelled" }).where(eq(events.id, ev.bahrain));
    expect(uids(await feedText(token))).toEqual([]);
    await getDb().update(events).set({ status: "completed" }).where(eq(events.id, ev.bahrain));
  });

  it("is refused to everyone else: facilitators, participants, partners, donors (403), outsiders (404), strangers (login)", async () => {
    const before = (await getDb().select().from(calendarFeeds)).length;
    const bahrainInterior = firstRow(await getDb().select().from(organisations).where(eq(organisations.name, DEMO_ORGANISATIONS.bahrainInterior)).limit(1))!.id;
    const xPartner = await sessionCookie(await createUser({ role: "partner", organisationId: bahrainInterior }));
    for (const role of ["facilitator", "participant", "partner", "donor"] as const) {
      expect(((await eventFeed(ev.victimIdentification, cookies[role])) as Response).status).toBe(403);
    }
    expect(((await eventFeed(ev.victimIdentification, xPartner)) as Response).status).toBe(404);
    const anonymous = (await call(timetable.action, makeRequest(`/events/${ev.victimIdentification}/sessions`, { form: { intent: "calendar-feed" } }), { eventId: String(ev.victimIdentification) })) as Response;
    expect(anonymous.headers.get("Location")).toMatch(/^\/login\?redirectTo=/);
    expect((await getDb().select().from(calendarFeeds)).length).toBe(before);
    // the timetable shows the feed panel's state only to staff
    const participantPage = unwrap(await call(timetable.loader, makeRequest(`/events/${ev.victimIdentification}/sessions`, { cookie: cookies.participant }), { eventId: String(ev.victimIdentification) }));
    expect(participantPage.data.feed).toBeNull();
  });

  it("stops answering when its owner may no longer plan the event", async () => {
    const owner = await createUser({ role: "coordinator" });
    const token = tokenOf(unwrap(await eventFeed(ev.media, await sessionCookie(owner))).data.feed.https);
    expect((await fetchFeed(token)).status).toBe(200);
    await getDb().update(users).set({ role: "participant" }).where(eq(users.id, owner.id));
    expect((await fetchFeed(token)).status).toBe(404);
  });
});

describe("the secret address", () => {
  it("is 256 random bits, stored only as its hash, and a new one at every reset; the old one then answers 404 like a token that never existed", async () => {
    const user = await createUser({ role: "participant" });
    const cookie = await sessionCookie(user);
    const first = tokenOf((await ownFeed(cookie)).https);
    const stored = await getDb().select().from(calendarFeeds).where(eq(calendarFeeds.userId, user.id));
    expect(stored).toHaveLength(1);
    expect(stored[0].tokenHash).toBe(hashToken(first));
    expect(JSON.stringify(await rawAll("select * from calendar_feeds"))).not.toContain(first);
    expect((await fetchFeed(first)).status).toBe(200);

    const page = unwrap(await call(account.loader, makeRequest("/account", { cookie })));
    expect(page.data.feed).toMatchObject({ createdAt: expect.any(Number) });
    expect(page.data.feed.lastUsedAt).toEqual(expect.any(Number));
    expect(JSON.stringify(page.data)).not.toContain(first);

    const second = tokenOf((await ownFeed(cookie)).https);
    expect(second).not.toBe(first);
    expect(await getDb().select().from(calendarFeeds).where(eq(calendarFeeds.userId, user.id))).toHaveLength(1);
    const old = await fetchFeed(first);
    const never = await fetchFeed("A".repeat(43));
    expect(old.status).toBe(404);
    expect(never.status).toBe(404);
    expect(await old.text()).toBe(await never.text());
    expect([...old.headers.entries()]).toEqual([...never.headers.entries()]);
    expect((await fetchFeed(second)).status).toBe(200);
  });

  it("another user's token shows that user's calendar only, never the caller's, whatever cookie comes with it; malformed tokens are 404", async () => {
    const participant = tokenOf((await ownFeed(cookies.participant)).https);
    const withCookie = (await call(feedRoute.loader, makeRequest(`/feeds/${participant}/calendar.ics`, { cookie: cookies.coordinator }), { token: participant })) as Response;
    const body = await withCookie.text();
    expect(body).not.toContain(`event-${ev.bahrain}-`);
    expect(body).toContain("Convene: my trainings");
    for (const bad of ["", "short", "A".repeat(44), `${participant.slice(0, 42)}!`, "../../etc/passwd", participant.toLowerCase() === participant ? "x".repeat(43) : participant.toLowerCase()]) {
      expect((await fetchFeed(bad)).status).toBe(404);
    }
  });

  it("of a disabled account answers 404", async () => {
    const user = await createUser({ role: "participant" });
    const token = tokenOf((await ownFeed(await sessionCookie(user))).https);
    expect((await fetchFeed(token)).status).toBe(200);
    await getDb().update(users).set({ disabledAt: new Date() }).where(eq(users.id, user.id));
    expect((await fetchFeed(token)).status).toBe(404);
  });

  it("makes guessing useless: after 100 unknown tokens from one address, that address waits (429), others do not", async () => {
    const ip = "203.0.113.99";
    for (let i = 0; i < 100; i++) expect((await fetchFeed(`${String(i).padStart(3, "0")}${"B".repeat(40)}`, ip)).status).toBe(404);
    const token = tokenOf((await ownFeed(cookies.participant)).https);
    const blocked = await fetchFeed(token, ip);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect((await fetchFeed(token, "203.0.113.100")).status).toBe(200);
    await getDb().delete(rateLimits).where(inArray(rateLimits.key, [`ip:feed-token:${ip}`]));
  });
});

describe("over HTTP, as Google, Outlook and Apple fetch it", () => {
  let server: Awaited<ReturnType<typeof startRouteServer>>;
  beforeAll(async () => {
    server = await startRouteServer({ "feeds/:token/calendar.ics": feedRoute });
  });
  afterAll(async () => {
    await server.close();
  });

  it("serves the calendar with no cookie and no redirect, with the security headers of every answer", async () => {
    const token = tokenOf((await ownFeed(cookies.participant)).https);
    const response = await fetch(`${server.base}/feeds/${token}/calendar.ics`, { redirect: "manual" });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/calendar; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("set-cookie")).toBeNull();
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    const body = await response.text();
    expect(body).toContain("BEGIN:VEVENT");
    const missing = await fetch(`${server.base}/feeds/${"C".repeat(43)}/calendar.ics`, { redirect: "manual" });
    expect(missing.status).toBe(404);
    expect(missing.headers.get("location")).toBeNull();
  });
});
