import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "~/lib/translation";
import { z } from "zod";
import { AREA_ROLES } from "~/auth/permissions";
import { requireActor } from "~/auth/session.server";
import { Button, LinkButton } from "~/components/ui/button";
import { EmptyState, PageHeader } from "~/components/ui/page";
import { Pagination } from "~/components/ui/pagination";
import { formatNumber, personName } from "~/lib/format";
import { pageTitle } from "~/lib/meta";
import { OrganisationSelect } from "~/components/organisation-select";
import { listPeople, personOrganisationOptions } from "~/models/people.server";
import { readFormData } from "~/lib/form-data.server";
import { idNumber } from "~/lib/params";

/** The translation namespaces this page uses besides the common ones (root.tsx) and its parents'. */
export const handle = { i18n: ["form", "organisationKind", "organisationSelect", "pagination", "people", "personalData", "roleCategory"] };

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "people.title");

/**
 * The organisation filter and the page travel in the address (ids and numbers only). The search
 * text is personal data (a name, an email), so it is sent by POST and never lands in an address,
 * the browser's history or a proxy's log.
 */
const filtersSchema = z.object({
  organisationId: idNumber.optional().catch(undefined),
  page: z.coerce.number().int().positive().max(100000).catch(1),
});
const searchSchema = filtersSchema.extend({ q: z.string().trim().max(200).catch("") });

function blankToUndefined(entries: Iterable<[string, FormDataEntryValue]>) {
  return Object.fromEntries([...entries].filter(([, v]) => typeof v === "string" && v !== ""));
}

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request, AREA_ROLES.people);
  const { organisationId, page } = filtersSchema.parse(blankToUndefined(new URL(request.url).searchParams));
  return {
    filters: { q: "", organisationId: organisationId ?? null },
    result: await listPeople(actor, { organisationId, page }),
    organisations: await personOrganisationOptions(actor, organisationId),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireActor(request, AREA_ROLES.people);
  const { q, organisationId, page } = searchSchema.parse(blankToUndefined(await readFormData(request)));
  // without search text, the list is an ordinary page with a shareable address
  if (!q) return redirect(organisationId ? `/people?${new URLSearchParams({ organisationId: String(organisationId) })}` : "/people");
  return {
    filters: { q, organisationId: organisationId ?? null },
    result: await listPeople(actor, { q, organisationId, page }),
    // the organisation searched for, to show in the (remounted) filter when there are too many to list
    organisations: await personOrganisationOptions(actor, organisationId),
  };
}

export default function PeopleIndex() {
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { filters, result, organisations } = actionData ?? loaderData;
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const filtered = Boolean(filters.q || filters.organisationId);
  const inputClass = "block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm";
  return (
    <div>
      <PageHeader
        title={t("people.title")}
        crumbs={[{ label: t("nav.home"), to: "/" }, { label: t("people.title") }]}
        action={<LinkButton to="/people/new">{t("people.add")}</LinkButton>}
      />
      <Form
        method="post"
        key={`${filters.q}|${filters.organisationId ?? ""}`}
        className="mb-4 grid grid-cols-1 items-end gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-2 lg:grid-cols-4"
      >
        <div className="lg:col-span-2">
          <label htmlFor="q" className="block text-sm font-medium">
            {t("people.filters.search")}
          </label>
          <input id="q" name="q" type="search" maxLength={200} defaultValue={filters.q} aria-describedby="q-hint" className={inputClass} />
          <p id="q-hint" className="mt-1 text-xs text-slate-600">
            {t("people.filters.searchHint")}
          </p>
        </div>
        {organisations.choices ? (
          <div>
            <label htmlFor="organisationId" className="block text-sm font-medium">
              {t("people.filters.organisation")}
            </label>
            <select id="organisationId" name="organisationId" defaultValue={filters.organisationId ?? ""} className={inputClass}>
              <option value="">{t("people.filters.anyOrganisation")}</option>
              {organisations.choices.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.acronym ? `${o.name} (${o.acronym})` : o.name}
                </option>
              ))}
            </select>
          </div>
        ) : (
          <div className="lg:col-span-2">
            <OrganisationSelect
              name="organisationId"
              label={t("people.filters.organisation")}
              placeholder={t("people.filters.anyOrganisation")}
              defaultValue={filters.organisationId ? String(filters.organisationId) : ""}
              choices={null}
              current={organisations.current}
              scope="all"
              show="acronym"
            />
          </div>
        )}
        <div>
          <Button variant="secondary">{t("people.filters.apply")}</Button>
        </div>
      </Form>

      {result.total === 0 ? (
        filtered ? (
          <EmptyState message={t("people.noMatch")} action={<Link to="/people">{t("people.showAll")}</Link>} />
        ) : (
          <EmptyState message={t("people.empty")} action={<Link to="/people/new">{t("people.emptyAction")}</Link>} />
        )
      ) : (
        <>
          <p className="mb-2 text-sm text-slate-600" role="status">
            {t(filtered ? "people.matching" : "people.count", { count: result.total, formatted: formatNumber(result.total, locale) })}
          </p>
          <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
            <table className="min-w-full divide-y divide-slate-200 text-sm">
              <caption className="sr-only">{t("people.title")}</caption>
              <thead className="sticky top-0 bg-slate-100">
                <tr>
                  <th scope="col" className="px-4 py-2 text-start font-semibold">{t("people.columns.name")}</th>
                  <th scope="col" className="px-4 py-2 text-start font-semibold">{t("people.columns.organisation")}</th>
                  <th scope="col" className="px-4 py-2 text-start font-semibold">{t("people.columns.roleCategory")}</th>
                  <th scope="col" className="px-4 py-2 text-start font-semibold">{t("people.columns.email")}</th>
                  <th scope="col" className="px-4 py-2 text-end font-semibold">{t("people.columns.trainings")}</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {result.rows.map((p) => (
                  <tr key={p.id} className="hover:bg-slate-50">
                    <th scope="row" className="px-4 py-3 text-start font-normal">
                      <Link to={`/people/${p.id}`} className="font-medium">
                        <bdi>{personName(p, t)}</bdi>
                      </Link>
                    </th>
                    <td className="px-4 py-3">
                      {p.organisationName ? <bdi title={p.organisationName}>{p.organisationAcronym ?? p.organisationName}</bdi> : "—"}
                    </td>
                    <td className="px-4 py-3">{p.roleCategory ? t(`roleCategory.${p.roleCategory}` as "roleCategory.other") : "—"}</td>
                    <td className="px-4 py-3">{p.email ? <bdi>{p.email}</bdi> : "—"}</td>
                    <td className="px-4 py-3 text-end tabular-nums">{formatNumber(p.trainings, locale)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {filters.q ? (
            <SearchPagination page={result.page} pageCount={result.pageCount} q={filters.q} organisationId={filters.organisationId} />
          ) : (
            <Pagination page={result.page} pageCount={result.pageCount} />
          )}
        </>
      )}
    </div>
  );
}

/** Pages of a search result: buttons that post the search again, so the text stays out of the address. */
function SearchPagination({ page, pageCount, q, organisationId }: { page: number; pageCount: number; q: string; organisationId: number | null }) {
  const { t } = useTranslation();
  if (pageCount <= 1) return null;
  return (
    <Form method="post" className="mt-4">
      <input type="hidden" name="q" value={q} />
      {organisationId ? <input type="hidden" name="organisationId" value={organisationId} /> : null}
      <nav aria-label={t("pagination.label")} className="flex items-center justify-between gap-2 text-sm">
        {page > 1 ? (
          <Button variant="ghost" name="page" value={page - 1}>
            {t("pagination.previous")}
          </Button>
        ) : (
          <span />
        )}
        <span className="text-slate-600">{t("pagination.pageOf", { page, pageCount })}</span>
        {page < pageCount ? (
          <Button variant="ghost" name="page" value={page + 1}>
            {t("pagination.next")}
          </Button>
        ) : (
          <span />
        )}
      </nav>
    </Form>
  );
}
