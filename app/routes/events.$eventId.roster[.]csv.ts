import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireActor } from "~/auth/session.server";
import { translator } from "~/i18n";
import { pickLocale, remixI18n } from "~/i18n.server";
import { csvResponse, toCsv } from "~/lib/csv";
import { idParam } from "~/lib/params";
import { parseRosterFilters } from "~/lib/schemas/roster-filters";
import { recordRosterExport, getRoster } from "~/models/registrations.server";

/** roster.csv: the (filtered) roster with personal data — coordinators and admins only; every export is audited. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request, ["admin", "coordinator"]);
  const eventId = idParam(params.eventId);
  const filters = parseRosterFilters(new URL(request.url));
  const { rows } = await getRoster(actor.user, eventId, filters);
  await recordRosterExport(actor, eventId, rows.length);
  const { t } = translator(pickLocale(actor.user.locale, await remixI18n.getLocale(request)));
  const header = [
    t("roster.csv.givenName"),
    t("roster.csv.familyName"),
    t("roster.csv.email"),
    t("roster.csv.phone"),
    t("roster.csv.sex"),
    t("roster.csv.organisation"),
    t("roster.csv.position"),
    t("roster.csv.roleCategory"),
    t("roster.csv.nationality"),
    t("roster.csv.eventRole"),
    t("roster.csv.status"),
    t("roster.csv.dietaryNeeds"),
    t("roster.csv.accessibilityNeeds"),
    t("roster.csv.nominatedBy"),
  ];
  const body = toCsv(
    header,
    rows.map((r) => [r.givenName, r.familyName, r.email, r.phone, r.sex, r.organisationName, r.position, r.roleCategory, r.nationality, r.eventRole, r.status, r.dietaryNeeds, r.accessibilityNeeds, r.nominatedBy]),
  );
  return csvResponse(`roster-event-${eventId}.csv`, body);
}
