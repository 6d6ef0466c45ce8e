import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { closeDatabase, closed, openDatabase, type DB } from "../../db/client";
import { openPostgres } from "../../db/postgres";
import { connectAdmin, createDatabase, dropDatabase, prefix, testEngine, urlOf } from "./postgres";

/**
 * A second, empty, migrated database of the suite's engine for the length of `body` (a SQLite file
 * in a temporary folder, or a PostgreSQL database made from the run's template), removed after.
 */
export async function withFreshDatabase<T>(body: (db: DB) => Promise<T>): Promise<T> {
  if (testEngine() === "postgres") {
    const name = `${process.env.CONVENE_TEST_PG_RUN ?? prefix()}_x${crypto.randomUUID().replace(/-/g, "").slice(0, 12)}`;
    const admin = await connectAdmin();
    try {
      await createDatabase(admin, name, process.env.CONVENE_TEST_PG_TEMPLATE);
      const db = openPostgres(urlOf(name));
      try {
        await db.ready;
        return await body(db);
      } finally {
        closeDatabase(db);
        await closed(db);
      }
    } finally {
      await dropDatabase(admin, name);
      await admin.end();
    }
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "convene-fresh-"));
  const db = openDatabase(path.join(dir, "fresh.db"));
  try {
    return await body(db);
  } finally {
    closeDatabase(db);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
