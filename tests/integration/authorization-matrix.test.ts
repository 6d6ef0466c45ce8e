import fs from "node:fs";
import path from "node:path";
import { and, asc, eq, isNotNull } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb, firstRow } from "../../db/client";
import {
  calendarFeeds,
  actionPlanItems,
  actionPlans,
  certificates,
  emailOutbox,
  events,
  eventSessions,
  followUpRequests,
  organisations,
  passwordResetTokens,
  registrationRequests,
  people,
  programmes,
  registrations,
  sessionFacilitators,
  users,
} from "../../db/schema";
import { DEMO_EVENTS, DEMO_FOLLOW_UP_TITLE, DEMO_ORGANISATIONS, DEMO_PROGRAMMES, seedDemo } from "../../db/seed/demo";
import { hashToken } from "~/auth/tokens.server";
import type { SessionUser } from "~/auth/session.server";
import { addProgressUpdate } from "~/models/action-plans.server";
import { preferencesToken } from "~/models/email-preferences.server";
import { enqueueEmail } from "~/models/outbox.server";
import { createWebhook } from "~/models/webhooks.server";
import { accessTokenFor } from "~/models/evaluation-access.server";
import { createApiToken } from "~/models/api-tokens.server";
import { createQuestion, openPhase } from "~/models/knowledge-tests.server";
import { openSessionFeedbackForm } from "~/models/session-feedback.server";
import { call, createUser, makeRequest, sessionCookie, unwrap, clearDemoEvaluation } from "../setup/helpers";

/**
 * The authorization matrix (issue 10, OWASP ASVS V4): every route module in app/routes, its loader
 * (GET) and its action (POST with a minimal form), requested by an anonymous visitor, each role of
 * the demo, and a user of the same role from another organisation or event — with the EXACT outcome
 * expected for each. A route file the table does not list fails the first test: a new route must
 * join the table (and say who may use it) before it can be merged.
 *
 * Outcomes:
 *   login   302 to /login?redirectTo=<the page asked for> (exactly that Location)
 *   ok      an action that went through: 2xx, or a 3xx that is not the login redirect
 *   400     the action's minimal form is refused as bad input AFTER the rights were checked (access proven)
 *   200 302 403 404 410 …  that exact status
 * API rows (`api: true`) send each person's read-write token (anon: none, so 401) and a JSON body:
 * the API answers with the same rights as the page it mirrors, as statuses (422: the body refused
 * AFTER the rights were checked).
 * A row whose outcome is one word applies it to every column (public routes).
 *
 * Columns (who asks):
 *   anon      no session
 *   admin coord facil partic partner donor — the demo accounts: the facilitator teaches the Bahamas
 *             victim-identification training ("vi"), the participant attended it (and wrote an action
 *             plan), the partner is the focal point of the Bahamas Department of Immigration, the
 *             donor is PRM (funds the Western Hemisphere Program, which "vi" belongs to)
 *   xPartner  a partner of another agency (Ministry of Interior, Bahrain)
 *   xDonor    a donor of another donor organisation (Gulf Partnership Fund, funds the Bahrain programme)
 *   xFacil    a facilitator of another event (teaches a session of the Bahrain training)
 *   xPartic   a participant of another event (an officer of the Bahrain training)
 *
 * Parameters name records of the seeded demo (see `ids` below): vi, bahrain, draft (a draft
 * event), fu (the open follow-up training), viSession (a vi session the facilitator teaches), …
 */

const TODAY = new Date("2026-11-22T12:00:00Z");
const ROUTES_DIR = path.resolve("app/routes");

const COLUMNS = [
  "anon",
  "admin",
  "coordinator",
  "facilitator",
  "participant",
  "partner",
  "donor",
  "xPartner",
  "xDonor",
  "xFacil",
  "xPartic",
] as const;
type Subject = (typeof COLUMNS)[number];

type Form = Record<string, string | string[]>;
type Options = {
  /** extra query string, e.g. "?c=…" */
  query?: string;
  /** the minimal form of a POST ("$key" values are ids from the demo, below) */
  form?: Form;
  /** a fresh session for this request (the action ends it: logout) */
  fresh?: boolean;
  /** what the row is about, when the route has several */
  note?: string;
  /** an API route asked with each subject's read-write token (anon: none) instead of the session cookie */
  api?: boolean;
  /** the JSON body of an API write ("$key" string values are ids from the demo) */
  json?: Record<string, unknown>;
};
type Method = "GET" | "POST" | "PATCH";
type Row = Options & { route: string; method: Method; params: string; expect: string };

const rows: Row[] = [];
function row(route: string, method: Method, params: string, expect: string, options: Options = {}) {
  rows.push({ route, method, params, expect, ...options });
}

// (the table is aligned by hand: one line per route × method, one column per person asking)
// route file (app/routes/…)                         method params                                 anon  admin coord facil partic partner donor | xPartner xDonor xFacil xPartic
// ——— public ———
row("healthz",                                       "GET",  "",                                    "200");
row("login",                                         "GET",  "",                                    "200   302   302   302   302    302     302   | 302      302    302    302");
row("login",                                         "POST", "",                                    "400", { form: { email: "admin@example.org", password: "not the password" } });
row("login_.two-factor",                             "GET",  "",                                    "302", { note: "without a sign-in waiting for its code: back to /login (signed-in users: home)" });
row("login_.two-factor",                             "POST", "",                                    "302", { form: { code: "123456" }, note: "no pending sign-in: no code is checked, back to /login" });
row("logout",                                        "GET",  "",                                    "302");
row("logout",                                        "POST", "",                                    "ok", { fresh: true });
row("setup",                                         "GET",  "",                                    "404");
row("setup",                                         "POST", "",                                    "404", { form: { name: "Mallory", email: "mallory@example.org", password: "long enough password", confirmPassword: "long enough password" } });
row("forgot-password",                               "GET",  "",                                    "200");
row("forgot-password",                               "POST", "",                                    "200", { form: { email: "nobody@example.org" } });
row("reset-password.$token",                         "GET",  "token=badToken",                      "410");
row("reset-password.$token",                         "GET",  "token=resetToken",                    "200", { note: "a valid link: the link is the credential" });
row("reset-password.$token",                         "POST", "token=badToken",                      "410", { form: { password: "a new long password", confirmPassword: "a new long password" } });
row("reset-password.$token",                         "POST", "token=resetToken",                    "400", { form: { password: "short", confirmPassword: "short" } });
row("settings.language",                             "GET",  "",                                    "302");
row("settings.language",                             "POST", "",                                    "ok", { form: { locale: "en", redirectTo: "/events" } });
row("feeds.$token.calendar[.]ics",                   "GET",  "token=feedToken",                     "200", { note: "a calendar app: the secret address is the credential, a cookie changes nothing" });
row("feeds.$token.calendar[.]ics",                   "GET",  "token=badFeedToken",                  "404");
row("locales.$lng",                                  "GET",  "lng=ar",                              "200", { query: "?ns=nav,roster", note: "the interface's texts, the same for everyone" });
row("locales.$lng",                                  "GET",  "lng=xx",                              "404", { query: "?ns=nav" });
row("certificates.$code",                            "GET",  "code=certCode",                       "200");
row("certificates.$code",                            "GET",  "code=UNKNOWNCODE",                    "404");
row("events_.$eventId.register",                     "GET",  "eventId=fu",                          "200");
row("events_.$eventId.register",                     "GET",  "eventId=draft",                       "404");
row("events_.$eventId.register",                     "GET",  "eventId=vi",                          "200", { note: "a past event's link says registration has closed" });
row("events_.$eventId.register",                     "GET",  "eventId=cancelled",                   "404", { note: "a cancelled event's page is gone" });
row("events_.$eventId.register",                     "POST", "eventId=fu",                          "400", { form: { givenName: "" } });
row("events_.$eventId.register",                     "POST", "eventId=draft",                       "404", { form: { givenName: "" } });
row("events_.$eventId.register",                     "POST", "eventId=vi",                          "400", { form: { givenName: "" }, note: "registration has closed" });
row("events_.$eventId.register",                     "POST", "eventId=cancelled",                   "404", { form: { givenName: "" } });
row("events_.$eventId.register_.done",               "GET",  "eventId=fu",                          "200");
row("events_.$eventId.register_.done",               "GET",  "eventId=draft",                       "404");
row("registrations.confirm.$token",                  "GET",  "token=badToken",                      "410");
row("registrations.confirm.$token",                  "GET",  "token=confirmToken",                  "200", { note: "a valid link: the link is the credential" });
row("registrations.confirm.$token",                  "POST", "token=badToken",                      "410", { form: {} });
row("registrations.confirm.$token",                  "POST", "token=confirmToken",                  "302   410   410   410   410    410     410   | 410      410    410    410", { form: {}, note: "the link works once: whoever clicks first confirms" });
row("email-preferences",                             "GET",  "",                                    "login 200   200   200   200    200     200   | 200      200    200    200");
row("email-preferences",                             "GET",  "",                                    "200", { query: "?u=$prefsUser&t=$prefsToken", note: "the link in a reminder" });
row("email-preferences",                             "GET",  "",                                    "403", { query: "?u=$prefsUser&t=wrong", note: "a forged link" });
row("email-preferences",                             "POST", "",                                    "login ok    ok    ok    ok     ok      ok    | ok       ok     ok     ok", { form: { intent: "on" } });
row("email-preferences",                             "POST", "",                                    "ok", { form: { intent: "on", u: "$prefsUser", t: "$prefsToken" } });
row("email-preferences",                             "POST", "",                                    "403", { form: { intent: "off", u: "$prefsUser", t: "wrong" } });
row("email-preferences",                             "GET",  "",                                    "200", { query: "?p=$prefsPerson&t=$prefsPersonToken", note: "the link of someone without an account" });
row("email-preferences",                             "GET",  "",                                    "403", { query: "?p=$prefsPerson&t=$prefsToken", note: "a user's token for a person" });
row("email-preferences",                             "POST", "",                                    "ok", { form: { intent: "on", p: "$prefsPerson", t: "$prefsPersonToken" } });
row("email-preferences",                             "POST", "",                                    "403", { form: { intent: "off", p: "$prefsPerson", t: "$prefsToken" } });
row("email-preferences_.unsubscribe",                "GET",  "",                                    "302", { query: "?u=$prefsUser&t=$prefsToken", note: "opened in a browser: to the preferences page" });
row("email-preferences_.unsubscribe",                "GET",  "",                                    "403", { note: "no link" });
row("email-preferences_.unsubscribe",                "POST", "",                                    "403", { query: "?u=$prefsUser&t=wrong", form: { "List-Unsubscribe": "One-Click" }, note: "a forged link" });
row("email-preferences_.unsubscribe",                "POST", "",                                    "403", { query: "?p=$prefsPerson&t=$prefsToken", form: { "List-Unsubscribe": "One-Click" }, note: "a user's token for a person" });
row("email-preferences_.unsubscribe",                "POST", "",                                    "ok", { query: "?u=$prefsUser&t=$prefsToken", form: { "List-Unsubscribe": "One-Click" }, note: "the one-click of a mail client: the token alone" });
row("email-preferences_.unsubscribe",                "POST", "",                                    "ok", { query: "?p=$prefsPerson&t=$prefsPersonToken", form: { "List-Unsubscribe": "One-Click" } });

// ——— everyone signed in ———
row("_index",                                        "GET",  "",                                    "login 200   200   200   200    200     200   | 200      200    200    200");
row("take.$token",                                    "GET",  "token=evalToken",                     "302", { note: "a personal link (knowledge test, feedback) without an account: into this device's cookie, then /take" });
row("take.$token",                                    "GET",  "token=badEvalToken",                  "403", { note: "a tampered link: refused, whoever asks" });
row("take.$token",                                    "GET",  "token=sessionEvalToken",              "302", { note: "a personal link to one session's feedback form" });
row("take.$token",                                    "GET",  "token=badSessionEvalToken",           "403", { note: "that link altered to name another session (of another event): refused" });
row("take.code.$eventId.$target",                     "GET",  "eventId=vi target=viSessionTarget",   "200", { note: "the entry page of a session form's codes" });
row("take._index",                                    "GET",  "",                                    "200", { note: "no link opened on this device: a page that says so (a session changes nothing)" });
row("take._index",                                    "POST", "",                                    "403", { form: { intent: "submit" }, note: "answers without a link's cookie" });
row("take.code.$eventId.$target",                     "GET",  "eventId=vi target=pre",               "200", { note: "the entry page of the venue screen's QR code: names nothing" });
row("take.code.$eventId.$target",                     "POST", "eventId=vi target=pre",               "400", { form: { code: "ZZZZZZZZ" }, note: "a wrong personal code" });
row("check-in",                                      "GET",  "",                                    "login 200   200   200   200    200     200   | 200      200    200    200");
row("check-in",                                      "POST", "",                                    "login 400   400   400   400    400     400   | 400      400    400    400", { form: { intent: "code", code: "ZZZZZZ" } });
row("me",                                            "GET",  "",                                    "login 403   403   403   200    403     403   | 403      403    403    200");
row("me",                                            "POST", "",                                    "login 403   403   403   400    403     403   | 403      403    403    404", { form: { intent: "cancel", registrationId: "$ownRegistration" }, note: "vi is over: the participant may not cancel; another's registration is not found" });
row("action-plans",                                  "GET",  "",                                    "login 200   200   403   200    200     403   | 200      403    403    200", { note: "own plans, own agency, every agency; donors get counts in reports only" });
row("action-plans",                                  "GET",  "",                                    "login 200   200   403   200    200     403   | 200      403    403    200", { query: "?organisationId=$org", note: "coordinators open one agency; a partner always gets its own" });
row("action-plans",                                  "GET",  "",                                    "login 404   404   403   404    404     403   | 404      403    403    404", { query: "?organisationId=x", note: "a malformed agency id" });
row("me.certificates.$certificateId[.]pdf",          "GET",  "certificateId=cert",                  "login 200   200   404   200    404     404   | 404      404    404    404");
row("me_.tests.$eventId.$phase",                     "GET",  "eventId=vi phase=pre",                "login 404   404   404   200    404     404   | 404      404    404    404", { note: "a knowledge test: confirmed participants of the event only" });
row("me_.tests.$eventId.$phase",                     "POST", "eventId=vi phase=pre",                "login 404   404   404   400    404     404   | 404      404    404    404", { form: { intent: "bogus" } });
row("me_.tests.$eventId.$phase",                     "GET",  "eventId=bahrain phase=pre",           "login 404   404   404   404    404     404   | 404      404    404    404", { note: "an event without a test" });
row("me_.feedback.$eventId",                         "GET",  "eventId=vi",                          "login 403   403   403   200    403     403   | 403      403    403    404", { note: "a confirmed participant's own form; another event's participant: as if there were none" });
row("me_.feedback.$eventId",                         "POST", "eventId=vi",                          "login 403   403   403   400    403     403   | 403      403    403    404", { form: { overall: "" } });
row("me_.feedback.$eventId",                         "GET",  "eventId=bahrain",                     "login 403   403   403   404    403     403   | 403      403    403    200");
row("me_.feedback.$eventId_.sessions.$sessionId",    "GET",  "eventId=vi sessionId=viSession",      "login 403   403   403   200    403     403   | 403      403    403    404", { note: "a session's form: confirmed participants of the event only" });
row("me_.feedback.$eventId_.sessions.$sessionId",    "POST", "eventId=vi sessionId=viSession",      "login 403   403   403   400    403     403   | 403      403    403    404", { form: { content: "" } });
row("me_.feedback.$eventId_.sessions.$sessionId",    "GET",  "eventId=bahrain sessionId=bahrainSession", "login 403 403 403   404    403     403   | 403      403    403    200");
row("me_.feedback.$eventId_.sessions.$sessionId",    "GET",  "eventId=vi sessionId=bahrainSession", "login 403   403   403   404    403     403   | 403      403    403    404", { note: "a session of another event than the URL's" });
row("me_.feedback.$eventId_.sessions.$sessionId",    "POST", "eventId=vi sessionId=bahrainSession", "login 403   403   403   404    403     403   | 403      403    403    404", { form: { content: "5", facilitators: "5", relevance: "5" } });
row("me_.feedback.$eventId_.sessions.$sessionId",    "GET",  "eventId=vi sessionId=draftSession",   "login 403   403   403   404    403     403   | 403      403    403    404", { note: "a session without a form" });
row("action-plan-attachments.$updateId",             "GET",  "updateId=update",                     "login 200   200   200   200    200     404   | 404      404    404    404");

// ——— events ———
row("events._index",                                 "GET",  "",                                    "login 200   200   200   200    200     200   | 200      200    200    200");
row("events[.]csv",                                  "GET",  "",                                    "login 200   200   403   403    403     403   | 403      403    403    403");
row("events[.]xlsx",                                 "GET",  "",                                    "login 200   200   403   403    403     403   | 403      403    403    403");
row("events.new",                                    "GET",  "",                                    "login 200   200   403   403    403     403   | 403      403    403    403");
row("events.new",                                    "POST", "",                                    "login 400   400   403   403    403     403   | 403      403    403    403", { form: { title: "" } });
row("events.$eventId",                               "GET",  "eventId=vi",                          "login 200   200   200   200    200     200   | 404      404    404    404");
row("events.$eventId",                               "GET",  "eventId=bahrain",                     "login 200   200   404   404    404     404   | 200      200    200    200");
row("events.$eventId",                               "GET",  "eventId=draft",                       "login 200   200   404   404    404     404   | 404      404    404    404");
row("events.$eventId._index",                        "GET",  "eventId=vi",                          "login 200   200   200   200    200     200   | 404      404    404    404");
row("events.$eventId._index",                        "GET",  "eventId=bahrain",                     "login 200   200   404   404    404     404   | 200      200    200    200");
row("events.$eventId._index",                        "GET",  "eventId=draft",                       "login 200   200   404   404    404     404   | 404      404    404    404");
row("events.$eventId._index",                        "GET",  "eventId=fu",                          "login 200   200   200   200    200     200   | 200      404    404    200", { note: "open for registration: participants and partners see it" });
row("events.$eventId._index",                        "POST", "eventId=vi",                          "login 400   400   403   403    403     403   | 403      403    403    403", { form: { intent: "status", status: "bogus" } });
row("events.$eventId.edit",                          "GET",  "eventId=vi",                          "login 200   200   403   403    403     403   | 403      403    403    403");
row("events.$eventId.edit",                          "POST", "eventId=vi",                          "login 400   400   403   403    403     403   | 403      403    403    403", { form: { title: "" } });
row("events.$eventId.calendar[.]ics",                "GET",  "eventId=vi",                          "login 200   200   200   200    200     200   | 404      404    404    404");
row("events.$eventId.calendar[.]ics",                "GET",  "eventId=draft",                       "login 200   200   404   404    404     404   | 404      404    404    404");
row("events.$eventId.sessions",                      "GET",  "eventId=vi",                          "login 200   200   200   200    200     200   | 404      404    404    404");
row("events.$eventId.sessions",                      "GET",  "eventId=draft",                       "login 200   200   404   404    404     404   | 404      404    404    404");
row("events.$eventId.sessions",                      "POST", "eventId=vi",                          "login ok    ok    403   403    403     403   | 404      404    404    404", { form: { intent: "calendar-feed" }, note: "an event's calendar feed: staff who plan it" });
row("events.$eventId.sessions",                      "POST", "eventId=draft",                       "login ok    ok    404   404    404     404   | 404      404    404    404", { form: { intent: "calendar-feed" } });
row("events.$eventId.sessions.new",                  "GET",  "eventId=vi",                          "login 200   200   403   403    403     403   | 404      404    404    404");
row("events.$eventId.sessions.new",                  "POST", "eventId=vi",                          "login 400   400   403   403    403     403   | 404      404    404    404", { form: { title: "" } });
row("events.$eventId.sessions.new",                  "GET",  "eventId=vi",                          "login 200   200   403   403    403     403   | 404      404    404    404", { query: "?from=$viSession", note: "duplicating a session: the form filled in from it" });
row("events.$eventId.sessions.new",                  "GET",  "eventId=bahrain",                     "login 404   404   404   404    404     404   | 403      403    403    403", { query: "?from=$viSession", note: "a session of another event than the URL's is never copied" });
row("events.$eventId.sessions.several",              "GET",  "eventId=vi",                          "login 200   200   403   403    403     403   | 404      404    404    404");
row("events.$eventId.sessions.several",              "GET",  "eventId=draft",                       "login 200   200   404   404    404     404   | 404      404    404    404");
row("events.$eventId.sessions.several",              "POST", "eventId=vi",                          "login 400   400   403   403    403     403   | 404      404    404    404", { form: { rows: "1", "row-0-title": "" } });
row("events.$eventId.sessions.copy-day",             "GET",  "eventId=vi",                          "login 200   200   403   403    403     403   | 404      404    404    404");
row("events.$eventId.sessions.copy-day",             "GET",  "eventId=draft",                       "login 200   200   404   404    404     404   | 404      404    404    404");
row("events.$eventId.sessions.copy-day",             "POST", "eventId=vi",                          "login 400   400   403   403    403     403   | 404      404    404    404", { form: { from: "", to: "" } });
row("events.$eventId.sessions.$sessionId",           "GET",  "eventId=vi sessionId=viSession",      "login 200   200   403   403    403     403   | 404      404    404    404");
row("events.$eventId.sessions.$sessionId",           "GET",  "eventId=bahrain sessionId=viSession", "login 404   404   404   404    404     404   | 403      403    403    403", { note: "a session of another event than the URL's" });
row("events.$eventId.sessions.$sessionId",           "POST", "eventId=vi sessionId=viSession",      "login 400   400   403   403    403     403   | 404      404    404    404", { form: { intent: "update", title: "" } });
row("events_.$eventId.sessions_.$sessionId.check-in","GET",  "eventId=vi sessionId=viSession",      "login 200   200   200   403    403     403   | 403      403    403    403");
row("events_.$eventId.sessions_.$sessionId.check-in","GET",  "eventId=draft sessionId=draftSession", "login 200   200   404   403    403     403   | 403      403    403    403", { note: "a draft's session the facilitator teaches: the draft is invisible to them, as on the attendance page" });
row("events.$eventId.sign-in-sheet[.]pdf",           "GET",  "eventId=vi",                          "login 200   200   200   403    403     403   | 403      403    404    403");

// ——— rosters and attendance ———
row("events.$eventId.roster",                        "GET",  "eventId=vi",                          "login 200   200   200   403    200     403   | 404      404    404    404", { note: "who may not see the event: 404 before any role check" });
row("events.$eventId.roster",                        "GET",  "eventId=draft",                       "login 200   200   404   404    404     404   | 404      404    404    404", { note: "a draft's roster: its existence is private" });
row("events.$eventId.roster",                        "POST", "eventId=vi",                          "login 400   400   403   403    403     403   | 403      403    403    403", { form: { status: "bogus" } });
row("events.$eventId.roster[.]csv",                  "GET",  "eventId=vi",                          "login 200   200   403   403    403     403   | 403      403    403    403");
row("events.$eventId.roster[.]xlsx",                 "GET",  "eventId=vi",                          "login 200   200   403   403    403     403   | 403      403    403    403");
row("events.$eventId.roster.template[.]csv",         "GET",  "eventId=vi",                          "login 200   200   403   403    403     403   | 403      403    403    403");
row("events.$eventId.roster.organisations[.]csv",    "GET",  "eventId=vi",                          "login 200   200   403   403    403     403   | 403      403    403    403");
row("events.$eventId.roster_.add",                   "GET",  "eventId=vi",                          "login 200   200   403   403    403     403   | 403      403    403    403");
row("events.$eventId.roster_.add",                   "POST", "eventId=vi",                          "login 400   400   403   403    403     403   | 403      403    403    403", { form: { givenName: "" } });
row("events.$eventId.roster_.import",                "GET",  "eventId=vi",                          "login 200   200   403   403    403     403   | 403      403    403    403");
row("events.$eventId.roster_.import",                "POST", "eventId=vi",                          "login 400   400   403   403    403     403   | 403      403    403    403", { form: { file: "not a file" } });
row("events.$eventId.nominate",                      "GET",  "eventId=fu",                          "login 403   403   403   403    200     403   | 200      403    403    403");
row("events.$eventId.nominate",                      "GET",  "eventId=draft",                       "login 403   403   403   403    404     403   | 404      403    403    403", { note: "a draft is not the partner's to see" });
row("events.$eventId.nominate",                      "GET",  "eventId=bahrain",                     "login 403   403   403   403    404     403   | 404      403    403    403", { note: "another country's training, and not open (xPartner's own country)" });
row("events.$eventId.nominate",                      "POST", "eventId=fu",                          "login 403   403   403   403    ok      403   | 403      403    403    403", { form: { personIds: "$nominee" }, note: "xPartner: another agency's officer" });
row("events.$eventId.nominate",                      "POST", "eventId=draft",                       "login 403   403   403   403    404     403   | 404      403    403    403", { form: { personIds: "$nominee" }, note: "nominating into a draft the partner cannot see" });
row("events.$eventId.attendance",                    "GET",  "eventId=vi",                          "login 200   200   200   403    403     403   | 404      404    404    404");
row("events.$eventId.attendance",                    "GET",  "eventId=draft",                       "login 200   200   404   404    404     404   | 404      404    404    404", { note: "a draft, also to the facilitator of one of its sessions" });
row("events.$eventId.attendance",                    "POST", "eventId=vi",                          "login ok    ok    ok    403    403     403   | 403      403    404    403", { form: { intent: "cell", sessionId: "$viSession", registrationId: "$viRegistration", status: "present" } });
row("events.$eventId.attendance[.]csv",              "GET",  "eventId=vi",                          "login 200   200   403   403    403     403   | 403      403    403    403");
row("events.$eventId.attendance[.]xlsx",             "GET",  "eventId=vi",                          "login 200   200   403   403    403     403   | 403      403    403    403");
row("events.$eventId.certificates",                  "GET",  "eventId=vi",                          "login 200   200   403   403    403     403   | 403      403    403    403");
row("events.$eventId.certificates",                  "POST", "eventId=vi",                          "login ok    ok    403   403    403     403   | 403      403    403    403", { form: { intent: "issue-all" } });
row("events.$eventId.certificates",                  "POST", "eventId=vi",                          "login 400   400   403   403    403     403   | 403      403    403    403", { form: { intent: "requirements", postTestMinScore: "101" }, note: "what a certificate requires (refused here: a minimum over 100)" });
row("events.$eventId.certificates",                  "POST", "eventId=bahrain",                     "login ok    ok    403   403    403     403   | 403      403    403    403", { form: { intent: "requirements", feedbackRequired: "on" }, note: "what a certificate requires" });
row("events.$eventId.tests",                         "GET",  "eventId=vi",                          "login 200   200   403   403    403     403   | 403      403    403    403");
row("events.$eventId.tests",                         "POST", "eventId=vi",                          "login 400   400   403   403    403     403   | 403      403    403    403", { form: { intent: "bogus" } });
row("events.$eventId.tests_.questions.new",          "GET",  "eventId=vi",                          "login 200   200   403   403    403     403   | 403      403    403    403");
row("events.$eventId.tests_.questions.new",          "POST", "eventId=vi",                          "login 400   400   403   403    403     403   | 403      403    403    403", { form: { kind: "" } });
row("events.$eventId.tests_.questions.$questionId",  "GET",  "eventId=vi questionId=testQuestion",  "login 200   200   403   403    403     403   | 403      403    403    403");
row("events.$eventId.tests_.questions.$questionId",  "GET",  "eventId=bahrain questionId=testQuestion", "login 404 404   403   403    403     403   | 403      403    403    403", { note: "a question of another event than the URL's" });
row("events.$eventId.tests_.questions.$questionId",  "POST", "eventId=vi questionId=testQuestion",  "login 400   400   403   403    403     403   | 403      403    403    403", { form: { kind: "" } });
row("events.$eventId.tests_.results",                "GET",  "eventId=vi",                          "login 200   200   403   403    403     403   | 403      403    403    403");
row("events.$eventId.tests_.results",                "POST", "eventId=vi",                          "login 400   400   403   403    403     403   | 403      403    403    403", { form: { registrationId: "" } });
row("events.$eventId.feedback",                      "GET",  "eventId=vi",                          "login 200   200   403   403    403     403   | 403      403    403    403", { note: "anonymous answers and who has not answered: coordinators only" });
row("events.$eventId.feedback",                      "POST", "eventId=vi",                          "login 400   400   403   403    403     403   | 403      403    403    403", { form: { intent: "bogus" } });
row("events.$eventId.feedback",                      "POST", "eventId=vi",                          "login 404   404   403   403    403     403   | 403      403    403    403", { form: { intent: "closeSession", sessionId: "$bahrainSession" }, note: "a session form: a session of another event is not found" });
row("events.$eventId.feedback",                      "POST", "eventId=vi",                          "login 400   400   403   403    403     403   | 403      403    403    403", { form: { intent: "openSession", sessionId: "x" } });
row("events.$eventId.evaluation-access",             "GET",  "eventId=vi",                          "login 200   200   200   403    403     403   | 403      403    404    403", { note: "links and codes for people without an account: coordinators, and the facilitators of the event" });
row("events.$eventId.evaluation-access",             "POST", "eventId=vi",                          "login 400   400   403   403    403     403   | 403      403    403    403", { form: { intent: "bogus" }, note: "emailing links: coordinators only" });
row("events_.$eventId.evaluation.$target.screen",    "GET",  "eventId=vi target=pre",               "login 200   200   200   403    403     403   | 403      403    404    403");
row("events_.$eventId.evaluation.$target.slips",     "GET",  "eventId=vi target=pre",               "login 200   200   200   403    403     403   | 403      403    404    403", { note: "the personal codes with names: who runs the room" });
row("events_.$eventId.evaluation.$target.slips",     "GET",  "eventId=draft target=pre",            "login 404   404   404   403    403     403   | 403      403    404    403", { note: "an event without a test; a draft the facilitator cannot see" });
row("events_.$eventId.evaluation.$target.slips",     "GET",  "eventId=vi target=viSessionTarget",   "login 200   200   200   403    403     403   | 403      403    404    403", { note: "the codes of a session's form" });
row("events_.$eventId.evaluation.$target.slips",     "GET",  "eventId=vi target=bahrainSessionTarget", "login 404 404   404   403    403     403   | 403      403    404    403", { note: "a session of another event than the URL's" });
row("events_.$eventId.evaluation.$target.screen",    "GET",  "eventId=vi target=viSessionTarget",   "login 200   200   200   403    403     403   | 403      403    404    403");

// ——— action plans ———
row("events.$eventId.action-plans",                  "GET",  "eventId=vi",                          "login 200   200   200   200    200     403   | 404      403    404    404");
row("events.$eventId.action-plans_.$planId",         "GET",  "eventId=vi planId=plan",              "login 200   200   200   200    200     403   | 404      403    404    404");
row("events.$eventId.action-plans_.$planId",         "GET",  "eventId=bahrain planId=plan",         "login 404   404   404   404    404     403   | 404      403    404    404", { note: "a plan of another event than the URL's" });
row("events.$eventId.action-plans_.$planId",         "POST", "eventId=vi planId=plan",              "login ok    ok    403   403    403     403   | 404      403    404    404", { form: { intent: "comment", body: "Matrix comment" }, note: "coordinators comment" });
row("events.$eventId.action-plans_.$planId",         "POST", "eventId=vi planId=plan",              "login 403   403   403   403    ok      403   | 404      403    404    404", { form: { intent: "validate", itemId: "$doneItem" }, note: "the partner validates its officers' done items" });
row("events.$eventId.action-plans_.$planId",         "POST", "eventId=vi planId=plan",              "login 403   403   403   ok     403     403   | 404      403    404    404", { form: { intent: "rename", title: "Bringing victim identification into port operations" }, note: "members change their plan" });
row("events.$eventId.action-plans_.new",             "GET",  "eventId=vi",                          "login 200   200   403   302    403     403   | 403      403    403    404", { note: "the participant has a plan: sent to it" });
row("events.$eventId.action-plans_.new",             "POST", "eventId=vi",                          "login 400   400   403   400    403     403   | 403      403    403    404", { form: { title: "Matrix plan" } });
row("events.$eventId.action-plans_.template",        "GET",  "eventId=vi",                          "login 200   200   403   403    403     403   | 403      403    403    403");
row("events.$eventId.action-plans_.template",        "POST", "eventId=vi",                          "login ok    ok    403   403    403     403   | 403      403    403    403", { form: { intent: "save-title", title: "Bahamas template" } });

// ——— follow-up requests ———
row("follow-ups._index",                             "GET",  "",                                    "login 200   200   403   403    200     403   | 200      403    403    403");
row("follow-ups.new",                                "GET",  "",                                    "login 200   200   403   403    200     403   | 200      403    403    403");
row("follow-ups.new",                                "GET",  "",                                    "login 200   200   403   403    200     403   | 404      403    403    403", { query: "?eventId=$vi", note: "raised from an event the user must see" });
row("follow-ups.new",                                "POST", "",                                    "login 400   400   403   403    400     403   | 400      403    403    403", { form: { title: "" } });
row("follow-ups.$requestId",                         "GET",  "requestId=request",                   "login 200   200   403   403    200     403   | 404      403    403    403");
row("follow-ups.$requestId",                         "POST", "requestId=request",                   "login ok    ok    403   403    ok      403   | 404      403    403    403", { form: { intent: "comment", comment: "Matrix comment" } });
row("follow-ups.$requestId",                         "POST", "requestId=request",                   "login 400   400   403   403    403     403   | 403      403    403    403", { form: { intent: "status", status: "scheduled" }, note: "only coordinators move a request (under review → scheduled is not a step)" });
row("events.$eventId.follow-ups",                    "GET",  "eventId=vi",                          "login 200   200   403   403    200     403   | 404      403    403    403");

// ——— reports (aggregates: donors and partners too; being written while this table was made) ———
row("reports._index",                                "GET",  "",                                    "login 200   200   403   403    200     200   | 200      200    403    403");
row("reports._index",                                "GET",  "",                                    "login 200   200   403   403    200     200   | 200      403    403    403", { query: "?programmeId=$programme", note: "a programme the other donor does not fund" });
row("reports[.]csv",                                 "GET",  "",                                    "login 200   200   403   403    200     200   | 200      200    403    403");
row("reports[.]xlsx",                                "GET",  "",                                    "login 200   200   403   403    200     200   | 200      200    403    403");
row("reports[.]csv",                                 "GET",  "",                                    "login 200   200   403   403    200     200   | 200      403    403    403", { query: "?programmeId=$programme", note: "a programme the other donor does not fund" });
row("reports[.]xlsx",                                "GET",  "",                                    "login 200   200   403   403    200     200   | 200      403    403    403", { query: "?programmeId=$programme", note: "a programme the other donor does not fund" });
row("reports.events[.]csv",                          "GET",  "",                                    "login 200   200   403   403    200     200   | 200      200    403    403");
row("reports.events[.]xlsx",                         "GET",  "",                                    "login 200   200   403   403    200     200   | 200      200    403    403");
row("reports.events[.]csv",                          "GET",  "",                                    "login 200   200   403   403    200     200   | 200      403    403    403", { query: "?programmeId=$programme", note: "a programme the other donor does not fund" });
row("reports.events[.]xlsx",                         "GET",  "",                                    "login 200   200   403   403    200     200   | 200      403    403    403", { query: "?programmeId=$programme", note: "a programme the other donor does not fund" });
row("reports[.]pdf",                                 "GET",  "",                                    "login 200   200   403   403    200     200   | 200      200    403    403");
row("reports[.]pdf",                                 "GET",  "",                                    "login 200   200   403   403    200     200   | 200      403    403    403", { query: "?programmeId=$programme&from=2023-01-01&to=2023-12-31", note: "a programme the other donor does not fund" });

// ——— people, organisations, programmes ———
row("people._index",                                 "GET",  "",                                    "login 200   200   403   403    403     403   | 403      403    403    403");
row("people._index",                                 "POST", "",                                    "login ok    ok    403   403    403     403   | 403      403    403    403", { form: { q: "Rolle" } });
row("people.new",                                    "GET",  "",                                    "login 200   200   403   403    403     403   | 403      403    403    403");
row("people.new",                                    "POST", "",                                    "login 400   400   403   403    403     403   | 403      403    403    403", { form: { givenName: "" } });
row("people.$personId",                              "GET",  "personId=person",                     "login 200   200   403   403    403     403   | 403      403    403    403");
row("people.$personId",                              "POST", "personId=person",                     "login 400   400   403   403    403     403   | 403      403    403    403", { form: { intent: "update", givenName: "" } });
row("people.$personId",                              "POST", "personId=person",                     "login 400   403   403   403    403     403   | 403      403    403    403", { form: { intent: "erase", confirmation: "not the word" }, note: "erasure on request: admins only" });
row("people.$personId.data[.]json",                  "GET",  "personId=person",                     "login 200   403   403   403    403     403   | 403      403    403    403", { note: "a person's data on request: admins only" });
row("organisation-choices",                          "GET",  "",                                    "200", { query: "?scope=nonDonor&q=immigration", note: "the organisations a registration form searches: the same names the public registration page lists" });
row("organisation-choices",                          "GET",  "",                                    "login 200   200   403   403    403     403   | 403      403    403    403", { query: "?scope=all&q=immigration", note: "every organisation, donors included: staff only" });
row("organisation-choices",                          "GET",  "",                                    "login 200   200   403   403    403     403   | 403      403    403    403", { query: "?scope=governmentPartner&q=immigration", note: "the government partners a follow-up request searches: staff only" });
row("organisation-choices",                          "GET",  "",                                    "login 200   200   403   403    403     403   | 403      403    403    403", { query: "?scope=donor&q=fund", note: "the donors the reports' donor filter searches: staff only" });
row("programme-choices",                             "GET",  "",                                    "login 200   200   403   403    403     403   | 403      403    403    403", { query: "?q=western", note: "the programmes the reports' programme filter searches: staff only" });
row("organisations._index",                          "GET",  "",                                    "login 200   200   403   403    403     403   | 403      403    403    403");
row("organisations.new",                             "GET",  "",                                    "login 200   200   403   403    403     403   | 403      403    403    403");
row("organisations.new",                             "POST", "",                                    "login 400   400   403   403    403     403   | 403      403    403    403", { form: { name: "" } });
row("organisations.$organisationId",                 "GET",  "organisationId=org",                  "login 200   200   403   403    403     403   | 403      403    403    403");
row("organisations.$organisationId",                 "POST", "organisationId=org",                  "login 400   400   403   403    403     403   | 403      403    403    403", { form: { name: "" } });
row("programmes._index",                             "GET",  "",                                    "login 200   200   403   403    403     403   | 403      403    403    403");
row("programmes.new",                                "GET",  "",                                    "login 200   200   403   403    403     403   | 403      403    403    403");
row("programmes.new",                                "POST", "",                                    "login 400   400   403   403    403     403   | 403      403    403    403", { form: { name: "" } });
row("programmes.$programmeId",                       "GET",  "programmeId=programme",               "login 200   200   403   403    403     403   | 403      403    403    403");
row("programmes.$programmeId",                       "POST", "programmeId=programme",               "login 400   400   403   403    403     403   | 403      403    403    403", { form: { name: "" } });

// ——— administration ———
row("account",                                       "GET",  "",                                    "login 200   200   200   200    200     200   | 200      200    200    200");
row("account",                                       "POST", "",                                    "login 400   400   400   400    400     400   | 400      400    400    400", { form: { intent: "bogus" } });
row("account",                                       "POST", "",                                    "login 200   200   200   200    200     200   | 200      200    200    200", { form: { intent: "calendar-feed" }, note: "one's own calendar feed: its new address in the answer" });
row("account_.tokens",                               "GET",  "",                                    "login 200   200   200   200    200     200   | 200      200    200    200", { note: "one's own API tokens" });
row("account_.tokens",                               "POST", "",                                    "login 200   200   200   200    200     200   | 200      200    200    200", { form: { intent: "create", name: "matrix", access: "read", lifetimeDays: "7" }, note: "a token for oneself, shown once" });
row("account_.tokens",                               "POST", "",                                    "login 404   404   404   404    404     404   | 404      404    404    404", { form: { intent: "revoke", tokenId: "999999" }, note: "a token that is not one's own: not found" });
row("account_.webhooks._index",                      "GET",  "",                                    "login 200   200   403   403    403     403   | 403      403    403    403", { note: "webhook subscriptions: admins (everyone's) and coordinators (their own)" });
row("account_.webhooks._index",                      "POST", "",                                    "login 200   200   403   403    403     403   | 403      403    403    403", { form: { intent: "create", name: "matrix", url: "https://203.0.113.10/matrix", eventTypes: "event.status_changed" }, note: "a subscription for oneself, its secret shown once" });
row("account_.webhooks._index",                      "POST", "",                                    "login ok    403   403   403    403     403   | 403      403    403    403", { form: { intent: "private-addresses", allow: "0" }, note: "the private-address setting: admins only" });
row("account_.webhooks.$subscriptionId",             "GET",  "subscriptionId=webhook",              "login 200   200   403   403    403     403   | 403      403    403    403", { note: "the coordinator's own subscription; any admin" });
row("account_.webhooks.$subscriptionId",             "GET",  "subscriptionId=adminWebhook",         "login 200   404   403   403    403     403   | 403      403    403    403", { note: "another user's subscription does not exist for a coordinator" });
row("account_.webhooks.$subscriptionId",             "GET",  "subscriptionId=noWebhook",            "login 404   404   403   403    403     403   | 403      403    403    403");
row("account_.webhooks.$subscriptionId",             "POST", "subscriptionId=webhook",              "login 200   200   403   403    403     403   | 403      403    403    403", { form: { intent: "rotate" }, note: "a new secret, shown once" });
row("account_.webhooks.$subscriptionId",             "POST", "subscriptionId=adminWebhook",         "login 200   404   403   403    403     403   | 403      403    403    403", { form: { intent: "rotate" } });
row("api.v1.$",                                      "GET",  "*=no/such/address",                   "401   404   404   404   404    404     404   | 404      404    404    404", { api: true, note: "an address the API does not have: problem details, after the token" });
row("api.v1.$",                                      "POST", "*=events/1/nothing",                  "401   404   404   404   404    404     404   | 404      404    404    404", { api: true, json: {} });
row("api.v1.events",                                 "GET",  "",                                    "401", { note: "the API takes tokens, never the session cookie (tests/integration/api.test.ts covers tokens)" });
row("api.v1.events",                                 "POST", "",                                    "401", { note: "nor for writes" });
// ——— the API (/api/v1): each person's own token; the same rights as the pages ———
row("api.v1.events",                                 "GET",  "",                                    "401   200   200   200   200    200     200   | 200      200    200    200", { api: true, note: "every role lists the events it may see" });
row("api.v1.events",                                 "POST", "",                                    "401   422   422   403   403    403     403   | 403      403    403    403", { api: true, json: { title: "" } });
row("api.v1.events_.$eventId",                       "GET",  "eventId=vi",                          "401   200   200   200   200    200     200   | 404      404    404    404", { api: true });
row("api.v1.events_.$eventId",                       "GET",  "eventId=draft",                       "401   200   200   404   404    404     404   | 404      404    404    404", { api: true });
row("api.v1.events_.$eventId",                       "PATCH","eventId=vi",                          "401   422   422   403   403    403     403   | 403      403    403    403", { api: true, json: { title: "" } });
row("api.v1.events_.$eventId",                       "POST", "eventId=vi",                          "401   405   405   405   405    405     405   | 405      405    405    405", { api: true, json: {}, note: "changes are PATCH" });
row("api.v1.events_.$eventId_.sessions",             "GET",  "eventId=vi",                          "401   200   200   200   200    200     200   | 404      404    404    404", { api: true });
row("api.v1.events_.$eventId_.sessions",             "POST", "eventId=vi",                          "401   422   422   403   403    403     403   | 404      404    404    404", { api: true, json: { title: "" } });
row("api.v1.events_.$eventId_.sessions_.$sessionId", "GET",  "eventId=vi sessionId=viSession",      "401   200   200   200   200    200     200   | 404      404    404    404", { api: true });
row("api.v1.events_.$eventId_.sessions_.$sessionId", "GET",  "eventId=bahrain sessionId=viSession", "401   404   404   404   404    404     404   | 404      404    404    404", { api: true, note: "a session of another event than the address's" });
row("api.v1.events_.$eventId_.sessions_.$sessionId", "PATCH","eventId=vi sessionId=viSession",      "401   422   422   403   403    403     403   | 404      404    404    404", { api: true, json: { title: "" } });
row("api.v1.events_.$eventId_.sessions_.$sessionId_.attendance", "POST", "eventId=vi sessionId=viSession", "401 422 422 422   403    403     403   | 404      404    404    404", { api: true, json: { marks: [] }, note: "the facilitator teaches this session" });
row("api.v1.events_.$eventId_.sessions_.$sessionId_.attendance", "GET",  "eventId=vi sessionId=viSession", "401 405 405 405   405    405     405   | 405      405    405    405", { api: true });
row("api.v1.events_.$eventId_.registrations",        "GET",  "eventId=vi",                          "401   200   200   200   403    200     403   | 404      404    404    404", { api: true, note: "the roster page's rights: a partner its agency's people, donors 403" });
row("api.v1.events_.$eventId_.registrations",        "GET",  "eventId=draft",                       "401   200   200   404   404    404     404   | 404      404    404    404", { api: true });
row("api.v1.events_.$eventId_.registrations",        "POST", "eventId=vi",                          "401   422   422   403   403    403     403   | 403      403    403    403", { api: true, json: { givenName: "" } });
row("api.v1.events_.$eventId_.registrations_.$registrationId", "GET", "eventId=vi registrationId=viRegistration", "401 200 200 200 403  200     403   | 404      404    404    404", { api: true, note: "a Bahamas immigration officer: the partner's own" });
row("api.v1.events_.$eventId_.registrations_.$registrationId", "POST", "eventId=vi registrationId=viRegistration", "401 405 405 405 405 405   405   | 405      405    405    405", { api: true, json: {} });
row("api.v1.events_.$eventId_.attendance",           "GET",  "eventId=vi",                          "401   200   200   200   403    403     403   | 404      404    404    404", { api: true });
row("api.v1.events_.$eventId_.attendance",           "POST", "eventId=vi",                          "401   405   405   405   405    405     405   | 405      405    405    405", { api: true, json: {} });
row("api.v1.events_.$eventId_.certificates",         "GET",  "eventId=vi",                          "401   200   200   403   403    403     403   | 403      403    403    403", { api: true });
row("api.v1.events_.$eventId_.certificates",         "POST", "eventId=vi",                          "401   405   405   405   405    405     405   | 405      405    405    405", { api: true, json: {} });
row("api.v1.certificates.$code",                     "GET",  "code=certCode",                       "401   200   200   200   200    200     200   | 200      200    200    200", { api: true, note: "the public verification's fields, for any token" });
row("api.v1.certificates.$code",                     "POST", "code=certCode",                       "401   405   405   405   405    405     405   | 405      405    405    405", { api: true, json: {} });
row("api.v1.events_.$eventId_.action-plans",         "GET",  "eventId=vi",                          "401   200   200   200   200    200     403   | 404      403    404    404", { api: true });
row("api.v1.events_.$eventId_.action-plans",         "POST", "eventId=vi",                          "401   405   405   405   405    405     405   | 405      405    405    405", { api: true, json: {} });
row("api.v1.events_.$eventId_.action-plans_.$planId", "GET", "eventId=vi planId=plan",              "401   200   200   200   200    200     403   | 404      403    404    404", { api: true });
row("api.v1.events_.$eventId_.action-plans_.$planId", "GET", "eventId=bahrain planId=plan",         "401   404   404   404   404    404     403   | 404      403    404    404", { api: true, note: "a plan of another event than the address's" });
row("api.v1.events_.$eventId_.action-plans_.$planId", "POST", "eventId=vi planId=plan",             "401   405   405   405   405    405     405   | 405      405    405    405", { api: true, json: {} });
row("api.v1.events_.$eventId_.evaluation",           "GET",  "eventId=vi",                          "401   200   200   403   403    403     403   | 403      403    403    403", { api: true, note: "the results pages' rights; donors read evaluation in the summary" });
row("api.v1.events_.$eventId_.evaluation",           "POST", "eventId=vi",                          "401   405   405   405   405    405     405   | 405      405    405    405", { api: true, json: {} });
row("api.v1.follow-ups",                             "GET",  "",                                    "401   200   200   403   403    200     403   | 200      403    403    403", { api: true });
row("api.v1.follow-ups",                             "POST", "",                                    "401   405   405   405   405    405     405   | 405      405    405    405", { api: true, json: {} });
row("api.v1.follow-ups_.$requestId",                 "GET",  "requestId=request",                   "401   200   200   403   403    200     403   | 404      403    403    403", { api: true });
row("api.v1.follow-ups_.$requestId",                 "PATCH","requestId=request",                   "401   422   422   403   403    403     403   | 404      403    403    403", { api: true, json: { status: "received" }, note: "moving a request on: admins and coordinators" });
row("api.v1.programmes",                             "GET",  "",                                    "401   200   200   403   403    403     403   | 403      403    403    403", { api: true });
row("api.v1.programmes",                             "POST", "",                                    "401   405   405   405   405    405     405   | 405      405    405    405", { api: true, json: {} });
row("api.v1.organisations",                          "GET",  "",                                    "401   200   200   403   403    403     403   | 403      403    403    403", { api: true });
row("api.v1.organisations",                          "POST", "",                                    "401   405   405   405   405    405     405   | 405      405    405    405", { api: true, json: {} });
row("api.v1.reports.summary",                        "GET",  "",                                    "401   200   200   403   403    200     200   | 200      200    403    403", { api: true, note: "aggregates: donors and partners through the disclosure control" });
row("api.v1.reports.summary",                        "GET",  "",                                    "401   200   200   403   403    200     200   | 200      403    403    403", { api: true, query: "?programmeId=$programme", note: "a programme the other donor does not fund" });
row("api.v1.reports.summary",                        "POST", "",                                    "401   405   405   405   405    405     405   | 405      405    405    405", { api: true, json: {} });
row("api.v1.openapi[.]json",                         "GET",  "",                                    "200", { note: "the API's description: no data" });
row("api.docs",                                      "GET",  "",                                    "200", { note: "the API's description as a page: no data" });
row("account_.two-factor",                           "GET",  "",                                    "login 200   200   200   200    200     200   | 200      200    200    200", { note: "one's own second factor" });
row("account_.two-factor",                           "POST", "",                                    "login 400   400   400   400    400     400   | 400      400    400    400", { form: { intent: "remove", currentPassword: "", code: "" }, note: "the password and a code are asked first" });
row("account_.password",                             "GET",  "",                                    "login 200   200   200   200    200     200   | 200      200    200    200");
row("account_.password",                             "POST", "",                                    "login 400   400   400   400    400     400   | 400      400    400    400", { form: { intent: "change-password", currentPassword: "" } });
row("admin.audit",                                   "GET",  "",                                    "login 200   403   403   403    403     403   | 403      403    403    403");
row("admin.audit",                                   "POST", "",                                    "login ok    403   403   403    403     403   | 403      403    403    403", { form: { action: "login" } });
row("admin.users._index",                            "GET",  "",                                    "login 200   403   403   403    403     403   | 403      403    403    403");
row("admin.users.new",                               "GET",  "",                                    "login 200   403   403   403    403     403   | 403      403    403    403");
row("admin.users.new",                               "POST", "",                                    "login ok    403   403   403    403     403   | 403      403    403    403", { form: { name: "Matrix Invitee", email: "matrix-invitee@test.example", role: "participant", locale: "en" } });
row("admin.users.$userId",                           "GET",  "userId=user",                         "login 200   403   403   403    403     403   | 403      403    403    403");
row("admin.users.$userId",                           "GET",  "userId=nobody",                       "login 404   403   403   403    403     403   | 403      403    403    403");
row("admin.users.$userId",                           "POST", "userId=user",                         "login ok    403   403   403    403     403   | 403      403    403    403", { form: { intent: "disable" } });
row("admin.users.$userId",                           "POST", "userId=user",                         "login ok    403   403   403    403     403   | 403      403    403    403", { form: { intent: "reset-second-factor" } });
row("admin.outbox._index",                           "GET",  "",                                    "login 200   403   403   403    403     403   | 403      403    403    403");
row("admin.outbox._index",                           "POST", "",                                    "login ok    403   403   403    403     403   | 403      403    403    403", { form: { q: "matrix" } });
row("admin.outbox.$messageId",                       "GET",  "messageId=outbox",                    "login 200   403   403   403    403     403   | 403      403    403    403");
row("admin.outbox.$messageId",                       "POST", "messageId=outbox",                    "login ok    403   403   403    403     403   | 403      403    403    403", { form: { intent: "cancel" } });
row("admin.outbox.$messageId_.attachments.$position", "GET",  "messageId=outbox position=1",         "login 200   403   403   403    403     403   | 403      403    403    403");
row("admin.outbox.$messageId_.attachments.$position", "GET",  "messageId=outbox position=2",         "login 404   403   403   403    403     403   | 403      403    403    403", { note: "no second file" });

// ————————————————————————————————————————————————————————————————————————————————————————————
// The demo and the people asking

const cookies = {} as Record<Exclude<Subject, "anon">, string>;
const apiTokens = {} as Record<Exclude<Subject, "anon">, string>;
const users_ = {} as Record<Exclude<Subject, "anon">, { id: string; role: SessionUser["role"] }>;
/** Named records of the demo (and a few throwaway ones), for `params`, `query` and `form`. */
const ids: Record<string, string> = {};

async function userByEmail(email: string) {
  return firstRow(await getDb().select().from(users).where(eq(users.email, email)).limit(1))!;
}
async function eventId(title: string) {
  return firstRow(await getDb().select({ id: events.id }).from(events).where(eq(events.title, title)).limit(1))!.id;
}
async function orgId(name: string) {
  return firstRow(await getDb().select({ id: organisations.id }).from(organisations).where(eq(organisations.name, name)).limit(1))!.id;
}

beforeAll(async () => {
  const db = getDb();
  await seedDemo(db, { today: TODAY });
  await clearDemoEvaluation(); // these tests build their own tests and forms on the demo events
  for (const [subject, email] of [
    ["admin", "admin@example.org"],
    ["coordinator", "coordinator@example.org"],
    ["facilitator", "facilitator@example.org"],
    ["participant", "participant@example.org"],
    ["partner", "partner@example.org"],
    ["donor", "donor@example.org"],
  ] as const) {
    const u = await userByEmail(email);
    users_[subject] = { id: u.id, role: u.role };
  }
  const vi = await eventId(DEMO_EVENTS.victimIdentification);
  const bahrain = await eventId(DEMO_EVENTS.bahrain);
  const bahrainInterior = await orgId(DEMO_ORGANISATIONS.bahrainInterior);
  const bsImmigration = await orgId(DEMO_ORGANISATIONS.bahamasImmigration);

  // the same roles elsewhere: another agency, another donor, another event's facilitator and participant
  users_.xPartner = await createUser({ role: "partner", organisationId: bahrainInterior });
  users_.xDonor = await createUser({ role: "donor", organisationId: await orgId(DEMO_ORGANISATIONS.gulfFund) });
  users_.xFacil = await createUser({ role: "facilitator" });
  const bahrainSession = firstRow(await db.select({ id: eventSessions.id }).from(eventSessions).where(eq(eventSessions.eventId, bahrain)).orderBy(asc(eventSessions.startsAt)).limit(1))!;
  await db.insert(sessionFacilitators).values({ sessionId: bahrainSession.id, userId: users_.xFacil.id });
  users_.xPartic = await createUser({ role: "participant", organisationId: bahrainInterior });
  const bahrainOfficer = firstRow(await db
    .select({ personId: registrations.personId })
    .from(registrations)
    .where(and(eq(registrations.eventId, bahrain), eq(registrations.eventRole, "participant")))
    .orderBy(asc(registrations.id)).limit(1))!;
  await db.update(people).set({ userId: users_.xPartic.id }).where(eq(people.id, bahrainOfficer.personId));
  for (const subject of Object.keys(users_) as (keyof typeof users_)[]) cookies[subject] = await sessionCookie(users_[subject]);
  for (const subject of Object.keys(users_) as (keyof typeof users_)[]) {
    const u = firstRow(await db.select().from(users).where(eq(users.id, users_[subject].id)).limit(1))!;
    const actor = { user: { id: u.id, email: u.email, name: u.name, role: u.role, organisationId: u.organisationId, locale: u.locale }, ip: null };
    apiTokens[subject] = (await createApiToken(actor, { name: "matrix", access: "write", lifetimeDays: 7 })).secret;
  }

  // a session of the draft, taught by the demo facilitator (who still may not see the draft)
  const draftSession = (await db
    .insert(eventSessions)
    .values({ eventId: await eventId(DEMO_EVENTS.draft), title: "Adult learning methods", startsAt: new Date("2027-02-05T06:00:00Z"), endsAt: new Date("2027-02-05T08:00:00Z") })
    .returning())[0];
  await db.insert(sessionFacilitators).values({ sessionId: draftSession.id, userId: users_.facilitator.id });

  const participant = users_.participant.id;
  const participantPerson = firstRow(await db.select({ id: people.id }).from(people).where(eq(people.userId, participant)).limit(1))!.id;
  const facilitatorSession = firstRow(await db
    .select({ id: eventSessions.id })
    .from(eventSessions)
    .innerJoin(sessionFacilitators, eq(sessionFacilitators.sessionId, eventSessions.id))
    .where(and(eq(eventSessions.eventId, vi), eq(sessionFacilitators.userId, users_.facilitator.id)))
    .orderBy(asc(eventSessions.startsAt)).limit(1))!;
  const viRegs = await db
    .select({ id: registrations.id, personId: registrations.personId })
    .from(registrations)
    .where(and(eq(registrations.eventId, vi), eq(registrations.eventRole, "participant"), eq(registrations.status, "confirmed")))
    .orderBy(asc(registrations.id));
  const otherReg = viRegs.find((r) => r.personId !== participantPerson)!;
  const plan = firstRow(await db.select({ id: actionPlans.id }).from(actionPlans).where(eq(actionPlans.title, "Bringing victim identification into port operations")).limit(1))!.id;
  const items = await db.select({ id: actionPlanItems.id, status: actionPlanItems.status }).from(actionPlanItems).where(eq(actionPlanItems.planId, plan)).orderBy(asc(actionPlanItems.position));
  const participantUser = await userByEmail("participant@example.org");
  const participantSession: SessionUser = { id: participantUser.id, email: participantUser.email, name: participantUser.name, role: "participant", organisationId: participantUser.organisationId, locale: participantUser.locale };
  const update = await addProgressUpdate(
    { user: participantSession, ip: null },
    { eventId: vi, planId: plan },
    items[2].id,
    { note: "Interview guide drafted", attachment: { name: "guide.pdf", bytes: new TextEncoder().encode("%PDF-1.4 matrix") } },
  );
  const cert = firstRow(await db
    .select({ id: certificates.id, code: certificates.code })
    .from(certificates)
    .innerJoin(registrations, eq(registrations.id, certificates.registrationId))
    .where(and(eq(registrations.eventId, vi), eq(registrations.personId, participantPerson))).limit(1))!;
  const fu = await eventId(DEMO_EVENTS.followUp);
  const onFu = new Set((await db.select({ personId: registrations.personId }).from(registrations).where(eq(registrations.eventId, fu))).map((r) => r.personId));
  const nominee = viRegs.find((r) => r.personId !== participantPerson && !onFu.has(r.personId))!.personId;
  const outbox = await db.transaction(async (tx) => {
    await enqueueEmail(tx, {
      kind: "invitation",
      to: "matrix@test.example",
      subject: "Matrix",
      html: "<p>Matrix</p>",
      text: "Matrix",
      attachments: [{ filename: "matrix.ics", contentType: "text/calendar", content: Buffer.from("BEGIN:VCALENDAR").toString("base64") }],
    });
    return firstRow(await tx.select({ id: emailOutbox.id }).from(emailOutbox).where(eq(emailOutbox.toAddress, "matrix@test.example")).limit(1))!.id;
  });
  const throwaway = await createUser({ role: "participant", email: "matrix-throwaway@test.example" });
  const rosterOnly = (await db.insert(people).values({ givenName: "Roster", familyName: "Only", email: "matrix-roster-only@test.example" }).returning())[0].id;
  const resetToken = "matrix-reset-token-0123456789abcdefghijklmnopq";
  await db.insert(passwordResetTokens)
    .values({ tokenHash: hashToken(resetToken), userId: throwaway.id, purpose: "reset", expiresAt: new Date(Date.now() + 3_600_000) });

  // a confirmation link of a public registration that gave a known email
  const confirmToken = "matrix-confirm-token-0123456789abcdefghijklmno";
  // the participant's calendar feed (43 characters, like a real token)
  const feedToken = "matrixFeedToken_0123456789abcdefghijklmnopq";
  await db.insert(calendarFeeds).values({ userId: participant, tokenHash: hashToken(feedToken), createdAt: new Date() });
  await db.insert(registrationRequests)
    .values({ tokenHash: hashToken(confirmToken), eventId: fu, email: "matrix-roster-only@test.example", details: JSON.stringify({ givenName: "Roster", familyName: "Only" }), locale: "en", consentWording: "I agree", expiresAt: new Date(Date.now() + 3_600_000) });

  // a knowledge test on the victim-identification training, its pre-test open
  const coordinatorUser = await userByEmail("coordinator@example.org");
  const coordinatorActor = { user: { id: coordinatorUser.id, email: coordinatorUser.email, name: coordinatorUser.name, role: coordinatorUser.role, organisationId: coordinatorUser.organisationId, locale: coordinatorUser.locale }, ip: null };
  const testQuestion = await createQuestion(coordinatorActor, vi, { kind: "true_false", prompt: "Matrix?", explanation: null, options: [], trueFalseAnswer: true });
  await openPhase(coordinatorActor, vi, "pre");
  await openSessionFeedbackForm(coordinatorActor, vi, facilitatorSession.id);
  await openSessionFeedbackForm(coordinatorActor, bahrain, bahrainSession.id);

  // webhook subscriptions of the coordinator and of the admin (addresses that need no name lookup)
  const adminUser = await userByEmail("admin@example.org");
  const asActor = (u: typeof adminUser) => ({ user: { id: u.id, email: u.email, name: u.name, role: u.role, organisationId: u.organisationId, locale: u.locale }, ip: null });
  const webhook = await createWebhook(asActor(coordinatorUser), { name: "Matrix", url: "https://203.0.113.10/coordinator", eventTypes: ["event.status_changed"] });
  const adminWebhook = await createWebhook(asActor(adminUser), { name: "Matrix admin", url: "https://203.0.113.10/admin", eventTypes: ["event.status_changed"] });

  Object.assign(ids, {
    webhook: String(webhook.id),
    adminWebhook: String(adminWebhook.id),
    noWebhook: "999999",
    vi: String(vi),
    testQuestion: String(testQuestion.ok ? testQuestion.questionId : 0),
    bahrain: String(bahrain),
    draft: String(await eventId(DEMO_EVENTS.draft)),
    fu: String(fu),
    viSession: String(facilitatorSession.id),
    bahrainSession: String(bahrainSession.id),
    draftSession: String(draftSession.id),
    viRegistration: String(otherReg.id),
    ownRegistration: String(viRegs.find((r) => r.personId === participantPerson)!.id),
    nominee: String(nominee),
    person: String(otherReg.personId),
    org: String(bsImmigration),
    programme: String(firstRow(await db.select({ id: programmes.id }).from(programmes).where(eq(programmes.name, DEMO_PROGRAMMES.westernHemisphere)).limit(1))!.id),
    request: String(firstRow(await db.select({ id: followUpRequests.id }).from(followUpRequests).where(eq(followUpRequests.title, DEMO_FOLLOW_UP_TITLE)).limit(1))!.id),
    plan: String(plan),
    planItem: String(items[1].id),
    doneItem: String(items.find((i) => i.status === "done")!.id),
    cancelled: String(
      (await db.insert(events).values({ title: "Cancelled workshop", type: "workshop", country: "BS", timeZone: "America/Nassau", startDate: "2026-06-02", endDate: "2026-06-02", status: "cancelled" }).returning())[0].id,
    ),
    update: String(update),
    cert: String(cert.id),
    certCode: cert.code,
    outbox: String(outbox),
    user: throwaway.id,
    nobody: "no-such-user-id",
    resetToken,
    confirmToken,
    feedToken,
    badFeedToken: "matrixFeedToken_0123456789abcdefghijklmnopX",
    badToken: "not-a-real-token",
    prefsUser: participant,
    prefsToken: await preferencesToken(db, { kind: "user", userId: participant }),
    prefsPerson: String(rosterOnly),
    prefsPersonToken: await preferencesToken(db, { kind: "person", personId: rosterOnly }),
    evalToken: await accessTokenFor(viRegs.find((r) => r.personId === participantPerson)!.id, "pre", Date.now() + 3_600_000),
    badEvalToken: (await accessTokenFor(viRegs.find((r) => r.personId === participantPerson)!.id, "pre", Date.now() + 3_600_000)).replace(".pre.", ".post."),
    viSessionTarget: `session-${facilitatorSession.id}`,
    bahrainSessionTarget: `session-${bahrainSession.id}`,
    sessionEvalToken: await accessTokenFor(viRegs.find((r) => r.personId === participantPerson)!.id, `session-${facilitatorSession.id}`, Date.now() + 3_600_000),
    badSessionEvalToken: (await accessTokenFor(viRegs.find((r) => r.personId === participantPerson)!.id, `session-${facilitatorSession.id}`, Date.now() + 3_600_000)).replace(
      `.session-${facilitatorSession.id}.`,
      `.session-${bahrainSession.id}.`,
    ),
  });
  // sanity: the demo is what the table assumes
  expect((await db.select().from(sessionFacilitators).where(and(eq(sessionFacilitators.userId, users_.facilitator.id), isNotNull(sessionFacilitators.sessionId)))).length).toBeGreaterThan(0);
});

// ————————————————————————————————————————————————————————————————————————————————————————————
// Running a row

const modules = { ...import.meta.glob("../../app/routes/*.{ts,tsx}"), ...import.meta.glob("../../app/api/api.v1.*.ts") };
/** The API's addresses: modules written and named as flat route files, answered through app/routes/api.v1.$.ts */
const API_DIR = path.resolve("app/api");
const API_ROUTE = "api.v1.$";

/** The route modules: app/routes, and the API's address modules (app/api/api.v1.*.ts). */
function routeFiles() {
  return [...fs.readdirSync(ROUTES_DIR), ...fs.readdirSync(API_DIR).filter((f) => f.startsWith("api.v1."))].filter((f) => /\.(ts|tsx)$/.test(f)).sort();
}

async function loadRoute(route: string) {
  const file = routeFiles().find((f) => f.replace(/\.(ts|tsx)$/, "") === route);
  if (!file) throw new Error(`no route file app/routes/${route}.ts(x)`);
  const load = modules[`../../app/routes/${file}`] ?? modules[`../../app/api/${file}`];
  if (!load) throw new Error(`route file ${file} is not importable`);
  return (await load()) as { loader?: Handler; action?: Handler };
}
type Handler = Parameters<typeof call>[0];

/**
 * The URL path of a flat route file (Remix v2 conventions): `.` separates segments, `$name` is a
 * parameter, `[…]` is literal, `_index` is the index, a trailing `_` escapes nesting, a leading `_`
 * is a pathless layout.
 */
function routePath(route: string, params: Record<string, string>) {
  const segments: string[] = [];
  let current = "";
  let escaped = false;
  let literal = ""; // the escaped characters of the current segment, kept apart from the rules below
  const flush = () => {
    segments.push(current + literal);
    current = "";
    literal = "";
  };
  for (const ch of route) {
    if (escaped) {
      if (ch === "]") escaped = false;
      else literal += ch;
      continue;
    }
    if (ch === "[") {
      escaped = true;
      continue;
    }
    if (ch === ".") {
      flush();
      continue;
    }
    if (literal) {
      current += literal;
      literal = "";
    }
    current += ch;
  }
  flush();
  const parts = segments
    .filter((s) => s !== "_index" && !/^_[^.]/.test(s))
    .map((s) => s.replace(/_$/, ""))
    .map((s) => (s === "$" ? (params["*"] ?? "") : s))
    .map((s) =>
      s.replace(/^\$([\w-]+)/, (_, name: string) => {
        if (!(name in params)) throw new Error(`route ${route} needs the parameter ${name}`);
        return encodeURIComponent(params[name]);
      }),
    );
  return `/${parts.join("/")}`;
}

function resolve(value: string) {
  return value.replace(/\$(\w+)/g, (whole, key: string) => ids[key] ?? whole);
}

function paramsOf(spec: string): Record<string, string> {
  return Object.fromEntries(
    spec
      .split(/\s+/)
      .filter(Boolean)
      .map((pair) => {
        const [name, value] = pair.split("=");
        return [name, ids[value] ?? value];
      }),
  );
}

function expectations(spec: string): Record<Subject, string> {
  const tokens = spec.split(/\s+/).filter((t) => t && t !== "|");
  if (tokens.length === 1) return Object.fromEntries(COLUMNS.map((c) => [c, tokens[0]])) as Record<Subject, string>;
  if (tokens.length !== COLUMNS.length) throw new Error(`expected ${COLUMNS.length} outcomes, got ${tokens.length}: ${spec}`);
  return Object.fromEntries(COLUMNS.map((c, i) => [c, tokens[i]])) as Record<Subject, string>;
}

function loginLocation(pathAndQuery: string) {
  return pathAndQuery === "/" ? "/login" : `/login?${new URLSearchParams({ redirectTo: pathAndQuery })}`;
}

/** What happened, in the table's words (a thrown error that is not a Response is a 500). */
async function outcome(r: Row, subject: Subject): Promise<string> {
  const mod = await loadRoute(r.route);
  let fn = r.method === "GET" ? mod.loader : mod.action;
  if (!fn) return `no ${r.method === "GET" ? "loader" : "action"}`;
  let params = paramsOf(r.params);
  const pathname = routePath(r.route, params);
  const query = r.query ? resolve(r.query) : "";
  if (r.api) {
    // an API address is asked as Remix asks it: through the one API route, which finds the module
    const apiRoute = await loadRoute(API_ROUTE);
    fn = (r.method === "GET" ? apiRoute.loader : apiRoute.action)!;
    params = { "*": pathname.replace(/^\/api\/v1\//, "") };
    const headers: Record<string, string> = subject === "anon" ? {} : { Authorization: `Bearer ${apiTokens[subject]}` };
    if (r.method !== "GET") headers["Content-Type"] = "application/json";
    const body = r.method === "GET" ? undefined : JSON.stringify(r.json ?? {}, (_k, v: unknown) => (typeof v === "string" ? resolve(v) : v));
    const request = new Request(`http://localhost:3000${pathname}${query}`, { method: r.method, headers: { ...headers, "x-convene-client-ip": `matrix-${subject}` }, body });
    try {
      return String(unwrap(await call(fn, request, params)).status);
    } catch (error) {
      return `500 (${(error as Error).message?.slice(0, 120)})`;
    }
  }
  let cookie: string | undefined;
  if (subject !== "anon") cookie = r.fresh ? await sessionCookie(users_[subject]) : cookies[subject];
  const form = r.method !== "GET" ? Object.fromEntries(Object.entries(r.form ?? {}).map(([k, v]) => [k, Array.isArray(v) ? v.map(resolve) : resolve(v)])) : undefined;
  const request = makeRequest(pathname + query, { method: r.method, cookie, form });
  let result: unknown;
  try {
    result = await call(fn, request, params);
  } catch (error) {
    return `500 (${(error as Error).message?.slice(0, 120)})`;
  }
  const { status, headers } = unwrap(result);
  if (status >= 300 && status < 400 && headers.get("Location") === loginLocation(pathname + query)) return "login";
  return String(status);
}

function matches(expected: string, actual: string) {
  if (expected === "ok") return /^[23]\d\d$/.test(actual);
  return expected === actual;
}

function label(r: Row) {
  return `${r.method} ${r.route}${r.params ? ` [${r.params}]` : ""}${r.query ? ` ${r.query}` : ""}${r.note ? ` — ${r.note}` : ""}`;
}

// ————————————————————————————————————————————————————————————————————————————————————————————

describe("the authorization matrix", () => {
  it("lists every route module, with a row for each loader and action it exports (and none it does not)", async () => {
    const problems: string[] = [];
    for (const file of routeFiles()) {
      const route = file.replace(/\.(ts|tsx)$/, "");
      const mod = await loadRoute(route);
      const listed = rows.filter((r) => r.route === route);
      if (listed.length === 0) problems.push(`${file}: not in the authorization matrix — add its rows (who may GET and POST it)`);
      if (mod.loader && !listed.some((r) => r.method === "GET")) problems.push(`${file}: its loader has no GET row`);
      if (mod.action && !listed.some((r) => r.method !== "GET")) problems.push(`${file}: its action has no POST row`);
      if (!mod.loader && listed.some((r) => r.method === "GET")) problems.push(`${file}: a GET row, but no loader`);
      if (!mod.action && listed.some((r) => r.method !== "GET")) problems.push(`${file}: a POST row, but no action`);
    }
    const known = new Set(routeFiles().map((f) => f.replace(/\.(ts|tsx)$/, "")));
    for (const r of rows) if (!known.has(r.route)) problems.push(`${r.route}: in the matrix, but there is no such route file`);
    expect(problems).toEqual([]);
  });

  it("knows how flat route files map to URLs", () => {
    expect(routePath("_index", {})).toBe("/");
    expect(routePath("events.$eventId.roster[.]csv", { eventId: "7" })).toBe("/events/7/roster.csv");
    expect(routePath("events_.$eventId.sessions_.$sessionId.check-in", { eventId: "7", sessionId: "9" })).toBe("/events/7/sessions/9/check-in");
    expect(routePath("me.certificates.$certificateId[.]pdf", { certificateId: "3" })).toBe("/me/certificates/3.pdf");
    expect(routePath("admin.outbox._index", {})).toBe("/admin/outbox");
  });

  for (const r of rows) {
    it(label(r), async () => {
      const expected = expectations(r.expect);
      const wrong: string[] = [];
      for (const subject of COLUMNS) {
        const actual = await outcome(r, subject);
        if (!matches(expected[subject], actual)) wrong.push(`${subject}: expected ${expected[subject]}, got ${actual}`);
      }
      expect(wrong, `${label(r)}\n  ${wrong.join("\n  ")}`).toEqual([]);
    });
  }
});

