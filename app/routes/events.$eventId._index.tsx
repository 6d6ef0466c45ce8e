import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireUser } from "~/auth/session.server";
import { Card, EmptyState } from "~/components/ui/page";
import { dayInZone, formatDay, formatNumber, formatTimeRange, zoneLabel } from "~/lib/format";
import { Parts } from "~/components/ui/bidi";
import { idParam } from "~/lib/params";
import { getEventOverview } from "~/models/events.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return getEventOverview(user, idParam(params.eventId));
}

export default function EventOverview() {
  const { event, partners, objectives, sessions, registrationCounts } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const days = new Map<string, typeof sessions>();
  for (const s of sessions) {
    const day = dayInZone(new Date(s.startsAt), event.timeZone);
    days.set(day, [...(days.get(day) ?? []), s]);
  }
  const confirmed = registrationCounts.confirmed ?? 0;
  return (
    <div className="grid gap-6 lg:grid-cols-3">
      <div className="space-y-6 lg:col-span-2">
        {event.description ? (
          <Card title={t("event.about")}>
            <p className="whitespace-pre-line text-slate-800">{event.description}</p>
          </Card>
        ) : null}
        <Card title={t("event.timetable")}>
          {sessions.length === 0 ? (
            <EmptyState message={t("event.noSessions")} />
          ) : (
            <div className="space-y-6">
              {[...days.entries()].map(([day, daySessions]) => (
                <section key={day}>
                  <h3 className="mb-2 font-semibold text-slate-900">{formatDay(day, locale, "long")}</h3>
                  <ul className="divide-y divide-slate-100 rounded-md border border-slate-200">
                    {daySessions.map((s) => (
                      <li key={s.id} className="flex flex-col gap-1 p-3 sm:flex-row sm:gap-4">
                        <span className="w-40 shrink-0 text-sm font-medium tabular-nums text-slate-700" data-testid="session-time">
                          {formatTimeRange(new Date(s.startsAt), new Date(s.endsAt), event.timeZone, locale)}
                        </span>
                        <span>
                          <span className="font-medium">{s.title}</span>
                          <span className="block text-sm text-slate-600">
                            <Parts dotted parts={[t(`sessionKind.${s.kind}`), s.room, s.facilitators]} />
                          </span>
                        </span>
                      </li>
                    ))}
                  </ul>
                </section>
              ))}
              <p className="text-xs text-slate-600">
                {t("event.timesIn", { zone: zoneLabel(event.timeZone, new Date(sessions[0].startsAt), locale) })}
              </p>
            </div>
          )}
        </Card>
      </div>
      <div className="space-y-6">
        <Card title={t("event.details")}>
          <dl className="space-y-3 text-sm">
            <div>
              <dt className="font-medium text-slate-600">{t("event.type")}</dt>
              <dd>{t(`eventType.${event.type}`)}</dd>
            </div>
            {event.programmeName ? (
              <div>
                <dt className="font-medium text-slate-600">{t("event.programme")}</dt>
                <dd>{event.programmeName}</dd>
              </div>
            ) : null}
            {partners.length > 0 ? (
              <div>
                <dt className="font-medium text-slate-600">{t("event.partners")}</dt>
                <dd>{partners.map((p) => p.name).join(", ")}</dd>
              </div>
            ) : null}
            <div>
              <dt className="font-medium text-slate-600">{t("event.participants")}</dt>
              <dd>
                {event.capacity
                  ? t("event.confirmedOfCapacity", { confirmed: formatNumber(confirmed, locale), capacity: formatNumber(event.capacity, locale) })
                  : t("event.confirmed", { confirmed: formatNumber(confirmed, locale) })}
              </dd>
            </div>
            {event.topics.length > 0 ? (
              <div>
                <dt className="font-medium text-slate-600">{t("event.topics")}</dt>
                <dd>
                  <ul className="list-disc ps-5">
                    {event.topics.map((topic) => (
                      <li key={topic}>{topic}</li>
                    ))}
                  </ul>
                </dd>
              </div>
            ) : null}
            {event.contactName ? (
              <div>
                <dt className="font-medium text-slate-600">{t("event.contact")}</dt>
                <dd>
                  {event.contactName}
                  {event.contactEmail ? (
                    <>
                      {" · "}
                      <a href={`mailto:${event.contactEmail}`}>{event.contactEmail}</a>
                    </>
                  ) : null}
                </dd>
              </div>
            ) : null}
          </dl>
        </Card>
        {objectives.length > 0 ? (
          <Card title={t("event.gcmObjectives")}>
            <ul className="space-y-2 text-sm">
              {objectives.map((o) => (
                <li key={o.id}>
                  <span className="font-semibold">{t("event.objectiveNumber", { number: o.id })}</span> {t(`gcm.o${o.id}` as "gcm.o1")}
                </li>
              ))}
            </ul>
          </Card>
        ) : null}
      </div>
    </div>
  );
}
