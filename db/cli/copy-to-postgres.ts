/**
 * `npm run db:copy-to-postgres [-- --from data/app.db] [--to postgres://…] [--replace]`: copy every
 * table of a SQLite database (DATABASE_PATH, or --from) into the PostgreSQL database at
 * DATABASE_URL (or --to), migrated first, then check that every table holds as many rows on both.
 *
 * How:
 * - The source is read in one read transaction (a consistent snapshot, even while an app writes).
 *   It must be at the app's latest SQLite migration, so that its columns are the schema's.
 * - The target is refused (one line, nothing written) when any table already holds rows, except
 *   the reference data that the migrations insert (the GCM objectives, the data-version rows):
 *   those are replaced by the source's own, in the same transaction. `--replace` empties a target
 *   that holds data first.
 * - Everything happens in one transaction: the app's write lock (so running instances wait),
 *   the tables emptied, the rows inserted, the checks; a failure anywhere rolls it all back.
 * - The values are converted by the schema's column modes: instants stay UTC milliseconds,
 *   SQLite's 0/1 booleans become booleans, JSON text becomes jsonb.
 * - The stored values the triggers keep (attendance counts, counted sessions, data versions, cell
 *   keys) are copied as they are: the tables' own triggers are disabled for the copy (`ALTER TABLE
 *   … DISABLE TRIGGER USER`, which needs the role that owns the tables, not a superuser) and
 *   enabled again before the commit; the checks then recompute the attendance counts from the marks.
 *   Foreign keys stay checked: tables go parents first; a reference that closes a cycle (an event
 *   made from a follow-up request made from an event) is filled in after both tables are copied.
 * - Identity sequences continue after the largest copied id.
 */
import "./use-sqlite-schema";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { getTableColumns, getTableName, is } from "drizzle-orm";
import { SQLiteTable, getTableConfig, type SQLiteColumn } from "drizzle-orm/sqlite-core";
import * as schema from "../schema";
import { schemaDialect } from "../schema/dialect";
import { MIGRATIONS_FOLDER } from "../client";
import { connectionError, describePostgresUrl, migratePostgres, parsePostgresUrl } from "../postgres";

/** Rows per multi-row INSERT (fewer for wide tables: PostgreSQL takes at most 65,535 parameters). */
const BATCH_ROWS = 1000;
const MAX_PARAMETERS = 60_000;
/** Tables the migrations fill on both engines: present in an otherwise empty target, replaced by the source's. */
const REFERENCE_TABLES = ["gcm_objectives", "data_versions"];

class Refusal extends Error {}

type Options = { from: string; fromName: string; to: string; toName: string; replace: boolean };

function parseArgs(argv: string[], env: NodeJS.ProcessEnv): Options {
  let from: string | undefined;
  let to: string | undefined;
  let replace = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--replace") replace = true;
    else if (arg === "--from" || arg === "--to") {
      const value = argv[++i];
      if (value === undefined || value.startsWith("--")) throw new Refusal(`${arg} needs a value`);
      if (arg === "--from") from = value;
      else to = value;
    } else if (arg.startsWith("--from=")) from = arg.slice("--from=".length);
    else if (arg.startsWith("--to=")) to = arg.slice("--to=".length);
    else throw new Refusal(`unknown argument ${arg} (usage: npm run db:copy-to-postgres -- [--from file.db] [--to postgres://…] [--replace])`);
  }
  const fromName = from !== undefined ? "--from" : "DATABASE_PATH";
  from ??= env.DATABASE_PATH || "data/app.db";
  const toName = to !== undefined ? "--to" : "DATABASE_URL";
  to ??= env.DATABASE_URL;
  if (!to) throw new Refusal("DATABASE_URL (or --to) must name the PostgreSQL database to copy into");
  try {
    parsePostgresUrl(to, toName);
  } catch (error) {
    throw new Refusal((error as Error).message);
  }
  return { from, fromName, to, toName, replace };
}

// ——— the tables, from the schema ———

type Column = { key: string; name: string; notNull: boolean; convert: (value: unknown) => unknown; pgTypes: string[] };
type Table = {
  name: string;
  columns: Column[];
  primaryKey: string[];
  /** this table's columns that reference each other table */
  references: { columns: string[]; table: string }[];
};

function columnOf(key: string, column: SQLiteColumn): Column {
  const base = { key, name: column.name, notNull: column.notNull };
  switch (column.columnType) {
    case "SQLiteBoolean":
      return { ...base, convert: (v) => (v === null ? null : v !== 0 && v !== "0"), pgTypes: ["boolean"] };
    case "SQLiteTimestamp":
      return { ...base, convert: (v) => v, pgTypes: ["bigint"] };
    case "SQLiteTextJson":
      // the JSON text as stored: PostgreSQL parses it into jsonb (and refuses text that is not JSON)
      return { ...base, convert: (v) => v, pgTypes: ["jsonb"] };
    case "SQLiteInteger":
      return { ...base, convert: (v) => v, pgTypes: ["integer", "bigint"] };
    case "SQLiteText":
      return { ...base, convert: (v) => v, pgTypes: ["text"] };
    case "SQLiteReal":
      return { ...base, convert: (v) => v, pgTypes: ["double precision", "real", "numeric"] };
    case "SQLiteBlobBuffer":
      return { ...base, convert: (v) => v, pgTypes: ["bytea"] };
    default:
      throw new Error(`column ${column.name} is of type ${column.columnType}, which the copy does not know how to convert`);
  }
}

function schemaTables(): Table[] {
  return (Object.values(schema) as unknown[])
    .filter((t): t is SQLiteTable => is(t, SQLiteTable))
    .map((t) => {
      const config = getTableConfig(t);
      const columns = Object.entries(getTableColumns(t)).map(([key, column]) => columnOf(key, column as SQLiteColumn));
      const primaryKey = config.primaryKeys.length > 0 ? config.primaryKeys[0].columns.map((c) => c.name) : config.columns.filter((c) => c.primary).map((c) => c.name);
      const references = config.foreignKeys.map((fk) => {
        const ref = fk.reference();
        return { columns: ref.columns.map((c) => c.name), table: getTableName(ref.foreignTable) };
      });
      return { name: getTableName(t), columns, primaryKey, references };
    });
}

/**
 * Parents before children. A reference that closes a cycle (or points at its own table) cannot be
 * satisfied by order: its columns (nullable) are inserted empty and filled in after every table.
 */
function copyOrder(tables: Table[]): { order: Table[]; deferred: { table: Table; columns: string[] }[] } {
  const placed = new Set<string>();
  const order: Table[] = [];
  const deferred: { table: Table; columns: string[] }[] = [];
  const remaining = [...tables];
  const waitingOn = (t: Table) => t.references.filter((r) => !placed.has(r.table));
  while (remaining.length > 0) {
    let next = remaining.find((t) => waitingOn(t).length === 0);
    if (!next) {
      // a cycle: break it at the first table whose unsatisfied references may all be empty for a moment
      const inCycle = (t: Table) => {
        const seen = new Set<string>();
        const walk = (name: string): boolean =>
          remaining.find((r) => r.name === name)!.references.some((r) => r.table === t.name || (!placed.has(r.table) && !seen.has(r.table) && (seen.add(r.table), walk(r.table))));
        return walk(t.name);
      };
      next = remaining.find((t) => inCycle(t) && waitingOn(t).every((r) => r.columns.every((c) => !t.columns.find((col) => col.name === c)!.notNull)));
      if (!next) throw new Error(`the tables ${remaining.map((t) => t.name).join(", ")} reference each other through required columns`);
      if (next.primaryKey.length !== 1) throw new Error(`${next.name} closes a cycle of references but has no single-column primary key`);
      deferred.push({ table: next, columns: waitingOn(next).flatMap((r) => r.columns) });
    }
    placed.add(next.name);
    order.push(next);
    remaining.splice(remaining.indexOf(next), 1);
  }
  return { order, deferred };
}

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

// ——— the source ———

function openSource(options: Options): Database.Database {
  const file = options.from;
  if (!fs.existsSync(file)) throw new Refusal(`${options.fromName}: ${file} does not exist`);
  if (!fs.statSync(file).isFile()) throw new Refusal(`${options.fromName}: ${file} is not a file`);
  let sqlite: Database.Database;
  try {
    sqlite = new Database(file, { readonly: true, fileMustExist: true });
    sqlite.prepare("select count(*) from sqlite_master").get();
  } catch (error) {
    throw new Refusal(`${options.fromName}: cannot read ${file} as a SQLite database (${(error as Error).message})`);
  }
  const journal = JSON.parse(fs.readFileSync(path.join(MIGRATIONS_FOLDER, "meta/_journal.json"), "utf8")) as { entries: unknown[] };
  let applied = 0;
  try {
    applied = (sqlite.prepare("select count(*) as n from __drizzle_migrations").get() as { n: number }).n;
  } catch {
    applied = 0;
  }
  if (applied !== journal.entries.length) {
    sqlite.close();
    throw new Refusal(
      applied < journal.entries.length
        ? `${options.fromName}: ${file} is at migration ${applied} of ${journal.entries.length}: migrate it first (DATABASE_PATH=${file} npm run db:migrate)`
        : `${options.fromName}: ${file} has ${applied} migrations, more than this version of Convene knows (${journal.entries.length}): copy it with the version that wrote it`,
    );
  }
  return sqlite;
}

/** The source's tables and columns must be exactly the schema's (nothing left behind, nothing unknown). */
function checkSourceTables(sqlite: Database.Database, tables: Table[], options: Options) {
  const present = (sqlite.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite\\_%' escape '\\' and name <> '__drizzle_migrations'").all() as { name: string }[]).map((r) => r.name);
  const known = new Set(tables.map((t) => t.name));
  const unknown = present.filter((name) => !known.has(name));
  if (unknown.length > 0) throw new Refusal(`${options.fromName}: ${options.from} has tables Convene does not know (${unknown.join(", ")}); nothing copied`);
  for (const t of tables) {
    if (!present.includes(t.name)) throw new Refusal(`${options.fromName}: ${options.from} has no table ${t.name}`);
    const columns = (sqlite.prepare(`pragma table_info(${q(t.name)})`).all() as { name: string }[]).map((c) => c.name).sort();
    const expected = t.columns.map((c) => c.name).sort();
    if (columns.join() !== expected.join()) throw new Refusal(`${options.fromName}: ${t.name} has the columns ${columns.join(", ")}, not ${expected.join(", ")}`);
  }
}

// ——— the target ———

/** Tables of the target (public schema) that hold rows, with how many, reference data aside. */
async function tablesWithRows(client: pg.Client, tables: Table[]): Promise<{ table: string; rows: number }[]> {
  const existing = new Set(
    (await client.query<{ tablename: string }>("select tablename from pg_tables where schemaname = 'public'")).rows.map((r) => r.tablename),
  );
  const candidates = tables.filter((t) => existing.has(t.name) && !REFERENCE_TABLES.includes(t.name));
  if (candidates.length === 0) return [];
  const { rows } = await client.query<{ table: string; rows: number }>(
    candidates.map((t) => `select '${t.name}' as "table", count(*)::int as rows from (select 1 from ${q(t.name)} limit 1000000) s`).join(" union all "),
  );
  return rows.filter((r) => r.rows > 0);
}

function describeRows(found: { table: string; rows: number }[]) {
  return found
    .slice(0, 5)
    .map((f) => `${f.table} ${f.rows}`)
    .join(", ") + (found.length > 5 ? `, … ${found.length - 5} more tables` : "");
}

/** The target's tables must have the columns and types the schema says (a database migrated by this version). */
async function checkTargetTables(client: pg.Client, tables: Table[], options: Options) {
  const { rows } = await client.query<{ table_name: string; column_name: string; data_type: string; is_identity: string }>(
    "select table_name, column_name, data_type, is_identity from information_schema.columns where table_schema = 'public'",
  );
  const types = new Map(rows.map((r) => [`${r.table_name}.${r.column_name}`, r.data_type]));
  for (const t of tables) {
    for (const c of t.columns) {
      const type = types.get(`${t.name}.${c.name}`);
      if (type === undefined) throw new Refusal(`${options.toName}: ${t.name}.${c.name} is missing in ${describePostgresUrl(options.to)} (a database of another version?)`);
      if (!c.pgTypes.includes(type)) throw new Refusal(`${options.toName}: ${t.name}.${c.name} is ${type}, expected ${c.pgTypes.join(" or ")}`);
    }
  }
  const notOwned = (
    await client.query<{ tablename: string }>(
      "select tablename from pg_tables where schemaname = 'public' and not pg_has_role(current_user, tableowner, 'USAGE')",
    )
  ).rows.map((r) => r.tablename);
  if (notOwned.length > 0) {
    throw new Refusal(
      `${options.toName}: the role ${(await client.query("select current_user as u")).rows[0].u} does not own ${notOwned.slice(0, 3).join(", ")}${notOwned.length > 3 ? ", …" : ""}: copy as the role that migrated the database (it must disable the tables' triggers during the copy)`,
    );
  }
  return rows.filter((r) => r.is_identity === "YES").map((r) => ({ table: r.table_name, column: r.column_name }));
}

// ——— the copy ———

type Log = (line: string) => void;

async function copyTable(client: pg.Client, sqlite: Database.Database, table: Table, deferredColumns: string[], log: Log) {
  const started = Date.now();
  const total = (sqlite.prepare(`select count(*) as n from ${q(table.name)}`).get() as { n: number }).n;
  const names = table.columns.map((c) => c.name);
  const batch = Math.max(1, Math.min(BATCH_ROWS, Math.floor(MAX_PARAMETERS / names.length)));
  const head = `insert into ${q(table.name)} (${names.map(q).join(", ")}) values `;
  const rows = sqlite.prepare(`select ${names.map(q).join(", ")} from ${q(table.name)}`).raw(true).iterate() as IterableIterator<unknown[]>;
  let copied = 0;
  let sent = 0;
  let lastReport = started;
  let chunk: unknown[][] = [];
  // one INSERT on its way while the next is built (the client takes one query at a time)
  let inFlight: Promise<void> = Promise.resolve();
  const flush = async () => {
    if (chunk.length === 0) return;
    const params: unknown[] = [];
    const tuples = chunk.map((row) => {
      const placeholders = table.columns.map((c, i) => {
        params.push(deferredColumns.includes(c.name) ? null : c.convert(row[i]));
        return `$${params.length}`;
      });
      return `(${placeholders.join(", ")})`;
    });
    const first = sent + 1;
    const rows = chunk.length;
    sent += rows;
    chunk = [];
    await inFlight;
    inFlight = client.query(head + tuples.join(", "), params).then(
      () => {
        copied += rows;
        if (Date.now() - lastReport > 5000) {
          lastReport = Date.now();
          log(`  ${table.name.padEnd(28)} ${copied.toLocaleString("en")} of ${total.toLocaleString("en")} rows …`);
        }
      },
      (error: Error) => {
        throw new Error(`${table.name}, rows ${first}–${first + rows - 1}: ${error.message}`);
      },
    );
    // a failure is thrown by the next await of it; meanwhile it must not count as unhandled
    inFlight.catch(() => {});
  };
  for (const row of rows) {
    chunk.push(row);
    if (chunk.length >= batch) await flush();
  }
  await flush();
  await inFlight;
  log(`  ${table.name.padEnd(28)} ${copied.toLocaleString("en").padStart(10)} rows  ${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s`);
  return copied;
}

/** Fill in the references left empty to break a cycle, now that the rows they point at exist. */
async function fillDeferred(client: pg.Client, sqlite: Database.Database, table: Table, columns: string[], udt: Map<string, string>, log: Log) {
  const key = table.primaryKey[0];
  const rows = sqlite
    .prepare(`select ${[key, ...columns].map(q).join(", ")} from ${q(table.name)} where ${columns.map((c) => `${q(c)} is not null`).join(" or ")}`)
    .raw(true)
    .all() as unknown[][];
  for (let i = 0; i < rows.length; i += BATCH_ROWS) {
    const part = rows.slice(i, i + BATCH_ROWS);
    const all = [key, ...columns];
    const arrays = all.map((_, j) => part.map((row) => row[j]));
    const unnest = all.map((c, j) => `$${j + 1}::${udt.get(`${table.name}.${c}`)}[]`).join(", ");
    await client.query(
      `update ${q(table.name)} t set ${columns.map((c) => `${q(c)} = v.${q(c)}`).join(", ")} from unnest(${unnest}) as v(${all.map(q).join(", ")}) where t.${q(key)} = v.${q(key)}`,
      arrays,
    );
  }
  log(`  ${table.name}: ${rows.length} references (${columns.join(", ")}) filled in after the tables they point at`);
}

type CountRow = { table: string; sqlite: number; postgres: number };

/** Stored figures on both engines, and on PostgreSQL the attendance counts recomputed from the marks. */
async function storedFigureChecks(client: pg.Client, sqlite: Database.Database): Promise<{ check: string; sqlite: string; postgres: string; ok: boolean }[]> {
  const figures = [
    ["registrations: attended sessions (sum)", "select coalesce(sum(attended_sessions), 0) as n from registrations"],
    ["registrations: excused sessions (sum)", "select coalesce(sum(excused_sessions), 0) as n from registrations"],
    ["events: counted sessions (sum)", "select coalesce(sum(counted_sessions), 0) as n from events"],
    ["cell keys (sum over people, registrations)", "select (select coalesce(sum(cell_key), 0) from people) + (select coalesce(sum(cell_key), 0) from registrations) as n"],
  ] as const;
  const results = [];
  for (const [check, text] of figures) {
    const a = String((sqlite.prepare(text).get() as { n: number }).n);
    const b = String((await client.query(text)).rows[0].n);
    results.push({ check, sqlite: a, postgres: b, ok: a === b });
  }
  const versions = (rows: { name: string; n: number }[]) => rows.map((r) => `${r.name}=${r.n}`).join(" ");
  const a = versions(sqlite.prepare("select name, n from data_versions order by name").all() as { name: string; n: number }[]);
  const b = versions((await client.query("select name, n from data_versions order by name collate \"C\"")).rows);
  results.push({ check: "data versions", sqlite: a, postgres: b, ok: a === b });
  // the triggers go on from the copied counts: they must be those the marks give
  const wrong = Number(
    (
      await client.query(`select count(*) as n from registrations r left join (
        select a.registration_id, count(*) filter (where a.status in ('present', 'late')) as attended, count(*) filter (where a.status = 'excused') as excused
        from attendance a join event_sessions s on s.id = a.session_id where s.kind <> 'break' group by a.registration_id) c on c.registration_id = r.id
        where r.attended_sessions <> coalesce(c.attended, 0) or r.excused_sessions <> coalesce(c.excused, 0)`)
    ).rows[0].n,
  );
  results.push({ check: "registrations whose counts differ from their marks", sqlite: "", postgres: String(wrong), ok: wrong === 0 });
  const wrongEvents = Number(
    (
      await client.query(`select count(*) as n from events e where e.counted_sessions <>
        (select count(*) from event_sessions s where s.event_id = e.id and s.kind <> 'break')`)
    ).rows[0].n,
  );
  results.push({ check: "events whose counted sessions differ from their sessions", sqlite: "", postgres: String(wrongEvents), ok: wrongEvents === 0 });
  return results;
}

function printTable(log: Log, header: string[], rows: string[][]) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => "  " + cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  log(line(header));
  log("  " + widths.map((w) => "-".repeat(w)).join("  "));
  for (const r of rows) log(line(r));
}

async function copyToPostgres(options: Options, log: Log = console.log): Promise<{ ok: boolean; counts: CountRow[] }> {
  if (schemaDialect !== "sqlite") throw new Error("the copy needs the SQLite tables in this process");
  const started = Date.now();
  const tables = schemaTables();
  const { order, deferred } = copyOrder(tables);
  const sqlite = openSource(options);
  try {
    checkSourceTables(sqlite, tables, options);
    const client = new pg.Client({ connectionString: options.to, connectionTimeoutMillis: 10_000 });
    client.on("error", () => {});
    try {
      await client.connect();
    } catch (error) {
      throw new Refusal(connectionError(error, options.to, options.toName).message);
    }
    try {
      const target = describePostgresUrl(options.to);
      // refused before anything is written, the migration included
      const held = await tablesWithRows(client, tables);
      if (held.length > 0 && !options.replace) {
        throw new Refusal(`${options.toName}: ${target} already holds data (${describeRows(held)}): copy into an empty database, or add --replace to delete it first`);
      }
      log(`Copying ${options.from} (SQLite) into ${target} (PostgreSQL)`);
      try {
        await migratePostgres(options.to, undefined, options.toName);
      } catch (error) {
        throw new Refusal((error as Error).message);
      }
      const identities = await checkTargetTables(client, tables, options);
      const udt = new Map(
        (await client.query<{ k: string; udt_name: string }>("select table_name || '.' || column_name as k, udt_name from information_schema.columns where table_schema = 'public'")).rows.map((r) => [r.k, r.udt_name]),
      );

      sqlite.exec("begin"); // one snapshot of the source for the copy and its counts
      await client.query("begin");
      try {
        // the app's write lock: instances running on the target wait until the copy is done
        await client.query('lock table "data_versions" in exclusive mode');
        const heldNow = await tablesWithRows(client, tables);
        if (heldNow.length > 0 && !options.replace) throw new Refusal(`${options.toName}: ${target} already holds data (${describeRows(heldNow)}): copy into an empty database, or add --replace to delete it first`);
        for (const t of tables) await client.query(`alter table ${q(t.name)} disable trigger user`);
        // the reference data the migrations inserted, and with --replace everything, gives way to the source's
        await client.query(`truncate ${tables.map((t) => q(t.name)).join(", ")} restart identity`);
        if (held.length > 0) log(`  emptied the target first (--replace): ${describeRows(held)}`);
        const copied = new Map<string, number>();
        for (const t of order) {
          const own = deferred.find((d) => d.table === t)?.columns ?? [];
          copied.set(t.name, await copyTable(client, sqlite, t, own, log));
        }
        for (const d of deferred) await fillDeferred(client, sqlite, d.table, d.columns, udt, log);
        for (const t of tables) await client.query(`alter table ${q(t.name)} enable trigger user`);
        for (const { table, column } of identities) {
          await client.query(`select setval(pg_get_serial_sequence($1, $2), coalesce((select max(${q(column)}) from ${q(table)}), 0) + 1, false)`, [q(table), column]);
        }

        const counts: CountRow[] = [];
        for (const t of tables) {
          const a = (sqlite.prepare(`select count(*) as n from ${q(t.name)}`).get() as { n: number }).n;
          const b = Number((await client.query(`select count(*) as n from ${q(t.name)}`)).rows[0].n);
          counts.push({ table: t.name, sqlite: a, postgres: b });
        }
        log("\nRows per table:");
        printTable(
          log,
          ["table", "SQLite", "PostgreSQL", ""],
          counts.map((c) => [c.table, c.sqlite.toLocaleString("en"), c.postgres.toLocaleString("en"), c.sqlite === c.postgres && copied.get(c.table) === c.sqlite ? "equal" : "DIFFERENT"]),
        );
        const figures = await storedFigureChecks(client, sqlite);
        log("\nStored figures:");
        printTable(log, ["check", "SQLite", "PostgreSQL", ""], figures.map((f) => [f.check, f.sqlite, f.postgres, f.ok ? "equal" : "DIFFERENT"]));
        const ok = counts.every((c) => c.sqlite === c.postgres && copied.get(c.table) === c.sqlite) && figures.every((f) => f.ok);
        if (!ok) {
          await client.query("rollback");
          log(`\nThe copy differs from the source: rolled back, ${target} is as it was`);
          return { ok, counts };
        }
        await client.query("commit");
        const rows = counts.reduce((sum, c) => sum + c.postgres, 0);
        log(`\nCopied ${tables.length} tables, ${rows.toLocaleString("en")} rows, every count equal, in ${((Date.now() - started) / 1000).toFixed(1)} s`);
        return { ok, counts };
      } catch (error) {
        await client.query("rollback").catch(() => {});
        throw error;
      } finally {
        sqlite.exec("commit");
      }
    } finally {
      await client.end().catch(() => {});
    }
  } finally {
    sqlite.close();
  }
}

try {
  const { ok } = await copyToPostgres(parseArgs(process.argv.slice(2), process.env));
  if (!ok) process.exitCode = 1;
} catch (error) {
  const message = (error as Error).message;
  console.error(error instanceof Refusal ? `Nothing copied: ${message}` : `Copy failed, nothing written (rolled back): ${message}`);
  process.exitCode = 1;
}
