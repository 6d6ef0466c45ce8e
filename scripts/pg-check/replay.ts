// Run each recorded statement on SQLite and PostgreSQL (same data), compare the rows
import fs from "node:fs";
import Database from "better-sqlite3";
import pg from "pg";
const WORK = process.env.PG_CHECK_DIR ?? "/tmp/convene-pg-check";
fs.copyFileSync(process.argv[2], `${WORK}/replay.db`);
const log = JSON.parse(fs.readFileSync(`${WORK}/drive.json`, "utf8")) as { sqlite: string; sqliteParams: unknown[]; pg: string; pgParams: unknown[]; where?: string }[];
const sqlite = new Database(`${WORK}/replay.db`);
const types = { getTypeParser: (oid: number, format?: "text" | "binary") => (oid === 20 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format)) };
const client = new pg.Client({ connectionString: process.env.CHECK_URL, types: types as pg.CustomTypesConfig });
await client.connect();
const norm = (v: unknown): unknown => {
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v === "string" && /^[[{]/.test(v)) { try { return JSON.stringify(JSON.parse(v)); } catch { return v; } }
  if (v !== null && typeof v === "object") return JSON.stringify(v);
  return v;
};
const rowsOf = (rows: unknown[][]) => rows.map((r) => JSON.stringify(r.map(norm)));
const seen = new Set<string>();
let compared = 0, same = 0;
for (const e of log) {
  const text = e.sqlite.trim();
  const isRead = /^(select|with)\b/i.test(text);
  let a: string[] = [], b: string[] = [];
  let errA = "", errB = "";
  try {
    const st = sqlite.prepare(text);
    if (st.reader) a = rowsOf((st.raw(true).all(...(e.sqliteParams as never[]))) as unknown[][]);
    else st.run(...(e.sqliteParams as never[]));
  } catch (error) { errA = String(error); }
  try {
    const r = await client.query({ text: e.pg.replace(/^begin immediate/i, "begin"), values: e.pgParams as unknown[], rowMode: "array" });
    b = rowsOf((r.rows ?? []) as unknown[][]);
  } catch (error) { errB = String(error); }
  if (!isRead && !errA && !errB) continue;
  const key = e.pg + JSON.stringify(e.pgParams);
  if (seen.has(key)) continue;
  seen.add(key);
  compared++;
  const ordered = /order by/i.test(text);
  const A = ordered ? a : [...a].sort(), B = ordered ? b : [...b].sort();
  if (errA || errB || JSON.stringify(A) !== JSON.stringify(B)) {
    console.log(`\n### DIFF ${e.where ?? ""}\n  ${e.pg.replace(/\s+/g, " ").slice(0, 400)}\n  sqlite: ${errA || JSON.stringify(A).slice(0, 400)}\n  pg:     ${errB || JSON.stringify(B).slice(0, 400)}`);
    if (errB.includes("aborted")) { await client.query("rollback"); }
  } else same++;
}
console.log(`\ncompared ${compared}, same ${same}`);
await client.end();
