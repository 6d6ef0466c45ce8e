import { and, asc, count, desc, eq, gt, gte, lte, ne, notInArray, sql } from "drizzle-orm";
import { getDb, firstRow, queryOne, queryAll } from "../../db/client";
import { countDistinct, countOf, countWhere, flag, sumOf, unindexed } from "../../db/sql-dialect";
import {
  actionPlanMembers,
  actionPlans,
  certificates,
  emailOutbox,
  events,
  followUpRequests,
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
import { now, nowMs } from "~/lib/clock";
import { dayInZone } from "~/lib/format";
import { EVENT_NEEDS, type EventNeed } from "~/lib/needs";
import { FOLLOW_UP_STATUSES, type FollowUpStatus } from "~/lib/domain";
import { agencyPlansToValidate, myActionPlans } from "./action-plans.server";
import { registrationClosedSql, visibleEventsWhere } from "./events.server";
import { keptUntilDataChanges } from "./data-version.server";
import { discloseCount, type Disclosed } from "./disclosure.server";
import { eventToday, eventTodays, keptCount, needsContext, needWhere, planCheckInDue } from "./needs.server";

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
  registrationClosed: registrationClosedSql(),
};

/** Events the user may see that have not ended yet, soonest first. */
async function nextEvents(user: SessionUser, limit = 5) {
  const today = now().toISOString().slice(0, 10);
  return await getDb()
    .select(eventColumns)
    .from(events)
    .where(and(visibleEventsWhere(user), gte(events.endDate, today)))
    // unindexed() keeps SQLite from walking five years of events in start order to find those not
    // ended: it takes the few not ended from the end-date index and sorts them
    .orderBy(unindexed(events.startDate), asc(events.id))
    .limit(limit);
}

async function organisationName(id: number | null) {
  if (id === null) return null;
  return firstRow(await getDb().select({ name: organisations.name }).from(organisations).where(eq(organisations.id, id)).limit(1))?.name ?? null;
}

/** How many upcoming sessions a facilitator's home lists after today's, and how many earlier ones. */
const HOME_NEXT_SESSIONS = 6;
const HOME_EARLIER_SESSIONS = 5;
/** A participant is asked to write a plan for a training that ended at most this many days ago. */
const PLAN_INVITATION_DAYS = 90;

/**
 * What waits for a coordinator (and an admin) now, in one statement: for each need of
 * app/lib/needs.ts the number of events matching it (the events list's `needs` filter lists the
 * same events), how many people await approval or confirmation in those events, the follow-up
 * requests received and not yet triaged, and the emails that failed. Plus one statement for the
 * zones' days.
 */
export async function coordinatorNeeds() {
  const db = getDb();
  const context = await needsContext(db);
  // a kept list of events is its own count (the certificates' still asks the clock)
  const counted = EVENT_NEEDS.filter((need) => keptCount(need, context) === undefined);
  const row = await queryOne<Record<EventNeed | "waitingPeople" | "followUps" | "failedEmails", number>>(db, sql`select
    ${sql.join(
      counted.map((need) => sql`(select ${countOf()} from ${events} where ${needWhere(need, context)}) as ${sql.identifier(need)}`),
      sql`, `,
    )},
    (select ${countOf()} from ${registrations} wp join ${events} on ${events.id} = wp.event_id
      where wp.status in ('applied', 'nominated') and ${events.status} in ('open', 'in_progress')) as "waitingPeople",
    (select ${countOf()} from ${followUpRequests} where ${followUpRequests.status} = 'received') as "followUps",
    (select ${countOf()} from ${emailOutbox} where ${emailOutbox.status} = 'failed') as "failedEmails"`);
  const events_ = Object.fromEntries(EVENT_NEEDS.map((need) => [need, keptCount(need, context) ?? Number(row?.[need] ?? 0)])) as Record<EventNeed, number>;
  return {
    events: events_,
    waitingPeople: Number(row?.waitingPeople ?? 0),
    followUpsToTriage: Number(row?.followUps ?? 0),
    failedEmails: Number(row?.failedEmails ?? 0),
  };
}

const sessionColumns = {
  id: eventSessions.id,
  title: eventSessions.title,
  kind: eventSessions.kind,
  startsAt: eventSessions.startsAt,
  endsAt: eventSessions.endsAt,
  room: eventSessions.room,
  eventId: events.id,
  eventTitle: events.title,
  timeZone: events.timeZone,
};

/**
 * A facilitator's sessions (those they teach; breaks take no attendance and are left out): today's
 * in each event's zone first, then the next ones, then a few earlier ones, each linking to its
 * attendance. Only their own sessions, of events that are neither drafts nor cancelled.
 */
export async function facilitatorSessions(user: SessionUser) {
  const db = getDb();
  const at = nowMs();
  const mine = and(
    eq(sessionFacilitators.userId, user.id),
    notInArray(events.status, ["draft", "cancelled"]),
    ne(eventSessions.kind, "break"),
  );
  const from = () =>
    db
      .selectDistinct(sessionColumns)
      .from(sessionFacilitators)
      .innerJoin(eventSessions, eq(eventSessions.id, sessionFacilitators.sessionId))
      .innerJoin(events, eq(events.id, eventSessions.eventId));
  // today, in any zone, began less than 24 hours ago: every session of today ends after this
  const dayAgo = new Date(at - 25 * 60 * 60 * 1000);
  const recent = await from()
    .where(and(mine, gt(eventSessions.endsAt, dayAgo)))
    .orderBy(asc(eventSessions.startsAt), asc(eventSessions.id))
    .limit(40);
  const isToday = (s: { startsAt: Date; timeZone: string }) => dayInZone(s.startsAt, s.timeZone) === dayInZone(at, s.timeZone);
  const today = recent.filter(isToday);
  const next = recent.filter((s) => !isToday(s) && s.startsAt.getTime() > at).slice(0, HOME_NEXT_SESSIONS);
  const earlier = (await from()
    .where(and(mine, lte(eventSessions.endsAt, new Date(at))))
    .orderBy(desc(eventSessions.startsAt), desc(eventSessions.id))
    .limit(HOME_EARLIER_SESSIONS + today.length))
    .filter((s) => !isToday(s))
    .slice(0, HOME_EARLIER_SESSIONS);
  const shape = (s: (typeof recent)[number]) => ({
    ...s,
    attendanceUrl: `/events/${s.eventId}/attendance?session=${s.id}`,
    started: s.startsAt.getTime() <= at,
    ended: s.endsAt.getTime() <= at,
  });
  return { today: today.map(shape), next: next.map(shape), earlier: earlier.map(shape) };
}

/**
 * A participant's home: their next training, the forms waiting for them (a plan to write for a
 * training they took part in, a draft plan to finish) and the plans whose check-in is due.
 */
async function participantHome(user: SessionUser) {
  const db = getDb();
  const person = firstRow(await db.select({ id: people.id }).from(people).where(eq(people.userId, user.id)).limit(1));
  if (!person) return { next: null, plansToWrite: [], draftPlans: [], checkInsDue: [] };
  const todayUtc = now().toISOString().slice(0, 10);
  const next =
    firstRow(await db
      .select({ ...eventColumns, timeZone: events.timeZone, registrationStatus: registrations.status })
      .from(registrations)
      .innerJoin(events, eq(events.id, registrations.eventId))
      .where(
        and(
          eq(registrations.personId, person.id),
          sql`${registrations.status} in ('confirmed', 'applied', 'nominated', 'waitlisted')`,
          sql`${events.status} in ('open', 'in_progress')`,
          gte(events.endDate, todayUtc),
        ),
      )
      .orderBy(asc(events.startDate), asc(events.id)).limit(1)) ?? null;
  // trainings taken part in (confirmed participant, held), ended lately, with no plan of theirs yet
  const plansToWrite = (await db
    .select({ eventId: events.id, eventTitle: events.title, endDate: events.endDate })
    .from(registrations)
    .innerJoin(events, eq(events.id, registrations.eventId))
    .where(
      and(
        eq(registrations.personId, person.id),
        eq(registrations.eventRole, "participant"),
        eq(registrations.status, "confirmed"),
        sql`${events.status} in ('in_progress', 'completed', 'reported')`,
        gte(events.endDate, new Date(Date.parse(`${todayUtc}T00:00:00Z`) - PLAN_INVITATION_DAYS * 86_400_000).toISOString().slice(0, 10)),
        sql`not exists (select 1 from ${actionPlans} wp join ${actionPlanMembers} wm on wm.plan_id = wp.id
                        where wp.event_id = ${events.id} and wp.is_template = false and wm.person_id = ${person.id})`,
      ),
    )
    .orderBy(desc(events.endDate)))
    .map((e) => ({ ...e, url: `/events/${e.eventId}/action-plans/new` }));
  const todays = await eventTodays(db);
  const plans = (await db
    .select({
      id: actionPlans.id,
      eventId: actionPlans.eventId,
      title: actionPlans.title,
      status: actionPlans.status,
      eventTitle: events.title,
      checkInDue: flag(planCheckInDue('"action_plans"', '"events"', eventToday(todays))),
    })
    .from(actionPlanMembers)
    .innerJoin(actionPlans, eq(actionPlans.id, actionPlanMembers.planId))
    .innerJoin(events, eq(events.id, actionPlans.eventId))
    .where(and(eq(actionPlanMembers.personId, person.id), eq(actionPlans.isTemplate, false)))
    .orderBy(desc(events.endDate), asc(actionPlans.id)))
    .map((p) => ({ ...p, checkInDue: Boolean(p.checkInDue), url: `/events/${p.eventId}/action-plans/${p.id}` }));
  return {
    next,
    plansToWrite,
    draftPlans: plans.filter((p) => p.status === "draft"),
    checkInsDue: plans.filter((p) => p.checkInDue),
  };
}

/**
 * A partner's home: what awaits the focal point's validation, the events open for nomination
 * (every open event: the partner may nominate to any), and its agency's follow-up requests by
 * status. Only its own agency: an account without one sees nothing of any agency.
 */
async function partnerHome(user: SessionUser) {
  const db = getDb();
  const orgId = user.organisationId;
  const openForNomination =
    firstRow(await db
      .select({ n: count() })
      .from(events)
      .where(and(visibleEventsWhere(user), eq(events.status, "open"))).limit(1))?.n ?? 0;
  const byStatus =
    orgId === null
      ? []
      : (await db
          .select({ status: followUpRequests.status, n: count() })
          .from(followUpRequests)
          .where(eq(followUpRequests.requestingOrganisationId, orgId))
          .groupBy(followUpRequests.status));
  const requests = FOLLOW_UP_STATUSES.map((status) => ({ status, n: byStatus.find((r) => r.status === status)?.n ?? 0 })).filter(
    (r) => r.n > 0,
  ) as { status: FollowUpStatus; n: number }[];
  return { openForNomination, requests };
}

/**
 * A donor's home: for each programme its organisation funds, the headline figures of its activity
 * summary — events, people trained, certificates, action plans submitted — counted as /reports
 * counts them (unique people over the programme's events, cancelled events' people left out) and
 * shown only through the disclosure control: the same figure the programme's report gives, "<5" for
 * 1 to 4. One statement for all the programmes.
 */
async function donorProgrammes(user: SessionUser) {
  const organisationId = user.organisationId;
  if (organisationId === null) return [];
  const db = getDb();
  // kept until the data moves (every table read moves the 'reports' version): a donor funding the
  // flagship programme at scale 10 has 46,000 registrations counted, about half a second
  const rows = await keptDonorFigures(db, `donor ${organisationId}`, () => donorFigures(db, organisationId));
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    events: r.events,
    people: discloseCount({ n: r.people, key: r.people_k }) as Disclosed,
    certificates: discloseCount({ n: r.certificates, key: r.certificates_k }) as Disclosed,
    plansSubmitted: discloseCount({ n: r.plans, key: r.plans_k }) as Disclosed,
  }));
}

type DonorFigures = { id: number; name: string; events: number; people: number; people_k: number; certificates: number; certificates_k: number; plans: number; plans_k: number };
const keptDonorFigures = keptUntilDataChanges<DonorFigures[]>(64);

async function donorFigures(db: ReturnType<typeof getDb>, organisationId: number): Promise<DonorFigures[]> {
  return await queryAll<DonorFigures>(db, sql`with funded as (
      select ${programmes.id} as id, ${programmes.name} as name from ${programmeFunding}
      join ${programmes} on ${programmes.id} = ${programmeFunding.programmeId}
      where ${programmeFunding.donorOrganisationId} = ${organisationId}
    ),
    ev as (select e.id, e.programme_id, e.status from ${events} e where e.status <> 'draft' and e.programme_id in (select id from funded)),
    act as (select * from ev where status <> 'cancelled'),
    part as (
      select act.programme_id as prog, r.id as rid, r.person_id as pid, coalesce(pp.cell_key, 0) as pk, coalesce(r.cell_key, 0) as rk,
             ${flag(sql`exists (select 1 from ${certificates} ce where ce.registration_id = r.id and ce.revoked_at is null)`)} as cert
      from ${registrations} r join act on act.id = r.event_id join ${people} pp on pp.id = r.person_id
      where r.event_role = 'participant' and r.status = 'confirmed'
    ),
    uniq as (select distinct prog, pid, pk from part),
    -- each figure counted once for all the programmes (grouped), not once per programme: a
    -- correlated count walked the whole of "part" for each programme funded
    ev_n as (select programme_id as prog, ${countOf()} as n from ev group by programme_id),
    people_n as (select prog, ${countOf()} as n, ${sumOf(sql`pk`, { big: true })} as k from uniq group by prog),
    cert_n as (select prog, ${sumOf(sql`cert`)} as n, ${sumOf(sql`case when cert = 1 then rk else 0 end`, { big: true })} as k from part group by prog),
    plans_n as (
      select act.programme_id as prog, ${countOf()} as n, ${sumOf(sql`ap.cell_key`, { big: true })} as k
      from ${actionPlans} ap join act on act.id = ap.event_id
      where ap.is_template = false and ap.status = 'submitted'
      group by act.programme_id
    )
    select f.id, f.name,
      coalesce(ev_n.n, 0) as events,
      coalesce(people_n.n, 0) as people, coalesce(people_n.k, 0) as people_k,
      coalesce(cert_n.n, 0) as certificates, coalesce(cert_n.k, 0) as certificates_k,
      coalesce(plans_n.n, 0) as plans, coalesce(plans_n.k, 0) as plans_k
    from funded f
    left join ev_n on ev_n.prog = f.id
    left join people_n on people_n.prog = f.id
    left join cert_n on cert_n.prog = f.id
    left join plans_n on plans_n.prog = f.id
    order by f.name, f.id`);
}

/** What each role sees first after signing in. */
export async function homeFor(user: SessionUser) {
  const db = getDb();
  switch (user.role) {
    case "admin": {
      const userCounts = firstRow(await db
        .select({ total: count(), pending: countWhere(sql`${users.passwordHash} is null`), disabled: countWhere(sql`${users.disabledAt} is not null`) })
        .from(users).limit(1));
      const outbox = await db.select({ status: emailOutbox.status, n: count() }).from(emailOutbox).groupBy(emailOutbox.status);
      return {
        role: "admin" as const,
        needs: await coordinatorNeeds(),
        users: { total: userCounts?.total ?? 0, pending: userCounts?.pending ?? 0, disabled: userCounts?.disabled ?? 0 },
        outbox: Object.fromEntries(outbox.map((o) => [o.status, o.n])) as Record<string, number>,
        events: await nextEvents(user),
      };
    }
    case "coordinator":
      return { role: "coordinator" as const, needs: await coordinatorNeeds(), events: await nextEvents(user, 8) };
    case "facilitator":
      return { role: "facilitator" as const, sessions: await facilitatorSessions(user) };
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
      return { role: "participant" as const, ...(await participantHome(user)), registrations: mine, plans, open };
    }
    case "partner": {
      const officers =
        user.organisationId === null
          ? 0
          : (firstRow(await db
              .select({ n: countDistinct(registrations.personId) })
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
        ...(await partnerHome(user)),
      };
    }
    case "donor":
      return { role: "donor" as const, organisation: await organisationName(user.organisationId), programmes: await donorProgrammes(user) };
  }
}
