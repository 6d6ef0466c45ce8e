import { and, asc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb, firstRow } from "../../db/client";
import { events, users } from "../../db/schema";
import { DEMO_EVENTS, seedDemo } from "../../db/seed/demo";
import type { SessionUser } from "~/auth/session.server";
import { activityReport, type ReportFilters } from "~/models/reports.server";
import * as reportsPage from "~/routes/reports._index";
import * as reportsCsv from "~/routes/reports[.]csv";
import * as reportsPdf from "~/routes/reports[.]pdf";
import { call, makeRequest, rawAll, rawGet, rawRun, sessionCookie, unwrap } from "../setup/helpers";

/**
 * The activity summary's learning section: paired pre/post test results (overall and by sex, role
 * category and organisation) and satisfaction from closed feedback forms, exact for coordinators and
 * through the disclosure control for donors, the same on the page, the CSV and the PDF, and kept
 * up to date when scores or forms change. The data is written with raw SQL both engines run, on the
 * 2023 Bahamas training (funded by the demo donor's programme), after clearing whatever the demo
 * seeds for it.
 */

const TODAY = new Date("2026-11-22T12:00:00Z");
const db = () => getDb();
const PERIOD = { from: "2020-01-01", to: "2026-12-31" };
const QUESTIONS = 15;

let vi: number;
let bahrain: number;
let coordinator: SessionUser;
let donor: SessionUser;
const cookies: Record<string, string> = {};
type Reg = { rid: number; sex: string | null; role: string | null; org: number | null };
let regs: Reg[] = [];
/** correct answers of 15, pre and post, for the first registrations */
const SCORES: [number, number][] = [
  [6, 12], [7, 13], [5, 11], [9, 14], [8, 8], [10, 15], [4, 10], [7, 6], [6, 13], [9, 12], [11, 14], [5, 12],
];
/** the feedback answers of the training's closed form: overall, content, facilitators, relevance, confidence */
const ANSWERS: number[][] = [
  [5, 5, 4, 5, 4], [4, 4, 5, 5, 3], [5, 4, 5, 4, 4], [3, 3, 4, 4, 2], [4, 5, 5, 5, 4], [5, 5, 5, 5, 5], [2, 3, 3, 4, 3],
];

async function userOf(email: string): Promise<SessionUser> {
  const u = firstRow(await db().select().from(users).where(eq(users.email, email)).limit(1))!;
  return { id: u.id, email: u.email, name: u.name, role: u.role, organisationId: u.organisationId, locale: u.locale };
}
async function eventIdOf(title: string) {
  return firstRow(await db().select({ id: events.id }).from(events).where(eq(events.title, title)).limit(1))!.id;
}
async function ensureTest(eventId: number) {
  await rawRun("insert into knowledge_tests (event_id, created_at, updated_at) values (?, ?, ?) on conflict (event_id) do nothing", eventId, TODAY.getTime(), TODAY.getTime());
  return (await rawGet<{ id: number }>("select id from knowledge_tests where event_id = ?", eventId))!.id;
}
async function addAttempt(testId: number, registrationId: number, phase: "pre" | "post", correct: number) {
  await rawRun(
    "insert into knowledge_test_attempts (test_id, registration_id, phase, source, correct, total, submitted_at, created_at, updated_at) values (?, ?, ?, 'paper', ?, ?, ?, ?, ?)",
    testId, registrationId, phase, correct, QUESTIONS, TODAY.getTime(), TODAY.getTime(), TODAY.getTime(),
  );
}
async function addForm(eventId: number, answers: number[][], closed: boolean) {
  await rawRun("delete from feedback_forms where event_id = ?", eventId);
  await rawRun(
    "insert into feedback_forms (event_id, opened_at, closed_at, created_at, updated_at) values (?, ?, ?, ?, ?)",
    eventId, TODAY.getTime(), closed ? TODAY.getTime() : null, TODAY.getTime(), TODAY.getTime(),
  );
  const form = (await rawGet<{ id: number }>("select id from feedback_forms where event_id = ?", eventId))!.id;
  for (const [i, a] of answers.entries()) {
    await rawRun(
      "insert into feedback_answers (id, form_id, rating_overall, rating_content, rating_facilitators, rating_relevance, rating_confidence) values (?, ?, ?, ?, ?, ?, ?)",
      `${eventId}-${i}-answer`, form, ...a,
    );
  }
  return form;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const pct = (correct: number) => (correct * 10000) / QUESTIONS / 100;
const tenth = (x: number) => Math.round(x * 10) / 10;
const filters = (extra: Partial<ReportFilters> = {}): ReportFilters => ({ ...PERIOD, ...extra });

beforeAll(async () => {
  await seedDemo(db(), { today: TODAY });
  coordinator = await userOf("coordinator@example.org");
  donor = await userOf("donor@example.org");
  for (const role of ["coordinator", "donor", "partner"]) {
    const u = await userOf(`${role}@example.org`);
    cookies[role] = await sessionCookie({ id: u.id, role: u.role });
  }
  vi = await eventIdOf(DEMO_EVENTS.victimIdentification);
  bahrain = await eventIdOf(DEMO_EVENTS.bahrain);
  // a clean slate: no test results nor feedback in any event, whatever the demo seeds
  await rawRun("delete from knowledge_test_attempts");
  await rawRun("delete from feedback_forms");
  regs = (
    await rawAll<{ rid: number; sex: string | null; role: string | null; org: number | null }>(
      `select r.id as rid, p.sex as sex, p.role_category as role, p.organisation_id as org
       from registrations r join people p on p.id = r.person_id
       where r.event_id = ? and r.event_role = 'participant' and r.status = 'confirmed' order by r.id`,
      vi,
    )
  ).map((r) => ({ ...r, rid: Number(r.rid), org: r.org === null ? null : Number(r.org) }));
  expect(regs.length).toBeGreaterThan(SCORES.length + 1);
  const testId = await ensureTest(vi);
  for (const [i, [pre, post]] of SCORES.entries()) {
    await addAttempt(testId, regs[i].rid, "pre", pre);
    await addAttempt(testId, regs[i].rid, "post", post);
  }
  // a pre-test without its post-test: not paired, not counted
  await addAttempt(testId, regs[SCORES.length].rid, "pre", 15);
  await addForm(vi, ANSWERS, true);
});

describe("what participants learned, for coordinators", () => {
  it("gives the paired results exactly: means before and after, gain, normalised gain, share improved", async () => {
    const { knowledge: k } = await activityReport(coordinator, filters({ programmeId: undefined }));
    const pre = SCORES.map(([p]) => pct(p));
    const post = SCORES.map(([, p]) => pct(p));
    expect(k.paired).toBe(SCORES.length);
    expect(k.events).toBe(1);
    expect(k.meanPre).toBeCloseTo(tenth(mean(pre)), 5);
    expect(k.meanPost).toBeCloseTo(tenth(mean(post)), 5);
    expect(k.gain).toBeCloseTo(tenth(mean(post) - mean(pre)), 5);
    const normalised = mean(SCORES.map(([a, b]) => (pct(b) - pct(a)) / (100 - pct(a))));
    expect(k.normalisedGain!).toBeCloseTo(normalised, 3);
    expect(k.improvedShare).toBeCloseTo(SCORES.filter(([a, b]) => b > a).length / SCORES.length, 10);
  });

  it("breaks the paired results down by sex, role category and organisation", async () => {
    const { knowledge: k } = await activityReport(coordinator, filters());
    const paired = regs.slice(0, SCORES.length).map((r, i) => ({ ...r, pre: pct(SCORES[i][0]), post: pct(SCORES[i][1]) }));
    for (const [lines, keyOf] of [
      [k.bySex, (r: Reg) => r.sex ?? ""],
      [k.byRole, (r: Reg) => r.role ?? ""],
      [k.byOrganisation, (r: Reg) => (r.org === null ? "" : String(r.org))],
    ] as const) {
      const groups = new Map<string, typeof paired>();
      for (const r of paired) groups.set(keyOf(r), [...(groups.get(keyOf(r)) ?? []), r]);
      expect(lines.map((l) => l.key).sort()).toEqual([...groups.keys()].sort());
      for (const line of lines) {
        const group = groups.get(line.key)!;
        expect(line.paired).toBe(group.length);
        expect(line.meanPre).toBeCloseTo(tenth(mean(group.map((g) => g.pre))), 5);
        expect(line.meanPost).toBeCloseTo(tenth(mean(group.map((g) => g.post))), 5);
      }
    }
    expect(k.byOrganisation.every((l) => l.key === "" || typeof l.name === "string")).toBe(true);
  });

  it("gives satisfaction per question from closed forms with at least 5 answers: mean, rated 4 or 5, distribution", async () => {
    const { satisfaction: s } = await activityReport(coordinator, filters());
    expect(s.answers).toBe(ANSWERS.length);
    expect(s.events).toBe(1);
    for (const [i, q] of s.questions.entries()) {
      const ratings = ANSWERS.map((a) => a[i]);
      expect(q.mean).toBeCloseTo(tenth(mean(ratings)), 5);
      expect(q.agreeShare).toBeCloseTo(ratings.filter((r) => r >= 4).length / ratings.length, 10);
      expect(q.distribution).toEqual([1, 2, 3, 4, 5].map((v) => ratings.filter((r) => r === v).length));
    }
    expect(s.questions.map((q) => q.key)).toEqual(["overall", "content", "facilitators", "relevance", "confidence"]);
  });

  it("leaves out open forms and closed forms with fewer than 5 answers (whose answers nobody may see)", async () => {
    await addForm(bahrain, ANSWERS.slice(0, 4), true);
    let s = (await activityReport(coordinator, filters())).satisfaction;
    expect(s.answers).toBe(ANSWERS.length);
    // the Bahrain training alone: nothing to show rather than four people's answers
    s = (await activityReport(coordinator, filters({ country: "BH" }))).satisfaction;
    expect(s.answers).toBe(0);
    expect(s.questions.every((q) => q.mean === null && q.agreeShare === null)).toBe(true);
    await addForm(bahrain, ANSWERS, false);
    s = (await activityReport(coordinator, filters({ country: "BH" }))).satisfaction;
    expect(s.answers).toBe(0);
    // closed, with enough answers: it counts
    await rawRun("update feedback_forms set closed_at = ? where event_id = ?", TODAY.getTime(), bahrain);
    s = (await activityReport(coordinator, filters({ country: "BH" }))).satisfaction;
    expect(s.answers).toBe(ANSWERS.length);
    await rawRun("delete from feedback_forms where event_id = ?", bahrain);
    s = (await activityReport(coordinator, filters({ country: "BH" }))).satisfaction;
    expect(s.answers).toBe(0);
  });

  it("follows new scores at once (a kept summary is dropped when a score changes)", async () => {
    const before = (await activityReport(coordinator, filters())).knowledge;
    const testId = await ensureTest(vi);
    const extra = regs[SCORES.length]; // has a pre-test only
    await addAttempt(testId, extra.rid, "post", 15);
    const after = (await activityReport(coordinator, filters())).knowledge;
    expect(after.paired).toBe((before.paired as number) + 1);
    await rawRun("delete from knowledge_test_attempts where registration_id = ? and phase = 'post'", extra.rid);
    expect((await activityReport(coordinator, filters())).knowledge.paired).toBe(before.paired);
  });
});

describe("session feedback forms", () => {
  it("stay out of the satisfaction figures, closed and with enough answers, for coordinators and donors alike", async () => {
    const before = { coordinator: (await activityReport(coordinator, filters())).satisfaction, donor: (await activityReport(donor, filters())).satisfaction };
    const session = (await rawGet<{ id: number }>("select id from event_sessions where event_id = ? order by starts_at, id limit 1", vi))!.id;
    await rawRun(
      "insert into feedback_forms (event_id, session_id, opened_at, closed_at, created_at, updated_at) values (?, ?, ?, ?, ?, ?)",
      vi, session, TODAY.getTime(), TODAY.getTime(), TODAY.getTime(), TODAY.getTime(),
    );
    const form = (await rawGet<{ id: number }>("select id from feedback_forms where session_id = ?", session))!.id;
    for (let i = 0; i < 8; i++) {
      await rawRun(
        "insert into feedback_answers (id, form_id, rating_content, rating_facilitators, rating_relevance, cell_key) values (?, ?, 1, 1, 1, ?)",
        `session-${i}-answer`, form, i * 7,
      );
    }
    try {
      expect((await activityReport(coordinator, filters())).satisfaction).toEqual(before.coordinator);
      expect((await activityReport(donor, filters())).satisfaction).toEqual(before.donor);
    } finally {
      await rawRun("delete from feedback_forms where id = ?", form);
    }
  });
});

describe("what participants learned, for donors", () => {
  it("shows perturbed counts, means rounded to 5 points, no mean rating nor distribution, and hides groups under 5", async () => {
    const report = await activityReport(donor, filters());
    expect(report.protected).toBe(true);
    const k = report.knowledge;
    expect(typeof k.paired).toBe("number");
    expect(Math.abs((k.paired as number) - SCORES.length)).toBeLessThanOrEqual(3);
    for (const value of [k.meanPre, k.meanPost]) expect(value! % 5).toBe(0);
    expect(k.gain).toBe(k.meanPost! - k.meanPre!);
    expect(Math.round(k.improvedShare! * 100) % 5).toBe(0);
    expect(Math.round(k.normalisedGain! * 100) % 5).toBe(0);
    const trueMeanPre = mean(SCORES.map(([p]) => pct(p)));
    expect(Math.abs(k.meanPre! - trueMeanPre)).toBeLessThanOrEqual(2.5);
    for (const line of [...k.bySex, ...k.byRole, ...k.byOrganisation]) {
      if (line.paired === "small") {
        expect([line.meanPre, line.meanPost, line.gain]).toEqual([null, null, null]);
      } else {
        expect(line.meanPre! % 5).toBe(0);
        expect(line.meanPost! % 5).toBe(0);
      }
    }
    // at least one group of the twelve is smaller than 5 (organisations, roles): hidden
    expect([...k.byRole, ...k.byOrganisation].some((l) => l.paired === "small")).toBe(true);
    const s = report.satisfaction;
    expect(s.answers).not.toBe("small");
    for (const q of s.questions) {
      expect(q.mean).toBeNull();
      expect(q.distribution).toBeNull();
      if (q.agreeShare !== null) expect(Math.round(q.agreeShare * 100) % 5).toBe(0);
    }
  });

  it("gives the same figures when asked twice, on the page and in the CSV and PDF", async () => {
    const query = `?from=${PERIOD.from}&to=${PERIOD.to}`;
    const first = await activityReport(donor, filters());
    const again = await activityReport(donor, filters());
    expect(again.knowledge).toEqual(first.knowledge);
    expect(again.satisfaction).toEqual(first.satisfaction);

    const page = unwrap(await call(reportsPage.loader, makeRequest(`/reports${query}`, { cookie: cookies.donor })));
    expect(page.status).toBe(200);
    expect(page.data.report.knowledge.paired).toEqual(first.knowledge.paired);
    expect(page.data.report.knowledge.meanPre).toEqual(first.knowledge.meanPre);
    expect(page.data.report.knowledge.meanPost).toEqual(first.knowledge.meanPost);
    expect(page.data.report.satisfaction.answers).toEqual(first.satisfaction.answers);
    // nothing on the page names a person or carries a score of one
    expect(JSON.stringify(page.data.report.knowledge)).not.toMatch(/givenName|familyName|registrationId/);

    const csv = (await call(reportsCsv.loader, makeRequest(`/reports.csv${query}`, { cookie: cookies.donor }))) as Response;
    expect(csv.status).toBe(200);
    const text = await csv.text();
    const row = (label: string) => text.split("\n").find((l) => l.includes(`,${label},`) || l.includes(`,"${label}",`));
    expect(row("Paired test results")).toContain(`,${first.knowledge.paired}`);
    expect(row("Mean score before (%)")).toMatch(new RegExp(`,${first.knowledge.meanPre}\\r?$`));
    expect(row("Mean score after (%)")).toMatch(new RegExp(`,${first.knowledge.meanPost}\\r?$`));
    expect(row("Feedback answers")).toContain(`,${first.satisfaction.answers}`);
    expect(text).not.toContain("mean (1–5)");
    expect(text).not.toContain("answers rating");

    const pdf = (await call(reportsPdf.loader, makeRequest(`/reports.pdf${query}`, { cookie: cookies.donor }))) as Response;
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get("Content-Type")).toContain("application/pdf");
  });

  it("gives coordinators the mean ratings and distributions in the CSV", async () => {
    const csv = (await call(reportsCsv.loader, makeRequest(`/reports.csv?from=${PERIOD.from}&to=${PERIOD.to}`, { cookie: cookies.coordinator }))) as Response;
    const text = await csv.text();
    expect(text).toContain(`Overall rating: mean (1–5),${tenth(mean(ANSWERS.map((a) => a[0])))}`);
    expect(text).toContain(`Overall rating: answers rating 5,${ANSWERS.filter((a) => a[0] === 5).length}`);
    expect(text).toContain(`Paired test results,${SCORES.length}`);
  });

  it("lets no difference of two periods give one person's score to a donor", async () => {
    // the Bahrain training (another programme's) has no donor access; a second small event of the
    // donor's programme with one paired person: the donor's two periods differ by that person only
    const grand = firstRow(
      await db()
        .select({ id: events.id, start: events.startDate })
        .from(events)
        .where(and(eq(events.title, DEMO_EVENTS.victimIdentification)))
        .orderBy(asc(events.id))
        .limit(1),
    )!;
    const later = await rawAll<{ id: number; start: string }>(
      `select e.id as id, e.start_date as start from events e
       where e.programme_id = (select programme_id from events where id = ?) and e.start_date > ? and e.status in ('completed', 'reported', 'in_progress')
       order by e.start_date limit 1`,
      grand.id, grand.start,
    );
    expect(later.length).toBe(1);
    const lone = await rawGet<{ rid: number }>(
      "select id as rid from registrations where event_id = ? and event_role = 'participant' and status = 'confirmed' order by id limit 1",
      later[0].id,
    );
    const testId = await ensureTest(later[0].id);
    await addAttempt(testId, Number(lone!.rid), "pre", 2);
    await addAttempt(testId, Number(lone!.rid), "post", 15);
    const until = (to: string) => activityReport(donor, filters({ to }));
    const dayBefore = new Date(Date.parse(`${later[0].start}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    const without = (await until(dayBefore)).knowledge;
    const withLone = (await until(PERIOD.to)).knowledge;
    // both views are protected figures: means on a 5-point grid; the lone person's score (13.3%
    // before, 100% after) cannot be read off the two (an exact reconstruction would need exact
    // counts and exact means)
    for (const k of [without, withLone]) {
      expect(k.meanPre! % 5).toBe(0);
      expect(k.meanPost! % 5).toBe(0);
    }
    const coordinatorView = (await activityReport(coordinator, filters({ to: PERIOD.to }))).knowledge;
    expect(coordinatorView.paired).toBe(SCORES.length + 1);
    await rawRun("delete from knowledge_test_attempts where registration_id = ?", Number(lone!.rid));
  });

  it("is refused to strangers and participants, and gives partners protected figures only", async () => {
    const stranger = await call(reportsCsv.loader, makeRequest(`/reports.csv?from=${PERIOD.from}&to=${PERIOD.to}`));
    expect(unwrap(stranger).status).toBe(302);
    const partner = unwrap(await call(reportsPage.loader, makeRequest(`/reports?from=${PERIOD.from}&to=${PERIOD.to}`, { cookie: cookies.partner })));
    expect(partner.status).toBe(200);
    expect(partner.data.report.empty).toBe(false);
    expect(partner.data.report.protected).toBe(true);
    expect(partner.data.report.knowledge.paired).not.toBe(0);
    for (const q of partner.data.report.satisfaction.questions) expect(q.distribution).toBeNull();
  });
});
