/** `npm run db:migrate`: apply pending migrations to DATABASE_PATH. */
import { closeDatabase, openDatabase } from "../client";

const file = process.env.DATABASE_PATH || "data/app.db";
try {
  const db = openDatabase(file);
  closeDatabase(db);
  console.log(`Migrations applied to ${file}`);
} catch (error) {
  console.error(`Convene cannot migrate: ${(error as Error).message}`);
  process.exit(1);
}
