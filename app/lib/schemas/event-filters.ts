import { z } from "zod";
import { EVENT_STATUSES } from "../domain";
import { EVENT_NEEDS } from "../needs";
import { idNumber } from "../params";

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/** The events list's filters, from the query string. Nonsense values are ignored, never an error page. */
export const eventFiltersSchema = z.object({
  when: z.enum(["upcoming", "ongoing", "past", "all"]).catch("all"),
  programmeId: idNumber.optional().catch(undefined),
  country: z.string().regex(/^[A-Z]{2}$/).optional().catch(undefined),
  status: z.enum(EVENT_STATUSES).optional().catch(undefined),
  q: z.string().trim().max(200).optional().catch(undefined),
  from: day.optional().catch(undefined),
  to: day.optional().catch(undefined),
  gcmObjectiveId: z.coerce.number().int().min(1).max(23).optional().catch(undefined),
  /** what waits for a coordinator (app/lib/needs.ts): ignored for other roles */
  needs: z.enum(EVENT_NEEDS).optional().catch(undefined),
  page: z.coerce.number().int().positive().max(100000).catch(1),
});

export function parseEventFilters(url: URL) {
  const raw = Object.fromEntries([...url.searchParams].filter(([, v]) => v !== ""));
  return eventFiltersSchema.parse(raw);
}
