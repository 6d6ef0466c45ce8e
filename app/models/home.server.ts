import { and, asc, count, eq, gte, sql } from "drizzle-orm";
import { getDb, firstRow } from "../../db/client";
import {
  emailOutbox,
  events,
  eventSessions,
  organisations,
  people,
  programmeFunding,
  programmes,
  registrations,
  sessionFacilitators,
  users,
} from "../../db/schema";
import type { SessionUser } from "~/auth/session.server";
import { now } from "~/lib/clock";
import { agencyPlansToValidate, myActionPlans } from "./action-plans.server";
import { visibleEventsWhere } from "./events.server";

/** How many plans with items to validate the partner's home page lists (the rest: /action-plans). */
const HOME_PLANS_TO_VALIDATE = 5;

const eventColumns = {
  id: events.id,
  title: events.title,
  status: events.status,
  startDate: events.startDate,
  endDate: events.endDate,
  country: events.country,
  locality: events.locality,
};

/** Events the user may see that have not ended yet, soonest first. */
async function nextEvents(user: SessionUser, limit = 5) {
  const today = now().toISOString().slice(0, 10);
  return await getDb()
    .select(eventColumns)
    .from(events)
    .where(and(visibleEventsWhere(user), gte(events.endDate, today)))
    // "+" keeps SQLite from walking five years of events in start order to find those not ended:
    // it takes the few not ended from the end-date index and sorts them
    .orderBy(sql`+${events.startDate}`, asc(events.id))
    .limit(limit);
}

async function organisationName(id: number | null) {
  if (id === null) return null;
  return firstRow(await getDb().select({ name: organisations.name }).from(organisations).where(eq(organisations.id, id)).limit(1))?.name ?? null;
}

/** What each role sees first after signing in. */
export async function homeFor(user: SessionUser) {
  const db = getDb();
  switch (user.role) {
    case "admin": {
      const userCounts = firstRow(await db
        .select({ total: count(), pending: sql<number>`sum(case when ${users.passwordHash} is null then 1 else 0 end)`, disabled: sql<number>`sum(case when ${users.disabledAt} is not null then 1 else 0 end)` })
        .from(users).limit(1));
      const outbox = await db.select({ status: emailOutbox.status, n: count() }).from(emailOutbox).groupBy(emailOutbox.status);
      return {
        role: "admin" as const,
        users: { total: userCounts?.total ?? 0, pending: userCounts?.pending ?? 0, disabled: userCounts?.disabled ?? 0 },
        outbox: Object.fromEntries(outbox.map((o) => [o.status, o.n])) as Record<string, number>,
        events: await nextEvents(user),
      };
    }
    case "coordinator":
      return { role: "coordinator" as const, events: await nextEvents(user, 8) };
    case "facilitator": {
      const sessions = await db
        .select({
          id: eventSessions.id,
          title: eventSessions.title,
          startsAt: eventSessions.startsAt,
          endsAt: eventSessions.endsAt,
          room: eventSessions.room,
          eventId: events.id,
          eventTitle: events.title,
          timeZone: events.timeZone,
        })
        .from(sessionFacilitators)
        .innerJoin(eventSessions, eq(eventSessions.id, sessionFacilitators.sessionId))
        .innerJoin(events, eq(events.id, eventSessions.eventId))
        .where(and(eq(sessionFacilitators.userId, user.id), sql`${events.status} <> 'draft'`))
        .orderBy(asc(eventSessions.startsAt));
      return { role: "facilitator" as const, sessions };
    }
    case "participant": {
      const person = firstRow(await db.select({ id: people.id }).from(people).where(eq(people.userId, user.id)).limit(1));
      const mine = person
        ? (await db
            .select({ ...eventColumns, registrationStatus: registrations.status, eventRole: registrations.eventRole })
            .from(registrations)
            .innerJoin(events, eq(events.id, registrations.eventId))
            .where(eq(registrations.personId, person.id))
            .orderBy(sql`${events.startDate} desc`))
        : [];
      // their plans with what is open and overdue, each linking to the plan
      const plans = (await myActionPlans(user)).map((p) => ({ id: p.id, title: p.title, status: p.status, eventTitle: p.eventTitle, url: p.url, open: p.open, overdue: p.items.overdue }));
      const registeredIds = new Set(mine.map((m) => m.id));
      const open = (await nextEvents(user, 10)).filter((e) => e.status === "open" && !registeredIds.has(e.id));
      return { role: "participant" as const, registrations: mine, plans, open };
    }
    case "partner": {
      const officers =
        user.organisationId === null
          ? 0
          : (firstRow(await db
              .select({ n: sql<number>`count(distinct ${registrations.personId})` })
              .from(registrations)
              .innerJoin(people, eq(people.id, registrations.personId))
              .where(and(eq(people.organisationId, user.organisationId), eq(registrations.eventRole, "participant"))).limit(1))?.n ?? 0);
      // the agency's action plans: what awaits the focal point's validation, what is overdue
      const actionPlans = user.organisationId === null ? null : (await agencyPlansToValidate(user, HOME_PLANS_TO_VALIDATE));
      return {
        role: "partner" as const,
        organisation: await organisationName(user.organisationId),
        officersTrained: officers,
        events: await nextEvents(user, 8),
        actionPlans,
      };
    }
    case "donor": {
      const funded =
        user.organisationId === null
          ? []
          : (await db
              .select({
                id: programmes.id,
                name: programmes.name,
                events: sql<number>`(select count(*) from ${events} e where e.programme_id = ${sql.raw(`"programmes"."id"`)} and e.status <> 'draft')`,
              })
              .from(programmeFunding)
              .innerJoin(programmes, eq(programmes.id, programmeFunding.programmeId))
              .where(eq(programmeFunding.donorOrganisationId, user.organisationId))
              .orderBy(asc(programmes.name)));
      return { role: "donor" as const, organisation: await organisationName(user.organisationId), programmes: funded };
    }
  }
}
