// Call the read models on the demo database, record each statement for both engines
import fs from "node:fs";
import Database from "better-sqlite3";
import { SQLiteDialect } from "drizzle-orm/sqlite-core";
import { PgDialect } from "drizzle-orm/pg-core";
const WORK = process.env.PG_CHECK_DIR ?? "/tmp/convene-pg-check";
fs.mkdirSync(WORK, { recursive: true });
const source = process.argv[2];
fs.copyFileSync(source, `${WORK}/drive.db`);
process.env.DATABASE_PATH = `${WORK}/drive.db`;
const { withEngine } = await import("../../db/sql-dialect");
const pgd = new PgDialect();
const log: unknown[] = [];
const proto = SQLiteDialect.prototype as unknown as { sqlToQuery: (...args: unknown[]) => { sql: string; params: unknown[] } };
const original = proto.sqlToQuery;
proto.sqlToQuery = function (this: unknown, ...args: unknown[]) {
  const result = original.apply(this, args);
  const q = withEngine("postgres", () => pgd.sqlToQuery(args[0] as never));
  log.push({ sqlite: result.sql, sqliteParams: result.params, pg: q.sql, pgParams: q.params, where: new Error().stack?.split("\n").find((l) => l.includes("/app/models/"))?.trim() });
  return result;
};
const users = new Database(source, { readonly: true }).prepare("select id, email, name, role, organisation_id as organisationId, locale from users").all() as never[];
const m = {
  home: await import("../../app/models/home.server"),
  events: await import("../../app/models/events.server"),
  reports: await import("../../app/models/reports.server"),
  plans: await import("../../app/models/action-plans.server"),
  people: await import("../../app/models/people.server"),
  regs: await import("../../app/models/registrations.server"),
  fu: await import("../../app/models/follow-ups.server"),
  certs: await import("../../app/models/certificates.server"),
  orgs: await import("../../app/models/organisations.server"),
  outbox: await import("../../app/models/outbox.server"),
};
const eventIds = (new Database(source, { readonly: true }).prepare("select id from events").all() as { id: number }[]).map((r) => r.id);
const attempt = async (f: () => Promise<unknown>) => { try { await f(); } catch { /* refused for this role */ } };
for (const user of users as { role: string }[]) {
  const u = user as never;
  const actor = { user: u, ip: null } as never;
  await attempt(() => m.home.homeFor(u));
  for (const q of [{}, { when: "past" }, { when: "upcoming" }, { q: "traff" }, { q: "NASSAU" }]) await attempt(() => m.events.listEvents(u, q as never));
  await attempt(() => m.events.exportEvents(u, {}));
  await attempt(() => m.events.eventFilterOptions(u));
  for (const id of eventIds) {
    await attempt(() => m.events.getEventOverview(u, id));
    await attempt(() => m.regs.getRoster(u, id));
    await attempt(() => m.regs.getRoster(u, id, { q: "ro" } as never));
  }
  await attempt(() => m.reports.activityReport(u, { from: "2000-01-01", to: "2100-01-01" }));
  await attempt(() => m.plans.actionPlansOverview(u));
  await attempt(() => m.plans.actionPlansOverview(u, { organisationId: 3 }));
  await attempt(() => m.people.listPeople(actor, { q: "ro" }));
  await attempt(() => m.people.listPeople(actor, {}));
  await attempt(() => m.fu.listFollowUps(u));
  await attempt(() => m.certs.myCertificates(u));
  await attempt(() => m.regs.myRegistrations(u));
  await attempt(() => m.orgs.listOrganisations(actor));
  await attempt(() => m.outbox.listOutbox(actor, { q: "a" }));
}
fs.writeFileSync(`${WORK}/drive.json`, JSON.stringify(log));
console.log("statements", log.length);
process.exit(0);
