import {
  ATTENDANCE_STATUSES,
  EVENT_ROLES,
  EVENT_STATUSES,
  EVENT_TYPES,
  FOLLOW_UP_STATUSES,
  ORGANISATION_KINDS,
  PRIORITIES,
  REGISTRATION_STATUSES,
  ROLE_CATEGORIES,
  SESSION_KINDS,
  SEXES,
} from "./domain";
import { WEBHOOKS } from "./openapi-webhooks";

/**
 * The API's description (OpenAPI 3.1), served at /api/v1/openapi.json and read as a page at
 * /api/docs. Tests validate every API response they get against it.
 */

const problem = {
  description: "An error, as RFC 9457 problem details",
  content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } },
};
const rateLimitHeaders = {
  RateLimit: { description: "Requests left in the window and seconds until it ends", schema: { type: "string" } },
  "RateLimit-Policy": { description: "Requests allowed per window of seconds", schema: { type: "string" } },
};

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const withEtag = { ETag: { schema: { type: "string" } }, ...rateLimitHeaders };
/** A 200 (or 201) answer whose body is the named schema. */
const answer = (description: string, schema: string, extraHeaders: Record<string, unknown> = {}) => ({
  description,
  headers: { ...withEtag, ...extraHeaders },
  content: { "application/json": { schema: ref(schema) } },
});
const notModified = { description: "Not modified (If-None-Match matched the ETag)" };
/** Problem answers for these statuses. */
const problems = (...statuses: number[]) => Object.fromEntries(statuses.map((status) => [String(status), problem]));
const pathId = (name: string, description: string) => ({ name, in: "path", required: true, description, schema: { type: "integer", minimum: 1 } });
const paging = [
  { name: "cursor", in: "query", description: "The `next` cursor of the previous page", schema: { type: "string" } },
  { name: "limit", in: "query", description: "Items a page (1–100, default 50)", schema: { type: "integer", minimum: 1, maximum: 100 } },
];
const idempotencyKey = {
  name: "Idempotency-Key",
  in: "header",
  description: "16 to 100 letters, digits, '-' or '_' (a UUID): the same request sent again with the same key creates nothing twice and answers 200 with what the first one made",
  schema: { type: "string", pattern: "^[A-Za-z0-9_-]{16,100}$" },
};
const jsonBody = (schema: string, description: string) => ({ required: true, description, content: { "application/json": { schema: ref(schema) } } });
const location = { Location: { description: "The address of what was created", schema: { type: "string" } } };
/** What every read may answer besides its 200. */
const readProblems = { "304": notModified, ...problems(401, 403, 404, 429) };
/** What every write may answer besides its success. */
const writeProblems = problems(400, 401, 403, 404, 413, 415, 422, 429);
const nullable = (type: string, extra: Record<string, unknown> = {}) => ({ type: [type, "null"], ...extra });
const enumOf = (values: readonly string[]) => ({ type: "string", enum: [...values] });
const listOf = (item: string, extra: Record<string, unknown> = {}) => ({
  type: "object",
  required: ["data", "next"],
  additionalProperties: false,
  properties: { data: { type: "array", items: ref(item) }, next: { type: ["string", "null"], description: "The cursor of the next page; null on the last" }, ...extra },
});
const dateTime = { type: "string", format: "date-time" };
const day = { type: "string", format: "date" };

export const OPENAPI = {
  openapi: "3.1.0",
  info: {
    title: "Convene API",
    version: "1.0.0",
    description:
      "Read and write Convene's data from other systems. Every request carries a personal access token created on /account/tokens " +
      "('Authorization: Bearer <token>'). A token acts as its user, with the same permissions as the pages: a donor's token reads " +
      "disclosure-controlled aggregates only, a partner's only its agency. Lists are paged with cursors; responses carry an ETag " +
      "(send If-None-Match to get 304 when nothing changed); errors are RFC 9457 problem details.",
  },
  servers: [{ url: "/api/v1" }],
  // what Convene sends to subscribers' addresses (app/lib/openapi-webhooks.ts)
  webhooks: WEBHOOKS,
  security: [{ bearerToken: [] }],
  paths: {
    "/events": {
      get: {
        operationId: "listEvents",
        summary: "The events the token's user may see",
        parameters: [
          { name: "cursor", in: "query", description: "The `next` cursor of the previous page", schema: { type: "string" } },
          { name: "limit", in: "query", description: "Events a page (1–100, default 50)", schema: { type: "integer", minimum: 1, maximum: 100 } },
          { name: "when", in: "query", schema: { type: "string", enum: ["upcoming", "ongoing", "past", "all"] } },
          { name: "programmeId", in: "query", schema: { type: "integer" } },
          { name: "country", in: "query", description: "ISO 3166-1 alpha-2", schema: { type: "string", pattern: "^[A-Z]{2}$" } },
          { name: "status", in: "query", schema: { $ref: "#/components/schemas/EventStatus" } },
          { name: "q", in: "query", description: "Words in the title, locality or venue", schema: { type: "string", maxLength: 200 } },
          { name: "from", in: "query", description: "Events ending on or after this day", schema: { type: "string", format: "date" } },
          { name: "to", in: "query", description: "Events starting on or before this day", schema: { type: "string", format: "date" } },
          { name: "gcmObjectiveId", in: "query", schema: { type: "integer", minimum: 1, maximum: 23 } },
        ],
        responses: {
          "200": {
            description: "A page of events, in id order",
            headers: { ETag: { schema: { type: "string" } }, ...rateLimitHeaders },
            content: { "application/json": { schema: { $ref: "#/components/schemas/EventPage" } } },
          },
          "304": { description: "Not modified (If-None-Match matched the ETag)" },
          "400": problem,
          "401": problem,
          "429": problem,
        },
      },
      post: {
        operationId: "createEvent",
        summary: "Create an event, as a draft (admins and coordinators), with the new-event form's checks",
        parameters: [idempotencyKey],
        requestBody: jsonBody("EventInput", "The event's fields"),
        responses: { "201": answer("The event created", "EventDetail", location), "200": answer("The same request again (Idempotency-Key): what it created", "EventDetail", location), ...writeProblems },
      },
    },
    "/events/{eventId}": {
      parameters: [pathId("eventId", "The event's id")],
      get: {
        operationId: "getEvent",
        summary: "One event with its sessions (404 when the user may not see it)",
        responses: { "200": answer("The event", "EventDetail"), ...readProblems },
      },
      patch: {
        operationId: "updateEvent",
        summary: "Change some fields of an event (admins and coordinators); the result passes the edit form's checks",
        requestBody: jsonBody("EventInput", "The fields to change; the others keep their values"),
        responses: { "200": answer("The event as changed", "EventDetail"), ...writeProblems },
      },
    },
    "/events/{eventId}/sessions": {
      parameters: [pathId("eventId", "The event's id")],
      get: {
        operationId: "listSessions",
        summary: "The event's timetable, in time order (no facilitators' names for donors)",
        responses: { "200": answer("The sessions", "SessionList"), ...readProblems },
      },
      post: {
        operationId: "createSession",
        summary: "Add a session to the timetable (admins and coordinators), with the session form's checks",
        parameters: [idempotencyKey],
        requestBody: jsonBody("SessionInput", "The session: title, kind, day and times in the event's zone"),
        responses: { "201": answer("The session created", "Session", location), "200": answer("The same request again (Idempotency-Key): what it created", "Session", location), ...writeProblems },
      },
    },
    "/events/{eventId}/sessions/{sessionId}": {
      parameters: [pathId("eventId", "The event's id"), pathId("sessionId", "The session's id")],
      get: {
        operationId: "getSession",
        summary: "One session of the event",
        responses: { "200": answer("The session", "Session"), ...readProblems },
      },
      patch: {
        operationId: "updateSession",
        summary: "Change some fields of a session (admins and coordinators); the result passes the session form's checks",
        requestBody: jsonBody("SessionInput", "The fields to change; the others keep their values"),
        responses: { "200": answer("The session as changed", "Session"), ...writeProblems },
      },
    },
    "/events/{eventId}/registrations": {
      parameters: [pathId("eventId", "The event's id")],
      get: {
        operationId: "listRegistrations",
        summary: "The event's roster, in id order: everyone for staff and the event's facilitators, a partner's own agency only; 403 for donors and participants",
        parameters: paging,
        responses: { "200": answer("A page of the roster", "RegistrationPage"), ...readProblems, "400": problem },
      },
      post: {
        operationId: "addRegistration",
        summary: "Add a person to the roster as the roster page does (admins and coordinators): a person of the registry by id, or a person's details (an existing person is recognised)",
        parameters: [idempotencyKey],
        requestBody: jsonBody("RegistrationInput", "The person, their role in the event and their status"),
        responses: {
          "201": answer("The registration created", "Registration", location),
          "200": answer("The same request again (Idempotency-Key): what it created", "Registration", location),
          "409": problem,
          ...writeProblems,
        },
      },
    },
    "/events/{eventId}/attendance": {
      parameters: [pathId("eventId", "The event's id")],
      get: {
        operationId: "listAttendance",
        summary: "The sessions that take attendance and, a page at a time, confirmed participants with their marks and completion (admins, coordinators, the event's facilitators)",
        parameters: paging,
        responses: { "200": answer("A page of attendance", "AttendancePage"), ...readProblems, "400": problem },
      },
    },
    "/events/{eventId}/sessions/{sessionId}/attendance": {
      parameters: [pathId("eventId", "The event's id"), pathId("sessionId", "The session's id")],
      post: {
        operationId: "recordAttendance",
        summary: "Record marks for one session, as the attendance page does (admins and coordinators; facilitators for the sessions they teach). All or nothing; null removes a mark",
        requestBody: jsonBody("AttendanceMarks", "The marks"),
        responses: { "200": answer("How many marks changed", "AttendanceRecorded"), ...writeProblems },
      },
    },
    "/events/{eventId}/certificates": {
      parameters: [pathId("eventId", "The event's id")],
      get: {
        operationId: "listCertificates",
        summary: "The event's certificates, valid and revoked (admins and coordinators)",
        responses: { "200": answer("The certificates", "CertificateList"), ...readProblems },
      },
    },
    "/certificates/{code}": {
      parameters: [{ name: "code", in: "path", required: true, description: "The certificate's code (any case, dashes and spaces ignored)", schema: { type: "string", maxLength: 40 } }],
      get: {
        operationId: "verifyCertificate",
        summary: "Verify a certificate by its code: the public verification page's fields, nothing more",
        responses: { "200": answer("The certificate's verification", "CertificateVerification"), ...readProblems },
      },
    },
    "/events/{eventId}/action-plans": {
      parameters: [pathId("eventId", "The event's id")],
      get: {
        operationId: "listActionPlans",
        summary: "The event's action plans the user may read, with their status and items counted by status (403 for donors)",
        parameters: paging,
        responses: { "200": answer("A page of plans", "ActionPlanPage"), ...readProblems, "400": problem },
      },
    },
    "/events/{eventId}/action-plans/{planId}": {
      parameters: [pathId("eventId", "The event's id"), pathId("planId", "The plan's id")],
      get: {
        operationId: "getActionPlan",
        summary: "One action plan's items and their status",
        responses: { "200": answer("The plan", "ActionPlan"), ...readProblems },
      },
    },
    "/events/{eventId}/evaluation": {
      parameters: [pathId("eventId", "The event's id")],
      get: {
        operationId: "getEvaluation",
        summary: "The event's evaluation figures where they exist: knowledge test (pre/post) and feedback (admins and coordinators; donors read evaluation in the summary)",
        responses: { "200": answer("The figures", "Evaluation"), ...readProblems },
      },
    },
    "/follow-ups": {
      get: {
        operationId: "listFollowUps",
        summary: "Follow-up requests: every one for admins and coordinators, a partner's agency's own (others 403)",
        parameters: [
          ...paging,
          { name: "status", in: "query", schema: enumOf(FOLLOW_UP_STATUSES) },
          { name: "country", in: "query", description: "ISO 3166-1 alpha-2", schema: { type: "string", pattern: "^[A-Z]{2}$" } },
        ],
        responses: { "200": answer("A page of requests", "FollowUpPage"), ...readProblems, "400": problem },
      },
    },
    "/follow-ups/{requestId}": {
      parameters: [pathId("requestId", "The request's id")],
      get: {
        operationId: "getFollowUp",
        summary: "One follow-up request with its history and the steps the user may take",
        responses: { "200": answer("The request", "FollowUpDetail"), ...readProblems },
      },
      patch: {
        operationId: "changeFollowUpStatus",
        summary: "Move the request one step (admins and coordinators): declining needs a comment, accepting creates the draft event",
        requestBody: jsonBody("FollowUpStatusChange", "The new status"),
        responses: { "200": answer("The request as changed", "FollowUpDetail"), ...writeProblems },
      },
    },
    "/programmes": {
      get: {
        operationId: "listProgrammes",
        summary: "Programmes with their donors and event counts (admins and coordinators)",
        parameters: paging,
        responses: { "200": answer("A page of programmes", "ProgrammePage"), ...readProblems, "400": problem },
      },
    },
    "/organisations": {
      get: {
        operationId: "listOrganisations",
        summary: "Organisations with their counts (admins and coordinators)",
        parameters: [...paging, { name: "kind", in: "query", schema: enumOf(ORGANISATION_KINDS) }],
        responses: { "200": answer("A page of organisations", "OrganisationPage"), ...readProblems, "400": problem },
      },
    },
    "/reports/summary": {
      get: {
        operationId: "getActivitySummary",
        summary: "The activity summary of /reports: the same figures as the page and /reports.csv (donors' and partners' counts of people through the disclosure control)",
        parameters: [
          { name: "programmeId", in: "query", schema: { type: "integer", minimum: 1 } },
          { name: "donorId", in: "query", schema: { type: "integer", minimum: 1 } },
          { name: "country", in: "query", description: "ISO 3166-1 alpha-2", schema: { type: "string" } },
          { name: "partnerId", in: "query", schema: { type: "integer", minimum: 1 } },
          { name: "gcmObjectiveId", in: "query", schema: { type: "integer", minimum: 1, maximum: 23 } },
          { name: "from", in: "query", description: "First day (default: this year; a donor's programmes' span)", schema: day },
          { name: "to", in: "query", description: "Last day", schema: day },
        ],
        responses: { "200": answer("The summary", "ActivitySummary"), ...readProblems, "400": problem },
      },
    },
    "/events/{eventId}/registrations/{registrationId}": {
      parameters: [pathId("eventId", "The event's id"), pathId("registrationId", "The registration's id")],
      get: {
        operationId: "getRegistration",
        summary: "One row of the roster, with the roster's rights",
        responses: { "200": answer("The registration", "Registration"), ...readProblems },
      },
    },
  },
  components: {
    securitySchemes: { bearerToken: { type: "http", scheme: "bearer", description: "A personal access token (cvn_…) from /account/tokens" } },
    schemas: {
      Problem: {
        type: "object",
        required: ["type", "title", "status"],
        properties: {
          type: { type: "string", format: "uri" },
          title: { type: "string" },
          status: { type: "integer" },
          detail: { type: "string" },
          errors: {
            type: "array",
            description: "The fields in error: `code` is a message key (e.g. errors.required), `values` what the message says (e.g. max)",
            items: {
              type: "object",
              required: ["field", "code"],
              properties: { field: { type: "string" }, code: { type: "string" }, values: { type: "object", additionalProperties: { type: "string" } } },
            },
          },
          conflictingSessionId: { type: "integer", description: "A session write refused for its room: the session already there" },
        },
      },
      EventStatus: { type: "string", enum: [...EVENT_STATUSES] },
      ProtectedCount: {
        description: "A count of people: exact for staff; for donors perturbed, or \"small\" for 1 to 4 (docs/donor-figures.md)",
        oneOf: [{ type: "integer", minimum: 0 }, { type: "string", const: "small" }],
      },
      Event: {
        type: "object",
        required: ["id", "title", "type", "status", "programmeId", "country", "locality", "timeZone", "startDate", "endDate", "updatedAt", "participantsConfirmed"],
        additionalProperties: false,
        properties: {
          id: { type: "integer" },
          title: { type: "string" },
          type: { type: "string", enum: [...EVENT_TYPES] },
          status: { $ref: "#/components/schemas/EventStatus" },
          programmeId: { type: ["integer", "null"] },
          country: { type: "string" },
          locality: { type: ["string", "null"] },
          timeZone: { type: "string", description: "IANA time zone of the event" },
          startDate: { type: "string", format: "date" },
          endDate: { type: "string", format: "date" },
          updatedAt: { type: "string", format: "date-time" },
          participantsConfirmed: { $ref: "#/components/schemas/ProtectedCount" },
        },
      },
      Organisation: { type: "object", required: ["id", "name"], additionalProperties: false, properties: { id: { type: "integer" }, name: { type: "string" }, acronym: nullable("string") } },
      EventDetail: {
        type: "object",
        additionalProperties: false,
        required: ["id", "title", "type", "status", "programme", "country", "timeZone", "startDate", "endDate", "partners", "gcmObjectives", "participantsConfirmed", "protected", "sessions", "updatedAt"],
        properties: {
          id: { type: "integer" },
          title: { type: "string" },
          type: enumOf(EVENT_TYPES),
          status: ref("EventStatus"),
          description: nullable("string"),
          programme: { oneOf: [{ type: "null" }, { type: "object", required: ["id", "name"], additionalProperties: false, properties: { id: { type: "integer" }, name: { type: "string" } } }] },
          country: { type: "string" },
          locality: nullable("string"),
          venue: nullable("string"),
          timeZone: { type: "string" },
          startDate: day,
          endDate: day,
          capacity: nullable("integer"),
          topics: { type: "array", items: { type: "string" } },
          targetRoles: { type: "array", items: enumOf(ROLE_CATEGORIES) },
          registrationOpensAt: nullable("string", { format: "date-time" }),
          registrationClosesAt: nullable("string", { format: "date-time" }),
          contactName: nullable("string", { description: "null for donors" }),
          contactEmail: nullable("string", { description: "null for donors" }),
          completionThreshold: { type: "integer", description: "Percent of the sessions a participant attends to complete" },
          retentionMonths: nullable("integer", { description: "Admins and coordinators only (null for others)" }),
          checkInDays: { type: ["array", "null"], items: { type: "integer" }, description: "Admins and coordinators only (null for others)" },
          partners: { type: "array", items: ref("Organisation") },
          gcmObjectives: { type: "array", items: { type: "object", required: ["id", "title"], additionalProperties: false, properties: { id: { type: "integer" }, title: { type: "string" } } } },
          participantsConfirmed: ref("ProtectedCount"),
          protected: { type: "boolean" },
          updatedAt: dateTime,
          sessions: { type: "array", items: ref("Session") },
        },
      },
      EventInput: {
        type: "object",
        description:
          "The event form's fields. Dates YYYY-MM-DD; registrationOpensAt/ClosesAt 'YYYY-MM-DDTHH:MM' in the event's zone; timeZone defaults to the country's main zone. " +
          "A create needs title, type, country, startDate and endDate; null empties a field.",
        properties: {
          title: { type: "string", maxLength: 200 },
          type: enumOf(EVENT_TYPES),
          description: nullable("string"),
          programmeId: nullable("integer"),
          partnerIds: { type: "array", items: { type: "integer" } },
          country: { type: "string", description: "ISO 3166-1 alpha-2" },
          locality: nullable("string"),
          venue: nullable("string"),
          timeZone: nullable("string"),
          startDate: day,
          endDate: day,
          capacity: nullable("integer"),
          targetRoles: { type: "array", items: enumOf(ROLE_CATEGORIES) },
          topics: { oneOf: [{ type: "array", items: { type: "string" } }, { type: "string", description: "one topic a line" }] },
          gcmObjectiveIds: { type: "array", items: { type: "integer", minimum: 1, maximum: 23 } },
          contactName: nullable("string"),
          contactEmail: nullable("string"),
          registrationOpensAt: nullable("string", { pattern: "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}$" }),
          registrationClosesAt: nullable("string", { pattern: "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}$" }),
          completionThreshold: nullable("integer"),
          requiresApproval: { type: "boolean" },
          consentText: nullable("string"),
          retentionMonths: nullable("integer"),
          checkInDays: { oneOf: [{ type: "array", items: { type: "integer" } }, { type: "string" }, { type: "null" }] },
        },
      },
      Facilitator: {
        type: "object",
        required: ["name"],
        additionalProperties: false,
        properties: { name: { type: "string" }, ref: { type: "string", description: "Admins and coordinators: what `facilitator` of a session write takes (user:<id> or person:<id>)" } },
      },
      Session: {
        type: "object",
        required: ["id", "title", "kind", "startsAt", "endsAt", "day", "start", "end", "room", "description", "facilitators"],
        additionalProperties: false,
        properties: {
          id: { type: "integer" },
          title: { type: "string" },
          kind: enumOf(SESSION_KINDS),
          startsAt: dateTime,
          endsAt: dateTime,
          day: { ...day, description: "The day in the event's zone" },
          start: { type: "string", pattern: "^\\d{2}:\\d{2}$", description: "Start time in the event's zone" },
          end: { type: "string", pattern: "^\\d{2}:\\d{2}$", description: "End time in the event's zone" },
          room: nullable("string"),
          description: nullable("string"),
          facilitators: { type: ["array", "null"], items: ref("Facilitator"), description: "null for donors" },
        },
      },
      SessionList: { type: "object", required: ["data"], additionalProperties: false, properties: { data: { type: "array", items: ref("Session") } } },
      SessionInput: {
        type: "object",
        description: "The session form's fields: a day of the event and HH:MM times in its zone. A create needs title, kind, day, start and end.",
        properties: {
          title: { type: "string", maxLength: 200 },
          kind: enumOf(SESSION_KINDS),
          day,
          start: { type: "string", pattern: "^\\d{2}:\\d{2}$" },
          end: { type: "string", pattern: "^\\d{2}:\\d{2}$" },
          room: nullable("string"),
          description: nullable("string"),
          facilitator: { type: "array", items: { type: "string" }, description: "Facilitators' references (user:<id>, person:<id>), as a session lists them" },
        },
      },
      Registration: {
        type: "object",
        additionalProperties: false,
        required: ["id", "personId", "givenName", "familyName", "anonymised", "position", "organisation", "roleCategory", "sex", "eventRole", "status", "statusChangedAt", "attendance"],
        properties: {
          id: { type: "integer" },
          personId: { type: "integer" },
          givenName: nullable("string", { description: "null once the person is anonymised" }),
          familyName: nullable("string"),
          anonymised: { type: "boolean" },
          position: nullable("string"),
          organisation: { oneOf: [{ type: "null" }, { type: "object", required: ["id", "name"], additionalProperties: false, properties: { id: { type: "integer" }, name: { type: "string" } } }] },
          roleCategory: nullable("string"),
          sex: { oneOf: [{ type: "null" }, enumOf(SEXES)] },
          eventRole: enumOf(EVENT_ROLES),
          status: enumOf(REGISTRATION_STATUSES),
          statusChangedAt: nullable("string", { format: "date-time" }),
          attendance: {
            type: "object",
            required: ["attended", "counted", "completed"],
            additionalProperties: false,
            properties: { attended: { type: "integer" }, counted: { type: "integer" }, completed: { type: "boolean" } },
          },
        },
      },
      RegistrationPage: listOf("Registration"),
      RegistrationInput: {
        type: "object",
        description: "A person of the registry by `personId` (then no other person field), or a person's details as the roster form takes them. eventRole defaults to participant, status to confirmed.",
        properties: {
          personId: { type: "integer" },
          eventRole: enumOf(EVENT_ROLES),
          status: enumOf(REGISTRATION_STATUSES),
          givenName: { type: "string", maxLength: 100 },
          familyName: { type: "string", maxLength: 100 },
          email: nullable("string"),
          phone: nullable("string"),
          sex: { oneOf: [{ type: "null" }, enumOf(SEXES)] },
          organisationId: nullable("integer"),
          position: nullable("string"),
          roleCategory: { oneOf: [{ type: "null" }, enumOf(ROLE_CATEGORIES)] },
          nationality: nullable("string"),
          dietaryNeeds: nullable("string"),
          accessibilityNeeds: nullable("string"),
        },
      },
      Programme: {
        type: "object",
        required: ["id", "name", "code", "startDate", "endDate", "events", "donors"],
        additionalProperties: false,
        properties: {
          id: { type: "integer" },
          name: { type: "string" },
          code: nullable("string"),
          startDate: nullable("string", { format: "date" }),
          endDate: nullable("string", { format: "date" }),
          events: { type: "integer" },
          donors: { type: "array", items: ref("Organisation") },
        },
      },
      ProgrammePage: listOf("Programme"),
      OrganisationRow: {
        type: "object",
        required: ["id", "name", "acronym", "kind", "country", "users", "people", "events"],
        additionalProperties: false,
        properties: {
          id: { type: "integer" },
          name: { type: "string" },
          acronym: nullable("string"),
          kind: enumOf(ORGANISATION_KINDS),
          country: nullable("string"),
          users: { type: "integer" },
          people: { type: "integer" },
          events: { type: "integer", description: "Events it is a partner of" },
        },
      },
      OrganisationPage: listOf("OrganisationRow"),
      AttendanceMark: {
        type: "object",
        required: ["sessionId", "status", "method", "recordedAt"],
        additionalProperties: false,
        properties: { sessionId: { type: "integer" }, status: enumOf(ATTENDANCE_STATUSES), method: { type: "string" }, recordedAt: dateTime },
      },
      AttendanceRow: {
        type: "object",
        required: ["id", "personId", "givenName", "familyName", "attended", "counted", "completed", "marks"],
        additionalProperties: false,
        properties: {
          id: { type: "integer", description: "The registration's id" },
          personId: { type: "integer" },
          givenName: nullable("string"),
          familyName: nullable("string"),
          attended: { type: "integer" },
          counted: { type: "integer" },
          completed: { type: "boolean" },
          marks: { type: "array", items: ref("AttendanceMark") },
        },
      },
      AttendancePage: listOf("AttendanceRow", {
        sessions: {
          type: "array",
          items: {
            type: "object",
            required: ["id", "title", "startsAt", "endsAt"],
            additionalProperties: false,
            properties: { id: { type: "integer" }, title: { type: "string" }, startsAt: dateTime, endsAt: dateTime },
          },
        },
      }),
      AttendanceMarks: {
        type: "object",
        required: ["marks"],
        additionalProperties: false,
        properties: {
          marks: {
            type: "array",
            minItems: 1,
            maxItems: 2000,
            items: {
              type: "object",
              required: ["registrationId", "status"],
              additionalProperties: false,
              properties: { registrationId: { type: "integer" }, status: { oneOf: [{ type: "null" }, enumOf(ATTENDANCE_STATUSES)] } },
            },
          },
        },
      },
      AttendanceRecorded: { type: "object", required: ["changed"], additionalProperties: false, properties: { changed: { type: "integer" } } },
      Certificate: {
        type: "object",
        required: ["id", "code", "state", "issuedAt", "revokedAt", "registrationId", "personId", "name"],
        additionalProperties: false,
        properties: {
          id: { type: "integer" },
          code: { type: "string" },
          state: { type: "string", enum: ["valid", "revoked"] },
          issuedAt: dateTime,
          revokedAt: nullable("string", { format: "date-time" }),
          registrationId: { type: "integer" },
          personId: { type: "integer" },
          name: { type: "string" },
        },
      },
      CertificateList: { type: "object", required: ["data"], additionalProperties: false, properties: { data: { type: "array", items: ref("Certificate") } } },
      CertificateVerification: {
        type: "object",
        required: ["state", "code", "name", "eventTitle", "startDate", "endDate", "revokedOn"],
        additionalProperties: false,
        properties: {
          state: { type: "string", enum: ["valid", "revoked"] },
          code: { type: "string" },
          name: nullable("string", { description: "null once the holder is anonymised" }),
          eventTitle: { type: "string" },
          startDate: day,
          endDate: day,
          revokedOn: nullable("string", { format: "date" }),
        },
      },
      PlanMember: {
        type: "object",
        required: ["personId", "name", "organisation"],
        additionalProperties: false,
        properties: { personId: { type: "integer" }, name: { type: "string" }, organisation: nullable("string") },
      },
      ItemCounts: {
        type: "object",
        required: ["planned", "in_progress", "done", "blocked", "total", "overdue", "validated", "awaitingValidation"],
        additionalProperties: false,
        properties: Object.fromEntries(["planned", "in_progress", "done", "blocked", "total", "overdue", "validated", "awaitingValidation"].map((k) => [k, { type: "integer" }])),
      },
      ActionPlanSummary: {
        type: "object",
        required: ["id", "title", "status", "submittedAt", "updatedAt", "members", "otherMembers", "items"],
        additionalProperties: false,
        properties: {
          id: { type: "integer" },
          title: { type: "string" },
          status: { type: "string", enum: ["draft", "submitted"] },
          submittedAt: nullable("string", { format: "date-time" }),
          updatedAt: dateTime,
          members: { type: "array", items: ref("PlanMember") },
          otherMembers: { type: "integer", description: "Members of other agencies (not named to a partner)" },
          items: ref("ItemCounts"),
        },
      },
      ActionPlanPage: listOf("ActionPlanSummary"),
      ActionPlan: {
        type: "object",
        required: ["id", "title", "status", "submittedAt", "updatedAt", "members", "otherMembers", "items"],
        additionalProperties: false,
        properties: {
          id: { type: "integer" },
          title: { type: "string" },
          status: { type: "string", enum: ["draft", "submitted"] },
          submittedAt: nullable("string", { format: "date-time" }),
          updatedAt: dateTime,
          members: { type: "array", items: ref("PlanMember") },
          otherMembers: { type: "integer" },
          items: {
            type: "array",
            items: {
              type: "object",
              required: ["id", "position", "action", "targetDate", "responsible", "indicator", "status", "overdue", "validatedAt"],
              additionalProperties: false,
              properties: {
                id: { type: "integer" },
                position: { type: "integer" },
                action: { type: "string" },
                targetDate: nullable("string", { format: "date" }),
                responsible: nullable("string"),
                indicator: nullable("string"),
                status: { type: "string", enum: ["planned", "in_progress", "done", "blocked"] },
                overdue: { type: "boolean" },
                validatedAt: nullable("string", { format: "date-time" }),
              },
            },
          },
        },
      },
      Evaluation: {
        type: "object",
        required: ["knowledgeTest", "feedback"],
        additionalProperties: false,
        properties: {
          knowledgeTest: {
            oneOf: [
              { type: "null" },
              {
                type: "object",
                required: ["questionCount", "summary", "perQuestion"],
                additionalProperties: false,
                properties: {
                  questionCount: { type: "integer" },
                  summary: { type: "object", description: "Paired pre/post results: counts, mean scores and gains in percent" },
                  perQuestion: { type: "array", items: { type: "object", required: ["number", "prompt", "pre", "post"] } },
                },
              },
            ],
          },
          feedback: {
            type: "object",
            required: ["state", "respondents", "confirmed", "minimumShown", "questions"],
            additionalProperties: false,
            properties: {
              state: { type: "string", enum: ["notOpened", "open", "closed"] },
              respondents: { type: "integer" },
              confirmed: { type: "integer" },
              minimumShown: { type: "integer", description: "Answers needed before distributions are shown" },
              questions: {
                type: ["array", "null"],
                items: {
                  type: "object",
                  required: ["question", "counts", "total", "mean"],
                  additionalProperties: false,
                  properties: { question: { type: "string" }, counts: { type: "array", items: { type: "integer" } }, total: { type: "integer" }, mean: nullable("number") },
                },
              },
            },
          },
        },
      },
      FollowUp: {
        type: "object",
        required: ["id", "title", "country", "localities", "status", "priority", "estimatedParticipants", "desiredFrom", "desiredTo", "createdAt", "updatedAt", "organisation", "originEventId"],
        additionalProperties: false,
        properties: {
          id: { type: "integer" },
          title: { type: "string" },
          country: { type: "string" },
          localities: { type: "array", items: { type: "string" } },
          status: enumOf(FOLLOW_UP_STATUSES),
          priority: enumOf(PRIORITIES),
          estimatedParticipants: nullable("integer"),
          desiredFrom: nullable("string", { format: "date" }),
          desiredTo: nullable("string", { format: "date" }),
          createdAt: dateTime,
          updatedAt: dateTime,
          organisation: { oneOf: [{ type: "null" }, { type: "object", required: ["id", "name"], additionalProperties: false, properties: { id: { type: "integer" }, name: { type: "string" } } }] },
          originEventId: nullable("integer", { description: "null when the user may not see that event" }),
        },
      },
      FollowUpPage: listOf("FollowUp"),
      FollowUpDetail: {
        type: "object",
        required: ["id", "title", "description", "country", "status", "priority", "createdAt", "organisation", "originEventId", "linkedEventIds", "history", "nextStatuses"],
        additionalProperties: false,
        properties: {
          id: { type: "integer" },
          title: { type: "string" },
          description: { type: "string" },
          country: { type: "string" },
          localities: { type: "array", items: { type: "string" } },
          targetAudience: nullable("string"),
          roleCategories: { type: "array", items: { type: "string" } },
          estimatedParticipants: nullable("integer"),
          desiredFrom: nullable("string", { format: "date" }),
          desiredTo: nullable("string", { format: "date" }),
          priority: enumOf(PRIORITIES),
          status: enumOf(FOLLOW_UP_STATUSES),
          createdAt: dateTime,
          organisation: { oneOf: [{ type: "null" }, { type: "object", required: ["id", "name"], additionalProperties: false, properties: { id: { type: "integer" }, name: { type: "string" } } }] },
          originEventId: nullable("integer"),
          linkedEventIds: { type: "array", items: { type: "integer" }, description: "Events answering the request that the user may see" },
          history: {
            type: "array",
            items: {
              type: "object",
              required: ["at", "from", "to", "comment", "by"],
              additionalProperties: false,
              properties: { at: dateTime, from: { type: ["string", "null"] }, to: { type: ["string", "null"] }, comment: nullable("string"), by: nullable("string") },
            },
          },
          nextStatuses: { type: "array", items: enumOf(FOLLOW_UP_STATUSES) },
        },
      },
      FollowUpStatusChange: {
        type: "object",
        required: ["status"],
        properties: {
          status: { type: "string", enum: ["under_review", "accepted", "scheduled", "declined"] },
          comment: nullable("string", { maxLength: 2000, description: "Required to decline; sent to the requester" }),
          copyTimetable: { type: "boolean", description: "Accepting: copy the originating training's timetable into the draft event" },
        },
      },
      ActivitySummary: {
        type: "object",
        description: "The figures of /reports (see docs/donor-figures.md for the protected view)",
        required: ["protected", "empty", "filters", "events", "trainingDays", "participants", "attendanceRate", "completionRate", "certificates", "actionPlans", "followUps", "knowledge", "satisfaction", "table"],
        properties: {
          protected: { type: "boolean", description: "Donors and partners: counts of people through the disclosure control" },
          empty: { type: "boolean" },
          filters: { type: "object" },
          events: { type: "object", required: ["total"], properties: { total: { type: "integer" } } },
          trainingDays: { type: "integer" },
          participants: { type: "object", required: ["unique"], properties: { unique: ref("ProtectedCount"), personDays: ref("ProtectedCount") } },
          attendanceRate: nullable("number"),
          completionRate: nullable("number"),
          certificates: ref("ProtectedCount"),
          actionPlans: { type: "object" },
          followUps: { type: "object" },
          gcmObjectives: { type: "array" },
          knowledge: { type: "object" },
          satisfaction: { type: "object" },
          table: {
            type: "array",
            items: {
              type: "object",
              required: ["id", "title", "participants", "women"],
              properties: { id: { type: "integer" }, title: { type: "string" }, participants: ref("ProtectedCount"), women: ref("ProtectedCount") },
            },
          },
        },
      },
      EventPage: {
        type: "object",
        required: ["data", "protected", "next"],
        additionalProperties: false,
        properties: {
          data: { type: "array", items: { $ref: "#/components/schemas/Event" } },
          protected: { type: "boolean", description: "true when counts of people pass through the disclosure control" },
          next: { type: ["string", "null"], description: "The cursor of the next page; null on the last" },
        },
      },
    },
  },
} as const;
