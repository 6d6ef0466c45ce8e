import { and, asc, eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { getDb, firstRow } from "../../db/client";
import { events, people, registrationRequests, registrations, users } from "../../db/schema";
import { DEMO_EVENTS, seedDemo } from "../../db/seed/demo";
import type { Actor, SessionUser } from "~/auth/session.server";
import { setClock } from "~/lib/clock";
import { shuffledFor } from "~/lib/knowledge-tests";
import { accessTokenFor, LINK_TTL_MS, personalCodeFor, printedCode } from "~/models/evaluation-access.server";
import { openFeedbackForm } from "~/models/feedback.server";
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
 * may send links or print codes. Checks of the database go through raw SQL both engines run.
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
