import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { matchPath } from "@remix-run/react";
import { apiHandler, problem } from "~/lib/api.server";
import * as certificate from "./api.v1.certificates.$code";
import * as events from "./api.v1.events";
import * as event from "./api.v1.events_.$eventId";
import * as actionPlans from "./api.v1.events_.$eventId_.action-plans";
import * as actionPlan from "./api.v1.events_.$eventId_.action-plans_.$planId";
import * as attendance from "./api.v1.events_.$eventId_.attendance";
import * as certificates from "./api.v1.events_.$eventId_.certificates";
import * as evaluation from "./api.v1.events_.$eventId_.evaluation";
import * as registrations from "./api.v1.events_.$eventId_.registrations";
import * as registration from "./api.v1.events_.$eventId_.registrations_.$registrationId";
import * as sessions from "./api.v1.events_.$eventId_.sessions";
import * as session from "./api.v1.events_.$eventId_.sessions_.$sessionId";
import * as sessionAttendance from "./api.v1.events_.$eventId_.sessions_.$sessionId_.attendance";
import * as followUps from "./api.v1.follow-ups";
import * as followUp from "./api.v1.follow-ups_.$requestId";
import * as openapiJson from "./api.v1.openapi[.]json";
import * as organisations from "./api.v1.organisations";
import * as programmes from "./api.v1.programmes";
import * as summary from "./api.v1.reports.summary";

/*
 * The API's addresses (/api/v1/…), answered by one route (app/routes/api.v1.$.ts) rather than a
 * route each. Remix matches every request against every route, three times a request, compiling
 * each route's pattern again each time: with the API's 19 addresses among the app's routes, each
 * page paid for them (about a sixth of the route matching; docs/performance.md). Each module here
 * is written as a Remix resource route (a `loader` for GET, an `action` for the other methods) and
 * named as its flat route file would be.
 */

type Handlers = {
  loader?: (args: LoaderFunctionArgs) => Response | Promise<Response>;
  action?: (args: ActionFunctionArgs) => Response | Promise<Response>;
};

/** Each address (under /api/v1/) and its module; `:name` is a parameter, as in Remix. */
export const API_ADDRESSES: { path: string; module: Handlers }[] = [
  { path: "openapi.json", module: openapiJson },
  { path: "events", module: events },
  { path: "events/:eventId", module: event },
  { path: "events/:eventId/sessions", module: sessions },
  { path: "events/:eventId/sessions/:sessionId", module: session },
  { path: "events/:eventId/sessions/:sessionId/attendance", module: sessionAttendance },
  { path: "events/:eventId/registrations", module: registrations },
  { path: "events/:eventId/registrations/:registrationId", module: registration },
  { path: "events/:eventId/attendance", module: attendance },
  { path: "events/:eventId/certificates", module: certificates },
  { path: "events/:eventId/action-plans", module: actionPlans },
  { path: "events/:eventId/action-plans/:planId", module: actionPlan },
  { path: "events/:eventId/evaluation", module: evaluation },
  { path: "certificates/:code", module: certificate },
  { path: "follow-ups", module: followUps },
  { path: "follow-ups/:requestId", module: followUp },
  { path: "programmes", module: programmes },
  { path: "organisations", module: organisations },
  { path: "reports/summary", module: summary },
];

/** The address a path under /api/v1/ names (Remix's splat, already decoded), and its parameters. */
export function apiAddressOf(splat: string) {
  for (const address of API_ADDRESSES) {
    const match = matchPath({ path: address.path, caseSensitive: false, end: true }, `/${splat}`);
    if (match) return { module: address.module, params: match.params as Record<string, string> };
  }
  return null;
}

/** An unknown address: problem details like every API answer (after the token, as a 405: nothing is said to strangers). */
function unknownAddress(request: Request) {
  return apiHandler(request, {}, async () => {
    throw problem(404, "not-found", "Not found", "No API address is named so: see /api/v1/openapi.json.");
  });
}

/** A method the address does not answer (a module without a loader or an action). */
function noSuchMethod(request: Request) {
  return apiHandler(request, {}, async () => {
    throw problem(405, "method-not-allowed", "Method not allowed");
  });
}

export async function answerLoader(args: LoaderFunctionArgs): Promise<Response> {
  const found = apiAddressOf(args.params["*"] ?? "");
  if (!found) return unknownAddress(args.request);
  if (!found.module.loader) return noSuchMethod(args.request);
  return await found.module.loader({ ...args, params: found.params });
}

export async function answerAction(args: ActionFunctionArgs): Promise<Response> {
  const found = apiAddressOf(args.params["*"] ?? "");
  if (!found) return unknownAddress(args.request);
  if (!found.module.action) return noSuchMethod(args.request);
  return await found.module.action({ ...args, params: found.params });
}
