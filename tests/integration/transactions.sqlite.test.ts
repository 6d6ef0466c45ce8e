import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb, queryAll } from "../../db/client";
import { programmes } from "../../db/schema";

/**
 * SQLite's compiled statements, kept per connection by db/client.ts. (On PostgreSQL the server
 * plans each statement; node-postgres sends them unnamed.)
 */
describe("compiled statements", () => {
  it("are compiled once per connection and reused, each call getting rows in the shape it asked for", async () => {
    const db = getDb();
    await db.insert(programmes).values({ name: "Kept statement" });
    const query = db.select({ id: programmes.id, name: programmes.name }).from(programmes).where(eq(programmes.name, "Kept statement"));
    const { sql: text, params } = query.toSQL();
    const reader = db.$reader;
    const prepare = reader.prepare;
    let compiled = 0;
    reader.prepare = function (this: typeof reader, source: string) {
      if (source === text) compiled++;
      return prepare.call(this, source);
    } as typeof prepare;
    try {
      // drizzle's select asks for rows as arrays (raw mode) …
      const first = await query;
      // … a raw query of the same text for objects, then arrays again
      const [head, tail] = text.split("?");
      const objects = await queryAll<{ id: number; name: string }>(db, sql`${sql.raw(head)}${params[0]}${sql.raw(tail)}`);
      const again = await query;
      expect(first).toEqual([{ id: expect.any(Number), name: "Kept statement" }]);
      expect(again).toEqual(first);
      expect(objects).toEqual([{ id: first[0].id, name: "Kept statement" }]);
      const before = compiled;
      for (let i = 0; i < 5; i++) expect(await query).toEqual(first);
      expect(compiled).toBe(before);
      expect(compiled).toBe(1);
    } finally {
      reader.prepare = prepare;
    }
  });

  it("follow a change of the schema: a kept statement sees a column added after it was compiled", async () => {
    const db = getDb();
    const read = () => queryAll<Record<string, unknown>>(db, sql`select * from programmes where name = 'Kept statement'`);
    expect(Object.keys((await read())[0])).not.toContain("kept_extra");
    db.$client.exec("alter table programmes add column kept_extra text default 'x'");
    try {
      expect((await read())[0]).toMatchObject({ kept_extra: "x" });
    } finally {
      db.$client.exec("alter table programmes drop column kept_extra");
    }
  });
});
