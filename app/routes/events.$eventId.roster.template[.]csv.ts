import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireActor } from "~/auth/session.server";
import { csvResponse, toCsv } from "~/lib/csv";
import { idParam } from "~/lib/params";
import { ROSTER_IMPORT_COLUMNS } from "~/models/registrations.server";

/**
 * roster.template.csv: the header row of a roster import, with the machine column names (the same
 * in every language, explained on the import page) — coordinators and admins only.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireActor(request, ["admin", "coordinator"]);
  idParam(params.eventId);
  return csvResponse(request, "roster-import-template.csv", toCsv([...ROSTER_IMPORT_COLUMNS], []));
}
