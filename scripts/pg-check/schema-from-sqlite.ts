// A PostgreSQL schema with the column types the pg schema will have (derived from the SQLite schema)
import * as schema from "../../db/schema";
import { getTableColumns, getTableName, is } from "drizzle-orm";
import { SQLiteTable, getTableConfig } from "drizzle-orm/sqlite-core";
const out: string[] = [];
for (const table of Object.values(schema)) {
  if (!is(table, SQLiteTable)) continue;
  const config = getTableConfig(table);
  const cols = Object.values(getTableColumns(table)).map((c) => {
    const t = c.columnType;
    const mode = (c as unknown as { mode?: string }).mode;
    let type = "text";
    if (t === "SQLiteBoolean") type = "boolean";
    else if (t === "SQLiteTimestamp") type = "bigint";
    else if (t === "SQLiteInteger") type = mode === "boolean" ? "boolean" : "integer";
    else if (t === "SQLiteTextJson" || t === "SQLiteBlobJson") type = "jsonb";
    else if (t === "SQLiteReal") type = "double precision";
    else if (t === "SQLiteBlobBuffer" || t === "SQLiteBlob") type = "bytea";
    else if (t === "SQLiteBigInt") type = "bigint";
    else if (t !== "SQLiteText") type = `text /* ${t} */`;
    return `"${c.name}" ${type}${c.primary ? " primary key" : ""}`;
  });
  for (const pk of config.primaryKeys) cols.push(`primary key (${pk.columns.map((c) => `"${c.name}"`).join(", ")})`);
  out.push(`create table "${getTableName(table)}" (\n  ${cols.join(",\n  ")}\n);`);
}
console.log(out.join("\n"));
