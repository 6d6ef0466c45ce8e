import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { apiHandler, apiJson, encodeCursor, methodNotAllowed, pageParams, readJsonBody } from "~/lib/api.server";
import { parseEventFilters } from "~/lib/schemas/event-filters";
import { apiEvent, apiEventPage, createEvent, requirePlanner } from "~/models/events.server";
import { apiSessions } from "~/models/sessions.server";
import { once, submissionOfApiRequest } from "~/models/submission-keys.server";
import { idempotencyKeyProblem, parseEventBody } from "~/lib/api-events.server";

/**
 * GET /api/v1/events: the events the token's user may see, with the filters of /events (when,
 * programmeId, country, status, q, from, to, gcmObjectiveId), a page at a time in id order:
 * `cursor` from the previous page's `next`, `limit` 1–100.
 * POST: create an event (a draft) with the new-event form's fields and checks.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  return apiHandler(request, {}, async (actor, headers) => {
    const url = new URL(request.url);
    const { after, limit } = pageParams(url);
    const filters = parseEventFilters(url);
    const page = await apiEventPage(actor.user, { ...filters, page: undefined }, after, limit);
    const last = page.events.at(-1);
    return apiJson(request, { data: page.events, protected: page.protected, next: page.more && last ? encodeCursor(last.id) : null }, headers);
  });
}

export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return methodNotAllowed(request, "GET, POST");
  return apiHandler(request, { write: true }, async (actor, headers) => {
    // rights first: someone who may not create events gets 403, not a field error
    requirePlanner(actor);
    const body = await readJsonBody(request);
    const submission = submissionOfApiRequest(request, body, "event", actor.user.id);
    if (!submission && request.headers.has("Idempotency-Key")) return idempotencyKeyProblem(headers);
    const input = parseEventBody(body);
    const outcome = await once(submission, async () => await createEvent(actor, input), (id) => `/api/v1/events/${id}`);
    const location = outcome.replayed ? outcome.location : `/api/v1/events/${outcome.result}`;
    const eventId = Number(location.split("/").at(-1));
    headers.set("Location", location);
    if (outcome.replayed) headers.set("Idempotent-Replayed", "true");
    return apiJson(request, { ...(await apiEvent(actor.user, eventId)), sessions: await apiSessions(actor.user, eventId) }, headers, outcome.replayed ? 200 : 201);
  });
}
