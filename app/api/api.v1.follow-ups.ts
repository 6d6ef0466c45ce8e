import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { apiHandler, apiJson, listPage, methodNotAllowed, pageParams, problem } from "~/lib/api.server";
import { FOLLOW_UP_STATUSES, type FollowUpStatus } from "~/lib/domain";
import { apiFollowUpPage } from "~/models/follow-ups.server";

/**
 * GET /api/v1/follow-ups: follow-up requests with the list's filters (`status`, `country`) and
 * rights (admins and coordinators every request, a partner its agency's; others 403).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  return apiHandler(request, {}, async (actor, headers) => {
    const url = new URL(request.url);
    const { after, limit } = pageParams(url);
    const status = url.searchParams.get("status");
    const country = url.searchParams.get("country");
    if (status !== null && !(FOLLOW_UP_STATUSES as readonly string[]).includes(status)) {
      return problem(400, "bad-filter", "The filter is not valid", `status is one of ${FOLLOW_UP_STATUSES.join(", ")}.`, {}, headers);
    }
    if (country !== null && !/^[A-Z]{2}$/.test(country)) return problem(400, "bad-filter", "The filter is not valid", "country is an ISO 3166-1 alpha-2 code.", {}, headers);
    const rows = await apiFollowUpPage(actor.user, { status: (status as FollowUpStatus | null) ?? undefined, country: country ?? undefined }, after, limit);
    return apiJson(request, listPage(rows, limit), headers);
  });
}

export async function action({ request }: ActionFunctionArgs) {
  return methodNotAllowed(request, "GET");
}
