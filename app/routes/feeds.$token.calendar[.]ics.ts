import type { LoaderFunctionArgs } from "@remix-run/node";
import { hit, LIMITS, limitReached, tooManyRequests } from "~/auth/rate-limit.server";
import { clientIp } from "~/auth/session.server";
import { config } from "~/config.server";
import { feedCalendar } from "~/models/calendar-feeds.server";

/**
 * A private calendar feed (app/models/calendar-feeds.server.ts), fetched by calendar apps: no
 * session cookie, no sign-in redirect, the token in the address is the credential. An address
 * that leads nowhere (never made, reset, its owner disabled or no longer allowed) gets one plain
 * 404 that says nothing more; an address that keeps asking for unknown tokens is stopped for a
 * while (the tokens have 256 bits: the limit only spares the database).
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const key = `ip:feed-token:${clientIp(request) || "unknown"}`;
  const wait = await limitReached(key, LIMITS.unknownFeedTokensPerIp);
  if (wait > 0) throw tooManyRequests(wait);
  const feed = await feedCalendar(params.token ?? "", config().appUrl);
  if (!feed) {
    await hit(key, LIMITS.unknownFeedTokensPerIp);
    return new Response("Not found", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store", "X-Robots-Tag": "noindex" } });
  }
  return new Response(feed.body, {
    headers: {
      "Content-Type": "text/calendar; charset=utf-8",
      "Content-Disposition": 'inline; filename="convene.ics"',
      // personal data of a kind (who attends what): never kept by a shared cache
      "Cache-Control": "no-store",
      "X-Robots-Tag": "noindex",
    },
  });
}
