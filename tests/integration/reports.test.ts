import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb, firstRow } from "../../db/client";
import {
  actionPlanItems,
  actionPlanMembers,
  actionPlans,
  attendance,
  auditLog,
  certificates,
  eventGcmObjectives,
  eventPartners,
  events,
  eventSessions,
  followUpRequests,
  people,
  programmeFunding,
  programmes,
  registrations,
} from "../../db/schema";
import { setClock } from "~/lib/clock";
import type { AttendanceStatus, EventStatus, EventType, RegistrationStatus, RoleCategory, SessionKind, Sex } from "~/lib/domain";
import * as page from "~/routes/reports._index";
import * as csv from "~/routes/reports[.]csv";
import * as eventsCsv from "~/routes/reports.events[.]csv";
import * as pdf from "~/routes/reports[.]pdf";
import { readPdf } from "../setup/read-pdf";
import { call, createOrganisation, createUser, makeRequest, sessionCookie, unwrap } from "../setup/helpers";

/**
 * The activity summary, checked figure by figure against a dataset built by hand here (every
 * expected value below is worked out in the comments), then as a donor (small counts protected,
 * no personal data), with bad filters, through the exports, and on the demo data.
 */

const db = () => getDb();

// ---------------------------------------------------------------------------------------------
// The dataset

type PersonSpec = { key: string; sex: Sex | null; role: RoleCategory | null; org: "alpha" | "bravo" | "media" | null; nationality: string | null };

/**
 * Twelve people. Names are made-up words that appear nowhere else, so that finding one in a
 * donor's data can only mean personal data leaked.
 */
const PEOPLE: PersonSpec[] = [
  { key: "p1", sex: "female", role: "immigration_officer", org: "alpha", nationality: "BS" },
  { key: "p2", sex: "female", role: "immigration_officer", org: "alpha", nationality: "BS" },
  { key: "p3", sex: "female", role: "police_specialist", org: "alpha", nationality: "BS" },
  { key: "p4", sex: "female", role: "port_specialist", org: "bravo", nationality: "JM" },
  { key: "p5", sex: "female", role: "immigration_officer", org: "alpha", nationality: "BS" },
  { key: "p6", sex: "male", role: "immigration_officer", org: "alpha", nationality: "BS" },
  { key: "p7", sex: "male", role: "border_officer", org: "bravo", nationality: "JM" },
  { key: "p8", sex: "male", role: "immigration_officer", org: "alpha", nationality: "BS" },
  { key: "p9", sex: "male", role: "police_specialist", org: "alpha", nationality: "BS" },
  { key: "p10", sex: null, role: null, org: null, nationality: null },
  { key: "p11", sex: "female", role: "immigration_officer", org: "bravo", nationality: "JM" },
  { key: "p12", sex: "male", role: "journalist", org: "media", nationality: "BS" },
];
const givenName = (key: string) => `Zorvath${key.toUpperCase()}`;
const familyName = (key: string) => `Quellibrand${key.toUpperCase()}`;
const emailOf = (key: string) => `${key}.secret@people.test`;

const ids = {
  person: {} as Record<string, number>,
  event: {} as Record<string, number>,
  org: {} as Record<string, number>,
  programme: {} as Record<string, number>,
};
const cookies: Record<string, string> = {};

async function person(spec: PersonSpec) {
  return (await db()
    .insert(people)
    .values({
      givenName: givenName(spec.key),
      familyName: familyName(spec.key),
      email: emailOf(spec.key),
      phone: "+1 242 555 0199",
      sex: spec.sex,
      roleCategory: spec.role,
      organisationId: spec.org ? ids.org[spec.org] : null,
      nationality: spec.nationality,
      position: "Secret position",
    })
    .returning())[0].id;
}

async function event(values: {
  title: string;
  type: EventType;
  status: EventStatus;
  programme: "p1" | "p2";
  country: string;
  start: string;
  end: string;
  threshold?: number;
  partners?: ("alpha" | "bravo" | "media")[];
  gcm?: number[];
  origin?: number;
}) {
  const id = (await db()
    .insert(events)
    .values({
      title: values.title,
      type: values.type,
      status: values.status,
      programmeId: ids.programme[values.programme],
      country: values.country,
      locality: "Test Island",
      timeZone: "America/Nassau",
      startDate: values.start,
      endDate: values.end,
      completionThreshold: values.threshold ?? 80,
      contactName: "Zorvath Contactperson",
      contactEmail: "contact.secret@people.test",
      originFollowUpRequestId: values.origin ?? null,
    })
    .returning())[0].id;
  for (const org of values.partners ?? []) await db().insert(eventPartners).values({ eventId: id, organisationId: ids.org[org] });
  for (const objectiveId of values.gcm ?? []) await db().insert(eventGcmObjectives).values({ eventId: id, objectiveId });
  return id;
}

async function sessions(eventId: number, day: string, kinds: SessionKind[]) {
  return await Promise.all(kinds.map(
    async (kind, i) =>
      (await db()
        .insert(eventSessions)
        .values({
          eventId,
          title: `Session ${i + 1}`,
          kind,
          startsAt: new Date(`${day}T${String(13 + i).padStart(2, "0")}:00:00Z`),
          endsAt: new Date(`${day}T${String(13 + i).padStart(2, "0")}:50:00Z`),
        })
        .returning())[0].id,
  ));
}

async function register(eventId: number, key: string, status: RegistrationStatus = "confirmed", eventRole: "participant" | "facilitator" = "participant") {
  return (await db()
    .insert(registrations)
    .values({ eventId, personId: ids.person[key], status, eventRole, statusChangedAt: new Date("2025-01-10T10:00:00Z") })
    .returning())[0].id;
}

/** Marks for one registration: one status (or null: not marked) per session, in order. */
async function mark(registrationId: number, sessionIds: number[], statuses: (AttendanceStatus | null)[]) {
  for (const [i, status] of statuses.entries()) {
    if (status === null) continue;
    await db()
      .insert(attendance)
      .values({ registrationId, sessionId: sessionIds[i], status, recordedAt: new Date("2025-03-10T18:00:00Z") });
  }
}

async function certificate(registrationId: number, code: string, revoked = false) {
  await db()
    .insert(certificates)
    .values({ registrationId, code, issuedAt: new Date("2025-03-20T10:00:00Z"), revokedAt: revoked ? new Date("2025-03-21T10:00:00Z") : null });
}

async function plan(eventId: number, values: { status: "draft" | "submitted"; template?: boolean; members: string[]; items: { status: "planned" | "in_progress" | "done" | "blocked"; validated?: boolean }[] }) {
  const planId = (await db()
    .insert(actionPlans)
    .values({ eventId, title: "Secret plan title of a person", status: values.status, isTemplate: values.template ?? false, submittedAt: values.status === "submitted" ? new Date("2025-04-01T10:00:00Z") : null })
    .returning())[0].id;
  for (const key of values.members) await db().insert(actionPlanMembers).values({ planId, personId: ids.person[key] });
  for (const [position, item] of values.items.entries()) {
    await db()
      .insert(actionPlanItems)
      .values({ planId, position, action: "Secret action", status: item.status, validatedAt: item.validated ? new Date("2025-05-01T10:00:00Z") : null });
  }
}

async function followUp(originEventId: number, status: "received" | "under_review" | "accepted" | "scheduled" | "declined") {
  return (await db()
    .insert(followUpRequests)
    .values({ title: "More training", description: "Requested by a partner", country: "BS", status, originEventId })
    .returning())[0].id;
}

const PERIOD = "from=2025-01-01&to=2025-12-31";

beforeAll(async () => {
  // today is 1 October 2025: the default period is the calendar year 2025
  setClock(() => Date.parse("2025-10-01T12:00:00Z"));
  ids.org.donor = (await createOrganisation("Fund for Testing Trainings", "donor", "US")).id;
  ids.org.otherDonor = (await createOrganisation("Another Fund", "donor", "GB")).id;
  ids.org.alpha = (await createOrganisation("Alpha Immigration Agency", "government_partner", "BS")).id;
  ids.org.bravo = (await createOrganisation("Bravo Border Service", "government_partner", "JM")).id;
  // a name that a spreadsheet would take for a formula
  ids.org.media = (await createOrganisation("@Media House", "media", "BS")).id;
  ids.programme.p1 = (await db().insert(programmes).values({ name: "Programme Funded By Test Fund" }).returning())[0].id;
  ids.programme.p2 = (await db().insert(programmes).values({ name: "Programme Of Another Fund" }).returning())[0].id;
  await db().insert(programmeFunding).values({ programmeId: ids.programme.p1, donorOrganisationId: ids.org.donor });
  await db().insert(programmeFunding).values({ programmeId: ids.programme.p2, donorOrganisationId: ids.org.otherDonor });
  for (const spec of PEOPLE) ids.person[spec.key] = await person(spec);
  ids.person.trainer = await person({ key: "trainer", sex: "female", role: "other", org: null, nationality: "CR" });

  // E1: training, 3 days, completed. Sessions: opening, presentation, break, exercise (3 count; threshold 80%)
  const e1 = (ids.event.e1 = await event({ title: "E1 Victim identification", type: "training", status: "completed", programme: "p1", country: "BS", start: "2025-03-10", end: "2025-03-12", partners: ["alpha"], gcm: [7, 10] }));
  const s1 = await sessions(e1, "2025-03-10", ["opening", "presentation", "break", "exercise"]);
  const r1: Record<string, number> = {};
  for (const key of ["p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8"]) r1[key] = await register(e1, key);
  await register(e1, "p12", "waitlisted"); // not a participant: waitlisted
  await register(e1, "p11", "declined"); // not a participant: declined
  await register(e1, "trainer", "confirmed", "facilitator"); // not a participant: facilitator
  //                         opening    present.   break      exercise      attended/counted  completed (≥80%)
  await mark(r1.p1, s1, ["present", "present", null, "present"]); //  3/3   yes
  await mark(r1.p2, s1, ["present", "late", null, "present"]); //     3/3   yes
  await mark(r1.p3, s1, ["present", "present", null, "absent"]); //   2/3   no
  await mark(r1.p4, s1, ["excused", "present", null, "present"]); //  2/2   yes
  await mark(r1.p5, s1, ["present", "present", "present", "present"]); // 3/3 yes (the break does not count)
  //    p6: nothing marked                                     0/3   no
  await mark(r1.p7, s1, ["absent", "present", null, "present"]); //   2/3   no
  await mark(r1.p8, s1, ["present", "present", null, "present"]); //  3/3   yes
  // E1: attended 18, counted 23, completed 5 of 8
  await certificate(r1.p1, "TESTCODE0001");
  await certificate(r1.p2, "TESTCODE0002");
  await certificate(r1.p4, "TESTCODE0004");
  await certificate(r1.p5, "TESTCODE0005");
  await certificate(r1.p8, "TESTCODE0008", true); // revoked: not counted

  // E2: workshop, 2 days, reported, threshold 50%. Two presentations.
  const e2 = (ids.event.e2 = await event({ title: "E2 Referral workshop", type: "workshop", status: "reported", programme: "p1", country: "BS", start: "2025-06-05", end: "2025-06-06", threshold: 50, partners: ["alpha"], gcm: [10, 11] }));
  const s2 = await sessions(e2, "2025-06-05", ["presentation", "presentation"]);
  const r2: Record<string, number> = {};
  for (const key of ["p1", "p2", "p6", "p9", "p10", "p11"]) r2[key] = await register(e2, key);
  await mark(r2.p1, s2, ["present", "present"]); //   2/2 yes
  await mark(r2.p2, s2, ["present", "absent"]); //    1/2 yes (50%)
  await mark(r2.p6, s2, ["absent", "absent"]); //     0/2 no
  await mark(r2.p9, s2, ["late", "late"]); //         2/2 yes
  await mark(r2.p10, s2, ["excused", "excused"]); //  0/0 no (nothing counts)
  await mark(r2.p11, s2, ["present", null]); //       1/2 yes (50%)
  // E2: attended 6, counted 10, completed 4 of 6
  await certificate(r2.p1, "TESTCODE0021");

  // follow-up requests raised from E1 and E2; FR1 became E3
  const fr1 = await followUp(e1, "scheduled");
  await followUp(e2, "under_review");
  const fr3 = await followUp(e1, "accepted");
  await followUp(e2, "declined");

  // E3: training, 1 day, in progress, answers FR1. One presentation.
  const e3 = (ids.event.e3 = await event({ title: "E3 Follow-up training", type: "training", status: "in_progress", programme: "p1", country: "JM", start: "2025-09-01", end: "2025-09-01", partners: ["bravo"], gcm: [11], origin: fr1 }));
  const s3 = await sessions(e3, "2025-09-01", ["presentation"]);
  const r3: Record<string, number> = {};
  for (const key of ["p4", "p9", "p12"]) r3[key] = await register(e3, key);
  await mark(r3.p4, s3, ["present"]); //  1/1 yes
  await mark(r3.p9, s3, ["absent"]); //   0/1 no
  await mark(r3.p12, s3, ["present"]); // 1/1 yes
  // E3: attended 2, counted 3, completed 2 of 3

  // E5: cancelled seminar: counted as an event, nothing else
  const e5 = (ids.event.e5 = await event({ title: "E5 Cancelled seminar", type: "seminar", status: "cancelled", programme: "p1", country: "BS", start: "2025-11-03", end: "2025-11-04", gcm: [23] }));
  await register(e5, "p1");
  await register(e5, "p12");
  await plan(e5, { status: "submitted", members: ["p1"], items: [{ status: "done" }] });
  await followUp(e5, "received");

  // a draft answering FR3 (so FR3 is not yet turned into a training), never counted
  ids.event.draft = await event({ title: "Draft answering a request", type: "training", status: "draft", programme: "p1", country: "BS", start: "2025-12-01", end: "2025-12-02", gcm: [1], origin: fr3 });
  await register(ids.event.draft, "p3");

  // E4: the other donor's programme, in Bahrain
  const e4 = (ids.event.e4 = await event({ title: "E4 Another donor's training", type: "training", status: "completed", programme: "p2", country: "BH", start: "2025-04-01", end: "2025-04-03", partners: ["bravo"], gcm: [2] }));
  await sessions(e4, "2025-04-01", ["presentation"]);
  await register(e4, "p7");
  await plan(e4, { status: "submitted", members: ["p7"], items: [{ status: "planned" }] });
  await followUp(e4, "received");

  // E0: last year: outside the period
  ids.event.e0 = await event({ title: "E0 Last year's training", type: "training", status: "reported", programme: "p1", country: "BS", start: "2024-12-30", end: "2025-01-02" });
  await register(ids.event.e0, "p5");

  // action plans of E1 and E2
  await plan(e1, { status: "submitted", members: ["p1"], items: [{ status: "planned" }, { status: "in_progress", validated: true }, { status: "done", validated: true }, { status: "blocked" }] });
  await plan(e1, { status: "submitted", members: ["p2", "p3"], items: [{ status: "done", validated: true }] });
  await plan(e1, { status: "draft", members: ["p5"], items: [{ status: "planned" }] }); // a draft: not counted
  await plan(e1, { status: "submitted", template: true, members: [], items: [{ status: "done" }] }); // a template: not counted
  await plan(e2, { status: "submitted", members: ["p9"], items: [{ status: "in_progress" }] });
  // submitted plans: 3; items 6: planned 1, in progress 2, done 2, blocked 1; validated 3 of 6

  for (const role of ["admin", "coordinator"] as const) cookies[role] = await sessionCookie(await createUser({ role }));
  cookies.donor = await sessionCookie(await createUser({ role: "donor", organisationId: ids.org.donor, name: "Donor Reader" }));
  cookies.mediaPartner = await sessionCookie(await createUser({ role: "partner", organisationId: ids.org.media }));
});

afterAll(() => setClock(null));

const getPage = async (cookie: string, query = PERIOD) => unwrap(await call(page.loader, makeRequest(`/reports?${query}`, { cookie })));
const lines = (breakdown: { lines: { key: string; count: unknown }[] }) => Object.fromEntries(breakdown.lines.map((l) => [l.key, l.count]));
const plainLines = (found: { key: string; count: number }[]) => Object.fromEntries(found.map((l) => [l.key, l.count]));

// ---------------------------------------------------------------------------------------------

/** A donor's figure for a true count: 0 stays 0, 1 to 4 is "<5", the rest within 3 of the truth and never below 5. */
function expectDisclosed(shown: unknown, truth: number) {
  if (truth === 0) return expect(shown).toBe(0);
  if (truth < 5) return expect(shown).toBe("small");
  expect(typeof shown).toBe("number");
  expect(Math.abs((shown as number) - truth)).toBeLessThanOrEqual(3);
  expect(shown as number).toBeGreaterThanOrEqual(5);
}

describe("the activity summary, figure by figure (coordinator: no suppression)", () => {
  let report: any;
  beforeAll(async () => {
    const result = await getPage(cookies.coordinator, `programmeId=${ids.programme.p1}&${PERIOD}`);
    expect(result.status).toBe(200);
    report = result.data.report;
  });

  it("counts the events of the period by type and status, cancelled included, drafts and other periods left out", () => {
    expect(report.protected).toBe(false);
    expect(report.empty).toBe(false);
    expect(report.events.total).toBe(4); // E1, E2, E3, E5
    expect(plainLines(report.events.byType)).toEqual({ training: 2, workshop: 1, seminar: 1 });
    expect(plainLines(report.events.byStatus)).toEqual({ in_progress: 1, completed: 1, reported: 1, cancelled: 1 });
    expect(report.table.map((e: any) => e.title)).toEqual(["E1 Victim identification", "E2 Referral workshop", "E3 Follow-up training", "E5 Cancelled seminar"]);
  });

  it("adds up training days (3 + 2 + 1, the cancelled event left out) and a timeline by month", () => {
    expect(report.trainingDays).toBe(6);
    expect(report.events.timeline).toEqual({
      by: "month",
      lines: [
        { key: "2025-03", count: 1 },
        { key: "2025-04", count: 0 },
        { key: "2025-05", count: 0 },
        { key: "2025-06", count: 1 },
        { key: "2025-07", count: 0 },
        { key: "2025-08", count: 0 },
        { key: "2025-09", count: 1 },
      ],
    });
  });

  it("counts unique participants (confirmed, event role participant) and person-days", () => {
    // E1 {p1..p8} ∪ E2 {p1,p2,p6,p9,p10,p11} ∪ E3 {p4,p9,p12} = 12 people
    expect(report.participants.unique).toBe(12);
    // 8 × 3 days + 6 × 2 days + 3 × 1 day
    expect(report.participants.personDays).toBe(39);
  });

  it("breaks the unique participants down by sex, role category, organisation and nationality", () => {
    expect(lines(report.participants.bySex)).toEqual({ female: 6, male: 5, "": 1 });
    expect(lines(report.participants.byRole)).toEqual({ immigration_officer: 6, police_specialist: 2, port_specialist: 1, border_officer: 1, journalist: 1, "": 1 });
    expect(lines(report.participants.byOrganisation)).toEqual({ [String(ids.org.alpha)]: 7, [String(ids.org.bravo)]: 3, [String(ids.org.media)]: 1, "": 1 });
    expect(report.participants.byOrganisation.lines.find((l: any) => l.key === String(ids.org.alpha)).name).toBe("Alpha Immigration Agency");
    expect(lines(report.participants.byNationality)).toEqual({ BS: 8, JM: 3, "": 1 });
    // largest first for coordinators, "not recorded" last
    expect(report.participants.byRole.lines[0].key).toBe("immigration_officer");
    expect(report.participants.byRole.lines.at(-1).key).toBe("");
  });

  it("computes attendance and completion by THE definition (completionSql), per event and overall", () => {
    // the page receives each share as precisely as it writes it (a percentage with one decimal)
    const asShown = (share: number) => Math.round(share * 1000) / 1000;
    // (18 + 6 + 2) / (23 + 10 + 3)
    expect(report.attendanceRate).toBe(asShown(26 / 36));
    // (5 + 4 + 2) / (8 + 6 + 3)
    expect(report.completionRate).toBe(asShown(11 / 17));
    const [e1, e2, e3, e5] = report.table;
    expect([e1.participants, e1.women, e1.days]).toEqual([8, 5, 3]);
    expect(e1.attendanceRate).toBe(asShown(18 / 23));
    expect(e1.completionRate).toBe(asShown(5 / 8));
    expect([e2.participants, e2.women, e2.days]).toEqual([6, 3, 2]);
    expect(e2.attendanceRate).toBe(asShown(6 / 10));
    expect(e2.completionRate).toBe(asShown(4 / 6));
    expect([e3.participants, e3.women, e3.days]).toEqual([3, 1, 1]);
    expect(e3.attendanceRate).toBe(asShown(2 / 3));
    expect(e3.completionRate).toBe(asShown(2 / 3));
    expect(e5.counted).toBe(false);
    expect([e5.attendanceRate, e5.completionRate]).toEqual([null, null]);
  });

  it("counts certificates that are not revoked", () => {
    expect(report.certificates).toBe(5); // E1: p1, p2, p4, p5 (p8's revoked); E2: p1
  });

  it("counts submitted action plans, their items by status and the share validated", () => {
    expect(report.actionPlans.submitted).toBe(3);
    expect(report.actionPlans.items).toBe(6);
    expect(plainLines(report.actionPlans.itemsByStatus)).toEqual({ planned: 1, in_progress: 2, done: 2, blocked: 1 });
    expect(report.actionPlans.validated).toBe(3);
    expect(report.actionPlans.validatedShare).toBe(0.5);
  });

  it("counts follow-up requests from the events by status, and those turned into trainings", () => {
    expect(report.followUps.total).toBe(4); // from E1 and E2 (E5's is from a cancelled event, E4's from another programme)
    expect(plainLines(report.followUps.byStatus)).toEqual({ under_review: 1, accepted: 1, scheduled: 1, declined: 1 });
    expect(report.followUps.turnedIntoTrainings).toBe(1); // FR1 → E3; FR3's event is still a draft
  });

  it("lists the GCM objectives covered (cancelled events left out)", () => {
    expect(report.gcmObjectives).toEqual([
      { id: 7, events: 1 },
      { id: 10, events: 2 },
      { id: 11, events: 2 },
    ]);
  });

  it("filters by country, partner organisation, GCM objective and donor", async () => {
    const jm = (await getPage(cookies.coordinator, `country=JM&${PERIOD}`)).data.report;
    expect(jm.table.map((e: any) => e.title)).toEqual(["E3 Follow-up training"]);
    const bravo = (await getPage(cookies.coordinator, `partnerId=${ids.org.bravo}&${PERIOD}`)).data.report;
    expect(bravo.table.map((e: any) => e.title)).toEqual(["E4 Another donor's training", "E3 Follow-up training"]);
    const gcm7 = (await getPage(cookies.coordinator, `gcmObjectiveId=7&${PERIOD}`)).data.report;
    expect(gcm7.table.map((e: any) => e.title)).toEqual(["E1 Victim identification"]);
    const other = (await getPage(cookies.coordinator, `donorId=${ids.org.otherDonor}&${PERIOD}`)).data.report;
    expect(other.table.map((e: any) => e.title)).toEqual(["E4 Another donor's training"]);
    expect(other.participants.unique).toBe(1);
    // without a programme, a coordinator sees every programme
    const all = (await getPage(cookies.coordinator)).data.report;
    expect(all.events.total).toBe(5);
  });

  it("defaults to the current calendar year", async () => {
    const { data } = await getPage(cookies.coordinator, "");
    expect(data.values.from).toBe("2025-01-01");
    expect(data.values.to).toBe("2025-12-31");
    expect(data.report.events.total).toBe(5);
  });
});

describe("the activity summary as the donor (aggregates only, small counts protected)", () => {
  let data: any;
  beforeAll(async () => {
    const result = await getPage(cookies.donor);
    expect(result.status).toBe(200);
    data = result.data;
  });

  it("covers only the programmes the donor's organisation funds", () => {
    expect(data.report.protected).toBe(true);
    expect(data.report.table.map((e: any) => e.title)).toEqual(["E1 Victim identification", "E2 Referral workshop", "E3 Follow-up training", "E5 Cancelled seminar"]);
    expect(data.options.programmes.map((p: any) => p.name)).toEqual(["Programme Funded By Test Fund"]);
    expect(data.options.donors).toEqual([]);
    expect(JSON.stringify(data)).not.toContain("E4 Another donor");
  });

  it("shows counts of 1–4 people as <5 and every other count within 3 of the truth (5 or more), rates to 5%", async () => {
    const r = data.report;
    const exact = (await getPage(cookies.coordinator, `programmeId=${ids.programme.p1}&${PERIOD}`)).data.report;
    expectDisclosed(r.participants.unique, 12);
    // sex 6 / 5 / 1 of 12
    expect(lines(r.participants.bySex)[""]).toBe("small");
    expectDisclosed(lines(r.participants.bySex).female, 6);
    expectDisclosed(lines(r.participants.bySex).male, 5);
    expect(lines(r.participants.byRole)).toMatchObject({ police_specialist: "small", port_specialist: "small", border_officer: "small", journalist: "small", "": "small" });
    expectDisclosed(lines(r.participants.byRole).immigration_officer, 6);
    expect(lines(r.participants.byNationality)).toMatchObject({ JM: "small", "": "small" });
    expectDisclosed(lines(r.participants.byNationality).BS, 8);
    // a fixed order, not by size (a "<5" line's place between two numbers would betray it)
    expect(r.participants.bySex.lines.map((l: any) => l.key)).toEqual(["female", "male", ""]);
    const [e1, e2, e3] = r.table;
    expectDisclosed(e1.participants, 8);
    expectDisclosed(e2.participants, 6);
    expect(e3.participants).toBe("small");
    expectDisclosed(e1.women, 5);
    expect([e2.women, e3.women]).toEqual(["small", "small"]);
    expectDisclosed(r.participants.personDays, exact.participants.personDays);
    // rates: whole multiples of 5%, near the truth; none for an event of fewer than 5 people
    // (attended and counted sessions each move by at most 3: the rate stays between the extremes)
    for (const [shown, attended, counted] of [
      [e1.attendanceRate, 18, 23],
      [r.attendanceRate, 26, 36],
    ]) {
      expect(Math.round(shown * 100) % 5).toBe(0);
      expect(shown).toBeGreaterThanOrEqual(Math.floor(((attended - 3) / (counted + 3)) * 20) / 20);
      expect(shown).toBeLessThanOrEqual(Math.ceil(((attended + 3) / (counted - 3)) * 20) / 20);
    }
    expect([e3.attendanceRate, e3.completionRate]).toEqual([null, null]);
    expectDisclosed(r.certificates, 5);
  });

  it("gives the same figures every time the same question is asked", async () => {
    const again = (await getPage(cookies.donor)).data.report;
    expect(again).toEqual(data.report);
  });

  it("sends no personal data: no names, emails, phones, positions or contact persons", () => {
    const json = JSON.stringify(data);
    for (const spec of [...PEOPLE, { key: "trainer" }]) {
      expect(json).not.toContain(givenName(spec.key));
      expect(json).not.toContain(familyName(spec.key));
      expect(json).not.toContain(emailOf(spec.key));
    }
    expect(json).not.toMatch(/@people\.test|Zorvath|Quellibrand|555 0199|Secret|Donor Reader/);
  });

  it("refuses a programme the donor does not fund, or an unknown one (403)", async () => {
    expect((await getPage(cookies.donor, `programmeId=${ids.programme.p2}&${PERIOD}`)).status).toBe(403);
    expect((await getPage(cookies.donor, `programmeId=999999&${PERIOD}`)).status).toBe(403);
    expect((await getPage(cookies.donor, `donorId=${ids.org.otherDonor}&${PERIOD}`)).status).toBe(403);
    const csvResponse = (await call(csv.loader, makeRequest(`/reports.csv?programmeId=${ids.programme.p2}`, { cookie: cookies.donor }))) as Response;
    expect(csvResponse.status).toBe(403);
    expect((await getPage(cookies.donor, `programmeId=${ids.programme.p1}&${PERIOD}`)).status).toBe(200);
  });

  it("partners see the events where their organisation is a partner or has participants", async () => {
    const { data: partner } = await getPage(cookies.mediaPartner);
    expect(partner.report.protected).toBe(true);
    expect(partner.report.table.map((e: any) => e.title)).toEqual(["E3 Follow-up training", "E5 Cancelled seminar"]);
    expect(partner.report.participants.unique).toBe("small");
    expect(JSON.stringify(partner)).not.toMatch(/Zorvath|Quellibrand|@people\.test/);
  });

  it("is refused to facilitators and participants, and sends anonymous visitors to sign in", async () => {
    const facilitator = await sessionCookie(await createUser({ role: "facilitator" }));
    expect((await getPage(facilitator)).status).toBe(403);
    const participant = await sessionCookie(await createUser({ role: "participant" }));
    expect((await call(csv.loader, makeRequest("/reports.csv", { cookie: participant })) as Response).status).toBe(403);
    const anonymous = (await call(page.loader, makeRequest("/reports"))) as Response;
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("Location")).toMatch(/^\/login\?redirectTo=/);
  });
});

describe("bad filters", () => {
  it("answers a reversed period with 400 and a clear message, the form filled in", async () => {
    const { status, data } = await getPage(cookies.coordinator, "from=2025-12-31&to=2025-01-01");
    expect(status).toBe(400);
    expect(data.errors).toEqual({ to: "reports.errors.reversed" });
    expect(data.values).toMatchObject({ from: "2025-12-31", to: "2025-01-01" });
    expect(data.report).toBeNull();
  });

  it("answers a 100-year period with 400 (20 years at most)", async () => {
    const { status, data } = await getPage(cookies.donor, "from=1950-01-01&to=2049-12-31");
    expect(status).toBe(400);
    expect(data.errors).toEqual({ to: "reports.errors.tooLong" });
    expect((await getPage(cookies.coordinator, "from=2000-01-01&to=2019-12-31")).status).toBe(200);
    expect((await getPage(cookies.coordinator, "from=2000-01-01&to=2020-01-01")).status).toBe(400);
  });

  it("answers malformed values with 400, and the exports too, in words", async () => {
    expect((await getPage(cookies.coordinator, "from=2025-02-30")).data.errors).toEqual({ from: "reports.errors.date" });
    expect((await getPage(cookies.coordinator, "programmeId=abc&gcmObjectiveId=24")).data.errors).toEqual({ programmeId: "reports.errors.choice", gcmObjectiveId: "reports.errors.gcm" });
    const response = (await call(csv.loader, makeRequest("/reports.csv?from=2025-12-31&to=2025-01-01", { cookie: cookies.coordinator }))) as Response;
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("The period ends before it starts");
    const pdfResponse = (await call(pdf.loader, makeRequest("/reports.pdf?from=1900-01-01&to=1999-12-31", { cookie: cookies.donor }))) as Response;
    expect(pdfResponse.status).toBe(400);
    expect(await pdfResponse.text()).toContain("longer than 20 years");
  });

  it("says so when nothing matches, instead of showing zeros", async () => {
    const { status, data } = await getPage(cookies.donor, `country=FR&${PERIOD}`);
    expect(status).toBe(200);
    expect(data.report.empty).toBe(true);
    // the period, and no figures to hide
    expect(Object.keys(data.report).sort()).toEqual(["empty", "period"]);
    expect(data.report.period).toEqual({ from: "2025-01-01", to: "2025-12-31" });
    expect((await getPage(cookies.coordinator, `programmeId=999999&${PERIOD}`)).data.report.empty).toBe(true);
  });
});

describe("/reports.csv and /reports.pdf", () => {
  /** The body's bytes (a byte-order mark first, which Response.text() would drop) parsed as RFC 4180. */
  const csvRows = async (response: Response) => {
    const bytes = Buffer.from(await response.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString("utf8");
    return { rows: parseCsv(text), text };
  };
  const parseCsv = (text: string) => {
    const rows: string[][] = [];
    let row: string[] = [];
    let cell = "";
    let quoted = false;
    const body = text.slice(1);
    for (let i = 0; i < body.length; i++) {
      const c = body[i];
      if (quoted) {
        if (c === '"' && body[i + 1] === '"') {
          cell += '"';
          i++;
        } else if (c === '"') quoted = false;
        else cell += c;
      } else if (c === '"') quoted = true;
      else if (c === ",") {
        row.push(cell);
        cell = "";
      } else if (c === "\r" && body[i + 1] === "\n") {
        row.push(cell);
        rows.push(row);
        row = [];
        cell = "";
        i++;
      } else cell += c;
    }
    if (cell || row.length) rows.push([...row, cell]);
    return rows;
  };

  it("starts with the filters and the date produced, then one row per breakdown line", async () => {
    const response = (await call(csv.loader, makeRequest(`/reports.csv?programmeId=${ids.programme.p1}&${PERIOD}`, { cookie: cookies.coordinator }))) as Response;
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    const { rows } = await csvRows(response);
    expect(rows[0]).toEqual(["section", "label", "value"]);
    expect(rows.slice(1, 9)).toEqual([
      ["Filters", "Programme", "Programme Funded By Test Fund"],
      ["Filters", "Donor", "All"],
      ["Filters", "Country", "All"],
      ["Filters", "Partner organisation", "All"],
      ["Filters", "GCM objective", "All"],
      ["Filters", "From", "2025-01-01"],
      ["Filters", "To", "2025-12-31"],
      ["Produced", "Date and time (UTC)", "2025-10-01T12:00:00.000Z"],
    ]);
    const find = (section: string, label: string) => rows.find((r) => r[0] === section && r[1] === label)?.[2];
    expect(find("Summary", "Participants")).toBe("12");
    expect(find("Summary", "Person-days")).toBe("39");
    expect(find("Summary", "Attendance rate (%)")).toBe("72.2");
    expect(find("Summary", "Completion rate (%)")).toBe("64.7");
    expect(find("Participants by sex", "Female")).toBe("6");
    expect(find("Participants by role category", "Police specialist")).toBe("2");
    expect(find("Action plan items by status", "In progress")).toBe("2");
    expect(find("Follow-up requests by status", "Scheduled")).toBe("1");
    // the events are a table of their own
    expect(rows.some((r) => r[0].startsWith("E1 Victim identification"))).toBe(false);
    // a cell a spreadsheet would run as a formula is neutralised
    expect(find("Participants by organisation", "'@Media House")).toBe("1");
    expect(rows.some((r) => r.some((c) => /^[=+\-@]/.test(c)))).toBe(false);
  });

  it("gives the donor the same protected aggregates, and records every export in the audit log", async () => {
    const response = (await call(csv.loader, makeRequest(`/reports.csv?${PERIOD}`, { cookie: cookies.donor }))) as Response;
    expect(response.status).toBe(200);
    const { rows, text } = await csvRows(response);
    const find = (section: string, label: string) => rows.find((r) => r[0] === section && r[1] === label)?.[2];
    expect(find("Filters", "Programme")).toBe("All");
    expect(find("Privacy", "About these figures")).toMatch(/may not add up/);
    expect(find("Participants by sex", "Not recorded")).toBe("<5");
    // the page's figures, exactly: one disclosure control behind both
    const page = (await getPage(cookies.donor)).data.report;
    expect(find("Participants by sex", "Male")).toBe(String(lines(page.participants.bySex).male));
    expect(find("Summary", "Person-days")).toBe(String(page.participants.personDays));
    expect(text).not.toMatch(/Zorvath|Quellibrand|@people\.test|E4 Another/);
    const audits = await db().select().from(auditLog).where(eq(auditLog.action, "export.report"));
    expect(audits.length).toBeGreaterThanOrEqual(2);
    expect(audits.at(-1)!.details).toMatchObject({ format: "csv", filters: { from: "2025-01-01", to: "2025-12-31" } });
  });

  it("gives the events as a table, one row per event with its figures in columns, in the reader's language", async () => {
    const response = (await call(eventsCsv.loader, makeRequest(`/reports/events.csv?programmeId=${ids.programme.p1}&${PERIOD}`, { cookie: cookies.coordinator }))) as Response;
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("Content-Disposition")).toContain("events-2025-01-01-2025-12-31.csv");
    const { rows } = await csvRows(response);
    expect(rows[0]).toEqual(["Event", "First day", "Last day", "Place", "Country", "Status", "Days", "Participants", "Women", "Attendance (%)", "Completion (%)"]);
    const e1 = rows.find((r) => r[0] === "E1 Victim identification")!;
    expect(e1.slice(1, 3)).toEqual(["2025-03-10", "2025-03-12"]);
    expect(e1[6]).toBe("3");
    expect(e1[7]).toBe("8");
    // one row per event of the page's table, in the same order
    const page = (await getPage(cookies.coordinator, `programmeId=${ids.programme.p1}&${PERIOD}`)).data.report;
    expect(rows.slice(1).map((r) => r[0])).toEqual(page.table.map((e: { title: string }) => e.title));
    expect(rows.every((r) => r.length === 11)).toBe(true);
    // a cancelled event is listed, its people not counted
    expect(rows.find((r) => r[0] === "E5 Cancelled seminar")!.slice(5, 9)).toEqual(["Cancelled", "2", "Cancelled: not counted", ""]);

    const french = (await call(eventsCsv.loader, makeRequest(`/reports/events.csv?${PERIOD}`, { cookie: cookies.coordinator, headers: { "Accept-Language": "fr" } }))) as Response;
    const frenchRows = (await csvRows(french)).rows;
    expect(frenchRows[0].slice(0, 3)).toEqual(["Événement", "Premier jour", "Dernier jour"]);
  });

  it("gives a donor the events table with the page's protected counts and nothing of programmes it does not fund", async () => {
    const before = (await db().select().from(auditLog).where(eq(auditLog.action, "export.report"))).length;
    const response = (await call(eventsCsv.loader, makeRequest(`/reports/events.csv?${PERIOD}`, { cookie: cookies.donor }))) as Response;
    expect(response.status).toBe(200);
    const { rows, text } = await csvRows(response);
    const page = (await getPage(cookies.donor)).data.report;
    const e3 = rows.find((r) => r[0] === "E3 Follow-up training")!;
    expect(e3[7]).toBe("<5");
    for (const event of (page.table as { title: string; counted: boolean; participants: number | "small" }[]).filter((e) => e.counted)) {
      const row = rows.find((r) => r[0] === event.title)!;
      expect(row[7]).toBe(event.participants === "small" ? "<5" : String(event.participants));
    }
    expect(text).not.toMatch(/Zorvath|Quellibrand|@people\.test|E4 Another/);
    const audits = await db().select().from(auditLog).where(eq(auditLog.action, "export.report"));
    expect(audits.length).toBe(before + 1);
    expect(audits.at(-1)!.details).toMatchObject({ format: "csv-events", filters: { from: "2025-01-01", to: "2025-12-31" } });
    // wrong filters: the reasons, nothing recorded
    const bad = (await call(eventsCsv.loader, makeRequest("/reports/events.csv?from=2025-12-31&to=2025-01-01", { cookie: cookies.donor }))) as Response;
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/ends before it starts/);
    expect((await db().select().from(auditLog).where(eq(auditLog.action, "export.report"))).length).toBe(before + 1);
  });

  it("produces a PDF in the user's language with the same filters, and audits it", async () => {
    const before = (await db().select().from(auditLog).where(eq(auditLog.action, "export.report"))).length;
    for (const [lang, cookie] of [["en", cookies.donor], ["ar", cookies.donor], ["fr", cookies.coordinator]] as const) {
      const response = (await call(pdf.loader, makeRequest(`/reports.pdf?${PERIOD}`, { cookie, headers: { "Accept-Language": lang } }))) as Response;
      expect(response.status).toBe(200);
      expect(response.headers.get("Content-Type")).toBe("application/pdf");
      const bytes = Buffer.from(await response.arrayBuffer());
      expect(bytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");
      expect(bytes.toString("latin1")).toContain(`/Lang (${lang})`);
      if (lang === "ar") {
        // the title in logical order: through its ActualText, and in the order its glyphs are drawn
        expect(readPdf(bytes).lines).toContain("ملخّص الأنشطة");
        const drawn = readPdf(bytes, { glyphsOnly: true }).lines;
        expect(drawn).toContain("ملخّص الأنشطة");
        expect(drawn).not.toContain("ةطشنألا صّخلم");
      }
    }
    const after = await db().select().from(auditLog).where(eq(auditLog.action, "export.report"));
    expect(after.length).toBe(before + 3);
    expect(after.at(-1)!.details).toMatchObject({ format: "pdf", locale: "fr" });
  });
});

describe("the demo: the Western Hemisphere Program's 2023 summary for donor@example.org", () => {
  it("shows the three Bahamas trainings, their participants, attendance, action plans and the follow-up request, and not Bahrain", async () => {
    // a separate database would be cleaner; the demo's organisations and people do not clash with the ones above
    const { seedDemo, DEMO_EVENTS, DEMO_PROGRAMMES } = await import("../../db/seed/demo");
    // the demo issues certificates for every completed event in the database, ours included
    await db().delete(certificates);
    await seedDemo(db(), { today: new Date("2026-11-22T12:00:00Z") });
    const { users } = await import("../../db/schema");
    const donor = firstRow(await db().select().from(users).where(eq(users.email, "donor@example.org")).limit(1))!;
    const cookie = await sessionCookie({ id: donor.id, role: donor.role });
    const whp = firstRow(await db().select().from(programmes).where(eq(programmes.name, DEMO_PROGRAMMES.westernHemisphere)).limit(1))!;

    const { status, data } = await getPage(cookie, `programmeId=${whp.id}&from=2023-01-01&to=2023-12-31`);
    expect(status).toBe(200);
    const r = data.report;
    expect(r.table.map((e: any) => e.title)).toEqual([DEMO_EVENTS.essentials, DEMO_EVENTS.media, DEMO_EVENTS.victimIdentification]);
    expect(r.events.total).toBe(3);
    expect(r.trainingDays).toBe(7);
    // 22 officers of the victim-identification training, 10 new officers at "Essentials", 10 journalists
    // (a donor's counts are perturbed: within 3 of the truth, "<5" for 1 to 4)
    expectDisclosed(r.participants.unique, 42);
    expectDisclosed(r.participants.personDays, 16 * 3 + 10 * 2 + 22 * 2);
    expectDisclosed(lines(r.participants.bySex).female, 21);
    expectDisclosed(lines(r.participants.bySex).male, 21);
    expect(lines(r.participants.byRole)).toMatchObject({ police_specialist: "small", policy_officer: "small", social_worker: "small" });
    for (const [role, truth] of [["immigration_officer", 14], ["journalist", 10], ["border_officer", 5], ["port_specialist", 5]] as const) {
      expectDisclosed(lines(r.participants.byRole)[role], truth);
    }
    [[16, 8], [10, 5], [22, 11]].forEach(([participants, women], i) => {
      expectDisclosed(r.table[i].participants, participants);
      expectDisclosed(r.table[i].women, women);
    });
    expect(r.attendanceRate).toBeGreaterThan(0.75);
    expect(r.actionPlans.submitted).toBe("small");
    // items by status 2, 2, 2, 1 and the two requests (one scheduled, Bimini's under review): all "<5"
    expect(plainLines(r.actionPlans.itemsByStatus)).toEqual({ planned: "small", in_progress: "small", done: "small", blocked: "small" });
    expect(r.followUps.total).toBe("small");
    expect(plainLines(r.followUps.byStatus)).toEqual({ under_review: "small", scheduled: "small" });
    expect(r.followUps.turnedIntoTrainings).toBe("small");
    expect(r.gcmObjectives.map((o: any) => o.id)).toEqual([7, 10, 11, 12, 17]);
    const json = JSON.stringify(data);
    expect(json).not.toContain(DEMO_EVENTS.bahrain);
    expect(json).not.toMatch(/Shavonne|Rolle|Knowles|@example\.org|immigration\.gov\.bs|Margaret Hollis|Marguerite Cooper/);

    // all the programmes the donor funds, 2024: the Bahrain training is the Gulf programme's, not theirs
    const y2024 = (await getPage(cookie, "from=2024-01-01&to=2024-12-31")).data.report;
    expect(y2024.empty).toBe(true);
    const gulf = firstRow(await db().select().from(programmes).where(eq(programmes.name, DEMO_PROGRAMMES.gulf)).limit(1))!;
    expect((await getPage(cookie, `programmeId=${gulf.id}&from=2024-01-01&to=2024-12-31`)).status).toBe(403);

    const csvText = await ((await call(csv.loader, makeRequest(`/reports.csv?programmeId=${whp.id}&from=2023-01-01&to=2023-12-31`, { cookie }))) as Response).text();
    expect(csvText).toContain(DEMO_PROGRAMMES.westernHemisphere);
    expect(csvText).not.toContain(DEMO_EVENTS.bahrain);
    const pdfResponse = (await call(pdf.loader, makeRequest(`/reports.pdf?programmeId=${whp.id}&from=2023-01-01&to=2023-12-31`, { cookie }))) as Response;
    expect(pdfResponse.status).toBe(200);
    // the demo's own figures agree with the roster's rule
    const confirmed = await db()
      .select({ id: registrations.id })
      .from(registrations)
      .innerJoin(events, eq(events.id, registrations.eventId))
      .where(and(eq(events.title, DEMO_EVENTS.victimIdentification), eq(registrations.eventRole, "participant"), eq(registrations.status, "confirmed")));
    expect(confirmed.length).toBe(22);
  });
});
