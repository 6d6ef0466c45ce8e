import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { apiHandler, apiJson, methodNotAllowed, problem } from "~/lib/api.server";
import { activityReport, parseReportFilters, reportDefaults } from "~/models/reports.server";

/**
 * GET /api/v1/reports/summary: the activity summary of /reports with its filters (programmeId,
 * donorId, country, partnerId, gcmObjectiveId, from, to) — the very figures of the page and of
 * /reports.csv: donors' and partners' counts of people through the disclosure control. The page's
 * readers only (admins, coordinators, donors, partners).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  return apiHandler(request, {}, async (actor, headers) => {
    const parsed = await parseReportFilters(new URL(request.url), reportDefaults(actor.user));
    if (!parsed.ok) {
      const errors = Object.entries(parsed.errors).map(([field, code]) => ({ field, code: String(code) }));
      return problem(400, "bad-filter", "A filter is not valid", undefined, { errors }, headers);
    }
    return apiJson(request, await activityReport(actor.user, parsed.filters), headers);
  });
}

export async function action({ request }: ActionFunctionArgs) {
  return methodNotAllowed(request, "GET");
}
