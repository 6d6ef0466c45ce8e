import { and, asc, count, eq } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { getDb, firstRow } from "../../db/client";
import {
  auditLog,
  certificateRequirements,
  certificates,
  emailOutbox,
  events,
  feedbackAnswers,
  feedbackForms,
  feedbackRespondents,
  knowledgeTestAttempts,
  people,
  registrations,
  users,
} from "../../db/schema";
import { DEMO_EVENTS, seedDemo } from "../../db/seed/demo";
import type { Actor } from "~/auth/session.server";
import { setClock } from "~/lib/clock";
import { certificateRuleOf, setCertificateRule } from "~/models/certificate-requirements.server";
import { certificateCandidates } from "~/models/certificates.server";
import { FieldError } from "~/models/field-error.server";
import { recordPaperScore } from "~/models/knowledge-tests.server";
import * as tab from "~/routes/events.$eventId.certificates";
import * as me from "~/routes/me";
import { call, createUser, makeRequest, sessionCookie, unwrap } from "../setup/helpers";

/**
 * What a certificate requires besides attendance: the post-test (online or a paper score, with an
 * optional minimum) and the feedback form (checked through who answered, never through the
 * anonymous answers). On the demo: the Bahamas training has a test taken before and after and a
 * closed feedback form (db/seed/demo-evaluation.ts).
 */
const TODAY = new Date("2026-11-22T12:00:00Z");
const db = () => getDb();
const cookies: Record<string, string> = {};
let vi: number;
let bahrain: number;
let current: number;
let coordinator: Actor;
/** The Bahamas officers' registrations in roster order (the seed's order), with their names. */
let officers: { registrationId: number; personId: number; name: string }[] = [];

async function actorOf(email: string): Promise<Actor> {
  const u = firstRow(await db().select().from(users).where(eq(users.email, email)).limit(1))!;
  return { user: { id: u.id, email: u.email, name: u.name, role: u.role, organisationId: u.organisationId, locale: u.locale }, ip: null };
}

const eventIdOf = async (title: string) => firstRow(await db().select({ id: events.id }).from(events).where(eq(events.title, title)).limit(1))!.id;
const tabGet = async (cookie: string, eventId = vi) => await call(tab.loader, makeRequest(`/events/${eventId}/certificates`, { cookie }), { eventId: String(eventId) });
const tabPost = async (cookie: string, form: Record<string, string | string[]>, eventId = vi) =>
  await call(tab.action, makeRequest(`/events/${eventId}/certificates`, { cookie, form }), { eventId: String(eventId) });
const rule = (form: Record<string, string>, eventId = vi, cookie = cookies.coordinator) => tabPost(cookie, { intent: "requirements", ...form }, eventId);

async function snapshot() {
  const n = async (table: typeof certificates | typeof emailOutbox | typeof auditLog | typeof certificateRequirements) =>
    firstRow(await db().select({ n: count() }).from(table).limit(1))!.n;
  return {
    certificates: await n(certificates),
    emails: await n(emailOutbox),
    audit: await n(auditLog),
    rules: await db().select().from(certificateRequirements).orderBy(asc(certificateRequirements.eventId)),
  };
}

function rowOf(candidates: Awaited<ReturnType<typeof certificateCandidates>>, name: string) {
  return candidates.rows.find((r) => r.name === name)!;
}

beforeAll(async () => {
  await seedDemo(db(), { today: TODAY });
  // the demo comes with the Bahamas certificates issued (before any requirement): these tests issue them
  await db().delete(certificates);
  for (const role of ["admin", "coordinator", "facilitator", "participant", "partner", "donor"]) {
    const u = firstRow(await db().select().from(users).where(eq(users.email, `${role}@example.org`)).limit(1))!;
    cookies[role] = await sessionCookie({ id: u.id, role: u.role });
  }
  coordinator = await actorOf("coordinator@example.org");
  vi = await eventIdOf(DEMO_EVENTS.victimIdentification);
  bahrain = await eventIdOf(DEMO_EVENTS.bahrain);
  current = await eventIdOf(DEMO_EVENTS.current);
  officers = (
    await db()
      .select({ registrationId: registrations.id, personId: people.id, given: people.givenName, family: people.familyName })
      .from(registrations)
      .innerJoin(people, eq(people.id, registrations.personId))
      .where(and(eq(registrations.eventId, vi), eq(registrations.eventRole, "participant"), eq(registrations.status, "confirmed")))
      .orderBy(asc(registrations.id))
  ).map((r) => ({ registrationId: r.registrationId, personId: r.personId, name: `${r.given} ${r.family}` }));
});

afterEach(() => setClock(null));

describe("certificate requirements besides attendance", () => {
  it("is attendance only until the coordinator sets more: nobody misses anything else", async () => {
    const page = unwrap(await tabGet(cookies.coordinator));
    expect(page.status).toBe(200);
    expect(page.data.rule).toEqual({ postTestRequired: false, postTestMinScore: null, feedbackRequired: false });
    expect(page.data.testQuestions).toBe(15);
    expect(page.data.rows.every((r: { missing: unknown[] }) => r.missing.length === 0)).toBe(true);
  });

  it("refuses a rule that cannot hold, field by field, keeping what was typed and changing nothing", async () => {
    const before = await snapshot();
    for (const [form, field, key] of [
      [{ postTestRequired: "on", postTestMinScore: "101" }, "postTestMinScore", "certificates.rule.errors.minScore"],
      [{ postTestRequired: "on", postTestMinScore: "-1" }, "postTestMinScore", "certificates.rule.errors.minScore"],
      [{ postTestRequired: "on", postTestMinScore: "59.5" }, "postTestMinScore", "certificates.rule.errors.minScore"],
      [{ postTestRequired: "on", postTestMinScore: "sixty" }, "postTestMinScore", "certificates.rule.errors.minScore"],
      [{ postTestRequired: "on", postTestMinScore: "9".repeat(5000) }, "postTestMinScore", "certificates.rule.errors.minScore"],
      [{ postTestMinScore: "60" }, "postTestMinScore", "certificates.rule.errors.minWithoutTest"],
    ] as const) {
      const r = unwrap(await rule(form));
      expect(r.status, JSON.stringify(form).slice(0, 80)).toBe(400);
      expect(r.data.ruleErrors).toEqual({ [field]: key });
      expect(r.data.ruleValues.postTestMinScore).toBe(form.postTestMinScore.slice(0, 20));
    }
    // the Bahrain training has no test: its post-test cannot be required
    const noTest = unwrap(await rule({ postTestRequired: "on" }, bahrain));
    expect(noTest.status).toBe(400);
    expect(noTest.data.ruleErrors).toEqual({ postTestRequired: "certificates.rule.errors.noTest" });
    expect((await setCertificateRule(coordinator, bahrain, { postTestRequired: true, postTestMinScore: null, feedbackRequired: false }).catch((e) => e)) as FieldError).toMatchObject({
      messageKey: "certificates.rule.errors.noTest",
    });
    // the model checks the range too, whatever a caller passes
    expect((await setCertificateRule(coordinator, vi, { postTestRequired: true, postTestMinScore: 250, feedbackRequired: false }).catch((e) => e)) as FieldError).toMatchObject({
      messageKey: "certificates.rule.errors.minScore",
    });
    expect(await snapshot()).toEqual(before);
  });

  it("refuses the setting to everyone but admins and coordinators, changing nothing", async () => {
    const before = await snapshot();
    const stranger = await createUser({ role: "participant" });
    const form = { postTestRequired: "on", postTestMinScore: "10", feedbackRequired: "on" };
    for (const role of ["facilitator", "participant", "partner", "donor"]) {
      expect(((await rule(form, vi, cookies[role])) as Response).status, role).toBe(403);
    }
    expect(((await rule(form, vi, await sessionCookie(stranger))) as Response).status).toBe(403);
    const anonymous = (await rule(form, vi, "")) as Response;
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("Location")).toMatch(/^\/login\?redirectTo=/);
    for (const email of ["partner@example.org", "donor@example.org", "facilitator@example.org"]) {
      const refused = await setCertificateRule(await actorOf(email), vi, { postTestRequired: false, postTestMinScore: null, feedbackRequired: true }).catch((e) => e);
      expect((refused as Response).status, email).toBe(403);
    }
    // the tab that shows who misses what is theirs neither
    for (const role of ["facilitator", "participant", "partner", "donor"]) expect(((await tabGet(cookies[role])) as Response).status, role).toBe(403);
    // an event that does not exist
    expect(((await rule(form, 999_999)) as Response).status).toBe(404);
    expect(await snapshot()).toEqual(before);
  });

  it("shows per person what is missing: the post-test, a score under the minimum, the feedback form", async () => {
    const saved = (await rule({ postTestRequired: "on", postTestMinScore: "60", feedbackRequired: "on" })) as Response;
    expect(saved.status).toBe(302);
    expect(saved.headers.get("Location")).toBe(`/events/${vi}/certificates?done=ruleSaved`);
    expect(await certificateRuleOf(db(), vi)).toEqual({ postTestRequired: true, postTestMinScore: 60, feedbackRequired: true });
    const audit = await db().select().from(auditLog).where(eq(auditLog.action, "certificate.requirements"));
    expect(audit).toHaveLength(1);

    const page = unwrap(await tabGet(cookies.coordinator)).data as Awaited<ReturnType<typeof certificateCandidates>>;
    const respondents = new Set((await db().select({ p: feedbackRespondents.personId }).from(feedbackRespondents)
      .innerJoin(feedbackForms, eq(feedbackForms.id, feedbackRespondents.formId)).where(eq(feedbackForms.eventId, vi))).map((r) => r.p));
    const posts = new Map((await db().select().from(knowledgeTestAttempts).where(eq(knowledgeTestAttempts.phase, "post"))).map((a) => [a.registrationId, a]));
    for (const o of officers) {
      const row = rowOf(page, o.name);
      const post = posts.get(o.registrationId);
      const expected = [
        ...(!post ? [{ kind: "postTest" }] : post.correct! * 100 < 60 * post.total! ? [{ kind: "postTestScore", score: Math.round((post.correct! / post.total!) * 1000) / 10, min: 60 }] : []),
        ...(respondents.has(o.personId) ? [] : [{ kind: "feedback" }]),
      ];
      expect(row.missing, o.name).toEqual(expected);
      expect(row.eligible).toBe(row.completed && expected.length === 0);
    }
    // the demo has each case: no post-test (left early), 7 of 15 (46.7%), someone who did not answer the form
    expect(page.rows.filter((r) => r.missing.some((m) => m.kind === "postTest"))).toHaveLength(1);
    expect(page.rows.flatMap((r) => r.missing).filter((m) => m.kind === "postTestScore")).toContainEqual({ kind: "postTestScore", score: 46.7, min: 60 });
    expect(page.rows.some((r) => r.missing.some((m) => m.kind === "feedback"))).toBe(true);
    // a paper post-test counts like an online one
    const paper = [...posts.values()].find((a) => a.source === "paper")!;
    expect(rowOf(page, officers.find((o) => o.registrationId === paper.registrationId)!.name).missing.some((m) => m.kind.startsWith("postTest"))).toBe(false);
  });

  it("counts a paper score as the post-test, and meets a minimum at exactly the minimum (9 of 15 is 60%)", async () => {
    const posts = new Set((await db().select({ r: knowledgeTestAttempts.registrationId }).from(knowledgeTestAttempts).where(eq(knowledgeTestAttempts.phase, "post"))).map((a) => a.r));
    const leftEarly = officers.find((o) => !posts.has(o.registrationId))!;
    expect((await certificateCandidates(coordinator, vi)).rows.find((r) => r.registrationId === leftEarly.registrationId)!.missing).toContainEqual({ kind: "postTest" });
    await recordPaperScore(coordinator, vi, { registrationId: leftEarly.registrationId, phase: "post", correct: 8 });
    const short = (await certificateCandidates(coordinator, vi)).rows.find((r) => r.registrationId === leftEarly.registrationId)!;
    expect(short.missing).toContainEqual({ kind: "postTestScore", score: 53.3, min: 60 });
    await recordPaperScore(coordinator, vi, { registrationId: leftEarly.registrationId, phase: "post", correct: 9 });
    const met = (await certificateCandidates(coordinator, vi)).rows.find((r) => r.registrationId === leftEarly.registrationId)!;
    expect(met.missing.filter((m) => m.kind !== "feedback")).toEqual([]);
  });

  it("reads who answered the feedback form from the respondents only, never from the anonymous answers", async () => {
    const form = firstRow(await db().select({ id: feedbackForms.id }).from(feedbackForms).where(eq(feedbackForms.eventId, vi)).limit(1))!;
    const missingFeedback = async () =>
      (await certificateCandidates(coordinator, vi)).rows.filter((r) => r.missing.some((m) => m.kind === "feedback")).map((r) => r.registrationId).sort();
    const before = await missingFeedback();
    expect(before.length).toBeGreaterThan(0);
    // without any answer row the result is the same: the answers are never read for a person
    const answers = await db().select().from(feedbackAnswers).where(eq(feedbackAnswers.formId, form.id));
    await db().delete(feedbackAnswers).where(eq(feedbackAnswers.formId, form.id));
    expect(await missingFeedback()).toEqual(before);
    await db().insert(feedbackAnswers).values(answers);
    // a respondent row is what counts
    const someone = officers.find((o) => before.includes(o.registrationId))!;
    await db().insert(feedbackRespondents).values({ formId: form.id, personId: someone.personId });
    expect(await missingFeedback()).toEqual(before.filter((id) => id !== someone.registrationId));
    await db().delete(feedbackRespondents).where(and(eq(feedbackRespondents.formId, form.id), eq(feedbackRespondents.personId, someone.personId)));
  });

  it("refuses to issue to anyone missing a requirement, naming them, and changes nothing", async () => {
    const page = await certificateCandidates(coordinator, vi);
    const short = page.rows.filter((r) => r.completed && r.missing.length > 0);
    const eligible = page.rows.filter((r) => r.eligible);
    expect(short.length).toBeGreaterThan(0);
    expect(eligible.length).toBeGreaterThan(0);
    const before = await snapshot();
    const refused = unwrap(await tabPost(cookies.coordinator, { intent: "issue-selected", registrationIds: [String(eligible[0].registrationId), String(short[0].registrationId)] }));
    expect(refused.status).toBe(400);
    expect(refused.data.error).toBe("certificates.errors.requirementsMissing");
    expect(refused.data.values.names).toContain(short[0].name);
    expect(refused.data.values.names).not.toContain(eligible[0].name);
    expect(await snapshot()).toEqual(before);

    // "everyone who qualifies": the eligible only
    const done = (await tabPost(cookies.coordinator, { intent: "issue-all" })) as Response;
    expect(done.status).toBe(302);
    const holders = (await db().select({ r: certificates.registrationId }).from(certificates)).map((c) => c.r).sort((a, b) => a - b);
    expect(holders).toEqual(eligible.map((r) => r.registrationId).sort((a, b) => a - b));
  });

  it("shows a participant on /me what is left to do for a certificate, for their own events only", async () => {
    setClock(() => TODAY.getTime());
    const page = unwrap(await call(me.loader, makeRequest("/me", { cookie: cookies.participant })));
    expect(page.status).toBe(200);
    const progress = page.data.progress as { eventId: number; attendanceMet: boolean; rule: unknown; missing: { kind: string }[] }[];
    // the training in progress asks for the post-test (70%) and the feedback form: neither is done yet
    const now = progress.find((p) => p.eventId === current)!;
    expect(now.rule).toEqual({ postTestRequired: true, postTestMinScore: 70, feedbackRequired: true });
    expect(now.missing).toEqual([{ kind: "postTest" }, { kind: "feedback" }]);
    // the Bahamas training (its certificate not issued here): she took the post-test and answered the form, or not
    const bahamas = progress.find((p) => p.eventId === vi);
    if (bahamas) expect(bahamas.missing.every((m) => m.kind === "feedback")).toBe(true);
    // another officer's page lists only that officer's events
    const other = await createUser({ role: "participant" });
    const nobody = unwrap(await call(me.loader, makeRequest("/me", { cookie: await sessionCookie(other) })));
    expect(nobody.data.progress).toEqual([]);
  });
});
