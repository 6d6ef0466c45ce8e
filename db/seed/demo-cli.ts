/**
 * `npm run seed:demo`: migrate `DATABASE_URL` (PostgreSQL) or `DATABASE_PATH` (default
 * data/app.db), then load the demo data. Idempotent: when the demo accounts already exist, nothing is added.
 */
import { closeDatabase, closed, configuredDatabase, openDatabase, readyDb } from "../client";
import { seedDemo } from "./demo";

async function main() {
  const target = configuredDatabase();
  const file = target.description;
  const db = target.engine === "postgres" ? await readyDb() : openDatabase(target.location);
  try {
    const { created } = await seedDemo(db);
    console.log(created ? `Demo data loaded into ${file}` : `Demo data already present in ${file}, nothing added`);
  } finally {
    closeDatabase(db);
    await closed(db);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
