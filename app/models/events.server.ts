import { and, asc, count, desc, eq, gt, gte, inArray, isNotNull, like, lt, lte, ne, or, sql, type SQL } from "drizzle-orm";
import { getDb, type Tx, firstRow } from "../../db/client";
import { countOf, likeEscape, likeInsensitive, never, stringAgg } from "../../db/sql-dialect";
import {
  auditLog,
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
import { forbidden, notFound, type Actor, type SessionUser } from "~/auth/session.server";
import { now, nowMs } from "~/lib/clock";
import { checkInDaysText } from "~/lib/check-ins";
import { EVENT_TRANSITIONS, type EventStatus } from "~/lib/domain";
import type { EventInput } from "~/lib/schemas/events";
import { allZones, countryCodes, mainZoneOf, utcToZoned, zonedToUtc, zonesOf } from "~/lib/zoned";
import { recordAudit } from "./audit.server";
import { visibleEventsWhere } from "./event-visibility.server";
import { emitWebhookEvent, webhookEvent } from "./webhook-events.server";
import { discloseCount, keySum, type Cell, type Disclosed } from "./disclosure.server";
import { keptUntilDataChanges } from "./data-version.server";
import { eventPeriod } from "./event-dates.server";
import { FieldError } from "./field-error.server";
import { needsContext, needWhere } from "./needs.server";
import type { EventNeed } from "~/lib/needs";

const isPlanner = (user: SessionUser) => user.role === "admin" || user.role === "coordinator";
import { organisationChoices, organisationChoicesByIds } from "./organisations.server";

export const EVENTS_PAGE_SIZE = 25;

/**
 * An open event whose registration closing date has passed: its badge says "Registration closed"
 * rather than "Open for registration" (the status stays open: partners may still nominate).
 * Worked out by the server, so the page never depends on the browser's clock.
 */
export function registrationClosedSql() {
  return sql<boolean>`(${events.status} = 'open' and ${events.registrationClosesAt} is not null and ${events.registrationClosesAt} < ${nowMs()})`.mapWith(Boolean);
}

/**
 * Correlated subqueries must name the outer event explicitly: drizzle leaves columns unqualified in
 * single-table queries, and an unqualified "id" inside a subquery would bind to the inner table.
 */
const OUTER_EVENT_ID = sql.raw(`"events"."id"`);
const OUTER_SESSION_ID = sql.raw(`"event_sessions"."id"`);

export { visibleEventsWhere };

export type EventListFilters = {
  when?: "upcoming" | "ongoing" | "past" | "all";
  programmeId?: number;
  country?: string;
  status?: EventStatus;
  q?: string;
  /** events overlapping this period (YYYY-MM-DD) */
  from?: string;
  to?: string;
  gcmObjectiveId?: number;
  /** what waits for a coordinator: only for admins and coordinators (others' lists ignore it) */
  needs?: EventNeed;
  page?: number;
};

function todayUtc() {
  return now().toISOString().slice(0, 10);
}

async function listConditions(user: SessionUser, filters: EventListFilters) {
  const today = todayUtc();
  const conditions: (SQL | undefined)[] = [visibleEventsWhere(user)];
  if (filters.when === "upcoming") conditions.push(gt(events.startDate, today));
  if (filters.when === "ongoing") conditions.push(lte(events.startDate, today), gte(events.endDate, today));
  if (filters.when === "past") conditions.push(lt(events.endDate, today));
  if (filters.programmeId) conditions.push(eq(events.programmeId, filters.programmeId));
  if (filters.country) conditions.push(eq(events.country, filters.country));
  if (filters.status) conditions.push(eq(events.status, filters.status));
  if (filters.from) conditions.push(gte(events.endDate, filters.from));
  if (filters.to) conditions.push(lte(events.startDate, filters.to));
  if (filters.needs && isPlanner(user)) conditions.push(needWhere(filters.needs, await needsContext(getDb(), [filters.needs])));
  if (filters.gcmObjectiveId) {
    conditions.push(
      sql`exists (select 1 from ${eventGcmObjectives} eg where eg.event_id = ${OUTER_EVENT_ID} and eg.objective_id = ${filters.gcmObjectiveId})`,
    );
  }
  if (filters.q) {
    const pattern = `%${likeEscape(filters.q)}%`;
    conditions.push(or(likeInsensitive(events.title, pattern), likeInsensitive(events.locality, pattern), likeInsensitive(events.venue, pattern)));
  }
  return and(...conditions);
}

const participantCount = sql<number>`(select ${countOf()} from ${registrations} r
    where r.event_id = ${OUTER_EVENT_ID} and r.event_role = 'participant' and r.status = 'confirmed')`;
/**
 * The sum of the cell keys of the same participants, people's keys (one registration each): the
 * disclosure control's input, the same as the reports' for the same people.
 */
const participantKeySum = sql<number>`(select ${keySum("coalesce(pp.cell_key, 0)")} from ${registrations} r join ${people} pp on pp.id = r.person_id
    where r.event_id = ${OUTER_EVENT_ID} and r.event_role = 'participant' and r.status = 'confirmed')`;

/**
 * Donors see counts of people only through the disclosure control (DOMAIN.md): the same figure
 * their reports give for the same people, "<5" for 1 to 4. Everyone else who may see an event sees
 * its exact counts (planners need them; the others see the event's own roster or take part in it).
 */
export function protectsFigures(user: SessionUser) {
  return user.role === "donor";
}

/** A count of people as the user may see it: exact, or through the disclosure control. */
function shownCount(user: SessionUser, cell: Cell): Disclosed {
  return protectsFigures(user) ? discloseCount(cell) : cell.n;
}

export async function listEvents(user: SessionUser, filters: EventListFilters) {
  const db = getDb();
  const where = await listConditions(user, filters);
  const page = Math.max(1, filters.page ?? 1);
  const total = firstRow(await db.select({ n: count() }).from(events).where(where).limit(1))?.n ?? 0;
  const rows = (await db
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
      registrationClosed: registrationClosedSql(),
      programmeName: programmes.name,
      participants: participantCount,
      // counted and keyed by the same statement: the figure and its key cannot drift apart
      participantsKey: protectsFigures(user) ? participantKeySum : sql<number>`0`,
    })
    .from(events)
    .leftJoin(programmes, eq(programmes.id, events.programmeId))
    .where(where)
    .orderBy(filters.when === "past" ? desc(events.startDate) : asc(events.startDate), asc(events.id))
    .limit(EVENTS_PAGE_SIZE)
    .offset((page - 1) * EVENTS_PAGE_SIZE))
    .map(({ participants, participantsKey, ...row }) => ({ ...row, participants: shownCount(user, { n: participants, key: participantsKey }) }));
  return { rows, total, page, pageCount: Math.max(1, Math.ceil(total / EVENTS_PAGE_SIZE)), protected: protectsFigures(user) };
}

/**
 * A page of the events list for the API: the same events and filters as /events, in id order after
 * `after` (keyset pagination: a page never skips or repeats an event when others are added), with
 * counts of people shown as the user may see them (donors through the disclosure control).
 */
export async function apiEventPage(user: SessionUser, filters: EventListFilters, after: number | null, limit: number) {
  const db = getDb();
  const where = and(await listConditions(user, filters), after === null ? undefined : gt(events.id, after));
  const rows = await db
    .select({
      id: events.id,
      title: events.title,
      type: events.type,
      status: events.status,
      programmeId: events.programmeId,
      country: events.country,
      locality: events.locality,
      timeZone: events.timeZone,
      startDate: events.startDate,
      endDate: events.endDate,
      updatedAt: events.updatedAt,
      participants: participantCount,
      participantsKey: protectsFigures(user) ? participantKeySum : sql<number>`0`,
    })
    .from(events)
    .where(where)
    .orderBy(asc(events.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit).map(({ participants, participantsKey, updatedAt, ...row }) => ({
    ...row,
    updatedAt: updatedAt.toISOString(),
    participantsConfirmed: shownCount(user, { n: participants, key: participantsKey }),
  }));
  return { events: page, more: rows.length > limit, protected: protectsFigures(user) };
}

/** Every event matching the filters, with the columns of /events.csv (no personal data). */
export async function exportEvents(user: SessionUser, filters: EventListFilters) {
  const db = getDb();
  return await db
    .select({
      id: events.id,
      title: events.title,
      type: events.type,
      programme: programmes.name,
      country: events.country,
      locality: events.locality,
      timeZone: events.timeZone,
      startDate: events.startDate,
      endDate: events.endDate,
      status: events.status,
      partners: sql<string | null>`(select ${stringAgg(sql`o.name`, "; ")} from ${eventPartners} ep
          join ${organisations} o on o.id = ep.organisation_id where ep.event_id = ${OUTER_EVENT_ID})`,
      gcmObjectives: sql<string | null>`(select ${stringAgg(sql`eg.objective_id`, "; ")} from ${eventGcmObjectives} eg where eg.event_id = ${OUTER_EVENT_ID})`,
      participantsConfirmed: participantCount,
    })
    .from(events)
    .leftJoin(programmes, eq(programmes.id, events.programmeId))
    .where(await listConditions(user, filters))
    .orderBy(filters.when === "past" ? desc(events.startDate) : asc(events.startDate), asc(events.id))
    .limit(50000);
}

/**
 * Options for the list's filters, limited to what the user may see. Staff see every event: their
 * options (programmes and countries of all events, a scan of five years of events) are kept until
 * the data version moves (writes to events and programmes move it).
 */
export async function eventFilterOptions(user: SessionUser) {
  const db = getDb();
  const where = visibleEventsWhere(user);
  if (where === undefined) return await keptStaffOptions(db, "staff", async () => await computeFilterOptions(db, where));
  return await computeFilterOptions(db, where);
}

/** The programmes that have an event matching `where` (any event without a condition), by name. */
export async function programmesOfEvents(db: ReturnType<typeof getDb>, where: SQL | undefined) {
  return where === undefined
    ? // each programme's events found through the programme index, not five years of events read
      (await db
        .select({ id: programmes.id, name: programmes.name })
        .from(programmes)
        .where(sql`exists (select 1 from ${events} pe where pe.programme_id = ${sql.raw('"programmes"."id"')})`)
        .orderBy(asc(programmes.name)))
    : (await db
        .selectDistinct({ id: programmes.id, name: programmes.name })
        .from(events)
        .innerJoin(programmes, eq(programmes.id, events.programmeId))
        .where(where)
        .orderBy(asc(programmes.name)));
}

const keptStaffOptions = keptUntilDataChanges<Awaited<ReturnType<typeof computeFilterOptions>>>(1);

async function computeFilterOptions(db: ReturnType<typeof getDb>, where: SQL | undefined) {
  const programmeRows = await programmesOfEvents(db, where);
  const countryRows = await db.selectDistinct({ country: events.country }).from(events).where(where);
  return { programmes: programmeRows, countries: countryRows.map((r) => r.country) };
}

/** One event for its overview page; 404 when the user may not see it (its existence is private). */
export async function getEventOverview(user: SessionUser, eventId: number) {
  const db = getDb();
  const planner = user.role === "admin" || user.role === "coordinator";
  const event = firstRow(await db
    .select({
      id: events.id,
      title: events.title,
      type: events.type,
      description: events.description,
      status: events.status,
      registrationOpensAt: events.registrationOpensAt,
      registrationClosesAt: events.registrationClosesAt,
      country: events.country,
      locality: events.locality,
      venue: events.venue,
      timeZone: events.timeZone,
      startDate: events.startDate,
      endDate: events.endDate,
      capacity: events.capacity,
      topics: events.topics,
      targetRoles: events.targetRoles,
      contactName: user.role === "donor" ? sql<string | null>`null` : events.contactName,
      contactEmail: user.role === "donor" ? sql<string | null>`null` : events.contactEmail,
      completionThreshold: events.completionThreshold,
      // how long participants' personal data is kept: for planners only
      retentionMonths: planner ? events.retentionMonths : sql<number | null>`null`,
      personalDataAnonymisedAt: planner ? events.personalDataAnonymisedAt : sql<Date | null>`null`,
      // when action-plan check-ins are sent: for planners only (null for others)
      checkInDays: planner ? events.checkInDays : sql<number[] | null>`null`,
      programmeId: events.programmeId,
      programmeName: programmes.name,
    })
    .from(events)
    .leftJoin(programmes, eq(programmes.id, events.programmeId))
    .where(and(eq(events.id, eventId), visibleEventsWhere(user))).limit(1));
  if (!event) throw notFound();
  const partners = await db
    .select({ id: organisations.id, name: organisations.name, acronym: organisations.acronym })
    .from(eventPartners)
    .innerJoin(organisations, eq(organisations.id, eventPartners.organisationId))
    .where(eq(eventPartners.eventId, eventId))
    .orderBy(asc(organisations.name));
  const objectives = await db
    .select({ id: gcmObjectives.id, title: gcmObjectives.title })
    .from(eventGcmObjectives)
    .innerJoin(gcmObjectives, eq(gcmObjectives.id, eventGcmObjectives.objectiveId))
    .where(eq(eventGcmObjectives.eventId, eventId))
    .orderBy(asc(gcmObjectives.id));
  const sessions = await db
    .select({
      id: eventSessions.id,
      title: eventSessions.title,
      kind: eventSessions.kind,
      startsAt: eventSessions.startsAt,
      endsAt: eventSessions.endsAt,
      room: eventSessions.room,
      // donors see no person's name, facilitators included
      facilitators:
        user.role === "donor" ? sql<string | null>`null` : sql<string | null>`(select ${stringAgg(sql`coalesce(u.name, p.given_name || ' ' || p.family_name)`, ", ", sql`sf.id`)}
          from ${sessionFacilitators} sf
          left join ${users} u on u.id = sf.user_id
          left join ${people} p on p.id = sf.person_id
          where sf.session_id = ${OUTER_SESSION_ID})`,
    })
    .from(eventSessions)
    .where(eq(eventSessions.eventId, eventId))
    .orderBy(asc(eventSessions.startsAt));
  // confirmed participants, the roster's and the reports' rule, with their people's cell keys in the same query
  const confirmed = firstRow(await db
    .select({ n: count(), key: keySum(sql`coalesce(${people.cellKey}, 0)`) })
    .from(registrations)
    .innerJoin(people, eq(people.id, registrations.personId))
    .where(and(eq(registrations.eventId, eventId), eq(registrations.eventRole, "participant"), eq(registrations.status, "confirmed"))).limit(1)) ?? { n: 0, key: 0 };
  return {
    event,
    partners,
    objectives,
    sessions,
    participants: { confirmed: shownCount(user, { n: confirmed.n, key: Number(confirmed.key) }), protected: protectsFigures(user) },
  };
}

/**
 * One event for the API: the overview page's fields (the same rights and the same blanks: no
 * contact for donors, retention and check-in days for planners only), counts of people as the user
 * may see them. Its sessions come from the timetable (apiSessions).
 */
export async function apiEvent(user: SessionUser, eventId: number) {
  const { event, partners, objectives, participants } = await getEventOverview(user, eventId);
  const updatedAt = firstRow(await getDb().select({ at: events.updatedAt }).from(events).where(eq(events.id, eventId)).limit(1))!.at;
  const instant = (at: Date | null) => (at ? at.toISOString() : null);
  return {
    id: event.id,
    title: event.title,
    type: event.type,
    status: event.status,
    description: event.description,
    programme: event.programmeId === null ? null : { id: event.programmeId, name: event.programmeName ?? "" },
    country: event.country,
    locality: event.locality,
    venue: event.venue,
    timeZone: event.timeZone,
    startDate: event.startDate,
    endDate: event.endDate,
    capacity: event.capacity,
    topics: event.topics,
    targetRoles: event.targetRoles,
    registrationOpensAt: instant(event.registrationOpensAt),
    registrationClosesAt: instant(event.registrationClosesAt),
    contactName: event.contactName,
    contactEmail: event.contactEmail,
    completionThreshold: event.completionThreshold,
    retentionMonths: event.retentionMonths,
    checkInDays: event.checkInDays,
    partners: partners.map((p) => ({ id: p.id, name: p.name, acronym: p.acronym })),
    gcmObjectives: objectives.map((o) => ({ id: o.id, title: o.title })),
    participantsConfirmed: participants.confirmed,
    protected: participants.protected,
    updatedAt: updatedAt.toISOString(),
  };
}

/** The shared header of an event's pages (title, dates, place, status). 404 when not visible. */
export async function getEventHeader(user: SessionUser, eventId: number) {
  const event = firstRow(await getDb()
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
      originFollowUpRequestId: events.originFollowUpRequestId,
      registrationClosed: registrationClosedSql(),
    })
    .from(events)
    .where(and(eq(events.id, eventId), visibleEventsWhere(user))).limit(1));
  if (!event) throw notFound();
  return event;
}

// ——— planning (admins and coordinators) ———

/** Only admins and coordinators plan events (403 for everyone else); exported so an API write can check before reading its body. */
export function requirePlanner(actor: Actor) {
  if (actor.user.role !== "admin" && actor.user.role !== "coordinator") throw forbidden();
}

/** What the event form offers: programmes, partner organisations, and the event's own values. */
export async function eventFormOptions(actor: Actor, partnerIds: number[] = []) {
  requirePlanner(actor);
  const db = getDb();
  // every possible partner agency (all but donors), or null when there are too many to list: the
  // form then searches them, and shows the event's partners so far
  const partners = await organisationChoices("nonDonor");
  return {
    programmes: await db.select({ id: programmes.id, name: programmes.name }).from(programmes).orderBy(asc(programmes.name)),
    partners,
    chosenPartners: partners ? [] : (await organisationChoicesByIds("nonDonor", partnerIds)),
    /** a sensible default: the country of the planner's own office */
    defaultCountry:
      (actor.user.organisationId
        ? firstRow(await db.select({ country: organisations.country }).from(organisations).where(eq(organisations.id, actor.user.organisationId)).limit(1))?.country
        : null) ?? "",
    countries: countryCodes(),
    zones: allZones(),
    countryZones: Object.fromEntries(countryCodes().map((c) => [c, zonesOf(c)])),
  };
}

async function checkReferences(tx: Tx, input: EventInput) {
  if (input.programmeId !== null) {
    const found = firstRow(await tx.select({ id: programmes.id }).from(programmes).where(eq(programmes.id, input.programmeId)).limit(1));
    if (!found) throw new FieldError("programmeId", "errors.choice");
  }
  if (input.partnerIds.length > 0) {
    const found = await tx
      .select({ id: organisations.id })
      .from(organisations)
      .where(and(inArray(organisations.id, input.partnerIds), ne(organisations.kind, "donor")));
    if (found.length !== input.partnerIds.length) throw new FieldError("partnerIds", "errors.choice");
  }
}

function eventValues(input: EventInput) {
  const timeZone = input.timeZone || mainZoneOf(input.country);
  if (!timeZone) throw new FieldError("timeZone", "errors.timeZone");
  const toInstant = (local: string | null) => (local ? zonedToUtc(local.slice(0, 10), local.slice(11, 16), timeZone) : null);
  return {
    title: input.title,
    type: input.type,
    description: input.description,
    programmeId: input.programmeId,
    country: input.country,
    locality: input.locality,
    venue: input.venue,
    timeZone,
    startDate: input.startDate,
    endDate: input.endDate,
    capacity: input.capacity,
    targetRoles: input.targetRoles,
    topics: input.topics,
    contactName: input.contactName,
    contactEmail: input.contactEmail,
    registrationOpensAt: toInstant(input.registrationOpensAt),
    registrationClosesAt: toInstant(input.registrationClosesAt),
    completionThreshold: input.completionThreshold,
    requiresApproval: input.requiresApproval,
    consentText: input.consentText,
    retentionMonths: input.retentionMonths,
    // absent from the input: the column's default for a new event, unchanged on an edit
    ...(input.checkInDays === null ? {} : { checkInDays: input.checkInDays }),
  };
}

async function replaceLinks(tx: Tx, eventId: number, input: EventInput) {
  await tx.delete(eventPartners).where(eq(eventPartners.eventId, eventId));
  for (const organisationId of input.partnerIds) await tx.insert(eventPartners).values({ eventId, organisationId });
  await tx.delete(eventGcmObjectives).where(eq(eventGcmObjectives.eventId, eventId));
  for (const objectiveId of input.gcmObjectiveIds) await tx.insert(eventGcmObjectives).values({ eventId, objectiveId });
}

/** A new event, always a draft. */
export async function createEvent(actor: Actor, input: EventInput): Promise<number> {
  requirePlanner(actor);
  return await getDb().transaction(async (tx) => {
    await checkReferences(tx, input);
    const created = (await tx
      .insert(events)
      .values({ ...eventValues(input), status: "draft", createdByUserId: actor.user.id })
      .returning({ id: events.id }))[0];
    await replaceLinks(tx, created.id, input);
    await recordAudit(tx, { userId: actor.user.id, ip: actor.ip, action: "event.create", entityType: "event", entityId: created.id, details: { title: input.title } });
    return created.id;
  }, { behavior: "immediate" });
}

/**
 * Edit an event. Its sessions must still fit: a change of days that would leave a session outside
 * the event is refused (move or remove those sessions first).
 */
export async function updateEvent(actor: Actor, eventId: number, input: EventInput) {
  requirePlanner(actor);
  await getDb().transaction(async (tx) => {
    const before = firstRow(await tx.select().from(events).where(eq(events.id, eventId)).limit(1));
    if (!before) throw notFound();
    await checkReferences(tx, input);
    const values = eventValues(input);
    const sessions = await tx
      .select({ title: eventSessions.title, startsAt: eventSessions.startsAt, endsAt: eventSessions.endsAt })
      .from(eventSessions)
      .where(eq(eventSessions.eventId, eventId));
    const outside = sessions.find((s) => {
      const start = utcToZoned(s.startsAt, values.timeZone).day;
      const end = utcToZoned(s.endsAt, values.timeZone).day;
      return start < values.startDate || end > values.endDate;
    });
    if (outside) throw new FieldError("startDate", "events.form.errors.sessionsOutside", { title: outside.title });
    // an open event's registration cannot be moved to close in the past (closing it is a status step)
    const closesAt = values.registrationClosesAt?.getTime() ?? null;
    if (before.status === "open" && closesAt !== null && closesAt !== (before.registrationClosesAt?.getTime() ?? null) && closesAt <= nowMs()) {
      throw new FieldError("registrationClosesAt", "events.form.errors.closesInPastWhileOpen");
    }
    await tx.update(events).set(values).where(eq(events.id, eventId));
    await replaceLinks(tx, eventId, input);
    await recordAudit(tx, {
      userId: actor.user.id,
      ip: actor.ip,
      action: "event.update",
      entityType: "event",
      entityId: eventId,
      details: {
        before: {
          title: before.title,
          startDate: before.startDate,
          endDate: before.endDate,
          timeZone: before.timeZone,
          retentionMonths: before.retentionMonths,
          checkInDays: before.checkInDays,
        },
        after: {
          title: values.title,
          startDate: values.startDate,
          endDate: values.endDate,
          timeZone: values.timeZone,
          retentionMonths: values.retentionMonths,
          checkInDays: values.checkInDays ?? before.checkInDays,
        },
      },
    });
  }, { behavior: "immediate" });
}

/** The event's stored values as the edit form shows them (times in the event's zone). */
export async function getEventForEdit(actor: Actor, eventId: number) {
  requirePlanner(actor);
  const db = getDb();
  const event = firstRow(await db.select().from(events).where(eq(events.id, eventId)).limit(1));
  if (!event) throw notFound();
  const local = (at: Date | null) => {
    if (!at) return "";
    const z = utcToZoned(at, event.timeZone);
    return `${z.day}T${z.time}`;
  };
  const partnerIds = await db.select({ id: eventPartners.organisationId }).from(eventPartners).where(eq(eventPartners.eventId, eventId));
  const objectiveIds = await db.select({ id: eventGcmObjectives.objectiveId }).from(eventGcmObjectives).where(eq(eventGcmObjectives.eventId, eventId));
  return {
    id: event.id,
    status: event.status,
    values: {
      title: event.title,
      type: event.type,
      description: event.description ?? "",
      programmeId: event.programmeId ? String(event.programmeId) : "",
      partnerIds: partnerIds.map((p) => String(p.id)),
      country: event.country,
      locality: event.locality ?? "",
      venue: event.venue ?? "",
      timeZone: event.timeZone,
      startDate: event.startDate,
      endDate: event.endDate,
      capacity: event.capacity ? String(event.capacity) : "",
      targetRoles: event.targetRoles,
      topics: event.topics.join("\n"),
      gcmObjectiveIds: objectiveIds.map((o) => String(o.id)),
      contactName: event.contactName ?? "",
      contactEmail: event.contactEmail ?? "",
      registrationOpensAt: local(event.registrationOpensAt),
      registrationClosesAt: local(event.registrationClosesAt),
      completionThreshold: String(event.completionThreshold),
      requiresApproval: event.requiresApproval ? "on" : "",
      consentText: event.consentText ?? "",
      retentionMonths: event.retentionMonths === null ? "" : String(event.retentionMonths),
      checkInDays: checkInDaysText(event.checkInDays),
    },
  };
}

/** What in the event's dates a status step contradicts, with the instant it is about. */
export type StatusDateConflict = { kind: "notStarted" | "notEnded" | "ended"; at: number };

/**
 * A status step that contradicts the event's dates (in progress before its first day, completed or
 * reported before its last session ends, opened for registration after it ended). Such a step is
 * sometimes right (a status fixed late, a training moved), so it is asked again rather than refused:
 * the planner confirms with a reason, which the audit log keeps.
 */
export class StatusNeedsConfirmation extends Error {
  constructor(
    public readonly to: EventStatus,
    public readonly conflicts: StatusDateConflict[],
    /** confirmed, but without the reason the audit log needs */
    public readonly reasonMissing = false,
  ) {
    super("status change contradicts the event's dates");
  }
}

function statusDateConflicts(to: EventStatus, period: { startsAt: Date; endsAt: Date; firstDayStartsAt: Date }, t: number): StatusDateConflict[] {
  const conflicts: StatusDateConflict[] = [];
  if (to === "in_progress" && t < period.firstDayStartsAt.getTime()) conflicts.push({ kind: "notStarted", at: period.startsAt.getTime() });
  if ((to === "completed" || to === "reported") && t < period.endsAt.getTime()) conflicts.push({ kind: "notEnded", at: period.endsAt.getTime() });
  if (to === "open" && t >= period.endsAt.getTime()) conflicts.push({ kind: "ended", at: period.endsAt.getTime() });
  return conflicts;
}

export type StatusChangeOptions = {
  /** the planner saw the conflicts with the dates and goes ahead */
  confirm?: boolean;
  reason?: string | null;
  /** opening registration: a new closing date (YYYY-MM-DDTHH:MM in the event's zone) */
  registrationClosesAt?: string | null;
};

/**
 * Move an event's status one allowed step; the audit log records who and when (and why, for a step
 * confirmed against the dates). Registration is opened only while its window is open, or with a new
 * closing date in the same step: otherwise the badge would say "open" while the public page says
 * registration has closed.
 */
export async function changeEventStatus(actor: Actor, eventId: number, to: EventStatus, options: StatusChangeOptions = {}) {
  requirePlanner(actor);
  await getDb().transaction(async (tx) => {
    const event = firstRow(await tx
      .select({ id: events.id, status: events.status, startDate: events.startDate, endDate: events.endDate, timeZone: events.timeZone, registrationOpensAt: events.registrationOpensAt, registrationClosesAt: events.registrationClosesAt })
      .from(events)
      .where(eq(events.id, eventId)).limit(1));
    if (!event) throw notFound();
    if (!EVENT_TRANSITIONS[event.status].includes(to)) {
      throw new FieldError("status", "eventStatusChange.errors.notAllowed", { from: event.status, to });
    }
    const t = now().getTime();
    let closesAt: Date | null = null;
    if (to === "open" && options.registrationClosesAt) {
      const local = options.registrationClosesAt;
      closesAt = zonedToUtc(local.slice(0, 10), local.slice(11, 16), event.timeZone);
      if (closesAt.getTime() <= t) throw new FieldError("registrationClosesAt", "eventStatusChange.errors.closesInPast");
      if (event.registrationOpensAt && closesAt < event.registrationOpensAt) throw new FieldError("registrationClosesAt", "eventStatusChange.errors.windowOrder");
    } else if (to === "open" && event.registrationClosesAt && event.registrationClosesAt.getTime() <= t) {
      throw new FieldError("registrationClosesAt", "eventStatusChange.errors.registrationClosed", { closesAt: event.registrationClosesAt.getTime() });
    }
    const conflicts = statusDateConflicts(to, await eventPeriod(tx, event), t);
    const reason = options.reason?.trim() || null;
    if (conflicts.length > 0) {
      if (!options.confirm) throw new StatusNeedsConfirmation(to, conflicts);
      if (!reason) throw new StatusNeedsConfirmation(to, conflicts, true);
    }
    await tx.update(events)
      .set(closesAt ? { status: to, registrationClosesAt: closesAt } : { status: to })
      .where(eq(events.id, eventId));
    await emitWebhookEvent(tx, webhookEvent.eventStatusChanged({ eventId, from: event.status, to }));
    await recordAudit(tx, {
      userId: actor.user.id,
      ip: actor.ip,
      action: "event.status",
      entityType: "event",
      entityId: eventId,
      details: {
        from: event.status,
        to,
        ...(conflicts.length > 0 ? { reason, conflicts: conflicts.map((c) => c.kind) } : {}),
        ...(closesAt ? { registrationClosesAt: { before: event.registrationClosesAt?.getTime() ?? null, after: closesAt.getTime() } } : {}),
      },
    });
  }, { behavior: "immediate" });
}

/** The status history of an event, from the audit log. */
export async function eventStatusHistory(user: SessionUser, eventId: number) {
  if (user.role !== "admin" && user.role !== "coordinator") return [];
  return (await getDb()
    .select({ at: auditLog.at, details: auditLog.details, by: users.name })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.userId))
    .where(and(eq(auditLog.entityType, "event"), eq(auditLog.entityId, String(eventId)), eq(auditLog.action, "event.status")))
    .orderBy(asc(auditLog.at), asc(auditLog.id)))
    .map((row) => ({
      at: row.at,
      by: row.by,
      from: String(row.details?.from ?? ""),
      to: String(row.details?.to ?? ""),
      reason: typeof row.details?.reason === "string" ? row.details.reason : null,
    }));
}

function addDays(day: string, days: number) {
  const d = new Date(`${day}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/**
 * Copy an event's timetable onto another event's days (duplicating an event, accepting a follow-up
 * request): each session moves day for day and keeps its wall-clock times — read in the source's
 * zone, written in the target's — so a daylight-saving change between the two dates does not move
 * it. Facilitators with an account come along; roster-only ones stay with the old event.
 * Returns how many sessions were copied.
 */
export async function copyTimetable(tx: Tx, source: { id: number; startDate: string; timeZone: string }, target: { id: number; startDate: string; timeZone: string }) {
  const offset = Math.round((Date.parse(target.startDate) - Date.parse(source.startDate)) / 86400000);
  const moved = (at: Date) => {
    const local = utcToZoned(at, source.timeZone);
    return zonedToUtc(addDays(local.day, offset), local.time, target.timeZone);
  };
  const sessions = await tx.select().from(eventSessions).where(eq(eventSessions.eventId, source.id)).orderBy(asc(eventSessions.startsAt), asc(eventSessions.id));
  for (const s of sessions) {
    const copy = (await tx
      .insert(eventSessions)
      .values({ eventId: target.id, title: s.title, kind: s.kind, room: s.room, description: s.description, startsAt: moved(s.startsAt), endsAt: moved(s.endsAt) })
      .returning({ id: eventSessions.id }))[0];
    const teachers = await tx
      .select({ userId: sessionFacilitators.userId })
      .from(sessionFacilitators)
      .where(and(eq(sessionFacilitators.sessionId, s.id), isNotNull(sessionFacilitators.userId)));
    for (const f of teachers) await tx.insert(sessionFacilitators).values({ sessionId: copy.id, userId: f.userId });
  }
  return sessions.length;
}

/**
 * Copy an event to new dates: the same details, partners and objectives, and its timetable
 * shifted day for day at the same wall-clock times in the event's zone (a daylight-saving change
 * between the two dates does not move a session). The copy is a draft without participants.
 */
export async function duplicateEvent(actor: Actor, eventId: number, newStartDate: string): Promise<number> {
  requirePlanner(actor);
  return await getDb().transaction(async (tx) => {
    const source = firstRow(await tx.select().from(events).where(eq(events.id, eventId)).limit(1));
    if (!source) throw notFound();
    const offset = Math.round((Date.parse(newStartDate) - Date.parse(source.startDate)) / 86400000);
    const { id: _id, createdAt: _c, updatedAt: _u, status: _s, ...fields } = source;
    const shiftInstant = (at: Date | null) => {
      if (!at) return null;
      const z = utcToZoned(at, source.timeZone);
      return zonedToUtc(addDays(z.day, offset), z.time, source.timeZone);
    };
    const created = (await tx
      .insert(events)
      .values({
        ...fields,
        startDate: newStartDate,
        endDate: addDays(source.endDate, offset),
        registrationOpensAt: shiftInstant(source.registrationOpensAt),
        registrationClosesAt: shiftInstant(source.registrationClosesAt),
        status: "draft",
        originFollowUpRequestId: null,
        // the copy has its own participants: nothing of theirs has been anonymised
        personalDataAnonymisedAt: null,
        createdByUserId: actor.user.id,
      })
      .returning({ id: events.id }))[0];
    for (const p of (await tx.select().from(eventPartners).where(eq(eventPartners.eventId, eventId)))) {
      await tx.insert(eventPartners).values({ eventId: created.id, organisationId: p.organisationId });
    }
    for (const o of (await tx.select().from(eventGcmObjectives).where(eq(eventGcmObjectives.eventId, eventId)))) {
      await tx.insert(eventGcmObjectives).values({ eventId: created.id, objectiveId: o.objectiveId });
    }
    await copyTimetable(tx, source, { id: created.id, startDate: newStartDate, timeZone: source.timeZone });
    await recordAudit(tx, { userId: actor.user.id, ip: actor.ip, action: "event.duplicate", entityType: "event", entityId: created.id, details: { from: eventId, startDate: newStartDate } });
    return created.id;
  }, { behavior: "immediate" });
}

/** What /events/:id/calendar.ics needs: the event and its sessions (no personal data). */
export async function eventCalendar(user: SessionUser, eventId: number) {
  const event = await getEventHeader(user, eventId);
  const sessions = await getDb()
    .select({
      id: eventSessions.id,
      title: eventSessions.title,
      startsAt: eventSessions.startsAt,
      endsAt: eventSessions.endsAt,
      room: eventSessions.room,
      description: eventSessions.description,
      updatedAt: eventSessions.updatedAt,
    })
    .from(eventSessions)
    .where(eq(eventSessions.eventId, eventId))
    .orderBy(asc(eventSessions.startsAt));
  return { event, sessions };
}
