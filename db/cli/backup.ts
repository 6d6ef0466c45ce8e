/**
 * `npm run db:backup -- FILE`: a consistent online copy of the live database (SQLite's backup API,
 * safe while the server is writing). Restore by stopping the server and copying FILE back.
 */
import fs from "node:fs";
import path from "node:path";
import { backupDatabase, configuredDatabase } from "../client";

if (configuredDatabase().engine === "postgres") {
  console.error('DATABASE_URL is PostgreSQL: back it up with its own tools, e.g. pg_dump -Fc "$DATABASE_URL" > convene.dump (docs/postgresql.md)');
  process.exit(1);
}

const source = process.env.DATABASE_PATH || "data/app.db";
const destination = process.argv[2];
if (!destination) {
  console.error("Usage: npm run db:backup -- path/to/backup.db");
  process.exit(2);
}
if (!fs.existsSync(source)) {
  console.error(`DATABASE_PATH: ${source} does not exist`);
  process.exit(1);
}
if (fs.existsSync(destination)) {
  console.error(`${destination} already exists; choose a new file name`);
  process.exit(1);
}
backupDatabase(source, destination)
  .then(() => {
    console.log(`Backed up ${source} to ${destination}`);
    // files attached to action-plan updates live in uploads/ beside the database
    const uploads = path.join(path.dirname(path.resolve(source)), "uploads");
    if (fs.existsSync(uploads)) {
      fs.cpSync(uploads, `${destination}.uploads`, { recursive: true });
      console.log(`Copied attachments to ${destination}.uploads`);
    }
  })
  .catch((error) => {
    console.error(`Backup failed: ${(error as Error).message}`);
    process.exit(1);
  });
