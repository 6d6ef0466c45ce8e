import { check, index, integer, table, text, uniqueIndex } from "./dialect";
import { ATTENDANCE_METHODS, ATTENDANCE_STATUSES, EVENT_ROLES, REGISTRATION_STATUSES } from "../../app/lib/domain";
import { inList, instant, timestamps } from "./columns";
import { events, eventSessions } from "./events";
import { people } from "./people";
import { users } from "./users";

/** A person in an event, with an event role and a status; nominated by whom. */
export const registrations = table(
  "registrations",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** a random key (0 to 99) given once at insert (trigger); donor figures are perturbed by the sum of their units' keys (app/models/disclosure.server.ts) */
    cellKey: integer("cell_key"),
    eventId: integer("event_id")
      .notNull()
      .references(() => events.id, { onDelete: "cascade" }),
    personId: integer("person_id")
      .notNull()
      .references(() => people.id, { onDelete: "restrict" }),
    eventRole: text("event_role", { enum: EVENT_ROLES }).notNull().default("participant"),
    status: text("status", { enum: REGISTRATION_STATUSES }).notNull(),
    nominatedByUserId: text("nominated_by_user_id").references(() => users.id, { onDelete: "set null" }),
    statusChangedAt: instant("status_changed_at").notNull(),
    note: text("note"),
    /**
     * sessions (breaks excluded) marked present or late / excused. Kept by triggers on attendance
     * and event_sessions (migration 0007) — never written by the app; see app/models/completion.server.ts.
     */
    attendedSessions: integer("attended_sessions").notNull().default(0),
    excusedSessions: integer("excused_sessions").notNull().default(0),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("registrations_event_person_unique").on(t.eventId, t.personId),
    index("registrations_person_idx").on(t.personId),
    index("registrations_event_status_idx").on(t.eventId, t.status),
    // an event's registrations in id order: the API's cursor pages (roster, attendance) on PostgreSQL,
    // where an index on the event alone leaves the ids unordered (SQLite's carry the rowid anyway)
    index("registrations_event_id_idx").on(t.eventId, t.id),
    index("registrations_nominated_by_idx").on(t.nominatedByUserId),
    check("registrations_role_check", inList("event_role", EVENT_ROLES)),
    check("registrations_status_check", inList("status", REGISTRATION_STATUSES)),
  ],
);

/** A registration at a session. */
export const attendance = table(
  "attendance",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    registrationId: integer("registration_id")
      .notNull()
      .references(() => registrations.id, { onDelete: "cascade" }),
    sessionId: integer("session_id")
      .notNull()
      .references(() => eventSessions.id, { onDelete: "cascade" }),
    status: text("status", { enum: ATTENDANCE_STATUSES }).notNull(),
    method: text("method", { enum: ATTENDANCE_METHODS }).notNull().default("manual"),
    recordedByUserId: text("recorded_by_user_id").references(() => users.id, { onDelete: "set null" }),
    recordedAt: instant("recorded_at").notNull(),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("attendance_registration_session_unique").on(t.registrationId, t.sessionId),
    index("attendance_session_idx").on(t.sessionId),
    index("attendance_recorded_by_idx").on(t.recordedByUserId),
    check("attendance_status_check", inList("status", ATTENDANCE_STATUSES)),
    check("attendance_method_check", inList("method", ATTENDANCE_METHODS)),
  ],
);

/** A certificate of completion, verifiable at /certificates/:code. */
export const certificates = table(
  "certificates",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    registrationId: integer("registration_id")
      .notNull()
      .references(() => registrations.id, { onDelete: "cascade" }),
    code: text("code").notNull(),
    issuedAt: instant("issued_at").notNull(),
    issuedByUserId: text("issued_by_user_id").references(() => users.id, { onDelete: "set null" }),
    revokedAt: instant("revoked_at"),
    revokedByUserId: text("revoked_by_user_id").references(() => users.id, { onDelete: "set null" }),
    revokeReason: text("revoke_reason"),
  },
  (t) => [
    uniqueIndex("certificates_registration_unique").on(t.registrationId),
    uniqueIndex("certificates_code_unique").on(t.code),
    index("certificates_issued_by_idx").on(t.issuedByUserId),
    index("certificates_revoked_by_idx").on(t.revokedByUserId),
  ],
);

/**
 * Codes a certificate carried before it was revoked and issued again with a new code. The paper
 * with an old code must still verify — as revoked — or a verifier could not tell it from a forgery.
 */
export const revokedCertificateCodes = table(
  "revoked_certificate_codes",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    certificateId: integer("certificate_id")
      .notNull()
      .references(() => certificates.id, { onDelete: "cascade" }),
    code: text("code").notNull(),
    issuedAt: instant("issued_at").notNull(),
    revokedAt: instant("revoked_at").notNull(),
    revokedByUserId: text("revoked_by_user_id").references(() => users.id, { onDelete: "set null" }),
    revokeReason: text("revoke_reason"),
  },
  (t) => [
    uniqueIndex("revoked_certificate_codes_code_unique").on(t.code),
    index("revoked_certificate_codes_certificate_idx").on(t.certificateId),
    index("revoked_certificate_codes_revoked_by_idx").on(t.revokedByUserId),
  ],
);

/** A person's consent to the processing of their personal data (per event, with the wording shown). */
export const consents = table(
  "consents",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    personId: integer("person_id")
      .notNull()
      .references(() => people.id, { onDelete: "cascade" }),
    eventId: integer("event_id").references(() => events.id, { onDelete: "set null" }),
    wording: text("wording").notNull(),
    givenAt: instant("given_at").notNull(),
    withdrawnAt: instant("withdrawn_at"),
  },
  (t) => [index("consents_person_idx").on(t.personId), index("consents_event_idx").on(t.eventId)],
);

/**
 * A public registration that gave the email of a known person or account: nothing is registered
 * until whoever reads that address confirms through the link sent there. The link's token is kept
 * only as its SHA-256; the details typed are kept until the link expires (then deleted).
 */
export const registrationRequests = table(
  "registration_requests",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    tokenHash: text("token_hash").notNull(),
    eventId: integer("event_id")
      .notNull()
      .references(() => events.id, { onDelete: "cascade" }),
    /** lower-cased */
    email: text("email").notNull(),
    /** the person's details as typed on the form (JSON), applied only to empty fields on confirmation */
    details: text("details").notNull(),
    locale: text("locale").notNull(),
    /** the consent text the person agreed to on the form */
    consentWording: text("consent_wording").notNull(),
    expiresAt: instant("expires_at").notNull(),
    confirmedAt: instant("confirmed_at"),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("registration_requests_token_unique").on(t.tokenHash),
    index("registration_requests_event_idx").on(t.eventId),
    index("registration_requests_expires_idx").on(t.expiresAt),
  ],
);
