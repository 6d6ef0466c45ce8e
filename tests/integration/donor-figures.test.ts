import fs from "node:fs";
import path from "node:path";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb, firstRow } from "../../db/client";
import { events, people, registrations, users } from "../../db/schema";
import { DEMO_EVENTS, seedDemo } from "../../db/seed/demo";
import { setClock } from "~/lib/clock";
import { discloseCount, SMALL_COUNT, type Disclosed } from "~/models/disclosure.server";
import * as eventsIndex from "~/routes/events._index";
import * as eventOverview from "~/routes/events.$eventId._index";
import * as reportsPage from "~/routes/reports._index";
import * as reportsCsv from "~/routes/reports[.]csv";
import * as eventsCsv from "~/routes/reports.events[.]csv";
import { call, makeRequest, rawAll, rawRun, sessionCookie, unwrap } from "../setup/helpers";

/**
 * Every count of people a donor sees outside /reports (the events list, an event's overview) goes
 * through the same disclosure control as the reports, over the same units: never an exact 1 to 4,
 * the same figure the donor's report gives for the same event, and a line saying so. Staff keep
 * exact counts. A donor's first /reports covers its programmes from their first event to their last.
 */

const TODAY = new Date("2026-11-22T12:00:00Z");
const cookies: Record<string, string> = {};
const ids = {} as Record<keyof typeof DEMO_EVENTS, number>;

beforeAll(async () => {
  setClock(() => TODAY.getTime());
  await seedDemo(getDb(), { today: TODAY });
  for (const role of ["coordinator", "donor"]) {
    const user = firstRow(await getDb().select().from(users).where(eq(users.email, `${role}@example.org`)).limit(1))!;
    cookies[role] = await sessionCookie({ id: user.id, role: user.role });
  }
  for (const [key, title] of Object.entries(DEMO_EVENTS)) {
    ids[key as keyof typeof DEMO_EVENTS] = firstRow(await getDb().select({ id: events.id }).from(events).where(eq(events.title, title)).limit(1))!.id;
  }
});

afterAll(() => setClock(null));

/** The true count of an event's confirmed participants and the sum of their (people's) keys. */
async function trueCell(eventId: number) {
  return firstRow(await getDb()
    .select({ n: sql<number>`count(*)`, key: sql<number>`coalesce(sum(${people.cellKey}), 0)` })
    .from(registrations)
    .innerJoin(people, eq(people.id, registrations.personId))
    .where(and(eq(registrations.eventId, eventId), eq(registrations.eventRole, "participant"), eq(registrations.status, "confirmed"))).limit(1))!;
}

async function list(role: string) {
  const result = unwrap(await call(eventsIndex.loader, makeRequest("/events", { cookie: cookies[role] })));
  expect(result.status).toBe(200);
  return result.data.result as { rows: { id: number; title: string; status: string; participants: number | "small" }[]; protected: boolean };
}

async function overview(role: string, eventId: number) {
  const result = unwrap(await call(eventOverview.loader, makeRequest(`/events/${eventId}`, { cookie: cookies[role] }), { eventId: String(eventId) }));
  expect(result.status).toBe(200);
  return result.data;
}

async function report(role: string, query = "") {
  const result = unwrap(await call(reportsPage.loader, makeRequest(`/reports${query}`, { cookie: cookies[role] })));
  expect(result.status).toBe(200);
  return result.data;
}

describe("the donor's events list and event pages", () => {
  it("shows each event's participants through the disclosure control, never an exact count of 1 to 4", async () => {
    const { rows, protected: isProtected } = await list("donor");
    expect(isProtected).toBe(true);
    expect(rows.length).toBeGreaterThan(0);
    let small = 0;
    for (const row of rows) {
      const cell = await trueCell(row.id);
      expect(row.participants, row.title).toEqual(discloseCount(cell));
      if (cell.n > 0 && cell.n < SMALL_COUNT) {
        expect(row.participants, row.title).toBe("small");
        small++;
      }
    }
    // the demo's open follow-up training has a couple of confirmed officers so far
    expect(small).toBeGreaterThan(0);
    expect(JSON.stringify(rows)).not.toMatch(/participantsKey|cell_?key/i);
  });

  it("gives the same figure for an event as the donor's /reports row for it, over a period covering it", async () => {
    const { rows } = await list("donor");
    const data = await report("donor", "?from=2023-01-01&to=2027-12-31");
    const table = data.report.table as { id: number; counted: boolean; participants: number | "small" }[];
    const compared = rows.filter((row) => row.status !== "cancelled");
    expect(compared.length).toBeGreaterThanOrEqual(4);
    for (const row of compared) {
      const line = table.find((e) => e.id === row.id);
      expect(line, row.title).toBeDefined();
      expect(row.participants, row.title).toEqual(line!.participants);
    }
    // the overview agrees with both
    const vi = await overview("donor", ids.victimIdentification);
    expect(vi.participants.confirmed).toEqual(rows.find((r) => r.id === ids.victimIdentification)!.participants);
    expect(vi.participants.confirmed).toEqual(table.find((e) => e.id === ids.victimIdentification)!.participants);
  });

  it("gives the same figure for an event's participants and women as a report of that event alone (the same people)", async () => {
    const { rows } = await list("donor");
    let compared = 0;
    for (const row of rows.filter((r) => r.status !== "cancelled" && typeof r.participants === "number")) {
      const event = firstRow(await getDb().select({ start: events.startDate, end: events.endDate }).from(events).where(eq(events.id, row.id)).limit(1))!;
      const alone = (await report("donor", `?from=${event.start}&to=${event.end}`)).report;
      const table = alone.table as { id: number; participants: Disclosed; women: Disclosed }[];
      if (table.length !== 1) continue; // another event in the same days
      compared++;
      expect(table[0].id).toBe(row.id);
      expect(alone.participants.unique, row.title).toEqual(row.participants);
      expect(alone.participants.unique, row.title).toEqual(table[0].participants);
      const women = (alone.participants.bySex.lines as { key: string; count: Disclosed }[]).find((l) => l.key === "female")?.count ?? 0;
      expect(women, row.title).toEqual(table[0].women);
      expect((await overview("donor", row.id)).participants.confirmed, row.title).toEqual(row.participants);
    }
    expect(compared).toBeGreaterThanOrEqual(3);
  });

  it("shows a donor the capacity and a protected count on the overview, not confirmed-of-places nor the count by status", async () => {
    const data = await overview("donor", ids.followUp);
    expect(data.participants.protected).toBe(true);
    expect(data.participants.confirmed).toBe("small");
    expect(data.event.capacity).toBeGreaterThan(0);
    // nothing else in the page's data counts people: no breakdown by registration status
    expect(data).not.toHaveProperty("registrationCounts");
    const exact = (await trueCell(ids.followUp)).n;
    expect(exact).toBeGreaterThan(0);
    expect(exact).toBeLessThan(SMALL_COUNT);
    expect(JSON.stringify(data.participants)).not.toContain(String(exact));
  });

  it("says on each page with figures that they are protected (in every language)", async () => {
    const eventTexts = (lang: string) => JSON.parse(fs.readFileSync(path.resolve("app/locales", lang, "event.json"), "utf8")) as { protectedNote: string };
    expect(eventTexts("en").protectedNote).toMatch(/protected/);
    for (const lang of ["fr", "es", "ar"] as const) expect(eventTexts(lang).protectedNote, lang).toBeTruthy();
    // the pages show the line exactly when their data is protected
    expect((await list("donor")).protected).toBe(true);
    expect((await overview("donor", ids.victimIdentification)).participants.protected).toBe(true);
    const source = (name: string) => import("node:fs").then((fs) => fs.readFileSync(`app/routes/${name}`, "utf8"));
    expect(await source("events._index.tsx")).toMatch(/result\.protected[\s\S]{0,200}event\.protectedNote/);
    expect(await source("events.$eventId._index.tsx")).toMatch(/participants\.protected[\s\S]{0,900}event\.protectedNote/);
  });
});

describe("coordinators", () => {
  it("see exact counts on the events list and the overview, with no protection line", async () => {
    const { rows, protected: isProtected } = await list("coordinator");
    expect(isProtected).toBe(false);
    for (const row of rows) expect(row.participants, row.title).toBe((await trueCell(row.id)).n);
    const followUp = await overview("coordinator", ids.followUp);
    expect(followUp.participants).toEqual({ confirmed: (await trueCell(ids.followUp)).n, protected: false });
    expect((await overview("coordinator", ids.victimIdentification)).participants.confirmed).toBe(22);
  });
});

describe("the default period of /reports", () => {
  it("is, for a donor, the whole life of the programmes it funds: the 2023 Bahamas trainings show at once", async () => {
    const data = await report("donor");
    const visible = firstRow(await getDb()
      .select({ from: sql<string>`min(${events.startDate})`, to: sql<string>`max(${events.endDate})` })
      .from(events)
      .where(sql`${events.id} in (${sql.join([ids.essentials, ids.media, ids.victimIdentification, ids.followUp].map((id) => sql`${id}`), sql`, `)})`).limit(1))!;
    expect(data.values.from).toBe(visible.from);
    expect(data.values.from).toBe("2023-07-26");
    expect(data.values.to).toBe(visible.to);
    expect(data.report.empty).toBe(false);
    const titles = (data.report.table as { title: string }[]).map((e) => e.title);
    expect(titles).toEqual(expect.arrayContaining([DEMO_EVENTS.essentials, DEMO_EVENTS.media, DEMO_EVENTS.victimIdentification]));
    expect(titles).not.toContain(DEMO_EVENTS.bahrain);
    expect(titles).not.toContain(DEMO_EVENTS.draft);
    // the exports without a period are the same report
    const csv = await call(reportsCsv.loader, makeRequest("/reports.csv", { cookie: cookies.donor }));
    expect(await (csv as Response).text()).toContain("Filters,From,2023-07-26");
    const table = await call(eventsCsv.loader, makeRequest("/reports/events.csv", { cookie: cookies.donor }));
    const text = await (table as Response).text();
    expect(text).toContain(DEMO_EVENTS.victimIdentification);
    expect(text).not.toContain(DEMO_EVENTS.bahrain);
  });

  it("follows the events and the funding as soon as they change (the span is kept only until then)", async () => {
    expect((await report("donor")).values.to).toBe((await report("donor")).values.to); // kept
    const [followUp] = await rawAll<{ endDate: string; programmeId: number }>(`select end_date as "endDate", programme_id as "programmeId" from events where id = ?`, ids.followUp);
    await rawRun(`update events set end_date = ? where id = ?`, "2027-03-31", ids.followUp);
    try {
      expect((await report("donor")).values.to).toBe("2027-03-31");
    } finally {
      await rawRun(`update events set end_date = ? where id = ?`, followUp.endDate, ids.followUp);
    }
    expect((await report("donor")).values.to).not.toBe("2027-03-31");
    // the donor's funding of every programme withdrawn: no span, so the current year
    const donor = firstRow(await getDb().select().from(users).where(eq(users.email, "donor@example.org")).limit(1))!;
    const funding = await rawAll<Record<string, unknown>>(`select * from programme_funding where donor_organisation_id = ?`, donor.organisationId);
    expect(funding.length).toBeGreaterThan(0);
    await rawRun(`delete from programme_funding where donor_organisation_id = ?`, donor.organisationId);
    try {
      expect((await report("donor")).values.from).toBe("2026-01-01");
    } finally {
      for (const row of funding) {
        const columns = Object.keys(row);
        await rawRun(`insert into programme_funding (${columns.join(", ")}) values (${columns.map(() => "?").join(", ")})`, ...Object.values(row));
      }
    }
    expect((await report("donor")).values.from).toBe("2023-07-26");
  });

  it("stays the current calendar year for coordinators (they follow the year's work across all programmes)", async () => {
    const data = await report("coordinator");
    expect(data.values.from).toBe("2026-01-01");
    expect(data.values.to).toBe("2026-12-31");
  });

  it("keeps a period the donor asks for", async () => {
    const data = await report("donor", "?from=2024-01-01&to=2024-12-31");
    expect(data.values.from).toBe("2024-01-01");
    expect(data.report.empty).toBe(true);
  });
});
