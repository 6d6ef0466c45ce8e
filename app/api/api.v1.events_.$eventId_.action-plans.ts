import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { apiHandler, apiId, apiJson, listPage, methodNotAllowed, pageParams } from "~/lib/api.server";
import { apiEventActionPlans } from "~/models/action-plans.server";

/**
 * GET /api/v1/events/:eventId/action-plans: the event's action plans the user may read (the tab's
 * rights: staff and the event's facilitators all, a partner its agency's, a participant their own;
 * 403 for donors), with their status and items counted by status.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  return apiHandler(request, {}, async (actor, headers) => {
    const eventId = apiId(params.eventId);
    const { after, limit } = pageParams(new URL(request.url));
    return apiJson(request, listPage(await apiEventActionPlans(actor.user, eventId, after, limit), limit), headers);
  });
}

export async function action({ request }: ActionFunctionArgs) {
  return methodNotAllowed(request, "GET");
}
