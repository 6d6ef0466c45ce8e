/**
 * The domain's fixed vocabularies (DOMAIN.md). Shared by the database schema (CHECK constraints),
 * the forms (zod enums) and the UI (labels come from the translation layer, keyed by these values).
 */
export const ROLES = ["admin", "coordinator", "facilitator", "participant", "partner", "donor"] as const;
export type Role = (typeof ROLES)[number];

export const ORGANISATION_KINDS = [
  "donor",
  "government_partner",
  "implementing_office",
  "media",
  "other",
] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];
/**
 * Which organisations a form offers: every one (a person's record, a user's account), all but donors
 * (rosters, registration, an event's partners), or government partners (a follow-up request).
 */
export type OrganisationScope = "all" | "nonDonor" | "governmentPartner" | "donor";

export const EVENT_TYPES = ["training", "workshop", "seminar", "media_training", "other"] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const EVENT_STATUSES = ["draft", "open", "in_progress", "completed", "reported", "cancelled"] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];

export const SESSION_KINDS = [
  "presentation",
  "exercise",
  "group_work",
  "discussion",
  "field_visit",
  "opening",
  "break",
  "other",
] as const;
export type SessionKind = (typeof SESSION_KINDS)[number];

export const SEXES = ["female", "male", "other", "undisclosed"] as const;
export type Sex = (typeof SEXES)[number];

export const ROLE_CATEGORIES = [
  "immigration_officer",
  "police_specialist",
  "port_specialist",
  "research_officer",
  "border_officer",
  "labour_inspector",
  "social_worker",
  "prosecutor",
  "journalist",
  "policy_officer",
  "other",
] as const;
export type RoleCategory = (typeof ROLE_CATEGORIES)[number];

export const EVENT_ROLES = ["participant", "facilitator", "observer", "organiser"] as const;
export type EventRole = (typeof EVENT_ROLES)[number];

export const REGISTRATION_STATUSES = [
  "nominated",
  "applied",
  "confirmed",
  "waitlisted",
  "declined",
  "cancelled",
] as const;
export type RegistrationStatus = (typeof REGISTRATION_STATUSES)[number];

export const ATTENDANCE_STATUSES = ["present", "late", "absent", "excused"] as const;
export type AttendanceStatus = (typeof ATTENDANCE_STATUSES)[number];

export const ATTENDANCE_METHODS = ["manual", "qr", "code", "import"] as const;

export const ACTION_PLAN_STATUSES = ["draft", "submitted"] as const;
export const ACTION_ITEM_STATUSES = ["planned", "in_progress", "done", "blocked"] as const;
export type ActionItemStatus = (typeof ACTION_ITEM_STATUSES)[number];

export const FOLLOW_UP_STATUSES = ["received", "under_review", "accepted", "scheduled", "declined"] as const;
export type FollowUpStatus = (typeof FOLLOW_UP_STATUSES)[number];

export const PRIORITIES = ["low", "normal", "high"] as const;

export const OUTBOX_STATUSES = ["pending", "sending", "sent", "failed", "cancelled"] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

export const TOKEN_PURPOSES = ["reset", "invite"] as const;
export type TokenPurpose = (typeof TOKEN_PURPOSES)[number];

/** Why a signed-in session is not yet a full one (auth_sessions.restriction): the one page it may reach. */
export const SESSION_RESTRICTIONS = ["password_change", "second_factor_enrolment"] as const;
export type SessionRestriction = (typeof SESSION_RESTRICTIONS)[number];

export const LOCALES = ["en", "fr", "es", "ar"] as const;
export type Locale = (typeof LOCALES)[number];

/** Default completion threshold (percent of sessions attended). */
export const DEFAULT_COMPLETION_THRESHOLD = 80;

/** The steps an event's status may take (each recorded in the audit log). */
export const EVENT_TRANSITIONS: Record<EventStatus, readonly EventStatus[]> = {
  draft: ["open", "cancelled"],
  open: ["in_progress", "cancelled"],
  in_progress: ["completed", "cancelled"],
  completed: ["reported"],
  reported: [],
  cancelled: [],
};
