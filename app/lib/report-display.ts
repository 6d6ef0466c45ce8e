import type { TFunction } from "i18next";
import { countryName, formatNumber } from "./format";
import { keptFiller } from "./labels";

/**
 * How the activity report's values read, the same on the page, in the CSV and in the PDF.
 * Types mirror app/models/reports.server.ts (kept here so that client code imports no server module).
 */
export type ReportCount = number | "small";
export type ReportRate = number | null;
export type ReportDimension = "sex" | "role" | "organisation" | "nationality" | "type" | "status" | "item" | "followUp";

/** "<5" for a count of 1–4, else the number. */
export function countText(count: ReportCount, t: TFunction, locale: string) {
  if (count === "small") return t("reportPrivacy.small");
  return formatNumber(count, locale);
}

/** A share as a percentage with one decimal ("72.2%"); "—" when not shown. */
export function rateText(rate: ReportRate, t: TFunction, locale: string) {
  if (rate === null) return t("reportPrivacy.noRate");
  return percent(t, formatNumber(Math.round(rate * 1000) / 10, locale));
}

/** A mean score in percent ("48.5%", protected views "50%"); "—" when not shown. */
export function scoreText(score: number | null, t: TFunction, locale: string) {
  if (score === null) return t("reportPrivacy.noRate");
  return percent(t, formatNumber(score, locale));
}

/** "48.5%", "48,5 %", "48.5٪": a report shows a hundred of them. */
function percent(t: TFunction, value: string) {
  return keptFiller(t, "reports.percent", ["value"])({ value });
}

/** A gain in percentage points, signed ("+31.5 points", or "+31.5" in a table whose header says points); "—" when not shown. */
export function gainText(gain: number | null, t: TFunction, locale: string, options: { bare?: boolean } = {}) {
  if (gain === null) return t("reportPrivacy.noRate");
  // the sign stays before the number in right-to-left text too (a left-to-right isolate)
  const value = `\u2066${gain > 0 ? "+" : gain < 0 ? "−" : ""}${formatNumber(Math.abs(gain), locale)}\u2069`;
  return options.bare ? value : t("reports.learning.points", { value });
}

/** The percentage as a number with one decimal (CSV cells), or null. */
export function ratePercent(rate: ReportRate) {
  return rate === null ? null : Math.round(rate * 1000) / 10;
}

/** The label of a breakdown line, in the reader's language. */
export function lineLabel(dimension: ReportDimension, line: { key: string; name?: string | null }, t: TFunction, locale: string): string {
  if (line.key === "") return t("reports.notRecorded");
  switch (dimension) {
    case "sex":
      return t(`sex.${line.key}` as "sex.female", { defaultValue: line.key });
    case "role":
      return t(`roleCategory.${line.key}` as "roleCategory.other", { defaultValue: line.key });
    case "organisation":
      return line.name ?? t("reports.notRecorded");
    case "nationality":
      return countryName(line.key, locale);
    case "type":
      return t(`eventType.${line.key}` as "eventType.other", { defaultValue: line.key });
    case "status":
      return t(`eventStatus.${line.key}` as "eventStatus.draft", { defaultValue: line.key });
    case "item":
      return t(`reports.itemStatus.${line.key}` as "reports.itemStatus.planned", { defaultValue: line.key });
    case "followUp":
      return t(`reports.followUpStatus.${line.key}` as "reports.followUpStatus.received", { defaultValue: line.key });
  }
}

function plain(text: string) {
  return text.replace(/[\u2009\u202f\u00a0]/g, " ");
}

