import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { and, count, eq, inArray, like } from "drizzle-orm";
import { getDb, firstRow } from "../../db/client";
import { attendance, auditLog, events, eventSessions, registrations, users } from "../../db/schema";
import { registerForEvent, type AnonymousRegistrationResult } from "~/models/public-registration.server";

/** New emails register at once: anything else here is a failure of the test's setup. */
function registered(result: AnonymousRegistrationResult) {
  if (result.kind !== "registered") throw new Error("expected a registration, got a confirmation request");
  return result;
}
import { bundleForNode } from "../setup/bundle";
import type { WriterJob, WriterReport } from "../setup/concurrent-writer";
import { createUser } from "../setup/helpers";

const WRITERS = 50;
const CAPACITY = 30;
const ALREADY_REGISTERED = 10;

/**
 * An open event with three sessions and ten confirmed participants already on the roster. Its day is
 * past, as attendance is taken only for sessions that have started (the writers run on real time).
 */
async function eventUnderLoad() {
  const db = getDb();
  const eventId = (await db
    .insert(events)
    .values({
      title: "Identification of victims — concurrency",
      type: "training",
      country: "BS",
      timeZone: "America/Nassau",
      startDate: "2026-03-02",
      endDate: "2026-03-03",
      capacity: CAPACITY,
      status: "open",
    })
    .returning())[0].id;
  const sessionIds = await Promise.all([9, 11, 14].map(
    async (hour) =>
      (await db
        .insert(eventSessions)
        .values({
          eventId,
          title: `Session at ${hour}:00`,
          startsAt: new Date(`2026-03-02T${String(hour + 5).padStart(2, "0")}:00:00Z`),
          endsAt: new Date(`2026-03-02T${String(hour + 6).padStart(2, "0")}:00:00Z`),
        })
        .returning())[0].id,
  ));
  const registrationIds = await Promise.all(Array.from({ length: ALREADY_REGISTERED }, async (_, i) =>
    registered(await registerForEvent(
      eventId,
      {
        givenName: "Rostered",
        familyName: `Officer ${i}`,
        email: `rostered-${i}@concurrency.example`,
        phone: null,
        sex: null,
        organisationId: null,
        position: null,
        roleCategory: null,
        nationality: null,
        dietaryNeeds: null,
        accessibilityNeeds: null,
        consent: true,
        locale: "en",
      },
      { appUrl: "http://localhost:3000", ip: null },
    )).registrationId,
  ));
  return { eventId, sessionIds, registrationIds };
}

/** Start every writer, wait until each has its connection open, then release them all at once. */
async function runWriters(file: string, jobs: WriterJob[]): Promise<WriterReport[]> {
  const workers = jobs.map((job) => new Worker(file, { workerData: job }));
  try {
    const reports = workers.map(
      (worker) =>
        new Promise<WriterReport>((resolve, reject) => {
          worker.on("error", reject);
          worker.on("message", (message) => {
            if (message !== "ready") resolve(message as WriterReport);
          });
        }),
    );
    await Promise.all(
      workers.map((worker) => new Promise<void>((resolve) => worker.on("message", (m) => m === "ready" && resolve()))),
    );
    for (const worker of workers) worker.postMessage("go");
    return await Promise.all(reports);
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}

describe("concurrent writers on one event", () => {
  it("50 writers, each with its own connection, register, take attendance and edit events and accounts with no SQLITE_BUSY and nothing lost", async () => {
    const file = await bundleForNode("tests/setup/concurrent-writer.ts", "concurrent-writer");
    const coordinator = await createUser({ role: "coordinator" });
    const administrator = await createUser({ role: "admin" });
    const { eventId, sessionIds, registrationIds } = await eventUnderLoad();
    const actor = {
      user: { id: coordinator.id, email: coordinator.email, name: "Coordinator", role: "coordinator" as const, organisationId: null, locale: null },
      ip: null,
    };
    const admin = {
      user: { id: administrator.id, email: administrator.email, name: "Admin", role: "admin" as const, organisationId: null, locale: null },
      ip: null,
    };
    const draftEventIds = await Promise.all(Array.from(
      { length: WRITERS },
      async (_, i) =>
        (await getDb()
          .insert(events)
          .values({ title: `Draft ${i}`, type: "workshop", country: "BS", timeZone: "America/Nassau", startDate: "2027-04-01", endDate: "2027-04-01", status: "draft" })
          .returning())[0].id,
    ));
    const reports = await runWriters(
      file,
      Array.from({ length: WRITERS }, (_, index) => ({ index, eventId, sessionIds, registrationIds, actor, admin, draftEventId: draftEventIds[index] })),
    );

    const errors = reports.flatMap((r) => r.errors.map((e) => `writer ${r.index}, ${e.operation}: ${e.code ?? ""} ${e.message}`));
    expect(errors.filter((e) => /SQLITE_BUSY|database is locked/i.test(e))).toEqual([]);
    expect(errors).toEqual([]);

    // every write happened, and the capacity held across connections
    const db = getDb();
    expect(reports.filter((r) => r.registration !== null)).toHaveLength(WRITERS);
    const statuses = await db.select({ status: registrations.status }).from(registrations).where(eq(registrations.eventId, eventId));
    expect(statuses).toHaveLength(ALREADY_REGISTERED + WRITERS);
    expect(statuses.filter((s) => s.status === "confirmed")).toHaveLength(CAPACITY);
    expect(statuses.filter((s) => s.status === "waitlisted")).toHaveLength(ALREADY_REGISTERED + WRITERS - CAPACITY);
    expect(reports.reduce((n, r) => n + r.attendanceWrites, 0)).toBe(WRITERS * 2);
    const marks = firstRow(await db
      .select({ n: count() })
      .from(attendance)
      .innerJoin(registrations, eq(registrations.id, attendance.registrationId))
      .where(eq(registrations.eventId, eventId)).limit(1))!.n;
    expect(marks).toBeGreaterThan(0);
    expect(marks).toBeLessThanOrEqual(ALREADY_REGISTERED * sessionIds.length);
    const registrationsAudited = firstRow(await db
      .select({ n: count() })
      .from(auditLog)
      .where(and(eq(auditLog.action, "registration.create"), eq(auditLog.entityType, "registration"))).limit(1))!.n;
    expect(registrationsAudited).toBe(ALREADY_REGISTERED + WRITERS);
    // the event and account writes (each reads, then writes, in one IMMEDIATE transaction)
    expect(reports.reduce((n, r) => n + r.otherWrites, 0)).toBe(WRITERS * 7);
    const audited = async (action: string) => firstRow(await db.select({ n: count() }).from(auditLog).where(eq(auditLog.action, action)).limit(1))!.n;
    expect(await audited("event.update")).toBe(WRITERS);
    expect(await audited("event.status")).toBe(WRITERS);
    expect(await audited("event.duplicate")).toBe(WRITERS);
    expect(await audited("user.invite")).toBe(WRITERS);
    expect(await audited("user.invite_resend")).toBe(WRITERS);
    expect(await audited("user.update")).toBe(WRITERS);
    expect(await audited("user.disable")).toBe(WRITERS);
    expect((await db.select().from(events).where(inArray(events.id, draftEventIds))).every((e) => e.status === "open")).toBe(true);
    expect(firstRow(await db.select({ n: count() }).from(events).where(eq(events.startDate, "2027-06-01")).limit(1))!.n).toBe(WRITERS);
    expect(firstRow(await db.select().from(events).where(eq(events.id, eventId)).limit(1))!.title).toMatch(/^Identification of victims — concurrency \(edit \d+\)$/);
    const invited = await db.select().from(users).where(like(users.email, "invited-%@concurrency.example"));
    expect(invited).toHaveLength(WRITERS);
    expect(invited.every((u) => u.disabledAt !== null && u.name.endsWith("(renamed)"))).toBe(true);
    // SQLite's own check of the file (PostgreSQL has no equivalent statement; its pages are checksummed by the server)
    if (db.engine === "sqlite") expect((db as unknown as { $client: import("better-sqlite3").Database }).$client.pragma("integrity_check", { simple: true })).toBe("ok");
  }, 120_000);
});
