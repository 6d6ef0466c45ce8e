import { createEvents, type EventAttributes } from "ics";
import { now } from "~/lib/clock";

/**
 * The one iCalendar writer: /events/:id/calendar.ics and the .ics attached to reminders and
 * timetable-change emails are both this function's output.
 */

/** A session as the calendar needs it. */
export type CalendarSession = {
  id: number;
  title: string;
  startsAt: Date;
  endsAt: Date;
  room: string | null;
  description: string | null;
  updatedAt: Date;
};

/** The event as the calendar needs it. */
export type CalendarEvent = { id: number; title: string; status: string; venue: string | null; locality: string | null };

/** A session just removed, listed as CANCELLED under its old UID. */
export type RemovedSession = { id: number; title: string; startsAt: Date; endsAt: Date; room?: string | null };

function utcParts(at: Date): [number, number, number, number, number] {
  return [at.getUTCFullYear(), at.getUTCMonth() + 1, at.getUTCDate(), at.getUTCHours(), at.getUTCMinutes()];
}

/** A later edit carries a higher sequence, so calendars take the update. */
function sequenceOf(at: Date) {
  return Math.max(0, Math.floor((at.getTime() - Date.UTC(2020, 0, 1)) / 1000));
}

/**
 * The event's sessions as an iCalendar file: one VEVENT per session in UTC, with a UID that stays
 * the same for a session (importing again updates instead of duplicating), the session's title,
 * the event's title in the description, and room and venue as the location. Holds no personal
 * data. A session just removed can be listed as CANCELLED under its old UID.
 */
export function eventCalendarIcs(event: CalendarEvent, sessions: CalendarSession[], appUrl: string, removed: RemovedSession[] = []): string {
  const host = new URL(appUrl).host;
  const place = [event.venue, event.locality].filter(Boolean).join(", ");
  const common = (id: number) => ({
    uid: `event-${event.id}-session-${id}@${host}`,
    startInputType: "utc" as const,
    startOutputType: "utc" as const,
    endInputType: "utc" as const,
    endOutputType: "utc" as const,
    url: `${appUrl}/events/${event.id}/sessions`,
    calName: event.title,
    productId: "convene/ics",
  });
  const items: EventAttributes[] = [
    ...sessions.map((s) => ({
      ...common(s.id),
      title: s.title,
      description: [event.title, s.description].filter(Boolean).join("\n\n"),
      location: [s.room, place].filter(Boolean).join(", "),
      start: utcParts(s.startsAt),
      end: utcParts(s.endsAt),
      sequence: sequenceOf(s.updatedAt),
      status: event.status === "cancelled" ? ("CANCELLED" as const) : ("CONFIRMED" as const),
    })),
    ...removed.map((s) => ({
      ...common(s.id),
      title: s.title,
      description: event.title,
      location: [s.room, place].filter(Boolean).join(", "),
      start: utcParts(s.startsAt),
      end: utcParts(s.endsAt),
      sequence: sequenceOf(now()),
      status: "CANCELLED" as const,
    })),
  ];
  const { error, value } = createEvents(items, { calName: event.title, productId: "convene/ics" });
  if (error || typeof value !== "string") throw error ?? new Error("calendar could not be written");
  return value;
}
