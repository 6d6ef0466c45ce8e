import crypto from "node:crypto";
import { and, asc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb, firstRow } from "../../db/client";
import { actionPlans, events, eventSessions, followUpRequests, organisations, people, programmes, registrations, submissionKeys, users } from "../../db/schema";
import { DEMO_EVENTS, DEMO_FOLLOW_UP_TITLE, DEMO_ORGANISATIONS, DEMO_PROGRAMMES, seedDemo } from "../../db/seed/demo";
import { SUBMISSION_KEY_FIELD } from "~/lib/submission-key";
import { saveActionPlanTemplate } from "~/models/action-plans.server";
import { SUBMISSION_KEY_TTL_MS } from "~/models/submission-keys.server";
import * as eventsNew from "~/routes/events.new";
import * as peopleNew from "~/routes/people.new";
import * as register from "~/routes/events_.$eventId.register";
import { call, createUser, makeRequest, rawAll, rawGet, sessionCookie, unwrap } from "../setup/helpers";
import { startRouteServer } from "../setup/route-server";

/**
 * Double submits (issue 10): every create form carries a one-time key; the same submission sent
 * again — ten times at once, or once more later — creates one record, and every answer sends the
 * browser to the same place. A failed submission stores nothing (the retry works); a submission
 * without a key is accepted without that protection (scripts, pages from before keys existed).
 */

const TODAY = new Date("2026-11-22T12:00:00Z");
type Subject = "anon" | "admin" | "coordinator" | "participant" | "partner";
const cookies = {} as Record<Exclude<Subject, "anon">, string>;
const ids: Record<string, string> = {};

const modules = import.meta.glob("../../app/routes/*.{ts,tsx}");
type Handler = Parameters<typeof call>[0];
async function route(name: string) {
  const load = modules[`../../app/routes/${name}.tsx`] ?? modules[`../../app/routes/${name}.ts`];
  if (!load) throw new Error(`no route ${name}`);
  return (await load()) as { loader: Handler; action: Handler };
}

const rows = async (table: string) => Number((await rawGet<{ n: number }>(`select count(*) as n from "${table}"`))!.n);
const newKey = () => crypto.randomUUID();
const resolve = (v: string) => v.replace(/\$(\w+)/g, (whole, k: string) => ids[k] ?? whole);

function post(path: string, form: Record<string, string | string[]>, cookie?: string, ip?: string) {
  const resolved = Object.fromEntries(Object.entries(form).map(([k, v]) => [k, Array.isArray(v) ? v.map(resolve) : resolve(v)]));
  return makeRequest(resolve(path), { form: resolved, cookie, headers: ip ? { "x-convene-client-ip": ip } : undefined });
}

const person = (n: string) => ({
  givenName: "Ana",
  familyName: `Twice ${n}`,
  email: `twice-${n}@test.example`,
  phone: "+1 242 555 0100",
  sex: "female",
  organisationId: "$bsImmigration",
  position: "Officer",
  roleCategory: "immigration_officer",
  nationality: "BS",
});
const eventForm = (title: string) => ({ title, type: "training", country: "BS", timeZone: "America/Nassau", startDate: "2027-03-01", endDate: "2027-03-03", completionThreshold: "80" });
const itemForm = (action: string) => ({ action, targetDate: "2027-06-30", responsible: "Me", indicator: "Briefed", status: "planned" });

beforeAll(async () => {
  const db = getDb();
  await seedDemo(db, { today: TODAY });
  for (const role of ["admin", "coordinator", "participant", "partner"] as const) {
    const u = firstRow(await db.select().from(users).where(eq(users.email, `${role}@example.org`)).limit(1))!;
    cookies[role] = await sessionCookie(u);
  }
  const eventId = async (title: string) => firstRow(await db.select({ id: events.id }).from(events).where(eq(events.title, title)).limit(1))!.id;
  const vi = await eventId(DEMO_EVENTS.victimIdentification);
  const fu = await eventId(DEMO_EVENTS.followUp);
  const participantPerson = firstRow(await db.select({ id: people.id }).from(people).innerJoin(users, eq(users.id, people.userId)).where(eq(users.email, "participant@example.org")).limit(1))!.id;
  const viPeople = (await db
    .select({ personId: registrations.personId })
    .from(registrations)
    .where(and(eq(registrations.eventId, vi), eq(registrations.eventRole, "participant"), eq(registrations.status, "confirmed")))
    .orderBy(asc(registrations.id)))
    .map((r) => r.personId)
    .filter((p) => p !== participantPerson);
  const members = new Set((await rawAll<{ p: number }>("select person_id as p from action_plan_members")).map((m) => m.p));
  const onFu = new Set((await db.select({ p: registrations.personId }).from(registrations).where(eq(registrations.eventId, fu))).map((r) => r.p));
  const scratch = (await db
    .insert(events)
    .values({ title: "Scratch event", type: "training", country: "BS", timeZone: "America/Nassau", startDate: "2027-03-01", endDate: "2027-03-03", capacity: 30, status: "draft" })
    .returning())[0].id;
  // one session on the scratch event's first day, for copying that day
  await db.insert(eventSessions).values({ eventId: scratch, title: "Scratch opening", startsAt: new Date("2027-03-01T14:00:00Z"), endsAt: new Date("2027-03-01T15:00:00Z") });
  const coordinator = firstRow(await db.select().from(users).where(eq(users.email, "coordinator@example.org")).limit(1))!;
  await saveActionPlanTemplate({ user: { id: coordinator.id, email: coordinator.email, name: coordinator.name, role: coordinator.role, organisationId: coordinator.organisationId, locale: coordinator.locale }, ip: null }, vi, "Template");
  const plan = firstRow(await db.select({ id: actionPlans.id }).from(actionPlans).where(eq(actionPlans.title, "Bringing victim identification into port operations")).limit(1))!.id;
  const planItem = (await rawGet<{ id: number }>("select id from action_plan_items where plan_id = ? order by position limit 1", plan))!;
  Object.assign(ids, {
    vi: String(vi),
    fu: String(fu),
    scratch: String(scratch),
    plan: String(plan),
    planItem: String(planItem.id),
    planless: String(viPeople.find((p) => !members.has(p))!),
    nominee: String(viPeople.find((p) => !onFu.has(p))!),
    request: String(firstRow(await db.select({ id: followUpRequests.id }).from(followUpRequests).where(eq(followUpRequests.title, DEMO_FOLLOW_UP_TITLE)).limit(1))!.id),
    bsImmigration: String(firstRow(await db.select({ id: organisations.id }).from(organisations).where(eq(organisations.name, DEMO_ORGANISATIONS.bahamasImmigration)).limit(1))!.id),
    programme: String(firstRow(await db.select({ id: programmes.id }).from(programmes).where(eq(programmes.name, DEMO_PROGRAMMES.westernHemisphere)).limit(1))!.id),
  });
});

/** Ten identical submissions at once (Promise.all over the action): their statuses and places. */
async function tenAtOnce(action: Handler, path: string, form: Record<string, string>, params: Record<string, string>, cookie?: string) {
  const ip = `203.0.113.${Math.floor(Math.random() * 200) + 1}`; // one browser: one address
  const results = await Promise.all(Array.from({ length: 10 }, async () => await call(action, post(path, form, cookie, ip), params)));
  return results.map((r) => {
    const { status, headers } = unwrap(r);
    return { status, location: headers.get("Location") };
  });
}

describe("ten identical POSTs at once create one record", () => {
  it("a new event: one event, ten redirects to it", async () => {
    const before = await rows("events");
    const answers = await tenAtOnce(eventsNew.action, "/events/new", { ...eventForm("Ten at once"), [SUBMISSION_KEY_FIELD]: newKey() }, {}, cookies.coordinator);
    expect(await rows("events")).toBe(before + 1);
    const created = await getDb().select().from(events).where(eq(events.title, "Ten at once"));
    expect(created).toHaveLength(1);
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(302));
    expect(new Set(answers.map((a) => a.location))).toEqual(new Set([`/events/${created[0].id}`]));
  });

  it("a public registration: one person, one registration, ten redirects to the same confirmation", async () => {
    const before = { people: await rows("people"), registrations: await rows("registrations") };
    const answers = await tenAtOnce(
      register.action,
      "/events/$fu/register",
      { ...person("registration"), consent: "yes", locale: "en", website: "", [SUBMISSION_KEY_FIELD]: newKey() },
      { eventId: ids.fu },
    );
    expect(await rows("people")).toBe(before.people + 1);
    expect(await rows("registrations")).toBe(before.registrations + 1);
    // each email the registration sends, once (not ten times)
    const emails = await rawAll<{ kind: string; n: number }>("select kind, count(*) as n from email_outbox where to_address = ? group by kind", "twice-registration@test.example");
    expect(emails.length).toBeGreaterThan(0);
    expect(emails.filter((e) => e.n !== 1)).toEqual([]);
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(302));
    const places = new Set(answers.map((a) => a.location));
    expect(places.size).toBe(1);
    expect([...places][0]).toBe(`/events/${ids.fu}/register/done?status=checkEmail`);
  });

  it("a new person: one record, ten redirects to it", async () => {
    const before = await rows("people");
    const answers = await tenAtOnce(peopleNew.action, "/people/new", { ...person("people-new"), [SUBMISSION_KEY_FIELD]: newKey() }, {}, cookies.coordinator);
    expect(await rows("people")).toBe(before + 1);
    const created = await getDb().select().from(people).where(eq(people.email, "twice-people-new@test.example"));
    expect(created).toHaveLength(1);
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(302));
    expect(new Set(answers.map((a) => a.location))).toEqual(new Set([`/people/${created[0].id}`]));
  });

  it("through the HTTP server: ten concurrent requests, one event, ten redirects to it", async () => {
    const { base, close } = await startRouteServer({ "events/new": eventsNew });
    try {
      const body = new URLSearchParams({ ...eventForm("Ten over HTTP"), [SUBMISSION_KEY_FIELD]: newKey() }).toString();
      const responses = await Promise.all(
        Array.from({ length: 10 }, () =>
          fetch(`${base}/events/new`, {
            method: "POST",
            headers: { Cookie: cookies.coordinator, Origin: base, "Content-Type": "application/x-www-form-urlencoded" },
            body,
            redirect: "manual",
          }),
        ),
      );
      const created = await getDb().select().from(events).where(eq(events.title, "Ten over HTTP"));
      expect(created).toHaveLength(1);
      expect(responses.map((r) => r.status)).toEqual(Array(10).fill(302));
      expect(new Set(responses.map((r) => r.headers.get("Location")))).toEqual(new Set([`/events/${created[0].id}`]));
    } finally {
      await close();
    }
  });
});

/**
 * Every create form: its page gives a key, and the same submission sent twice creates one record
 * (counted in `table`) and sends both answers to the same place.
 */
const FORMS: { route: string; path: string; params?: Record<string, string>; as: Subject; form: Record<string, string | string[]>; table: string }[] = [
  { route: "events.new", path: "/events/new", as: "coordinator", form: eventForm("Twice event"), table: "events" },
  { route: "events.$eventId._index", path: "/events/$vi", params: { eventId: "$vi" }, as: "coordinator", form: { intent: "duplicate", startDate: "2027-09-01" }, table: "events" },
  { route: "events.$eventId.sessions.new", path: "/events/$scratch/sessions/new", params: { eventId: "$scratch" }, as: "coordinator", form: { title: "Twice session", kind: "presentation", day: "2027-03-02", start: "11:00", end: "12:00" }, table: "event_sessions" },
  { route: "events.$eventId.sessions.several", path: "/events/$scratch/sessions/several", params: { eventId: "$scratch" }, as: "coordinator", form: { rows: "2", intent: "create", "row-0-title": "Twice row", "row-0-kind": "presentation", "row-0-day": "2027-03-02", "row-0-start": "13:00", "row-0-end": "14:00", "row-0-room": "", "row-0-facilitator": "", "row-1-title": "", "row-1-kind": "presentation", "row-1-day": "2027-03-02", "row-1-start": "", "row-1-end": "", "row-1-room": "", "row-1-facilitator": "" }, table: "event_sessions" },
  { route: "events.$eventId.sessions.copy-day", path: "/events/$scratch/sessions/copy-day", params: { eventId: "$scratch" }, as: "coordinator", form: { from: "2027-03-01", to: "2027-03-03" }, table: "event_sessions" },
  { route: "programmes.new", path: "/programmes/new", as: "coordinator", form: { name: "Twice programme", code: "TW", description: "d", startDate: "2027-01-01", endDate: "2027-12-31" }, table: "programmes" },
  { route: "organisations.new", path: "/organisations/new", as: "coordinator", form: { name: "Twice agency", acronym: "TA", kind: "government_partner", country: "BS" }, table: "organisations" },
  { route: "people.new", path: "/people/new", as: "coordinator", form: person("twice"), table: "people" },
  { route: "admin.users.new", path: "/admin/users/new", as: "admin", form: { name: "Twice user", email: "twice-user@test.example", role: "partner", organisationId: "$bsImmigration", locale: "en" }, table: "users" },
  { route: "follow-ups.new", path: "/follow-ups/new", as: "coordinator", form: { title: "Twice request", description: "d", country: "BS", localities: "Andros", requestingOrganisationId: "$bsImmigration", priority: "normal" }, table: "follow_up_requests" },
  { route: "follow-ups.$requestId", path: "/follow-ups/$request", params: { requestId: "$request" }, as: "partner", form: { intent: "comment", comment: "Any news, twice?" }, table: "follow_up_request_entries" },
  { route: "events.$eventId.action-plans_.new", path: "/events/$vi/action-plans/new", params: { eventId: "$vi" }, as: "coordinator", form: { title: "Twice plan", memberPersonIds: "$planless" }, table: "action_plans" },
  { route: "events.$eventId.roster_.add", path: "/events/$scratch/roster/add", params: { eventId: "$scratch" }, as: "coordinator", form: { ...person("roster"), eventRole: "participant", status: "confirmed" }, table: "registrations" },
  { route: "events.$eventId.nominate", path: "/events/$fu/nominate", params: { eventId: "$fu" }, as: "partner", form: { personIds: "$nominee" }, table: "registrations" },
  { route: "events_.$eventId.register", path: "/events/$fu/register", params: { eventId: "$fu" }, as: "anon", form: { ...person("register"), consent: "yes", locale: "en", website: "" }, table: "registrations" },
  { route: "events.$eventId.action-plans_.$planId", path: "/events/$vi/action-plans/$plan", params: { eventId: "$vi", planId: "$plan" }, as: "participant", form: { intent: "add-item", ...itemForm("Twice item") }, table: "action_plan_items" },
  { route: "events.$eventId.action-plans_.$planId", path: "/events/$vi/action-plans/$plan", params: { eventId: "$vi", planId: "$plan" }, as: "participant", form: { intent: "progress", itemId: "$planItem", note: "Twice progress" }, table: "action_plan_updates" },
  { route: "events.$eventId.action-plans_.$planId", path: "/events/$vi/action-plans/$plan", params: { eventId: "$vi", planId: "$plan" }, as: "coordinator", form: { intent: "comment", body: "Twice comment" }, table: "action_plan_comments" },
  { route: "events.$eventId.action-plans_.template", path: "/events/$vi/action-plans/template", params: { eventId: "$vi" }, as: "coordinator", form: { intent: "add-item", ...itemForm("Twice template item") }, table: "action_plan_items" },
];

describe("every create form", () => {
  for (const f of FORMS) {
    it(`${f.route}${"intent" in f.form ? ` (${f.form.intent})` : ""}: the page gives a key; the same submission twice creates one record`, async () => {
      const mod = await route(f.route);
      const params = Object.fromEntries(Object.entries(f.params ?? {}).map(([k, v]) => [k, resolve(v)]));
      const cookie = f.as === "anon" ? undefined : cookies[f.as];
      const page = unwrap(await call(mod.loader, makeRequest(resolve(f.path), { cookie }), params));
      expect(page.status).toBe(200);
      expect(page.data.formKey).toMatch(/^[0-9a-f-]{36}$/);
      const form = { ...f.form, [SUBMISSION_KEY_FIELD]: page.data.formKey as string };
      const before = await rows(f.table);
      const first = unwrap(await call(mod.action, post(f.path, form, cookie), params));
      const second = unwrap(await call(mod.action, post(f.path, form, cookie), params));
      expect(first.status, JSON.stringify(first.data)).toBe(302);
      expect(second.status).toBe(302);
      expect(second.headers.get("Location")).toBe(first.headers.get("Location"));
      expect(await rows(f.table)).toBe(before + 1);
    });
  }
});

describe("what a key promises, and what it does not", () => {
  it("a failed submission stores nothing: corrected and sent again with the same key, it creates", async () => {
    const key = newKey();
    const keysBefore = await rows("submission_keys");
    const refused = unwrap(await call(eventsNew.action, post("/events/new", { ...eventForm(""), [SUBMISSION_KEY_FIELD]: key }, cookies.coordinator)));
    expect(refused.status).toBe(400);
    expect(await rows("submission_keys")).toBe(keysBefore);
    const before = await rows("events");
    const created = unwrap(await call(eventsNew.action, post("/events/new", { ...eventForm("Corrected"), [SUBMISSION_KEY_FIELD]: key }, cookies.coordinator)));
    expect(created.status).toBe(302);
    expect(await rows("events")).toBe(before + 1);
    expect(await rows("submission_keys")).toBe(keysBefore + 1);
  });

  it("a refusal inside the model (a duplicate person to confirm) stores nothing either", async () => {
    const key = newKey();
    const existing = person("duplicate");
    await call(peopleNew.action, post("/people/new", existing, cookies.coordinator));
    const keysBefore = await rows("submission_keys");
    const asked = unwrap(await call(peopleNew.action, post("/people/new", { ...existing, email: "", [SUBMISSION_KEY_FIELD]: key }, cookies.coordinator)));
    expect(asked.status).toBe(409);
    expect(await rows("submission_keys")).toBe(keysBefore);
  });

  it("the same key with different content (a page restored from the browser's history) is a new submission", async () => {
    const key = newKey();
    const a = unwrap(await call(eventsNew.action, post("/events/new", { ...eventForm("First with key"), [SUBMISSION_KEY_FIELD]: key }, cookies.coordinator)));
    const b = unwrap(await call(eventsNew.action, post("/events/new", { ...eventForm("Second with key"), [SUBMISSION_KEY_FIELD]: key }, cookies.coordinator)));
    expect(a.headers.get("Location")).not.toBe(b.headers.get("Location"));
    expect(await getDb().select().from(events).where(eq(events.title, "Second with key"))).toHaveLength(1);
  });

  it("another user's key is not theirs to replay: it does not reveal where the first submission led", async () => {
    const key = newKey();
    const form = { ...eventForm("Someone else's key"), [SUBMISSION_KEY_FIELD]: key };
    const mine = unwrap(await call(eventsNew.action, post("/events/new", form, cookies.coordinator)));
    const other = await sessionCookie(await createUser({ role: "coordinator" }));
    const theirs = unwrap(await call(eventsNew.action, post("/events/new", form, other)));
    expect(theirs.status).toBe(302);
    expect(theirs.headers.get("Location")).not.toBe(mine.headers.get("Location"));
  });

  it("a submission without a key, or with a malformed one, is accepted without the protection", async () => {
    const before = await rows("events");
    const form = eventForm("Without a key");
    const extras: Record<string, string>[] = [{}, {}, { [SUBMISSION_KEY_FIELD]: "short" }, { [SUBMISSION_KEY_FIELD]: "x".repeat(5000) }];
    for (const extra of extras) {
      expect(unwrap(await call(eventsNew.action, post("/events/new", { ...form, ...extra }, cookies.coordinator))).status).toBe(302);
    }
    expect(await rows("events")).toBe(before + 4);
  });

  it("keys older than a day are pruned when a new one is stored", async () => {
    const now = Date.now();
    await getDb()
      .insert(submissionKeys)
      .values([
        { key: "older-than-a-day", scope: "event", location: "/events/1", createdAt: new Date(now - SUBMISSION_KEY_TTL_MS - 60_000) },
        { key: "younger-than-a-day", scope: "event", location: "/events/1", createdAt: new Date(now - SUBMISSION_KEY_TTL_MS + 60_000) },
      ]);
    await call(eventsNew.action, post("/events/new", { ...eventForm("Prunes"), [SUBMISSION_KEY_FIELD]: newKey() }, cookies.coordinator));
    const keys = (await getDb().select().from(submissionKeys)).map((k) => k.key);
    expect(keys).not.toContain("older-than-a-day");
    expect(keys).toContain("younger-than-a-day");
  });
});

