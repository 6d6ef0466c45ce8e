import { z } from "zod";
import { EVENT_ROLES, REGISTRATION_STATUSES, ROLE_CATEGORIES, SEXES } from "../domain";
import { idNumber } from "../params";

/** The roster's filters, from the query string (nonsense is ignored). */
export const rosterFiltersSchema = z.object({
  eventRole: z.enum(EVENT_ROLES).optional().catch(undefined),
  status: z.enum(REGISTRATION_STATUSES).optional().catch(undefined),
  roleCategory: z.enum(ROLE_CATEGORIES).optional().catch(undefined),
  organisationId: idNumber.optional().catch(undefined),
  sex: z.enum(SEXES).optional().catch(undefined),
  q: z.string().trim().max(200).optional().catch(undefined),
});

export function parseRosterFilters(url: URL) {
  return rosterFiltersSchema.parse(Object.fromEntries([...url.searchParams].filter(([, v]) => v !== "")));
}
