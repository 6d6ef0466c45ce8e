import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { Column, entityKind, is, Param, Placeholder, SQL, sql, Subquery, Table, View } from "drizzle-orm";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { events, users } from "../../db/schema";

/**
 * patches/drizzle-orm+0.45.4.patch (applied by `npm install`): drizzle's `is(value, type)` — asked
 * thousands of times while a query is built — keeps each answer per prototype and type. The
 * answer must stay what drizzle's own walk of the class chain gives (copied below as the oracle).
 */
function drizzleIs(value: unknown, type: { [entityKind]?: string; name?: string } & (abstract new (...args: never[]) => unknown)): boolean {
  if (!value || typeof value !== "object") return false;
  if (value instanceof type) return true;
  if (!Object.prototype.hasOwnProperty.call(type, entityKind)) throw new Error(`Class "${type.name}" doesn't look like a Drizzle entity`);
  let cls = Object.getPrototypeOf(value).constructor;
  while (cls) {
    if (entityKind in cls && cls[entityKind] === type[entityKind]) return true;
    cls = Object.getPrototypeOf(cls);
  }
  return false;
}

const require = createRequire(import.meta.url);
const dir = path.dirname(require.resolve("drizzle-orm"));

describe("drizzle's is() (patched)", () => {
  it("is the patched build, as an ES module and as CommonJS", () => {
    for (const file of ["entity.js", "entity.cjs"]) expect(fs.readFileSync(path.join(dir, file), "utf8")).toContain("Convene (patches/drizzle-orm");
  });

  it("answers what drizzle's class walk answers, the first time and every time after", () => {
    const db = drizzle(new Database(":memory:"));
    const subquery = db.select({ id: users.id }).from(users).as("s");
    const values: unknown[] = [
      users,
      events,
      users.id,
      events.startDate,
      sql`select 1`,
      sql.raw("select 2"),
      sql`x`.as("alias"),
      new Param(1),
      sql.placeholder("p"),
      subquery,
      db.select().from(users),
      {},
      Object.create(null),
      [],
      new Date(),
      "text",
      42,
      null,
      undefined,
    ];
    const types = [Table, SQLiteTable, Column, SQLiteColumn, SQL, SQL.Aliased, Param, Placeholder, Subquery, View];
    const cjs = require("drizzle-orm") as { is: typeof is };
    for (let round = 0; round < 3; round++) {
      for (const value of values) {
        for (const type of types) {
          // the answer, or the error (drizzle's walk fails on an object without a prototype)
          const outcome = (check: typeof is) => {
            try {
              return check(value, type as never);
            } catch (error) {
              return (error as Error).constructor.name;
            }
          };
          const expected = outcome(drizzleIs as typeof is);
          expect(outcome(is), `${Object.prototype.toString.call(value)} is ${type.name}`).toBe(expected);
          expect(outcome(cjs.is)).toBe(expected);
        }
      }
    }
    // a class that is no drizzle entity is refused, every time (a refusal is not kept as an answer)
    class NotAnEntity {}
    for (let i = 0; i < 2; i++) expect(() => is(users, NotAnEntity as never)).toThrow(/doesn't look like a Drizzle entity/);
  });

  it("builds the same SQL as before for a real query", () => {
    const db = drizzle(new Database(":memory:"));
    const query = db.select({ id: events.id, title: events.title }).from(events).where(sql`${events.id} = ${7}`).toSQL();
    expect(query).toEqual({ sql: 'select "id", "title" from "events" where "events"."id" = ?', params: [7] });
  });
});
