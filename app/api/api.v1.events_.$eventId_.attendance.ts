import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { apiHandler, apiId, apiJson, listPage, methodNotAllowed, pageParams } from "~/lib/api.server";
import { apiAttendancePage } from "~/models/attendance.server";

/**
 * GET /api/v1/events/:eventId/attendance: the sessions that take attendance and, a page at a time,
 * the confirmed participants with their marks and completion (the attendance page's rights).
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  return apiHandler(request, {}, async (actor, headers) => {
    const eventId = apiId(params.eventId);
    const { after, limit } = pageParams(new URL(request.url));
    const { sessions, participants } = await apiAttendancePage(actor.user, eventId, after, limit);
    return apiJson(request, { sessions, ...listPage(participants, limit) }, headers);
  });
}

export async function action({ request }: ActionFunctionArgs) {
  return methodNotAllowed(request, "GET");
}
