/**
 * `npm run seed:demo`: migrate `DATABASE_PATH` (default data/app.db), then load the demo data.
 * Idempotent: when the demo accounts already exist, nothing is added.
 */
import { closeDatabase, openDatabase } from "../client";
import { seedDemo } from "./demo";

const file = process.env.DATABASE_PATH ?? "data/app.db";

async function main() {
  const db = openDatabase(file);
  try {
    const { created } = await seedDemo(db);
    console.log(created ? `Demo data loaded into ${file}` : `Demo data already present in ${file}, nothing added`);
  } finally {
    closeDatabase(db);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
