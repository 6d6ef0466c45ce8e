import { and, asc, count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb, firstRow } from "../../db/client";
import {
  auditLog,
  emailOutbox,
  eventPartners,
  events,
  eventSessions,
  followUpRequestEntries,
  followUpRequests,
  organisations,
  programmes,
  users,
} from "../../db/schema";
import { DEMO_EVENTS, DEMO_FOLLOW_UP_TITLE, DEMO_ORGANISATIONS, DEMO_PROGRAMMES, DEMO_SCHEDULED_FOLLOW_UP_TITLE, seedDemo } from "../../db/seed/demo";
import type { SessionUser } from "~/auth/session.server";
import { resources } from "~/i18n.server";
import { setClock } from "~/lib/clock";
import { utcToZoned } from "~/lib/zoned";
import { FieldError } from "~/models/field-error.server";
import { createFollowUp, followUpCounts } from "~/models/follow-ups.server";
import * as list from "~/routes/follow-ups._index";
import * as create from "~/routes/follow-ups.new";
import * as page from "~/routes/follow-ups.$requestId";
import * as tab from "~/routes/events.$eventId.follow-ups";
import * as eventLayout from "~/routes/events.$eventId";
import { call, createUser, makeRequest, sessionCookie, unwrap } from "../setup/helpers";

const TODAY = new Date("2026-11-22T12:00:00Z");
const NASSAU = "America/Nassau";

const db = () => getDb();
const cookies: Record<string, string> = {};
let victimId: number;
let bahrainEventId: number;
let followUpEventId: number;
/** the demo's scheduled request (Freeport), answered by the upcoming follow-up training */
let demoRequestId: number;
/** the demo's open request (Bimini and Grand Bahama, under review) */
let demoOpenRequestId: number;
let bsImmigration: number;
let bhInterior: number;
let partner: SessionUser;
let coordinator: SessionUser;
let bahrainPartnerCookie: string;
let arabicPartnerEmail: string;

async function sessionUser(email: string): Promise<SessionUser> {
  const u = firstRow(await db().select().from(users).where(eq(users.email, email)).limit(1))!;
  return { id: u.id, email: u.email, name: u.name, role: u.role, organisationId: u.organisationId, locale: u.locale };
}

const requestCount = async () => firstRow(await db().select({ n: count() }).from(followUpRequests).limit(1))!.n;
const requestRow = async (id: number) => firstRow(await db().select().from(followUpRequests).where(eq(followUpRequests.id, id)).limit(1))!;
const entriesOf = async (id: number) =>
  await db().select().from(followUpRequestEntries).where(eq(followUpRequestEntries.requestId, id)).orderBy(asc(followUpRequestEntries.id));
const statusEmails = async (to?: string) =>
  await db()
    .select()
    .from(emailOutbox)
    .where(and(eq(emailOutbox.kind, "follow_up_status"), to ? eq(emailOutbox.toAddress, to) : undefined))
    .orderBy(asc(emailOutbox.id));
const sessionsOf = async (eventId: number) => await db().select().from(eventSessions).where(eq(eventSessions.eventId, eventId)).orderBy(asc(eventSessions.startsAt));

/** An English message key resolves to text (per-field messages are translated, not raw keys). */
function english(key: string): string {
  const text = key.split(".").reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], resources.en);
  expect(typeof text, key).toBe("string");
  return text as string;
}

const getList = async (cookie: string, query = "") => await call(list.loader, makeRequest(`/follow-ups${query}`, { cookie }));
const getNew = async (cookie: string, query = "") => await call(create.loader, makeRequest(`/follow-ups/new${query}`, { cookie }));
const postNew = async (cookie: string, form: Record<string, string | string[]>) => await call(create.action, makeRequest("/follow-ups/new", { cookie, form }));
const getPage = async (cookie: string, id: number) => await call(page.loader, makeRequest(`/follow-ups/${id}`, { cookie }), { requestId: String(id) });
const postPage = async (cookie: string, id: number, form: Record<string, string | string[]>) =>
  await call(page.action, makeRequest(`/follow-ups/${id}`, { cookie, form }), { requestId: String(id) });
const getTab = async (cookie: string, eventId: number) => await call(tab.loader, makeRequest(`/events/${eventId}/follow-ups`, { cookie }), { eventId: String(eventId) });

/** The id in a redirect to the new request's page. */
function createdId(response: unknown) {
  expect(response).toBeInstanceOf(Response);
  const location = (response as Response).headers.get("Location") ?? "";
  expect((response as Response).status).toBe(302);
  const match = /^\/follow-ups\/(\d+)\?done=created$/.exec(location);
  expect(match, location).not.toBeNull();
  return Number(match![1]);
}

const BIMINI = {
  title: "Victim-identification training for officers in Bimini and Grand Bahama",
  description: "The Department asks for the New Providence training to be given to the officers posted at the ports of Bimini and Grand Bahama.",
  country: "BS",
  localities: "Bimini, Grand Bahama",
  targetAudience: "Immigration and port officers posted in Bimini and Grand Bahama",
  roleCategories: ["immigration_officer", "port_specialist"],
  estimatedParticipants: "30",
  desiredFrom: "2027-01-18",
  desiredTo: "2027-02-26",
  priority: "high",
};

beforeAll(async () => {
  await seedDemo(db(), { today: TODAY });
  setClock(() => TODAY.getTime());
  for (const role of ["admin", "coordinator", "facilitator", "participant", "partner", "donor"]) {
    const u = await sessionUser(`${role}@example.org`);
    cookies[role] = await sessionCookie(u);
  }
  const eventId = async (title: string) => firstRow(await db().select().from(events).where(eq(events.title, title)).limit(1))!.id;
  victimId = await eventId(DEMO_EVENTS.victimIdentification);
  bahrainEventId = await eventId(DEMO_EVENTS.bahrain);
  followUpEventId = await eventId(DEMO_EVENTS.followUp);
  demoRequestId = firstRow(await db().select().from(followUpRequests).where(eq(followUpRequests.title, DEMO_SCHEDULED_FOLLOW_UP_TITLE)).limit(1))!.id;
  demoOpenRequestId = firstRow(await db().select().from(followUpRequests).where(eq(followUpRequests.title, DEMO_FOLLOW_UP_TITLE)).limit(1))!.id;
  const orgId = async (name: string) => firstRow(await db().select().from(organisations).where(eq(organisations.name, name)).limit(1))!.id;
  bsImmigration = await orgId(DEMO_ORGANISATIONS.bahamasImmigration);
  bhInterior = await orgId(DEMO_ORGANISATIONS.bahrainInterior);
  // partner@example.org reads Convene in Spanish; a second focal point of the same agency in Arabic
  await db().update(users).set({ locale: "es" }).where(eq(users.email, "partner@example.org"));
  partner = await sessionUser("partner@example.org");
  coordinator = await sessionUser("coordinator@example.org");
  const arabic = await createUser({ role: "partner", organisationId: bsImmigration, email: "focal.point.ar@immigration.gov.bs.example" });
  await db().update(users).set({ locale: "ar" }).where(eq(users.id, arabic.id));
  arabicPartnerEmail = arabic.email;
  const bahrainPartner = await createUser({ role: "partner", organisationId: bhInterior, email: "focal.point@interior.gov.bh.example" });
  bahrainPartnerCookie = await sessionCookie(bahrainPartner);
});

afterAll(() => setClock(null));

describe("follow-up requests", () => {
  let biminiId: number;
  let bahrainRequestId: number;

  it("lets the partner file a request from the Bahamas training for its own agency, country and origin pre-filled", async () => {
    const form = unwrap(await getNew(cookies.partner, `?eventId=${victimId}`));
    expect(form.status).toBe(200);
    expect(form.data.options.defaults).toMatchObject({ country: "BS", originEventId: String(victimId), requestingOrganisationId: String(bsImmigration) });
    expect(form.data.options.fixedAgency).toMatchObject({ id: bsImmigration, name: DEMO_ORGANISATIONS.bahamasImmigration });
    expect(form.data.options.agencies).toHaveLength(1);
    expect(form.data.options.originEvent).toMatchObject({ id: victimId, title: DEMO_EVENTS.victimIdentification });

    const before = await requestCount();
    biminiId = createdId(await postNew(cookies.partner, { ...BIMINI, originEventId: String(victimId) }));
    expect(await requestCount()).toBe(before + 1);
    expect(await requestRow(biminiId)).toMatchObject({
      title: BIMINI.title,
      country: "BS",
      localities: ["Bimini", "Grand Bahama"],
      roleCategories: ["immigration_officer", "port_specialist"],
      estimatedParticipants: 30,
      desiredFrom: "2027-01-18",
      desiredTo: "2027-02-26",
      priority: "high",
      status: "received",
      requestingOrganisationId: bsImmigration,
      originEventId: victimId,
      createdByUserId: partner.id,
    });
    expect(await entriesOf(biminiId)).toEqual([
      expect.objectContaining({ authorUserId: partner.id, fromStatus: null, toStatus: "received", comment: null, createdAt: TODAY }),
    ]);
    const audit = await db().select().from(auditLog).where(and(eq(auditLog.action, "follow_up.create"), eq(auditLog.entityId, String(biminiId))));
    expect(audit).toEqual([expect.objectContaining({ userId: partner.id, entityType: "follow_up_request" })]);
    // the requester sees it on its page, with the origin training
    const shown = unwrap(await getPage(cookies.partner, biminiId));
    expect(shown.status).toBe(200);
    expect(shown.data.request).toMatchObject({ title: BIMINI.title, organisationName: DEMO_ORGANISATIONS.bahamasImmigration, createdByName: partner.name });
    expect(shown.data.originEvent).toMatchObject({ id: victimId });
    expect(shown.data.nextStatuses).toEqual([]);
    expect(shown.data.inPreparation).toBe(false);
  });

  it("refuses a partner's request for another government's agency, or from a training it cannot see — and saves nothing", async () => {
    const before = await requestCount();
    const refused = unwrap(await postNew(cookies.partner, { ...BIMINI, requestingOrganisationId: String(bhInterior) }));
    expect(refused.status).toBe(400);
    expect(refused.data.errors).toEqual({ requestingOrganisationId: "followUps.errors.otherAgency" });
    english("followUps.errors.otherAgency");
    expect(refused.data.values).toMatchObject({ title: BIMINI.title, localities: BIMINI.localities, requestingOrganisationId: String(bhInterior) });
    await expect((async () => await createFollowUp({ user: partner, ip: null }, { ...parsedBimini(), requestingOrganisationId: bhInterior }))()).rejects.toThrow(FieldError);

    // the Bahrain training is not the Bahamas partner's: not offered, and refused when posted
    expect((await getNew(cookies.partner, `?eventId=${bahrainEventId}`)) as Response).toHaveProperty("status", 404);
    const hidden = unwrap(await postNew(cookies.partner, { ...BIMINI, originEventId: String(bahrainEventId) }));
    expect(hidden.status).toBe(400);
    expect(hidden.data.errors).toEqual({ originEventId: "followUps.errors.originEvent" });
    expect(await requestCount()).toBe(before);
    expect(await db().select().from(auditLog).where(eq(auditLog.action, "follow_up.create"))).toHaveLength(1);
  });

  it("lets a coordinator file for any government partner, but not for a donor", async () => {
    const donorOrg = firstRow(await db().select().from(organisations).where(eq(organisations.name, DEMO_ORGANISATIONS.prm)).limit(1))!.id;
    const notGovernment = unwrap(
      await postNew(cookies.coordinator, { title: "Training of trainers", description: "For the Ministry's trainers.", country: "BH", requestingOrganisationId: String(donorOrg) }),
    );
    expect(notGovernment.status).toBe(400);
    expect(notGovernment.data.errors).toEqual({ requestingOrganisationId: "followUps.errors.notGovernment" });
    const missing = unwrap(await postNew(cookies.coordinator, { title: "Training of trainers", description: "For the Ministry's trainers.", country: "BH" }));
    expect(missing.data.errors).toEqual({ requestingOrganisationId: "errors.required" });

    const options = unwrap(await getNew(cookies.coordinator)).data.options;
    expect(options.fixedAgency).toBeNull();
    expect(options.agencies.map((a: { name: string }) => a.name)).toEqual([DEMO_ORGANISATIONS.bahamasImmigration, DEMO_ORGANISATIONS.bahrainInterior].sort());
    bahrainRequestId = createdId(
      await postNew(cookies.coordinator, {
        title: "Training of trainers on victim-centred approaches",
        description: "The Ministry asks for its own trainers to be trained, building on the February 2024 training.",
        country: "bh",
        localities: "Manama",
        estimatedParticipants: "16",
        requestingOrganisationId: String(bhInterior),
      }),
    );
    expect(await requestRow(bahrainRequestId)).toMatchObject({ country: "BH", requestingOrganisationId: bhInterior, originEventId: null, desiredFrom: null, priority: "normal", createdByUserId: coordinator.id });
  });

  it("shows partners their own agency's requests only; coordinators all", async () => {
    const titles = async (cookie: string, query = "") => unwrap(await getList(cookie, query)).data.result.rows.map((r: { title: string }) => r.title).sort();
    expect(await titles(cookies.partner)).toEqual([BIMINI.title, DEMO_FOLLOW_UP_TITLE, DEMO_SCHEDULED_FOLLOW_UP_TITLE].sort());
    expect(await titles(bahrainPartnerCookie)).toEqual(["Training of trainers on victim-centred approaches"]);
    expect(await titles(cookies.coordinator)).toHaveLength(4);
    expect(await titles(cookies.admin)).toHaveLength(4);
    expect(await titles(cookies.coordinator, "?country=BH")).toEqual(["Training of trainers on victim-centred approaches"]);
    expect(await titles(cookies.coordinator, "?status=scheduled")).toEqual([DEMO_SCHEDULED_FOLLOW_UP_TITLE]);
    expect(await titles(cookies.coordinator, "?status=under_review")).toEqual([DEMO_FOLLOW_UP_TITLE]);
    const partnerList = unwrap(await getList(cookies.partner)).data.result;
    expect(partnerList.counts).toEqual({ received: 1, under_review: 1, accepted: 0, scheduled: 1, declined: 0 });
    expect(partnerList.countries).toEqual(["BS"]);

    // another agency's request does not exist for the partner
    expect((await getPage(cookies.partner, bahrainRequestId)) as Response).toHaveProperty("status", 404);
    expect((await postPage(cookies.partner, bahrainRequestId, { intent: "comment", comment: "Hello" })) as Response).toHaveProperty("status", 404);
    expect((await getPage(bahrainPartnerCookie, biminiId)) as Response).toHaveProperty("status", 404);

    // the event tab: requests raised from the training, and the one the follow-up training answers
    const raised = unwrap(await getTab(cookies.partner, victimId)).data;
    expect(raised.raised.map((r: { id: number }) => r.id).sort()).toEqual([biminiId, demoRequestId, demoOpenRequestId].sort());
    expect(raised.answers).toBeNull();
    const answering = unwrap(await getTab(cookies.partner, followUpEventId)).data;
    expect(answering.answers).toMatchObject({ id: demoRequestId, status: "scheduled" });
    expect(answering.raised).toEqual([]);
    // the Bahamas partner cannot open the Bahrain training's tab
    expect((await getTab(cookies.partner, bahrainEventId)) as Response).toHaveProperty("status", 404);
  });

  it("records comments in the history and the audit log", async () => {
    const empty = unwrap(await postPage(cookies.partner, biminiId, { intent: "comment", comment: "   " }));
    expect(empty.status).toBe(400);
    expect(empty.data.error).toBe("followUps.errors.commentRequired");
    const response = (await postPage(cookies.partner, biminiId, { intent: "comment", comment: "Twelve of the officers are in Bimini." })) as Response;
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe(`/follow-ups/${biminiId}?done=commented#history`);
    expect((await entriesOf(biminiId)).at(-1)).toMatchObject({ authorUserId: partner.id, fromStatus: null, toStatus: null, comment: "Twelve of the officers are in Bimini." });
    expect(await db().select().from(auditLog).where(and(eq(auditLog.action, "follow_up.comment"), eq(auditLog.entityId, String(biminiId))))).toHaveLength(1);
    expect(await statusEmails()).toHaveLength(0);
  });

  it("refuses a jump from received to scheduled, and status changes by anyone but coordinators and admins", async () => {
    const jump = unwrap(await postPage(cookies.coordinator, biminiId, { intent: "status", status: "scheduled" }));
    expect(jump.status).toBe(400);
    expect(jump.data).toMatchObject({ error: "followUps.errors.notAllowed", values: { from: "received", to: "scheduled" } });
    english("followUps.errors.notAllowed");
    expect((await postPage(cookies.partner, biminiId, { intent: "status", status: "under_review" })) as Response).toHaveProperty("status", 403);
    expect((await requestRow(biminiId)).status).toBe("received");
    expect(await entriesOf(biminiId)).toHaveLength(2);
    expect(await statusEmails()).toHaveLength(0);
    expect(unwrap(await getPage(cookies.coordinator, biminiId)).data.nextStatuses).toEqual(["under_review", "declined"]);
  });

  it("moves received → under review, telling the requesters by email in their own language", async () => {
    const response = (await postPage(cookies.coordinator, biminiId, { intent: "status", status: "under_review", comment: "Checking trainers for January." })) as Response;
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe(`/follow-ups/${biminiId}?done=under_review`);
    expect((await requestRow(biminiId)).status).toBe("under_review");
    expect((await entriesOf(biminiId)).at(-1)).toMatchObject({ authorUserId: coordinator.id, fromStatus: "received", toStatus: "under_review", comment: "Checking trainers for January." });
    const audit = await db().select().from(auditLog).where(and(eq(auditLog.action, "follow_up.status"), eq(auditLog.entityId, String(biminiId))));
    expect(audit).toEqual([expect.objectContaining({ userId: coordinator.id, details: { from: "received", to: "under_review", eventId: null } })]);

    // the partner who filed it (Spanish) and the agency's other focal point (Arabic); not the coordinator
    expect((await statusEmails()).map((e) => e.toAddress).sort()).toEqual([arabicPartnerEmail, "partner@example.org"].sort());
    const spanish = (await statusEmails("partner@example.org"))[0];
    expect(spanish.subject).toBe(`Solicitud de seguimiento “${BIMINI.title}”: En revisión`);
    expect(spanish.html).toContain('lang="es"');
    expect(spanish.text).toContain("Checking trainers for January.");
    expect(spanish.text).toContain(`http://localhost:3000/follow-ups/${biminiId}`);
    expect(spanish.userId).toBe(partner.id);
    const arabic = (await statusEmails(arabicPartnerEmail))[0];
    expect(arabic.subject).toBe(`طلب المتابعة «${BIMINI.title}»: قيد المراجعة`);
    expect(arabic.html).toContain('dir="rtl"');
  });

  it("accepts the request by creating a draft event linked both ways, with the original timetable at the same local times", async () => {
    expect(unwrap(await getPage(cookies.coordinator, biminiId)).data).toMatchObject({ nextStatuses: ["accepted", "declined"], canCopyTimetable: true });
    const before = firstRow(await db().select({ n: count() }).from(events).limit(1))!.n;
    const response = (await postPage(cookies.coordinator, biminiId, { intent: "status", status: "accepted", copyTimetable: "on" })) as Response;
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe(`/follow-ups/${biminiId}?done=accepted`);
    expect(firstRow(await db().select({ n: count() }).from(events).limit(1))!.n).toBe(before + 1);

    const draft = firstRow(await db().select().from(events).where(eq(events.originFollowUpRequestId, biminiId)).limit(1))!;
    const origin = firstRow(await db().select().from(events).where(eq(events.id, victimId)).limit(1))!;
    expect(draft).toMatchObject({
      title: BIMINI.title,
      description: BIMINI.description,
      status: "draft",
      country: "BS",
      locality: "Bimini",
      timeZone: NASSAU,
      startDate: "2027-01-18",
      endDate: "2027-01-19", // two days, like the original training
      capacity: 30,
      targetRoles: ["immigration_officer", "port_specialist"],
      programmeId: origin.programmeId,
      createdByUserId: coordinator.id,
    });
    const whp = firstRow(await db().select().from(programmes).where(eq(programmes.name, DEMO_PROGRAMMES.westernHemisphere)).limit(1))!.id;
    expect(draft.programmeId).toBe(whp);
    expect((await db().select().from(eventPartners).where(eq(eventPartners.eventId, draft.id))).map((p) => p.organisationId)).toEqual([bsImmigration]);
    expect((await requestRow(biminiId)).status).toBe("accepted");

    // the timetable: every session, same wall-clock times in Nassau, moved from 9–10 August 2023 to 18–19 January 2027
    const originSessions = await sessionsOf(victimId);
    const copied = await sessionsOf(draft.id);
    expect(copied).toHaveLength(originSessions.length);
    expect(copied.length).toBeGreaterThan(0);
    const shift: Record<string, string> = { "2023-08-09": "2027-01-18", "2023-08-10": "2027-01-19" };
    copied.forEach((s, i) => {
      const o = originSessions[i];
      expect(s.title).toBe(o.title);
      const [from, to] = [utcToZoned(o.startsAt, NASSAU), utcToZoned(s.startsAt, NASSAU)];
      expect(to.time).toBe(from.time);
      expect(to.day).toBe(shift[from.day]);
      expect(utcToZoned(s.endsAt, NASSAU).time).toBe(utcToZoned(o.endsAt, NASSAU).time);
    });
    // 09:00 in Nassau is 13:00 UTC in August (EDT) and 14:00 UTC in January (EST): local time kept, not UTC
    expect(originSessions[0].startsAt.toISOString()).toBe("2023-08-09T13:00:00.000Z");
    expect(copied[0].startsAt.toISOString()).toBe("2027-01-18T14:00:00.000Z");

    // history, audit, and the requester told
    expect((await entriesOf(biminiId)).at(-1)).toMatchObject({ fromStatus: "under_review", toStatus: "accepted", authorUserId: coordinator.id });
    expect(await db().select().from(auditLog).where(and(eq(auditLog.action, "event.create"), eq(auditLog.entityId, String(draft.id))))).toHaveLength(1);
    const spanish = (await statusEmails("partner@example.org")).at(-1)!;
    expect(spanish.subject).toBe(`Solicitud de seguimiento “${BIMINI.title}”: Aceptada`);

    // the coordinator's page links the draft; the partner does not see drafts, but sees "accepted"
    const coordinatorView = unwrap(await getPage(cookies.coordinator, biminiId)).data;
    expect(coordinatorView.linkedEvents).toEqual([expect.objectContaining({ id: draft.id, status: "draft" })]);
    expect(coordinatorView.nextStatuses).toEqual(["scheduled"]);
    const partnerView = unwrap(await getPage(cookies.partner, biminiId)).data;
    expect(partnerView.request.status).toBe("accepted");
    expect(partnerView.linkedEvents).toEqual([]);
    expect(partnerView.inPreparation).toBe(true);
    // the draft event's tab names the request it answers
    expect(unwrap(await getTab(cookies.coordinator, draft.id)).data.answers).toMatchObject({ id: biminiId, status: "accepted" });

    // then scheduled, now that an event answers it
    expect(((await postPage(cookies.coordinator, biminiId, { intent: "status", status: "scheduled" })) as Response).status).toBe(302);
    expect((await requestRow(biminiId)).status).toBe("scheduled");
    expect((await entriesOf(biminiId)).map((e) => [e.fromStatus, e.toStatus])).toEqual([
      [null, "received"],
      [null, null],
      ["received", "under_review"],
      ["under_review", "accepted"],
      ["accepted", "scheduled"],
    ]);
    expect(unwrap(await getPage(cookies.coordinator, biminiId)).data.nextStatuses).toEqual([]);
  });

  it("shows, in the draft event's header, the request it answers and the training the request came from", async () => {
    const draft = firstRow(await db().select().from(events).where(eq(events.originFollowUpRequestId, biminiId)).limit(1))!;
    const header = async (cookie: string, eventId: number) => await call(eventLayout.loader, makeRequest(`/events/${eventId}`, { cookie }), { eventId: String(eventId) });
    const origin = unwrap(await header(cookies.coordinator, draft.id)).data.origin;
    expect(origin).toEqual({ request: { id: biminiId, title: BIMINI.title }, originEvent: { id: victimId, title: DEMO_EVENTS.victimIdentification } });
    // the scheduled follow-up training: the requesting agency's focal point sees both links too
    expect(unwrap(await header(cookies.partner, followUpEventId)).data.origin).toEqual({
      request: { id: demoRequestId, title: DEMO_SCHEDULED_FOLLOW_UP_TITLE },
      originEvent: { id: victimId, title: DEMO_EVENTS.victimIdentification },
    });
    // a participant reads no request, only the training it follows
    expect(unwrap(await header(cookies.participant, followUpEventId)).data.origin).toEqual({ request: null, originEvent: { id: victimId, title: DEMO_EVENTS.victimIdentification } });
    // an event that answers no request has no origin line
    expect(unwrap(await header(cookies.coordinator, victimId)).data.origin).toBeNull();
  });

  it("without the timetable option or dates: no sessions, 60 days from today, one day, the country's zone", async () => {
    expect(((await postPage(cookies.coordinator, bahrainRequestId, { intent: "status", status: "under_review" })) as Response).status).toBe(302);
    expect(((await postPage(cookies.coordinator, bahrainRequestId, { intent: "status", status: "accepted" })) as Response).status).toBe(302);
    const draft = firstRow(await db().select().from(events).where(eq(events.originFollowUpRequestId, bahrainRequestId)).limit(1))!;
    expect(draft).toMatchObject({ status: "draft", country: "BH", locality: "Manama", timeZone: "Asia/Bahrain", startDate: "2027-01-21", endDate: "2027-01-21", capacity: 16, programmeId: null });
    expect(await sessionsOf(draft.id)).toEqual([]);
    expect((await db().select().from(eventPartners).where(eq(eventPartners.eventId, draft.id))).map((p) => p.organisationId)).toEqual([bhInterior]);
    // filed by the coordinator who changed it: no email to oneself; the agency's focal point hears (English, no language chosen)
    const emails = await statusEmails("focal.point@interior.gov.bh.example");
    expect(emails.map((e) => e.subject)).toEqual([
      "Follow-up request “Training of trainers on victim-centred approaches”: Under review",
      "Follow-up request “Training of trainers on victim-centred approaches”: Accepted",
    ]);
    expect(await statusEmails(coordinator.email)).toHaveLength(0);
  });

  it("refuses 'scheduled' while no event answers the request", async () => {
    // an accepted request whose draft event was cancelled has no training answering it
    const draft = firstRow(await db().select().from(events).where(eq(events.originFollowUpRequestId, bahrainRequestId)).limit(1))!;
    await db().update(events).set({ status: "cancelled" }).where(eq(events.id, draft.id));
    const refused = unwrap(await postPage(cookies.coordinator, bahrainRequestId, { intent: "status", status: "scheduled" }));
    expect(refused.status).toBe(400);
    expect(refused.data.error).toBe("followUps.errors.noEvent");
    english("followUps.errors.noEvent");
    expect((await requestRow(bahrainRequestId)).status).toBe("accepted");
    await db().update(events).set({ status: "draft" }).where(eq(events.id, draft.id));
  });

  it("declines a request with a reason the requester receives; a declined or accepted request goes no further", async () => {
    const id = createdId(await postNew(cookies.partner, { title: "Refresher for New Providence officers", description: "A one-day refresher.", country: "BS", priority: "low" }));
    const noReason = unwrap(await postPage(cookies.coordinator, id, { intent: "status", status: "declined", comment: "" }));
    expect(noReason.status).toBe(400);
    expect(noReason.data.error).toBe("followUps.errors.reasonRequired");
    expect((await requestRow(id)).status).toBe("received");

    const emailsBefore = (await statusEmails("partner@example.org")).length;
    const response = (await postPage(cookies.coordinator, id, { intent: "status", status: "declined", comment: "The follow-up training in Freeport covers these officers." })) as Response;
    expect(response.status).toBe(302);
    expect((await requestRow(id)).status).toBe("declined");
    expect((await entriesOf(id)).at(-1)).toMatchObject({ fromStatus: "received", toStatus: "declined", comment: "The follow-up training in Freeport covers these officers." });
    const declined = await statusEmails("partner@example.org");
    expect(declined).toHaveLength(emailsBefore + 1);
    expect(declined.at(-1)!.subject).toBe("Solicitud de seguimiento “Refresher for New Providence officers”: Rechazada");
    expect(declined.at(-1)!.text).toContain("The follow-up training in Freeport covers these officers.");
    expect(await db().select().from(events).where(eq(events.originFollowUpRequestId, id))).toEqual([]);

    expect(unwrap(await getPage(cookies.coordinator, id)).data.nextStatuses).toEqual([]);
    for (const status of ["under_review", "accepted", "scheduled"]) {
      const again = unwrap(await postPage(cookies.coordinator, id, { intent: "status", status }));
      expect(again.status).toBe(400);
      expect(again.data.error).toBe("followUps.errors.notAllowed");
    }
    // an accepted request cannot be declined any more
    const lateDecline = unwrap(await postPage(cookies.coordinator, bahrainRequestId, { intent: "status", status: "declined", comment: "Budget" }));
    expect(lateDecline.data).toMatchObject({ error: "followUps.errors.notAllowed", values: { from: "accepted", to: "declined" } });
    expect((await requestRow(bahrainRequestId)).status).toBe("accepted");
  });

  it("turns away participants and facilitators (403) and gives donors counts only, never content", async () => {
    for (const role of ["participant", "facilitator", "donor"]) {
      const cookie = cookies[role];
      for (const response of [
        await getList(cookie),
        await getNew(cookie),
        await getNew(cookie, `?eventId=${victimId}`),
        await getPage(cookie, biminiId),
        await getTab(cookie, victimId),
        await postNew(cookie, BIMINI),
        await postPage(cookie, biminiId, { intent: "comment", comment: "Hello" }),
        await postPage(cookie, biminiId, { intent: "status", status: "declined", comment: "No" }),
      ]) {
        expect(response, role).toBeInstanceOf(Response);
        expect((response as Response).status, role).toBe(403);
      }
    }
    const anonymous = (await getList("")) as Response;
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("Location")).toMatch(/^\/login\?redirectTo=/);

    // the donor of the Western Hemisphere Program counts the requests tied to it: the demo's two and Bimini's
    const donorCounts = await followUpCounts(await sessionUser("donor@example.org"));
    expect(donorCounts).toEqual({
      total: 3,
      byStatus: { received: 0, under_review: 1, accepted: 0, scheduled: 2, declined: 0 },
      turnedIntoTrainings: 2,
      delivered: 0,
    });
    const shown = JSON.stringify(donorCounts);
    for (const text of [BIMINI.title, DEMO_FOLLOW_UP_TITLE, DEMO_SCHEDULED_FOLLOW_UP_TITLE, "Bimini", DEMO_ORGANISATIONS.bahamasImmigration]) expect(shown).not.toContain(text);
    // coordinators count everything; partners their agency's
    expect(await followUpCounts(coordinator)).toMatchObject({ total: 5, byStatus: { received: 0, under_review: 1, accepted: 1, scheduled: 2, declined: 1 }, turnedIntoTrainings: 3 });
    expect(await followUpCounts(partner)).toMatchObject({ total: 4, turnedIntoTrainings: 2 });
    await expect((async () => await followUpCounts(await sessionUser("participant@example.org")))()).rejects.toThrow();
  });

  it("answers bad input with 400 and a message per field, keeping what was typed and saving nothing", async () => {
    const before = await requestCount();
    const bad = unwrap(
      await postNew(cookies.coordinator, {
        ...BIMINI,
        requestingOrganisationId: String(bsImmigration),
        estimatedParticipants: "0",
        desiredFrom: "2027-03-01",
        desiredTo: "2027-02-01",
        country: "ZZ",
      }),
    );
    expect(bad.status).toBe(400);
    expect(bad.data.errors).toEqual({
      estimatedParticipants: "followUps.errors.participants",
      desiredTo: "followUps.errors.periodOrder",
      country: "errors.country",
    });
    for (const key of Object.values(bad.data.errors) as string[]) english(key);
    expect(bad.data.values).toMatchObject({ title: BIMINI.title, estimatedParticipants: "0", desiredFrom: "2027-03-01", desiredTo: "2027-02-01", country: "ZZ", roleCategories: BIMINI.roleCategories });

    const more = unwrap(await postNew(cookies.partner, { title: "", description: "", country: "BS", estimatedParticipants: "-3", desiredFrom: "2027-02-30", roleCategories: "astronaut" }));
    expect(more.status).toBe(400);
    expect(more.data.errors).toEqual({
      title: "errors.required",
      description: "errors.required",
      estimatedParticipants: "followUps.errors.participants",
      desiredFrom: "errors.date",
      roleCategories: "errors.choice",
    });
    expect(await requestCount()).toBe(before);
  });
});

/** The Bimini request as the form schema would hand it to the model. */
function parsedBimini() {
  return {
    title: BIMINI.title,
    description: BIMINI.description,
    country: "BS",
    localities: ["Bimini", "Grand Bahama"],
    targetAudience: BIMINI.targetAudience,
    roleCategories: BIMINI.roleCategories,
    estimatedParticipants: 30,
    desiredFrom: BIMINI.desiredFrom,
    desiredTo: BIMINI.desiredTo,
    priority: "high" as const,
    requestingOrganisationId: null,
    originEventId: null,
  };
}

describe("a follow-up request raised from a training abroad", () => {
  it("defaults to the requesting agency's own country, and shows its times in that country's zone — not the training's", async () => {
    // a Manila training the Bahamian agency took part in
    const manila = (await db()
      .insert(events)
      .values({ title: "Regional Border Management Workshop", type: "workshop", country: "PH", locality: "Manila", timeZone: "Asia/Manila", startDate: "2026-09-14", endDate: "2026-09-16", status: "completed" })
      .returning())[0].id;
    await db().insert(eventPartners).values({ eventId: manila, organisationId: bsImmigration });

    const form = unwrap(await getNew(cookies.partner, `?eventId=${manila}`));
    expect(form.status).toBe(200);
    expect(form.data.options.originEvent).toMatchObject({ id: manila });
    expect(form.data.options.defaults).toMatchObject({ country: "BS", originEventId: String(manila), requestingOrganisationId: String(bsImmigration) });

    // the form as it comes, with the partner's own details
    const id = createdId(
      await postNew(cookies.partner, {
        ...BIMINI,
        title: "Border management training at home",
        localities: "Nassau (LPIA)",
        country: form.data.options.defaults.country,
        originEventId: String(manila),
      }),
    );
    expect(await requestRow(id)).toMatchObject({ country: "BS", localities: ["Nassau (LPIA)"], originEventId: manila });
    const shown = unwrap(await getPage(cookies.partner, id));
    expect(shown.data.zone).toBe("America/Nassau");

    // even a request about the Philippines, made by the Bahamian agency, is dated in the agency's zone
    const abroad = createdId(await postNew(cookies.partner, { ...BIMINI, title: "A second workshop in Manila", localities: "Manila", country: "PH", originEventId: String(manila) }));
    expect(unwrap(await getPage(cookies.partner, abroad)).data.zone).toBe("America/Nassau");
  });
});
