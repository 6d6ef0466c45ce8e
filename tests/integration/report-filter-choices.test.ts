import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb, firstRow } from "../../db/client";
import { events, organisations, programmeFunding, programmes, users } from "../../db/schema";
import { seedDemo } from "../../db/seed/demo";
import * as organisationChoicesRoute from "~/routes/organisation-choices";
import * as eventsPage from "~/routes/events._index";
import * as programmeChoicesRoute from "~/routes/programme-choices";
import { FILTER_LISTED } from "~/lib/filter-choices";
import * as reportsPage from "~/routes/reports._index";
import { call, makeRequest, sessionCookie, unwrap } from "../setup/helpers";

/**
 * The reports' programme and donor filters list their choices while there are at most
 * FILTER_LISTED; beyond, the page sends no list (a global organisation's 400 programmes
 * were half of the page's weight) but the current choice, and the filters search
 * /programme-choices and /organisation-choices?scope=donor — staff only.
 */
const cookies: Record<string, string> = {};
let firstProgramme = 0;

async function reportOptions(query: string, role = "coordinator") {
  const page = unwrap(await call(reportsPage.loader, makeRequest(`/reports${query}`, { cookie: cookies[role] })));
  expect(page.status).toBe(200);
  return page.data.options;
}

beforeAll(async () => {
  await seedDemo(getDb(), { today: new Date("2026-11-22T12:00:00Z") });
  for (const role of ["coordinator", "admin", "donor", "partner", "facilitator", "participant"]) {
    const user = firstRow(await getDb().select().from(users).where(eq(users.email, `${role}@example.org`)).limit(1))!;
    cookies[role] = await sessionCookie({ id: user.id, role: user.role });
  }
});

describe("the reports' programme and donor filters", () => {
  it("list every programme and donor while there are few", async () => {
    const options = await reportOptions("");
    expect(options.programmes.length).toBeGreaterThan(0);
    expect(options.programmes.length).toBeLessThanOrEqual(FILTER_LISTED);
    expect(options.donors.length).toBeGreaterThan(0);
    expect(options.currentProgramme).toBeNull();
    expect(options.currentDonor).toBeNull();
  });

  it("past the limit: no list, the current choice only, and a search that finds by every word", async () => {
    const existing = (await getDb().select({ id: programmes.id }).from(programmes)).length;
    const added = await getDb()
      .insert(programmes)
      .values(Array.from({ length: FILTER_LISTED + 1 - existing }, (_, i) => ({ name: `Border Management ${String(i + 1).padStart(3, "0")} — Caribbean` })))
      .returning({ id: programmes.id, name: programmes.name });
    firstProgramme = added[0].id;
    const donorsBefore = (await getDb().select({ id: organisations.id }).from(organisations).where(eq(organisations.kind, "donor"))).length;
    const donors = await getDb()
      .insert(organisations)
      .values(Array.from({ length: FILTER_LISTED + 1 - donorsBefore }, (_, i) => ({ name: `Trust Fund ${i + 1}`, kind: "donor" as const })))
      .returning({ id: organisations.id, name: organisations.name });

    const none = await reportOptions("");
    expect(none.programmes).toBeNull();
    expect(none.donors).toBeNull();
    expect(none.currentProgramme).toBeNull();
    const chosen = await reportOptions(`?programmeId=${firstProgramme}&donorId=${donors[0].id}`);
    expect(chosen.programmes).toBeNull();
    expect(chosen.currentProgramme).toEqual({ id: firstProgramme, name: added[0].name });
    expect(chosen.currentDonor).toEqual({ id: donors[0].id, name: "Trust Fund 1" });
    // the other lists are as they were
    expect(chosen.countries.length).toBeGreaterThan(0);

    const search = async (q: string, role = "coordinator") =>
      unwrap(await call(programmeChoicesRoute.loader, makeRequest(`/programme-choices?q=${encodeURIComponent(q)}`, { cookie: cookies[role] })));
    const found = (await search("management 007")).data.programmes;
    expect(found).toEqual([{ id: added[6].id, name: added[6].name }]);
    // any case, every word, at most 30; a % is a percent sign, not a wildcard
    expect((await search("BORDER caribbean")).data.programmes).toHaveLength(30);
    expect((await search("100%")).data.programmes).toEqual([]);
    expect((await search(" ")).data.programmes).toEqual([]);
    expect((await search("x".repeat(5000))).data.programmes).toEqual([]);
    expect((await search("Border", "admin")).data.programmes.length).toBeGreaterThan(0);
    const donorSearch = unwrap(await call(organisationChoicesRoute.loader, makeRequest(`/organisation-choices?scope=donor&q=${encodeURIComponent("trust fund 10")}`, { cookie: cookies.coordinator })));
    expect(donorSearch.data.organisations.map((o: { name: string }) => o.name).sort()).toEqual(["Trust Fund 10", "Trust Fund 100"].filter((n) => donors.some((d) => d.name === n)).sort());
    // donors only in the donor scope
    expect(donorSearch.data.organisations.every((o: { kind: string }) => o.kind === "donor")).toBe(true);
  });

  it("search for staff only: a stranger signs in, the other roles are refused", async () => {
    const stranger = unwrap(await call(programmeChoicesRoute.loader, makeRequest("/programme-choices?q=border")));
    expect(stranger.status).toBe(302);
    expect(stranger.headers.get("location")).toMatch(/^\/login/);
    for (const role of ["donor", "partner", "facilitator", "participant"]) {
      expect(unwrap(await call(programmeChoicesRoute.loader, makeRequest("/programme-choices?q=border", { cookie: cookies[role] }))).status).toBe(403);
      expect(unwrap(await call(organisationChoicesRoute.loader, makeRequest("/organisation-choices?scope=donor&q=trust", { cookie: cookies[role] }))).status).toBe(403);
    }
    expect(unwrap(await call(organisationChoicesRoute.loader, makeRequest("/organisation-choices?scope=donor&q=trust"))).status).toBe(302);
  });

  it("a donor's own programmes stay a list (it may not search), and its page names no other", async () => {
    const options = await reportOptions("", "donor");
    expect(Array.isArray(options.programmes)).toBe(true);
    expect(options.programmes.map((p: { id: number }) => p.id)).not.toContain(firstProgramme);
    expect(options.donors).toEqual([]);
    // a donor funding more programmes than staff see listed still gets its list
    const donorUser = firstRow(await getDb().select().from(users).where(eq(users.email, "donor@example.org")).limit(1))!;
    const many = await getDb()
      .insert(programmes)
      .values(Array.from({ length: FILTER_LISTED + 1 }, (_, i) => ({ name: `Funded Programme ${i + 1}` })))
      .returning({ id: programmes.id });
    await getDb().insert(programmeFunding).values(many.map((p) => ({ programmeId: p.id, donorOrganisationId: donorUser.organisationId! })));
    const funded = await reportOptions("", "donor");
    expect(funded.programmes.length).toBeGreaterThan(FILTER_LISTED);
    expect(funded.programmes.map((p: { id: number }) => p.id)).toEqual(expect.arrayContaining(many.map((p) => p.id)));
    expect(funded.programmes.map((p: { id: number }) => p.id)).not.toContain(firstProgramme);
    expect(funded.currentProgramme).toBeNull();
  });
});

describe("the events list's programme filter", () => {
  async function eventOptions(query: string, role = "coordinator") {
    const page = unwrap(await call(eventsPage.loader, makeRequest(`/events${query}`, { cookie: cookies[role] })));
    expect(page.status).toBe(200);
    return page.data;
  }

  it("lists the programmes of the events while there are few, searches past the limit (staff), and keeps the choice", async () => {
    const few = await eventOptions("");
    expect(few.options.programmes.length).toBeGreaterThan(0);
    expect(few.options.programmes.length).toBeLessThanOrEqual(FILTER_LISTED);
    expect(few.options.currentProgramme).toBeNull();

    // an event in each of more than FILTER_LISTED programmes
    const withoutEvents = await getDb()
      .insert(programmes)
      .values(Array.from({ length: FILTER_LISTED + 1 }, (_, i) => ({ name: `Coastal Patrol ${String(i + 1).padStart(3, "0")}` })))
      .returning({ id: programmes.id, name: programmes.name });
    await getDb()
      .insert(events)
      .values(withoutEvents.map((p, i) => ({ title: `Border course ${i + 1}`, type: "training" as const, country: "BS", timeZone: "America/Nassau", startDate: "2026-03-02", endDate: "2026-03-03", status: "completed" as const, programmeId: p.id })));

    const many = await eventOptions("");
    expect(many.options.programmes).toBeNull();
    expect(many.options.currentProgramme).toBeNull();
    expect(many.options.countries.length).toBeGreaterThan(0);
    const chosen = await eventOptions(`?programmeId=${withoutEvents[6].id}`);
    expect(chosen.options.currentProgramme).toEqual(withoutEvents[6]);
    // the filter still filters
    expect(chosen.result.rows.map((e: { title: string }) => e.title)).toEqual(["Border course 7"]);
    // a programme that is no one's: nothing chosen, nothing found
    expect((await eventOptions("?programmeId=999999999")).options.currentProgramme).toBeNull();
    expect((await eventOptions("", "admin")).options.programmes).toBeNull();
  });

  it("stays a list for a partner and a donor (their events' programmes; they may not search)", async () => {
    for (const role of ["partner", "donor"]) {
      const { options } = await eventOptions("", role);
      expect(Array.isArray(options.programmes)).toBe(true);
      expect(options.programmes.some((p: { name: string }) => p.name.startsWith("Coastal Patrol"))).toBe(false);
    }
  });
});
