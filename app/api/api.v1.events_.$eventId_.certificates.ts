import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { apiHandler, apiId, apiJson, methodNotAllowed } from "~/lib/api.server";
import { apiEventCertificates } from "~/models/certificates.server";

/** GET /api/v1/events/:eventId/certificates: the event's certificates, valid and revoked (admins and coordinators, as the certificates tab). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  return apiHandler(request, {}, async (actor, headers) => {
    return apiJson(request, { data: await apiEventCertificates(actor, apiId(params.eventId)) }, headers);
  });
}

export async function action({ request }: ActionFunctionArgs) {
  return methodNotAllowed(request, "GET");
}
