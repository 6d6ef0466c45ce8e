import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, Outlet, useLoaderData } from "@remix-run/react";
import { EventTabs } from "~/components/event-tabs";
import { useTranslation } from "~/lib/translation";
import { requireUser } from "~/auth/session.server";
import { EventStatusBadge } from "~/components/ui/badge";
import { PageHeader } from "~/components/ui/page";
import { countryName, formatDayRange, zoneLabel } from "~/lib/format";
import { idParam } from "~/lib/params";
import { getEventHeader } from "~/models/events.server";
import { eventOrigin } from "~/models/follow-ups.server";
import { Parts } from "~/components/ui/bidi";

/** The translation namespaces this page uses besides the common ones (root.tsx) and its parents'. */
export const handle = { i18n: ["event", "eventStatus", "eventTabs"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.event.title} · Convene` : "Convene" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const event = await getEventHeader(user, idParam(params.eventId));
  return { event, origin: await eventOrigin(user, event.originFollowUpRequestId), role: user.role };
}

const TABS = [
  { to: "", label: "eventTabs.overview", roles: null },
  { to: "sessions", label: "eventTabs.sessions", roles: null },
  { to: "roster", label: "eventTabs.roster", roles: ["admin", "coordinator", "facilitator", "partner"] },
  { to: "attendance", label: "eventTabs.attendance", roles: ["admin", "coordinator", "facilitator"] },
  { to: "certificates", label: "eventTabs.certificates", roles: ["admin", "coordinator"] },
  { to: "tests", label: "eventTabs.tests", roles: ["admin", "coordinator"] },
  { to: "feedback", label: "eventTabs.feedback", roles: ["admin", "coordinator"] },
  { to: "evaluation-access", label: "eventTabs.evaluationAccess", roles: ["admin", "coordinator", "facilitator"] },
  { to: "action-plans", label: "eventTabs.actionPlans", roles: ["admin", "coordinator", "facilitator", "partner", "participant"] },
  { to: "follow-ups", label: "eventTabs.followUps", roles: ["admin", "coordinator", "partner"] },
] as const;

export default function EventLayout() {
  const { event, origin, role } = useLoaderData<typeof loader>();
  const base = `/events/${event.id}`;
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const firstDayNoon = new Date(`${event.startDate}T12:00:00Z`);
  return (
    <div>
      <PageHeader title={event.title} crumbs={[{ label: t("nav.events"), to: "/events" }, { label: event.title }]} compact>
        <p className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm text-slate-700">
          <EventStatusBadge status={event.status} registrationClosed={event.registrationClosed} />
          <span>{formatDayRange(event.startDate, event.endDate, locale)}</span>
          {/* on a phone the header stays short: the zone and the place are on the overview */}
          <span aria-hidden="true" className="hidden sm:inline">·</span>
          <span className="hidden sm:inline">{t("event.timeZone", { zone: zoneLabel(event.timeZone, firstDayNoon, locale) })}</span>
          <span aria-hidden="true" className="hidden sm:inline">·</span>
          <span className="hidden sm:inline">
            <Parts parts={[event.venue, event.locality, countryName(event.country, locale)]} />
          </span>
        </p>
        {origin ? (
          <p className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm text-slate-700" data-testid="event-origin">
            {origin.originEvent ? (
              <span>
                {t("event.origin.followUpTo")}{" "}
                <Link to={`/events/${origin.originEvent.id}`}>
                  <bdi>{origin.originEvent.title}</bdi>
                </Link>
              </span>
            ) : null}
            {origin.request ? (
              <span>
                {t("event.origin.answers")}{" "}
                <Link to={`/follow-ups/${origin.request.id}`}>
                  <bdi>{origin.request.title}</bdi>
                </Link>
              </span>
            ) : null}
          </p>
        ) : null}
      </PageHeader>
      <EventTabs base={base} tabs={TABS.filter((tab) => tab.roles === null || (tab.roles as readonly string[]).includes(role))} />
      <Outlet />
    </div>
  );
}
