import { and, asc, count, desc, eq, gt, gte, like, lt, lte, ne, or, sql, type SQL } from "drizzle-orm";
import { getDb } from "../../db/client";
import {
  eventGcmObjectives,
  eventPartners,
  events,
  eventSessions,
  gcmObjectives,
  organisations,
  people,
  programmeFunding,
  programmes,
  registrations,
  sessionFacilitators,
  users,
} from "../../db/schema";
import { notFound, type SessionUser } from "~/auth/session.server";
import { now } from "~/lib/clock";
import type { EventStatus } from "~/lib/domain";

export const EVENTS_PAGE_SIZE = 25;

/**
 * Correlated subqueries must name the outer event explicitly: drizzle leaves columns unqualified in
 * single-table queries, and an unqualified "id" inside a subquery would bind to the inner table.
 */
const OUTER_EVENT_ID = sql.raw(`"events"."id"`);
const OUTER_PROGRAMME_ID = sql.raw(`"events"."programme_id"`);
const OUTER_SESSION_ID = sql.raw(`"event_sessions"."id"`);

/**
 * Which events a user may see, as a condition inside the query (ownership enforced in SQL, never
 * by filtering afterwards). Drafts are for admins and coordinators only.
 */
export function visibleEventsWhere(user: SessionUser): SQL | undefined {
  switch (user.role) {
    case "admin":
    case "coordinator":
      return undefined;
    case "facilitator":
      return and(
        ne(events.status, "draft"),
        or(
          sql`exists (select 1 from ${sessionFacilitators} sf join ${eventSessions} es on es.id = sf.session_id
                      where es.event_id = ${OUTER_EVENT_ID} and sf.user_id = ${user.id})`,
          sql`exists (select 1 from ${registrations} r join ${people} p on p.id = r.person_id
                      where r.event_id = ${OUTER_EVENT_ID} and p.user_id = ${user.id} and r.event_role = 'facilitator')`,
        ),
      );
    case "participant":
      return and(
        ne(events.status, "draft"),
        or(
          eq(events.status, "open"),
          sql`exists (select 1 from ${registrations} r join ${people} p on p.id = r.person_id
                      where r.event_id = ${OUTER_EVENT_ID} and p.user_id = ${user.id})`,
        ),
      );
    case "partner":
      if (user.organisationId === null) return sql`0`;
      return and(
        ne(events.status, "draft"),
        or(
          sql`exists (select 1 from ${eventPartners} ep where ep.event_id = ${OUTER_EVENT_ID} and ep.organisation_id = ${user.organisationId})`,
          sql`exists (select 1 from ${registrations} r join ${people} p on p.id = r.person_id
                      where r.event_id = ${OUTER_EVENT_ID} and p.organisation_id = ${user.organisationId})`,
        ),
      );
    case "donor":
      if (user.organisationId === null) return sql`0`;
      return and(
        ne(events.status, "draft"),
        sql`${OUTER_PROGRAMME_ID} in (select pf.programme_id from ${programmeFunding} pf where pf.donor_organisation_id = ${user.organisationId})`,
      );
  }
}

export type EventListFilters = {
  when?: "upcoming" | "ongoing" | "past" | "all";
  programmeId?: number;
  country?: string;
  status?: EventStatus;
  q?: string;
  page?: number;
};

function todayUtc() {
  return now().toISOString().slice(0, 10);
}

export function listEvents(user: SessionUser, filters: EventListFilters) {
  const db = getDb();
  const today = todayUtc();
  const conditions: (SQL | undefined)[] = [visibleEventsWhere(user)];
  if (filters.when === "upcoming") conditions.push(gt(events.startDate, today));
  if (filters.when === "ongoing") conditions.push(lte(events.startDate, today), gte(events.endDate, today));
  if (filters.when === "past") conditions.push(lt(events.endDate, today));
  if (filters.programmeId) conditions.push(eq(events.programmeId, filters.programmeId));
  if (filters.country) conditions.push(eq(events.country, filters.country));
  if (filters.status) conditions.push(eq(events.status, filters.status));
  if (filters.q) conditions.push(like(events.title, `%${filters.q.replace(/[%_]/g, "")}%`));
  const where = and(...conditions);
  const page = Math.max(1, filters.page ?? 1);
  const total = db.select({ n: count() }).from(events).where(where).get()?.n ?? 0;
  const participantCount = sql<number>`(select count(*) from ${registrations} r
      where r.event_id = ${OUTER_EVENT_ID} and r.event_role = 'participant' and r.status = 'confirmed')`;
  const rows = db
    .select({
      id: events.id,
      title: events.title,
      type: events.type,
      status: events.status,
      country: events.country,
      locality: events.locality,
      timeZone: events.timeZone,
      startDate: events.startDate,
      endDate: events.endDate,
      programmeName: programmes.name,
      participants: participantCount,
    })
    .from(events)
    .leftJoin(programmes, eq(programmes.id, events.programmeId))
    .where(where)
    .orderBy(filters.when === "past" ? desc(events.startDate) : asc(events.startDate), asc(events.id))
    .limit(EVENTS_PAGE_SIZE)
    .offset((page - 1) * EVENTS_PAGE_SIZE)
    .all();
  return { rows, total, page, pageCount: Math.max(1, Math.ceil(total / EVENTS_PAGE_SIZE)) };
}

/** Options for the list's filters, limited to what the user may see. */
export function eventFilterOptions(user: SessionUser) {
  const db = getDb();
  const where = visibleEventsWhere(user);
  const programmeRows = db
    .selectDistinct({ id: programmes.id, name: programmes.name })
    .from(events)
    .innerJoin(programmes, eq(programmes.id, events.programmeId))
    .where(where)
    .orderBy(asc(programmes.name))
    .all();
  const countryRows = db.selectDistinct({ country: events.country }).from(events).where(where).all();
  return { programmes: programmeRows, countries: countryRows.map((r) => r.country) };
}

/** One event for its overview page; 404 when the user may not see it (its existence is private). */
export function getEventOverview(user: SessionUser, eventId: number) {
  const db = getDb();
  const event = db
    .select({
      id: events.id,
      title: events.title,
      type: events.type,
      description: events.description,
      status: events.status,
      country: events.country,
      locality: events.locality,
      venue: events.venue,
      timeZone: events.timeZone,
      startDate: events.startDate,
      endDate: events.endDate,
      capacity: events.capacity,
      topics: events.topics,
      targetRoles: events.targetRoles,
      contactName: events.contactName,
      contactEmail: events.contactEmail,
      completionThreshold: events.completionThreshold,
      programmeId: events.programmeId,
      programmeName: programmes.name,
    })
    .from(events)
    .leftJoin(programmes, eq(programmes.id, events.programmeId))
    .where(and(eq(events.id, eventId), visibleEventsWhere(user)))
    .get();
  if (!event) throw notFound();
  const partners = db
    .select({ id: organisations.id, name: organisations.name, acronym: organisations.acronym })
    .from(eventPartners)
    .innerJoin(organisations, eq(organisations.id, eventPartners.organisationId))
    .where(eq(eventPartners.eventId, eventId))
    .orderBy(asc(organisations.name))
    .all();
  const objectives = db
    .select({ id: gcmObjectives.id, title: gcmObjectives.title })
    .from(eventGcmObjectives)
    .innerJoin(gcmObjectives, eq(gcmObjectives.id, eventGcmObjectives.objectiveId))
    .where(eq(eventGcmObjectives.eventId, eventId))
    .orderBy(asc(gcmObjectives.id))
    .all();
  const sessions = db
    .select({
      id: eventSessions.id,
      title: eventSessions.title,
      kind: eventSessions.kind,
      startsAt: eventSessions.startsAt,
      endsAt: eventSessions.endsAt,
      room: eventSessions.room,
      facilitators: sql<string | null>`(select group_concat(coalesce(u.name, p.given_name || ' ' || p.family_name), ', ')
          from ${sessionFacilitators} sf
          left join ${users} u on u.id = sf.user_id
          left join ${people} p on p.id = sf.person_id
          where sf.session_id = ${OUTER_SESSION_ID})`,
    })
    .from(eventSessions)
    .where(eq(eventSessions.eventId, eventId))
    .orderBy(asc(eventSessions.startsAt))
    .all();
  const counts = db
    .select({ status: registrations.status, n: count() })
    .from(registrations)
    .where(and(eq(registrations.eventId, eventId), eq(registrations.eventRole, "participant")))
    .groupBy(registrations.status)
    .all();
  const byStatus = Object.fromEntries(counts.map((c) => [c.status, c.n])) as Record<string, number>;
  return { event, partners, objectives, sessions, registrationCounts: byStatus };
}

/** The shared header of an event's pages (title, dates, place, status). 404 when not visible. */
export function getEventHeader(user: SessionUser, eventId: number) {
  const event = getDb()
    .select({
      id: events.id,
      title: events.title,
      status: events.status,
      country: events.country,
      locality: events.locality,
      venue: events.venue,
      timeZone: events.timeZone,
      startDate: events.startDate,
      endDate: events.endDate,
    })
    .from(events)
    .where(and(eq(events.id, eventId), visibleEventsWhere(user)))
    .get();
  if (!event) throw notFound();
  return event;
}
