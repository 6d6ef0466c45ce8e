import {
  check,
  index,
  integer,
  primaryKey,
  table,
  text,
  type AnySQLiteColumn,
} from "./dialect";
import { sql } from "drizzle-orm";
import {
  DEFAULT_COMPLETION_THRESHOLD,
  EVENT_STATUSES,
  EVENT_TYPES,
  FOLLOW_UP_STATUSES,
  PRIORITIES,
  SESSION_KINDS,
} from "../../app/lib/domain";
import { inList, inOrder, instant, timestamps } from "./columns";
import { gcmObjectives, organisations, programmes } from "./organisations";
import { users } from "./users";
import { people } from "./people";

/** A training or workshop. Days are calendar dates in the event's own time zone. */
export const events = table(
  "events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    title: text("title").notNull(),
    type: text("type", { enum: EVENT_TYPES }).notNull(),
    description: text("description"),
    programmeId: integer("programme_id").references(() => programmes.id, { onDelete: "set null" }),
    /** ISO 3166-1 alpha-2 */
    country: text("country").notNull(),
    locality: text("locality"),
    venue: text("venue"),
    /** IANA zone, e.g. America/Nassau */
    timeZone: text("time_zone").notNull(),
    /** first and last day, YYYY-MM-DD in the event's zone */
    startDate: text("start_date").notNull(),
    endDate: text("end_date").notNull(),
    capacity: integer("capacity"),
    /** JSON array of role categories */
    targetRoles: text("target_roles", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
    /** JSON array of free-text topics */
    topics: text("topics", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
    status: text("status", { enum: EVENT_STATUSES }).notNull().default("draft"),
    contactName: text("contact_name"),
    contactEmail: text("contact_email"),
    registrationOpensAt: instant("registration_opens_at"),
    registrationClosesAt: instant("registration_closes_at"),
    completionThreshold: integer("completion_threshold").notNull().default(DEFAULT_COMPLETION_THRESHOLD),
    requiresApproval: integer("requires_approval", { mode: "boolean" }).notNull().default(false),
    consentText: text("consent_text"),
    /** minutes before and after a session during which self check-in is accepted */
    checkInGraceMinutes: integer("check_in_grace_minutes").notNull().default(15),
    /** days after the last day at which action-plan check-ins are sent, JSON array */
    checkInDays: text("check_in_days", { mode: "json" }).$type<number[]>().notNull().default(sql`'[30,60,90]'`),
    /** the follow-up request this event answers, if any */
    originFollowUpRequestId: integer("origin_follow_up_request_id").references(
      (): AnySQLiteColumn => followUpRequests.id,
      { onDelete: "set null" },
    ),
    createdByUserId: text("created_by_user_id").references(() => users.id, { onDelete: "set null" }),
    /**
     * sessions that count for attendance (all but breaks). Kept by triggers on event_sessions
     * (migration 0007) — never written by the app; see app/models/completion.server.ts.
     */
    countedSessions: integer("counted_sessions").notNull().default(0),
    /** months after the last day at which participants' personal data is anonymised; null = kept */
    retentionMonths: integer("retention_months"),
    /** when the retention run anonymised this event's participants */
    personalDataAnonymisedAt: instant("personal_data_anonymised_at"),
    ...timestamps,
  },
  (t) => [
    index("events_programme_idx").on(t.programmeId),
    index("events_country_idx").on(t.country),
    index("events_status_idx").on(t.status),
    index("events_start_date_idx").on(t.startDate),
    // "not ended yet" (home page, ongoing and past lists) without scanning five years of events
    index("events_end_date_idx").on(t.endDate),
    // the zones that have an event (the needs' "today" in each event's zone) read from the index, not the table
    index("events_time_zone_idx").on(t.timeZone),
    index("events_origin_follow_up_idx").on(t.originFollowUpRequestId),
    index("events_created_by_idx").on(t.createdByUserId),
    check("events_type_check", inList("type", EVENT_TYPES)),
    check("events_status_check", inList("status", EVENT_STATUSES)),
    check("events_dates_check", sql`start_date <= end_date`),
    check("events_capacity_check", sql`capacity IS NULL OR capacity > 0`),
    check("events_threshold_check", sql`completion_threshold BETWEEN 0 AND 100`),
    check("events_grace_check", sql`check_in_grace_minutes BETWEEN 0 AND 240`),
    check("events_registration_window_check", inOrder("registration_opens_at", "registration_closes_at")),
  ],
);

export const eventPartners = table(
  "event_partners",
  {
    eventId: integer("event_id")
      .notNull()
      .references(() => events.id, { onDelete: "cascade" }),
    organisationId: integer("organisation_id")
      .notNull()
      .references(() => organisations.id, { onDelete: "restrict" }),
  },
  (t) => [
    primaryKey({ columns: [t.eventId, t.organisationId] }),
    index("event_partners_organisation_idx").on(t.organisationId),
  ],
);

export const eventGcmObjectives = table(
  "event_gcm_objectives",
  {
    eventId: integer("event_id")
      .notNull()
      .references(() => events.id, { onDelete: "cascade" }),
    objectiveId: integer("objective_id")
      .notNull()
      .references(() => gcmObjectives.id, { onDelete: "restrict" }),
  },
  (t) => [
    primaryKey({ columns: [t.eventId, t.objectiveId] }),
    index("event_gcm_objectives_objective_idx").on(t.objectiveId),
  ],
);

/** A slot in an event's timetable. Instants in UTC; shown in the event's zone. */
export const eventSessions = table(
  "event_sessions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    eventId: integer("event_id")
      .notNull()
      .references(() => events.id, { onDelete: "cascade" }),
    title: text("title").notNull(),
    kind: text("kind", { enum: SESSION_KINDS }).notNull().default("presentation"),
    startsAt: instant("starts_at").notNull(),
    endsAt: instant("ends_at").notNull(),
    room: text("room"),
    description: text("description"),
    ...timestamps,
  },
  (t) => [
    index("event_sessions_event_starts_idx").on(t.eventId, t.startsAt),
    check("event_sessions_kind_check", inList("kind", SESSION_KINDS)),
    check("event_sessions_order_check", sql`ends_at > starts_at`),
  ],
);

/** Who teaches a session: a user with the facilitator role, or a person on the roster. */
export const sessionFacilitators = table(
  "session_facilitators",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    sessionId: integer("session_id")
      .notNull()
      .references(() => eventSessions.id, { onDelete: "cascade" }),
    userId: text("user_id").references(() => users.id, { onDelete: "cascade" }),
    personId: integer("person_id").references(() => people.id, { onDelete: "cascade" }),
  },
  (t) => [
    index("session_facilitators_session_idx").on(t.sessionId),
    index("session_facilitators_user_idx").on(t.userId),
    index("session_facilitators_person_idx").on(t.personId),
    check("session_facilitators_who_check", sql`(user_id IS NULL) <> (person_id IS NULL)`),
  ],
);

/** "The government asked for more": a request that may become a new event. */
export const followUpRequests = table(
  "follow_up_requests",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** a random key (0 to 99) given once at insert (trigger); donor figures are perturbed by the sum of their units' keys (app/models/disclosure.server.ts) */
    cellKey: integer("cell_key"),
    title: text("title").notNull(),
    description: text("description").notNull(),
    country: text("country").notNull(),
    /** e.g. "Bimini, Grand Bahama" — JSON array */
    localities: text("localities", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
    targetAudience: text("target_audience"),
    roleCategories: text("role_categories", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
    estimatedParticipants: integer("estimated_participants"),
    desiredFrom: text("desired_from"),
    desiredTo: text("desired_to"),
    priority: text("priority", { enum: PRIORITIES }).notNull().default("normal"),
    status: text("status", { enum: FOLLOW_UP_STATUSES }).notNull().default("received"),
    requestingOrganisationId: integer("requesting_organisation_id").references(() => organisations.id, {
      onDelete: "set null",
    }),
    originEventId: integer("origin_event_id").references((): AnySQLiteColumn => events.id, {
      onDelete: "set null",
    }),
    createdByUserId: text("created_by_user_id").references(() => users.id, { onDelete: "set null" }),
    ...timestamps,
  },
  (t) => [
    index("follow_up_requests_status_idx").on(t.status),
    index("follow_up_requests_org_idx").on(t.requestingOrganisationId),
    index("follow_up_requests_origin_event_idx").on(t.originEventId),
    index("follow_up_requests_created_by_idx").on(t.createdByUserId),
    check("follow_up_requests_status_check", inList("status", FOLLOW_UP_STATUSES)),
    check("follow_up_requests_priority_check", inList("priority", PRIORITIES)),
    check("follow_up_requests_period_check", inOrder("desired_from", "desired_to")),
    check(
      "follow_up_requests_estimate_check",
      sql`estimated_participants IS NULL OR estimated_participants > 0`,
    ),
  ],
);

/** Status changes and comments on a follow-up request (its history). */
export const followUpRequestEntries = table(
  "follow_up_request_entries",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    requestId: integer("request_id")
      .notNull()
      .references(() => followUpRequests.id, { onDelete: "cascade" }),
    authorUserId: text("author_user_id").references(() => users.id, { onDelete: "set null" }),
    fromStatus: text("from_status", { enum: FOLLOW_UP_STATUSES }),
    toStatus: text("to_status", { enum: FOLLOW_UP_STATUSES }),
    comment: text("comment"),
    createdAt: instant("created_at").notNull(),
  },
  (t) => [
    index("follow_up_request_entries_request_idx").on(t.requestId),
    index("follow_up_request_entries_author_idx").on(t.authorUserId),
  ],
);
