import { Fragment, useId } from "react";

/**
 * Before-and-after bars for a knowledge test's results, drawn like the report charts
 * (app/components/report-charts.tsx): SVG rendered on the server, a <title> and a <desc> listing
 * every value for screen readers, the numbers written beside the bars, mirrored in right-to-left.
 * Each line has two bars, the pre-test's (grey) and the post-test's (blue); each bar's value, in a
 * column after the bars, names its phase ("Before 45%"), so nothing is told by colour alone.
 */

export type PairedDatum = {
  key: string;
  label: string;
  /** 0–100, or null when nobody took that phase */
  pre: number | null;
  post: number | null;
  preDisplay: string;
  postDisplay: string;
  /** the label in full for screen readers */
  fullLabel?: string;
};

const WIDTH = 296;
const FONT = 12;

export function PairedBarChart({
  title,
  data,
  dir,
  describe,
  empty,
}: {
  title: string;
  data: PairedDatum[];
  dir: "ltr" | "rtl";
  /** one line of the description, e.g. "Question 1: before 45%, after 80%" */
  describe: (d: PairedDatum) => string;
  empty: string;
}) {
  const id = useId();
  if (data.length === 0) {
    return (
      <figure className="space-y-2">
        <figcaption className="text-sm font-semibold text-slate-800">{title}</figcaption>
        <p className="text-sm text-slate-600">{empty}</p>
      </figure>
    );
  }
  const labelWidth = 72;
  const valueWidth = 92;
  const gap = 8;
  const barArea = WIDTH - labelWidth - valueWidth - 2 * gap;
  const barHeight = 12;
  const rowHeight = 2 * barHeight + 4 + 12;
  const height = data.length * rowHeight + 4;
  const x = (left: number, width = 0) => (dir === "rtl" ? WIDTH - left - width : left);
  const bar = (value: number | null, top: number, className: string, display: string) => {
    const width = value && value > 0 ? Math.max(2, (value / 100) * barArea) : 0;
    return (
      <>
        <rect x={x(labelWidth + gap, barArea)} y={top} width={barArea} height={barHeight} rx={2} className="chart-track" />
        {width > 0 ? <rect x={x(labelWidth + gap, width)} y={top} width={width} height={barHeight} rx={2} className={className} /> : null}
        <text x={x(labelWidth + 2 * gap + barArea)} y={top + barHeight - 2} textAnchor="start" className={value === null ? "chart-small chart-muted" : "chart-small"}>
          {display}
        </text>
      </>
    );
  };
  return (
    <figure className="space-y-2">
      <figcaption className="text-sm font-semibold text-slate-800">{title}</figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-labelledby={`${id}-title ${id}-desc`} direction={dir} style={{ direction: dir }} className="h-auto w-full max-w-[420px]">
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>{data.map(describe).join("; ")}</desc>
        {data.map((d, i) => {
          const top = 4 + i * rowHeight;
          return (
            <Fragment key={d.key}>
              <text x={x(labelWidth)} y={top + barHeight + FONT / 2} textAnchor="end" className="chart-text">
                {d.label}
              </text>
              {bar(d.pre, top, "chart-bar-before", d.preDisplay)}
              {bar(d.post, top + barHeight + 4, "chart-bar", d.postDisplay)}
            </Fragment>
          );
        })}
      </svg>
    </figure>
  );
}
