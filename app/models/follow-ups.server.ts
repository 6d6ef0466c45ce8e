import { and, asc, count, desc, eq, inArray, isNull, ne, or, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { getDb, type Tx, firstRow, changedRows } from "../../db/client";
import { countOf, countWhere, never } from "../../db/sql-dialect";
import {
  eventGcmObjectives,
  eventPartners,
  events,
  eventSessions,
  followUpRequestEntries,
  followUpRequests,
  organisations,
  programmeFunding,
  users,
} from "../../db/schema";
import { followUpStatusEmail } from "@emails/follow-up-status";
import { forbidden, notFound, type Actor, type SessionUser } from "~/auth/session.server";
import { translatorFor } from "~/i18n.server";
import { now } from "~/lib/clock";
import { FOLLOW_UP_STATUSES, type FollowUpStatus } from "~/lib/domain";
import type { FollowUpInput } from "~/lib/schemas/follow-ups";
import { countryCodes, mainZoneOf } from "~/lib/zoned";
import { recordAudit } from "./audit.server";
import { emitWebhookEvent, webhookEvent } from "./webhook-events.server";
import { copyTimetable, registrationClosedSql, visibleEventsWhere } from "./events.server";
import { FieldError } from "./field-error.server";
import { enqueueEmail } from "./outbox.server";
import { organisationChoices } from "./organisations.server";

/**
 * Follow-up requests: "the government asked for more". Raised by a partner focal point (always for
 * their own agency) or a coordinator (for any government partner), from an event or on their own.
 * Coordinators move them along received → under review → accepted → scheduled, or decline them
 * before acceptance; every step and every comment is a history entry and an audit entry, and the
 * requester hears of each step by email. Accepting creates the draft event that answers the
 * request, linked both ways (events.origin_follow_up_request_id and the request's status).
 *
 * Who sees what: admins and coordinators every request; partners their own agency's; donors only
 * counts (followUpCounts); anyone else is refused.
 */

/** A status a request can move to (every request starts "received"). */
export type FollowUpStep = Exclude<FollowUpStatus, "received">;

/** The steps a request may take. "Accepted" goes through acceptance (it creates the draft event). */
export const FOLLOW_UP_TRANSITIONS: Record<FollowUpStatus, readonly FollowUpStep[]> = {
  received: ["under_review", "declined"],
  under_review: ["accepted", "declined"],
  accepted: ["scheduled"],
  scheduled: [],
  declined: [],
};

export const FOLLOW_UPS_PAGE_SIZE = 25;
/** Without a desired start, the draft event is placed this many days ahead. */
export const DEFAULT_LEAD_DAYS = 60;

/** Subqueries must name the outer request explicitly (drizzle leaves single-table columns unqualified). */
const OUTER_REQUEST_ID = sql.raw(`"follow_up_requests"."id"`);
const OUTER_ORIGIN_EVENT_ID = sql.raw(`"follow_up_requests"."origin_event_id"`);

function isTriager(user: SessionUser) {
  return user.role === "admin" || user.role === "coordinator";
}

/**
 * Which requests a user may read, as a condition inside the query. Partners without an agency see
 * none; donors, facilitators and participants are refused outright (donors get counts only).
 */
export function visibleFollowUpsWhere(user: SessionUser): SQL | undefined {
  switch (user.role) {
    case "admin":
    case "coordinator":
      return undefined;
    case "partner":
      return user.organisationId === null ? never() : eq(followUpRequests.requestingOrganisationId, user.organisationId);
    default:
      throw forbidden();
  }
}

function todayUtc() {
  return now().toISOString().slice(0, 10);
}

/** A calendar day (YYYY-MM-DD) moved by whole days. */
function addDays(day: string, days: number) {
  const d = new Date(`${day}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function daysBetween(from: string, to: string) {
  return Math.round((Date.parse(`${to}T12:00:00Z`) - Date.parse(`${from}T12:00:00Z`)) / 86400000);
}

/** Ids among `ids` of the events this user may see (titles of other events are not shown to them). */
async function visibleEventIds(user: SessionUser, ids: number[]): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const rows = await getDb()
    .select({ id: events.id })
    .from(events)
    .where(and(inArray(events.id, [...new Set(ids)]), visibleEventsWhere(user)));
  return new Set(rows.map((r) => r.id));
}

const linkedEventCount = sql<number>`(select ${countOf()} from ${events} le where le.origin_follow_up_request_id = ${OUTER_REQUEST_ID})`;
const originEvent = alias(events, "origin_event");

// ——— reading ———

/**
 * A request's columns in the list (the page's table and the API's pages; both join the requesting
 * organisation); each names the originating event only when the user may see it.
 */
const listColumns = {
  id: followUpRequests.id,
  title: followUpRequests.title,
  country: followUpRequests.country,
  localities: followUpRequests.localities,
  status: followUpRequests.status,
  priority: followUpRequests.priority,
  estimatedParticipants: followUpRequests.estimatedParticipants,
  desiredFrom: followUpRequests.desiredFrom,
  desiredTo: followUpRequests.desiredTo,
  createdAt: followUpRequests.createdAt,
  organisationName: organisations.name,
  originEventId: followUpRequests.originEventId,
};

export type FollowUpFilters = { status?: FollowUpStatus; country?: string; page?: number };

/**
 * The list: requests the user may see, newest first, filtered by status and country, with the
 * number in each status (for the same country filter) and the countries to filter by.
 */
export async function listFollowUps(user: SessionUser, filters: FollowUpFilters = {}) {
  const db = getDb();
  const visible = visibleFollowUpsWhere(user);
  const base = and(visible, filters.country ? eq(followUpRequests.country, filters.country) : undefined);
  const byStatus = await db
    .select({ status: followUpRequests.status, n: count() })
    .from(followUpRequests)
    .where(base)
    .groupBy(followUpRequests.status);
  const counts = Object.fromEntries(FOLLOW_UP_STATUSES.map((s) => [s, byStatus.find((r) => r.status === s)?.n ?? 0])) as Record<FollowUpStatus, number>;
  const all = byStatus.reduce((sum, r) => sum + r.n, 0);
  const total = filters.status ? counts[filters.status] : all;
  const pageCount = Math.max(1, Math.ceil(total / FOLLOW_UPS_PAGE_SIZE));
  const page = Math.min(Math.max(1, Math.trunc(filters.page ?? 1) || 1), pageCount);
  const rows = await db
    .select({ ...listColumns, originEventTitle: originEvent.title, linkedEvents: linkedEventCount })
    .from(followUpRequests)
    .leftJoin(organisations, eq(organisations.id, followUpRequests.requestingOrganisationId))
    .leftJoin(originEvent, eq(originEvent.id, followUpRequests.originEventId))
    .where(and(base, filters.status ? eq(followUpRequests.status, filters.status) : undefined))
    .orderBy(desc(followUpRequests.createdAt), desc(followUpRequests.id))
    .limit(FOLLOW_UPS_PAGE_SIZE)
    .offset((page - 1) * FOLLOW_UPS_PAGE_SIZE);
  const seen = await visibleEventIds(user, rows.flatMap((r) => (r.originEventId ? [r.originEventId] : [])));
  const countries = (await db
    .selectDistinct({ country: followUpRequests.country })
    .from(followUpRequests)
    .where(visible))
    .map((r) => r.country)
    .sort();
  return {
    rows: rows.map(({ originEventId, originEventTitle, ...r }) => ({
      ...r,
      originEvent: originEventId && seen.has(originEventId) ? { id: originEventId, title: originEventTitle ?? "" } : null,
    })),
    counts,
    all,
    total,
    page,
    pageCount,
    countries,
    canCreate: isTriager(user) || (user.role === "partner" && user.organisationId !== null),
  };
}

/**
 * A page of follow-up requests for the API, in id order after `after`, with the list's filters
 * (status, country) and rights (staff every request, a partner its agency's, others 403).
 */
export async function apiFollowUpPage(user: SessionUser, filters: { status?: FollowUpStatus; country?: string }, after: number | null, limit: number) {
  const rows = await getDb()
    .select({ ...listColumns, updatedAt: followUpRequests.updatedAt, organisationId: followUpRequests.requestingOrganisationId })
    .from(followUpRequests)
    .leftJoin(organisations, eq(organisations.id, followUpRequests.requestingOrganisationId))
    .where(
      and(
        visibleFollowUpsWhere(user),
        filters.status ? eq(followUpRequests.status, filters.status) : undefined,
        filters.country ? eq(followUpRequests.country, filters.country) : undefined,
        after === null ? undefined : sql`${followUpRequests.id} > ${after}`,
      ),
    )
    .orderBy(asc(followUpRequests.id))
    .limit(limit + 1);
  // an originating event the user may not see is not named (as on the list page)
  const seen = await visibleEventIds(user, rows.flatMap((r) => (r.originEventId ? [r.originEventId] : [])));
  return rows.map(({ organisationId, organisationName, originEventId, createdAt, updatedAt, ...r }) => ({
    ...r,
    organisation: organisationId === null ? null : { id: organisationId, name: organisationName ?? "" },
    originEventId: originEventId !== null && seen.has(originEventId) ? originEventId : null,
    createdAt: createdAt.toISOString(),
    updatedAt: updatedAt.toISOString(),
  }));
}

/** One follow-up request for the API: the request page's fields, its history and the steps the user may take. */
export async function apiFollowUp(user: SessionUser, requestId: number) {
  const found = await getFollowUp(user, requestId);
  const { request: r } = found;
  return {
    id: r.id,
    title: r.title,
    description: r.description,
    country: r.country,
    localities: r.localities,
    targetAudience: r.targetAudience,
    roleCategories: r.roleCategories,
    estimatedParticipants: r.estimatedParticipants,
    desiredFrom: r.desiredFrom,
    desiredTo: r.desiredTo,
    priority: r.priority,
    status: r.status,
    createdAt: r.createdAt.toISOString(),
    organisation: r.organisationId === null ? null : { id: r.organisationId, name: r.organisationName ?? "" },
    originEventId: found.originEvent?.id ?? null,
    linkedEventIds: found.linkedEvents.map((e) => e.id),
    history: found.entries.map((e) => ({ at: e.createdAt.toISOString(), from: e.fromStatus, to: e.toStatus, comment: e.comment, by: e.authorName })),
    nextStatuses: [...found.nextStatuses],
  };
}

const creator = alias(users, "creator");

/** The request the user may see, or 404 (its existence is private to those who may see it). */
async function loadVisibleRequest(db: Pick<Tx, "select">, user: SessionUser, requestId: number) {
  const row = firstRow(await db
    .select()
    .from(followUpRequests)
    .where(and(eq(followUpRequests.id, requestId), visibleFollowUpsWhere(user))).limit(1));
  if (!row) throw notFound();
  return row;
}

/** Events created from the request (events.origin_follow_up_request_id), whoever may see them. */
async function linkedEventsOf(db: Pick<Tx, "select">, requestId: number, where?: SQL) {
  return await db
    .select({ id: events.id, title: events.title, status: events.status, registrationClosed: registrationClosedSql(), startDate: events.startDate, endDate: events.endDate })
    .from(events)
    .where(and(eq(events.originFollowUpRequestId, requestId), where))
    .orderBy(asc(events.startDate), asc(events.id));
}

/**
 * One request for its page: the request, where it came from, the events that answer it (those the
 * user may see), its history, and what the user may do next.
 */
export async function getFollowUp(user: SessionUser, requestId: number) {
  const db = getDb();
  const request = firstRow(await db
    .select({
      id: followUpRequests.id,
      title: followUpRequests.title,
      description: followUpRequests.description,
      country: followUpRequests.country,
      localities: followUpRequests.localities,
      targetAudience: followUpRequests.targetAudience,
      roleCategories: followUpRequests.roleCategories,
      estimatedParticipants: followUpRequests.estimatedParticipants,
      desiredFrom: followUpRequests.desiredFrom,
      desiredTo: followUpRequests.desiredTo,
      priority: followUpRequests.priority,
      status: followUpRequests.status,
      createdAt: followUpRequests.createdAt,
      organisationId: followUpRequests.requestingOrganisationId,
      organisationName: organisations.name,
      organisationCountry: organisations.country,
      originEventId: followUpRequests.originEventId,
      createdByName: creator.name,
    })
    .from(followUpRequests)
    .leftJoin(organisations, eq(organisations.id, followUpRequests.requestingOrganisationId))
    .leftJoin(creator, eq(creator.id, followUpRequests.createdByUserId))
    .where(and(eq(followUpRequests.id, requestId), visibleFollowUpsWhere(user))).limit(1));
  if (!request) throw notFound();
  const origin = request.originEventId
    ? (firstRow(await db
        .select({
          id: events.id,
          title: events.title,
          startDate: events.startDate,
          endDate: events.endDate,
          sessions: sql<number>`(select ${countOf()} from ${eventSessions} es where es.event_id = "events"."id")`,
        })
        .from(events)
        .where(and(eq(events.id, request.originEventId), visibleEventsWhere(user))).limit(1)) ?? null)
    : null;
  const entries = await db
    .select({
      id: followUpRequestEntries.id,
      createdAt: followUpRequestEntries.createdAt,
      fromStatus: followUpRequestEntries.fromStatus,
      toStatus: followUpRequestEntries.toStatus,
      comment: followUpRequestEntries.comment,
      authorName: users.name,
      authorRole: users.role,
    })
    .from(followUpRequestEntries)
    .leftJoin(users, eq(users.id, followUpRequestEntries.authorUserId))
    .where(eq(followUpRequestEntries.requestId, requestId))
    .orderBy(asc(followUpRequestEntries.createdAt), asc(followUpRequestEntries.id));
  const triager = isTriager(user);
  const nextStatuses: readonly FollowUpStep[] = triager ? FOLLOW_UP_TRANSITIONS[request.status] : [];
  return {
    request,
    originEvent: origin,
    linkedEvents: await linkedEventsOf(db, requestId, visibleEventsWhere(user)),
    /** a training answers the request, even if it is still a draft the user cannot open */
    inPreparation: (await linkedEventsOf(db, requestId, ne(events.status, "cancelled"))).length > 0,
    entries,
    nextStatuses,
    canComment: true,
    /** the acceptance form offers to copy the original training's timetable when there is one */
    canCopyTimetable: triager && origin !== null && origin.sessions > 0,
  };
}

/** A visible event's requests: those raised from it, and the request it answers (if the user may see them). */
export async function eventFollowUps(user: SessionUser, eventId: number) {
  const visible = visibleFollowUpsWhere(user);
  const db = getDb();
  const event = firstRow(await db
    .select({ id: events.id, title: events.title, status: events.status, originFollowUpRequestId: events.originFollowUpRequestId })
    .from(events)
    .where(and(eq(events.id, eventId), visibleEventsWhere(user))).limit(1));
  if (!event) throw notFound();
  // the list's columns but the originating event (this event, or one the user may not see)
  const { originEventId: _origin, ...columns } = listColumns;
  const raised = await db
    .select(columns)
    .from(followUpRequests)
    .leftJoin(organisations, eq(organisations.id, followUpRequests.requestingOrganisationId))
    .where(and(eq(followUpRequests.originEventId, eventId), visible))
    .orderBy(desc(followUpRequests.createdAt), desc(followUpRequests.id));
  const answers = event.originFollowUpRequestId
    ? (firstRow(await db
        .select(columns)
        .from(followUpRequests)
        .leftJoin(organisations, eq(organisations.id, followUpRequests.requestingOrganisationId))
        .where(and(eq(followUpRequests.id, event.originFollowUpRequestId), visible)).limit(1)) ?? null)
    : null;
  return { event: { id: event.id, title: event.title, status: event.status }, raised, answers, canRequest: event.status !== "cancelled" };
}

/**
 * Where an event comes from, for its header: the follow-up request it answers and the training that
 * request was raised from — each only if this user may see it (requests: coordinators, admins and
 * the requesting agency's focal points; the original training: whoever may see that event).
 */
export async function eventOrigin(user: SessionUser, requestId: number | null) {
  if (requestId === null) return null;
  const db = getDb();
  const request =
    user.role === "admin" || user.role === "coordinator" || user.role === "partner"
      ? (firstRow(await db
          .select({ id: followUpRequests.id, title: followUpRequests.title })
          .from(followUpRequests)
          .where(and(eq(followUpRequests.id, requestId), visibleFollowUpsWhere(user))).limit(1)) ?? null)
      : null;
  const originEvent =
    firstRow(await db
      .select({ id: events.id, title: events.title })
      .from(events)
      .where(
        and(
          sql`${events.id} = (select fr.origin_event_id from ${followUpRequests} fr where fr.id = ${requestId})`,
          visibleEventsWhere(user),
        ),
      ).limit(1)) ?? null;
  return request || originEvent ? { request, originEvent } : null;
}

/**
 * Counts for summaries (donor reports, the home page): requests by status, how many turned into
 * trainings (a linked event that is not cancelled) and how many were delivered (that event is
 * completed or reported). Donors count the requests tied, by their originating or resulting event,
 * to a programme they fund; partners their agency's; admins and coordinators all. No content.
 */
export async function followUpCounts(
  user: SessionUser,
  filters: { programmeId?: number; country?: string; from?: string; to?: string } = {},
) {
  let scope: SQL | undefined;
  if (user.role === "donor") {
    scope =
      user.organisationId === null
        ? never()
        : sql`exists (select 1 from ${events} se where (se.id = ${OUTER_ORIGIN_EVENT_ID} or se.origin_follow_up_request_id = ${OUTER_REQUEST_ID})
                and se.programme_id in (select pf.programme_id from ${programmeFunding} pf where pf.donor_organisation_id = ${user.organisationId}))`;
  } else {
    scope = visibleFollowUpsWhere(user);
  }
  const conditions: (SQL | undefined)[] = [scope];
  if (filters.programmeId) {
    conditions.push(
      sql`exists (select 1 from ${events} pe where (pe.id = ${OUTER_ORIGIN_EVENT_ID} or pe.origin_follow_up_request_id = ${OUTER_REQUEST_ID})
            and pe.programme_id = ${filters.programmeId})`,
    );
  }
  if (filters.country) conditions.push(eq(followUpRequests.country, filters.country));
  if (filters.from) conditions.push(sql`${followUpRequests.createdAt} >= ${Date.parse(`${filters.from}T00:00:00Z`)}`);
  if (filters.to) conditions.push(sql`${followUpRequests.createdAt} < ${Date.parse(`${addDays(filters.to, 1)}T00:00:00Z`)}`);
  const rows = await getDb()
    .select({
      status: followUpRequests.status,
      n: count(),
      turned: countWhere(sql`exists (select 1 from ${events} te where te.origin_follow_up_request_id = ${OUTER_REQUEST_ID} and te.status <> 'cancelled')`),
      delivered: countWhere(sql`exists (select 1 from ${events} de where de.origin_follow_up_request_id = ${OUTER_REQUEST_ID} and de.status in ('completed', 'reported'))`),
    })
    .from(followUpRequests)
    .where(and(...conditions))
    .groupBy(followUpRequests.status);
  const byStatus = Object.fromEntries(FOLLOW_UP_STATUSES.map((s) => [s, rows.find((r) => r.status === s)?.n ?? 0])) as Record<FollowUpStatus, number>;
  return {
    total: rows.reduce((sum, r) => sum + r.n, 0),
    byStatus,
    turnedIntoTrainings: rows.reduce((sum, r) => sum + r.turned, 0),
    delivered: rows.reduce((sum, r) => sum + r.delivered, 0),
  };
}

// ——— filing ———

function requireFiler(actor: Actor) {
  const { user } = actor;
  if (isTriager(user)) return;
  if (user.role === "partner" && user.organisationId !== null) return;
  throw forbidden();
}

/**
 * What the request form offers: the agencies one may request for (a partner only their own), the
 * countries, and — when raised from an event (`eventId`) — that event. The country is pre-filled
 * from the requesting agency's own country (from the event's only for staff, who pick the agency).
 * An event the user may not see is a 404.
 */
export async function followUpFormOptions(actor: Actor, options: { eventId?: number } = {}) {
  requireFiler(actor);
  const db = getDb();
  const { user } = actor;
  const ownAgencies = user.role === "partner"
    ? (await db
        .select({ id: organisations.id, name: organisations.name, country: organisations.country })
        .from(organisations)
        .where(eq(organisations.id, user.organisationId!)))
    : [];
  // staff choose among the government partners: listed, or searched when there are too many
  const agencies = user.role === "partner" ? ownAgencies : (await organisationChoices("governmentPartner"));
  const origin = options.eventId
    ? firstRow(await db
        .select({ id: events.id, title: events.title, country: events.country, locality: events.locality, targetRoles: events.targetRoles })
        .from(events)
        .where(and(eq(events.id, options.eventId), visibleEventsWhere(user))).limit(1))
    : undefined;
  if (options.eventId && !origin) throw notFound();
  const ownAgency = ownAgencies[0] ?? null;
  return {
    agencies,
    /** a partner files for their own agency only: the form shows it, it does not offer a choice */
    fixedAgency: ownAgency,
    originEvent: origin ?? null,
    countries: countryCodes(),
    defaults: {
      // the request is the agency's: its own country first (a Bahamian agency asking after a
      // training in Manila wants one at home), the training's only when no agency is known yet
      country: ownAgency?.country ?? origin?.country ?? "",
      requestingOrganisationId: ownAgency ? String(ownAgency.id) : "",
      originEventId: origin ? String(origin.id) : "",
      roleCategories: origin?.targetRoles ?? [],
    },
  };
}

/**
 * File a request. A partner's request is always for their own agency (naming another is refused);
 * a coordinator's is for a government partner they choose. From an event, that event must be one
 * the user may see. It starts "received", with its first history entry.
 */
export async function createFollowUp(actor: Actor, input: FollowUpInput): Promise<number> {
  requireFiler(actor);
  const { user } = actor;
  return await getDb().transaction(
    async (tx) => {
      let organisationId: number;
      if (user.role === "partner") {
        if (input.requestingOrganisationId !== null && input.requestingOrganisationId !== user.organisationId) {
          throw new FieldError("requestingOrganisationId", "followUps.errors.otherAgency");
        }
        organisationId = user.organisationId!;
      } else {
        if (input.requestingOrganisationId === null) throw new FieldError("requestingOrganisationId", "errors.required");
        const agency = firstRow(await tx
          .select({ kind: organisations.kind })
          .from(organisations)
          .where(eq(organisations.id, input.requestingOrganisationId)).limit(1));
        if (!agency) throw new FieldError("requestingOrganisationId", "errors.choice");
        if (agency.kind !== "government_partner") throw new FieldError("requestingOrganisationId", "followUps.errors.notGovernment");
        organisationId = input.requestingOrganisationId;
      }
      if (input.originEventId !== null) {
        const origin = firstRow(await tx
          .select({ id: events.id })
          .from(events)
          .where(and(eq(events.id, input.originEventId), visibleEventsWhere(user))).limit(1));
        if (!origin) throw new FieldError("originEventId", "followUps.errors.originEvent");
      }
      const at = now();
      const created = (await tx
        .insert(followUpRequests)
        .values({
          title: input.title,
          description: input.description,
          country: input.country,
          localities: input.localities,
          targetAudience: input.targetAudience,
          roleCategories: input.roleCategories,
          estimatedParticipants: input.estimatedParticipants,
          desiredFrom: input.desiredFrom,
          desiredTo: input.desiredTo,
          priority: input.priority,
          status: "received",
          requestingOrganisationId: organisationId,
          originEventId: input.originEventId,
          createdByUserId: user.id,
          createdAt: at,
          updatedAt: at,
        })
        .returning({ id: followUpRequests.id }))[0];
      await tx.insert(followUpRequestEntries)
        .values({ requestId: created.id, authorUserId: user.id, fromStatus: null, toStatus: "received", comment: null, createdAt: at });
      await recordAudit(tx, {
        userId: user.id,
        ip: actor.ip,
        action: "follow_up.create",
        entityType: "follow_up_request",
        entityId: created.id,
        details: { organisationId, originEventId: input.originEventId },
      });
      return created.id;
    },
    { behavior: "immediate" },
  );
}

/** A comment in the request's history, by a coordinator or the requesting agency's focal point. */
export async function commentOnFollowUp(actor: Actor, requestId: number, comment: string) {
  const text = comment.trim();
  if (!text) throw new FieldError("comment", "followUps.errors.commentRequired");
  await getDb().transaction(
    async (tx) => {
      await loadVisibleRequest(tx, actor.user, requestId);
      const entry = (await tx
        .insert(followUpRequestEntries)
        .values({ requestId, authorUserId: actor.user.id, fromStatus: null, toStatus: null, comment: text, createdAt: now() })
        .returning({ id: followUpRequestEntries.id }))[0];
      await recordAudit(tx, {
        userId: actor.user.id,
        ip: actor.ip,
        action: "follow_up.comment",
        entityType: "follow_up_request",
        entityId: requestId,
        details: { entryId: entry.id },
      });
    },
    { behavior: "immediate" },
  );
}

// ——— triage (admins and coordinators) ———

/**
 * Move a request one allowed step. Declining needs a reason (the requester is told). Accepting
 * creates the draft event that answers the request (optionally with the originating event's
 * timetable); "scheduled" needs an event answering the request. The history, the audit log and the
 * requester's emails are written in the same transaction. Returns the draft event's id on acceptance.
 */
/** Only admins and coordinators move a request on (403 for everyone else). */
export function requireTriager(user: SessionUser) {
  if (!isTriager(user)) throw forbidden();
}

export async function changeFollowUpStatus(
  actor: Actor,
  requestId: number,
  to: FollowUpStep,
  options: { comment?: string | null; copyTimetable?: boolean; appUrl: string },
): Promise<{ eventId: number | null }> {
  if (!isTriager(actor.user)) throw forbidden();
  const comment = options.comment?.trim() || null;
  return await getDb().transaction(
    async (tx) => {
      const request = await loadVisibleRequest(tx, actor.user, requestId);
      const from = request.status;
      if (!(FOLLOW_UP_TRANSITIONS[from] as readonly FollowUpStatus[]).includes(to)) {
        throw new FieldError("status", "followUps.errors.notAllowed", { from, to });
      }
      if (to === "declined" && !comment) throw new FieldError("comment", "followUps.errors.reasonRequired");
      let eventId: number | null = null;
      if (to === "accepted") {
        // an event already answering the request (made by hand) is kept rather than doubled
        eventId = (await linkedEventsOf(tx, requestId, ne(events.status, "cancelled")))[0]?.id ?? (await createDraftEvent(tx, actor, request, Boolean(options.copyTimetable)));
      }
      if (to === "scheduled") {
        const answering = await linkedEventsOf(tx, requestId, ne(events.status, "cancelled"));
        if (answering.length === 0) throw new FieldError("status", "followUps.errors.noEvent");
        eventId = answering[0].id;
      }
      const at = now();
      const changed = changedRows(await tx
        .update(followUpRequests)
        .set({ status: to, updatedAt: at })
        .where(and(eq(followUpRequests.id, requestId), eq(followUpRequests.status, from))));
      if (changed !== 1) throw new FieldError("status", "followUps.errors.notAllowed", { from, to });
      await tx.insert(followUpRequestEntries)
        .values({ requestId, authorUserId: actor.user.id, fromStatus: from, toStatus: to, comment, createdAt: at });
      await emitWebhookEvent(tx, webhookEvent.followUpRequestStatusChanged({ followUpRequestId: requestId, originEventId: request.originEventId, answeringEventId: eventId, from, to }));
      await recordAudit(tx, {
        userId: actor.user.id,
        ip: actor.ip,
        action: "follow_up.status",
        entityType: "follow_up_request",
        entityId: requestId,
        details: { from, to, eventId },
      });
      await notifyRequester(tx, actor, request, from, to, comment, options.appUrl);
      return { eventId };
    },
    { behavior: "immediate" },
  );
}

type RequestRow = typeof followUpRequests.$inferSelect;

/**
 * The draft event answering a request: its title, text, country, first locality, role categories
 * and size; the first day is the desired start (when still ahead) or 60 days from today, and it
 * lasts as long as the originating training (one day without one). From the originating training it
 * takes the programme, partners (the requesting agency joins them), objectives and topics, and on
 * request its timetable, moved day for day at the same local times.
 */
async function createDraftEvent(tx: Tx, actor: Actor, request: RequestRow, withTimetable: boolean): Promise<number> {
  const origin = request.originEventId ? firstRow(await tx.select().from(events).where(eq(events.id, request.originEventId)).limit(1)) : undefined;
  const today = todayUtc();
  const startDate = request.desiredFrom && request.desiredFrom >= today ? request.desiredFrom : addDays(today, DEFAULT_LEAD_DAYS);
  const endDate = addDays(startDate, origin ? Math.max(0, daysBetween(origin.startDate, origin.endDate)) : 0);
  const timeZone = origin && origin.country === request.country ? origin.timeZone : (mainZoneOf(request.country) ?? origin?.timeZone ?? "UTC");
  const created = (await tx
    .insert(events)
    .values({
      title: request.title,
      type: origin?.type ?? "training",
      description: request.description,
      programmeId: origin?.programmeId ?? null,
      country: request.country,
      locality: request.localities[0] ?? null,
      timeZone,
      startDate,
      endDate,
      capacity: request.estimatedParticipants,
      targetRoles: request.roleCategories.length > 0 ? request.roleCategories : (origin?.targetRoles ?? []),
      topics: origin?.topics ?? [],
      completionThreshold: origin?.completionThreshold,
      requiresApproval: origin?.requiresApproval,
      consentText: origin?.consentText ?? null,
      status: "draft",
      originFollowUpRequestId: request.id,
      createdByUserId: actor.user.id,
    })
    .returning({ id: events.id }))[0];
  const partnerIds = new Set<number>();
  if (origin) for (const p of (await tx.select().from(eventPartners).where(eq(eventPartners.eventId, origin.id)))) partnerIds.add(p.organisationId);
  if (request.requestingOrganisationId !== null) partnerIds.add(request.requestingOrganisationId);
  for (const organisationId of partnerIds) await tx.insert(eventPartners).values({ eventId: created.id, organisationId });
  let sessionsCopied = 0;
  if (origin) {
    for (const o of (await tx.select().from(eventGcmObjectives).where(eq(eventGcmObjectives.eventId, origin.id)))) {
      await tx.insert(eventGcmObjectives).values({ eventId: created.id, objectiveId: o.objectiveId });
    }
    if (withTimetable) sessionsCopied = await copyTimetable(tx, origin, { id: created.id, startDate, timeZone });
  }
  await recordAudit(tx, {
    userId: actor.user.id,
    ip: actor.ip,
    action: "event.create",
    entityType: "event",
    entityId: created.id,
    details: { title: request.title, followUpRequestId: request.id, fromEventId: origin?.id ?? null, sessionsCopied },
  });
  return created.id;
}

/**
 * "Your request is now …" to the requester: the person who filed it and the focal points of the
 * requesting agency (active accounts), each in their own language — not to whoever made the change.
 */
async function notifyRequester(
  tx: Tx,
  actor: Actor,
  request: RequestRow,
  from: FollowUpStatus,
  to: FollowUpStep,
  comment: string | null,
  appUrl: string,
) {
  const who: SQL[] = [];
  if (request.createdByUserId) who.push(eq(users.id, request.createdByUserId));
  if (request.requestingOrganisationId !== null) {
    who.push(and(eq(users.role, "partner"), eq(users.organisationId, request.requestingOrganisationId))!);
  }
  if (who.length === 0) return;
  const recipients = await tx
    .select({ id: users.id, email: users.email, name: users.name, locale: users.locale })
    .from(users)
    .where(and(or(...who), isNull(users.disabledAt), ne(users.id, actor.user.id)))
    .orderBy(asc(users.email));
  const organisation =
    request.requestingOrganisationId !== null
      ? (firstRow(await tx.select({ name: organisations.name }).from(organisations).where(eq(organisations.id, request.requestingOrganisationId)).limit(1))?.name ?? "")
      : "";
  for (const recipient of recipients) {
    const { t, lang, dir } = translatorFor(recipient.locale);
    const content = followUpStatusEmail(
      {
        name: recipient.name,
        title: request.title,
        organisation,
        from,
        to,
        comment,
        author: actor.user.name,
        url: `${appUrl}/follow-ups/${request.id}`,
      },
      t,
      { lang, dir },
    );
    await enqueueEmail(tx, { ...content, kind: "follow_up_status", to: recipient.email, userId: recipient.id });
  }
}
