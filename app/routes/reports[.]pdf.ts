import type { LoaderFunctionArgs } from "@remix-run/node";
import { now } from "~/lib/clock";
import { countryName, formatDateTime, formatDay, formatDayRange, formatNumber } from "~/lib/format";
import {
  addPage,
  contentBox,
  createPdf,
  pageDirection,
  pageFooters,
  pdfBuffer,
  pdfResponse,
  rule,
  table,
  text,
  textHeight,
} from "~/lib/pdf.server";
import { countText, rateText } from "~/lib/report-display";
import { formatMonth } from "~/lib/format";
import { filterLines, reportSections, summaryForExport, type ExportLine, type ExportSection } from "~/lib/report-export.server";
import { recordReportExport, reportFilterNames, reportFilterOptions } from "~/models/reports.server";

const BAR = "#1e40af";
const TRACK = "#e2e8f0";

/**
 * /reports.pdf: the activity summary as a printable document, for sending to a donor: the filters
 * and the date it was produced, the key figures, each breakdown drawn as bars with its numbers,
 * and the events with their key figures. In the user's language (Arabic laid out right to left).
 * The same figures and the same protection of small counts as the page; every export is audited.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  // reader, language, filters (400) and the summary (403: a programme the donor does not fund)
  const { actor, t, lang, dir, filters, report } = await summaryForExport(request);
  const names = reportFilterNames(await reportFilterOptions(actor.user, filters), filters);
  const producedAt = now();
  const period = t("reports.period", { from: formatDay(filters.from, lang), to: formatDay(filters.to, lang) });

  const doc = createPdf({
    title: t("reportExports.pdf.documentTitle", { period }),
    subject: t("reportExports.pdf.subject", { period }),
    lang,
    dir,
  });
  const box = () => contentBox(doc);
  /** Start a new page unless `height` points still fit on this one. */
  const room = (height: number) => {
    if (doc.y + height > box().bottom) addPage(doc);
  };
  const heading = (value: string) => {
    room(60);
    doc.y += 8;
    text(doc, value, { size: 12, bold: true });
    doc.y += 3;
  };

  text(doc, t("reports.title"), { size: 18, bold: true, lineHeight: 1.3 });
  text(doc, period, { size: 11 });
  text(doc, t("reports.producedOn", { date: formatDateTime(producedAt, "UTC", lang) }), { size: 9, color: "#444444" });
  doc.y += 6;
  text(doc, t("reportExports.pdf.filters"), { size: 10, bold: true });
  for (const line of filterLines(filters, names, t, lang)) {
    text(doc, `${line.label}: ${line.date ? formatDay(line.text, lang) : line.text}`, { size: 9 });
  }
  if (report.protected) {
    doc.y += 6;
    text(doc, `${t("reportPrivacy.title")}. ${t("reportPrivacy.note")}`, { size: 8.5, color: "#333333" });
  }
  doc.y += 4;
  rule(doc, 8);

  if (report.empty) {
    text(doc, t("reports.empty", { from: formatDay(filters.from, lang), to: formatDay(filters.to, lang) }), { size: 11 });
  } else {
    const sections = reportSections(report, t, lang);
    const [summary, ...rest] = sections;
    heading(t("reportExports.pdf.keyFigures"));
    table(doc, {
      columns: [
        { header: t("reportExports.pdf.figure"), width: 3 },
        { header: t("reportExports.pdf.value"), width: 1, align: "end" },
      ],
      rows: summary.lines.map((l) => [l.label, l.text]),
      size: 9,
    });
    for (const section of rest) {
      // the timeline: the months with events, written out in the reader's language
      if (section.id === "timeline") {
        drawSection({ ...section, lines: section.lines.filter((l) => (l.bar ?? 0) > 0).map((l) => ({ ...l, label: formatMonth(l.label, lang, true) })) });
      } else {
        drawSection(section);
      }
    }
    heading(t("reports.sections.table"));
    table(doc, {
      columns: [
        { header: t("reports.table.event"), width: 4 },
        { header: t("reports.table.status"), width: 1.6 },
        { header: t("reports.table.days"), width: 0.8, align: "end" },
        { header: t("reports.table.participants"), width: 1.3, align: "end" },
        { header: t("reports.table.women"), width: 1, align: "end" },
        { header: t("reports.table.attendance"), width: 1.2, align: "end" },
        { header: t("reports.table.completion"), width: 1.2, align: "end" },
      ],
      rows: report.table.map((e) => [
        `${e.title}\n${formatDayRange(e.startDate, e.endDate, lang)} · ${[e.locality, countryName(e.country, lang)].filter(Boolean).join(t("layout.listSeparator"))}`,
        t(`eventStatus.${e.status}` as "eventStatus.draft"),
        formatNumber(e.days, lang),
        e.counted ? countText(e.participants, t, lang) : t("reports.table.notCounted"),
        e.counted ? countText(e.women, t, lang) : "",
        e.counted ? rateText(e.attendanceRate, t, lang) : "",
        e.counted ? rateText(e.completionRate, t, lang) : "",
      ]),
      size: 8,
      onNewPage: () => {
        text(doc, t("reports.sections.table"), { size: 9, bold: true, color: "#444444" });
        doc.y += 4;
      },
    });
  }

  function drawSection(section: ExportSection) {
    heading(section.title);
    if (section.note) {
      text(doc, section.note, { size: 9, color: "#444444" });
      return;
    }
    if (section.lines.length === 0) {
      text(doc, t("reports.charts.none"), { size: 9, color: "#444444" });
      return;
    }
    if (section.chart) bars(section.lines);
    else
      table(doc, {
        columns: [
          { header: t("reportExports.pdf.line"), width: 4 },
          { header: t("reportExports.pdf.value"), width: 1, align: "end" },
        ],
        rows: section.lines.map((l) => [l.label, l.text]),
        size: 8.5,
      });
  }

  /** Horizontal bars with the label at the start side and the number after the bar (mirrored in Arabic). */
  function bars(lines: ExportLine[]) {
    const rtl = pageDirection(doc) === "rtl";
    const labelWidth = 170;
    const valueWidth = 70;
    const gap = 6;
    const { left, right, width } = box();
    const barArea = width - labelWidth - valueWidth - 2 * gap;
    const max = Math.max(1, ...lines.map((l) => l.bar ?? 0));
    for (const line of lines) {
      const height = Math.max(14, textHeight(doc, line.label, { width: labelWidth, size: 8.5, dir: "auto" }));
      room(height + 3);
      const top = doc.y;
      const labelX = rtl ? right - labelWidth : left;
      const trackX = rtl ? labelX - gap - barArea : left + labelWidth + gap;
      const barWidth = line.bar && line.bar > 0 ? Math.max(1.5, (line.bar / max) * barArea) : 0;
      const barX = rtl ? labelX - gap - barWidth : trackX;
      doc.save();
      doc.rect(trackX, top + 2, barArea, 9).fill(TRACK);
      if (barWidth > 0) doc.rect(barX, top + 2, barWidth, 9).fill(BAR);
      doc.restore();
      text(doc, line.label, { x: labelX, y: top, width: labelWidth - 4, size: 8.5, dir: "auto", align: "end" });
      const afterBar = barWidth > 0 ? barWidth : 0;
      const valueX = rtl ? labelX - gap - afterBar - gap - valueWidth : trackX + afterBar + gap;
      text(doc, line.text, { x: valueX, y: top, width: valueWidth, size: 8.5, bold: true, align: "start" });
      doc.y = top + height + 3;
    }
  }

  pageFooters(doc, (page, pages) => ({
    start: t("reportExports.pdf.footer", { period }),
    end: t("reportExports.pdf.page", { page: formatNumber(page, lang), pages: formatNumber(pages, lang) }),
  }));
  const body = await pdfBuffer(doc);
  await recordReportExport(actor, "pdf", filters, { locale: lang, events: report.events.total });
  return pdfResponse(`activity-summary-${filters.from}-${filters.to}.pdf`, body);
}
