import { sql, type SQL } from "drizzle-orm";
import { getDb, queryAll } from "../../db/client";
import { addDaysSql, countOf, jsonArrayElements, utcDay } from "../../db/sql-dialect";
import { nowMs } from "~/lib/clock";
import { dayInZone } from "~/lib/format";
import { EVENT_NEEDS, FEW_REGISTRATIONS_DEFAULT_CAPACITY, STARTING_SOON_DAYS, type EventNeed } from "~/lib/needs";
import { completionSql } from "./completion.server";
import { keptUntilDataChanges, planActivityVersion } from "./data-version.server";

/**
 * What waits for a coordinator, as conditions on an events row (the outer "events" of the query):
 * the home page counts the events matching each, the events list filters by the same SQL, so the
 * count and the list it links to cannot disagree. Days ("starts within 14 days", "a check-in has
 * come") are measured in each event's own zone: `todays` maps every zone of the events to today
 * there (eventTodays), turned into one CASE expression.
 */

const E = (column: string) => sql.raw(`"events"."${column}"`);

/** A check-in that came more than this many days ago is no longer "due" (as reminders: REMINDER_LATE_LIMIT_DAYS). */
export const CHECK_IN_DUE_FOR_DAYS = 30;

type Reader = ReturnType<typeof getDb>;

/** What the needs' conditions are worked out with: today in each zone, and the events kept below. */
export type NeedsContext = { todays: Map<string, string>; kept: Partial<Record<KeptNeed, number[]>> };

/** The needs whose events are worked out once and kept until the data they read moves. */
const KEPT_NEEDS = ["certificates", "plansToReview", "checkIns"] as const;
type KeptNeed = (typeof KEPT_NEEDS)[number];
const isKept = (need: EventNeed): need is KeptNeed => (KEPT_NEEDS as readonly string[]).includes(need);

/** The context for these needs (all of them by default). */
export async function needsContext(db: Reader = getDb(), needs: readonly EventNeed[] = EVENT_NEEDS): Promise<NeedsContext> {
  const todays = await eventTodays(db);
  const wanted = KEPT_NEEDS.filter((need) => needs.includes(need));
  return { todays, kept: wanted.length === 0 ? {} : await keptNeedEvents(db, wanted, todays) };
}

const keptEvents = keptUntilDataChanges<NeedsContext["kept"]>(8);

/**
 * The events with the costly needs, kept until the data moves. Each reads a row per registration
 * or plan of thousands of events (scale 10: certificates 229,000 registrations of 7,500 completed
 * events, 180 ms; check-ins due and plans to review 20–60 ms), and only tables that move the
 * 'reports' version (events, registrations — attendance moves their stored counts —, certificates,
 * plans, their items) or the 'plan_activity' one (comments, progress, users' roles) change the
 * answers, besides the day in each zone, which is part of the key. Whether an event needing
 * certificates is over yet depends on the clock: that part stays in the condition (needWhere).
 */
async function keptNeedEvents(db: Reader, wanted: KeptNeed[], todays: Map<string, string>): Promise<NeedsContext["kept"]> {
  const activity = await planActivityVersion(db);
  const key = `${wanted.join(",")} ${activity} ${JSON.stringify([...todays].sort())}`;
  return await keptEvents(db, key, async () => {
    const kept: NeedsContext["kept"] = {};
    for (const need of wanted) {
      const rows = await queryAll<{ id: number }>(db, sql`select ${E("id")} as id from events where ${uncachedNeedWhere(need, todays)}`);
      kept[need] = rows.map((r) => Number(r.id));
    }
    return kept;
  });
}

/** The number of events with this need when the kept list alone answers it (not the certificates': the clock decides too). */
export function keptCount(need: EventNeed, context: NeedsContext): number | undefined {
  return need !== "certificates" && isKept(need) ? context.kept[need]?.length : undefined;
}

/** Today in each zone that has an event, and in UTC (one statement: the distinct zones). */
export async function eventTodays(db: Reader = getDb()): Promise<Map<string, string>> {
  const at = nowMs();
  const zones = (await queryAll<{ tz: string }>(db, sql`select distinct time_zone as tz from events`)).map((z) => z.tz);
  return new Map([...zones, "UTC"].map((tz) => [tz, dayInZone(at, tz)]));
}

/** Today in the outer event's zone, as SQL: zones sharing a day are grouped, UTC's day otherwise. */
export function eventToday(todays: Map<string, string>, zoneColumn: SQL = E("time_zone")): SQL {
  const utc = todays.get("UTC") ?? new Date(nowMs()).toISOString().slice(0, 10);
  const byDay = new Map<string, string[]>();
  for (const [tz, day] of todays) {
    if (tz === "UTC" || day === utc) continue;
    byDay.set(day, [...(byDay.get(day) ?? []), tz]);
  }
  if (byDay.size === 0) return sql`${utc}`;
  const branches = [...byDay].map(
    ([day, zones]) =>
      sql`when ${zoneColumn} in (${sql.join(
        zones.map((z) => sql`${z}`),
        sql`, `,
      )}) then ${day}`,
  );
  return sql`(case ${sql.join(branches, sql` `)} else ${utc} end)`;
}

/**
 * The day of a plan's latest check-in that has come (event's last day + N days, N in its
 * check_in_days, on or before `today`), if it came at most CHECK_IN_DUE_FOR_DAYS days ago; null
 * otherwise. `event` names the plan's event row.
 */
function latestCheckInDay(event: string, today: SQL): SQL {
  const day = addDaysSql(sql.raw(`${event}.end_date`), sql`cast(j.value as integer)`);
  return sql`(select max(${day}) from ${jsonArrayElements(sql.raw(`${event}.check_in_days`), "j")}
              where ${day} <= ${today} and ${day} >= ${addDaysSql(today, -CHECK_IN_DUE_FOR_DAYS)})`;
}

/**
 * A plan (alias `plan`, its event `event`) whose check-in is due: a check-in day has come within
 * the last CHECK_IN_DUE_FOR_DAYS days, the plan still has items not done, and nobody has recorded
 * progress on it since that day. The same rule for the coordinator's count and the participant's.
 */
export function planCheckInDue(plan: string, event: string, today: SQL): SQL {
  const p = (c: string) => sql.raw(`${plan}.${c}`);
  const due = latestCheckInDay(event, today);
  return sql`(${p("is_template")} = false
    and ${sql.raw(`${event}.status`)} in ('in_progress', 'completed', 'reported')
    and exists (select 1 from action_plan_items oi where oi.plan_id = ${p("id")} and oi.status <> 'done')
    and ${due} is not null
    and not exists (select 1 from action_plan_updates pu join action_plan_items pi on pi.id = pu.item_id
                    where pi.plan_id = ${p("id")} and ${utcDay(sql`pu.created_at`)} >= ${due}))`;
}

/** A confirmed participant of the outer event who completed it (the one definition of completion). */
const completedParticipant = () => {
  const { completed } = completionSql({
    attendedSessions: sql.raw("cr.attended_sessions"),
    excusedSessions: sql.raw("cr.excused_sessions"),
    countedSessions: E("counted_sessions"),
    threshold: E("completion_threshold"),
  });
  return sql`cr.event_role = 'participant' and cr.status = 'confirmed' and ${completed} = 1`;
};

/** An id list as SQL (integers read from the database, inlined: a list has no bound on its length). */
function idList(ids: number[]): SQL {
  const safe = ids.filter((n) => Number.isSafeInteger(n));
  return safe.length === 0 ? sql`(null)` : sql.raw(`(${safe.join(", ")})`);
}

/** The condition on the outer "events" row for one need. */
export function needWhere(need: EventNeed, context: NeedsContext): SQL {
  const kept = isKept(need) ? context.kept[need] : undefined;
  if (kept === undefined) return uncachedNeedWhere(need, context.todays);
  const listed = sql`${E("id")} in ${idList(kept)}`;
  // the event is over: its last session has ended (the clock, not the kept answer)
  return need === "certificates" ? sql`(${listed} and (select max(cs.ends_at) from event_sessions cs where cs.event_id = ${E("id")}) <= ${nowMs()})` : sql`(${listed})`;
}

/** The condition on the outer "events" row for one need, worked out on the rows. */
function uncachedNeedWhere(need: EventNeed, todays: Map<string, string>): SQL {
  const today = eventToday(todays);
  const id = E("id");
  const startingSoon = sql`${E("status")} in ('draft', 'open') and ${E("start_date")} >= ${today}
    and ${E("start_date")} <= ${addDaysSql(today, STARTING_SOON_DAYS)}`;
  switch (need) {
    case "approvals":
      // applications awaiting approval and partners' nominations awaiting confirmation
      return sql`(${E("status")} in ('open', 'in_progress')
        and exists (select 1 from registrations wr where wr.event_id = ${id} and wr.status in ('applied', 'nominated')))`;
    case "noFacilitator":
      return sql`(${startingSoon}
        and not exists (select 1 from session_facilitators nf join event_sessions ns on ns.id = nf.session_id where ns.event_id = ${id})
        and not exists (select 1 from registrations nr where nr.event_id = ${id} and nr.event_role = 'facilitator' and nr.status = 'confirmed'))`;
    case "fewRegistrations":
      return sql`(${startingSoon}
        and (select ${countOf()} from registrations fr where fr.event_id = ${id} and fr.event_role = 'participant' and fr.status = 'confirmed') * 2
            < coalesce(${E("capacity")}, ${FEW_REGISTRATIONS_DEFAULT_CAPACITY}))`;
    case "certificates":
      // a completed event where someone who completed has no certificate yet (revoked certificates
      // were revoked on purpose and count as issued); whether it is over is needWhere's part
      return sql`(${E("status")} = 'completed' and ${E("counted_sessions")} > 0
        and exists (select 1 from registrations cr where cr.event_id = ${id} and ${completedParticipant()}
                    and not exists (select 1 from certificates cc where cc.registration_id = cr.id)))`;
    case "plansToReview":
      // submitted plans no coordinator or admin has commented on since they were submitted
      return sql`(${E("status")} in ('in_progress', 'completed')
        and exists (select 1 from action_plans rp where rp.event_id = ${id} and rp.is_template = false and rp.status = 'submitted'
                    and not exists (select 1 from action_plan_comments rc join users ru on ru.id = rc.author_user_id
                                    where rc.plan_id = rp.id and ru.role in ('admin', 'coordinator')
                                      and rc.created_at >= coalesce(rp.submitted_at, 0))))`;
    case "checkIns":
      // the event's check-in window first (a few events at a time), then its plans
      return sql`(${E("status")} in ('in_progress', 'completed', 'reported')
        and ${E("end_date")} >= ${addDaysSql(todays.get("UTC")!, -762)}
        and ${latestCheckInDay('"events"', today)} is not null
        and exists (select 1 from action_plans dp where dp.event_id = ${id} and ${planCheckInDue("dp", '"events"', today)}))`;
  }
}
