import { and, count, eq, inArray } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb, firstRow } from "../../db/client";
import {
  actionPlanMembers,
  actionPlans,
  attendance,
  auditLog,
  certificates,
  consents,
  events,
  eventSessions,
  organisations,
  people,
  registrations,
  sessionFacilitators,
} from "../../db/schema";
import { DEMO_EVENTS, DEMO_ORGANISATIONS, seedDemo } from "../../db/seed/demo";
import type { Actor } from "~/auth/session.server";
import type { AttendanceStatus, RegistrationStatus, Role } from "~/lib/domain";
import { listPeople, mergePeople } from "~/models/people.server";
import * as peopleIndex from "~/routes/people._index";
import * as peopleNew from "~/routes/people.new";
import * as personPage from "~/routes/people.$personId";
import { call, createOrganisation, createUser, makeRequest, rawAll, rawGet, rawRun, sessionCookie, unwrap } from "../setup/helpers";

const TODAY = new Date("2026-11-22T12:00:00Z");

let bsImmigration: number;
let victimIdEventId: number;

beforeAll(async () => {
  await seedDemo(getDb(), { today: TODAY });
  bsImmigration = firstRow(await getDb().select().from(organisations).where(eq(organisations.name, DEMO_ORGANISATIONS.bahamasImmigration)).limit(1))!.id;
  victimIdEventId = firstRow(await getDb().select().from(events).where(eq(events.title, DEMO_EVENTS.victimIdentification)).limit(1))!.id;
});

async function signedIn(role: Role = "coordinator") {
  const user = await createUser({ role });
  return { user, cookie: await sessionCookie(user) };
}

const personByEmail = async (email: string) => firstRow(await getDb().select().from(people).where(eq(people.email, email)).limit(1))!;
const personById = async (id: number) => firstRow(await getDb().select().from(people).where(eq(people.id, id)).limit(1));
const personByName = async (givenName: string, familyName: string) =>
  firstRow(await getDb().select().from(people).where(and(eq(people.givenName, givenName), eq(people.familyName, familyName))).limit(1))!;
const peopleCount = async () => firstRow(await getDb().select({ n: count() }).from(people).limit(1))!.n;
const auditFor = async (action: string, entityId: number) =>
  await getDb()
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, action), eq(auditLog.entityId, String(entityId))));

async function listPage(cookie: string, query = "") {
  return await call(peopleIndex.loader, makeRequest(`/people${query}`, { cookie }));
}
async function search(cookie: string, form: Record<string, string>) {
  return await call(peopleIndex.action, makeRequest("/people?index", { form, cookie }));
}
async function create(cookie: string, form: Record<string, string>) {
  return await call(peopleNew.action, makeRequest("/people/new", { form, cookie }));
}
async function page(cookie: string, id: number, query = "") {
  return await call(personPage.loader, makeRequest(`/people/${id}${query}`, { cookie }), { personId: String(id) });
}
async function post(cookie: string, id: number, form: Record<string, string>) {
  return await call(personPage.action, makeRequest(`/people/${id}`, { form, cookie }), { personId: String(id) });
}
function createdId(response: unknown) {
  expect(response).toBeInstanceOf(Response);
  const r = response as Response;
  expect(r.status).toBe(302);
  const location = r.headers.get("Location") ?? "";
  expect(location).toMatch(/^\/people\/\d+$/);
  return Number(location.split("/").pop());
}

describe("the people list", () => {
  it("lists everyone 50 a page, by family name, with organisation, role category, email and confirmed trainings", async () => {
    const { cookie } = await signedIn("admin");
    const total = await peopleCount();
    expect(total).toBeGreaterThan(50);
    const first = unwrap(await listPage(cookie));
    expect(first.status).toBe(200);
    expect(first.data.result).toMatchObject({ total, page: 1, pageCount: Math.ceil(total / 50) });
    expect(first.data.result.rows).toHaveLength(50);
    const families = first.data.result.rows.map((r: { familyName: string }) => r.familyName);
    expect(families).toEqual([...families].sort((a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)));
    const second = unwrap(await listPage(cookie, "?page=2"));
    expect(second.data.result.rows).toHaveLength(Math.min(50, total - 50));
    // nonsense in the address is ignored, never an error page
    expect(unwrap(await listPage(cookie, "?page=abc&organisationId=xyz")).data.result.page).toBe(1);

    const all = [...first.data.result.rows, ...second.data.result.rows];
    // Shavonne Rolle (participant@example.org): the victim-identification training, and the two of the
    // present (the one in progress, the one that ended a month ago), confirmed
    expect(all.find((r: { email: string }) => r.email === "participant@example.org")).toMatchObject({
      givenName: "Shavonne",
      familyName: "Rolle",
      organisationName: DEMO_ORGANISATIONS.bahamasImmigration,
      roleCategory: "immigration_officer",
      trainings: 3,
    });
    // Dario Knowles also took "Essentials of Migration Management"
    expect(all.find((r: { familyName: string; givenName: string }) => r.givenName === "Dario" && r.familyName === "Knowles").trainings).toBe(2);
  });

  it("searches by name, full name, email or organisation, case-insensitively; % and _ are taken literally", async () => {
    const { cookie } = await signedIn();
    const found = async (form: Record<string, string>) => {
      const result = unwrap(await search(cookie, form));
      expect(result.status).toBe(200);
      return result.data.result as { total: number; rows: { id: number; email: string | null; givenName: string }[] };
    };
    const shavonne = await personByEmail("participant@example.org");
    for (const q of ["rolle", "SHAVONNE", "Shavonne Rolle", "rolle shavonne", "participant@EXAMPLE", "  rolle  "]) {
      expect((await found({ q })).rows.map((r) => r.id), q).toContain(shavonne.id);
    }
    expect((await found({ q: "Shavonne Rolle" })).total).toBe(1);

    const ofImmigration = firstRow(await getDb().select({ n: count() }).from(people).where(eq(people.organisationId, bsImmigration)).limit(1))!.n;
    expect((await found({ q: "bahamas department of IMMIGRATION" })).total).toBe(ofImmigration);
    // the search and the organisation filter combine
    expect((await found({ q: "rolle", organisationId: String(bsImmigration) })).total).toBe(1);
    const bahrain = firstRow(await getDb().select().from(organisations).where(eq(organisations.name, DEMO_ORGANISATIONS.bahrainInterior)).limit(1))!;
    expect((await found({ q: "rolle", organisationId: String(bahrain.id) })).total).toBe(0);
    expect((await found({ q: "MOI" })).total).toBe(firstRow(await getDb().select({ n: count() }).from(people).where(eq(people.organisationId, bahrain.id)).limit(1))!.n);

    // LIKE wildcards typed by the user match themselves only
    expect((await found({ q: "%" })).total).toBe(0);
    expect((await found({ q: "_" })).total).toBe(0);
    const literal = createdId(await create(cookie, { givenName: "Ana_Maria", familyName: "Pérez 100%" }));
    expect((await found({ q: "_" })).rows.map((r) => r.id)).toEqual([literal]);
    expect((await found({ q: "100%" })).rows.map((r) => r.id)).toEqual([literal]);
    expect((await found({ q: "a_m" })).rows.map((r) => r.id)).toEqual([literal]);

    // no match: an empty result, not an error
    expect((await found({ q: "nobody by this name" })).total).toBe(0);
  });

  it("keeps the search text out of the address: without text the form redirects to the filter's plain address", async () => {
    const { cookie } = await signedIn();
    const redirect = (await search(cookie, { q: "  ", organisationId: String(bsImmigration) })) as Response;
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get("Location")).toBe(`/people?organisationId=${bsImmigration}`);
    const plain = (await search(cookie, { q: "" })) as Response;
    expect(plain.headers.get("Location")).toBe("/people");

    const filtered = unwrap(await listPage(cookie, `?organisationId=${bsImmigration}`));
    const expected = firstRow(await getDb().select({ n: count() }).from(people).where(eq(people.organisationId, bsImmigration)).limit(1))!.n;
    expect(filtered.data.result.total).toBe(expected);
    expect(filtered.data.filters).toEqual({ q: "", organisationId: bsImmigration });
    // a search term in the address is not read
    const ignored = unwrap(await listPage(cookie, "?q=rolle"));
    expect(ignored.data.result.total).toBe(await peopleCount());
  });
});

describe("adding a person", () => {
  it("creates a person from the form (email lower-cased, country upper-cased) and records it in the audit log without personal data", async () => {
    const { cookie } = await signedIn();
    const id = createdId(
      await create(cookie, {
        givenName: "  Maritza ",
        familyName: "Ingraham",
        email: "Maritza.Ingraham@Immigration.gov.bs.example",
        phone: "+1 242 555 0199",
        sex: "female",
        organisationId: String(bsImmigration),
        position: "Immigration Officer I, Bimini",
        roleCategory: "immigration_officer",
        nationality: "bs",
        dietaryNeeds: "",
        accessibilityNeeds: "",
      }),
    );
    expect(await personById(id)).toMatchObject({
      givenName: "Maritza",
      familyName: "Ingraham",
      email: "maritza.ingraham@immigration.gov.bs.example",
      sex: "female",
      organisationId: bsImmigration,
      roleCategory: "immigration_officer",
      nationality: "BS",
      dietaryNeeds: null,
      userId: null,
    });
    const audit = await auditFor("person.create", id);
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit[0].details)).not.toMatch(/Maritza|Ingraham|maritza/i);
  });

  it("refuses bad input with a message per field and keeps what was typed; nothing is saved", async () => {
    const { cookie } = await signedIn("admin");
    const before = await peopleCount();
    const refused = unwrap(
      await create(cookie, {
        givenName: " ",
        familyName: "F".repeat(101),
        email: "not-an-email",
        sex: "robot",
        roleCategory: "astronaut",
        nationality: "XX",
        organisationId: "abc",
        position: "Border officer",
      }),
    );
    expect(refused.status).toBe(400);
    expect(refused.data.errors).toMatchObject({
      givenName: "errors.required",
      familyName: "errors.tooLong|max=100",
      email: "errors.email",
      sex: "errors.choice",
      roleCategory: "errors.choice",
      nationality: "errors.country",
      organisationId: "errors.choice",
    });
    expect(refused.data.values).toMatchObject({ email: "not-an-email", position: "Border officer", sex: "robot" });
    const unknownOrganisation = unwrap(await create(cookie, { givenName: "Lee", familyName: "Unknown", organisationId: "999999" }));
    expect(unknownOrganisation.status).toBe(400);
    expect(unknownOrganisation.data.errors.organisationId).toBe("errors.choice");
    expect(await peopleCount()).toBe(before);
  });

  it("shows the person who has this email and never creates a second one, even when asked to", async () => {
    const { cookie } = await signedIn();
    const shavonne = await personByEmail("participant@example.org");
    const before = await peopleCount();
    for (const confirmDuplicate of [undefined, "yes"]) {
      const refused = unwrap(
        await create(cookie, {
          givenName: "S.",
          familyName: "Rolle-Smith",
          email: "Participant@Example.org",
          ...(confirmDuplicate ? { confirmDuplicate } : {}),
        }),
      );
      expect(refused.status).toBe(409);
      expect(refused.data.errors.email).toBe("people.errors.emailTaken");
      expect(refused.data.duplicates).toEqual([
        expect.objectContaining({ id: shavonne.id, givenName: "Shavonne", familyName: "Rolle", reason: "email" }),
      ]);
      expect(refused.data.values).toMatchObject({ givenName: "S.", familyName: "Rolle-Smith", email: "Participant@Example.org" });
    }
    expect(await peopleCount()).toBe(before);
  });

  it("shows the person with the same name in the same organisation, and creates only with an explicit 'create anyway'", async () => {
    const { cookie } = await signedIn();
    const dario = await personByName("Dario", "Knowles");
    const before = await peopleCount();
    const form = { givenName: "dario", familyName: "KNOWLES", organisationId: String(bsImmigration), position: "Trainee" };
    const warned = unwrap(await create(cookie, form));
    expect(warned.status).toBe(409);
    expect(warned.data.errors).toEqual({});
    expect(warned.data.duplicates).toEqual([expect.objectContaining({ id: dario.id, reason: "name", organisationName: DEMO_ORGANISATIONS.bahamasImmigration })]);
    expect(warned.data.values).toMatchObject(form);
    expect(await peopleCount()).toBe(before);

    // the same name in another organisation is someone else: no question asked
    const other = await createOrganisation("Royal Bahamas Police Force", "government_partner", "BS");
    createdId(await create(cookie, { ...form, organisationId: String(other.id) }));

    const id = createdId(await create(cookie, { ...form, confirmDuplicate: "yes" }));
    expect(await personById(id)).toMatchObject({ givenName: "dario", familyName: "KNOWLES", organisationId: bsImmigration });
    expect((await auditFor("person.create", id))[0].details).toMatchObject({ confirmedDuplicateOf: [dario.id] });
  });
});

describe("a person's page", () => {
  type Training = {
    eventId: number;
    title: string;
    eventRole: string;
    status: RegistrationStatus;
    attended: number;
    counted: number;
    completed: boolean;
    completionThreshold: number;
  };
  const trainingsOf = async (cookie: string, id: number) => {
    const result = unwrap(await page(cookie, id));
    expect(result.status).toBe(200);
    return result.data.trainings as Training[];
  };

  it("lists the demo participant's training: 8 of 8 sessions attended, completed", async () => {
    const { cookie } = await signedIn();
    const shavonne = await personByEmail("participant@example.org");
    const result = unwrap(await page(cookie, shavonne.id));
    expect(result.data.person).toMatchObject({
      id: shavonne.id,
      givenName: "Shavonne",
      familyName: "Rolle",
      email: "participant@example.org",
      organisationName: DEMO_ORGANISATIONS.bahamasImmigration,
      hasLogin: true,
    });
    expect(result.data.person).not.toHaveProperty("userId");
    // newest first: the training in progress, the one that ended a month ago, then 2023's
    expect(result.data.trainings.map((t: Training) => t.title)).toEqual([DEMO_EVENTS.current, DEMO_EVENTS.recent, DEMO_EVENTS.victimIdentification]);
    expect(result.data.trainings.slice(2)).toEqual([
      expect.objectContaining({
        eventId: victimIdEventId,
        title: DEMO_EVENTS.victimIdentification,
        startDate: "2023-08-09",
        endDate: "2023-08-10",
        eventRole: "participant",
        status: "confirmed",
        attended: 8,
        counted: 8,
        completionThreshold: 80,
        completed: true,
      }),
    ]);
  });

  it("counts late as attended, leaves excused sessions out of the count, and applies the threshold", async () => {
    const { cookie } = await signedIn();
    const victimId = (trainings: Training[]) => trainings.find((t) => t.eventId === victimIdEventId)!;
    // index 1: one late arrival, nothing missed → 8 / 8
    expect(victimId(await trainingsOf(cookie, (await personByName("Dario", "Knowles")).id))).toMatchObject({ attended: 8, counted: 8, completed: true });
    // index 7: arrived a day late (first two sessions absent) → 6 / 8 = 75% < 80%
    expect(victimId(await trainingsOf(cookie, (await personByName("Jamal", "Strachan")).id))).toMatchObject({ attended: 6, counted: 8, completed: false });
    // index 20: excused from one session, absent from another → 6 / 7 ≈ 86% ≥ 80%
    expect(victimId(await trainingsOf(cookie, (await personByName("Giselle", "Thompson")).id))).toMatchObject({ attended: 6, counted: 7, completed: true });
    // the facilitator is registered as facilitator, with no attendance of their own
    expect(victimId(await trainingsOf(cookie, (await personByEmail("facilitator@example.org")).id))).toMatchObject({
      eventRole: "facilitator",
      attended: 0,
      counted: 8,
      completed: false,
    });
    // cross-check the counts with the attendance table for every registration of the event
    const regs = await getDb().select().from(registrations).where(eq(registrations.eventId, victimIdEventId));
    const sessions = firstRow(await getDb().select({ n: count() }).from(eventSessions).where(eq(eventSessions.eventId, victimIdEventId)).limit(1))!.n;
    for (const reg of regs.slice(0, 8)) {
      const rows = await getDb().select().from(attendance).where(eq(attendance.registrationId, reg.id));
      const attended = rows.filter((r) => r.status === "present" || r.status === "late").length;
      const counted = sessions - rows.filter((r) => r.status === "excused").length;
      expect(victimId(await trainingsOf(cookie, reg.personId))).toMatchObject({ attended, counted, completed: attended * 100 >= 80 * counted });
    }
  });

  it("edits a person's details (audit names the fields, not the values) and refuses another person's email", async () => {
    const { cookie } = await signedIn();
    const tamika = await personByName("Tamika", "Sands");
    const form = {
      intent: "update",
      givenName: "Tamika",
      familyName: "Sands",
      email: tamika.email!,
      phone: tamika.phone ?? "",
      sex: "female",
      organisationId: String(bsImmigration),
      position: "Senior Welfare Officer",
      roleCategory: "social_worker",
      nationality: "BS",
      dietaryNeeds: "Vegetarian",
    };
    const saved = (await post(cookie, tamika.id, form)) as Response;
    expect(saved.status).toBe(302);
    expect(saved.headers.get("Location")).toBe(`/people/${tamika.id}`);
    expect(await personById(tamika.id)).toMatchObject({ position: "Senior Welfare Officer", dietaryNeeds: "Vegetarian" });
    const audit = await auditFor("person.update", tamika.id);
    expect(audit).toHaveLength(1);
    expect(audit[0].details).toEqual({ fields: ["position", "dietaryNeeds"] });

    const taken = unwrap(await post(cookie, tamika.id, { ...form, email: "PARTICIPANT@example.org", position: "Changed" }));
    expect(taken.status).toBe(400);
    expect(taken.data.errors.email).toBe("people.errors.emailTaken");
    expect(taken.data.values).toMatchObject({ email: "PARTICIPANT@example.org", position: "Changed" });
    const empty = unwrap(await post(cookie, tamika.id, { ...form, givenName: "" }));
    expect(empty.status).toBe(400);
    expect(empty.data.errors.givenName).toBe("errors.required");
    expect(await personById(tamika.id)).toMatchObject({ email: tamika.email, position: "Senior Welfare Officer", givenName: "Tamika" });

    const unknown = unwrap(await post(cookie, tamika.id, { intent: "shred" }));
    expect(unknown.status).toBe(400);
  });

  it("answers 404 for a junk or unknown person id", async () => {
    const { cookie } = await signedIn();
    for (const personId of ["abc", "0", "1e3", "999999"]) {
      const result = (await call(personPage.loader, makeRequest(`/people/${personId}`, { cookie }), { personId })) as Response;
      expect(result.status).toBe(404);
    }
    const ghost = (await post(cookie, 999999, { intent: "update", givenName: "Ghost", familyName: "Person" })) as Response;
    expect(ghost.status).toBe(404);
  });
});

// ---------------------------------------------------------------------------------------------

async function addEvent(title: string, sessionCount: number) {
  const db = getDb();
  const event = (await db
    .insert(events)
    .values({ title, type: "training", country: "BS", timeZone: "America/Nassau", startDate: "2024-03-04", endDate: "2024-03-05", status: "completed" })
    .returning())[0];
  const sessions = await Promise.all(Array.from({ length: sessionCount }, async (_, i) =>
    (await db
      .insert(eventSessions)
      .values({
        eventId: event.id,
        title: `Session ${i + 1}`,
        startsAt: new Date(Date.UTC(2024, 2, 4, 13 + i)),
        endsAt: new Date(Date.UTC(2024, 2, 4, 14 + i)),
      })
      .returning())[0],
  ));
  return { event, sessions };
}

async function addRegistration(eventId: number, personId: number, status: RegistrationStatus, marks: [number, AttendanceStatus][] = []) {
  const db = getDb();
  const reg = (await db.insert(registrations).values({ eventId, personId, status, statusChangedAt: new Date() }).returning())[0];
  for (const [sessionId, mark] of marks) {
    await db.insert(attendance).values({ registrationId: reg.id, sessionId, status: mark, recordedAt: new Date() });
  }
  return reg;
}

async function attendanceOf(registrationId: number) {
  return Object.fromEntries(
    (await getDb()
      .select({ sessionId: attendance.sessionId, status: attendance.status })
      .from(attendance)
      .where(eq(attendance.registrationId, registrationId)))
      .map((r) => [r.sessionId, r.status]),
  );
}

describe("merging duplicates", () => {
  it("moves every registration, keeps the better one where both registered, and loses no attendance", async () => {
    const { cookie } = await signedIn();
    const db = getDb();
    const participantUser = await createUser({ role: "participant", email: "k.pinder.login@test.example" });
    const kept = (await db
      .insert(people)
      .values({ givenName: "Kendra", familyName: "Pinder", organisationId: bsImmigration, position: "Port Officer" })
      .returning())[0];
    const other = (await db
      .insert(people)
      .values({
        givenName: "Kendra",
        familyName: "Pinder",
        organisationId: bsImmigration,
        email: "kendra.pinder@immigration.gov.bs.example",
        phone: "+1 242 555 0177",
        position: "Port Inspection Officer",
        nationality: "BS",
        userId: participantUser.id,
      })
      .returning())[0];

    const e1 = await addEvent("Merge test — kept only", 2);
    const e2 = await addEvent("Merge test — other only", 2);
    const e3 = await addEvent("Merge test — both, other's is better", 2);
    const e4 = await addEvent("Merge test — both, kept's is better", 3);
    const keptE1 = await addRegistration(e1.event.id, kept.id, "confirmed", [[e1.sessions[0].id, "present"], [e1.sessions[1].id, "late"]]);
    const otherE2 = await addRegistration(e2.event.id, other.id, "confirmed", [[e2.sessions[0].id, "present"], [e2.sessions[1].id, "absent"]]);
    const keptE3 = await addRegistration(e3.event.id, kept.id, "nominated");
    const otherE3 = await addRegistration(e3.event.id, other.id, "confirmed", [[e3.sessions[0].id, "present"], [e3.sessions[1].id, "present"]]);
    const keptE4 = await addRegistration(e4.event.id, kept.id, "confirmed", [[e4.sessions[0].id, "absent"], [e4.sessions[2].id, "present"]]);
    const otherE4 = await addRegistration(e4.event.id, other.id, "applied", [[e4.sessions[0].id, "present"], [e4.sessions[1].id, "late"], [e4.sessions[2].id, "absent"]]);
    await db.insert(certificates).values({ registrationId: otherE3.id, code: "MERGE-TEST-0001", issuedAt: new Date() });
    await db.insert(consents).values({ personId: other.id, eventId: e2.event.id, wording: "I agree.", givenAt: new Date() });
    const shared = (await db.insert(actionPlans).values({ eventId: e3.event.id, title: "Group plan" }).returning())[0];
    const own = (await db.insert(actionPlans).values({ eventId: e2.event.id, title: "Own plan" }).returning())[0];
    await db.insert(actionPlanMembers).values([{ planId: shared.id, personId: kept.id }, { planId: shared.id, personId: other.id }, { planId: own.id, personId: other.id }]);
    await db.insert(sessionFacilitators).values({ sessionId: e1.sessions[1].id, personId: other.id });

    // the page offers the other record as a possible duplicate, and previews the merge
    const before = unwrap(await page(cookie, kept.id, `?merge=${other.id}`));
    expect(before.data.duplicates.map((d: { id: number }) => d.id)).toEqual([other.id]);
    expect(before.data.merge).toMatchObject({
      other: { id: other.id },
      attendanceRecords: 7,
      consents: 1,
      actionPlans: 2,
      facilitations: 1,
      login: "moved",
    });
    expect(before.data.merge.filledFields).toEqual(["email", "phone", "nationality"]);
    expect(
      Object.fromEntries(before.data.merge.registrations.map((r: { eventId: number; outcome: string }) => [r.eventId, r.outcome])),
    ).toEqual({ [e2.event.id]: "moved", [e3.event.id]: "otherWins", [e4.event.id]: "keptWins" });
    // previewing writes nothing
    expect(await personById(other.id)).toBeDefined();

    const merged = (await post(cookie, kept.id, { intent: "merge", mergeId: String(other.id) })) as Response;
    expect(merged.status).toBe(302);
    expect(merged.headers.get("Location")).toBe(`/people/${kept.id}`);

    expect(await personById(other.id)).toBeUndefined();
    expect(await personById(kept.id)).toMatchObject({
      givenName: "Kendra",
      position: "Port Officer", // kept's own value stays
      email: "kendra.pinder@immigration.gov.bs.example", // empty fields filled from the other
      phone: "+1 242 555 0177",
      nationality: "BS",
      userId: participantUser.id,
    });

    const regs = await db.select().from(registrations).where(eq(registrations.personId, kept.id));
    const byEvent = Object.fromEntries(regs.map((r) => [r.eventId, r]));
    expect(Object.keys(byEvent).map(Number).sort((a, b) => a - b)).toEqual([e1.event.id, e2.event.id, e3.event.id, e4.event.id]);
    // e1 untouched, e2 moved with its attendance
    expect(byEvent[e1.event.id].id).toBe(keptE1.id);
    expect(byEvent[e2.event.id].id).toBe(otherE2.id);
    expect(await attendanceOf(otherE2.id)).toEqual({ [e2.sessions[0].id]: "present", [e2.sessions[1].id]: "absent" });
    // e3: confirmed beats nominated; the confirmed registration keeps its attendance and certificate
    expect(byEvent[e3.event.id]).toMatchObject({ id: otherE3.id, status: "confirmed" });
    expect(firstRow(await db.select().from(registrations).where(eq(registrations.id, keptE3.id)).limit(1))).toBeUndefined();
    expect(await attendanceOf(otherE3.id)).toEqual({ [e3.sessions[0].id]: "present", [e3.sessions[1].id]: "present" });
    expect(firstRow(await db.select().from(certificates).where(eq(certificates.code, "MERGE-TEST-0001")).limit(1))!.registrationId).toBe(otherE3.id);
    // e4: confirmed beats applied; attendance of both combined, the record showing presence winning a clash
    expect(byEvent[e4.event.id]).toMatchObject({ id: keptE4.id, status: "confirmed" });
    expect(firstRow(await db.select().from(registrations).where(eq(registrations.id, otherE4.id)).limit(1))).toBeUndefined();
    expect(await attendanceOf(keptE4.id)).toEqual({ [e4.sessions[0].id]: "present", [e4.sessions[1].id]: "late", [e4.sessions[2].id]: "present" });

    // the page now shows the combined history
    const after = unwrap(await page(cookie, kept.id));
    const trainings = Object.fromEntries(after.data.trainings.map((t: { eventId: number }) => [t.eventId, t]));
    expect(trainings[e3.event.id]).toMatchObject({ status: "confirmed", attended: 2, counted: 2, completed: true });
    expect(trainings[e4.event.id]).toMatchObject({ status: "confirmed", attended: 3, counted: 3, completed: true });
    expect(after.data.duplicates).toEqual([]);

    // consents, plans (one membership per plan) and facilitation follow the person
    expect(await db.select().from(consents).where(eq(consents.personId, kept.id))).toHaveLength(1);
    expect(
      (await db
        .select({ planId: actionPlanMembers.planId })
        .from(actionPlanMembers)
        .where(inArray(actionPlanMembers.planId, [shared.id, own.id])))
        .map((r) => r.planId)
        .sort((a, b) => a - b),
    ).toEqual([shared.id, own.id].sort((a, b) => a - b));
    expect(await db.select().from(actionPlanMembers).where(eq(actionPlanMembers.personId, kept.id))).toHaveLength(2);
    expect(firstRow(await db.select().from(sessionFacilitators).where(eq(sessionFacilitators.sessionId, e1.sessions[1].id)).limit(1))!.personId).toBe(kept.id);

    const audit = await auditFor("person.merge", kept.id);
    expect(audit).toHaveLength(1);
    expect(audit[0].details).toMatchObject({ keptId: kept.id, mergedId: other.id, registrationsMoved: 1, registrationsCombined: 2, userMoved: true });
    expect(JSON.stringify(audit[0].details)).not.toMatch(/Kendra|Pinder|kendra/i);
  });

  it("keeps the submitted knowledge tests of either record and that either answered a feedback form", async () => {
    const { cookie } = await signedIn();
    const db = getDb();
    const kept = (await db.insert(people).values({ givenName: "Lavar", familyName: "Moss", organisationId: bsImmigration }).returning())[0];
    const other = (await db.insert(people).values({ givenName: "Lavar", familyName: "Moss", organisationId: bsImmigration }).returning())[0];
    const e = await addEvent("Merge test — tests and feedback", 1);
    const keptReg = await addRegistration(e.event.id, kept.id, "confirmed");
    const otherReg = await addRegistration(e.event.id, other.id, "confirmed");
    const test = (await rawGet<{ id: number }>(`insert into knowledge_tests (event_id) values (?) returning id`, e.event.id))!;
    const attempt = async (registrationId: number, phase: string, submittedAt: number | null, correct: number | null) =>
      (await rawGet<{ id: number }>(
        `insert into knowledge_test_attempts (test_id, registration_id, phase, source, correct, total, submitted_at) values (?, ?, ?, 'online', ?, ?, ?) returning id`,
        test.id, registrationId, phase, correct, submittedAt === null ? null : 10, submittedAt,
      ))!.id;
    // pre: only the other record submitted it (the kept one has a draft); post: only the kept one
    await attempt(keptReg.id, "pre", null, null);
    const otherPre = await attempt(otherReg.id, "pre", Date.now(), 4);
    const keptPost = await attempt(keptReg.id, "post", Date.now(), 9);
    const form = (await rawGet<{ id: number }>(`insert into feedback_forms (event_id, opened_at) values (?, ?) returning id`, e.event.id, Date.now()))!;
    await rawRun(`insert into feedback_respondents (form_id, person_id) values (?, ?)`, form.id, other.id);

    expect(((await post(cookie, kept.id, { intent: "merge", mergeId: String(other.id) })) as Response).status).toBe(302);
    const [survivor] = await rawAll<{ id: number }>(`select id from registrations where event_id = ? and person_id = ?`, e.event.id, kept.id);
    const attempts = await rawAll<{ id: number; phase: string; correct: number }>(
      `select id, phase, correct from knowledge_test_attempts where test_id = ? order by phase`,
      test.id,
    );
    expect(attempts.map((a) => ({ ...a, correct: Number(a.correct) }))).toEqual([
      { id: keptPost, phase: "post", correct: 9 },
      { id: otherPre, phase: "pre", correct: 4 },
    ]);
    expect(await rawAll(`select registration_id as "r" from knowledge_test_attempts where test_id = ? and registration_id <> ?`, test.id, survivor.id)).toEqual([]);
    // answered as the other record: the kept one cannot answer again
    expect(await rawAll(`select person_id as "p" from feedback_respondents where form_id = ?`, form.id)).toEqual([{ p: kept.id }]);
  });

  it("merges seeded duplicates of a real participant without losing her completed training", async () => {
    const { cookie } = await signedIn("admin");
    const shavonne = await personByEmail("participant@example.org");
    // a roster-only duplicate typed from a paper sign-in sheet, registered for another event
    const copy = createdId(
      await create(cookie, { givenName: "Shavonne", familyName: "Rolle", organisationId: String(bsImmigration), phone: "+1 242 555 0000", confirmDuplicate: "yes" }),
    );
    const extra = await addEvent("Refresher on referral", 2);
    await addRegistration(extra.event.id, copy, "confirmed", [[extra.sessions[0].id, "present"], [extra.sessions[1].id, "excused"]]);
    await addRegistration(victimIdEventId, copy, "waitlisted");

    expect(((await post(cookie, shavonne.id, { intent: "merge", mergeId: String(copy) })) as Response).status).toBe(302);
    const trainings = unwrap(await page(cookie, shavonne.id)).data.trainings.filter((t: { eventId: number }) => t.eventId === extra.event.id || t.eventId === victimIdEventId);
    expect(trainings).toEqual([
      expect.objectContaining({ eventId: extra.event.id, attended: 1, counted: 1, completed: true }),
      expect.objectContaining({ eventId: victimIdEventId, status: "confirmed", attended: 8, counted: 8, completed: true }),
    ]);
    // her own phone stays; her login stays hers
    expect(await personById(shavonne.id)).toMatchObject({ phone: shavonne.phone, userId: shavonne.userId });
  });

  it("keeps a choice to stop reminder emails that the merged record made without an account", async () => {
    const { cookie } = await signedIn();
    const db = getDb();
    const kept = (await db.insert(people).values({ givenName: "Lynden", familyName: "Ferguson", organisationId: bsImmigration }).returning())[0];
    const other = (await db
      .insert(people)
      .values({ givenName: "Lynden", familyName: "Ferguson", organisationId: bsImmigration, email: "l.ferguson@immigration.example", emailRemindersOff: true })
      .returning())[0];
    expect(((await post(cookie, kept.id, { intent: "merge", mergeId: String(other.id) })) as Response).status).toBe(302);
    expect(await personById(kept.id)).toMatchObject({ email: "l.ferguson@immigration.example", emailRemindersOff: true });
  });

  it("refuses to merge a person into themselves, and answers 404 for an unknown person", async () => {
    const { cookie } = await signedIn();
    const dario = await personByName("Dario", "Knowles");
    const regsBefore = firstRow(await getDb().select({ n: count() }).from(registrations).where(eq(registrations.personId, dario.id)).limit(1))!.n;
    const self = unwrap(await post(cookie, dario.id, { intent: "merge", mergeId: String(dario.id) }));
    expect(self.status).toBe(400);
    expect(self.data.errors.mergeId).toBe("people.errors.mergeSelf");
    const junk = unwrap(await post(cookie, dario.id, { intent: "merge", mergeId: "abc" }));
    expect(junk.status).toBe(400);
    const unknown = (await post(cookie, dario.id, { intent: "merge", mergeId: "999999" })) as Response;
    expect(unknown.status).toBe(404);
    expect(await personById(dario.id)).toBeDefined();
    expect(firstRow(await getDb().select({ n: count() }).from(registrations).where(eq(registrations.personId, dario.id)).limit(1))!.n).toBe(regsBefore);
    // a preview of itself or of nobody is simply not shown
    expect(unwrap(await page(cookie, dario.id, `?merge=${dario.id}`)).data.merge).toBeNull();
    expect(unwrap(await page(cookie, dario.id, "?merge=999999")).data.merge).toBeNull();
  });
});

describe("who may see people", () => {
  it("answers 403 to participants, partners, donors and facilitators, in routes and in models", async () => {
    const dario = await personByName("Dario", "Knowles");
    const before = await peopleCount();
    for (const role of ["participant", "partner", "donor", "facilitator"] as const) {
      const { user, cookie } = await signedIn(role);
      const statuses = [
        await listPage(cookie),
        await search(cookie, { q: "rolle" }),
        await call(peopleNew.loader, makeRequest("/people/new", { cookie })),
        await create(cookie, { givenName: "Intruder", familyName: role }),
        await page(cookie, dario.id),
        await post(cookie, dario.id, { intent: "update", givenName: "Hijacked", familyName: "Knowles" }),
        await post(cookie, dario.id, { intent: "merge", mergeId: String((await personByName("Latoya", "Ferguson")).id) }),
      ].map((r) => (r as Response).status);
      expect(statuses, role).toEqual([403, 403, 403, 403, 403, 403, 403]);
      const actor: Actor = { user: { id: user.id, email: user.email, name: "x", role, organisationId: null, locale: null }, ip: null };
      await expect((async () => await listPeople(actor))()).rejects.toThrow();
      try {
        await mergePeople(actor, dario.id, (await personByName("Latoya", "Ferguson")).id);
      } catch (error) {
        expect((error as Response).status).toBe(403);
      }
    }
    expect(await peopleCount()).toBe(before);
    expect((await personById(dario.id))!.givenName).toBe("Dario");
  });

  it("sends anonymous visitors to the login page", async () => {
    const dario = await personByName("Dario", "Knowles");
    type Case = [Parameters<typeof call>[0], string, Record<string, string>];
    const pages: Case[] = [
      [peopleIndex.loader, "/people", {}],
      [peopleNew.loader, "/people/new", {}],
      [personPage.loader, `/people/${dario.id}`, { personId: String(dario.id) }],
    ];
    for (const [fn, path, params] of pages) {
      const response = (await call(fn, makeRequest(path), params)) as Response;
      expect(response.status).toBe(302);
      expect(response.headers.get("Location")).toBe(`/login?redirectTo=${encodeURIComponent(path)}`);
    }
    const posts: Case[] = [
      [peopleIndex.action, "/people?index", {}],
      [peopleNew.action, "/people/new", {}],
      [personPage.action, `/people/${dario.id}`, { personId: String(dario.id) }],
    ];
    for (const [fn, path, params] of posts) {
      const response = (await call(fn, makeRequest(path, { form: { q: "rolle", intent: "update" } }), params)) as Response;
      expect(response.status).toBe(302);
      expect(response.headers.get("Location")).toMatch(/^\/login\?redirectTo=/);
    }
  });
});
