import { sql, type SQL } from "drizzle-orm";
import { attendance, eventSessions } from "../../db/schema";

/**
 * THE definition of attendance and completion, used by every page, export, certificate and
 * report (so a figure means the same everywhere):
 * - sessions that count are the event's sessions except breaks;
 * - attended = sessions marked present or late;
 * - counted = sessions that count, less those the person was excused from;
 * - completed when counted > 0 and attended / counted ≥ the event's completion threshold.
 * Arguments are SQL references to the registration's id, its event's id and the event's threshold,
 * fully qualified (correlated subqueries must not bind to an inner table by accident).
 */
export function completionSql(refs: { registrationId: SQL; eventId: SQL; threshold: SQL }) {
  const sessions = sql`(select count(*) from ${eventSessions} cs where cs.event_id = ${refs.eventId} and cs.kind <> 'break')`;
  const marked = (statuses: string) =>
    sql`(select count(*) from ${attendance} ca join ${eventSessions} cs on cs.id = ca.session_id
         where ca.registration_id = ${refs.registrationId} and cs.kind <> 'break' and ca.status in (${sql.raw(statuses)}))`;
  const attended = marked("'present','late'");
  const counted = sql`(${sessions} - ${marked("'excused'")})`;
  return {
    attended: sql<number>`${attended}`,
    counted: sql<number>`${counted}`,
    completed: sql<number>`(case when ${counted} > 0 and ${attended} * 100 >= ${refs.threshold} * ${counted} then 1 else 0 end)`,
  };
}

/** The usual references when the query selects from registrations joined to events. */
export const REGISTRATION_REFS = {
  registrationId: sql.raw(`"registrations"."id"`),
  eventId: sql.raw(`"registrations"."event_id"`),
  threshold: sql.raw(`"events"."completion_threshold"`),
};
