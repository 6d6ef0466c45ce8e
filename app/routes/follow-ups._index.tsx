import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { useTranslation } from "~/lib/translation";
import { AREA_ROLES } from "~/auth/permissions";
import { requireRole } from "~/auth/session.server";
import { FollowUpTable } from "~/components/follow-ups";
import { Button, LinkButton } from "~/components/ui/button";
import { EmptyState, PageHeader } from "~/components/ui/page";
import { Pagination } from "~/components/ui/pagination";
import { FOLLOW_UP_STATUSES } from "~/lib/domain";
import { countryName, formatNumber } from "~/lib/format";
import { pageTitle } from "~/lib/meta";
import { parseFollowUpFilters } from "~/lib/schemas/follow-ups";
import { listFollowUps } from "~/models/follow-ups.server";

/** The translation namespaces this page uses besides the common ones (root.tsx) and its parents'. */
export const handle = { i18n: ["followUpStatus", "followUps", "pagination", "priority"] };

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "followUps.title");

/** Follow-up requests: all of them for coordinators and admins, their own agency's for partners. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, AREA_ROLES.followUps);
  const filters = parseFollowUpFilters(new URL(request.url));
  return { filters, result: await listFollowUps(user, filters) };
}

export default function FollowUpsIndex() {
  const { filters, result } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const n = (v: number) => formatNumber(v, locale);
  const selectClass = "block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm";
  const filtered = Boolean(filters.status || filters.country);
  return (
    <div>
      <PageHeader title={t("followUps.title")} action={result.canCreate ? <LinkButton to="/follow-ups/new">{t("followUps.new")}</LinkButton> : undefined}>
        <p className="max-w-3xl text-sm text-slate-700">{t("followUps.intro")}</p>
      </PageHeader>
      <Form method="get" className="mb-4 grid grid-cols-1 gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-3">
        <div>
          <label htmlFor="status" className="block text-sm font-medium">
            {t("followUps.filters.status")}
          </label>
          <select id="status" name="status" defaultValue={filters.status ?? ""} className={selectClass}>
            <option value="">{t("followUps.filters.any")}</option>
            {FOLLOW_UP_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`followUpStatus.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="country" className="block text-sm font-medium">
            {t("followUps.filters.country")}
          </label>
          <select id="country" name="country" defaultValue={filters.country ?? ""} className={selectClass}>
            <option value="">{t("followUps.filters.any")}</option>
            {result.countries.map((c) => (
              <option key={c} value={c} suppressHydrationWarning>
                {countryName(c, locale)}
              </option>
            ))}
          </select>
        </div>
        <div className="flex items-end">
          <Button variant="secondary">{t("followUps.filters.apply")}</Button>
        </div>
      </Form>
      <p className="mb-2 text-sm text-slate-600" aria-live="polite">
        {t("followUps.count", { count: result.all, formatted: n(result.all) })}
        {FOLLOW_UP_STATUSES.map((s) => (
          <span key={s}>
            {" · "}
            {t("followUps.statusCount", { status: t(`followUpStatus.${s}`), n: n(result.counts[s]) })}
          </span>
        ))}
      </p>
      {result.rows.length === 0 ? (
        <EmptyState
          message={filtered ? t("followUps.emptyFiltered") : t("followUps.empty")}
          action={!filtered && result.canCreate ? <LinkButton to="/follow-ups/new" variant="secondary">{t("followUps.new")}</LinkButton> : undefined}
        />
      ) : (
        <FollowUpTable rows={result.rows} caption={t("followUps.title")} />
      )}
      <Pagination page={result.page} pageCount={result.pageCount} />
    </div>
  );
}
