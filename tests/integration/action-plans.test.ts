import fs from "node:fs";
import path from "node:path";
import { and, asc, eq, like } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb, firstRow } from "../../db/client";
import { actionPlanComments, actionPlanItems, actionPlanMembers, actionPlans, actionPlanUpdates, auditLog, emailOutbox, events, people, users } from "../../db/schema";
import { DEMO_EVENTS, seedDemo } from "../../db/seed/demo";
import type { SessionUser } from "~/auth/session.server";
import { now } from "~/lib/clock";
import { actionPlanCounts, agencyActionPlans, ATTACHMENT_MAX_BYTES, myActionPlans, sendActionPlanReminders, uploadsDir } from "~/models/action-plans.server";
import * as tab from "~/routes/events.$eventId.action-plans";
import * as planPage from "~/routes/events.$eventId.action-plans_.$planId";
import * as newPage from "~/routes/events.$eventId.action-plans_.new";
import * as templatePage from "~/routes/events.$eventId.action-plans_.template";
import * as download from "~/routes/action-plan-attachments.$updateId";
import * as preferencesPage from "~/routes/email-preferences";
import { APP, call, createOrganisation, createUser, makeRequest, sessionCookie, unwrap } from "../setup/helpers";

/**
 * Action plans after the Bahamas victim-identification training (demo data): who sees and changes
 * which plan, the partner's validation, coordinators' comments and template, attachments, and the
 * check-in reminders on an injected clock (a fake Date; the app reads time through app/lib/clock.ts).
 */

const TODAY = new Date("2026-11-22T12:00:00Z");
const db = () => getDb();
const cookies: Record<string, string> = {};
let victimId: number;
let bahrainId: number;
let followUpId: number;
/** Plan ids of the demo, by whose plan it is. */
const plan = { shavonne: 0, theron: 0, welfare: 0, nadia: 0 };
/** Shavonne's items, in order: briefing (done, validated), referral (in progress), interviews (planned). */
let items: number[] = [];
let otherAgencyPartner: string; // a partner of the police, not of the Department of Immigration
let bahrainParticipant: string; // a participant account linked to an officer of the Bahrain training
let dario: string; // a participant account linked to Dario Knowles (victim-identification, no plan yet)
let theron: string; // a participant account linked to Theron Bain (has the airport plan)

async function userByEmail(email: string) {
  return firstRow(await db().select().from(users).where(eq(users.email, email)).limit(1))!;
}

async function sessionUser(email: string): Promise<SessionUser> {
  const u = await userByEmail(email);
  return { id: u.id, email: u.email, name: u.name, role: u.role, organisationId: u.organisationId, locale: u.locale };
}

async function planId(title: string) {
  return firstRow(await db().select({ id: actionPlans.id }).from(actionPlans).where(eq(actionPlans.title, title)).limit(1))!.id;
}

async function linkAccount(given: string, family: string, options: { remindersOff?: boolean } = {}) {
  const account = await createUser({ role: "participant" });
  if (options.remindersOff) await db().update(users).set({ emailRemindersOff: true }).where(eq(users.id, account.id));
  await db().update(people).set({ userId: account.id }).where(and(eq(people.givenName, given), eq(people.familyName, family)));
  return await sessionCookie(account);
}

const planUrl = (id: number, eventId = victimId) => `/events/${eventId}/action-plans/${id}`;
const getPlan = async (cookie: string, id: number, eventId = victimId) =>
  await call(planPage.loader, makeRequest(planUrl(id, eventId), { cookie }), { eventId: String(eventId), planId: String(id) });
const postPlan = async (cookie: string, id: number, form: Record<string, string | string[]>, eventId = victimId) =>
  await call(planPage.action, makeRequest(planUrl(id, eventId), { cookie, form }), { eventId: String(eventId), planId: String(id) });
const getTab = async (cookie: string, eventId = victimId) =>
  await call(tab.loader, makeRequest(`/events/${eventId}/action-plans`, { cookie }), { eventId: String(eventId) });
const getNew = async (cookie: string, eventId = victimId) =>
  await call(newPage.loader, makeRequest(`/events/${eventId}/action-plans/new`, { cookie }), { eventId: String(eventId) });
const postNew = async (cookie: string, form: Record<string, string | string[]>, eventId = victimId) =>
  await call(newPage.action, makeRequest(`/events/${eventId}/action-plans/new`, { cookie, form }), { eventId: String(eventId) });
const postTemplate = async (cookie: string, form: Record<string, string | string[]>, eventId = victimId) =>
  await call(templatePage.action, makeRequest(`/events/${eventId}/action-plans/template`, { cookie, form }), { eventId: String(eventId) });
const getAttachment = async (cookie: string, updateId: number) =>
  (await call(download.loader, makeRequest(`/action-plan-attachments/${updateId}`, { cookie }), { updateId: String(updateId) })) as Response;

/** A progress update with a file, posted as a browser posts the form (multipart). */
async function postWithFile(cookie: string, id: number, fields: Record<string, string>, file: { name: string; bytes: Uint8Array<ArrayBuffer> } | null) {
  const body = new FormData();
  for (const [k, v] of Object.entries(fields)) body.append(k, v);
  if (file) body.append("attachment", new File([file.bytes], file.name, { type: "application/pdf" }));
  const request = new Request(`${APP}${planUrl(id)}`, { method: "POST", body, headers: { Cookie: cookie, Origin: APP } });
  return await call(planPage.action, request, { eventId: String(victimId), planId: String(id) });
}

function status(result: unknown) {
  return unwrap(result).status;
}

async function reminders() {
  return await db().select().from(emailOutbox).where(eq(emailOutbox.kind, "action_plan_reminder")).orderBy(asc(emailOutbox.id));
}

async function audits(action: string) {
  return await db().select().from(auditLog).where(eq(auditLog.action, action)).orderBy(asc(auditLog.id));
}

beforeAll(async () => {
  await seedDemo(db(), { today: TODAY });
  for (const role of ["admin", "coordinator", "facilitator", "participant", "partner", "donor"]) {
    const u = await userByEmail(`${role}@example.org`);
    cookies[role] = await sessionCookie({ id: u.id, role: u.role });
  }
  const eventId = async (title: string) => firstRow(await db().select().from(events).where(eq(events.title, title)).limit(1))!.id;
  victimId = await eventId(DEMO_EVENTS.victimIdentification);
  bahrainId = await eventId(DEMO_EVENTS.bahrain);
  followUpId = await eventId(DEMO_EVENTS.followUp);
  plan.shavonne = await planId("Bringing victim identification into port operations");
  plan.theron = await planId("Indicators of trafficking at the airport arrivals hall");
  plan.welfare = await planId("Trauma-informed care at the detention centre");
  plan.nadia = await planId("Referral at the border control desk");
  items = (await db()
    .select({ id: actionPlanItems.id })
    .from(actionPlanItems)
    .where(eq(actionPlanItems.planId, plan.shavonne))
    .orderBy(asc(actionPlanItems.position)))
    .map((i) => i.id);
  const police = await createOrganisation("Royal Bahamas Police Force", "government_partner", "BS");
  otherAgencyPartner = await sessionCookie(await createUser({ role: "partner", organisationId: police.id }));
  bahrainParticipant = await linkAccount("Ahmed", "Al Mahmood");
  dario = await linkAccount("Dario", "Knowles");
  theron = await linkAccount("Theron", "Bain");
  // participant@example.org reads Convene in French
  await db().update(users).set({ locale: "fr" }).where(eq(users.email, "participant@example.org"));
});

describe("check-in reminders (injected clock)", () => {
  const nassauNoon = (day: string) => new Date(`${day}T16:00:00Z`); // 12:00 in Nassau (EDT)
  let nadiaUser: string;

  beforeAll(async () => {
    // Theron Bain has done everything; Nadia Seymour switched reminders off; Shavonne has open items
    await db().update(actionPlanItems).set({ status: "done" }).where(eq(actionPlanItems.planId, plan.theron));
    const nadia = await createUser({ role: "participant" });
    await db().update(users).set({ emailRemindersOff: true }).where(eq(users.id, nadia.id));
    await db().update(people).set({ userId: nadia.id }).where(and(eq(people.givenName, "Nadia"), eq(people.familyName, "Seymour")));
    nadiaUser = nadia.id;
    vi.useFakeTimers({ toFake: ["Date"] });
  });

  afterAll(async () => {
    vi.useRealTimers();
    await db().update(people).set({ userId: null }).where(eq(people.userId, nadiaUser));
  });

  it("sends nothing before day 30 after the event's last day (10 August 2023, Nassau)", async () => {
    vi.setSystemTime(nassauNoon("2023-09-08"));
    expect(await sendActionPlanReminders(now())).toEqual({ plans: 0, emails: 0 });
    // 23:00 on 8 September in Nassau is already 9 September in UTC: still day 29 there
    vi.setSystemTime(new Date("2023-09-09T03:00:00Z"));
    expect((await sendActionPlanReminders(now())).emails).toBe(0);
    expect(await reminders()).toHaveLength(0);
  });

  it("on day 30 emails each member of a plan with open items once, in their language, with a link to the plan", async () => {
    vi.setSystemTime(nassauNoon("2023-09-09"));
    const result = await sendActionPlanReminders(now());
    const sent = await reminders();
    expect(sent.map((m) => m.toAddress).sort()).toEqual([
      "crystal.deveaux@immigration.gov.bs.example",
      "participant@example.org",
      "tamika.sands@immigration.gov.bs.example",
    ]);
    expect(result.emails).toBe(3);
    // Theron Bain's items are all done; Nadia Seymour switched reminders off
    expect(sent.some((m) => m.toAddress.startsWith("theron.bain"))).toBe(false);
    expect(sent.some((m) => m.toAddress.startsWith("nadia.seymour"))).toBe(false);

    const french = sent.find((m) => m.toAddress === "participant@example.org")!;
    expect(french.subject).toBe(`Point sur votre plan d’action : ${DEMO_EVENTS.victimIdentification}`);
    expect(french.html).toContain('lang="fr"');
    expect(french.text).toContain(`${APP}/events/${victimId}/action-plans/${plan.shavonne}`);
    expect(french.text).toContain("il y a 30 jours");
    expect(french.text).toContain("Integrate the national referral mechanism into daily port procedures");
    expect(french.text).not.toContain("Brief my shift team"); // done items are not listed
    // a reminder carries the way out: the email-preferences link, for members with an account
    expect(french.text).toContain(`Ne plus recevoir de rappels: ${APP}/email-preferences?u=${(await userByEmail("participant@example.org")).id}&t=`);
    const english = sent.find((m) => m.toAddress.startsWith("tamika"))!;
    expect(english.subject).toBe(`Check-in on your action plan: ${DEMO_EVENTS.victimIdentification}`);
    expect(english.text).toContain("it has been 30 days");
    expect(english.text).toContain(`/action-plans/${plan.welfare}`);
    // Tamika Sands has no account: her link is scoped to her person record, and the one-click
    // unsubscribe header (RFC 8058) goes with it
    const tamika = firstRow(await db().select({ id: people.id }).from(people).where(and(eq(people.givenName, "Tamika"), eq(people.familyName, "Sands"))).limit(1))!;
    expect(english.text).toContain(`Stop reminder emails: ${APP}/email-preferences?p=${tamika.id}&t=`);
    expect(english.headers).toEqual({
      "List-Unsubscribe": expect.stringMatching(new RegExp(`^<${APP}/email-preferences/unsubscribe\\?p=${tamika.id}&t=[\\w-]{43}>$`)),
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    });
    expect(french.headers!["List-Unsubscribe"]).toContain(`/email-preferences/unsubscribe?u=${(await userByEmail("participant@example.org")).id}&t=`);

    // the audit log records what was sent (ids and numbers only): Shavonne's, the welfare plan, Nadia's (no email)
    const entries = await audits("action_plan.reminder");
    expect(entries.map((e) => Number(e.entityId)).sort()).toEqual([plan.shavonne, plan.welfare, plan.nadia].sort());
    expect(entries.every((e) => e.entityType === "action_plan" && (e.details as { days: number }).days === 30)).toBe(true);
    expect((entries.find((e) => Number(e.entityId) === plan.nadia)!.details as { emails: number }).emails).toBe(0);
    expect(JSON.stringify(entries.map((e) => e.details))).not.toMatch(/@|Rolle|Sands/);
  });

  it("never sends the same check-in twice", async () => {
    vi.setSystemTime(new Date(nassauNoon("2023-09-09").getTime() + 10 * 60_000));
    expect(await sendActionPlanReminders(now())).toEqual({ plans: 0, emails: 0 });
    vi.setSystemTime(nassauNoon("2023-09-25"));
    expect((await sendActionPlanReminders(now())).emails).toBe(0);
    expect(await reminders()).toHaveLength(3);
  });

  it("sends the day-60 check-in later, once, and not to a member without an account who turned reminders off", async () => {
    // Tamika Sands (no account) follows the link in her day-30 check-in and confirms
    const link = new URL(/http:\/\/localhost:3000\/email-preferences\?\S+/.exec((await reminders()).find((m) => m.toAddress.startsWith("tamika"))!.text)![0]);
    const page = unwrap(await call(preferencesPage.loader, makeRequest(link.pathname + link.search)));
    expect(page.data).toMatchObject({ email: "tamika.sands@immigration.gov.bs.example", remindersOff: false });
    const done = (await call(
      preferencesPage.action,
      makeRequest(link.pathname + link.search, { form: { intent: "off", p: link.searchParams.get("p")!, t: link.searchParams.get("t")! } }),
    )) as Response;
    expect(done.status).toBe(302);
    const tamika = firstRow(await db().select().from(people).where(eq(people.email, "tamika.sands@immigration.gov.bs.example")).limit(1))!;
    expect(tamika.emailRemindersOff).toBe(true);
    expect(await audits("email_preferences.update")).toMatchObject([
      { entityType: "person", entityId: String(tamika.id), userId: null, details: { remindersOff: true, via: "person_link" } },
    ]);

    vi.setSystemTime(nassauNoon("2023-10-08"));
    expect((await sendActionPlanReminders(now())).emails).toBe(0);
    vi.setSystemTime(nassauNoon("2023-10-09"));
    expect((await sendActionPlanReminders(now())).emails).toBe(2); // Shavonne (participant@example.org) and Crystal Deveaux
    expect((await sendActionPlanReminders(now())).emails).toBe(0);
    const sixty = (await audits("action_plan.reminder")).filter((e) => (e.details as { days: number }).days === 60);
    expect(sixty).toHaveLength(3);
    expect(await reminders()).toHaveLength(5);
    expect((await reminders()).filter((m) => m.toAddress.startsWith("tamika"))).toHaveLength(1);
  });

  it("sends no reminder to a member once every item is done", async () => {
    await db().update(actionPlanItems).set({ status: "done" }).where(eq(actionPlanItems.planId, plan.welfare));
    vi.setSystemTime(nassauNoon("2023-11-08")); // day 90
    await sendActionPlanReminders(now());
    const ninety = (await reminders()).slice(5);
    expect(ninety.map((m) => m.toAddress)).toEqual(["participant@example.org"]);
    await db().update(actionPlanItems).set({ status: "planned" }).where(eq(actionPlanItems.planId, plan.welfare));
  });

  it("skips a check-in that is long overdue rather than sending it months late", async () => {
    // the welfare plan has open items again, but its day-90 check-in was on 8 November 2023
    vi.setSystemTime(nassauNoon("2024-06-01"));
    expect(await sendActionPlanReminders(now())).toEqual({ plans: 0, emails: 0 });
  });
});

describe("an officer's own plan", () => {
  it("shows Shavonne her plan: items with their dated updates, the coordinator's comment, and that she may change it", async () => {
    const { status: code, data } = unwrap(await getPlan(cookies.participant, plan.shavonne));
    expect(code).toBe(200);
    expect(data.plan.title).toBe("Bringing victim identification into port operations");
    expect(data.members.map((m: { name: string }) => m.name)).toEqual(["Shavonne Rolle"]);
    expect(data.items).toHaveLength(3);
    expect(data.items[0]).toMatchObject({ status: "done", validatedBy: "Kendrick Bethel" });
    expect(data.items[1].updates).toHaveLength(2);
    expect(data.comments).toHaveLength(1);
    expect(data.can).toMatchObject({ edit: true, comment: false, validate: false });

    const tabData = unwrap(await getTab(cookies.participant)).data;
    expect(tabData.own).toMatchObject({ id: plan.shavonne });
    expect(tabData.plans.map((p: { id: number }) => p.id)).toEqual([plan.shavonne]);
    // her other plan: the draft of the training that ended a month ago, listed first (newest training first)
    const mine = await myActionPlans(await sessionUser("participant@example.org"));
    expect(mine.map((p) => p.url).at(-1)).toBe(planUrl(plan.shavonne));
    expect(mine.map((p) => p.eventTitle)).toEqual([DEMO_EVENTS.recent, DEMO_EVENTS.victimIdentification]);
  });

  it("lets her record dated progress and change an item's status", async () => {
    const response = (await postPlan(cookies.participant, plan.shavonne, {
      intent: "progress",
      itemId: String(items[1]),
      note: "The referral checklist is now used on every shift at the cruise port.",
      statusAfter: "done",
    })) as Response;
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe(`${planUrl(plan.shavonne)}?done=progress#item-${items[1]}`);
    expect(firstRow(await db().select().from(actionPlanItems).where(eq(actionPlanItems.id, items[1])).limit(1))!.status).toBe("done");
    const update = (await db().select().from(actionPlanUpdates).where(eq(actionPlanUpdates.itemId, items[1])).orderBy(asc(actionPlanUpdates.id))).at(-1)!;
    expect(update).toMatchObject({ statusAfter: "done", authorUserId: (await userByEmail("participant@example.org")).id, attachmentPath: null });
    expect(Math.abs(update.createdAt.getTime() - Date.now())).toBeLessThan(60_000);
    const entry = (await audits("action_plan.progress")).at(-1)!;
    expect(entry).toMatchObject({ entityType: "action_plan", entityId: String(plan.shavonne) });
    expect(entry.details).toMatchObject({ itemId: items[1], from: "in_progress", to: "done" });
    expect(JSON.stringify(entry.details)).not.toContain("checklist");

    // a note is required, and the form comes back with what was typed
    const refused = unwrap(await postPlan(cookies.participant, plan.shavonne, { intent: "progress", itemId: String(items[2]), note: " ", statusAfter: "blocked" }));
    expect(refused.status).toBe(400);
    expect(refused.data).toMatchObject({ intent: "progress", itemId: items[2], errors: { note: "errors.required" }, values: { statusAfter: "blocked" } });
  });

  it("refuses a target date before the event's first day, keeping what was typed", async () => {
    const refused = unwrap(
      await postPlan(cookies.participant, plan.shavonne, { intent: "add-item", action: "Share the interview guide with Bimini", targetDate: "2023-08-08", status: "planned" }),
    );
    expect(refused.status).toBe(400);
    expect(refused.data.errors).toEqual({ targetDate: "actionPlans.errors.targetBeforeEvent" });
    expect(refused.data.values.action).toBe("Share the interview guide with Bimini");
    const added = (await postPlan(cookies.participant, plan.shavonne, {
      intent: "add-item",
      action: "Share the interview guide with Bimini",
      targetDate: "2023-08-09",
      responsible: "Myself",
      indicator: "Guide sent",
      status: "planned",
    })) as Response;
    expect(added.status).toBe(302);
    expect(await db().select().from(actionPlanItems).where(eq(actionPlanItems.planId, plan.shavonne))).toHaveLength(4);
    // nor can an existing item be moved before the event
    const edit = unwrap(await postPlan(cookies.participant, plan.shavonne, { intent: "edit-item", itemId: String(items[2]), action: "x", targetDate: "2023-01-31", status: "planned" }));
    expect(edit.data.errors.targetDate).toBe("actionPlans.errors.targetBeforeEvent");
  });

  it("hides another officer's plan from her (404) and refuses her changes to it", async () => {
    expect(status(await getPlan(cookies.participant, plan.theron))).toBe(404);
    expect(status(await postPlan(cookies.participant, plan.theron, { intent: "add-item", action: "Sneaky", status: "planned" }))).toBe(404);
    const theronItem = firstRow(await db().select().from(actionPlanItems).where(eq(actionPlanItems.planId, plan.theron)).limit(1))!;
    expect(status(await postPlan(cookies.participant, plan.theron, { intent: "progress", itemId: String(theronItem.id), note: "Not mine" }))).toBe(404);
    // nor through her own plan's address
    expect(status(await postPlan(cookies.participant, plan.shavonne, { intent: "remove-item", itemId: String(theronItem.id) }))).toBe(404);
    expect(firstRow(await db().select().from(actionPlanItems).where(eq(actionPlanItems.id, theronItem.id)).limit(1))).toBeDefined();
    expect(await db().select().from(actionPlanUpdates).where(like(actionPlanUpdates.note, "Not mine"))).toHaveLength(0);
  });

  it("submits a draft plan once it has items", async () => {
    const nadia = await linkAccount("Nadia", "Seymour");
    expect(status(await postPlan(nadia, plan.nadia, { intent: "submit" }))).toBe(302);
    expect(firstRow(await db().select().from(actionPlans).where(eq(actionPlans.id, plan.nadia)).limit(1))).toMatchObject({ status: "submitted" });
    expect(unwrap(await postPlan(nadia, plan.nadia, { intent: "submit" })).data.errors.form).toBe("actionPlans.errors.alreadySubmitted");
  });
});

describe("the partner focal point, coordinators and others", () => {
  it("lets the Department of Immigration's focal point see its officers' plans and validate a done item", async () => {
    const tabData = unwrap(await getTab(cookies.partner)).data;
    expect(tabData.plans.map((p: { id: number }) => p.id).sort()).toEqual([plan.shavonne, plan.theron, plan.welfare, plan.nadia].sort());
    const { data } = unwrap(await getPlan(cookies.partner, plan.shavonne));
    expect(data.can).toMatchObject({ edit: false, validate: true, comment: false });
    // the briefing is done (and validated in the demo): its validation is withdrawn, then given again
    expect(((await postPlan(cookies.partner, plan.shavonne, { intent: "unvalidate", itemId: String(items[0]) })) as Response).status).toBe(302);
    expect(firstRow(await db().select().from(actionPlanItems).where(eq(actionPlanItems.id, items[0])).limit(1))!.validatedAt).toBeNull();
    const response = (await postPlan(cookies.partner, plan.shavonne, { intent: "validate", itemId: String(items[0]) })) as Response;
    expect(response.status).toBe(302);
    const item = firstRow(await db().select().from(actionPlanItems).where(eq(actionPlanItems.id, items[0])).limit(1))!;
    expect(item.validatedByUserId).toBe((await userByEmail("partner@example.org")).id);
    expect(item.validatedAt).not.toBeNull();
    expect((await audits("action_plan.validate")).at(-1)).toMatchObject({ entityId: String(plan.shavonne), details: { eventId: victimId, itemId: items[0] } });
    // she may see the plan but not change it
    expect(status(await postPlan(cookies.partner, plan.shavonne, { intent: "add-item", action: "Partner item", status: "planned" }))).toBe(403);
    // and the agency overview counts the agency's plans
    const agency = await agencyActionPlans(await sessionUser("partner@example.org"));
    // four plans of the 2023 training, three of the training that ended a month ago
    expect(agency.totals.plans).toBe(7);
    expect(agency.events.map((e) => e.eventId)).toEqual([firstRow(await db().select().from(events).where(eq(events.title, DEMO_EVENTS.recent)).limit(1))!.id, victimId]);
  });

  it("refuses to validate an item that is not done, and changes nothing", async () => {
    // an item of Shavonne's that the officer has not marked done (earlier tests move her items on)
    const open = firstRow(await db().select().from(actionPlanItems).where(and(eq(actionPlanItems.planId, plan.shavonne), eq(actionPlanItems.status, "in_progress"))).limit(1))
      ?? firstRow(await db().update(actionPlanItems).set({ status: "in_progress" }).where(eq(actionPlanItems.id, items[1])).returning());
    const notDone = open!.id;
    const validations = (await audits("action_plan.validate")).length;
    const refused = unwrap(await postPlan(cookies.partner, plan.shavonne, { intent: "validate", itemId: String(notDone) }));
    expect(refused.status).toBe(400);
    expect(refused.data.errors.form).toBe("actionPlans.errors.validateOnlyDone");
    expect(firstRow(await db().select().from(actionPlanItems).where(eq(actionPlanItems.id, notDone)).limit(1))!).toMatchObject({ validatedAt: null, validatedByUserId: null });
    expect(await audits("action_plan.validate")).toHaveLength(validations);
    // the page offers the validation for done items only
    const { data } = unwrap(await getPlan(cookies.partner, plan.shavonne));
    const referral = data.items.find((i: { id: number }) => i.id === notDone);
    expect(referral).toMatchObject({ status: "in_progress", validatedAt: null });
  });

  it("refuses a partner of another agency: the plans are not theirs to see (404)", async () => {
    expect(status(await getPlan(otherAgencyPartner, plan.shavonne))).toBe(404);
    expect(status(await postPlan(otherAgencyPartner, plan.shavonne, { intent: "validate", itemId: String(items[2]) }))).toBe(404);
    expect(firstRow(await db().select().from(actionPlanItems).where(eq(actionPlanItems.id, items[2])).limit(1))!.validatedAt).toBeNull();
    expect(status(await getTab(otherAgencyPartner))).toBe(404);
  });

  it("lets a coordinator comment (and only a coordinator or admin)", async () => {
    const response = (await postPlan(cookies.coordinator, plan.shavonne, { intent: "comment", body: "Well done on the checklist — please share it with the Bimini office." })) as Response;
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe(`${planUrl(plan.shavonne)}?done=comment#comments`);
    const comments = await db().select().from(actionPlanComments).where(eq(actionPlanComments.planId, plan.shavonne));
    expect(comments).toHaveLength(2);
    expect(comments[1].authorUserId).toBe((await userByEmail("coordinator@example.org")).id);
    expect(JSON.stringify((await audits("action_plan.comment")).at(-1)!.details)).not.toContain("Bimini");
    // the coordinator reads and comments, but does not write the officer's plan
    expect(status(await postPlan(cookies.coordinator, plan.shavonne, { intent: "add-item", action: "Coordinator item", status: "planned" }))).toBe(403);
    expect(status(await postPlan(cookies.coordinator, plan.shavonne, { intent: "validate", itemId: String(items[2]) }))).toBe(403);
    // the facilitator of the training reads the plans, and may not comment
    expect(status(await getPlan(cookies.facilitator, plan.shavonne))).toBe(200);
    expect(status(await postPlan(cookies.facilitator, plan.shavonne, { intent: "comment", body: "Hello" }))).toBe(403);
    // the officer herself may not validate her own items
    expect(status(await postPlan(cookies.participant, plan.shavonne, { intent: "validate", itemId: String(items[2]) }))).toBe(403);
  });

  it("shows coordinators the event overview: plans submitted, items by status, overdue items", async () => {
    const { status: code, data } = unwrap(await getTab(cookies.coordinator));
    expect(code).toBe(200);
    expect(data.counts.plans).toBe(4);
    expect(data.counts.submitted).toBe(4);
    const all = await db().select().from(actionPlanItems).innerJoin(actionPlans, eq(actionPlans.id, actionPlanItems.planId)).where(eq(actionPlans.eventId, victimId));
    expect(data.counts.items.total).toBe(all.length);
    const today = new Date().toISOString().slice(0, 10);
    const overdue = all.filter((r) => r.action_plan_items.status !== "done" && r.action_plan_items.targetDate && r.action_plan_items.targetDate < today);
    expect(data.counts.items.overdue).toBe(overdue.length);
    expect(data.counts.items.done + data.counts.items.planned + data.counts.items.in_progress + data.counts.items.blocked).toBe(all.length);
    const welfare = data.plans.find((p: { id: number }) => p.id === plan.welfare);
    expect(welfare.members.map((m: { name: string }) => m.name)).toEqual(["Crystal Deveaux", "Tamika Sands"]);
    expect(data.canManageTemplate).toBe(true);
  });

  it("gives donors no plan, only counts", async () => {
    expect(status(await getTab(cookies.donor))).toBe(403);
    expect(status(await getPlan(cookies.donor, plan.shavonne))).toBe(403);
    const counts = await actionPlanCounts(await sessionUser("donor@example.org"));
    // the programme's plans: four of the 2023 training, three of the training that ended a month ago
    expect(counts.plans).toBe(7);
    expect(Object.keys(counts)).toEqual(["plans", "submitted", "items"]);
    expect(JSON.stringify(counts)).not.toMatch(/Rolle|port|referral/i);
  });

  it("keeps the Bahamas plans away from a participant of the Bahrain training", async () => {
    expect(status(await getTab(bahrainParticipant))).toBe(404);
    expect(status(await getPlan(bahrainParticipant, plan.shavonne))).toBe(404);
    expect(status(await postPlan(bahrainParticipant, plan.shavonne, { intent: "progress", itemId: String(items[2]), note: "x" }))).toBe(404);
    expect(status(await getNew(bahrainParticipant))).toBe(404);
    // their own training's tab is theirs to use
    expect(unwrap(await getTab(bahrainParticipant, bahrainId)).data).toMatchObject({ own: null, canCreate: true, plans: [] });
  });
});

describe("writing a plan", () => {
  it("refuses a plan for an event the person did not attend", async () => {
    // the follow-up training is open (Shavonne can see it) but she is not on its roster
    const refused = unwrap(await postNew(cookies.participant, { title: "My plan", fromTemplate: "" }, followUpId));
    expect(refused.status).toBe(400);
    expect(refused.data.errors).toEqual({ form: "actionPlans.errors.didNotAttend" });
    expect(refused.data.values.title).toBe("My plan");
    expect(unwrap(await getNew(cookies.participant, followUpId)).data.eligibility).toBe("didNotAttend");
    expect(await db().select().from(actionPlans).where(eq(actionPlans.eventId, followUpId))).toHaveLength(0);
  });

  it("sends someone who already has a plan for the event to it", async () => {
    const response = (await getNew(cookies.participant)) as Response;
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe(planUrl(plan.shavonne));
    const again = unwrap(await postNew(cookies.participant, { title: "A second plan" }));
    expect(again.data.errors.form).toBe("actionPlans.errors.alreadyHasPlan");
  });

  it("lets the coordinator keep a template, and an officer start a group plan from it", async () => {
    expect(status(await postTemplate(cookies.participant, { intent: "save-title", title: "Template" }))).toBe(403);
    expect(status(await postTemplate(cookies.coordinator, { intent: "save-title", title: "Bringing the training into daily work" }))).toBe(302);
    expect(status(await postTemplate(cookies.coordinator, { intent: "add-item", action: "Integrate the referral mechanism into daily port procedures", targetDate: "2024-03-31" }))).toBe(302);
    expect(status(await postTemplate(cookies.coordinator, { intent: "add-item", action: "Brief colleagues on the indicators of trafficking" }))).toBe(302);
    expect(unwrap(await postTemplate(cookies.coordinator, { intent: "add-item", action: "Too early", targetDate: "2023-07-01" })).data.errors.targetDate).toBe(
      "actionPlans.errors.targetBeforeEvent",
    );
    const template = firstRow(await db().select().from(actionPlans).where(and(eq(actionPlans.eventId, victimId), eq(actionPlans.isTemplate, true))).limit(1))!;
    // the template is no plan: not listed, not counted, not reachable as one
    expect(unwrap(await getTab(cookies.coordinator)).data.counts.plans).toBe(4);
    expect(status(await getPlan(cookies.coordinator, template.id))).toBe(404);

    const form = unwrap(await getNew(dario)).data;
    expect(form.eligibility).toBe("ok");
    expect(form.template.items).toHaveLength(2);
    const latoya = firstRow(await db().select().from(people).where(and(eq(people.givenName, "Latoya"), eq(people.familyName, "Ferguson"))).limit(1))!;
    const ahmed = firstRow(await db().select().from(people).where(and(eq(people.givenName, "Ahmed"), eq(people.familyName, "Al Mahmood"))).limit(1))!;
    expect(form.candidates.map((c: { personId: number }) => c.personId)).toContain(latoya.id);
    // someone who already has a plan, or of another agency, cannot be a co-author
    expect(form.candidates.some((c: { name: string }) => c.name === "Theron Bain")).toBe(false);
    expect(unwrap(await postNew(dario, { title: "Port plan", memberPersonIds: String(ahmed.id) })).data.errors.memberPersonIds).toBe("actionPlans.errors.coAuthorOtherAgency");

    const created = (await postNew(dario, { title: "Indicators at the sea port", fromTemplate: "on", memberPersonIds: String(latoya.id) })) as Response;
    expect(created.status).toBe(302);
    const newId = Number(/action-plans\/(\d+)\?done=created$/.exec(created.headers.get("Location")!)![1]);
    const members = await db().select().from(actionPlanMembers).where(eq(actionPlanMembers.planId, newId));
    expect(members).toHaveLength(2);
    const copied = await db().select().from(actionPlanItems).where(eq(actionPlanItems.planId, newId)).orderBy(asc(actionPlanItems.position));
    expect(copied.map((i) => [i.action, i.targetDate, i.status])).toEqual([
      ["Integrate the referral mechanism into daily port procedures", "2024-03-31", "planned"],
      ["Brief colleagues on the indicators of trafficking", null, "planned"],
    ]);
    expect(firstRow(await db().select().from(actionPlans).where(eq(actionPlans.id, newId)).limit(1))).toMatchObject({ status: "draft", isTemplate: false });
    expect((await audits("action_plan.create")).at(-1)).toMatchObject({ entityId: String(newId), details: { eventId: victimId, members: 2, items: 2 } });
    // Dario's co-author is now taken; and another officer (Theron, already has a plan) cannot start a second
    expect(((await getNew(theron)) as Response).headers.get("Location")).toBe(planUrl(plan.theron));
  });
});

describe("attachments", () => {
  const bytes = new TextEncoder().encode("%PDF-1.4 referral checklist");
  let updateId: number;

  it("stores a file attached to a progress update under a random name, keeping the original name", async () => {
    const response = (await postWithFile(
      cookies.participant,
      plan.shavonne,
      { intent: "progress", itemId: String(items[2]), note: "Interview guide drafted; attached.", statusAfter: "in_progress" },
      { name: "Interview guide — draft 1.pdf", bytes },
    )) as Response;
    expect(response.status).toBe(302);
    const update = (await db().select().from(actionPlanUpdates).where(eq(actionPlanUpdates.itemId, items[2])).orderBy(asc(actionPlanUpdates.id))).at(-1)!;
    expect(update.attachmentName).toBe("Interview guide — draft 1.pdf");
    expect(update.attachmentPath).toMatch(/^[a-f0-9]{32}$/);
    expect(fs.readFileSync(path.join(uploadsDir(), update.attachmentPath!))).toEqual(Buffer.from(bytes));
    updateId = update.id;
    expect((await audits("action_plan.progress")).at(-1)!.details).toMatchObject({ updateId, attachment: true });
  });

  it("serves it, as a download, only to those who may see the plan", async () => {
    for (const cookie of [cookies.participant, cookies.partner, cookies.coordinator, cookies.admin, cookies.facilitator]) {
      const response = await getAttachment(cookie, updateId);
      expect(response.status).toBe(200);
      expect(response.headers.get("Content-Disposition")).toBe(
        `attachment; filename="Interview guide _ draft 1.pdf"; filename*=UTF-8''${encodeURIComponent("Interview guide — draft 1.pdf")}`,
      );
      expect(response.headers.get("Content-Type")).toBe("application/octet-stream");
      expect(response.headers.get("X-Content-Type-Options")).toBe("nosniff");
      expect(Buffer.from(await response.arrayBuffer())).toEqual(Buffer.from(bytes));
    }
    for (const cookie of [theron, bahrainParticipant, otherAgencyPartner, cookies.donor]) {
      expect((await getAttachment(cookie, updateId)).status).toBe(404);
    }
    expect((await getAttachment("", updateId)).status).toBe(302);
    const withoutFile = firstRow(await db().select().from(actionPlanUpdates).where(eq(actionPlanUpdates.itemId, items[1])).limit(1))!;
    expect((await getAttachment(cookies.participant, withoutFile.id)).status).toBe(404);
    // the plan page links it for those readers
    const { data } = unwrap(await getPlan(cookies.partner, plan.shavonne));
    const shown = data.items.find((i: { id: number }) => i.id === items[2]).updates.at(-1);
    expect(shown).toMatchObject({ attachmentName: "Interview guide — draft 1.pdf", attachmentUrl: `/action-plan-attachments/${updateId}` });
  });

  it("refuses a file over 5 MB without losing the note, and keeps nothing of it", async () => {
    const before = fs.readdirSync(uploadsDir()).length;
    const updates = (await db().select().from(actionPlanUpdates)).length;
    const refused = unwrap(
      await postWithFile(
        cookies.participant,
        plan.shavonne,
        { intent: "progress", itemId: String(items[2]), note: "Photos of the training of the morning shift." },
        { name: "photos.zip", bytes: new Uint8Array(ATTACHMENT_MAX_BYTES + 1) },
      ),
    );
    expect(refused.status).toBe(400);
    expect(refused.data).toMatchObject({ errors: { attachment: "actionPlans.errors.attachmentTooLarge" }, vars: { max: 5 }, values: { note: "Photos of the training of the morning shift." } });
    expect(await db().select().from(actionPlanUpdates)).toHaveLength(updates);
    expect(fs.readdirSync(uploadsDir())).toHaveLength(before);
  });

  it("lets only the plan's members attach files", async () => {
    const response = await postWithFile(cookies.partner, plan.shavonne, { intent: "progress", itemId: String(items[2]), note: "From the partner" }, { name: "x.pdf", bytes });
    expect(status(response)).toBe(403);
    expect(await postWithFile(theron, plan.shavonne, { intent: "progress", itemId: String(items[2]), note: "From Theron" }, { name: "x.pdf", bytes })).toHaveProperty("status", 404);
  });

  it("removes an item's attachments from disk with the item", async () => {
    const stored = firstRow(await db().select().from(actionPlanUpdates).where(eq(actionPlanUpdates.id, updateId)).limit(1))!.attachmentPath!;
    expect(status(await postPlan(cookies.participant, plan.shavonne, { intent: "remove-item", itemId: String(items[2]) }))).toBe(302);
    expect(fs.existsSync(path.join(uploadsDir(), stored))).toBe(false);
    expect((await getAttachment(cookies.participant, updateId)).status).toBe(404);
    expect((await audits("action_plan.item_remove")).at(-1)!.details).toMatchObject({ itemId: items[2], attachments: 1 });
  });
});

describe("attachment names", () => {
  const bytes = new TextEncoder().encode("%PDF-1.4 a file");
  /** One token (RFC 7230) or quoted string per parameter: what a valid RFC 6266 header of ours looks like. */
  const VALID_DISPOSITION = /^attachment; filename="[\x20\x21\x23-\x5b\x5d-\x7e]*"; filename\*=UTF-8''[A-Za-z0-9!#$&+\-.^_`|~%]+$/;

  async function latestUpdate() {
    return (await db().select().from(actionPlanUpdates).where(eq(actionPlanUpdates.itemId, items[1])).orderBy(asc(actionPlanUpdates.id))).at(-1)!;
  }

  async function upload(name: string) {
    const response = await postWithFile(cookies.participant, plan.shavonne, { intent: "progress", itemId: String(items[1]), note: `Attached ${name.length} characters` }, { name, bytes });
    expect(status(response)).toBe(302);
    return await latestUpdate();
  }

  /** The download's header, checked for validity; and the file name a browser takes from filename*. */
  async function downloadName(updateId: number) {
    const response = await getAttachment(cookies.partner, updateId);
    expect(response.status).toBe(200);
    const header = response.headers.get("Content-Disposition")!;
    expect(header).toMatch(VALID_DISPOSITION);
    expect(Buffer.from(await response.arrayBuffer())).toEqual(Buffer.from(bytes));
    return { header, name: decodeURIComponent(header.split("filename*=UTF-8''")[1]) };
  }

  it("drops a right-to-left override, so that 'gnp.exe' is not shown as 'exe.png'", async () => {
    const update = await upload("\u202Egnp.exe");
    expect(update.attachmentName).toBe("gnp.exe");
    const { header, name } = await downloadName(update.id);
    expect(header).toBe(`attachment; filename="gnp.exe"; filename*=UTF-8''gnp.exe`);
    expect(name).toBe("gnp.exe");
    // every other bidirectional control and mark goes too
    const marked = await upload("re\u202Aport\u202B\u202C\u202D\u2066\u2067\u2068\u2069\u200E\u200F\u061C.pdf");
    expect(marked.attachmentName).toBe("report.pdf");
  });

  it("takes a name with a quote and CR LF, as a browser sends it, and serves it with a valid header", async () => {
    const update = await upload('a"b\r\nc.png');
    expect(update.attachmentName).not.toMatch(/[\r\n"]/);
    const { name } = await downloadName(update.id);
    expect(name).toBe(update.attachmentName);
  });

  it("answers a hand-made upload whose file name breaks the multipart header with 400, not 500, and stores nothing", async () => {
    const before = (await db().select().from(actionPlanUpdates)).length;
    const files = fs.readdirSync(uploadsDir()).length;
    const boundary = "----convene-test-boundary";
    const part = (headers: string, body: string) => `--${boundary}\r\n${headers}\r\n\r\n${body}\r\n`;
    const body =
      part('Content-Disposition: form-data; name="intent"', "progress") +
      part('Content-Disposition: form-data; name="itemId"', String(items[1])) +
      part('Content-Disposition: form-data; name="note"', "Hand-made") +
      part('Content-Disposition: form-data; name="attachment"; filename="a\\"b\r\nc.png"\r\nContent-Type: image/png', "PNG") +
      `--${boundary}--\r\n`;
    const request = new Request(`${APP}${planUrl(plan.shavonne)}`, {
      method: "POST",
      body,
      headers: { Cookie: cookies.participant, Origin: APP, "Content-Type": `multipart/form-data; boundary=${boundary}` },
    });
    const result = await call(planPage.action, request, { eventId: String(victimId), planId: String(plan.shavonne) });
    expect(status(result)).toBe(400);
    expect(await db().select().from(actionPlanUpdates)).toHaveLength(before);
    expect(fs.readdirSync(uploadsDir())).toHaveLength(files);
  });

  it("keeps Arabic and accented names intact, in filename* (UTF-8), with an ASCII filename for old clients", async () => {
    const arabic = await upload("خطة العمل — الربع الأول.pdf");
    expect(arabic.attachmentName).toBe("خطة العمل — الربع الأول.pdf");
    const served = await downloadName(arabic.id);
    expect(served.name).toBe("خطة العمل — الربع الأول.pdf");
    expect(served.header).toContain(`filename*=UTF-8''${encodeURIComponent("خطة العمل — الربع الأول.pdf")}`);
    expect(served.header).toMatch(/^attachment; filename="[_ ]+\.pdf";/);
    // Arabic with an Arabic letter mark (U+061C) hidden inside: the mark goes, the letters stay
    const marked = await upload("تقرير\u061C.pdf");
    expect(marked.attachmentName).toBe("تقرير.pdf");
    const accented = await downloadName((await upload("Évaluation (finale)'s.pdf")).id);
    expect(accented.header).toBe(`attachment; filename="Evaluation (finale)'s.pdf"; filename*=UTF-8''%C3%89valuation%20%28finale%29%27s.pdf`);
  });

  it("serves names stored before they were cleaned safely, and shows them cleaned on the plan page", async () => {
    const update = await upload("report.pdf");
    const stored = 'evil\u202Egnp.exe"\r\nX-Injected: 1\u0085\u0000\ud800';
    await db().update(actionPlanUpdates).set({ attachmentName: stored }).where(eq(actionPlanUpdates.id, update.id));
    const response = await getAttachment(cookies.partner, update.id);
    expect(response.status).toBe(200);
    expect(response.headers.get("X-Injected")).toBeNull();
    // (SQLite keeps a lone surrogate as three bytes that each read back as U+FFFD)
    const { name } = await downloadName(update.id);
    expect(name).toMatch(/^evilgnp\.exe"X-Injected: 1\ufffd+$/);
    const { data } = unwrap(await getPlan(cookies.partner, plan.shavonne));
    const shown = data.items.find((i: { id: number }) => i.id === items[1]).updates.find((u: { id: number }) => u.id === update.id);
    expect(shown.attachmentName).toBe(name);
  });
});
