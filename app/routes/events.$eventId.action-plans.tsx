import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "~/lib/translation";
import { requireActor } from "~/auth/session.server";
import { CheckInSchedule, CountTiles, ItemProgress, ItemStatusChart, OverdueCount, PlanStatusBadge } from "~/components/action-plans";
import { Parts } from "~/components/ui/bidi";
import { LinkButton } from "~/components/ui/button";
import { Card, EmptyState, Notice } from "~/components/ui/page";
import { Pagination } from "~/components/ui/pagination";
import { formatDay, formatNumber, dayInZone } from "~/lib/format";
import { pageTitle } from "~/lib/meta";
import { idParam } from "~/lib/params";
import { eventActionPlans } from "~/models/action-plans.server";

/** The translation namespaces this page uses besides the common ones (root.tsx) and its parents'. */
export const handle = { i18n: ["actionItemStatus", "actionPlans", "pagination"] };

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "actionPlans.title");

/** Everyone but donors (who see counts in reports, never a plan). The model scopes what each role sees. */
const ROLES = ["admin", "coordinator", "facilitator", "partner", "participant"] as const;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user } = await requireActor(request, ROLES);
  const eventId = idParam(params.eventId);
  const url = new URL(request.url);
  const page = Number(url.searchParams.get("page") ?? "1");
  return await eventActionPlans(user, eventId, { page: Number.isSafeInteger(page) ? page : 1 });
}

/** The event's action plans: counts, items by status, overdue items and the plans (scoped to the reader). */
export default function ActionPlansTab() {
  const data = useLoaderData<typeof loader>();
  const { event, counts, plans, own, role, template } = data;
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const n = (v: number) => formatNumber(v, locale);
  const day = (at: string | Date) => formatDay(dayInZone(new Date(at), event.timeZone), locale);
  const base = `/events/${event.id}/action-plans`;

  if (role === "participant") {
    return (
      <div className="space-y-4">
        <h2 className="text-xl font-semibold">{t("actionPlans.title")}</h2>
        <p className="text-sm text-slate-700">{t("actionPlans.intro")}</p>
        {own ? (
          <Card title={t("actionPlans.mine.title")}>
            <div className="flex flex-wrap items-center justify-between gap-3">
              <div className="flex flex-wrap items-center gap-2">
                <Link to={`${base}/${own.id}`} className="font-medium">
                  <bdi>{own.title}</bdi>
                </Link>
                <PlanStatusBadge status={own.status} />
              </div>
              <LinkButton to={`${base}/${own.id}`}>{t("actionPlans.mine.open")}</LinkButton>
            </div>
          </Card>
        ) : data.canCreate ? (
          <EmptyState message={t("actionPlans.mine.none")} action={<LinkButton to={`${base}/new`}>{t("actionPlans.mine.write")}</LinkButton>} />
        ) : (
          <Notice>{t(data.attendance === "eventNotHeld" ? "actionPlans.errors.eventNotHeld" : "actionPlans.mine.notAttended")}</Notice>
        )}
      </div>
    );
  }

  const stats = [
    { key: "plans", value: counts.plans },
    { key: "submitted", value: counts.submitted },
    { key: "items", value: counts.items.total },
    { key: "overdue", value: counts.items.overdue },
    { key: "validated", value: counts.items.validated },
  ] as const;

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h2 className="text-xl font-semibold">{t("actionPlans.title")}</h2>
          <p className="text-sm text-slate-700" aria-live="polite">
            {t("actionPlans.summary", { plans: n(counts.plans), submitted: n(counts.submitted), overdue: n(counts.items.overdue) })}
          </p>
          {role === "partner" ? <p className="text-sm text-slate-600">{t("actionPlans.scope.partner")}</p> : null}
          {role === "facilitator" ? <p className="text-sm text-slate-600">{t("actionPlans.scope.facilitator")}</p> : null}
        </div>
        {data.canCreate ? (
          <div className="flex flex-wrap gap-2">
            <LinkButton to={`${base}/new`}>{t("actionPlans.create.titleCoordinator")}</LinkButton>
          </div>
        ) : null}
      </div>

      <CountTiles tiles={stats.map((s) => ({ ...s, label: t(`actionPlans.counts.${s.key}`) }))} />
      <Card>
        <ItemStatusChart counts={counts.items} />
      </Card>

      {data.canManageTemplate ? (
        <Card title={t("actionPlans.template.title")}>
          <div className="flex flex-wrap items-center justify-between gap-3 text-sm">
            <p className="text-slate-700">
              {template
                ? t("actionPlans.template.summary", { title: template.title, count: template.items, formatted: n(template.items) })
                : t("actionPlans.template.none")}
            </p>
            <LinkButton to={`${base}/template`} variant="secondary">
              {t(template ? "actionPlans.template.edit" : "actionPlans.template.create")}
            </LinkButton>
          </div>
        </Card>
      ) : null}

      {data.checkInDays ? (
        <Card title={t("actionPlans.checkIns.title")}>
          <div className="flex flex-wrap items-center justify-between gap-3 text-sm">
            <div data-testid="check-ins">
              <p className="text-slate-700">{t("actionPlans.checkIns.intro")}</p>
              <p className="mt-1">
                <CheckInSchedule days={data.checkInDays} endDate={event.endDate} />
              </p>
            </div>
            <LinkButton to={`/events/${event.id}/edit`} variant="secondary">
              {t("actionPlans.checkIns.change")}
            </LinkButton>
          </div>
        </Card>
      ) : null}

      {plans.length === 0 ? (
        <EmptyState message={t(role === "partner" ? "actionPlans.emptyPartner" : "actionPlans.empty")} />
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="min-w-full divide-y divide-slate-200 text-sm">
            <thead className="sticky top-0 bg-slate-100">
              <tr>
                <th scope="col" className="px-3 py-2 text-start font-semibold">{t("actionPlans.columns.plan")}</th>
                <th scope="col" className="px-3 py-2 text-start font-semibold">{t("actionPlans.columns.members")}</th>
                <th scope="col" className="px-3 py-2 text-start font-semibold">{t("actionPlans.columns.status")}</th>
                <th scope="col" className="px-3 py-2 text-start font-semibold">{t("actionPlans.columns.progress")}</th>
                <th scope="col" className="px-3 py-2 text-start font-semibold">{t("actionPlans.columns.overdue")}</th>
                <th scope="col" className="px-3 py-2 text-start font-semibold">{t("actionPlans.columns.lastUpdate")}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {plans.map((p) => (
                <tr key={p.id} className="align-top">
                  <td className="px-3 py-2">
                    <Link to={`${base}/${p.id}`} className="font-medium">
                      <bdi>{p.title}</bdi>
                    </Link>
                  </td>
                  <td className="px-3 py-2">
                    <Parts parts={p.members.map((m) => m.name)} />
                    {p.otherMembers > 0 ? (
                      <div className="text-xs text-slate-600">{t("actionPlans.otherMembers", { count: p.otherMembers, formatted: n(p.otherMembers) })}</div>
                    ) : null}
                  </td>
                  <td className="px-3 py-2">
                    <PlanStatusBadge status={p.status} />
                    {p.submittedAt ? <div className="mt-1 text-xs text-slate-600">{t("actionPlans.submittedOn", { date: day(p.submittedAt) })}</div> : null}
                  </td>
                  <td className="px-3 py-2">
                    <ItemProgress items={p.items} />
                  </td>
                  <td className="px-3 py-2">
                    <OverdueCount count={p.items.overdue} />
                  </td>
                  <td className="px-3 py-2 text-slate-700">{p.lastUpdateAt ? day(p.lastUpdateAt) : t("actionPlans.noUpdate")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination page={data.page} pageCount={data.pageCount} />
    </div>
  );
}
