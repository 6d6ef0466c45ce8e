/**
 * What waits for a coordinator now, event by event: each need is a count on the home page and a
 * filter of the events list (`/events?needs=…`) that lists exactly the events counted. Pure
 * vocabulary shared by the filter schema, the home page and the list; the SQL is in
 * app/models/needs.server.ts.
 */
export const EVENT_NEEDS = ["approvals", "noFacilitator", "fewRegistrations", "certificates", "plansToReview", "checkIns"] as const;
export type EventNeed = (typeof EVENT_NEEDS)[number];

/** Events starting within this many days are checked for a facilitator and for registrations. */
export const STARTING_SOON_DAYS = 14;
/** "Few registrations": fewer confirmed participants than half the capacity (or than half of this without one). */
export const FEW_REGISTRATIONS_DEFAULT_CAPACITY = 20;

/** The event tab where a need is dealt with (the events list links each row there). */
export function needTab(need: EventNeed, eventId: number): string {
  switch (need) {
    case "approvals":
      return `/events/${eventId}/roster`;
    case "fewRegistrations":
      return `/events/${eventId}/roster`;
    case "noFacilitator":
      return `/events/${eventId}/sessions`;
    case "certificates":
      return `/events/${eventId}/certificates`;
    case "plansToReview":
    case "checkIns":
      return `/events/${eventId}/action-plans`;
  }
}
