import { eventSchema, type EventInput } from "./schemas/events";
import { sessionSchema, type SessionInput } from "./schemas/sessions";
import { parseJsonInput, problem } from "./api.server";
import type { FieldErrors } from "./form-messages";

/**
 * The API's event and session bodies, checked by the forms' own schemas. The JSON names are the
 * forms' field names; where the form takes text for what is a list in JSON (topics one a line,
 * check-in days separated by commas), a JSON list is accepted and written as the form would have it.
 */

const EVENT_SINGLE = [
  "title", "type", "description", "programmeId", "country", "locality", "venue", "timeZone", "startDate", "endDate", "capacity",
  "topics", "contactName", "contactEmail", "registrationOpensAt", "registrationClosesAt", "completionThreshold",
  "consentText", "retentionMonths", "checkInDays",
] as const;
const EVENT_FLAGS = ["requiresApproval"] as const;
const EVENT_LISTS = ["partnerIds", "targetRoles", "gcmObjectiveIds"] as const;

function asFormText(body: Record<string, unknown>) {
  const out = { ...body };
  if (Array.isArray(out.topics) && out.topics.every((t) => typeof t === "string")) out.topics = out.topics.join("\n");
  if (Array.isArray(out.checkInDays) && out.checkInDays.every((d) => typeof d === "number")) out.checkInDays = out.checkInDays.join(", ");
  return out;
}

/** A new event's body (the new-event form's checks), or a 422 problem. */
export function parseEventBody(body: Record<string, unknown>, current: Record<string, unknown> = {}): EventInput {
  return parseJsonInput({ ...current, ...asFormText(body) }, eventSchema, { single: EVENT_SINGLE, lists: EVENT_LISTS, flags: EVENT_FLAGS });
}

const SESSION_SINGLE = ["title", "kind", "day", "start", "end", "room", "description"] as const;
const SESSION_LISTS = ["facilitator"] as const;

/** A session's body (the session form's checks; `facilitator`: references as the API lists them), or a 422 problem. */
export function parseSessionBody(body: Record<string, unknown>, current: Record<string, unknown> = {}): SessionInput {
  return parseJsonInput({ ...current, ...body }, sessionSchema, { single: SESSION_SINGLE, lists: SESSION_LISTS });
}

/** An Idempotency-Key header that is not one (16 to 100 letters, digits, '-' or '_'). */
export function idempotencyKeyProblem(headers: Headers) {
  return problem(400, "bad-idempotency-key", "The Idempotency-Key is not valid", "Send 16 to 100 letters, digits, '-' or '_' (a UUID will do).", {}, headers);
}

/** A session the model refused (422): its field errors, and the session it collides with in a room. */
export function sessionRefusal(result: { errors: FieldErrors; conflict: { id: number } | null }) {
  const errors = Object.entries(result.errors).map(([field, code]) => ({ field, code }));
  return problem(422, "invalid-field", "The session cannot be saved", undefined, { errors, ...(result.conflict ? { conflictingSessionId: result.conflict.id } : {}) });
}
