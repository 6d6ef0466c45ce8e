import { data, type LoaderFunctionArgs } from "@remix-run/node";
import { AREA_ROLES } from "~/auth/permissions";
import { requireRole } from "~/auth/session.server";
import type { OrganisationScope } from "~/lib/domain";
import { searchOrganisations } from "~/models/organisations.server";

/**
 * /organisation-choices?scope=…&q=… — the organisations a form's search offers, when there are
 * too many to list (OrganisationSelect). `nonDonor` (rosters, the public registration page, which
 * lists the same names to anyone) needs no login; `all` (a person's record, a user's account),
 * `governmentPartner` (a follow-up request) and `donor` (the reports' donor filter) are for staff.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const asked = url.searchParams.get("scope");
  const scope: OrganisationScope = asked === "all" || asked === "governmentPartner" || asked === "donor" ? asked : "nonDonor";
  if (scope !== "nonDonor") await requireRole(request, AREA_ROLES.people);
  const q = (url.searchParams.get("q") ?? "").slice(0, 100);
  const organisations = (await searchOrganisations(scope, q)).map((o) => ({ id: o.id, name: o.name, acronym: o.acronym, kind: o.kind }));
  return data({ organisations }, { headers: { "Cache-Control": "no-store" } });
}
