import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "~/lib/translation";
import { requireUser } from "~/auth/session.server";
import { EventStatusBadge } from "~/components/ui/badge";
import { Button, LinkButton } from "~/components/ui/button";
import { EmptyState, Notice, PageHeader } from "~/components/ui/page";
import { Pagination } from "~/components/ui/pagination";
import { countText } from "~/lib/report-display";
import { EVENT_STATUSES } from "~/lib/domain";
import { parseEventFilters } from "~/lib/schemas/event-filters";
import { countryName, formatDayRange, formatNumber } from "~/lib/format";
import { eventFilterOptions, listEvents } from "~/models/events.server";
import { pageTitle } from "~/lib/meta";
import { needTab } from "~/lib/needs";
import { Parts } from "~/components/ui/bidi";
import { ProgrammeSelect } from "~/components/programme-select";
import { listedOrSearched } from "~/lib/filter-choices";

/** The translation namespaces this page uses besides the common ones (root.tsx) and its parents'. */
export const handle = { i18n: ["dashboard", "event", "eventStatus", "eventType", "events", "form", "gcm", "pagination", "programmeSelect", "reportPrivacy"] };

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "events.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const url = new URL(request.url);
  const filters = parseEventFilters(url);
  const canPlan = user.role === "admin" || user.role === "coordinator";
  return {
    // what waits for a coordinator: a filter for planners only (others' lists ignore it)
    filters: canPlan ? filters : { ...filters, needs: undefined },
    canPlan,
    query: url.search,
    result: await listEvents(user, filters),
    options: programmeChoices(await eventFilterOptions(user), filters.programmeId, canPlan),
  };
}

/** The programme filter's choices: listed, or (staff, past FILTER_LISTED) searched, the chosen one sent. */
function programmeChoices(options: Awaited<ReturnType<typeof eventFilterOptions>>, chosen: number | undefined, staff: boolean) {
  const programmes = listedOrSearched(options.programmes, chosen === undefined ? undefined : String(chosen), staff);
  return { ...options, programmes: programmes.list, currentProgramme: programmes.current };
}

export default function EventsIndex() {
  const { filters, result, options, canPlan, query } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const selectClass = "block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm";
  return (
    <div>
      <PageHeader
        title={t("events.title")}
        action={canPlan ? <LinkButton to="/events/new">{t("events.new")}</LinkButton> : undefined}
      />
      <Form method="get" className="mb-4 grid grid-cols-1 gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-2 lg:grid-cols-6">
        {filters.needs ? <input type="hidden" name="needs" value={filters.needs} /> : null}
        <div className="lg:col-span-2">
          <label htmlFor="q" className="block text-sm font-medium">
            {t("events.filters.search")}
          </label>
          <input id="q" name="q" type="search" defaultValue={filters.q ?? ""} className={selectClass} />
        </div>
        <div>
          <label htmlFor="when" className="block text-sm font-medium">
            {t("events.filters.when")}
          </label>
          <select id="when" name="when" defaultValue={filters.when} className={selectClass}>
            {(["all", "upcoming", "ongoing", "past"] as const).map((w) => (
              <option key={w} value={w}>
                {t(`events.when.${w}`)}
              </option>
            ))}
          </select>
        </div>
        {/* on a phone the other filters wait behind one toggle (open when one of them is set), so the list starts on the first screen */}
        <input
          id="more-filters"
          type="checkbox"
          className="peer sr-only sm:hidden"
          defaultChecked={Boolean(filters.programmeId || filters.country || filters.status || filters.from || filters.to || filters.gcmObjectiveId)}
        />
        <label htmlFor="more-filters" className="cursor-pointer text-sm font-medium text-brand-700 underline peer-focus-visible:outline peer-focus-visible:outline-2 sm:hidden">
          {t("events.filters.more")}
        </label>
        <div className="hidden grid-cols-1 gap-3 max-sm:peer-checked:grid sm:contents" data-more-filters="">
          {options.programmes ? (
            <div>
              <label htmlFor="programmeId" className="block text-sm font-medium">
                {t("events.filters.programme")}
              </label>
              <select id="programmeId" name="programmeId" defaultValue={filters.programmeId ?? ""} className={selectClass}>
                <option value="">{t("events.filters.any")}</option>
                {options.programmes.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </select>
            </div>
          ) : (
            <div className="sm:col-span-2">
              <ProgrammeSelect
                name="programmeId"
                label={t("events.filters.programme")}
                placeholder={t("events.filters.any")}
                choices={null}
                current={options.currentProgramme}
                defaultValue={filters.programmeId ? String(filters.programmeId) : ""}
              />
            </div>
          )}
          <div>
            <label htmlFor="country" className="block text-sm font-medium">
              {t("events.filters.country")}
            </label>
            <select id="country" name="country" defaultValue={filters.country ?? ""} className={selectClass}>
              <option value="">{t("events.filters.any")}</option>
              {options.countries.map((c) => (
                <option key={c} value={c} suppressHydrationWarning>
                  {countryName(c, locale)}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="status" className="block text-sm font-medium">
              {t("events.filters.status")}
            </label>
            <select id="status" name="status" defaultValue={filters.status ?? ""} className={selectClass}>
              <option value="">{t("events.filters.any")}</option>
              {EVENT_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(`eventStatus.${s}`)}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="from" className="block text-sm font-medium">
              {t("events.filters.from")}
            </label>
            <input id="from" name="from" type="date" defaultValue={filters.from ?? ""} className={selectClass} />
          </div>
          <div>
            <label htmlFor="to" className="block text-sm font-medium">
              {t("events.filters.to")}
            </label>
            <input id="to" name="to" type="date" defaultValue={filters.to ?? ""} className={selectClass} />
          </div>
          <div className="sm:col-span-2">
            <label htmlFor="gcmObjectiveId" className="block text-sm font-medium">
              {t("events.filters.gcm")}
            </label>
            <select id="gcmObjectiveId" name="gcmObjectiveId" defaultValue={filters.gcmObjectiveId ?? ""} className={selectClass}>
              <option value="">{t("events.filters.any")}</option>
              {Array.from({ length: 23 }, (_, i) => i + 1).map((n) => (
                <option key={n} value={n}>
                  {t("event.objectiveNumber", { number: n })} {t(`gcm.o${n}` as "gcm.o1")}
                </option>
              ))}
            </select>
          </div>
        </div>
        <div className="flex flex-wrap items-end gap-3 sm:col-span-2 lg:col-span-2">
          <Button variant="secondary">{t("events.filters.apply")}</Button>
          {canPlan ? (
            <>
              <a href={`/events.csv${query}`} className="text-sm font-medium" download>
                {t("events.exportCsv")}
              </a>
              <a href={`/events.xlsx${query}`} className="text-sm font-medium" download>
                {t("events.exportXlsx")}
              </a>
            </>
          ) : null}
        </div>
      </Form>
      {filters.needs ? (
        <div className="mb-4" data-testid="needs-filter">
          <Notice>
            {t("dashboard.list.showing", { need: t(`dashboard.${filters.needs}`) })}{" "}
            <Link to="/events" className="font-medium underline">
              {t("dashboard.list.clear")}
            </Link>
          </Notice>
        </div>
      ) : null}
      <p className="mb-2 text-sm text-slate-600" aria-live="polite">
        {t("events.count", { count: result.total, formatted: formatNumber(result.total, locale) })}
      </p>
      {result.protected && result.rows.length > 0 ? (
        <p className="mb-2 text-sm text-slate-600" data-testid="figures-protected">
          {t("event.protectedNote")}
        </p>
      ) : null}
      {result.rows.length === 0 ? (
        <EmptyState message={t("events.empty")} />
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="min-w-full divide-y divide-slate-200 text-sm">
            <caption className="sr-only">{t("events.title")}</caption>
            <thead className="sticky top-0 bg-slate-100 text-start">
              <tr>
                <th scope="col" className="px-4 py-2 text-start font-semibold">{t("events.columns.event")}</th>
                <th scope="col" className="px-4 py-2 text-start font-semibold">{t("events.columns.dates")}</th>
                <th scope="col" className="px-4 py-2 text-start font-semibold">{t("events.columns.place")}</th>
                <th scope="col" className="px-4 py-2 text-start font-semibold">{t("events.columns.status")}</th>
                <th scope="col" className="px-4 py-2 text-end font-semibold">{t("events.columns.participants")}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {result.rows.map((e) => (
                <tr key={e.id} className="hover:bg-slate-50">
                  <td className="px-4 py-3">
                    <Link to={`/events/${e.id}`} className="font-medium">
                      {e.title}
                    </Link>
                    <div className="text-xs text-slate-600">
                      {t(`eventType.${e.type}`)}
                      {e.programmeName ? ` · ${e.programmeName}` : ""}
                    </div>
                    {filters.needs ? (
                      <div className="mt-1 text-sm">
                        <Link to={needTab(filters.needs, e.id)}>{t(`dashboard.list.action.${filters.needs}`)}</Link>
                      </div>
                    ) : null}
                  </td>
                  <td className="whitespace-nowrap px-4 py-3">{formatDayRange(e.startDate, e.endDate, locale)}</td>
                  <td className="px-4 py-3">
                    <Parts parts={[e.locality, countryName(e.country, locale)]} />
                  </td>
                  <td className="px-4 py-3">
                    <EventStatusBadge status={e.status} registrationClosed={e.registrationClosed} />
                  </td>
                  <td className="px-4 py-3 text-end tabular-nums">{countText(e.participants, t, locale)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination page={result.page} pageCount={result.pageCount} />
    </div>
  );
}
