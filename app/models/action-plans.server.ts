import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { and, asc, desc, eq, inArray, ne, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { getDb, type Tx, queryAll, queryOne, firstRow, runRoundAlone } from "../../db/client";
import { addDaysSql, countDistinct, countOf, countWhere, jsonArrayElements, jsonInteger, never, sumOf } from "../../db/sql-dialect";
import {
  actionPlanComments,
  actionPlanItems,
  actionPlanMembers,
  actionPlans,
  actionPlanUpdates,
  auditLog,
  events,
  organisations,
  people,
  registrations,
  users,
} from "../../db/schema";
import { actionPlanReminderEmail } from "@emails/action-plan-reminder";
import { forbidden, notFound, type Actor, type SessionUser } from "~/auth/session.server";
import { config } from "~/config.server";
import { translatorFor } from "~/i18n.server";
import { now } from "~/lib/clock";
import type { ActionItemStatus, EventStatus } from "~/lib/domain";
import { dayInZone, formatDay } from "~/lib/format";
import type { ActionItemInput } from "~/lib/schemas/action-plans";
import { recordAudit } from "./audit.server";
import { emitWebhookEvent, webhookEvent } from "./webhook-events.server";
import { reminderOptOut } from "./email-preferences.server";
import { visibleEventsWhere } from "./events.server";
import { FieldError } from "./field-error.server";
import { enqueueEmail } from "./outbox.server";
import { actionPlansVersion } from "./data-version.server";
import { cleanFileName } from "~/lib/file-names";
import { ATTACHMENT_MAX_BYTES } from "~/lib/request-limits";

/**
 * Action plans: after an event, a participant (or a group of participants) writes how the training
 * goes into their daily work — items with an action, a target date, who is responsible, an
 * indicator and a status — and records dated progress on each item.
 *
 * Who sees what is decided inside the queries (visiblePlansWhere):
 * - participants: the plans they are a member of;
 * - partner focal points: the plans with a member of their own agency (and only those members' names);
 * - facilitators: the plans of the events they teach (read only);
 * - coordinators and admins: every plan;
 * - donors: never a plan, only counts (actionPlanCounts).
 * A plan the user may not see is 404 (its existence is private); one they may see but not change is 403.
 * Members change their plan; coordinators comment and keep the event's template; the partner
 * focal point validates items. Every change is in the audit log, with ids only.
 */

/** Events whose participants may write action plans: the training has taken place (or is under way). */
export const ACTION_PLAN_EVENT_STATUSES: readonly EventStatus[] = ["in_progress", "completed", "reported"];

/** A progress update's attachment may weigh this much (5 MB; the HTTP layer's limit follows it). */
export { ATTACHMENT_MAX_BYTES };

/**
 * A check-in reminder that is more than this many days overdue is not sent (the worker was down,
 * or the event is long past, as the demo's 2023 trainings are): a reminder months late would only
 * confuse. Only the latest check-in due is ever sent, so a late start never sends several at once.
 */
export const REMINDER_LATE_LIMIT_DAYS = 30;

export const ACTION_PLANS_PAGE_SIZE = 50;

const DAY_MS = 24 * 60 * 60 * 1000;

// ————————————————————————————————————————————————————————————————————————————————————————————
// Who may see and change what

const isManager = (user: SessionUser) => user.role === "admin" || user.role === "coordinator";

/** Correlated subqueries name the outer plan explicitly (see events.server.ts). */
const OUTER_PLAN_ID = sql.raw(`"action_plans"."id"`);

/** The plans (never templates) a user may read, as a condition on action_plans. */
export function visiblePlansWhere(user: SessionUser): SQL {
  const notTemplate = eq(actionPlans.isTemplate, false);
  switch (user.role) {
    case "admin":
    case "coordinator":
      return notTemplate;
    case "facilitator":
      return and(
        notTemplate,
        inArray(actionPlans.eventId, getDb().select({ id: events.id }).from(events).where(visibleEventsWhere(user))),
      )!;
    case "participant":
      return and(
        notTemplate,
        sql`exists (select 1 from ${actionPlanMembers} m join ${people} p on p.id = m.person_id
                    where m.plan_id = ${OUTER_PLAN_ID} and p.user_id = ${user.id})`,
      )!;
    case "partner":
      if (user.organisationId === null) return never();
      return and(
        notTemplate,
        sql`exists (select 1 from ${actionPlanMembers} m join ${people} p on p.id = m.person_id
                    where m.plan_id = ${OUTER_PLAN_ID} and p.organisation_id = ${user.organisationId})`,
      )!;
    case "donor":
      return never();
  }
}

/** Members whose names a user may read: a partner only sees its own agency's officers. */
function visibleMembersWhere(user: SessionUser): SQL | undefined {
  if (user.role !== "partner") return undefined;
  return user.organisationId === null ? never() : eq(people.organisationId, user.organisationId);
}

async function ownPersonId(db: Pick<Tx, "select">, user: SessionUser): Promise<number | null> {
  return firstRow(await db.select({ id: people.id }).from(people).where(eq(people.userId, user.id)).limit(1))?.id ?? null;
}

type PlanRow = { id: number; eventId: number; isTemplate: boolean; status: "draft" | "submitted"; title: string };

/** A plan the user may read (404 otherwise, also when it belongs to another event than the URL's). */
async function readablePlan(db: Pick<Tx, "select">, user: SessionUser, eventId: number, planId: number): Promise<PlanRow> {
  const plan = firstRow(await db
    .select({ id: actionPlans.id, eventId: actionPlans.eventId, isTemplate: actionPlans.isTemplate, status: actionPlans.status, title: actionPlans.title })
    .from(actionPlans)
    .where(and(eq(actionPlans.id, planId), eq(actionPlans.eventId, eventId), visiblePlansWhere(user))).limit(1));
  if (!plan) throw notFound();
  return plan;
}

async function isMember(db: Pick<Tx, "select">, user: SessionUser, planId: number) {
  if (user.role !== "participant") return false;
  return (
    firstRow(await db
      .select({ planId: actionPlanMembers.planId })
      .from(actionPlanMembers)
      .innerJoin(people, eq(people.id, actionPlanMembers.personId))
      .where(and(eq(actionPlanMembers.planId, planId), eq(people.userId, user.id))).limit(1)) !== undefined
  );
}

/** A plan its members may change: 404 when the user may not see it, 403 when they may see but not change it. */
async function changeablePlan(tx: Pick<Tx, "select">, user: SessionUser, eventId: number, planId: number) {
  const plan = await readablePlan(tx, user, eventId, planId);
  if (!(await isMember(tx, user, plan.id))) throw forbidden();
  return plan;
}

/** The event's template: coordinators and admins only; 404 for an event that does not exist. */
async function templateOf(db: Pick<Tx, "select">, eventId: number) {
  return firstRow(await db
    .select({ id: actionPlans.id, eventId: actionPlans.eventId, isTemplate: actionPlans.isTemplate, status: actionPlans.status, title: actionPlans.title })
    .from(actionPlans)
    .where(and(eq(actionPlans.eventId, eventId), eq(actionPlans.isTemplate, true)))
    .orderBy(asc(actionPlans.id)).limit(1));
}

function requireManager(user: SessionUser) {
  if (!isManager(user)) throw forbidden();
}

type EventRow = { id: number; title: string; status: EventStatus; timeZone: string; startDate: string; endDate: string };

/** An event the user may see (404 otherwise). */
async function visibleEvent(db: Pick<Tx, "select">, user: SessionUser, eventId: number): Promise<EventRow> {
  const event = firstRow(await db
    .select({ id: events.id, title: events.title, status: events.status, timeZone: events.timeZone, startDate: events.startDate, endDate: events.endDate })
    .from(events)
    .where(and(eq(events.id, eventId), visibleEventsWhere(user))).limit(1));
  if (!event) throw notFound();
  return event;
}

async function eventOf(db: Pick<Tx, "select">, eventId: number): Promise<EventRow> {
  const event = firstRow(await db
    .select({ id: events.id, title: events.title, status: events.status, timeZone: events.timeZone, startDate: events.startDate, endDate: events.endDate })
    .from(events)
    .where(eq(events.id, eventId)).limit(1));
  if (!event) throw notFound();
  return event;
}

/** Today's date in the event's zone (YYYY-MM-DD): what "overdue" is measured against. */
function todayIn(timeZone: string) {
  return dayInZone(now(), timeZone);
}

function isOverdue(item: { status: ActionItemStatus; targetDate: string | null }, today: string) {
  return item.status !== "done" && item.targetDate !== null && item.targetDate < today;
}

// ————————————————————————————————————————————————————————————————————————————————————————————
// Counting

/** Items by status, overdue, validated, and done but not yet validated by the partner focal point. */
export type ItemCounts = Record<ActionItemStatus, number> & { total: number; overdue: number; validated: number; awaitingValidation: number };

function emptyCounts(): ItemCounts {
  return { planned: 0, in_progress: 0, done: 0, blocked: 0, total: 0, overdue: 0, validated: 0, awaitingValidation: 0 };
}

function countInto(counts: ItemCounts, item: { status: ActionItemStatus; targetDate: string | null; validatedAt: Date | null }, today: string) {
  counts[item.status]++;
  counts.total++;
  if (isOverdue(item, today)) counts.overdue++;
  if (item.validatedAt) counts.validated++;
  else if (item.status === "done") counts.awaitingValidation++;
}

function addCounts(into: ItemCounts, counts: ItemCounts) {
  for (const key of Object.keys(counts) as (keyof ItemCounts)[]) into[key] += counts[key];
}

/** Items of these plans, for counting (status, target date, validated), with each plan's event zone. */
async function itemsOf(db: Pick<Tx, "select">, planIds: number[]) {
  if (planIds.length === 0) return [];
  return await db
    .select({
      planId: actionPlanItems.planId,
      status: actionPlanItems.status,
      targetDate: actionPlanItems.targetDate,
      validatedAt: actionPlanItems.validatedAt,
    })
    .from(actionPlanItems)
    .where(inArray(actionPlanItems.planId, planIds));
}

type PlanSummary = { id: number; eventId: number; title: string; status: "draft" | "submitted"; submittedAt: Date | null; updatedAt: Date };

/** Per-plan and overall item counts, "overdue" measured in each plan's event zone. */
async function countItems(db: Pick<Tx, "select">, plans: (PlanSummary & { timeZone: string })[]) {
  const byPlan = new Map<number, ItemCounts>(plans.map((p) => [p.id, emptyCounts()]));
  const today = new Map(plans.map((p) => [p.id, todayIn(p.timeZone)]));
  const overall = emptyCounts();
  for (const item of (await itemsOf(db, plans.map((p) => p.id)))) {
    countInto(byPlan.get(item.planId)!, item, today.get(item.planId)!);
    countInto(overall, item, today.get(item.planId)!);
  }
  return { byPlan, overall };
}

/** The latest progress update of each plan. */
async function lastUpdates(db: Pick<Tx, "select">, planIds: number[]) {
  if (planIds.length === 0) return new Map<number, Date>();
  const rows = await db
    .select({ planId: actionPlanItems.planId, at: sql<number>`max(${actionPlanUpdates.createdAt})`.mapWith(Number) })
    .from(actionPlanUpdates)
    .innerJoin(actionPlanItems, eq(actionPlanItems.id, actionPlanUpdates.itemId))
    .where(inArray(actionPlanItems.planId, planIds))
    .groupBy(actionPlanItems.planId);
  return new Map(rows.map((r) => [r.planId, new Date(r.at)]));
}

/** Members of these plans whose names the user may read; and how many members each plan has in all. */
async function membersOf(db: Pick<Tx, "select">, user: SessionUser, planIds: number[]) {
  const names = new Map<number, { personId: number; name: string; organisationName: string | null }[]>();
  const totals = new Map<number, number>();
  if (planIds.length === 0) return { names, totals };
  for (const row of (await db
    .select({ planId: actionPlanMembers.planId, n: countOf() })
    .from(actionPlanMembers)
    .where(inArray(actionPlanMembers.planId, planIds))
    .groupBy(actionPlanMembers.planId))) {
    totals.set(row.planId, row.n);
  }
  for (const row of (await db
    .select({
      planId: actionPlanMembers.planId,
      personId: people.id,
      givenName: people.givenName,
      familyName: people.familyName,
      organisationName: organisations.name,
    })
    .from(actionPlanMembers)
    .innerJoin(people, eq(people.id, actionPlanMembers.personId))
    .leftJoin(organisations, eq(organisations.id, people.organisationId))
    .where(and(inArray(actionPlanMembers.planId, planIds), visibleMembersWhere(user)))
    .orderBy(asc(people.familyName), asc(people.givenName)))) {
    const list = names.get(row.planId) ?? [];
    list.push({ personId: row.personId, name: `${row.givenName} ${row.familyName}`, organisationName: row.organisationName });
    names.set(row.planId, list);
  }
  return { names, totals };
}

// ————————————————————————————————————————————————————————————————————————————————————————————
// Overviews: per event, per agency, per person; counts for donors

/** The plan of this event the user is a member of, if any (for the participant's view of the tab). */
async function ownPlanOf(db: Pick<Tx, "select">, personId: number | null, eventId: number) {
  if (personId === null) return null;
  return (
    firstRow(await db
      .select({ id: actionPlans.id, title: actionPlans.title, status: actionPlans.status })
      .from(actionPlanMembers)
      .innerJoin(actionPlans, eq(actionPlans.id, actionPlanMembers.planId))
      .where(and(eq(actionPlanMembers.personId, personId), eq(actionPlans.eventId, eventId), eq(actionPlans.isTemplate, false)))
      .orderBy(asc(actionPlans.id)).limit(1)) ?? null
  );
}

/** Whether this person attended the event in the sense that lets them write a plan. */
async function attendance(db: Pick<Tx, "select">, personId: number | null, event: EventRow): Promise<"ok" | "didNotAttend" | "eventNotHeld"> {
  if (personId === null) return "didNotAttend";
  const registration = firstRow(await db
    .select({ id: registrations.id })
    .from(registrations)
    .where(
      and(
        eq(registrations.eventId, event.id),
        eq(registrations.personId, personId),
        eq(registrations.eventRole, "participant"),
        eq(registrations.status, "confirmed"),
      ),
    ).limit(1));
  if (!registration) return "didNotAttend";
  if (!ACTION_PLAN_EVENT_STATUSES.includes(event.status)) return "eventNotHeld";
  return "ok";
}

/**
 * The event's "Action plans" tab. Coordinators and admins see every plan; facilitators of the event
 * read them; a partner sees its agency's plans; a participant sees their own plan (or may start one).
 * Counts (plans submitted, items by status, overdue items) cover exactly the plans the user sees.
 */
export async function eventActionPlans(user: SessionUser, eventId: number, options: { page?: number } = {}) {
  if (user.role === "donor") throw forbidden();
  const db = getDb();
  const event = await visibleEvent(db, user, eventId);
  const plans = await db
    .select({
      id: actionPlans.id,
      eventId: actionPlans.eventId,
      title: actionPlans.title,
      status: actionPlans.status,
      submittedAt: actionPlans.submittedAt,
      updatedAt: actionPlans.updatedAt,
    })
    .from(actionPlans)
    .where(and(eq(actionPlans.eventId, eventId), visiblePlansWhere(user)))
    .orderBy(asc(actionPlans.title), asc(actionPlans.id));
  const { byPlan, overall } = await countItems(
    db,
    plans.map((p) => ({ ...p, timeZone: event.timeZone })),
  );
  const pageCount = Math.max(1, Math.ceil(plans.length / ACTION_PLANS_PAGE_SIZE));
  const page = Math.min(Math.max(1, Math.trunc(options.page ?? 1) || 1), pageCount);
  const shown = plans.slice((page - 1) * ACTION_PLANS_PAGE_SIZE, page * ACTION_PLANS_PAGE_SIZE);
  const { names, totals } = await membersOf(db, user, shown.map((p) => p.id));
  const updates = await lastUpdates(db, shown.map((p) => p.id));
  const personId = user.role === "participant" ? (await ownPersonId(db, user)) : null;
  const own = user.role === "participant" ? (await ownPlanOf(db, personId, eventId)) : null;
  const template = await templateOf(db, eventId);
  const templateItems = template
    ? firstRow(await db.select({ n: countOf() }).from(actionPlanItems).where(eq(actionPlanItems.planId, template.id)).limit(1))?.n ?? 0
    : 0;
  return {
    event: { id: event.id, title: event.title, status: event.status, timeZone: event.timeZone, startDate: event.startDate, endDate: event.endDate },
    today: todayIn(event.timeZone),
    counts: {
      plans: plans.length,
      submitted: plans.filter((p) => p.status === "submitted").length,
      draft: plans.filter((p) => p.status === "draft").length,
      items: overall,
    },
    plans: shown.map((p) => {
      const members = names.get(p.id) ?? [];
      return {
        id: p.id,
        title: p.title,
        status: p.status,
        submittedAt: p.submittedAt,
        lastUpdateAt: updates.get(p.id) ?? null,
        members,
        otherMembers: (totals.get(p.id) ?? 0) - members.length,
        items: byPlan.get(p.id)!,
      };
    }),
    page,
    pageCount,
    /** the participant's own plan of this event */
    own,
    /** may this user start a plan here (a participant who attended and has none yet; a coordinator for participants) */
    canCreate: user.role === "participant" ? own === null && (await attendance(db, personId, event)) === "ok" : isManager(user) && ACTION_PLAN_EVENT_STATUSES.includes(event.status),
    attendance: user.role === "participant" ? (await attendance(db, personId, event)) : null,
    canManageTemplate: isManager(user),
    template: template ? { id: template.id, title: template.title, items: templateItems } : null,
    /** days after the last day at which check-in reminders go out (coordinators and admins; null for others) */
    checkInDays: isManager(user) ? (firstRow(await db.select({ days: events.checkInDays }).from(events).where(eq(events.id, eventId)).limit(1))?.days ?? []) : null,
    role: user.role,
  };
}

/**
 * A page of an event's action plans for the API, in id order after `after`: the plans the user
 * may read (the tab's rights: 403 for donors, 404 for an event they may not see), each with its
 * status, members (a partner sees its own agency's) and its items counted by status.
 */
export async function apiEventActionPlans(user: SessionUser, eventId: number, after: number | null, limit: number) {
  if (user.role === "donor") throw forbidden();
  const db = getDb();
  const event = await visibleEvent(db, user, eventId);
  const plans = await db
    .select({ id: actionPlans.id, eventId: actionPlans.eventId, title: actionPlans.title, status: actionPlans.status, submittedAt: actionPlans.submittedAt, updatedAt: actionPlans.updatedAt })
    .from(actionPlans)
    .where(and(eq(actionPlans.eventId, eventId), visiblePlansWhere(user), after === null ? undefined : sql`${actionPlans.id} > ${after}`))
    .orderBy(asc(actionPlans.id))
    .limit(limit + 1);
  const shown = plans.slice(0, limit);
  const { byPlan } = await countItems(db, shown.map((p) => ({ ...p, timeZone: event.timeZone })));
  const { names, totals } = await membersOf(db, user, shown.map((p) => p.id));
  return plans.map((p) => {
    const members = names.get(p.id) ?? [];
    return {
      id: p.id,
      title: p.title,
      status: p.status,
      submittedAt: p.submittedAt ? p.submittedAt.toISOString() : null,
      updatedAt: p.updatedAt.toISOString(),
      members: members.map((m) => ({ personId: m.personId, name: m.name, organisation: m.organisationName })),
      otherMembers: (totals.get(p.id) ?? 0) - members.length,
      items: byPlan.get(p.id) ?? emptyCounts(),
    };
  });
}

/** One action plan for the API: its items and their status (the plan page's rights; no progress notes or files). */
export async function apiActionPlan(user: SessionUser, eventId: number, planId: number) {
  // donors read plans as counts in the reports only (as the plan page: 403)
  if (user.role === "donor") throw forbidden();
  const { plan, members, otherMembers, items } = await getActionPlan(user, eventId, planId);
  return {
    id: plan.id,
    title: plan.title,
    status: plan.status,
    submittedAt: plan.submittedAt ? plan.submittedAt.toISOString() : null,
    updatedAt: plan.updatedAt.toISOString(),
    members: members.map((m) => ({ personId: m.personId, name: m.name, organisation: m.organisationName })),
    otherMembers,
    items: items.map((i) => ({
      id: i.id,
      position: i.position,
      action: i.action,
      targetDate: i.targetDate,
      responsible: i.responsible,
      indicator: i.indicator,
      status: i.status,
      overdue: i.overdue,
      validatedAt: i.validatedAt ? i.validatedAt.toISOString() : null,
    })),
  };
}

const planUrl = (p: { id: number; eventId: number }) => `/events/${p.eventId}/action-plans/${p.id}`;

type Db = ReturnType<typeof getDb>;

/** The time zones of these events (of every event without `eventIds`). */
async function zonesOf(db: Db, eventIds?: SQL) {
  return (await queryAll<{ tz: string }>(db, sql`select distinct time_zone as tz from ${events} ${eventIds ? sql`where ${events.id} in (${eventIds})` : sql``}`)).map((z) => z.tz);
}

/** Today in each of these zones, and in UTC. */
const zoneTodays = (zones: string[]) => new Map([...zones, "UTC"].map((tz) => [tz, todayIn(tz)]));

/**
 * Item figures (ItemCounts) measured today, as SQL aggregates: `cte` is a `zone_today(tz, today)`
 * common table (today in each of `zones` and in UTC), `items` the aggregates over `i`
 * (action_plan_items) with the plan's event joined as "events". "Overdue" is
 * measured in the event's own zone: an item due before the earliest of these days is overdue
 * everywhere, one due on or after the latest nowhere, and only those in between (a day at most)
 * look their event's zone up. `zones`: the zones of the events counted (zonesOf).
 */
function itemFigures(zones: string[]) {
  const todays = zoneTodays(zones);
  const days = [...todays.values()].sort();
  const [first, last, utc] = [days[0], days[days.length - 1], todays.get("UTC")!];
  const cte = sql`zone_today(tz, today) as materialized (values ${sql.join(
    [...todays].map(([tz, today]) => sql`(${tz}, ${today})`),
    sql`, `,
  )})`;
  const zoneToday = sql`coalesce((select today from zone_today where tz = ${sql.raw(`"events"."time_zone"`)}), ${utc})`;
  const items = sql`${countOf(sql`i.id`)} as "total",
    ${countWhere(sql`i.status = 'planned'`)} as "planned",
    ${countWhere(sql`i.status = 'in_progress'`)} as "in_progress",
    ${countWhere(sql`i.status = 'done'`)} as "done",
    ${countWhere(sql`i.status = 'blocked'`)} as "blocked",
    ${sumOf(sql`case when i.status = 'done' or i.target_date is null then 0
                      when i.target_date < ${first} then 1
                      when i.target_date >= ${last} then 0
                      when i.target_date < ${zoneToday} then 1 else 0 end`)} as "overdue",
    ${countWhere(sql`i.validated_at is not null`)} as "validated",
    ${countWhere(sql`i.validated_at is null and i.status = 'done'`)} as "awaitingValidation"`;
  return { cte, items };
}

/** The ItemCounts of a row selected with itemFigures().items. */
function countsOf(row: ItemCounts | undefined): ItemCounts {
  const counts = emptyCounts();
  if (row) for (const key of Object.keys(counts) as (keyof ItemCounts)[]) counts[key] = Number(row[key] ?? 0);
  return counts;
}

/** The ids of the plans with a member of this agency (callers keep templates out). */
const agencyPlanIds = (organisationId: number) =>
  sql`select m.plan_id from ${actionPlanMembers} m join ${people} p on p.id = m.person_id where p.organisation_id = ${organisationId}`;

/** The events of these plans. */
const agencyEventIds = (organisationId: number) =>
  sql`select ap.event_id from ${actionPlans} ap where ap.is_template = false and ap.id in (${agencyPlanIds(organisationId)})`;

/** The agency whose plans the user may read: a partner only ever its own; coordinators and admins any. Others: 403. */
async function agencyFor(db: Db, user: SessionUser, organisationId?: number) {
  const orgId = user.role === "partner" ? user.organisationId : isManager(user) ? (organisationId ?? null) : undefined;
  if (orgId === undefined) throw forbidden();
  if (orgId === null) throw notFound();
  const organisation = firstRow(await db
    .select({ id: organisations.id, name: organisations.name, country: organisations.country })
    .from(organisations)
    .where(eq(organisations.id, orgId)).limit(1));
  if (!organisation) throw notFound();
  return organisation;
}

/** Item figures of each of these plans (a page of them), overdue in each plan's event zone. */
async function itemCountsOf(db: Db, figures: ReturnType<typeof itemFigures>, planIds: number[]) {
  const byPlan = new Map<number, ItemCounts>();
  if (planIds.length === 0) return byPlan;
  const rows = await queryAll<ItemCounts & { planId: number }>(db, sql`with ${figures.cte}
    select i.plan_id as "planId", ${figures.items}
    from ${actionPlanItems} i
    join ${actionPlans} ap on ap.id = i.plan_id
    join ${events} on ${events.id} = ap.event_id
    where i.plan_id in (${sql.join(
      planIds.map((id) => sql`${id}`),
      sql`, `,
    )})
    group by i.plan_id`);
  for (const row of rows) byPlan.set(row.planId, countsOf(row));
  return byPlan;
}

/**
 * One agency's overview (/action-plans): totals, each training with plans of the agency's officers
 * (plans, submitted, items by status, overdue, validated), and each officer's plan with its figures,
 * a page at a time. A partner only ever gets its own agency (and only its officers' names);
 * coordinators and admins may ask for any agency. Others: 403.
 * Everything is counted in SQL; only the page of officer rows is read, with its plans' figures.
 */
export async function agencyActionPlans(user: SessionUser, organisationId?: number, options: { page?: number } = {}) {
  const db = getDb();
  const organisation = await agencyFor(db, user, organisationId);
  const orgId = organisation.id;
  const figures = itemFigures(await zonesOf(db, agencyEventIds(orgId)));

  // each training with plans of the agency's officers, newest first (then as its first plan by title), with its figures
  const eventRows = await queryAll<ItemCounts & { eventId: number; title: string; startDate: string; endDate: string; plans: number; submitted: number }>(db, sql`with ${figures.cte}
    select ${events.id} as "eventId", ${events.title} as "title", ${events.startDate} as "startDate", ${events.endDate} as "endDate",
           ${countDistinct(sql`ap.id`)} as "plans",
           ${countDistinct(sql`case when ap.status = 'submitted' then ap.id end`)} as "submitted",
           ${figures.items}
    from ${actionPlans} ap
    join ${events} on ${events.id} = ap.event_id
    left join ${actionPlanItems} i on i.plan_id = ap.id
    where ap.is_template = false and ap.id in (${agencyPlanIds(orgId)})
    group by ${events.id}
    order by ${events.startDate} desc, min(ap.title), ${events.id}`);
  const byEvent = eventRows.map((e) => ({
    eventId: e.eventId,
    title: e.title,
    startDate: e.startDate,
    endDate: e.endDate,
    plans: e.plans,
    submitted: e.submitted,
    items: countsOf(e),
  }));
  const overall = emptyCounts();
  for (const e of byEvent) addCounts(overall, e.items);

  // one row per officer of the agency and plan, newest training first, then by plan, then by name
  const officerRows = sql`from ${actionPlanMembers} m
    join ${people} p on p.id = m.person_id
    join ${actionPlans} ap on ap.id = m.plan_id
    join ${events} on ${events.id} = ap.event_id
    where p.organisation_id = ${orgId} and ap.is_template = false`;
  const counted = await queryOne<{ rows: number; officers: number }>(db, sql`select ${countOf()} as "rows", ${countDistinct(sql`m.person_id`)} as "officers" ${officerRows}`);
  const pageCount = Math.max(1, Math.ceil((counted?.rows ?? 0) / ACTION_PLANS_PAGE_SIZE));
  const page = Math.min(Math.max(1, Math.trunc(options.page ?? 1) || 1), pageCount);
  const shown = await queryAll<{
    planId: number;
    personId: number;
    givenName: string;
    familyName: string;
    position: string | null;
    title: string;
    status: "draft" | "submitted";
    submittedAt: number | null;
    eventId: number;
    eventTitle: string;
    startDate: string;
    endDate: string;
    timeZone: string;
  }>(db, sql`select m.plan_id as "planId", p.id as "personId", p.given_name as "givenName", p.family_name as "familyName", p.position as "position",
           ap.title as "title", ap.status as "status", ap.submitted_at as "submittedAt",
           ${events.id} as "eventId", ${events.title} as "eventTitle", ${events.startDate} as "startDate", ${events.endDate} as "endDate", ${events.timeZone} as "timeZone"
    ${officerRows}
    order by ${events.startDate} desc, ap.title, ap.id, p.family_name, p.given_name, p.id
    limit ${ACTION_PLANS_PAGE_SIZE} offset ${(page - 1) * ACTION_PLANS_PAGE_SIZE}`);
  const planIds = [...new Set(shown.map((m) => m.planId))];
  const byPlan = await itemCountsOf(db, figures, planIds);
  const updates = await lastUpdates(db, planIds);
  return {
    organisation,
    totals: {
      plans: byEvent.reduce((sum, e) => sum + e.plans, 0),
      submitted: byEvent.reduce((sum, e) => sum + e.submitted, 0),
      officers: counted?.officers ?? 0,
      items: overall,
    },
    events: byEvent,
    officers: shown.map((m) => ({
      personId: m.personId,
      name: `${m.givenName} ${m.familyName}`,
      position: m.position,
      plan: { id: m.planId, title: m.title, status: m.status, submittedAt: m.submittedAt === null ? null : new Date(m.submittedAt), url: planUrl({ id: m.planId, eventId: m.eventId }) },
      event: { id: m.eventId, title: m.eventTitle, startDate: m.startDate, endDate: m.endDate, timeZone: m.timeZone },
      items: byPlan.get(m.planId) ?? emptyCounts(),
      lastUpdateAt: updates.get(m.planId) ?? null,
    })),
    page,
    pageCount,
  };
}

/**
 * The partner's home page card: how many plans the agency has, how many items await validation and
 * how many are overdue, and the first `limit` plans (newest training first) with items awaiting
 * validation — the same figures as the agency's overview, without reading its plans.
 */
export async function agencyPlansToValidate(user: SessionUser, limit: number) {
  const db = getDb();
  const orgId = (await agencyFor(db, user)).id;
  const figures = itemFigures(await zonesOf(db, agencyEventIds(orgId)));
  const totals = await queryOne<ItemCounts & { plans: number }>(db, sql`with ${figures.cte}
    select ${countDistinct(sql`ap.id`)} as "plans", ${figures.items}
    from ${actionPlans} ap
    join ${events} on ${events.id} = ap.event_id
    left join ${actionPlanItems} i on i.plan_id = ap.id
    where ap.is_template = false and ap.id in (${agencyPlanIds(orgId)})`);
  const toValidate = await queryAll<{ id: number; title: string; eventId: number; eventTitle: string; awaitingValidation: number }>(db, sql`
    select ap.id as "id", ap.title as "title", ${events.id} as "eventId", ${events.title} as "eventTitle", ${countOf()} as "awaitingValidation"
    from ${actionPlans} ap
    join ${events} on ${events.id} = ap.event_id
    join ${actionPlanItems} i on i.plan_id = ap.id
    where ap.is_template = false and ap.id in (${agencyPlanIds(orgId)}) and i.status = 'done' and i.validated_at is null
    group by ap.id, ${events.id}
    order by ${events.startDate} desc, ap.title, ap.id
    limit ${limit}`);
  const items = countsOf(totals);
  return {
    plans: totals?.plans ?? 0,
    awaitingValidation: items.awaitingValidation,
    overdue: items.overdue,
    toValidate: toValidate.map((p) => ({ id: p.id, title: p.title, eventTitle: p.eventTitle, url: planUrl(p), awaitingValidation: p.awaitingValidation })),
  };
}

/**
 * Coordinators' and admins' view of every agency (/action-plans): for each organisation with an
 * officer in a plan, how many officers and plans, submitted plans, items by status, overdue and
 * validated. A plan written by officers of two agencies counts for each; the totals count it once.
 * Counted in SQL: each plan's item figures once, then summed per agency and overall. That reads
 * every plan (a second at 200,000), so the figures are kept, with the action plans' data version
 * and the days they were counted at, until a write moves that version (the triggers of migration
 * 0012 cover plans, items, members, officers' organisations, organisations' names and countries,
 * and events' time zones) or a day turns in one of the events' zones ("overdue"). Registrations
 * and attendance do not move it.
 */
export async function agenciesActionPlans(user: SessionUser) {
  if (!isManager(user)) throw forbidden();
  const db = getDb();
  // the version is read before counting: a write landing meanwhile only makes the entry look older
  const version = await actionPlansVersion(db);
  const kept = agenciesCache.get(db.$client);
  if (kept && kept.version === version && kept.days === JSON.stringify([...zoneTodays(kept.zones)])) return kept.figures;
  const zones = await zonesOf(db);
  const figures = await countAgencies(db, zones);
  agenciesCache.set(db.$client, { version, zones, days: JSON.stringify([...zoneTodays(zones)]), figures });
  return figures;
}

/** The all-agency figures per database connection (see agenciesActionPlans). */
const agenciesCache = new WeakMap<object, { version: number; zones: string[]; days: string; figures: Awaited<ReturnType<typeof countAgencies>> }>();

async function countAgencies(db: Db, zones: string[]) {
  const figures = itemFigures(zones);
  // pc's columns are quoted: PostgreSQL folds unquoted names to lower case
  const sums = sql`${sumOf(sql`pc."total"`)} as "total", ${sumOf(sql`pc."planned"`)} as "planned", ${sumOf(sql`pc."in_progress"`)} as "in_progress",
    ${sumOf(sql`pc."done"`)} as "done", ${sumOf(sql`pc."blocked"`)} as "blocked", ${sumOf(sql`pc."overdue"`)} as "overdue",
    ${sumOf(sql`pc."validated"`)} as "validated", ${sumOf(sql`pc."awaitingValidation"`)} as "awaitingValidation",
    ${countOf()} as "plans", ${countWhere(sql`pc.status = 'submitted'`)} as "submitted"`;
  type Row = ItemCounts & { id: number | null; name: string | null; country: string | null; officers: number; plans: number; submitted: number };
  // the first row: every plan once; then one row per agency, by name
  const rows = await queryAll<Row>(db, sql`with ${figures.cte},
    plan_counts as (
      select ap.id as plan_id, ap.status as status, ${figures.items}
      from ${actionPlans} ap
      join ${events} on ${events.id} = ap.event_id
      left join ${actionPlanItems} i on i.plan_id = ap.id
      where ap.is_template = false
      group by ap.id
    ),
    officers as materialized (
      select p.organisation_id as organisation_id, m.plan_id as plan_id, m.person_id as person_id
      from ${actionPlanMembers} m
      join ${people} p on p.id = m.person_id
      join ${actionPlans} ap on ap.id = m.plan_id
      where p.organisation_id is not null and ap.is_template = false
    ),
    agency_officers as (select organisation_id, ${countDistinct(sql`person_id`)} as n from officers group by organisation_id),
    agency_sums as (
      select a.organisation_id as organisation_id, ${sums}
      from (select distinct organisation_id, plan_id from officers) a
      join plan_counts pc on pc.plan_id = a.plan_id
      group by a.organisation_id
    )
    select * from (
      select cast(null as integer) as "id", cast(null as text) as "name", cast(null as text) as "country", 0 as "officers", ${sums}
      from plan_counts pc
      union all
      select o.id, o.name, o.country, ao.n, s."total", s."planned", s."in_progress", s."done", s."blocked", s."overdue", s."validated", s."awaitingValidation", s."plans", s."submitted"
      from agency_sums s
      join ${organisations} o on o.id = s.organisation_id
      join agency_officers ao on ao.organisation_id = s.organisation_id
    ) as figures
    order by "id" is not null, "name", "id"`);
  const [totalsRow, ...agencyRows] = rows;
  agencyRows.sort((a, b) => (a.name! < b.name! ? -1 : a.name! > b.name! ? 1 : a.id! - b.id!));
  return {
    totals: {
      agencies: agencyRows.length,
      plans: totalsRow?.plans ?? 0,
      submitted: totalsRow?.submitted ?? 0,
      items: countsOf(totalsRow),
    },
    agencies: agencyRows.map((a) => ({ id: a.id!, name: a.name!, country: a.country, officers: a.officers, plans: a.plans, submitted: a.submitted, items: countsOf(a) })),
  };
}

/**
 * The /action-plans page, by role: a participant's own plans; a partner's agency; for coordinators
 * and admins every agency, or the one they picked. Facilitators read plans on their events' tabs,
 * donors only ever get counts (reports): both 403 here.
 */
export async function actionPlansOverview(user: SessionUser, options: { organisationId?: number; page?: number } = {}) {
  switch (user.role) {
    case "participant": {
      const plans = await myActionPlans(user);
      const items = emptyCounts();
      for (const p of plans) addCounts(items, p.items);
      return { view: "person" as const, plans, totals: { plans: plans.length, open: plans.reduce((sum, p) => sum + p.open, 0), items } };
    }
    case "partner":
      if (user.organisationId === null) return { view: "noAgency" as const };
      return { view: "agency" as const, canPickAgency: false, ...(await agencyActionPlans(user, undefined, { page: options.page })) };
    case "admin":
    case "coordinator":
      if (options.organisationId !== undefined) {
        return { view: "agency" as const, canPickAgency: true, ...(await agencyActionPlans(user, options.organisationId, { page: options.page })) };
      }
      return { view: "agencies" as const, ...(await agenciesActionPlans(user)) };
    default:
      throw forbidden();
  }
}

/** The plans the signed-in person is a member of, newest event first, with their progress (for /me). */
export async function myActionPlans(user: SessionUser) {
  const db = getDb();
  const personId = await ownPersonId(db, user);
  if (personId === null) return [];
  const plans = await db
    .select({
      id: actionPlans.id,
      eventId: actionPlans.eventId,
      title: actionPlans.title,
      status: actionPlans.status,
      submittedAt: actionPlans.submittedAt,
      updatedAt: actionPlans.updatedAt,
      timeZone: events.timeZone,
      eventTitle: events.title,
      startDate: events.startDate,
      endDate: events.endDate,
    })
    .from(actionPlanMembers)
    .innerJoin(actionPlans, eq(actionPlans.id, actionPlanMembers.planId))
    .innerJoin(events, eq(events.id, actionPlans.eventId))
    .where(and(eq(actionPlanMembers.personId, personId), eq(actionPlans.isTemplate, false)))
    .orderBy(desc(events.startDate), asc(actionPlans.id));
  const { byPlan } = await countItems(db, plans);
  return plans.map((p) => {
    const items = byPlan.get(p.id)!;
    return {
      id: p.id,
      eventId: p.eventId,
      title: p.title,
      status: p.status,
      eventTitle: p.eventTitle,
      startDate: p.startDate,
      endDate: p.endDate,
      items,
      open: items.total - items.done,
      url: planUrl(p),
    };
  });
}

/**
 * Counts only — never a title, an item or a name — over the events the user may see (a donor: the
 * programmes it funds): plans, submitted plans, items by status, overdue and validated items.
 */
export async function actionPlanCounts(user: SessionUser, filter: { eventId?: number; programmeId?: number } = {}) {
  const db = getDb();
  const plans = await db
    .select({
      id: actionPlans.id,
      eventId: actionPlans.eventId,
      title: actionPlans.title,
      status: actionPlans.status,
      submittedAt: actionPlans.submittedAt,
      updatedAt: actionPlans.updatedAt,
      timeZone: events.timeZone,
    })
    .from(actionPlans)
    .innerJoin(events, eq(events.id, actionPlans.eventId))
    .where(
      and(
        eq(actionPlans.isTemplate, false),
        visibleEventsWhere(user),
        filter.eventId === undefined ? undefined : eq(events.id, filter.eventId),
        filter.programmeId === undefined ? undefined : eq(events.programmeId, filter.programmeId),
      ),
    );
  const { overall } = await countItems(db, plans);
  return { plans: plans.length, submitted: plans.filter((p) => p.status === "submitted").length, items: overall };
}

// ————————————————————————————————————————————————————————————————————————————————————————————
// One plan

const author = alias(users, "author");
const validator = alias(users, "validator");

/**
 * One plan as its reader may see it: items (in order) with their dated progress updates and
 * attachments, the coordinators' comments, and what this user may do with it.
 */
export async function getActionPlan(user: SessionUser, eventId: number, planId: number) {
  const db = getDb();
  const plan = await readablePlan(db, user, eventId, planId);
  const event = await eventOf(db, plan.eventId);
  const row = firstRow(await db
    .select({ submittedAt: actionPlans.submittedAt, createdAt: actionPlans.createdAt, updatedAt: actionPlans.updatedAt })
    .from(actionPlans)
    .where(eq(actionPlans.id, plan.id)).limit(1))!;
  const { names, totals } = await membersOf(db, user, [plan.id]);
  const members = names.get(plan.id) ?? [];
  const today = todayIn(event.timeZone);
  const items = await db
    .select({
      id: actionPlanItems.id,
      position: actionPlanItems.position,
      action: actionPlanItems.action,
      targetDate: actionPlanItems.targetDate,
      responsible: actionPlanItems.responsible,
      indicator: actionPlanItems.indicator,
      status: actionPlanItems.status,
      validatedAt: actionPlanItems.validatedAt,
      validatedBy: validator.name,
    })
    .from(actionPlanItems)
    .leftJoin(validator, eq(validator.id, actionPlanItems.validatedByUserId))
    .where(eq(actionPlanItems.planId, plan.id))
    .orderBy(asc(actionPlanItems.position), asc(actionPlanItems.id));
  const itemIds = items.map((i) => i.id);
  // a partner reads authors' names only for its own agency's members (and staff)
  const visibleMemberUserIds = new Set(
    (await db
      .select({ userId: people.userId })
      .from(actionPlanMembers)
      .innerJoin(people, eq(people.id, actionPlanMembers.personId))
      .where(and(eq(actionPlanMembers.planId, plan.id), visibleMembersWhere(user))))
      .map((r) => r.userId),
  );
  const updates =
    itemIds.length === 0
      ? []
      : (await db
          .select({
            id: actionPlanUpdates.id,
            itemId: actionPlanUpdates.itemId,
            note: actionPlanUpdates.note,
            statusAfter: actionPlanUpdates.statusAfter,
            attachmentName: actionPlanUpdates.attachmentName,
            createdAt: actionPlanUpdates.createdAt,
            authorUserId: actionPlanUpdates.authorUserId,
            authorName: author.name,
            authorRole: author.role,
          })
          .from(actionPlanUpdates)
          .leftJoin(author, eq(author.id, actionPlanUpdates.authorUserId))
          .where(inArray(actionPlanUpdates.itemId, itemIds))
          .orderBy(asc(actionPlanUpdates.createdAt), asc(actionPlanUpdates.id)));
  const authorShown = (u: { authorUserId: string | null; authorName: string | null; authorRole: string | null }) =>
    user.role !== "partner" || u.authorRole !== "participant" || visibleMemberUserIds.has(u.authorUserId) ? u.authorName : null;
  const comments = await db
    .select({ id: actionPlanComments.id, body: actionPlanComments.body, createdAt: actionPlanComments.createdAt, authorName: author.name })
    .from(actionPlanComments)
    .leftJoin(author, eq(author.id, actionPlanComments.authorUserId))
    .where(eq(actionPlanComments.planId, plan.id))
    .orderBy(asc(actionPlanComments.createdAt), asc(actionPlanComments.id));
  const member = await isMember(db, user, plan.id);
  return {
    event: { id: event.id, title: event.title, timeZone: event.timeZone, startDate: event.startDate, endDate: event.endDate },
    plan: { id: plan.id, title: plan.title, status: plan.status, submittedAt: row.submittedAt, createdAt: row.createdAt, updatedAt: row.updatedAt },
    members,
    otherMembers: (totals.get(plan.id) ?? 0) - members.length,
    today,
    items: items.map((item) => ({
      ...item,
      overdue: isOverdue(item, today),
      updates: updates
        .filter((u) => u.itemId === item.id)
        .map((u) => ({
          id: u.id,
          note: u.note,
          statusAfter: u.statusAfter,
          createdAt: u.createdAt,
          authorName: authorShown(u),
          // names stored before they were cleaned on upload are cleaned on the way out
          attachmentName: u.attachmentName === null ? null : cleanAttachmentName(u.attachmentName),
          attachmentUrl: u.attachmentName ? `/action-plan-attachments/${u.id}` : null,
        })),
    })),
    comments,
    can: {
      edit: member,
      submit: member && plan.status === "draft" && items.length > 0,
      comment: isManager(user),
      validate: user.role === "partner",
    },
  };
}

// ————————————————————————————————————————————————————————————————————————————————————————————
// Creating a plan

/**
 * What the "write an action plan" page needs: the template to start from, whether the user may
 * write a plan here (and why not), and whom they may add as co-authors — for a participant, the
 * other confirmed participants of the event from their own agency without a plan yet; for a
 * coordinator, every confirmed participant without a plan.
 */
export async function planCreationForm(user: SessionUser, eventId: number) {
  if (user.role !== "participant" && !isManager(user)) throw forbidden();
  const db = getDb();
  const event = await visibleEvent(db, user, eventId);
  const template = await templateOf(db, eventId);
  const templateItems = template ? (await itemsOfTemplate(db, template.id)).map(({ id: _id, ...item }) => item) : [];
  const personId = user.role === "participant" ? (await ownPersonId(db, user)) : null;
  const own = user.role === "participant" ? (await ownPlanOf(db, personId, eventId)) : null;
  const eligibility = user.role === "participant" ? (await attendance(db, personId, event)) : ACTION_PLAN_EVENT_STATUSES.includes(event.status) ? "ok" : "eventNotHeld";
  let candidates: { personId: number; name: string; organisationName: string | null }[] = [];
  if (eligibility === "ok" && own === null) {
    const organisationId =
      personId === null ? null : (firstRow(await db.select({ organisationId: people.organisationId }).from(people).where(eq(people.id, personId)).limit(1))?.organisationId ?? null);
    if (user.role !== "participant" || organisationId !== null) {
      candidates = (await db
        .select({ personId: people.id, givenName: people.givenName, familyName: people.familyName, organisationName: organisations.name })
        .from(registrations)
        .innerJoin(people, eq(people.id, registrations.personId))
        .leftJoin(organisations, eq(organisations.id, people.organisationId))
        .where(
          and(
            eq(registrations.eventId, eventId),
            eq(registrations.eventRole, "participant"),
            eq(registrations.status, "confirmed"),
            user.role === "participant" ? and(eq(people.organisationId, organisationId!), ne(people.id, personId!)) : undefined,
            sql`not exists (select 1 from ${actionPlanMembers} m join ${actionPlans} ap on ap.id = m.plan_id
                            where m.person_id = ${people.id} and ap.event_id = ${eventId} and ap.is_template = false)`,
          ),
        )
        .orderBy(asc(people.familyName), asc(people.givenName)))
        .map((r) => ({ personId: r.personId, name: `${r.givenName} ${r.familyName}`, organisationName: r.organisationName }));
    }
  }
  return {
    event: { id: event.id, title: event.title, status: event.status, timeZone: event.timeZone, startDate: event.startDate, endDate: event.endDate },
    template: template ? { title: template.title, items: templateItems } : null,
    eligibility,
    own,
    forCoordinator: isManager(user),
    candidates,
  };
}

async function namesOf(db: Pick<Tx, "select">, personIds: number[]) {
  if (personIds.length === 0) return "";
  return (await db
    .select({ givenName: people.givenName, familyName: people.familyName })
    .from(people)
    .where(inArray(people.id, personIds))
    .orderBy(asc(people.familyName)))
    .map((p) => `${p.givenName} ${p.familyName}`)
    .join(", ");
}

function checkTargetDate(event: { startDate: string }, targetDate: string | null) {
  if (targetDate !== null && targetDate < event.startDate) {
    throw new FieldError("targetDate", "actionPlans.errors.targetBeforeEvent");
  }
}

/**
 * Start a plan for an event. A participant writes their own (with co-authors from their agency who
 * also attended); a coordinator may enter one for any participants of the event (a plan written on
 * paper during the workshop). Every member must be a confirmed participant of an event that has
 * taken place, and may belong to one plan per event. `fromTemplate` copies the event's template items.
 */
export async function createActionPlan(actor: Actor, eventId: number, input: { title: string; memberPersonIds: number[]; fromTemplate: boolean }) {
  const { user } = actor;
  if (user.role !== "participant" && !isManager(user)) throw forbidden();
  return await getDb().transaction(
    async (tx) => {
      const event = await visibleEvent(tx, user, eventId);
      let members: number[];
      if (user.role === "participant") {
        const personId = await ownPersonId(tx, user);
        const state = await attendance(tx, personId, event);
        if (state !== "ok") throw new FieldError("form", `actionPlans.errors.${state}`);
        members = [personId!, ...input.memberPersonIds.filter((id) => id !== personId)];
        const others = members.slice(1);
        if (others.length > 0) {
          const organisationId = firstRow(await tx.select({ organisationId: people.organisationId }).from(people).where(eq(people.id, personId!)).limit(1))?.organisationId ?? null;
          const colleagues = await tx
            .select({ id: people.id })
            .from(people)
            .where(and(inArray(people.id, others), organisationId === null ? never() : eq(people.organisationId, organisationId)));
          if (colleagues.length !== others.length) throw new FieldError("memberPersonIds", "actionPlans.errors.coAuthorOtherAgency");
        }
      } else {
        if (!ACTION_PLAN_EVENT_STATUSES.includes(event.status)) throw new FieldError("form", "actionPlans.errors.eventNotHeld");
        members = [...new Set(input.memberPersonIds)];
        if (members.length === 0) throw new FieldError("memberPersonIds", "actionPlans.errors.noMembers");
      }
      const attendees = (await tx
        .select({ personId: registrations.personId })
        .from(registrations)
        .where(
          and(
            eq(registrations.eventId, eventId),
            inArray(registrations.personId, members),
            eq(registrations.eventRole, "participant"),
            eq(registrations.status, "confirmed"),
          ),
        ))
        .map((r) => r.personId);
      const absent = members.filter((id) => !attendees.includes(id));
      if (absent.length > 0) throw new FieldError("memberPersonIds", "actionPlans.errors.memberDidNotAttend", { names: await namesOf(tx, absent) });
      const taken = (await tx
        .select({ personId: actionPlanMembers.personId })
        .from(actionPlanMembers)
        .innerJoin(actionPlans, eq(actionPlans.id, actionPlanMembers.planId))
        .where(and(eq(actionPlans.eventId, eventId), eq(actionPlans.isTemplate, false), inArray(actionPlanMembers.personId, members))))
        .map((r) => r.personId);
      if (taken.length > 0) {
        throw new FieldError(user.role === "participant" && taken.includes(members[0]) ? "form" : "memberPersonIds", "actionPlans.errors.alreadyHasPlan", {
          names: await namesOf(tx, [...new Set(taken)]),
        });
      }
      const at = now();
      const plan = (await tx
        .insert(actionPlans)
        .values({ eventId, title: input.title, status: "draft", isTemplate: false, createdAt: at, updatedAt: at })
        .returning({ id: actionPlans.id }))[0];
      for (const personId of members) await tx.insert(actionPlanMembers).values({ planId: plan.id, personId });
      let copied = 0;
      const template = input.fromTemplate ? (await templateOf(tx, eventId)) : undefined;
      if (template) {
        const items = await tx
          .select()
          .from(actionPlanItems)
          .where(eq(actionPlanItems.planId, template.id))
          .orderBy(asc(actionPlanItems.position), asc(actionPlanItems.id));
        for (const item of items) {
          await tx.insert(actionPlanItems)
            .values({
              planId: plan.id,
              position: copied,
              action: item.action,
              targetDate: item.targetDate !== null && item.targetDate >= event.startDate ? item.targetDate : null,
              responsible: item.responsible,
              indicator: item.indicator,
              status: "planned",
              createdAt: at,
              updatedAt: at,
            });
          copied++;
        }
      }
      await recordAudit(tx, {
        userId: user.id,
        ip: actor.ip,
        action: "action_plan.create",
        entityType: "action_plan",
        entityId: plan.id,
        details: { eventId, members: members.length, fromTemplateId: template?.id ?? null, items: copied },
      });
      return plan.id;
    },
    { behavior: "immediate" },
  );
}

// ————————————————————————————————————————————————————————————————————————————————————————————
// Changing a plan (its members)

type PlanRef = { eventId: number; planId: number };

async function touch(tx: Tx, planId: number) {
  await tx.update(actionPlans).set({ updatedAt: now() }).where(eq(actionPlans.id, planId));
}

async function audit(tx: Tx, actor: Actor, action: string, planId: number, details: Record<string, unknown>) {
  await recordAudit(tx, { userId: actor.user.id, ip: actor.ip, action, entityType: "action_plan", entityId: planId, details });
}

/** Rename a plan (its members). */
export async function renameActionPlan(actor: Actor, ref: PlanRef, title: string) {
  await getDb().transaction(
    async (tx) => {
      const plan = await changeablePlan(tx, actor.user, ref.eventId, ref.planId);
      await tx.update(actionPlans).set({ title, updatedAt: now() }).where(eq(actionPlans.id, plan.id));
      await audit(tx, actor, "action_plan.rename", plan.id, { eventId: plan.eventId });
    },
    { behavior: "immediate" },
  );
}

async function nextPosition(tx: Pick<Tx, "select">, planId: number) {
  return (firstRow(await tx.select({ max: sql<number | null>`max(${actionPlanItems.position})`.mapWith(Number) }).from(actionPlanItems).where(eq(actionPlanItems.planId, planId)).limit(1))?.max ?? -1) + 1;
}

async function insertItem(tx: Tx, planId: number, input: ActionItemInput) {
  return (await tx
    .insert(actionPlanItems)
    .values({
      planId,
      position: await nextPosition(tx, planId),
      action: input.action,
      targetDate: input.targetDate,
      responsible: input.responsible,
      indicator: input.indicator,
      status: input.status,
      createdAt: now(),
      updatedAt: now(),
    })
    .returning({ id: actionPlanItems.id }))[0].id;
}

async function itemOf(tx: Pick<Tx, "select">, planId: number, itemId: number) {
  const item = firstRow(await tx
    .select({ id: actionPlanItems.id, status: actionPlanItems.status })
    .from(actionPlanItems)
    .where(and(eq(actionPlanItems.id, itemId), eq(actionPlanItems.planId, planId))).limit(1));
  if (!item) throw notFound();
  return item;
}

/** Add an item to one's plan. A target date before the event's first day is refused. */
export async function addActionItem(actor: Actor, ref: PlanRef, input: ActionItemInput) {
  return await getDb().transaction(
    async (tx) => {
      const plan = await changeablePlan(tx, actor.user, ref.eventId, ref.planId);
      checkTargetDate(await eventOf(tx, plan.eventId), input.targetDate);
      const itemId = await insertItem(tx, plan.id, input);
      await touch(tx, plan.id);
      await audit(tx, actor, "action_plan.item_add", plan.id, { eventId: plan.eventId, itemId, status: input.status });
      return itemId;
    },
    { behavior: "immediate" },
  );
}

/** Change an item of one's plan (every field, the status included). */
export async function updateActionItem(actor: Actor, ref: PlanRef, itemId: number, input: ActionItemInput) {
  await getDb().transaction(
    async (tx) => {
      const plan = await changeablePlan(tx, actor.user, ref.eventId, ref.planId);
      const item = await itemOf(tx, plan.id, itemId);
      checkTargetDate(await eventOf(tx, plan.eventId), input.targetDate);
      await tx.update(actionPlanItems)
        .set({ action: input.action, targetDate: input.targetDate, responsible: input.responsible, indicator: input.indicator, status: input.status, updatedAt: now() })
        .where(eq(actionPlanItems.id, item.id));
      await touch(tx, plan.id);
      await audit(tx, actor, "action_plan.item_update", plan.id, { eventId: plan.eventId, itemId, from: item.status, to: input.status });
    },
    { behavior: "immediate" },
  );
}

/** Attachments of these items' updates, to delete from disk once the rows are gone. */
async function attachmentFilesOf(tx: Pick<Tx, "select">, itemIds: number[]) {
  if (itemIds.length === 0) return [];
  return (await tx
    .select({ file: actionPlanUpdates.attachmentPath })
    .from(actionPlanUpdates)
    .where(inArray(actionPlanUpdates.itemId, itemIds)))
    .map((r) => r.file)
    .filter((f): f is string => f !== null);
}

function removeFiles(files: string[]) {
  for (const file of files) {
    const full = attachmentFile(file);
    if (full) fs.rmSync(full, { force: true });
  }
}

/** Remove an item (and its progress updates and their attachments) from one's plan. */
export async function removeActionItem(actor: Actor, ref: PlanRef, itemId: number) {
  const files = await getDb().transaction(
    async (tx) => {
      const plan = await changeablePlan(tx, actor.user, ref.eventId, ref.planId);
      const item = await itemOf(tx, plan.id, itemId);
      const files = await attachmentFilesOf(tx, [item.id]);
      await tx.delete(actionPlanItems).where(eq(actionPlanItems.id, item.id));
      await touch(tx, plan.id);
      await audit(tx, actor, "action_plan.item_remove", plan.id, { eventId: plan.eventId, itemId, attachments: files.length });
      return files;
    },
    { behavior: "immediate" },
  );
  removeFiles(files);
}

/** Submit one's plan to the coordinators (it stays open for progress updates and changes). */
export async function submitActionPlan(actor: Actor, ref: PlanRef) {
  await getDb().transaction(
    async (tx) => {
      const plan = await changeablePlan(tx, actor.user, ref.eventId, ref.planId);
      if (plan.status === "submitted") throw new FieldError("form", "actionPlans.errors.alreadySubmitted");
      const items = firstRow(await tx.select({ n: countOf() }).from(actionPlanItems).where(eq(actionPlanItems.planId, plan.id)).limit(1))?.n ?? 0;
      if (items === 0) throw new FieldError("form", "actionPlans.errors.noItems");
      const submittedAt = now();
      await tx.update(actionPlans).set({ status: "submitted", submittedAt, updatedAt: submittedAt }).where(eq(actionPlans.id, plan.id));
      await emitWebhookEvent(tx, webhookEvent.actionPlanSubmitted({ actionPlanId: plan.id, eventId: plan.eventId, items, submittedAt }));
      await audit(tx, actor, "action_plan.submit", plan.id, { eventId: plan.eventId, items });
    },
    { behavior: "immediate" },
  );
}

// ————————————————————————————————————————————————————————————————————————————————————————————
// Progress updates and their attachments

/** Where attachments live: UPLOADS_DIR, by default `uploads/` beside the database file (data/uploads for data/app.db). */
export function uploadsDir() {
  return config().uploadsDir;
}

const STORED_NAME = /^[a-f0-9]{32}$/;

/** The file of a stored attachment name, or null for a name that is not one of ours (never a path). */
export function attachmentFile(stored: string) {
  return STORED_NAME.test(stored) ? path.join(uploadsDir(), stored) : null;
}

/**
 * The name the user's file had, as a plain file name: no folders, no control or bidirectional
 * characters (which could make "exe" read as "png"), not too long.
 */
export function cleanAttachmentName(name: string) {
  return cleanFileName(name, "attachment");
}

export type Attachment = { name: string; bytes: Uint8Array };

/**
 * A dated progress note on an item of one's plan, optionally changing the item's status and
 * carrying one file (up to 5 MB). The file is written under a random name first; if the note is
 * refused, the file is removed again.
 */
export async function addProgressUpdate(
  actor: Actor,
  ref: PlanRef,
  itemId: number,
  input: { note: string; statusAfter?: ActionItemStatus; attachment?: Attachment | null },
) {
  const db = getDb();
  // check before writing anything to disk
  const plan = await changeablePlan(db, actor.user, ref.eventId, ref.planId);
  await itemOf(db, plan.id, itemId);
  let stored: string | null = null;
  if (input.attachment) {
    if (input.attachment.bytes.byteLength > ATTACHMENT_MAX_BYTES) {
      throw new FieldError("attachment", "actionPlans.errors.attachmentTooLarge", { max: ATTACHMENT_MAX_BYTES / 1_000_000 });
    }
    stored = crypto.randomBytes(16).toString("hex");
    fs.mkdirSync(uploadsDir(), { recursive: true });
    fs.writeFileSync(path.join(uploadsDir(), stored), input.attachment.bytes, { flag: "wx", mode: 0o600 });
  }
  try {
    return await db.transaction(
      async (tx) => {
        const plan = await changeablePlan(tx, actor.user, ref.eventId, ref.planId);
        const item = await itemOf(tx, plan.id, itemId);
        const at = now();
        const update = (await tx
          .insert(actionPlanUpdates)
          .values({
            itemId: item.id,
            authorUserId: actor.user.id,
            note: input.note,
            statusAfter: input.statusAfter ?? null,
            attachmentName: input.attachment && stored ? cleanAttachmentName(input.attachment.name) : null,
            attachmentPath: stored,
            createdAt: at,
          })
          .returning({ id: actionPlanUpdates.id }))[0];
        if (input.statusAfter && input.statusAfter !== item.status) {
          await tx.update(actionPlanItems).set({ status: input.statusAfter, updatedAt: at }).where(eq(actionPlanItems.id, item.id));
        }
        await touch(tx, plan.id);
        await audit(tx, actor, "action_plan.progress", plan.id, {
          eventId: plan.eventId,
          itemId: item.id,
          updateId: update.id,
          from: item.status,
          to: input.statusAfter ?? item.status,
          attachment: stored !== null,
        });
        return update.id;
      },
      { behavior: "immediate" },
    );
  } catch (error) {
    if (stored) fs.rmSync(path.join(uploadsDir(), stored), { force: true });
    throw error;
  }
}

/**
 * An update's attachment, for those who may see its plan (404 for everyone else, and for an
 * update without a file or whose file has gone).
 */
export async function getAttachment(user: SessionUser, updateId: number) {
  const row = firstRow(await getDb()
    .select({ name: actionPlanUpdates.attachmentName, stored: actionPlanUpdates.attachmentPath })
    .from(actionPlanUpdates)
    .innerJoin(actionPlanItems, eq(actionPlanItems.id, actionPlanUpdates.itemId))
    .innerJoin(actionPlans, eq(actionPlans.id, actionPlanItems.planId))
    .where(and(eq(actionPlanUpdates.id, updateId), visiblePlansWhere(user))).limit(1));
  if (!row?.stored || !row.name) throw notFound();
  const file = attachmentFile(row.stored);
  if (!file || !fs.existsSync(file)) throw notFound();
  return { file, name: row.name, size: fs.statSync(file).size };
}

// ————————————————————————————————————————————————————————————————————————————————————————————
// Coordinators' comments and the partner's validation

/** A coordinator's (or admin's) comment on a plan. */
export async function addActionPlanComment(actor: Actor, ref: PlanRef, body: string) {
  return await getDb().transaction(
    async (tx) => {
      const plan = await readablePlan(tx, actor.user, ref.eventId, ref.planId);
      requireManager(actor.user);
      const comment = (await tx
        .insert(actionPlanComments)
        .values({ planId: plan.id, authorUserId: actor.user.id, body, createdAt: now() })
        .returning({ id: actionPlanComments.id }))[0];
      await audit(tx, actor, "action_plan.comment", plan.id, { eventId: plan.eventId, commentId: comment.id });
      return comment.id;
    },
    { behavior: "immediate" },
  );
}

/**
 * The partner focal point marks a done item validated (or withdraws its validation) — only on the
 * plans of its own agency's officers (the others it cannot even see: 404).
 */
export async function setItemValidation(actor: Actor, ref: PlanRef, itemId: number, validated: boolean) {
  await getDb().transaction(
    async (tx) => {
      const plan = await readablePlan(tx, actor.user, ref.eventId, ref.planId);
      if (actor.user.role !== "partner") throw forbidden();
      const item = await itemOf(tx, plan.id, itemId);
      // the focal point vouches that something was done: an item still planned, in progress or
      // blocked has nothing to vouch for yet (withdrawing a validation is always possible)
      if (validated && item.status !== "done") throw new FieldError("form", "actionPlans.errors.validateOnlyDone");
      await tx.update(actionPlanItems)
        .set(validated ? { validatedAt: now(), validatedByUserId: actor.user.id, updatedAt: now() } : { validatedAt: null, validatedByUserId: null, updatedAt: now() })
        .where(eq(actionPlanItems.id, item.id));
      await audit(tx, actor, validated ? "action_plan.validate" : "action_plan.unvalidate", plan.id, { eventId: plan.eventId, itemId: item.id });
    },
    { behavior: "immediate" },
  );
}

// ————————————————————————————————————————————————————————————————————————————————————————————
// The coordinator's template for an event

/** A template's items, in their order (what a new plan starts from). */
async function itemsOfTemplate(db: Pick<Db, "select">, templateId: number) {
  return await db
    .select({
      id: actionPlanItems.id,
      action: actionPlanItems.action,
      targetDate: actionPlanItems.targetDate,
      responsible: actionPlanItems.responsible,
      indicator: actionPlanItems.indicator,
    })
    .from(actionPlanItems)
    .where(eq(actionPlanItems.planId, templateId))
    .orderBy(asc(actionPlanItems.position), asc(actionPlanItems.id));
}

/** The event's template (null until the coordinator creates it) with its items. Coordinators and admins. */
export async function getActionPlanTemplate(user: SessionUser, eventId: number) {
  requireManager(user);
  const db = getDb();
  const event = await visibleEvent(db, user, eventId);
  const template = await templateOf(db, eventId);
  const items = template ? (await itemsOfTemplate(db, template.id)) : [];
  const plans = firstRow(await db
    .select({ n: countOf() })
    .from(actionPlans)
    .where(and(eq(actionPlans.eventId, eventId), eq(actionPlans.isTemplate, false))).limit(1))?.n ?? 0;
  return {
    event: { id: event.id, title: event.title, startDate: event.startDate, endDate: event.endDate, timeZone: event.timeZone },
    template: template ? { id: template.id, title: template.title } : null,
    items,
    plans,
  };
}

/** Create the event's template, or rename it. */
export async function saveActionPlanTemplate(actor: Actor, eventId: number, title: string) {
  requireManager(actor.user);
  return await getDb().transaction(
    async (tx) => {
      await visibleEvent(tx, actor.user, eventId);
      const existing = await templateOf(tx, eventId);
      if (existing) {
        await tx.update(actionPlans).set({ title, updatedAt: now() }).where(eq(actionPlans.id, existing.id));
        await audit(tx, actor, "action_plan.template_rename", existing.id, { eventId });
        return existing.id;
      }
      const id = (await tx
        .insert(actionPlans)
        .values({ eventId, title, status: "draft", isTemplate: true })
        .returning({ id: actionPlans.id }))[0].id;
      await audit(tx, actor, "action_plan.template_create", id, { eventId });
      return id;
    },
    { behavior: "immediate" },
  );
}

async function changeableTemplate(tx: Pick<Tx, "select">, actor: Actor, eventId: number) {
  requireManager(actor.user);
  await visibleEvent(tx, actor.user, eventId);
  const template = await templateOf(tx, eventId);
  if (!template) throw new FieldError("form", "actionPlans.errors.noTemplate");
  return template;
}

/** Add an item to the template (its status is always "planned"; a target date is optional). */
export async function addTemplateItem(actor: Actor, eventId: number, input: ActionItemInput) {
  return await getDb().transaction(
    async (tx) => {
      const template = await changeableTemplate(tx, actor, eventId);
      checkTargetDate(await eventOf(tx, eventId), input.targetDate);
      const itemId = await insertItem(tx, template.id, { ...input, status: "planned" });
      await audit(tx, actor, "action_plan.template_item_add", template.id, { eventId, itemId });
      return itemId;
    },
    { behavior: "immediate" },
  );
}

export async function updateTemplateItem(actor: Actor, eventId: number, itemId: number, input: ActionItemInput) {
  await getDb().transaction(
    async (tx) => {
      const template = await changeableTemplate(tx, actor, eventId);
      const item = await itemOf(tx, template.id, itemId);
      checkTargetDate(await eventOf(tx, eventId), input.targetDate);
      await tx.update(actionPlanItems)
        .set({ action: input.action, targetDate: input.targetDate, responsible: input.responsible, indicator: input.indicator, updatedAt: now() })
        .where(eq(actionPlanItems.id, item.id));
      await audit(tx, actor, "action_plan.template_item_update", template.id, { eventId, itemId });
    },
    { behavior: "immediate" },
  );
}

export async function removeTemplateItem(actor: Actor, eventId: number, itemId: number) {
  await getDb().transaction(
    async (tx) => {
      const template = await changeableTemplate(tx, actor, eventId);
      const item = await itemOf(tx, template.id, itemId);
      await tx.delete(actionPlanItems).where(eq(actionPlanItems.id, item.id));
      await audit(tx, actor, "action_plan.template_item_remove", template.id, { eventId, itemId });
    },
    { behavior: "immediate" },
  );
}

// ————————————————————————————————————————————————————————————————————————————————————————————
// Check-in reminders

/** A calendar day (YYYY-MM-DD) moved by a whole number of days. */
function shiftDay(day: string, days: number) {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from one calendar date to another (YYYY-MM-DD). */
function daysBetween(from: string, to: string) {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** The largest check-in already sent for a plan (the audit log is the record), or null. */
async function lastReminderDays(tx: Pick<Tx, "select">, planId: number): Promise<number | null> {
  return (
    firstRow(await tx
      .select({ days: sql<number | null>`max(${jsonInteger(auditLog.details, "days")})` })
      .from(auditLog)
      .where(and(eq(auditLog.action, "action_plan.reminder"), eq(auditLog.entityType, "action_plan"), eq(auditLog.entityId, String(planId)))).limit(1))?.days ?? null
  );
}

const memberUser = alias(users, "member_user");

/**
 * Check-in reminders, run periodically (scheduleActionPlanReminders). For each event that has
 * taken place, the check-in of N days (N in events.check_in_days, default 30/60/90) is due once the
 * event's last day + N days has come in the event's zone. For each plan with open items (status not
 * done) whose latest due check-in has not been sent yet, every member with an email address gets a
 * reminder in their language with a link to the plan, the link that turns reminders off (scoped to
 * the person when they have no account) and the List-Unsubscribe headers — unless they turned
 * reminders off (users.email_reminders_off, or people.email_reminders_off without an account) or
 * their account is disabled. The audit log ("action_plan.reminder", the plan's id, { days }) records what
 * was sent and is read before sending, inside the same IMMEDIATE transaction, so a reminder is never
 * sent twice, even by two processes or two instances at once (on PostgreSQL the transaction is
 * SERIALIZABLE, and also takes the database's write lock: see db/postgres.ts). A check-in more than REMINDER_LATE_LIMIT_DAYS overdue
 * is skipped; only the latest due one is ever sent.
 */
export async function sendActionPlanReminders(at: Date = now(), options: { appUrl?: string } = {}) {
  const appUrl = options.appUrl ?? config().appUrl;
  const db = getDb();
  const todayUtc = at.toISOString().slice(0, 10);
  const candidates = await db
    .select({ id: events.id, title: events.title, timeZone: events.timeZone, endDate: events.endDate, checkInDays: events.checkInDays })
    .from(events)
    .where(
      and(
        inArray(events.status, [...ACTION_PLAN_EVENT_STATUSES]),
        // only events with a check-in falling due within the late limit (a day's margin either
        // side for the zones; the exact day in the event's zone is worked out below)
        sql`exists (select 1 from ${jsonArrayElements(events.checkInDays, "j")}
                    where ${addDaysSql(events.endDate, sql`cast(j.value as integer)`)}
                          between ${shiftDay(todayUtc, -(REMINDER_LATE_LIMIT_DAYS + 1))} and ${shiftDay(todayUtc, 1)})`,
      ),
    );
  let emails = 0;
  let plansReminded = 0;
  for (const event of candidates) {
    const elapsed = daysBetween(event.endDate, dayInZone(at, event.timeZone));
    const due = (Array.isArray(event.checkInDays) ? event.checkInDays : []).filter((n) => Number.isInteger(n) && n > 0 && n <= elapsed);
    if (due.length === 0) continue;
    const days = Math.max(...due);
    if (elapsed - days > REMINDER_LATE_LIMIT_DAYS) continue;
    // the plans that may need this check-in, in one query (each is checked again below, inside
    // its own IMMEDIATE transaction, before anything is sent)
    const lastSent = sql`(select max(${jsonInteger(sql`al.details`, "days")}) from ${auditLog} al
      where al.action = 'action_plan.reminder' and al.entity_type = 'action_plan' and al.entity_id = cast(${sql.raw('"action_plans"."id"')} as text))`;
    const planIds = (await db
      .select({ id: actionPlans.id })
      .from(actionPlans)
      .where(
        and(
          eq(actionPlans.eventId, event.id),
          eq(actionPlans.isTemplate, false),
          sql`exists (select 1 from ${actionPlanItems} oi where oi.plan_id = ${sql.raw('"action_plans"."id"')} and oi.status <> 'done')`,
          sql`coalesce(${lastSent}, -1) < ${days}`,
        ),
      ))
      .map((p) => p.id);
    for (const planId of planIds) {
      const sent = await db.transaction(
        async (tx) => {
          const last = await lastReminderDays(tx, planId);
          if (last !== null && last >= days) return null;
          const open = await tx
            .select({ action: actionPlanItems.action, targetDate: actionPlanItems.targetDate })
            .from(actionPlanItems)
            .where(and(eq(actionPlanItems.planId, planId), ne(actionPlanItems.status, "done")))
            .orderBy(asc(actionPlanItems.position), asc(actionPlanItems.id));
          if (open.length === 0) return null;
          const members = await tx
            .select({
              personId: people.id,
              email: people.email,
              givenName: people.givenName,
              familyName: people.familyName,
              userId: people.userId,
              locale: memberUser.locale,
              // an account's setting, or (no account) the person's own
              remindersOff: sql<number>`coalesce(${memberUser.emailRemindersOff}, ${people.emailRemindersOff})`.mapWith(Boolean),
              disabledAt: memberUser.disabledAt,
            })
            .from(actionPlanMembers)
            .innerJoin(people, eq(people.id, actionPlanMembers.personId))
            .leftJoin(memberUser, eq(memberUser.id, people.userId))
            .where(eq(actionPlanMembers.planId, planId));
          let n = 0;
          for (const member of members) {
            if (!member.email || member.remindersOff || member.disabledAt) continue;
            const { t, lang, dir } = translatorFor(member.locale);
            const optOut = await reminderOptOut(tx, appUrl, member);
            const content = actionPlanReminderEmail(
              {
                name: `${member.givenName} ${member.familyName}`,
                eventTitle: event.title,
                days,
                openItems: open.map((item) => ({ action: item.action, targetDate: item.targetDate ? formatDay(item.targetDate, lang) : null })),
                url: `${appUrl}/events/${event.id}/action-plans/${planId}`,
                preferencesUrl: optOut.preferencesUrl,
              },
              t,
              { lang, dir },
            );
            await enqueueEmail(tx, { ...content, kind: "action_plan_reminder", to: member.email, userId: member.userId, headers: optOut.headers });
            n++;
          }
          await recordAudit(tx, {
            userId: null,
            action: "action_plan.reminder",
            entityType: "action_plan",
            entityId: planId,
            details: { eventId: event.id, days, emails: n },
          });
          return n;
        },
        { behavior: "immediate" },
      );
      if (sent !== null) {
        plansReminded++;
        emails += sent;
      }
    }
  }
  return { plans: plansReminded, emails };
}

/** Run the reminders now and then every `everyMs` (10 minutes), never letting one failure stop the server. */
export async function scheduleActionPlanReminders(appUrl: string, everyMs = 10 * 60_000) {
  const run = async () => {
    try {
      // one instance at a time runs it; each item is still checked in its own transaction
      await runRoundAlone(getDb(), "action-plan-reminders", async () => await sendActionPlanReminders(now(), { appUrl }));
    } catch (error) {
      console.error("action plans: reminder round failed", error);
    }
  };
  setInterval(run, everyMs).unref();
  await run();
}
