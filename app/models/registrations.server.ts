import { and, or, asc, count, eq, inArray, sql, type SQL } from "drizzle-orm";
import { getDb, type Tx, firstRow } from "../../db/client";
import { flag, likeInsensitive, never } from "../../db/sql-dialect";
import { consents, eventSessions, events, organisations, people, registrations, sessionFacilitators, users } from "../../db/schema";
import { registrationEmail, type RegistrationEmailKind } from "@emails/registration";
import { forbidden, notFound, type Actor, type SessionUser } from "~/auth/session.server";
import { translatorFor } from "~/i18n.server";
import { now, nowMs } from "~/lib/clock";
import type { EventRole, EventStatus, Locale, RegistrationStatus } from "~/lib/domain";
import { countryName, formatDayRange } from "~/lib/format";
import type { PersonInput } from "~/lib/schemas/people";
import { recordAudit } from "./audit.server";
import { emitWebhookEvent, emitWebhookEvents, webhookEvent } from "./webhook-events.server";
import { keptUntilDataChanges } from "./data-version.server";
import { inviteParticipantInTransaction } from "./accounts.server";
import { FieldError } from "./field-error.server";
import { findOrCreatePerson } from "./people.server";
import { completionSql, REGISTRATION_REFS } from "./completion.server";
import { enqueueEmail } from "./outbox.server";
import { organisationChoices } from "./organisations.server";
import { ROSTER_IMPORT_MAX_BYTES } from "~/lib/request-limits";

/** Statuses that hold (or wait for) a place; the others have left the event. */
export const ACTIVE_REGISTRATION_STATUSES: readonly RegistrationStatus[] = ["nominated", "applied", "confirmed", "waitlisted"];
const ACTIVE = ACTIVE_REGISTRATION_STATUSES;

/** Where a coordinator may move a registration. */
export const REGISTRATION_TRANSITIONS: Record<RegistrationStatus, readonly RegistrationStatus[]> = {
  nominated: ["confirmed", "waitlisted", "declined", "cancelled"],
  applied: ["confirmed", "waitlisted", "declined", "cancelled"],
  waitlisted: ["confirmed", "declined", "cancelled"],
  confirmed: ["waitlisted", "cancelled"],
  declined: ["confirmed", "waitlisted"],
  cancelled: ["confirmed", "waitlisted"],
};

type EventRow = typeof events.$inferSelect;

async function loadEvent(tx: Pick<Tx, "select">, eventId: number): Promise<EventRow> {
  const event = firstRow(await tx.select().from(events).where(eq(events.id, eventId)).limit(1));
  if (!event) throw notFound();
  return event;
}

async function confirmedParticipants(tx: Pick<Tx, "select">, eventId: number) {
  return (
    firstRow(await tx
      .select({ n: count() })
      .from(registrations)
      .where(and(eq(registrations.eventId, eventId), eq(registrations.eventRole, "participant"), eq(registrations.status, "confirmed"))).limit(1))?.n ?? 0
  );
}

/** Seats left for participants (null: no limit). */
export async function seatsLeft(tx: Pick<Tx, "select">, event: Pick<EventRow, "id" | "capacity">) {
  if (event.capacity === null) return null;
  return Math.max(0, event.capacity - (await confirmedParticipants(tx, event.id)));
}

/** Is the event taking registrations now (open, and inside its registration window)? */
export function registrationOpen(event: Pick<EventRow, "status" | "registrationOpensAt" | "registrationClosesAt">) {
  // an event under way or over has closed its registration for good
  if (PAST_STATUSES.includes(event.status)) return { open: false as const, reason: "closed" as const };
  if (event.status !== "open") return { open: false as const, reason: "notOpen" as const };
  const t = nowMs();
  if (event.registrationOpensAt && event.registrationOpensAt.getTime() > t) return { open: false as const, reason: "notYet" as const };
  if (event.registrationClosesAt && event.registrationClosesAt.getTime() < t) return { open: false as const, reason: "closed" as const };
  return { open: true as const, reason: null };
}

/** Tell the person about their place in an event (by email, in their language). */
export async function notifyRegistration(tx: Tx, kind: RegistrationEmailKind, registrationId: number, appUrl: string, extra: { nominatedBy?: string } = {}) {
  const row = firstRow(await tx
    .select({
      email: people.email,
      givenName: people.givenName,
      familyName: people.familyName,
      locale: users.locale,
      userId: people.userId,
      eventId: events.id,
      title: events.title,
      startDate: events.startDate,
      endDate: events.endDate,
      locality: events.locality,
      country: events.country,
      contactEmail: events.contactEmail,
    })
    .from(registrations)
    .innerJoin(people, eq(people.id, registrations.personId))
    .innerJoin(events, eq(events.id, registrations.eventId))
    .leftJoin(users, eq(users.id, people.userId))
    .where(eq(registrations.id, registrationId)).limit(1));
  if (!row?.email) return;
  const { t, lang, dir } = translatorFor(row.locale);
  const content = registrationEmail(
    kind,
    {
      name: `${row.givenName} ${row.familyName}`,
      eventTitle: row.title,
      dates: formatDayRange(row.startDate, row.endDate, lang),
      place: [row.locality, countryName(row.country, lang)].filter(Boolean).join(", "),
      url: row.userId ? `${appUrl}/me` : null,
      contact: row.contactEmail,
      nominatedBy: extra.nominatedBy,
      timetable: kind === "confirmed" || kind === "seatOffered" ? (await timetableForEmail(tx, row.eventId, lang)) : null,
    },
    t,
    { lang, dir },
  );
  await enqueueEmail(tx, { ...content, kind: `registration_${kind}`, to: row.email, userId: row.userId });
}

/**
 * Give freed seats to the waitlist, first come first served (by when they were waitlisted). Each
 * promoted person is emailed that the seat is theirs.
 */
export async function promoteWaitlist(tx: Tx, eventId: number, appUrl: string, actorUserId: string | null) {
  const event = await loadEvent(tx, eventId);
  let left = await seatsLeft(tx, event);
  const promoted: number[] = [];
  while (left === null || left > 0) {
    const next = firstRow(await tx
      .select({ id: registrations.id, personId: registrations.personId })
      .from(registrations)
      .where(and(eq(registrations.eventId, eventId), eq(registrations.eventRole, "participant"), eq(registrations.status, "waitlisted")))
      .orderBy(asc(registrations.statusChangedAt), asc(registrations.id))
      .limit(1));
    if (!next) break;
    await tx.update(registrations).set({ status: "confirmed", statusChangedAt: now() }).where(eq(registrations.id, next.id));
    await emitWebhookEvent(tx, webhookEvent.registrationStatusChanged({ registrationId: next.id, eventId, personId: next.personId, from: "waitlisted", to: "confirmed" }));
    await notifyRegistration(tx, "seatOffered", next.id, appUrl);
    await recordAudit(tx, { userId: actorUserId, action: "registration.promoted", entityType: "registration", entityId: next.id, details: { eventId } });
    promoted.push(next.id);
    if (left !== null) left--;
  }
  return promoted;
}

// ——— nominations (partner focal points) ———

/**
 * The one rule for when partners may nominate: while the event is open. The roster offers the
 * button, the nominate page answers, and a nomination is accepted under the same rule.
 */
export function nominationsOpen(event: { status: EventStatus }) {
  return event.status === "open";
}

/** People of the partner's own agency, with whether they are already on this event. */
export async function nominationCandidates(actor: Actor, eventId: number) {
  const organisationId = requirePartnerOrganisation(actor);
  const db = getDb();
  // only events the partner may see, and only while they are open
  const event = await getEventHeader(actor.user, eventId);
  if (!nominationsOpen(event)) throw notFound();
  return {
    event: { id: event.id, title: event.title, status: event.status },
    officers: await db
      .select({
        id: people.id,
        givenName: people.givenName,
        familyName: people.familyName,
        position: people.position,
        roleCategory: people.roleCategory,
        registrationStatus: sql<RegistrationStatus | null>`(select r.status from ${registrations} r where r.event_id = ${eventId} and r.person_id = ${sql.raw(`"people"."id"`)})`,
      })
      .from(people)
      .where(eq(people.organisationId, organisationId))
      .orderBy(asc(people.familyName), asc(people.givenName)),
  };
}

function requirePartnerOrganisation(actor: Actor) {
  if (actor.user.role !== "partner" || actor.user.organisationId === null) throw forbidden();
  return actor.user.organisationId;
}

/**
 * A partner focal point nominates officers of its own agency (existing people, or new ones typed
 * in). Nominations wait for a coordinator to confirm them; each nominee with an email is told.
 */
export async function nominate(
  actor: Actor,
  eventId: number,
  input: { personIds: number[]; newPeople: PersonInput[] },
  appUrl: string,
) {
  const organisationId = requirePartnerOrganisation(actor);
  return await getDb().transaction(
    async (tx) => {
      const event = await loadEvent(tx, eventId);
      await getEventHeader(actor.user, eventId); // 404 when the partner may not see it (drafts, other countries)
      if (!nominationsOpen(event)) throw new FieldError("form", "registration.errors.notOpen");
      if (input.personIds.length > 0) {
        const own = await tx
          .select({ id: people.id })
          .from(people)
          .where(and(inArray(people.id, input.personIds), eq(people.organisationId, organisationId)));
        // another agency's officer is not the partner's to nominate
        if (own.length !== new Set(input.personIds).size) throw forbidden();
      }
      const ids = [...input.personIds];
      for (const newPerson of input.newPeople) ids.push((await findOrCreatePerson(tx, { ...newPerson, organisationId })).id);
      let nominated = 0;
      let skipped = 0;
      for (const personId of [...new Set(ids)]) {
        const person = firstRow(await tx.select({ organisationId: people.organisationId }).from(people).where(eq(people.id, personId)).limit(1));
        if (person?.organisationId !== organisationId) throw forbidden();
        const existing = firstRow(await tx
          .select({ id: registrations.id, status: registrations.status })
          .from(registrations)
          .where(and(eq(registrations.eventId, eventId), eq(registrations.personId, personId))).limit(1));
        if (existing && ACTIVE.includes(existing.status)) {
          skipped++;
          continue;
        }
        const registrationId = existing
          ? ((await tx
              .update(registrations)
              .set({ status: "nominated", statusChangedAt: now(), nominatedByUserId: actor.user.id })
              .where(eq(registrations.id, existing.id))),
            existing.id)
          : (await tx
              .insert(registrations)
              .values({ eventId, personId, eventRole: "participant", status: "nominated", nominatedByUserId: actor.user.id, statusChangedAt: now() })
              .returning({ id: registrations.id }))[0].id;
        await emitWebhookEvent(tx, existing
          ? webhookEvent.registrationStatusChanged({ registrationId, eventId, personId, from: existing.status, to: "nominated" })
          : webhookEvent.registrationCreated({ registrationId, eventId, personId, status: "nominated", eventRole: "participant", source: "nomination" }));
        await notifyRegistration(tx, "nominated", registrationId, appUrl, { nominatedBy: actor.user.name });
        await recordAudit(tx, { userId: actor.user.id, ip: actor.ip, action: "registration.nominate", entityType: "registration", entityId: registrationId, details: { eventId, personId } });
        nominated++;
      }
      return { nominated, skipped };
    },
    { behavior: "immediate" },
  );
}

// ——— coordinators: the roster ———

/** Only admins and coordinators change a roster (403 for everyone else); exported so an API write can check before reading its body. */
export function requireRosterManager(actor: Actor) {
  if (actor.user.role !== "admin" && actor.user.role !== "coordinator") throw forbidden();
}

/**
 * Move registrations to a new status (one, or several at once). Confirming never exceeds the
 * event's capacity: a batch that would is refused whole. Seats freed by a cancellation go to the
 * waitlist.
 */
export async function changeRegistrationStatus(actor: Actor, eventId: number, registrationIds: number[], to: RegistrationStatus, appUrl: string) {
  requireRosterManager(actor);
  if (registrationIds.length === 0) throw new FieldError("registrationIds", "registration.errors.noneSelected");
  return await getDb().transaction(
    async (tx) => {
      const event = await loadEvent(tx, eventId);
      const rows = await tx
        .select({ id: registrations.id, status: registrations.status, eventRole: registrations.eventRole, personId: registrations.personId })
        .from(registrations)
        .where(and(eq(registrations.eventId, eventId), inArray(registrations.id, registrationIds)));
      if (rows.length !== new Set(registrationIds).size) throw notFound();
      const changing = rows.filter((r) => r.status !== to);
      for (const r of changing) {
        if (!REGISTRATION_TRANSITIONS[r.status].includes(to)) {
          throw new FieldError("status", "registration.errors.transition", { from: r.status, to });
        }
      }
      if (to === "confirmed") {
        const newParticipants = changing.filter((r) => r.eventRole === "participant").length;
        const left = await seatsLeft(tx, event);
        if (left !== null && newParticipants > left) {
          throw new FieldError("status", "registration.errors.capacity", { left, wanted: newParticipants });
        }
      }
      let freed = false;
      await emitWebhookEvents(tx, changing.map((r) => webhookEvent.registrationStatusChanged({ registrationId: r.id, eventId, personId: r.personId, from: r.status, to })));
      for (const r of changing) {
        await tx.update(registrations).set({ status: to, statusChangedAt: now() }).where(eq(registrations.id, r.id));
        if (r.status === "confirmed" && r.eventRole === "participant") freed = true;
        const kind: RegistrationEmailKind | null =
          to === "confirmed" ? "confirmed" : to === "waitlisted" ? "waitlisted" : to === "declined" ? "declined" : to === "cancelled" ? "cancelled" : null;
        if (kind) await notifyRegistration(tx, kind, r.id, appUrl);
        await recordAudit(tx, { userId: actor.user.id, ip: actor.ip, action: "registration.status", entityType: "registration", entityId: r.id, details: { eventId, from: r.status, to } });
      }
      const promoted = freed ? (await promoteWaitlist(tx, eventId, appUrl, actor.user.id)) : [];
      return { changed: changing.length, promoted: promoted.length };
    },
    { behavior: "immediate" },
  );
}

/** Who joins a roster: a person's details (an existing person is recognised), or a person of the registry by id (the API). */
export type RosterPerson = PersonInput | { personId: number };

/** A person of the registry who may join a roster by id: not anonymised (their record holds no one any more). */
async function existingPerson(tx: Pick<Tx, "select">, personId: number) {
  const row = firstRow(await tx.select({ id: people.id, anonymisedAt: people.anonymisedAt }).from(people).where(eq(people.id, personId)).limit(1));
  if (!row || row.anonymisedAt) throw new FieldError("personId", "errors.choice");
  return { id: row.id };
}

/** A coordinator adds someone to the roster directly (any event role), recognising existing people. */
export async function addToRoster(
  actor: Actor,
  eventId: number,
  input: RosterPerson & { eventRole: EventRole; status: RegistrationStatus },
  appUrl: string,
) {
  requireRosterManager(actor);
  return await getDb().transaction(
    async (tx) => {
      const event = await loadEvent(tx, eventId);
      const { eventRole, status, ...who } = input;
      const person = "personId" in who ? await existingPerson(tx, who.personId) : await findOrCreatePerson(tx, who);
      const existing = firstRow(await tx
        .select({ id: registrations.id })
        .from(registrations)
        .where(and(eq(registrations.eventId, eventId), eq(registrations.personId, person.id))).limit(1));
      if (existing) throw new FieldError("personId" in who ? "personId" : "email", "registration.errors.alreadyOnRoster");
      if (status === "confirmed" && eventRole === "participant") {
        const left = await seatsLeft(tx, event);
        if (left !== null && left < 1) throw new FieldError("status", "registration.errors.capacity", { left: 0, wanted: 1 });
      }
      const id = (await tx
        .insert(registrations)
        .values({ eventId, personId: person.id, eventRole, status, statusChangedAt: now() })
        .returning({ id: registrations.id }))[0].id;
      await emitWebhookEvent(tx, webhookEvent.registrationCreated({ registrationId: id, eventId, personId: person.id, status, eventRole, source: "roster" }));
      if (status === "confirmed" || status === "waitlisted") await notifyRegistration(tx, status, id, appUrl);
      await recordAudit(tx, { userId: actor.user.id, ip: actor.ip, action: "registration.create", entityType: "registration", entityId: id, details: { eventId, eventRole, status, source: "roster" } });
      return id;
    },
    { behavior: "immediate" },
  );
}

// ——— the participant's own registrations ———

async function ownPersonId(user: SessionUser) {
  return firstRow(await getDb().select({ id: people.id }).from(people).where(eq(people.userId, user.id)).limit(1))?.id ?? null;
}

export async function myRegistrations(user: SessionUser) {
  const personId = await ownPersonId(user);
  if (personId === null) return [];
  return await getDb()
    .select({
      id: registrations.id,
      status: registrations.status,
      eventRole: registrations.eventRole,
      eventId: events.id,
      title: events.title,
      eventStatus: events.status,
      startDate: events.startDate,
      endDate: events.endDate,
      locality: events.locality,
      country: events.country,
      timeZone: events.timeZone,
    })
    .from(registrations)
    .innerJoin(events, eq(events.id, registrations.eventId))
    .where(eq(registrations.personId, personId))
    .orderBy(sql`${events.startDate} desc`);
}

/** A participant cancels their own place (before the event ends); the seat goes to the waitlist. */
export async function cancelOwnRegistration(actor: Actor, registrationId: number, appUrl: string) {
  const personId = await ownPersonId(actor.user);
  return await getDb().transaction(
    async (tx) => {
      const row = firstRow(await tx
        .select({ id: registrations.id, status: registrations.status, eventId: registrations.eventId, eventRole: registrations.eventRole, personId: registrations.personId, endDate: events.endDate })
        .from(registrations)
        .innerJoin(events, eq(events.id, registrations.eventId))
        .where(and(eq(registrations.id, registrationId), personId === null ? never() : eq(registrations.personId, personId))).limit(1));
      if (!row) throw notFound();
      if (!ACTIVE.includes(row.status)) throw new FieldError("form", "registration.errors.notActive");
      if (row.endDate < now().toISOString().slice(0, 10)) throw new FieldError("form", "registration.errors.eventOver");
      await tx.update(registrations).set({ status: "cancelled", statusChangedAt: now() }).where(eq(registrations.id, row.id));
      await emitWebhookEvent(tx, webhookEvent.registrationStatusChanged({ registrationId: row.id, eventId: row.eventId, personId: row.personId, from: row.status, to: "cancelled" }));
      await notifyRegistration(tx, "cancelled", row.id, appUrl);
      await recordAudit(tx, { userId: actor.user.id, ip: actor.ip, action: "registration.cancel_own", entityType: "registration", entityId: row.id, details: { eventId: row.eventId, from: row.status } });
      if (row.status === "confirmed" && row.eventRole === "participant") await promoteWaitlist(tx, row.eventId, appUrl, actor.user.id);
    },
    { behavior: "immediate" },
  );
}

// ——— reading the roster ———

export type RosterFilters = {
  eventRole?: EventRole;
  status?: RegistrationStatus;
  roleCategory?: string;
  organisationId?: number;
  sex?: string;
  q?: string;
};

/**
 * Who may read a roster: admins and coordinators (everyone), the event's facilitators (to take
 * attendance), a partner (only its own agency's people). Returns the extra SQL condition.
 */
async function rosterScope(user: SessionUser, eventId: number): Promise<SQL | undefined> {
  switch (user.role) {
    case "admin":
    case "coordinator":
      return undefined;
    case "facilitator": {
      const teaches = firstRow(await getDb()
        .select({ n: count() })
        .from(sessionFacilitators)
        .innerJoin(eventSessions, eq(eventSessions.id, sessionFacilitators.sessionId))
        .where(and(eq(eventSessions.eventId, eventId), eq(sessionFacilitators.userId, user.id))).limit(1))?.n;
      if (!teaches) throw forbidden();
      return undefined;
    }
    case "partner":
      if (user.organisationId === null) throw forbidden();
      return eq(people.organisationId, user.organisationId);
    default:
      throw forbidden();
  }
}

type RosterGroup = { eventRole: string; status: string; sex: string | null; roleCategory: string | null; organisation: string; n: number };

/**
 * The roster's counts from its registrations grouped by role, status, sex, role category and
 * organisation: by event role (seat holders and applicants), by status (everyone), and — for the
 * participants holding or awaiting a seat — by sex, role category and organisation. Each list is
 * ordered by its key, no answer first.
 */
function rosterCounts(groups: RosterGroup[]) {
  const tally = () => new Map<string | null, number>();
  const byRole = tally(), byStatus = tally(), bySex = tally(), byRoleCategory = tally(), byOrganisation = tally();
  const add = (map: Map<string | null, number>, key: string | null, n: number) => map.set(key, (map.get(key) ?? 0) + n);
  for (const g of groups) {
    add(byStatus, g.status, g.n);
    // the breakdowns describe the registrations holding or awaiting a seat
    if (!ACTIVE.includes(g.status as RegistrationStatus)) continue;
    add(byRole, g.eventRole, g.n);
    if (g.eventRole !== "participant") continue;
    add(bySex, g.sex, g.n);
    add(byRoleCategory, g.roleCategory, g.n);
    add(byOrganisation, g.organisation, g.n);
  }
  const list = <K extends string | null>(map: Map<string | null, number>) =>
    [...map]
      .map(([key, n]) => ({ key: key as K, n }))
      .sort((a, b) => (a.key === b.key ? 0 : a.key === null ? -1 : b.key === null ? 1 : a.key < b.key ? -1 : 1));
  return {
    byRole: list<EventRole>(byRole),
    byStatus: list<RegistrationStatus>(byStatus),
    bySex: list<string | null>(bySex),
    byRoleCategory: list<string | null>(byRoleCategory),
    byOrganisation: list<string | null>(byOrganisation),
  };
}

/** The roster's order: participants first (by role), then by name. */
const rosterOrder = [asc(registrations.eventRole), asc(people.familyName), asc(people.givenName), asc(registrations.id)];

const keptRosterCounts = keptUntilDataChanges<ReturnType<typeof rosterCounts>>(256);

/**
 * The columns of the roster's table, read by the roster page (which adds contact details and needs
 * for its exports) and by the API (which serves these alone). From registrations joined to their
 * event, person and the person's organisation (the completion figures read the event).
 */
function rosterTableColumns() {
  const completion = completionSql(REGISTRATION_REFS);
  return {
    id: registrations.id,
    personId: people.id,
    anonymised: flag(sql`${people.anonymisedAt} is not null`),
    givenName: people.givenName,
    familyName: people.familyName,
    position: people.position,
    organisationId: people.organisationId,
    organisationName: organisations.name,
    roleCategory: people.roleCategory,
    sex: people.sex,
    eventRole: registrations.eventRole,
    status: registrations.status,
    statusChangedAt: registrations.statusChangedAt,
    attended: completion.attended,
    counted: completion.counted,
    completed: completion.completed,
  };
}

/** Rows per roster page (the page shows one page; exports and sign-in sheets take every row). */
export const ROSTER_PAGE_SIZE = 100;

export async function getRoster(user: SessionUser, eventId: number, filters: RosterFilters = {}, paging?: { page: number }) {
  const db = getDb();
  // 404 for an event the user may not see (a draft, another country's training): its existence is private
  const event = await getEventHeader(user, eventId);
  const scope = await rosterScope(user, eventId);
  const base = and(eq(registrations.eventId, eventId), scope);
  const conditions = [base];
  if (filters.eventRole) conditions.push(eq(registrations.eventRole, filters.eventRole));
  if (filters.status) conditions.push(eq(registrations.status, filters.status));
  if (filters.roleCategory) conditions.push(eq(people.roleCategory, filters.roleCategory));
  if (filters.organisationId) conditions.push(eq(people.organisationId, filters.organisationId));
  if (filters.sex) conditions.push(eq(people.sex, filters.sex as never));
  if (filters.q) {
    const pattern = `%${filters.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conditions.push(or(likeInsensitive(sql`(${people.givenName} || ' ' || ${people.familyName})`, pattern), likeInsensitive(people.email, pattern)));
  }
  const nominator = sql<string | null>`(select u.name from ${users} u where u.id = ${registrations.nominatedByUserId})`;
  // every count of the page in one statement: the registrations of the (scoped) roster grouped by
  // everything a breakdown or a status count needs, added up in rosterCounts; kept until the data
  // version moves (registrations, people and organisations all move it)
  const counts = await keptRosterCounts(db, JSON.stringify([eventId, user.role === "partner" ? user.organisationId : null]), async () =>
    rosterCounts(
      await db
        .select({
          eventRole: registrations.eventRole,
          status: registrations.status,
          sex: people.sex,
          roleCategory: people.roleCategory,
          organisation: sql<string>`coalesce(${organisations.name}, '')`,
          n: count(),
        })
        .from(registrations)
        .innerJoin(people, eq(people.id, registrations.personId))
        .leftJoin(organisations, eq(organisations.id, people.organisationId))
        .where(base)
        .groupBy(registrations.eventRole, registrations.status, people.sex, people.roleCategory, sql`coalesce(${organisations.name}, '')`),
    ),
  );
  // one page of rows (filtered), or all of them
  const where = and(...conditions);
  const unfiltered = conditions.length === 1;
  const matching = !paging
    ? 0
    : unfiltered
      ? counts.byStatus.reduce((sum, c) => sum + c.n, 0)
      : firstRow(await db
          .select({ n: count() })
          .from(registrations)
          .innerJoin(people, eq(people.id, registrations.personId))
          .where(where).limit(1))!.n;
  const pageCount = paging ? Math.max(1, Math.ceil(matching / ROSTER_PAGE_SIZE)) : 1;
  const page = paging ? Math.min(Math.max(1, Math.floor(paging.page) || 1), pageCount) : 1;
  const rowsQuery = db
    .select({
      ...rosterTableColumns(),
      // for the exports and the sign-in sheet (the page's loader sends none of these to the browser)
      email: people.email,
      phone: people.phone,
      nationality: people.nationality,
      dietaryNeeds: people.dietaryNeeds,
      accessibilityNeeds: people.accessibilityNeeds,
      nominatedBy: nominator,
    })
    .from(registrations)
    .innerJoin(events, eq(events.id, registrations.eventId))
    .innerJoin(people, eq(people.id, registrations.personId))
    .leftJoin(organisations, eq(organisations.id, people.organisationId))
    .where(
      paging
        ? // the page's registrations are chosen first (sorting only what the order needs), and
          // their details read for those 100 alone
          inArray(
            registrations.id,
            db
              .select({ id: registrations.id })
              .from(registrations)
              .innerJoin(people, eq(people.id, registrations.personId))
              .where(where)
              .orderBy(...rosterOrder)
              .limit(ROSTER_PAGE_SIZE)
              .offset((page - 1) * ROSTER_PAGE_SIZE),
          )
        : where,
    )
    .orderBy(...rosterOrder);
  const rows = await rowsQuery;
  return {
    rows,
    page,
    pageCount,
    /** rows matching the filters (all pages); without paging, the rows returned */
    matching: paging ? matching : rows.length,
    /** counts over the whole (scoped) roster, not just the filtered rows */
    counts,
    canManage: user.role === "admin" || user.role === "coordinator",
    /** offered only while the nominate page would take them (nominationsOpen) */
    canNominate: user.role === "partner" && user.organisationId !== null && nominationsOpen(event),
  };
}

/**
 * A page of an event's roster for the API, in registration id order after `after` (keyset: a page
 * never skips or repeats a row while people are added). The same rights as the roster page
 * (getEventHeader, then rosterScope: 404 for an event the user may not see, 403 for a donor or a
 * participant, a partner only its agency's people) and the same columns as the page's table — no
 * contact details, needs or nationality. `only`: one registration (404 when it is not in the scope).
 */
export async function apiRosterPage(user: SessionUser, eventId: number, page: { after: number | null; limit: number; only?: number }) {
  await getEventHeader(user, eventId);
  const scope = await rosterScope(user, eventId);
  const rows = await getDb()
    .select(rosterTableColumns())
    .from(registrations)
    .innerJoin(events, eq(events.id, registrations.eventId))
    .innerJoin(people, eq(people.id, registrations.personId))
    .leftJoin(organisations, eq(organisations.id, people.organisationId))
    .where(
      and(
        eq(registrations.eventId, eventId),
        scope,
        page.only !== undefined ? eq(registrations.id, page.only) : undefined,
        page.after !== null ? sql`${registrations.id} > ${page.after}` : undefined,
      ),
    )
    .orderBy(asc(registrations.id))
    .limit(page.limit + 1);
  if (page.only !== undefined && rows.length === 0) throw notFound();
  return rows.map((r) => ({
    id: r.id,
    personId: r.personId,
    // an anonymised person's name is gone: the row says so rather than showing the placeholder
    givenName: r.anonymised ? null : r.givenName,
    familyName: r.anonymised ? null : r.familyName,
    anonymised: Boolean(r.anonymised),
    position: r.anonymised ? null : r.position,
    organisation: r.organisationId === null ? null : { id: r.organisationId, name: r.organisationName ?? "" },
    roleCategory: r.roleCategory,
    sex: r.sex,
    eventRole: r.eventRole,
    status: r.status,
    statusChangedAt: r.statusChangedAt ? r.statusChangedAt.toISOString() : null,
    attendance: { attended: Number(r.attended), counted: Number(r.counted), completed: Boolean(r.completed) },
  }));
}

/**
 * What the public registration page shows: only events that are open (or were, to say the window
 * closed); drafts, cancelled and unknown events are 404 so their existence stays private.
 */
/** Statuses after registration: the event was public once (it was open), its link may still be shared. */
const PAST_STATUSES: readonly string[] = ["in_progress", "completed", "reported"];

/**
 * The public registration page of an open event — or of one under way or over, which says that
 * registration has closed (its link is in old emails and posters). Drafts were never public and a
 * cancelled event's page is gone: both are 404, like an unknown id.
 */
export async function publicEventForRegistration(eventId: number) {
  const db = getDb();
  const event = firstRow(await db.select().from(events).where(eq(events.id, eventId)).limit(1));
  if (!event || (event.status !== "open" && !PAST_STATUSES.includes(event.status))) throw notFound();
  const window = registrationOpen(event);
  const left = await seatsLeft(db, event);
  return {
    id: event.id,
    title: event.title,
    startDate: event.startDate,
    endDate: event.endDate,
    venue: event.venue,
    locality: event.locality,
    country: event.country,
    timeZone: event.timeZone,
    description: event.description,
    consentText: event.consentText,
    requiresApproval: event.requiresApproval,
    registrationClosesAt: event.registrationClosesAt,
    window,
    full: left !== null && left <= 0,
    // every organisation but donors, or null when there are too many to list (the form searches);
    // none for a page that shows no form
    organisations: window.open ? (await organisationChoices("nonDonor")) : [],
  };
}

/**
 * Organisations a person on a roster may belong to (everything but donors), or null when there are
 * too many to list (the form searches).
 */
export async function rosterOrganisations() {
  return await organisationChoices("nonDonor");
}

/** The names a roster file's organisation column may give (every organisation but donors). */
export async function rosterOrganisationNames() {
  return (await getDb()
    .select({ name: organisations.name })
    .from(organisations)
    .where(sql`${organisations.kind} <> 'donor'`)
    .orderBy(asc(organisations.name)))
    .map((o) => o.name);
}

/** Every export of personal data is recorded: who, which event, how many rows. */
export async function recordRosterExport(actor: Actor, eventId: number, rows: number, format: "csv" | "xlsx" = "csv") {
  await recordAudit(getDb(), { userId: actor.user.id, ip: actor.ip, action: "export.roster", entityType: "event", entityId: eventId, details: { rows, format } });
}

// ——— importing a roster from a spreadsheet (CSV) ———
// (imports are hoisted: kept here, beside the only code that uses them)
import { CsvError, parse as parseCsv } from "csv-parse/sync";
import { z } from "zod";
import { messageParts } from "~/lib/forms";
import { auditLog } from "../../db/schema";
import { EVENT_ROLES, REGISTRATION_STATUSES, ROLE_CATEGORIES, SEXES } from "~/lib/domain";
import { personFields } from "~/lib/schemas/people";
import { getEventHeader } from "./events.server";
import { timetableForEmail } from "./reminders.server";

/** The columns of a roster import, by their machine names (stable, English; the template's header). */
export const ROSTER_IMPORT_COLUMNS = [
  "given_name",
  "family_name",
  "email",
  "phone",
  "sex",
  "organisation",
  "position",
  "role_category",
  "nationality",
  "event_role",
  "status",
  "dietary_needs",
  "accessibility_needs",
] as const;
export type RosterImportColumn = (typeof ROSTER_IMPORT_COLUMNS)[number];
export const ROSTER_IMPORT_REQUIRED_COLUMNS = ["given_name", "family_name"] as const satisfies readonly RosterImportColumn[];
export const ROSTER_IMPORT_MAX_ROWS = 10_000;
/** 5 MB; the HTTP layer's limit for the import page follows it */
export { ROSTER_IMPORT_MAX_BYTES };

/**
 * One thing wrong with an import: the whole file (line and column null), a line of it, or one
 * cell. `key` is a message key the page translates with `values`.
 */
export type RosterImportProblem = { line: number | null; column: RosterImportColumn | null; key: string; values: Record<string, string | number> };

/** An import refused whole: nothing was written. */
export class RosterImportRejected extends Error {
  constructor(public readonly problems: RosterImportProblem[]) {
    super(`roster import rejected (${problems.length} problems)`);
  }
}

export type RosterImportResult = {
  /** registrations created */
  created: number;
  /** rows whose person already existed (by email, or by name in the same organisation) */
  recognised: number;
  /** rows skipped because that person already had a registration for this event */
  alreadyOnRoster: number;
};

const fileProblem = (key: string, values: Record<string, string | number> = {}): RosterImportProblem => ({ line: null, column: null, key: `rosterImport.errors.${key}`, values });

/**
 * Bytes to text. Spreadsheet programs save "CSV" in several encodings: UTF-8 (with or without a
 * byte-order mark), UTF-16 with a mark ("Unicode text"), or a legacy code page such as
 * Windows-1252, which cannot be told apart from other code pages reliably — so it is refused
 * with the fix (save as "CSV UTF-8") rather than guessed, which would garble accented names.
 */
function decodeCsv(bytes: Uint8Array): string {
  const starts = (...prefix: number[]) => prefix.every((b, i) => bytes[i] === b);
  if (starts(0x50, 0x4b, 0x03, 0x04) || starts(0xd0, 0xcf, 0x11, 0xe0)) throw new RosterImportRejected([fileProblem("workbook")]);
  const encoding = starts(0xff, 0xfe) ? "utf-16le" : starts(0xfe, 0xff) ? "utf-16be" : "utf-8";
  let text: string;
  try {
    // the decoder drops the byte-order mark itself
    text = new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch {
    throw new RosterImportRejected([fileProblem("encoding")]);
  }
  // UTF-16 without a mark decodes as "valid" UTF-8 full of NUL characters
  if (text.includes("\u0000")) throw new RosterImportRejected([fileProblem("encoding")]);
  return text;
}

/** Comma, or the semicolon (or tab) that spreadsheet programs use in many languages, read from the header line. */
function detectDelimiter(text: string) {
  const firstLine = text.slice(0, text.search(/\r|\n/) === -1 ? text.length : text.search(/\r|\n/));
  const counts = [",", ";", "\t"].map((d) => ({ d, n: firstLine.split(d).length - 1 }));
  const best = counts.reduce((a, b) => (b.n > a.n ? b : a));
  return best.n > 0 ? best.d : ",";
}

function parseCsvRecords(source: string): { cells: string[]; line: number }[] {
  // one kind of line end: csv-parse counts a CR LF inside a quoted cell as two lines
  const text = source.replace(/\r\n?/g, "\n");
  let parsed: { record: string[]; info: { lines: number } }[];
  try {
    parsed = parseCsv(text, {
      delimiter: detectDelimiter(text),
      info: true,
      trim: true,
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
      relax_column_count: false,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    if (error instanceof CsvError) {
      const line = Number((error as CsvError & { lines?: number }).lines) || 0;
      if (error.code === "CSV_RECORD_INCONSISTENT_FIELDS_LENGTH") {
        const record = (error as CsvError & { record?: unknown[] }).record;
        // every record must have as many cells as the first (the header row)
        const header = parseCsv(text, { delimiter: detectDelimiter(text), trim: true, skip_empty_lines: true, to: 1 })[0] ?? [];
        throw new RosterImportRejected([fileProblem("cellCount", { line, got: Array.isArray(record) ? record.length : 0, expected: header.length })]);
      }
      if (error.code === "CSV_QUOTE_NOT_CLOSED") throw new RosterImportRejected([fileProblem("quoteNotClosed", { line })]);
      if (error.code === "CSV_INVALID_CLOSING_QUOTE" || error.code === "INVALID_OPENING_QUOTE") throw new RosterImportRejected([fileProblem("badQuote", { line })]);
      throw new RosterImportRejected([fileProblem("syntax", { line })]);
    }
    throw error;
  }
  // csv-parse counts lines up to the end of a record; a record with line breaks inside a quoted
  // cell starts earlier, and that first line is the one the user looks for
  return parsed.map(({ record, info }) => ({
    cells: record,
    line: info.lines - record.reduce((n, cell) => n + (cell.match(/\n/g)?.length ?? 0), 0),
  }));
}

const IMPORT_FIELD_OF: Record<RosterImportColumn, string> = {
  given_name: "givenName",
  family_name: "familyName",
  email: "email",
  phone: "phone",
  sex: "sex",
  organisation: "organisation",
  position: "position",
  role_category: "roleCategory",
  nationality: "nationality",
  event_role: "eventRole",
  status: "status",
  dietary_needs: "dietaryNeeds",
  accessibility_needs: "accessibilityNeeds",
};
const IMPORT_COLUMN_OF = Object.fromEntries(Object.entries(IMPORT_FIELD_OF).map(([column, field]) => [field, column])) as Record<string, RosterImportColumn>;

/** Values written in a spreadsheet as "Female" or "Immigration officer" mean the machine value. */
const CHOICE_COLUMNS: Partial<Record<RosterImportColumn, readonly string[]>> = {
  sex: SEXES,
  role_category: ROLE_CATEGORIES,
  event_role: EVENT_ROLES,
  status: REGISTRATION_STATUSES,
};
/** Names, organisations and positions never start like a formula: such a cell is a spreadsheet accident or an attack. */
const FORMULA_COLUMNS: readonly RosterImportColumn[] = ["given_name", "family_name", "organisation", "position"];

const withDefault = <T extends readonly [string, ...string[]]>(values: T, fallback: T[number]) =>
  z
    .string()
    .optional()
    .transform((v) => (v ? v : fallback))
    .pipe(z.enum(values, { errorMap: () => ({ message: "errors.choice" }) }));

const importRowSchema = z.object({
  givenName: personFields.givenName,
  familyName: personFields.familyName,
  email: personFields.email,
  phone: personFields.phone,
  sex: personFields.sex,
  position: personFields.position,
  roleCategory: personFields.roleCategory,
  nationality: personFields.nationality,
  dietaryNeeds: personFields.dietaryNeeds,
  accessibilityNeeds: personFields.accessibilityNeeds,
  eventRole: withDefault(EVENT_ROLES, "participant"),
  status: withDefault(REGISTRATION_STATUSES, "confirmed"),
});

const shown = (value: string) => (value.length > 40 ? `${value.slice(0, 39)}…` : value);

/** A form-field message key (from personFields) as the import's cell message. */
function cellProblem(line: number, column: RosterImportColumn, issue: z.ZodIssue, value: string): RosterImportProblem {
  const at = { line, column };
  switch (messageParts(issue.message).key) {
    case "errors.required":
      return { ...at, key: "rosterImport.cell.required", values: {} };
    case "errors.tooLong":
      return { ...at, key: "rosterImport.cell.tooLong", values: { max: issue.code === "too_big" ? Number(issue.maximum) : 0 } };
    case "errors.email":
      return { ...at, key: "rosterImport.cell.email", values: { value: shown(value) } };
    case "errors.country":
      return { ...at, key: "rosterImport.cell.country", values: { value: shown(value) } };
    case "errors.choice":
      return { ...at, key: "rosterImport.cell.choice", values: { value: shown(value), allowed: (CHOICE_COLUMNS[column] ?? []).join(", ") } };
    default:
      return { ...at, key: "rosterImport.cell.invalid", values: { value: shown(value) } };
  }
}

type ImportRow = { line: number; person: PersonInput; eventRole: EventRole; status: RegistrationStatus };

/** Header, then every row checked; all problems are collected, none written. */
function readRosterFile(bytes: Uint8Array, organisationsByName: Map<string, number>): ImportRow[] {
  if (bytes.length === 0) throw new RosterImportRejected([fileProblem("empty")]);
  if (bytes.length > ROSTER_IMPORT_MAX_BYTES) throw new RosterImportRejected([fileProblem("tooLarge", { max: ROSTER_IMPORT_MAX_BYTES / 1_000_000 })]);
  const records = parseCsvRecords(decodeCsv(bytes));
  if (records.length === 0) throw new RosterImportRejected([fileProblem("empty")]);

  const [header, ...data] = records;
  const names = header.cells.map((h) => h.replace(/^[\uFEFF\u200B]+/, "").trim().toLowerCase().replace(/[\s-]+/g, "_"));
  const known = new Set<string>(ROSTER_IMPORT_COLUMNS);
  // spreadsheet programs often save empty columns past the last one used: nameless and empty, they are ignored
  const ignored = new Set(names.flatMap((n, i) => (n === "" && data.every((r) => !r.cells[i]) ? [i] : [])));
  const headerProblems: RosterImportProblem[] = [];
  const unknown = names.filter((n, i) => !known.has(n) && !ignored.has(i));
  if (unknown.length > 0) headerProblems.push(fileProblem("unknownColumns", { columns: unknown.map((n) => n || '""').join(", "), allowed: ROSTER_IMPORT_COLUMNS.join(", ") }));
  const missing = ROSTER_IMPORT_REQUIRED_COLUMNS.filter((c) => !names.includes(c));
  if (missing.length > 0) headerProblems.push(fileProblem("missingColumns", { columns: missing.join(", ") }));
  const twice = [...new Set(names.filter((n, i) => n && names.indexOf(n) !== i))];
  if (twice.length > 0) headerProblems.push(fileProblem("repeatedColumns", { columns: twice.join(", ") }));
  if (headerProblems.length > 0) throw new RosterImportRejected(headerProblems);
  if (data.length === 0) throw new RosterImportRejected([fileProblem("noRows")]);
  if (data.length > ROSTER_IMPORT_MAX_ROWS) throw new RosterImportRejected([fileProblem("tooManyRows", { max: ROSTER_IMPORT_MAX_ROWS, rows: data.length })]);

  const used = names.flatMap((n, i) => (ignored.has(i) ? [] : [{ column: n as RosterImportColumn, index: i }]));
  const columns = used.map((u) => u.column);
  const problems: RosterImportProblem[] = [];
  const rows: ImportRow[] = [];
  const lineOfEmail = new Map<string, number>();
  const lineOfName = new Map<string, number>();
  for (const { cells, line } of data) {
    const cell = {} as Record<RosterImportColumn, string>;
    for (const { column, index } of used) cell[column] = cells[index] ?? "";
    const rowProblems: RosterImportProblem[] = [];
    const raw: Record<string, string> = {};
    for (const column of columns) {
      let value = cell[column];
      if (FORMULA_COLUMNS.includes(column) && /^[=+\-@]/.test(value)) {
        rowProblems.push({ line, column, key: "rosterImport.cell.formula", values: { value: shown(value) } });
        continue;
      }
      if (CHOICE_COLUMNS[column]) value = value.toLowerCase().replace(/[\s-]+/g, "_");
      raw[IMPORT_FIELD_OF[column]] = value;
    }
    const parsed = importRowSchema.safeParse(raw);
    if (!parsed.success) {
      const seen = new Set<string>();
      for (const issue of parsed.error.issues) {
        const field = String(issue.path[0]);
        if (seen.has(field) || !(field in raw)) continue; // one message a cell; formula cells are already reported
        seen.add(field);
        const column = IMPORT_COLUMN_OF[field];
        rowProblems.push(cellProblem(line, column, issue, cell[column] ?? ""));
      }
    }
    let organisationId: number | null = null;
    const organisationName = raw.organisation ?? "";
    if (organisationName) {
      organisationId = organisationsByName.get(organisationName.toLowerCase()) ?? null;
      if (organisationId === null) rowProblems.push({ line, column: "organisation", key: "rosterImport.cell.organisation", values: { value: shown(organisationName) } });
    }
    if (parsed.success && rowProblems.length === 0) {
      const { eventRole, status, ...person } = parsed.data;
      // the same person twice in one file, by the rules that recognise people (people.server.ts)
      if (person.email) {
        const first = lineOfEmail.get(person.email);
        if (first !== undefined) rowProblems.push({ line, column: "email", key: "rosterImport.cell.duplicateEmail", values: { line: first } });
        else lineOfEmail.set(person.email, line);
      }
      if (organisationId !== null) {
        const key = `${person.givenName.toLowerCase()}\u0000${person.familyName.toLowerCase()}\u0000${organisationId}`;
        const first = lineOfName.get(key);
        if (first !== undefined) rowProblems.push({ line, column: "family_name", key: "rosterImport.cell.duplicatePerson", values: { line: first } });
        else lineOfName.set(key, line);
      }
      if (rowProblems.length === 0) rows.push({ line, person: { ...person, organisationId }, eventRole, status });
    }
    rowProblems.sort((a, b) => columns.indexOf(a.column!) - columns.indexOf(b.column!));
    problems.push(...rowProblems);
  }
  if (problems.length > 0) throw new RosterImportRejected(problems);
  return rows;
}

/**
 * Import a roster from a CSV file (the template's columns), all or nothing: every row is checked
 * first and every problem reported with its line and column; only a file without any is written,
 * in one IMMEDIATE transaction — people recognised or created (findOrCreatePerson), one
 * registration each (people already on this event's roster are skipped and counted), confirmed
 * participants kept within the event's capacity, one audit entry. No emails are sent: an import
 * records a roster arranged elsewhere (coordinators write to the people themselves).
 */
export async function importRoster(actor: Actor, eventId: number, bytes: Uint8Array, appUrl: string): Promise<RosterImportResult & { auditId: number }> {
  requireRosterManager(actor);
  void appUrl; // kept for the same signature as the other roster operations (no email is sent)
  const db = getDb();
  await loadEvent(db, eventId);
  const organisationsByName = new Map<string, number>();
  for (const o of (await db.select({ id: organisations.id, name: organisations.name }).from(organisations).where(sql`${organisations.kind} <> 'donor'`))) {
    organisationsByName.set(o.name.trim().toLowerCase(), o.id);
  }
  const rows = readRosterFile(bytes, organisationsByName);
  return await db.transaction(
    async (tx) => {
      const event = await loadEvent(tx, eventId);
      const onRoster = new Set(
        (await tx.select({ personId: registrations.personId }).from(registrations).where(eq(registrations.eventId, eventId))).map((r) => r.personId),
      );
      let recognised = 0;
      let alreadyOnRoster = 0;
      let newConfirmedParticipants = 0;
      const at = now();
      const toInsert: (typeof registrations.$inferInsert)[] = [];
      // the file's agencies, checked once here rather than once a row (they were read before the transaction)
      const agencyIds = [...new Set(rows.map((r) => r.person.organisationId).filter((id): id is number => id !== null))];
      const existing = new Set<number>();
      for (let i = 0; i < agencyIds.length; i += 500) {
        for (const o of await tx.select({ id: organisations.id }).from(organisations).where(inArray(organisations.id, agencyIds.slice(i, i + 500)))) existing.add(o.id);
      }
      if (agencyIds.some((id) => !existing.has(id))) throw new FieldError("organisationId", "errors.choice");
      for (const row of rows) {
        const person = await findOrCreatePerson(tx, row.person, { organisationChecked: true });
        if (!person.created) recognised++;
        if (onRoster.has(person.id)) {
          alreadyOnRoster++;
          continue;
        }
        onRoster.add(person.id);
        if (row.eventRole === "participant" && row.status === "confirmed") newConfirmedParticipants++;
        toInsert.push({ eventId, personId: person.id, eventRole: row.eventRole, status: row.status, statusChangedAt: at });
      }
      const left = await seatsLeft(tx, event);
      if (left !== null && newConfirmedParticipants > left) {
        // thrown inside the transaction: the people created above are rolled back too
        throw new RosterImportRejected([fileProblem("capacity", { left, wanted: newConfirmedParticipants, capacity: event.capacity ?? 0 })]);
      }
      // a few statements instead of one per row (SQLite allows 32,766 parameters a statement)
      for (let i = 0; i < toInsert.length; i += 500) {
        const inserted = await tx.insert(registrations).values(toInsert.slice(i, i + 500)).returning({ id: registrations.id, personId: registrations.personId, status: registrations.status, eventRole: registrations.eventRole });
        await emitWebhookEvents(tx, inserted.map((r) => webhookEvent.registrationCreated({ registrationId: r.id, eventId, personId: r.personId, status: r.status, eventRole: r.eventRole, source: "import" })));
      }
      const result = { created: toInsert.length, recognised, alreadyOnRoster };
      const auditId = await recordAudit(tx, {
        userId: actor.user.id,
        ip: actor.ip,
        action: "roster.import",
        entityType: "event",
        entityId: eventId,
        details: { rows: rows.length, ...result, peopleCreated: rows.length - recognised },
      });
      return { ...result, auditId };
    },
    { behavior: "immediate" },
  );
}

/** The outcome of one of this user's imports into this event (shown after the redirect), or null. */
export async function rosterImportOutcome(actor: Actor, eventId: number, auditId: number): Promise<RosterImportResult | null> {
  requireRosterManager(actor);
  const entry = firstRow(await getDb()
    .select({ details: auditLog.details })
    .from(auditLog)
    .where(and(eq(auditLog.id, auditId), eq(auditLog.action, "roster.import"), eq(auditLog.entityType, "event"), eq(auditLog.entityId, String(eventId)), eq(auditLog.userId, actor.user.id))).limit(1));
  if (!entry?.details) return null;
  const n = (v: unknown) => (typeof v === "number" ? v : 0);
  return { created: n(entry.details.created), recognised: n(entry.details.recognised), alreadyOnRoster: n(entry.details.alreadyOnRoster) };
}

/** Printing a sign-in sheet exports personal data: recorded like any other export. */
export async function recordSignInSheetExport(actor: Actor, eventId: number, details: Record<string, unknown>) {
  await recordAudit(getDb(), { userId: actor.user.id, ip: actor.ip, action: "export.sign_in_sheet", entityType: "event", entityId: eventId, details });
}

/** A condition on `registrations` joined to `people`: the user's own person, a confirmed participant. */
export function ownConfirmedParticipation(user: SessionUser) {
  return and(eq(people.userId, user.id), eq(registrations.eventRole, "participant"), eq(registrations.status, "confirmed"));
}

/**
 * The registration of the signed-in user's own person as a confirmed participant of an event, or
 * null: who may take the event's knowledge test or answer its feedback form.
 */
export async function ownConfirmedRegistration(db: Pick<ReturnType<typeof getDb>, "select">, user: SessionUser, eventId: number) {
  return (
    firstRow(
      await db
        .select({ id: registrations.id, personId: registrations.personId })
        .from(registrations)
        .innerJoin(people, eq(people.id, registrations.personId))
        .where(and(eq(registrations.eventId, eventId), ownConfirmedParticipation(user)))
        .limit(1),
    ) ?? null
  );
}
