import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb, firstRow, statementCount } from "../../db/client";
import { actionPlanItems, actionPlanMembers, actionPlans, attendance, events, organisations, people, programmes, registrations, users } from "../../db/schema";
import { DEMO_EVENTS, seedDemo } from "../../db/seed/demo";
import type { SessionUser } from "~/auth/session.server";
import { activityReport, reportFilterOptions } from "~/models/reports.server";
import { agenciesActionPlans } from "~/models/action-plans.server";
import { eventFilterOptions } from "~/models/events.server";
import * as eventsCsv from "~/routes/reports.events[.]csv";
import { call, makeRequest, rawRun, runElsewhere, sessionCookie } from "../setup/helpers";

/**
 * Activity summaries are kept once computed, until a write to any table they read moves the
 * "reports" data version (triggers, migration 0008). A kept summary must never be out of date:
 * every kind of write below — through this connection or another process's — shows at once.
 */

let coordinator: SessionUser;
let donor: SessionUser;
let filters: { programmeId: number; from: string; to: string };
let victimId: number;

const user = async (email: string): Promise<SessionUser> => {
  const row = firstRow(await getDb().select().from(users).where(eq(users.email, email)).limit(1))!;
  return { id: row.id, email: row.email, name: row.name, role: row.role, organisationId: row.organisationId, locale: row.locale };
};

beforeAll(async () => {
  await seedDemo(getDb(), { today: new Date("2026-11-22T12:00:00Z") });
  coordinator = await user("coordinator@example.org");
  donor = await user("donor@example.org");
  const programmeId = firstRow(await getDb().select().from(events).where(eq(events.title, DEMO_EVENTS.victimIdentification)).limit(1))!.programmeId!;
  filters = { programmeId, from: "2020-01-01", to: "2030-12-31" };
  victimId = firstRow(await getDb().select().from(events).where(eq(events.title, DEMO_EVENTS.victimIdentification)).limit(1))!.id;
});

describe("kept activity summaries", () => {
  it("are computed once while nothing changes, and are the same for every member of staff", async () => {
    const first = await activityReport(coordinator, filters);
    expect(await activityReport(coordinator, filters)).toBe(first);
    expect(await activityReport(await user("admin@example.org"), filters)).toBe(first);
    // a donor sees another (protected) summary of the same filters
    expect(await activityReport(donor, filters)).not.toBe(first);
    expect((await activityReport(donor, filters)).protected).toBe(true);
  });

  it("show a cancelled registration at once", async () => {
    const before = await activityReport(coordinator, filters);
    const one = (await getDb().select().from(registrations).where(eq(registrations.eventId, victimId))).find((r) => r.status === "confirmed" && r.eventRole === "participant")!;
    await getDb().update(registrations).set({ status: "cancelled" }).where(eq(registrations.id, one.id));
    const after = await activityReport(coordinator, filters);
    expect(after).not.toBe(before);
    const row = (r: typeof before) => r.table.find((e) => e.id === victimId)!;
    expect(row(after).participants).toBe((row(before).participants as number) - 1);
  });

  it("show a changed attendance mark at once (the stored counts move, and with them the version)", async () => {
    const before = await activityReport(coordinator, filters);
    const mark = firstRow(await getDb()
      .select({ id: attendance.id })
      .from(attendance)
      .innerJoin(registrations, eq(registrations.id, attendance.registrationId))
      .where(eq(registrations.eventId, victimId)).limit(1))!;
    await getDb().update(attendance).set({ status: "absent" }).where(eq(attendance.id, mark.id));
    expect(await activityReport(coordinator, filters)).not.toBe(before);
  });

  it("show a person's changed details (the breakdowns read people)", async () => {
    const before = await activityReport(coordinator, filters);
    const person = (await getDb()
      .select({ id: registrations.personId, status: registrations.status, role: registrations.eventRole })
      .from(registrations)
      .where(eq(registrations.eventId, victimId)))
      .find((r) => r.status === "confirmed" && r.role === "participant")!;
    await getDb().update(people).set({ nationality: "JM" }).where(eq(people.id, person.id));
    const after = await activityReport(coordinator, filters);
    expect(after).not.toBe(before);
    expect(after.participants.byNationality.lines.some((l) => l.key === "JM")).toBe(true);
  });

  it("show a write made by another process on the same database", async () => {
    const before = await activityReport(coordinator, filters);
    await runElsewhere("update events set title = 'Renamed elsewhere' where id = ?", victimId);
    const after = await activityReport(coordinator, filters);
    expect(after).not.toBe(before);
    expect(after.table.find((e) => e.id === victimId)!.title).toBe("Renamed elsewhere");
  });

  it("are not moved by writes to tables they do not read (a programme's description)", async () => {
    const before = await activityReport(coordinator, filters);
    await getDb().update(programmes).set({ description: "Reworded" }).where(eq(programmes.id, filters.programmeId));
    expect(await activityReport(coordinator, filters)).toBe(before);
  });

  it("keep the filter form's choices too, until a programme, funding or partner changes", async () => {
    const first = await reportFilterOptions(coordinator);
    const admin = await user("admin@example.org");
    const before = statementCount();
    expect(await reportFilterOptions(admin)).toBe(first);
    expect(statementCount() - before).toBe(1); // the data version, nothing else
    expect(await reportFilterOptions(donor)).not.toBe(first);
    expect(await reportFilterOptions(coordinator, { country: "BS" })).not.toBe(first);

    const name = first.programmes.find((p) => p.id === filters.programmeId)!.name;
    await getDb().update(programmes).set({ name: `${name} (renamed)` }).where(eq(programmes.id, filters.programmeId));
    const renamed = await reportFilterOptions(coordinator);
    expect(renamed.programmes.find((p) => p.id === filters.programmeId)!.name).toBe(`${name} (renamed)`);
    await getDb().insert(programmes).values({ name: "A programme added later" });
    expect((await reportFilterOptions(coordinator)).programmes.map((p) => p.name)).toContain("A programme added later");
    // a donor's programmes follow their funding
    const donorsBefore = (await reportFilterOptions(donor)).programmes.length;
    const added = firstRow(await getDb().select().from(programmes).where(eq(programmes.name, "A programme added later")).limit(1))!;
    await rawRun("insert into programme_funding (programme_id, donor_organisation_id) values (?, ?)", added.id, donor.organisationId);
    expect((await reportFilterOptions(donor)).programmes).toHaveLength(donorsBefore + 1);
  });

  it("keep the events list's choices for staff until an event or a programme changes", async () => {
    const first = await eventFilterOptions(coordinator);
    expect(await eventFilterOptions(await user("admin@example.org"))).toBe(first);
    expect(first.countries).not.toContain("IS");
    const programmeId = first.programmes[0].id;
    const event = (await getDb()
      .insert(events)
      .values({ title: "Reykjavik seminar", type: "seminar", programmeId, country: "IS", timeZone: "Atlantic/Reykjavik", startDate: "2026-12-01", endDate: "2026-12-02", status: "draft" })
      .returning())[0];
    const second = await eventFilterOptions(coordinator);
    expect(second.countries).toContain("IS");
    await getDb().update(programmes).set({ name: "Renamed for the events list" }).where(eq(programmes.id, programmeId));
    expect((await eventFilterOptions(coordinator)).programmes.map((p) => p.name)).toContain("Renamed for the events list");
    await getDb().delete(events).where(eq(events.id, event.id));
    expect((await eventFilterOptions(coordinator)).countries).not.toContain("IS");
    // others see their own events, worked out each time
    expect(await eventFilterOptions(donor)).not.toBe(await eventFilterOptions(donor));
  });

  it("give CSV files that follow the data (the formatted figures are kept with the summary, per language)", async () => {
    const cookie = await sessionCookie({ id: coordinator.id, role: coordinator.role });
    const query = `/reports/events.csv?programmeId=${filters.programmeId}&from=${filters.from}&to=${filters.to}`;
    const download = async (language?: string) => {
      const response = (await call(eventsCsv.loader, makeRequest(query, { cookie, headers: language ? { "Accept-Language": language } : {} }))) as Response;
      return response.text();
    };
    const first = await download();
    expect(first).toContain("Renamed elsewhere");
    // the same file again, minus its production time
    const strip = (text: string) => text.replace(/\d{4}-\d{2}-\d{2}T[\d:.]+Z/, "");
    expect(strip(await download())).toBe(strip(first));
    await getDb().update(events).set({ title: "Renamed for the CSV" }).where(eq(events.id, victimId));
    const after = await download();
    expect(after).toContain("Renamed for the CSV");
    expect(after).not.toContain("Renamed elsewhere");
    // kept per language: French after English is French
    const french = await download("fr");
    expect(french).toContain("Premier jour");
    expect(french).toContain("Renamed for the CSV");
  });
});

/**
 * The every-agency action-plan figures (/action-plans for staff) are kept until a write moves the
 * action plans' own version (migration 0012): plans, items, members, officers' organisations,
 * organisations' names and countries, events' time zones. Registrations and attendance, written all
 * day long, leave them kept.
 */
describe("kept every-agency action-plan figures", () => {
  const figures = async () => await agenciesActionPlans(coordinator);
  const agency = (f: Awaited<ReturnType<typeof figures>>, name: string) => f.agencies.find((a) => a.name === name);
  const aPlan = async () => {
    const withItems = new Set((await getDb().select({ planId: actionPlanItems.planId }).from(actionPlanItems)).map((i) => i.planId));
    const plan = (await getDb().select().from(actionPlans).where(eq(actionPlans.isTemplate, false))).find((p) => withItems.has(p.id))!;
    const member = (await getDb().select({ organisationId: people.organisationId, personId: people.id }).from(actionPlanMembers).innerJoin(people, eq(people.id, actionPlanMembers.personId)).where(eq(actionPlanMembers.planId, plan.id))).find((m) => m.organisationId !== null)!;
    const organisation = firstRow(await getDb().select().from(organisations).where(eq(organisations.id, member.organisationId!)).limit(1))!;
    return { plan, member, organisation };
  };

  it("are counted once while nothing they read changes, registrations and attendance included", async () => {
    const first = await figures();
    expect(first.agencies.length).toBeGreaterThan(0);
    expect(await figures()).toBe(first);
    const one = (await getDb().select().from(registrations).where(eq(registrations.eventId, victimId))).find((r) => r.status === "confirmed")!;
    await getDb().update(registrations).set({ status: "waitlisted" }).where(eq(registrations.id, one.id));
    const mark = (await getDb().select().from(attendance))[0];
    await getDb().update(attendance).set({ status: mark.status === "present" ? "absent" : "present" }).where(eq(attendance.id, mark.id));
    await getDb().update(people).set({ position: "Inspector" }).where(eq(people.id, one.personId));
    expect(await figures()).toBe(first);
  });

  it("show a changed item, a new plan and a removed member at once", async () => {
    const { plan, organisation } = await aPlan();
    const before = await figures();
    const item = (await getDb().select().from(actionPlanItems).where(eq(actionPlanItems.planId, plan.id))).find((i) => i.status !== "blocked")!;
    await getDb().update(actionPlanItems).set({ status: "blocked" }).where(eq(actionPlanItems.id, item.id));
    const afterItem = await figures();
    expect(afterItem).not.toBe(before);
    expect(afterItem.totals.items.blocked).toBe(before.totals.items.blocked + 1);
    expect(agency(afterItem, organisation.name)!.items.blocked).toBe(agency(before, organisation.name)!.items.blocked + 1);

    const added = (await getDb().insert(actionPlans).values({ eventId: plan.eventId, title: "Another plan", status: "draft" }).returning())[0];
    const afterPlan = await figures();
    expect(afterPlan.totals.plans).toBe(afterItem.totals.plans + 1);
    await getDb().delete(actionPlans).where(eq(actionPlans.id, added.id));
    expect((await figures()).totals.plans).toBe(afterItem.totals.plans);

    const members = await getDb().select().from(actionPlanMembers).where(eq(actionPlanMembers.planId, plan.id));
    const beforeRemoval = await figures();
    await getDb().delete(actionPlanMembers).where(eq(actionPlanMembers.planId, plan.id));
    const afterRemoval = await figures();
    expect(afterRemoval).not.toBe(beforeRemoval);
    expect(agency(afterRemoval, organisation.name)?.plans ?? 0).toBe(agency(beforeRemoval, organisation.name)!.plans - 1);
    await getDb().insert(actionPlanMembers).values(members);
    expect(agency(await figures(), organisation.name)!.plans).toBe(agency(beforeRemoval, organisation.name)!.plans);
  });

  it("show an officer moving agency, a renamed agency and an event's new time zone at once", async () => {
    const { plan, member, organisation } = await aPlan();
    const before = await figures();
    await getDb().update(organisations).set({ name: `${organisation.name} (renamed)` }).where(eq(organisations.id, organisation.id));
    const renamed = await figures();
    expect(agency(renamed, `${organisation.name} (renamed)`)).toBeDefined();
    expect(agency(renamed, organisation.name)).toBeUndefined();
    await getDb().update(organisations).set({ name: organisation.name }).where(eq(organisations.id, organisation.id));
    expect(agency(await figures(), organisation.name)!.plans).toBe(agency(before, organisation.name)!.plans);

    await getDb().update(people).set({ organisationId: null }).where(eq(people.id, member.personId));
    const moved = await figures();
    expect(moved).not.toBe(before);
    expect(agency(moved, organisation.name)?.officers ?? 0).toBe(agency(before, organisation.name)!.officers - 1);
    await getDb().update(people).set({ organisationId: organisation.id }).where(eq(people.id, member.personId));

    const beforeZone = await figures();
    const event = firstRow(await getDb().select().from(events).where(eq(events.id, plan.eventId)).limit(1))!;
    await getDb().update(events).set({ timeZone: event.timeZone === "Pacific/Kiritimati" ? "Pacific/Pago_Pago" : "Pacific/Kiritimati" }).where(eq(events.id, event.id));
    expect(await figures()).not.toBe(beforeZone);
    await getDb().update(events).set({ timeZone: event.timeZone }).where(eq(events.id, event.id));
  });

  it("show a write made by another process on the same database", async () => {
    const { plan } = await aPlan();
    const before = await figures();
    await runElsewhere("insert into action_plans (event_id, title, status) values (?, 'Written elsewhere', 'draft')", plan.eventId);
    expect((await figures()).totals.plans).toBe(before.totals.plans + 1);
  });
});
