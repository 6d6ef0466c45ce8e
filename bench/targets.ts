/**
 * What the benchmark measures: the pages (paths and who asks for them) and the records they show,
 * looked up by name in a database made by db/seed/scale.ts.
 */
import fs from "node:fs";
import Database from "better-sqlite3";
import { SCALE_BENCH_EVENTS, SCALE_FLAGSHIP_PROGRAMME } from "../db/seed/scale";

export type BenchUser = "coordinator" | "participant" | "donor";

export type Targets = {
  /** a typical reported event (~30 registrations, ~10 sessions) */
  overviewEventId: number;
  bigRosterEventId: number;
  gridEventId: number;
  flagshipProgrammeId: number;
  /** an event open for registration (its public registration page) */
  openEventId: number;
  /** the whole period of the data (five years) */
  firstDay: string;
  lastDay: string;
};

export type Page = {
  name: string;
  description: string;
  path: string;
  user: BenchUser;
  /** an API address: asked with the user's API token (created on /account/tokens) instead of their session cookie */
  api?: true;
  /** p95 target in ms at scale 1 and at larger scales (issue 11) */
  budget: { small: number; large: number };
};

export function findTargets(file: string): Targets {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const one = <T>(sql: string, ...params: unknown[]) => {
      const row = db.prepare(sql).get(...params) as T | undefined;
      if (!row) throw new Error(`${file}: not benchmark data (no row for: ${sql})`);
      return row;
    };
    const eventId = (title: string) => one<{ id: number }>("SELECT id FROM events WHERE title = ?", title).id;
    const overview = one<{ id: number }>(
      `SELECT id FROM events WHERE status = 'reported' AND title NOT IN (?, ?)
       ORDER BY id LIMIT 1 OFFSET (SELECT count(*) / 2 FROM events WHERE status = 'reported')`,
      SCALE_BENCH_EVENTS.bigRoster,
      SCALE_BENCH_EVENTS.attendanceGrid,
    );
    const period = one<{ first: string; last: string }>("SELECT min(start_date) AS first, max(end_date) AS last FROM events");
    return {
      overviewEventId: overview.id,
      bigRosterEventId: eventId(SCALE_BENCH_EVENTS.bigRoster),
      gridEventId: eventId(SCALE_BENCH_EVENTS.attendanceGrid),
      flagshipProgrammeId: one<{ id: number }>("SELECT id FROM programmes WHERE name = ?", SCALE_FLAGSHIP_PROGRAMME).id,
      openEventId: one<{ id: number }>("SELECT id FROM events WHERE status = 'open' ORDER BY start_date, id LIMIT 1").id,
      firstDay: period.first,
      lastDay: period.last,
    };
  } finally {
    db.close();
  }
}

/** The reports pages exist once their route modules do (built by another issue). */
export function reportsAvailable() {
  return {
    reports: fs.existsSync("app/routes/reports._index.tsx"),
    reportsCsv: fs.existsSync("app/routes/reports[.]csv.ts") || fs.existsSync("app/routes/reports[.]csv.tsx"),
  };
}

export function benchPages(t: Targets): { pages: Page[]; skipped: string[] } {
  const normal = { small: 100, large: 150 };
  const pages: Page[] = [
    { name: "events-list", description: "events list, page 1", path: "/events", user: "coordinator", budget: normal },
    {
      name: "events-search",
      description: "events search: text + programme + past",
      path: `/events?q=trafficking&programmeId=${t.flagshipProgrammeId}&when=past`,
      user: "coordinator",
      budget: normal,
    },
    { name: "event-overview", description: "event overview", path: `/events/${t.overviewEventId}`, user: "coordinator", budget: normal },
    { name: "roster-500", description: "roster of the 500-person event", path: `/events/${t.bigRosterEventId}/roster`, user: "coordinator", budget: normal },
    { name: "attendance-40x12", description: "attendance grid, 40 × 12", path: `/events/${t.gridEventId}/attendance`, user: "coordinator", budget: normal },
    // ~1,000 paired attempts with their answers to 10 questions: per-person gains and per-question difficulty
    // the test tab, with the 200 most recent tests to copy questions from (11,000 tests at scale 10)
    { name: "test-tab-500", description: "test tab of the 500-person event", path: `/events/${t.bigRosterEventId}/tests`, user: "coordinator", budget: normal },
    { name: "test-results-500", description: "test results of the 500-person event", path: `/events/${t.bigRosterEventId}/tests/results`, user: "coordinator", budget: normal },
  ];
  const skipped: string[] = [];
  const available = reportsAvailable();
  const reportQuery = `programmeId=${t.flagshipProgrammeId}&from=${t.firstDay}&to=${t.lastDay}`;
  if (available.reports) {
    pages.push({ name: "reports", description: "programme report, five years", path: `/reports?${reportQuery}`, user: "coordinator", budget: { small: 100, large: 250 } });
  } else skipped.push("/reports (app/routes/reports._index.tsx does not exist yet)");
  if (available.reportsCsv) {
    pages.push({ name: "reports-csv", description: "programme report CSV, five years", path: `/reports.csv?${reportQuery}`, user: "coordinator", budget: normal });
  } else skipped.push("/reports.csv (app/routes/reports[.]csv.ts does not exist yet)");
  if (available.reportsCsv) {
    pages.push({ name: "reports-events-csv", description: "programme's events table CSV, five years", path: `/reports/events.csv?${reportQuery}`, user: "coordinator", budget: { small: 100, large: 250 } });
  }
  // what donor@example.org (the flagship programme's donor) sees first: every figure through the
  // disclosure control, over the default period (the whole life of the programmes it funds)
  if (available.reports) {
    pages.push({ name: "reports-donor", description: "donor's first report: its programmes, whole period, protected", path: "/reports", user: "donor", budget: { small: 100, large: 250 } });
  } else skipped.push("/reports as the donor (app/routes/reports._index.tsx does not exist yet)");
  if (available.reportsCsv) {
    pages.push({ name: "reports-csv-donor", description: "donor's report CSV, whole period, protected", path: "/reports.csv", user: "donor", budget: normal });
  } else skipped.push("/reports.csv as the donor (app/routes/reports[.]csv.ts does not exist yet)");
  if (available.reportsCsv) {
    pages.push({ name: "reports-events-csv-donor", description: "donor's events table CSV, whole period, protected", path: "/reports/events.csv", user: "donor", budget: { small: 100, large: 250 } });
  }
  pages.push({ name: "me", description: "participant's /me", path: "/me", user: "participant", budget: normal });
  // the API's lists, as an integration reads them: the first page of events, and the 500-person
  // event's roster and attendance (100 registrations a page), with the coordinator's token
  pages.push({ name: "api-events", description: "API: events, first page of 50", path: "/api/v1/events", user: "coordinator", api: true, budget: normal });
  pages.push({
    name: "api-roster-500",
    description: "API: the 500-person event's registrations, first page of 100",
    path: `/api/v1/events/${t.bigRosterEventId}/registrations?limit=100`,
    user: "coordinator",
    api: true,
    budget: normal,
  });
  pages.push({
    name: "api-attendance-500",
    description: "API: the 500-person event's attendance, first page of 100 people",
    path: `/api/v1/events/${t.bigRosterEventId}/attendance?limit=100`,
    user: "coordinator",
    api: true,
    budget: normal,
  });
  return { pages, skipped };
}
