import { getDb } from "./db/client";
import { activityReport, parseReportFilters } from "./app/models/reports.server";
import { getRoster } from "./app/models/registrations.server";
const db = getDb();
const coord = db.$client.prepare("select id, role, organisation_id as organisationId, name, email from users where email='coordinator@example.org'").get() as any;
const prog = db.$client.prepare("select id from programmes where name = 'Western Hemisphere Program'").get() as any;
const period = db.$client.prepare("select min(start_date) as f, max(end_date) as l from events").get() as any;
const parsed = parseReportFilters(new URL(`http://x/reports?programmeId=${prog.id}&from=${period.f}&to=${period.l}`)) as any; const filters = parsed.filters;
let n = 0; const orig = db.$client.prepare.bind(db.$client); (db.$client as any).prepare = (s: string) => { n++; return orig(s); };
for (let i = 0; i < 3; i++) { const t = performance.now(); n = 0; const r = activityReport(coord, filters as any); console.log("report ms", (performance.now() - t).toFixed(0), "queries", n, "events", r.table.length); }
const big = db.$client.prepare("select event_id as id from registrations group by event_id order by count(*) desc limit 1").get() as any;
for (let i = 0; i < 3; i++) { const t = performance.now(); n = 0; const r = getRoster(coord, big.id); console.log("roster ms", (performance.now() - t).toFixed(0), "queries", n, "rows", r.rows.length); }
