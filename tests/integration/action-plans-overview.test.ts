import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb, firstRow } from "../../db/client";
import { actionPlanItems, actionPlanMembers, actionPlans, events, organisations, people, users } from "../../db/schema";
import { DEMO_EVENTS, DEMO_ORGANISATIONS, seedDemo } from "../../db/seed/demo";
import { setClock } from "~/lib/clock";
import * as overview from "~/routes/action-plans";
import * as home from "~/routes/_index";
import * as planPage from "~/routes/events.$eventId.action-plans_.$planId";
import { call, createOrganisation, createUser, makeRequest, sessionCookie, unwrap } from "../setup/helpers";

/**
 * The /action-plans overview (issue 7: "overviews per event, per agency, per person") and the home
 * page's links to it: who sees which plans (a partner its own agency only, a participant their own
 * plans only, donors and facilitators refused) and that the figures add up, checked against the
 * database directly.
 */

const TODAY = new Date("2026-11-22T12:00:00Z");
const db = () => getDb();
const cookies: Record<string, string> = {};
let bsImmigration: number;
let police: number;
let victimId: number;
let recent: number;
let policePartner: string;

const getOverview = async (cookie: string, query = "") => await call(overview.loader, makeRequest(`/action-plans${query}`, { cookie }));
const getHome = async (cookie: string) => await call(home.loader, makeRequest("/", { cookie }));

/** Plans (not templates) with a member of this organisation, and their items — straight from the tables. */
async function plansOf(organisationId: number) {
  const ids = (await db()
    .selectDistinct({ id: actionPlanMembers.planId })
    .from(actionPlanMembers)
    .innerJoin(people, eq(people.id, actionPlanMembers.personId))
    .innerJoin(actionPlans, eq(actionPlans.id, actionPlanMembers.planId))
    .where(and(eq(people.organisationId, organisationId), eq(actionPlans.isTemplate, false))))
    .map((r) => r.id);
  const items = ids.length === 0 ? [] : (await db().select().from(actionPlanItems).where(inArray(actionPlanItems.planId, ids)));
  return { ids, items };
}

function expectedFigures(items: (typeof actionPlanItems.$inferSelect)[]) {
  const today = "2026-11-22"; // noon UTC is morning in Nassau: the same day
  return {
    total: items.length,
    planned: items.filter((i) => i.status === "planned").length,
    in_progress: items.filter((i) => i.status === "in_progress").length,
    done: items.filter((i) => i.status === "done").length,
    blocked: items.filter((i) => i.status === "blocked").length,
    overdue: items.filter((i) => i.status !== "done" && i.targetDate !== null && i.targetDate < today).length,
    validated: items.filter((i) => i.validatedAt !== null).length,
    awaitingValidation: items.filter((i) => i.status === "done" && i.validatedAt === null).length,
  };
}

beforeAll(async () => {
  await seedDemo(db(), { today: TODAY });
  setClock(() => TODAY.getTime());
  for (const role of ["admin", "coordinator", "facilitator", "participant", "partner", "donor"]) {
    const u = firstRow(await db().select().from(users).where(eq(users.email, `${role}@example.org`)).limit(1))!;
    cookies[role] = await sessionCookie({ id: u.id, role: u.role });
  }
  bsImmigration = firstRow(await db().select().from(organisations).where(eq(organisations.name, DEMO_ORGANISATIONS.bahamasImmigration)).limit(1))!.id;
  victimId = firstRow(await db().select().from(events).where(eq(events.title, DEMO_EVENTS.victimIdentification)).limit(1))!.id;
  recent = firstRow(await db().select().from(events).where(eq(events.title, DEMO_EVENTS.recent)).limit(1))!.id;
  // Crystal Deveaux moves to the police: the welfare plan she writes with Tamika Sands now spans two agencies
  police = (await createOrganisation("Royal Bahamas Police Force", "government_partner", "BS")).id;
  await db().update(people).set({ organisationId: police }).where(and(eq(people.givenName, "Crystal"), eq(people.familyName, "Deveaux")));
  policePartner = await sessionCookie(await createUser({ role: "partner", organisationId: police }));
});

afterAll(() => setClock(null));

describe("the /action-plans overview", () => {
  it("shows the partner focal point its own agency's plans, per training and per officer, with no other agency's officer", async () => {
    const { status, data } = unwrap(await getOverview(cookies.partner));
    expect(status).toBe(200);
    expect(data.view).toBe("agency");
    expect(data.canPickAgency).toBe(false);
    expect(data.organisation.name).toBe(DEMO_ORGANISATIONS.bahamasImmigration);

    const { ids, items } = await plansOf(bsImmigration);
    // four plans of the 2023 training, three of the one that ended a month ago
    expect(ids.length).toBe(7);
    expect(data.totals.plans).toBe(ids.length);
    expect(data.totals.items).toEqual(expectedFigures(items));
    // newest training first, each with the figures of its own plans
    expect(data.events.map((e: { eventId: number }) => e.eventId)).toEqual([recent, victimId]);
    const eventOf = new Map((await db().select({ id: actionPlans.id, eventId: actionPlans.eventId }).from(actionPlans)).map((p) => [p.id, p.eventId]));
    for (const e of data.events) {
      expect(e.items).toEqual(expectedFigures(items.filter((i) => eventOf.get(i.planId) === e.eventId)));
    }

    // one row per officer of the agency and plan, each linking to the plan
    const officers = await db()
      .select({ id: people.id, name: people.givenName })
      .from(actionPlanMembers)
      .innerJoin(people, eq(people.id, actionPlanMembers.personId))
      .where(and(inArray(actionPlanMembers.planId, ids), eq(people.organisationId, bsImmigration)));
    expect(data.officers.map((o: { personId: number }) => o.personId).sort()).toEqual(officers.map((o) => o.id).sort());
    expect(data.totals.officers).toBe(new Set(officers.map((o) => o.id)).size);
    for (const row of data.officers) {
      expect(row.plan.url).toBe(`/events/${eventOf.get(row.plan.id)}/action-plans/${row.plan.id}`);
      const planItems = items.filter((i) => i.planId === row.plan.id);
      expect(row.items).toEqual(expectedFigures(planItems));
    }
    const names = data.officers.map((o: { name: string }) => o.name);
    expect(names).toContain("Shavonne Rolle");
    expect(names).toContain("Tamika Sands");
    // her co-author now belongs to the police: not a name the Department's focal point may read
    expect(JSON.stringify(data)).not.toContain("Deveaux");
  });

  it("never lets a partner look at another agency, whatever the address says", async () => {
    const asked = unwrap(await getOverview(cookies.partner, `?organisationId=${police}`)).data;
    expect(asked.organisation.id).toBe(bsImmigration);

    const { data } = unwrap(await getOverview(policePartner));
    expect(data.organisation.name).toBe("Royal Bahamas Police Force");
    expect(data.totals.plans).toBe(1); // the welfare plan, through Crystal Deveaux
    expect(data.officers.map((o: { name: string }) => o.name)).toEqual(["Crystal Deveaux"]);
    const shown = JSON.stringify(data);
    for (const name of ["Shavonne", "Tamika", "Rolle", "Theron"]) expect(shown).not.toContain(name);
  });

  it("shows a participant their own plans only, with their open and overdue items", async () => {
    const { status, data } = unwrap(await getOverview(cookies.participant));
    expect(status).toBe(200);
    expect(data.view).toBe("person");
    const own = (await db()
      .select({ id: actionPlanMembers.planId })
      .from(actionPlanMembers)
      .innerJoin(people, eq(people.id, actionPlanMembers.personId))
      .innerJoin(users, eq(users.id, people.userId))
      .where(eq(users.email, "participant@example.org")))
      .map((r) => r.id);
    expect(own.length).toBeGreaterThan(0);
    expect(data.plans.map((p: { id: number }) => p.id).sort()).toEqual(own.sort());
    const items = await db().select().from(actionPlanItems).where(inArray(actionPlanItems.planId, own));
    expect(data.totals.items).toEqual(expectedFigures(items));
    expect(data.totals.open).toBe(items.filter((i) => i.status !== "done").length);
    // a participant has no agency view: the parameter changes nothing
    expect(unwrap(await getOverview(cookies.participant, `?organisationId=${bsImmigration}`)).data.view).toBe("person");
  });

  it("refuses donors (counts only, in reports) and facilitators (they read plans on their events), and sends visitors to sign in", async () => {
    expect(unwrap(await getOverview(cookies.donor)).status).toBe(403);
    expect(unwrap(await getOverview(cookies.facilitator)).status).toBe(403);
    const anonymous = (await getOverview("")) as Response;
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("Location")).toBe("/login?redirectTo=%2Faction-plans");
  });

  it("shows coordinators every agency with its figures, and one agency when picked", async () => {
    const { data } = unwrap(await getOverview(cookies.coordinator));
    expect(data.view).toBe("agencies");
    const byName = Object.fromEntries(data.agencies.map((a: { name: string }) => [a.name, a]));
    expect(Object.keys(byName)).toContain(DEMO_ORGANISATIONS.bahamasImmigration);
    const immigration = byName[DEMO_ORGANISATIONS.bahamasImmigration];
    const fromDb = await plansOf(bsImmigration);
    expect(immigration.plans).toBe(fromDb.ids.length);
    expect(immigration.items).toEqual(expectedFigures(fromDb.items));
    const policeRow = byName["Royal Bahamas Police Force"];
    expect(policeRow).toMatchObject({ officers: 1, plans: 1 });
    // the shared welfare plan counts for both agencies, once in the totals
    const allPlans = await db().select().from(actionPlans).where(eq(actionPlans.isTemplate, false));
    expect(data.totals.plans).toBe(allPlans.length);
    expect(data.totals.agencies).toBe(data.agencies.length);

    const picked = unwrap(await getOverview(cookies.coordinator, `?organisationId=${bsImmigration}`)).data;
    expect(picked).toMatchObject({ view: "agency", canPickAgency: true, organisation: { id: bsImmigration } });
    // the coordinator sees the agency's own officers in it (Crystal Deveaux is listed under the police)
    expect(picked.officers.map((o: { name: string }) => o.name)).not.toContain("Crystal Deveaux");
    expect(unwrap(await getOverview(cookies.admin, "?organisationId=999999")).status).toBe(404);
  });

  it("counts a validation as soon as the partner marks a done item validated", async () => {
    const before = unwrap(await getOverview(cookies.partner)).data.totals.items;
    expect(before.awaitingValidation).toBeGreaterThan(0);
    const { ids } = await plansOf(bsImmigration);
    const waiting = (await db()
      .select()
      .from(actionPlanItems)
      .where(and(inArray(actionPlanItems.planId, ids), eq(actionPlanItems.status, "done"))))
      .find((i) => i.validatedAt === null)!;
    const response = (await call(
      planPage.action,
      makeRequest(`/events/${victimId}/action-plans/${waiting.planId}`, { cookie: cookies.partner, form: { intent: "validate", itemId: String(waiting.id) } }),
      { eventId: String(victimId), planId: String(waiting.planId) },
    )) as Response;
    expect(response.status).toBe(302);
    const after = unwrap(await getOverview(cookies.partner)).data.totals.items;
    expect(after).toEqual({ ...before, validated: before.validated + 1, awaitingValidation: before.awaitingValidation - 1 });
  });
});

describe("the home page's action plans", () => {
  it("links the participant to each of their plans with its open and overdue items, and to the overview", async () => {
    const { data } = unwrap(await getHome(cookies.participant));
    expect(data.home.role).toBe("participant");
    const overviewPlans = unwrap(await getOverview(cookies.participant)).data.plans;
    expect(data.home.plans).toEqual(
      overviewPlans.map((p: { id: number; title: string; status: string; eventTitle: string; url: string; open: number; items: { overdue: number } }) => ({
        id: p.id,
        title: p.title,
        status: p.status,
        eventTitle: p.eventTitle,
        url: p.url,
        open: p.open,
        overdue: p.items.overdue,
      })),
    );
  });

  it("shows the partner its agency's plans with done items awaiting validation", async () => {
    const { data } = unwrap(await getHome(cookies.partner));
    const agency = unwrap(await getOverview(cookies.partner)).data;
    expect(data.home.actionPlans).toMatchObject({
      plans: agency.totals.plans,
      awaitingValidation: agency.totals.items.awaitingValidation,
      overdue: agency.totals.items.overdue,
    });
    // the agency's plans with a done item not yet validated, newest training first, then by title — straight from the tables
    const { ids, items } = await plansOf(bsImmigration);
    const expected = (await db()
      .select({ id: actionPlans.id, title: actionPlans.title, startDate: events.startDate })
      .from(actionPlans)
      .innerJoin(events, eq(events.id, actionPlans.eventId))
      .where(inArray(actionPlans.id, ids)))
      .sort((a, b) => b.startDate.localeCompare(a.startDate) || (a.title < b.title ? -1 : a.title > b.title ? 1 : a.id - b.id))
      .map((p) => ({ id: p.id, awaitingValidation: items.filter((i) => i.planId === p.id && i.status === "done" && i.validatedAt === null).length }))
      .filter((p) => p.awaitingValidation > 0);
    expect(data.home.actionPlans.toValidate.map((p: { id: number; awaitingValidation: number }) => ({ id: p.id, awaitingValidation: p.awaitingValidation }))).toEqual(expected.slice(0, 5));
    for (const p of data.home.actionPlans.toValidate) expect(p.url).toMatch(/^\/events\/\d+\/action-plans\/\d+$/);
    // a partner without plans sees nothing to validate; donors get no such card
    expect(unwrap(await getHome(policePartner)).data.home.actionPlans.toValidate).toEqual([]);
    expect(unwrap(await getHome(cookies.donor)).data.home).not.toHaveProperty("actionPlans");
  });
});
