import type { TFunction } from "i18next";
import { requireActor } from "~/auth/session.server";
import { translator } from "~/i18n";
import { pickLocale, remixI18n } from "~/i18n.server";
import { activityReport, parseReportFilters, reportDefaults, type ActivityReport, type ReportFilters } from "~/models/reports.server";
import type { Cell } from "./csv";
import { countryName, formatNumber } from "./format";
import { countText, gainText, lineLabel, ratePercent, rateText, scoreText, type ReportCount, type ReportDimension } from "./report-display";

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
    ...learningSections(report, t, locale),
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
 * What participants learned (paired test results, overall and by group) and what they thought
 * (feedback), as the page shows them; in the CSV one figure a row, the group or question named in
 * the label.
 */
function learningSections(report: ActivityReport, t: TFunction, locale: string): ExportSection[] {
  const { knowledge: k, satisfaction: s } = report;
  const count = (c: ReportCount): ExportLine["csv"] => (typeof c === "number" ? c : countText(c, t, locale));
  const noRate = t("reportPrivacy.noRate");
  const score = (label: string, value: number | null): ExportLine => ({
    label,
    csvLabel: t("reportExports.csv.percentLabel", { label }),
    text: scoreText(value, t, locale),
    csv: value ?? noRate,
  });
  const gain = (label: string, value: number | null): ExportLine => ({
    label,
    csvLabel: t("reportExports.learning.pointsLabel", { label }),
    text: gainText(value, t, locale),
    csv: value ?? noRate,
  });
  const rate = (label: string, value: number | null): ExportLine => ({
    label,
    csvLabel: t("reportExports.csv.percentLabel", { label }),
    text: rateText(value, t, locale),
    csv: ratePercent(value) ?? noRate,
  });
  const knowledge: ExportSection = {
    id: "knowledge",
    title: t("reports.sections.knowledge"),
    note: typeof k.paired === "number" && k.paired === 0 ? t("reports.learning.noTests") : undefined,
    lines: [
      { label: t("reports.figures.paired"), text: countText(k.paired, t, locale), csv: count(k.paired) },
      { label: t("reports.learning.testEvents"), text: formatNumber(k.events, locale), csv: k.events },
      score(t("reports.figures.meanPre"), k.meanPre),
      score(t("reports.figures.meanPost"), k.meanPost),
      gain(t("reports.figures.gain"), k.gain),
      rate(t("reports.figures.normalisedGain"), k.normalisedGain),
      rate(t("reports.figures.improvedShare"), k.improvedShare),
    ],
  };
  const groups = (id: string, title: string, dimension: ReportDimension, lines: ActivityReport["knowledge"]["bySex"]): ExportSection => ({
    id,
    title,
    lines: lines.flatMap((l) => {
      const group = lineLabel(dimension, l, t, locale);
      const named = (line: ExportLine): ExportLine => ({ ...line, label: `${group} — ${line.label}`, csvLabel: `${group} — ${line.csvLabel ?? line.label}` });
      return [
        named({ label: t("reports.learning.table.paired"), text: countText(l.paired, t, locale), csv: count(l.paired) }),
        named(score(t("reports.learning.table.before"), l.meanPre)),
        named(score(t("reports.learning.table.after"), l.meanPost)),
        named(gain(t("reports.learning.table.gain"), l.gain)),
      ];
    }),
  });
  const question = (key: string) => t(`reports.learning.questions.${key}` as "reports.learning.questions.overall");
  const satisfaction: ExportSection = {
    id: "satisfaction",
    title: t("reports.sections.satisfaction"),
    note: s.answers === 0 ? t("reports.learning.noFeedback") : t("reports.learning.anonymous"),
    lines: [
      { label: t("reports.figures.feedbackAnswers"), text: countText(s.answers, t, locale), csv: count(s.answers) },
      { label: t("reports.learning.feedbackEvents"), text: formatNumber(s.events, locale), csv: s.events },
      ...s.questions.flatMap((q) => [
        rate(t("reportExports.learning.agree", { question: question(q.key) }), q.agreeShare),
        ...(q.mean === null
          ? []
          : [{ label: t("reportExports.learning.mean", { question: question(q.key) }), text: formatNumber(q.mean, locale), csv: q.mean }]),
        ...(q.distribution ?? []).map((n, i) => ({
          label: t("reportExports.learning.rated", { question: question(q.key), value: i + 1 }),
          text: formatNumber(n, locale),
          csv: n,
        })),
      ]),
    ],
  };
  return [
    knowledge,
    groups("knowledgeBySex", `${t("reports.sections.knowledge")} — ${t("reports.charts.bySex")}`, "sex", k.bySex),
    groups("knowledgeByRole", `${t("reports.sections.knowledge")} — ${t("reports.charts.byRole")}`, "role", k.byRole),
    groups("knowledgeByOrganisation", `${t("reports.sections.knowledge")} — ${t("reports.charts.byOrganisation")}`, "organisation", k.byOrganisation),
    satisfaction,
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
