import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb, readyDb } from "../../db/client";
import { is, Table } from "drizzle-orm";
import * as schema from "../../db/schema";
import { auditLog, organisations } from "../../db/schema";
import { connectAdmin, createDatabase, dropDatabase, prefix, urlOf } from "../setup/postgres";

/**
 * `npm run db:copy-to-postgres` (db/cli/copy-to-postgres.ts): the demo data, and a few rows that
 * exercise every kind of value, copied from a SQLite file into PostgreSQL; run as the command runs,
 * a process of its own. The target is this file's database (migrated, with the reference data the
 * migrations insert) or a database created empty here.
 */
const dir = process.env.CONVENE_TEST_TMP ?? path.resolve("tests/.tmp");
const id = crypto.randomUUID().slice(0, 8);
const source = path.join(dir, `copy-source-${id}.db`);
const target = () => process.env.DATABASE_URL!;
const fresh = `${process.env.CONVENE_TEST_PG_RUN ?? prefix()}_copyfresh_${id}`;
const SLOW = 180_000;

type Run = { status: number | null; stdout: string; stderr: string };

function tsx(script: string, args: string[], env: Record<string, string> = {}): Run {
  const run = spawnSync(process.execPath, ["--import", "tsx", script, ...args], {
    env: { ...process.env, ...env },
    encoding: "utf8",
    timeout: SLOW,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

const copy = (args: string[]) => tsx("db/cli/copy-to-postgres.ts", args, { DATABASE_URL: "", DATABASE_PATH: "" });

/** The source's table names (every one the copy must carry over). */
function sourceTables(file = source) {
  const sqlite = new Database(file, { readonly: true });
  try {
    return (sqlite.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name <> '__drizzle_migrations' order by name").all() as { name: string }[]).map((r) => r.name);
  } finally {
    sqlite.close();
  }
}

function sqliteRows<T = Record<string, unknown>>(text: string, ...params: unknown[]): T[] {
  const sqlite = new Database(source, { readonly: true });
  try {
    return sqlite.prepare(text).all(...params) as T[];
  } finally {
    sqlite.close();
  }
}

async function pgRows<T = Record<string, unknown>>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

async function countsOn(url: string) {
  const counts: Record<string, number> = {};
  for (const table of sourceTables()) counts[table] = Number((await pgRows<{ n: number }>(url, `select count(*) as n from "${table}"`))[0].n);
  return counts;
}

function sourceCounts() {
  const counts: Record<string, number> = {};
  for (const table of sourceTables()) counts[table] = sqliteRows<{ n: number }>(`select count(*) as n from "${table}"`)[0].n;
  return counts;
}

/** The read models' answers on one engine (a process per engine: a process builds its tables for one). */
function readModels(env: Record<string, string>) {
  const run = tsx("tests/setup/read-models-probe.ts", [], env);
  expect(run.stderr).toBe("");
  expect(run.status).toBe(0);
  const answers = JSON.parse(run.stdout) as { attendance: { marks: { registrationId: number; sessionId: number }[] }[] };
  // the grid's marks are a set (looked up by registration and session), in no particular order
  for (const grid of answers.attendance) grid.marks.sort((a, b) => a.registrationId - b.registrationId || a.sessionId - b.sessionId);
  return answers;
}

beforeAll(async () => {
  await readyDb();
  const seeded = tsx("db/seed/demo-cli.ts", [], { DATABASE_URL: "", DATABASE_PATH: source });
  expect(seeded.status, seeded.stderr).toBe(0);
  // values of every kind the demo lacks: JSON details and attachments, a boolean set, non-Latin text, a wide integer
  const sqlite = new Database(source);
  sqlite.prepare("insert into audit_log (at, user_id, action, entity_type, entity_id, details, ip) values (?, null, 'copy.test', 'event', '1', ?, '192.0.2.1')").run(
    Date.UTC(2026, 0, 2, 3, 4, 5, 678),
    JSON.stringify({ changed: ["title", "dates"], note: "تدريب — formation", nested: { n: 3, ok: true, none: null } }),
  );
  sqlite.prepare("insert into email_outbox (kind, to_address, subject, html, text, attachments, headers, message_id, next_attempt_at) values ('test', 'a@example.org', 'S', '<p>h</p>', 't', ?, ?, 'copy-test@convene', ?)").run(
    JSON.stringify([{ filename: "event.ics", contentType: "text/calendar", content: "QkVHSU46VkNBTEVOREFS" }]),
    JSON.stringify({ "List-Unsubscribe": "<https://example.org/u>" }),
    Date.UTC(2026, 5, 1),
  );
  sqlite.prepare("update people set email_reminders_off = 1 where id = (select min(id) from people)").run();
  sqlite.prepare("insert into rate_limits (key, window_start, count) values ('login:copy', ?, 3)").run(Date.UTC(2030, 0, 1));
  sqlite.prepare("insert into organisations (name, kind, country) values ('وزارة الداخلية', 'government_partner', 'JO')").run();
  sqlite.close();
  const admin = await connectAdmin();
  await createDatabase(admin, fresh);
  await admin.end();
}, SLOW);

afterAll(async () => {
  const admin = await connectAdmin();
  await dropDatabase(admin, fresh);
  await admin.end();
  for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(source + suffix, { force: true });
});

describe("npm run db:copy-to-postgres", () => {
  it("migrates an empty database, copies every table into it and checks every count", async () => {
    const run = copy(["--from", source, "--to", urlOf(fresh)]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    // every table the schema declares (a new feature's tables included)
    const tables = Object.values(schema).filter((value) => is(value, Table)).length;
    expect(tables).toBeGreaterThanOrEqual(40);
    expect(run.stdout).toMatch(new RegExp(`Copied ${tables} tables, [\\d,]+ rows, every count equal`));
    expect(run.stdout).toMatch(/^ {2}attendance +[\d,]+ +[\d,]+ +equal$/m);
    expect(run.stdout).not.toMatch(/DIFFERENT/);
    // the URL is shown without its password
    expect(run.stdout).toContain(`postgres://convene@`);
    expect(run.stdout).not.toContain(":convene@");
    const expected = sourceCounts();
    expect(Object.keys(expected)).toHaveLength(tables);
    expect(expected.attendance).toBeGreaterThan(100);
    expect(await countsOn(urlOf(fresh))).toEqual(expected);
  }, SLOW);

  it("copies into a migrated database, the reference data of its migrations replaced by the source's", async () => {
    const before = await pgRows<{ n: number }>(target(), "select count(*) as n from gcm_objectives");
    expect(Number(before[0].n)).toBe(23);
    const run = copy(["--from", source, "--to", target()]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(await countsOn(target())).toEqual(sourceCounts());
  }, SLOW);

  it("keeps every value: instants, booleans, JSON, non-Latin text, wide integers", async () => {
    const [event] = sqliteRows("select * from events where origin_follow_up_request_id is not null");
    const [pgEvent] = await pgRows(target(), "select * from events where id = $1", [event.id]);
    expect(event.origin_follow_up_request_id).not.toBeNull();
    expect(pgEvent).toEqual({
      ...event,
      requires_approval: event.requires_approval === 1,
      target_roles: JSON.parse(event.target_roles as string),
      topics: JSON.parse(event.topics as string),
      check_in_days: JSON.parse(event.check_in_days as string),
    });
    expect(typeof pgEvent.requires_approval).toBe("boolean");

    const [person] = sqliteRows("select * from people where email_reminders_off = 1 order by id limit 1");
    const [pgPerson] = await pgRows(target(), "select * from people where id = $1", [person.id]);
    expect(pgPerson).toEqual({ ...person, email_reminders_off: true });

    const [registration] = sqliteRows("select * from registrations where attended_sessions > 0 order by id limit 1");
    const [pgRegistration] = await pgRows(target(), "select * from registrations where id = $1", [registration.id]);
    expect(pgRegistration).toEqual(registration);

    const [audit] = sqliteRows("select * from audit_log where action = 'copy.test'");
    const [pgAudit] = await pgRows(target(), "select * from audit_log where id = $1", [audit.id]);
    expect(pgAudit).toEqual({ ...audit, details: JSON.parse(audit.details as string) });
    expect(pgAudit.at).toBe(Date.UTC(2026, 0, 2, 3, 4, 5, 678));
    expect((pgAudit.details as { note: string }).note).toBe("تدريب — formation");

    const [outbox] = sqliteRows("select * from email_outbox where message_id = 'copy-test@convene'");
    const [pgOutbox] = await pgRows(target(), "select * from email_outbox where id = $1", [outbox.id]);
    expect(pgOutbox).toEqual({ ...outbox, attachments: JSON.parse(outbox.attachments as string), headers: JSON.parse(outbox.headers as string) });

    expect(await pgRows(target(), "select key, window_start, count from rate_limits")).toEqual([{ key: "login:copy", window_start: Date.UTC(2030, 0, 1), count: 3 }]);
    expect(await pgRows(target(), "select name from organisations where country = 'JO'")).toEqual([{ name: "وزارة الداخلية" }]);
  });

  it("keeps the stored counts, data versions and cell keys of the source, and the triggers keep them afterwards", async () => {
    expect(await pgRows(target(), "select name, n from data_versions order by name")).toEqual(sqliteRows("select name, n from data_versions order by name"));
    expect(await pgRows(target(), "select id, attended_sessions, excused_sessions, cell_key from registrations order by id")).toEqual(
      sqliteRows("select id, attended_sessions, excused_sessions, cell_key from registrations order by id"),
    );
    expect(await pgRows(target(), "select id, counted_sessions from events order by id")).toEqual(sqliteRows("select id, counted_sessions from events order by id"));
    // every trigger the copy disabled is enabled again
    const disabled = await pgRows(target(), "select tgname from pg_trigger t join pg_class c on c.oid = t.tgrelid join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and not t.tgisinternal and t.tgenabled <> 'O'");
    expect(disabled).toEqual([]);
    // and they run: a new session of an event is counted, a new unit of donor figures gets its key
    const [{ id: eventId, counted_sessions: counted }] = sqliteRows<{ id: number; counted_sessions: number }>("select id, counted_sessions from events order by id limit 1");
    const client = new pg.Client({ connectionString: target() });
    await client.connect();
    try {
      await client.query("begin");
      await client.query("insert into event_sessions (event_id, title, kind, starts_at, ends_at) values ($1, 'Extra', 'presentation', $2, $3)", [eventId, Date.UTC(2026, 1, 1, 9), Date.UTC(2026, 1, 1, 10)]);
      expect((await client.query("select counted_sessions from events where id = $1", [eventId])).rows[0].counted_sessions).toBe(counted + 1);
      await client.query("rollback");
    } finally {
      await client.end();
    }
  });

  it("gives the same answers through the app's read models on both engines", () => {
    const onSqlite = readModels({ DATABASE_URL: "", DATABASE_PATH: source });
    const onPostgres = readModels({ DATABASE_URL: target() });
    expect((onSqlite as unknown as { eventsForCoordinator: { total: number } }).eventsForCoordinator.total).toBeGreaterThan(5);
    expect(onPostgres).toEqual(onSqlite);
  }, SLOW);

  it("continues every id sequence after the largest copied id", async () => {
    const db = getDb();
    const [organisation] = await db.insert(organisations).values({ name: "After the copy", kind: "government_partner" }).returning();
    expect(organisation.id).toBe(sqliteRows<{ n: number }>("select max(id) as n from organisations")[0].n + 1);
    const [entry] = await db.insert(auditLog).values({ at: new Date(), action: "copy.after" }).returning();
    expect(entry.id).toBe(sqliteRows<{ n: number }>("select max(id) as n from audit_log")[0].n + 1);
  });

  it("refuses a target that holds data, in one line, and changes nothing", async () => {
    const before = await countsOn(target());
    const run = copy(["--from", source, "--to", target()]);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).toMatch(/^Nothing copied: --to: postgres:\/\/convene@[^ ]+ already holds data \([a-z_]+ \d+, .*\): copy into an empty database, or add --replace/);
    expect(await countsOn(target())).toEqual(before);
  }, SLOW);

  it("with --replace, empties the target and copies the source again", async () => {
    const run = copy(["--from", source, "--to", target(), "--replace"]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("emptied the target first (--replace)");
    expect(await countsOn(target())).toEqual(sourceCounts());
    expect(await pgRows(target(), "select name from organisations where name = 'After the copy'")).toEqual([]);
  }, SLOW);

  it("a missing or unreadable source, or one of an older schema, gives one clear line and writes nothing", async () => {
    const before = await countsOn(target());
    const missing = copy(["--from", "/nonexistent/folder/convene.db", "--to", target(), "--replace"]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toBe("Nothing copied: --from: /nonexistent/folder/convene.db does not exist\n");

    const notSqlite = path.join(dir, `copy-not-sqlite-${id}.db`);
    fs.writeFileSync(notSqlite, "this is not a database, just text long enough to look like a file".repeat(20));
    const garbage = tsx("db/cli/copy-to-postgres.ts", ["--to", target(), "--replace"], { DATABASE_URL: "", DATABASE_PATH: notSqlite });
    fs.rmSync(notSqlite);
    expect(garbage.status).toBe(1);
    expect(garbage.stderr).toMatch(/^Nothing copied: DATABASE_PATH: cannot read .*copy-not-sqlite-.* as a SQLite database \(file is not a database\)\n$/);

    const older = path.join(dir, `copy-older-${id}.db`);
    fs.copyFileSync(source, older);
    const sqlite = new Database(older);
    sqlite.prepare("delete from __drizzle_migrations where rowid = (select max(rowid) from __drizzle_migrations)").run();
    sqlite.close();
    const outdated = copy(["--from", older, "--to", target(), "--replace"]);
    fs.rmSync(older);
    expect(outdated.status).toBe(1);
    expect(outdated.stderr).toMatch(/^Nothing copied: --from: .* is at migration \d+ of \d+: migrate it first \(DATABASE_PATH=.* npm run db:migrate\)\n$/);

    const badUrl = copy(["--from", source, "--to", "mysql://x@y/z"]);
    expect(badUrl.status).toBe(1);
    expect(badUrl.stderr).toBe("Nothing copied: --to must start with postgres:// or postgresql:// (it starts with mysql://)\n");
    expect(await countsOn(target())).toEqual(before);
  }, SLOW);

  it("a failure half-way rolls everything back: the target is as it was, its triggers enabled", async () => {
    const broken = path.join(dir, `copy-broken-${id}.db`);
    fs.copyFileSync(source, broken);
    const sqlite = new Database(broken);
    // SQLite keeps any text in a JSON column; PostgreSQL's jsonb refuses it
    sqlite.prepare("update events set topics = 'not json' where id = (select max(id) from events)").run();
    sqlite.close();
    const before = await countsOn(target());
    const versions = await pgRows(target(), "select name, n from data_versions order by name");
    const run = copy(["--from", broken, "--to", target(), "--replace"]);
    fs.rmSync(broken);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^Copy failed, nothing written \(rolled back\): events, rows 1–\d+: invalid input syntax for type json\n$/);
    expect(await countsOn(target())).toEqual(before);
    expect(await pgRows(target(), "select name, n from data_versions order by name")).toEqual(versions);
    const disabled = await pgRows(target(), "select tgname from pg_trigger t join pg_class c on c.oid = t.tgrelid join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and not t.tgisinternal and t.tgenabled <> 'O'");
    expect(disabled).toEqual([]);
  }, SLOW);
});
