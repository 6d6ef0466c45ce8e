import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { apiHandler, apiId, apiJson, methodNotAllowed } from "~/lib/api.server";
import { apiFeedbackResults } from "~/models/feedback.server";
import { apiTestResults } from "~/models/knowledge-tests.server";

/**
 * GET /api/v1/events/:eventId/evaluation: the event's evaluation figures where they exist — the
 * knowledge test's pre/post summary and per-question shares, the feedback form's distributions —
 * with the results pages' rights (admins and coordinators; donors see evaluation only as the
 * reports' disclosure-controlled figures: /api/v1/reports/summary).
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  return apiHandler(request, {}, async (actor, headers) => {
    const eventId = apiId(params.eventId);
    return apiJson(request, { knowledgeTest: await apiTestResults(actor, eventId), feedback: await apiFeedbackResults(actor, eventId) }, headers);
  });
}

export async function action({ request }: ActionFunctionArgs) {
  return methodNotAllowed(request, "GET");
}
