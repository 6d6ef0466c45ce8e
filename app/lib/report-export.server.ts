import type { TFunction } from "i18next";
import { requireActor } from "~/auth/session.server";
import { translator } from "~/i18n";
import { pickLocale, remixI18n } from "~/i18n.server";
import { activityReport, parseReportFilters, reportDefaults, type ActivityReport, type ReportFilters } from "~/models/reports.server";
import type { Cell } from "./csv";
import { countryName, formatNumber } from "./format";
import { countText, lineLabel, ratePercent, rateText, type ReportCount, type ReportDimension } from "./report-display";

/**
 * The activity report laid out for the exports (CSV and PDF): the same sections, lines and
 * wording as the page. Counts already carry their protection ("<5", perturbed figures) from the model.
 */

/** One line: the label, the value as written, and (for breakdowns of counts) the number behind a bar. */
export type ExportLine = {
  label: string;
  /** the value as written on the page and in the PDF */
  text: string;
  /** the CSV cell: a number where there is one, else the text ("<5", "—" for a rate not shown) */
  csv: string | number | null;
  /** the label in the CSV when it differs (a rate's label says "(%)" there, its value being a bare number) */
  csvLabel?: string;
  /** the length of a bar (null: hidden for privacy, no bar) */
  bar?: number | null;
  /** a YYYY-MM-DD value, written out in the reader's language in the PDF */
  date?: boolean;
};
export type ExportSection = { id: string; title: string; lines: ExportLine[]; chart?: boolean; note?: string };

/**
 * What every export starts with: the reader (staff, donors and partners only), their language, the
 * filters (400 with the reasons when they are wrong) and the summary (403: a programme a donor does
 * not fund).
 */
export async function summaryForExport(request: Request) {
  const actor = await requireActor(request, ["admin", "coordinator", "donor", "partner"]);
  const { t, lang, dir } = translator(pickLocale(actor.user.locale, await remixI18n.getLocale(request)));
  const parsed = await parseReportFilters(new URL(request.url), reportDefaults(actor.user));
  if (!parsed.ok) {
    throw new Response(Object.values(parsed.errors).map((key) => t(key as "reports.errors.date")).join(" "), {
      status: 400,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  }
  return { actor, t, lang, dir, filters: parsed.filters, report: await activityReport(actor.user, parsed.filters) };
}

/** The filters as lines, names already resolved (reportFilterNames). */
export function filterLines(
  filters: ReportFilters,
  names: { programme: string | null; donor: string | null; partner: string | null },
  t: TFunction,
  locale: string,
): ExportLine[] {
  const all = t("reportExports.csv.all");
  const line = (label: string, value: string): ExportLine => ({ label, text: value, csv: value });
  return [
    line(t("reports.filters.programme"), names.programme ?? all),
    line(t("reports.filters.donor"), names.donor ?? all),
    line(t("reports.filters.country"), filters.country ? countryName(filters.country, locale) : all),
    line(t("reports.filters.partner"), names.partner ?? all),
    line(
      t("reports.filters.gcm"),
      filters.gcmObjectiveId ? `${t("reports.gcm.objective", { number: filters.gcmObjectiveId })} — ${t(`gcm.o${filters.gcmObjectiveId}` as "gcm.o1")}` : all,
    ),
    { ...line(t("reports.filters.from"), filters.from), date: true },
    { ...line(t("reports.filters.to"), filters.to), date: true },
  ];
}

export function reportSections(report: ActivityReport, t: TFunction, locale: string): ExportSection[] {
  const count = (c: ReportCount): ExportLine["csv"] => (typeof c === "number" ? c : countText(c, t, locale));
  const countLine = (label: string, c: ReportCount): ExportLine => ({ label, text: countText(c, t, locale), csv: count(c), bar: typeof c === "number" ? c : null });
  const numberLine = (label: string, n: number): ExportLine => ({ label, text: formatNumber(n, locale), csv: n, bar: n });
  const rateLine = (label: string, rate: number | null): ExportLine => ({
    label,
    csvLabel: t("reportExports.csv.percentLabel", { label }),
    text: rateText(rate, t, locale),
    csv: ratePercent(rate) ?? t("reportPrivacy.noRate"),
  });
  const lines = (dimension: ReportDimension, found: { key: string; name?: string | null; count: ReportCount }[]) =>
    found.map((l) => countLine(lineLabel(dimension, l, t, locale), l.count));
  const breakdown = (title: string, dimension: ReportDimension, b: ActivityReport["participants"]["bySex"]): ExportSection => ({
    id: dimension,
    title,
    lines: lines(dimension, b.lines),
    chart: true,
  });

  const summary: ExportSection = {
    id: "summary",
    title: t("reportExports.csv.summary"),
    lines: [
      numberLine(t("reports.figures.events"), report.events.total),
      numberLine(t("reports.figures.trainingDays"), report.trainingDays),
      countLine(t("reports.figures.participants"), report.participants.unique),
      countLine(t("reports.figures.personDays"), report.participants.personDays),
      rateLine(t("reports.figures.attendanceRate"), report.attendanceRate),
      rateLine(t("reports.figures.completionRate"), report.completionRate),
      countLine(t("reports.figures.certificates"), report.certificates),
      countLine(t("reports.figures.actionPlans"), report.actionPlans.submitted),
      countLine(t("reportExports.csv.items"), report.actionPlans.items),
      countLine(t("reportExports.csv.itemsValidated"), report.actionPlans.validated),
      {
        label: t("reports.figures.validatedShare"),
        csvLabel: t("reportExports.csv.validatedShare"),
        text: rateText(report.actionPlans.validatedShare, t, locale),
        csv: ratePercent(report.actionPlans.validatedShare) ?? t("reportPrivacy.noRate"),
      },
      countLine(t("reports.figures.followUps"), report.followUps.total),
      countLine(t("reports.figures.turnedIntoTrainings"), report.followUps.turnedIntoTrainings),
      numberLine(t("reportExports.csv.gcmObjectives"), report.gcmObjectives.length),
    ].map((l) => ({ ...l, bar: undefined })),
  };
  const plainLines = (dimension: ReportDimension, found: { key: string; count: number }[]) =>
    found.map((l) => numberLine(lineLabel(dimension, l, t, locale), l.count));

  return [
    summary,
    { id: "type", title: t("reports.charts.byType"), lines: plainLines("type", report.events.byType), chart: true },
    { id: "status", title: t("reports.charts.byStatus"), lines: plainLines("status", report.events.byStatus), chart: true },
    { id: "timeline", title: t("reports.charts.timeline"), lines: report.events.byMonth.map((m) => numberLine(m.key, m.count)), chart: true },
    breakdown(t("reports.charts.bySex"), "sex", report.participants.bySex),
    breakdown(t("reports.charts.byRole"), "role", report.participants.byRole),
    breakdown(t("reports.charts.byOrganisation"), "organisation", report.participants.byOrganisation),
    breakdown(t("reports.charts.byNationality"), "nationality", report.participants.byNationality),
    { id: "item", title: t("reports.charts.itemsByStatus"), lines: lines("item", report.actionPlans.itemsByStatus), chart: true },
    { id: "followUp", title: t("reports.charts.followUpsByStatus"), lines: lines("followUp", report.followUps.byStatus), chart: true },
    {
      id: "gcm",
      title: t("reports.sections.gcm"),
      lines: report.gcmObjectives.map((o) => ({
        label: `${t("reports.gcm.objective", { number: o.id })} — ${t(`gcm.o${o.id}` as "gcm.o1")}`,
        text: t("reports.gcm.events", { count: o.events, formatted: formatNumber(o.events, locale) }),
        csv: o.events,
      })),
    },
  ];
}

/**
 * The events of a summary as a table for a spreadsheet (/reports/events.csv): one row per event,
 * its key figures in columns. Counts carry the same protection as the page ("<5", perturbed).
 */
export function eventTable(report: ActivityReport, t: TFunction, locale: string): { header: string[]; rows: Cell[][] } {
  const percent = (label: string) => t("reportExports.csv.percentLabel", { label });
  const header = [
    t("reports.table.event"),
    t("reportExports.csv.firstDay"),
    t("reportExports.csv.lastDay"),
    t("reports.table.place"),
    t("reports.filters.country"),
    t("reports.table.status"),
    t("reports.table.days"),
    t("reports.table.participants"),
    t("reports.table.women"),
    percent(t("reports.table.attendance")),
    percent(t("reports.table.completion")),
  ];
  const count = (c: ReportCount): Cell => (typeof c === "number" ? c : countText(c, t, locale));
  const rate = (r: number | null): Cell => ratePercent(r) ?? t("reportPrivacy.noRate");
  const rows = report.table.map((e): Cell[] => {
    const base: Cell[] = [e.title, e.startDate, e.endDate, e.locality ?? "", e.country, t(`eventStatus.${e.status}` as "eventStatus.draft"), e.days];
    if (!e.counted) return [...base, t("reports.table.notCounted"), "", "", ""];
    return [...base, count(e.participants), count(e.women), rate(e.attendanceRate), rate(e.completionRate)];
  });
  return { header, rows };
}
