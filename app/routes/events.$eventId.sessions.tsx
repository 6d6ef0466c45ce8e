import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useOutlet } from "@remix-run/react";
import { useTranslation } from "~/lib/translation";
import { requireActor, requireUser } from "~/auth/session.server";
import { CalendarFeedPanel } from "~/components/calendar-feed";
import { config } from "~/config.server";
import { readFormData } from "~/lib/form-data.server";
import { eventFeedState, feedUrls, renewEventFeed } from "~/models/calendar-feeds.server";
import { Parts } from "~/components/ui/bidi";
import { Button, LinkButton } from "~/components/ui/button";
import { Card, EmptyState } from "~/components/ui/page";
import { formatDay, formatList, formatTimeRange, zoneLabel } from "~/lib/format";
import { timetableZones } from "~/lib/zoned";
import { pageTitle } from "~/lib/meta";
import { idParam } from "~/lib/params";
import { listSessions, requireTimetableEditor } from "~/models/sessions.server";

/** The translation namespaces this page uses besides the common ones (root.tsx) and its parents'. */
export const handle = { i18n: ["calendarFeed", "checkIn", "sessionKind", "sessions", "timetableEntry"] };

export const meta: MetaFunction<typeof loader> = ({ matches, data }) =>
  pageTitle(matches, "sessions.pageTitle", { event: data?.event.title ?? "" });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const eventId = idParam(params.eventId);
  const timetable = await listSessions(user, eventId);
  // staff who plan the event may subscribe to its whole timetable
  return { ...timetable, feed: timetable.canManage ? (await eventFeedState(user, eventId)) : null };
}

/** The event's calendar feed for this staff member: made or reset, its new address shown once in the answer. */
export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const eventId = idParam(params.eventId);
  await requireTimetableEditor(actor.user, eventId);
  const formData = await readFormData(request);
  if (formData.get("intent") !== "calendar-feed") return data({ ok: false as const, feed: null }, { status: 400 });
  const token = await renewEventFeed(actor, eventId);
  return data({ ok: true as const, feed: feedUrls(config().appUrl, token) });
}

type Timetable = Awaited<ReturnType<typeof listSessions>>;
type SessionItem = Timetable["sessions"][number];

/**
 * The event's timetable, day by day. The add and edit forms are child routes: when one of them is
 * open it takes this page's place.
 */
export default function EventSessions() {
  const outlet = useOutlet();
  const { feed, ...timetable } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  if (outlet) return outlet;
  return (
    <div className="space-y-6">
      <TimetablePage {...timetable} />
      {timetable.canManage ? (
        <CalendarFeedPanel kind="event" state={feed} created={actionData?.feed ?? null} intent="calendar-feed" timeZone={timetable.event.timeZone} />
      ) : null}
    </div>
  );
}

function TimetablePage({ event, days, sessions, canManage }: Timetable) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const base = `/events/${event.id}/sessions`;
  const byDay = new Map<string, SessionItem[]>();
  for (const s of sessions) byDay.set(s.day, [...(byDay.get(s.day) ?? []), s]);
  // the zone is named once; a day on which the clocks change says so
  const zones = timetableZones(
    days.length > 0 ? days : [event.startDate],
    new Map([...byDay].map(([day, list]) => [day, list.map((s) => new Date(s.startsAt))])),
    event.timeZone,
    locale,
  );
  const firstZone = zones.first;
  return (
    <Card>
      <div className="mb-4 flex flex-wrap items-start justify-between gap-3">
        <div>
          <h2 className="text-lg font-semibold text-slate-900">{t("sessions.timetable")}</h2>
          <p className="text-sm text-slate-600">{t("sessions.timesIn", { zone: firstZone })}</p>
        </div>
        {canManage ? (
          <div className="flex flex-wrap gap-2">
            <LinkButton to={`${base}/new`}>{t("sessions.add")}</LinkButton>
            <LinkButton to={`${base}/several`} variant="secondary">
              {t("timetableEntry.addSeveral")}
            </LinkButton>
          </div>
        ) : null}
      </div>
      {sessions.length === 0 ? (
        <div className="mb-6">
          <EmptyState message={canManage ? t("sessions.empty") : t("sessions.emptyReadOnly")} />
        </div>
      ) : null}
      <div className="space-y-6">
        {days.map((day) => {
          const daySessions = byDay.get(day) ?? [];
          const zoneNote = zones.notes.get(day);
          const outside = day < event.startDate || day > event.endDate;
          const dayLabel = formatDay(day, locale, "long");
          return (
            <section key={day} aria-labelledby={`day-${day}`}>
              <div className="mb-2 flex flex-wrap items-baseline justify-between gap-2">
                <h3 id={`day-${day}`} className="font-semibold text-slate-900">
                  {dayLabel}
                </h3>
                {canManage && !outside ? (
                  <span className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
                    <Link to={`${base}/new?day=${day}`} aria-describedby={`day-${day}`}>
                      {t("sessions.addToDay")}
                    </Link>
                    {daySessions.length > 0 ? (
                      <Link to={`${base}/copy-day?from=${day}`} aria-describedby={`day-${day}`}>
                        {t("timetableEntry.copyThisDay")}
                      </Link>
                    ) : null}
                  </span>
                ) : null}
              </div>
              {zoneNote ? (
                <p className="mb-2 text-sm text-amber-900">
                  {zoneNote.kind === "from" ? t("sessions.zoneChange", { zone: zoneNote.zone }) : t("sessions.zoneChangeWithin")}
                </p>
              ) : null}
              {outside ? <p className="mb-2 text-sm text-amber-900">{t("sessions.outsideEventDays")}</p> : null}
              {daySessions.length === 0 ? (
                <p className="rounded-md border border-dashed border-slate-300 p-3 text-sm text-slate-600">{t("sessions.emptyDay")}</p>
              ) : (
                <ul className="divide-y divide-slate-100 rounded-md border border-slate-200">
                  {daySessions.map((s) => (
                    <SessionRow
                      key={s.id}
                      session={s}
                      base={base}
                      timeZone={event.timeZone}
                      dayLabel={dayLabel}
                      canManage={canManage}
                      showZone={zoneNote?.kind === "within"}
                    />
                  ))}
                </ul>
              )}
            </section>
          );
        })}
      </div>
    </Card>
  );
}

function SessionRow({
  session: s,
  base,
  timeZone,
  dayLabel,
  canManage,
  showZone,
}: {
  session: SessionItem;
  base: string;
  timeZone: string;
  dayLabel: string;
  canManage: boolean;
  /** the clocks change on this day: the time names its zone */
  showZone: boolean;
}) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const range = formatTimeRange(new Date(s.startsAt), new Date(s.endsAt), timeZone, locale);
  const time = showZone ? `${range} ${zoneLabel(timeZone, new Date(s.startsAt), locale)}` : range;
  return (
    <li className="flex flex-col gap-2 p-3 sm:flex-row sm:gap-4">
      <span className="w-40 shrink-0 text-sm font-medium tabular-nums text-slate-700" data-testid="session-time">
        {time}
      </span>
      <div className="min-w-0 flex-1 space-y-1">
        <p className="font-medium text-slate-900">
          <bdi>{s.title}</bdi>
        </p>
        <p className="text-sm text-slate-600">
          <Parts dotted parts={[t(`sessionKind.${s.kind}` as "sessionKind.other"), s.room ? t("sessions.room", { room: s.room }) : null]} />
        </p>
        {s.facilitators && s.facilitators.length > 0 ? (
          <p className="text-sm text-slate-600">{t("sessions.facilitatedBy", { names: formatList(s.facilitators, locale) })}</p>
        ) : null}
        {s.description ? <p className="whitespace-pre-line text-sm text-slate-700"><bdi>{s.description}</bdi></p> : null}
      </div>
      {canManage ? (
        <div className="flex shrink-0 flex-wrap items-start gap-2">
          {/* breaks take no check-in: no screen to show */}
          {s.kind === "break" ? null : (
            <Link to={`${base}/${s.id}/check-in`} aria-label={t("checkIn.showScreenNamed", { title: s.title })} className="text-sm">
              {t("checkIn.showScreen")}
            </Link>
          )}
          <Link to={`${base}/${s.id}`} aria-label={t("sessions.editNamed", { title: s.title })} className="text-sm">
            {t("sessions.edit")}
          </Link>
          <Link to={`${base}/new?from=${s.id}`} aria-label={t("timetableEntry.duplicateNamed", { title: s.title })} className="text-sm">
            {t("timetableEntry.duplicate")}
          </Link>
          <details className="text-sm">
            <summary className="cursor-pointer text-red-800" aria-label={t("sessions.removeNamed", { title: s.title })}>
              {t("sessions.remove")}
            </summary>
            <Form method="post" action={`${base}/${s.id}`} className="mt-2 max-w-sm space-y-2 rounded-md border border-red-200 bg-red-50 p-3">
              <p className="font-medium text-red-900">{t("sessions.removeQuestion", { title: s.title, day: dayLabel, time })}</p>
              <p className="text-red-900">{t("sessions.removeFacilitators")}</p>
              {s.attendanceCount ? <p className="text-red-900">{t("sessions.removeAttendance", { count: s.attendanceCount })}</p> : null}
              <p className="text-red-900">{t("sessions.removeFinal")}</p>
              <input type="hidden" name="intent" value="delete" />
              <Button variant="danger">{t("sessions.removeConfirm")}</Button>
            </Form>
          </details>
        </div>
      ) : null}
    </li>
  );
}
