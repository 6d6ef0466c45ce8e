import { beforeAll, describe, expect, it, vi } from "vitest";
import { eq } from "drizzle-orm";
import { getDb, firstRow } from "../../db/client";
import { events, users } from "../../db/schema";
import { DEMO_EVENTS, seedDemo } from "../../db/seed/demo";
import * as eventsIndex from "~/routes/events._index";
import * as eventLayout from "~/routes/events.$eventId";
import * as eventOverview from "~/routes/events.$eventId._index";
import * as home from "~/routes/_index";
import * as me from "~/routes/me";
import type { Role } from "~/lib/domain";
import { call, makeRequest, rawAll, rawGet, sessionCookie, unwrap } from "../setup/helpers";

const TODAY = new Date("2026-11-22T12:00:00Z");
let cookies: Record<string, string>;
let ids: Record<keyof typeof DEMO_EVENTS, number>;

beforeAll(async () => {
  await seedDemo(getDb(), { today: TODAY });
  cookies = {};
  for (const role of ["admin", "coordinator", "facilitator", "participant", "partner", "donor"] as Role[]) {
    const user = firstRow(await getDb().select().from(users).where(eq(users.email, `${role}@example.org`)).limit(1))!;
    cookies[role] = await sessionCookie({ id: user.id, role: user.role });
  }
  const all = await getDb().select({ id: events.id, title: events.title }).from(events);
  ids = Object.fromEntries(
    Object.entries(DEMO_EVENTS).map(([key, title]) => [key, all.find((e) => e.title === title)!.id]),
  ) as typeof ids;
});

async function listTitles(role: string, query = "") {
  const result = unwrap(await call(eventsIndex.loader, makeRequest(`/events${query}`, { cookie: cookies[role] })));
  expect(result.status).toBe(200);
  return (result.data.result.rows as { title: string }[]).map((r) => r.title).sort();
}

async function overviewStatus(role: string, eventId: number) {
  const request = makeRequest(`/events/${eventId}`, { cookie: cookies[role] });
  const layout = await call(eventLayout.loader, request, { eventId: String(eventId) });
  const overview = await call(eventOverview.loader, request, { eventId: String(eventId) });
  const a = unwrap(layout).status;
  expect(unwrap(overview).status).toBe(a); // the child checks on its own, same answer
  return a;
}

describe("who sees which events", () => {
  it("coordinators and admins see every event, drafts included", async () => {
    for (const role of ["coordinator", "admin"]) {
      expect(await listTitles(role)).toEqual(Object.values(DEMO_EVENTS).sort());
    }
  });

  it("the donor sees the non-draft events of the programme it funds, nothing else", async () => {
    expect(await listTitles("donor")).toEqual(
      [DEMO_EVENTS.essentials, DEMO_EVENTS.media, DEMO_EVENTS.victimIdentification, DEMO_EVENTS.followUp, DEMO_EVENTS.current, DEMO_EVENTS.recent].sort(),
    );
    expect(await overviewStatus("donor", ids.bahrain)).toBe(404);
    expect(await overviewStatus("donor", ids.draft)).toBe(404);
    expect(await overviewStatus("donor", ids.victimIdentification)).toBe(200);
  });

  it("the partner sees events of its agency (partner or officers registered), not other countries' or drafts", async () => {
    const titles = await listTitles("partner");
    expect(titles).toContain(DEMO_EVENTS.victimIdentification);
    expect(titles).toContain(DEMO_EVENTS.followUp);
    expect(titles).not.toContain(DEMO_EVENTS.bahrain);
    expect(titles).not.toContain(DEMO_EVENTS.draft);
    expect(await overviewStatus("partner", ids.bahrain)).toBe(404);
  });

  it("the participant sees the trainings they are in and those open for registration", async () => {
    const titles = await listTitles("participant");
    expect(titles).toContain(DEMO_EVENTS.victimIdentification);
    expect(titles).toContain(DEMO_EVENTS.followUp); // open for registration
    expect(titles).not.toContain(DEMO_EVENTS.bahrain);
    expect(titles).not.toContain(DEMO_EVENTS.draft);
    expect(await overviewStatus("participant", ids.draft)).toBe(404);
  });

  it("the facilitator sees the events they teach", async () => {
    const titles = await listTitles("facilitator");
    expect(titles).toContain(DEMO_EVENTS.victimIdentification);
    expect(titles).not.toContain(DEMO_EVENTS.draft);
    expect(titles).not.toContain(DEMO_EVENTS.bahrain);
  });

  it("an anonymous visitor is sent to log in; an unknown or malformed id is a 404", async () => {
    const anonymous = (await call(eventsIndex.loader, makeRequest("/events"))) as Response;
    expect(anonymous.headers.get("Location")).toBe("/login?redirectTo=%2Fevents");
    expect(await overviewStatus("coordinator", 999999)).toBe(404);
    const malformed = await call(eventLayout.loader, makeRequest("/events/abc", { cookie: cookies.coordinator }), { eventId: "abc" });
    expect((malformed as Response).status).toBe(404);
  });
});

describe("events list", () => {
  it("counts confirmed participants per event and filters by time, country and status", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(TODAY);
    try {
      const result = unwrap(await call(eventsIndex.loader, makeRequest("/events", { cookie: cookies.coordinator })));
      const victim = result.data.result.rows.find((r: { title: string }) => r.title === DEMO_EVENTS.victimIdentification);
      expect(victim.participants).toBe(22);
      expect(await listTitles("coordinator", "?when=upcoming")).toEqual([DEMO_EVENTS.draft, DEMO_EVENTS.followUp].sort());
      expect(await listTitles("coordinator", "?when=past&country=BH")).toEqual([DEMO_EVENTS.bahrain]);
      expect(await listTitles("coordinator", "?status=open")).toEqual([DEMO_EVENTS.followUp]);
      expect(await listTitles("coordinator", "?q=Media")).toEqual([DEMO_EVENTS.media]);
      // nonsense filters are ignored rather than failing
      expect((await listTitles("coordinator", "?when=someday&status=bogus&page=-3")).length).toBe(8);
    } finally {
      vi.useRealTimers();
    }
  });

  it("the overview shows the timetable in UTC instants and the event's zone", async () => {
    const result = unwrap(
      await call(eventOverview.loader, makeRequest(`/events/${ids.victimIdentification}`, { cookie: cookies.participant }), {
        eventId: String(ids.victimIdentification),
      }),
    );
    expect(result.data.event.timeZone).toBe("America/Nassau");
    expect(new Date(result.data.sessions[0].startsAt).toISOString()).toBe("2023-08-09T13:00:00.000Z");
    expect(result.data.objectives.map((o: { id: number }) => o.id)).toEqual([7, 10, 11]);
    expect(result.data.participants).toEqual({ confirmed: 22, protected: false });
  });
});

describe("home pages by role", () => {
  it("gives each role its own home", async () => {
    const roleOf = async (role: string) => unwrap(await call(home.loader, makeRequest("/", { cookie: cookies[role] }))).data.home;
    expect((await roleOf("admin")).users.total).toBe(6);
    const facilitator = await roleOf("facilitator");
    expect(facilitator.sessions.today.length + facilitator.sessions.next.length + facilitator.sessions.earlier.length).toBeGreaterThan(0);
    const participant = await roleOf("participant");
    expect(participant.registrations.map((r: { title: string }) => r.title)).toContain(DEMO_EVENTS.victimIdentification);
    expect(participant.plans.length).toBeGreaterThan(0);
    const partner = await roleOf("partner");
    expect(partner.organisation).toBe("Bahamas Department of Immigration");
    expect(partner.officersTrained).toBeGreaterThanOrEqual(22);
    const donor = await roleOf("donor");
    expect(donor.programmes.map((p: { name: string }) => p.name)).toEqual(["Western Hemisphere Program"]);
  });

  it("/me is the participant's own page; other roles get 403", async () => {
    expect(unwrap(await call(me.loader, makeRequest("/me", { cookie: cookies.participant }))).status).toBe(200);
    expect(((await call(me.loader, makeRequest("/me", { cookie: cookies.donor }))) as Response).status).toBe(403);
  });
});

describe("the events list's programme filter", () => {
  it("offers staff exactly the programmes that have events, and a donor only those of its visible events", async () => {
    // a programme without any event is not offered
    const empty = (await rawGet<{ id: number }>("insert into programmes (name) values ('Programme without events') returning id"))!.id;
    const options = async (role: string) =>
      (unwrap(await call(eventsIndex.loader, makeRequest("/events", { cookie: cookies[role] }))).data.options.programmes as { id: number; name: string }[]);
    const expected = await rawAll("select distinct p.id, p.name from events e join programmes p on p.id = e.programme_id order by p.name");
    const coordinator = await options("coordinator");
    expect(coordinator).toEqual(expected);
    expect(coordinator.some((p) => p.id === Number(empty))).toBe(false);
    const donor = await options("donor");
    expect(donor.length).toBeGreaterThan(0);
    expect(donor.every((p) => coordinator.some((c) => c.id === p.id))).toBe(true);
  });
});
