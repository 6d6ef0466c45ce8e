import type { TFunction } from "i18next";
import { Card } from "~/components/ui/page";
import { formatNumber } from "~/lib/format";
import { countText, gainText, lineLabel, rateText, scoreText, type ReportCount, type ReportDimension } from "~/lib/report-display";

/**
 * The activity summary's learning section: what participants learned (paired pre/post test
 * results, overall and by sex, role category and organisation) and what they thought (feedback).
 * Figures arrive already protected for donors and partners (app/models/reports.server.ts).
 */

type Score = number | null;
type KnowledgeLine = { key: string; name?: string | null; paired: ReportCount; meanPre: Score; meanPost: Score; gain: Score };
export type KnowledgeView = {
  paired: ReportCount;
  events: number;
  meanPre: Score;
  meanPost: Score;
  gain: Score;
  normalisedGain: number | null;
  improvedShare: number | null;
  bySex: { lines: KnowledgeLine[]; more: number };
  byRole: { lines: KnowledgeLine[]; more: number };
  byOrganisation: { lines: KnowledgeLine[]; more: number };
};
export type SatisfactionView = {
  answers: ReportCount;
  events: number;
  questions: { key: string; mean: number | null; agreeShare: number | null; distribution: number[] | null }[];
};

function Figure({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-3">
      <dt className="text-sm font-medium text-slate-600">{label}</dt>
      <dd className="mt-1 text-xl font-bold tabular-nums text-slate-900">{value}</dd>
      {hint ? <dd className="mt-1 text-xs text-slate-600">{hint}</dd> : null}
    </div>
  );
}

export function KnowledgeCard({ knowledge: k, protectedView, t, locale }: { knowledge: KnowledgeView; protectedView: boolean; t: TFunction; locale: string }) {
  const none = k.paired === 0;
  return (
    <Card title={t("reports.sections.knowledge")}>
      {none ? (
        <p className="text-sm text-slate-600">{t("reports.learning.noTests")}</p>
      ) : (
        <div className="space-y-5">
          <dl className="grid grid-cols-2 gap-3 lg:grid-cols-3">
            <Figure label={t("reports.figures.paired")} value={countText(k.paired, t, locale)} hint={t("reports.hints.paired")} />
            <Figure label={t("reports.learning.testEvents")} value={formatNumber(k.events, locale)} />
            <Figure label={t("reports.figures.meanPre")} value={scoreText(k.meanPre, t, locale)} />
            <Figure label={t("reports.figures.meanPost")} value={scoreText(k.meanPost, t, locale)} />
            <Figure label={t("reports.figures.gain")} value={gainText(k.gain, t, locale)} hint={t("reports.hints.gain")} />
            <Figure label={t("reports.figures.normalisedGain")} value={rateText(k.normalisedGain, t, locale)} hint={t("reports.hints.normalisedGain")} />
            <Figure label={t("reports.figures.improvedShare")} value={rateText(k.improvedShare, t, locale)} />
          </dl>
          {protectedView ? <p className="text-sm text-slate-600">{t("reports.learning.protectedScores")}</p> : null}
          <div className="grid grid-cols-1 gap-5 lg:grid-cols-2">
            <GroupTable title={t("reports.charts.bySex")} dimension="sex" groups={k.bySex} t={t} locale={locale} />
            <GroupTable title={t("reports.charts.byRole")} dimension="role" groups={k.byRole} t={t} locale={locale} />
            <div className="lg:col-span-2">
              <GroupTable title={t("reports.charts.byOrganisation")} dimension="organisation" groups={k.byOrganisation} t={t} locale={locale} />
            </div>
          </div>
        </div>
      )}
    </Card>
  );
}

function GroupTable({
  title,
  dimension,
  groups,
  t,
  locale,
}: {
  title: string;
  dimension: ReportDimension;
  groups: { lines: KnowledgeLine[]; more: number };
  t: TFunction;
  locale: string;
}) {
  return (
    <div>
      <h3 className="mb-2 text-sm font-semibold">{title}</h3>
      {/* a region that may scroll sideways on a phone: reachable with the keyboard (WCAG 2.1.1) */}
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white" role="region" aria-label={`${t("reports.sections.knowledge")} — ${title}`} tabIndex={0}>
        <table className="min-w-full divide-y divide-slate-200 text-xs sm:text-sm">
          <caption className="sr-only">
            {t("reports.sections.knowledge")} — {title}
          </caption>
          <thead className="bg-slate-100">
            <tr>
              <th scope="col" className="px-1.5 py-2 sm:px-3 text-start font-semibold">{t("reports.learning.table.group")}</th>
              <th scope="col" className="px-1.5 py-2 sm:px-3 text-end font-semibold">{t("reports.learning.table.paired")}</th>
              <th scope="col" className="px-1.5 py-2 sm:px-3 text-end font-semibold">{t("reports.learning.table.before")}</th>
              <th scope="col" className="px-1.5 py-2 sm:px-3 text-end font-semibold">{t("reports.learning.table.after")}</th>
              <th scope="col" className="px-1.5 py-2 sm:px-3 text-end font-semibold">{t("reports.learning.table.gain")}</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {groups.lines.map((l) => (
              <tr key={l.key}>
                <th scope="row" className="px-1.5 py-2 sm:px-3 text-start font-medium">
                  {lineLabel(dimension, l, t, locale)}
                </th>
                <td className="px-1.5 py-2 sm:px-3 text-end tabular-nums">{countText(l.paired, t, locale)}</td>
                <td className="px-1.5 py-2 sm:px-3 text-end tabular-nums">{scoreText(l.meanPre, t, locale)}</td>
                <td className="px-1.5 py-2 sm:px-3 text-end tabular-nums">{scoreText(l.meanPost, t, locale)}</td>
                <td className="whitespace-nowrap px-1.5 py-2 sm:px-3 text-end tabular-nums">{gainText(l.gain, t, locale, { bare: true })}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {groups.more > 0 ? (
        <p className="mt-1 text-xs text-slate-600">{t("reports.learning.moreGroups", { count: groups.more, formatted: formatNumber(groups.more, locale) })}</p>
      ) : null}
    </div>
  );
}

const BAR_TONES = ["bg-red-600", "bg-orange-500", "bg-slate-400", "bg-teal-500", "bg-teal-700"];

export function SatisfactionCard({ satisfaction: s, t, locale }: { satisfaction: SatisfactionView; t: TFunction; locale: string }) {
  const question = (key: string) => t(`reports.learning.questions.${key}` as "reports.learning.questions.overall");
  const staff = s.questions.some((q) => q.distribution !== null);
  return (
    <Card title={t("reports.sections.satisfaction")}>
      {s.answers === 0 ? (
        <p className="text-sm text-slate-600">{t("reports.learning.noFeedback")}</p>
      ) : (
        <div className="space-y-4">
          <dl className="grid grid-cols-2 gap-3">
            <Figure label={t("reports.figures.feedbackAnswers")} value={countText(s.answers, t, locale)} hint={t("reports.hints.feedbackAnswers")} />
            <Figure label={t("reports.learning.feedbackEvents")} value={formatNumber(s.events, locale)} />
          </dl>
          <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white" role="region" aria-label={t("reports.sections.satisfaction")} tabIndex={0}>
            <table className="min-w-full divide-y divide-slate-200 text-xs sm:text-sm">
              <caption className="sr-only">{t("reports.sections.satisfaction")}</caption>
              <thead className="bg-slate-100">
                <tr>
                  <th scope="col" className="px-1.5 py-2 sm:px-3 text-start font-semibold">{t("reports.learning.question")}</th>
                  {staff ? <th scope="col" className="px-1.5 py-2 sm:px-3 text-end font-semibold">{t("reports.learning.mean")}</th> : null}
                  <th scope="col" className="px-1.5 py-2 sm:px-3 text-end font-semibold">{t("reports.learning.agree")}</th>
                  {staff ? <th scope="col" className="px-1.5 py-2 sm:px-3 text-start font-semibold">{t("reports.learning.distribution")}</th> : null}
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {s.questions.map((q) => (
                  <tr key={q.key}>
                    <th scope="row" className="px-1.5 py-2 sm:px-3 text-start font-medium">
                      {question(q.key)}
                    </th>
                    {staff ? <td className="px-1.5 py-2 sm:px-3 text-end tabular-nums">{q.mean === null ? t("reportPrivacy.noRate") : formatNumber(q.mean, locale)}</td> : null}
                    <td className="px-1.5 py-2 sm:px-3 text-end tabular-nums">{rateText(q.agreeShare, t, locale)}</td>
                    {staff ? (
                      <td className="px-1.5 py-2 sm:px-3">
                        {q.distribution ? <Distribution counts={q.distribution} label={t("reports.learning.distributionOf", { question: question(q.key), counts: q.distribution.map((n) => formatNumber(n, locale)).join(", ") })} /> : null}
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className="text-sm text-slate-600">{t("reports.learning.anonymous")}</p>
        </div>
      )}
    </Card>
  );
}

/** The answers 1 to 5 as one stacked bar (the numbers in its accessible name and its title). */
function Distribution({ counts, label }: { counts: number[]; label: string }) {
  const total = counts.reduce((a, b) => a + b, 0) || 1;
  return (
    <div role="img" aria-label={label} title={label} className="flex h-3 w-24 overflow-hidden rounded bg-slate-100 sm:w-40">
      {counts.map((n, i) =>
        n > 0 ? <span key={i} className={BAR_TONES[i]} style={{ width: `${(n / total) * 100}%` }} /> : null,
      )}
    </div>
  );
}
