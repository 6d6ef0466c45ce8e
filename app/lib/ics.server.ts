import { createEvents, type EventAttributes } from "ics";
import { now } from "~/lib/clock";
import { countryName, placeLine } from "~/lib/format";

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
export type CalendarEvent = { id: number; title: string; status: string; venue: string | null; locality: string | null; country: string };

/** A session just removed, listed as CANCELLED under its old UID. */
export type RemovedSession = { id: number; title: string; startsAt: Date; endsAt: Date; room?: string | null };

function utcParts(at: Date): [number, number, number, number, number] {
  return [at.getUTCFullYear(), at.getUTCMonth() + 1, at.getUTCDate(), at.getUTCHours(), at.getUTCMinutes()];
}

/** A later edit carries a higher sequence, so calendars take the update. */
function sequenceOf(at: Date) {
  return Math.max(0, Math.floor((at.getTime() - Date.UTC(2020, 0, 1)) / 1000));
}

/** A TEXT value (RFC 5545 §3.3.11): backslashes, semicolons, commas and line breaks escaped. */
export function icsText(value: string) {
  return value.replace(/\r\n?/g, "\n").replace(/[\\;,\n]/g, (c) => (c === "\n" ? "\\n" : `\\${c}`));
}

const MAX_OCTETS = 75;

/**
 * Fold a content line (RFC 5545 §3.1): at most 75 octets per line, continuation lines starting
 * with a space (which counts), and never inside a UTF-8 sequence — nor inside a character made of
 * a surrogate pair, since a line is cut between whole code points.
 */
export function foldLine(line: string) {
  const out: string[] = [];
  let current = "";
  let octets = 0;
  for (const ch of line) {
    const size = Buffer.byteLength(ch, "utf8");
    if (octets + size > MAX_OCTETS) {
      out.push(current);
      current = " ";
      octets = 1;
    }
    current += ch;
    octets += size;
  }
  out.push(current);
  return out.join("\r\n");
}

/** One session of one event, as a calendar that mixes events (a person's feed) lists it. */
export type CalendarEntry = { event: CalendarEvent; session: CalendarSession };

/**
 * An iCalendar file: one VEVENT per session in UTC, with a UID that stays the same for a session
 * (importing again, or a subscribed calendar's next fetch, updates instead of duplicating), a
 * SEQUENCE and LAST-MODIFIED that grow with each change, the session's title, the event's title in
 * the description, and room, venue, locality and country as the location (each said once). Holds
 * no personal data. Sessions just removed can be listed as CANCELLED under their old UID.
 */
export function calendarIcs(name: string, entries: CalendarEntry[], appUrl: string, removed: (RemovedSession & { event: CalendarEvent })[] = []): string {
  const host = new URL(appUrl).host;
  // the calendar is one file for readers of every language: the country in English
  const locationOf = (event: CalendarEvent, room: string | null | undefined) => placeLine([room, event.venue, event.locality, countryName(event.country, "en")]);
  const common = (event: CalendarEvent, id: number) => ({
    uid: `event-${event.id}-session-${id}@${host}`,
    startInputType: "utc" as const,
    startOutputType: "utc" as const,
    endInputType: "utc" as const,
    endOutputType: "utc" as const,
    url: `${appUrl}/events/${event.id}/sessions`,
    productId: "convene/ics",
  });
  const items: EventAttributes[] = [
    ...entries.map(({ event, session: s }) => ({
      ...common(event, s.id),
      title: s.title,
      description: [event.title, s.description].filter(Boolean).join("\n\n"),
      location: locationOf(event, s.room),
      start: utcParts(s.startsAt),
      end: utcParts(s.endsAt),
      sequence: sequenceOf(s.updatedAt),
      lastModified: utcParts(s.updatedAt),
      status: event.status === "cancelled" ? ("CANCELLED" as const) : ("CONFIRMED" as const),
    })),
    ...removed.map((s) => ({
      ...common(s.event, s.id),
      title: s.title,
      description: s.event.title,
      location: locationOf(s.event, s.room),
      start: utcParts(s.startsAt),
      end: utcParts(s.endsAt),
      sequence: sequenceOf(now()),
      status: "CANCELLED" as const,
    })),
  ];
  // The library neither escapes the calendar's name nor folds by octets: it writes the events,
  // and the name and the folding are done here.
  const { error, value } = createEvents(items, { productId: "convene/ics" });
  if (error || typeof value !== "string") throw error ?? new Error("calendar could not be written");
  const lines = value.replace(/\r\n[ \t]/g, "").split("\r\n");
  const at = lines.findIndex((l) => l.startsWith("PRODID:"));
  lines.splice(at + 1, 0, `X-WR-CALNAME:${icsText(name)}`);
  return lines.map((l) => (l ? foldLine(l) : l)).join("\r\n");
}

/** The event's sessions as an iCalendar file (the download and the emails' attachment). */
export function eventCalendarIcs(event: CalendarEvent, sessions: CalendarSession[], appUrl: string, removed: RemovedSession[] = []): string {
  return calendarIcs(
    event.title,
    sessions.map((session) => ({ event, session })),
    appUrl,
    removed.map((r) => ({ ...r, event })),
  );
}
