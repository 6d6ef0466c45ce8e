import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../../db/client";
import * as roster from "~/routes/events.$eventId.roster";
import * as reports from "~/routes/reports._index";
import * as grid from "~/routes/events.$eventId.attendance";
import { call, createOrganisation, createUser, makeRequest, sessionCookie, unwrap } from "../setup/helpers";

/**
 * Issue 11: no query per row. The pages that show many rows must run the same number of SQL
 * statements for a small event and a large one (and for a report over a few events or many);
 * the roster shows one page of 100 rows with the counts of all of them.
 */

let cookie: string;
let programmeId: number;
const small = { eventId: 0 };
const large = { eventId: 0 };

/** An event with `people` confirmed participants, `sessions` sessions and a mark for each. */
function makeEvent(title: string, people: number, sessions: number, organisationId: number) {
  const db = getDb().$client;
  const eventId = Number(
    db
      .prepare(
        `insert into events (title, type, programme_id, country, time_zone, start_date, end_date, status)
         values (?, 'training', ?, 'BS', 'America/Nassau', '2025-03-10', '2025-03-12', 'reported')`,
      )
      .run(title, programmeId).lastInsertRowid,
  );
  const sessionIds: number[] = [];
  for (let s = 0; s < sessions; s++) {
    const start = Date.UTC(2025, 2, 10 + (s % 3), 13 + s);
    sessionIds.push(Number(db.prepare("insert into event_sessions (event_id, title, starts_at, ends_at) values (?, ?, ?, ?)").run(eventId, `S${s}`, start, start + 3600_000).lastInsertRowid));
  }
  for (let p = 0; p < people; p++) {
    const personId = Number(
      db
        .prepare("insert into people (given_name, family_name, email, sex, organisation_id) values (?, ?, ?, ?, ?)")
        .run(`Given${p}`, `${title}-${String(p).padStart(4, "0")}`, `${title}-${p}@example.test`.toLowerCase(), p % 2 ? "female" : "male", organisationId).lastInsertRowid,
    );
    const registrationId = Number(
      db.prepare("insert into registrations (event_id, person_id, status, status_changed_at) values (?, ?, 'confirmed', 0)").run(eventId, personId).lastInsertRowid,
    );
    for (const sessionId of sessionIds) {
      db.prepare("insert into attendance (registration_id, session_id, status, recorded_at) values (?, ?, ?, 0)").run(registrationId, sessionId, p % 5 ? "present" : "absent");
    }
  }
  return eventId;
}

/** How many SQL statements `run` prepares (drizzle prepares each query it runs). */
async function counted<T>(run: () => Promise<T>) {
  const client = getDb().$client;
  const prepare = client.prepare;
  const box = { n: 0 };
  client.prepare = function (this: typeof client, source: string) {
    box.n++;
    return prepare.call(this, source);
  } as typeof prepare;
  try {
    const result = await run();
    return { n: box.n, result };
  } finally {
    client.prepare = prepare;
  }
}

beforeAll(async () => {
  const agency = createOrganisation("Queries Agency", "government_partner");
  programmeId = Number(getDb().$client.prepare("insert into programmes (name) values ('Queries Programme')").run().lastInsertRowid);
  const coordinator = await createUser({ role: "coordinator" });
  cookie = await sessionCookie(coordinator);
  small.eventId = makeEvent("Small", 5, 2, agency.id);
  large.eventId = makeEvent("Large", 250, 12, agency.id);
});

const rosterPage = (eventId: number, query = "") =>
  counted(async () => unwrap(await call(roster.loader, makeRequest(`/events/${eventId}/roster${query}`, { cookie }), { eventId: String(eventId) })));

describe("queries per page", () => {
  it("the roster runs as many statements for 250 people as for 5", async () => {
    const a = await rosterPage(small.eventId);
    const b = await rosterPage(large.eventId);
    expect(a.result.data.rows).toHaveLength(5);
    expect(b.result.data.rows).toHaveLength(100);
    expect(b.n).toBe(a.n);
    expect(b.n).toBeLessThanOrEqual(15);
  });

  it("the attendance grid runs as many statements for 250 people × 12 sessions as for 5 × 2", async () => {
    const page = (eventId: number) => counted(async () => unwrap(await call(grid.loader, makeRequest(`/events/${eventId}/attendance`, { cookie }), { eventId: String(eventId) })));
    const a = await page(small.eventId);
    const b = await page(large.eventId);
    expect(b.result.status).toBe(200);
    expect(b.n).toBe(a.n);
  });

  it("a report runs as many statements over many events as over one", async () => {
    const report = (query: string) => counted(async () => unwrap(await call(reports.loader, makeRequest(`/reports?${query}`, { cookie }))));
    // one event (a country with only the small one), then the programme's two, then more events
    const one = await report(`programmeId=${programmeId}&from=2025-01-01&to=2025-12-31&country=BS`);
    expect(one.result.data.report.table.length).toBeGreaterThanOrEqual(2);
    const agency = createOrganisation("Queries Agency 2", "government_partner");
    for (let i = 0; i < 8; i++) makeEvent(`More${i}`, 10, 3, agency.id);
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
    const db = getDb().$client;
    const people = db.prepare("select person_id as id from registrations where event_id = ? limit 15").all(large.eventId) as { id: number }[];
    people.forEach((p, i) => {
      const org = createOrganisation(`Small agency ${String(i).padStart(2, "0")}`, "government_partner");
      db.prepare("update people set organisation_id = ? where id = ?").run(org.id, p.id);
    });
    const data = (await rosterPage(large.eventId)).result.data;
    expect(data.counts.byOrganisation).toHaveLength(12);
    expect(data.counts.byOrganisation[0]).toEqual({ key: "Queries Agency", n: 235 });
    expect(data.moreOrganisations).toBe(4);
  });

  it("sends the browser only what the table shows: no email, phone, needs or nationality", async () => {
    const { rows } = (await rosterPage(small.eventId)).result.data;
    expect(Object.keys(rows[0]).sort()).toEqual(
      ["anonymised", "attended", "completed", "counted", "eventRole", "familyName", "givenName", "id", "nominatedBy", "organisationName", "personId", "position", "roleCategory", "sex", "status"].sort(),
    );
  });
});

describe("the summary's events table", () => {
  it("shows 50 events a page while the figures count them all", async () => {
    const agency = createOrganisation("Queries Agency 3", "government_partner");
    for (let i = 0; i < 55; i++) makeEvent(`Paged${String(i).padStart(2, "0")}`, 1, 1, agency.id);
    const query = `programmeId=${programmeId}&from=2025-01-01&to=2025-12-31`;
    const first = unwrap(await call(reports.loader, makeRequest(`/reports?${query}`, { cookie }))).data;
    const total = first.report.events.total;
    expect(total).toBeGreaterThan(55);
    expect(first.report.table).toHaveLength(50);
    expect(first.table).toEqual({ page: 1, pageCount: Math.ceil(total / 50), first: 1, total });
    const last = unwrap(await call(reports.loader, makeRequest(`/reports?${query}&page=99`, { cookie }))).data;
    expect(last.table.page).toBe(Math.ceil(total / 50));
    expect(last.report.table).toHaveLength(total - 50 * (last.table.page - 1));
    expect(last.report.events.total).toBe(total);
    // the exports' links carry the filters, not the page
    expect(last.query).not.toContain("page");
  });
});

describe("the summary's partner filter", () => {
  it("lists partners when there are few, and asks for a country first when there are thousands", async () => {
    const query = `programmeId=${programmeId}&from=2025-01-01&to=2025-12-31`;
    const before = unwrap(await call(reports.loader, makeRequest(`/reports?${query}`, { cookie }))).data.options;
    expect(before.partnersByCountry).toBe(false);
    // 201 more partner agencies, of events in Jamaica
    const db = getDb().$client;
    const agency = createOrganisation("Queries Agency JM", "government_partner", "JM");
    const jamaica = makeEvent("Jamaica", 1, 1, agency.id);
    db.prepare("update events set country = 'JM' where id = ?").run(jamaica);
    let lastId = 0;
    for (let i = 0; i < 201; i++) {
      lastId = createOrganisation(`Partner ${String(i).padStart(3, "0")}`, "government_partner", "JM").id;
      db.prepare("insert into event_partners (event_id, organisation_id) values (?, ?)").run(jamaica, lastId);
    }
    const many = unwrap(await call(reports.loader, makeRequest(`/reports?${query}`, { cookie }))).data.options;
    expect(many.partnersByCountry).toBe(true);
    expect(many.partners).toEqual([]);
    const chosen = unwrap(await call(reports.loader, makeRequest(`/reports?${query}&partnerId=${lastId}`, { cookie }))).data.options;
    expect(chosen.partners).toEqual([{ id: lastId, name: "Partner 200" }]);
    const bahamas = unwrap(await call(reports.loader, makeRequest(`/reports?${query}&country=BS`, { cookie }))).data.options;
    expect(bahamas.partnersByCountry).toBe(false);
    expect(bahamas.partners.every((p: { name: string }) => !p.name.startsWith("Partner "))).toBe(true);
  });
});
