import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { useTranslation } from "~/lib/translation";
import { AREA_ROLES } from "~/auth/permissions";
import { requireRole } from "~/auth/session.server";
import { CountTiles, ItemProgress, ItemStatusChart, OverdueCount, PlanStatusBadge, ValidationCount } from "~/components/action-plans";
import { Card, EmptyState, Notice, PageHeader } from "~/components/ui/page";
import { Pagination } from "~/components/ui/pagination";
import { countryName, dayInZone, formatDay, formatDayRange, formatNumber } from "~/lib/format";
import { pageTitle } from "~/lib/meta";
import { idParam, pageParam } from "~/lib/params";
import { actionPlansOverview } from "~/models/action-plans.server";

/** The translation namespaces this page uses besides the common ones (root.tsx) and its parents'. */
export const handle = { i18n: ["actionItemStatus", "actionPlans", "actionPlansOverview", "pagination"] };

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "actionPlansOverview.title");

/**
 * Action plans across trainings: a participant's own plans, a partner's agency (per officer and per
 * training), and for coordinators and admins every agency — `?organisationId=` opens one. Donors
 * and facilitators are refused (donors see counts in reports; facilitators read plans on the
 * events they teach).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, AREA_ROLES.actionPlans);
  const url = new URL(request.url);
  const organisation = url.searchParams.get("organisationId");
  const page = pageParam(url);
  const overview = await actionPlansOverview(user, {
    organisationId: organisation ? idParam(organisation) : undefined,
    page,
  });
  if (overview.view !== "agencies") return overview;
  // a global organisation works with thousands of agencies: AGENCIES_PAGE_SIZE a page (totals over all)
  const pageCount = Math.max(1, Math.ceil(overview.agencies.length / AGENCIES_PAGE_SIZE));
  const shown = Math.min(page, pageCount);
  return {
    ...overview,
    agencies: overview.agencies.slice((shown - 1) * AGENCIES_PAGE_SIZE, shown * AGENCIES_PAGE_SIZE),
    page: shown,
    pageCount,
  };
}

const AGENCIES_PAGE_SIZE = 50;

const th = "px-3 py-2 text-start font-semibold";
const td = "px-3 py-2";

function Table({ caption, head, children }: { caption: string; head: string[]; children: ReactNode }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="sticky top-0 bg-slate-100">
          <tr>
            {head.map((h) => (
              <th key={h} scope="col" className={th}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">{children}</tbody>
      </table>
    </div>
  );
}

export default function ActionPlansOverview() {
  const data = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const n = (v: number) => formatNumber(v, locale);
  const c = (key: string) => t(`actionPlansOverview.columns.${key}` as "actionPlansOverview.columns.plan");

  if (data.view === "noAgency") {
    return (
      <div>
        <PageHeader title={t("actionPlansOverview.title")} />
        <Notice>{t("actionPlansOverview.noAgency")}</Notice>
      </div>
    );
  }

  if (data.view === "person") {
    const { plans, totals } = data;
    return (
      <div className="space-y-4">
        <PageHeader title={t("actionPlansOverview.person.title")}>
          <p className="text-sm text-slate-700">{t("actionPlansOverview.person.intro")}</p>
        </PageHeader>
        {plans.length === 0 ? (
          <EmptyState message={t("actionPlansOverview.person.empty")} />
        ) : (
          <>
            <CountTiles
              tiles={[
                { key: "plans", label: t("actionPlans.counts.plans"), value: totals.plans },
                { key: "items", label: t("actionPlans.counts.items"), value: totals.items.total },
                { key: "open", label: t("actionPlansOverview.counts.openItems"), value: totals.open },
                { key: "overdue", label: t("actionPlans.counts.overdue"), value: totals.items.overdue },
                { key: "validated", label: t("actionPlans.counts.validated"), value: totals.items.validated },
              ]}
            />
            <Card>
              <ItemStatusChart counts={totals.items} />
            </Card>
            <Table caption={t("actionPlansOverview.person.title")} head={[c("plan"), c("training"), c("progress"), c("overdue"), c("validated")]}>
              {plans.map((p) => (
                <tr key={p.id} className="align-top">
                  <td className={td}>
                    <Link to={p.url} className="font-medium">
                      <bdi>{p.title}</bdi>
                    </Link>
                    <div className="mt-1">
                      <PlanStatusBadge status={p.status} />
                    </div>
                  </td>
                  <td className={td}>
                    <Link to={`/events/${p.eventId}`}>
                      <bdi>{p.eventTitle}</bdi>
                    </Link>
                    <div className="text-xs text-slate-600">{formatDayRange(p.startDate, p.endDate, locale)}</div>
                  </td>
                  <td className={td}>
                    <ItemProgress items={p.items} />
                  </td>
                  <td className={td}>
                    <OverdueCount count={p.items.overdue} />
                  </td>
                  <td className={td}>
                    <ValidationCount items={p.items} />
                  </td>
                </tr>
              ))}
            </Table>
          </>
        )}
      </div>
    );
  }

  if (data.view === "agencies") {
    const { totals, agencies } = data;
    return (
      <div className="space-y-4">
        <PageHeader title={t("actionPlansOverview.agencies.title")}>
          <p className="text-sm text-slate-700">{t("actionPlansOverview.agencies.intro")}</p>
        </PageHeader>
        <CountTiles
          tiles={[
            { key: "agencies", label: t("actionPlansOverview.counts.agencies"), value: totals.agencies },
            { key: "plans", label: t("actionPlans.counts.plans"), value: totals.plans },
            { key: "submitted", label: t("actionPlans.counts.submitted"), value: totals.submitted },
            { key: "items", label: t("actionPlans.counts.items"), value: totals.items.total },
            { key: "overdue", label: t("actionPlans.counts.overdue"), value: totals.items.overdue },
            { key: "validated", label: t("actionPlans.counts.validated"), value: totals.items.validated },
          ]}
        />
        <Card>
          <ItemStatusChart counts={totals.items} />
        </Card>
        {agencies.length === 0 ? (
          <EmptyState message={t("actionPlansOverview.agencies.empty")} />
        ) : (
          <>
            <Table
              caption={t("actionPlansOverview.agencies.title")}
              head={[c("agency"), c("officers"), c("plans"), c("progress"), c("overdue"), c("validated")]}
            >
              {agencies.map((a) => (
                <tr key={a.id} className="align-top">
                  <td className={td}>
                    <Link to={`?organisationId=${a.id}`} className="font-medium">
                      <bdi>{a.name}</bdi>
                    </Link>
                    {a.country ? <div className="text-xs text-slate-600">{countryName(a.country, locale)}</div> : null}
                  </td>
                  <td className={`${td} tabular-nums`}>{n(a.officers)}</td>
                  <td className={`${td} whitespace-nowrap tabular-nums`}>{t("actionPlansOverview.plansValue", { plans: n(a.plans), submitted: n(a.submitted) })}</td>
                  <td className={td}>
                    <ItemProgress items={a.items} />
                  </td>
                  <td className={td}>
                    <OverdueCount count={a.items.overdue} />
                  </td>
                  <td className={td}>
                    <ValidationCount items={a.items} />
                  </td>
                </tr>
              ))}
            </Table>
            <Pagination page={data.page} pageCount={data.pageCount} />
            <p className="text-xs text-slate-600">{t("actionPlansOverview.agencies.note")}</p>
          </>
        )}
      </div>
    );
  }

  const { organisation, totals, events, officers } = data;
  const title = t("actionPlansOverview.agency.title", { agency: organisation.name });
  return (
    <div className="space-y-4">
      <PageHeader
        title={title}
        crumbs={data.canPickAgency ? [{ label: t("actionPlansOverview.agency.allAgencies"), to: "/action-plans" }, { label: organisation.name }] : []}
      >
        <p className="text-sm text-slate-700">{t(data.canPickAgency ? "actionPlansOverview.agency.introManager" : "actionPlansOverview.agency.introPartner")}</p>
      </PageHeader>
      {totals.plans === 0 ? (
        <EmptyState message={t("actionPlansOverview.agency.empty")} />
      ) : (
        <>
          <CountTiles
            tiles={[
              { key: "officers", label: t("actionPlansOverview.counts.officers"), value: totals.officers },
              { key: "plans", label: t("actionPlans.counts.plans"), value: totals.plans },
              { key: "items", label: t("actionPlans.counts.items"), value: totals.items.total },
              { key: "overdue", label: t("actionPlans.counts.overdue"), value: totals.items.overdue },
              { key: "validated", label: t("actionPlans.counts.validated"), value: totals.items.validated },
              { key: "awaiting", label: t("actionPlansOverview.counts.awaiting"), value: totals.items.awaitingValidation },
            ]}
          />
          <Card>
            <ItemStatusChart counts={totals.items} />
          </Card>

          <section aria-labelledby="by-training" className="space-y-2">
            <h2 id="by-training" className="text-xl font-semibold">
              {t("actionPlansOverview.agency.byTraining")}
            </h2>
            <Table caption={t("actionPlansOverview.agency.byTraining")} head={[c("training"), c("plans"), c("progress"), c("overdue"), c("validated")]}>
              {events.map((e) => (
                <tr key={e.eventId} className="align-top">
                  <td className={td}>
                    <Link to={`/events/${e.eventId}/action-plans`} className="font-medium">
                      <bdi>{e.title}</bdi>
                    </Link>
                    <div className="text-xs text-slate-600">{formatDayRange(e.startDate, e.endDate, locale)}</div>
                  </td>
                  <td className={`${td} whitespace-nowrap tabular-nums`}>{t("actionPlansOverview.plansValue", { plans: n(e.plans), submitted: n(e.submitted) })}</td>
                  <td className={td}>
                    <ItemProgress items={e.items} />
                  </td>
                  <td className={td}>
                    <OverdueCount count={e.items.overdue} />
                  </td>
                  <td className={td}>
                    <ValidationCount items={e.items} />
                  </td>
                </tr>
              ))}
            </Table>
          </section>

          <section aria-labelledby="by-officer" className="space-y-2">
            <h2 id="by-officer" className="text-xl font-semibold">
              {t("actionPlansOverview.agency.byOfficer")}
            </h2>
            <Table
              caption={t("actionPlansOverview.agency.byOfficer")}
              head={[c("officer"), c("plan"), c("progress"), c("overdue"), c("validated"), c("lastUpdate")]}
            >
              {officers.map((o) => (
                <tr key={`${o.personId}-${o.plan.id}`} className="align-top">
                  <td className={td}>
                    <span className="font-medium">
                      <bdi>{o.name}</bdi>
                    </span>
                    {o.position ? (
                      <div className="text-xs text-slate-600">
                        <bdi>{o.position}</bdi>
                      </div>
                    ) : null}
                  </td>
                  <td className={td}>
                    <Link to={o.plan.url} className="font-medium">
                      <bdi>{o.plan.title}</bdi>
                    </Link>{" "}
                    <PlanStatusBadge status={o.plan.status} />
                    <div className="text-xs text-slate-600">
                      <bdi>{o.event.title}</bdi>
                    </div>
                  </td>
                  <td className={td}>
                    <ItemProgress items={o.items} />
                  </td>
                  <td className={td}>
                    <OverdueCount count={o.items.overdue} />
                  </td>
                  <td className={td}>
                    <ValidationCount items={o.items} />
                  </td>
                  <td className={`${td} text-slate-700`}>{o.lastUpdateAt ? formatDay(dayInZone(new Date(o.lastUpdateAt), o.event.timeZone), locale) : t("actionPlans.noUpdate")}</td>
                </tr>
              ))}
            </Table>
            <Pagination page={data.page} pageCount={data.pageCount} />
          </section>
        </>
      )}
    </div>
  );
}
