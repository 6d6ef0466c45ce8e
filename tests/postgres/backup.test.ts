import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb, readyDb } from "../../db/client";
import { organisations } from "../../db/schema";
import { connectAdmin, createDatabase, dropDatabase, prefix, urlOf } from "../setup/postgres";

/** `npm run db:backup` on PostgreSQL: pg_dump's custom format, which pg_restore brings back. */
const dir = process.env.CONVENE_TEST_TMP ?? path.resolve("tests/.tmp");
const id = crypto.randomUUID().slice(0, 8);
const dump = path.join(dir, `backup-${id}.dump`);
const restored = `${process.env.CONVENE_TEST_PG_RUN ?? prefix()}_restored_${id}`;

function backup(file: string, env: Record<string, string> = {}) {
  const run = spawnSync(process.execPath, ["--import", "tsx", "db/cli/backup.ts", file], { env: { ...process.env, ...env }, encoding: "utf8", timeout: 120_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

beforeAll(async () => {
  await readyDb();
  await getDb().insert(organisations).values({ name: "Backed-up ministry", kind: "government_partner", country: "BS" });
  const admin = await connectAdmin();
  await createDatabase(admin, restored);
  await admin.end();
});

afterAll(async () => {
  const admin = await connectAdmin();
  await dropDatabase(admin, restored);
  await admin.end();
  fs.rmSync(dump, { force: true });
});

describe("npm run db:backup with DATABASE_URL", () => {
  it("writes a pg_dump archive that pg_restore brings back into another database", async () => {
    const run = backup(dump);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    // (a second line names the copy of the attachments' folder when there is one)
    expect(run.stdout).toMatch(/^Backed up PostgreSQL, postgres:\/\/convene@[^ ]+ to .*backup-.*\.dump \(pg_dump custom format: restore with pg_restore\)\n(Copied attachments to .*\.uploads\n)?$/);
    expect(fs.readFileSync(dump).subarray(0, 5).toString()).toBe("PGDMP");

    const url = new URL(urlOf(restored));
    const password = decodeURIComponent(url.password);
    url.password = "";
    const restore = spawnSync("pg_restore", ["--no-owner", `--dbname=${url}`, dump], { env: { ...process.env, PGPASSWORD: password }, encoding: "utf8" });
    expect(restore.stderr).toBe("");
    expect(restore.status).toBe(0);
    const client = new pg.Client({ connectionString: urlOf(restored) });
    await client.connect();
    try {
      expect((await client.query("select name from organisations where name = 'Backed-up ministry'")).rows).toEqual([{ name: "Backed-up ministry" }]);
      expect(Number((await client.query("select count(*) as n from gcm_objectives")).rows[0].n)).toBe(23);
      // the triggers come back with the tables
      expect(Number((await client.query("select count(*) as n from pg_trigger where tgname = 'audit_log_no_update'")).rows[0].n)).toBe(1);
    } finally {
      await client.end();
    }
  });

  it("refuses to overwrite a file, and says in one line when pg_dump is missing, leaving no file", () => {
    const existing = backup(dump);
    expect(existing.status).toBe(1);
    expect(existing.stderr).toBe(`${dump} already exists; choose a new file name\n`);

    const other = path.join(dir, `backup-${id}-nopgdump.dump`);
    const missing = backup(other, { PATH: path.join(dir, "no-such-bin") });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toBe(
      "Backup failed: pg_dump is not installed (or not on PATH): install PostgreSQL's client tools of the server's version or newer (Debian: apt-get install postgresql-client)\n",
    );
    expect(fs.existsSync(other)).toBe(false);
  });
});
