/**
 * The schema built with pg-core tables: the entry drizzle-kit's PostgreSQL config reads
 * (drizzle.pg.config.ts). The dialect must be chosen before any schema file is evaluated, hence the
 * first import; in a process that already built the SQLite tables this entry refuses to load.
 */
import "./use-postgres";
import { schemaDialect } from "../schema/dialect";

if (schemaDialect !== "postgres") throw new Error("db/schema-pg: the SQLite tables were built first in this process");

export * from "../schema";
