import type { Role } from "~/lib/domain";

/**
 * What each role can reach (DOMAIN.md, "Who uses it"). The navigation shows exactly this, and
 * route checks use the same lists, so a link is never shown to someone who would get a 403.
 */
export const AREA_ROLES = {
  events: ["admin", "coordinator", "facilitator", "participant", "partner", "donor"],
  manageEvents: ["admin", "coordinator"],
  people: ["admin", "coordinator"],
  programmes: ["admin", "coordinator"],
  organisations: ["admin", "coordinator"],
  followUps: ["admin", "coordinator", "partner"],
  /** /action-plans: a participant's own plans, a partner's agency, every agency for coordinators (donors: counts in reports only) */
  actionPlans: ["admin", "coordinator", "partner", "participant"],
  reports: ["admin", "coordinator", "donor", "partner"],
  me: ["participant"],
  admin: ["admin"],
} as const satisfies Record<string, readonly Role[]>;

export type Area = keyof typeof AREA_ROLES;

export function canReach(role: Role, area: Area): boolean {
  return (AREA_ROLES[area] as readonly Role[]).includes(role);
}
