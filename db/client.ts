import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import * as schema from "./schema";

export type DB = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

export const MIGRATIONS_FOLDER = path.resolve(process.env.MIGRATIONS_DIR ?? "db/migrations");

/** Open a SQLite file with the connection pragmas every connection needs. */
export function openSqlite(file: string): Database.Database {
  if (file !== ":memory:") {
    const dir = path.dirname(path.resolve(file));
    try {
      fs.mkdirSync(dir, { recursive: true });
    } catch (error) {
      throw new Error(`DATABASE_PATH: cannot create directory ${dir} (${(error as Error).message})`);
    }
  }
  let sqlite: Database.Database;
  try {
    sqlite = new Database(file);
    sqlite.pragma("journal_mode = WAL");
  } catch (error) {
    throw new Error(`DATABASE_PATH: cannot open ${file} as a SQLite database (${(error as Error).message})`);
  }
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("synchronous = NORMAL");
  // 32 MB of page cache (SQLite's default is 2 MB): the hot pages of people, registrations and
  // events stay in the process instead of being read back from the OS for each page of a busy
  // server; a roster's queries were 30–60% slower with the default
  sqlite.pragma("cache_size = -32000");
  return sqlite;
}

/** Open the database and bring its schema up to date (idempotent: applied migrations are skipped). */
export function openDatabase(file: string, options: { migrate?: boolean; migrationsFolder?: string } = {}): DB {
  const sqlite = openSqlite(file);
  const db = drizzle(sqlite, { schema }) as DB;
  if (options.migrate !== false) migrateDatabase(db, options.migrationsFolder);
  return db;
}

/**
 * Apply pending migrations. Foreign keys are switched off while migrating (a migration that
 * rebuilds a table must never cascade-delete its child rows; SQLite ignores this pragma inside the
 * migration's transaction, so it is set around it) and checked afterwards.
 */
export function migrateDatabase(db: DB, folder = MIGRATIONS_FOLDER) {
  const applied = () => {
    try {
      return (db.$client.prepare("select count(*) as n from __drizzle_migrations").get() as { n: number }).n;
    } catch {
      return 0;
    }
  };
  const before = applied();
  db.$client.pragma("foreign_keys = OFF");
  try {
    migrate(db, { migrationsFolder: folder });
    // checking every reference takes seconds on a large database: only after a migration ran
    if (applied() !== before) {
      const problems = db.$client.pragma("foreign_key_check") as unknown[];
      if (problems.length > 0) throw new Error(`DATABASE_PATH: migration left ${problems.length} broken references`);
    }
  } finally {
    db.$client.pragma("foreign_keys = ON");
  }
}

let current: DB | undefined;

/** The application's database: `DATABASE_PATH`, opened and migrated on first use. */
export function getDb(): DB {
  if (!current) current = openDatabase(process.env.DATABASE_PATH ?? "data/app.db");
  return current;
}

/** Close the application's database (tests, shutdown). */
export function closeDb() {
  current?.$client.close();
  current = undefined;
}

/** A consistent online copy of a live database (SQLite's backup API; safe while the app writes). */
export async function backupDatabase(source: string, destination: string) {
  const sqlite = openSqlite(source);
  try {
    await sqlite.backup(destination);
  } finally {
    sqlite.close();
  }
}

/** The handle inside `db.transaction((tx) => …)`. */
export type Tx = Parameters<Parameters<DB["transaction"]>[0]>[0];
