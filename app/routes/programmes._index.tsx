import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "~/lib/translation";
import { z } from "zod";
import { AREA_ROLES } from "~/auth/permissions";
import { requireActor } from "~/auth/session.server";
import { Parts } from "~/components/ui/bidi";
import { LinkButton } from "~/components/ui/button";
import { EmptyState, PageHeader } from "~/components/ui/page";
import { Pagination } from "~/components/ui/pagination";
import { formatDay, formatDayRange, formatNumber } from "~/lib/format";
import { pageTitle } from "~/lib/meta";
import { listProgrammes } from "~/models/programmes.server";

/** The translation namespaces this page uses besides the common ones (root.tsx) and its parents'. */
export const handle = { i18n: ["pagination", "programmes"] };

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "programmes.title");

const filtersSchema = z.object({ page: z.coerce.number().int().positive().max(100000).catch(1) });

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request, AREA_ROLES.programmes);
  const { page } = filtersSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return { result: await listProgrammes(actor, { page }) };
}

export default function ProgrammesIndex() {
  const { result } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const dates = (start: string | null, end: string | null) =>
    start && end
      ? formatDayRange(start, end, locale)
      : start
        ? t("programmes.since", { date: formatDay(start, locale) })
        : end
          ? t("programmes.until", { date: formatDay(end, locale) })
          : "—";
  return (
    <div>
      <PageHeader
        title={t("programmes.title")}
        crumbs={[{ label: t("nav.home"), to: "/" }, { label: t("programmes.title") }]}
        action={<LinkButton to="/programmes/new">{t("programmes.new")}</LinkButton>}
      />
      {result.total === 0 ? (
        <EmptyState message={t("programmes.empty")} action={<Link to="/programmes/new">{t("programmes.emptyAction")}</Link>} />
      ) : (
        <>
          <p className="mb-2 text-sm text-slate-600">
            {t("programmes.count", { count: result.total, formatted: formatNumber(result.total, locale) })}
          </p>
          <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
            <table className="min-w-full divide-y divide-slate-200 text-sm">
              <caption className="sr-only">{t("programmes.title")}</caption>
              <thead className="sticky top-0 bg-slate-100">
                <tr>
                  <th scope="col" className="px-4 py-2 text-start font-semibold">{t("programmes.columns.name")}</th>
                  <th scope="col" className="px-4 py-2 text-start font-semibold">{t("programmes.columns.code")}</th>
                  <th scope="col" className="px-4 py-2 text-start font-semibold">{t("programmes.columns.dates")}</th>
                  <th scope="col" className="px-4 py-2 text-start font-semibold">{t("programmes.columns.donors")}</th>
                  <th scope="col" className="px-4 py-2 text-end font-semibold">{t("programmes.columns.events")}</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {result.rows.map((p) => (
                  <tr key={p.id} className="hover:bg-slate-50">
                    <td className="px-4 py-3">
                      <Link to={`/programmes/${p.id}`} className="font-medium">
                        {p.name}
                      </Link>
                    </td>
                    <td className="px-4 py-3" dir="auto">{p.code ?? "—"}</td>
                    <td className="whitespace-nowrap px-4 py-3">{dates(p.startDate, p.endDate)}</td>
                    <td className="px-4 py-3">
                      {p.donors.length > 0 ? <Parts parts={p.donors.map((d) => d.acronym ?? d.name)} /> : <span className="text-slate-600">{t("programmes.noDonors")}</span>}
                    </td>
                    <td className="px-4 py-3 text-end tabular-nums">{formatNumber(p.events, locale)}</td>
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
