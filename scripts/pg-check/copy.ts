// Copy a SQLite database into the check schema on PostgreSQL
import Database from "better-sqlite3";
import pg from "pg";
import fs from "node:fs";
import * as schema from "../../db/schema";
import { getTableColumns, getTableName, is } from "drizzle-orm";
import { SQLiteTable } from "drizzle-orm/sqlite-core";
const WORK = process.env.PG_CHECK_DIR ?? "/tmp/convene-pg-check";
const sqlite = new Database(process.argv[2], { readonly: true });
const client = new pg.Client({ connectionString: process.env.CHECK_URL });
await client.connect();
await client.query("drop schema if exists public cascade; create schema public");
await client.query(fs.readFileSync(`${WORK}/schema.sql`, "utf8"));
for (const table of Object.values(schema)) {
  if (!is(table, SQLiteTable)) continue;
  const name = getTableName(table);
  const cols = Object.values(getTableColumns(table));
  const rows = sqlite.prepare(`select * from "${name}"`).all() as Record<string, unknown>[];
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500);
    const params: unknown[] = [];
    const values = chunk.map((row) => `(${cols.map((c) => {
      let v = row[c.name];
      if (v !== null && (c.columnType === "SQLiteBoolean" || (c as unknown as { mode?: string }).mode === "boolean")) v = v === 1;
      params.push(v);
      return `$${params.length}`;
    }).join(", ")})`);
    await client.query(`insert into "${name}" (${cols.map((c) => `"${c.name}"`).join(", ")}) values ${values.join(", ")}`, params);
  }
  console.log(name, rows.length);
}
await client.end();
