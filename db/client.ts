import fs from "node:fs";
import path from "node:path";
import { AsyncLocalStorage } from "node:async_hooks";
import Database from "better-sqlite3";
import { drizzle as drizzleSync } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { drizzle as drizzleAsync, type SqliteRemoteDatabase } from "drizzle-orm/sqlite-proxy";
import { SQLiteAsyncDialect } from "drizzle-orm/sqlite-core";
import type { SQL } from "drizzle-orm";
import type pg from "pg";
import { PgDialect } from "drizzle-orm/pg-core";
import * as schema from "./schema";
import { isPostgresUrl } from "./schema/dialect";
import { countStatement, statementCount, withoutNul } from "./statements";
import { describePostgresUrl, migratePostgres, openPostgres, parsePostgresUrl } from "./postgres";

type AsyncSqlite = SqliteRemoteDatabase<typeof schema>;

/**
 * The application's database handle. Every query is asynchronous (`await db.select()…`), as it
 * must be for a networked engine; on SQLite the statements run on better-sqlite3 connections
 * (see `openDatabase` for how a transaction stays isolated while it awaits).
 */
export type DB = Omit<AsyncSqlite, "transaction"> & {
  /**
   * Run `body` in a write transaction: committed when it resolves, rolled back when it throws.
   * No other statement of this process runs inside it, whatever it awaits. Called again from
   * inside one (a model used by another model's transaction), it becomes a savepoint of it.
   */
  transaction<T>(body: (tx: Tx) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /**
   * The SQLite connection that writes (migrations, backups, pragmas, tests that inspect the file).
   * On PostgreSQL it is the pool, and good only as an identity (a key of per-database caches).
   */
  $client: Database.Database;
  /** The SQLite connection that runs reads made outside a transaction (the writer's, for `:memory:`). */
  $reader: Database.Database;
  /** The connection pool, on PostgreSQL (undefined on SQLite). */
  $pool?: pg.Pool;
  /** Which engine runs the queries (the models never need to ask; db/ and the commands do). */
  readonly engine: Engine;
};

export type Engine = "sqlite" | "postgres";

/** The handle inside `db.transaction(async (tx) => …)`. */
export type Tx = Parameters<Parameters<AsyncSqlite["transaction"]>[0]>[0];

/** Either a database or a transaction: what a query helper that may run inside one takes. */
export type Queryable = Pick<DB, "select" | "insert" | "update" | "delete"> | Tx;

/** Kept for older call sites; a SQLite write transaction always begins IMMEDIATE (it takes the write lock first). */
export type TransactionOptions = { behavior?: "deferred" | "immediate" | "exclusive" };

export const MIGRATIONS_FOLDER = path.resolve(process.env.MIGRATIONS_DIR ?? "db/migrations");

/** Does `dir` lie in a filesystem where a database cannot live (procfs, sysfs)? There mkdir can hang. */
function unusableDirectory(dir: string) {
  return /^\/(proc|sys)(\/|$)/.test(dir);
}

/** Open a SQLite file with the connection pragmas every connection needs. */
export function openSqlite(file: string, options: { readonly?: boolean } = {}): Database.Database {
  if (file !== ":memory:") {
    const dir = path.dirname(path.resolve(file));
    if (unusableDirectory(dir)) throw new Error(`DATABASE_PATH: ${dir} is a kernel filesystem, not a place for a database file`);
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
  sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  sqlite.pragma("synchronous = NORMAL");
  // 32 MB of page cache (SQLite's default is 2 MB): the hot pages of people, registrations and
  // events stay in the process instead of being read back from the OS for each page of a busy
  // server; a roster's queries were 30–60% slower with the default
  sqlite.pragma("cache_size = -32000");
  // the reading connection must never write the main database by mistake
  if (options.readonly) sqlite.pragma("query_only = ON");
  return sqlite;
}

/** How long a statement waits for another process's lock (SQLite's busy handler, synchronous). */
const BUSY_TIMEOUT_MS = 5000;
/** How long a write waits for the lock while other processes write, without blocking this one. */
const WRITE_WAIT_MS = 30_000;
const SHORT_BUSY_MS = 20;

/**
 * One writer at a time, first come first served. Ownership passes straight to the next waiter,
 * so a statement that arrives later can never slip in between.
 */
class WriteLock {
  private held = false;
  private readonly waiting: (() => void)[] = [];
  acquire(): Promise<void> | undefined {
    if (!this.held) {
      this.held = true;
      return undefined;
    }
    return new Promise<void>((resolve) => this.waiting.push(resolve));
  }
  release() {
    const next = this.waiting.shift();
    if (next) next();
    else this.held = false;
  }
}

type Method = "run" | "all" | "values" | "get" | "objects";

/** Statements that only read the main database (they may go to the reading connection). */
function isRead(text: string) {
  return /^\s*(select|with)\b/i.test(text) && !/\b(insert|update|delete|replace)\b\s/i.test(text.replace(/'[^']*'/g, ""));
}

/** How many compiled statements each connection keeps (the app has a few hundred distinct ones). */
const STATEMENTS_KEPT = 1000;
const compiled = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/**
 * The connection's compiled statement for `text`, compiled once and then reused, as better-sqlite3
 * intends (`prepare` costs about as much as running a small query). The least recently used is
 * dropped beyond STATEMENTS_KEPT (statements whose text carries values, such as IN lists, vary).
 * A statement compiled before a schema change is recompiled by SQLite itself when next run.
 */
function statementFor(sqlite: Database.Database, text: string): Database.Statement {
  let kept = compiled.get(sqlite);
  if (kept === undefined) {
    kept = new Map();
    compiled.set(sqlite, kept);
  }
  const statement = kept.get(text);
  if (statement !== undefined) {
    kept.delete(text);
    kept.set(text, statement);
    return statement;
  }
  const fresh = sqlite.prepare(text);
  kept.set(text, fresh);
  if (kept.size > STATEMENTS_KEPT) kept.delete(kept.keys().next().value!);
  return fresh;
}

export { statementCount };

function runOn(sqlite: Database.Database, text: string, params: unknown[], method: Method) {
  countStatement(text);
  params = withoutNul(params);
  const statement = statementFor(sqlite, text);
  if (method === "run" || !statement.reader) {
    const info = statement.run(...params);
    return { rows: [], changes: info.changes, lastInsertRowid: info.lastInsertRowid };
  }
  // a kept statement remembers its mode: set it for this call
  statement.raw(method !== "objects");
  if (method === "objects") return { rows: statement.all(...params) };
  if (method === "get") return { rows: statement.get(...params) as unknown[] };
  return { rows: statement.all(...params) };
}

/**
 * Open the database and bring its schema up to date (idempotent: applied migrations are skipped).
 *
 * Transactions on SQLite, with an asynchronous API: a transaction body awaits between its
 * statements, and meanwhile other requests run. Two connections keep them apart:
 * - the writing connection runs every transaction (`BEGIN IMMEDIATE` … `COMMIT`) and every write
 *   made outside one, under an in-process lock taken in arrival order: while a transaction is open
 *   only its own statements (recognised by the async context the transaction started) reach this
 *   connection; anyone else's write waits for the commit;
 * - the reading connection runs reads made outside a transaction. In WAL mode it sees only
 *   committed data, never a half-done transaction of the writer, and it never waits for one.
 * Other processes on the same file are kept out by SQLite's own lock (`busy_timeout`).
 */
export function openDatabase(file: string, options: { migrate?: boolean; migrationsFolder?: string } = {}): DB {
  const writer = openSqlite(file);
  if (options.migrate !== false) migrateSqlite(writer, options.migrationsFolder);
  // an in-memory database is one per connection: it reads through the writer, under the lock
  const reader = file === ":memory:" ? writer : openSqlite(file, { readonly: true });
  const lock = new WriteLock();
  type Open = { tx?: Tx };
  const context = new AsyncLocalStorage<Open>();
  let openTransaction: Open | null = null;

  async function execute(text: string, params: unknown[], method: Method) {
    if (openTransaction !== null && context.getStore() === openTransaction) {
      return /^begin\b/i.test(text) ? await takingWriteLock(text, params, method) : runOn(writer, text, params, method);
    }
    if (reader !== writer && isRead(text)) return runOn(reader, text, params, method);
    const waiting = await lock.acquire();
    if (waiting) await waiting;
    try {
      return await takingWriteLock(text, params, method);
    } finally {
      lock.release();
    }
  }

  /**
   * Run a statement that takes SQLite's write lock (a transaction's BEGIN, or a write outside a
   * transaction). While another process holds the lock, wait without blocking this process (a
   * short busy wait, then a timer), up to WRITE_WAIT_MS in all: SQLite's own 5-second busy wait is
   * synchronous and would stop every request of this process meanwhile. A statement refused with
   * SQLITE_BUSY did nothing, so trying it again is safe.
   */
  async function takingWriteLock(text: string, params: unknown[], method: Method) {
    const deadline = Date.now() + WRITE_WAIT_MS;
    for (let attempt = 0; ; attempt++) {
      writer.pragma(`busy_timeout = ${SHORT_BUSY_MS}`);
      try {
        return runOn(writer, text, params, method);
      } catch (error) {
        if ((error as { code?: string }).code !== "SQLITE_BUSY" || Date.now() > deadline) throw error;
      } finally {
        writer.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(50, 2 ** attempt) * (0.5 + Math.random())));
    }
  }

  const callback = async (text: string, params: unknown[], method: Method) => await execute(text, params, method);
  const db = drizzleAsync(callback as Parameters<typeof drizzleAsync>[0], { schema }) as unknown as DB;
  const drizzleTransaction = (db as unknown as AsyncSqlite).transaction.bind(db);
  db.transaction = async function transaction<T>(body: (tx: Tx) => Promise<T>): Promise<T> {
    const active = context.getStore();
    // called again from inside a transaction (a model used by another's transaction): a savepoint of it
    if (active !== undefined && active === openTransaction) return await active.tx!.transaction(body);
    const waiting = await lock.acquire();
    if (waiting) await waiting;
    const open: Open = {};
    openTransaction = open;
    try {
      return await context.run(open, () =>
        drizzleTransaction(
          async (tx) => {
            open.tx = tx;
            return await body(tx);
          },
          { behavior: "immediate" },
        ),
      );
    } finally {
      openTransaction = null;
      lock.release();
    }
  };
  Object.assign(db, { $client: writer, $reader: reader, engine: "sqlite" });
  return db;
}

/**
 * Apply pending migrations. Foreign keys are switched off while migrating (a migration that
 * rebuilds a table must never cascade-delete its child rows; SQLite ignores this pragma inside the
 * migration's transaction, so it is set around it) and checked afterwards.
 */
function migrateSqlite(sqlite: Database.Database, folder = MIGRATIONS_FOLDER) {
  const applied = () => {
    try {
      return (sqlite.prepare("select count(*) as n from __drizzle_migrations").get() as { n: number }).n;
    } catch {
      return 0;
    }
  };
  const before = applied();
  sqlite.pragma("foreign_keys = OFF");
  try {
    migrate(drizzleSync(sqlite), { migrationsFolder: folder });
    // checking every reference takes seconds on a large database: only after a migration ran
    if (applied() !== before) {
      const problems = sqlite.pragma("foreign_key_check") as unknown[];
      if (problems.length > 0) throw new Error(`DATABASE_PATH: migration left ${problems.length} broken references`);
    }
  } finally {
    sqlite.pragma("foreign_keys = ON");
  }
}

/** Apply pending migrations to an open database. */
export async function migrateDatabase(db: DB, folder?: string) {
  if (db.engine === "postgres") await (db as DB & { ready: Promise<void> }).ready;
  else migrateSqlite(db.$client, folder);
}

let current: DB | undefined;

/**
 * Which database the environment names: `DATABASE_URL` (PostgreSQL) when set, else the SQLite file
 * `DATABASE_PATH` (data/app.db by default).
 */
export function configuredDatabase(env: Record<string, string | undefined> = process.env): { engine: Engine; location: string; description: string } {
  const url = env.DATABASE_URL;
  if (url !== undefined && url !== "") {
    if (!isPostgresUrl(url)) throw new Error("DATABASE_URL must start with postgres:// or postgresql:// (unset it to use SQLite and DATABASE_PATH)");
    parsePostgresUrl(url);
    return { engine: "postgres", location: url, description: `PostgreSQL, ${describePostgresUrl(url)}` };
  }
  const file = env.DATABASE_PATH || "data/app.db";
  return { engine: "sqlite", location: file, description: `SQLite, ${file}` };
}

/**
 * The application's database, opened on first use: PostgreSQL at `DATABASE_URL` (migrated before
 * its first statement runs), or the SQLite file `DATABASE_PATH` (opened and migrated now).
 */
export function getDb(): DB {
  if (!current) {
    const target = configuredDatabase();
    current = target.engine === "postgres" ? openPostgres(target.location) : openDatabase(target.location);
  }
  return current;
}

/**
 * The application's database, ready: on PostgreSQL, reachable and migrated. Start-up awaits this
 * so that a bad DATABASE_URL or an unreachable server stops it with one line before it listens.
 */
export async function readyDb(): Promise<DB> {
  const db = getDb();
  if (db.engine === "postgres") await (db as DB & { ready: Promise<void> }).ready;
  return db;
}

/** Close a database's connections (on PostgreSQL the pool ends in the background: await `closed(db)`). */
export function closeDatabase(db: DB) {
  if (db.engine === "postgres") {
    closing.set(db, db.$pool!.end().catch(() => {}));
    return;
  }
  if (db.$reader !== db.$client) db.$reader.close();
  db.$client.close();
}

const closing = new WeakMap<DB, Promise<void>>();

/** Resolves once a closed database's connections are all gone (at once on SQLite). */
export async function closed(db: DB) {
  await closing.get(db);
}

/** Close the application's database (tests, shutdown). */
export function closeDb() {
  if (current) {
    closeDatabase(current);
    lastClosed = current;
  }
  current = undefined;
}

let lastClosed: DB | undefined;

/** Resolves once the application's database, closed by `closeDb`, has no connection left. */
export async function dbClosed() {
  if (lastClosed) await closed(lastClosed);
}

export { migratePostgres };

/** A consistent online copy of a live database (SQLite's backup API; safe while the app writes). */
export async function backupDatabase(source: string, destination: string) {
  const sqlite = openSqlite(source);
  try {
    await sqlite.backup(destination);
  } finally {
    sqlite.close();
  }
}

// ——— raw SQL: the few queries a query builder cannot say ———

const sqliteDialect = new SQLiteAsyncDialect();
const pgDialect = new PgDialect();

type RemoteCallback = (text: string, params: unknown[], method: Method) => Promise<{ rows: unknown }>;

async function rawExecute(db: DB | Tx, query: SQL, method: Method) {
  if (isPostgres(db)) {
    // node-postgres gives rows as objects; through the pool, a statement made inside a
    // transaction's body runs in it (db/postgres.ts)
    const { sql: text, params } = pgDialect.sqlToQuery(query);
    const client = (db as unknown as { session: { client: pg.Pool | pg.PoolClient } }).session.client;
    const result = await client.query(text, params);
    return { rows: result.rows as unknown, changes: result.rowCount ?? 0 };
  }
  const { sql: text, params } = sqliteDialect.sqlToQuery(query);
  // the database and its transactions share one session, whose callback is `execute` above
  // (statements are routed by their async context, not by the handle)
  const client = (db as unknown as { session: { client: RemoteCallback } }).session.client;
  return await client(text, params, method);
}

/** Is this handle (a database or one of its transactions) on PostgreSQL? */
function isPostgres(db: DB | Tx) {
  return (db as unknown as { dialect: unknown }).dialect instanceof PgDialect;
}

/** Every row of a raw query, as objects named by its column aliases. */
export async function queryAll<T>(db: DB | Tx, query: SQL): Promise<T[]> {
  return (await rawExecute(db, query, "objects")).rows as T[];
}

/** The first row of a raw query (undefined when none). */
export async function queryOne<T>(db: DB | Tx, query: SQL): Promise<T | undefined> {
  return ((await rawExecute(db, query, "objects")).rows as T[])[0];
}

/** Run a raw statement that returns no rows. */
export async function execute(db: DB | Tx, query: SQL): Promise<void> {
  await rawExecute(db, query, "run");
}

/** How many rows an insert, update or delete (awaited without `returning`) changed. */
export function changedRows(result: unknown): number {
  // SQLite's run result says `changes`; node-postgres's query result `rowCount`
  const r = result as { changes?: number; rowCount?: number | null };
  return r.changes ?? r.rowCount ?? 0;
}

/** The first row of a result, or undefined: what `.get()` gave. */
export function firstRow<T>(rows: T[]): T | undefined {
  return rows[0];
}

/** The database's own error under the query error drizzle wraps it in (with the SQL and parameters). */
export function driverError(error: unknown): (Error & { code?: string }) | null {
  let e = error as (Error & { code?: string; cause?: unknown }) | null;
  while (e && typeof e === "object" && e.code === undefined && e.cause) e = e.cause as typeof e;
  return e && typeof e === "object" ? e : null;
}

/** Did a write break a unique index (the race where two people save the same name at once)? */
export function isUniqueViolation(error: unknown) {
  const code = driverError(error)?.code;
  return code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY" || code === "23505";
}

// ——— scheduled rounds: one at a time across every instance ———

/** The first key of the advisory locks of scheduled rounds (the second is the round's name, hashed). */
const ROUND_LOCK_CLASS = 730_421;
const roundsRunning = new Set<string>();

/**
 * Run a scheduled round (reminders, check-ins, retention) unless the same round is already running:
 * in this process, or — on PostgreSQL — on any instance using the database (a session advisory
 * lock, `pg_try_advisory_lock`, held on a connection of its own while the round runs and released
 * by the server if the instance dies). Resolves to `{ ran: false }` when another has it: that
 * round does the work, there is no need to wait for it.
 *
 * This only spares duplicate work. That each due item is handled once does not depend on it: every
 * round checks and records each item inside the transaction that enqueues its email, so two
 * rounds running one after the other, or at once on SQLite's one machine, still send nothing twice.
 */
export async function runRoundAlone<T>(db: DB, name: string, round: () => Promise<T>): Promise<{ ran: true; result: T } | { ran: false }> {
  if (roundsRunning.has(name)) return { ran: false };
  roundsRunning.add(name);
  try {
    if (db.engine !== "postgres") return { ran: true, result: await round() };
    const client = await db.$pool!.connect();
    let locked = false;
    let broken: Error | undefined;
    try {
      locked = (await client.query<{ locked: boolean }>("select pg_try_advisory_lock($1, hashtext($2)) as locked", [ROUND_LOCK_CLASS, name])).rows[0].locked;
      if (!locked) return { ran: false };
      return { ran: true, result: await round() };
    } finally {
      // a connection that could not give the lock back is closed (which releases it), never reused
      if (locked) await client.query("select pg_advisory_unlock($1, hashtext($2))", [ROUND_LOCK_CLASS, name]).catch((error: Error) => (broken = error));
      client.release(broken);
    }
  } finally {
    roundsRunning.delete(name);
  }
}
