import { TZDate } from "@date-fns/tz";
import ct from "countries-and-timezones";
import { zoneLabel } from "./format";

/**
 * Wall-clock times in an event's zone ⇄ UTC instants. Sessions are entered and shown as
 * "2023-08-09 09:00 in America/Nassau" and stored as UTC milliseconds; the conversion uses the
 * zone's rules on that day, so daylight-saving changes never shift a session.
 */
export function zonedToUtc(day: string, time: string, timeZone: string): Date {
  const [y, m, d] = day.split("-").map(Number);
  const [hh, mm] = time.split(":").map(Number);
  return new Date(new TZDate(y, m - 1, d, hh, mm, 0, timeZone).getTime());
}

/** The day (YYYY-MM-DD) and time (HH:MM) of an instant in a zone. */
export function utcToZoned(at: Date | number, timeZone: string): { day: string; time: string } {
  const z = new TZDate(typeof at === "number" ? at : at.getTime(), timeZone);
  const pad = (n: number) => String(n).padStart(2, "0");
  return {
    day: `${z.getFullYear()}-${pad(z.getMonth() + 1)}-${pad(z.getDate())}`,
    time: `${pad(z.getHours())}:${pad(z.getMinutes())}`,
  };
}

/** Whether a wall-clock time exists in the zone on that day (not skipped by a spring-forward change). */
export function wallClockExists(day: string, time: string, timeZone: string) {
  const back = utcToZoned(zonedToUtc(day, time, timeZone), timeZone);
  return back.day === day && back.time === time;
}

let zones: Set<string> | undefined;
function zoneSet() {
  zones ??= new Set(
    [...Intl.supportedValuesOf("timeZone"), ...Object.keys(ct.getAllTimezones({ deprecated: true }))].filter(
      (z) => z === "UTC" || /^(Africa|America|Antarctica|Arctic|Asia|Atlantic|Australia|Europe|Indian|Pacific)\//.test(z),
    ),
  );
  return zones;
}

/** Whether a name is an IANA zone (e.g. America/Nassau), not an offset or an abbreviation. */
export function isIanaZone(name: string): boolean {
  return zoneSet().has(name);
}

/** All zones, for a select list. */
export function allZones(): string[] {
  return [...zoneSet()].sort();
}

/** ISO 3166-1 alpha-2 codes of every country. */
export function countryCodes(): string[] {
  return Object.keys(ct.getAllCountries()).sort();
}

export function isCountryCode(code: string) {
  return /^[A-Z]{2}$/.test(code) && Boolean(ct.getCountry(code));
}

/** Countries spanning several zones: the zone where their capital (and most trainings) is. */
const MAIN_ZONE: Record<string, string> = {
  US: "America/New_York", CA: "America/Toronto", RU: "Europe/Moscow", AU: "Australia/Sydney",
  BR: "America/Sao_Paulo", MX: "America/Mexico_City", ID: "Asia/Jakarta", KZ: "Asia/Almaty",
  AR: "America/Argentina/Buenos_Aires", CL: "America/Santiago", EC: "America/Guayaquil",
  ES: "Europe/Madrid", PT: "Europe/Lisbon", CD: "Africa/Kinshasa", DE: "Europe/Berlin",
  MN: "Asia/Ulaanbaatar", UA: "Europe/Kyiv", GB: "Europe/London", NZ: "Pacific/Auckland",
  MY: "Asia/Kuala_Lumpur", CY: "Asia/Nicosia", GL: "America/Nuuk", FR: "Europe/Paris",
  NL: "Europe/Amsterdam", DK: "Europe/Copenhagen", NO: "Europe/Oslo", CN: "Asia/Shanghai",
  UZ: "Asia/Tashkent", PG: "Pacific/Port_Moresby", KI: "Pacific/Tarawa", FM: "Pacific/Pohnpei",
  PF: "Pacific/Tahiti", MH: "Pacific/Majuro", UM: "Pacific/Wake", AQ: "Antarctica/McMurdo",
};

/** The country's main zone: BS → America/Nassau, BH → Asia/Bahrain, SN → Africa/Dakar. */
export function mainZoneOf(country: string): string | null {
  const code = country.toUpperCase();
  if (MAIN_ZONE[code]) return MAIN_ZONE[code];
  const candidates = ct.getTimezonesForCountry(code, { deprecated: true }) ?? [];
  const own = candidates.find((z) => isIanaZone(z.name) && z.countries.length === 1 && z.countries[0] === code);
  return own?.name ?? candidates.find((z) => isIanaZone(z.name))?.name ?? null;
}

/** Zones of a country (its own names first), shown at the top of the zone list. */
export function zonesOf(country: string): string[] {
  const candidates = ct.getTimezonesForCountry(country.toUpperCase(), { deprecated: true }) ?? [];
  const names = candidates.map((z) => z.name).filter(isIanaZone);
  const main = mainZoneOf(country);
  return [...new Set([...(main ? [main] : []), ...names])];
}

/** What a timetable says of its zone: the zone named at the top, and a note on each day the clocks change. */
export type TimetableZones = {
  /** the zone of the first session (of the first day's noon without sessions) */
  first: string;
  /**
   * per day: "from" — every session of the day is in a zone other than the days before ("from
   * this day, times are in …"); "within" — the clocks change between the day's sessions, so each
   * of its times names its own zone.
   */
  notes: Map<string, { kind: "from"; zone: string } | { kind: "within" }>;
};

/**
 * Where a timetable must name a zone. A day's zone is read from its sessions' own instants, never
 * from a fixed hour: on the night the clocks go back, a session at 01:00 is still in daylight time.
 */
export function timetableZones(days: string[], sessionStarts: Map<string, (Date | number)[]>, timeZone: string, locale: string): TimetableZones {
  const zonesOf = (day: string) => {
    const starts = sessionStarts.get(day) ?? [];
    const at = starts.length > 0 ? starts : [zonedToUtc(day, "12:00", timeZone)];
    return [...new Set(at.map((a) => zoneLabel(timeZone, new Date(a), locale)))];
  };
  const notes: TimetableZones["notes"] = new Map();
  const first = days.length > 0 ? zonesOf(days[0])[0] : "";
  let current = first;
  days.forEach((day, index) => {
    const zones = zonesOf(day);
    if (zones.length > 1) notes.set(day, { kind: "within" });
    else if (index > 0 && zones[0] !== current) notes.set(day, { kind: "from", zone: zones[0] });
    current = zones.at(-1)!;
  });
  return { first, notes };
}
