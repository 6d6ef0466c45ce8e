import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireActor } from "~/auth/session.server";
import { translator } from "~/i18n";
import { pickLocale, remixI18n } from "~/i18n.server";
import { csvResponse, toCsv, type Cell } from "~/lib/csv";
import { idParam } from "~/lib/params";
import { utcToZoned } from "~/lib/zoned";
import { attendanceRate } from "~/lib/attendance";
import { attendanceExport } from "~/models/attendance.server";

/**
 * attendance.csv: one row per participant × session (status, who recorded it and when), then one
 * total row per participant (attended, counted, rate, completed). Times in the event's zone.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request, ["admin", "coordinator"]);
  const eventId = idParam(params.eventId);
  const grid = await attendanceExport(actor, eventId);
  const { t } = translator(pickLocale(actor.user.locale, await remixI18n.getLocale(request)));
  const zone = grid.event.timeZone;
  const mark = new Map(grid.marks.map((m) => [`${m.registrationId}:${m.sessionId}`, m]));
  const local = (at: Date | string | number) => {
    const z = utcToZoned(new Date(at), zone);
    return `${z.day} ${z.time}`;
  };
  const rows: Cell[][] = [];
  for (const p of grid.participants) {
    for (const s of grid.sessions) {
      const m = mark.get(`${p.registrationId}:${s.id}`);
      rows.push([p.givenName, p.familyName, p.organisation, s.title, local(s.startsAt), m?.status ?? "", m?.method ?? "", m?.recordedBy ?? "", m ? local(m.recordedAt) : "", "", "", "", ""]);
    }
  }
  for (const p of grid.participants) {
    rows.push([p.givenName, p.familyName, p.organisation, t("attendance.csv.total"), "", "", "", "", "", p.attended, p.counted, attendanceRate(p.attended, p.counted) ?? "", p.completed ? "yes" : "no"]);
  }
  const header = [
    t("attendance.csv.givenName"),
    t("attendance.csv.familyName"),
    t("attendance.csv.organisation"),
    t("attendance.csv.session"),
    t("attendance.csv.sessionStart", { zone }),
    t("attendance.csv.status"),
    t("attendance.csv.method"),
    t("attendance.csv.recordedBy"),
    t("attendance.csv.recordedAt"),
    t("attendance.csv.attended"),
    t("attendance.csv.counted"),
    t("attendance.csv.ratePercent"),
    t("attendance.csv.completed"),
  ];
  return csvResponse(`attendance-event-${eventId}.csv`, toCsv(header, rows));
}
