import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { config } from "~/config.server";
import { apiHandler, apiId, apiJson, invalidFields, methodNotAllowed, parseJsonInput, readJsonBody } from "~/lib/api.server";
import { followUpActionSchema } from "~/lib/schemas/follow-ups";
import { apiFollowUp, changeFollowUpStatus, requireTriager } from "~/models/follow-ups.server";

/**
 * GET /api/v1/follow-ups/:requestId: one request with its history (the request page's rights).
 * PATCH `{status, comment?, copyTimetable?}`: move it one step, as the request page's status form
 * does (admins and coordinators; declining needs a comment, accepting creates the draft event).
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  return apiHandler(request, {}, async (actor, headers) => {
    return apiJson(request, await apiFollowUp(actor.user, apiId(params.requestId)), headers);
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  if (request.method !== "PATCH") return methodNotAllowed(request, "GET, PATCH");
  return apiHandler(request, { write: true }, async (actor, headers) => {
    const requestId = apiId(params.requestId);
    // rights first: a request the user may not see is not found, whatever the body
    await apiFollowUp(actor.user, requestId);
    requireTriager(actor.user);
    const body = await readJsonBody(request);
    if ("intent" in body) throw invalidFields([{ field: "intent", code: "errors.unknownField" }]);
    const input = parseJsonInput({ ...body, intent: "status" }, followUpActionSchema, { single: ["intent", "status", "comment"], flags: ["copyTimetable"] });
    if (input.intent !== "status") throw invalidFields([{ field: "status", code: "errors.choice" }]);
    await changeFollowUpStatus(actor, requestId, input.status, { comment: input.comment, copyTimetable: input.copyTimetable, appUrl: config().appUrl });
    return apiJson(request, await apiFollowUp(actor.user, requestId), headers);
  });
}
