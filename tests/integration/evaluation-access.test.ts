import { and, asc, eq, sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { getDb, firstRow } from "../../db/client";
import { events, eventSessions, people, registrationRequests, registrations, users } from "../../db/schema";
import { DEMO_EVENTS, seedDemo } from "../../db/seed/demo";
import type { Actor, SessionUser } from "~/auth/session.server";
import { setClock } from "~/lib/clock";
import { shuffledFor } from "~/lib/knowledge-tests";
import { accessTokenFor, LINK_TTL_MS, personalCodeFor, printedCode } from "~/models/evaluation-access.server";
import { openFeedbackForm } from "~/models/feedback.server";
import { closeSessionFeedbackForm, openSessionFeedbackForm, sessionFeedbackOverview } from "~/models/session-feedback.server";
import * as feedbackTab from "~/routes/events.$eventId.feedback";
import { createQuestion, openPhase } from "~/models/knowledge-tests.server";
import { createTransport, deliverDueEmails } from "~/models/outbox.server";
import * as accessTab from "~/routes/events.$eventId.evaluation-access";
import * as slips from "~/routes/events_.$eventId.evaluation.$target.slips";
import * as screen from "~/routes/events_.$eventId.evaluation.$target.screen";
import * as link from "~/routes/take.$token";
import * as take from "~/routes/take._index";
import * as entry from "~/routes/take.code.$eventId.$target";
import { call, makeRequest, rawAll, rawGet, rawRun, sessionCookie, unwrap, clearDemoEvaluation } from "../setup/helpers";
import { TestSmtp } from "../setup/mail";

/**
 * Knowledge tests and the feedback form for people on the roster without an account: personal
 * links sent by email (signed, expiring, for one person and one test phase or the form) and
 * personal codes on paper slips typed on the entry page of the venue screen's QR code. What a
 * link holder can do, what a forged, altered or expired link gets, the limits on codes, and who
 * may send links or print codes; the same for the short feedback form of one session (a link or
 * code opens that session's form only); and the end-of-event form's one reminder, which gives
 * people without an account their own link. Checks of the database go through raw SQL both
 * engines run.
 */

const TODAY = new Date("2026-11-22T12:00:00Z");
const APP_URL = "https://convene.example.org";
const db = () => getDb();
const smtp = new TestSmtp();

let viId: number;
let bahrainId: number;
let coordinator: Actor;
const cookies: Record<string, string> = {};
/** people on the victim-identification roster without an account */
const roster: Record<"amina" | "bruno" | "chloe", { personId: number; registrationId: number; email: string | null }> = {} as never;
/** a person without an account on the Bahrain training (another event) */
let bahrainRegistration: number;
let questionIds: number[] = [];

async function userByEmail(email: string) {
  return firstRow(await db().select().from(users).where(eq(users.email, email)).limit(1))!;
}

async function addToRoster(eventId: number, givenName: string, email: string | null) {
  const [person] = await db().insert(people).values({ givenName, familyName: "Roster", email }).returning({ id: people.id });
  const [registration] = await db()
    .insert(registrations)
    .values({ eventId, personId: person.id, eventRole: "participant", status: "confirmed", statusChangedAt: TODAY })
    .returning({ id: registrations.id });
  return { personId: person.id, registrationId: registration.id, email };
}

beforeAll(async () => {
  process.env.APP_URL = APP_URL;
  await smtp.start();
  setClock(() => TODAY.getTime());
  await seedDemo(db(), { today: TODAY });
  await clearDemoEvaluation(); // these tests build their own test and form
  viId = firstRow(await db().select({ id: events.id }).from(events).where(eq(events.title, DEMO_EVENTS.victimIdentification)).limit(1))!.id;
  bahrainId = firstRow(await db().select({ id: events.id }).from(events).where(eq(events.title, DEMO_EVENTS.bahrain)).limit(1))!.id;
  const u = await userByEmail("coordinator@example.org");
  const user: SessionUser = { id: u.id, email: u.email, name: u.name, role: u.role, organisationId: u.organisationId, locale: u.locale };
  coordinator = { user, ip: null };
  for (const role of ["admin", "coordinator", "facilitator", "participant", "partner", "donor"]) {
    const account = await userByEmail(`${role}@example.org`);
    cookies[role] = await sessionCookie({ id: account.id, role: account.role });
  }
  // the demo's people without an account on this roster get no email from these tests
  await rawRun(
    "update people set email = null where user_id is null and id in (select person_id from registrations where event_id = ?)",
    viId,
  );
  roster.amina = await addToRoster(viId, "Amina", "amina@ministry.example");
  roster.bruno = await addToRoster(viId, "Bruno", "bruno@ministry.example");
  roster.chloe = await addToRoster(viId, "Chloé", null);
  bahrainRegistration = (await addToRoster(bahrainId, "Dana", "dana@ministry.example")).registrationId;
  // Amina registered in French through the public form: her emails are in French
  await db().insert(registrationRequests).values({
    tokenHash: "x".repeat(64),
    eventId: viId,
    email: "amina@ministry.example",
    details: "{}",
    locale: "fr",
    consentWording: "J'accepte",
    expiresAt: TODAY,
    confirmedAt: TODAY,
  });
  for (const prompt of ["Who may be a victim?", "What comes first?"]) {
    const created = await createQuestion(coordinator, viId, {
      kind: "single",
      prompt,
      explanation: null,
      options: ["Right", "Wrong", "Also wrong"].map((label, i) => ({ label, correct: i === 0 })),
      trueFalseAnswer: null,
    });
    if (created.ok) questionIds.push(created.questionId);
  }
  await openPhase(coordinator, viId, "pre");
});

afterEach(() => setClock(() => TODAY.getTime()));
afterAll(async () => {
  setClock(null);
  await smtp.stop();
  delete process.env.APP_URL;
});

const tabPost = (cookie: string, form: Record<string, string>, eventId = viId) =>
  call(accessTab.action, makeRequest(`/events/${eventId}/evaluation-access`, { cookie, form }), { eventId: String(eventId) });

/** Open a link as a browser would: the token moves into a cookie, and the browser follows to /take. */
async function openLink(token: string) {
  const result = unwrap(await call(link.loader, makeRequest(`/take/${token}`), { token }));
  const setCookie = result.headers.get("Set-Cookie");
  return { ...result, cookie: setCookie ? setCookie.split(";")[0] : null };
}

const takeGet = async (cookie: string) => unwrap(await call(take.loader, makeRequest("/take", { cookie })));
const takePost = async (cookie: string | undefined, form: Record<string, string | string[]>, headers?: Record<string, string>) =>
  unwrap(await call(take.action, makeRequest("/take?index", { cookie, form, headers })));

/** The right answers of the test, as the form sends them. */
async function rightAnswers() {
  const options = await rawAll<{ questionId: number; optionId: number }>(
    "select question_id as \"questionId\", id as \"optionId\" from knowledge_test_options where is_correct = true and question_id in (?, ?)",
    questionIds[0],
    questionIds[1],
  );
  return Object.fromEntries(options.map((o) => [`q-${o.questionId}`, String(o.optionId)]));
}

function linkIn(text: string) {
  const m = /https:\/\/convene\.example\.org\/take\/([^\s)"<]+)/.exec(text);
  if (!m) throw new Error(`no personal link in:\n${text}`);
  return m[1];
}

describe("personal links by email", () => {
  let aminaToken = "";

  it("are sent by a coordinator to the people without an account who have not taken the pre-test, in their language, through the outbox and SMTP", async () => {
    const sent = unwrap(await tabPost(cookies.coordinator, { intent: "email", target: "pre", language: "es" }));
    expect(sent.status).toBe(302);
    const queued = await rawAll<{ to: string; kind: string }>("select to_address as \"to\", kind from email_outbox where kind = ? order by id", "evaluation_link");
    // Amina and Bruno: Chloé has no address, the demo's officers with accounts answer from their page
    expect(queued.map((q) => q.to).sort()).toEqual(["amina@ministry.example", "bruno@ministry.example"]);
    await deliverDueEmails(db(), { transport: createTransport(smtp.url), from: "Convene <no-reply@convene.example.org>", retryMs: 60_000 });
    const amina = smtp.to("amina@ministry.example")[0];
    const bruno = smtp.to("bruno@ministry.example")[0];
    expect(amina.subject).toContain("Votre test initial");
    expect(bruno.subject).toContain("Su prueba inicial"); // no language known: the one the coordinator chose
    // no account needed, and the footer does not say they have one
    expect(amina.text).toContain("parce que vous participez à une formation");
    expect(bruno.text).toContain("porque participa en una capacitación");
    expect(amina.text + bruno.text).not.toMatch(/compte Convene|cuenta en Convene/);
    aminaToken = linkIn(amina.text);
    expect(linkIn(amina.html)).toBe(aminaToken);
    expect(linkIn(bruno.text)).not.toBe(aminaToken);
    // the audit log says who sent links to whom, never the links
    const audit = await rawGet<{ details: string }>("select details from audit_log where action = ?", "evaluation.links_email");
    expect(JSON.stringify(audit)).toContain(String(roster.amina.registrationId));
    const everything = await rawAll<{ details: string | null }>("select details from audit_log");
    expect(JSON.stringify(everything)).not.toContain(aminaToken.split(".").at(-1)!);
  });

  it("let the person take the pre-test without an account: answers in her own order, saved as she goes, one submission", async () => {
    const opened = await openLink(aminaToken);
    expect(opened.status).toBe(302);
    expect(opened.headers.get("Location")).toBe("/take");
    expect(opened.headers.get("Cache-Control")).toBe("no-store");
    const cookie = opened.cookie!;
    // over https: Secure, and a __Host- name nobody else can set
    expect(cookie).toMatch(/^__Host-convene_take=/);
    expect(opened.headers.get("Set-Cookie")).toMatch(/; HttpOnly/);
    expect(opened.headers.get("Set-Cookie")).toMatch(/; Secure/);
    const page = await takeGet(cookie);
    expect(page.data.view).toBe("test");
    expect(page.data.test.state).toBe("open");
    // the shuffled order is the person's own, exactly as on /me
    const q = page.data.test.questions[0];
    const stored = await rawAll<{ id: number }>("select id from knowledge_test_options where question_id = ? order by position, id", q.id);
    expect(q.options.map((o: { id: number }) => o.id)).toEqual(shuffledFor(stored, roster.amina.personId, q.id).map((o) => o.id));
    expect(JSON.stringify(page.data)).not.toContain("isCorrect");

    const answers = await rightAnswers();
    const [first] = Object.entries(answers);
    const autosaved = await takePost(cookie, { intent: "autosave", [first[0]]: first[1] });
    expect(autosaved.data).toEqual({ ok: true, autosaved: true });
    // the connection drops: the page opened again shows what was chosen
    expect((await takeGet(cookie)).data.test.saved[first[0].slice(2)]).toEqual([Number(first[1])]);

    const submitted = await takePost(cookie, { intent: "submit", ...answers });
    expect(submitted.status).toBe(302);
    const attempt = await rawGet<{ correct: number; total: number }>(
      "select correct, total from knowledge_test_attempts where registration_id = ? and phase = ? and submitted_at is not null",
      roster.amina.registrationId,
      "pre",
    );
    expect(attempt).toEqual({ correct: 2, total: 2 });
    const audit = await rawGet<{ userId: string | null; details: string }>(
      "select user_id as \"userId\", details from audit_log where action = ? and entity_id = ?",
      "knowledge_test.submit",
      String(roster.amina.registrationId),
    );
    expect(audit?.userId).toBeNull();
    expect(JSON.stringify(audit?.details)).toContain("link");

    // a second submission is refused and changes nothing
    const again = await takePost(cookie, { intent: "submit", ...answers });
    expect(again.status).toBe(409);
    expect(again.data.error).toBe("testTaking.errors.alreadySubmitted");
    expect((await takeGet(cookie)).data.test.submitted.score).toBe(100);
  });

  it("are not sent again to someone who has submitted", async () => {
    await rawRun("delete from email_outbox");
    expect(unwrap(await tabPost(cookies.coordinator, { intent: "email", target: "pre", language: "en" })).status).toBe(302);
    const queued = await rawAll<{ to: string }>("select to_address as \"to\" from email_outbox");
    expect(queued.map((q) => q.to)).toEqual(["bruno@ministry.example"]);
  });

  it("refuse a link altered to reach another person, another phase or the form, and a forged or malformed one: 403, nothing about anyone", async () => {
    const token = await accessTokenFor(roster.bruno.registrationId, "pre", TODAY.getTime() + LINK_TTL_MS);
    const [, target, expires, via, mac] = token.split(".");
    const altered = [
      [roster.amina.registrationId, target, expires, via, mac].join("."), // another person
      [roster.bruno.registrationId, "post", expires, via, mac].join("."), // another phase
      [roster.bruno.registrationId, "feedback", expires, via, mac].join("."), // the form
      [roster.bruno.registrationId, target, String(Number(expires) + 86_400), via, mac].join("."), // a later expiry
      [bahrainRegistration, target, expires, via, mac].join("."), // another event's person
      token.slice(0, -1) + (token.endsWith("A") ? "B" : "A"),
      "not-a-token",
      "x".repeat(5000),
    ];
    for (const bad of altered) {
      const opened = await openLink(bad);
      expect(opened.status, bad.slice(0, 60)).toBe(403);
      expect(opened.cookie).toBeNull();
      expect(opened.data).toEqual({ refusal: "invalid" });
    }
    // and the same token in the cookie, forged by hand, answers nothing
    const forged = await takePost(`__Host-convene_take=${encodeURIComponent(btoa(JSON.stringify(altered[0])))}`, { intent: "submit", ...(await rightAnswers()) });
    expect(forged.status).toBe(403);
    expect(await rawGet("select id from knowledge_test_attempts where registration_id = ?", roster.amina.registrationId)).toBeDefined();
  });

  it("refuse an expired link with 410 and a page that says to ask for a new one", async () => {
    const token = await accessTokenFor(roster.bruno.registrationId, "pre", TODAY.getTime() + LINK_TTL_MS);
    const opened = await openLink(token);
    expect(opened.status).toBe(302);
    setClock(() => TODAY.getTime() + LINK_TTL_MS + 1000);
    expect((await openLink(token)).status).toBe(410);
    // the cookie opened earlier expires with it: the page says so and forgets it
    const page = await takeGet(opened.cookie!);
    expect(page.status).toBe(410);
    expect(page.data).toEqual({ view: "refused", refusal: "expired" });
    expect(page.headers.get("Set-Cookie")).toMatch(/convene_take=;.*(Max-Age=0|Expires=Thu, 01 Jan 1970)/);
    expect((await takePost(opened.cookie!, { intent: "submit", ...(await rightAnswers()) })).status).toBe(403);
    expect(await rawGet("select id from knowledge_test_attempts where registration_id = ?", roster.bruno.registrationId)).toBeUndefined();
  });

  it("stop working when the registration is no longer confirmed", async () => {
    const token = await accessTokenFor(roster.bruno.registrationId, "pre", TODAY.getTime() + LINK_TTL_MS);
    await rawRun("update registrations set status = ? where id = ?", "cancelled", roster.bruno.registrationId);
    try {
      expect((await openLink(token)).status).toBe(403);
    } finally {
      await rawRun("update registrations set status = ? where id = ?", "confirmed", roster.bruno.registrationId);
    }
  });

  it("refuse answers after the phase closed, keeping them on the page", async () => {
    const opened = await openLink(await accessTokenFor(roster.bruno.registrationId, "post", TODAY.getTime() + LINK_TTL_MS));
    await openPhase(coordinator, viId, "post");
    const { closePhase } = await import("~/models/knowledge-tests.server");
    await closePhase(coordinator, viId, "post");
    const answers = await rightAnswers();
    const refused = await takePost(opened.cookie!, { intent: "submit", ...answers });
    expect(refused.status).toBe(400);
    expect(refused.data.error).toBe("testTaking.errors.closed");
    expect(Object.keys(refused.data.answers).sort()).toEqual(Object.keys(answers).map((k) => k.slice(2)).sort());
    expect(await rawGet("select id from knowledge_test_attempts where registration_id = ? and phase = ?", roster.bruno.registrationId, "post")).toBeUndefined();
  });

  it("answer the feedback form through a link, once", async () => {
    await openFeedbackForm(coordinator, viId);
    const opened = await openLink(await accessTokenFor(roster.chloe.registrationId, "feedback", TODAY.getTime() + LINK_TTL_MS));
    const page = await takeGet(opened.cookie!);
    expect(page.data.view).toBe("feedback");
    expect(page.data.form.answered).toBe(false);
    const ratings = { overall: "5", content: "4", facilitators: "5", relevance: "4", confidence: "3", comment: "Useful" };
    expect((await takePost(opened.cookie!, ratings)).status).toBe(302);
    expect((await takeGet(opened.cookie!)).data.form.answered).toBe(true);
    const again = await takePost(opened.cookie!, ratings);
    expect(again.status).toBe(400);
    expect(again.data.refusal).toBe("feedback.errors.alreadyAnswered");
    const respondents = await rawAll("select person_id from feedback_respondents where person_id = ?", roster.chloe.personId);
    expect(respondents).toHaveLength(1);
  });

  it("reach nothing else: no names, and closing the page forgets the access on the device", async () => {
    const opened = await openLink(await accessTokenFor(roster.bruno.registrationId, "pre", TODAY.getTime() + LINK_TTL_MS));
    const page = await takeGet(opened.cookie!);
    const text = JSON.stringify(page.data);
    for (const name of ["Amina", "Bruno", "Chloé", "Roster"]) expect(text).not.toContain(name);
    const finished = await takePost(opened.cookie!, { intent: "finish" });
    expect(finished.status).toBe(302);
    expect(finished.headers.get("Set-Cookie")).toMatch(/convene_take=;/);
    expect((await takeGet("")).data).toEqual({ view: "refused", refusal: "none" });
  });
});

describe("personal codes on paper", () => {
  const entryPost = async (code: string, ip: string, target = "pre", eventId = viId) =>
    unwrap(await call(entry.action, makeRequest(`/take/code/${eventId}/${target}`, { form: { code }, headers: { "x-convene-client-ip": ip } }), { eventId: String(eventId), target }));

  it("are printed by the event's facilitator for the people who have not submitted, audited without the codes", async () => {
    const page = unwrap(await call(slips.loader, makeRequest(`/events/${viId}/evaluation/pre/slips`, { cookie: cookies.facilitator }), { eventId: String(viId), target: "pre" }));
    expect(page.status).toBe(200);
    const names = page.data.people.map((p: { name: string }) => p.name);
    expect(names).toContain("Bruno Roster");
    expect(names).not.toContain("Amina Roster"); // submitted already
    const bruno = page.data.people.find((p: { name: string }) => p.name === "Bruno Roster");
    expect(bruno.code).toBe(printedCode(await personalCodeFor(viId, roster.bruno.registrationId, "pre")));
    expect(bruno.code).toMatch(/^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/);
    expect(page.data.entryUrl).toBe(`${APP_URL}/take/code/${viId}/pre`);
    const audit = await rawAll<{ details: unknown }>("select details from audit_log where action = ?", "evaluation.codes_print");
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit)).not.toContain(bruno.code.replace("-", ""));
    // the venue screen's QR code leads to the same entry page
    const venue = unwrap(await call(screen.loader, makeRequest(`/events/${viId}/evaluation/pre/screen`, { cookie: cookies.facilitator }), { eventId: String(viId), target: "pre" }));
    expect(venue.data.entryUrl).toBe(page.data.entryUrl);
    expect(venue.data.qrSvg).toContain("<svg");
  });

  it("open the person's test when typed right (spaces, dashes and lower case forgiven)", async () => {
    const code = await personalCodeFor(viId, roster.bruno.registrationId, "pre");
    const typed = `${code.slice(0, 4).toLowerCase()} - ${code.slice(4)}`;
    const result = await entryPost(typed, "10.0.0.1");
    expect(result.status).toBe(302);
    expect(result.headers.get("Location")).toBe("/take");
    const cookie = result.headers.get("Set-Cookie")!.split(";")[0];
    const page = await takeGet(cookie);
    expect(page.data.view).toBe("test");
    expect(page.data.test.phase).toBe("pre");
    expect((await takePost(cookie, { intent: "submit", ...(await rightAnswers()) }, { "x-convene-client-ip": "10.0.0.1" })).status).toBe(302);
    const audit = await rawGet<{ details: unknown }>("select details from audit_log where action = ? and entity_id = ?", "knowledge_test.submit", String(roster.bruno.registrationId));
    expect(JSON.stringify(audit)).toContain("code");
  });

  it("refuse a wrong code, a code of another phase or event, and junk, with the form kept", async () => {
    const code = await personalCodeFor(viId, roster.chloe.registrationId, "pre");
    const postCode = await personalCodeFor(viId, roster.chloe.registrationId, "post");
    const wrong = await entryPost(postCode, "10.0.0.2");
    expect(wrong.status).toBe(400);
    expect(wrong.data).toEqual({ error: "evaluationAccess.errors.wrongCode", retryAfterSeconds: 0, code: postCode });
    expect((await entryPost(code, "10.0.0.2", "pre", bahrainId)).status).toBe(400);
    expect((await entryPost("ZZZ", "10.0.0.2")).data.error).toBe("evaluationAccess.errors.codeFormat");
    expect((await entryPost("I0O1L0O1", "10.0.0.2")).data.error).toBe("evaluationAccess.errors.codeFormat");
    expect((await entryPost("A".repeat(100_000), "10.0.0.2")).status).toBe(400);
    // an unknown event or a target that is not one: the same answers, nothing to probe
    expect((await entryPost(code, "10.0.0.2", "pre", 999_999)).data.error).toBe("evaluationAccess.errors.wrongCode");
    expect((await call(entry.loader, makeRequest("/take/code/1/everything"), { eventId: "1", target: "everything" }) as Response).status).toBe(404);
  });

  it("are limited per address: after 30 wrong codes even a right one waits, other addresses do not", async () => {
    const right = await personalCodeFor(viId, roster.chloe.registrationId, "pre");
    for (let i = 0; i < 30; i++) expect((await entryPost("ZZZZZZZZ", "10.0.0.3")).status).toBe(400);
    const blocked = await entryPost(right, "10.0.0.3");
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(blocked.data.error).toBe("evaluationAccess.errors.tooMany");
    expect((await entryPost(right, "10.0.0.4")).status).toBe(302);
    // the window passes
    setClock(() => TODAY.getTime() + 11 * 60_000);
    expect((await entryPost(right, "10.0.0.3")).status).toBe(302);
  });
});

describe("a session's feedback form through links and codes", () => {
  /** two sessions of the victim-identification training with open forms, and one of the Bahrain training */
  let s1: number;
  let s2: number;
  let s3: number;
  let bahrainSession: number;
  let aminaLink = "";
  const sessionRatings = { content: "4", facilitators: "5", relevance: "3" };
  const entryPost = async (code: string, ip: string, target: string, eventId = viId) =>
    unwrap(await call(entry.action, makeRequest(`/take/code/${eventId}/${target}`, { form: { code }, headers: { "x-convene-client-ip": ip } }), { eventId: String(eventId), target }));
  const sessionCounts = async (sessionId: number) => ({
    respondents: (await rawGet<{ n: number }>("select cast(count(*) as integer) as n from feedback_respondents r join feedback_forms f on f.id = r.form_id where f.session_id = ?", sessionId))!.n,
    answers: (await rawGet<{ n: number }>("select cast(count(*) as integer) as n from feedback_answers a join feedback_forms f on f.id = a.form_id where f.session_id = ?", sessionId))!.n,
  });

  beforeAll(async () => {
    const sessions = await db()
      .select({ id: eventSessions.id })
      .from(eventSessions)
      .where(and(eq(eventSessions.eventId, viId), sql`${eventSessions.kind} <> 'break'`))
      .orderBy(asc(eventSessions.startsAt), asc(eventSessions.id));
    [s1, s2, s3] = sessions.map((x) => x.id);
    bahrainSession = firstRow(await db().select({ id: eventSessions.id }).from(eventSessions).where(eq(eventSessions.eventId, bahrainId)).orderBy(asc(eventSessions.id)).limit(1))!.id;
    await openSessionFeedbackForm(coordinator, viId, s1);
    await openSessionFeedbackForm(coordinator, viId, s2);
    await openSessionFeedbackForm(coordinator, bahrainId, bahrainSession);
  });

  it("are listed on the links and codes tab while open, and links go out for one session, naming it, in the person's language", async () => {
    const page = unwrap(await call(accessTab.loader, makeRequest(`/events/${viId}/evaluation-access`, { cookie: cookies.coordinator }), { eventId: String(viId) }));
    expect(page.data.targets.map((x: { target: string }) => x.target)).toEqual(["pre", "post", "feedback"]);
    // open forms only, in timetable order; never another event's
    expect(page.data.sessions.map((x: { target: string }) => x.target)).toEqual([`session-${s1}`, `session-${s2}`]);
    expect(page.data.sessions[0]).toMatchObject({ state: "open", linkRecipients: 2 });
    expect(page.data.sessions[0].waiting).toBe(page.data.sessions[0].confirmed);
    // the event's facilitator sees them too (for the screen and the slips), but may not email
    const facilitatorPage = unwrap(await call(accessTab.loader, makeRequest(`/events/${viId}/evaluation-access`, { cookie: cookies.facilitator }), { eventId: String(viId) }));
    expect(facilitatorPage.data.sessions).toHaveLength(2);
    expect(facilitatorPage.data.mayEmail).toBe(false);

    await rawRun("delete from email_outbox");
    expect(unwrap(await tabPost(cookies.coordinator, { intent: "email", target: `session-${s1}`, language: "en" })).status).toBe(302);
    const queued = await rawAll<{ to: string; subject: string; text: string }>("select to_address as \"to\", subject, \"text\" as text from email_outbox where kind = ? order by id", "evaluation_link");
    expect(queued.map((q) => q.to).sort()).toEqual(["amina@ministry.example", "bruno@ministry.example"]);
    const title = firstRow(await db().select({ title: eventSessions.title }).from(eventSessions).where(eq(eventSessions.id, s1)).limit(1))!.title;
    const amina = queued.find((q) => q.to === "amina@ministry.example")!;
    expect(amina.subject).toBe(`Votre avis sur « ${title} » (${DEMO_EVENTS.victimIdentification})`);
    aminaLink = linkIn(amina.text);
    expect(aminaLink.split(".")[1]).toBe(`session-${s1}`);
    const audit = await rawAll<{ details: unknown }>("select details from audit_log where action = ? order by id", "evaluation.links_email");
    expect(JSON.stringify(audit.at(-1))).toContain(`session-${s1}`);
    // a session of another event, a break-free session without a form, or junk: refused, nothing queued
    await rawRun("delete from email_outbox");
    for (const target of [`session-${bahrainSession}`, `session-${s3}`, "session-0", "session-01", `session-${s1}x`, "session-99999999999999999999"]) {
      expect(unwrap(await tabPost(cookies.coordinator, { intent: "email", target, language: "en" })).status, target).toBe(400);
    }
    expect(await rawAll("select id from email_outbox")).toHaveLength(0);
  });

  it("opens that session's form only: three questions, the session named, nobody's name", async () => {
    const opened = await openLink(aminaLink);
    expect(opened.status).toBe(302);
    const page = await takeGet(opened.cookie!);
    expect(page.data.view).toBe("session");
    expect(page.data.form.session.id).toBe(s1);
    expect(page.data.form).toMatchObject({ state: "open", answered: false });
    for (const name of ["Amina", "Roster"]) expect(JSON.stringify(page.data)).not.toContain(name);
  });

  it("refuses a link altered to name another session, another event's session, the end-of-event form or another person, and a genuine MAC for a session of another event", async () => {
    const [registrationId, target, expires, via, mac] = aminaLink.split(".");
    expect(target).toBe(`session-${s1}`);
    const altered = [
      [registrationId, `session-${s2}`, expires, via, mac].join("."),
      [registrationId, `session-${bahrainSession}`, expires, via, mac].join("."),
      [registrationId, "feedback", expires, via, mac].join("."),
      [roster.bruno.registrationId, target, expires, via, mac].join("."),
      [registrationId, `session-0${s1}`, expires, via, mac].join("."),
      // the genuine link with a number written another way: the same values, not the link issued
      [`0${registrationId}`, target, expires, via, mac].join("."),
      [registrationId, target, `0${expires}`, via, mac].join("."),
      // signed with the right secret, but the session is not of her event; nor is Dana on this event
      await accessTokenFor(roster.amina.registrationId, `session-${bahrainSession}`, TODAY.getTime() + LINK_TTL_MS),
      await accessTokenFor(bahrainRegistration, `session-${s1}`, TODAY.getTime() + LINK_TTL_MS),
    ];
    for (const bad of altered) {
      const opened = await openLink(bad);
      expect(opened.status, bad.slice(0, 40)).toBe(403);
      expect(opened.cookie).toBeNull();
    }
    // the same forged tokens carried in the cookie by hand answer nothing
    const before = await sessionCounts(bahrainSession);
    for (const bad of altered.slice(-2)) {
      const forged = await takePost(`__Host-convene_take=${encodeURIComponent(bad)}`, { ...sessionRatings, comment: "forged" });
      expect(forged.status).toBe(403);
    }
    expect(await sessionCounts(bahrainSession)).toEqual(before);
    expect(await sessionCounts(s1)).toEqual({ respondents: 0, answers: 0 });
  });

  it("records one anonymous answer per person to that session's form; a second is refused and changes nothing", async () => {
    const { cookie } = await openLink(aminaLink);
    const junk = await takePost(cookie!, { content: "9", facilitators: "5" });
    expect(junk.status).toBe(400);
    expect(Object.keys(junk.data.errors).sort()).toEqual(["content", "relevance"]);
    expect((await takePost(cookie!, { ...sessionRatings, comment: "Clear examples" })).status).toBe(302);
    expect((await takeGet(cookie!)).data.form.answered).toBe(true);
    expect(await sessionCounts(s1)).toEqual({ respondents: 1, answers: 1 });
    const stored = await rawGet<{ overall: number | null; confidence: number | null; content: number }>("select a.rating_overall as overall, a.rating_confidence as confidence, a.rating_content as content from feedback_answers a join feedback_forms f on f.id = a.form_id where f.session_id = ?", s1);
    expect(stored).toEqual({ overall: null, confidence: null, content: 4 });
    const respondent = await rawGet<{ personId: number }>("select person_id as \"personId\" from feedback_respondents r join feedback_forms f on f.id = r.form_id where f.session_id = ?", s1);
    expect(respondent?.personId).toBe(roster.amina.personId);

    const again = await takePost(cookie!, { ...sessionRatings, comment: "Twice" });
    expect(again.status).toBe(400);
    expect(again.data.refusal).toBe("feedback.errors.alreadyAnswered");
    expect(await sessionCounts(s1)).toEqual({ respondents: 1, answers: 1 });
    // the other session's form and the end-of-event form are separate: not answered by her
    expect(await sessionCounts(s2)).toEqual({ respondents: 0, answers: 0 });
    expect(await rawGet("select person_id from feedback_respondents r join feedback_forms f on f.id = r.form_id where f.session_id is null and r.person_id = ?", roster.amina.personId)).toBeUndefined();
  });

  it("prints codes per session; a session's code opens that session only, not another session's, phase's or event's entry page", async () => {
    const slipsPage = unwrap(await call(slips.loader, makeRequest(`/events/${viId}/evaluation/session-${s1}/slips`, { cookie: cookies.facilitator }), { eventId: String(viId), target: `session-${s1}` }));
    expect(slipsPage.status).toBe(200);
    const names = slipsPage.data.people.map((p: { name: string }) => p.name);
    expect(names).toContain("Bruno Roster");
    expect(names).not.toContain("Amina Roster"); // answered this session's form
    expect(slipsPage.data.sessionTitle).toBeTruthy();
    expect(slipsPage.data.entryUrl).toBe(`${APP_URL}/take/code/${viId}/session-${s1}`);
    const bruno = slipsPage.data.people.find((p: { name: string }) => p.name === "Bruno Roster");
    const code = await personalCodeFor(viId, roster.bruno.registrationId, `session-${s1}`);
    expect(bruno.code).toBe(printedCode(code));
    expect(code).not.toBe(await personalCodeFor(viId, roster.bruno.registrationId, `session-${s2}`));
    const venue = unwrap(await call(screen.loader, makeRequest(`/events/${viId}/evaluation/session-${s1}/screen`, { cookie: cookies.facilitator }), { eventId: String(viId), target: `session-${s1}` }));
    expect(venue.data.open).toBe(true);
    expect(venue.data.qrSvg).toContain("<svg");
    // a session of another event, through this event's address: not found
    const foreign = unwrap(await call(slips.loader, makeRequest(`/events/${viId}/evaluation/session-${bahrainSession}/slips`, { cookie: cookies.coordinator }), { eventId: String(viId), target: `session-${bahrainSession}` }));
    expect(foreign.status).toBe(404);

    for (const [target, eventId] of [[`session-${s2}`, viId], ["feedback", viId], [`session-${s1}`, bahrainId], [`session-${bahrainSession}`, bahrainId]] as const) {
      const wrong = await entryPost(code, "10.0.1.1", target, eventId);
      expect(wrong.status, `${target} ${eventId}`).toBe(400);
      expect(wrong.data.error).toBe("evaluationAccess.errors.wrongCode");
    }
    const right = await entryPost(code, "10.0.1.1", `session-${s1}`);
    expect(right.status).toBe(302);
    const cookie = right.headers.get("Set-Cookie")!.split(";")[0];
    const page = await takeGet(cookie);
    expect(page.data.view).toBe("session");
    expect(page.data.form.session.id).toBe(s1);
    expect((await takePost(cookie, { ...sessionRatings, comment: "Good pace" })).status).toBe(302);
    expect(await sessionCounts(s1)).toEqual({ respondents: 2, answers: 2 });
  });

  it("stops working when the registration is no longer a confirmed participation", async () => {
    const token = await accessTokenFor(roster.chloe.registrationId, `session-${s2}`, TODAY.getTime() + LINK_TTL_MS);
    const { cookie } = await openLink(token);
    await rawRun("update registrations set status = ? where id = ?", "cancelled", roster.chloe.registrationId);
    try {
      expect((await openLink(token)).status).toBe(403);
      expect((await takePost(cookie!, { ...sessionRatings, comment: "" })).status).toBe(403);
      expect(await sessionCounts(s2)).toEqual({ respondents: 0, answers: 0 });
    } finally {
      await rawRun("update registrations set status = ? where id = ?", "confirmed", roster.chloe.registrationId);
    }
  });

  it("refuses an answer once the form is closed, keeping it on the page", async () => {
    const { cookie } = await openLink(await accessTokenFor(roster.bruno.registrationId, `session-${s2}`, TODAY.getTime() + LINK_TTL_MS));
    await closeSessionFeedbackForm(coordinator, viId, s2);
    expect((await takeGet(cookie!)).data.form.state).toBe("closed");
    const late = await takePost(cookie!, { ...sessionRatings, comment: "Late" });
    expect(late.status).toBe(400);
    expect(late.data.refusal).toBe("feedback.errors.closedAnswerNotKept");
    expect(late.data.values.comment).toBe("Late");
    expect(await sessionCounts(s2)).toEqual({ respondents: 0, answers: 0 });
    // closed: no longer offered on the tab, and no links go out for it
    const page = unwrap(await call(accessTab.loader, makeRequest(`/events/${viId}/evaluation-access`, { cookie: cookies.coordinator }), { eventId: String(viId) }));
    expect(page.data.sessions.map((x: { target: string }) => x.target)).toEqual([`session-${s1}`]);
    const refused = unwrap(await tabPost(cookies.coordinator, { intent: "email", target: `session-${s2}`, language: "en" }));
    expect(refused.status).toBe(400);
    expect(refused.data.error).toBe("evaluationAccess.errors.notOpen");
  });

  it("keeps the results nameless once closed with enough answers", async () => {
    // three of the demo's officers answer through codes from the slips too (five in all)
    const officers = await rawAll<{ registrationId: number }>(
      "select r.id as \"registrationId\" from registrations r join people p on p.id = r.person_id where r.event_id = ? and r.status = 'confirmed' and r.event_role = 'participant' and p.family_name <> 'Roster' order by r.id limit 3",
      viId,
    );
    for (const [i, o] of officers.entries()) {
      const result = await entryPost(await personalCodeFor(viId, o.registrationId, `session-${s1}`), `10.0.2.${i}`, `session-${s1}`);
      expect(result.status).toBe(302);
      expect((await takePost(result.headers.get("Set-Cookie")!.split(";")[0], { ...sessionRatings, comment: `Comment ${i}` })).status).toBe(302);
    }
    await closeSessionFeedbackForm(coordinator, viId, s1);
    const overview = (await sessionFeedbackOverview(coordinator, viId)).sessions.find((x) => x.session.id === s1)!;
    expect(overview.respondents).toBe(5);
    expect(overview.results).not.toBeNull();
    expect(overview.results!.comments.sort()).toEqual(["Clear examples", "Comment 0", "Comment 1", "Comment 2", "Good pace"]);
    const names = await rawAll<{ givenName: string; familyName: string }>(
      "select p.given_name as \"givenName\", p.family_name as \"familyName\" from feedback_respondents r join feedback_forms f on f.id = r.form_id join people p on p.id = r.person_id where f.session_id = ?",
      s1,
    );
    expect(names).toHaveLength(5);
    const shown = JSON.stringify(overview.results);
    for (const n of names) {
      expect(shown).not.toContain(n.givenName);
      expect(shown).not.toContain(n.familyName);
    }
    // the tab lists who has not answered, never who said what
    const tab = unwrap(await call(feedbackTab.loader, makeRequest(`/events/${viId}/feedback`, { cookie: cookies.coordinator }), { eventId: String(viId) }));
    const form = tab.data.sessionForms.sessions.find((x: { session: { id: number } }) => x.session.id === s1);
    expect(form.nonRespondents.map((p: { name: string }) => p.name)).not.toContain("Amina Roster");
    expect(await rawAll("select * from feedback_answers where comment = ?", "Clear examples")).toHaveLength(1);
  });
});

describe("the feedback form's one reminder, for people without an account", () => {
  it("sends each person on the roster without an account their own link, skipping those who answered and those who turned reminders off", async () => {
    await rawRun("delete from email_outbox");
    // Chloé answered the form through her link (above) and now has an address; Bruno turned reminders off
    await rawRun("update people set email = ? where id = ?", "chloe@ministry.example", roster.chloe.personId);
    await rawRun("update people set email_reminders_off = true where id = ?", roster.bruno.personId);
    const sent = unwrap(await call(feedbackTab.action, makeRequest(`/events/${viId}/feedback`, { cookie: cookies.coordinator, form: { intent: "remind" } }), { eventId: String(viId) }));
    expect(sent.status).toBe(302);
    const queued = await rawAll<{ to: string; subject: string; text: string; headers: unknown }>(
      "select to_address as \"to\", subject, \"text\" as text, headers from email_outbox where kind = ? order by id",
      "feedback_reminder",
    );
    const to = queued.map((q) => q.to);
    expect(to).toContain("amina@ministry.example");
    expect(to).not.toContain("bruno@ministry.example");
    expect(to).not.toContain("chloe@ministry.example");
    const amina = queued.find((q) => q.to === "amina@ministry.example")!;
    expect(amina.subject).toBe(`Votre avis sur ${DEMO_EVENTS.victimIdentification}`); // the language she registered in
    expect(amina.text).not.toContain("/me/feedback");
    expect(amina.text).toContain("parce que vous participez à une formation");
    expect(JSON.stringify(amina.headers)).toContain(`p=${roster.amina.personId}`); // her own way out, without an account
    const token = linkIn(amina.text);
    const [registrationId, target, expires] = token.split(".");
    expect([Number(registrationId), target]).toEqual([roster.amina.registrationId, "feedback"]);
    expect(Number(expires) * 1000).toBe(TODAY.getTime() + LINK_TTL_MS);
    // account holders still go to their page
    for (const q of queued.filter((q) => !q.to.endsWith("@ministry.example"))) expect(q.text).toContain(`/me/feedback/${viId}`);
    const audit = await rawGet<{ details: unknown }>("select details from audit_log where action = ? order by id desc", "feedback.remind");
    expect(JSON.stringify(audit)).not.toContain(token.split(".").at(-1)!);

    // the link opens her end-of-event form, and she answers once
    const { cookie } = await openLink(token);
    const page = await takeGet(cookie!);
    expect(page.data.view).toBe("feedback");
    expect(page.data.form.answered).toBe(false);
    expect((await takePost(cookie!, { overall: "4", content: "4", facilitators: "4", relevance: "4", confidence: "4", comment: "" })).status).toBe(302);
    expect((await takeGet(cookie!)).data.form.answered).toBe(true);

    // still one reminder per form
    const again = unwrap(await call(feedbackTab.action, makeRequest(`/events/${viId}/feedback`, { cookie: cookies.coordinator, form: { intent: "remind" } }), { eventId: String(viId) }));
    expect(again.status).toBe(400);
    expect(await rawAll("select id from email_outbox where kind = ?", "feedback_reminder")).toHaveLength(queued.length);
  });
});

describe("who may send links and print codes", () => {
  it("a facilitator, participant, partner or donor cannot email links; nothing is queued", async () => {
    await rawRun("delete from email_outbox");
    for (const role of ["facilitator", "participant", "partner", "donor"]) {
      const result = unwrap(await tabPost(cookies[role], { intent: "email", target: "pre", language: "en" }));
      expect(result.status, role).toBe(403);
    }
    const stranger = unwrap(await tabPost("", { intent: "email", target: "pre", language: "en" }));
    expect(stranger.status).toBe(302);
    expect(stranger.headers.get("Location")).toMatch(/^\/login/);
    expect(await rawAll("select id from email_outbox")).toHaveLength(0);
  });

  it("a participant, partner, donor or stranger cannot see the codes or the screen", async () => {
    for (const role of ["participant", "partner", "donor"]) {
      for (const loader of [slips.loader, screen.loader] as Parameters<typeof call>[0][]) {
        const result = unwrap(await call(loader, makeRequest(`/events/${viId}/evaluation/pre/slips`, { cookie: cookies[role] }), { eventId: String(viId), target: "pre" }));
        expect(result.status, role).toBe(403);
      }
    }
    const before = (await rawAll("select id from audit_log where action = ?", "evaluation.codes_print")).length;
    const stranger = unwrap(await call(slips.loader, makeRequest(`/events/${viId}/evaluation/pre/slips`), { eventId: String(viId), target: "pre" }));
    expect(stranger.status).toBe(302);
    expect((await rawAll("select id from audit_log where action = ?", "evaluation.codes_print")).length).toBe(before);
  });

  it("links cannot go out for a phase that is not open, nor with a junk form", async () => {
    const closed = unwrap(await tabPost(cookies.coordinator, { intent: "email", target: "post", language: "en" }));
    expect(closed.status).toBe(400);
    expect(closed.data.error).toBe("evaluationAccess.errors.notOpen");
    const junk: Record<string, string>[] = [{ intent: "email", target: "everything", language: "en" }, { intent: "email", target: "pre", language: "xx" }, { intent: "drop tables" }];
    for (const form of junk) {
      expect(unwrap(await tabPost(cookies.coordinator, form)).status).toBe(400);
    }
    expect(await rawAll("select id from email_outbox")).toHaveLength(0);
  });

  it("a junk body on /take is refused without touching anything", async () => {
    const opened = await openLink(await accessTokenFor(roster.chloe.registrationId, "pre", TODAY.getTime() + LINK_TTL_MS));
    const junk = await takePost(opened.cookie!, { intent: "submit", "q-abc": "1" });
    expect(junk.status).toBe(400);
    const many = await takePost(opened.cookie!, { intent: "autosave", [`q-${questionIds[0]}`]: Array.from({ length: 2000 }, (_, i) => String(i + 1)) });
    expect(many.status).toBe(400);
    const wrongType = await call(take.action, new Request(`${APP_URL.replace("https://convene.example.org", "http://localhost:3000")}/take?index`, { method: "POST", headers: { "Content-Type": "application/json", Origin: "http://localhost:3000", Cookie: opened.cookie! }, body: "{}" }));
    expect(unwrap(wrongType).status).toBeGreaterThanOrEqual(400);
    expect(await rawGet("select id from knowledge_test_attempts where registration_id = ?", roster.chloe.registrationId)).toBeUndefined();
  });
});

// the demo's registrations of this roster, for the sanity of the numbers above
it("the roster the tests assume: three people without an account on the victim-identification training", async () => {
  const rows = await db()
    .select({ id: registrations.id })
    .from(registrations)
    .innerJoin(people, eq(people.id, registrations.personId))
    .where(and(eq(registrations.eventId, viId), eq(people.familyName, "Roster")))
    .orderBy(asc(registrations.id));
  expect(rows).toHaveLength(3);
});
