import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { config } from "~/config.server";
import { idempotencyKeyProblem } from "~/lib/api-events.server";
import { apiHandler, apiId, apiJson, listPage, methodNotAllowed, pageParams, parseJsonInput, problem, readJsonBody } from "~/lib/api.server";
import { PERSON_FIELD_NAMES, rosterAddByIdSchema, rosterAddSchema } from "~/lib/schemas/registration";
import { FieldError } from "~/models/field-error.server";
import { addToRoster, apiRosterPage, requireRosterManager } from "~/models/registrations.server";
import { once, submissionOfApiRequest } from "~/models/submission-keys.server";

/**
 * GET /api/v1/events/:eventId/registrations: the event's roster a page at a time, with the
 * roster page's rights (a partner sees its agency's people; a donor or a participant gets 403).
 * POST: add a person to the roster as the roster page does — a person of the registry by
 * `personId`, or a person's details (the page's form and its checks; an existing person is
 * recognised). `Idempotency-Key` makes a retried POST create one registration, not two.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  return apiHandler(request, {}, async (actor, headers) => {
    const eventId = apiId(params.eventId);
    const { after, limit } = pageParams(new URL(request.url));
    const rows = await apiRosterPage(actor.user, eventId, { after, limit });
    return apiJson(request, listPage(rows, limit), headers);
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  if (request.method !== "POST") return methodNotAllowed(request, "GET, POST");
  return apiHandler(request, { write: true }, async (actor, headers) => {
    const eventId = apiId(params.eventId);
    // rights first: someone who may not change the roster gets 403, not a field error
    requireRosterManager(actor);
    const body = await readJsonBody(request);
    const submission = submissionOfApiRequest(request, body, "roster_add", actor.user.id);
    if (!submission && request.headers.has("Idempotency-Key")) {
      return idempotencyKeyProblem(headers);
    }
    // the form's defaults: a confirmed participant
    const withDefaults = { eventRole: "participant", status: "confirmed", ...body };
    const input =
      "personId" in body
        ? parseJsonInput(withDefaults, rosterAddByIdSchema, { single: ["personId", "eventRole", "status"] })
        : parseJsonInput(withDefaults, rosterAddSchema, { single: ["eventRole", "status", ...PERSON_FIELD_NAMES] });
    let outcome;
    try {
      outcome = await once(
        submission,
        async () => await addToRoster(actor, eventId, input, config().appUrl),
        (id) => `/api/v1/events/${eventId}/registrations/${id}`,
      );
    } catch (error) {
      if (error instanceof FieldError && error.messageKey === "registration.errors.alreadyOnRoster") {
        return problem(409, "already-on-roster", "The person is on this roster already", undefined, { errors: [{ field: error.field, code: error.messageKey }] }, headers);
      }
      throw error;
    }
    const location = outcome.replayed ? outcome.location : `/api/v1/events/${eventId}/registrations/${outcome.result}`;
    const registrationId = Number(location.split("/").at(-1));
    const [row] = await apiRosterPage(actor.user, eventId, { after: null, limit: 1, only: registrationId });
    headers.set("Location", location);
    if (outcome.replayed) headers.set("Idempotent-Replayed", "true");
    return apiJson(request, row, headers, outcome.replayed ? 200 : 201);
  });
}
