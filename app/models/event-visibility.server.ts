import { and, eq, ne, or, sql, type SQL } from "drizzle-orm";
import { never } from "../../db/sql-dialect";
import { eventPartners, eventSessions, events, people, programmeFunding, registrations, sessionFacilitators } from "../../db/schema";
import type { SessionUser } from "~/auth/session.server";

/**
 * Who may see which events: the one rule the events pages, the API and webhook subscriptions
 * share (a module of its own, free of page texts, so that any model can use it).
 */

/**
 * Correlated subqueries must name the outer event explicitly: drizzle leaves columns unqualified in
 * single-table queries, and an unqualified "id" inside a subquery would bind to the inner table.
 */
const OUTER_EVENT_ID = sql.raw(`"events"."id"`);
const OUTER_PROGRAMME_ID = sql.raw(`"events"."programme_id"`);

/**
 * Which events a user may see, as a condition inside the query (ownership enforced in SQL, never
 * by filtering afterwards). Drafts are for admins and coordinators only.
 *
 * "The events where this user or agency has a registration" is a list worked out once (`in
 * (select …)`, from the person's or agency's own rows by their indexes), not a question asked of
 * every event's registrations: a partner's events list at scale 10 read 600,000 registrations
 * three times a page (count, countries, programmes: 480 ms), now its own 168 officers' rows.
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
          sql`${OUTER_EVENT_ID} in (select es.event_id from ${sessionFacilitators} sf join ${eventSessions} es on es.id = sf.session_id
                                    where sf.user_id = ${user.id})`,
          sql`${OUTER_EVENT_ID} in (select r.event_id from ${registrations} r join ${people} p on p.id = r.person_id
                                    where p.user_id = ${user.id} and r.event_role = 'facilitator')`,
        ),
      );
    case "participant":
      return and(
        ne(events.status, "draft"),
        or(
          eq(events.status, "open"),
          sql`${OUTER_EVENT_ID} in (select r.event_id from ${registrations} r join ${people} p on p.id = r.person_id where p.user_id = ${user.id})`,
        ),
      );
    case "partner":
      if (user.organisationId === null) return never();
      return and(
        ne(events.status, "draft"),
        or(
          // open events too: the partner may nominate its officers for them
          eq(events.status, "open"),
          sql`${OUTER_EVENT_ID} in (select ep.event_id from ${eventPartners} ep where ep.organisation_id = ${user.organisationId})`,
          sql`${OUTER_EVENT_ID} in (select r.event_id from ${registrations} r join ${people} p on p.id = r.person_id
                                    where p.organisation_id = ${user.organisationId})`,
        ),
      );
    case "donor":
      if (user.organisationId === null) return never();
      return and(
        ne(events.status, "draft"),
        sql`${OUTER_PROGRAMME_ID} in (select pf.programme_id from ${programmeFunding} pf where pf.donor_organisation_id = ${user.organisationId})`,
      );
  }
}

