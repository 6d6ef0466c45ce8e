/**
 * SQL fragments that mean the same on SQLite and on PostgreSQL.
 *
 * The models write their raw SQL with these helpers wherever the two engines differ. Most helpers
 * are one portable form, valid on both (SQLite ≥ 3.44 is bundled with better-sqlite3; PostgreSQL
 * ≥ 15). A few have no portable form (JSON array elements, date arithmetic on YYYY-MM-DD text,
 * GREATEST/LEAST): those choose their text when the query is built, from the engine of the
 * database (`getDb().engine`), so a module may build them at import time, before any database
 * is open.
 *
 * Conventions the helpers rely on, on both engines:
 * - instants are UTC milliseconds (integer on SQLite, bigint on PostgreSQL);
 * - booleans are compared with `true`/`false` (SQLite reads them as 1/0);
 * - JSON columns are text holding JSON on SQLite and jsonb on PostgreSQL;
 * - calendar days are 'YYYY-MM-DD' text.
 */
import { sql, type SQL, type SQLWrapper, type AnyColumn } from "drizzle-orm";
import { getDb } from "./client";

export type Engine = "sqlite" | "postgres";

let forced: Engine | undefined;

/** The engine the next query is built for. */
export function currentEngine(): Engine {
  return forced ?? (getDb().engine as Engine);
}

/**
 * Build fragments for `engine` while `build` runs (synchronously): what the dialect tests use to
 * turn one fragment into each engine's text.
 */
export function withEngine<T>(engine: Engine, build: () => T): T {
  const before = forced;
  forced = engine;
  try {
    return build();
  } finally {
    forced = before;
  }
}

type Fragment = SQL | SQLWrapper | AnyColumn;

/** A fragment whose text depends on the engine, chosen when the query is built (not when this is called). */
export function byEngine(choices: Record<Engine, () => SQL>): SQL {
  const lazy: SQLWrapper & { shouldOmitSQLParens(): boolean } = {
    getSQL: () => choices[currentEngine()](),
    shouldOmitSQLParens: () => true,
  };
  return sql`${lazy}`;
}

/**
 * A text column as an expression no index matches: the planner sorts the few rows it found through
 * another index instead of walking this column's index (SQLite's idiom is a unary `+`, which
 * PostgreSQL refuses on text). Same values, same order.
 */
export function unindexed(column: Fragment): SQL {
  return sql`(${column} || '')`;
}

/** A string literal for a code constant (a JSON key, a separator): never user input. */
function literal(text: string) {
  if (!/^[\p{L}\p{N}_ ,;.:/|-]*$/u.test(text)) throw new Error(`sql-dialect: unexpected literal ${JSON.stringify(text)}`);
  return sql.raw(`'${text}'`);
}

/** A condition that never holds (a role that sees nothing). SQLite reads `false` as 0. */
export const never = (): SQL => sql`false`;

/** A condition that always holds. */
export const always = (): SQL => sql`true`;

/** 1 when `condition` holds, else 0: a comparison as a number on both engines (PostgreSQL's is a boolean). */
export function flag(condition: SQL | SQLWrapper): SQL<number> {
  return sql<number>`(case when ${condition} then 1 else 0 end)`.mapWith(Number);
}

/** count(*) (or count(expression)) as a JavaScript number on both engines (PostgreSQL's count is bigint). */
export function countOf(expression?: Fragment): SQL<number> {
  return (expression === undefined ? sql<number>`cast(count(*) as integer)` : sql<number>`cast(count(${expression}) as integer)`).mapWith(Number);
}

/** count(distinct expression) as a number. */
export function countDistinct(expression: Fragment): SQL<number> {
  return sql<number>`cast(count(distinct ${expression}) as integer)`.mapWith(Number);
}

/** The number of rows that meet `condition`, 0 when none: `sum(x = 1)` is SQLite-only. */
export function countWhere(condition: SQL | SQLWrapper): SQL<number> {
  return sql<number>`cast(coalesce(sum(case when ${condition} then 1 else 0 end), 0) as integer)`.mapWith(Number);
}

/**
 * The sum of an integer expression, 0 when no rows, as a number (PostgreSQL's sum of integers is
 * bigint or numeric). `big` for sums that may pass 2³¹ (milliseconds): bigint on PostgreSQL.
 */
export function sumOf(expression: Fragment, options: { big?: boolean } = {}): SQL<number> {
  return sql<number>`cast(coalesce(sum(${expression}), 0) as ${sql.raw(options.big ? "bigint" : "integer")})`.mapWith(Number);
}

/**
 * Case-insensitive LIKE with `\` as the escape character. SQLite's LIKE ignores the case of ASCII
 * letters only, PostgreSQL's LIKE never does: `lower() like lower()` is the same on both for ASCII
 * (PostgreSQL's lower() also folds other letters).
 */
export function likeInsensitive(expression: Fragment, pattern: string | SQL): SQL {
  return sql`lower(${expression}) like lower(${pattern}) escape '\\'`;
}

/** Escape `%`, `_` and `\` of user text for a LIKE pattern with `\` as the escape character. */
export function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * The value of a top-level key of a JSON object column, as SQL text or number (`->>`, which
 * SQLite ≥ 3.38 and PostgreSQL's json/jsonb both have). SQLite gives a JSON number as an integer,
 * PostgreSQL as text: compare with text, or use `jsonInteger`.
 */
export function jsonText(column: Fragment, key: string): SQL {
  return sql`(${column} ->> ${literal(key)})`;
}

/** The integer at a top-level key of a JSON object column (NULL when absent). */
export function jsonInteger(column: Fragment, key: string): SQL<number | null> {
  return sql<number | null>`cast(${column} ->> ${literal(key)} as integer)`;
}

/**
 * A table of a JSON array column's elements, for a FROM clause: `alias.value` is each element
 * (SQLite: its SQL value; PostgreSQL: its text, so cast it, e.g. `cast(j.value as integer)`).
 */
export function jsonArrayElements(column: Fragment, alias: string): SQL {
  if (!/^[a-z_][a-z0-9_]*$/.test(alias)) throw new Error(`sql-dialect: bad alias ${alias}`);
  return byEngine({
    sqlite: () => sql`json_each(${column}) as ${sql.raw(alias)}`,
    postgres: () => sql`jsonb_array_elements_text(${column}) as ${sql.raw(alias)}(value)`,
  });
}

/**
 * The values of a group joined by `separator`, in the order given (by default the values' own),
 * NULLs left out, NULL for a group without values (`group_concat` is SQLite-only; `string_agg`
 * with ORDER BY is SQLite ≥ 3.44 and PostgreSQL).
 */
export function stringAgg(expression: Fragment, separator: string, orderBy?: Fragment | SQL): SQL<string | null> {
  return sql<string | null>`string_agg(cast(${expression} as text), ${literal(separator)} order by ${orderBy ?? expression})`;
}

/**
 * A calendar day ('YYYY-MM-DD' text) plus a whole number of days (negative to go back), as
 * 'YYYY-MM-DD' text. `days` may be a column or an expression. Compute it in JavaScript instead
 * when both operands are known there.
 */
export function addDaysSql(day: Fragment | string, days: Fragment | number): SQL<string> {
  return byEngine({
    sqlite: () => sql`date(${day}, (case when cast(${days} as integer) < 0 then '' else '+' end) || cast(${days} as integer) || ' days')`,
    postgres: () => sql`to_char(cast(${day} as date) + cast(${days} as integer), 'YYYY-MM-DD')`,
  }) as SQL<string>;
}

/** A number written into the SQL text (so that PostgreSQL knows its type where a parameter would be untyped). */
function numeric(value: Fragment | number) {
  if (typeof value !== "number") return value;
  if (!Number.isFinite(value)) throw new Error(`sql-dialect: not a finite number: ${value}`);
  return sql.raw(String(value));
}

/** Whole days from one calendar day ('YYYY-MM-DD' text) to another: 0 for the same day, negative when `to` is before. */
export function daysBetweenSql(from: Fragment | string, to: Fragment | string): SQL<number> {
  return byEngine({
    sqlite: () => sql`cast(julianday(${to}) - julianday(${from}) as integer)`,
    postgres: () => sql`(cast(${to} as date) - cast(${from} as date))`,
  }) as SQL<number>;
}

/** The UTC calendar day ('YYYY-MM-DD' text) of an instant in milliseconds. */
export function utcDay(instant: Fragment): SQL<string> {
  return byEngine({
    sqlite: () => sql`date(${instant} / 1000, 'unixepoch')`,
    postgres: () => sql`to_char(to_timestamp(${instant} / 1000.0) at time zone 'UTC', 'YYYY-MM-DD')`,
  }) as SQL<string>;
}

/** The larger of two values, NULL when either is NULL (SQLite's max(a, b); PostgreSQL's GREATEST would ignore a NULL). */
export function greatest(x: Fragment | number, y: Fragment | number): SQL {
  const [a, b] = [numeric(x), numeric(y)];
  return byEngine({
    sqlite: () => sql`max(${a}, ${b})`,
    postgres: () => sql`(case when ${a} is null or ${b} is null then null else greatest(${a}, ${b}) end)`,
  });
}

/** The smaller of two values, NULL when either is NULL. */
export function least(x: Fragment | number, y: Fragment | number): SQL {
  const [a, b] = [numeric(x), numeric(y)];
  return byEngine({
    sqlite: () => sql`min(${a}, ${b})`,
    postgres: () => sql`(case when ${a} is null or ${b} is null then null else least(${a}, ${b}) end)`,
  });
}

/**
 * ORDER BY terms with NULLs where SQLite has always put them (first when ascending, last when
 * descending); PostgreSQL's default is the opposite. SQLite ≥ 3.30 accepts NULLS FIRST/LAST.
 */
export function ascNullsFirst(expression: Fragment): SQL {
  return sql`${expression} asc nulls first`;
}
export function descNullsLast(expression: Fragment): SQL {
  return sql`${expression} desc nulls last`;
}
export function ascNullsLast(expression: Fragment): SQL {
  return sql`${expression} asc nulls last`;
}
export function descNullsFirst(expression: Fragment): SQL {
  return sql`${expression} desc nulls first`;
}

/**
 * The end of a SELECT that picks rows to claim: on PostgreSQL the rows are locked and rows another
 * transaction has locked are skipped (`FOR UPDATE SKIP LOCKED`), so concurrent claimers each get a
 * different row without waiting; nothing on SQLite, whose writers run one at a time.
 */
export function forUpdateSkipLocked(): SQL {
  return byEngine({
    sqlite: () => sql``,
    postgres: () => sql`for update skip locked`,
  });
}
