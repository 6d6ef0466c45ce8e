import type { LoaderFunctionArgs } from "@remix-run/node";
import type { TFunction } from "i18next";
import { csvRows, csvResponse, toCsv } from "~/lib/csv";
import { summaryFigureRows, summaryHeadRows, summaryHeader } from "~/lib/export-tables.server";
import { summaryForExport } from "~/lib/report-export.server";
import { recordReportExport, type ActivityReport, type ReportFilters } from "~/models/reports.server";

/**
 * /reports.csv: the activity summary, one row per line of each breakdown (section, label, value),
 * in the user's language. The first rows carry the filters and when the file was produced. The
 * events, one row each with their figures in columns, are a table of their own
 * (/reports/events.csv). Donors and partners too: aggregates only, with the same protection of
 * small counts as the page. Every export is recorded in the audit log. /reports.xlsx is the same table.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const { actor, t, lang, filters, report } = await summaryForExport(request);
  const head = await summaryHeadRows(actor.user, report, filters, t, lang);
  await recordReportExport(actor, "csv", filters, { locale: lang, events: report.events.total });
  return csvResponse(request, `activity-summary-${filters.from}-${filters.to}.csv`, [toCsv(summaryHeader(t), head), figureRows(report, filters, t, lang)]);
}

/**
 * The figures' rows of a summary, as CSV encoded in UTF-8, kept with the summary itself (a kept
 * summary is the same object until the data changes, see activityReport) for each language: a
 * programme's five years are two megabytes.
 */
const figureCsv = new WeakMap<ActivityReport, Map<string, Uint8Array>>();

function figureRows(report: ActivityReport, filters: ReportFilters, t: TFunction, lang: string): Uint8Array {
  let byLang = figureCsv.get(report);
  if (!byLang) figureCsv.set(report, (byLang = new Map()));
  const known = byLang.get(lang);
  if (known !== undefined) return known;
  const bytes = new TextEncoder().encode(csvRows(summaryFigureRows(report, filters, t, lang)));
  byLang.set(lang, bytes);
  return bytes;
}
