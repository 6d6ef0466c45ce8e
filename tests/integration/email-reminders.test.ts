import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { and, eq, inArray } from "drizzle-orm";
import { getDb, firstRow } from "../../db/client";
import { auditLog, emailOutbox, events, eventSessions, people, registrations, users } from "../../db/schema";
import { resetConfig } from "~/config.server";
import { zonedToUtc } from "~/lib/zoned";
import type { SessionUser } from "~/auth/session.server";
import { createTransport, deliverDueEmails, listOutbox } from "~/models/outbox.server";
import { notifyScheduleChanged, sendEventReminders } from "~/models/reminders.server";
import { preferencesToken } from "~/models/email-preferences.server";
import * as preferencesPage from "~/routes/email-preferences";
import * as calendar from "~/routes/events.$eventId.calendar[.]ics";
import * as register from "~/routes/events_.$eventId.register";
import { call, createUser, makeRequest, sessionCookie, unwrap } from "../setup/helpers";
import { readMessage, TestSmtp } from "../setup/mail";

/**
 * Event reminders, timetable-change emails and the reminder opt-out, delivered through nodemailer
 * to a real SMTP server on 127.0.0.1 — including the server going away and coming back.
 */

const APP_URL = "https://convene.example.org";
const ZONE = "America/Nassau";

// ——— a real SMTP server that records what it receives and refuses @bounce.example ———

const smtp = new TestSmtp();
const received = smtp.received;
const startSmtp = async () => await smtp.start();
const stopSmtp = async () => await smtp.stop();

async function deliver() {
  return await deliverDueEmails(getDb(), { transport: createTransport(smtp.url), from: "Convene <no-reply@convene.example.org>", retryMs: 60_000 });
}

const to = (address: string) => smtp.to(address);

// ——— the event and its people ———

let eventId: number;
let openingId: number;
let admin: SessionUser;

type Someone = { email: string | null; userId: string | null; personId: number; registrationId: number };
const folks: Record<string, Someone> = {};

async function addPerson(
  key: string,
  input: {
    email: string | null;
    account?: boolean;
    locale?: string;
    remindersOff?: boolean;
    eventRole?: "participant" | "facilitator";
    status?: "confirmed" | "waitlisted";
    event?: number;
  },
) {
  let userId: string | null = null;
  if (input.account !== false && input.email) {
    userId = (await createUser({ role: input.eventRole === "facilitator" ? "facilitator" : "participant", email: input.email })).id;
    await getDb()
      .update(users)
      .set({ locale: input.locale ?? null, emailRemindersOff: input.remindersOff ?? false })
      .where(eq(users.id, userId));
  }
  const person = (await getDb()
    .insert(people)
    .values({ givenName: "Officer", familyName: key, email: input.email, userId })
    .returning({ id: people.id }))[0];
  const registrationId = (await getDb()
    .insert(registrations)
    .values({
      eventId: input.event ?? eventId,
      personId: person.id,
      eventRole: input.eventRole ?? "participant",
      status: input.status ?? "confirmed",
      statusChangedAt: new Date(),
    })
    .returning({ id: registrations.id }))[0].id;
  folks[key] = { email: input.email, userId, personId: person.id, registrationId };
}

async function createEvent(values: Partial<typeof events.$inferInsert> = {}) {
  return (await getDb()
    .insert(events)
    .values({
      title: "Victim Identification Training",
      type: "training",
      country: "BS",
      locality: "Nassau",
      venue: "Harbour Conference Centre",
      timeZone: ZONE,
      startDate: "2027-03-09",
      endDate: "2027-03-10",
      status: "open",
      ...values,
    })
    .returning({ id: events.id }))[0].id;
}

async function addSession(event: number, title: string, day: string, start: string, end: string, room: string | null) {
  return (await getDb()
    .insert(eventSessions)
    .values({ eventId: event, title, kind: "presentation", startsAt: zonedToUtc(day, start, ZONE), endsAt: zonedToUtc(day, end, ZONE), room })
    .returning({ id: eventSessions.id }))[0].id;
}

async function outboxTo(address: string) {
  return await getDb().select().from(emailOutbox).where(eq(emailOutbox.toAddress, address));
}

/** Move the clock (only Date: sockets and timers keep working). */
function at(iso: string) {
  vi.setSystemTime(new Date(iso));
}

beforeAll(async () => {
  process.env.APP_URL = APP_URL;
  resetConfig();
  vi.useFakeTimers({ toFake: ["Date"] });
  at("2027-02-20T12:00:00Z");
  await startSmtp();
  const adminUser = await createUser({ role: "admin" });
  admin = { id: adminUser.id, email: adminUser.email, name: "Admin", role: "admin", organisationId: null, locale: null };
  eventId = await createEvent();
  // 9 March 2027 is before the Bahamas change to summer time: 09:00 in Nassau is 14:00 UTC
  openingId = await addSession(eventId, "Opening and key concepts", "2027-03-09", "09:00", "10:30", "Room A");
  await addSession(eventId, "Trauma-informed interviews", "2027-03-10", "09:00", "12:00", null);
  await addPerson("english", { email: "english@immigration.example", locale: "en" });
  await addPerson("french", { email: "french@immigration.example", locale: "fr" });
  await addPerson("arabic", { email: "arabic@immigration.example", locale: "ar" });
  await addPerson("trainer", { email: "trainer@facilitators.example", eventRole: "facilitator" });
  await addPerson("quiet", { email: "quiet@immigration.example", remindersOff: true });
  await addPerson("waiting", { email: "waiting@immigration.example", status: "waitlisted" });
  await addPerson("noEmail", { email: null });
  await addPerson("rosterOnly", { email: "roster-only@immigration.example", account: false });
  await addPerson("bounce", { email: "nobody@bounce.example" });
});

afterAll(async () => {
  vi.useRealTimers();
  await stopSmtp();
  delete process.env.APP_URL;
  resetConfig();
});

describe("event reminders", () => {
  it("a week before, emails each confirmed participant and facilitator with the timetable in the event's zone and an .ics", async () => {
    at("2027-03-01T12:00:00Z"); // 8 days before in Nassau: nothing yet
    expect((await sendEventReminders()).emails).toBe(0);

    at("2027-03-02T12:00:00Z"); // 07:00 in Nassau, 2 March: a week before
    const round = await sendEventReminders();
    expect(round.emails).toBe(6); // english, french, arabic, trainer, rosterOnly, bounce
    expect(await outboxTo("quiet@immigration.example")).toHaveLength(0); // reminders off
    expect(await outboxTo("waiting@immigration.example")).toHaveLength(0); // not confirmed

    await deliver();
    const [mail] = to("english@immigration.example");
    expect(mail.subject).toBe("In one week: Victim Identification Training");
    // the event's local time, its zone named, in both parts
    expect(mail.text).toContain("9:00");
    expect(mail.text).toContain("Nassau");
    expect(mail.text).toContain("Tuesday, March 9, 2027");
    expect(mail.text).toContain("Room A");
    expect(mail.html).toContain("9:00");
    expect(mail.html).toContain("Nassau (EST)");
    expect(mail.html).toContain(`<html lang="en" dir="ltr">`);
    // links use APP_URL
    expect(mail.html).toContain(`href="${APP_URL}/events/${eventId}"`);
    expect(mail.text).toContain(`${APP_URL}/events/${eventId}`);
    expect(mail.text).toMatch(new RegExp(`Stop reminder emails: ${APP_URL.replace(/\./g, "\\.")}/email-preferences\\?u=`));
    expect(mail.text).not.toContain("localhost");
    // the sessions as a calendar: UTC start, stable UID
    expect(mail.ics).not.toBeNull();
    expect(mail.ics!.contentType).toMatch(/^text\/calendar/);
    expect(mail.ics!.content.match(/BEGIN:VEVENT/g)).toHaveLength(2);
    expect(mail.ics!.content).toContain("DTSTART:20270309T140000Z");
    expect(mail.ics!.content).toContain(`UID:event-${eventId}-session-${openingId}@convene.example.org`);
    const unfolded = mail.ics!.content.replace(/\r\n[ \t]/g, "");
    expect(unfolded).toContain("DTEND:20270309T153000Z"); // 10:30 in Nassau
    expect(unfolded).toContain("DTSTART:20270310T140000Z"); // the second day, 09:00 in Nassau
    expect(unfolded).toContain("SUMMARY:Opening and key concepts");
    expect(unfolded).toContain("DESCRIPTION:Victim Identification Training");
    expect(unfolded).toContain("LOCATION:Room A\\, Harbour Conference Centre\\, Nassau");
    expect(unfolded).toContain("X-WR-CALNAME:Victim Identification Training");
    // one writer: the attachment is the event's calendar download (but for the time it was written)
    const download = (await call(calendar.loader, makeRequest(`/events/${eventId}/calendar.ics`, { cookie: await sessionCookie({ id: admin.id, role: "admin" }) }), {
      eventId: String(eventId),
    })) as Response;
    const withoutStamp = (ics: string) => ics.replace(/\r\n[ \t]/g, "").replace(/^DTSTAMP:.*$/gm, "");
    expect(withoutStamp(await download.text())).toBe(withoutStamp(mail.ics!.content.replace(/\r?\n/g, "\r\n")));

    // each in their own language, times still in Nassau
    const [french] = to("french@immigration.example");
    expect(french.subject).toBe("Dans une semaine : Victim Identification Training");
    expect(french.text).toContain("09:00");
    expect(french.text).toContain("Nassau");
    const [arabic] = to("arabic@immigration.example");
    expect(arabic.subject).toBe("بعد أسبوع: Victim Identification Training");
    expect(arabic.html).toContain(`dir="rtl"`);
    expect(to("trainer@facilitators.example")).toHaveLength(1);
    // the one-click unsubscribe headers of RFC 8058 arrive with the reminder
    const oneClick = (address: string) => new RegExp(`^<${APP_URL.replace(/\./g, "\\.")}/email-preferences/unsubscribe\\?${address}&t=[\\w-]{43}>$`);
    expect(mail.headers.get("list-unsubscribe")).toMatch(oneClick(`u=${folks.english.userId}`));
    expect(mail.headers.get("list-unsubscribe-post")).toBe("List-Unsubscribe=One-Click");
    // no account: the link and the header are scoped to the person on the roster
    const [rosterOnly] = to("roster-only@immigration.example");
    expect(rosterOnly.text).toContain(`Stop reminder emails: ${APP_URL}/email-preferences?p=${folks.rosterOnly.personId}&t=`);
    expect(rosterOnly.html).toContain(`href="${APP_URL}/email-preferences?p=${folks.rosterOnly.personId}&amp;t=`);
    expect(rosterOnly.headers.get("list-unsubscribe")).toMatch(oneClick(`p=${folks.rosterOnly.personId}`));
    expect(rosterOnly.headers.get("list-unsubscribe-post")).toBe("List-Unsubscribe=One-Click");
    // what was sent is recorded per registration
    const audited = await getDb()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "event.reminder"), eq(auditLog.entityId, String(folks.english.registrationId))));
    expect(audited.map((a) => a.details)).toEqual([{ kind: "week", eventId }]);
  });

  it("never sends the same reminder twice, and reaches someone confirmed later the same day", async () => {
    at("2027-03-02T18:00:00Z");
    expect((await sendEventReminders()).emails).toBe(0);
    await addPerson("late", { email: "late@immigration.example" });
    expect((await sendEventReminders()).emails).toBe(1);
    expect((await sendEventReminders()).emails).toBe(0);
    await deliver();
    expect(to("english@immigration.example")).toHaveLength(1);
    expect(to("late@immigration.example")).toHaveLength(1);
  });

  it("a rejected recipient is marked failed and shown in the outbox; the others are still sent", async () => {
    const [bounced] = await outboxTo("nobody@bounce.example");
    expect(bounced.status).toBe("failed");
    expect(bounced.lastError).toMatch(/550|No such user/);
    const failed = await listOutbox({ user: admin, ip: null }, { status: "failed" });
    expect(failed.rows.map((r) => r.toAddress)).toContain("nobody@bounce.example");
    for (const address of ["english@immigration.example", "french@immigration.example", "trainer@facilitators.example"]) {
      expect((await outboxTo(address)).every((m) => m.status === "sent")).toBe(true);
    }
  });

  it("the link in a reminder turns reminders off without signing in; a forged token is refused", async () => {
    const [mail] = to("english@immigration.example");
    const link = new URL(/https:\/\/convene\.example\.org\/email-preferences\?\S+/.exec(mail.text)![0]);
    const path = link.pathname + link.search;
    const userId = folks.english.userId!;
    const remindersOff = async () => firstRow(await getDb().select({ off: users.emailRemindersOff }).from(users).where(eq(users.id, userId)).limit(1))!.off;

    // reading the page changes nothing
    const page = unwrap(await call(preferencesPage.loader, makeRequest(path)));
    expect(page.status).toBe(200);
    expect(page.data).toMatchObject({ email: "english@immigration.example", remindersOff: false });
    expect(await remindersOff()).toBe(false);

    // a forged token: 403, nothing changed
    const forged = new URLSearchParams({ u: userId, t: "A".repeat(43) });
    expect(((await call(preferencesPage.loader, makeRequest(`/email-preferences?${forged}`))) as Response).status).toBe(403);
    const refused = (await call(preferencesPage.action, makeRequest(`/email-preferences?${forged}`, { form: { intent: "off", u: userId, t: "A".repeat(43) } }))) as Response;
    expect(refused.status).toBe(403);
    // another account's token does not work for this one
    const other = new URL(/https:\/\/convene\.example\.org\/email-preferences\?\S+/.exec(to("french@immigration.example")[0].text)![0]);
    const crossed = (await call(preferencesPage.action, makeRequest(path, { form: { intent: "off", u: userId, t: other.searchParams.get("t")! } }))) as Response;
    expect(crossed.status).toBe(403);
    expect(await remindersOff()).toBe(false);

    // the one-click confirmation (a POST, no session)
    const done = (await call(
      preferencesPage.action,
      makeRequest(path, { form: { intent: "off", u: link.searchParams.get("u")!, t: link.searchParams.get("t")! } }),
    )) as Response;
    expect(done.status).toBe(302);
    expect(done.headers.get("Location")).toContain("saved=off");
    expect(await remindersOff()).toBe(true);
    const audit = await getDb().select().from(auditLog).where(eq(auditLog.action, "email_preferences.update"));
    expect(audit).toMatchObject([{ entityType: "user", entityId: userId, details: { remindersOff: true, via: "link" } }]);
  });

  it("someone on the roster without an account turns reminders off with their own link; user and person tokens never swap", async () => {
    const [mail] = to("roster-only@immigration.example");
    const link = new URL(/https:\/\/convene\.example\.org\/email-preferences\?\S+/.exec(mail.text)![0]);
    const personId = folks.rosterOnly.personId;
    expect(link.searchParams.get("p")).toBe(String(personId));
    const token = link.searchParams.get("t")!;
    const remindersOff = async () => firstRow(await getDb().select({ off: people.emailRemindersOff }).from(people).where(eq(people.id, personId)).limit(1))!.off;
    const path = link.pathname + link.search;

    const page = unwrap(await call(preferencesPage.loader, makeRequest(path)));
    expect(page.status).toBe(200);
    expect(page.data).toMatchObject({ email: "roster-only@immigration.example", remindersOff: false, link: { key: "p", id: String(personId), t: token } });

    const refused = async (query: Record<string, string>) => {
      const params = new URLSearchParams(query);
      const loaded = (await call(preferencesPage.loader, makeRequest(`/email-preferences?${params}`))) as Response;
      const posted = (await call(preferencesPage.action, makeRequest(`/email-preferences?${params}`, { form: { intent: "off", ...query } }))) as Response;
      return [loaded.status, posted.status];
    };
    // a forged token, another person's id, a user's token for the same id as text, the person's token as a user's
    expect(await refused({ p: String(personId), t: "A".repeat(43) })).toEqual([403, 403]);
    expect(await refused({ p: String(folks.english.personId), t: token })).toEqual([403, 403]);
    expect(await refused({ p: String(personId), t: await preferencesToken(getDb(), { kind: "user", userId: String(personId) }) })).toEqual([403, 403]);
    expect(await refused({ u: String(personId), t: token })).toEqual([403, 403]);
    const englishToken = new URL(/https:\/\/convene\.example\.org\/email-preferences\?\S+/.exec(to("english@immigration.example")[0].text)![0]).searchParams.get("t")!;
    expect(await refused({ p: String(personId), t: englishToken })).toEqual([403, 403]);
    expect(await refused({ p: "not-a-number", t: token })).toEqual([403, 403]);
    expect(await refused({ p: String(personId), u: folks.english.userId!, t: token })).toEqual([403, 403]);
    expect(await remindersOff()).toBe(false);

    // an unknown intent is refused and changes nothing
    const unknown = unwrap(await call(preferencesPage.action, makeRequest(path, { form: { intent: "maybe", p: String(personId), t: token } })));
    expect(unknown.status).toBe(400);
    expect(await remindersOff()).toBe(false);

    for (const intent of ["off", "on", "off"]) {
      const done = (await call(preferencesPage.action, makeRequest(path, { form: { intent, p: String(personId), t: token } }))) as Response;
      expect(done.status).toBe(302);
      expect(done.headers.get("Location")).toBe(`/email-preferences?p=${personId}&t=${encodeURIComponent(token)}&saved=${intent}`);
    }
    expect(await remindersOff()).toBe(true);
    const audit = await getDb()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "email_preferences.update"), eq(auditLog.entityType, "person")));
    expect(audit).toMatchObject([
      { entityId: String(personId), userId: null, details: { remindersOff: true, via: "person_link" } },
      { entityId: String(personId), userId: null, details: { remindersOff: false, via: "person_link" } },
      { entityId: String(personId), userId: null, details: { remindersOff: true, via: "person_link" } },
    ]);
  });

  it("a signed-in user turns reminders off and on; an anonymous visitor without a link is sent to log in", async () => {
    const anonymous = (await call(preferencesPage.loader, makeRequest("/email-preferences"))) as Response;
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("Location")).toContain("/login");
    const cookie = await sessionCookie({ id: folks.trainer.userId!, role: "facilitator" });
    expect(unwrap(await call(preferencesPage.loader, makeRequest("/email-preferences", { cookie }))).data).toMatchObject({ remindersOff: false });
    for (const intent of ["off", "on"]) {
      const response = (await call(preferencesPage.action, makeRequest("/email-preferences", { cookie, form: { intent } }))) as Response;
      expect(response.status).toBe(302);
    }
    const audit = await getDb().select().from(auditLog).where(and(eq(auditLog.action, "email_preferences.update"), eq(auditLog.entityId, folks.trainer.userId!)));
    expect(audit.map((a) => a.details)).toEqual([
      { remindersOff: true, via: "account" },
      { remindersOff: false, via: "account" },
    ]);
  });

  it("a day before, sends the day reminder (in the event's zone), not to someone who turned reminders off", async () => {
    at("2027-03-08T03:00:00Z"); // still 7 March in Nassau (22:00): two days before, nothing
    expect((await sendEventReminders()).emails).toBe(0);
    at("2027-03-08T15:00:00Z"); // 8 March, 10:00 in Nassau
    const round = await sendEventReminders();
    // french, arabic, trainer, bounce, late — not english (turned off), not quiet, not rosterOnly (turned off, no account)
    expect(round.emails).toBe(5);
    expect((await sendEventReminders()).emails).toBe(0);
    await deliver();
    expect(to("english@immigration.example")).toHaveLength(1); // only the week one
    expect(to("roster-only@immigration.example")).toHaveLength(1); // only the week one
    const day = to("french@immigration.example").find((m) => m.subject.startsWith("Demain"))!;
    expect(day.subject).toBe("Demain : Victim Identification Training");
    expect(day.ics!.content).toContain("DTSTART:20270309T140000Z");
    expect(to("quiet@immigration.example")).toHaveLength(0);
  });
});

describe("timetable changes", () => {
  it("emails the new time in the event's zone to every confirmed person, reminders off or not, with the updated .ics", async () => {
    at("2027-03-08T16:00:00Z");
    const before = firstRow(await getDb().select().from(eventSessions).where(eq(eventSessions.id, openingId)).limit(1))!;
    const after = { title: before.title, startsAt: zonedToUtc("2027-03-09", "10:00", ZONE), endsAt: zonedToUtc("2027-03-09", "11:30", ZONE), room: "Room B" };
    const queued = await getDb().transaction(async (tx) => {
      await tx.update(eventSessions).set(after).where(eq(eventSessions.id, openingId));
      return await notifyScheduleChanged(tx, eventId, { kind: "updated", title: after.title, before, after, sessionId: openingId }, APP_URL);
    });
    expect(queued).toBe(8); // every confirmed person with an email, including quiet (timetable changes are essential)
    await deliver();
    const [quiet] = to("quiet@immigration.example");
    expect(quiet.subject).toBe("Timetable changed: Victim Identification Training");
    expect(quiet.text).toContain("Before: Tuesday, March 9, 2027, 09:00");
    expect(quiet.text).toContain("Now: Tuesday, March 9, 2027, 10:00");
    expect(quiet.text).toContain("Room B");
    expect(quiet.text).toContain("Nassau (EST)");
    expect(quiet.text).not.toContain("email-preferences"); // essential: no opt-out
    expect(quiet.headers.has("list-unsubscribe")).toBe(false);
    expect(quiet.headers.has("list-unsubscribe-post")).toBe(false);
    expect(quiet.html).toContain(`href="${APP_URL}/events/${eventId}/sessions"`);
    expect(quiet.ics!.content).toContain("DTSTART:20270309T150000Z");
    const french = to("french@immigration.example").find((m) => m.subject.startsWith("Programme modifié"))!;
    expect(french.text).toContain("10:00");
  });

  it("sends nothing for an edit people do not see, nor for a draft event", async () => {
    const session = firstRow(await getDb().select().from(eventSessions).where(eq(eventSessions.id, openingId)).limit(1))!;
    const same = await getDb().transaction(async (tx) =>
      await notifyScheduleChanged(tx, eventId, { kind: "updated", title: session.title, before: session, after: { ...session } }, APP_URL),
    );
    expect(same).toBe(0);
    const draft = await createEvent({ status: "draft" });
    const sessionId = await addSession(draft, "Draft session", "2027-03-09", "09:00", "10:00", null);
    const none = await getDb().transaction(async (tx) =>
      await notifyScheduleChanged(tx, draft, { kind: "created", title: "Draft session", after: { startsAt: new Date(), endsAt: new Date(), room: null }, sessionId }, APP_URL),
    );
    expect(none).toBe(0);
  });

  it("a removed session is listed as cancelled in the attached calendar", async () => {
    const sessionId = await addSession(eventId, "Field visit", "2027-03-10", "14:00", "16:00", null);
    const before = firstRow(await getDb().select().from(eventSessions).where(eq(eventSessions.id, sessionId)).limit(1))!;
    await getDb().transaction(async (tx) => {
      await tx.delete(eventSessions).where(eq(eventSessions.id, sessionId));
      await notifyScheduleChanged(tx, eventId, { kind: "deleted", title: before.title, before, sessionId }, APP_URL);
    });
    await deliver();
    const removal = to("trainer@facilitators.example").find((m) => m.text.includes("Session removed: Field visit"))!;
    expect(removal.text).toContain("2:00");
    expect(removal.ics!.content).toMatch(new RegExp(`UID:event-${eventId}-session-${sessionId}@convene\\.example\\.org[\\s\\S]*?STATUS:CANCELLED`));
  });
});

describe("when the SMTP server is down", () => {
  it("keeps messages pending with their attempts counted, the app keeps answering, and each is delivered exactly once when it is back", async () => {
    const openEvent = await createEvent({ title: "Border Management Workshop", startDate: "2027-04-20", endDate: "2027-04-21" });
    await stopSmtp();
    // the app's requests still succeed: a public registration (confirmation + invitation queued)
    const response = (await call(
      register.action,
      makeRequest(`/events/${openEvent}/register`, {
        form: { givenName: "Dwayne", familyName: "Rolle", email: "dwayne@immigration.example", sex: "male", roleCategory: "immigration_officer", consent: "yes", locale: "en" },
      }),
      { eventId: String(openEvent) },
    )) as Response;
    expect(response.status).toBe(302);
    // and a timetable change for the reminder event
    const session = firstRow(await getDb().select().from(eventSessions).where(eq(eventSessions.id, openingId)).limit(1))!;
    const moved = { ...session, startsAt: zonedToUtc("2027-03-09", "08:30", ZONE), endsAt: zonedToUtc("2027-03-09", "10:00", ZONE) };
    await getDb().transaction(async (tx) => {
      await tx.update(eventSessions).set({ startsAt: moved.startsAt, endsAt: moved.endsAt }).where(eq(eventSessions.id, openingId));
      await notifyScheduleChanged(tx, eventId, { kind: "updated", title: session.title, before: session, after: moved, sessionId: openingId }, APP_URL);
    });
    const waiting = async () =>
      await getDb()
        .select()
        .from(emailOutbox)
        .where(inArray(emailOutbox.status, ["pending"]))
        .orderBy(emailOutbox.id);
    const ids = (await waiting()).map((m) => m.id);
    expect(ids.length).toBe(10); // 2 for the registration, 8 for the change

    expect(await deliver()).toBe(0);
    expect((await waiting()).map((m) => m.id)).toEqual(ids);
    expect((await waiting()).every((m) => m.attempts === 1 && /ECONNREFUSED|connect/i.test(m.lastError ?? ""))).toBe(true);
    // the first retry is a minute later; before that nothing is tried
    expect(await deliver()).toBe(0);
    expect((await waiting()).every((m) => m.attempts === 1)).toBe(true);
    at("2027-03-08T16:02:00Z");
    expect(await deliver()).toBe(0);
    expect((await waiting()).every((m) => m.attempts === 2)).toBe(true);

    // the preferences page keeps answering too
    const cookie = await sessionCookie({ id: folks.french.userId!, role: "participant" });
    expect(unwrap(await call(preferencesPage.loader, makeRequest("/email-preferences", { cookie }))).status).toBe(200);

    // back: everything goes out once
    await startSmtp();
    at("2027-03-08T16:10:00Z");
    const before = received.length;
    expect(await deliver()).toBe(9); // the bounce is refused for good
    expect(await deliver()).toBe(0);
    const sent = await getDb().select().from(emailOutbox).where(inArray(emailOutbox.id, ids));
    expect(sent.filter((m) => !m.toAddress.endsWith("@bounce.example")).every((m) => m.status === "sent")).toBe(true);
    const arrived = received.slice(before).map(readMessage);
    for (const message of sent.filter((m) => m.status === "sent")) {
      expect(arrived.filter((m) => m.messageId === message.messageId)).toHaveLength(1);
    }
    expect(to("dwayne@immigration.example").map((m) => m.subject).length).toBe(2);
  });
});
