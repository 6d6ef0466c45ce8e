import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { and, eq, inArray } from "drizzle-orm";
import { getDb, firstRow } from "../../db/client";
import { emailOutbox, events, people, registrations, users } from "../../db/schema";
import { DEMO_EVENTS, seedDemo } from "../../db/seed/demo";
import { config, resetConfig } from "~/config.server";
import { createTransport, deliverDueEmails } from "~/models/outbox.server";
import * as register from "~/routes/events_.$eventId.register";
import * as roster from "~/routes/events.$eventId.roster";
import { call, makeRequest, sessionCookie } from "../setup/helpers";
import { TestSmtp } from "../setup/mail";

/**
 * Issue 9's "Done when", as one story on the demo: with SMTP_URL pointing at a local SMTP server,
 * an officer registers for the demo's open follow-up training (Freeport, in Nassau's zone), the
 * coordinator confirms the seat and the confirmation arrives with the timetable in the event's
 * local time, its zone named. Then the SMTP server stops for a minute while people keep
 * registering: nothing is lost, and once it is back each message arrives exactly once.
 * Delivery is the worker's round (deliverDueEmails with the configured transport and retry delay),
 * on a clock the test moves.
 */

const TODAY = new Date("2026-11-22T12:00:00Z");
const smtp = new TestSmtp();
let eventId: number;
let coordinator: string;

async function deliver() {
  const cfg = config();
  return await deliverDueEmails(getDb(), { transport: createTransport(cfg.smtpUrl!), from: cfg.mailFrom, retryMs: cfg.outboxRetryMs });
}

const officer = (n: string) => ({
  givenName: "Kenva",
  familyName: `Officer ${n}`,
  email: `done-when-${n}@immigration.example`,
  sex: "female",
  roleCategory: "immigration_officer",
  consent: "yes",
  locale: "en",
});

async function registerAndConfirm(n: string) {
  const registered = (await call(register.action, makeRequest(`/events/${eventId}/register`, { form: officer(n) }), { eventId: String(eventId) })) as Response;
  expect(registered.status).toBe(302);
  const person = firstRow(await getDb().select().from(people).where(eq(people.email, `done-when-${n}@immigration.example`)).limit(1))!;
  const registration = firstRow(await getDb()
    .select()
    .from(registrations)
    .where(and(eq(registrations.eventId, eventId), eq(registrations.personId, person.id))).limit(1))!;
  const confirmed = (await call(
    roster.action,
    makeRequest(`/events/${eventId}/roster`, { cookie: coordinator, form: { registrationIds: String(registration.id), status: "confirmed" } }),
    { eventId: String(eventId) },
  )) as Response;
  expect(confirmed.status).toBe(302);
}

const at = (ms: number) => vi.setSystemTime(new Date(ms));

beforeAll(async () => {
  vi.useFakeTimers({ toFake: ["Date"] });
  at(TODAY.getTime());
  await smtp.start();
  process.env.SMTP_URL = smtp.url;
  resetConfig();
  await seedDemo(getDb(), { today: TODAY });
  eventId = firstRow(await getDb().select().from(events).where(eq(events.title, DEMO_EVENTS.followUp)).limit(1))!.id;
  const c = firstRow(await getDb().select().from(users).where(eq(users.email, "coordinator@example.org")).limit(1))!;
  coordinator = await sessionCookie({ id: c.id, role: c.role });
});

afterAll(async () => {
  vi.useRealTimers();
  await smtp.stop();
  delete process.env.SMTP_URL;
  resetConfig();
});

describe("done when (issue 9)", () => {
  it("registering for a demo event delivers the confirmation with the right local times, the zone named", async () => {
    await registerAndConfirm("first");
    expect(await deliver()).toBe(3); // registration received, account invitation, seat confirmed
    const mails = smtp.to("done-when-first@immigration.example");
    expect(mails.map((m) => m.subject).sort()).toEqual(
      [`Registration received: ${DEMO_EVENTS.followUp}`, `Your seat is confirmed: ${DEMO_EVENTS.followUp}`, expect.stringContaining("Convene")].sort(),
    );
    const confirmation = mails.find((m) => m.subject.startsWith("Your seat is confirmed"))!;
    // the first session: 09:00 in Freeport (Nassau's zone, EST in December) — 14:00 UTC
    expect(confirmation.text).toContain("Welcome and recap of the New Providence training");
    expect(confirmation.text).toMatch(/09:00\sAM\s*–\s*10:30\sAM/);
    expect(confirmation.text).toContain("Nassau (EST)");
    expect(confirmation.text).not.toContain("14:00");
    expect(confirmation.text).not.toContain("2:00 PM"); // nor the UTC hour in 12-hour form
    expect(confirmation.html).toContain("Nassau (EST)");
    expect(confirmation.html).toMatch(/09:00\sAM\s*–\s*10:30\sAM/);
    expect(confirmation.text).toContain(`${config().appUrl}/me`);
  });

  it("stopping the SMTP server for a minute loses nothing; once it is back each message arrives exactly once", async () => {
    await smtp.stop();
    const start = Date.now();
    for (const n of ["a", "b", "c"]) await registerAndConfirm(n);
    const queued = await getDb().select().from(emailOutbox).where(eq(emailOutbox.status, "pending"));
    expect(queued).toHaveLength(9);
    const ids = queued.map((m) => m.id);

    // a minute of delivery rounds every 2 s (the worker's pace) with the server down
    for (let s = 0; s <= 60; s += 2) {
      at(start + s * 1000);
      expect(await deliver()).toBe(0);
    }
    const waiting = await getDb().select().from(emailOutbox).where(inArray(emailOutbox.id, ids));
    expect(waiting.every((m) => m.status === "pending" && m.attempts >= 2 && /ECONNREFUSED|connect/i.test(m.lastError ?? ""))).toBe(true);

    // back: the next due round sends everything, and nothing goes out twice
    await smtp.start();
    const before = smtp.received.length;
    for (let s = 62; s <= 300; s += 2) {
      at(start + s * 1000);
      await deliver();
    }
    const after = await getDb().select().from(emailOutbox).where(inArray(emailOutbox.id, ids));
    expect(after.every((m) => m.status === "sent")).toBe(true);
    const arrived = smtp.received.slice(before);
    expect(arrived).toHaveLength(9);
    for (const message of after) {
      expect(arrived.filter((m) => m.raw.includes(`Message-ID: ${message.messageId}`))).toHaveLength(1);
    }
    for (const n of ["a", "b", "c"]) {
      const subjects = smtp.to(`done-when-${n}@immigration.example`).map((m) => m.subject);
      expect(subjects).toHaveLength(3);
      expect(subjects).toContain(`Your seat is confirmed: ${DEMO_EVENTS.followUp}`);
    }
  });
});
