// PREPARE every captured statement on PostgreSQL (syntax, names, types), report failures
import fs from "node:fs";
import pg from "pg";
const WORK = process.env.PG_CHECK_DIR ?? "/tmp/convene-pg-check";
const dir = WORK;
const texts = new Map<string, string>();
for (const f of fs.readdirSync(dir).filter((f) => f.startsWith("captured-"))) {
  for (const line of fs.readFileSync(`${dir}/${f}`, "utf8").split("\n")) {
    if (!line) continue;
    const r = JSON.parse(line);
    if (r.error) console.log("RENDER ERROR", r.error, r.sqlite.slice(0, 200));
    else texts.set(r.text, r.sqlite);
  }
}
const client = new pg.Client({ connectionString: process.env.CHECK_URL });
await client.connect();
await client.query("drop schema if exists public cascade; create schema public");
await client.query(fs.readFileSync(`${WORK}/schema.sql`, "utf8"));
let ok = 0, skipped = 0;
const failures = new Map<string, string[]>();
const sorted = [...texts.keys()].sort((a, b) => Number(/report_part/.test(a) && !/^create/i.test(a)) - Number(/report_part/.test(b) && !/^create/i.test(b)));
for (const text of sorted) {
  let body = text.trim().replaceAll("(cast(unixepoch('subsec') * 1000 as integer))", "0");
  if (!/^(select|with|insert|update|delete|create temporary table report_part as)/i.test(body)) { skipped++; if (process.env.SHOW_SKIPPED) console.log("SKIP", body.slice(0, 80).replace(/\s+/g, " ")); continue; }
  const temp = /^create temporary table report_part as/i.test(body);
  if (temp) body = body.replace(/^create temporary table report_part as/i, "");
  try {
    await client.query("deallocate all");
    await client.query(`prepare p as ${body}`);
    if (temp) {
      const { rows } = await client.query("select cardinality(parameter_types) as n from pg_prepared_statements where name = 'p'");
      await client.query("drop table if exists report_part");
      await client.query(`create temp table report_part as execute p(${Array(rows[0].n).fill("null").join(", ")}) with no data`);
    }
    ok++;
  } catch (error) {
    const message = (error as Error).message;
    failures.set(message, [...(failures.get(message) ?? []), text]);
  }
}
console.log(`prepared ${ok}, skipped ${skipped}, failed ${[...failures.values()].reduce((n, l) => n + l.length, 0)}`);
for (const [message, list] of failures) {
  console.log(`\n=== ${message} (${list.length})`);
  for (const t of list.slice(0, 2)) console.log("  ", t.replace(/\s+/g, " ").slice(0, 600));
}
await client.end();
