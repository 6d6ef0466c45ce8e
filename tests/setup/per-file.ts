import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterAll } from "vitest";

/**
 * Each test file gets its own fresh SQLite file, copied from the migrated template (not rebuilt).
 * Modules are isolated per file, so the app's database singleton opens this copy.
 */
const dir = process.env.CONVENE_TEST_TMP ?? path.resolve("tests/.tmp");
const file = path.join(dir, `test-${crypto.randomUUID()}.db`);
fs.copyFileSync(path.join(dir, "template.db"), file);
process.env.DATABASE_PATH = file;
process.env.APP_URL = "http://localhost:3000";
delete process.env.SMTP_URL;
process.env.NODE_ENV = "test";

afterAll(async () => {
  const { closeDb } = await import("../../db/client");
  closeDb();
  for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(file + suffix, { force: true });
});
