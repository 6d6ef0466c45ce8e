import fs from "node:fs";
import path from "node:path";
import { closeDatabase, openDatabase, openSqlite } from "../../db/client";

/**
 * Migrate one template database for the whole run; each test file gets a copy of it. Every run
 * has its own folder, so two runs side by side (two developers, a watcher) never share files.
 */
export default function setup() {
  const dir = path.resolve("tests/.tmp", `run-${process.pid}-${Date.now()}`);
  fs.mkdirSync(dir, { recursive: true });
  process.env.CONVENE_TEST_TMP = dir;
  const file = path.join(dir, "template.db");
  closeDatabase(openDatabase(file));
  // one self-contained file to copy (the journal mode can change only on the last connection)
  const sqlite = openSqlite(file);
  sqlite.pragma("wal_checkpoint(TRUNCATE)");
  sqlite.pragma("journal_mode = DELETE");
  sqlite.close();
  return () => fs.rmSync(dir, { recursive: true, force: true });
}
