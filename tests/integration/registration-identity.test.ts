import { and, desc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi, afterEach } from "vitest";
import { getDb, firstRow } from "../../db/client";
import { auditLog, emailOutbox, events, organisations, people, registrationRequests, registrations, users } from "../../db/schema";
import { seedDemo } from "../../db/seed/demo";
import { getPerson } from "~/models/people.server";
import { REGISTRATION_REQUEST_VALID_MS } from "~/models/public-registration.server";
import * as register from "~/routes/events_.$eventId.register";
import * as done from "~/routes/events_.$eventId.register_.done";
import * as confirmPage from "~/routes/registrations.confirm.$token";
import * as me from "~/routes/me";
import { call, makeRequest, sessionCookie, unwrap } from "../setup/helpers";

/**
 * A stranger on the public registration page must not take over, reveal or change an existing
 * person or account. Each attack below was possible before: a name and an agency linked a new
 * account to an officer's record; a known email filled that person's fields, registered them, and
 * the answer said they were already registered.
 */

const TODAY = new Date("2026-11-22T12:00:00Z");
let immigrationId: number;
let coordinator: { user: { id: string; email: string; name: string; role: "coordinator"; organisationId: null; locale: null }; ip: null };

beforeAll(async () => {
  await seedDemo(getDb(), { today: TODAY });
  immigrationId = firstRow(await getDb().select().from(organisations).where(eq(organisations.name, "Bahamas Department of Immigration")).limit(1))!.id;
  const c = firstRow(await getDb().select().from(users).where(eq(users.email, "coordinator@example.org")).limit(1))!;
  coordinator = { user: { id: c.id, email: c.email, name: c.name, role: "coordinator", organisationId: null, locale: null }, ip: null };
});
afterEach(() => vi.useRealTimers());

let eventCounter = 0;
async function openEvent(options: { closesAt?: Date } = {}) {
  eventCounter++;
  return (await getDb()
    .insert(events)
    .values({
      title: `Follow-up training ${eventCounter}`,
      type: "training",
      country: "BS",
      timeZone: "America/Nassau",
      startDate: "2027-01-12",
      endDate: "2027-01-13",
      capacity: 30,
      status: "open",
      registrationClosesAt: options.closesAt ?? null,
    })
    .returning())[0].id;
}

async function submit(eventId: number, form: Record<string, string>, cookie?: string) {
  return await call(register.action, makeRequest(`/events/${eventId}/register`, { form, cookie }), { eventId: String(eventId) });
}

async function personByName(givenName: string, familyName: string) {
  return await getDb()
    .select()
    .from(people)
    .where(and(eq(people.givenName, givenName), eq(people.familyName, familyName)));
}

async function regsOf(eventId: number) {
  return await getDb().select().from(registrations).where(eq(registrations.eventId, eventId));
}

async function mailsTo(email: string) {
  return await getDb().select().from(emailOutbox).where(eq(emailOutbox.toAddress, email)).orderBy(desc(emailOutbox.id));
}

async function confirmationToken(email: string) {
  const mail = (await mailsTo(email)).find((m) => m.kind === "registration_confirm_request");
  const token = mail?.text.match(/\/registrations\/confirm\/([A-Za-z0-9_-]+)/)?.[1];
  if (!token) throw new Error(`no confirmation link was emailed to ${email}`);
  return token;
}

const confirmGet = async (token: string) => await call(confirmPage.loader, makeRequest(`/registrations/confirm/${token}`), { token });
const confirmPost = async (token: string) => await call(confirmPage.action, makeRequest(`/registrations/confirm/${token}`, { form: {} }), { token });

const form = (extra: Record<string, string>) => ({ consent: "yes", locale: "en", ...extra });

describe("a stranger cannot take over an officer's record", () => {
  it("a name and an agency with any email make a new person, linked to nothing; the officer's record, account and trainings stay theirs", async () => {
    const eventId = await openEvent();
    const [officer] = await personByName("Theron", "Bain");
    expect(officer).toBeDefined();
    const officerBefore = { ...officer };
    const officerRegs = await getDb().select().from(registrations).where(eq(registrations.personId, officer.id));

    const answer = (await submit(
      eventId,
      form({ givenName: "Theron", familyName: "Bain", organisationId: String(officer.organisationId), email: "stranger@elsewhere.example" }),
    )) as Response;
    expect(answer.status).toBe(302);

    // the officer's record is untouched and not on the new event
    expect(firstRow(await getDb().select().from(people).where(eq(people.id, officer.id)).limit(1))).toEqual(officerBefore);
    expect(await getDb().select().from(registrations).where(eq(registrations.personId, officer.id))).toEqual(officerRegs);
    // a new person holds the stranger's registration and account
    const strangerPerson = firstRow(await getDb().select().from(people).where(eq(people.email, "stranger@elsewhere.example")).limit(1))!;
    expect(strangerPerson.id).not.toBe(officer.id);
    expect((await regsOf(eventId)).map((r) => r.personId)).toEqual([strangerPerson.id]);
    const strangerAccount = firstRow(await getDb().select().from(users).where(eq(users.email, "stranger@elsewhere.example")).limit(1))!;
    expect(strangerPerson.userId).toBe(strangerAccount.id);

    // signed in, the stranger sees their own new registration only: none of the officer's trainings
    const cookie = await sessionCookie({ id: strangerAccount.id, role: "participant" });
    const page = (await call(me.loader, makeRequest("/me", { cookie }))) as Awaited<ReturnType<typeof me.loader>>;
    expect([...page.upcoming, ...page.past].map((r) => r.eventId)).toEqual([eventId]);
    expect(page.certificates).toEqual([]);
    expect(page.plans).toEqual([]);

    // the likely duplicate is for a coordinator to see and merge
    const { duplicates } = await getPerson(coordinator, officer.id);
    expect(duplicates.map((d) => [d.id, d.reason])).toContainEqual([strangerPerson.id, "name"]);
  });

  it("a known email changes nothing, registers no one and creates no account: a confirmation link goes to that address", async () => {
    const eventId = await openEvent();
    const [officer] = await personByName("Theron", "Bain");
    const email = "theron.bain.known@immigration.example";
    await getDb().update(people).set({ email, phone: null, dietaryNeeds: null }).where(eq(people.id, officer.id));
    const before = firstRow(await getDb().select().from(people).where(eq(people.id, officer.id)).limit(1))!;
    const usersBefore = (await getDb().select().from(users)).length;
    const peopleBefore = (await getDb().select().from(people)).length;

    const answer = (await submit(
      eventId,
      form({ givenName: "Someone", familyName: "Else", email, phone: "+1 555 0000", dietaryNeeds: "stranger's value", accessibilityNeeds: "stranger's" }),
    )) as Response;
    expect(answer.status).toBe(302);
    expect(firstRow(await getDb().select().from(people).where(eq(people.id, officer.id)).limit(1))).toEqual(before);
    expect(await regsOf(eventId)).toEqual([]);
    expect(await getDb().select().from(users)).toHaveLength(usersBefore);
    expect(await getDb().select().from(people)).toHaveLength(peopleBefore);
    expect((await mailsTo(email)).map((m) => m.kind)).toEqual(["registration_confirm_request"]);
    // the link is stored only as a hash
    const token = await confirmationToken(email);
    const stored = firstRow(await getDb().select().from(registrationRequests).where(eq(registrationRequests.email, email)).limit(1))!;
    expect(stored.tokenHash).not.toContain(token);
    expect(JSON.stringify(stored)).not.toContain(token);
  });

  it("answers the same words whether or not the email was known", async () => {
    const eventId = await openEvent();
    const known = (await submit(eventId, form({ givenName: "A", familyName: "Known", email: "participant@example.org" }))) as Response;
    const unknown = (await submit(eventId, form({ givenName: "A", familyName: "Stranger", email: "never-seen@elsewhere.example" }))) as Response;
    expect(known.status).toBe(unknown.status);
    expect(known.headers.get("Location")).toBe(unknown.headers.get("Location"));
    const page = async (location: string) => await call(done.loader, makeRequest(location), { eventId: String(eventId) });
    expect(await page(known.headers.get("Location")!)).toEqual(await page(unknown.headers.get("Location")!));
    // and again once the known person is registered: no "already registered"
    const again = (await submit(eventId, form({ givenName: "A", familyName: "Known", email: "participant@example.org" }))) as Response;
    expect(again.headers.get("Location")).toBe(unknown.headers.get("Location"));
  });

  it("the owner of the address confirms: then the person is registered, only their empty fields filled, and invited if they have no account", async () => {
    const eventId = await openEvent();
    const email = "rostered.only@immigration.example";
    const personId = (await getDb()
      .insert(people)
      .values({ givenName: "Rostered", familyName: "Only", email, phone: "+1 242 555 0199", organisationId: immigrationId })
      .returning())[0].id;
    await submit(eventId, form({ givenName: "Rostered", familyName: "Only", email, phone: "+1 000", dietaryNeeds: "vegetarian" }));
    const token = await confirmationToken(email);

    // opening the link (a mail scanner does) changes nothing
    const shown = unwrap(await confirmGet(token));
    expect(shown.status).toBe(200);
    expect(shown.data.request?.event.id).toBe(eventId);
    // the reader sees what confirming would add to the record
    expect(shown.data.request?.typed).toMatchObject({ phone: "+1 000", dietaryNeeds: "vegetarian" });
    expect(await regsOf(eventId)).toEqual([]);

    const confirmed = (await confirmPost(token)) as Response;
    expect(confirmed.status).toBe(302);
    expect(confirmed.headers.get("Location")).toBe(`/events/${eventId}/register/done?status=confirmed`);
    expect((await regsOf(eventId)).map((r) => [r.personId, r.status])).toEqual([[personId, "confirmed"]]);
    const after = firstRow(await getDb().select().from(people).where(eq(people.id, personId)).limit(1))!;
    expect(after.phone).toBe("+1 242 555 0199");
    expect(after.dietaryNeeds).toBe("vegetarian");
    const account = firstRow(await getDb().select().from(users).where(eq(users.email, email)).limit(1))!;
    expect(after.userId).toBe(account.id);
    expect((await mailsTo(email)).map((m) => m.kind).sort()).toEqual(["invitation", "registration_confirm_request", "registration_confirmed"]);

    // the link works once
    const second = unwrap(await confirmPost(token));
    expect(second.status).toBe(410);
    expect(unwrap(await confirmGet(token)).status).toBe(410);
    expect(await regsOf(eventId)).toHaveLength(1);
  });

  it("an account's email (no person with it): confirming registers the account's own person", async () => {
    const eventId = await openEvent();
    const account = firstRow(await getDb().select().from(users).where(eq(users.email, "participant@example.org")).limit(1))!;
    const own = firstRow(await getDb().select().from(people).where(eq(people.userId, account.id)).limit(1))!;
    await submit(eventId, form({ givenName: "Shavonne", familyName: "Rolle", email: "participant@example.org" }));
    expect(await regsOf(eventId)).toEqual([]);
    await confirmPost(await confirmationToken("participant@example.org"));
    expect((await regsOf(eventId)).map((r) => r.personId)).toEqual([own.id]);
  });

  it("a link that expired or that nobody sent does nothing", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(TODAY);
    const eventId = await openEvent();
    await submit(eventId, form({ givenName: "Late", familyName: "Clicker", email: "participant@example.org" }));
    const token = await confirmationToken("participant@example.org");
    vi.setSystemTime(TODAY.getTime() + REGISTRATION_REQUEST_VALID_MS + 1000);
    expect(unwrap(await confirmGet(token)).status).toBe(410);
    expect(unwrap(await confirmPost(token)).status).toBe(410);
    expect(unwrap(await confirmPost("x".repeat(43))).status).toBe(410);
    expect(unwrap(await confirmPost("short")).status).toBe(410);
    expect(await regsOf(eventId)).toEqual([]);
  });

  it("a link for an event whose registration has closed since says so and registers nothing", async () => {
    const eventId = await openEvent();
    await submit(eventId, form({ givenName: "Shavonne", familyName: "Rolle", email: "participant@example.org" }));
    const token = await confirmationToken("participant@example.org");
    await getDb().update(events).set({ registrationClosesAt: new Date("2020-01-01T00:00:00Z") }).where(eq(events.id, eventId));
    const refused = unwrap(await confirmPost(token));
    expect(refused.status).toBe(400);
    expect(refused.data.error).toBe("registration.errors.closed");
    expect(await regsOf(eventId)).toEqual([]);
  });

  it("nobody can flood an inbox through the page: at most 5 confirmation links an hour to one address, with the same answer", async () => {
    const eventId = await openEvent();
    const email = "flooded@immigration.example";
    await getDb().insert(people).values({ givenName: "Flooded", familyName: "Inbox", email });
    const answers: (string | null)[] = [];
    for (let i = 0; i < 8; i++) {
      const answer = (await submit(eventId, form({ givenName: "Flooded", familyName: `Inbox ${i}`, email }), undefined)) as Response;
      answers.push(answer.headers.get("Location"));
    }
    expect(new Set(answers).size).toBe(1);
    expect((await mailsTo(email)).filter((m) => m.kind === "registration_confirm_request")).toHaveLength(5);
  });

  it("the audit log records a request without the person's details", async () => {
    const eventId = await openEvent();
    await submit(eventId, form({ givenName: "Audit", familyName: "Trail", email: "participant@example.org", phone: "+1 242 555 0142" }));
    const entry = firstRow(await getDb().select().from(auditLog).where(eq(auditLog.action, "registration.request")).orderBy(desc(auditLog.id)).limit(1))!;
    expect(entry.entityId).toBe(String(eventId));
    expect(JSON.stringify(entry)).not.toContain("participant@example.org");
    expect(JSON.stringify(entry)).not.toContain("555 0142");
  });
});

describe("a signed-in participant registers as themselves", () => {
  it("the form comes filled in with their details, and the email sent is ignored: their own record is registered", async () => {
    const eventId = await openEvent();
    const account = firstRow(await getDb().select().from(users).where(eq(users.email, "participant@example.org")).limit(1))!;
    const own = firstRow(await getDb().select().from(people).where(eq(people.userId, account.id)).limit(1))!;
    const cookie = await sessionCookie({ id: account.id, role: "participant" });
    const page = (await call(register.loader, makeRequest(`/events/${eventId}/register`, { cookie }), { eventId: String(eventId) })) as Awaited<
      ReturnType<typeof register.loader>
    >;
    expect(page.signedIn?.values).toMatchObject({ givenName: own.givenName, familyName: own.familyName, email: "participant@example.org" });
    expect(page.signedIn?.values.organisationId).toBe(String(own.organisationId));

    const [victim] = await personByName("Theron", "Bain");
    const victimBefore = firstRow(await getDb().select().from(people).where(eq(people.id, victim.id)).limit(1));
    const answer = (await submit(
      eventId,
      form({ givenName: own.givenName, familyName: own.familyName, email: victim.email ?? "theron@elsewhere.example", phone: "+1 242 555 0177", organisationId: String(own.organisationId) }),
      cookie,
    )) as Response;
    expect(answer.headers.get("Location")).toBe(`/events/${eventId}/register/done?status=confirmed`);
    expect((await regsOf(eventId)).map((r) => r.personId)).toEqual([own.id]);
    expect(firstRow(await getDb().select().from(people).where(eq(people.id, victim.id)).limit(1))).toEqual(victimBefore);
    const after = firstRow(await getDb().select().from(people).where(eq(people.id, own.id)).limit(1))!;
    expect(after.email).toBe(own.email);
    expect(after.phone).toBe("+1 242 555 0177");

    const again = (await submit(eventId, form({ givenName: own.givenName, familyName: own.familyName }), cookie)) as Response;
    expect(again.headers.get("Location")).toBe(`/events/${eventId}/register/done?status=already`);
    // fields left empty on the second form kept their values
    expect(firstRow(await getDb().select().from(people).where(eq(people.id, own.id)).limit(1))).toMatchObject({ phone: "+1 242 555 0177", organisationId: own.organisationId });
  });
});
