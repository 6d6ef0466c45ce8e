import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { count, eq, sql } from "drizzle-orm";
import pg from "pg";
import { changedRows, execute, firstRow, getDb, isUniqueViolation, queryAll, queryOne, readyDb } from "../../db/client";
import { migratePostgres } from "../../db/postgres";
import { appSettings, auditLog, gcmObjectives, organisations } from "../../db/schema";
import { connectAdmin, createDatabase, dropDatabase, prefix, urlOf } from "../setup/postgres";

/** db/client.ts on PostgreSQL (this file runs only under `npm run test:postgres`). */
describe("the PostgreSQL handle", () => {
  beforeAll(async () => {
    await readyDb();
  });

  it("is the PostgreSQL engine, with the migrated reference data", async () => {
    const db = getDb();
    expect(db.engine).toBe("postgres");
    expect(firstRow(await db.select({ n: count() }).from(gcmObjectives).limit(1))!.n).toBe(23);
  });

  it("gives counts and sums as numbers, instants as Dates, booleans and JSON as on SQLite", async () => {
    const db = getDb();
    const row = await queryOne<{ n: unknown; s: unknown; big: unknown }>(db, sql`select count(*) as n, sum(id) as s, ${2 ** 40}::bigint as big from gcm_objectives`);
    expect(row).toEqual({ n: 23, s: 276, big: 2 ** 40 });
    const [org] = await db.insert(organisations).values({ name: "Types", kind: "government_partner" }).returning();
    expect(org.createdAt).toBeInstanceOf(Date);
    expect(Math.abs(org.createdAt.getTime() - Date.now())).toBeLessThan(60_000);
  });

  it("runs concurrent read-then-write transactions as if one after the other (serialisation failures retried)", async () => {
    const db = getDb();
    await db.insert(appSettings).values({ key: "counter", value: "0" });
    await Promise.all(
      Array.from({ length: 20 }, () =>
        db.transaction(async (tx) => {
          const { value } = firstRow(await tx.select().from(appSettings).where(eq(appSettings.key, "counter")).limit(1))!;
          await new Promise((resolve) => setImmediate(resolve));
          await tx.update(appSettings).set({ value: String(Number(value) + 1) }).where(eq(appSettings.key, "counter"));
        }),
      ),
    );
    expect(firstRow(await db.select().from(appSettings).where(eq(appSettings.key, "counter")).limit(1))!.value).toBe("20");
  });

  it("runs a statement made with db inside a body in its transaction; a nested transaction is a savepoint", async () => {
    const db = getDb();
    await db.transaction(async (tx) => {
      await tx.insert(appSettings).values({ key: "outer", value: "1" });
      // seen through db inside the body (the same connection), not by another connection
      expect(await queryAll(db, sql`select key from app_settings where key = 'outer'`)).toEqual([{ key: "outer" }]);
      const other = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await other.connect();
      expect((await other.query("select key from app_settings where key = 'outer'")).rowCount).toBe(0);
      await other.end();
      await expect(
        db.transaction(async (inner) => {
          await inner.insert(appSettings).values({ key: "inner", value: "1" });
          throw new Error("refused");
        }),
      ).rejects.toThrow("refused");
    });
    const keys = (await db.select().from(appSettings)).map((r) => r.key);
    expect(keys).toContain("outer");
    expect(keys).not.toContain("inner");
  });

  it("rolls back a body that throws, and says which writes broke a unique index", async () => {
    const db = getDb();
    await expect(
      db.transaction(async (tx) => {
        await tx.insert(appSettings).values({ key: "rolled-back", value: "1" });
        await tx.insert(appSettings).values({ key: "rolled-back", value: "2" });
      }),
    ).rejects.toSatisfy(isUniqueViolation);
    expect(await db.select().from(appSettings).where(eq(appSettings.key, "rolled-back"))).toEqual([]);
    expect(changedRows(await db.update(appSettings).set({ value: "x" }).where(eq(appSettings.key, "nothing")))).toBe(0);
    await execute(db, sql`insert into app_settings (key, value) values ('raw', '1')`);
    expect(changedRows(await db.update(appSettings).set({ value: "2" }).where(eq(appSettings.key, "raw")))).toBe(1);
  });

  it("keeps the audit log append-only", async () => {
    const db = getDb();
    await db.insert(auditLog).values({ at: new Date(), action: "test" });
    await expect(db.update(auditLog).set({ action: "changed" })).rejects.toThrow();
    await expect(db.delete(auditLog)).rejects.toThrow();
    expect((await db.select().from(auditLog)).map((r) => r.action)).toEqual(["test"]);
  });
});

describe("migrations on PostgreSQL", () => {
  const name = `${prefix()}migrate_${process.pid}`;
  let admin: pg.Client;
  beforeAll(async () => {
    admin = await connectAdmin();
    await dropDatabase(admin, name);
    await createDatabase(admin, name);
  });
  afterAll(async () => {
    await dropDatabase(admin, name);
    await admin.end();
  });

  it("are applied once when two instances start together (advisory lock)", async () => {
    await Promise.all([migratePostgres(urlOf(name)), migratePostgres(urlOf(name)), migratePostgres(urlOf(name))]);
    const client = new pg.Client({ connectionString: urlOf(name) });
    await client.connect();
    const applied = await client.query("select count(*)::int as n from drizzle.__drizzle_migrations");
    const objectives = await client.query("select count(*)::int as n from gcm_objectives");
    await client.end();
    // every migration of db/migrations-pg once
    const journal = JSON.parse(fs.readFileSync("db/migrations-pg/meta/_journal.json", "utf8")) as { entries: unknown[] };
    expect(applied.rows[0].n).toBe(journal.entries.length);
    expect(objectives.rows[0].n).toBe(23);
  });

  it("db:migrate names the engine and the server, never the password", () => {
    const run = spawnSync(process.execPath, ["--import", "tsx", "db/cli/migrate.ts"], {
      env: { ...process.env, DATABASE_URL: urlOf(name) },
      encoding: "utf8",
      timeout: 30_000,
    });
    const url = new URL(urlOf(name));
    expect(run.stderr).toBe("");
    expect(run.stdout.trim()).toBe(`Migrations applied (PostgreSQL, postgres://${url.username}@${url.hostname}:${url.port}/${name})`);
    if (url.password) expect(run.stdout).not.toContain(`:${url.password}@`);
  });
});

describe("the session feedback forms migration on PostgreSQL", () => {
  const name = `${prefix()}sessfb_${process.pid}`;
  let admin: pg.Client;
  let dir: string;
  beforeAll(async () => {
    admin = await connectAdmin();
    await dropDatabase(admin, name);
    await createDatabase(admin, name);
    // the migrations before session feedback forms (0000–0009)
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "convene-pg-migrations-"));
    const journal = JSON.parse(fs.readFileSync("db/migrations-pg/meta/_journal.json", "utf8")) as { entries: { tag: string }[] };
    const earlier = journal.entries.filter((e) => e.tag < "0010");
    expect(earlier).toHaveLength(10);
    fs.mkdirSync(path.join(dir, "meta"));
    fs.writeFileSync(path.join(dir, "meta/_journal.json"), JSON.stringify({ ...journal, entries: earlier }));
    for (const e of earlier) fs.copyFileSync(`db/migrations-pg/${e.tag}.sql`, path.join(dir, `${e.tag}.sql`));
  });
  afterAll(async () => {
    await dropDatabase(admin, name);
    await admin.end();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("keeps every feedback form, respondent and answer unchanged, and one end-of-event form per event", async () => {
    await migratePostgres(urlOf(name), dir);
    const client = new pg.Client({ connectionString: urlOf(name) });
    await client.connect();
    try {
      const event = (await client.query("insert into events (title, type, country, time_zone, start_date, end_date) values ('Old training', 'training', 'BS', 'America/Nassau', '2025-01-01', '2025-01-02') returning id")).rows[0].id;
      const form = (await client.query("insert into feedback_forms (event_id, opened_at, closed_at) values ($1, 1, 2) returning id", [event])).rows[0].id;
      for (let i = 0; i < 6; i++) {
        const person = (await client.query("insert into people (given_name, family_name) values ('Officer', $1) returning id", [`No ${i}`])).rows[0].id;
        await client.query("insert into feedback_respondents (form_id, person_id) values ($1, $2)", [form, person]);
        await client.query(
          "insert into feedback_answers (id, form_id, rating_overall, rating_content, rating_facilitators, rating_relevance, rating_confidence, comment, cell_key) values ($1, $2, $3, 4, 5, 3, 2, $4, $5)",
          [`answer-${i}`, form, (i % 5) + 1, i % 2 ? null : `comment ${i}`, i * 11],
        );
      }
      const snapshot = async () => ({
        forms: (await client.query("select id, event_id, opened_at, opened_by_user_id, closed_at, reminder_sent_at, created_at, updated_at from feedback_forms order by id")).rows,
        respondents: (await client.query("select * from feedback_respondents order by form_id, person_id")).rows,
        answers: (await client.query("select * from feedback_answers order by id")).rows,
      });
      const before = await snapshot();
      await migratePostgres(urlOf(name));
      expect(await snapshot()).toEqual(before);
      expect((await client.query("select count(*)::int as n from feedback_forms where session_id is not null")).rows[0].n).toBe(0);
      await expect(client.query("insert into feedback_forms (event_id, opened_at) values ($1, 3)", [event])).rejects.toThrow(/feedback_forms_event_unique/);
      // a session's form beside it, once per session
      const session = (await client.query("insert into event_sessions (event_id, title, starts_at, ends_at) values ($1, 'Morning', 10, 20) returning id", [event])).rows[0].id;
      await client.query("insert into feedback_forms (event_id, session_id, opened_at) values ($1, $2, 3)", [event, session]);
      await expect(client.query("insert into feedback_forms (event_id, session_id, opened_at) values ($1, $2, 4)", [event, session])).rejects.toThrow(/feedback_forms_session_unique/);
      // a session's form goes with its session
      await client.query("delete from event_sessions where id = $1", [session]);
      expect((await client.query("select count(*)::int as n from feedback_forms")).rows[0].n).toBe(1);
    } finally {
      await client.end();
    }
  });
});
