import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { apiHandler, apiJson, decodeCursor, encodeCursor, problem } from "~/lib/api.server";
import { parseEventFilters } from "~/lib/schemas/event-filters";
import { apiEventPage } from "~/models/events.server";

/** Events a page at most, and by default. */
export const API_PAGE_MAX = 100;
const API_PAGE_DEFAULT = 50;

/**
 * GET /api/v1/events: the events the token's user may see, with the filters of /events (when,
 * programmeId, country, status, q, from, to, gcmObjectiveId), a page at a time in id order:
 * `cursor` from the previous page's `next`, `limit` 1–100.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  return apiHandler(request, {}, async (actor, headers) => {
    const url = new URL(request.url);
    const cursor = decodeCursor(url.searchParams.get("cursor"));
    if (cursor === "invalid") return problem(400, "bad-cursor", "The cursor is not valid", "Use the `next` cursor of a previous page, unchanged.", {}, headers);
    const limitParam = url.searchParams.get("limit");
    const limit = limitParam === null ? API_PAGE_DEFAULT : Number(limitParam);
    if (!Number.isInteger(limit) || limit < 1 || limit > API_PAGE_MAX) {
      return problem(400, "bad-limit", "The limit is not valid", `limit is a whole number from 1 to ${API_PAGE_MAX}.`, {}, headers);
    }
    const filters = parseEventFilters(url);
    const page = await apiEventPage(actor.user, { ...filters, page: undefined }, cursor, limit);
    const last = page.events.at(-1);
    return apiJson(request, { data: page.events, protected: page.protected, next: page.more && last ? encodeCursor(last.id) : null }, headers);
  });
}

export async function action({ request }: ActionFunctionArgs) {
  return problem(405, "method-not-allowed", "Method not allowed", "Events are read here; creating them through the API is not available yet.", {}, { Allow: "GET" });
}
