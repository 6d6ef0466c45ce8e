/**
 * One writer of the concurrency test (tests/integration/concurrency.test.ts), run in its own
 * worker thread and so with its own SQLite connection to the test's database file, as separate
 * server processes would have. It opens the database, says it is ready, waits for the common
 * start signal, then writes through the model functions: it registers one new officer for the
 * event and records attendance on cells the other writers record too; it edits the shared event,
 * copies it, opens its own draft event, invites an account and edits it (the model functions
 * that read before they write, each in one IMMEDIATE transaction). Every error is reported back
 * with its code (SQLITE_BUSY would be one).
 */
import { parentPort, workerData } from "node:worker_threads";
import { driverError, getDb } from "../../db/client";
import type { Actor } from "~/auth/session.server";
import { eventSchema } from "~/lib/schemas/events";
import { inviteUser, resendInvitation, setUserDisabled, updateUser } from "~/models/accounts.server";
import { recordAttendance } from "~/models/attendance.server";
import { changeEventStatus, duplicateEvent, updateEvent } from "~/models/events.server";
import { registerForEvent, type AnonymousRegistrationResult } from "~/models/public-registration.server";

/** New emails register at once: anything else here is a failure of the test's setup. */
function registered(result: AnonymousRegistrationResult) {
  if (result.kind !== "registered") throw new Error("expected a registration, got a confirmation request");
  return result;
}

export type WriterJob = {
  index: number;
  eventId: number;
  sessionIds: number[];
  registrationIds: number[];
  actor: Actor;
  /** an admin, for the account writes */
  admin: Actor;
  /** this writer's own draft event, opened during the run */
  draftEventId: number;
};
export type WriterReport = {
  index: number;
  registration: string | null;
  attendanceWrites: number;
  /** event and account writes that went through */
  otherWrites: number;
  errors: { operation: string; code: string | null; message: string }[];
};

const job = workerData as WriterJob;
const port = parentPort!;
getDb(); // open (and check the migrations of) the connection before the start signal

async function attempt(report: WriterReport, operation: string, write: () => Promise<void>) {
  try {
    await write();
  } catch (error) {
    const e = driverError(error) ?? { code: undefined, message: String(error) };
    report.errors.push({ operation, code: e.code ?? null, message: String(e.message) });
  }
}

async function attemptAsync(report: WriterReport, operation: string, write: () => Promise<void>) {
  try {
    await write();
    report.otherWrites++;
  } catch (error) {
    const e = driverError(error) ?? { code: undefined, message: String(error) };
    report.errors.push({ operation, code: e.code ?? null, message: String(e.message) });
  }
}

port.once("message", async () => {
  const report: WriterReport = { index: job.index, registration: null, attendanceWrites: 0, otherWrites: 0, errors: [] };
  await attempt(report, "registerForEvent", async () => {
    report.registration = registered(await registerForEvent(
      job.eventId,
      {
        givenName: "Concurrent",
        familyName: `Officer ${job.index}`,
        email: `writer-${job.index}@concurrency.example`,
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
    )).status;
  });
  // every writer marks the same few cells, in turn present and late: the most contended rows
  for (let round = 0; round < 2; round++) {
    await attempt(report, "recordAttendance", async () => {
      const registrationId = job.registrationIds[(job.index + round) % job.registrationIds.length];
      const sessionId = job.sessionIds[(job.index + round) % job.sessionIds.length];
      const status = (job.index + round) % 2 === 0 ? "present" : "late";
      await recordAttendance(job.actor, job.eventId, [{ registrationId, sessionId, status }]);
      report.attendanceWrites++;
    });
  }
  const other = async (operation: string, write: () => Promise<unknown>) =>
    await attempt(report, operation, async () => {
      await write();
      report.otherWrites++;
    });
  await other("updateEvent", async () =>
    await updateEvent(
      job.actor,
      job.eventId,
      eventSchema.parse({
        title: `Identification of victims — concurrency (edit ${job.index})`,
        type: "training",
        country: "BS",
        timeZone: "America/Nassau",
        startDate: "2026-03-02",
        endDate: "2026-03-03",
        capacity: "30",
        completionThreshold: "80",
      }),
    ),
  );
  await other("changeEventStatus", async () => await changeEventStatus(job.actor, job.draftEventId, "open"));
  await other("duplicateEvent", async () => await duplicateEvent(job.actor, job.eventId, "2027-06-01"));
  let userId: string | null = null;
  await other("inviteUser", async () => {
    userId = await inviteUser(
      job.admin,
      { name: `Invited ${job.index}`, email: `invited-${job.index}@concurrency.example`, role: "participant", organisationId: null, locale: "en" },
      "http://localhost:3000",
    );
  });
  if (userId) {
    const id: string = userId;
    await other("resendInvitation", async () => await resendInvitation(job.admin, id, "http://localhost:3000"));
    await attemptAsync(report, "updateUser", async () => await updateUser(job.admin, id, { name: `Invited ${job.index} (renamed)`, role: "participant", organisationId: null }));
    await attemptAsync(report, "setUserDisabled", async () => await setUserDisabled(job.admin, id, true));
  }
  port.postMessage(report);
});
port.postMessage("ready");
