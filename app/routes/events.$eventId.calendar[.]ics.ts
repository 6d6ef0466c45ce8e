import type { LoaderFunctionArgs } from "@remix-run/node";
import { createEvents, type EventAttributes } from "ics";
import { requireUser } from "~/auth/session.server";
import { config } from "~/config.server";
import { idParam } from "~/lib/params";
import { eventCalendar } from "~/models/events.server";

function utcParts(at: Date): [number, number, number, number, number] {
  return [at.getUTCFullYear(), at.getUTCMonth() + 1, at.getUTCDate(), at.getUTCHours(), at.getUTCMinutes()];
}

/**
 * One VEVENT per session in UTC, with a UID that stays the same for a session, so importing the
 * file again updates the calendar instead of duplicating it. Anyone who may see the event may
 * download it; it holds no personal data.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const eventId = idParam(params.eventId);
  const { event, sessions } = eventCalendar(user, eventId);
  const host = new URL(config().appUrl).host;
  const place = [event.venue, event.locality].filter(Boolean).join(", ");
  const items: EventAttributes[] = sessions.map((s) => ({
    uid: `event-${event.id}-session-${s.id}@${host}`,
    title: s.title,
    description: [event.title, s.description].filter(Boolean).join("\n\n"),
    location: [s.room, place].filter(Boolean).join(", "),
    start: utcParts(s.startsAt),
    end: utcParts(s.endsAt),
    startInputType: "utc",
    startOutputType: "utc",
    endInputType: "utc",
    endOutputType: "utc",
    // a later edit of the session carries a higher sequence, so calendars take the update
    sequence: Math.max(0, Math.floor((s.updatedAt.getTime() - Date.UTC(2020, 0, 1)) / 1000)),
    url: `${config().appUrl}/events/${event.id}/sessions`,
    status: event.status === "cancelled" ? "CANCELLED" : "CONFIRMED",
    calName: event.title,
    productId: "convene/ics",
  }));
  const { error, value } = createEvents(items.length > 0 ? items : [], { calName: event.title, productId: "convene/ics" });
  if (error || value === undefined) throw error ?? new Error("calendar could not be written");
  return new Response(value, {
    headers: {
      "Content-Type": "text/calendar; charset=utf-8",
      "Content-Disposition": `attachment; filename="event-${event.id}.ics"`,
      "Cache-Control": "no-store",
    },
  });
}
