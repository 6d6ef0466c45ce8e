import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import type { TFunction } from "i18next";
import type { ReactNode } from "react";
import { useTranslation } from "~/lib/translation";
import { requireActor } from "~/auth/session.server";
import { BarChart, ColumnChart, type ChartDatum } from "~/components/report-charts";
import { OrganisationSelect } from "~/components/organisation-select";
import { ProgrammeSelect } from "~/components/programme-select";
import { listedOrSearched } from "~/lib/filter-choices";
import { KnowledgeCard, SatisfactionCard } from "~/components/report-learning";
import { Badge } from "~/components/ui/badge";
import { PartsWith } from "~/components/ui/bidi";
import { filler, labels as wordsOf } from "~/lib/labels";
import { Button } from "~/components/ui/button";
import { ErrorSummary, SelectField, TextField } from "~/components/ui/field";
import { Card, EmptyState, Notice, PageHeader } from "~/components/ui/page";
import { directionOf } from "~/i18n";
import { now } from "~/lib/clock";
import { countryName, formatDateTime, formatDay, formatDayRange, formatNumber } from "~/lib/format";
import { pageTitle } from "~/lib/meta";
import { pageParam } from "~/lib/params";
import { Pagination } from "~/components/ui/pagination";
import { countText, lineLabel, rateText, type ReportCount, type ReportDimension } from "~/lib/report-display";
import { formatMonth, formatYear } from "~/lib/format";
import { activityReport, parseReportFilters, reportDefaults, reportFilterOptions, reportQuery, type Breakdown, type ReportFilterOptions } from "~/models/reports.server";

/** The translation namespaces this page uses besides the common ones (root.tsx) and its parents'. */
export const handle = { i18n: ["eventStatus", "eventType", "form", "gcm", "organisationKind", "organisationSelect", "pagination", "programmeSelect", "reportPrivacy", "reports", "roleCategory", "sex"] };

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "reports.title");

/**
 * /reports: the activity summary. Filters in the query string (a GET form), so a summary can be
 * bookmarked and its exports carry the same filters. Donors and partners receive aggregates only,
 * small counts already protected by the model: nothing in this loader's data names a person.
 */
/** Events a page in the summary's table: the figures and charts above count them all, the exports list them all. */
export const REPORT_TABLE_PAGE_SIZE = 20;
/** Lines a breakdown chart shows on the page (the CSV and PDF have them all). */
const REPORT_CHART_LINES = 20;
/** A timeline of more months than this is drawn by year. */
const TIMELINE_MONTHS = 36;

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request, ["admin", "coordinator", "donor", "partner"]);
  const url = new URL(request.url);
  const parsed = await parseReportFilters(url, reportDefaults(actor.user));
  const staff = actor.user.role === "admin" || actor.user.role === "coordinator";
  const options = filterChoices(await reportFilterOptions(actor.user, parsed.ok ? parsed.filters : {}), parsed.values, staff);
  const role = actor.user.role;
  if (!parsed.ok) {
    return data({ role, values: parsed.values, errors: parsed.errors, options, report: null, table: null, query: "", producedAt: null }, { status: 400 });
  }
  const full = await activityReport(actor.user, parsed.filters); // 403: a programme the donor does not fund
  const period = { from: full.filters.from, to: full.filters.to };
  const query = reportQuery(parsed.filters);
  if (full.empty) {
    return data({ role, values: parsed.values, errors: null, options, report: { empty: true as const, period }, table: null, query, producedAt: null });
  }
  // what the page shows, and nothing more: it travels twice (the HTML, and the data React hydrates with)
  const tablePageCount = Math.max(1, Math.ceil(full.table.length / REPORT_TABLE_PAGE_SIZE));
  const tablePage = Math.min(pageParam(url), tablePageCount);
  const first = (tablePage - 1) * REPORT_TABLE_PAGE_SIZE;
  // a breakdown of thousands of organisations is not a chart: the largest lines (staff) or the
  // first in the fixed order (protected views), with how many more the exports list; only the
  // organisations' lines have a name
  const shorten = (b: Breakdown, named = false) => ({
    lines: b.lines.slice(0, REPORT_CHART_LINES).map((l) => (named ? { key: l.key, name: l.name ?? null, count: l.count } : { key: l.key, count: l.count })),
    more: Math.max(0, b.lines.length - REPORT_CHART_LINES),
  });
  const { participants: p, actionPlans: plans } = full;
  const report = {
    empty: false as const,
    period,
    protected: full.protected,
    events: { total: full.events.total, byType: full.events.byType, byStatus: full.events.byStatus, timeline: timeline(full.events.byMonth) },
    trainingDays: full.trainingDays,
    participants: {
      unique: p.unique,
      personDays: p.personDays,
      bySex: shorten(p.bySex),
      byRole: shorten(p.byRole),
      byOrganisation: shorten(p.byOrganisation, true),
      byNationality: shorten(p.byNationality),
    },
    attendanceRate: shown(full.attendanceRate),
    completionRate: shown(full.completionRate),
    certificates: full.certificates,
    actionPlans: { ...plans, validatedShare: shown(plans.validatedShare) },
    followUps: full.followUps,
    gcmObjectives: full.gcmObjectives,
    knowledge: {
      ...full.knowledge,
      normalisedGain: shown(full.knowledge.normalisedGain),
      improvedShare: shown(full.knowledge.improvedShare),
      bySex: shortenGroups(full.knowledge.bySex),
      byRole: shortenGroups(full.knowledge.byRole),
      byOrganisation: shortenGroups(full.knowledge.byOrganisation),
    },
    satisfaction: { ...full.satisfaction, questions: full.satisfaction.questions.map((q) => ({ ...q, agreeShare: shown(q.agreeShare) })) },
    table: full.table.slice(first, first + REPORT_TABLE_PAGE_SIZE).map((e) => ({
      ...e,
      attendanceRate: shown(e.attendanceRate),
      completionRate: shown(e.completionRate),
    })),
  };
  const table = { page: tablePage, pageCount: tablePageCount, first: first + 1, total: full.table.length };
  return data({ role, values: parsed.values, errors: null, options, report, table, query, producedAt: now().toISOString() });
}

function filterChoices(options: ReportFilterOptions, values: Record<string, string>, staff: boolean) {
  const programmes = listedOrSearched(options.programmes, values.programmeId, staff);
  const donors = listedOrSearched(options.donors, values.donorId, staff);
  return { ...options, programmes: programmes.list, currentProgramme: programmes.current, donors: donors.list, currentDonor: donors.current };
}

/** A breakdown of test results as the page shows it: the first REPORT_CHART_LINES groups, and how many more the exports list. */
function shortenGroups<L>(lines: L[]) {
  return { lines: lines.slice(0, REPORT_CHART_LINES), more: Math.max(0, lines.length - REPORT_CHART_LINES) };
}

/** A share as precise as the page writes it (a percentage with one decimal). */
function shown(rate: number | null) {
  return rate === null ? null : Math.round(rate * 1000) / 1000;
}

/** Events by month of their first day; by year when the period holds more than TIMELINE_MONTHS months. */
function timeline(months: { key: string; count: number }[]): { by: "month" | "year"; lines: { key: string; count: number }[] } {
  if (months.length <= TIMELINE_MONTHS) return { by: "month", lines: months };
  const years = new Map<string, number>();
  for (const m of months) years.set(m.key.slice(0, 4), (years.get(m.key.slice(0, 4)) ?? 0) + m.count);
  return { by: "year", lines: [...years].map(([key, count]) => ({ key, count })) };
}

const FILTER_LABELS = {
  programmeId: "reports.filters.programme",
  donorId: "reports.filters.donor",
  country: "reports.filters.country",
  partnerId: "reports.filters.partner",
  gcmObjectiveId: "reports.filters.gcm",
  from: "reports.filters.from",
  to: "reports.filters.to",
} as const;

export default function ReportsPage() {
  const { role, values, errors, options, report, table, query, producedAt } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const dir = directionOf(locale);
  const labels = Object.fromEntries(Object.entries(FILTER_LABELS).map(([field, key]) => [field, t(key)]));
  const count = (c: ReportCount) => countText(c, t, locale);
  // /reports without filters: a donor's programmes from start to end, everyone else's current year
  const resetLabel = role === "donor" ? t("reports.filters.wholeProgrammes") : t("reports.filters.thisYear");
  // the table's fifty rows: words translated once for the page
  const word = wordsOf(t);
  const separator = t("layout.listSeparator");
  const fillValueLine = filler(t, "reports.charts.valueLine", ["label", "value"]);
  const valueLine = (label: string, value: string) => fillValueLine({ label, value });
  const objective = filler(t, "reports.gcm.objective", ["number"]);
  const chart = (dimension: ReportDimension, lines: { key: string; name?: string | null; count: ReportCount }[]): ChartDatum[] =>
    lines.map((line) => ({
      key: line.key || "none",
      label: lineLabel(dimension, line, t, locale),
      value: typeof line.count === "number" ? line.count : null,
      display: count(line.count),
    }));

  return (
    <div>
      <PageHeader title={t("reports.title")} crumbs={[{ label: t("nav.home"), to: "/" }, { label: t("reports.title") }]}>
        <p className="max-w-3xl text-sm text-slate-600">{t("reports.intro")}</p>
        {role === "donor" || role === "partner" ? <p className="text-sm text-slate-600">{t(`reports.scope.${role}`)}</p> : null}
      </PageHeader>

      <Form method="get" className="no-print mb-6 rounded-lg border border-slate-200 bg-white p-4" aria-labelledby="report-filters">
        <h2 id="report-filters" className="mb-3 text-base font-semibold">
          {t("reports.filters.legend")}
        </h2>
        {errors ? (
          <div className="mb-4">
            <ErrorSummary errors={errors} labels={labels} />
          </div>
        ) : null}
        <div className="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-4">
          <ProgrammeSelect
            name="programmeId"
            label={t("reports.filters.programme")}
            placeholder={role === "donor" ? t("reports.filters.allFundedProgrammes") : t("reports.filters.allProgrammes")}
            choices={options.programmes}
            current={options.currentProgramme}
            defaultValue={values.programmeId ?? ""}
            error={errors?.programmeId}
          />
          {role !== "donor" ? (
            <OrganisationSelect
              name="donorId"
              label={t("reports.filters.donor")}
              placeholder={t("reports.filters.allDonors")}
              choices={options.donors}
              current={options.currentDonor}
              scope="donor"
              defaultValue={values.donorId ?? ""}
              error={errors?.donorId}
            />
          ) : null}
          <SelectField
            name="country"
            label={t("reports.filters.country")}
            placeholder={t("reports.filters.allCountries")}
            options={options.countries
              .map((c) => ({ value: c, label: countryName(c, locale) }))
              .sort((a, b) => a.label.localeCompare(b.label, locale))}
            defaultValue={values.country}
            error={errors?.country}
          />
          <SelectField
            name="partnerId"
            label={t("reports.filters.partner")}
            placeholder={t("reports.filters.allPartners")}
            options={options.partners.map((p) => ({ value: String(p.id), label: p.name }))}
            hint={options.partnersByCountry && !values.country ? t("reports.filters.partnerByCountry") : undefined}
            defaultValue={values.partnerId}
            error={errors?.partnerId}
          />
          <SelectField
            name="gcmObjectiveId"
            label={t("reports.filters.gcm")}
            placeholder={t("reports.filters.allObjectives")}
            options={Array.from({ length: 23 }, (_, i) => ({
              value: String(i + 1),
              label: `${objective({ number: String(i + 1) })} — ${t(`gcm.o${i + 1}` as "gcm.o1")}`,
            }))}
            defaultValue={values.gcmObjectiveId}
            error={errors?.gcmObjectiveId}
          />
          <TextField name="from" type="date" label={t("reports.filters.from")} defaultValue={values.from} error={errors?.from} hint={t("reports.filters.periodHint")} />
          <TextField name="to" type="date" label={t("reports.filters.to")} defaultValue={values.to} error={errors?.to} />
        </div>
        <div className="mt-4 flex flex-wrap items-center gap-x-4 gap-y-2">
          <Button>{t("reports.filters.apply")}</Button>
          <Link to="/reports" className="text-sm font-medium">
            {resetLabel}
          </Link>
          {report && !report.empty ? (
            <p className="flex flex-wrap items-center gap-x-4 gap-y-1 text-sm">
              <span className="text-slate-600">{t("reports.export.label")}</span>
              <a href={`/reports.csv${query}`} download className="font-medium">
                {t("reports.export.csv")}
              </a>
              <a href={`/reports.xlsx${query}`} download className="font-medium">
                {t("reports.export.xlsx")}
              </a>
              <a href={`/reports/events.csv${query}`} download className="font-medium">
                {t("reports.export.eventsCsv")}
              </a>
              <a href={`/reports/events.xlsx${query}`} download className="font-medium">
                {t("reports.export.eventsXlsx")}
              </a>
              <a href={`/reports.pdf${query}`} className="font-medium">
                {t("reports.export.pdf")}
              </a>
            </p>
          ) : null}
        </div>
      </Form>

      {errors || !report ? null : report.empty ? (
        <EmptyState
          message={t("reports.empty", { from: formatDay(report.period.from, locale), to: formatDay(report.period.to, locale) })}
          action={<Link to="/reports">{resetLabel}</Link>}
        />
      ) : (
        <div className="space-y-6">
          <p className="text-sm text-slate-600" suppressHydrationWarning>
            <span className="font-semibold text-slate-800">
              {t("reports.period", { from: formatDay(report.period.from, locale), to: formatDay(report.period.to, locale) })}
            </span>
            {producedAt ? ` · ${t("reports.producedOn", { date: formatDateTime(new Date(producedAt), "UTC", locale) })}` : null}
          </p>
          {report.protected ? (
            <Notice>
              <span className="font-semibold">{t("reportPrivacy.title")}.</span> {t("reportPrivacy.note")}
            </Notice>
          ) : null}

          <dl className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-4">
            <Figure label={t("reports.figures.events")} value={formatNumber(report.events.total, locale)} hint={t("reports.hints.events")} />
            <Figure label={t("reports.figures.trainingDays")} value={formatNumber(report.trainingDays, locale)} hint={t("reports.hints.trainingDays")} />
            <Figure label={t("reports.figures.participants")} value={count(report.participants.unique)} hint={t("reports.hints.participants")} />
            <Figure label={t("reports.figures.personDays")} value={count(report.participants.personDays)} hint={t("reports.hints.personDays")} />
            <Figure label={t("reports.figures.attendanceRate")} value={rateText(report.attendanceRate, t, locale)} hint={t("reports.hints.attendanceRate")} />
            <Figure label={t("reports.figures.completionRate")} value={rateText(report.completionRate, t, locale)} hint={t("reports.hints.completionRate")} />
            <Figure label={t("reports.figures.certificates")} value={count(report.certificates)} hint={t("reports.hints.certificates")} />
            <Figure label={t("reports.figures.actionPlans")} value={count(report.actionPlans.submitted)} hint={t("reports.hints.actionPlans")} />
          </dl>

          <Card title={t("reports.sections.events")}>
            <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
              <BarChart
                title={t("reports.charts.byType")}
                data={chart("type", report.events.byType)}
                dir={dir}
                valueLine={valueLine}
                empty={t("reports.charts.none")}
              />
              <BarChart
                title={t("reports.charts.byStatus")}
                data={chart("status", report.events.byStatus)}
                dir={dir}
                valueLine={valueLine}
                empty={t("reports.charts.none")}
              />
              <div className="lg:col-span-2">
                <Timeline timeline={report.events.timeline} dir={dir} t={t} locale={locale} valueLine={valueLine} />
              </div>
            </div>
          </Card>

          <Card title={t("reports.sections.participants")}>
            <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
              <BreakdownChart title={t("reports.charts.bySex")} breakdown={report.participants.bySex} dimension="sex" chart={chart} dir={dir} valueLine={valueLine} />
              <BreakdownChart title={t("reports.charts.byRole")} breakdown={report.participants.byRole} dimension="role" chart={chart} dir={dir} valueLine={valueLine} />
              <BreakdownChart
                title={t("reports.charts.byOrganisation")}
                breakdown={report.participants.byOrganisation}
                dimension="organisation"
                chart={chart}
                dir={dir}
                valueLine={valueLine}
              />
              <BreakdownChart
                title={t("reports.charts.byNationality")}
                breakdown={report.participants.byNationality}
                dimension="nationality"
                chart={chart}
                dir={dir}
                valueLine={valueLine}
              />
            </div>
          </Card>

          <KnowledgeCard knowledge={report.knowledge} protectedView={report.protected} t={t} locale={locale} />
          <SatisfactionCard satisfaction={report.satisfaction} t={t} locale={locale} />

          <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
            <Card title={t("reports.sections.actionPlans")}>
              {report.actionPlans.submitted === 0 ? (
                <p className="text-sm text-slate-600">{t("reports.actionPlans.none")}</p>
              ) : (
                <div className="space-y-3">
                  <p className="text-sm">
                    {t("reports.actionPlans.items", {
                      // "<5" reads as a few: the plural of 2 to 4 (every language has one for it)
                      count: typeof report.actionPlans.items === "number" ? report.actionPlans.items : 3,
                      formatted: count(report.actionPlans.items),
                    })}
                  </p>
                  <BarChart
                    title={t("reports.charts.itemsByStatus")}
                    data={chart("item", report.actionPlans.itemsByStatus)}
                    dir={dir}
                    valueLine={valueLine}
                    empty={t("reports.charts.none")}
                  />
                  <p className="text-sm">
                    {t("reports.actionPlans.validated", {
                      share: rateText(report.actionPlans.validatedShare, t, locale),
                      validated: count(report.actionPlans.validated),
                      items: count(report.actionPlans.items),
                    })}
                  </p>
                </div>
              )}
            </Card>
            <Card title={t("reports.sections.followUps")}>
              {report.followUps.total === 0 ? (
                <p className="text-sm text-slate-600">{t("reports.followUps.none")}</p>
              ) : (
                <div className="space-y-3">
                  <BarChart
                    title={t("reports.charts.followUpsByStatus")}
                    data={chart("followUp", report.followUps.byStatus)}
                    dir={dir}
                    valueLine={valueLine}
                    empty={t("reports.charts.none")}
                  />
                  <p className="text-sm font-medium">
                    {t("reports.followUps.turned", {
                      turned: count(report.followUps.turnedIntoTrainings),
                      total: count(report.followUps.total),
                    })}
                  </p>
                </div>
              )}
            </Card>
          </div>

          <Card title={t("reports.sections.gcm")}>
            {report.gcmObjectives.length === 0 ? (
              <p className="text-sm text-slate-600">{t("reports.gcm.none")}</p>
            ) : (
              <ul className="space-y-2 text-sm">
                {report.gcmObjectives.map((o) => (
                  <li key={o.id} className="flex flex-wrap gap-x-2">
                    <span className="font-semibold">{objective({ number: String(o.id) })}</span>
                    <span>{t(`gcm.o${o.id}` as "gcm.o1")}</span>
                    <span className="text-slate-600">({t("reports.gcm.events", { count: o.events, formatted: formatNumber(o.events, locale) })})</span>
                  </li>
                ))}
              </ul>
            )}
          </Card>

          <section aria-labelledby="report-table">
            <h2 id="report-table" className="mb-1 text-lg font-semibold">
              {t("reports.sections.table")}
            </h2>
            {/* a page of the events: where the others are, before the table */}
            <p className="mb-3 flex flex-wrap gap-x-4 gap-y-1 text-sm">
              {table ? (
                <span className="text-slate-600">
                  {t("reports.table.pageRows", {
                    from: formatNumber(table.first, locale),
                    to: formatNumber(table.first + report.table.length - 1, locale),
                    total: formatNumber(table.total, locale),
                  })}
                </span>
              ) : null}
              <a href={`/reports/events.csv${query}`} download className="font-medium">
                {t("reports.export.eventsCsv")}
              </a>
              <a href={`/reports/events.xlsx${query}`} download className="font-medium">
                {t("reports.export.eventsXlsx")}
              </a>
            </p>
            <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
              <table className="min-w-full divide-y divide-slate-200 text-sm">
                <caption className="sr-only">{t("reports.table.caption")}</caption>
                <thead className="sticky top-0 bg-slate-100">
                  <tr>
                    <th scope="col" className="px-3 py-2 text-start font-semibold">{t("reports.table.event")}</th>
                    <th scope="col" className="px-3 py-2 text-start font-semibold">{t("reports.table.dates")}</th>
                    <th scope="col" className="px-3 py-2 text-start font-semibold">{t("reports.table.place")}</th>
                    <th scope="col" className="px-3 py-2 text-start font-semibold">{t("reports.table.status")}</th>
                    <th scope="col" className="px-3 py-2 text-end font-semibold">{t("reports.table.days")}</th>
                    <th scope="col" className="px-3 py-2 text-end font-semibold">{t("reports.table.participants")}</th>
                    <th scope="col" className="px-3 py-2 text-end font-semibold">{t("reports.table.women")}</th>
                    <th scope="col" className="px-3 py-2 text-end font-semibold">{t("reports.table.attendance")}</th>
                    <th scope="col" className="px-3 py-2 text-end font-semibold">{t("reports.table.completion")}</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {report.table.map((e) => (
                    <tr key={e.id}>
                      <td className="px-3 py-2">
                        <Link to={`/events/${e.id}`} className="font-medium">
                          {e.title}
                        </Link>
                        <div className="text-xs text-slate-600">{t(`eventType.${e.type}` as "eventType.other")}</div>
                      </td>
                      <td className="whitespace-nowrap px-3 py-2" suppressHydrationWarning>
                        {formatDayRange(e.startDate, e.endDate, locale)}
                      </td>
                      <td className="px-3 py-2" suppressHydrationWarning>
                        <PartsWith parts={[e.locality, countryName(e.country, locale)]} separator={separator} />
                      </td>
                      <td className="px-3 py-2">
                        <Badge tone={e.status}>{word(`eventStatus.${e.status}`)}</Badge>
                      </td>
                      <td className="px-3 py-2 text-end tabular-nums">{formatNumber(e.days, locale)}</td>
                      {e.counted ? (
                        <>
                          <td className="px-3 py-2 text-end tabular-nums">{count(e.participants)}</td>
                          <td className="px-3 py-2 text-end tabular-nums">{count(e.women)}</td>
                          <td className="px-3 py-2 text-end tabular-nums">{rateText(e.attendanceRate, t, locale)}</td>
                          <td className="px-3 py-2 text-end tabular-nums">{rateText(e.completionRate, t, locale)}</td>
                        </>
                      ) : (
                        <td colSpan={4} className="px-3 py-2 text-end text-slate-600">
                          {t("reports.table.notCounted")}
                        </td>
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {table ? <Pagination page={table.page} pageCount={table.pageCount} /> : null}
          </section>
        </div>
      )}
    </div>
  );
}

function Figure({ label, value, hint }: { label: string; value: string; hint: string }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <dt className="text-sm font-medium text-slate-600">{label}</dt>
      <dd className="mt-1 text-2xl font-bold tabular-nums text-slate-900" suppressHydrationWarning>
        {value}
      </dd>
      <dd className="mt-1 text-xs text-slate-600">{hint}</dd>
    </div>
  );
}

function BreakdownChart({
  title,
  breakdown,
  dimension,
  chart,
  dir,
  valueLine,
}: {
  title: string;
  breakdown: Breakdown & { more: number };
  dimension: ReportDimension;
  chart: (dimension: ReportDimension, lines: Breakdown["lines"]) => ChartDatum[];
  dir: "ltr" | "rtl";
  valueLine: (label: string, value: string) => string;
}) {
  const { t, i18n } = useTranslation();
  return (
    <div>
      <BarChart title={title} data={chart(dimension, breakdown.lines)} dir={dir} valueLine={valueLine} empty={t("reports.charts.none")} />
      {breakdown.more > 0 ? <p className="mt-1 text-xs text-slate-600">{t("reports.charts.more", { count: breakdown.more, formatted: formatNumber(breakdown.more, i18n.language) })}</p> : null}
    </div>
  );
}

/** Events by month of their first day, or by year over a long period (the loader chooses). */
function Timeline({
  timeline,
  dir,
  t,
  locale,
  valueLine,
}: {
  timeline: { by: "month" | "year"; lines: { key: string; count: number }[] };
  dir: "ltr" | "rtl";
  t: TFunction;
  locale: string;
  valueLine: (label: string, value: string) => string;
}): ReactNode {
  if (timeline.by === "year") {
    const data = timeline.lines.map((y) => ({ key: y.key, label: formatYear(y.key, locale), value: y.count, display: formatNumber(y.count, locale) }));
    return <ColumnChart title={t("reports.charts.timelineByYear")} data={data} dir={dir} valueLine={valueLine} empty={t("reports.charts.none")} />;
  }
  const months = timeline.lines;
  const every = months.length <= 12 ? 1 : 3;
  const data = months.map((m, i) => {
    const firstOfYear = i === 0 || m.key.endsWith("-01");
    return {
      key: m.key,
      label: i % every === 0 || firstOfYear ? formatMonth(m.key, locale) : "",
      sublabel: firstOfYear ? formatYear(m.key.slice(0, 4), locale) : undefined,
      fullLabel: formatMonth(m.key, locale, true),
      value: m.count,
      display: formatNumber(m.count, locale),
    };
  });
  return <ColumnChart title={t("reports.charts.timeline")} data={data} dir={dir} valueLine={valueLine} empty={t("reports.charts.none")} />;
}
