import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { and, desc, eq } from "drizzle-orm";
import { getDb, firstRow } from "../../db/client";
import { auditLog, consents, emailOutbox, eventPartners, events, eventSessions, people, registrations, users } from "../../db/schema";
import { zonedToUtc } from "~/lib/zoned";
import { seedDemo } from "../../db/seed/demo";
import * as register from "~/routes/events_.$eventId.register";
import * as confirmPage from "~/routes/registrations.confirm.$token";
import * as roster from "~/routes/events.$eventId.roster";
import * as rosterCsv from "~/routes/events.$eventId.roster[.]csv";
import * as nominatePage from "~/routes/events.$eventId.nominate";
import * as me from "~/routes/me";
import { call, createOrganisation, createUser, makeRequest, sessionCookie, unwrap } from "../setup/helpers";

const run = promisify(execFile);
const TODAY = new Date("2026-11-22T12:00:00Z");
let coordinator: string;

beforeAll(async () => {
  await seedDemo(getDb(), { today: TODAY });
  const c = firstRow(await getDb().select().from(users).where(eq(users.email, "coordinator@example.org")).limit(1))!;
  coordinator = await sessionCookie({ id: c.id, role: c.role });
});
afterEach(() => vi.useRealTimers());

let eventCounter = 0;
async function openEvent(options: { capacity?: number | null; requiresApproval?: boolean; status?: "open" | "draft"; closesAt?: Date } = {}) {
  eventCounter++;
  return (await getDb()
    .insert(events)
    .values({
      title: `Open training ${eventCounter}`,
      type: "training",
      country: "BS",
      timeZone: "America/Nassau",
      startDate: "2027-01-12",
      endDate: "2027-01-13",
      capacity: options.capacity === undefined ? 20 : options.capacity,
      requiresApproval: options.requiresApproval ?? false,
      status: options.status ?? "open",
      registrationClosesAt: options.closesAt ?? null,
    })
    .returning())[0].id;
}

const officer = (n: number | string, extra: Record<string, string> = {}) => ({
  givenName: "Dwayne",
  familyName: `Officer ${n}`,
  email: `officer${n}@immigration.example`,
  sex: "male",
  roleCategory: "immigration_officer",
  consent: "yes",
  locale: "en",
  ...extra,
});

async function submit(eventId: number, form: Record<string, string>, headers: Record<string, string> = {}) {
  return await call(register.action, makeRequest(`/events/${eventId}/register`, { form, headers }), { eventId: String(eventId) });
}

/** The token of the newest confirmation link emailed to this address. */
async function confirmationToken(email: string) {
  const mail = firstRow(await getDb()
    .select()
    .from(emailOutbox)
    .where(and(eq(emailOutbox.toAddress, email), eq(emailOutbox.kind, "registration_confirm_request")))
    .orderBy(desc(emailOutbox.id)).limit(1));
  const token = mail?.text.match(/\/registrations\/confirm\/([A-Za-z0-9_-]+)/)?.[1];
  if (!token) throw new Error(`no confirmation link was emailed to ${email}`);
  return token;
}

async function confirm(token: string) {
  return await call(confirmPage.action, makeRequest(`/registrations/confirm/${token}`, { form: {} }), { token });
}

async function regsOf(eventId: number) {
  return await getDb().select().from(registrations).where(eq(registrations.eventId, eventId));
}

describe("public registration", () => {
  it("registers a person with consent, invites them to an account and emails the confirmation", async () => {
    const eventId = await openEvent();
    const response = (await submit(eventId, officer(1))) as Response;
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe(`/events/${eventId}/register/done?status=checkEmail`);
    const person = firstRow(await getDb().select().from(people).where(eq(people.email, "officer1@immigration.example")).limit(1))!;
    expect(person).toMatchObject({ givenName: "Dwayne", sex: "male", roleCategory: "immigration_officer" });
    expect(await regsOf(eventId)).toMatchObject([{ personId: person.id, status: "confirmed", eventRole: "participant" }]);
    expect(await getDb().select().from(consents).where(and(eq(consents.personId, person.id), eq(consents.eventId, eventId)))).toHaveLength(1);
    const account = firstRow(await getDb().select().from(users).where(eq(users.email, "officer1@immigration.example")).limit(1))!;
    expect(account.role).toBe("participant");
    expect(person.userId).toBe(account.id);
    const mails = await getDb().select().from(emailOutbox).where(eq(emailOutbox.toAddress, "officer1@immigration.example"));
    expect(mails.map((m) => m.kind).sort()).toEqual(["invitation", "registration_confirmed"]);
  });

  it("puts the timetable in the confirmation, in the event's own time with its zone named", async () => {
    const eventId = await openEvent();
    await getDb()
      .insert(eventSessions)
      .values({ eventId, title: "Opening and key concepts", startsAt: zonedToUtc("2027-01-12", "09:00", "America/Nassau"), endsAt: zonedToUtc("2027-01-12", "10:30", "America/Nassau"), room: "Hall A" });
    await submit(eventId, officer("tt"));
    const mail = firstRow(await getDb()
      .select()
      .from(emailOutbox)
      .where(and(eq(emailOutbox.toAddress, "officertt@immigration.example"), eq(emailOutbox.kind, "registration_confirmed"))).limit(1))!;
    // 09:00 in Nassau in January is 14:00 UTC: the email shows the local time, not the server's
    expect(mail.text).toContain("9:00");
    expect(mail.text).toContain("Nassau (EST)");
    expect(mail.text).toContain("Opening and key concepts");
    expect(mail.html).toContain("Opening and key concepts");
    expect(mail.text).not.toContain("14:00");
  });

  it("shows the description and the timetable on the public page, in the event's own time with its zone named", async () => {
    const eventId = await openEvent();
    await getDb().update(events).set({ description: "Two days on identifying victims." }).where(eq(events.id, eventId));
    await getDb()
      .insert(eventSessions)
      .values({ eventId, title: "Opening and key concepts", startsAt: zonedToUtc("2027-01-12", "09:00", "America/Nassau"), endsAt: zonedToUtc("2027-01-12", "10:30", "America/Nassau"), room: "Hall A" });
    const page = (await call(register.loader, makeRequest(`/events/${eventId}/register`), { eventId: String(eventId) })) as Awaited<ReturnType<typeof register.loader>>;
    expect(page.event.description).toBe("Two days on identifying victims.");
    expect(page.timetable?.zone).toContain("Nassau");
    const row = page.timetable!.days[0].rows[0];
    expect(row).toMatchObject({ title: "Opening and key concepts", detail: "Hall A" });
    expect(row.time).toMatch(/^0?9:00/);
  });

  it("a second registration with the same email registers nothing until the address confirms, and duplicates nothing", async () => {
    const eventId = await openEvent();
    await submit(eventId, officer(2));
    const again = (await submit(eventId, officer(2, { givenName: "DWAYNE", phone: "+1 242 555 0100" }))) as Response;
    expect(again.headers.get("Location")).toBe(`/events/${eventId}/register/done?status=checkEmail`);
    expect(await regsOf(eventId)).toHaveLength(1);
    expect(await getDb().select().from(people).where(eq(people.email, "officer2@immigration.example"))).toHaveLength(1);
    const token = await confirmationToken("officer2@immigration.example");
    const confirmed = (await confirm(token)) as Response;
    expect(confirmed.headers.get("Location")).toBe(`/events/${eventId}/register/done?status=already`);
    expect(await regsOf(eventId)).toHaveLength(1);
  });

  it("requires consent and a valid email, keeps what was typed, saves nothing", async () => {
    const eventId = await openEvent();
    const result = unwrap(await submit(eventId, { ...officer(3), consent: "", email: "not-an-email" }));
    expect(result.status).toBe(400);
    expect(result.data.errors.consent).toBe("registration.errors.consent");
    expect(result.data.errors.email).toBe("errors.email");
    expect(result.data.values.familyName).toBe("Officer 3");
    expect(await regsOf(eventId)).toHaveLength(0);
  });

  it("ignores a bot that fills the hidden field", async () => {
    const eventId = await openEvent();
    const response = (await submit(eventId, { ...officer(4), website: "http://spam.example" })) as Response;
    expect(response.status).toBe(302);
    expect(await regsOf(eventId)).toHaveLength(0);
  });

  it("refuses drafts (404) and closed windows (a clear message)", async () => {
    const draft = await openEvent({ status: "draft" });
    expect(((await call(register.loader, makeRequest(`/events/${draft}/register`), { eventId: String(draft) })) as Response).status).toBe(404);
    const closed = await openEvent({ closesAt: new Date("2020-01-01T00:00:00Z") });
    const result = unwrap(await submit(closed, officer(5)));
    expect(result.status).toBe(400);
    expect(result.data.errors.form).toBe("registration.errors.closed");
    expect(await regsOf(closed)).toHaveLength(0);
  });

  it("waitlists when full, and puts a registration for approval when the event asks for it", async () => {
    const full = await openEvent({ capacity: 1 });
    await submit(full, officer(6));
    await submit(full, officer(7));
    expect((await regsOf(full)).map((r) => r.status)).toEqual(["confirmed", "waitlisted"]);
    const waitlistMail = await getDb().select().from(emailOutbox).where(eq(emailOutbox.toAddress, "officer7@immigration.example"));
    expect(waitlistMail.map((m) => m.kind).sort()).toEqual(["invitation", "registration_waitlisted"]);
    const approval = await openEvent({ requiresApproval: true });
    await submit(approval, officer(8));
    expect((await regsOf(approval)).map((r) => r.status)).toEqual(["applied"]);
  });
});

describe("capacity under load", () => {
  it("50 simultaneous registrations for the last 5 seats confirm exactly 5 and waitlist the rest", async () => {
    const eventId = await openEvent({ capacity: 25 });
    for (let i = 0; i < 20; i++) await submit(eventId, officer(`pre${i}`));
    const results = await Promise.all(Array.from({ length: 50 }, async (_, i) => await submit(eventId, officer(`rush${i}`))));
    expect(results.every((r) => (r as Response).status === 302)).toBe(true);
    const all = await regsOf(eventId);
    expect(all.filter((r) => r.status === "confirmed")).toHaveLength(25);
    expect(all.filter((r) => r.status === "waitlisted")).toHaveLength(45);
  });

  it("holds across separate processes writing the same database file", async () => {
    const eventId = await openEvent({ capacity: 5 });
    const outputs = await Promise.all(
      ["a", "b", "c", "d", "e"].map((prefix) =>
        run("npx", ["tsx", "tests/setup/register-worker.ts", String(eventId), prefix, "10"], { env: process.env }),
      ),
    );
    const statuses = outputs.flatMap((o) => JSON.parse(o.stdout) as string[]);
    expect(statuses).toHaveLength(50);
    expect(statuses.filter((s) => s === "confirmed")).toHaveLength(5);
    const all = await regsOf(eventId);
    expect(all.filter((r) => r.status === "confirmed")).toHaveLength(5);
    expect(all.filter((r) => r.status === "waitlisted")).toHaveLength(45);
  }, 60_000);
});

describe("waitlist and statuses", () => {
  it("gives a cancelled seat to the first person on the waiting list, by email", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(TODAY);
    const eventId = await openEvent({ capacity: 1 });
    await submit(eventId, officer("w1"));
    vi.setSystemTime(TODAY.getTime() + 1000);
    await submit(eventId, officer("w2"));
    vi.setSystemTime(TODAY.getTime() + 2000);
    await submit(eventId, officer("w3"));
    const firstUser = firstRow(await getDb().select().from(users).where(eq(users.email, "officerw1@immigration.example")).limit(1))!;
    const cookie = await sessionCookie({ id: firstUser.id, role: "participant" });
    const mine = (await regsOf(eventId)).find((r) => r.status === "confirmed")!;
    const cancelled = (await call(me.action, makeRequest("/me", { form: { intent: "cancel", registrationId: String(mine.id) }, cookie }))) as Response;
    expect(cancelled.status).toBe(302);
    const byEmail = async (email: string) => {
      const p = firstRow(await getDb().select().from(people).where(eq(people.email, email)).limit(1))!;
      return (await regsOf(eventId)).find((r) => r.personId === p.id)!.status;
    };
    expect(await byEmail("officerw1@immigration.example")).toBe("cancelled");
    expect(await byEmail("officerw2@immigration.example")).toBe("confirmed");
    expect(await byEmail("officerw3@immigration.example")).toBe("waitlisted");
    const offered = await getDb().select().from(emailOutbox).where(and(eq(emailOutbox.toAddress, "officerw2@immigration.example"), eq(emailOutbox.kind, "registration_seatOffered")));
    expect(offered).toHaveLength(1);
  });

  it("a participant cannot cancel someone else's registration", async () => {
    const eventId = await openEvent();
    await submit(eventId, officer("x1"));
    await submit(eventId, officer("x2"));
    const other = firstRow(await getDb().select().from(users).where(eq(users.email, "officerx2@immigration.example")).limit(1))!;
    const cookie = await sessionCookie({ id: other.id, role: "participant" });
    const p1 = firstRow(await getDb().select().from(people).where(eq(people.email, "officerx1@immigration.example")).limit(1))!;
    const reg = (await regsOf(eventId)).find((r) => r.personId === p1.id)!;
    const refused = (await call(me.action, makeRequest("/me", { form: { intent: "cancel", registrationId: String(reg.id) }, cookie }))) as Response;
    expect(refused.status).toBe(404);
    expect((await regsOf(eventId)).find((r) => r.id === reg.id)!.status).toBe("confirmed");
  });

  it("bulk-confirms within capacity and refuses a batch that would exceed it", async () => {
    const eventId = await openEvent({ capacity: 2, requiresApproval: true });
    for (const n of ["b1", "b2", "b3"]) await submit(eventId, officer(n));
    const ids = (await regsOf(eventId)).map((r) => String(r.id));
    const bulk = async (registrationIds: string[], status: string) =>
      await call(roster.action, makeRequest(`/events/${eventId}/roster`, { form: { registrationIds, status }, cookie: coordinator }), { eventId: String(eventId) });
    const tooMany = unwrap(await bulk(ids, "confirmed"));
    expect(tooMany.status).toBe(400);
    expect(tooMany.data.errors.status).toBe("registration.errors.capacity");
    expect((await regsOf(eventId)).every((r) => r.status === "applied")).toBe(true);
    expect(((await bulk(ids.slice(0, 2), "confirmed")) as Response).status).toBe(302);
    expect(((await bulk(ids.slice(2), "waitlisted")) as Response).status).toBe(302);
    expect((await regsOf(eventId)).map((r) => r.status).sort()).toEqual(["confirmed", "confirmed", "waitlisted"]);
  });
});

describe("emails to a rostered person without an account", () => {
  it("confirms the seat with the details and whom to tell, and no link to a Convene page they do not have", async () => {
    const eventId = await openEvent({ requiresApproval: true });
    await getDb().update(events).set({ contactEmail: "training@convene.example" }).where(eq(events.id, eventId));
    const person = (await getDb().insert(people).values({ givenName: "Cleo", familyName: "Rahming", email: "cleo.rahming@immigration.example" }).returning())[0];
    const registration = (await getDb().insert(registrations).values({ eventId, personId: person.id, status: "applied", statusChangedAt: new Date() }).returning())[0];
    const response = await call(
      roster.action,
      makeRequest(`/events/${eventId}/roster`, { form: { registrationIds: [String(registration.id)], status: "confirmed" }, cookie: coordinator }),
      { eventId: String(eventId) },
    );
    expect((response as Response).status).toBe(302);
    const mail = firstRow(await getDb()
      .select()
      .from(emailOutbox)
      .where(and(eq(emailOutbox.toAddress, "cleo.rahming@immigration.example"), eq(emailOutbox.kind, "registration_confirmed"))).limit(1))!;
    expect(mail.text).toContain("your place at");
    expect(mail.text).not.toContain("/me");
    expect(mail.html).not.toContain("/me");
    expect(mail.text).not.toContain("Convene page");
    expect(mail.text).not.toContain("See my trainings");
    expect(mail.text).toContain("please tell the organisers (training@convene.example)");
  });
});

describe("nominations by a partner", () => {
  it("nominates the agency's own officers (existing and new), and only those", async () => {
    const agency = await createOrganisation("Royal Bahamas Police Force", "government_partner");
    const other = await createOrganisation("Another Agency", "government_partner");
    const partner = await createUser({ role: "partner", organisationId: agency.id });
    const cookie = await sessionCookie(partner);
    const own = (await getDb().insert(people).values({ givenName: "Keisha", familyName: "Rolle", email: "keisha@police.example", organisationId: agency.id }).returning())[0];
    const foreign = (await getDb().insert(people).values({ givenName: "Not", familyName: "Mine", organisationId: other.id }).returning())[0];
    const eventId = await openEvent();
    const form = async (f: Record<string, string | string[]>) => await call(nominatePage.action, makeRequest(`/events/${eventId}/nominate`, { form: f, cookie }), { eventId: String(eventId) });
    const refused = (await form({ personIds: [String(own.id), String(foreign.id)] })) as Response;
    expect(refused.status).toBe(403);
    expect(await regsOf(eventId)).toHaveLength(0);
    const ok = (await form({ personIds: [String(own.id)], givenName: "New", familyName: "Recruit", email: "recruit@police.example" })) as Response;
    expect(ok.status).toBe(302);
    const nominated = await regsOf(eventId);
    expect(nominated).toHaveLength(2);
    expect(nominated.every((r) => r.status === "nominated" && r.nominatedByUserId === partner.id)).toBe(true);
    const recruit = firstRow(await getDb().select().from(people).where(eq(people.email, "recruit@police.example")).limit(1))!;
    expect(recruit.organisationId).toBe(agency.id);
    expect(await getDb().select().from(emailOutbox).where(and(eq(emailOutbox.toAddress, "keisha@police.example"), eq(emailOutbox.kind, "registration_nominated")))).toHaveLength(1);
    // the candidates page lists only the agency's people
    const candidates = unwrap(await call(nominatePage.loader, makeRequest(`/events/${eventId}/nominate`, { cookie }), { eventId: String(eventId) }));
    expect(candidates.data.officers.map((o: { familyName: string }) => o.familyName).sort()).toEqual(["Recruit", "Rolle"]);
    // coordinators see who nominated whom; the partner's roster shows only its own agency
    const coordView = unwrap(await call(roster.loader, makeRequest(`/events/${eventId}/roster`, { cookie: coordinator }), { eventId: String(eventId) }));
    const partnerName = firstRow(await getDb().select().from(users).where(eq(users.id, partner.id)).limit(1))!.name;
    expect(coordView.data.rows.map((r: { nominatedBy: string }) => r.nominatedBy)).toEqual([partnerName, partnerName]);
    await getDb().insert(registrations).values({ eventId, personId: foreign.id, status: "confirmed", statusChangedAt: new Date() });
    const partnerView = unwrap(await call(roster.loader, makeRequest(`/events/${eventId}/roster`, { cookie }), { eventId: String(eventId) }));
    expect(partnerView.data.rows.map((r: { familyName: string }) => r.familyName).sort()).toEqual(["Recruit", "Rolle"]);
    const coordinatorRows = unwrap(await call(roster.loader, makeRequest(`/events/${eventId}/roster`, { cookie: coordinator }), { eventId: String(eventId) })).data.rows;
    expect(coordinatorRows).toHaveLength(3);
  });

  it("offers 'Nominate officers' on the roster only while the nominate page takes nominations: not once the event is completed", async () => {
    const agency = await createOrganisation("Bahamas Customs Department", "government_partner");
    const partner = await createUser({ role: "partner", organisationId: agency.id });
    const cookie = await sessionCookie(partner);
    const eventId = await openEvent();
    // the agency is a partner of the training: it keeps seeing it once registration is over
    await getDb().insert(eventPartners).values({ eventId, organisationId: agency.id });
    const rosterOf = async () => unwrap(await call(roster.loader, makeRequest(`/events/${eventId}/roster`, { cookie }), { eventId: String(eventId) }));
    const nominatePageStatus = async () => {
      const result = await call(nominatePage.loader, makeRequest(`/events/${eventId}/nominate`, { cookie }), { eventId: String(eventId) });
      return result instanceof Response ? result.status : 200;
    };
    const open = await rosterOf();
    expect(open.status).toBe(200);
    expect(open.data.canNominate).toBe(true);
    expect(await nominatePageStatus()).toBe(200);
    for (const status of ["in_progress", "completed", "reported", "cancelled"] as const) {
      await getDb().update(events).set({ status }).where(eq(events.id, eventId));
      const view = await rosterOf();
      expect(view.status, status).toBe(200);
      expect(view.data.canNominate, status).toBe(false);
      expect(await nominatePageStatus(), status).toBe(404);
    }
  });

  it("is only for partners", async () => {
    const eventId = await openEvent();
    const res = (await call(nominatePage.loader, makeRequest(`/events/${eventId}/nominate`, { cookie: coordinator }), { eventId: String(eventId) })) as Response;
    expect(res.status).toBe(403);
  });
});

describe("roster", () => {
  it("shows the Bahamas roster by role category and sex, and exports it (audited) for coordinators only", async () => {
    const victim = firstRow(await getDb().select().from(events).where(eq(events.title, "Identification and Protection of Victims of Trafficking and Migrants in Vulnerable Situations")).limit(1))!;
    const view = unwrap(await call(roster.loader, makeRequest(`/events/${victim.id}/roster?eventRole=participant`, { cookie: coordinator }), { eventId: String(victim.id) }));
    expect(view.data.rows).toHaveLength(22);
    const total = (list: { n: number }[]) => list.reduce((a, b) => a + b.n, 0);
    expect(total(view.data.counts.bySex)).toBeGreaterThanOrEqual(22);
    const women = view.data.rows.filter((r: { sex: string }) => r.sex === "female").length;
    const womenOnlyParticipants = unwrap(await call(roster.loader, makeRequest(`/events/${victim.id}/roster?eventRole=participant&sex=female`, { cookie: coordinator }), { eventId: String(victim.id) }));
    expect(womenOnlyParticipants.data.rows).toHaveLength(women);
    const csv = (await call(rosterCsv.loader, makeRequest(`/events/${victim.id}/roster.csv?eventRole=participant`, { cookie: coordinator }), { eventId: String(victim.id) })) as Response;
    const lines = (await csv.text()).replace(/^\uFEFF/, "").trim().split("\r\n");
    expect(lines[0]).toContain("given name,family name,email");
    expect(lines).toHaveLength(23);
    expect(await getDb().select().from(auditLog).where(and(eq(auditLog.action, "export.roster"), eq(auditLog.entityId, String(victim.id))))).toHaveLength(1);
    for (const email of ["participant@example.org", "donor@example.org"]) {
      const u = firstRow(await getDb().select().from(users).where(eq(users.email, email)).limit(1))!;
      const cookie = await sessionCookie({ id: u.id, role: u.role });
      expect(((await call(roster.loader, makeRequest(`/events/${victim.id}/roster`, { cookie }), { eventId: String(victim.id) })) as Response).status).toBe(403);
      expect(((await call(rosterCsv.loader, makeRequest(`/events/${victim.id}/roster.csv`, { cookie }), { eventId: String(victim.id) })) as Response).status).toBe(403);
    }
    const facilitator = firstRow(await getDb().select().from(users).where(eq(users.email, "facilitator@example.org")).limit(1))!;
    const fCookie = await sessionCookie({ id: facilitator.id, role: "facilitator" });
    expect(unwrap(await call(roster.loader, makeRequest(`/events/${victim.id}/roster`, { cookie: fCookie }), { eventId: String(victim.id) })).status).toBe(200);
  });
});
