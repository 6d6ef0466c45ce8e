import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterAll } from "vitest";
import { connectAdmin, createDatabase, dropDatabase, prefix, testEngine, urlOf } from "./postgres";

/**
 * Each test file gets its own fresh database, copied from the migrated template (not rebuilt):
 * a SQLite file, or (`npm run test:postgres`) a PostgreSQL database created from the template
 * database. Modules are isolated per file, so the app's database singleton opens this copy.
 * Nothing here may import the schema: DATABASE_URL must be set before it is built.
 */
const dir = process.env.CONVENE_TEST_TMP ?? path.resolve("tests/.tmp");
process.env.APP_URL = "http://localhost:3000";
// attachments in a folder of this file's own: test files run side by side, and a file that checks
// that nothing appeared among the uploads must not see another file's
const uploads = path.join(dir, `uploads-${crypto.randomUUID()}`);
process.env.UPLOADS_DIR = uploads;
afterAll(() => fs.rmSync(uploads, { recursive: true, force: true }));
delete process.env.SMTP_URL;
process.env.NODE_ENV = "test";

if (testEngine() === "postgres") {
  const name = `${process.env.CONVENE_TEST_PG_RUN ?? prefix()}_${crypto.randomUUID().replace(/-/g, "").slice(0, 12)}`;
  const admin = await connectAdmin();
  await createDatabase(admin, name, process.env.CONVENE_TEST_PG_TEMPLATE);
  await admin.end();
  process.env.DATABASE_URL = urlOf(name);
  delete process.env.DATABASE_PATH;
  afterAll(async () => {
    const { closeDb, dbClosed } = await import("../../db/client");
    closeDb();
    await dbClosed();
    const client = await connectAdmin();
    try {
      await dropDatabase(client, name);
    } finally {
      await client.end();
    }
  });
} else {
  const file = path.join(dir, `test-${crypto.randomUUID()}.db`);
  fs.copyFileSync(path.join(dir, "template.db"), file);
  process.env.DATABASE_PATH = file;
  delete process.env.DATABASE_URL;
  afterAll(async () => {
    const { closeDb } = await import("../../db/client");
    closeDb();
    for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(file + suffix, { force: true });
  });
}
