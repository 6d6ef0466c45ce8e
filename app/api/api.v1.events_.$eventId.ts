import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { parseEventBody } from "~/lib/api-events.server";
import { apiHandler, apiId, apiJson, methodNotAllowed, readJsonBody } from "~/lib/api.server";
import { apiEvent, getEventForEdit, updateEvent } from "~/models/events.server";
import { apiSessions } from "~/models/sessions.server";

/**
 * GET /api/v1/events/:eventId: one event with its sessions (404 when the user may not see it).
 * PATCH: change some of its fields; the result must pass the edit form's checks whole (the fields
 * not sent keep their values), and the model's (sessions still inside the days…).
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  return apiHandler(request, {}, async (actor, headers) => {
    const eventId = apiId(params.eventId);
    return apiJson(request, { ...(await apiEvent(actor.user, eventId)), sessions: await apiSessions(actor.user, eventId) }, headers);
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  if (request.method !== "PATCH") return methodNotAllowed(request, "GET, PATCH");
  return apiHandler(request, { write: true }, async (actor, headers) => {
    const eventId = apiId(params.eventId);
    // rights first (404/403 as the edit page), then the body
    const current = await getEventForEdit(actor, eventId);
    const body = await readJsonBody(request);
    const input = parseEventBody(body, current.values);
    await updateEvent(actor, eventId, input);
    return apiJson(request, { ...(await apiEvent(actor.user, eventId)), sessions: await apiSessions(actor.user, eventId) }, headers);
  });
}
