/**
 * Convene on PostgreSQL: `DATABASE_URL=postgres://…` (or postgresql://). The handle is drizzle's
 * node-postgres driver over a `pg.Pool`, typed as the SQLite handle (db/schema/dialect.ts says why
 * the tables and values are the same).
 *
 * Transactions: `db.transaction(body)` runs `body` at SERIALIZABLE on one pooled connection, and
 * first takes the database's write lock (`LOCK TABLE data_versions IN EXCLUSIVE MODE`, before its
 * snapshot is taken): transactions, and writes made outside one, run one at a time across every
 * instance, as SQLite's writers do (BEGIN IMMEDIATE); plain reads never wait. Whatever two
 * transactions do — read a seat count then register, count attendance, pick a certificate code —
 * the result is that of one after the other. Why a lock and not only SERIALIZABLE: every write to
 * the data a cached figure reads bumps one row of data_versions (its triggers), so concurrent
 * serialisable writers would nearly all fail on that row and retry in storms (50 simultaneous
 * registrations exhausted any sensible number of retries). Should PostgreSQL still refuse a
 * transaction as not serialisable (40001) or break a deadlock (40P01), the whole body runs again
 * (a few times, after a short random pause). As on SQLite:
 * - a statement made with `db` (not `tx`) from inside the body runs inside the transaction (the
 *   pool routes it by async context), so a model called from another's transaction sees its writes;
 * - `db.transaction` called from inside a transaction becomes a savepoint of it.
 * Statements outside a transaction run on any pooled connection at READ COMMITTED.
 *
 * Migrations (drizzle's pg migrator, db/migrations-pg) are applied on first use, under an advisory
 * lock, so that two instances starting together do not both migrate.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { createHash } from "node:crypto";
import path from "node:path";
import pg from "pg";
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import * as schema from "./schema";
import { schemaDialect } from "./schema/dialect";
import type { DB, Tx } from "./client";
import { CONTROL, countStatement, withoutNul } from "./statements";

export const PG_MIGRATIONS_FOLDER = path.resolve(process.env.PG_MIGRATIONS_DIR ?? "db/migrations-pg");

// counts (int8) and sums (numeric) come back as JS numbers, as on SQLite; the values Convene keeps
// (milliseconds, counts) are far below 2^53
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number(value));

/** How long a connection attempt may take before start-up gives up (an unroutable host must not hang). */
const CONNECT_TIMEOUT_MS = Number(process.env.DATABASE_CONNECT_TIMEOUT_MS ?? 10_000);
/** A transaction refused as not serialisable (or a deadlock victim) runs again, up to this many times in all. */
export const TRANSACTION_ATTEMPTS = 10;
/**
 * The database's write lock: EXCLUSIVE blocks every other writer of the table (and every other
 * taker of this lock) but no plain SELECT. Taken before the transaction's first query, so that its
 * snapshot is taken after the previous writer's commit.
 */
const WRITE_LOCK = 'lock table "data_versions" in exclusive mode';
/** How long a statement waits for a lock before giving up (as SQLite's writers wait 30 s). */
const LOCK_TIMEOUT_MS = 30_000;

/** Statements that only read (they run at once, on any connection, without the write lock). */
export function isRead(text: string) {
  return /^\s*(select|with)\b/i.test(text) && !/\b(insert|update|delete)\b\s/i.test(text.replace(/'[^']*'/g, ""));
}

/**
 * A write that may run outside a transaction without the write lock: appending one entry to the
 * audit log (`insert into "audit_log" … values … returning …`, as recordAudit makes it), which
 * every export and every refused request does. Why that changes no outcome:
 * - the statement reads nothing: its values come with it, its reference to a user is checked by
 *   PostgreSQL with a row lock (correct at any isolation level), its only triggers refuse updates
 *   and deletes, and no data version counts audit entries (no cached figure reads them);
 * - so it behaves as if it ran, alone, just before the first transaction that sees it: the
 *   transactions that started before its commit did not see it, which would matter only if one
 *   of them decided something from that entry. Transactions read the audit log only for the
 *   entries of their own round (reminders sent), which are always written inside the round's
 *   transaction, never alone: the lone appends (exports, views, refusals, sign-ins) are read by
 *   people on the audit page, never by a transaction that decides a write.
 * Under the write lock, ten simultaneous exports took turns for it and for each other's commit.
 */
export function isLoneAuditAppend(text: string) {
  const bare = text.replace(/'[^']*'/g, "");
  return /^\s*insert\s+into\s+"audit_log"\s/i.test(bare) && !/\b(select|conflict|with)\b/i.test(bare);
}

/** Any constant: the advisory lock held while migrating. */
const MIGRATION_LOCK = 7_304_211_530;

/** A URL's description for logs and errors: never the password. */
export function describePostgresUrl(url: string) {
  try {
    const u = new URL(url);
    const user = u.username ? `${decodeURIComponent(u.username)}@` : "";
    return `postgres://${user}${u.hostname}${u.port ? `:${u.port}` : ""}${u.pathname}`;
  } catch {
    return "postgres://…";
  }
}

/**
 * Check a DATABASE_URL before using it: one clear line (naming the variable) for what is wrong.
 * `variable` names the variable in the message (DATABASE_URL, TEST_DATABASE_URL…).
 */
export function parsePostgresUrl(url: string, variable = "DATABASE_URL") {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error(`${variable} is not a valid URL (expected postgres://user:password@host:5432/database)`);
  }
  if (u.protocol !== "postgres:" && u.protocol !== "postgresql:") {
    throw new Error(`${variable} must start with postgres:// or postgresql:// (it starts with ${u.protocol}//)`);
  }
  if (!u.hostname && !u.searchParams.get("host")) throw new Error(`${variable} names no host (expected postgres://user:password@host:5432/database)`);
  if (u.port && !/^\d+$/.test(u.port)) throw new Error(`${variable} has an invalid port`);
  if (u.pathname.length <= 1) throw new Error(`${variable} names no database (expected postgres://user:password@host:5432/database)`);
  return u;
}

/** The error a connection attempt gave, as one line naming the variable and the server (no password). */
export function connectionError(error: unknown, url: string, variable = "DATABASE_URL") {
  const e = error as Error & { code?: string };
  const reason = e.code && !e.message.includes(e.code) ? `${e.code}: ${e.message}` : e.message;
  return new Error(`${variable}: cannot use PostgreSQL at ${describePostgresUrl(url)} (${reason})`);
}

/** Apply pending migrations, holding an advisory lock meanwhile (another instance waits, then finds nothing to do). */
export async function migratePostgres(url: string, folder = PG_MIGRATIONS_FOLDER, variable = "DATABASE_URL") {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  // a connection that drops later must not crash the process with an unhandled 'error' event
  client.on("error", () => {});
  try {
    await client.connect();
  } catch (error) {
    throw connectionError(error, url, variable);
  }
  try {
    await client.query("select pg_advisory_lock($1)", [MIGRATION_LOCK]);
    try {
      // notices such as "schema already exists, skipping" are not news
      await client.query("set client_min_messages = warning");
      await migrate(drizzle(client), { migrationsFolder: folder });
    } finally {
      await client.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK]);
    }
  } finally {
    await client.end();
  }
}

/** Is this error one after which the whole transaction may simply run again? */
export function isRetryable(error: unknown) {
  let e = error as { code?: string; cause?: unknown } | null;
  for (let depth = 0; e && typeof e === "object" && depth < 5; depth++, e = e.cause as typeof e) {
    if (e.code === "40001" || e.code === "40P01") return true;
  }
  return false;
}

type Open = { tx: Tx; client: pg.PoolClient; done: boolean };

const queued = Symbol("queries one after another");

/** node-postgres's query arguments with NUL characters removed from text parameters (see withoutNul), and a name (see statementName). */
function cleanArgs(args: unknown[]): unknown[] {
  const [first, second, ...rest] = args;
  if (Array.isArray(second)) return [named(first, second), withoutNul(second), ...rest];
  const config = first as { values?: unknown[] } | undefined;
  if (config && typeof config === "object" && Array.isArray(config.values)) {
    return [named({ ...config, values: withoutNul(config.values) }, config.values), second, ...rest].slice(0, args.length);
  }
  return [named(first, undefined), ...args.slice(1)];
}

/**
 * Statements are sent as named prepared statements: PostgreSQL parses (and, once it has seen that
 * a generic plan is as good as the per-value ones, plans) each of them once per connection instead
 * of on every execution — most of the server's work for the short queries a page runs.
 * Only statements that use the extended protocol anyway (parameters or array rows) are named, so
 * a text of several statements (migrations, raw scripts) is never refused; the name is a hash of
 * the text, and at most MAX_NAMED texts are named per process (every other runs unnamed, as
 * before), which bounds what each connection keeps on the server.
 */
const MAX_NAMED = 300;
const names = new Map<string, string>();

function statementName(text: string) {
  let name = names.get(text);
  if (name === undefined && names.size < MAX_NAMED && !CONTROL.test(text)) {
    name = `convene_${createHash("sha1").update(text).digest("base64url").slice(0, 22)}`;
    names.set(text, name);
  }
  return name;
}

/** The query (a text or a query config) with its statement's name, when it gets one. */
function named(query: unknown, values: unknown[] | undefined): unknown {
  const config = (typeof query === "string" ? { text: query } : query) as { text?: unknown; name?: unknown; rowMode?: unknown } | undefined;
  if (!config || typeof config !== "object" || config.name !== undefined || typeof config.text !== "string") return query;
  if (!(values && values.length > 0) && config.rowMode === undefined) return query;
  const name = statementName(config.text);
  return name === undefined ? query : { ...config, name };
}

/** The SQL text of node-postgres's query arguments (a string or a query config). */
function statementText(first: unknown) {
  return typeof first === "string" ? first : ((first as { text?: string } | undefined)?.text ?? "");
}

/** Connections running a transaction now: their statements are counted where they are sent. */
const inTransaction = new WeakSet<pg.PoolClient>();

/**
 * A transaction's statements started together (Promise.all in a body) go to its connection one
 * after the other: node-postgres would queue them too, but calls it deprecated (and pg 9 refuses).
 */
function oneAtATime(client: pg.PoolClient) {
  const marked = client as pg.PoolClient & { [queued]?: true };
  if (marked[queued]) return;
  marked[queued] = true;
  const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
  let last: Promise<unknown> = Promise.resolve();
  (client as { query: unknown }).query = (...args: unknown[]) => {
    if (inTransaction.has(client)) countStatement(statementText(args[0]));
    const clean = cleanArgs(args);
    const run = last.then(() => query(...clean));
    last = run.catch(() => {});
    return run;
  };
}

/**
 * Open a pool on `url`. Nothing connects yet: the first statement waits until the database is
 * reachable and migrated (`ready`); a failure there is one line naming DATABASE_URL.
 */
export function openPostgres(url: string, options: { migrate?: boolean; migrationsFolder?: string } = {}): DB & { ready: Promise<void> } {
  parsePostgresUrl(url);
  if (schemaDialect !== "postgres") {
    throw new Error("DATABASE_URL: the tables were built for SQLite in this process (DATABASE_URL must be set before start)");
  }
  const context = new AsyncLocalStorage<Open>();
  const ready: Promise<void> =
    options.migrate === false ? Promise.resolve() : migratePostgres(url, options.migrationsFolder);
  // a failure is reported to whoever uses the database; never as an unhandled rejection
  ready.catch(() => {});

  class Pool extends pg.Pool {
    // statements made with `db` inside a transaction's body run in that transaction; a write made
    // outside one takes the write lock for itself (as a transaction of one statement), except an
    // entry appended to the audit log (isLoneAuditAppend)
    override query(...given: unknown[]): never {
      const args = cleanArgs(given);
      const open = context.getStore();
      if (open && !open.done) return (open.client.query as (...a: unknown[]) => never)(...args);
      const text = statementText(args[0]);
      countStatement(text); // (a transaction's statements are counted by its connection)
      if (isRead(text) || isLoneAuditAppend(text)) return ready.then(() => (super.query as (...a: unknown[]) => never)(...args)) as never;
      return ready.then(() => this.writeAlone(args)) as never;
    }
    private async writeAlone(args: unknown[]) {
      const client = await (pg.Pool.prototype.connect as () => Promise<pg.PoolClient>).call(this);
      try {
        await client.query("begin");
        await client.query(WRITE_LOCK);
        const result = await (client.query as (...a: unknown[]) => Promise<unknown>)(...args);
        await client.query("commit");
        return result;
      } catch (error) {
        await client.query("rollback").catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    }
    override connect(...args: unknown[]): never {
      return ready.then(() => (super.connect as (...a: unknown[]) => never)(...args)) as never;
    }
  }
  const pool = new Pool({
    connectionString: url,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
    lock_timeout: LOCK_TIMEOUT_MS,
  });
  // an idle connection the server closes (a restart, a failover) must not crash the process
  pool.on("error", (error) => console.error(`PostgreSQL: an idle connection failed (${error.message})`));

  const db = drizzle(pool, { schema }) as unknown as DB & { ready: Promise<void> };
  const drizzleTransaction = (db as unknown as { transaction: (b: (tx: Tx) => Promise<unknown>, c: object) => Promise<unknown> }).transaction.bind(db);
  db.transaction = async function transaction<T>(body: (tx: Tx) => Promise<T>): Promise<T> {
    const active = context.getStore();
    if (active && !active.done) return await active.tx.transaction(body);
    for (let attempt = 1; ; attempt++) {
      // (a promise the body left running must not reach the connection once it is back in the pool)
      let open: Open | undefined;
      try {
        return (await drizzleTransaction(
          async (tx) => {
            const client = (tx as unknown as { session: { client: pg.PoolClient } }).session.client;
            oneAtATime(client);
            open = { tx, client, done: false };
            inTransaction.add(client);
            await client.query(WRITE_LOCK);
            return await context.run(open, () => body(tx));
          },
          { isolationLevel: "serializable" },
        )) as T;
      } catch (error) {
        if (!isRetryable(error) || attempt >= TRANSACTION_ATTEMPTS) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.min(200, 5 * 2 ** attempt) * Math.random()));
      } finally {
        if (open) {
          open.done = true;
          inTransaction.delete(open.client);
        }
      }
    }
  };
  Object.assign(db, { $client: pool, $reader: pool, $pool: pool, engine: "postgres", ready });
  return db;
}
