import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb, firstRow } from "../../db/client";
import { emailOutbox, events, people, registrations, users } from "../../db/schema";
import { DEMO_EVENTS, seedDemo } from "../../db/seed/demo";
import * as tab from "~/routes/events.$eventId.feedback";
import * as form from "~/routes/me_.feedback.$eventId";
import * as me from "~/routes/me";
import { FEEDBACK_COMMENT_MAX } from "~/lib/feedback";
import { createTransport, deliverDueEmails } from "~/models/outbox.server";
import { postBigBody } from "../setup/big-body";
import { call, createUser, makeRequest, rawAll, rawGet, runElsewhere, sessionCookie, unwrap, clearDemoEvaluation } from "../setup/helpers";
import { TestSmtp } from "../setup/mail";
import { startRouteServer } from "../setup/route-server";

/**
 * The feedback form of an event, end to end through the real loaders and actions: the coordinator
 * opens it, confirmed participants answer from their page (anonymously, once), non-respondents
 * get one reminder through the outbox and a real SMTP server, the coordinator closes it and reads
 * distributions and comments — and every other role, a participant of another event, and odd
 * input are refused with nothing changed.
 */

const TODAY = new Date("2026-11-22T12:00:00Z");
const db = () => getDb();
const onPostgres = () => !!process.env.DATABASE_URL;

let vi: number;
let bahrain: number;
let draft: number;
const cookies: Record<string, string> = {};
/** participants of the victim-identification training with an account, by name: cookie, person id, email */
const officers: { name: string; cookie: string; personId: number; email: string }[] = [];
let xParticipantCookie: string;
const smtp = new TestSmtp();

async function userByEmail(email: string) {
  return firstRow(await db().select().from(users).where(eq(users.email, email)).limit(1))!;
}
async function eventIdOf(title: string) {
  return firstRow(await db().select({ id: events.id }).from(events).where(eq(events.title, title)).limit(1))!.id;
}

beforeAll(async () => {
  await seedDemo(db(), { today: TODAY });
  await clearDemoEvaluation(); // these tests build their own tests and forms on the demo events
  for (const role of ["admin", "coordinator", "facilitator", "participant", "partner", "donor"]) {
    const u = await userByEmail(`${role}@example.org`);
    cookies[role] = await sessionCookie({ id: u.id, role: u.role });
  }
  vi = await eventIdOf(DEMO_EVENTS.victimIdentification);
  bahrain = await eventIdOf(DEMO_EVENTS.bahrain);
  draft = await eventIdOf(DEMO_EVENTS.draft);

  // participant@example.org, and six more confirmed officers of the training given accounts (officers[5] reads Arabic)
  const demoParticipant = await userByEmail("participant@example.org");
  const confirmed = await db()
    .select({ personId: people.id, given: people.givenName, family: people.familyName, userId: people.userId, email: people.email })
    .from(registrations)
    .innerJoin(people, eq(people.id, registrations.personId))
    .where(and(eq(registrations.eventId, vi), eq(registrations.eventRole, "participant"), eq(registrations.status, "confirmed")))
    .orderBy(asc(registrations.id));
  const mine = confirmed.find((p) => p.userId === demoParticipant.id)!;
  officers.push({ name: `${mine.given} ${mine.family}`, cookie: cookies.participant, personId: mine.personId, email: mine.email ?? demoParticipant.email });
  for (const [i, p] of confirmed.filter((c) => c.userId === null && c.email).slice(0, 6).entries()) {
    const account = await createUser({ role: "participant", email: `officer${i}@test.example`, name: `${p.given} ${p.family}` });
    if (i === 4) await db().update(users).set({ locale: "ar" }).where(eq(users.id, account.id));
    await db().update(people).set({ userId: account.id }).where(eq(people.id, p.personId));
    officers.push({ name: `${p.given} ${p.family}`, cookie: await sessionCookie(account), personId: p.personId, email: p.email! });
  }

  // a participant of another event (the Bahrain training)
  const bahrainOfficer = firstRow(await db()
    .select({ personId: registrations.personId })
    .from(registrations)
    .where(and(eq(registrations.eventId, bahrain), eq(registrations.eventRole, "participant"), eq(registrations.status, "confirmed")))
    .orderBy(asc(registrations.id))
    .limit(1))!;
  const x = await createUser({ role: "participant" });
  await db().update(people).set({ userId: x.id }).where(eq(people.id, bahrainOfficer.personId));
  xParticipantCookie = await sessionCookie(x);
  await smtp.start();
});
afterAll(async () => await smtp.stop());

const tabUrl = (eventId: number | string) => `/events/${eventId}/feedback`;
const getTab = async (cookie: string | undefined, eventId: number | string = vi) =>
  await call(tab.loader, makeRequest(tabUrl(eventId), { cookie }), { eventId: String(eventId) });
/** `cookie` null: no session (undefined would mean the coordinator) */
const postTab = async (formData: Record<string, string>, cookie: string | null = cookies.coordinator, eventId: number | string = vi) =>
  await call(tab.action, makeRequest(tabUrl(eventId), { cookie: cookie ?? undefined, form: formData }), { eventId: String(eventId) });
const formUrl = (eventId: number | string) => `/me/feedback/${eventId}`;
const getForm = async (cookie: string | undefined, eventId: number | string = vi) =>
  await call(form.loader, makeRequest(formUrl(eventId), { cookie }), { eventId: String(eventId) });
const answer = async (cookie: string | undefined, values: Record<string, string>, eventId: number | string = vi) =>
  await call(form.action, makeRequest(formUrl(eventId), { cookie, form: values }), { eventId: String(eventId) });

const ratings = (overall: number, rest = overall) => ({
  overall: String(overall),
  content: String(rest),
  facilitators: String(rest),
  relevance: String(rest),
  confidence: String(rest),
});

const counts = async () => ({
  forms: (await rawGet<{ n: number }>("select cast(count(*) as integer) as n from feedback_forms"))!.n,
  respondents: (await rawGet<{ n: number }>("select cast(count(*) as integer) as n from feedback_respondents"))!.n,
  answers: (await rawGet<{ n: number }>("select cast(count(*) as integer) as n from feedback_answers"))!.n,
});
const reminderEmails = async () => await db().select().from(emailOutbox).where(eq(emailOutbox.kind, "feedback_reminder")).orderBy(asc(emailOutbox.id));

function expectStatus(result: unknown, status: number) {
  expect(result).toBeInstanceOf(Response);
  expect((result as Response).status).toBe(status);
}

describe("the feedback form of an event", () => {
  it("keeps who answered apart from what was answered: an answer has no person, no time and no sequential id", async () => {
    const answerColumns = await rawAll<{ name: string }>(
      onPostgres()
        ? "select column_name as name from information_schema.columns where table_name = 'feedback_answers' order by column_name"
        : "select name from pragma_table_info('feedback_answers') order by name",
    );
    // cell_key: the disclosure control's random 0–99 key of the answer (donors' satisfaction figures)
    expect(answerColumns.map((c) => c.name)).toEqual([
      "cell_key",
      "comment",
      "form_id",
      "id",
      "rating_confidence",
      "rating_content",
      "rating_facilitators",
      "rating_overall",
      "rating_relevance",
    ]);
    const respondentColumns = await rawAll<{ name: string }>(
      onPostgres()
        ? "select column_name as name from information_schema.columns where table_name = 'feedback_respondents' order by column_name"
        : "select name from pragma_table_info('feedback_respondents') order by name",
    );
    expect(respondentColumns.map((c) => c.name)).toEqual(["form_id", "person_id"]);
  });

  it("is not there before the coordinator opens it: the participant's page says so and refuses an answer", async () => {
    const page = unwrap(await getForm(cookies.participant));
    expect(page.status).toBe(200);
    expect(page.data).toMatchObject({ state: "notOpened", answered: false, event: { id: vi } });
    const refused = unwrap(await answer(cookies.participant, ratings(5)));
    expect(refused.status).toBe(400);
    expect(refused.data.refusal).toBe("feedback.errors.notOpenYet");
    expect(await counts()).toEqual({ forms: 0, respondents: 0, answers: 0 });
    const tabPage = unwrap(await getTab(cookies.coordinator));
    expect(tabPage.data).toMatchObject({ state: "notOpened", canOpen: true, confirmed: 22, respondents: 0 });
  });

  it("cannot be opened for a draft event", async () => {
    const refused = unwrap(await postTab({ intent: "open" }, cookies.coordinator, draft));
    expect(refused.status).toBe(400);
    expect(refused.data.error).toBe("feedback.errors.eventNotRunning");
    expect((await counts()).forms).toBe(0);
  });

  it("opens now; a second click changes nothing; participants find it on their page", async () => {
    const opened = await postTab({ intent: "open" });
    expectStatus(opened, 302);
    expect((opened as Response).headers.get("Location")).toBe(tabUrl(vi));
    expectStatus(await postTab({ intent: "open" }), 302);
    expect((await counts()).forms).toBe(1);
    const tabPage = unwrap(await getTab(cookies.coordinator));
    expect(tabPage.data).toMatchObject({ state: "open", respondents: 0, answeredConfirmed: 0, confirmed: 22, results: null });
    expect(tabPage.data.nonRespondents).toHaveLength(22);

    const mePage = unwrap(await call(me.loader, makeRequest("/me", { cookie: cookies.participant })));
    expect(mePage.data.feedback).toEqual([{ eventId: vi, title: DEMO_EVENTS.victimIdentification, answered: false }]);
    expect(unwrap(await getForm(cookies.participant)).data).toMatchObject({ state: "open", answered: false });
  });

  it("refuses an answer with a rating missing or out of 1–5, or a comment too long, keeping what was typed", async () => {
    const missing = unwrap(await answer(cookies.participant, { ...ratings(4), confidence: "", comment: "Useful module on interviews" }));
    expect(missing.status).toBe(400);
    expect(missing.data.errors).toEqual({ confidence: "feedback.errors.ratingRequired" });
    expect(missing.data.values.comment).toBe("Useful module on interviews");
    for (const bad of ["0", "6", "-1", "3.5", "1e0", "five", "99999999999999999999"]) {
      const refused = unwrap(await answer(cookies.participant, { ...ratings(4), overall: bad }));
      expect(refused.status, bad).toBe(400);
      expect(refused.data.errors.overall).toBe("feedback.errors.ratingRequired");
    }
    const long = unwrap(await answer(cookies.participant, { ...ratings(4), comment: "x".repeat(FEEDBACK_COMMENT_MAX + 1) }));
    expect(long.status).toBe(400);
    expect(long.data.errors.comment).toBe(`errors.tooLong|max=${FEEDBACK_COMMENT_MAX}`);
    const repeated = unwrap(await call(form.action, makeRequest(formUrl(vi), { cookie: cookies.participant, form: { ...ratings(4), overall: ["5", "1"] } }), { eventId: String(vi) }));
    expect(repeated.status).toBe(400);
    expect(await counts()).toMatchObject({ respondents: 0, answers: 0 });
  });

  it("records one answer per person: a second one is refused and changes nothing", async () => {
    const sent = await answer(cookies.participant, { ...ratings(5, 4), comment: "  The case studies from our own ports were the best part.  " });
    expectStatus(sent, 302);
    expect((sent as Response).headers.get("Location")).toBe(formUrl(vi));
    expect(unwrap(await getForm(cookies.participant)).data).toMatchObject({ state: "open", answered: true });
    const stored = await rawAll<Record<string, unknown>>("select * from feedback_answers");
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ rating_overall: 5, rating_content: 4, comment: "The case studies from our own ports were the best part." });
    expect(String(stored[0].id)).toMatch(/^[0-9a-f]{32}$/);
    expect(await rawAll("select person_id as \"personId\" from feedback_respondents")).toEqual([{ personId: officers[0].personId }]);

    const again = unwrap(await answer(cookies.participant, { ...ratings(1), comment: "changed my mind" }));
    expect(again.status).toBe(400);
    expect(again.data.refusal).toBe("feedback.errors.alreadyAnswered");
    expect(again.data.values.comment).toBe("changed my mind");
    expect(await counts()).toMatchObject({ respondents: 1, answers: 1 });
    expect((await rawGet<{ c: string }>("select comment as c from feedback_answers"))!.c).toBe("The case studies from our own ports were the best part.");

    const mePage = unwrap(await call(me.loader, makeRequest("/me", { cookie: cookies.participant })));
    expect(mePage.data.feedback).toEqual([{ eventId: vi, title: DEMO_EVENTS.victimIdentification, answered: true }]);
  });

  it("keeps one answer when the same person sends it many times at once", async () => {
    const officer = officers[1];
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => answer(officer.cookie, { ...ratings(4, 3), comment: `burst ${i}` })));
    const accepted = results.filter((r) => r instanceof Response && r.status === 302);
    expect(accepted).toHaveLength(1);
    for (const r of results.filter((x) => !(x instanceof Response))) expect(unwrap(r).data.refusal).toBe("feedback.errors.alreadyAnswered");
    expect(await counts()).toMatchObject({ respondents: 2, answers: 2 });
    expect(await rawAll("select comment from feedback_answers where comment like 'burst %'")).toHaveLength(1);
  });

  it("lets the database itself refuse a second respondent row for the same person, from another connection", async () => {
    const form = (await rawGet<{ id: number }>("select id from feedback_forms where event_id = ?", vi))!;
    await expect(runElsewhere("insert into feedback_respondents (form_id, person_id) values (?, ?)", form.id, officers[0].personId)).rejects.toThrow();
    await expect(runElsewhere("insert into feedback_answers (id, form_id, rating_overall, rating_content, rating_facilitators, rating_relevance, rating_confidence) values ('x', ?, 6, 1, 1, 1, 1)", form.id)).rejects.toThrow();
    expect(await counts()).toMatchObject({ respondents: 2, answers: 2 });
  });

  it("keeps no insertion order of the answers the database could give away (SQLite: no rowid; PostgreSQL: all rewritten by the newest answer's transaction)", async () => {
    const before = onPostgres() ? await rawAll<{ v: string }>("select cast(xmin as text) as v from feedback_answers") : [];
    const keysBefore = await rawAll<{ id: string; k: number }>("select id, cell_key as k from feedback_answers");
    expectStatus(await answer(officers[2].cookie, { ...ratings(3), comment: "More time for the role plays, please." }), 302);
    expect(await rawAll("select id from feedback_answers")).toHaveLength(3);
    // each answer keeps its random cell key through the rewrite; the new one has its own
    const keysAfter = await rawAll<{ id: string; k: number }>("select id, cell_key as k from feedback_answers");
    for (const b of keysBefore) expect(keysAfter.find((a) => a.id === b.id)?.k).toBe(b.k);
    expect(keysAfter.every((a) => a.k !== null && Number.isInteger(Number(a.k)) && Number(a.k) >= 0 && Number(a.k) < 100)).toBe(true);
    if (onPostgres()) {
      // one transaction wrote all three rows again: the newest cannot be told from the others
      const after = await rawAll<{ v: string }>("select cast(xmin as text) as v from feedback_answers");
      expect(new Set(after.map((r) => r.v)).size).toBe(1);
      expect(before.map((r) => r.v)).not.toContain(after[0].v);
    } else {
      await expect(rawAll("select rowid from feedback_answers")).rejects.toThrow(/rowid/);
    }
  });

  it("shows the coordinator who has not answered, but no answer while the form is open", async () => {
    const { data } = unwrap(await getTab(cookies.coordinator));
    expect(data).toMatchObject({ state: "open", respondents: 3, answeredConfirmed: 3, confirmed: 22, results: null });
    const names = data.nonRespondents.map((p: { name: string }) => p.name);
    expect(names).toHaveLength(19);
    for (const o of officers.slice(0, 3)) expect(names).not.toContain(o.name);
    for (const o of officers.slice(3)) expect(names).toContain(o.name);
    expect(data.nonRespondents.find((p: { name: string }) => p.name === officers[3].name).online).toBe(true);
    expect(data.nonRespondents.filter((p: { online: boolean }) => !p.online).length).toBeGreaterThan(0);
    expect(JSON.stringify(data)).not.toContain("role plays");
  });

  it("sends one reminder to the non-respondents, in their language, through the outbox and SMTP: account holders to their page, the others with their personal link", async () => {
    const sent = await postTab({ intent: "remind" });
    expectStatus(sent, 302);
    const queued = await reminderEmails();
    const roster = await db()
      .select({ email: people.email, userId: people.userId })
      .from(registrations)
      .innerJoin(people, eq(people.id, registrations.personId))
      .where(and(eq(registrations.eventId, vi), eq(registrations.status, "confirmed"), eq(registrations.eventRole, "participant")));
    const answeredEmails = officers.slice(0, 3).map((o) => o.email);
    const waiting = roster.filter((r) => r.email !== null && !answeredEmails.includes(r.email));
    expect(queued.map((m) => m.toAddress).sort()).toEqual(waiting.map((r) => r.email!).sort());
    expect(queued.map((m) => m.toAddress)).toEqual(expect.arrayContaining(officers.slice(3).map((o) => o.email)));
    // the demo's roster holds people without an account, with an email: each gets a link of their own
    const withoutAccount = waiting.filter((r) => r.userId === null).map((r) => r.email!);
    expect(withoutAccount.length).toBeGreaterThan(0);
    const personalLinks = new Set<string>();
    for (const m of queued) {
      if (withoutAccount.includes(m.toAddress)) {
        expect(m.text).not.toContain("/me/feedback/");
        personalLinks.add(/\/take\/(\S+)/.exec(m.text)![1]);
      } else {
        expect(m.text).toContain(`/me/feedback/${vi}`);
        expect(m.text).not.toContain("/take/");
      }
    }
    expect(personalLinks.size).toBe(withoutAccount.length);

    const delivered = await deliverDueEmails(getDb(), { transport: createTransport(smtp.url), from: "Convene <no-reply@convene.example.org>", retryMs: 60_000 });
    expect(delivered).toBe(queued.length);
    const arabic = smtp.to(officers[5].email)[0];
    expect(arabic.subject).toBe(`رأيك في ${DEMO_EVENTS.victimIdentification}`);
    expect(arabic.html).toContain('dir="rtl"');
    const english = smtp.to(officers[4].email)[0];
    expect(english.subject).toBe(`Your feedback on ${DEMO_EVENTS.victimIdentification}`);
    expect(english.text).toContain(`http://localhost:3000/me/feedback/${vi}`);
    expect(english.text).toContain("anonymous");
    expect(english.headers.get("list-unsubscribe")).toBeTruthy();
    for (const o of officers.slice(0, 3)) expect(smtp.to(o.email)).toHaveLength(0);

    const page = unwrap(await getTab(cookies.coordinator));
    expect(page.data.reminderSentAt).not.toBeNull();
    const again = unwrap(await postTab({ intent: "remind" }));
    expect(again.status).toBe(400);
    expect(again.data.error).toBe("feedback.errors.reminderAlreadySent");
    expect(typeof again.data.values.at).toBe("number");
    expect(await reminderEmails()).toHaveLength(queued.length);
  });

  it("refuses the coordinator's tab and its actions to every other role, and the form to anyone but the event's confirmed participants", async () => {
    const before = await counts();
    for (const role of ["facilitator", "partner", "donor", "participant"]) {
      expectStatus(await getTab(cookies[role]), 403);
      for (const intent of ["open", "close", "remind"]) expectStatus(await postTab({ intent }, cookies[role]), 403);
    }
    const anonymous = await getTab(undefined);
    expectStatus(anonymous, 302);
    expect((anonymous as Response).headers.get("Location")).toBe(`/login?redirectTo=${encodeURIComponent(tabUrl(vi))}`);
    const anonymousClose = await postTab({ intent: "close" }, null);
    expectStatus(anonymousClose, 302);
    expect((anonymousClose as Response).headers.get("Location")).toMatch(/^\/login\?redirectTo=/);
    expect(unwrap(await getTab(cookies.admin)).status).toBe(200);

    for (const role of ["facilitator", "partner", "donor", "coordinator", "admin"]) {
      expectStatus(await getForm(cookies[role]), 403);
      expectStatus(await answer(cookies[role], ratings(1)), 403);
    }
    expectStatus(await getForm(undefined), 302);
    expectStatus(await answer(undefined, ratings(1)), 302);
    // a participant of another event: as if there were no such form
    expectStatus(await getForm(xParticipantCookie), 404);
    expectStatus(await answer(xParticipantCookie, ratings(1)), 404);
    // a participant asking for the form of an event they are not in
    expectStatus(await getForm(cookies.participant, bahrain), 404);
    expectStatus(await answer(cookies.participant, ratings(1), bahrain), 404);
    expect(await counts()).toEqual(before);
  });

  it("answers ids beyond range, malformed ids and junk bodies with a 4xx, never a 500", async () => {
    for (const id of ["0", "-1", "abc", "1.5", "2147483648", "99999999999999999999", "1e3"]) {
      expectStatus(await getTab(cookies.coordinator, id), 404);
      expectStatus(await postTab({ intent: "open" }, cookies.coordinator, id), 404);
      expectStatus(await getForm(cookies.participant, id), 404);
      expectStatus(await answer(cookies.participant, ratings(3), id), 404);
    }
    expectStatus(await getTab(cookies.coordinator, 2147483647), 404);
    const bogus = unwrap(await postTab({ intent: "delete-everything" }));
    expect(bogus.status).toBe(400);
    const json = await call(tab.action, new Request(`http://localhost:3000${tabUrl(vi)}`, { method: "POST", headers: { Cookie: cookies.coordinator, Origin: "http://localhost:3000", "Content-Type": "application/json" }, body: "{\"intent\":\"close\"}" }), { eventId: String(vi) });
    expectStatus(json, 415);
    const garbled = await call(form.action, new Request(`http://localhost:3000${formUrl(vi)}`, { method: "POST", headers: { Cookie: officers[5].cookie, Origin: "http://localhost:3000", "Content-Type": "multipart/form-data" }, body: "junk" }), { eventId: String(vi) });
    expectStatus(garbled, 400);
    expect(unwrap(await getTab(cookies.coordinator)).data.state).toBe("open");
  });

  it("refuses a huge body before reading it (413), and a body from another origin (403)", async () => {
    const { base, close } = await startRouteServer({ "me/feedback/:eventId": form, "events/:eventId/feedback": tab });
    try {
      const before = await counts();
      const huge = await postBigBody(`${base}/me/feedback/${vi}`, { total: 50_000_000, send: 64_000, headers: { Origin: base, Cookie: officers[5].cookie } });
      expect(huge.status).toBe(413);
      const foreign = await fetch(`${base}/events/${vi}/feedback`, {
        method: "POST",
        headers: { Origin: "https://evil.example", Cookie: cookies.coordinator, "Content-Type": "application/x-www-form-urlencoded" },
        body: "intent=close",
        redirect: "manual",
      });
      expect(foreign.status).toBe(403);
      expect(await counts()).toEqual(before);
      expect(unwrap(await getTab(cookies.coordinator)).data.state).toBe("open");
    } finally {
      await close();
    }
  });

  it("shows no results after closing while fewer than five answered", async () => {
    // a fourth answer, then close
    expectStatus(await answer(officers[3].cookie, { ...ratings(2, 4) }), 302);
    expectStatus(await postTab({ intent: "close" }), 302);
    const { data } = unwrap(await getTab(cookies.coordinator));
    expect(data).toMatchObject({ state: "closed", respondents: 4, results: null });
    expect(data.closedAt).not.toBeNull();
  });

  it("refuses an answer after closing with the answers kept visible, and never opens again", async () => {
    const late = unwrap(await answer(officers[4].cookie, { ...ratings(5), comment: "Sent from the bus" }));
    expect(late.status).toBe(400);
    expect(late.data.refusal).toBe("feedback.errors.closedAnswerNotKept");
    expect(typeof late.data.refusalValues.at).toBe("number");
    expect(late.data.values).toMatchObject({ overall: "5", comment: "Sent from the bus" });
    expect(await counts()).toMatchObject({ respondents: 4, answers: 4 });
    expect(unwrap(await getForm(officers[4].cookie)).data).toMatchObject({ state: "closed", answered: false });

    const reopen = unwrap(await postTab({ intent: "open" }));
    expect(reopen.status).toBe(400);
    expect(reopen.data.error).toBe("feedback.errors.closedForGood");
    const remind = unwrap(await postTab({ intent: "remind" }));
    expect(remind.status).toBe(400);
    const mePage = unwrap(await call(me.loader, makeRequest("/me", { cookie: officers[4].cookie })));
    expect(mePage.data.feedback).toEqual([]);
  });
});

describe("the results of a closed form", () => {
  let followUp: number;
  const answers = [
    { ...ratings(5, 5), comment: "Excellent, practical and close to our work." },
    { ...ratings(4, 4), comment: "" },
    { ...ratings(4, 3), comment: "The legal module was too fast." },
    { ...ratings(3, 4), comment: "More on interviewing children." },
    { ...ratings(5, 2), comment: "" },
    { ...ratings(2, 5), comment: "مفيد جدا" },
  ];

  beforeAll(async () => {
    // a second event with the same officers, so that six of them answer
    followUp = (await db().insert(events).values({ title: "Feedback results training", type: "training", country: "BS", timeZone: "America/Nassau", startDate: "2026-11-16", endDate: "2026-11-18", status: "completed" }).returning())[0].id;
    await db().insert(registrations).values(officers.map((o) => ({ eventId: followUp, personId: o.personId, status: "confirmed" as const, statusChangedAt: TODAY })));
    expectStatus(await postTab({ intent: "open" }, cookies.coordinator, followUp), 302);
    for (const [i, a] of answers.entries()) expectStatus(await answer(officers[i].cookie, a, followUp), 302);
    expectStatus(await postTab({ intent: "close" }, cookies.admin, followUp), 302);
  });

  it("gives per question the count of each rating, the number of answers and the mean", async () => {
    const { data } = unwrap(await getTab(cookies.coordinator, followUp));
    expect(data).toMatchObject({ state: "closed", respondents: 6, confirmed: 7, answeredConfirmed: 6 });
    expect(data.nonRespondents.map((p: { name: string }) => p.name)).toEqual([officers[6].name]);
    const byQuestion = Object.fromEntries(data.results.questions.map((q: { question: string }) => [q.question, q]));
    expect(byQuestion.overall).toEqual({ question: "overall", counts: [0, 1, 1, 2, 2], total: 6, mean: 3.8 });
    expect(byQuestion.content).toEqual({ question: "content", counts: [0, 1, 1, 2, 2], total: 6, mean: 3.8 });
    expect(byQuestion.confidence.counts.reduce((a: number, b: number) => a + b, 0)).toBe(6);
  });

  it("lists the comments without names, in the stable order of their random ids, not the order they came", async () => {
    const first = unwrap(await getTab(cookies.coordinator, followUp)).data.results.comments;
    expect([...first].sort()).toEqual(answers.map((a) => a.comment).filter((c) => c !== "").sort());
    const second = unwrap(await getTab(cookies.admin, followUp)).data.results.comments;
    expect(second).toEqual(first);
    const ids = (await rawAll<{ id: string; comment: string | null }>("select id, comment from feedback_answers where form_id = (select id from feedback_forms where event_id = ?)", followUp))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((r) => r.comment)
      .filter((c) => c !== null);
    expect(first).toEqual(ids);
    const page = JSON.stringify(unwrap(await getTab(cookies.coordinator, followUp)).data.results);
    for (const o of officers) expect(page).not.toContain(o.name);
  });

  it("holds nothing that joins an answer to a person: no shared column but the form", async () => {
    const joined = await rawAll(
      "select a.id from feedback_answers a join feedback_respondents r on r.form_id = a.form_id where r.person_id = ?",
      officers[0].personId,
    );
    // the only join there is gives every answer of the form to every respondent of it
    const perForm = await rawAll<{ form_id: number; n: number }>("select form_id, cast(count(*) as integer) as n from feedback_answers group by form_id order by form_id");
    expect(joined.length).toBe(perForm.reduce((a, r) => a + r.n, 0));
  });
});
