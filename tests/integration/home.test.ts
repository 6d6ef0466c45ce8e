import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb, firstRow, statementCount } from "../../db/client";
import { events, users } from "../../db/schema";
import { DEMO_EVENTS, seedDemo } from "../../db/seed/demo";
import { setClock } from "~/lib/clock";
import { issueCertificates } from "~/models/certificates.server";
import { dayInZone } from "~/lib/format";
import { EVENT_NEEDS } from "~/lib/needs";
import * as home from "~/routes/_index";
import * as eventsIndex from "~/routes/events._index";
import * as planPage from "~/routes/events.$eventId.action-plans_.$planId";
import * as reportsPage from "~/routes/reports._index";
import { call, createOrganisation, createUser, makeRequest, rawAll, rawGet, rawRun, sessionCookie, unwrap } from "../setup/helpers";

/**
 * The home page says what waits for each role now, each count linking to a list of exactly what it
 * counts, each role seeing only its own scope: a coordinator's needs (the events list filtered by
 * the same SQL), a facilitator's sessions of today first, a participant's next training, forms and
 * check-ins, a partner's validations, nominations and requests (its own agency only), a donor's
 * programme figures through the disclosure control. Counted in a fixed number of statements.
 */

// 10:00 in Nassau: the demo's training in progress has its second day today
const TODAY = new Date("2026-11-22T15:00:00Z");
const NASSAU = "America/Nassau";
const cookies: Record<string, string> = {};
const ids = {} as Record<keyof typeof DEMO_EVENTS, number>;
let programmeId: number;

/** Run a statement; an insert's new id is returned. */
async function sql(text: string, ...params: unknown[]): Promise<number> {
  if (/^\s*insert/i.test(text)) return Number((await rawGet<{ id?: number }>(`${text} returning *`, ...params))?.id ?? 0);
  await rawRun(text, ...params);
  return 0;
}

function dayPlus(days: number) {
  const d = new Date(`${dayInZone(TODAY, NASSAU)}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

async function homeData(cookie: string) {
  const result = unwrap(await call(home.loader, makeRequest("/", { cookie })));
  expect(result.status).toBe(200);
  return result.data.home;
}

async function listed(cookie: string, query: string) {
  const result = unwrap(await call(eventsIndex.loader, makeRequest(`/events${query}`, { cookie })));
  expect(result.status).toBe(200);
  return { total: result.data.result.total as number, titles: (result.data.result.rows as { title: string }[]).map((r) => r.title).sort() };
}

/** A bare event for the scenarios below (no sessions unless added). */
async function addEvent(title: string, values: { status: string; start: string; end: string; capacity?: number | null; programme?: number | null }) {
  return Number(
    await sql(
      `insert into events (title, type, country, time_zone, start_date, end_date, status, capacity, programme_id)
       values (?, 'training', 'BS', 'America/Nassau', ?, ?, ?, ?, ?)`,
      title,
      values.start,
      values.end,
      values.status,
      values.capacity ?? null,
      values.programme ?? null,
    ),
  );
}

beforeAll(async () => {
  setClock(() => TODAY.getTime());
  await seedDemo(getDb(), { today: TODAY });
  for (const role of ["admin", "coordinator", "facilitator", "participant", "partner", "donor"]) {
    const user = firstRow(await getDb().select().from(users).where(eq(users.email, `${role}@example.org`)).limit(1))!;
    cookies[role] = await sessionCookie({ id: user.id, role: user.role });
  }
  const all = await getDb().select({ id: events.id, title: events.title, programmeId: events.programmeId }).from(events);
  for (const [key, title] of Object.entries(DEMO_EVENTS)) ids[key as keyof typeof DEMO_EVENTS] = all.find((e) => e.title === title)!.id;
  programmeId = all.find((e) => e.title === DEMO_EVENTS.current)!.programmeId!;
});

afterAll(() => setClock(null));

describe("the coordinator's needs", () => {
  it("counts, in the demo, the events with nominations waiting, certificates to issue, plans to review and check-ins due", async () => {
    const { needs } = await homeData(cookies.coordinator);
    expect(needs.events).toEqual({ approvals: 1, noFacilitator: 0, fewRegistrations: 0, certificates: 1, plansToReview: 2, checkIns: 1 });
    // one application and two nominations on the upcoming follow-up training
    expect(needs.waitingPeople).toBe(3);
    expect(needs.followUpsToTriage).toBe(0);
    expect(needs.failedEmails).toBe(0);
  });

  it("links each count to the events list filtered to exactly the events counted", async () => {
    expect((await listed(cookies.coordinator, "?needs=approvals")).titles).toEqual([DEMO_EVENTS.followUp]);
    expect((await listed(cookies.coordinator, "?needs=certificates")).titles).toEqual([DEMO_EVENTS.recent]);
    expect((await listed(cookies.coordinator, "?needs=checkIns")).titles).toEqual([DEMO_EVENTS.recent]);
    expect((await listed(cookies.coordinator, "?needs=plansToReview")).titles).toEqual([DEMO_EVENTS.victimIdentification, DEMO_EVENTS.recent].sort());
    const { needs } = await homeData(cookies.coordinator);
    for (const need of EVENT_NEEDS) expect((await listed(cookies.coordinator, `?needs=${need}`)).total, need).toBe(needs.events[need]);
  });

  it("counts events starting within 14 days without a facilitator or with few registrations, follow-ups received and failed emails", async () => {
    const bare = await addEvent("Needs: starts in 10 days, nobody", { status: "open", start: dayPlus(10), end: dayPlus(11), capacity: 20 });
    const staffed = await addEvent("Needs: starts in 5 days, staffed and full", { status: "open", start: dayPlus(5), end: dayPlus(5), capacity: 2 });
    await addEvent("Needs: starts in 20 days", { status: "open", start: dayPlus(20), end: dayPlus(20) });
    await addEvent("Needs: cancelled, starts in 3 days", { status: "cancelled", start: dayPlus(3), end: dayPlus(3) });
    const facilitatorPerson = (await rawGet<{ id: number }>("select id from people where email = 'facilitator@example.org'"))!;
    await sql("insert into registrations (event_id, person_id, event_role, status, status_changed_at) values (?, ?, 'facilitator', 'confirmed', 0)", staffed, facilitatorPerson.id);
    for (const email of ["latoya.ferguson@immigration.gov.bs.example", "kendall.pinder@immigration.gov.bs.example"]) {
      const person = (await rawGet<{ id: number }>("select id from people where email = ?", email))!;
      await sql("insert into registrations (event_id, person_id, status, status_changed_at) values (?, ?, 'confirmed', 0)", staffed, person.id);
    }
    await sql("insert into follow_up_requests (title, description, country, status, created_at, updated_at) values ('Received request', 'More training', 'BS', 'received', 0, 0)");
    await sql(
      `insert into email_outbox (to_address, subject, html, text, kind, message_id, status, attempts, next_attempt_at, created_at, updated_at)
       values ('someone@example.test', 'Failed', '<p>x</p>', 'x', 'invitation', '<failed@home.test>', 'failed', 5, 0, 0, 0)`,
    );
    const { needs } = await homeData(cookies.coordinator);
    expect(needs.events.noFacilitator).toBe(1);
    expect(needs.events.fewRegistrations).toBe(1);
    expect(needs.followUpsToTriage).toBe(1);
    expect(needs.failedEmails).toBe(1);
    expect((await listed(cookies.coordinator, "?needs=noFacilitator")).titles).toEqual(["Needs: starts in 10 days, nobody"]);
    expect((await listed(cookies.coordinator, "?needs=fewRegistrations")).titles).toEqual(["Needs: starts in 10 days, nobody"]);
    // an admin sees the same needs
    expect((await homeData(cookies.admin)).needs).toEqual(needs);
    await sql("delete from events where id in (?, ?)", bare, staffed);
  });

  it("stops counting a certificate need once the certificates are issued, and a plan once a coordinator commented on it", async () => {
    const before = (await homeData(cookies.coordinator)).needs.events;
    const airport = (await rawGet<{ id: number }>("select id from action_plans where title = 'Indicators of trafficking at the airport arrivals hall'"))!;
    const welfare = (await rawGet<{ id: number }>("select id from action_plans where title = 'Trauma-informed care at the detention centre'"))!;
    const coordinator = firstRow(await getDb().select().from(users).where(eq(users.email, "coordinator@example.org")).limit(1))!;
    for (const plan of [airport, welfare]) {
      await sql("insert into action_plan_comments (plan_id, author_user_id, body, created_at) values (?, ?, 'Seen', ?)", plan.id, coordinator.id, TODAY.getTime());
    }
    expect((await homeData(cookies.coordinator)).needs.events.plansToReview).toBe(before.plansToReview - 1);
    await sql("delete from action_plan_comments where body = 'Seen'");
  });

  it("counts an event's certificates to issue until they are issued, again when attendance makes one more person complete, and only once it is over", async () => {
    const coordinator = { user: firstRow(await getDb().select().from(users).where(eq(users.email, "coordinator@example.org")).limit(1))!, ip: null };
    const recent = ids.recent;
    const count = async () => (await homeData(cookies.coordinator)).needs.events.certificates;
    // the answers are kept between views until the data moves: a second view does not work out
    // again the events needing certificates, plans to review and check-ins due (a statement each)
    const statements = async () => {
      const before = statementCount();
      expect(await count()).toBe(1);
      return statementCount() - before;
    };
    await rawRun("update events set title = title where id = ?", recent);
    expect(await statements()).toBe((await statements()) + 3);

    const kept = (await rawAll<{ id: number }>("select c.id from certificates c join registrations r on r.id = c.registration_id where r.event_id = ?", recent)).map((c) => c.id);
    await issueCertificates(coordinator, recent, "all-completed", "http://localhost:3000");
    expect(await count()).toBe(0);
    expect((await listed(cookies.coordinator, "?needs=certificates")).titles).toEqual([]);

    // someone without a certificate who had not completed, then completes (their attendance
    // written as another process would): the event needs certificates again
    const one = (await rawGet<{ id: number; a: number; x: number }>(
      `select r.id, r.attended_sessions as a, r.excused_sessions as x from registrations r join certificates c on c.registration_id = r.id
        where r.event_id = ? order by r.id limit 1`,
      recent,
    ))!;
    await sql("delete from certificates where registration_id = ?", one.id);
    await sql("update registrations set attended_sessions = 0, excused_sessions = 0 where id = ?", one.id);
    expect(await count()).toBe(0);
    await sql("update registrations set attended_sessions = ?, excused_sessions = ? where id = ?", one.a, one.x, one.id);
    expect(await count()).toBe(1);
    expect((await listed(cookies.coordinator, "?needs=certificates")).titles).toEqual([DEMO_EVENTS.recent]);

    // not while its last session has not ended (the clock, not the kept answer, decides)
    const lastEnd = (await rawGet<{ t: number }>("select max(ends_at) as t from event_sessions where event_id = ?", recent))!.t;
    setClock(() => Number(lastEnd) - 60_000);
    try {
      expect(await count()).toBe(0);
    } finally {
      setClock(() => TODAY.getTime());
    }
    expect(await count()).toBe(1);

    // issued (a revoked certificate still counts as issued): no longer a need
    await issueCertificates(coordinator, recent, [one.id], "http://localhost:3000");
    await sql("update certificates set revoked_at = ?, revoke_reason = 'test' where registration_id = ?", TODAY.getTime(), one.id);
    expect(await count()).toBe(0);

    // back to the demo's certificates
    await sql(`delete from certificates where registration_id in (select id from registrations where event_id = ?)${kept.length ? ` and id not in (${kept.join(",")})` : ""}`, recent);
    expect(await count()).toBe(1);
  });

  it("stops counting check-ins due once progress is recorded on every plan due, counts them again when it is removed, and moves with the day", async () => {
    const recent = ids.recent;
    const checkIns = async () => (await homeData(cookies.coordinator)).needs.events.checkIns;
    expect(await checkIns()).toBe(1);
    // a progress note on one item of each plan of the event (written as another process would)
    const items = await rawAll<{ id: number }>(
      `select min(i.id) as id from action_plan_items i join action_plans p on p.id = i.plan_id where p.event_id = ? and p.is_template = false group by p.id`,
      recent,
    );
    for (const item of items) await sql("insert into action_plan_updates (item_id, note, created_at) values (?, 'Noted', ?)", item.id, TODAY.getTime());
    expect(await checkIns()).toBe(0);
    expect((await listed(cookies.coordinator, "?needs=checkIns")).titles).toEqual([]);
    await sql("delete from action_plan_updates where note = 'Noted'");
    expect(await checkIns()).toBe(1);
    // on the event's last day no check-in has come yet
    const end = (await rawGet<{ d: string }>("select end_date as d from events where id = ?", recent))!.d;
    setClock(() => Date.parse(`${end}T12:00:00Z`));
    try {
      expect(await checkIns()).toBe(0);
    } finally {
      setClock(() => TODAY.getTime());
    }
    expect(await checkIns()).toBe(1);
  });

  it("stops counting a plan to review when its commenter's role is no longer a coordinator's, and again when it is", async () => {
    const before = (await homeData(cookies.coordinator)).needs.events.plansToReview;
    const reviewer = await createUser({ role: "coordinator" });
    for (const title of ["Indicators of trafficking at the airport arrivals hall", "Trauma-informed care at the detention centre"]) {
      const plan = (await rawGet<{ id: number }>("select id from action_plans where title = ?", title))!;
      await sql("insert into action_plan_comments (plan_id, author_user_id, body, created_at) values (?, ?, 'Reviewed', ?)", plan.id, reviewer.id, TODAY.getTime());
    }
    expect((await homeData(cookies.coordinator)).needs.events.plansToReview).toBe(before - 1);
    await sql("update users set role = 'partner' where id = ?", reviewer.id);
    expect((await homeData(cookies.coordinator)).needs.events.plansToReview).toBe(before);
    await sql("update users set role = 'coordinator' where id = ?", reviewer.id);
    expect((await homeData(cookies.coordinator)).needs.events.plansToReview).toBe(before - 1);
    await sql("delete from action_plan_comments where body = 'Reviewed'");
    expect((await homeData(cookies.coordinator)).needs.events.plansToReview).toBe(before);
  });

  it("are for staff only: a partner or a donor asking the events list for a need gets its ordinary list", async () => {
    for (const role of ["partner", "donor", "facilitator", "participant"]) {
      const plain = await listed(cookies[role], "");
      for (const need of EVENT_NEEDS) expect(await listed(cookies[role], `?needs=${need}`), `${role} ${need}`).toEqual(plain);
      expect(await homeData(cookies[role])).not.toHaveProperty("needs");
    }
  });

  it("runs as many statements with many events as with few", async () => {
    const counted = async () => {
      await homeData(cookies.coordinator); // the kept answers (certificates to issue) worked out again after a write
      const before = statementCount();
      await homeData(cookies.coordinator);
      return statementCount() - before;
    };
    const few = await counted();
    const added: number[] = [];
    for (let i = 0; i < 40; i++) added.push(await addEvent(`Bulk ${i}`, { status: i % 2 ? "open" : "completed", start: dayPlus(i - 20), end: dayPlus(i - 19) }));
    const many = await counted();
    expect(few).toBeGreaterThan(0);
    expect(many).toBe(few);
    // the counts themselves: one statement, plus one for the zones' days
    expect(few).toBeLessThanOrEqual(8);
    await sql(`delete from events where id in (${added.join(",")})`);
  });
});

describe("the facilitator's home", () => {
  it("lists today's sessions first (breaks left out), each one tap from its attendance, then the next ones", async () => {
    const { sessions } = await homeData(cookies.facilitator);
    expect(sessions.today.map((s: { title: string }) => s.title)).toEqual([
      "Trauma-informed questions",
      "Working with interpreters",
      "Role play: the secondary-inspection interview",
      "Debrief of the role plays",
    ]);
    for (const s of sessions.today) {
      expect(s.eventId).toBe(ids.current);
      expect(s.attendanceUrl).toBe(`/events/${ids.current}/attendance?session=${s.id}`);
      expect(s.kind).not.toBe("break");
    }
    expect(sessions.today[0].started).toBe(true);
    expect(sessions.today[1].started).toBe(false);
    expect(sessions.next[0].title).toBe("What to write down, and what not");
    expect(sessions.earlier.map((s: { title: string }) => s.title)).toContain("Interview practice in pairs");
  });

  it("shows another facilitator none of them", async () => {
    const other = await createUser({ role: "facilitator" });
    const { sessions } = await homeData(await sessionCookie(other));
    expect(sessions).toEqual({ today: [], next: [], earlier: [] });
  });
});

describe("the participant's home", () => {
  it("shows the next training, the forms to fill and the check-ins due", async () => {
    const data = await homeData(cookies.participant);
    expect(data.next.title).toBe(DEMO_EVENTS.current);
    expect(data.plansToWrite.map((p: { eventTitle: string }) => p.eventTitle)).toEqual([DEMO_EVENTS.current]);
    expect(data.draftPlans.map((p: { title: string }) => p.title)).toEqual(["Screening questions at the cruise port arrivals desk"]);
    expect(data.checkInsDue.map((p: { title: string }) => p.title)).toEqual(["Screening questions at the cruise port arrivals desk"]);
  });

  it("no longer shows a check-in as due once progress is recorded", async () => {
    const data = await homeData(cookies.participant);
    const plan = data.checkInsDue[0];
    const item = (await rawGet<{ id: number }>("select id from action_plan_items where plan_id = ? order by position limit 1", plan.id))!;
    const result = await call(
      planPage.action,
      makeRequest(plan.url, { cookie: cookies.participant, form: { intent: "progress", itemId: String(item.id), note: "Checklist updated at the desk.", statusAfter: "in_progress" } }),
      { eventId: String(plan.eventId), planId: String(plan.id) },
    );
    expect([200, 302]).toContain(unwrap(result).status);
    expect((await homeData(cookies.participant)).checkInsDue).toEqual([]);
    // and the coordinator's count of events with check-ins due follows
    expect((await homeData(cookies.coordinator)).needs.events.checkIns).toBe(1);
  });

  it("shows someone else nothing of hers", async () => {
    const stranger = await createUser({ role: "participant" });
    const data = await homeData(await sessionCookie(stranger));
    expect(data).toMatchObject({ next: null, plansToWrite: [], draftPlans: [], checkInsDue: [] });
  });
});

describe("the partner's home", () => {
  it("counts its agency's items awaiting validation, the events open for nomination and its requests by status", async () => {
    const data = await homeData(cookies.partner);
    expect(data.actionPlans.awaitingValidation).toBe(3);
    expect(data.openForNomination).toBe((await listed(cookies.partner, "?status=open")).total);
    expect(data.requests).toEqual([
      { status: "under_review", n: 1 },
      { status: "scheduled", n: 1 },
    ]);
  });

  it("shows a partner of another agency nothing of the Bahamian agency", async () => {
    const agency = await createOrganisation("Home Test Agency", "government_partner", "JM");
    const other = await createUser({ role: "partner", organisationId: agency.id });
    const data = await homeData(await sessionCookie(other));
    expect(data.actionPlans).toMatchObject({ plans: 0, awaitingValidation: 0, toValidate: [] });
    expect(data.requests).toEqual([]);
    const without = await createUser({ role: "partner" });
    const none = await homeData(await sessionCookie(without));
    expect(none).toMatchObject({ actionPlans: null, requests: [], openForNomination: 0 });
  });
});

describe("the donor's home", () => {
  it("gives each funded programme's figures as its activity summary does, through the disclosure control", async () => {
    const data = await homeData(cookies.donor);
    expect(data.programmes.map((p: { id: number }) => p.id)).toEqual([programmeId]);
    const figures = data.programmes[0];
    const report = unwrap(await call(reportsPage.loader, makeRequest(`/reports?programmeId=${programmeId}`, { cookie: cookies.donor }))).data.report;
    expect(figures.events).toBe(report.events.total);
    expect(figures.people).toBe(report.participants.unique);
    expect(figures.certificates).toBe(report.certificates);
    expect(figures.plansSubmitted).toBe(report.actionPlans.submitted);
  });

  it("never shows an exact count of 1 to 4", async () => {
    const donorOrg = await createOrganisation("Small Donor", "donor", "US");
    const programme = await sql("insert into programmes (name) values ('Small Programme')");
    await sql("insert into programme_funding (programme_id, donor_organisation_id) values (?, ?)", programme, donorOrg.id);
    const event = await addEvent("Small workshop", { status: "completed", start: "2025-05-01", end: "2025-05-01", programme });
    for (let i = 0; i < 3; i++) {
      const person = await sql("insert into people (given_name, family_name, email) values ('Small', ?, ?)", `P${i}`, `small${i}@example.test`);
      await sql("insert into registrations (event_id, person_id, status, status_changed_at) values (?, ?, 'confirmed', 0)", event, person);
    }
    const donor = await createUser({ role: "donor", organisationId: donorOrg.id });
    const data = await homeData(await sessionCookie(donor));
    expect(data.programmes).toEqual([{ id: programme, name: "Small Programme", events: 1, people: "small", certificates: 0, plansSubmitted: 0 }]);
  });

  it("keeps the figures between views and follows the data: more people, a second programme funded", async () => {
    const statements = async () => {
      const before = statementCount();
      const data = await homeData(cookies.donor);
      return { data, n: statementCount() - before };
    };
    await rawRun("update programmes set name = name where id = ?", programmeId); // the data moves
    const first = await statements();
    const again = await statements();
    expect(again.data).toEqual(first.data);
    expect(again.n).toBe(first.n - 1); // the figures are not counted again
    const eventId = (await rawGet<{ id: number }>("select id from events where programme_id = ? and status = 'completed' order by id limit 1", programmeId))!.id;
    for (let i = 0; i < 6; i++) {
      const person = await sql("insert into people (given_name, family_name, email) values ('Later', ?, ?)", `L${i}`, `later${i}@example.test`);
      await sql("insert into registrations (event_id, person_id, status, status_changed_at) values (?, ?, 'confirmed', 0)", eventId, person);
    }
    const donorOrg = (await rawGet<{ id: number }>("select organisation_id as id from users where email = 'donor@example.org'"))!.id;
    const second = await sql("insert into programmes (name) values ('Another Programme')");
    await sql("insert into programme_funding (programme_id, donor_organisation_id) values (?, ?)", second, donorOrg);
    const after = await homeData(cookies.donor);
    const report = unwrap(await call(reportsPage.loader, makeRequest(`/reports?programmeId=${programmeId}`, { cookie: cookies.donor }))).data.report;
    const flagship = after.programmes.find((p: { id: number }) => p.id === programmeId);
    expect(flagship.people).toBe(report.participants.unique);
    expect(after.programmes.find((p: { id: number }) => p.id === second)).toEqual({ id: second, name: "Another Programme", events: 0, people: 0, certificates: 0, plansSubmitted: 0 });
    await sql("delete from programme_funding where programme_id = ?", second);
    await sql("delete from programmes where id = ?", second);
    await sql("delete from registrations where person_id in (select id from people where given_name = 'Later')");
    await sql("delete from people where given_name = 'Later'");
    expect((await homeData(cookies.donor)).programmes).toEqual(first.data.programmes);
  });

  it("shows a donor without an organisation nothing", async () => {
    const donor = await createUser({ role: "donor" });
    expect((await homeData(await sessionCookie(donor))).programmes).toEqual([]);
  });
});

describe("a stranger", () => {
  it("is sent to sign in", async () => {
    const result = await call(home.loader, makeRequest("/"));
    expect(result).toBeInstanceOf(Response);
    expect((result as Response).status).toBe(302);
    expect((result as Response).headers.get("Location")).toMatch(/^\/login/);
  });

  it("cannot read a need through the events list", async () => {
    const result = await call(eventsIndex.loader, makeRequest("/events?needs=approvals"));
    expect((result as Response).status).toBe(302);
  });
});
