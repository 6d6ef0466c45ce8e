import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { idempotencyKeyProblem, parseSessionBody, sessionRefusal } from "~/lib/api-events.server";
import { apiHandler, apiId, apiJson, methodNotAllowed, readJsonBody } from "~/lib/api.server";
import { apiSessionOf, apiSessions, createSession, requireTimetableEditor } from "~/models/sessions.server";
import { once, submissionOfApiRequest } from "~/models/submission-keys.server";

/**
 * GET /api/v1/events/:eventId/sessions: the event's timetable (anyone who may see the event; no
 * facilitators' names for donors). POST: add a session with the session form's fields and checks
 * (a day of the event, times in its zone, a free room, facilitators by reference).
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  return apiHandler(request, {}, async (actor, headers) => {
    const eventId = apiId(params.eventId);
    return apiJson(request, { data: await apiSessions(actor.user, eventId) }, headers);
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  if (request.method !== "POST") return methodNotAllowed(request, "GET, POST");
  return apiHandler(request, { write: true }, async (actor, headers) => {
    const eventId = apiId(params.eventId);
    // rights first: someone who may not change the timetable gets 403/404, not a field error
    await requireTimetableEditor(actor.user, eventId);
    const body = await readJsonBody(request);
    const submission = submissionOfApiRequest(request, body, "session", actor.user.id);
    if (!submission && request.headers.has("Idempotency-Key")) return idempotencyKeyProblem(headers);
    const input = parseSessionBody(body);
    const outcome = await once(
      submission,
      async () => await createSession(actor, eventId, input),
      (result) => (result.ok ? `/api/v1/events/${eventId}/sessions/${result.sessionId}` : null),
    );
    if (!outcome.replayed && !outcome.result.ok) throw sessionRefusal(outcome.result);
    const location = outcome.replayed ? outcome.location : `/api/v1/events/${eventId}/sessions/${(outcome.result as { sessionId: number }).sessionId}`;
    headers.set("Location", location);
    if (outcome.replayed) headers.set("Idempotent-Replayed", "true");
    return apiJson(request, await apiSessionOf(actor.user, eventId, Number(location.split("/").at(-1))), headers, outcome.replayed ? 200 : 201);
  });
}
