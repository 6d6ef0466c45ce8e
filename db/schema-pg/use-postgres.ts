/** Imported first by db/schema-pg: the schema files build pg-core tables in this process. */
(globalThis as { __conveneSchemaDialect?: string }).__conveneSchemaDialect = "postgres";
