import { TZDate } from "@date-fns/tz";

/**
 * The one place dates, times, numbers, countries and zones are formatted for a locale (Intl).
 * Calendar dates are "YYYY-MM-DD" strings; instants are shown in the event's zone, zone named.
 */

/**
 * Server and browser carry different ICU versions, which disagree on space characters (thin,
 * narrow no-break) in dates and ranges. Plain spaces everywhere keep the server's HTML and the
 * browser's render identical (no hydration mismatch).
 */
function plain(text: string) {
  return text.replace(/[\u2009\u202f\u00a0]/g, " ");
}

/**
 * Intl objects are expensive to build (a date-time format costs far more than formatting with it)
 * and immutable: one per locale and options, kept for the life of the process (a few dozen).
 */
const cache = new Map<string, unknown>();
function cached<T>(kind: string, locale: string, options: object, make: () => T): T {
  const key = `${kind}|${locale}|${JSON.stringify(options)}`;
  let value = cache.get(key) as T | undefined;
  if (value === undefined) {
    if (cache.size >= 5000) cache.clear(); // bounded even if a caller ever passed arbitrary locales
    value = make();
    cache.set(key, value);
  }
  return value;
}
function dateTimeFormat(locale: string, options: Intl.DateTimeFormatOptions) {
  return cached("dt", locale, options, () => new Intl.DateTimeFormat(locale, options));
}

function dateFromDay(day: string) {
  const [y, m, d] = day.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d, 12));
}

export function formatDay(day: string, locale: string, style: "long" | "medium" | "short" = "medium") {
  const options: Intl.DateTimeFormatOptions =
    style === "long"
      ? { weekday: "long", day: "numeric", month: "long", year: "numeric", timeZone: "UTC" }
      : style === "medium"
        ? { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" }
        : { day: "numeric", month: "short", timeZone: "UTC" };
  return plain(dateTimeFormat(locale, options).format(dateFromDay(day)));
}

/** Formatted day ranges (formatRange is slow and lists repeat the same few): bounded, per process. */
const dayRanges = new Map<string, string>();

export function formatDayRange(start: string, end: string, locale: string) {
  const key = `${locale}|${start}|${end}`;
  const known = dayRanges.get(key);
  if (known !== undefined) return known;
  const format = dateTimeFormat(locale, { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
  const text = plain(start === end ? format.format(dateFromDay(start)) : format.formatRange(dateFromDay(start), dateFromDay(end)));
  if (dayRanges.size >= 20_000) dayRanges.clear();
  dayRanges.set(key, text);
  return text;
}

/** Zone labels repeat on every page of their event (its days' and sessions' instants): kept, like time ranges. */
const zoneLabels = new Map<string, string>();

/** "America/Nassau (EDT)": the IANA name and the abbreviation in force at that instant. */
export function zoneLabel(timeZone: string, at: Date, locale: string) {
  const key = `${locale}|${timeZone}|${+at}`;
  const known = zoneLabels.get(key);
  if (known !== undefined) return known;
  const short = dateTimeFormat(locale, { timeZone, timeZoneName: "short" })
    .formatToParts(at)
    .find((p) => p.type === "timeZoneName")?.value;
  const city = timeZone.split("/").pop()?.replace(/_/g, " ") ?? timeZone;
  const label = plain(short ? `${city} (${short})` : city);
  if (zoneLabels.size >= 20_000) zoneLabels.clear();
  zoneLabels.set(key, label);
  return label;
}

/** A time of day: the one style used alone, in ranges and in date-times ("09:00", "01:15 PM"). */
const TIME = { hour: "2-digit", minute: "2-digit" } as const;

export function formatTime(at: Date | number, timeZone: string, locale: string) {
  return plain(dateTimeFormat(locale, { ...TIME, timeZone }).format(at));
}

/** Session times repeat on every page of their event (picker, legend, timetable): kept, like day ranges. */
const timeRanges = new Map<string, string>();

/**
 * "09:00 – 10:30": both ends written as formatTime writes a time. Intl's formatRange drops the
 * two-digit hour ("1:15 – 2:30 PM" beside "01:15 PM" elsewhere), so the range is put together here;
 * in Arabic the text runs right to left with its start on the right, as the page does.
 */
export function formatTimeRange(start: Date | number, end: Date | number, timeZone: string, locale: string) {
  const key = `${locale}|${timeZone}|${+start}|${+end}`;
  const known = timeRanges.get(key);
  if (known !== undefined) return known;
  const text = `${formatTime(start, timeZone, locale)} – ${formatTime(end, timeZone, locale)}`;
  if (timeRanges.size >= 20_000) timeRanges.clear();
  timeRanges.set(key, text);
  return text;
}

export function formatDateTime(at: Date | number, timeZone: string, locale: string) {
  return plain(
    dateTimeFormat(locale, {
      day: "numeric",
      month: "short",
      year: "numeric",
      ...TIME,
      timeZone,
      timeZoneName: "short",
    }).format(at),
  );
}

/** "10 Aug 2023 17:00 Nassau (EDT)": an instant as the event's people read it, its zone named. */
export function formatDateTimeNamedZone(at: Date | number, timeZone: string, locale: string) {
  return `${formatDay(dayInZone(at, timeZone), locale)} ${formatTime(at, timeZone, locale)} ${zoneLabel(timeZone, new Date(at), locale)}`;
}

/** A session's day and hours in the event's zone, the zone named: "10 Aug 2023 09:00 – 10:30 Nassau (EDT)". */
export function formatSessionTime(start: Date | number, end: Date | number, timeZone: string, locale: string) {
  return `${formatDay(dayInZone(start, timeZone), locale)} ${formatTimeRange(start, end, timeZone, locale)} ${zoneLabel(timeZone, new Date(start), locale)}`;
}

/** The calendar day (YYYY-MM-DD) of an instant in a zone. */
export function dayInZone(at: Date | number, timeZone: string) {
  const d = new TZDate(typeof at === "number" ? at : at.getTime(), timeZone);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

/** Country names per language (a filter lists a hundred of them on every page). */
const countryNames = new Map<string, string>();

export function countryName(code: string | null | undefined, locale: string) {
  if (!code) return "";
  const key = `${locale}|${code}`;
  let name = countryNames.get(key);
  if (name === undefined) {
    try {
      name = cached("dn", locale, {}, () => new Intl.DisplayNames([locale], { type: "region" })).of(code.toUpperCase()) ?? code;
    } catch {
      name = code;
    }
    if (countryNames.size >= 5000) countryNames.clear();
    countryNames.set(key, name);
  }
  return name;
}

/**
 * A place as one line ("Training Hall, Manama, Bahrain"): the parts given, in order, each said
 * once — a venue often already ends with its town ("…Training Hall, Manama"), which is then not repeated.
 */
export function placeLine(parts: (string | null | undefined)[]) {
  const said = new Set<string>();
  const kept: string[] = [];
  for (const part of parts) {
    const pieces = (part ?? "").split(",").map((p) => p.trim()).filter(Boolean);
    const fresh = pieces.filter((p) => !said.has(p.toLocaleLowerCase()));
    if (fresh.length === 0) continue;
    kept.push(fresh.join(", "));
    for (const p of pieces) said.add(p.toLocaleLowerCase());
  }
  return kept.join(", ");
}

/** One number format per language, found without building a cache key (pages format hundreds of numbers). */
const numberFormats = new Map<string, Intl.NumberFormat>();

export function formatNumber(value: number, locale: string) {
  let format = numberFormats.get(locale);
  if (format === undefined) {
    format = cached("nf", locale, {}, () => new Intl.NumberFormat(locale));
    if (numberFormats.size >= 100) numberFormats.clear();
    numberFormats.set(locale, format);
  }
  return plain(format.format(value));
}

export function formatList(items: string[], locale: string) {
  return plain(cached("lf", locale, {}, () => new Intl.ListFormat(locale, { style: "long", type: "conjunction" })).format(items));
}

/**
 * "Aug" / "Aug 2023" for a YYYY-MM month. (Belongs with the other formatters in app/lib/format.ts;
 * kept here until that file can take it.)
 */
export function formatMonth(month: string, locale: string, withYear = false) {
  const [y, m] = month.split("-").map(Number);
  const options: Intl.DateTimeFormatOptions = withYear ? { month: "short", year: "numeric", timeZone: "UTC" } : { month: "short", timeZone: "UTC" };
  return plain(dateTimeFormat(locale, options).format(new Date(Date.UTC(y, m - 1, 15, 12))));
}

export function formatYear(year: string, locale: string) {
  return plain(dateTimeFormat(locale, { year: "numeric", timeZone: "UTC" }).format(new Date(Date.UTC(Number(year), 5, 15, 12))));
}

/**
 * A person's name as pages show it. An anonymised person (retention or erasure) keeps a neutral
 * placeholder in the database ("Anonymised participant" "#12"); pages that know it show it in
 * the reader's language instead.
 */
export function personName(
  person: { id: number; givenName: string; familyName: string; anonymised?: boolean | number | null },
  t: (key: "personalData.anonymisedName", options: { id: number }) => string,
) {
  return person.anonymised ? t("personalData.anonymisedName", { id: person.id }) : `${person.givenName} ${person.familyName}`;
}

/**
 * A wait before trying again, "in 5 seconds" / "in 15 minutes" in the user's language (Intl knows
 * every language's plural forms); over a minute it is rounded up to whole minutes.
 */
export function formatWait(seconds: number, locale: string) {
  const format = cached("rt", locale, {}, () => new Intl.RelativeTimeFormat(locale, { numeric: "always" }));
  const whole = Math.max(1, Math.ceil(seconds));
  return plain(whole < 60 ? format.format(whole, "second") : format.format(Math.ceil(whole / 60), "minute"));
}
