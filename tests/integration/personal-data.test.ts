import fs from "node:fs";
import { and, asc, eq, inArray } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb, firstRow } from "../../db/client";
import {
  actionPlanItems,
  actionPlanMembers,
  actionPlans,
  actionPlanUpdates,
  auditLog,
  authSessions,
  certificates,
  consents,
  emailOutbox,
  events,
  eventSessions as eventSessionsTable,
  people,
  registrations,
  sessionFacilitators,
  users,
} from "../../db/schema";
import { DEMO_EVENTS, seedDemo } from "../../db/seed/demo";
import type { SessionUser } from "~/auth/session.server";
import { setClock } from "~/lib/clock";
import { addMonthsToDay } from "~/lib/retention";
import { addProgressUpdate, attachmentFile } from "~/models/action-plans.server";
import { duplicateEvent } from "~/models/events.server";
import { enqueueEmail } from "~/models/outbox.server";
import { ANONYMISED_GIVEN_NAME, anonymisePerson, runRetention } from "~/models/personal-data.server";
import { activityReport } from "~/models/reports.server";
import * as certificatePage from "~/routes/certificates.$code";
import * as editEvent from "~/routes/events.$eventId.edit";
import * as overview from "~/routes/events.$eventId._index";
import * as roster from "~/routes/events.$eventId.roster";
import * as personPage from "~/routes/people.$personId";
import * as personData from "~/routes/people.$personId.data[.]json";
import * as peopleList from "~/routes/people._index";
import * as reportsCsv from "~/routes/reports[.]csv";
import { call, makeRequest, rawAll, rawGet, rawRun, sessionCookie, unwrap } from "../setup/helpers";

/**
 * Personal data (issue 10): the retention period on the event form, the retention run (with an
 * injected clock: nothing happens before an event's period is over; after it, its participants'
 * personal data is gone unless another event still needs it, and every report figure is the
 * same), and the admin's export and erasure of one person's data on request.
 */

const TODAY = new Date("2026-11-22T12:00:00Z");
const db = () => getDb();

const ids = { essentials: 0, media: 0, vi: 0, participantPerson: 0, facilitatorPerson: 0 };
const cookies: Record<string, string> = {};
let admin: SessionUser;

async function sessionUserOf(email: string): Promise<SessionUser> {
  const u = firstRow(await db().select().from(users).where(eq(users.email, email)).limit(1))!;
  return { id: u.id, email: u.email, name: u.name, role: u.role, organisationId: u.organisationId, locale: u.locale };
}
const eventId = async (title: string) => firstRow(await db().select({ id: events.id }).from(events).where(eq(events.title, title)).limit(1))!.id;
const personRow = async (id: number) => firstRow(await db().select().from(people).where(eq(people.id, id)).limit(1))!;
const peopleOn = async (event: number) =>
  (await db().selectDistinct({ id: registrations.personId }).from(registrations).where(eq(registrations.eventId, event))).map((r) => r.id);

/** Every figure of the reports (all events, every year), as admins see them, and the CSV export. */
async function reportFigures() {
  const filters = { from: "2020-01-01", to: "2030-12-31" };
  const figures = JSON.stringify(await activityReport(admin, filters));
  // the CSV says when it was produced: the same instant both times
  setClock(() => TODAY.getTime());
  try {
    const response = (await call(reportsCsv.loader, makeRequest(`/reports.csv?from=${filters.from}&to=${filters.to}`, { cookie: cookies.admin }))) as Response;
    expect(response.status).toBe(200);
    return { figures, csv: await response.text() };
  } finally {
    setClock(null);
  }
}

beforeAll(async () => {
  await seedDemo(db(), { today: TODAY });
  ids.essentials = await eventId(DEMO_EVENTS.essentials);
  ids.media = await eventId(DEMO_EVENTS.media);
  ids.vi = await eventId(DEMO_EVENTS.victimIdentification);
  admin = await sessionUserOf("admin@example.org");
  for (const role of ["admin", "coordinator", "participant"] as const) cookies[role] = await sessionCookie(await sessionUserOf(`${role}@example.org`));
  ids.participantPerson = firstRow(await db().select({ id: people.id }).from(people).where(eq(people.userId, (await sessionUserOf("participant@example.org")).id)).limit(1))!.id;
  ids.facilitatorPerson = firstRow(await db().select({ id: people.id }).from(people).where(eq(people.userId, (await sessionUserOf("facilitator@example.org")).id)).limit(1))!.id;
});

describe("the retention period on the event form", () => {
  async function editValues(event: number) {
    const loaded = unwrap(await call(editEvent.loader, makeRequest(`/events/${event}/edit`, { cookie: cookies.coordinator }), { eventId: String(event) }));
    return loaded.data.event.values as Record<string, string | string[]>;
  }
  async function save(event: number, retentionMonths: string) {
    const form = { ...(await editValues(event)), retentionMonths };
    return unwrap(await call(editEvent.action, makeRequest(`/events/${event}/edit`, { cookie: cookies.coordinator, form }), { eventId: String(event) }));
  }

  it("refuses a period outside 1–240 months or not a whole number, with a message, and changes nothing", async () => {
    for (const bad of ["0", "241", "-3", "1.5", "twelve"]) {
      const result = await save(ids.essentials, bad);
      expect(result.status, bad).toBe(400);
      expect(result.data.errors.retentionMonths).toBe("events.form.errors.retention");
    }
    expect(firstRow(await db().select({ m: events.retentionMonths }).from(events).where(eq(events.id, ids.essentials)).limit(1))!.m).toBeNull();
  });

  it("saves a period, shows it on the overview to planners with the last day kept, and empties it again", async () => {
    expect((await save(ids.essentials, "12")).status).toBe(302);
    expect(firstRow(await db().select({ m: events.retentionMonths }).from(events).where(eq(events.id, ids.essentials)).limit(1))!.m).toBe(12);
    expect((await editValues(ids.essentials)).retentionMonths).toBe("12");
    const asCoordinator = unwrap(await call(overview.loader, makeRequest(`/events/${ids.essentials}`, { cookie: cookies.coordinator }), { eventId: String(ids.essentials) }));
    expect(asCoordinator.data.event.retentionMonths).toBe(12);
    expect(addMonthsToDay(asCoordinator.data.event.endDate, 12)).toBe("2024-07-28");
    expect((await save(ids.essentials, "")).status).toBe(302);
    expect(firstRow(await db().select({ m: events.retentionMonths }).from(events).where(eq(events.id, ids.essentials)).limit(1))!.m).toBeNull();
  });

  it("adds months to a day, clamping to the end of a shorter month", () => {
    expect(addMonthsToDay("2023-07-28", 12)).toBe("2024-07-28");
    expect(addMonthsToDay("2024-01-31", 1)).toBe("2024-02-29");
    expect(addMonthsToDay("2023-11-30", 3)).toBe("2024-02-29");
    expect(addMonthsToDay("2023-08-10", 240)).toBe("2043-08-10");
  });
});

describe("the retention run", () => {
  let before: Awaited<ReturnType<typeof reportFigures>>;
  let onlyEssentials: number[];
  let essentialsAndVi: number[];
  let attachment: string;
  let pendingEmail: number;
  let sentEmail: number;

  beforeAll(async () => {
    // this run follows the participant through the 2023 trainings: her places in the demo's
    // trainings of the present (kept without limit) are taken off first, with her plan there
    const present = [await eventId(DEMO_EVENTS.current), await eventId(DEMO_EVENTS.recent)];
    await db().delete(actionPlans).where(and(inArray(actionPlans.eventId, present), inArray(actionPlans.id, db().select({ id: actionPlanMembers.planId }).from(actionPlanMembers).where(eq(actionPlanMembers.personId, ids.participantPerson)))));
    await db().delete(consents).where(and(inArray(consents.eventId, present), eq(consents.personId, ids.participantPerson)));
    await db().delete(registrations).where(and(inArray(registrations.eventId, present), eq(registrations.personId, ids.participantPerson)));
    // Essentials (ends 2023-07-28): 12 months; the victim-identification training (ends 2023-08-10,
    // six of its officers were also at Essentials): kept without limit for now
    await db().update(events).set({ retentionMonths: 12 }).where(eq(events.id, ids.essentials));
    const vi = new Set((await peopleOn(ids.vi)));
    onlyEssentials = (await peopleOn(ids.essentials)).filter((p) => !vi.has(p));
    essentialsAndVi = (await peopleOn(ids.essentials)).filter((p) => vi.has(p));
    expect(onlyEssentials.length).toBeGreaterThan(0);
    expect(essentialsAndVi.length).toBeGreaterThan(0);

    // the participant's plan gets a progress note with a file; an email waits for them, another was sent
    const participant = await sessionUserOf("participant@example.org");
    const plan = firstRow(await db()
      .select({ id: actionPlans.id })
      .from(actionPlans)
      .innerJoin(actionPlanMembers, eq(actionPlanMembers.planId, actionPlans.id))
      .where(eq(actionPlanMembers.personId, ids.participantPerson)).limit(1))!.id;
    const item = firstRow(await db().select({ id: actionPlanItems.id }).from(actionPlanItems).where(eq(actionPlanItems.planId, plan)).orderBy(asc(actionPlanItems.id)).limit(1))!.id;
    const updateId = await addProgressUpdate({ user: participant, ip: null }, { eventId: ids.vi, planId: plan }, item, {
      note: "Briefed the night shift at Lynden Pindling",
      attachment: { name: "briefing.pdf", bytes: new TextEncoder().encode("%PDF-1.4 briefing") },
    });
    attachment = attachmentFile(firstRow(await db().select({ p: actionPlanUpdates.attachmentPath }).from(actionPlanUpdates).where(eq(actionPlanUpdates.id, updateId)).limit(1))!.p!)!;
    expect(fs.existsSync(attachment)).toBe(true);
    await db().transaction(async (tx) => {
      await enqueueEmail(tx, { kind: "certificate_issued", to: participant.email, userId: participant.id, subject: "Pending for Shavonne", html: "<p>Dear Shavonne</p>", text: "Dear Shavonne" });
      await enqueueEmail(tx, { kind: "certificate_issued", to: participant.email, userId: participant.id, subject: "Sent to Shavonne", html: "<p>Dear Shavonne</p>", text: "Dear Shavonne" });
    });
    pendingEmail = firstRow(await db().select({ id: emailOutbox.id }).from(emailOutbox).where(eq(emailOutbox.subject, "Pending for Shavonne")).limit(1))!.id;
    sentEmail = firstRow(await db().select({ id: emailOutbox.id }).from(emailOutbox).where(eq(emailOutbox.subject, "Sent to Shavonne")).limit(1))!.id;
    await db().update(emailOutbox).set({ status: "sent", sentAt: new Date("2023-08-11T12:00:00Z") }).where(eq(emailOutbox.id, sentEmail));

    before = await reportFigures();
  });

  it("changes nothing before the last day of the period is over in the event's zone", async () => {
    const snapshot = JSON.stringify(await db().select().from(people).orderBy(asc(people.id)));
    // 23:00 on 2024-07-28 in Nassau, the last day kept (2023-07-28 + 12 months)
    const result = await runRetention(db(), new Date("2024-07-29T03:00:00Z"));
    expect(result.events).toEqual([]);
    expect(JSON.stringify(await db().select().from(people).orderBy(asc(people.id)))).toBe(snapshot);
    expect(firstRow(await db().select({ at: events.personalDataAnonymisedAt }).from(events).where(eq(events.id, ids.essentials)).limit(1))!.at).toBeNull();
  });

  it("then anonymises the people of the event that no other event needs, and every report figure stays the same", async () => {
    const at = new Date("2024-07-29T05:00:00Z"); // 01:00 on 2024-07-29 in Nassau
    const kept = await Promise.all(essentialsAndVi.map(async (id) => await personRow(id)));
    const result = await runRetention(db(), at);
    expect(result.events).toEqual([{ eventId: ids.essentials, anonymised: onlyEssentials, kept: essentialsAndVi.length }]);

    for (const id of onlyEssentials) {
      const p = await personRow(id);
      expect(p.givenName).toBe(ANONYMISED_GIVEN_NAME);
      expect(p.familyName).toBe(`#${id}`);
      expect([p.email, p.phone, p.position, p.dietaryNeeds, p.accessibilityNeeds]).toEqual([null, null, null, null, null]);
      expect(p.anonymisedAt?.getTime()).toBe(at.getTime());
    }
    // on the victim-identification training too, which keeps its data: untouched
    for (const p of kept) expect(await personRow(p.id)).toEqual(p);
    expect(firstRow(await db().select({ at: events.personalDataAnonymisedAt }).from(events).where(eq(events.id, ids.essentials)).limit(1))!.at?.getTime()).toBe(at.getTime());

    expect(await reportFigures()).toEqual(before);

    // the audit log says who and how many, never what was removed
    const entries = await db().select().from(auditLog).where(inArray(auditLog.action, ["person.anonymise", "event.retention"]));
    expect(entries.length).toBe(onlyEssentials.length + 1);
    const removed = onlyEssentials.length > 0 ? JSON.stringify(entries) : "";
    for (const name of ["@", "Officer", "Immigration"]) expect(removed).not.toContain(name);

    // a second run finds nothing left to do
    expect((await runRetention(db(), new Date("2024-09-01T12:00:00Z"))).events).toEqual([]);
  });

  it("anonymises the rest when the last event's period ends: account disabled, texts, files and emails gone, certificate still verifying", async () => {
    await db().update(events).set({ retentionMonths: 24 }).where(eq(events.id, ids.vi));
    const participant = await sessionUserOf("participant@example.org");
    const certificate = firstRow(await db()
      .select({ code: certificates.code })
      .from(certificates)
      .innerJoin(registrations, eq(registrations.id, certificates.registrationId))
      .where(eq(registrations.personId, ids.participantPerson)).limit(1))!;
    const facilitatorBefore = await personRow(ids.facilitatorPerson);
    expect((await db().select().from(authSessions).where(eq(authSessions.userId, participant.id))).length).toBeGreaterThan(0);

    expect((await runRetention(db(), new Date("2025-08-10T12:00:00Z"))).events).toEqual([]); // the last day kept
    const result = await runRetention(db(), new Date("2025-08-11T12:00:00Z"));
    expect(result.events.map((e) => e.eventId)).toEqual([ids.vi]);

    // the six also at Essentials: now every event of theirs is past its period
    for (const id of essentialsAndVi) expect((await personRow(id)).anonymisedAt).not.toBeNull();
    // the facilitator (a staff account, and on the open follow-up training) keeps everything
    expect(await personRow(ids.facilitatorPerson)).toEqual(facilitatorBefore);

    const me = await personRow(ids.participantPerson);
    expect(me.givenName).toBe(ANONYMISED_GIVEN_NAME);
    expect(me.email).toBeNull();
    const account = firstRow(await db().select().from(users).where(eq(users.id, participant.id)).limit(1))!;
    expect(account.disabledAt).not.toBeNull();
    expect(account.passwordHash).toBeNull();
    expect(account.email).not.toContain("participant@example.org");
    expect(account.name).not.toContain("Rolle");
    expect(await db().select().from(authSessions).where(eq(authSessions.userId, participant.id))).toEqual([]);
    expect(unwrap(await call(peopleList.loader, makeRequest("/people", { cookie: cookies.participant }))).status).toBe(302);

    const plans = await db()
      .select({ id: actionPlans.id, title: actionPlans.title, members: actionPlanMembers.personId })
      .from(actionPlans)
      .innerJoin(actionPlanMembers, eq(actionPlanMembers.planId, actionPlans.id))
      .where(eq(actionPlanMembers.personId, ids.participantPerson));
    for (const plan of plans) {
      expect(plan.title).toBe("—");
      const items = await db().select().from(actionPlanItems).where(eq(actionPlanItems.planId, plan.id));
      expect(items.every((i) => i.action === "—" && i.responsible === null && i.indicator === null)).toBe(true);
    }
    const notes = await db().select({ note: actionPlanUpdates.note, path: actionPlanUpdates.attachmentPath }).from(actionPlanUpdates).where(eq(actionPlanUpdates.authorUserId, participant.id));
    expect(notes.length).toBeGreaterThan(0);
    expect(notes.every((n) => n.note === "—" && n.path === null)).toBe(true);
    expect(fs.existsSync(attachment)).toBe(false);
    expect((await db().select().from(consents).where(eq(consents.personId, ids.participantPerson))).every((c) => c.wording === "")).toBe(true);

    expect(firstRow(await db().select().from(emailOutbox).where(eq(emailOutbox.id, pendingEmail)).limit(1))).toBeUndefined();
    const sent = firstRow(await db().select().from(emailOutbox).where(eq(emailOutbox.id, sentEmail)).limit(1))!;
    expect(sent.subject).toBe("Sent to Shavonne"); // the subject stays: it names the event, and the export lists it
    expect([sent.toAddress.includes("participant@example.org"), sent.html, sent.text]).toEqual([false, "", ""]);

    // the certificate still verifies, without a name
    const verified = unwrap(await call(certificatePage.loader, makeRequest(`/certificates/${certificate.code}`), { code: certificate.code }));
    expect(verified.status).toBe(200);
    expect(verified.data.state).toBe("valid");
    expect(verified.data.name).toBeNull();

    expect(await reportFigures()).toEqual(before);
  });

  it("shows anonymised people by their placeholder on the roster, the people list and their page", async () => {
    const rosterPage = unwrap(await call(roster.loader, makeRequest(`/events/${ids.vi}/roster`, { cookie: cookies.coordinator }), { eventId: String(ids.vi) }));
    expect(rosterPage.status).toBe(200);
    const row = (rosterPage.data.rows as { personId: number; anonymised: number }[]).find((r) => r.personId === ids.participantPerson)!;
    expect(Boolean(row.anonymised)).toBe(true);
    const list = unwrap(await call(peopleList.loader, makeRequest("/people", { cookie: cookies.coordinator })));
    expect(list.status).toBe(200);
    const listed = (list.data.result.rows as { id: number; anonymised: number }[]).find((r) => r.id === ids.participantPerson)!;
    expect(Boolean(listed.anonymised)).toBe(true);
    const page = unwrap(await call(personPage.loader, makeRequest(`/people/${ids.participantPerson}`, { cookie: cookies.coordinator }), { personId: String(ids.participantPerson) }));
    expect(page.status).toBe(200);
    expect(page.data.person.anonymisedAt).not.toBeNull();
    expect(page.data.duplicates).toEqual([]);
    // the record cannot be edited back
    const update = unwrap(
      await call(
        personPage.action,
        makeRequest(`/people/${ids.participantPerson}`, { cookie: cookies.coordinator, form: { intent: "update", givenName: "Shavonne", familyName: "Rolle" } }),
        { personId: String(ids.participantPerson) },
      ),
    );
    expect(update.status).toBe(400);
    expect(update.data.errors.form).toBe("personalData.errors.readOnly");
    expect((await personRow(ids.participantPerson)).givenName).toBe(ANONYMISED_GIVEN_NAME);
  });

  it("gives a copy of a processed event its own, untouched retention", async () => {
    const copy = await duplicateEvent({ user: admin, ip: null }, ids.essentials, "2027-07-26");
    const row = firstRow(await db().select({ m: events.retentionMonths, at: events.personalDataAnonymisedAt }).from(events).where(eq(events.id, copy)).limit(1))!;
    expect(row).toEqual({ m: 12, at: null });
  });

  it("anonymisePerson leaves an already anonymised person alone", async () => {
    const beforeRow = await personRow(ids.participantPerson);
    expect(await db().transaction(async (tx) => await anonymisePerson(tx, ids.participantPerson, new Date(), "request"))).toBeNull();
    expect(await personRow(ids.participantPerson)).toEqual(beforeRow);
  });
});

describe("export and erasure on request", () => {
  let media: number[];
  let subject: number;
  let other: number;

  beforeAll(async () => {
    media = [];
    for (const id of await peopleOn(ids.media)) {
      const row = await personRow(id);
      if (row.anonymisedAt === null && row.userId === null) media.push(id);
    }
    [subject, other] = media;
    await db().update(people).set({ phone: "+1 242 555 0123", dietaryNeeds: "Vegetarian, no shellfish" }).where(eq(people.id, subject));
  });

  const dataRequest = async (personId: number, cookie: string) =>
    await call(personData.loader, makeRequest(`/people/${personId}/data.json`, { cookie }), { personId: String(personId) });
  const erase = async (personId: number, confirmation: string, cookie = cookies.admin) =>
    await call(personPage.action, makeRequest(`/people/${personId}`, { cookie, form: { intent: "erase", confirmation } }), { personId: String(personId) });

  it("exports everything about the person to an admin, nothing about anyone else, never cached, and audited", async () => {
    const me = await personRow(subject);
    const them = await personRow(other);
    const response = (await dataRequest(subject, cookies.admin)) as Response;
    expect(response.status).toBe(200);
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    expect(response.headers.get("Content-Type")).toContain("application/json");
    expect(response.headers.get("Content-Disposition")).toContain(`person-${subject}-data.json`);
    const text = await response.text();
    const data = JSON.parse(text);
    expect(data.person.id).toBe(subject);
    for (const value of [me.givenName, me.familyName, me.email!, "+1 242 555 0123", "Vegetarian, no shellfish"]) expect(text).toContain(value);
    expect(data.registrations.map((r: { eventId: number }) => r.eventId)).toEqual([ids.media]);
    expect(data.registrations[0].attendance.length).toBeGreaterThan(0);
    for (const value of [them.familyName, them.email!]) expect(text).not.toContain(value);
    expect(text).not.toContain("password");
    const audited = await db().select().from(auditLog).where(and(eq(auditLog.action, "export.personal_data"), eq(auditLog.entityId, String(subject))));
    expect(audited.length).toBe(1);
    expect(audited[0].userId).toBe(admin.id);
  });

  it("lists the person's knowledge-test scores and that they answered a feedback form, never the answers", async () => {
    const [registration] = await rawAll<{ id: number }>(`select id from registrations where person_id = ? and event_id = ?`, subject, ids.media);
    const test = (await rawGet<{ id: number }>(`insert into knowledge_tests (event_id) values (?) returning id`, ids.media))!;
    await rawRun(
      `insert into knowledge_test_attempts (test_id, registration_id, phase, source, correct, total, submitted_at) values (?, ?, 'pre', 'paper', 7, 15, ?)`,
      test.id, registration.id, Date.parse("2025-03-10T09:00:00Z"),
    );
    const form = (await rawGet<{ id: number }>(`insert into feedback_forms (event_id, opened_at) values (?, ?) returning id`, ids.media, Date.now()))!;
    await rawRun(`insert into feedback_respondents (form_id, person_id) values (?, ?)`, form.id, subject);
    try {
      const data = JSON.parse(await ((await dataRequest(subject, cookies.admin)) as Response).text());
      const exported = data.registrations.find((r: { eventId: number }) => r.eventId === ids.media);
      expect(exported.knowledgeTests).toEqual([{ phase: "pre", source: "paper", correct: 7, total: 15, submittedAt: "2025-03-10T09:00:00.000Z" }]);
      expect(exported.answeredFeedbackForm).toBe(true);
      const theirs = JSON.parse(await ((await dataRequest(other, cookies.admin)) as Response).text());
      expect(theirs.registrations.find((r: { eventId: number }) => r.eventId === ids.media)).toMatchObject({ knowledgeTests: [], answeredFeedbackForm: false });
    } finally {
      await rawRun(`delete from feedback_forms where id = ?`, form.id);
      await rawRun(`delete from knowledge_tests where id = ?`, test.id);
    }
  });

  it("includes the account without its password hash, the plan and the emails of a person with a login", async () => {
    // the anonymised participant: what is left is still theirs to ask for
    const response = (await dataRequest(ids.participantPerson, cookies.admin)) as Response;
    const data = JSON.parse(await response.text());
    expect(data.account.id).toBe((await sessionUserOf(`anonymised-${ids.participantPerson}@anonymised.invalid`)).id);
    expect(data.account).not.toHaveProperty("passwordHash");
    expect(data.actionPlans.length).toBeGreaterThan(0);
    expect(data.emails.map((e: { subject: string }) => e.subject)).toContain("Sent to Shavonne");
    expect(data.registrations.some((r: { certificate: unknown }) => r.certificate !== null)).toBe(true);
  });

  it("exports each plan's items, progress notes and comments, grouped under the right plan and item", async () => {
    // the member of a plan with the most progress notes, and one of a group plan
    const busiest = (await rawGet<{ personId: number }>(
      `select m.person_id as "personId" from action_plan_members m join action_plan_items i on i.plan_id = m.plan_id
       join action_plan_updates u on u.item_id = i.id group by m.person_id order by count(*) desc, m.person_id limit 1`,
    ))!;
    const grouped = await rawGet<{ personId: number }>(
      'select person_id as "personId" from action_plan_members where plan_id in (select plan_id from action_plan_members group by plan_id having count(*) > 1) order by person_id limit 1',
    );
    const people = [busiest.personId, ...(grouped ? [grouped.personId] : [])];
    let notes = 0;
    for (const personId of people) {
      const data = JSON.parse(await ((await dataRequest(personId, cookies.admin)) as Response).text());
      const userId = (await rawGet<{ u: string | null }>("select user_id as u from people where id = ?", personId))!.u;
      const planIds = (await rawAll<{ id: number }>("select plan_id as id from action_plan_members where person_id = ? order by plan_id", personId)).map((r) => r.id);
      expect(data.actionPlans.map((p: { id: number }) => p.id)).toEqual(planIds);
      for (const plan of data.actionPlans as { id: number; members: number; items: { id: number; updates: { id: number; byThisPerson: boolean }[] }[]; comments: { body: string }[] }[]) {
        const items = await rawAll<{ id: number }>("select id from action_plan_items where plan_id = ? order by position, id", plan.id);
        expect(plan.items.map((i) => i.id)).toEqual(items.map((i) => i.id));
        for (const item of plan.items) {
          const updates = await rawAll<{ id: number; author: string | null }>("select id, author_user_id as author from action_plan_updates where item_id = ? order by created_at, id", item.id);
          const own = updates.filter((u) => plan.members === 1 || (userId !== null && u.author === userId));
          expect(item.updates.map((u) => u.id).sort((a, b) => a - b)).toEqual(own.map((u) => u.id).sort((a, b) => a - b));
          expect(item.updates.map((u) => u.byThisPerson)).toEqual(item.updates.map((u) => userId !== null && updates.find((x) => x.id === u.id)!.author === userId));
          notes += item.updates.length;
        }
        const comments = await rawAll<{ body: string }>("select body from action_plan_comments where plan_id = ? order by created_at, id", plan.id);
        expect(plan.comments.map((c) => c.body)).toEqual(comments.map((c) => c.body));
      }
    }
    expect(notes).toBeGreaterThan(0);
  });

  it("refuses the export to coordinators (403)", async () => {
    expect(unwrap(await dataRequest(subject, cookies.coordinator)).status).toBe(403);
  });

  it("changes nothing on a wrong confirmation, nor for a coordinator", async () => {
    const rowBefore = await personRow(subject);
    for (const word of ["", "erase", "DELETE", rowBefore.familyName]) {
      const result = unwrap(await erase(subject, word));
      expect(result.status, word).toBe(400);
      expect(result.data.errors.confirmation).toBe("personalData.errors.confirmation");
    }
    expect(unwrap(await erase(subject, "ERASE", cookies.coordinator)).status).toBe(403);
    expect(await personRow(subject)).toEqual(rowBefore);
  });

  it("erases the personal fields, keeps the aggregates, and refuses a second time with a message", async () => {
    const figures = await reportFigures();
    const otherBefore = await personRow(other);
    const result = unwrap(await erase(subject, " ERASE "));
    expect(result.status).toBe(302);
    const p = await personRow(subject);
    expect([p.givenName, p.familyName, p.email, p.phone, p.dietaryNeeds]).toEqual([ANONYMISED_GIVEN_NAME, `#${subject}`, null, null, null]);
    expect(p.sex).not.toBeNull();
    expect(await personRow(other)).toEqual(otherBefore);
    expect(await reportFigures()).toEqual(figures);
    const audited = firstRow(await db().select().from(auditLog).where(and(eq(auditLog.action, "person.anonymise"), eq(auditLog.entityId, String(subject)))).limit(1))!;
    expect(audited.userId).toBe(admin.id);
    expect(audited.details).toMatchObject({ reason: "request" });

    const again = unwrap(await erase(subject, "ERASE"));
    expect(again.status).toBe(400);
    expect(again.data.errors.confirmation).toBe("personalData.errors.alreadyAnonymised");
  });

  it("does not let an admin erase their own record", async () => {
    const own = (await db().insert(people).values({ givenName: "Elena", familyName: "Vasquez", userId: admin.id }).returning())[0].id;
    const result = unwrap(await erase(own, "ERASE"));
    expect(result.status).toBe(400);
    expect(result.data.errors.confirmation).toBe("personalData.errors.ownRecord");
    expect((await personRow(own)).familyName).toBe("Vasquez");
  });
});

describe("who the retention run keeps", () => {
  it("keeps a person also on an event without a retention period, even as a roster person facilitating one of its sessions", async () => {
    const event = async (title: string, retentionMonths: number | null) =>
      (await db()
        .insert(events)
        .values({ title, type: "training", country: "BS", timeZone: "America/Nassau", startDate: "2020-01-08", endDate: "2020-01-10", status: "completed", retentionMonths })
        .returning())[0].id;
    const past = await event("Retention: past", 1);
    const kept = await event("Retention: kept without limit", null);
    const later = await event("Retention: later", 60);
    const person = async (familyName: string) => (await db().insert(people).values({ givenName: "Retention", familyName, email: `${familyName.toLowerCase()}@retention.test` }).returning())[0].id;
    const onlyPast = await person("OnlyPast");
    const teachesKept = await person("TeachesKept");
    const alsoLater = await person("AlsoLater");
    const register = async (eventId: number, personId: number) =>
      await db().insert(registrations).values({ eventId, personId, status: "confirmed", statusChangedAt: new Date("2020-01-01T00:00:00Z") });
    await register(past, onlyPast);
    await register(past, teachesKept);
    await register(past, alsoLater);
    await register(later, alsoLater);
    const session = (await db()
      .insert(eventSessionsTable)
      .values({ eventId: kept, title: "Kept session", startsAt: new Date("2020-01-09T14:00:00Z"), endsAt: new Date("2020-01-09T15:00:00Z") })
      .returning())[0].id;
    await db().insert(sessionFacilitators).values({ sessionId: session, personId: teachesKept });

    const result = await runRetention(db(), new Date("2021-01-01T12:00:00Z"));
    expect(result.events.find((e) => e.eventId === past)).toEqual({ eventId: past, anonymised: [onlyPast], kept: 2 });
    expect((await personRow(onlyPast)).email).toBeNull();
    expect((await personRow(teachesKept)).email).toBe("teacheskept@retention.test");
    expect((await personRow(alsoLater)).email).toBe("alsolater@retention.test");
    // the later event's period ends in 2025: then its people whom nothing else needs go
    expect((await runRetention(db(), new Date("2025-01-11T12:00:00Z"))).events.find((e) => e.eventId === later)).toEqual({ eventId: later, anonymised: [alsoLater], kept: 0 });
    expect((await personRow(teachesKept)).anonymisedAt).toBeNull();
  });
});
