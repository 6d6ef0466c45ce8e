import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireActor } from "~/auth/session.server";
import { csvResponse, toCsv } from "~/lib/csv";
import { idParam } from "~/lib/params";
import { rosterOrganisationNames } from "~/models/registrations.server";

/**
 * roster.organisations.csv: the names a roster file's organisation column may give, one per line —
 * what the import page lists while there are few, and offers as this file when there are
 * thousands. Coordinators and admins only.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireActor(request, ["admin", "coordinator"]);
  idParam(params.eventId);
  return csvResponse(request, "organisation-names.csv", toCsv(["organisation"], (await rosterOrganisationNames()).map((name) => [name])));
}
