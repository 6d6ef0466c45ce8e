import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { apiHandler, apiJson, listPage, methodNotAllowed, pageParams, problem } from "~/lib/api.server";
import { ORGANISATION_KINDS, type OrganisationKind } from "~/lib/domain";
import { apiOrganisationPage } from "~/models/organisations.server";

/** GET /api/v1/organisations: organisations with their counts, filtered by `kind` (admins and coordinators, as /organisations). */
export async function loader({ request }: LoaderFunctionArgs) {
  return apiHandler(request, {}, async (actor, headers) => {
    const url = new URL(request.url);
    const { after, limit } = pageParams(url);
    const kind = url.searchParams.get("kind");
    if (kind !== null && !(ORGANISATION_KINDS as readonly string[]).includes(kind)) {
      return problem(400, "bad-filter", "The filter is not valid", `kind is one of ${ORGANISATION_KINDS.join(", ")}.`, {}, headers);
    }
    const rows = await apiOrganisationPage(actor, { kind: (kind as OrganisationKind | null) ?? undefined }, after, limit);
    return apiJson(request, listPage(rows, limit), headers);
  });
}

export async function action({ request }: ActionFunctionArgs) {
  return methodNotAllowed(request, "GET");
}
