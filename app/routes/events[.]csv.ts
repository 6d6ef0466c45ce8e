import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireActor } from "~/auth/session.server";
import { translator } from "~/i18n";
import { pickLocale, remixI18n } from "~/i18n.server";
import { csvResponse, toCsv } from "~/lib/csv";
import { parseEventFilters } from "~/lib/schemas/event-filters";
import { exportEvents } from "~/models/events.server";

/** /events.csv: the filtered events list, for coordinators and admins. Headers in the user's language. */
export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request, ["admin", "coordinator"]);
  const filters = parseEventFilters(new URL(request.url));
  const { t } = translator(pickLocale(actor.user.locale, await remixI18n.getLocale(request)));
  const rows = await exportEvents(actor.user, filters);
  const header = [
    t("events.csv.id"),
    t("events.csv.title"),
    t("events.csv.type"),
    t("events.csv.programme"),
    t("events.csv.country"),
    t("events.csv.locality"),
    t("events.csv.timeZone"),
    t("events.csv.startDate"),
    t("events.csv.endDate"),
    t("events.csv.status"),
    t("events.csv.partners"),
    t("events.csv.gcmObjectives"),
    t("events.csv.participantsConfirmed"),
  ];
  const body = toCsv(
    header,
    rows.map((r) => [
      r.id,
      r.title,
      r.type,
      r.programme,
      r.country,
      r.locality,
      r.timeZone,
      r.startDate,
      r.endDate,
      r.status,
      r.partners,
      r.gcmObjectives,
      r.participantsConfirmed,
    ]),
  );
  return csvResponse("events.csv", body);
}
