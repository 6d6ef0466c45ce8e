/**
 * One writer of the concurrency test (tests/integration/concurrency.test.ts), run in its own
 * worker thread and so with its own SQLite connection to the test's database file, as separate
 * server processes would have. It opens the database, says it is ready, waits for the common
 * start signal, then writes through the model functions: it registers one new officer for the
 * event and records attendance on cells the other writers record too. Every error is reported
 * back with its code (SQLITE_BUSY would be one).
 */
import { parentPort, workerData } from "node:worker_threads";
import { getDb } from "../../db/client";
import type { Actor } from "~/auth/session.server";
import { recordAttendance } from "~/models/attendance.server";
import { registerForEvent } from "~/models/registrations.server";

export type WriterJob = {
  index: number;
  eventId: number;
  sessionIds: number[];
  registrationIds: number[];
  actor: Actor;
};
export type WriterReport = {
  index: number;
  registration: string | null;
  attendanceWrites: number;
  errors: { operation: string; code: string | null; message: string }[];
};

const job = workerData as WriterJob;
const port = parentPort!;
getDb(); // open (and check the migrations of) the connection before the start signal

function attempt(report: WriterReport, operation: string, write: () => void) {
  try {
    write();
  } catch (error) {
    const e = error as { code?: string; message?: string };
    report.errors.push({ operation, code: e.code ?? null, message: String(e.message ?? error) });
  }
}

port.once("message", () => {
  const report: WriterReport = { index: job.index, registration: null, attendanceWrites: 0, errors: [] };
  attempt(report, "registerForEvent", () => {
    report.registration = registerForEvent(
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
      { appUrl: "http://localhost:3000", ip: null, userId: null },
    ).status;
  });
  // every writer marks the same few cells, in turn present and late: the most contended rows
  for (let round = 0; round < 2; round++) {
    attempt(report, "recordAttendance", () => {
      const registrationId = job.registrationIds[(job.index + round) % job.registrationIds.length];
      const sessionId = job.sessionIds[(job.index + round) % job.sessionIds.length];
      const status = (job.index + round) % 2 === 0 ? "present" : "late";
      recordAttendance(job.actor, job.eventId, [{ registrationId, sessionId, status }]);
      report.attendanceWrites++;
    });
  }
  port.postMessage(report);
});
port.postMessage("ready");
