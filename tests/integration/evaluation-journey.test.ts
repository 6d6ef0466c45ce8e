import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb, firstRow } from "../../db/client";
import { events, people, registrations, users } from "../../db/schema";
import { DEMO_EVENTS, seedDemo } from "../../db/seed/demo";
import { setClock } from "~/lib/clock";
import { zonedToUtc } from "~/lib/zoned";
import { createTransport, deliverDueEmails } from "~/models/outbox.server";
import { personalCodeFor } from "~/models/evaluation-access.server";
import * as testsTab from "~/routes/events.$eventId.tests";
import * as resultsPage from "~/routes/events.$eventId.tests_.results";
import * as accessTab from "~/routes/events.$eventId.evaluation-access";
import * as feedbackTab from "~/routes/events.$eventId.feedback";
import * as phoneTest from "~/routes/me_.tests.$eventId.$phase";
import * as phoneFeedback from "~/routes/me_.feedback.$eventId";
import * as link from "~/routes/take.$token";
import * as take from "~/routes/take._index";
import * as codeEntry from "~/routes/take.code.$eventId.$target";
import * as reportsPage from "~/routes/reports._index";
import * as reportsCsv from "~/routes/reports[.]csv";
import { call, createUser, makeRequest, rawAll, rawGet, rawRun, sessionCookie, unwrap } from "../setup/helpers";
import { TestSmtp } from "../setup/mail";

/**
 * The evaluation's whole journey on one event, through the pages' own loaders and actions, as the
 * people would do it: a coordinator builds the Grand Bahama follow-up training's test by copying
 * the 2023 Bahamas training's, opens the pre-test; three participants take it on their phones (two
 * signed in, one through the personal link emailed to her, without an account) and two others get
 * paper scores; the post-test follows on the second day (one through a code typed on the venue
 * screen's page); the results page pairs every person's scores; the feedback form collects five
 * answers, lists the one non-respondent and sends him one reminder; the donor's report of those two
 * days shows the knowledge gain and the satisfaction through the disclosure control, with the groups
 * under five hidden. Each step depends on the previous one (the describe's tests run in order).
 */

const TODAY = new Date("2026-11-22T12:00:00Z");
const APP_URL = "https://convene.example.org";
const FROM = "Convene <no-reply@convene.example.org>";
const NASSAU = "America/Nassau";
const smtp = new TestSmtp();
const db = () => getDb();

let eventId: number; // the Grand Bahama follow-up training (open, in 30 days)
let bahamasId: number; // the 2023 training whose test is copied
let startDate: string;
let endDate: string;
const cookies: Record<string, string> = {};
/** the people of the journey, by first name: their registration and, for the signed-in ones, their session */
type Person = { personId: number; registrationId: number; email: string | null; userId?: string; cookie?: string };
const cast: Record<"cheryl" | "kirk" | "marcia" | "dexter" | "ava" | "neville", Person> = {} as never;
let questionCount = 0;

async function at(day: string, time: string) {
  setClock(() => zonedToUtc(day, time, NASSAU).getTime());
  await signInAll();
}
const deliver = () => deliverDueEmails(db(), { transport: createTransport(smtp.url), from: FROM, retryMs: 60_000 });

async function userByEmail(email: string) {
  return firstRow(await db().select().from(users).where(eq(users.email, email)).limit(1))!;
}

async function registrationOf(givenName: string) {
  return (await rawGet<{ personId: number; registrationId: number; email: string | null }>(
    `select p.id as "personId", r.id as "registrationId", p.email as email
     from registrations r join people p on p.id = r.person_id where r.event_id = ? and p.given_name = ?`,
    eventId, givenName,
  ))!;
}

/** A person with a participant account of their own (signed in on their phone). */
async function withAccount(person: Person, name: string) {
  const account = await createUser({ role: "participant", email: `${name.toLowerCase()}@immigration.example.bs`, name });
  await rawRun("update people set user_id = ? where id = ?", account.id, person.personId);
  return { ...person, userId: account.id };
}

/**
 * Sign everyone in afresh at the clock's time: the journey spans weeks, longer than a session
 * lives (as in life, people sign in again on the day).
 */
async function signInAll() {
  for (const role of ["coordinator", "donor"]) {
    const u = await userByEmail(`${role}@example.org`);
    cookies[role] = await sessionCookie({ id: u.id, role: u.role });
  }
  for (const person of Object.values(cast)) {
    if (person.userId) person.cookie = await sessionCookie({ id: person.userId, role: "participant" });
  }
}

/** The test's questions with their right and wrong options. */
async function questions() {
  const rows = await rawAll<{ questionId: number; optionId: number; correct: number | boolean }>(
    `select q.id as "questionId", o.id as "optionId", o.is_correct as correct
     from knowledge_tests t join knowledge_test_questions q on q.test_id = t.id join knowledge_test_options o on o.question_id = q.id
     where t.event_id = ? order by q.position, o.position`,
    eventId,
  );
  const byQuestion = new Map<number, { right: string[]; wrong: string }>();
  for (const r of rows) {
    const q = byQuestion.get(Number(r.questionId)) ?? { right: [], wrong: "" };
    if (r.correct === true || r.correct === 1) q.right.push(String(r.optionId));
    else if (q.wrong === "") q.wrong = String(r.optionId);
    byQuestion.set(Number(r.questionId), q);
  }
  return [...byQuestion.entries()];
}

/** The form a phone sends: the first `right` questions answered correctly, the others wrongly. */
async function answersScoring(right: number, intent = "submit") {
  const form: Record<string, string | string[]> = { intent };
  for (const [i, [id, q]] of (await questions()).entries()) form[`q-${id}`] = i < right ? q.right : q.wrong;
  return form;
}

const onPhone = (person: Person, phase: "pre" | "post", form: Record<string, string | string[]>) =>
  call(phoneTest.action, makeRequest(`/me/tests/${eventId}/${phase}`, { cookie: person.cookie, form }), { eventId: String(eventId), phase });

const coordinatorPost = (route: { action: (args: never) => unknown }, path: string, form: Record<string, string>) =>
  call(route.action as never, makeRequest(path, { cookie: cookies.coordinator, form }), { eventId: String(eventId) });

/** Open a personal link as the phone's browser does: the token moves into a cookie, then /take. */
async function openLink(token: string) {
  const opened = unwrap(await call(link.loader, makeRequest(`/take/${token}`), { token }));
  expect(opened.status).toBe(302);
  return opened.headers.get("Set-Cookie")!.split(";")[0];
}

function linkIn(text: string) {
  const m = /https:\/\/convene\.example\.org\/take\/([^\s)"<]+)/.exec(text);
  if (!m) throw new Error(`no personal link in:\n${text}`);
  return m[1];
}

const RATINGS = { overall: "5", content: "4", facilitators: "5", relevance: "5", confidence: "4" };

beforeAll(async () => {
  process.env.APP_URL = APP_URL;
  await smtp.start();
  setClock(() => TODAY.getTime());
  await seedDemo(db(), { today: TODAY });
  const eventOf = async (title: string) => firstRow(await db().select().from(events).where(eq(events.title, title)).limit(1))!;
  const followUp = await eventOf(DEMO_EVENTS.followUp);
  eventId = followUp.id;
  startDate = followUp.startDate;
  endDate = followUp.endDate;
  bahamasId = (await eventOf(DEMO_EVENTS.victimIdentification)).id;
  // the follow-up's roster: Cheryl and Kirk were confirmed by their agency; the two nominated
  // officers were accepted; Marcia and Neville joined from the Family Islands
  await rawRun("update registrations set status = 'confirmed' where event_id = ? and status = 'nominated'", eventId);
  const bsImmigration = (await rawGet<{ id: number }>("select organisation_id as id from people where id = (select person_id from registrations where event_id = ? limit 1)", eventId))!.id;
  for (const [givenName, sex] of [["Marcia", "female"], ["Neville", "male"]] as const) {
    const [person] = await db()
      .insert(people)
      .values({ givenName, familyName: "Ferguson", email: `${givenName.toLowerCase()}.ferguson@immigration.example.bs`, sex, roleCategory: "immigration_officer", organisationId: Number(bsImmigration) })
      .returning({ id: people.id });
    await db().insert(registrations).values({ eventId, personId: person.id, eventRole: "participant", status: "confirmed", statusChangedAt: TODAY });
  }
  cast.cheryl = await registrationOf("Cheryl");
  cast.kirk = await withAccount(await registrationOf("Kirk"), "Kirk");
  cast.marcia = await withAccount(await registrationOf("Marcia"), "Marcia");
  cast.dexter = await registrationOf("Dexter");
  cast.ava = await registrationOf("Ava");
  cast.neville = await withAccount(await registrationOf("Neville"), "Neville");
  await signInAll();
  // the demo's Bahamas test stays (it is copied); the follow-up has none yet
  expect(await rawGet("select id from knowledge_tests where event_id = ?", eventId)).toBeUndefined();
});

afterAll(async () => {
  setClock(null);
  await smtp.stop();
  delete process.env.APP_URL;
});

describe("the evaluation of the Grand Bahama follow-up training, from the test's copy to the donor's report", () => {
  it("1. the coordinator builds the test by copying the 2023 Bahamas training's and opens the pre-test on the first morning", async () => {
    const copied = unwrap(await coordinatorPost(testsTab, `/events/${eventId}/tests`, { intent: "copy", fromEventId: String(bahamasId) }));
    expect(copied.status).toBe(302);
    const own = await rawAll<{ prompt: string }>(
      "select q.prompt as prompt from knowledge_test_questions q join knowledge_tests t on t.id = q.test_id where t.event_id = ? order by q.position",
      eventId,
    );
    const source = await rawAll<{ prompt: string }>(
      "select q.prompt as prompt from knowledge_test_questions q join knowledge_tests t on t.id = q.test_id where t.event_id = ? order by q.position",
      bahamasId,
    );
    expect(own.length).toBe(15);
    expect(own).toEqual(source);
    questionCount = own.length;

    await at(startDate, "08:30");
    const opened = unwrap(await coordinatorPost(testsTab, `/events/${eventId}/tests`, { intent: "open", phase: "pre" }));
    expect(opened.status).toBe(302);
    const tab = unwrap(await call(testsTab.loader, makeRequest(`/events/${eventId}/tests`, { cookie: cookies.coordinator }), { eventId: String(eventId) }));
    expect(JSON.stringify(tab.data)).toContain("open");
  });

  it("2. three participants take the pre-test on their phones: two signed in, Cheryl through the link emailed to her", async () => {
    // Kirk and Marcia from their own page
    const kirkPage = unwrap(await call(phoneTest.loader, makeRequest(`/me/tests/${eventId}/pre`, { cookie: cast.kirk.cookie }), { eventId: String(eventId), phase: "pre" }));
    expect(kirkPage.status).toBe(200);
    expect(unwrap(await onPhone(cast.kirk, "pre", await answersScoring(6))).status).toBe(302);
    // Marcia's connection drops after a saved draft; her answers are still there when she submits
    expect(unwrap(await onPhone(cast.marcia, "pre", await answersScoring(5, "autosave"))).status).toBe(200);
    expect(unwrap(await onPhone(cast.marcia, "pre", await answersScoring(9))).status).toBe(302);
    // a second submission is refused and changes nothing
    const again = unwrap(await onPhone(cast.kirk, "pre", await answersScoring(15)));
    expect(again.status).toBe(409);

    // the people without an account get their personal link by email
    const sent = unwrap(await coordinatorPost(accessTab, `/events/${eventId}/evaluation-access`, { intent: "email", target: "pre", language: "en" }));
    expect(sent.status).toBe(302);
    await deliver();
    const mail = smtp.to(cast.cheryl.email!);
    expect(mail.length).toBe(1);
    const cookie = await openLink(linkIn(mail[0].text));
    const form = await answersScoring(7);
    expect(unwrap(await call(take.action, makeRequest("/take?index", { cookie, form }))).status).toBe(302);
    // Kirk, with an account, answered from his page: no link was sent to him
    expect(smtp.to(`kirk@immigration.example.bs`)).toEqual([]);

    // Dexter and Ava took it on paper; Neville too (he will miss the post-test)
    for (const [person, correct] of [[cast.dexter, 4], [cast.ava, 8], [cast.neville, 10]] as const) {
      const paper = unwrap(await coordinatorPost(resultsPage, `/events/${eventId}/tests/results`, { intent: "paper", registrationId: String(person.registrationId), phase: "pre", correct: String(correct) }));
      expect(paper.status).toBeLessThan(400);
    }
    const submitted = await rawAll<{ registrationId: number; source: string; correct: number }>(
      `select a.registration_id as "registrationId", a.source as source, a.correct as correct from knowledge_test_attempts a
       join knowledge_tests t on t.id = a.test_id where t.event_id = ? and a.phase = 'pre' and a.submitted_at is not null`,
      eventId,
    );
    const byReg = new Map(submitted.map((s) => [Number(s.registrationId), s]));
    expect(byReg.get(cast.kirk.registrationId)).toMatchObject({ source: "online", correct: 6 });
    expect(byReg.get(cast.marcia.registrationId)).toMatchObject({ source: "online", correct: 9 });
    expect(byReg.get(cast.cheryl.registrationId)).toMatchObject({ source: "online", correct: 7 });
    expect(byReg.size).toBe(6);
  });

  it("3. the post-test follows on the second afternoon: phones, a new link for Cheryl, a code on the venue screen for Dexter, paper for Ava", async () => {
    await at(startDate, "17:00");
    expect(unwrap(await coordinatorPost(testsTab, `/events/${eventId}/tests`, { intent: "close", phase: "pre" })).status).toBe(302);
    await at(endDate, "15:00");
    expect(unwrap(await coordinatorPost(testsTab, `/events/${eventId}/tests`, { intent: "open", phase: "post" })).status).toBe(302);

    expect(unwrap(await onPhone(cast.kirk, "post", await answersScoring(12))).status).toBe(302);
    expect(unwrap(await onPhone(cast.marcia, "post", await answersScoring(14))).status).toBe(302);

    expect(unwrap(await coordinatorPost(accessTab, `/events/${eventId}/evaluation-access`, { intent: "email", target: "post", language: "en" })).status).toBe(302);
    await deliver();
    const postMail = smtp.to(cast.cheryl.email!).at(-1)!;
    const cheryl = await openLink(linkIn(postMail.text));
    expect(unwrap(await call(take.action, makeRequest("/take?index", { cookie: cheryl, form: await answersScoring(13) }))).status).toBe(302);

    // Dexter types the code printed on his slip on the page the venue screen's QR code opens
    const code = await personalCodeFor(eventId, cast.dexter.registrationId, "post");
    const entered = unwrap(await call(codeEntry.action, makeRequest(`/take/code/${eventId}/post`, { form: { code } }), { eventId: String(eventId), target: "post" }));
    expect(entered.status).toBe(302);
    const dexter = entered.headers.get("Set-Cookie")!.split(";")[0];
    expect(unwrap(await call(take.action, makeRequest("/take?index", { cookie: dexter, form: await answersScoring(10) }))).status).toBe(302);

    const paper = unwrap(await coordinatorPost(resultsPage, `/events/${eventId}/tests/results`, { intent: "paper", registrationId: String(cast.ava.registrationId), phase: "post", correct: "11" }));
    expect(paper.status).toBeLessThan(400);
  });

  it("4. the results page pairs each person's two scores and shows the event's gain and the topics that did not land", async () => {
    const page = unwrap(await call(resultsPage.loader, makeRequest(`/events/${eventId}/tests/results`, { cookie: cookies.coordinator }), { eventId: String(eventId) }));
    expect(page.status).toBe(200);
    const results = page.data;
    const pct = (n: number) => Math.round((n * 1000) / questionCount) / 10;
    const row = (p: Person) => results.people.find((r: { registrationId: number }) => r.registrationId === p.registrationId);
    const expected: [Person, number, number | null][] = [
      [cast.kirk, 6, 12], [cast.marcia, 9, 14], [cast.cheryl, 7, 13], [cast.dexter, 4, 10], [cast.ava, 8, 11], [cast.neville, 10, null],
    ];
    for (const [person, pre, post] of expected) {
      expect(row(person).pre).toBeCloseTo(pct(pre), 1);
      if (post === null) {
        expect(row(person).post).toBeNull();
        expect(row(person).gain).toBeNull();
      } else {
        expect(row(person).post).toBeCloseTo(pct(post), 1);
        expect(row(person).gain).toBeCloseTo(pct(post) - pct(pre), 0);
      }
    }
    const summary = results.summary;
    const paired = expected.filter(([, , post]) => post !== null);
    expect(summary.paired).toBe(5);
    const meanPre = paired.reduce((s, [, pre]) => s + (pre * 100) / questionCount, 0) / paired.length;
    const meanPost = paired.reduce((s, [, , post]) => s + (post! * 100) / questionCount, 0) / paired.length;
    expect(summary.meanPre).toBeCloseTo(meanPre, 0);
    expect(summary.meanPost).toBeCloseTo(meanPost, 0);
    expect(summary.improvedShare).toBe(1);
    // per question: the online attempts' right answers, before and after (the three phones and Dexter's code)
    const first = results.perQuestion[0];
    expect(first.pre.answered).toBe(3);
    expect(first.post.answered).toBe(4);
    const last = results.perQuestion[questionCount - 1];
    expect(last.pre.right).toBe(0); // nobody knew the last topic before
  });

  it("5. the feedback form collects five answers, lists the one who did not answer, and reminds him once", async () => {
    await at(endDate, "16:30");
    expect(unwrap(await coordinatorPost(feedbackTab, `/events/${eventId}/feedback`, { intent: "open" })).status).toBe(302);
    for (const person of [cast.kirk, cast.marcia]) {
      const answered = unwrap(await call(phoneFeedback.action, makeRequest(`/me/feedback/${eventId}`, { cookie: person.cookie, form: { ...RATINGS, comment: `Useful for the airport (${person.personId})` } }), { eventId: String(eventId) }));
      expect(answered.status).toBe(302);
    }
    // Cheryl, Dexter and Ava answer with the codes on their slips
    for (const person of [cast.cheryl, cast.dexter, cast.ava]) {
      const code = await personalCodeFor(eventId, person.registrationId, "feedback");
      const entered = unwrap(await call(codeEntry.action, makeRequest(`/take/code/${eventId}/feedback`, { form: { code } }), { eventId: String(eventId), target: "feedback" }));
      expect(entered.status).toBe(302);
      const cookie = entered.headers.get("Set-Cookie")!.split(";")[0];
      const ratings = person === cast.dexter ? { ...RATINGS, relevance: "3", confidence: "3" } : RATINGS;
      expect(unwrap(await call(take.action, makeRequest("/take?index", { cookie, form: ratings }))).status).toBe(302);
    }
    const open = unwrap(await call(feedbackTab.loader, makeRequest(`/events/${eventId}/feedback`, { cookie: cookies.coordinator }), { eventId: String(eventId) }));
    expect(open.data.respondents).toBe(5);
    expect(open.data.results).toBeNull(); // nothing is shown while answers come in
    expect(open.data.nonRespondents.map((p: { personId: number }) => p.personId)).toEqual([cast.neville.personId]);

    expect(unwrap(await coordinatorPost(feedbackTab, `/events/${eventId}/feedback`, { intent: "remind" })).status).toBe(302);
    await deliver();
    expect(smtp.to(cast.neville.email!).length).toBe(1);
    // one reminder only: a second one is refused and sends nothing
    const second = unwrap(await coordinatorPost(feedbackTab, `/events/${eventId}/feedback`, { intent: "remind" }));
    expect(second.status).toBeGreaterThanOrEqual(400);
    await deliver();
    expect(smtp.to(cast.neville.email!).length).toBe(1);

    await at(datePlusDays(endDate, 3), "12:00");
    expect(unwrap(await coordinatorPost(feedbackTab, `/events/${eventId}/feedback`, { intent: "close" })).status).toBe(302);
    const closed = unwrap(await call(feedbackTab.loader, makeRequest(`/events/${eventId}/feedback`, { cookie: cookies.coordinator }), { eventId: String(eventId) }));
    const relevance = closed.data.results.questions.find((q: { question: string }) => q.question === "relevance");
    expect(relevance.counts).toEqual([0, 0, 1, 0, 4]); // four rated 5, Dexter 3
    expect(relevance.mean).toBe(4.6);
    expect(closed.data.results.comments).toHaveLength(2);
    // answers never carry a name: the results hold no person of the roster
    const shown = JSON.stringify(closed.data.results);
    for (const name of ["Kirk", "Marcia", "Cheryl", "Dexter", "Ava"]) expect(shown).not.toContain(name);
  });

  it("6. the donor's report of those two days shows the knowledge gain and the satisfaction, protected, with the groups under five hidden", async () => {
    await at(datePlusDays(endDate, 10), "12:00");
    const query = `?from=${startDate}&to=${endDate}`;
    const page = unwrap(await call(reportsPage.loader, makeRequest(`/reports${query}`, { cookie: cookies.donor })));
    expect(page.status).toBe(200);
    const report = page.data.report;
    expect(report.protected).toBe(true);
    const k = report.knowledge;
    // five paired people: shown, perturbed, means rounded to 5 points
    expect(k.paired).not.toBe("small");
    expect(Math.abs(k.paired - 5)).toBeLessThanOrEqual(3);
    for (const value of [k.meanPre, k.meanPost]) expect(value % 5).toBe(0);
    expect(k.meanPost).toBeGreaterThan(k.meanPre);
    // three women and two men paired: both groups hidden, no mean of theirs
    expect(k.bySex.lines.length).toBe(2);
    for (const line of k.bySex.lines) {
      expect(line.paired).toBe("small");
      expect([line.meanPre, line.meanPost, line.gain]).toEqual([null, null, null]);
    }
    // no individual score anywhere on the donor's page
    const text = JSON.stringify(page.data);
    for (const name of ["Kirk", "Marcia", "Cheryl", "Dexter", "Ava", "Neville"]) expect(text).not.toContain(name);
    // satisfaction from the closed form with five answers: "rated 4 or 5" as protected shares, no mean nor distribution
    const s = report.satisfaction;
    expect(s.answers).not.toBe("small");
    const relevance = s.questions.find((q: { key: string }) => q.key === "relevance");
    expect(relevance.mean).toBeNull();
    expect(relevance.distribution).toBeNull();
    expect(Math.round(relevance.agreeShare * 100) % 5).toBe(0);

    // the coordinator's report of the same days: exact figures
    const exact = unwrap(await call(reportsPage.loader, makeRequest(`/reports${query}`, { cookie: cookies.coordinator })));
    const ck = exact.data.report.knowledge;
    expect(ck.paired).toBe(5);

    // the CSV gives the donor the same figures as the page
    const csv = (await call(reportsCsv.loader, makeRequest(`/reports.csv${query}`, { cookie: cookies.donor }))) as Response;
    expect(csv.status).toBe(200);
    const body = await csv.text();
    expect(body).toContain(String(k.meanPre));
    expect(body).not.toMatch(/Kirk|Marcia|Cheryl/);
  });
});

function datePlusDays(day: string, days: number) {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
