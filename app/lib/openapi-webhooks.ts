import { WEBHOOK_EVENT_TYPES, WEBHOOK_PING_TYPE } from "./webhooks";

/**
 * The webhooks Convene sends (OpenAPI 3.1's top-level `webhooks`): one POST per event type to a
 * subscriber's address, signed as the Standard Webhooks specification says. Payloads hold ids,
 * statuses and times only; the API serves the details with the token's permissions.
 */

const id = (description: string) => ({ type: "integer", description });
const instant = (description: string) => ({ type: "string", format: "date-time", description });
const text = (description: string) => ({ type: "string", description });

/** When each event type is sent, where its name does not say enough (the start of its description). */
const WHEN: Record<string, string> = {
  "registration.merged": "Two records of one person are merged: once per registration of the record merged away (it moves to the kept person), and, for an event both were registered for, once for the registration folded into the other and deleted.",
  "attendance.recorded": "A mark is recorded or changed: in the attendance grid, through the API, by a check-in, or moved onto a registration when two records of one person are merged.",
  "attendance.removed": "A mark is removed, once per mark: a cleared cell of the attendance grid, a null mark through the API, a deleted session (each of its marks), or a registration merged into another (each of its marks; those kept move with an attendance.recorded). Its data is the mark as it was.",
};

/** Each event type's `data`. */
const DATA: Record<string, { required: string[]; properties: Record<string, object> }> = {
  "registration.created": {
    required: ["registrationId", "eventId", "personId", "status", "eventRole", "source"],
    properties: {
      registrationId: id("The new registration"),
      eventId: id("Its event"),
      personId: id("The person registered (read it through the API)"),
      status: text("Its status: nominated, applied, confirmed, waitlisted, declined or cancelled"),
      eventRole: text("participant, facilitator, observer or organiser"),
      source: { type: "string", enum: ["public", "nomination", "roster", "import"], description: "How the person was added" },
    },
  },
  "registration.status_changed": {
    required: ["registrationId", "eventId", "personId", "from", "to"],
    properties: { registrationId: id("The registration"), eventId: id("Its event"), personId: id("The person"), from: text("The status before"), to: text("The status now") },
  },
  "registration.merged": {
    required: ["registrationId", "eventId", "personId", "previousPersonId", "keptRegistrationId"],
    properties: {
      registrationId: id("The registration that changed hands or went"),
      eventId: id("Its event"),
      personId: id("The person it belongs to now: the record kept"),
      previousPersonId: id("The person it belonged to (the record merged away, or the kept one's for a registration folded into the other's)"),
      keptRegistrationId: id("The registration that remains: the same one when it moved, another (this one deleted) when it was folded into it"),
    },
  },
  "attendance.recorded": {
    required: ["registrationId", "sessionId", "eventId", "status", "method", "recordedAt"],
    properties: {
      registrationId: id("The participant's registration"),
      sessionId: id("The session"),
      eventId: id("Its event"),
      status: { type: "string", enum: ["present", "late", "absent", "excused"] },
      method: text("How it was recorded: manual, or a check-in method"),
      recordedAt: instant("When"),
    },
  },
  "attendance.removed": {
    required: ["registrationId", "sessionId", "eventId", "status", "method", "recordedAt"],
    properties: {
      registrationId: id("The participant's registration"),
      sessionId: id("The session"),
      eventId: id("Its event"),
      status: { type: "string", enum: ["present", "late", "absent", "excused"], description: "The status the removed mark had" },
      method: text("How the removed mark had been recorded: manual, or a check-in method"),
      recordedAt: instant("When the removed mark had been recorded (the message's timestamp is when it was removed)"),
    },
  },
  "certificate.issued": {
    required: ["certificateId", "registrationId", "eventId", "issuedAt"],
    properties: { certificateId: id("The certificate"), registrationId: id("The holder's registration"), eventId: id("Its event"), issuedAt: instant("When") },
  },
  "certificate.revoked": {
    required: ["certificateId", "registrationId", "eventId", "revokedAt"],
    properties: { certificateId: id("The certificate"), registrationId: id("The holder's registration"), eventId: id("Its event"), revokedAt: instant("When") },
  },
  "action_plan.submitted": {
    required: ["actionPlanId", "eventId", "items", "submittedAt"],
    properties: { actionPlanId: id("The plan"), eventId: id("Its event"), items: { type: "integer", description: "Items in the plan" }, submittedAt: instant("When") },
  },
  "follow_up_request.status_changed": {
    required: ["followUpRequestId", "originEventId", "answeringEventId", "from", "to"],
    properties: {
      followUpRequestId: id("The request"),
      originEventId: { type: ["integer", "null"], description: "The training it came from, if any" },
      answeringEventId: { type: ["integer", "null"], description: "The draft or scheduled training answering it (accepted, scheduled)" },
      from: text("The status before"),
      to: text("The status now"),
    },
  },
  "event.status_changed": {
    required: ["eventId", "from", "to"],
    properties: { eventId: id("The event"), from: text("The status before"), to: text("The status now") },
  },
  [WEBHOOK_PING_TYPE]: {
    required: ["subscriptionId"],
    properties: { subscriptionId: id("The subscription tested (sent by 'Send a test ping')") },
  },
};

const headers = [
  { name: "webhook-id", in: "header", required: true, description: "The message's id: the same on every attempt (deduplicate on it)", schema: { type: "string" } },
  { name: "webhook-timestamp", in: "header", required: true, description: "Seconds since the epoch when this attempt was signed (refuse old ones: replays)", schema: { type: "string", pattern: "^[0-9]+$" } },
  {
    name: "webhook-signature",
    in: "header",
    required: true,
    description: "v1,<base64 HMAC-SHA256 of \"webhook-id.webhook-timestamp.body\" keyed with the base64-decoded part of the subscription's secret after whsec_>",
    schema: { type: "string" },
  },
];

function operation(type: string) {
  return {
    post: {
      operationId: `webhook-${type}`,
      summary: `${type}`,
      description: (WHEN[type] ? `${WHEN[type]} ` : "") + "Sent to each subscription of this event type whose owner may see the event. Answer 2xx within 10 seconds; 408, 429 (Retry-After is honoured) and 5xx are retried with exponential backoff, anything else fails at once. Redirects are not followed.",
      parameters: headers,
      requestBody: {
        required: true,
        content: {
          "application/json": {
            schema: {
              type: "object",
              required: ["type", "timestamp", "data"],
              additionalProperties: false,
              properties: {
                type: { const: type },
                timestamp: { type: "string", format: "date-time", description: "When the change happened" },
                data: { type: "object", additionalProperties: false, ...DATA[type] },
              },
            },
          },
        },
      },
      responses: { "2XX": { description: "Received" } },
    },
  };
}

export const WEBHOOKS = Object.fromEntries([...WEBHOOK_EVENT_TYPES, WEBHOOK_PING_TYPE].map((type) => [type, operation(type)]));
