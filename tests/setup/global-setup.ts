import fs from "node:fs";
import path from "node:path";
import { closeDatabase, openDatabase, openSqlite } from "../../db/client";
import { connectAdmin, createDatabase, dropDatabase, prefix, testEngine, urlOf } from "./postgres";

/**
 * Migrate one template database for the whole run; each test file gets a copy of it. Every run
 * has its own folder (and on PostgreSQL its own template database), so two runs side by side (two
 * developers, a watcher) never share files.
 */
export default async function setup() {
  const dir = path.resolve("tests/.tmp", `run-${process.pid}-${Date.now()}`);
  fs.mkdirSync(dir, { recursive: true });
  process.env.CONVENE_TEST_TMP = dir;
  const removeDir = () => fs.rmSync(dir, { recursive: true, force: true });
  if (testEngine() === "postgres") return await setupPostgres(removeDir);
  const file = path.join(dir, "template.db");
  closeDatabase(openDatabase(file));
  // one self-contained file to copy (the journal mode can change only on the last connection)
  const sqlite = openSqlite(file);
  sqlite.pragma("wal_checkpoint(TRUNCATE)");
  sqlite.pragma("journal_mode = DELETE");
  sqlite.close();
  return removeDir;
}

/** `npm run test:postgres`: a migrated template database on the server at TEST_DATABASE_URL. */
async function setupPostgres(removeDir: () => void) {
  let admin;
  try {
    admin = await connectAdmin();
  } catch (error) {
    // one line, at once: the whole suite needs the server
    console.error(`\n${(error as Error).message}\n`);
    removeDir();
    process.exit(1);
  }
  // every database of this run starts with `run`: the teardown drops any a test file left behind
  const run = `${prefix()}r${process.pid}`;
  const template = `${run}_template`;
  await dropDatabase(admin, template);
  await createDatabase(admin, template);
  const { migratePostgres } = await import("../../db/postgres");
  await migratePostgres(urlOf(template), undefined, "TEST_DATABASE_URL");
  process.env.CONVENE_TEST_PG_TEMPLATE = template;
  process.env.CONVENE_TEST_PG_RUN = run;
  return async () => {
    const left = await admin.query("select datname from pg_database where starts_with(datname, $1)", [`${run}_`]);
    for (const { datname } of left.rows as { datname: string }[]) await dropDatabase(admin, datname);
    await admin.end();
    removeDir();
  };
}
