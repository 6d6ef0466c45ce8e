import { eq } from "drizzle-orm";
import { unzipSync, strFromU8 } from "fflate";
import { readSheet } from "read-excel-file/node";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb, firstRow } from "../../db/client";
import { events, people, users } from "../../db/schema";
import { DEMO_EVENTS, seedDemo } from "../../db/seed/demo";
import * as attendanceCsv from "~/routes/events.$eventId.attendance[.]csv";
import * as attendanceXlsx from "~/routes/events.$eventId.attendance[.]xlsx";
import * as eventsCsv from "~/routes/events[.]csv";
import * as eventsXlsx from "~/routes/events[.]xlsx";
import * as reportEventsCsv from "~/routes/reports.events[.]csv";
import * as reportEventsXlsx from "~/routes/reports.events[.]xlsx";
import * as reportsCsv from "~/routes/reports[.]csv";
import * as reportsXlsx from "~/routes/reports[.]xlsx";
import * as rosterCsv from "~/routes/events.$eventId.roster[.]csv";
import * as rosterXlsx from "~/routes/events.$eventId.roster[.]xlsx";
import { XLSX_TYPE } from "~/lib/xlsx.server";
import { call, makeRequest, rawAll, sessionCookie, unwrap } from "../setup/helpers";

/**
 * Every CSV export has an .xlsx beside it: the same readers, filters, columns and rows (read back
 * with a well-known reader, read-excel-file), typed cells (dates as dates, numbers as numbers), a
 * header row frozen in view, right to left in Arabic, text that starts like a formula kept as text
 * exactly as in the CSV, and the donors' protected figures.
 */

const TODAY = new Date("2026-11-22T12:00:00Z");
const db = () => getDb();
const cookies: Record<string, string> = {};
let vi: number;
const PERIOD = "?from=2020-01-01&to=2026-12-31";

async function eventIdOf(title: string) {
  return firstRow(await db().select({ id: events.id }).from(events).where(eq(events.title, title)).limit(1))!.id;
}

async function xlsx(result: unknown) {
  expect(result).toBeInstanceOf(Response);
  const response = result as Response;
  expect(response.status).toBe(200);
  expect(response.headers.get("Content-Type")).toBe(XLSX_TYPE);
  expect(response.headers.get("Content-Disposition")).toMatch(/attachment; filename=".+\.xlsx"/);
  expect(response.headers.get("Cache-Control")).toBe("no-store");
  const bytes = new Uint8Array(await response.arrayBuffer());
  const rows = (await readSheet(Buffer.from(bytes))) as unknown[][];
  const files = unzipSync(bytes);
  const sheetXml = strFromU8(files["xl/worksheets/sheet1.xml"]);
  return { rows, sheetXml };
}

/** The CSV's rows as text cells (the BOM and the last line end dropped). */
async function csvRows(result: unknown) {
  const text = await (result as Response).text();
  const { parse } = await import("csv-parse/sync");
  return parse(text.replace(/^\uFEFF/, "")) as string[][];
}

/** A typed cell as the CSV writes it. */
function asCsv(cell: unknown): string {
  if (cell === null || cell === undefined) return "";
  if (cell instanceof Date) {
    // a date is a fraction of days in the file: read back to within a millisecond, rounded to the second
    const iso = new Date(Math.round(cell.getTime() / 1000) * 1000).toISOString();
    return iso.endsWith("T00:00:00.000Z") ? iso.slice(0, 10) : iso.slice(0, 16).replace("T", " ");
  }
  return String(cell);
}

beforeAll(async () => {
  await seedDemo(db(), { today: TODAY });
  for (const role of ["admin", "coordinator", "facilitator", "participant", "partner", "donor"]) {
    const u = firstRow(await db().select().from(users).where(eq(users.email, `${role}@example.org`)).limit(1))!;
    cookies[role] = await sessionCookie({ id: u.id, role: u.role });
  }
  vi = await eventIdOf(DEMO_EVENTS.victimIdentification);
  // a participant whose name a spreadsheet would run as a formula
  const person = (await rawAll<{ id: number }>("select person_id as id from registrations where event_id = ? and event_role = 'participant' order by id limit 1", vi))[0];
  await db().update(people).set({ givenName: "=HYPERLINK(\"http://evil.example\")", familyName: "+Rolle" }).where(eq(people.id, Number(person.id)));
});

describe("Excel exports", () => {
  it("gives the events list with the CSV's rows, days as dates and counts as numbers, the header frozen", async () => {
    const { rows, sheetXml } = await xlsx(await call(eventsXlsx.loader, makeRequest("/events.xlsx?status=all", { cookie: cookies.coordinator })));
    const csv = await csvRows(await call(eventsCsv.loader, makeRequest("/events.csv?status=all", { cookie: cookies.coordinator })));
    expect(rows.length).toBe(csv.length);
    expect(rows[0]).toEqual(csv[0]);
    const startDay = csv[0].indexOf("start date");
    expect(startDay).toBeGreaterThan(0);
    for (const [i, row] of rows.slice(1).entries()) {
      expect(typeof row[0]).toBe("number"); // the id
      expect(row[startDay]).toBeInstanceOf(Date);
      expect(row.map(asCsv)).toEqual(csv[i + 1].map((c, j) => (c === "" && row[j] === null ? "" : c)));
    }
    expect(sheetXml).toMatch(/<pane [^>]*ySplit="1"[^>]*state="frozen"/);
    expect(sheetXml).not.toContain('rightToLeft="1"');
  });

  it("gives the roster with text that looks like a formula kept as text, exactly as the CSV writes it, and audits the export", async () => {
    const { rows, sheetXml } = await xlsx(await call(rosterXlsx.loader, makeRequest(`/events/${vi}/roster.xlsx`, { cookie: cookies.coordinator }), { eventId: String(vi) }));
    const csv = await csvRows(await call(rosterCsv.loader, makeRequest(`/events/${vi}/roster.csv`, { cookie: cookies.coordinator }), { eventId: String(vi) }));
    expect(rows.map((r) => r.map(asCsv))).toEqual(csv);
    const evil = rows.find((r) => String(r[0]).includes("HYPERLINK"))!;
    expect(evil[0]).toBe("'=HYPERLINK(\"http://evil.example\")");
    expect(evil[1]).toBe("'+Rolle");
    expect(sheetXml).not.toMatch(/<f>/); // no formula anywhere
    const audits = await rawAll<{ details: string }>("select cast(details as text) as details from audit_log where action = 'export.roster' order by id");
    expect(audits.map((a) => JSON.parse(a.details).format)).toEqual(["xlsx", "csv"]);
  });

  it("gives the attendance with session times as dates and times, totals as numbers", async () => {
    const { rows } = await xlsx(await call(attendanceXlsx.loader, makeRequest(`/events/${vi}/attendance.xlsx`, { cookie: cookies.coordinator }), { eventId: String(vi) }));
    const csv = await csvRows(await call(attendanceCsv.loader, makeRequest(`/events/${vi}/attendance.csv`, { cookie: cookies.coordinator }), { eventId: String(vi) }));
    expect(rows.map((r) => r.map(asCsv))).toEqual(csv);
    const first = rows[1];
    expect(first[4]).toBeInstanceOf(Date);
    expect((first[4] as Date).getUTCHours() + (first[4] as Date).getUTCMinutes()).toBeGreaterThan(0);
    const total = rows[rows.length - 1];
    expect(typeof total[9]).toBe("number");
    expect(typeof total[10]).toBe("number");
  });

  it("gives a donor the summary and its events with the same protected figures as the CSV, right to left in Arabic", async () => {
    const summary = await xlsx(await call(reportsXlsx.loader, makeRequest(`/reports.xlsx${PERIOD}`, { cookie: cookies.donor })));
    const summaryCsv = await csvRows(await call(reportsCsv.loader, makeRequest(`/reports.csv${PERIOD}`, { cookie: cookies.donor })));
    // the production time differs by the milliseconds between the two calls: compare the rest
    const produced = (rows: string[][]) => rows.findIndex((r) => r[1] === "Date and time (UTC)");
    const sheet = summary.rows.map((r) => r.map(asCsv));
    expect(sheet.filter((_, i) => i !== produced(sheet))).toEqual(summaryCsv.filter((_, i) => i !== produced(summaryCsv)));
    expect(summary.rows[produced(sheet)][2]).toBeInstanceOf(Date);
    expect(sheet.some((r) => r[2] === "<5")).toBe(true);

    const evs = await xlsx(await call(reportEventsXlsx.loader, makeRequest(`/reports/events.xlsx${PERIOD}`, { cookie: cookies.donor })));
    const evsCsv = await csvRows(await call(reportEventsCsv.loader, makeRequest(`/reports/events.csv${PERIOD}`, { cookie: cookies.donor })));
    expect(evs.rows.map((r) => r.map(asCsv))).toEqual(evsCsv);

    const arabic = await xlsx(await call(reportsXlsx.loader, makeRequest(`/reports.xlsx${PERIOD}`, { cookie: cookies.donor, headers: { "Accept-Language": "ar" } })));
    expect(arabic.sheetXml).toContain('rightToLeft="1"');
    const audits = await rawAll<{ details: string }>("select cast(details as text) as details from audit_log where action = 'export.report' order by id");
    expect(audits.map((a) => JSON.parse(a.details).format)).toEqual(expect.arrayContaining(["xlsx", "xlsx-events"]));
  });

  it("refuses every Excel export to those who may not have its CSV", async () => {
    const personal = [
      [eventsXlsx.loader, "/events.xlsx", {}],
      [rosterXlsx.loader, `/events/${vi}/roster.xlsx`, { eventId: String(vi) }],
      [attendanceXlsx.loader, `/events/${vi}/attendance.xlsx`, { eventId: String(vi) }],
    ] as const;
    for (const [loader, path, params] of personal) {
      expect(unwrap(await call(loader, makeRequest(path), params)).status).toBe(302); // to the login
      for (const role of ["facilitator", "participant", "partner", "donor"]) {
        expect(unwrap(await call(loader, makeRequest(path, { cookie: cookies[role] }), params)).status, `${role} ${path}`).toBe(403);
      }
    }
    for (const [loader, path] of [
      [reportsXlsx.loader, `/reports.xlsx${PERIOD}`],
      [reportEventsXlsx.loader, `/reports/events.xlsx${PERIOD}`],
    ] as const) {
      expect(unwrap(await call(loader, makeRequest(path))).status).toBe(302);
      for (const role of ["facilitator", "participant"]) expect(unwrap(await call(loader, makeRequest(path, { cookie: cookies[role] }))).status).toBe(403);
    }
    // a roster of an event that does not exist, and junk ids
    expect(unwrap(await call(rosterXlsx.loader, makeRequest("/events/999999/roster.xlsx", { cookie: cookies.coordinator }), { eventId: "999999" })).status).toBe(404);
    expect(unwrap(await call(rosterXlsx.loader, makeRequest("/events/x/roster.xlsx", { cookie: cookies.coordinator }), { eventId: "1e9999" })).status).toBe(404);
    // a donor asking for a programme it does not fund
    expect(unwrap(await call(reportsXlsx.loader, makeRequest(`/reports.xlsx${PERIOD}&programmeId=999999`, { cookie: cookies.donor }))).status).toBe(403);
  });
});
