import type { LoaderFunctionArgs } from "@remix-run/node";
import type { TFunction } from "i18next";
import { now } from "~/lib/clock";
import { csvResponse, csvRows, toCsv, type Cell } from "~/lib/csv";
import { filterLines, reportSections, summaryForExport } from "~/lib/report-export.server";
import { recordReportExport, reportFilterNames, reportFilterOptions, type ActivityReport, type ReportFilters } from "~/models/reports.server";

/**
 * /reports.csv: the activity summary, one row per line of each breakdown (section, label, value),
 * in the user's language. The first rows carry the filters and when the file was produced. The
 * events, one row each with their figures in columns, are a table of their own
 * (/reports/events.csv). Donors and partners too: aggregates only, with the same protection of
 * small counts as the page. Every export is recorded in the audit log.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const { actor, t, lang, filters, report } = await summaryForExport(request);
  const names = reportFilterNames(await reportFilterOptions(actor.user, filters), filters);
  const producedAt = now();

  const rows: Cell[][] = [];
  for (const line of filterLines(filters, names, t, lang)) rows.push([t("reportExports.csv.filters"), line.label, line.csv]);
  rows.push([t("reportExports.csv.produced"), t("reportExports.csv.producedAt"), producedAt.toISOString()]);
  if (report.protected) rows.push([t("reportExports.csv.privacy"), t("reportPrivacy.title"), t("reportPrivacy.note")]);

  await recordReportExport(actor, "csv", filters, { locale: lang, events: report.events.total });
  const body = toCsv([t("reportExports.csv.section"), t("reportExports.csv.label"), t("reportExports.csv.value")], rows) + figureRows(report, filters, t, lang);
  return csvResponse(`activity-summary-${filters.from}-${filters.to}.csv`, body);
}

/**
 * The figures' rows of a summary, as CSV text, kept with the summary itself (a kept summary is the
 * same object until the data changes, see activityReport) for each language.
 */
const figureCsv = new WeakMap<ActivityReport, Map<string, string>>();

function figureRows(report: ActivityReport, filters: ReportFilters, t: TFunction, lang: string): string {
  let byLang = figureCsv.get(report);
  if (!byLang) figureCsv.set(report, (byLang = new Map()));
  const known = byLang.get(lang);
  if (known !== undefined) return known;
  const rows: Cell[][] = [];
  if (report.empty) {
    rows.push([t("reportExports.csv.summary"), t("reports.figures.events"), 0]);
    rows.push([t("reportExports.csv.summary"), "", t("reports.empty", { from: filters.from, to: filters.to })]);
  } else {
    for (const section of reportSections(report, t, lang)) {
      if (section.note) rows.push([section.title, "", section.note]);
      for (const line of section.lines) rows.push([section.title, line.csvLabel ?? line.label, line.csv]);
    }
  }
  const text = csvRows(rows);
  byLang.set(lang, text);
  return text;
}
