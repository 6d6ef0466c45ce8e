/**
 * Retention of participants' personal data (issue 10): an event may say how many months after its
 * last day its participants' personal data is kept; after that the daily retention run anonymises
 * it (app/models/personal-data.server.ts). Pure date arithmetic, shared by the event page and the run.
 */

/** The bounds of an event's retention period, in months (the event form refuses anything else). */
export const RETENTION_MIN_MONTHS = 1;
export const RETENTION_MAX_MONTHS = 240;

/**
 * The calendar day `months` after `day` (YYYY-MM-DD), clamped to the end of a shorter month:
 * 2024-01-31 + 1 month = 2024-02-29.
 */
export function addMonthsToDay(day: string, months: number): string {
  const [y, m, d] = day.split("-").map(Number);
  const monthIndex = m - 1 + months;
  const year = y + Math.floor(monthIndex / 12);
  const month = ((monthIndex % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(Date.UTC(year, month, Math.min(d, lastDay))).toISOString().slice(0, 10);
}

/**
 * The last day on which an event's participants' personal data is kept: `months` after the
 * event's last day. The data is anonymised from the next day (in the event's zone) on.
 */
export function retentionLastDay(endDate: string, months: number): string {
  return addMonthsToDay(endDate, months);
}
