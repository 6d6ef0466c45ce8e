import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb, statementCount } from "../../db/client";
import { setClock } from "~/lib/clock";
import { dayInZone } from "~/lib/format";
import * as home from "~/routes/_index";
import * as actionPlansPage from "~/routes/action-plans";
import * as roster from "~/routes/events.$eventId.roster";
import * as reports from "~/routes/reports._index";
import * as grid from "~/routes/events.$eventId.attendance";
import { call, createOrganisation, createUser, makeRequest, rawAll, rawGet, rawRun, sessionCookie, unwrap } from "../setup/helpers";

/**
 * Issue 11: no query per row. The pages that show many rows must run the same number of SQL
 * statements for a small event and a large one (and for a report over a few events or many);
 * the roster shows one page of 100 rows with the counts of all of them; /action-plans one page of
 * 50 officer rows with the figures of all the agency's plans.
 */

let cookie: string;
let programmeId: number;
const small = { eventId: 0 };
const large = { eventId: 0 };

/** An event with `people` confirmed participants, `sessions` sessions and a mark for each. */
async function makeEvent(title: string, people: number, sessions: number, organisationId: number) {
  const eventId = Number(
    (await rawGet<{ id: number }>(`insert into events (title, type, programme_id, country, time_zone, start_date, end_date, status)
         values (?, 'training', ?, 'BS', 'America/Nassau', '2025-03-10', '2025-03-12', 'reported') returning id`, title, programmeId))!.id,
  );
  const sessionIds: number[] = [];
  for (let s = 0; s < sessions; s++) {
    const start = Date.UTC(2025, 2, 10 + (s % 3), 13 + s);
    sessionIds.push(Number((await rawGet<{ id: number }>("insert into event_sessions (event_id, title, starts_at, ends_at) values (?, ?, ?, ?) returning id", eventId, `S${s}`, start, start + 3600_000))!.id));
  }
  for (let p = 0; p < people; p++) {
    const personId = Number(
      (await rawGet<{ id: number }>("insert into people (given_name, family_name, email, sex, organisation_id) values (?, ?, ?, ?, ?) returning id", `Given${p}`, `${title}-${String(p).padStart(4, "0")}`, `${title}-${p}@example.test`.toLowerCase(), p % 2 ? "female" : "male", organisationId))!.id,
    );
    const registrationId = Number(
      (await rawGet<{ id: number }>("insert into registrations (event_id, person_id, status, status_changed_at) values (?, ?, 'confirmed', 0) returning id", eventId, personId))!.id,
    );
    for (const sessionId of sessionIds) {
      await rawRun("insert into attendance (registration_id, session_id, status, recorded_at) values (?, ?, ?, 0)", registrationId, sessionId, p % 5 ? "present" : "absent");
    }
  }
  return eventId;
}

/** How many SQL statements `run` runs, on either connection (reads outside a transaction go to the reading one). */
async function counted<T>(run: () => Promise<T>) {
  const before = statementCount();
  const result = await run();
  return { n: statementCount() - before, result };
}

beforeAll(async () => {
  const agency = await createOrganisation("Queries Agency", "government_partner");
  programmeId = Number((await rawGet<{ id: number }>("insert into programmes (name) values ('Queries Programme') returning id"))!.id);
  const coordinator = await createUser({ role: "coordinator" });
  cookie = await sessionCookie(coordinator);
  small.eventId = await makeEvent("Small", 5, 2, agency.id);
  large.eventId = await makeEvent("Large", 250, 12, agency.id);
});

const rosterPage = async (eventId: number, query = "") =>
  await counted(async () => unwrap(await call(roster.loader, makeRequest(`/events/${eventId}/roster${query}`, { cookie }), { eventId: String(eventId) })));

describe("queries per page", () => {
  it("the roster runs as many statements for 250 people as for 5", async () => {
    const a = await rosterPage(small.eventId);
    const b = await rosterPage(large.eventId);
    expect(a.result.data.rows).toHaveLength(5);
    expect(b.result.data.rows).toHaveLength(100);
    expect(a.n).toBeGreaterThan(2);
    expect(b.n).toBe(a.n);
    expect(b.n).toBeLessThanOrEqual(15);
  });

  it("the attendance grid runs as many statements for 250 people × 12 sessions as for 5 × 2", async () => {
    const page = async (eventId: number) => await counted(async () => unwrap(await call(grid.loader, makeRequest(`/events/${eventId}/attendance`, { cookie }), { eventId: String(eventId) })));
    const a = await page(small.eventId);
    const b = await page(large.eventId);
    expect(b.result.status).toBe(200);
    expect(b.n).toBe(a.n);
  });

  it("a report runs as many statements over many events as over one", async () => {
    const report = async (query: string) => await counted(async () => unwrap(await call(reports.loader, makeRequest(`/reports?${query}`, { cookie }))));
    // one event (a country with only the small one), then the programme's two, then more events
    const one = await report(`programmeId=${programmeId}&from=2025-01-01&to=2025-12-31&country=BS`);
    expect(one.result.data.report.table.length).toBeGreaterThanOrEqual(2);
    const agency = await createOrganisation("Queries Agency 2", "government_partner");
    for (let i = 0; i < 8; i++) await makeEvent(`More${i}`, 10, 3, agency.id);
    const many = await report(`programmeId=${programmeId}&from=2025-01-01&to=2025-12-31&country=BS`);
    expect(many.result.data.report.table.length).toBe(one.result.data.report.table.length + 8);
    expect(many.n).toBe(one.n);
  });
});

describe("the roster page", () => {
  it("shows 100 rows a page, the counts of everyone, and the next pages", async () => {
    const first = (await rosterPage(large.eventId)).result.data;
    expect(first.page).toBe(1);
    expect(first.pageCount).toBe(3);
    expect(first.matching).toBe(250);
    expect(first.counts.byStatus).toEqual([{ key: "confirmed", n: 250 }]);
    const third = (await rosterPage(large.eventId, "?page=3")).result.data;
    expect(third.rows).toHaveLength(50);
    expect(third.firstRow).toBe(201);
    // every person appears on exactly one page, in name order
    const second = (await rosterPage(large.eventId, "?page=2")).result.data;
    const names = [...first.rows, ...second.rows, ...third.rows].map((r: { familyName: string }) => r.familyName);
    expect(new Set(names).size).toBe(250);
    expect(names).toEqual([...names].sort());
  });

  it("keeps to the last page for a page beyond it, and the first for nonsense", async () => {
    expect((await rosterPage(large.eventId, "?page=99")).result.data.page).toBe(3);
    expect((await rosterPage(large.eventId, "?page=-2")).result.data.page).toBe(1);
    expect((await rosterPage(large.eventId, "?page=abc")).result.data.page).toBe(1);
  });

  it("pages the filtered rows (and the export link keeps the filters, not the page)", async () => {
    const women = (await rosterPage(large.eventId, "?sex=female&page=2")).result.data;
    expect(women.matching).toBe(125);
    expect(women.pageCount).toBe(2);
    expect(women.rows).toHaveLength(25);
    expect(women.query).toBe("?sex=female");
  });

  it("lists the 12 largest organisations in the breakdown and counts the others", async () => {
    const people = (await rawAll<{ id: number }>("select person_id as id from registrations where event_id = ? limit 15", large.eventId));
    for (const [i, p] of people.entries()) {
      const org = await createOrganisation(`Small agency ${String(i).padStart(2, "0")}`, "government_partner");
      await rawRun("update people set organisation_id = ? where id = ?", org.id, p.id);
    }
    const data = (await rosterPage(large.eventId)).result.data;
    expect(data.counts.byOrganisation).toHaveLength(12);
    expect(data.counts.byOrganisation[0]).toEqual({ key: "Queries Agency", n: 235 });
    expect(data.moreOrganisations).toBe(4);
  });

  it("counts, from one grouped statement, exactly what a GROUP BY per breakdown counts, for a mixed roster", async () => {
    const eventId = await makeEvent("Mixed", 60, 1, (await createOrganisation("Mixed Agency", "government_partner")).id);
    const other = await createOrganisation("Other Agency", "government_partner");
    const statuses = ["confirmed", "waitlisted", "applied", "nominated", "cancelled", "declined", "confirmed"];
    const registrationsOf = (await rawAll<{ id: number; personId: number }>('select r.id, r.person_id as "personId" from registrations r where r.event_id = ? order by r.id', eventId));
    for (const [i, r] of registrationsOf.entries()) {
      await rawRun("update registrations set status = ?, event_role = ? where id = ?", statuses[i % statuses.length], i % 11 === 0 ? "facilitator" : "participant", r.id);
      await rawRun("update people set sex = ?, role_category = ?, organisation_id = ? where id = ?", [null, "female", "male"][i % 3],
        [null, "immigration_officer", "police_specialist", "other"][i % 4],
        i % 5 === 0 ? null : i % 2 ? other.id : null,
        r.personId,);
    }
    const seat = "('confirmed','nominated','applied','waitlisted')";
    const from = "from registrations r join people p on p.id = r.person_id left join organisations o on o.id = p.organisation_id where r.event_id = ?";
    const grouped = async (key: string, where: string) =>
      (await rawAll<Record<string, unknown>>(`select ${key} as key, count(*) as n ${from} ${where} group by ${key} order by ${key} nulls first`, eventId));
    const { counts, matching } = (await rosterPage(eventId)).result.data;
    expect(counts.byStatus).toEqual(await grouped("r.status", ""));
    expect(counts.byRole).toEqual(await grouped("r.event_role", `and r.status in ${seat}`));
    const seated = `and r.status in ${seat} and r.event_role = 'participant'`;
    expect(counts.bySex).toEqual(await grouped("p.sex", seated));
    expect(counts.byRoleCategory).toEqual(await grouped("p.role_category", seated));
    expect([...counts.byOrganisation].sort((a, b) => (a.key ?? "").localeCompare(b.key ?? ""))).toEqual(await grouped("coalesce(o.name, '')", seated));
    expect(counts.bySex.some((c: { key: string | null }) => c.key === null)).toBe(true);
    expect(matching).toBe(60);
    const cancelled = (await rosterPage(eventId, "?status=cancelled")).result.data;
    expect(cancelled.matching).toBe(((await grouped("r.status", "and r.status = 'cancelled'"))[0] as { n: number }).n);
  });

  it("keeps the counts until the data changes, and shows a change at once", async () => {
    const first = await rosterPage(large.eventId);
    const again = await rosterPage(large.eventId);
    expect(again.n).toBe(first.n - 1); // the grouped statement is not run again
    expect(again.result.data.counts).toEqual(first.result.data.counts);
    const one = (await rawGet<{ id: number }>("select id from registrations where event_id = ? and status = 'confirmed' limit 1", large.eventId))!;
    await rawRun("update registrations set status = 'cancelled' where id = ?", one.id);
    const after = (await rosterPage(large.eventId)).result.data;
    const n = (list: { key: string | null; n: number }[], key: string) => list.find((c) => c.key === key)?.n ?? 0;
    expect(n(after.counts.byStatus, "cancelled")).toBe(n(first.result.data.counts.byStatus, "cancelled") + 1);
    expect(n(after.counts.byStatus, "confirmed")).toBe(n(first.result.data.counts.byStatus, "confirmed") - 1);
    await rawRun("update registrations set status = 'confirmed' where id = ?", one.id);
  });

  it("sends the browser only what the table shows: no email, phone, needs or nationality", async () => {
    const { rows } = (await rosterPage(small.eventId)).result.data;
    expect(Object.keys(rows[0]).sort()).toEqual(
      ["anonymised", "attended", "completed", "counted", "eventRole", "familyName", "givenName", "id", "nominatedBy", "organisationName", "personId", "position", "roleCategory", "sex", "status"].sort(),
    );
  });
});

describe("the summary's events table", () => {
  const size = reports.REPORT_TABLE_PAGE_SIZE;

  it("shows 20 events a page while the figures count them all", async () => {
    expect(size).toBe(20);
    const agency = await createOrganisation("Queries Agency 3", "government_partner");
    for (let i = 0; i < 55; i++) await makeEvent(`Paged${String(i).padStart(2, "0")}`, 1, 1, agency.id);
    const query = `programmeId=${programmeId}&from=2025-01-01&to=2025-12-31`;
    const first = unwrap(await call(reports.loader, makeRequest(`/reports?${query}`, { cookie }))).data;
    const total = first.report.events.total;
    expect(total).toBeGreaterThan(55);
    expect(first.report.table).toHaveLength(size);
    expect(first.table).toEqual({ page: 1, pageCount: Math.ceil(total / size), first: 1, total });
    const second = unwrap(await call(reports.loader, makeRequest(`/reports?${query}&page=2`, { cookie }))).data;
    expect(second.table.first).toBe(size + 1);
    expect(second.report.table.map((e: { id: number }) => e.id)).not.toContain(first.report.table[0].id);
    const last = unwrap(await call(reports.loader, makeRequest(`/reports?${query}&page=99`, { cookie }))).data;
    expect(last.table.page).toBe(Math.ceil(total / size));
    expect(last.report.table).toHaveLength(total - size * (last.table.page - 1));
    expect(last.report.events.total).toBe(total);
    // the exports' links carry the filters, not the page
    expect(last.query).not.toContain("page");
  });

  it("sends the browser what the page shows and nothing more", async () => {
    const agency = await createOrganisation("Queries Agency 4", "government_partner");
    const earlier = await makeEvent("Earlier", 1, 1, agency.id);
    await rawRun("update events set start_date = '2021-05-10', end_date = '2021-05-12' where id = ?", earlier);
    const query = `programmeId=${programmeId}&from=2021-01-01&to=2025-12-31`;
    const { report, table } = unwrap(await call(reports.loader, makeRequest(`/reports?${query}`, { cookie }))).data;
    expect(Object.keys(report).sort()).toEqual(
      ["actionPlans", "attendanceRate", "certificates", "completionRate", "empty", "events", "followUps", "gcmObjectives", "knowledge", "participants", "period", "protected", "satisfaction", "table", "trainingDays"].sort(),
    );
    expect(report.period).toEqual({ from: "2021-01-01", to: "2025-12-31" });
    // one page of rows, each with the columns of the table
    expect(report.table).toHaveLength(Math.min(size, table.total));
    for (const row of report.table) {
      expect(Object.keys(row).sort()).toEqual(
        ["attendanceRate", "completionRate", "counted", "country", "days", "endDate", "id", "locality", "participants", "startDate", "status", "title", "type", "women"].sort(),
      );
    }
    // shares as precisely as the page writes them (72.2%), not 0.7222222222222222
    const shares = [report.attendanceRate, report.completionRate, report.actionPlans.validatedShare, ...report.table.flatMap((e: { attendanceRate: number | null; completionRate: number | null }) => [e.attendanceRate, e.completionRate])];
    expect(shares.some((share) => typeof share === "number" && share > 0 && share < 1)).toBe(true);
    for (const share of shares) if (share !== null) expect(share).toBe(Math.round(share * 1000) / 1000);
    // five years of months are drawn by year: the years, not sixty months
    expect(report.events.timeline.by).toBe("year");
    expect(report.events.timeline.lines.map((l: { key: string }) => l.key)).toEqual(["2021", "2022", "2023", "2024", "2025"]);
    expect(report.events).not.toHaveProperty("byMonth");
    // a breakdown line names its organisation; the others are keys the page translates
    expect(Object.keys(report.participants.byOrganisation.lines[0]).sort()).toEqual(["count", "key", "name"]);
    for (const dimension of ["bySex", "byRole", "byNationality"]) {
      for (const line of report.participants[dimension].lines) expect(Object.keys(line).sort()).toEqual(["count", "key"]);
    }
    // the learning section: at most a chart's worth of groups a breakdown, the rest in the exports
    for (const dimension of ["bySex", "byRole", "byOrganisation"]) {
      expect(Object.keys(report.knowledge[dimension]).sort()).toEqual(["lines", "more"]);
      expect(report.knowledge[dimension].lines.length).toBeLessThanOrEqual(20);
    }
    expect(report.satisfaction.questions).toHaveLength(5);
  });
});

describe("the summary's partner filter", () => {
  it("lists partners when there are few, and asks for a country first when there are thousands", async () => {
    const query = `programmeId=${programmeId}&from=2025-01-01&to=2025-12-31`;
    const before = unwrap(await call(reports.loader, makeRequest(`/reports?${query}`, { cookie }))).data.options;
    expect(before.partnersByCountry).toBe(false);
    // 201 more partner agencies, of events in Jamaica
    const agency = await createOrganisation("Queries Agency JM", "government_partner", "JM");
    const jamaica = await makeEvent("Jamaica", 1, 1, agency.id);
    await rawRun("update events set country = 'JM' where id = ?", jamaica);
    let lastId = 0;
    for (let i = 0; i < 201; i++) {
      lastId = (await createOrganisation(`Partner ${String(i).padStart(3, "0")}`, "government_partner", "JM")).id;
      await rawRun("insert into event_partners (event_id, organisation_id) values (?, ?)", jamaica, lastId);
    }
    const many = unwrap(await call(reports.loader, makeRequest(`/reports?${query}`, { cookie }))).data.options;
    expect(many.partnersByCountry).toBe(true);
    expect(many.partners).toEqual([]);
    const chosen = unwrap(await call(reports.loader, makeRequest(`/reports?${query}&partnerId=${lastId}`, { cookie }))).data.options;
    expect(chosen.partners).toEqual([{ id: lastId, name: "Partner 200" }]);
    const bahamas = unwrap(await call(reports.loader, makeRequest(`/reports?${query}&country=BS`, { cookie }))).data.options;
    expect(bahamas.partnersByCountry).toBe(false);
    expect(bahamas.partners.every((p: { name: string }) => !p.name.startsWith("Partner "))).toBe(true);
    // a chosen country lists all of its partners, however many
    const jamaicaOptions = unwrap(await call(reports.loader, makeRequest(`/reports?${query}&country=JM`, { cookie }))).data.options;
    expect(jamaicaOptions.partnersByCountry).toBe(false);
    expect(jamaicaOptions.partners.filter((p: { name: string }) => p.name.startsWith("Partner "))).toHaveLength(201);
  });
});

describe("the /action-plans overview", () => {
  // 11:00 UTC today: already tomorrow on Kiritimati (UTC+14), still this morning in Nassau
  const real = new Date();
  const at = Date.UTC(real.getUTCFullYear(), real.getUTCMonth(), real.getUTCDate(), 11);
  const ZONES = ["America/Nassau", "Pacific/Kiritimati"];
  const STATUSES = ["planned", "in_progress", "done", "blocked", "done"] as const;
  const agencies = { small: 0, large: 0, other: 0 };
  const cookies: Record<string, string> = {};
  /** every item written, with its plan's agency officers and its event's zone, to count the expected figures */
  const written: { planId: number; orgs: Set<number>; zone: string; status: string; targetDate: string | null; validated: boolean }[] = [];
  const planRows: { id: number; title: string; startDate: string; eventId: number; officers: { id: number; family: string; given: string; org: number }[] }[] = [];

  /** `plans` plans on two trainings (one per zone), each by two officers of the agency and one of `other`. */
  async function makePlans(organisationId: number, plans: number, prefix: string) {
    const eventIds: number[] = [];
    for (const [z, zone] of ZONES.entries()) {
      eventIds.push(Number(
        (await rawGet<{ id: number }>(`insert into events (title, type, programme_id, country, time_zone, start_date, end_date, status)
             values (?, 'training', ?, 'BS', ?, ?, ?, 'completed') returning id`, `${prefix} training ${z}`, programmeId, zone, `2025-0${z + 4}-01`, `2025-0${z + 4}-03`))!.id,
      ));
    }
    const person = async (org: number, family: string, given: string) =>
      Number((await rawGet<{ id: number }>("insert into people (given_name, family_name, organisation_id) values (?, ?, ?) returning id", given, family, org))!.id);
    for (let i = 0; i < plans; i++) {
      const z = i % 2;
      const eventId = eventIds[z];
      const title = `${prefix} plan ${String(plans - i).padStart(3, "0")}`;
      const planId = Number(
        (await rawGet<{ id: number }>("insert into action_plans (event_id, title, status, submitted_at) values (?, ?, ?, ?) returning id", eventId, title, i % 3 ? "submitted" : "draft", i % 3 ? at : null))!.id,
      );
      const officerRows = [
        { family: `${prefix}-Officer${String(i).padStart(3, "0")}`, given: "Beta", org: organisationId },
        { family: `${prefix}-Officer${String(i).padStart(3, "0")}`, given: "Alpha", org: organisationId },
        { family: `${prefix}-Outsider${i}`, given: "Gamma", org: agencies.other },
      ];
      const officers: { id: number; family: string; given: string; org: number }[] = [];
      for (const o of officerRows) officers.push({ ...o, id: await person(o.org, o.family, o.given) });
      for (const o of officers) await rawRun("insert into action_plan_members (plan_id, person_id) values (?, ?)", planId, o.id);
      planRows.push({ id: planId, title, startDate: `2025-0${z + 4}-01`, eventId, officers });
      // items due yesterday, today and tomorrow in UTC, and without a date: overdue depends on the zone
      const days = [-1, 0, 1, null].map((d) => (d === null ? null : new Date(at + d * 86_400_000).toISOString().slice(0, 10)));
      for (const [k, targetDate] of days.entries()) {
        const status = STATUSES[(i + k) % STATUSES.length];
        const validated = status === "done" && (i + k) % 2 === 0;
        const itemId = Number(
          (await rawGet<{ id: number }>("insert into action_plan_items (plan_id, position, action, target_date, status, validated_at) values (?, ?, ?, ?, ?, ?) returning id", planId, k, `Action ${k}`, targetDate, status, validated ? at : null))!.id,
        );
        written.push({ planId, orgs: new Set([organisationId, agencies.other]), zone: ZONES[z], status, targetDate, validated });
        if (k === 0 && i % 4 === 0) await rawRun("insert into action_plan_updates (item_id, note, created_at) values (?, 'Progress', ?)", itemId, at - i * 60_000);
      }
    }
  }

  function expectedFigures(items: typeof written, when = at) {
    const overdue = (i: (typeof written)[number]) => i.status !== "done" && i.targetDate !== null && i.targetDate < dayInZone(new Date(when), i.zone);
    return {
      total: items.length,
      planned: items.filter((i) => i.status === "planned").length,
      in_progress: items.filter((i) => i.status === "in_progress").length,
      done: items.filter((i) => i.status === "done").length,
      blocked: items.filter((i) => i.status === "blocked").length,
      overdue: items.filter(overdue).length,
      validated: items.filter((i) => i.validated).length,
      awaitingValidation: items.filter((i) => i.status === "done" && !i.validated).length,
    };
  }

  const overview = async (cookie: string, query = "") =>
    await counted(async () => unwrap(await call(actionPlansPage.loader, makeRequest(`/action-plans${query}`, { cookie }))));

  beforeAll(async () => {
    setClock(() => at);
    agencies.small = (await createOrganisation("Plans Agency Small", "government_partner")).id;
    agencies.large = (await createOrganisation("Plans Agency Large", "government_partner")).id;
    agencies.other = (await createOrganisation("Plans Agency Other", "government_partner")).id;
    await makePlans(agencies.small, 2, "Small");
    await makePlans(agencies.large, 60, "Large");
    for (const key of ["small", "large"] as const) cookies[key] = await sessionCookie(await createUser({ role: "partner", organisationId: agencies[key] }));
    // the coordinator's session was made at the real time: the first request after the clock moved
    // to 11:00 records its use (at most every 5 minutes), a write that is not the page's own
    await overview(cookie);
  });

  afterAll(() => setClock(null));

  it("runs as many statements for an agency with 60 plans as for one with 2, for the partner and for a coordinator", async () => {
    const a = await overview(cookies.small);
    const b = await overview(cookies.large);
    expect(a.result.data.officers).toHaveLength(4);
    expect(b.result.data.officers).toHaveLength(50);
    expect(b.n).toBe(a.n);
    expect(b.n).toBeLessThanOrEqual(12);
    const c = await overview(cookie, `?organisationId=${agencies.small}`);
    const d = await overview(cookie, `?organisationId=${agencies.large}&page=3`);
    expect(d.result.data.page).toBe(3);
    expect(d.n).toBe(c.n);
    // the home page's card, too
    const homeOf = async (key: "small" | "large") => await counted(async () => unwrap(await call(home.loader, makeRequest("/", { cookie: cookies[key] }))));
    const e = await homeOf("small");
    const f = await homeOf("large");
    expect(f.result.data.home.actionPlans.toValidate).toHaveLength(5);
    expect(f.n).toBe(e.n);
  });

  it("pages the officer rows, newest training first, then by plan and name, each with its plan's figures", async () => {
    const first = (await overview(cookies.large)).result.data;
    expect(first.pageCount).toBe(3);
    const rows = [first, (await overview(cookies.large, "?page=2")).result.data, (await overview(cookies.large, "?page=3")).result.data].flatMap((d) => d.officers);
    const plans = planRows.filter((p) => p.officers[0].org === agencies.large);
    const expected = plans
      .flatMap((p) => p.officers.filter((o) => o.org === agencies.large).map((o) => ({ p, o })))
      .sort((x, y) => y.p.startDate.localeCompare(x.p.startDate) || x.p.title.localeCompare(y.p.title) || x.o.given.localeCompare(y.o.given))
      .map(({ p, o }) => `${p.id}:${o.id}`);
    expect(rows.map((r: { plan: { id: number }; personId: number }) => `${r.plan.id}:${r.personId}`)).toEqual(expected);
    for (const row of rows) {
      expect(row.items).toEqual(expectedFigures(written.filter((i) => i.planId === row.plan.id)));
      expect(row.name).not.toContain("Outsider");
    }
    const updated = rows.filter((r: { lastUpdateAt: Date | null }) => r.lastUpdateAt !== null).map((r: { plan: { id: number } }) => r.plan.id);
    expect(new Set(updated).size).toBe(Math.ceil(plans.length / 4));
    // the figures count every plan of the agency, overdue in each training's own zone
    const all = written.filter((i) => plans.some((p) => p.id === i.planId));
    expect(first.totals).toEqual({ plans: 60, submitted: plans.length - Math.ceil(60 / 3), officers: 120, items: expectedFigures(all) });
    expect(first.events.map((e: { plans: number }) => e.plans)).toEqual([30, 30]);
    expect(first.events[0].items).toEqual(expectedFigures(all.filter((i) => i.zone === ZONES[1])));
  });

  it("shows the partner's home page the plans awaiting validation and the agency's figures", async () => {
    const card = unwrap(await call(home.loader, makeRequest("/", { cookie: cookies.large }))).data.home.actionPlans;
    const all = written.filter((i) => planRows.some((p) => p.id === i.planId && p.officers[0].org === agencies.large));
    const figures = expectedFigures(all);
    expect(card).toMatchObject({ plans: 60, awaitingValidation: figures.awaitingValidation, overdue: figures.overdue });
    const waiting = planRows
      .filter((p) => p.officers[0].org === agencies.large)
      .sort((x, y) => y.startDate.localeCompare(x.startDate) || x.title.localeCompare(y.title))
      .map((p) => ({ id: p.id, awaitingValidation: expectedFigures(written.filter((i) => i.planId === p.id)).awaitingValidation }))
      .filter((p) => p.awaitingValidation > 0);
    expect(card.toValidate.map((p: { id: number; awaitingValidation: number }) => ({ id: p.id, awaitingValidation: p.awaitingValidation }))).toEqual(waiting.slice(0, 5));
  });

  it("keeps the every-agency figures until the data changes or a day turns", async () => {
    const view = async () => (await overview(cookie)).result.data;
    const before = await view();
    const large = () => before.agencies.find((a: { id: number }) => a.id === agencies.large);
    expect(large()).toMatchObject({ officers: 120, plans: 60, items: expectedFigures(written.filter((i) => planRows.some((p) => p.id === i.planId && p.officers[0].org === agencies.large))) });
    const other = before.agencies.find((a: { id: number }) => a.id === agencies.other);
    expect(other).toMatchObject({ officers: 62, plans: 62, items: expectedFigures(written) });
    // a second look is served from memory: one statement (the data version)
    const again = await overview(cookie);
    expect(again.result.data).toEqual(before);
    expect(again.n).toBeLessThanOrEqual(3);
    // a validation moves the figures at once
    const waiting = (await rawGet<{ id: number }>("select id from action_plan_items where status = 'done' and validated_at is null"))!;
    await rawRun("update action_plan_items set validated_at = ? where id = ?", at, waiting.id);
    const after = await view();
    expect(after.totals.items.validated).toBe(before.totals.items.validated + 1);
    expect(after.totals.items.awaitingValidation).toBe(before.totals.items.awaitingValidation - 1);
    // so does midnight in Nassau: today's open items there are overdue tomorrow
    setClock(() => at + 86_400_000);
    try {
      // (a fresh session: the coordinator's would have timed out overnight)
      const coordinator = await sessionCookie(await createUser({ role: "coordinator" }));
      const tomorrow = (await overview(coordinator)).result.data;
      const dueToday = written.filter((i) => i.zone === "America/Nassau" && i.status !== "done" && i.targetDate === dayInZone(new Date(at), "America/Nassau")).length;
      expect(dueToday).toBeGreaterThan(0);
      expect(after.totals.items.overdue).toBe(expectedFigures(written).overdue);
      expect(tomorrow.totals.items.overdue).toBe(expectedFigures(written, at + 86_400_000).overdue);
      expect(tomorrow.totals.items.overdue).toBeGreaterThanOrEqual(after.totals.items.overdue + dueToday);
    } finally {
      setClock(() => at);
    }
  });

  it("shows coordinators 50 agencies a page, with totals over all of them", async () => {
    const event = Number(
      (await rawGet<{ id: number }>("insert into events (title, type, country, time_zone, start_date, end_date, status) values ('Many agencies', 'training', 'BS', 'UTC', '2025-06-01', '2025-06-02', 'completed') returning id"))!.id,
    );
    for (let i = 0; i < 55; i++) {
      const org = (await createOrganisation(`Plans Agency ${String(i).padStart(2, "0")}`, "government_partner")).id;
      const person = Number((await rawGet<{ id: number }>("insert into people (given_name, family_name, organisation_id) values ('Officer', ?, ?) returning id", `A${i}`, org))!.id);
      const plan = Number((await rawGet<{ id: number }>("insert into action_plans (event_id, title, status) values (?, ?, 'draft') returning id", event, `Plan ${i}`))!.id);
      await rawRun("insert into action_plan_members (plan_id, person_id) values (?, ?)", plan, person);
    }
    const first = (await overview(cookie)).result.data;
    expect(first.totals.agencies).toBeGreaterThanOrEqual(58);
    expect(first.agencies).toHaveLength(50);
    expect(first.pageCount).toBe(Math.ceil(first.totals.agencies / 50));
    const last = (await overview(cookie, "?page=99")).result.data;
    expect(last.page).toBe(first.pageCount);
    expect(last.agencies).toHaveLength(first.totals.agencies - 50 * (first.pageCount - 1));
    const ids = new Set([...first.agencies, ...last.agencies].map((a: { id: number }) => a.id));
    expect(ids.size).toBe(first.agencies.length + last.agencies.length);
  });
});
