import { defineConfig } from "drizzle-kit";

/** PostgreSQL: the same tables (db/schema-pg builds them with pg-core), migrations in db/migrations-pg. */
export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema-pg/index.ts",
  out: "./db/migrations-pg",
  dbCredentials: { url: process.env.DATABASE_URL ?? "postgres://localhost/convene" },
  strict: true,
});
