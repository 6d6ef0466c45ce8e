import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "~/lib/translation";
import { AREA_ROLES } from "~/auth/permissions";
import { requireActor } from "~/auth/session.server";
import { Button, LinkButton } from "~/components/ui/button";
import { EmptyState, PageHeader } from "~/components/ui/page";
import { Pagination } from "~/components/ui/pagination";
import { ORGANISATION_KINDS } from "~/lib/domain";
import { countryName, formatNumber } from "~/lib/format";
import { pageTitle } from "~/lib/meta";
import { organisationFiltersSchema } from "~/lib/schemas/organisations";
import { listOrganisations } from "~/models/organisations.server";

/** The translation namespaces this page uses besides the common ones (root.tsx) and its parents'. */
export const handle = { i18n: ["organisationKind", "organisations", "pagination"] };

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "organisations.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request, AREA_ROLES.organisations);
  const filters = organisationFiltersSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return { filters, result: await listOrganisations(actor, filters) };
}

export default function OrganisationsIndex() {
  const { filters, result } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  return (
    <div>
      <PageHeader
        title={t("organisations.title")}
        crumbs={[{ label: t("nav.home"), to: "/" }, { label: t("organisations.title") }]}
        action={<LinkButton to="/organisations/new">{t("organisations.new")}</LinkButton>}
      />
      <Form method="get" className="mb-4 flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-4">
        <div>
          <label htmlFor="kind" className="block text-sm font-medium">
            {t("organisations.filters.kind")}
          </label>
          <select
            id="kind"
            name="kind"
            defaultValue={filters.kind ?? ""}
            className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm"
          >
            <option value="">{t("organisations.filters.any")}</option>
            {ORGANISATION_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`organisationKind.${k}`)}
              </option>
            ))}
          </select>
        </div>
        <Button variant="secondary">{t("organisations.filters.apply")}</Button>
      </Form>
      {result.total === 0 ? (
        filters.kind ? (
          <EmptyState message={t("organisations.emptyFiltered")} action={<Link to="/organisations">{t("organisations.showAll")}</Link>} />
        ) : (
          <EmptyState message={t("organisations.empty")} action={<Link to="/organisations/new">{t("organisations.emptyAction")}</Link>} />
        )
      ) : (
        <>
          <p className="mb-2 text-sm text-slate-600" aria-live="polite">
            {t("organisations.count", { count: result.total, formatted: formatNumber(result.total, locale) })}
          </p>
          <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
            <table className="min-w-full divide-y divide-slate-200 text-sm">
              <caption className="sr-only">{t("organisations.title")}</caption>
              <thead className="sticky top-0 bg-slate-100">
                <tr>
                  <th scope="col" className="px-4 py-2 text-start font-semibold">{t("organisations.columns.name")}</th>
                  <th scope="col" className="px-4 py-2 text-start font-semibold">{t("organisations.columns.kind")}</th>
                  <th scope="col" className="px-4 py-2 text-start font-semibold">{t("organisations.columns.country")}</th>
                  <th scope="col" className="px-4 py-2 text-end font-semibold">{t("organisations.columns.users")}</th>
                  <th scope="col" className="px-4 py-2 text-end font-semibold">{t("organisations.columns.people")}</th>
                  <th scope="col" className="px-4 py-2 text-end font-semibold">{t("organisations.columns.events")}</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {result.rows.map((o) => (
                  <tr key={o.id} className="hover:bg-slate-50">
                    <td className="px-4 py-3">
                      <Link to={`/organisations/${o.id}`} className="font-medium">
                        {o.name}
                      </Link>
                      {o.acronym ? (
                        <span className="ms-2 text-slate-600">
                          (<bdi>{o.acronym}</bdi>)
                        </span>
                      ) : null}
                    </td>
                    <td className="px-4 py-3">{t(`organisationKind.${o.kind}`)}</td>
                    <td className="px-4 py-3">{o.country ? countryName(o.country, locale) : "—"}</td>
                    <td className="px-4 py-3 text-end tabular-nums">{formatNumber(o.users, locale)}</td>
                    <td className="px-4 py-3 text-end tabular-nums">{formatNumber(o.people, locale)}</td>
                    <td className="px-4 py-3 text-end tabular-nums">{formatNumber(o.events, locale)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pagination page={result.page} pageCount={result.pageCount} />
        </>
      )}
    </div>
  );
}
