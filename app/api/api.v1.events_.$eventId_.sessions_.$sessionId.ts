import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { parseSessionBody, sessionRefusal } from "~/lib/api-events.server";
import { apiHandler, apiId, apiJson, methodNotAllowed, readJsonBody } from "~/lib/api.server";
import { apiSessionOf, getSessionForEdit, updateSession } from "~/models/sessions.server";

/**
 * GET /api/v1/events/:eventId/sessions/:sessionId: one session. PATCH: change some of its fields;
 * the result passes the session form's checks whole (the fields not sent keep their values).
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  return apiHandler(request, {}, async (actor, headers) => {
    return apiJson(request, await apiSessionOf(actor.user, apiId(params.eventId), apiId(params.sessionId)), headers);
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  if (request.method !== "PATCH") return methodNotAllowed(request, "GET, PATCH");
  return apiHandler(request, { write: true }, async (actor, headers) => {
    const eventId = apiId(params.eventId);
    const sessionId = apiId(params.sessionId);
    const current = await getSessionForEdit(actor.user, eventId, sessionId);
    const body = await readJsonBody(request);
    const result = await updateSession(actor, eventId, sessionId, parseSessionBody(body, current));
    if (!result.ok) throw sessionRefusal(result);
    return apiJson(request, await apiSessionOf(actor.user, eventId, sessionId), headers);
  });
}
