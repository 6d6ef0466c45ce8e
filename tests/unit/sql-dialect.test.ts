import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql, type SQL } from "drizzle-orm";
import { SQLiteSyncDialect } from "drizzle-orm/sqlite-core";
import { PgDialect } from "drizzle-orm/pg-core";
import {
  addDaysSql,
  always,
  ascNullsFirst,
  countDistinct,
  countOf,
  countWhere,
  daysBetweenSql,
  descNullsLast,
  flag,
  greatest,
  jsonArrayElements,
  jsonInteger,
  jsonText,
  least,
  likeEscape,
  likeInsensitive,
  never,
  stringAgg,
  sumOf,
  utcDay,
  withEngine,
  type Engine,
} from "../../db/sql-dialect";

/**
 * Each fragment runs on SQLite (always) and on PostgreSQL when TEST_DATABASE_URL names a server
 * (`npm run test:postgres`, or by hand): the same query must give the same rows on both.
 */
type Runner = { engine: Engine; rows(query: SQL): Promise<Record<string, unknown>[]>; close(): Promise<void> };

// a small table with the column types of the schema: instants in ms, a boolean, a JSON array and
// a JSON object, a calendar day, a nullable integer
const FIXTURE = [
  { id: 1, name: "Ana", surname: "Lopez", active: true, tags: [30, 60], details: { kind: "reminder", days: 30 }, day: "2026-01-30", n: 5, at: 1_700_000_000_000 },
  { id: 2, name: "bruno", surname: null, active: false, tags: [], details: { kind: "other" }, day: "2026-02-28", n: null, at: 1_800_000_000_000 },
  { id: 3, name: "Ana%", surname: "Ng", active: true, tags: [90], details: { kind: "reminder", days: 90 }, day: "2024-02-28", n: 2, at: 2_000_000_000_000 },
];

async function sqliteRunner(): Promise<Runner> {
  const db = new Database(":memory:");
  db.exec(`create table t (id integer primary key, name text not null, surname text, active integer not null,
    tags text not null, details text not null, day text not null, n integer, at integer not null)`);
  const insert = db.prepare("insert into t values (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  for (const r of FIXTURE) insert.run(r.id, r.name, r.surname, r.active ? 1 : 0, JSON.stringify(r.tags), JSON.stringify(r.details), r.day, r.n, r.at);
  const dialect = new SQLiteSyncDialect();
  return {
    engine: "sqlite",
    async rows(query) {
      const { sql: text, params } = withEngine("sqlite", () => dialect.sqlToQuery(query));
      return db.prepare(text).all(...params) as Record<string, unknown>[];
    },
    async close() {
      db.close();
    },
  };
}

async function postgresRunner(url: string): Promise<Runner> {
  // as the application's PostgreSQL client does: bigint (instants in ms) read as a number
  const types = { getTypeParser: (oid: number, format?: "text" | "binary") => (oid === 20 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format)) };
  const client = new pg.Client({ connectionString: url, types: types as pg.CustomTypesConfig });
  await client.connect();
  await client.query(`create temporary table t (id integer primary key, name text not null, surname text, active boolean not null,
    tags jsonb not null, details jsonb not null, day text not null, n integer, at bigint not null)`);
  for (const r of FIXTURE) {
    await client.query("insert into t values ($1, $2, $3, $4, $5, $6, $7, $8, $9)", [r.id, r.name, r.surname, r.active, JSON.stringify(r.tags), JSON.stringify(r.details), r.day, r.n, r.at]);
  }
  const dialect = new PgDialect();
  return {
    engine: "postgres",
    async rows(query) {
      const { sql: text, params } = withEngine("postgres", () => dialect.sqlToQuery(query));
      return (await client.query(text, params as unknown[])).rows;
    },
    async close() {
      await client.end();
    },
  };
}

const engines: { name: Engine; open: () => Promise<Runner> }[] = [{ name: "sqlite", open: sqliteRunner }];
const url = process.env.TEST_DATABASE_URL;
if (url) engines.push({ name: "postgres", open: () => postgresRunner(url) });

const T = {
  id: sql.raw("t.id"),
  name: sql.raw("t.name"),
  surname: sql.raw("t.surname"),
  active: sql.raw("t.active"),
  tags: sql.raw("t.tags"),
  details: sql.raw("t.details"),
  day: sql.raw("t.day"),
  n: sql.raw("t.n"),
  at: sql.raw("t.at"),
};

for (const { name: engine, open } of engines) {
  describe(`SQL fragments on ${engine}`, () => {
    let db: Runner;
    beforeAll(async () => {
      db = await open();
    });
    afterAll(async () => {
      await db.close();
    });
    const ids = async (where: SQL) => (await db.rows(sql`select t.id as "id" from t where ${where} order by t.id`)).map((r) => Number(r.id));

    it("never and always are conditions, and booleans compare with true/false", async () => {
      expect(await ids(never())).toEqual([]);
      expect(await ids(always())).toEqual([1, 2, 3]);
      expect(await ids(sql`${T.active} = true`)).toEqual([1, 3]);
      expect(await ids(sql`${T.active} = false`)).toEqual([2]);
    });

    it("flag gives 1 or 0, a number, for a condition", async () => {
      const rows = await db.rows(sql`select ${flag(sql`${T.surname} is not null`)} as "f" from t order by t.id`);
      expect(rows.map((r) => r.f)).toEqual([1, 0, 1]);
    });

    it("counts and sums are numbers (not PostgreSQL's bigint text), 0 for an empty group", async () => {
      const [row] = await db.rows(sql`select ${countOf()} as "all", ${countOf(T.n)} as "some", ${countDistinct(T.name)} as "names",
        ${countWhere(sql`${T.active} = true`)} as "active", ${sumOf(T.n)} as "sum", ${sumOf(T.at, { big: true })} as "ms" from t`);
      expect(row).toEqual({ all: 3, some: 2, names: 3, active: 2, sum: 7, ms: 5_500_000_000_000 });
      const [none] = await db.rows(sql`select ${countWhere(sql`${T.active} = true`)} as "active", ${sumOf(T.n)} as "sum" from t where ${never()}`);
      expect(none).toEqual({ active: 0, sum: 0 });
    });

    it("likeInsensitive ignores the case of ASCII letters, and an escaped % is a plain character", async () => {
      expect(await ids(likeInsensitive(T.name, "ana%"))).toEqual([1, 3]);
      expect(await ids(likeInsensitive(T.name, "BRU%"))).toEqual([2]);
      expect(await ids(likeInsensitive(T.name, `%${likeEscape("a%")}%`))).toEqual([3]);
      expect(await ids(likeInsensitive(sql`(${T.name} || ' ' || coalesce(${T.surname}, ''))`, "%a lo%"))).toEqual([1]);
    });

    it("jsonText and jsonInteger read a key of a JSON object (NULL when absent)", async () => {
      expect(await ids(sql`${jsonText(T.details, "kind")} = ${"reminder"}`)).toEqual([1, 3]);
      const rows = await db.rows(sql`select ${jsonInteger(T.details, "days")} as "days" from t order by t.id`);
      expect(rows.map((r) => r.days)).toEqual([30, null, 90]);
      const [max] = await db.rows(sql`select max(${jsonInteger(T.details, "days")}) as "m" from t`);
      expect(max.m).toBe(90);
    });

    it("jsonArrayElements lists a JSON array's elements", async () => {
      const rows = await db.rows(sql`select t.id as "id", cast(j.value as integer) as "v" from t, ${jsonArrayElements(T.tags, "j")} order by t.id, cast(j.value as integer)`);
      expect(rows.map((r) => [r.id, r.v])).toEqual([[1, 30], [1, 60], [3, 90]]);
      expect(await ids(sql`exists (select 1 from ${jsonArrayElements(T.tags, "j")} where cast(j.value as integer) = ${60})`)).toEqual([1]);
    });

    it("stringAgg joins a group's values in order, leaves NULLs out, and gives NULL for none", async () => {
      const [row] = await db.rows(sql`select ${stringAgg(T.surname, "; ")} as "s", ${stringAgg(T.id, ", ", sql`${T.id} desc`)} as "ids" from t`);
      expect(row).toEqual({ s: "Lopez; Ng", ids: "3, 2, 1" });
      const [none] = await db.rows(sql`select ${stringAgg(T.name, ", ")} as "s" from t where ${never()}`);
      expect(none.s).toBeNull();
    });

    it("addDaysSql adds or removes days across months and leap years, from a column or a value", async () => {
      const rows = await db.rows(sql`select ${addDaysSql(T.day, 1)} as "next", ${addDaysSql(T.day, -30)} as "back", ${addDaysSql(T.day, T.n)} as "byN" from t order by t.id`);
      expect(rows).toEqual([
        { next: "2026-01-31", back: "2025-12-31", byN: "2026-02-04" },
        { next: "2026-03-01", back: "2026-01-29", byN: null },
        { next: "2024-02-29", back: "2024-01-29", byN: "2024-03-01" },
      ]);
      const [given] = await db.rows(sql`select ${addDaysSql("2025-12-31", 1)} as "d"`);
      expect(given.d).toBe("2026-01-01");
    });

    it("daysBetweenSql counts whole days across months, years and leap days", async () => {
      const rows = await db.rows(sql`select ${daysBetweenSql(T.day, "2026-03-01")} as "d", ${daysBetweenSql(T.day, T.day)} as "same" from t order by t.id`);
      expect(rows).toEqual([{ d: 30, same: 0 }, { d: 1, same: 0 }, { d: 732, same: 0 }]);
      const [back] = await db.rows(sql`select ${daysBetweenSql("2024-03-01", "2024-02-28")} as "d"`);
      expect(back.d).toBe(-2);
    });

    it("utcDay gives the UTC calendar day of an instant in milliseconds", async () => {
      const rows = await db.rows(sql`select ${utcDay(T.at)} as "d", ${utcDay(sql`${Date.UTC(2026, 0, 31, 23, 59, 59, 999)}`)} as "late" from t order by t.id`);
      expect(rows.map((r) => r.d)).toEqual(["2023-11-14", "2027-01-15", "2033-05-18"]);
      expect(rows[0].late).toBe("2026-01-31");
    });

    it("greatest and least are NULL when either side is", async () => {
      const rows = await db.rows(sql`select ${greatest(T.n, 3)} as "g", ${least(T.n, 3)} as "l" from t order by t.id`);
      expect(rows).toEqual([{ g: 5, l: 3 }, { g: null, l: null }, { g: 3, l: 2 }]);
    });

    it("NULLs sort first ascending and last descending, as SQLite always did", async () => {
      const asc = await db.rows(sql`select t.id as "id" from t order by ${ascNullsFirst(T.n)}, t.id`);
      expect(asc.map((r) => r.id)).toEqual([2, 3, 1]);
      const desc = await db.rows(sql`select t.id as "id" from t order by ${descNullsLast(T.surname)}, t.id`);
      expect(desc.map((r) => r.id)).toEqual([3, 1, 2]);
    });
  });
}
