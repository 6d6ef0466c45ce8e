/**
 * `npm run db:backup -- FILE`: a consistent online copy of the live database, safe while the server
 * is writing.
 * - SQLite (DATABASE_PATH): SQLite's backup API; restore by stopping the server and copying FILE back.
 * - PostgreSQL (DATABASE_URL): `pg_dump --format=custom` (one snapshot of the whole database);
 *   restore with `pg_restore --clean --if-exists --no-owner -d … FILE` (docs/postgresql.md).
 * The attachments of action-plan updates are files in UPLOADS_DIR (by default uploads/ beside
 * DATABASE_PATH), on either engine: they are copied to FILE.uploads.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import { backupDatabase, configuredDatabase } from "../client";
import { readConfig } from "../../app/config.server";

function fail(line: string, code = 1): never {
  console.error(line);
  process.exit(code);
}

/** Run pg_dump with the password in its environment, not on its command line (where `ps` shows it). */
function pgDump(url: string, destination: string): Promise<void> {
  const u = new URL(url);
  const password = decodeURIComponent(u.password);
  u.password = "";
  const env = { ...process.env, ...(password ? { PGPASSWORD: password } : {}) };
  return new Promise((resolve, reject) => {
    const child = spawn("pg_dump", ["--format=custom", "--no-owner", `--file=${destination}`, `--dbname=${u.toString()}`], { env, stdio: ["ignore", "inherit", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += String(chunk)));
    child.on("error", (error: Error & { code?: string }) =>
      reject(
        new Error(
          error.code === "ENOENT"
            ? "pg_dump is not installed (or not on PATH): install PostgreSQL's client tools of the server's version or newer (Debian: apt-get install postgresql-client)"
            : `cannot run pg_dump (${error.message})`,
        ),
      ),
    );
    child.on("close", (code) => {
      if (code === 0) resolve();
      else reject(new Error(`pg_dump failed (exit ${code}): ${stderr.trim().split("\n").pop() ?? ""}`));
    });
  });
}

let target: ReturnType<typeof configuredDatabase>;
try {
  target = configuredDatabase();
} catch (error) {
  fail(`Backup failed: ${(error as Error).message}`);
}
const destination = process.argv[2];
if (!destination) fail("Usage: npm run db:backup -- path/to/backup" + (target.engine === "postgres" ? ".dump" : ".db"), 2);
if (fs.existsSync(destination)) fail(`${destination} already exists; choose a new file name`);
const sqliteFile = process.env.DATABASE_PATH || "data/app.db";
if (target.engine === "sqlite" && !fs.existsSync(sqliteFile)) fail(`DATABASE_PATH: ${sqliteFile} does not exist`);

const backup = target.engine === "postgres" ? pgDump(target.location, destination) : backupDatabase(sqliteFile, destination);
backup
  .then(() => {
    console.log(`Backed up ${target.description} to ${destination}${target.engine === "postgres" ? " (pg_dump custom format: restore with pg_restore)" : ""}`);
    // files attached to action-plan updates live in UPLOADS_DIR (by default uploads/ beside DATABASE_PATH)
    const uploads = readConfig().uploadsDir;
    if (fs.existsSync(uploads)) {
      fs.cpSync(uploads, `${destination}.uploads`, { recursive: true });
      console.log(`Copied attachments to ${destination}.uploads`);
    }
  })
  .catch((error) => {
    fs.rmSync(destination, { force: true });
    fail(`Backup failed: ${(error as Error).message}`);
  });
