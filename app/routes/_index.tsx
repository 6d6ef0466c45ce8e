import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Link } from "~/components/ui/link";
import { useTranslation } from "react-i18next";
import { requireUser } from "~/auth/session.server";
import { OverdueBadge, PlanStatusBadge } from "~/components/action-plans";
import { EventListCompact } from "~/components/event-list-compact";
import { LinkButton } from "~/components/ui/button";
import { Card, PageHeader } from "~/components/ui/page";
import { formatDateTime, formatNumber } from "~/lib/format";
import { countUsers } from "~/models/accounts.server";
import { homeFor } from "~/models/home.server";
import { pageTitle } from "~/lib/meta";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "nav.home");

export async function loader({ request }: LoaderFunctionArgs) {
  if ((await countUsers()) === 0) return redirect("/setup");
  const user = await requireUser(request);
  return { name: user.name, home: await homeFor(user) };
}

export default function Home() {
  const { name, home } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  return (
    <div>
      <PageHeader title={t("home.welcome", { name })} />
      {home.role === "admin" ? (
        <div className="grid gap-6 md:grid-cols-2">
          <Card title={t("home.admin.accounts")}>
            <p className="text-sm">
              {t("home.admin.accountCounts", {
                total: formatNumber(home.users.total, locale),
                pending: formatNumber(home.users.pending, locale),
                disabled: formatNumber(home.users.disabled, locale),
              })}
            </p>
            <div className="mt-4">
              <LinkButton to="/admin/users">{t("home.admin.manageUsers")}</LinkButton>
            </div>
          </Card>
          <Card title={t("home.admin.email")}>
            <p className="text-sm">
              {t("home.admin.outboxCounts", {
                pending: formatNumber(home.outbox.pending ?? 0, locale),
                sent: formatNumber(home.outbox.sent ?? 0, locale),
                failed: formatNumber(home.outbox.failed ?? 0, locale),
              })}
            </p>
          </Card>
          <Card title={t("home.nextEvents")} className="md:col-span-2">
            <EventListCompact events={home.events} empty={t("home.noEvents")} />
          </Card>
        </div>
      ) : null}
      {home.role === "coordinator" ? (
        <Card title={t("home.nextEvents")}>
          <EventListCompact events={home.events} empty={t("home.noEvents")} />
          <p className="mt-4 text-sm">
            <Link to="/events">{t("home.allEvents")}</Link>
          </p>
        </Card>
      ) : null}
      {home.role === "facilitator" ? (
        <Card title={t("home.facilitator.sessions")}>
          {home.sessions.length === 0 ? (
            <p className="text-sm text-slate-600">{t("home.facilitator.none")}</p>
          ) : (
            <ul className="divide-y divide-slate-100">
              {home.sessions.map((s) => (
                <li key={s.id} className="py-3">
                  <Link to={`/events/${s.eventId}`} className="font-medium">
                    {s.title}
                  </Link>
                  <p className="text-sm text-slate-600">
                    {s.eventTitle} · {formatDateTime(new Date(s.startsAt), s.timeZone, locale)}
                    {s.room ? ` · ${s.room}` : ""}
                  </p>
                </li>
              ))}
            </ul>
          )}
        </Card>
      ) : null}
      {home.role === "participant" ? (
        <div className="grid gap-6 md:grid-cols-2">
          <Card title={t("home.participant.myTrainings")}>
            <EventListCompact events={home.registrations} empty={t("home.participant.noTrainings")} />
          </Card>
          <Card title={t("home.participant.myPlans")}>
            {home.plans.length === 0 ? (
              <p className="text-sm text-slate-600">{t("home.participant.noPlans")}</p>
            ) : (
              <>
                <ul className="divide-y divide-slate-100 text-sm">
                  {home.plans.map((p) => (
                    <li key={p.id} className="py-2">
                      <Link to={p.url} className="font-medium">
                        <bdi>{p.title}</bdi>
                      </Link>{" "}
                      <PlanStatusBadge status={p.status} />
                      <div className="text-slate-600">
                        <bdi>{p.eventTitle}</bdi>
                      </div>
                      <div className="flex flex-wrap items-center gap-2">
                        <span>{t("actionPlansOverview.home.participantSummary", { open: formatNumber(p.open, locale), overdue: formatNumber(p.overdue, locale) })}</span>
                        {p.overdue > 0 ? <OverdueBadge /> : null}
                      </div>
                    </li>
                  ))}
                </ul>
                <p className="mt-3 text-sm">
                  <Link to="/action-plans">{t("actionPlansOverview.home.allMine")}</Link>
                </p>
              </>
            )}
          </Card>
          <Card title={t("home.participant.openForRegistration")} className="md:col-span-2">
            <EventListCompact events={home.open} empty={t("home.participant.noneOpen")} />
          </Card>
        </div>
      ) : null}
      {home.role === "partner" ? (
        <div className="grid gap-6 md:grid-cols-2">
          <Card title={home.organisation ?? t("home.partner.noOrganisation")}>
            <p className="text-sm">{t("home.partner.officersTrained", { count: home.officersTrained, formatted: formatNumber(home.officersTrained, locale) })}</p>
          </Card>
          <Card title={t("home.partner.agencyEvents")}>
            <EventListCompact events={home.events} empty={t("home.noEvents")} />
          </Card>
          {home.actionPlans ? (
            <Card title={t("actionPlansOverview.home.partnerTitle")} className="md:col-span-2">
              <p className="text-sm">
                {t("actionPlansOverview.home.partnerSummary", {
                  plans: formatNumber(home.actionPlans.plans, locale),
                  awaiting: formatNumber(home.actionPlans.awaitingValidation, locale),
                  overdue: formatNumber(home.actionPlans.overdue, locale),
                })}
              </p>
              {home.actionPlans.toValidate.length === 0 ? (
                <p className="mt-2 text-sm text-slate-600">{t("actionPlansOverview.home.nothingToValidate")}</p>
              ) : (
                <>
                  <h3 className="mt-3 text-sm font-semibold text-slate-800">{t("actionPlansOverview.home.toValidate")}</h3>
                  <ul className="divide-y divide-slate-100 text-sm">
                    {home.actionPlans.toValidate.map((p) => (
                      <li key={p.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
                        <span>
                          <Link to={p.url} className="font-medium">
                            <bdi>{p.title}</bdi>
                          </Link>
                          <span className="text-slate-600">
                            {" "}
                            · <bdi>{p.eventTitle}</bdi>
                          </span>
                        </span>
                        <span className="text-slate-700">{t("actionPlansOverview.awaiting", { count: p.awaitingValidation, formatted: formatNumber(p.awaitingValidation, locale) })}</span>
                      </li>
                    ))}
                  </ul>
                </>
              )}
              <p className="mt-3 text-sm">
                <Link to="/action-plans">{t("actionPlansOverview.home.allAgency")}</Link>
              </p>
            </Card>
          ) : null}
        </div>
      ) : null}
      {home.role === "donor" ? (
        <Card title={t("home.donor.programmes", { organisation: home.organisation ?? "" })}>
          {home.programmes.length === 0 ? (
            <p className="text-sm text-slate-600">{t("home.donor.none")}</p>
          ) : (
            <ul className="divide-y divide-slate-100">
              {home.programmes.map((p) => (
                <li key={p.id} className="flex justify-between py-3">
                  <Link to={`/events?programmeId=${p.id}`} className="font-medium">{p.name}</Link>
                  <span className="text-sm text-slate-600">{t("home.donor.eventCount", { count: p.events, formatted: formatNumber(p.events, locale) })}</span>
                </li>
              ))}
            </ul>
          )}
        </Card>
      ) : null}
    </div>
  );
}
