import { and, asc, eq, gte, inArray, lte, ne, sql, type SQL } from "drizzle-orm";
import { getDb, firstRow, execute, queryAll, queryOne, type Tx } from "../../db/client";
import { always, countOf, daysBetweenSql, flag, never, sumOf } from "../../db/sql-dialect";
import { discloseCount, discloseRate, keySum, RATE_STEP, SMALL_COUNT, type Cell, type Disclosed } from "./disclosure.server";
import { keptUntilDataChanges, reportsVersion } from "./data-version.server";
import {
  actionPlanItems,
  actionPlans,
  certificates,
  eventGcmObjectives,
  eventPartners,
  events,
  feedbackAnswers,
  feedbackForms,
  followUpRequests,
  knowledgeTestAttempts,
  organisations,
  people,
  programmeFunding,
  programmes,
  registrations,
} from "../../db/schema";
import { forbidden, type Actor, type SessionUser } from "~/auth/session.server";
import { canReach } from "~/auth/permissions";
import { now } from "~/lib/clock";
import { FEEDBACK_QUESTIONS, FEEDBACK_RESULTS_MIN, type FeedbackQuestion } from "~/lib/feedback";
import { completionSql } from "./completion.server";
import { recordAudit } from "./audit.server";
import { programmesOfEvents, visibleEventsWhere } from "./events.server";

/**
 * Activity summaries (/reports, /reports.csv, /reports.pdf): what was done, for a programme, a
 * donor, a country, a partner organisation, a GCM objective and a period.
 *
 * Definitions (the same as the event pages; every figure is computed in SQL, a constant number of
 * queries whatever the number of events):
 * - the report's events: events whose FIRST DAY falls in the period, matching the filters, within
 *   the user's scope; drafts are never counted (a draft is a plan, not an activity). The event
 *   counts (total, by type, by status, the events table) include cancelled events, so that a
 *   cancellation shows; every other figure leaves cancelled events out (nobody was trained);
 * - participants: confirmed registrations with the event role "participant" — exactly who the
 *   roster counts (facilitators, observers, waitlisted or declined people are not participants);
 *   unique participants count each person once however many events they took part in; the
 *   breakdowns by sex, role category, organisation and nationality count unique people;
 * - training days: the sum of the events' numbers of calendar days (first to last day inclusive);
 * - person-days: for each participant of each event, that event's number of days, summed (a
 *   person in a 3-day and a 2-day training counts 5) — days offered, not days attended;
 * - attendance and completion (completionSql, THE definition): over the participants of events
 *   that have started (in progress, completed, reported) — an event that has not started yet
 *   would count as nobody attending. Attendance rate = sessions attended / sessions counted;
 *   completion rate = participants who completed / participants;
 * - certificates issued: certificates of those participants that are not revoked;
 * - action plans: submitted plans (templates and drafts left out); their items by status, and the
 *   share of items validated by the partner focal point;
 * - follow-up requests: requests raised from the report's events, by status; "turned into a
 *   training" when an event (neither a draft nor cancelled) answers the request;
 * - knowledge (tests): the participants' paired results — a submitted pre-test and a submitted
 *   post-test (online or a paper score) of the same registration; a person in two trainings counts
 *   twice. Mean scores before and after (percent), mean gain (points), mean normalised gain (the
 *   mean of (post − pre) / (100 − pre) over those who did not score 100 before), share who improved;
 *   by sex, role category and organisation;
 * - satisfaction (feedback forms): the answers of the report's events' forms that are closed and
 *   hold at least FEEDBACK_RESULTS_MIN answers (an event's coordinator never sees fewer, and no
 *   choice of filters may show them either). Per question: the mean rating, the share who answered
 *   4 or 5, the distribution. Answers are anonymous (docs/feedback.md): they cannot be broken down
 *   by sex, role or organisation, by design.
 *
 * Privacy (donors and partners, never admins and coordinators): see `protect` below.
 */

// ---------------------------------------------------------------------------------------------
// Filters

export type ReportFilters = {
  programmeId?: number;
  donorId?: number;
  country?: string;
  partnerId?: number;
  gcmObjectiveId?: number;
  /** YYYY-MM-DD, inclusive, on the events' first day */
  from: string;
  to: string;
};

export const REPORT_FILTER_FIELDS = ["programmeId", "donorId", "country", "partnerId", "gcmObjectiveId", "from", "to"] as const;
export type ReportFilterField = (typeof REPORT_FILTER_FIELDS)[number];

/** The longest period a report may cover. */
export const MAX_REPORT_YEARS = 20;

export type ParsedReportFilters =
  | { ok: true; filters: ReportFilters; values: Record<ReportFilterField, string> }
  | { ok: false; errors: Partial<Record<ReportFilterField, string>>; values: Record<ReportFilterField, string> };

function isCalendarDay(value: string) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const [y, m, d] = value.split("-").map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** A period asked for by neither end: where a user's report starts (see `reportDefaults`). */
export type DefaultPeriod = (programmeId: number | undefined) => Promise<{ from: string; to: string } | null>;

/**
 * The report's filters from a query string. With neither end of the period given, the period is
 * `defaultPeriod`'s (a donor's programmes: see `reportDefaults`) or else the current calendar year;
 * a period that ends before it starts, or longer than MAX_REPORT_YEARS, is refused with a message
 * (the routes answer 400 with it), as are values that are not ids, country codes or dates.
 */
export async function parseReportFilters(url: URL, options: { defaultPeriod?: DefaultPeriod } = {}): Promise<ParsedReportFilters> {
  const raw = (name: ReportFilterField) => (url.searchParams.get(name) ?? "").trim();
  const values = Object.fromEntries(REPORT_FILTER_FIELDS.map((f) => [f, raw(f)])) as Record<ReportFilterField, string>;
  const errors: Partial<Record<ReportFilterField, string>> = {};
  const id = (field: "programmeId" | "donorId" | "partnerId") => {
    const v = values[field];
    if (!v) return undefined;
    if (!/^\d{1,12}$/.test(v) || Number(v) <= 0) {
      errors[field] = "reports.errors.choice";
      return undefined;
    }
    return Number(v);
  };
  const programmeId = id("programmeId");
  const donorId = id("donorId");
  const partnerId = id("partnerId");
  let country: string | undefined;
  if (values.country) {
    if (/^[A-Za-z]{2}$/.test(values.country)) country = values.country.toUpperCase();
    else errors.country = "reports.errors.country";
  }
  let gcmObjectiveId: number | undefined;
  if (values.gcmObjectiveId) {
    const n = Number(values.gcmObjectiveId);
    if (/^\d{1,2}$/.test(values.gcmObjectiveId) && n >= 1 && n <= 23) gcmObjectiveId = n;
    else errors.gcmObjectiveId = "reports.errors.gcm";
  }
  const year = now().getUTCFullYear();
  for (const field of ["from", "to"] as const) {
    if (values[field] && !isCalendarDay(values[field])) errors[field] = "reports.errors.date";
  }
  if (!errors.from && !errors.to) {
    if (!values.from && !values.to && options.defaultPeriod && !errors.programmeId) {
      const period = await options.defaultPeriod(programmeId);
      if (period) {
        values.from = period.from;
        values.to = period.to;
      }
    }
    // one end given: the other is the same calendar year's end (a hand-written address); none: this year
    if (!values.from) values.from = values.to ? `${values.to.slice(0, 4)}-01-01` : `${year}-01-01`;
    if (!values.to) values.to = `${values.from.slice(0, 4)}-12-31`;
    if (values.to < values.from) {
      errors.to = "reports.errors.reversed";
    } else {
      const limit = `${String(Number(values.from.slice(0, 4)) + MAX_REPORT_YEARS).padStart(4, "0")}${values.from.slice(4)}`;
      if (values.to >= limit) errors.to = "reports.errors.tooLong";
    }
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors, values };
  return {
    ok: true,
    values,
    filters: { programmeId, donorId, country, partnerId, gcmObjectiveId, from: values.from, to: values.to },
  };
}

/**
 * Where a user's report starts when no period is asked for. A donor funds programmes that run for
 * years, with trainings now and then: "this year" would often open on an empty page, so a donor's
 * first report covers the whole life of the programmes it funds (or of the one chosen): from the
 * first day of their first event to the last day of their last, the events the donor may see. At
 * most the last MAX_REPORT_YEARS years. Admins, coordinators and partners keep the current year:
 * staff report on all programmes at once and follow the work of the year.
 */
export function reportDefaults(user: SessionUser): { defaultPeriod?: DefaultPeriod } {
  if (user.role !== "donor") return {};
  return {
    defaultPeriod: async (programmeId) => {
      const db = getDb();
      // a scan of every event the donor may see (several ms at scale 10, on every report and
      // export without a period): kept until the events or the funding change
      const span = await keptSpans(db, JSON.stringify([audienceOf(user), programmeId ?? null]), async () =>
        firstRow(await db
          .select({ from: sql<string | null>`min(${events.startDate})`, to: sql<string | null>`max(${events.endDate})` })
          .from(events)
          .where(and(scopeWhere(user), programmeId === undefined ? undefined : eq(events.programmeId, programmeId))).limit(1)));
      if (!span?.from || !span.to) return null;
      const toYear = Number(span.to.slice(0, 4));
      const earliest = `${String(toYear - MAX_REPORT_YEARS + 1).padStart(4, "0")}-01-01`;
      return { from: span.from < earliest ? earliest : span.from, to: span.to };
    },
  };
}

/** The first and last day of the events a donor's report may cover, per organisation and programme. */
const keptSpans = keptUntilDataChanges<{ from: string | null; to: string | null } | undefined>(256);

/** The query string of a set of filters (links to the exports carry the same filters). */
export function reportQuery(filters: ReportFilters): string {
  const params = new URLSearchParams();
  for (const field of REPORT_FILTER_FIELDS) {
    const value = filters[field];
    if (value !== undefined && value !== "") params.set(field, String(value));
  }
  return `?${params}`;
}

// ---------------------------------------------------------------------------------------------
// Scope: who sees which events

/** Aggregates only, small counts protected: donors and partners. */
export function isProtectedView(user: SessionUser) {
  return user.role !== "admin" && user.role !== "coordinator";
}

const OUTER_EVENT_ID = sql.raw(`"events"."id"`);

/**
 * The events a user's reports may cover, as a condition on "events" (enforced in the query):
 * admins and coordinators everything; donors the programmes their organisation funds (the event
 * list's own rule, visibleEventsWhere); partners the events where their organisation is a partner
 * or has (confirmed) participants. Drafts never.
 */
function scopeWhere(user: SessionUser): SQL | undefined {
  switch (user.role) {
    case "admin":
    case "coordinator":
      return ne(events.status, "draft");
    case "donor":
      return and(ne(events.status, "draft"), visibleEventsWhere(user));
    case "partner":
      if (user.organisationId === null) return never();
      return and(
        ne(events.status, "draft"),
        sql`(exists (select 1 from ${eventPartners} sp where sp.event_id = ${OUTER_EVENT_ID} and sp.organisation_id = ${user.organisationId})
          or exists (select 1 from ${registrations} sr join ${people} sq on sq.id = sr.person_id
                     where sr.event_id = ${OUTER_EVENT_ID} and sr.event_role = 'participant' and sr.status = 'confirmed'
                       and sq.organisation_id = ${user.organisationId}))`,
      );
    default:
      return never();
  }
}

/**
 * A donor may ask only for programmes their organisation funds (an unknown programme is refused
 * the same way, so ids cannot be probed) and only for their own organisation as the donor.
 */
async function checkDonorFilters(user: SessionUser, filters: ReportFilters) {
  if (user.role !== "donor") return;
  if (user.organisationId === null) throw forbidden();
  if (filters.donorId !== undefined && filters.donorId !== user.organisationId) throw forbidden();
  if (filters.programmeId !== undefined) {
    const funded = firstRow(await getDb()
      .select({ id: programmeFunding.programmeId })
      .from(programmeFunding)
      .where(and(eq(programmeFunding.programmeId, filters.programmeId), eq(programmeFunding.donorOrganisationId, user.organisationId))).limit(1));
    if (!funded) throw forbidden();
  }
}

function filterWhere(filters: ReportFilters): SQL | undefined {
  const conditions: (SQL | undefined)[] = [gte(events.startDate, filters.from), lte(events.startDate, filters.to)];
  if (filters.programmeId !== undefined) conditions.push(eq(events.programmeId, filters.programmeId));
  if (filters.donorId !== undefined) {
    conditions.push(
      sql`${events.programmeId} in (select fp.programme_id from ${programmeFunding} fp where fp.donor_organisation_id = ${filters.donorId})`,
    );
  }
  if (filters.country !== undefined) conditions.push(eq(events.country, filters.country));
  if (filters.partnerId !== undefined) {
    conditions.push(sql`exists (select 1 from ${eventPartners} fe where fe.event_id = ${OUTER_EVENT_ID} and fe.organisation_id = ${filters.partnerId})`);
  }
  if (filters.gcmObjectiveId !== undefined) {
    conditions.push(
      sql`exists (select 1 from ${eventGcmObjectives} fg where fg.event_id = ${OUTER_EVENT_ID} and fg.objective_id = ${filters.gcmObjectiveId})`,
    );
  }
  return and(...conditions);
}

// ---------------------------------------------------------------------------------------------
// Privacy: donors and partners see figures through the disclosure control (disclosure.server.ts)

/**
 * A count as it may be shown: the number (perturbed in protected views), or "small" (1 to 4,
 * shown as "<5"). Counts of events and training days are plain numbers.
 */
export type Count = Disclosed;
/** A share between 0 and 1; null when there is nothing to measure or, in protected views, too few behind it. */
export type Rate = number | null;

// ---------------------------------------------------------------------------------------------
// The report

/** One line of a breakdown: a key (an enum value, an organisation id, a country code; "" = not recorded). */
export type Line = { key: string; name?: string | null; count: Count };
export type Breakdown = { lines: Line[] };
export type PlainLine = { key: string; count: number };
/** A line of a breakdown of plans, items or requests (protected like people). */
export type CountLine = { key: string; count: Count };

export type ReportEventRow = {
  id: number;
  title: string;
  type: string;
  status: string;
  country: string;
  locality: string | null;
  startDate: string;
  endDate: string;
  days: number;
  /** false for a cancelled event: its people are not counted */
  counted: boolean;
  participants: Count;
  women: Count;
  attendanceRate: Rate;
  completionRate: Rate;
};

/** A mean score or gain in percent (points); null when not shown. */
export type Score = number | null;
/** Paired results of one group of participants. */
export type KnowledgeFigures = { paired: Count; meanPre: Score; meanPost: Score; gain: Score };
export type KnowledgeLine = KnowledgeFigures & { key: string; name?: string | null };
export type Knowledge = KnowledgeFigures & {
  /** events with at least one paired result */
  events: number;
  normalisedGain: Rate;
  improvedShare: Rate;
  bySex: KnowledgeLine[];
  byRole: KnowledgeLine[];
  byOrganisation: KnowledgeLine[];
};
export type SatisfactionQuestion = {
  key: FeedbackQuestion;
  /** mean rating 1–5 (staff only) */
  mean: number | null;
  /** share who answered 4 or 5 */
  agreeShare: Rate;
  /** answers rating 1, 2, 3, 4, 5 (staff only) */
  distribution: number[] | null;
};
export type Satisfaction = { answers: Count; events: number; questions: SatisfactionQuestion[] };

export type ActivityReport = {
  /** donors and partners: counts of people protected, no personal data */
  protected: boolean;
  /** nothing matches the filters: the page says so instead of showing zeros */
  empty: boolean;
  filters: ReportFilters;
  events: { total: number; byType: PlainLine[]; byStatus: PlainLine[]; byMonth: PlainLine[] };
  trainingDays: number;
  participants: { unique: Count; personDays: Count; bySex: Breakdown; byRole: Breakdown; byOrganisation: Breakdown; byNationality: Breakdown };
  attendanceRate: Rate;
  completionRate: Rate;
  certificates: Count;
  actionPlans: { submitted: Count; items: Count; itemsByStatus: CountLine[]; validated: Count; validatedShare: Rate };
  followUps: { total: Count; byStatus: CountLine[]; turnedIntoTrainings: Count };
  gcmObjectives: { id: number; events: number }[];
  knowledge: Knowledge;
  satisfaction: Satisfaction;
  table: ReportEventRow[];
};

const STARTED = `('in_progress','completed','reported')`;
/** Mean scores shown in protected views are rounded to this many percentage points. */
export const PROTECTED_SCORE_STEP = 5;
const SEX_ORDER = ["female", "male", "other", "undisclosed"];
const TYPE_ORDER = ["training", "workshop", "seminar", "media_training", "other"];
const STATUS_ORDER = ["open", "in_progress", "completed", "reported", "cancelled"];
const ITEM_ORDER = ["planned", "in_progress", "done", "blocked"];
const FOLLOW_UP_ORDER = ["received", "under_review", "accepted", "scheduled", "declined"];

function byOrder(order: string[]) {
  return (a: { key: string }, b: { key: string }) => {
    const ia = order.indexOf(a.key);
    const ib = order.indexOf(b.key);
    return (ia < 0 ? order.length : ia) - (ib < 0 ? order.length : ib) || a.key.localeCompare(b.key);
  };
}

/**
 * The report's common table expressions: `ev` the report's events (cancelled included), `act`
 * those not cancelled, `part` their participants with attendance and completion per THE
 * definition, whether each holds a valid certificate, and the person's sex, role category,
 * organisation and nationality, and the cell keys of the person (`pk`) and the registration (`rk`)
 * that the disclosure control sums. With `fromTemp`, `part` is read from the temporary table
 * `report_part` that `computeActivityReport` fills once for its three queries.
 */
function reportCte(where: SQL | undefined, fromTemp = false) {
  const completion = completionSql({
    attendedSessions: sql.raw("r.attended_sessions"),
    excusedSessions: sql.raw("r.excused_sessions"),
    countedSessions: sql.raw("act.counted_sessions"),
    threshold: sql.raw("act.threshold"),
  });
  return sql`with ev as (
      select ${events.id} as id, ${events.title} as title, ${events.type} as type, ${events.status} as status,
             ${events.country} as country, ${events.locality} as locality, ${events.startDate} as start_date,
             ${events.endDate} as end_date, ${events.completionThreshold} as threshold, ${events.countedSessions} as counted_sessions,
             ${daysBetweenSql(events.startDate, events.endDate)} + 1 as days
      from ${events} where ${where ?? always()}
    ),
    act as (select * from ev where ev.status <> 'cancelled'),
    part as (${
      fromTemp
        ? sql`select * from report_part`
        : sql`
      select r.id as rid, r.person_id as pid, r.event_id as eid, act.days as days,
             ${flag(sql`act.status in ${sql.raw(STARTED)}`)} as started,
             ${completion.attended} as att, ${completion.counted} as cnt, ${completion.completed} as done,
             ${flag(sql`exists (select 1 from ${certificates} ce where ce.registration_id = r.id and ce.revoked_at is null)`)} as cert,
             pp.sex as sex, pp.role_category as role_category, pp.organisation_id as organisation_id, pp.nationality as nationality,
             coalesce(pp.cell_key, 0) as pk, coalesce(r.cell_key, 0) as rk
      from ${registrations} r join act on act.id = r.event_id join ${people} pp on pp.id = r.person_id
      where r.event_role = 'participant' and r.status = 'confirmed'`
    })`;
}

type EventRowRaw = {
  id: number;
  title: string;
  type: string;
  status: string;
  country: string;
  locality: string | null;
  start_date: string;
  end_date: string;
  days: number;
  participants: number;
  women: number;
  started: number;
  attended: number;
  counted: number;
  completed: number;
  participants_k: number;
  women_k: number;
  attended_k: number;
  counted_k: number;
  completed_k: number;
};

type TotalsRaw = {
  events: number;
  training_days: number;
  unique_people: number;
  person_days: number;
  started_participants: number;
  attended: number;
  counted: number;
  completed: number;
  certificates: number;
  plans_submitted: number;
  items: number;
  items_validated: number;
  follow_ups: number;
  turned: number;
  unique_k: number;
  person_days_k: number;
  started_k: number;
  attended_k: number;
  counted_k: number;
  completed_k: number;
  certificates_k: number;
  plans_submitted_k: number;
  items_k: number;
  items_validated_k: number;
  follow_ups_k: number;
  turned_k: number;
};

type DimRaw = { dim: string; key: string | null; name: string | null; n: number; k: number };

type KnowledgeRaw = {
  dim: string;
  key: string | null;
  name: string | null;
  n: number;
  k: number;
  events: number;
  pre: number;
  post: number;
  improved: number;
  improved_k: number;
  ngain: number;
  ngain_n: number;
};

/** A score in hundredths of a percent (basis points), in integer arithmetic on both engines. */
const BASIS = 10_000;

/**
 * The activity summary for a user and filters. Donors asking for a programme they do not fund
 * (or an unknown one) get 403. Donors and partners get protected counts (see `protect`) and no
 * personal data: only event titles, places and dates, organisation names and counts.
 */
export async function activityReport(user: SessionUser, filters: ReportFilters): Promise<ActivityReport> {
  // the reports' readers (AREA_ROLES.reports), checked here too: the API reaches this without a page
  if (!canReach(user.role, "reports")) throw forbidden();
  await checkDonorFilters(user, filters);
  const db = getDb();
  // A summary depends only on the data and on what the reader may see (staff see everything;
  // donors and partners what their organisation may). It is kept, with the data version it was
  // computed at, until a write to any table it reads moves the version (triggers, migrations 0008, 0011).
  // The version is read before computing: a write landing meanwhile can only make the entry look
  // older than it is, never newer.
  const key = JSON.stringify([audienceOf(user), filters]);
  const version = await reportsVersion(db);
  let cache = reportCaches.get(db.$client);
  if (!cache) reportCaches.set(db.$client, (cache = new Map()));
  const hit = cache.get(key);
  if (hit && hit.version === version) {
    // most recently used last (the map's order is the eviction order)
    cache.delete(key);
    cache.set(key, hit);
    return hit.report;
  }
  const report = await computeActivityReport(db, user, filters);
  const p = report.participants;
  const weight = 50 + report.table.length + p.bySex.lines.length + p.byRole.lines.length + p.byOrganisation.lines.length + p.byNationality.lines.length;
  cache.delete(key); // a stale entry of the same key: the new one goes last
  cache.set(key, { version, report, weight });
  // least recently used first out, until there are at most REPORT_CACHE_ENTRIES summaries holding
  // at most REPORT_CACHE_WEIGHT lines (a five-year global summary has tens of thousands)
  let total = 0;
  for (const entry of cache.values()) total += entry.weight;
  for (const [old, entry] of cache) {
    if (cache.size <= REPORT_CACHE_ENTRIES && total <= REPORT_CACHE_WEIGHT && entry.version === version) break;
    if (old === key) break; // the summary just computed stays, however large
    cache.delete(old);
    total -= entry.weight;
  }
  return report;
}

/** Computed summaries per database connection, least recently used dropped first. */
const reportCaches = new WeakMap<object, Map<string, { version: number; report: ActivityReport; weight: number }>>();
const REPORT_CACHE_ENTRIES = 32;
/** Table rows and breakdown lines kept at most, all summaries together (a few tens of MB). */
const REPORT_CACHE_WEIGHT = 100_000;

/** Whose view a summary is: staff see everything; donors and partners what their organisation may. */
function audienceOf(user: SessionUser) {
  return user.role === "admin" || user.role === "coordinator" ? "staff" : `${user.role}:${user.organisationId}`;
}

function computeActivityReport(db: ReturnType<typeof getDb>, user: SessionUser, filters: ReportFilters): Promise<ActivityReport> {
  const where = and(scopeWhere(user), filterWhere(filters));
  // the participants are worked out once (a temporary table of the connection) for the three
  // queries below, instead of once in each: at scale, most of a summary's cost. The table must be
  // the same connection's for all of them, and no other report's meanwhile: one transaction, every
  // statement on its handle (on PostgreSQL another handle may be another connection). A failure
  // rolls the table's creation back with the rest, on both engines.
  return db.transaction(async (tx) => {
    await execute(tx, sql`drop table if exists report_part`);
    await execute(tx, sql`create temporary table report_part as ${reportCte(where)} select * from part`);
    const report = await summarise(tx, user, filters, reportCte(where, true));
    await execute(tx, sql`drop table report_part`);
    return report;
  });
}

async function summarise(db: Tx, user: SessionUser, filters: ReportFilters, cte: SQL): Promise<ActivityReport> {
  const isProtected = isProtectedView(user);

  // 1. the events, each with its key figures (one grouped query)
  const rows = await queryAll<EventRowRaw>(db, sql`${cte}
    select ev.id, ev.title, ev.type, ev.status, ev.country, ev.locality, ev.start_date, ev.end_date, ev.days,
           ${countOf(sql`part.rid`)} as participants,
           ${sumOf(sql`case when part.sex = 'female' then 1 else 0 end`, { big: true })} as women,
           cast(coalesce(max(part.started), 0) as integer) as started,
           ${sumOf(sql`part.att`, { big: true })} as attended,
           ${sumOf(sql`part.cnt`, { big: true })} as counted,
           ${sumOf(sql`part.done`, { big: true })} as completed,
           -- an event's participants and women are people (one registration each): their people's
           -- keys, so that the same people give the same figure here, in the totals of a report of
           -- this event alone, in the events list and on the event's page
           ${sumOf(sql`part.pk`, { big: true })} as participants_k,
           ${sumOf(sql`case when part.sex = 'female' then part.pk else 0 end`, { big: true })} as women_k,
           ${sumOf(sql`part.rk * part.att`, { big: true })} as attended_k,
           ${sumOf(sql`part.rk * part.cnt`, { big: true })} as counted_k,
           ${sumOf(sql`case when part.done = 1 then part.rk else 0 end`, { big: true })} as completed_k
    from ev left join part on part.eid = ev.id
    group by ev.id, ev.title, ev.type, ev.status, ev.country, ev.locality, ev.start_date, ev.end_date, ev.days
    order by ev.start_date, ev.id`);

  // 2. the totals (people counted once however many events they attended)
  const plans = sql`from ${actionPlans} ap join act on act.id = ap.event_id where ap.is_template = false and ap.status = 'submitted'`;
  const items = sql`from ${actionPlanItems} ai join ${actionPlans} ap on ap.id = ai.plan_id join act on act.id = ap.event_id
             where ap.is_template = false and ap.status = 'submitted'`;
  const requests = sql`from ${followUpRequests} fr join act on act.id = fr.origin_event_id`;
  const turned = sql`exists (select 1 from ${events} te where te.origin_follow_up_request_id = fr.id and te.status not in ('draft', 'cancelled'))`;
  // each count beside the sum of its units' cell keys (the disclosure control's input): one pass
  // over each source, every figure of that source computed in it
  const totals = (await queryOne<TotalsRaw>(db, sql`${cte}
    select * from
      (select ${countOf()} as events from ev) e,
      (select ${sumOf(sql`days`, { big: true })} as training_days from act) a,
      (select ${countOf()} as unique_people, ${sumOf(sql`pk`, { big: true })} as unique_k from (select distinct pid, pk from part) as d) u,
      (select ${sumOf(sql`days`, { big: true })} as person_days,
              ${sumOf(sql`rk * days`, { big: true })} as person_days_k,
              ${sumOf(sql`started`, { big: true })} as started_participants,
              ${sumOf(sql`case when started = 1 then rk else 0 end`, { big: true })} as started_k,
              ${sumOf(sql`case when started = 1 then att else 0 end`, { big: true })} as attended,
              ${sumOf(sql`case when started = 1 then rk * att else 0 end`, { big: true })} as attended_k,
              ${sumOf(sql`case when started = 1 then cnt else 0 end`, { big: true })} as counted,
              ${sumOf(sql`case when started = 1 then rk * cnt else 0 end`, { big: true })} as counted_k,
              ${sumOf(sql`case when started = 1 then done else 0 end`, { big: true })} as completed,
              ${sumOf(sql`case when started = 1 and done = 1 then rk else 0 end`, { big: true })} as completed_k,
              ${sumOf(sql`cert`, { big: true })} as certificates,
              ${sumOf(sql`case when cert = 1 then rk else 0 end`, { big: true })} as certificates_k
       from part) p,
      (select ${countOf()} as plans_submitted, ${sumOf(sql`ap.cell_key`, { big: true })} as plans_submitted_k ${plans}) pl,
      (select ${countOf()} as items, ${sumOf(sql`ai.cell_key`, { big: true })} as items_k,
              ${sumOf(sql`case when ai.validated_at is not null then 1 else 0 end`, { big: true })} as items_validated,
              ${sumOf(sql`case when ai.validated_at is not null then ai.cell_key else 0 end`, { big: true })} as items_validated_k ${items}) it,
      (select ${countOf()} as follow_ups, ${sumOf(sql`fr.cell_key`, { big: true })} as follow_ups_k,
              ${sumOf(sql`case when ${turned} then 1 else 0 end`, { big: true })} as turned,
              ${sumOf(sql`case when ${turned} then fr.cell_key else 0 end`, { big: true })} as turned_k ${requests}) rq`))!;

  // 3. every breakdown in one query
  const dims = await queryAll<DimRaw>(db, sql`${cte},
    people_in as (select distinct pid, pk, sex, role_category, organisation_id, nationality from part)
    select 'type' as dim, type as key, null as name, ${countOf()} as n, 0 as k from ev group by type
    union all select 'status', status, null, ${countOf()}, 0 from ev group by status
    union all select 'month', substr(start_date, 1, 7), null, ${countOf()}, 0 from act group by substr(start_date, 1, 7)
    union all select 'sex', coalesce(u.sex, ''), null, ${countOf()}, ${keySum("u.pk")} from people_in u group by u.sex
    union all select 'role', coalesce(u.role_category, ''), null, ${countOf()}, ${keySum("u.pk")} from people_in u group by u.role_category
    union all select 'organisation', coalesce(cast(u.organisation_id as text), ''), o.name, ${countOf()}, ${keySum("u.pk")}
      from people_in u left join ${organisations} o on o.id = u.organisation_id group by u.organisation_id, o.name
    union all select 'nationality', coalesce(u.nationality, ''), null, ${countOf()}, ${keySum("u.pk")} from people_in u group by u.nationality
    union all select 'gcm', cast(g.objective_id as text), null, ${countOf()}, 0 from ${eventGcmObjectives} g join act on act.id = g.event_id group by g.objective_id
    union all select 'item', ai.status, null, ${countOf()}, ${keySum("ai.cell_key")} ${items} group by ai.status
    union all select 'followUp', fr.status, null, ${countOf()}, ${keySum("fr.cell_key")} ${requests} group by fr.status`);
  const dim = (name: string) => dims.filter((d) => d.dim === name).map((d) => ({ key: d.key ?? "", name: d.name, n: d.n, k: d.k }));

  // 4. knowledge: the paired results, overall and by sex, role category and organisation
  const paired = sql`select part.eid, part.rk, part.sex, part.role_category, part.organisation_id,
           pre.correct * ${sql.raw(String(BASIS))} / pre.total as pre, post.correct * ${sql.raw(String(BASIS))} / post.total as post
    from part
    join ${knowledgeTestAttempts} pre on pre.registration_id = part.rid and pre.phase = 'pre' and pre.submitted_at is not null
    join ${knowledgeTestAttempts} post on post.registration_id = part.rid and post.phase = 'post' and post.submitted_at is not null`;
  const learned = sql`${countOf()} as n, ${keySum("p.rk")} as k, ${countOf(sql`distinct p.eid`)} as events,
           ${sumOf(sql`p.pre`, { big: true })} as pre, ${sumOf(sql`p.post`, { big: true })} as post,
           ${sumOf(sql`case when p.post > p.pre then 1 else 0 end`, { big: true })} as improved,
           ${sumOf(sql`case when p.post > p.pre then p.rk else 0 end`, { big: true })} as improved_k,
           ${sumOf(sql`case when p.pre < ${sql.raw(String(BASIS))} then (p.post - p.pre) * ${sql.raw(String(BASIS))} / (${sql.raw(String(BASIS))} - p.pre) else 0 end`, { big: true })} as ngain,
           ${sumOf(sql`case when p.pre < ${sql.raw(String(BASIS))} then 1 else 0 end`, { big: true })} as ngain_n`;
  const knowledgeRows = await queryAll<KnowledgeRaw>(db, sql`${cte}, paired as materialized (${paired})
    select 'all' as dim, '' as key, null as name, ${learned} from paired p
    union all select 'sex', coalesce(p.sex, ''), null, ${learned} from paired p group by p.sex
    union all select 'role', coalesce(p.role_category, ''), null, ${learned} from paired p group by p.role_category
    union all select 'organisation', coalesce(cast(p.organisation_id as text), ''), o.name, ${learned}
      from paired p left join ${organisations} o on o.id = p.organisation_id group by p.organisation_id, o.name`);

  // 5. satisfaction: the answers of closed forms with enough answers, every question in one pass
  const rating = (q: FeedbackQuestion) => sql.raw(`a.rating_${q}`);
  const perQuestion = FEEDBACK_QUESTIONS.map(
    (q) => sql`, ${sumOf(rating(q), { big: true })} as ${sql.raw(`${q}_sum`)},
      ${sumOf(sql`case when ${rating(q)} >= 4 then 1 else 0 end`, { big: true })} as ${sql.raw(`${q}_agree`)},
      ${sumOf(sql`case when ${rating(q)} >= 4 then coalesce(a.cell_key, 0) else 0 end`, { big: true })} as ${sql.raw(`${q}_agree_k`)}
      ${sql.join(
        [1, 2, 3, 4, 5].map((v) => sql`, ${sumOf(sql`case when ${rating(q)} = ${sql.raw(String(v))} then 1 else 0 end`, { big: true })} as ${sql.raw(`${q}_${v}`)}`),
        sql``,
      )}`,
  );
  const feedback = (await queryOne<Record<string, number>>(db, sql`${cte},
    forms as (select f.id from ${feedbackForms} f join act on act.id = f.event_id
      where f.session_id is null and f.closed_at is not null and (select count(*) from ${feedbackAnswers} c where c.form_id = f.id) >= ${sql.raw(String(FEEDBACK_RESULTS_MIN))})
    select ${countOf()} as n, ${keySum("coalesce(a.cell_key, 0)")} as k, ${countOf(sql`distinct a.form_id`)} as events ${sql.join(perQuestion, sql``)}
    from ${feedbackAnswers} a join forms on forms.id = a.form_id`))!;
  const plain = (name: string, order: string[]) =>
    dim(name)
      .map((d) => ({ key: d.key, count: d.n }))
      .sort(byOrder(order));

  // every count of people, plans, items and requests: exact for staff, through the disclosure control otherwise
  const count = (n: number, key: number): Count => (isProtected ? discloseCount({ n, key }) : n);
  const rate = (numerator: Cell, denominator: Cell, people = denominator.n): Rate => {
    if (denominator.n <= 0) return null;
    return isProtected ? discloseRate(numerator, denominator, people) : numerator.n / denominator.n;
  };
  const counted = (name: string, order: string[]): CountLine[] =>
    dim(name)
      .map((d) => ({ key: d.key, count: count(d.n, d.k) }))
      .sort(byOrder(order));

  type Found = { key: string; name: string | null; n: number; k: number };
  /**
   * A breakdown of the unique participants. "Not recorded" comes last. Coordinators see the
   * largest lines first; protected views list lines in a fixed order, because a "<5" line's place
   * between two sizes would betray its value. Each line is a cell of its own: in protected views
   * the lines need not add up to the total.
   */
  const breakdown = (name: string, fixedOrder: (a: Found, b: Found) => number): Breakdown => {
    const found = dim(name).sort((a, b) => {
      if ((a.key === "") !== (b.key === "")) return a.key === "" ? 1 : -1;
      return isProtected ? fixedOrder(a, b) : b.n - a.n || fixedOrder(a, b);
    });
    return { lines: found.map((d) => ({ key: d.key, name: d.name, count: count(d.n, d.k) })) };
  };
  const byKey = (a: Found, b: Found) => a.key.localeCompare(b.key);
  const byName = (a: Found, b: Found) => (a.name ?? "").localeCompare(b.name ?? "") || byKey(a, b);

  /**
   * Mean scores of a group: exact (one decimal) for staff; for protected views only for groups of
   * SMALL_COUNT or more, to the nearest PROTECTED_SCORE_STEP points (so that two groups that differ
   * by one person cannot be subtracted into that person's score), the gain from the rounded means.
   */
  const figures = (r: KnowledgeRaw): KnowledgeFigures => {
    const paired = count(r.n, r.k);
    if (r.n === 0) return { paired, meanPre: null, meanPost: null, gain: null };
    const pre = r.pre / r.n / 100;
    const post = r.post / r.n / 100;
    if (isProtected) {
      if (r.n < SMALL_COUNT) return { paired, meanPre: null, meanPost: null, gain: null };
      const rounded = (x: number) => Math.round(x / PROTECTED_SCORE_STEP) * PROTECTED_SCORE_STEP;
      return { paired, meanPre: rounded(pre), meanPost: rounded(post), gain: rounded(post) - rounded(pre) };
    }
    const tenth = (x: number) => Math.round(x * 10) / 10;
    return { paired, meanPre: tenth(pre), meanPost: tenth(post), gain: tenth(post - pre) };
  };
  const knowledgeAll = knowledgeRows.find((r) => r.dim === "all")!;
  const knowledgeLines = (name: string, fixedOrder: (a: Found, b: Found) => number): KnowledgeLine[] =>
    knowledgeRows
      .filter((r) => r.dim === name)
      .map((r) => ({ raw: r, found: { key: r.key ?? "", name: r.name, n: r.n, k: r.k } }))
      .sort((a, b) => {
        if ((a.found.key === "") !== (b.found.key === "")) return a.found.key === "" ? 1 : -1;
        return isProtected ? fixedOrder(a.found, b.found) : b.found.n - a.found.n || fixedOrder(a.found, b.found);
      })
      .map(({ raw, found }) => ({ key: found.key, name: found.name, ...figures(raw) }));
  const normalisedGain = (): Rate => {
    const r = knowledgeAll;
    if (r.ngain_n === 0) return null;
    const mean = r.ngain / r.ngain_n / BASIS;
    if (!isProtected) return mean;
    return r.ngain_n < SMALL_COUNT ? null : Math.round(mean / RATE_STEP) * RATE_STEP;
  };
  const knowledge: Knowledge = {
    ...figures(knowledgeAll),
    events: knowledgeAll.events,
    normalisedGain: normalisedGain(),
    improvedShare: rate({ n: knowledgeAll.improved, key: knowledgeAll.improved_k }, { n: knowledgeAll.n, key: knowledgeAll.k }),
    bySex: knowledgeLines("sex", byOrder(SEX_ORDER)),
    byRole: knowledgeLines("role", byKey),
    byOrganisation: knowledgeLines("organisation", byName),
  };
  const answers: Cell = { n: feedback.n, key: feedback.k };
  const satisfaction: Satisfaction = {
    answers: count(answers.n, answers.key),
    events: feedback.events,
    questions: FEEDBACK_QUESTIONS.map((q) => ({
      key: q,
      mean: isProtected || answers.n === 0 ? null : Math.round((feedback[`${q}_sum`] / answers.n) * 10) / 10,
      agreeShare: rate({ n: feedback[`${q}_agree`], key: feedback[`${q}_agree_k`] }, answers),
      distribution: isProtected || answers.n === 0 ? null : [1, 2, 3, 4, 5].map((v) => feedback[`${q}_${v}`]),
    })),
  };

  const table: ReportEventRow[] = rows.map((r) => {
    const isCounted = r.status !== "cancelled";
    const participants = { n: isCounted ? r.participants : 0, key: r.participants_k };
    return {
      id: r.id,
      title: r.title,
      type: r.type,
      status: r.status,
      country: r.country,
      locality: r.locality,
      startDate: r.start_date,
      endDate: r.end_date,
      days: r.days,
      counted: isCounted,
      participants: count(participants.n, participants.key),
      women: count(isCounted ? r.women : 0, r.women_k),
      attendanceRate:
        isCounted && r.started ? rate({ n: r.attended, key: r.attended_k }, { n: r.counted, key: r.counted_k }, r.participants) : null,
      completionRate: isCounted && r.started ? rate({ n: r.completed, key: r.completed_k }, participants) : null,
    };
  });

  return {
    protected: isProtected,
    empty: totals.events === 0,
    filters,
    events: {
      total: totals.events,
      byType: plain("type", TYPE_ORDER),
      byStatus: plain("status", STATUS_ORDER),
      byMonth: fillMonths(plain("month", [])),
    },
    trainingDays: totals.training_days,
    participants: {
      unique: count(totals.unique_people, totals.unique_k),
      personDays: count(totals.person_days, totals.person_days_k),
      bySex: breakdown("sex", byOrder(SEX_ORDER)),
      byRole: breakdown("role", byKey),
      byOrganisation: breakdown("organisation", byName),
      byNationality: breakdown("nationality", byKey),
    },
    attendanceRate: rate({ n: totals.attended, key: totals.attended_k }, { n: totals.counted, key: totals.counted_k }, totals.started_participants),
    completionRate: rate({ n: totals.completed, key: totals.completed_k }, { n: totals.started_participants, key: totals.started_k }),
    certificates: count(totals.certificates, totals.certificates_k),
    actionPlans: {
      submitted: count(totals.plans_submitted, totals.plans_submitted_k),
      items: count(totals.items, totals.items_k),
      itemsByStatus: counted("item", ITEM_ORDER),
      validated: count(totals.items_validated, totals.items_validated_k),
      validatedShare: rate({ n: totals.items_validated, key: totals.items_validated_k }, { n: totals.items, key: totals.items_k }),
    },
    followUps: {
      total: count(totals.follow_ups, totals.follow_ups_k),
      byStatus: counted("followUp", FOLLOW_UP_ORDER),
      turnedIntoTrainings: count(totals.turned, totals.turned_k),
    },
    gcmObjectives: dim("gcm")
      .map((d) => ({ id: Number(d.key), events: d.n }))
      .sort((a, b) => a.id - b.id),
    knowledge,
    satisfaction,
    table,
  };
}

/** Months from the first to the last with an event, the empty ones in between included (a timeline). */
function fillMonths(found: PlainLine[]): PlainLine[] {
  if (found.length === 0) return [];
  const sorted = [...found].sort((a, b) => a.key.localeCompare(b.key));
  const counts = new Map(sorted.map((m) => [m.key, m.count]));
  const out: PlainLine[] = [];
  let [y, m] = sorted[0].key.split("-").map(Number);
  const last = sorted[sorted.length - 1].key;
  for (let guard = 0; guard < 12 * (MAX_REPORT_YEARS + 1); guard++) {
    const key = `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}`;
    out.push({ key, count: counts.get(key) ?? 0 });
    if (key >= last) break;
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The filter form's choices, limited to what the user may report on

export type ReportFilterOptions = {
  programmes: { id: number; name: string }[];
  /** empty for donors: their reports are always about what their organisation funds */
  donors: { id: number; name: string }[];
  countries: string[];
  partners: { id: number; name: string }[];
  /** too many partners to list: only the chosen one is; choosing a country lists that country's */
  partnersByCountry: boolean;
};

/** More partners than this (a global organisation works with thousands of agencies): chosen by country first. */
export const PARTNER_OPTIONS_LIMIT = 200;

/**
 * The filter form's choices, kept like the summaries until the data version moves (programmes,
 * organisations, funding, events and their partners all move it): they are the same for everyone
 * of an audience, and working them out again on every page and export cost as much as the page.
 */
export async function reportFilterOptions(user: SessionUser, current: { country?: string; partnerId?: number } = {}): Promise<ReportFilterOptions> {
  const db = getDb();
  const key = JSON.stringify([audienceOf(user), current.country ?? null, current.partnerId ?? null]);
  return await keptOptions(db, key, async () => await computeReportFilterOptions(db, user, current));
}

const keptOptions = keptUntilDataChanges<ReportFilterOptions>(64);

async function computeReportFilterOptions(db: ReturnType<typeof getDb>, user: SessionUser, current: { country?: string; partnerId?: number }): Promise<ReportFilterOptions> {
  const scope = scopeWhere(user);
  const everything = user.role === "admin" || user.role === "coordinator";
  const programmeRows = everything
    ? (await db.select({ id: programmes.id, name: programmes.name }).from(programmes).orderBy(asc(programmes.name)))
    : user.role === "donor"
      ? user.organisationId === null
        ? []
        : (await db
            .select({ id: programmes.id, name: programmes.name })
            .from(programmeFunding)
            .innerJoin(programmes, eq(programmes.id, programmeFunding.programmeId))
            .where(eq(programmeFunding.donorOrganisationId, user.organisationId))
            .orderBy(asc(programmes.name)))
      : (await programmesOfEvents(db, scope));
  const donors =
    user.role === "donor"
      ? []
      : everything
        ? (await db.select({ id: organisations.id, name: organisations.name }).from(organisations).where(eq(organisations.kind, "donor")).orderBy(asc(organisations.name)))
        : programmeRows.length === 0
          ? []
          : (await db
              .selectDistinct({ id: organisations.id, name: organisations.name })
              .from(programmeFunding)
              .innerJoin(organisations, eq(organisations.id, programmeFunding.donorOrganisationId))
              .where(inArray(programmeFunding.programmeId, programmeRows.map((p) => p.id)))
              .orderBy(asc(organisations.name)));
  const countries = (await db
    .selectDistinct({ country: events.country })
    .from(events)
    .where(scope)
    .orderBy(asc(events.country)))
    .map((r) => r.country);
  // the partners of the events in scope (of the chosen country, if one is): listed when there are
  // at most PARTNER_OPTIONS_LIMIT of them; otherwise only the chosen one, and the form asks for a country
  const partnerRows = await db
    .selectDistinct({ id: organisations.id, name: organisations.name })
    .from(eventPartners)
    .innerJoin(events, eq(events.id, eventPartners.eventId))
    .innerJoin(organisations, eq(organisations.id, eventPartners.organisationId))
    .where(and(scope, current.country ? eq(events.country, current.country) : undefined))
    .orderBy(asc(organisations.name))
    // with a country chosen, all of its partners (a country has far fewer)
    .limit(current.country ? -1 : PARTNER_OPTIONS_LIMIT + 1);
  const partnersByCountry = !current.country && partnerRows.length > PARTNER_OPTIONS_LIMIT;
  let partners = partnerRows;
  if (partnersByCountry) {
    const chosen =
      current.partnerId === undefined
        ? undefined
        : firstRow(await db
            .selectDistinct({ id: organisations.id, name: organisations.name })
            .from(eventPartners)
            .innerJoin(events, eq(events.id, eventPartners.eventId))
            .innerJoin(organisations, eq(organisations.id, eventPartners.organisationId))
            .where(and(scope, eq(organisations.id, current.partnerId))).limit(1));
    partners = chosen ? [chosen] : [];
  }
  return { programmes: programmeRows, donors, countries, partners, partnersByCountry };
}

/** Names of the chosen filters, for the exports' header lines (ids the user may not see stay ids). */
export function reportFilterNames(options: ReportFilterOptions, filters: ReportFilters) {
  const name = (list: { id: number; name: string }[], id: number | undefined) =>
    id === undefined ? null : (list.find((x) => x.id === id)?.name ?? `#${id}`);
  return {
    programme: name(options.programmes, filters.programmeId),
    donor: name(options.donors, filters.donorId),
    partner: name(options.partners, filters.partnerId),
  };
}

/** Every export of a report is recorded: who, which format, which filters (no personal data in it). */
export async function recordReportExport(actor: Actor, format: "csv" | "csv-events" | "xlsx" | "xlsx-events" | "pdf", filters: ReportFilters, extra: { locale: string; events: number }) {
  await recordAudit(getDb(), {
    userId: actor.user.id,
    ip: actor.ip,
    action: "export.report",
    entityType: "report",
    details: { format, filters, ...extra },
  });
}
