/**
 * Prints, as JSON, what the app's read models answer on the database the environment names
 * (DATABASE_URL, else DATABASE_PATH): the copy test runs it once per engine and compares. It only
 * reads. Run as a process of its own because a process builds its tables for one engine.
 */
import { asc, eq } from "drizzle-orm";
import { closeDb, dbClosed, firstRow, getDb, readyDb } from "../../db/client";
import { events, users } from "../../db/schema";
import type { SessionUser } from "~/auth/session.server";
import { attendanceGrid } from "~/models/attendance.server";
import { listEvents } from "~/models/events.server";
import { getRoster } from "~/models/registrations.server";
import { activityReport } from "~/models/reports.server";

async function sessionUser(email: string): Promise<SessionUser> {
  const u = firstRow(await getDb().select().from(users).where(eq(users.email, email)).limit(1));
  if (!u) throw new Error(`no user ${email}`);
  return { id: u.id, email: u.email, name: u.name, role: u.role, organisationId: u.organisationId, locale: u.locale };
}

await readyDb();
const coordinator = await sessionUser("coordinator@example.org");
const donor = await sessionUser("donor@example.org");
const period = { from: "2015-01-01", to: "2034-12-31" };
const eventIds = (await getDb().select({ id: events.id }).from(events).orderBy(asc(events.id))).map((e) => e.id);
const answers = {
  eventsForCoordinator: await listEvents(coordinator, { when: "all" }),
  eventsForDonor: await listEvents(donor, { when: "all" }),
  reportForCoordinator: await activityReport(coordinator, period),
  reportForDonor: await activityReport(donor, period),
  rosters: await Promise.all(eventIds.map(async (id) => await getRoster(coordinator, id))),
  attendance: await Promise.all(eventIds.map(async (id) => await attendanceGrid(coordinator, id))),
};
process.stdout.write(JSON.stringify(answers));
closeDb();
await dbClosed();
