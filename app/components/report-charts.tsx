import { Fragment, useId } from "react";

/**
 * Small charts drawn on the server as SVG: visible without JavaScript, printable, and readable by
 * screen readers (a <title>, and a <desc> listing every value). The numbers are written beside the
 * bars, so nobody has to read a length. In a right-to-left page the charts are mirrored: labels on
 * the right, bars growing leftwards, months running from right to left.
 *
 * A value of null draws no bar (a count hidden for privacy must not be given away by a length);
 * its text ("<5", "—") is still written.
 */

export type ChartDatum = {
  key: string;
  label: string;
  value: number | null;
  display: string;
  /** a second line under a column (the year) */
  sublabel?: string;
  /** the label in full for screen readers, when the one drawn is shortened or left out */
  fullLabel?: string;
};

type Dir = "ltr" | "rtl";

/** drawn at 1:1 on a 360 px phone (the card's width there), so its 12 px text stays 12 px; wider screens enlarge it a little */
const WIDTH = 296;
const FONT = 12;
/** the axis line (text and bars take the .chart-* classes of app/tailwind.css) */
const MUTED = "#475569";

/** A coordinate to a tenth of a unit (a tenth of a pixel on a phone): 40.8, not 40.84033613445378. */
const at = (n: number) => Math.round(n * 10) / 10;

/** Greedy word wrap on an approximate character budget; the last line ends in "…" if cut. */
function wrap(label: string, maxChars: number, maxLines: number): string[] {
  const words = label.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let current = "";
  for (const word of words) {
    const next = current ? `${current} ${word}` : word;
    if (next.length <= maxChars || !current) {
      current = next;
    } else {
      lines.push(current);
      current = word;
    }
  }
  if (current) lines.push(current);
  if (lines.length > maxLines) {
    const kept = lines.slice(0, maxLines);
    kept[maxLines - 1] = `${kept[maxLines - 1].slice(0, maxChars - 1)}…`;
    return kept;
  }
  return lines.map((l) => (l.length > maxChars + 6 ? `${l.slice(0, maxChars)}…` : l));
}

function description(data: ChartDatum[], valueLine: (label: string, value: string) => string) {
  return data.map((d) => valueLine(d.fullLabel ?? d.label, d.display)).join("; ");
}

/** Horizontal bars, one per line of a breakdown, label at the start side and the number after the bar. */
export function BarChart({
  title,
  data,
  dir,
  valueLine,
  empty,
}: {
  title: string;
  data: ChartDatum[];
  dir: Dir;
  /** "Female: 21" in the reader's language */
  valueLine: (label: string, value: string) => string;
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
  const labelWidth = 116;
  const valueWidth = 56;
  const gap = 8;
  const barArea = WIDTH - labelWidth - valueWidth - 2 * gap;
  const labels = data.map((d) => wrap(d.label, 16, 2));
  const rowHeight = labels.some((l) => l.length > 1) ? 36 : 26;
  const height = data.length * rowHeight + 8;
  const max = Math.max(1, ...data.map((d) => d.value ?? 0));
  // coordinates are computed left-to-right, then mirrored for a right-to-left page
  const x = (left: number, width = 0) => at(dir === "rtl" ? WIDTH - left - width : left);
  return (
    <figure className="space-y-2">
      <figcaption className="text-sm font-semibold text-slate-800">{title}</figcaption>
      <svg
        viewBox={`0 0 ${WIDTH} ${height}`}
        role="img"
        aria-labelledby={`${id}-title ${id}-desc`}
        direction={dir}
        style={{ direction: dir }}
        className="h-auto w-full max-w-[380px]"
      >
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`} suppressHydrationWarning>
          {description(data, valueLine)}
        </desc>
        {data.map((d, i) => {
          const top = 4 + i * rowHeight;
          const middle = top + rowHeight / 2;
          const width = d.value && d.value > 0 ? at(Math.max(2, (d.value / max) * barArea)) : 0;
          const lines = labels[i];
          const firstBaseline = middle + 4 - ((lines.length - 1) * (FONT + 2)) / 2;
          return (
            <Fragment key={d.key}>
              <text x={x(labelWidth)} y={firstBaseline} textAnchor="end" className="chart-text">
                {lines.length === 1
                  ? lines[0]
                  : lines.map((line, k) => (
                      <tspan key={k} x={x(labelWidth)} y={firstBaseline + k * (FONT + 2)}>
                        {line}
                      </tspan>
                    ))}
              </text>
              <rect x={x(labelWidth + gap, barArea)} y={middle - 8} width={barArea} height={16} rx={2} className="chart-track" />
              {width > 0 ? <rect x={x(labelWidth + gap, width)} y={middle - 8} width={width} height={16} rx={2} className="chart-bar" /> : null}
              {/* text-anchor: start, the initial value (the right end of a right-to-left chart) */}
              <text
                x={x(d.value === null ? labelWidth + 2 * gap : labelWidth + 2 * gap + width)}
                y={middle + 4}
                className={d.value === null ? "chart-value chart-muted" : "chart-value"}
                suppressHydrationWarning
              >
                {d.display}
              </text>
            </Fragment>
          );
        })}
      </svg>
    </figure>
  );
}

/** Vertical columns along time (a timeline): the number above each column, the period below it. */
export function ColumnChart({
  title,
  data,
  dir,
  valueLine,
  empty,
}: {
  title: string;
  /** label: what is written under the column ("" to leave it out); sublabel: a second line (the year) */
  data: ChartDatum[];
  dir: Dir;
  valueLine: (label: string, value: string) => string;
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
  const pad = 8;
  const top = 20;
  const plot = 100;
  const height = top + plot + 40;
  const step = (WIDTH - 2 * pad) / data.length;
  const columnWidth = at(Math.min(36, step * 0.7));
  const max = Math.max(1, ...data.map((d) => d.value ?? 0));
  const x = (left: number, width = 0) => at(dir === "rtl" ? WIDTH - left - width : left);
  return (
    <figure className="space-y-2">
      <figcaption className="text-sm font-semibold text-slate-800">{title}</figcaption>
      <svg
        viewBox={`0 0 ${WIDTH} ${height}`}
        role="img"
        aria-labelledby={`${id}-title ${id}-desc`}
        direction={dir}
        style={{ direction: dir }}
        className="h-auto w-full max-w-[440px]"
      >
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`} suppressHydrationWarning>
          {description(data.filter((d) => (d.value ?? 0) > 0), valueLine)}
        </desc>
        <line x1={pad} x2={WIDTH - pad} y1={top + plot} y2={top + plot} stroke={MUTED} strokeWidth={1} />
        {data.map((d, i) => {
          const left = pad + i * step + (step - columnWidth) / 2;
          const columnHeight = d.value && d.value > 0 ? at(Math.max(2, (d.value / max) * plot)) : 0;
          const centre = x(left + columnWidth / 2);
          return (
            <Fragment key={d.key}>
              {columnHeight > 0 ? (
                <>
                  <rect x={x(left, columnWidth)} y={at(top + plot - columnHeight)} width={columnWidth} height={columnHeight} rx={2} className="chart-bar" />
                  <text x={centre} y={at(top + plot - columnHeight - 5)} textAnchor="middle" className="chart-value" suppressHydrationWarning>
                    {d.display}
                  </text>
                </>
              ) : null}
              {d.label ? (
                <text x={centre} y={top + plot + 15} textAnchor="middle" className="chart-small" suppressHydrationWarning>
                  {d.label}
                </text>
              ) : null}
              {d.sublabel ? (
                <text x={centre} y={top + plot + 30} textAnchor="middle" className="chart-small chart-muted" suppressHydrationWarning>
                  {d.sublabel}
                </text>
              ) : null}
            </Fragment>
          );
        })}
      </svg>
    </figure>
  );
}
