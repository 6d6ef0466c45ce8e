/**
 * Imported first by commands that read a SQLite file whatever DATABASE_URL says (the copy to
 * PostgreSQL): the schema files build sqlite-core tables in this process, whose column modes
 * (boolean, instant, JSON) describe the values as SQLite stores them.
 */
(globalThis as { __conveneSchemaDialect?: string }).__conveneSchemaDialect = "sqlite";
