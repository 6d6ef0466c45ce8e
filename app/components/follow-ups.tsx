import { useTranslation } from "~/lib/translation";
import { Link } from "@remix-run/react";
import { Badge } from "./ui/badge";
import { Parts } from "./ui/bidi";
import type { FollowUpStatus } from "~/lib/domain";
import { countryName, formatDay, formatDayRange, formatNumber } from "~/lib/format";

/** A request's status as text and colour (never colour alone), in the tones of the event statuses. */
const STATUS_TONE: Record<FollowUpStatus, string> = {
  received: "draft",
  under_review: "in_progress",
  accepted: "open",
  scheduled: "completed",
  declined: "cancelled",
};

export function FollowUpStatusBadge({ status }: { status: FollowUpStatus }) {
  const { t } = useTranslation();
  return <Badge tone={STATUS_TONE[status]}>{t(`followUpStatus.${status}`)}</Badge>;
}

/** "1 Mar 2027 – 31 Mar 2027", "From 1 Mar 2027", "Until …", or "Not given". */
export function DesiredPeriod({ from, to }: { from: string | null; to: string | null }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  if (from && to) return <>{formatDayRange(from, to, locale)}</>;
  if (from) return <>{t("followUps.period.from", { date: formatDay(from, locale) })}</>;
  if (to) return <>{t("followUps.period.to", { date: formatDay(to, locale) })}</>;
  return <>{t("followUps.period.none")}</>;
}

type RequestRow = {
  id: number;
  title: string;
  country: string;
  localities: string[];
  status: FollowUpStatus;
  priority: "low" | "normal" | "high";
  estimatedParticipants: number | null;
  desiredFrom: string | null;
  desiredTo: string | null;
  organisationName: string | null;
  originEvent?: { id: number; title: string } | null;
  linkedEvents?: number;
};

/** The requests table of the list page and of an event's tab. */
export function FollowUpTable({ rows, caption, showOrigin = true }: { rows: RequestRow[]; caption: string; showOrigin?: boolean }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="sticky top-0 bg-slate-100">
          <tr>
            <th scope="col" className="px-4 py-2 text-start font-semibold">{t("followUps.columns.request")}</th>
            <th scope="col" className="px-4 py-2 text-start font-semibold">{t("followUps.columns.place")}</th>
            <th scope="col" className="px-4 py-2 text-start font-semibold">{t("followUps.columns.period")}</th>
            <th scope="col" className="px-4 py-2 text-end font-semibold">{t("followUps.columns.participants")}</th>
            <th scope="col" className="px-4 py-2 text-start font-semibold">{t("followUps.columns.priority")}</th>
            <th scope="col" className="px-4 py-2 text-start font-semibold">{t("followUps.columns.status")}</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((r) => (
            <tr key={r.id} className="align-top hover:bg-slate-50">
              <td className="px-4 py-3">
                <Link to={`/follow-ups/${r.id}`} className="font-medium">
                  <bdi>{r.title}</bdi>
                </Link>
                {r.organisationName ? (
                  <div className="text-xs text-slate-600">
                    <bdi>{r.organisationName}</bdi>
                  </div>
                ) : null}
                {showOrigin && r.originEvent ? (
                  <div className="text-xs text-slate-600">
                    {t("followUps.fromEvent")} <Link to={`/events/${r.originEvent.id}`}><bdi>{r.originEvent.title}</bdi></Link>
                  </div>
                ) : null}
              </td>
              <td className="px-4 py-3">
                <Parts parts={[...r.localities, countryName(r.country, locale)]} />
              </td>
              <td className="whitespace-nowrap px-4 py-3">
                <DesiredPeriod from={r.desiredFrom} to={r.desiredTo} />
              </td>
              <td className="px-4 py-3 text-end tabular-nums">
                {r.estimatedParticipants === null ? t("followUps.notGiven") : formatNumber(r.estimatedParticipants, locale)}
              </td>
              <td className="px-4 py-3">{t(`priority.${r.priority}`)}</td>
              <td className="px-4 py-3">
                <FollowUpStatusBadge status={r.status} />
                {r.linkedEvents ? <div className="mt-1 text-xs text-slate-600">{t("followUps.hasEvent")}</div> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
