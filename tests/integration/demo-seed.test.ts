import { and, asc, count, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb, firstRow } from "../../db/client";
import { withFreshDatabase } from "../setup/fresh-database";
import {
  actionPlanItems,
  actionPlans,
  actionPlanUpdates,
  attendance,
  certificates,
  events,
  eventSessions,
  followUpRequests,
  organisations,
  people,
  registrations,
  sessionFacilitators,
  users,
} from "../../db/schema";
import { DEMO_EVENTS, DEMO_FOLLOW_UP_TITLE, DEMO_ORGANISATIONS, DEMO_SCHEDULED_FOLLOW_UP_TITLE, seedDemo } from "../../db/seed/demo";

const TODAY = new Date("2026-11-22T12:00:00Z");

async function eventByTitle(title: string) {
  const event = firstRow(await getDb().select().from(events).where(eq(events.title, title)).limit(1));
  if (!event) throw new Error(`no event ${title}`);
  return event;
}

async function sessionStarts(eventId: number) {
  return (await getDb()
    .select({ startsAt: eventSessions.startsAt })
    .from(eventSessions)
    .where(eq(eventSessions.eventId, eventId))
    .orderBy(asc(eventSessions.startsAt)))
    .map((s) => s.startsAt.toISOString());
}

describe("demo data", () => {
  let first: { created: boolean } | undefined;
  beforeAll(async () => {
    first = await seedDemo(getDb(), { today: TODAY });
  });

  it("loads into an empty database", () => {
    expect(first).toEqual({ created: true });
  });

  it("creates the six demo accounts with their roles and organisations", async () => {
    const rows = await getDb()
      .select({ email: users.email, role: users.role, organisation: organisations.name, hash: users.passwordHash })
      .from(users)
      .leftJoin(organisations, eq(organisations.id, users.organisationId));
    const byEmail = Object.fromEntries(rows.map((r) => [r.email, r]));
    expect(Object.keys(byEmail).sort()).toEqual(
      [
        "admin@example.org",
        "coordinator@example.org",
        "donor@example.org",
        "facilitator@example.org",
        "participant@example.org",
        "partner@example.org",
      ].sort(),
    );
    expect(byEmail["admin@example.org"].role).toBe("admin");
    expect(byEmail["coordinator@example.org"]).toMatchObject({
      role: "coordinator",
      organisation: DEMO_ORGANISATIONS.implementingOffice,
    });
    expect(byEmail["facilitator@example.org"]).toMatchObject({
      role: "facilitator",
      organisation: DEMO_ORGANISATIONS.implementingOffice,
    });
    expect(byEmail["participant@example.org"]).toMatchObject({
      role: "participant",
      organisation: DEMO_ORGANISATIONS.bahamasImmigration,
    });
    expect(byEmail["partner@example.org"]).toMatchObject({
      role: "partner",
      organisation: DEMO_ORGANISATIONS.bahamasImmigration,
    });
    expect(byEmail["donor@example.org"]).toMatchObject({ role: "donor", organisation: DEMO_ORGANISATIONS.prm });
    // one hash shared by all demo users, an argon2id one
    expect(new Set(rows.map((r) => r.hash)).size).toBe(1);
    expect(rows[0].hash).toMatch(/^\$argon2id\$/);
  });

  it("has 22 confirmed participants in the Bahamas victim-identification training", async () => {
    const event = await eventByTitle(DEMO_EVENTS.victimIdentification);
    expect(event).toMatchObject({
      startDate: "2023-08-09",
      endDate: "2023-08-10",
      timeZone: "America/Nassau",
      country: "BS",
      status: "completed",
      capacity: 25,
    });
    const n = firstRow(await getDb()
      .select({ n: count() })
      .from(registrations)
      .where(
        and(
          eq(registrations.eventId, event.id),
          eq(registrations.eventRole, "participant"),
          eq(registrations.status, "confirmed"),
        ),
      ).limit(1))?.n;
    expect(n).toBe(22);
  });

  it("records the participant demo user as present at every session of that training", async () => {
    const event = await eventByTitle(DEMO_EVENTS.victimIdentification);
    const sessions = firstRow(await getDb()
      .select({ n: count() })
      .from(eventSessions)
      .where(eq(eventSessions.eventId, event.id)).limit(1))?.n;
    const rows = await getDb()
      .select({ status: attendance.status })
      .from(attendance)
      .innerJoin(registrations, eq(registrations.id, attendance.registrationId))
      .innerJoin(people, eq(people.id, registrations.personId))
      .innerJoin(users, eq(users.id, people.userId))
      .where(and(eq(users.email, "participant@example.org"), eq(registrations.eventId, event.id)));
    expect(sessions).toBe(8);
    expect(rows).toHaveLength(8);
    expect(rows.every((r) => r.status === "present")).toBe(true);
  });

  it("stores sessions as UTC instants of the event's wall-clock times", async () => {
    // Nassau is UTC-4 in August (daylight time): 09:00, 10:45, 13:15, 15:00 local.
    const day1 = ["13:00", "14:45", "17:15", "19:00"].map((t) => `2023-08-09T${t}:00.000Z`);
    const day2 = ["13:00", "14:45", "17:15", "19:00"].map((t) => `2023-08-10T${t}:00.000Z`);
    expect(await sessionStarts((await eventByTitle(DEMO_EVENTS.victimIdentification)).id)).toEqual([...day1, ...day2]);
    // Bahrain is UTC+3 all year: 08:30 local.
    expect((await sessionStarts((await eventByTitle(DEMO_EVENTS.bahrain)).id))[0]).toBe("2024-02-20T05:30:00.000Z");
    // The follow-up training is in December, when Nassau is UTC-5 (standard time).
    expect((await sessionStarts((await eventByTitle(DEMO_EVENTS.followUp)).id))[0]).toBe("2026-12-22T14:00:00.000Z");
  });

  it("has an upcoming event open for registration, answering the follow-up request", async () => {
    const event = await eventByTitle(DEMO_EVENTS.followUp);
    expect(event.status).toBe("open");
    expect(event.startDate > TODAY.toISOString().slice(0, 10)).toBe(true);
    expect(event.registrationOpensAt!.getTime()).toBeLessThan(TODAY.getTime());
    expect(event.registrationClosesAt!.getTime()).toBeGreaterThan(TODAY.getTime());
    const request = firstRow(await getDb()
      .select()
      .from(followUpRequests)
      .where(eq(followUpRequests.id, event.originFollowUpRequestId!)).limit(1));
    expect(request).toMatchObject({ title: DEMO_SCHEDULED_FOLLOW_UP_TITLE, status: "scheduled", localities: ["Freeport"], originEventId: (await eventByTitle(DEMO_EVENTS.victimIdentification)).id });
    const participantRegistered = firstRow(await getDb()
      .select({ id: registrations.id })
      .from(registrations)
      .innerJoin(people, eq(people.id, registrations.personId))
      .where(and(eq(registrations.eventId, event.id), eq(people.email, "participant@example.org"))).limit(1));
    expect(participantRegistered).toBeUndefined();
  });

  it("has the Bimini and Grand Bahama request still under review, raised by the partner from the Bahamas training, with no event yet", async () => {
    const request = firstRow(await getDb().select().from(followUpRequests).where(eq(followUpRequests.title, DEMO_FOLLOW_UP_TITLE)).limit(1))!;
    const partner = firstRow(await getDb().select().from(users).where(eq(users.email, "partner@example.org")).limit(1))!;
    expect(request).toMatchObject({
      status: "under_review",
      country: "BS",
      localities: ["Bimini", "Grand Bahama"],
      originEventId: (await eventByTitle(DEMO_EVENTS.victimIdentification)).id,
      requestingOrganisationId: partner.organisationId,
      createdByUserId: partner.id,
    });
    expect(request.desiredFrom! > TODAY.toISOString().slice(0, 10)).toBe(true);
    expect(await getDb().select().from(events).where(eq(events.originFollowUpRequestId, request.id))).toEqual([]);
  });

  it("places a training in progress today in Nassau: yesterday, today and tomorrow, taught by the demo facilitator, attendance taken for the sessions started", async () => {
    const event = await eventByTitle(DEMO_EVENTS.current);
    // 12:00 UTC is 07:00 in Nassau on 22 November
    expect(event).toMatchObject({ status: "in_progress", timeZone: "America/Nassau", startDate: "2026-11-21", endDate: "2026-11-23" });
    const sessions = await getDb()
      .select({ id: eventSessions.id, kind: eventSessions.kind, startsAt: eventSessions.startsAt, teacher: users.email })
      .from(eventSessions)
      .leftJoin(sessionFacilitators, eq(sessionFacilitators.sessionId, eventSessions.id))
      .leftJoin(users, eq(users.id, sessionFacilitators.userId))
      .where(eq(eventSessions.eventId, event.id))
      .orderBy(asc(eventSessions.startsAt));
    const today = sessions.filter((s) => s.startsAt.toISOString().startsWith("2026-11-22"));
    expect(today.map((s) => s.startsAt.toISOString().slice(11, 16))).toEqual(["14:00", "15:45", "17:15", "18:15", "20:00"]);
    // every session but the lunch breaks is the demo facilitator's
    expect(sessions.filter((s) => s.kind === "break").every((s) => s.teacher === null)).toBe(true);
    expect(sessions.filter((s) => s.kind !== "break").every((s) => s.teacher === "facilitator@example.org")).toBe(true);
    // marks for yesterday's four sessions only (the break takes none; today's have not started at 07:00)
    const marked = (await getDb()
      .selectDistinct({ sessionId: attendance.sessionId })
      .from(attendance)
      .innerJoin(registrations, eq(registrations.id, attendance.registrationId))
      .where(eq(registrations.eventId, event.id)))
      .map((r) => r.sessionId)
      .sort((a, b) => a - b);
    const yesterday = sessions.filter((s) => s.startsAt.toISOString().startsWith("2026-11-21") && s.kind !== "break").map((s) => s.id);
    expect(marked).toEqual(yesterday.sort((a, b) => a - b));
    expect(yesterday).toHaveLength(4);
    const officers = (await getDb()
      .select({ email: people.email })
      .from(registrations)
      .innerJoin(people, eq(people.id, registrations.personId))
      .where(and(eq(registrations.eventId, event.id), eq(registrations.eventRole, "participant"), eq(registrations.status, "confirmed"))))
      .map((r) => r.email);
    expect(officers).toHaveLength(10);
    expect(officers).toContain("participant@example.org");
  });

  it("places a training that ended 31 days ago, its plans' 30-day check-in due and its certificates not yet issued", async () => {
    const event = await eventByTitle(DEMO_EVENTS.recent);
    expect(event).toMatchObject({ status: "completed", startDate: "2026-10-21", endDate: "2026-10-22" });
    expect(event.checkInDays).toEqual([30, 60, 90]);
    const plans = await getDb().select({ title: actionPlans.title, status: actionPlans.status }).from(actionPlans).where(eq(actionPlans.eventId, event.id));
    expect(plans.map((p) => p.status).sort()).toEqual(["draft", "submitted", "submitted"]);
    // nothing recorded since the check-in day (21 November): the check-in is due for every plan
    const latest = await getDb()
      .select({ at: actionPlanUpdates.createdAt })
      .from(actionPlanUpdates)
      .innerJoin(actionPlanItems, eq(actionPlanItems.id, actionPlanUpdates.itemId))
      .innerJoin(actionPlans, eq(actionPlans.id, actionPlanItems.planId))
      .where(eq(actionPlans.eventId, event.id));
    expect(latest.every((u) => u.at.toISOString() < "2026-11-21")).toBe(true);
    const issued = firstRow(await getDb()
      .select({ n: count() })
      .from(certificates)
      .innerJoin(registrations, eq(registrations.id, certificates.registrationId))
      .where(eq(registrations.eventId, event.id)).limit(1))?.n;
    expect(issued).toBe(0);
  });

  it("moves the trainings of the present with the day the demo first runs", async () => {
    await withFreshDatabase(async (other) => {
      await seedDemo(other, { today: new Date("2027-03-10T18:00:00Z") });
      const dates = Object.fromEntries(
        (await other.select({ title: events.title, startDate: events.startDate, endDate: events.endDate }).from(events)).map((e) => [e.title, [e.startDate, e.endDate]]),
      );
      expect(dates[DEMO_EVENTS.current]).toEqual(["2027-03-09", "2027-03-11"]);
      expect(dates[DEMO_EVENTS.recent]).toEqual(["2027-02-06", "2027-02-07"]);
      // the historic trainings stay where they were
      expect(dates[DEMO_EVENTS.victimIdentification]).toEqual(["2023-08-09", "2023-08-10"]);
      expect(dates[DEMO_EVENTS.bahrain]).toEqual(["2024-02-20", "2024-02-22"]);
    });
  });

  it("adds nothing the second time", async () => {
    const before = firstRow(await getDb().select({ n: count() }).from(users).limit(1))?.n;
    expect(await seedDemo(getDb(), { today: TODAY })).toEqual({ created: false });
    expect(firstRow(await getDb().select({ n: count() }).from(users).limit(1))?.n).toBe(before);
    expect(firstRow(await getDb().select({ n: count() }).from(events).limit(1))?.n).toBe(8);
  });
});

describe("demo certificates", () => {
  it("gives every officer who completed a finished demo training a certificate that verifies", async () => {
    const { certificates: certs, people: ppl, registrations: regs } = await import("../../db/schema");
    const { verifyCertificate } = await import("~/models/certificates.server");
    const db = getDb();
    const mine = await db
      .select({ code: certs.code })
      .from(certs)
      .innerJoin(regs, eq(regs.id, certs.registrationId))
      .innerJoin(ppl, eq(ppl.id, regs.personId))
      .where(eq(ppl.email, "participant@example.org"));
    expect(mine).toHaveLength(1);
    const verified = await verifyCertificate(mine[0].code);
    expect(verified).toMatchObject({ valid: true });
    expect((await db.select().from(certs)).length).toBeGreaterThan(40);
  });
});

describe("demo evaluation data", () => {
  const coordinatorActor = async () => {
    const u = firstRow(await getDb().select().from(users).where(eq(users.email, "coordinator@example.org")).limit(1))!;
    return { user: { id: u.id, email: u.email, name: u.name, role: u.role, organisationId: u.organisationId, locale: u.locale }, ip: null };
  };

  it("pairs the Bahamas officers' pre- and post-test scores of a 15-question test, with a realistic spread", async () => {
    const { testResults, testForEditing } = await import("~/models/knowledge-tests.server");
    const actor = await coordinatorActor();
    const vi = await eventByTitle(DEMO_EVENTS.victimIdentification);
    const test = await testForEditing(actor, vi.id);
    expect(test.questions).toHaveLength(15);
    expect(new Set(test.questions.map((q) => q.kind))).toEqual(new Set(["single", "multiple", "true_false"]));
    expect(test.questions.every((q) => q.explanation && q.options.some((o) => o.isCorrect))).toBe(true);
    expect(test.phases.map((p) => p.state)).toEqual(["closed", "closed"]);

    const results = await testResults(actor, vi.id);
    const s = results.summary;
    expect(s.paired).toBeGreaterThanOrEqual(20);
    expect(s.preTaken).toBe(results.people.length); // everyone took the pre-test
    expect(s.postTaken).toBe(results.people.length - 1); // one officer left before the end
    expect(s.meanPre).toBeGreaterThanOrEqual(45);
    expect(s.meanPre).toBeLessThanOrEqual(60);
    expect(s.meanPost).toBeGreaterThanOrEqual(70);
    expect(s.meanPost).toBeLessThanOrEqual(90);
    // a few did not improve
    expect(s.paired - s.improved).toBeGreaterThanOrEqual(2);
    expect(s.paired - s.improved).toBeLessThanOrEqual(4);
    // one post-test came on paper; the online ones have answers per question, harder before than after
    expect(results.people.filter((p) => p.postSource === "paper")).toHaveLength(1);
    for (const q of results.perQuestion) expect(q.pre.answered).toBe(results.people.length);
    const meanShare = (phase: "pre" | "post") => results.perQuestion.reduce((a, q) => a + (q[phase].share ?? 0), 0) / results.perQuestion.length;
    expect(meanShare("post")).toBeGreaterThan(meanShare("pre") + 0.15);
    // participant@example.org took both
    const mine = results.people.find((p) => p.name === "Shavonne Rolle")!;
    expect(mine.pre).not.toBeNull();
    expect(mine.post! - mine.pre!).toBeGreaterThan(0);
  });

  it("has the Bahamas feedback form closed, with at least five answers, their distributions and a few comments", async () => {
    const { feedbackOverview } = await import("~/models/feedback.server");
    const vi = await eventByTitle(DEMO_EVENTS.victimIdentification);
    const overview = await feedbackOverview(await coordinatorActor(), vi.id);
    expect(overview.state).toBe("closed");
    expect(overview.respondents).toBeGreaterThanOrEqual(5);
    expect(overview.nonRespondents.length).toBeGreaterThan(0);
    expect(overview.results).not.toBeNull();
    for (const q of overview.results!.questions) {
      expect(q.total).toBe(overview.respondents);
      expect(q.mean).toBeGreaterThan(3.5);
      expect(q.counts.filter((c) => c > 0).length).toBeGreaterThanOrEqual(2);
    }
    expect(overview.results!.comments.length).toBeGreaterThanOrEqual(3);
  });

  it("has the training in progress with its pre-test done and its post-test open, required for its certificate", async () => {
    const { testForEditing } = await import("~/models/knowledge-tests.server");
    const { certificateRuleOf } = await import("~/models/certificate-requirements.server");
    const { setClock } = await import("~/lib/clock");
    const current = await eventByTitle(DEMO_EVENTS.current);
    setClock(() => TODAY.getTime());
    const test = await testForEditing(await coordinatorActor(), current.id).finally(() => setClock(null));
    const confirmed = (await getDb().select({ id: registrations.id }).from(registrations)
      .where(and(eq(registrations.eventId, current.id), eq(registrations.eventRole, "participant"), eq(registrations.status, "confirmed")))).length;
    expect(test.phases).toEqual([
      expect.objectContaining({ phase: "pre", state: "closed", submitted: confirmed }),
      expect.objectContaining({ phase: "post", state: "open", submitted: 0 }),
    ]);
    expect(await certificateRuleOf(getDb(), current.id)).toEqual({ postTestRequired: true, postTestMinScore: 70, feedbackRequired: true });
  });
});
