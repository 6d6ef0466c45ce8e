import { eq, max, min } from "drizzle-orm";
import { firstRow, type DB } from "../../db/client";
import { eventSessions } from "../../db/schema";
import { zonedToUtc } from "~/lib/zoned";

type Reader = Pick<DB, "select">;

function nextDay(day: string) {
  const d = new Date(`${day}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/**
 * When an event really begins and ends: its first session's start and its last session's end
 * (breaks included: the day is not over before its last slot). An event without a timetable runs
 * from midnight of its first day to midnight after its last day, in its own zone.
 */
export async function eventPeriod(db: Reader, event: { id: number; startDate: string; endDate: string; timeZone: string }) {
  const row = firstRow(await db
    .select({ first: min(eventSessions.startsAt), last: max(eventSessions.endsAt) })
    .from(eventSessions)
    .where(eq(eventSessions.eventId, event.id)).limit(1));
  return {
    startsAt: row?.first ?? zonedToUtc(event.startDate, "00:00", event.timeZone),
    endsAt: row?.last ?? zonedToUtc(nextDay(event.endDate), "00:00", event.timeZone),
    /** midnight starting the first day, in the event's zone */
    firstDayStartsAt: zonedToUtc(event.startDate, "00:00", event.timeZone),
  };
}
