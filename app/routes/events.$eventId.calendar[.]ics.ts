import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/auth/session.server";
import { config } from "~/config.server";
import { eventCalendarIcs } from "~/lib/ics.server";
import { idParam } from "~/lib/params";
import { eventCalendar } from "~/models/events.server";
import { contentDisposition } from "~/lib/file-names";

/**
 * The event's sessions as an .ics file (the same writer as the emails' attachment,
 * app/lib/ics.server.ts). Anyone who may see the event may download it; it holds no personal data.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const eventId = idParam(params.eventId);
  const { event, sessions } = await eventCalendar(user, eventId);
  const value = eventCalendarIcs(event, sessions, config().appUrl);
  return new Response(value, {
    headers: {
      "Content-Type": "text/calendar; charset=utf-8",
      "Content-Disposition": contentDisposition(`event-${event.id}.ics`),
      "Cache-Control": "no-store",
    },
  });
}
