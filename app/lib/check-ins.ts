/**
 * Action-plan check-ins (issue 7): an event says after how many days (counted from its last day)
 * the check-in reminders go to participants whose plans still have open items
 * (events.check_in_days, read by sendActionPlanReminders). Pure helpers shared by the event form's
 * schema, the event pages and the model; no server code.
 */

/** What a new event gets unless the coordinator changes it. */
export const DEFAULT_CHECK_IN_DAYS: readonly number[] = [30, 60, 90];
export const CHECK_IN_MIN_DAYS = 1;
/** two years after the event */
export const CHECK_IN_MAX_DAYS = 730;
export const CHECK_IN_MAX_COUNT = 6;

/** The message keys of the event form (events.form.errors.*). */
export const CHECK_IN_ERRORS = {
  number: "events.form.errors.checkInNumber",
  range: "events.form.errors.checkInRange",
  duplicate: "events.form.errors.checkInDuplicate",
  count: "events.form.errors.checkInCount",
} as const;

export type CheckInParse = { ok: true; days: number[] } | { ok: false; error: (typeof CHECK_IN_ERRORS)[keyof typeof CHECK_IN_ERRORS] };

const EASTERN_DIGITS = /[\u0660-\u0669\u06F0-\u06F9]/g;

/**
 * "30, 60, 90" → [30, 60, 90]. Numbers may be separated by commas (Latin or Arabic), semicolons or
 * spaces and written with Arabic-Indic digits; the result is sorted. Empty means no check-ins.
 * Refused: anything but whole numbers, a number outside 1–730, the same number twice, more than 6.
 */
export function parseCheckInDays(text: string): CheckInParse {
  const normalised = text
    .replace(EASTERN_DIGITS, (d) => String((d.charCodeAt(0) - (d.charCodeAt(0) >= 0x06f0 ? 0x06f0 : 0x0660)) % 10))
    .replace(/\u2212/g, "-")
    .trim();
  if (normalised === "") return { ok: true, days: [] };
  const tokens = normalised.split(/[\s,;\u060C\u061B]+/).filter(Boolean);
  if (!tokens.every((token) => /^[+-]?\d{1,9}$/.test(token))) return { ok: false, error: CHECK_IN_ERRORS.number };
  const days = tokens.map(Number);
  if (days.some((n) => n < CHECK_IN_MIN_DAYS || n > CHECK_IN_MAX_DAYS)) return { ok: false, error: CHECK_IN_ERRORS.range };
  if (new Set(days).size !== days.length) return { ok: false, error: CHECK_IN_ERRORS.duplicate };
  if (days.length > CHECK_IN_MAX_COUNT) return { ok: false, error: CHECK_IN_ERRORS.count };
  return { ok: true, days: [...days].sort((a, b) => a - b) };
}

/** [30, 60, 90] → "30, 60, 90", as the event form shows it. */
export function checkInDaysText(days: readonly number[]) {
  return days.join(", ");
}

/** The calendar day `days` after the event's last day (YYYY-MM-DD), when that check-in is due. */
export function checkInDay(endDate: string, days: number) {
  const d = new Date(`${endDate}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
