import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { apiHandler, apiId, apiJson, invalidFields, methodNotAllowed, problem, readJsonBody } from "~/lib/api.server";
import { ATTENDANCE_STATUSES } from "~/lib/domain";
import { MAX_ID } from "~/lib/params";
import { recordAttendance, requireAttendanceTaker } from "~/models/attendance.server";
import { apiSessionOf } from "~/models/sessions.server";

/** The marks of one session: who (a confirmed participant's registration) and how (null removes a mark). */
const marksSchema = z
  .object({
    marks: z
      .array(
        z.object({ registrationId: z.number().int().min(1).max(MAX_ID), status: z.enum(ATTENDANCE_STATUSES).nullable() }).strict(),
      )
      .min(1)
      .max(2000),
  })
  .strict();

/**
 * POST /api/v1/events/:eventId/sessions/:sessionId/attendance: record marks for one session, as the
 * attendance page does (admins and coordinators for every session, a facilitator for the sessions
 * they teach; a session that has not begun or a break takes none). All or nothing.
 */
export async function action({ request, params }: ActionFunctionArgs) {
  if (request.method !== "POST") return methodNotAllowed(request, "POST");
  return apiHandler(request, { write: true }, async (actor, headers) => {
    const eventId = apiId(params.eventId);
    const sessionId = apiId(params.sessionId);
    // a session of another event (or of an event the user may not see) is not found
    await apiSessionOf(actor.user, eventId, sessionId);
    await requireAttendanceTaker(actor.user, eventId, sessionId);
    const body = await readJsonBody(request);
    const parsed = marksSchema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue.path.length > 0 ? issue.path.join(".") : (issue.code === "unrecognized_keys" ? issue.keys[0] : "marks");
      return invalidFields([{ field, code: issue.code === "unrecognized_keys" ? "errors.unknownField" : "errors.choice" }]);
    }
    const ids = parsed.data.marks.map((m) => m.registrationId);
    if (new Set(ids).size !== ids.length) return problem(422, "invalid-field", "A field is not valid", "A person appears twice in the marks.", { errors: [{ field: "marks", code: "errors.duplicate" }] }, headers);
    const result = await recordAttendance(actor, eventId, parsed.data.marks.map((m) => ({ registrationId: m.registrationId, sessionId, status: m.status })));
    return apiJson(request, { changed: result.changed }, headers);
  });
}

export async function loader({ request }: LoaderFunctionArgs) {
  return methodNotAllowed(request, "POST");
}
