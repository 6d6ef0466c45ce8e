import { EVENT_STATUSES, EVENT_TYPES } from "./domain";
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
          errors: { type: "array", items: { type: "object", properties: { field: { type: "string" }, code: { type: "string" } }, required: ["field", "code"] } },
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
