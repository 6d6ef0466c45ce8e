import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { backupDatabase, closeDatabase, getDb, MIGRATIONS_FOLDER, openDatabase, queryAll } from "../../db/client";
import { gcmObjectives, organisations } from "../../db/schema";

/**
 * SQLite's own machinery: the file's settings, its migrations folder and its backup API. (The
 * PostgreSQL counterparts are in tests/postgres: migrations, pg_dump backups, the copy command.)
 */
describe("the SQLite database", () => {
  it("runs with WAL, foreign keys and a busy timeout", () => {
    const client = getDb().$client;
    expect(client.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(client.pragma("foreign_keys", { simple: true })).toBe(1);
    expect(client.pragma("busy_timeout", { simple: true })).toBe(5000);
  });

  it("is idempotent to migrate again, and a backup is a consistent usable copy", async () => {
    const file = process.env.DATABASE_PATH!;
    await getDb().insert(organisations).values({ name: "Backup check", kind: "other" });
    const again = openDatabase(file);
    expect(await again.select().from(gcmObjectives)).toHaveLength(23);
    closeDatabase(again);
    const copy = path.join(path.dirname(file), `backup-${Date.now()}.db`);
    await backupDatabase(file, copy);
    const restored = openDatabase(copy, { migrate: false });
    expect(await queryAll(restored, sql`select name from organisations where name = 'Backup check'`)).toHaveLength(1);
    closeDatabase(restored);
    fs.rmSync(copy, { force: true });
  });
});

describe("migrations keep data", () => {
  it("migrating a database filled at an earlier version keeps every event, session, registration and attendance", async () => {
    const { seedDemo } = await import("../../db/seed/demo");
    const journal = JSON.parse(fs.readFileSync(path.join(MIGRATIONS_FOLDER, "meta/_journal.json"), "utf8"));
    const dir = fs.mkdtempSync(path.join(path.dirname(process.env.DATABASE_PATH!), "migrations-"));
    // the migrations as they were before the newest ones (0000–0002)
    fs.mkdirSync(path.join(dir, "meta"));
    const early = journal.entries.filter((e: { idx: number }) => e.idx <= 2);
    fs.writeFileSync(path.join(dir, "meta/_journal.json"), JSON.stringify({ ...journal, entries: early }));
    for (const e of early) fs.copyFileSync(path.join(MIGRATIONS_FOLDER, `${e.tag}.sql`), path.join(dir, `${e.tag}.sql`));
    const file = path.join(dir, "old.db");
    const old = openDatabase(file, { migrationsFolder: dir });
    // fill it through plain SQL of that era's columns: the demo loader writes today's schema, so
    // load it into a current database and copy the rows over
    const current = openDatabase(path.join(dir, "current.db"));
    await seedDemo(current, { today: new Date("2026-11-22T12:00:00Z") });
    closeDatabase(current);
    old.$client.exec(`ATTACH DATABASE '${path.join(dir, "current.db")}' AS src`);
    const tables = old.$client.prepare("select name from sqlite_master where type='table' and name not like '\\_\\_%' escape '\\' and name not like 'sqlite%'").all() as { name: string }[];
    old.$client.pragma("foreign_keys = OFF");
    for (const { name } of tables) {
      const cols = (old.$client.prepare(`pragma table_info("${name}")`).all() as { name: string }[]).map((c) => `"${c.name}"`).join(", ");
      old.$client.exec(`insert or ignore into main."${name}" (${cols}) select ${cols} from src."${name}"`);
    }
    old.$client.pragma("foreign_keys = ON");
    old.$client.exec("DETACH DATABASE src");
    const count = (db: typeof old, table: string) => (db.$client.prepare(`select count(*) as n from "${table}"`).get() as { n: number }).n;
    const counts = (db: typeof old) => Object.fromEntries(["events", "event_sessions", "registrations", "attendance", "people", "action_plan_items"].map((t) => [t, count(db, t)]));
    const before = counts(old);
    expect(before.attendance).toBeGreaterThan(500);
    expect(before.events).toBeGreaterThan(5);
    closeDatabase(old);
    const migrated = openDatabase(file);
    const after = counts(migrated);
    expect(after).toEqual(before);
    closeDatabase(migrated);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("adding session feedback forms keeps every feedback form, respondent and answer unchanged, the answers still without a rowid", async () => {
    const { seedDemo } = await import("../../db/seed/demo");
    const journal = JSON.parse(fs.readFileSync(path.join(MIGRATIONS_FOLDER, "meta/_journal.json"), "utf8"));
    const dir = fs.mkdtempSync(path.join(path.dirname(process.env.DATABASE_PATH!), "migrations-"));
    // the migrations before session feedback forms (0000–0025)
    fs.mkdirSync(path.join(dir, "meta"));
    const before0026 = journal.entries.filter((e: { tag: string }) => e.tag < "0026");
    expect(before0026).toHaveLength(26);
    fs.writeFileSync(path.join(dir, "meta/_journal.json"), JSON.stringify({ ...journal, entries: before0026 }));
    for (const e of before0026) fs.copyFileSync(path.join(MIGRATIONS_FOLDER, `${e.tag}.sql`), path.join(dir, `${e.tag}.sql`));
    const file = path.join(dir, "old.db");
    const old = openDatabase(file, { migrationsFolder: dir });
    // the demo (its closed feedback form with answers) loaded into a current database, copied over column by column
    const current = openDatabase(path.join(dir, "current.db"));
    await seedDemo(current, { today: new Date("2026-11-22T12:00:00Z") });
    closeDatabase(current);
    old.$client.exec(`ATTACH DATABASE '${path.join(dir, "current.db")}' AS src`);
    const tables = old.$client.prepare("select name from sqlite_master where type='table' and name not like '\\_\\_%' escape '\\' and name not like 'sqlite%'").all() as { name: string }[];
    old.$client.pragma("foreign_keys = OFF");
    for (const { name } of tables) {
      const cols = (old.$client.prepare(`pragma table_info("${name}")`).all() as { name: string }[]).map((c) => `"${c.name}"`).join(", ");
      old.$client.exec(`insert or ignore into main."${name}" (${cols}) select ${cols} from src."${name}"`);
    }
    old.$client.pragma("foreign_keys = ON");
    old.$client.exec("DETACH DATABASE src");
    const feedback = (db: typeof old) => ({
      forms: db.$client.prepare("select id, event_id, opened_at, opened_by_user_id, closed_at, reminder_sent_at, created_at, updated_at from feedback_forms order by id").all(),
      respondents: db.$client.prepare("select * from feedback_respondents order by form_id, person_id").all(),
      answers: db.$client.prepare("select * from feedback_answers order by id").all(),
    });
    const before = feedback(old);
    expect(before.forms.length).toBeGreaterThan(0);
    expect(before.answers.length).toBeGreaterThanOrEqual(5);
    expect(before.respondents.length).toBe(before.answers.length);
    closeDatabase(old);

    const migrated = openDatabase(file);
    expect(feedback(migrated)).toEqual(before);
    expect(migrated.$client.prepare("select count(*) as n from feedback_forms where session_id is not null").get()).toEqual({ n: 0 });
    expect(() => migrated.$client.prepare("select rowid from feedback_answers").all()).toThrow(/rowid/);
    // the trigger that keys an answer added without its cell key survived the rebuild
    expect(migrated.$client.prepare("select name from sqlite_master where type = 'trigger' and tbl_name = 'feedback_answers'").all()).toEqual([{ name: "feedback_answers_cell_key_insert" }]);
    expect(migrated.$client.pragma("foreign_key_check")).toEqual([]);
    // the event's one end-of-event form is still the only one it can have
    const eventId = (before.forms[0] as { event_id: number }).event_id;
    expect(() => migrated.$client.prepare("insert into feedback_forms (event_id, opened_at) values (?, ?)").run(eventId, Date.now())).toThrow(/UNIQUE/);
    closeDatabase(migrated);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
