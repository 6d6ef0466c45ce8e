import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { apiHandler, apiId, apiJson, methodNotAllowed } from "~/lib/api.server";
import { apiActionPlan } from "~/models/action-plans.server";

/** GET /api/v1/events/:eventId/action-plans/:planId: one plan's items and their status (the plan page's rights). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  return apiHandler(request, {}, async (actor, headers) => {
    return apiJson(request, await apiActionPlan(actor.user, apiId(params.eventId), apiId(params.planId)), headers);
  });
}

export async function action({ request }: ActionFunctionArgs) {
  return methodNotAllowed(request, "GET");
}
