/**
 * The PostgreSQL side of the test harness (`npm run test:postgres`): the server at
 * TEST_DATABASE_URL, one migrated template database per run, one database per test file made from
 * it (`CREATE DATABASE … TEMPLATE …`, a file copy on the server: no migration per file), dropped
 * after. Only `pg` is imported here: the schema must not be built before DATABASE_URL is set.
 */
import pg from "pg";

export const DEFAULT_TEST_DATABASE_URL = "postgres://convene:convene@127.0.0.1:5432/postgres";

export function testEngine() {
  return process.env.CONVENE_TEST_ENGINE === "postgres" ? "postgres" : "sqlite";
}

/** The server's administrative URL (a database to connect to while creating and dropping others). */
export function adminUrl() {
  return process.env.TEST_DATABASE_URL || DEFAULT_TEST_DATABASE_URL;
}

/** Database names start with this (TEST_DATABASE_PREFIX, so that two suites on one server never meet). */
export function prefix() {
  const value = process.env.TEST_DATABASE_PREFIX || "convene_test_";
  if (!/^[a-z_][a-z0-9_]{0,30}$/.test(value)) throw new Error("TEST_DATABASE_PREFIX: lower-case letters, digits and _ only");
  return value;
}

/** TEST_DATABASE_URL with another database. */
export function urlOf(database: string) {
  const url = new URL(adminUrl());
  url.pathname = `/${database}`;
  return url.toString();
}

function describe(url: string) {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 5432}`;
  } catch {
    return "(an invalid URL)";
  }
}

/** A connection to the server, or one clear line saying none answers. */
export async function connectAdmin(): Promise<pg.Client> {
  const url = adminUrl();
  let client: pg.Client;
  try {
    client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  } catch (error) {
    throw new Error(`TEST_DATABASE_URL is not a valid postgres:// URL (${(error as Error).message})`);
  }
  client.on("error", () => {});
  try {
    await client.connect();
  } catch (error) {
    const e = error as Error & { code?: string };
    throw new Error(
      `TEST_DATABASE_URL: no PostgreSQL server answers at ${describe(url)} (${e.code ?? e.message}). ` +
        "Start one (pg_ctlcluster 15 main start) or set TEST_DATABASE_URL=postgres://user:password@host:port/postgres",
    );
  }
  return client;
}

/** Create a database (named by us: prefix + letters and digits), the same collation as SQLite's (binary). */
export async function createDatabase(client: pg.Client, name: string, template?: string) {
  if (template) await client.query(`create database "${name}" template "${template}"`);
  else await client.query(`create database "${name}" template template0 encoding 'UTF8' lc_collate 'C' lc_ctype 'C'`);
}

export async function dropDatabase(client: pg.Client, name: string) {
  for (let attempt = 1; ; attempt++) {
    try {
      await client.query(`drop database if exists "${name}" with (force)`);
      return;
    } catch (error) {
      // FORCE may not end a server process of another role (an autovacuum worker that just
      // started on the database): it is gone moments later
      if ((error as { code?: string }).code !== "42501" || attempt >= 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}
