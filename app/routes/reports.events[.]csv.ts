import type { LoaderFunctionArgs } from "@remix-run/node";
import { csvResponse, toCsv } from "~/lib/csv";
import { eventTable, summaryForExport } from "~/lib/report-export.server";
import { recordReportExport, type ActivityReport } from "~/models/reports.server";

/**
 * /reports/events.csv: the events of an activity summary as a table for a spreadsheet — one row
 * per event (by first day), its key figures in columns, in the user's language; the same filters,
 * readers and protection of small counts as /reports.csv. Every export is recorded in the audit log.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const { actor, t, lang, filters, report } = await summaryForExport(request);
  await recordReportExport(actor, "csv-events", filters, { locale: lang, events: report.events.total });
  return csvResponse(request, `events-${filters.from}-${filters.to}.csv`, eventsCsv(report, lang, () => {
    const { header, rows } = eventTable(report, t, lang);
    return toCsv(header, rows);
  }));
}

/** The file's text kept with the summary (the same object until the data changes) per language. */
const kept = new WeakMap<ActivityReport, Map<string, string>>();

function eventsCsv(report: ActivityReport, lang: string, write: () => string): string {
  let byLang = kept.get(report);
  if (!byLang) kept.set(report, (byLang = new Map()));
  let text = byLang.get(lang);
  if (text === undefined) byLang.set(lang, (text = write()));
  return text;
}
