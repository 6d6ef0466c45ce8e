import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { apiHandler, apiJson, listPage, methodNotAllowed, pageParams } from "~/lib/api.server";
import { apiProgrammePage } from "~/models/programmes.server";

/** GET /api/v1/programmes: programmes with their donors and event counts (admins and coordinators, as /programmes). */
export async function loader({ request }: LoaderFunctionArgs) {
  return apiHandler(request, {}, async (actor, headers) => {
    const { after, limit } = pageParams(new URL(request.url));
    return apiJson(request, listPage(await apiProgrammePage(actor, after, limit), limit), headers);
  });
}

export async function action({ request }: ActionFunctionArgs) {
  return methodNotAllowed(request, "GET");
}
