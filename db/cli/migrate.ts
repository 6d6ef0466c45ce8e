/** `npm run db:migrate`: apply pending migrations to DATABASE_URL (PostgreSQL) or DATABASE_PATH (SQLite). */
import { closeDatabase, configuredDatabase, migratePostgres, openDatabase } from "../client";

try {
  const target = configuredDatabase();
  if (target.engine === "postgres") await migratePostgres(target.location);
  else closeDatabase(openDatabase(target.location));
  console.log(`Migrations applied (${target.description})`);
} catch (error) {
  console.error(`Convene cannot migrate: ${(error as Error).message}`);
  process.exit(1);
}
