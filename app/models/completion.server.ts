import { sql, type SQL } from "drizzle-orm";

/**
 * THE definition of attendance and completion, used by every page, export, certificate and
 * report (so a figure means the same everywhere):
 * - sessions that count are the event's sessions except breaks;
 * - attended = sessions marked present or late;
 * - counted = sessions that count, less those the person was excused from;
 * - completed when counted > 0 and attended / counted ≥ the event's completion threshold.
 *
 * The three counts are stored (`events.counted_sessions`, `registrations.attended_sessions`,
 * `registrations.excused_sessions`) and kept by triggers on attendance and event_sessions
 * (db/migrations/0007_stored_attendance_counts.sql) on every write, whatever code makes it, so
 * that a roster or a five-year report reads them instead of counting marks row by row.
 * `recountAttendance` recounts from the marks (tests compare the two).
 * Arguments are SQL references to the registration's stored counts, its event's counted sessions
 * and threshold, fully qualified (correlated subqueries must not bind to an inner table by accident).
 */
export function completionSql(refs: { attendedSessions: SQL; excusedSessions: SQL; countedSessions: SQL; threshold: SQL }) {
  const attended = refs.attendedSessions;
  const counted = sql`(${refs.countedSessions} - ${refs.excusedSessions})`;
  return {
    attended: sql<number>`${attended}`,
    counted: sql<number>`${counted}`,
    completed: sql<number>`(case when ${counted} > 0 and ${attended} * 100 >= ${refs.threshold} * ${counted} then 1 else 0 end)`,
  };
}

/** The usual references when the query selects from registrations joined to events. */
export const REGISTRATION_REFS = {
  attendedSessions: sql.raw(`"registrations"."attended_sessions"`),
  excusedSessions: sql.raw(`"registrations"."excused_sessions"`),
  countedSessions: sql.raw(`"events"."counted_sessions"`),
  threshold: sql.raw(`"events"."completion_threshold"`),
};

/**
 * The stored counts recomputed from the attendance marks, for every registration and event whose
 * stored value differs (empty when the triggers kept everything right). Used by tests.
 */
export const RECOUNT_MISMATCHES = `
  select 'registration' as kind, r.id as id from registrations r
  left join (select a.registration_id as rid, sum(case when a.status in ('present', 'late') then 1 else 0 end) as att, sum(case when a.status = 'excused' then 1 else 0 end) as exc
             from attendance a join event_sessions s on s.id = a.session_id where s.kind <> 'break' group by a.registration_id) c on c.rid = r.id
  where r.attended_sessions <> coalesce(c.att, 0) or r.excused_sessions <> coalesce(c.exc, 0)
  union all
  select 'event', e.id from events e
  where e.counted_sessions <> (select count(*) from event_sessions s where s.event_id = e.id and s.kind <> 'break')`;
