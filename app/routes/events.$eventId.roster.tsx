import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation } from "@remix-run/react";
import { useTranslation } from "~/lib/translation";
import { requireActor, requireUser } from "~/auth/session.server";
import { Badge } from "~/components/ui/badge";
import { Button, LinkButton } from "~/components/ui/button";
import { EmptyState, Notice, TableFrame } from "~/components/ui/page";
import { Pagination } from "~/components/ui/pagination";
import { config } from "~/config.server";
import { redirectWithFlash } from "~/flash.server";
import { EVENT_ROLES, REGISTRATION_STATUSES, ROLE_CATEGORIES, SEXES } from "~/lib/domain";
import { formatNumber, personName } from "~/lib/format";
import { parseForm } from "~/lib/forms";
import { labels } from "~/lib/labels";
import { pageTitle } from "~/lib/meta";
import { idParam, pageParam } from "~/lib/params";
import { parseRosterFilters } from "~/lib/schemas/roster-filters";
import { bulkStatusSchema } from "~/lib/schemas/registration";
import { FieldError } from "~/models/field-error.server";
import { changeRegistrationStatus, getRoster, ROSTER_PAGE_SIZE } from "~/models/registrations.server";
import { readFormData } from "~/lib/form-data.server";

/** Organisations listed in the roster's breakdown (the largest first; the export has everyone). */
const ROSTER_ORGANISATION_LINES = 12;

/** The translation namespaces this page uses besides the common ones (root.tsx) and its parents'. */
export const handle = { i18n: ["errors", "eventRole", "pagination", "person", "personalData", "registration", "registrationStatus", "roleCategory", "roster"] };

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "roster.title");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const eventId = idParam(params.eventId);
  const url = new URL(request.url);
  const filters = parseRosterFilters(url);
  const { rows, page, pageCount, matching, counts, canManage, canNominate } = await getRoster(user, eventId, filters, { page: pageParam(url) });
  // only what the table shows goes to the browser (no contact details, needs or nationality)
  const shown = rows.map((r) => ({
    id: r.id,
    personId: r.personId,
    anonymised: r.anonymised,
    givenName: r.givenName,
    familyName: r.familyName,
    position: r.position,
    organisationName: r.organisationName,
    roleCategory: r.roleCategory,
    sex: r.sex,
    eventRole: r.eventRole,
    status: r.status,
    attended: r.attended,
    counted: r.counted,
    completed: r.completed,
    nominatedBy: canManage ? r.nominatedBy : null,
  }));
  const exportQuery = new URLSearchParams(url.searchParams);
  exportQuery.delete("page");
  const exportSearch = exportQuery.size > 0 ? `?${exportQuery}` : "";
  const firstRow = (page - 1) * ROSTER_PAGE_SIZE + 1;
  // a conference of 500 can bring 400 organisations: the largest are listed, the rest counted
  const organisations = [...counts.byOrganisation].sort((a, b) => b.n - a.n || (a.key ?? "").localeCompare(b.key ?? ""));
  const byOrganisation = {
    lines: organisations.slice(0, ROSTER_ORGANISATION_LINES),
    more: Math.max(0, organisations.length - ROSTER_ORGANISATION_LINES),
  };
  return {
    eventId,
    filters,
    query: exportSearch,
    rows: shown,
    page,
    pageCount,
    matching,
    firstRow,
    counts: { ...counts, byOrganisation: byOrganisation.lines },
    moreOrganisations: byOrganisation.more,
    canManage,
    canNominate,
  };
}

/** Bulk status change (coordinators and admins). */
export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request, ["admin", "coordinator"]);
  const eventId = idParam(params.eventId);
  const formData = await readFormData(request);
  const parsed = parseForm(formData, bulkStatusSchema);
  if (!parsed.ok) return data({ errors: parsed.errors, vars: {} }, { status: 400 });
  try {
    await changeRegistrationStatus(actor, eventId, parsed.data.registrationIds, parsed.data.status, config().appUrl);
  } catch (error) {
    if (error instanceof FieldError) return data({ errors: { [error.field]: error.messageKey }, vars: error.values }, { status: 400 });
    throw error;
  }
  const back = new URL(request.url);
  return await redirectWithFlash(`/events/${eventId}/roster${back.search}`, "flash.rosterUpdated");
}

const STATUS_TONE: Record<string, string> = {
  confirmed: "active",
  waitlisted: "invited",
  nominated: "draft",
  applied: "draft",
  declined: "disabled",
  cancelled: "disabled",
};

export default function Roster() {
  const { eventId, filters, query, rows, page, pageCount, matching, firstRow, counts, moreOrganisations, canManage, canNominate } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const location = useLocation();
  const label = labels(t);
  const n = (v: number) => formatNumber(v, locale);
  const count = (list: { key: string | null; n: number }[], key: string) => list.find((c) => c.key === key)?.n ?? 0;
  const participants = count(counts.byRole, "participant");
  const women = count(counts.bySex, "female");
  const men = count(counts.bySex, "male");
  const selectClass = "block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm";
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h2 className="text-xl font-semibold">{t("roster.title")}</h2>
          <p className="text-sm text-slate-700" aria-live="polite">
            {[
              t("roster.summaryParticipants", { count: participants, formatted: n(participants) }),
              t("roster.summaryWomen", { count: women, formatted: n(women) }),
              t("roster.summaryMen", { count: men, formatted: n(men) }),
            ].join(" · ")}
          </p>
        </div>
        <div className="flex flex-wrap gap-2">
          {canManage ? <LinkButton to="add">{t("roster.add")}</LinkButton> : null}
          {canNominate ? <LinkButton to={`/events/${eventId}/nominate`}>{t("roster.nominate")}</LinkButton> : null}
        </div>
      </div>

      {/* nobody on the roster yet: a breakdown would be five headings over nothing */}
      {counts.byStatus.length > 0 ? (
        <details className="rounded-lg border border-slate-200 bg-white p-4" open>
          <summary className="cursor-pointer font-medium">{t("roster.breakdown")}</summary>
          <div className="mt-3 grid gap-4 text-sm sm:grid-cols-2 lg:grid-cols-4">
            <div className="space-y-3">
              <CountList title={t("roster.byStatus")} items={counts.byStatus.map((c) => ({ label: t(`registrationStatus.${c.key}`), n: c.n }))} />
              <CountList title={t("roster.byEventRole")} items={counts.byRole.map((c) => ({ label: t(`eventRole.${c.key}`), n: c.n }))} />
            </div>
            <CountList title={t("roster.bySex")} items={counts.bySex.map((c) => ({ label: c.key ? t(`person.sexes.${c.key}` as "person.sexes.female") : t("person.notSaid"), n: c.n }))} />
            <CountList
              title={t("roster.byRoleCategory")}
              items={counts.byRoleCategory.map((c) => ({ label: c.key ? t(`roleCategory.${c.key}` as "roleCategory.other") : t("person.notSaid"), n: c.n }))}
            />
            <div>
              <CountList title={t("roster.byOrganisation")} items={counts.byOrganisation.map((c) => ({ label: c.key || t("person.noOrganisation"), n: c.n }))} />
              {moreOrganisations > 0 ? (
                <p className="mt-1 text-xs text-slate-600">{t("roster.moreOrganisations", { count: moreOrganisations, formatted: n(moreOrganisations) })}</p>
              ) : null}
            </div>
          </div>
        </details>
      ) : null}

      <Form method="get" className="grid grid-cols-1 gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-3 lg:grid-cols-6">
        <div className="lg:col-span-2">
          <label htmlFor="q" className="block text-sm font-medium">{t("roster.filters.search")}</label>
          <input id="q" name="q" type="search" defaultValue={filters.q ?? ""} className={selectClass} />
        </div>
        <FilterSelect name="eventRole" label={t("roster.filters.eventRole")} value={filters.eventRole} options={EVENT_ROLES.map((r) => ({ value: r, label: t(`eventRole.${r}`) }))} />
        <FilterSelect name="status" label={t("roster.filters.status")} value={filters.status} options={REGISTRATION_STATUSES.map((s) => ({ value: s, label: t(`registrationStatus.${s}`) }))} />
        <FilterSelect name="roleCategory" label={t("person.roleCategory")} value={filters.roleCategory} options={ROLE_CATEGORIES.map((r) => ({ value: r, label: t(`roleCategory.${r}`) }))} />
        <FilterSelect name="sex" label={t("person.sex")} value={filters.sex} options={SEXES.map((s) => ({ value: s, label: t(`person.sexes.${s}`) }))} />
        <div className="flex flex-wrap items-end gap-3 sm:col-span-3 lg:col-span-6">
          <Button variant="secondary">{t("roster.filters.apply")}</Button>
          {canManage ? (
            <>
              <a href={`/events/${eventId}/roster.csv${query}`} download className="text-sm font-medium">{t("roster.exportCsv")}</a>
              <a href={`/events/${eventId}/roster.xlsx${query}`} download className="text-sm font-medium">{t("roster.exportXlsx")}</a>
              <Link to={`/events/${eventId}/roster/import`} className="text-sm font-medium">{t("roster.import")}</Link>
              <a href={`/events/${eventId}/sign-in-sheet.pdf`} className="text-sm font-medium">{t("roster.signInSheet")}</a>
            </>
          ) : null}
        </div>
      </Form>

      {actionData?.errors ? (
        <Notice tone="error">{t(Object.values(actionData.errors)[0] as "registration.errors.capacity", { ...(actionData.vars as Record<string, string | number>) })}</Notice>
      ) : null}

      {rows.length === 0 ? (
        <EmptyState message={Object.keys(filters).length > 0 ? t("roster.emptyFiltered") : t("roster.empty")} />
      ) : (
        <Form method="post" action={`${location.pathname}${location.search}`}>
          {canManage ? (
            <div className="mb-2 flex flex-wrap items-end gap-2 rounded-md bg-slate-100 p-3">
              <div>
                <label htmlFor="bulk-status" className="block text-sm font-medium">{t("roster.bulk.label")}</label>
                <select id="bulk-status" name="status" className={selectClass} defaultValue="confirmed">
                  {REGISTRATION_STATUSES.map((s) => (
                    <option key={s} value={s}>{t(`registrationStatus.${s}`)}</option>
                  ))}
                </select>
              </div>
              <Button variant="secondary">{t("roster.bulk.apply")}</Button>
              <p className="text-xs text-slate-600">{t("roster.bulk.help")}</p>
            </div>
          ) : null}
          <TableFrame label={t("roster.title")}>
            <table className="min-w-full divide-y divide-slate-200 text-sm">
              <thead className="sticky top-0 bg-slate-100">
                <tr>
                  {canManage ? <th scope="col" className="px-3 py-2"><span className="sr-only">{t("roster.select")}</span></th> : null}
                  <th scope="col" className="px-3 py-2 text-start font-semibold">{t("roster.columns.name")}</th>
                  <th scope="col" className="px-3 py-2 text-start font-semibold">{t("person.organisation")}</th>
                  <th scope="col" className="px-3 py-2 text-start font-semibold">{t("person.roleCategory")}</th>
                  <th scope="col" className="px-3 py-2 text-start font-semibold">{t("person.sex")}</th>
                  <th scope="col" className="px-3 py-2 text-start font-semibold">{t("roster.columns.eventRole")}</th>
                  <th scope="col" className="px-3 py-2 text-start font-semibold">{t("roster.columns.status")}</th>
                  <th scope="col" className="px-3 py-2 text-start font-semibold">{t("roster.attendance")}</th>
                  {canManage ? <th scope="col" className="px-3 py-2 text-start font-semibold">{t("roster.columns.nominatedBy")}</th> : null}
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {rows.map((r) => (
                  <tr key={r.id}>
                    {canManage ? (
                      <td className="cell">
                        <input
                          type="checkbox"
                          name="registrationIds"
                          value={r.id}
                          aria-label={t("roster.selectNamed", { name: personName({ ...r, id: r.personId }, t) })}
                        />
                      </td>
                    ) : null}
                    <td className="cell">
                      {canManage ? <Link to={`/people/${r.personId}`}><bdi>{personName({ ...r, id: r.personId }, t)}</bdi></Link> : <bdi>{personName({ ...r, id: r.personId }, t)}</bdi>}
                      {r.position ? <div className="text-xs text-slate-600"><bdi>{r.position}</bdi></div> : null}
                    </td>
                    <td className="cell"><bdi>{r.organisationName ?? "—"}</bdi></td>
                    <td className="cell">{r.roleCategory ? label(`roleCategory.${r.roleCategory}`) : "—"}</td>
                    <td className="cell">{r.sex ? label(`person.sexes.${r.sex}`) : "—"}</td>
                    <td className="cell">{label(`eventRole.${r.eventRole}`)}</td>
                    <td className="cell">
                      <Badge tone={STATUS_TONE[r.status] ?? "draft"}>{label(`registrationStatus.${r.status}`)}</Badge>
                    </td>
                    <td className="cell tabular-nums">
                      {r.eventRole === "participant" && r.counted > 0 ? (
                        <>
                          {formatNumber(r.attended, locale)}/{formatNumber(r.counted, locale)}
                          {r.completed ? <span className="ms-1 text-green-800">· {label("roster.completed")}</span> : null}
                        </>
                      ) : (
                        "—"
                      )}
                    </td>
                    {canManage ? <td className="cell text-slate-600">{r.nominatedBy ?? "—"}</td> : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </TableFrame>
          <Pagination page={page} pageCount={pageCount} />
          {pageCount > 1 ? (
            <p className="mt-1 text-xs text-slate-600">{t("roster.pageRows", { from: n(firstRow), to: n(firstRow + rows.length - 1), total: n(matching) })}</p>
          ) : null}
        </Form>
      )}
    </div>
  );
}

function CountList({ title, items }: { title: string; items: { label: string; n: number }[] }) {
  const { i18n } = useTranslation();
  return (
    <div>
      <h3 className="font-semibold">{title}</h3>
      <ul className="mt-1 space-y-0.5">
        {items.map((item) => (
          <li key={item.label} className="flex justify-between gap-2">
            <bdi>{item.label}</bdi>
            <span className="tabular-nums">{formatNumber(item.n, i18n.language)}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

function FilterSelect({ name, label, value, options }: { name: string; label: string; value?: string; options: { value: string; label: string }[] }) {
  const { t } = useTranslation();
  return (
    <div>
      <label htmlFor={`f-${name}`} className="block text-sm font-medium">{label}</label>
      <select id={`f-${name}`} name={name} defaultValue={value ?? ""} className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm">
        <option value="">{t("roster.filters.any")}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>{o.label}</option>
        ))}
      </select>
    </div>
  );
}
