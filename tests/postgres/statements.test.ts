import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import pg from "pg";
import { closeDatabase, closed, execute, getDb, queryAll, readyDb, type DB } from "../../db/client";
import { isLoneAuditAppend, openPostgres } from "../../db/postgres";
import { appSettings, auditLog, gcmObjectives } from "../../db/schema";
import { recordAudit } from "~/models/audit.server";

/**
 * How db/postgres.ts sends statements: named (prepared once per connection), and which writes made
 * outside a transaction wait for the database's write lock (this file runs only under
 * `npm run test:postgres`).
 */
let other: pg.Client;

beforeAll(async () => {
  await readyDb();
  other = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await other.connect();
});

afterAll(async () => {
  await other.end();
});

/** Resolves once PostgreSQL shows a lock on data_versions waited for (it does, or the test times out). */
async function someoneWaitsForTheWriteLock() {
  for (;;) {
    const { rows } = await other.query<{ n: number }>(
      "select count(*)::int as n from pg_locks where not granted and relation = 'data_versions'::regclass",
    );
    if (rows[0].n > 0) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe("statements on PostgreSQL", () => {
  it("are prepared once per connection and run again by name, with their own parameters each time", async () => {
    const saved = process.env.DATABASE_POOL_SIZE;
    process.env.DATABASE_POOL_SIZE = "1";
    let db: DB;
    try {
      db = openPostgres(process.env.DATABASE_URL!, { migrate: false });
    } finally {
      if (saved === undefined) delete process.env.DATABASE_POOL_SIZE;
      else process.env.DATABASE_POOL_SIZE = saved;
    }
    try {
      const titleOf = async (id: number) =>
        (await db.select({ title: gcmObjectives.title }).from(gcmObjectives).where(eq(gcmObjectives.id, id)))[0]?.title;
      const first = await titleOf(1);
      const second = await titleOf(2);
      expect(first).toBeTruthy();
      expect(second).toBeTruthy();
      expect(second).not.toBe(first);
      expect(await titleOf(1)).toBe(first);
      // the pool's one connection knows the statement once, by a name of ours
      const prepared = await queryAll<{ name: string; statement: string }>(
        db,
        sql`select name, statement from pg_prepared_statements where statement like ${'select "title" from "gcm_objectives"%'}`,
      );
      expect(prepared).toHaveLength(1);
      expect(prepared[0].name).toMatch(/^convene_/);
      // a text of several statements without parameters still runs (it is never prepared)
      await execute(db, sql.raw("select 1; select 2"));
    } finally {
      closeDatabase(db);
      await closed(db);
    }
  });

  it("a transaction's statements are prepared too, and a transaction that fails leaves its connection usable", async () => {
    const db = getDb();
    await db.insert(appSettings).values({ key: "prepared", value: "0" });
    for (let i = 1; i <= 3; i++) {
      await db.transaction(async (tx) => {
        await tx.update(appSettings).set({ value: String(i) }).where(eq(appSettings.key, "prepared"));
      });
      await expect(
        db.transaction(async (tx) => {
          await tx.update(appSettings).set({ value: "never" }).where(eq(appSettings.key, "prepared"));
          throw new Error("refused");
        }),
      ).rejects.toThrow("refused");
    }
    expect((await db.select().from(appSettings).where(eq(appSettings.key, "prepared")))[0].value).toBe("3");
  });
});

describe("the write lock and writes made outside a transaction", () => {
  it("an entry appended to the audit log does not wait for it; any other write does", async () => {
    const db = getDb();
    // another instance holds the write lock, as every transaction does while it runs
    await other.query("begin");
    await other.query('lock table "data_versions" in exclusive mode');
    let otherWriteDone = false;
    let audited: number;
    let otherWrite: Promise<unknown>;
    try {
      audited = await recordAudit(db, { userId: null, action: "report.export", details: { format: "csv" } });
      otherWrite = db.insert(appSettings).values({ key: "waits", value: "1" }).then(() => (otherWriteDone = true));
      await someoneWaitsForTheWriteLock();
      expect(otherWriteDone).toBe(false);
    } finally {
      await other.query("commit");
    }
    await otherWrite!;
    expect(otherWriteDone).toBe(true);
    expect((await db.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.id, audited!)))[0].action).toBe("report.export");
  });

  it("is skipped only for a plain append to the audit log", () => {
    expect(isLoneAuditAppend('insert into "audit_log" ("id", "at", "user_id", "action", "entity_type", "entity_id", "details", "ip") values (default, $1, $2, $3, $4, $5, $6, $7) returning "id"')).toBe(true);
    expect(isLoneAuditAppend('insert into "audit_log" ("at", "action") select $1, action from "audit_log"')).toBe(false);
    expect(isLoneAuditAppend('insert into "audit_log" ("id", "action") values ($1, $2) on conflict do nothing')).toBe(false);
    expect(isLoneAuditAppend('with x as (delete from "app_settings" returning key) insert into "audit_log" ("action") select key from x')).toBe(false);
    expect(isLoneAuditAppend('insert into "audit_logs" ("action") values ($1)')).toBe(false);
    expect(isLoneAuditAppend('insert into "app_settings" ("key", "value") values ($1, $2)')).toBe(false);
    expect(isLoneAuditAppend('update "audit_log" set "action" = $1')).toBe(false);
  });
});
