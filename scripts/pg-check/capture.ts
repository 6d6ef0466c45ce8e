// Every statement the SQLite suite builds, rendered for PostgreSQL as well (a setup file: see README.md)
import fs from "node:fs";
import { SQLiteDialect } from "drizzle-orm/sqlite-core";
import { PgDialect } from "drizzle-orm/pg-core";
import { withEngine } from "../../db/sql-dialect";
const pg = new PgDialect();
const WORK = process.env.PG_CHECK_DIR ?? "/tmp/convene-pg-check";
fs.mkdirSync(WORK, { recursive: true });
const out = `${WORK}/captured-${process.pid}.jsonl`;
const seen = new Set<string>();
const proto = SQLiteDialect.prototype as unknown as { sqlToQuery: (...args: unknown[]) => { sql: string } };
const original = proto.sqlToQuery;
proto.sqlToQuery = function (this: unknown, ...args: unknown[]) {
  const result = original.apply(this, args);
  if (seen.has(result.sql)) return result;
  seen.add(result.sql);
  let line: string;
  try {
    const q = withEngine("postgres", () => pg.sqlToQuery(args[0] as never));
    line = JSON.stringify({ text: q.sql, sqlite: result.sql, file: process.env.VITEST_POOL_ID });
  } catch (error) {
    line = JSON.stringify({ error: String(error), sqlite: result.sql });
  }
  fs.appendFileSync(out, line + "\n");
  return result;
};
