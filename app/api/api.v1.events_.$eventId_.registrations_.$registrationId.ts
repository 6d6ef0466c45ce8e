import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { apiHandler, apiId, apiJson, methodNotAllowed } from "~/lib/api.server";
import { apiRosterPage } from "~/models/registrations.server";

/** GET /api/v1/events/:eventId/registrations/:registrationId: one row of the roster, with the roster's rights. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  return apiHandler(request, {}, async (actor, headers) => {
    const eventId = apiId(params.eventId);
    const registrationId = apiId(params.registrationId);
    const [row] = await apiRosterPage(actor.user, eventId, { after: null, limit: 1, only: registrationId });
    return apiJson(request, row, headers);
  });
}

export async function action({ request }: ActionFunctionArgs) {
  return methodNotAllowed(request, "GET");
}
