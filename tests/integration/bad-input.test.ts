import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { and, asc, eq, max } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb, firstRow } from "../../db/client";
import {
  actionPlanItems,
  actionPlans,
  auditLog,
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
  webhookDeliveries,
} from "../../db/schema";
import { DEMO_EVENTS, DEMO_FOLLOW_UP_TITLE, DEMO_ORGANISATIONS, DEMO_PROGRAMMES, seedDemo } from "../../db/seed/demo";
import { hashToken } from "~/auth/tokens.server";
import type { SessionUser } from "~/auth/session.server";
import { addActionItem, addTemplateItem, saveActionPlanTemplate, uploadsDir } from "~/models/action-plans.server";
import { preferencesToken } from "~/models/email-preferences.server";
import { createFollowUp } from "~/models/follow-ups.server";
import { enqueueEmail } from "~/models/outbox.server";
import { createWebhook } from "~/models/webhooks.server";
import { accessTokenFor } from "~/models/evaluation-access.server";
import { createQuestion, openPhase } from "~/models/knowledge-tests.server";
import { createApiToken } from "~/models/api-tokens.server";
import * as personalLink from "~/routes/take.$token";
import { APP, call, createUser, makeRequest, rawAll, rawGet, rawRun, sessionCookie, unwrap, clearDemoEvaluation } from "../setup/helpers";

/**
 * Bad input (issue 10, "never a 500, never a partial change"): every action (POST) of the app,
 * as a user who may use it, receives malformed values, a 10 MB field, wrong types (a list where one
 * value is expected, letters where a number is), unicode edge cases (right-to-left override U+202E,
 * zero-width joiner, NUL, emoji, combining marks, byte-order mark), missing fields, and bodies that
 * are not a form at all (JSON, text, no Content-Type, multipart without a boundary, cut off or
 * garbled; file names with quotes and line breaks). For every
 * answer: never a 500 (a thrown error that is not a Response counts as one), and when the answer
 * is a 4xx, nothing changed: a digest of every table (sessions and rate-limit counters aside) is
 * the same before and after, no file appeared among the uploads, and the audit log gained nothing
 * but the record of a failed login. A route with an action that this table does not know fails the
 * first test, so every new action is put through the same.
 */

const TODAY = new Date("2026-11-22T12:00:00Z");
const ROUTES_DIR = path.resolve("app/routes");

/**
 * linkHolder: no session, the cookie a personal link leaves on the device (a test taken without an
 * account); sessionLinkHolder: the same for the feedback form of one session
 */
type Subject = "anon" | "admin" | "coordinator" | "facilitator" | "participant" | "partner" | "linkHolder" | "sessionLinkHolder";
type Value = string | string[];
type FormSpec = Record<string, Value>;
type FilePart = { field: string; filename: string; bytes: Uint8Array | string; type?: string };
/** A body sent as these bytes with this Content-Type (null: no Content-Type header at all) */
type RawBody = { contentType: string | null; body: (form: Record<string, string | string[]>) => string | Uint8Array };
type Variant = { name: string; form: FormSpec; files?: FilePart[]; multipart?: boolean; raw?: RawBody };
type Entry = {
  route: string;
  as: Subject;
  /** route params: name=key (ids below) */
  params?: string;
  query?: string;
  /** a form the action accepts; the variants are made from it ("$key" are ids, "{{n}}" a counter) */
  form: FormSpec;
  /** uploads and other variants of their own (multipart) */
  extra?: () => Variant[];
  /** no generated variants (only `extra`) */
  onlyExtra?: boolean;
  fresh?: boolean;
  note?: string;
  /** an API write: sent with the subject's read-write token, its JSON variants made from `json` */
  api?: { method: "POST" | "PATCH"; json: Record<string, unknown> };
};

const TEN_MB = "x".repeat(10 * 1024 * 1024);
/** right-to-left override, zero-width joiner, NUL, an emoji with skin tone and ZWJ sequence, combining marks, BOM */
const UNICODE = "\u202Eevil\u200D\u0000👩🏽‍⚖️e\u0301\u0301\u0301\uFEFF";

const person = (n = "{{n}}") => ({
  givenName: "Ana", familyName: `Bad-Input ${n}`, email: `bad-input-${n}@test.example`, phone: "+1 242 555 0100",
  sex: "female", organisationId: "$bsImmigration", position: "Officer", roleCategory: "immigration_officer",
  nationality: "BS", dietaryNeeds: "none", accessibilityNeeds: "none",
});
const eventForm = {
  title: "Bad input training {{n}}", type: "training", description: "d", programmeId: "$programme", partnerIds: "$bsImmigration",
  country: "BS", locality: "Nassau", venue: "Hall", timeZone: "America/Nassau", startDate: "2027-03-01", endDate: "2027-03-03",
  capacity: "30", targetRoles: "immigration_officer", topics: "One\nTwo", gcmObjectiveIds: "7", contactName: "C", contactEmail: "c@example.org",
  registrationOpensAt: "2027-01-01T09:00", registrationClosesAt: "2027-02-20T17:00", completionThreshold: "80", requiresApproval: "on", consentText: "I agree",
  checkInDays: "30, 60, 90",
};
const sessionForm = { title: "Bad input session", kind: "presentation", day: "2027-03-02", start: "11:00", end: "12:00", room: "Room {{n}}", description: "d", facilitator: "user:$facilitatorUser" };
/** The same event and session as JSON ("#key": a demo id as a number). */
const eventJson = {
  title: "API bad input", type: "training", description: "d", programmeId: "#programme", partnerIds: ["#bsImmigration"], country: "BS", locality: "Nassau",
  venue: "Hall", timeZone: "America/Nassau", startDate: "2027-03-01", endDate: "2027-03-03", capacity: 30, targetRoles: ["immigration_officer"],
  topics: ["One", "Two"], gcmObjectiveIds: [7], contactName: "C", contactEmail: "c@example.org", registrationOpensAt: "2027-01-01T09:00",
  registrationClosesAt: "2027-02-20T17:00", completionThreshold: 80, requiresApproval: true, consentText: "I agree", checkInDays: [30, 60, 90],
};
const sessionJson = { title: "API session", kind: "presentation", day: "2027-03-02", start: "13:00", end: "14:00", description: "d", facilitator: ["user:$facilitatorUser"] };
const itemForm = { action: "Brief the shift", targetDate: "2027-06-30", responsible: "Me", indicator: "Briefed", status: "planned" };

const ENTRIES: Entry[] = [
  // public forms
  { route: "login", as: "anon", form: { email: "admin@example.org", password: "not the password", redirectTo: "/events" } },
  { route: "login", as: "anon", form: { email: "participant@example.org", password: "demo-password", redirectTo: "/events" }, note: "the right password" },
  { route: "logout", as: "participant", form: {}, fresh: true },
  { route: "setup", as: "anon", form: { name: "Mallory", email: "mallory@example.org", password: "long enough password", confirmPassword: "long enough password" } },
  { route: "forgot-password", as: "anon", form: { email: "someone@example.org" } },
  { route: "reset-password.$token", as: "anon", params: "token=resetToken", form: { password: "a new long password", confirmPassword: "a new long password" } },
  { route: "settings.language", as: "participant", form: { locale: "en", redirectTo: "/events" } },
  { route: "events_.$eventId.register", as: "anon", params: "eventId=fu", form: { ...person(), consent: "yes", locale: "en", website: "" } },
  { route: "registrations.confirm.$token", as: "anon", params: "token=confirmToken", form: {} },
  { route: "email-preferences", as: "participant", form: { intent: "off" } },
  { route: "email-preferences", as: "anon", form: { intent: "on", u: "$prefsUser", t: "$prefsToken" }, note: "by the link in a reminder" },
  { route: "email-preferences", as: "anon", form: { intent: "on", p: "$prefsPerson", t: "$prefsPersonToken" }, note: "by the link of someone without an account" },
  { route: "email-preferences_.unsubscribe", as: "anon", query: "?u=$prefsUser&t=$prefsToken", form: { "List-Unsubscribe": "One-Click" }, note: "one-click, an account" },
  { route: "email-preferences_.unsubscribe", as: "anon", query: "?p=$prefsPerson&t=$prefsPersonToken", form: { "List-Unsubscribe": "One-Click" }, note: "one-click, without an account" },
  { route: "check-in", as: "participant", form: { intent: "code", code: "ABC234" } },
  { route: "me", as: "participant", form: { intent: "cancel", registrationId: "$ownFuRegistration" } },
  // events, sessions
  { route: "events.new", as: "coordinator", form: eventForm },
  { route: "events.$eventId.edit", as: "coordinator", params: "eventId=scratch", form: { ...eventForm, title: "Scratch event" } },
  { route: "events.$eventId._index", as: "coordinator", params: "eventId=scratch", form: { intent: "status", status: "open" } },
  { route: "events.$eventId._index", as: "coordinator", params: "eventId=scratch", form: { intent: "duplicate", startDate: "2027-06-01" } },
  { route: "events.$eventId.sessions", as: "coordinator", params: "eventId=scratch", form: { intent: "calendar-feed" }, note: "the event's calendar feed" },
  { route: "events.$eventId.sessions.new", as: "coordinator", params: "eventId=scratch", form: sessionForm },
  { route: "events.$eventId.sessions.$sessionId", as: "coordinator", params: "eventId=scratch sessionId=scratchSession", form: { intent: "update", ...sessionForm } },
  { route: "events.$eventId.sessions.several", as: "coordinator", params: "eventId=scratch", form: { rows: "2", intent: "create", "row-0-title": "Bad input row {{n}}", "row-0-kind": "exercise", "row-0-day": "2027-03-02", "row-0-start": "15:00", "row-0-end": "16:00", "row-0-room": "Row room {{n}}", "row-0-facilitator": "user:$facilitatorUser", "row-1-title": "", "row-1-kind": "presentation", "row-1-day": "2027-03-02", "row-1-start": "", "row-1-end": "", "row-1-room": "", "row-1-facilitator": "" } },
  { route: "events.$eventId.sessions.copy-day", as: "coordinator", params: "eventId=scratch", form: { from: "2027-03-01", to: "2027-03-02" } },
  { route: "events.$eventId.sessions.$sessionId", as: "coordinator", params: "eventId=scratch sessionId=doomedSession", form: { intent: "delete" } },
  // rosters, attendance, certificates
  { route: "events.$eventId.roster", as: "coordinator", params: "eventId=scratch", form: { registrationIds: "$scratchRegistration", status: "confirmed" } },
  { route: "events.$eventId.roster_.add", as: "coordinator", params: "eventId=scratch", form: { ...person(), eventRole: "participant", status: "confirmed" } },
  { route: "events.$eventId.roster_.import", as: "coordinator", params: "eventId=scratchImport", form: {}, onlyExtra: true, extra: rosterFiles },
  { route: "events.$eventId.nominate", as: "partner", params: "eventId=fu", form: { personIds: "$nominee", givenName: "New", familyName: "Officer {{n}}", email: "nominee-{{n}}@test.example", position: "Officer" } },
  { route: "events.$eventId.attendance", as: "facilitator", params: "eventId=vi", form: { intent: "cell", sessionId: "$viSession", registrationId: "$viRegistration", status: "late" } },
  { route: "events.$eventId.attendance", as: "facilitator", params: "eventId=vi", form: { intent: "session", sessionId: "$viSession", "r-$viRegistration": "present" } },
  { route: "events.$eventId.attendance", as: "coordinator", params: "eventId=vi", form: { intent: "all-present", sessionId: "$viSession" } },
  { route: "events.$eventId.certificates", as: "coordinator", params: "eventId=vi", form: { intent: "issue-selected", registrationIds: "$viRegistration" } },
  { route: "events.$eventId.certificates", as: "coordinator", params: "eventId=vi", form: { intent: "revoke", certificateId: "$otherCertificate", reason: "Issued by mistake" } },
  { route: "events.$eventId.certificates", as: "coordinator", params: "eventId=vi", form: { intent: "issue-all" } },
  { route: "events.$eventId.feedback", as: "coordinator", params: "eventId=vi", form: { intent: "open" }, note: "opens the form the next entry answers" },
  { route: "me_.feedback.$eventId", as: "participant", params: "eventId=vi", form: { overall: "5", content: "4", facilitators: "5", relevance: "4", confidence: "3", comment: "Useful {{n}}" } },
  { route: "events.$eventId.feedback", as: "coordinator", params: "eventId=vi", form: { intent: "remind" } },
  { route: "events.$eventId.feedback", as: "coordinator", params: "eventId=vi", form: { intent: "openSession", sessionId: "$viSession" }, note: "opens the session form the next entry answers" },
  { route: "me_.feedback.$eventId_.sessions.$sessionId", as: "participant", params: "eventId=vi sessionId=viSession", form: { content: "5", facilitators: "4", relevance: "5", comment: "Useful {{n}}" } },
  { route: "take._index", as: "sessionLinkHolder", form: { content: "5", facilitators: "4", relevance: "5", comment: "Useful {{n}}" }, note: "a session's form answered through a personal link" },
  { route: "take.code.$eventId.$target", as: "anon", params: "eventId=vi target=viSessionTarget", form: { code: "ZZZZ-ZZZZ" }, note: "the entry page of a session's form" },
  { route: "events.$eventId.evaluation-access", as: "coordinator", params: "eventId=vi", form: { intent: "email", target: "session-$viSession", language: "fr" }, note: "links to the open session form" },
  { route: "events.$eventId.feedback", as: "coordinator", params: "eventId=vi", form: { intent: "closeSession", sessionId: "$viSession" } },
  // action plans
  { route: "events.$eventId.action-plans_.new", as: "coordinator", params: "eventId=vi", form: { title: "Plan {{n}}", memberPersonIds: "$planless", fromTemplate: "on" } },
  { route: "events.$eventId.action-plans_.new", as: "participant", params: "eventId=vi", form: { title: "My second plan", memberPersonIds: "$planless" } },
  { route: "events.$eventId.action-plans_.$planId", as: "participant", params: "eventId=vi planId=plan", form: { intent: "rename", title: "Bringing victim identification into port operations" } },
  { route: "events.$eventId.action-plans_.$planId", as: "participant", params: "eventId=vi planId=plan", form: { intent: "add-item", ...itemForm } },
  { route: "events.$eventId.action-plans_.$planId", as: "participant", params: "eventId=vi planId=plan", form: { intent: "edit-item", itemId: "$planItem", ...itemForm } },
  { route: "events.$eventId.action-plans_.$planId", as: "participant", params: "eventId=vi planId=plan", form: { intent: "remove-item", itemId: "$doomedItem" } },
  { route: "events.$eventId.action-plans_.$planId", as: "participant", params: "eventId=vi planId=plan", form: { intent: "submit" } },
  { route: "events.$eventId.action-plans_.$planId", as: "participant", params: "eventId=vi planId=plan", form: { intent: "progress", itemId: "$planItem", note: "Progress", statusAfter: "in_progress" }, extra: progressUploads },
  { route: "events.$eventId.action-plans_.$planId", as: "coordinator", params: "eventId=vi planId=plan", form: { intent: "comment", body: "Well done" } },
  { route: "events.$eventId.action-plans_.$planId", as: "partner", params: "eventId=vi planId=plan", form: { intent: "validate", itemId: "$planItem" } },
  { route: "events.$eventId.action-plans_.template", as: "coordinator", params: "eventId=vi", form: { intent: "save-title", title: "Template" } },
  { route: "events.$eventId.action-plans_.template", as: "coordinator", params: "eventId=vi", form: { intent: "add-item", ...itemForm } },
  { route: "events.$eventId.action-plans_.template", as: "coordinator", params: "eventId=vi", form: { intent: "edit-item", itemId: "$templateItem", ...itemForm } },
  { route: "events.$eventId.action-plans_.template", as: "coordinator", params: "eventId=vi", form: { intent: "remove-item", itemId: "$doomedTemplateItem" } },
  // knowledge tests
  { route: "events.$eventId.tests_.questions.new", as: "coordinator", params: "eventId=scratch", form: { kind: "single", prompt: "Question {{n}}", "option-0": "Yes", "option-1": "No", correct: "0", explanation: "" } },
  { route: "events.$eventId.tests_.questions.$questionId", as: "coordinator", params: "eventId=scratch questionId=testQuestion", form: { kind: "true_false", prompt: "Edited", trueFalse: "true", explanation: "Why" } },
  { route: "events.$eventId.tests", as: "coordinator", params: "eventId=scratch", form: { intent: "move", questionId: "$testQuestion", direction: "down" } },
  { route: "events.$eventId.tests", as: "coordinator", params: "eventId=scratch", form: { intent: "delete", questionId: "$doomedTestQuestion" } },
  { route: "events.$eventId.tests", as: "coordinator", params: "eventId=scratch", form: { intent: "copy", fromEventId: "$vi" } },
  { route: "events.$eventId.tests", as: "coordinator", params: "eventId=scratch", form: { intent: "schedule", phase: "post", opensDay: "2027-03-01", opensTime: "09:00", closesDay: "2027-03-02", closesTime: "17:00" } },
  { route: "events.$eventId.tests", as: "coordinator", params: "eventId=scratch", form: { intent: "unschedule", phase: "post" } },
  { route: "events.$eventId.tests", as: "coordinator", params: "eventId=scratch", form: { intent: "open", phase: "pre" } },
  { route: "events.$eventId.tests", as: "coordinator", params: "eventId=scratch", form: { intent: "close", phase: "pre" } },
  { route: "events.$eventId.tests_.results", as: "coordinator", params: "eventId=vi", form: { registrationId: "$viRegistration", phase: "post", correct: "1" } },
  { route: "me_.tests.$eventId.$phase", as: "participant", params: "eventId=vi phase=pre", form: { intent: "autosave", "q-$viTestQuestion": "$viTestOption" } },
  { route: "me_.tests.$eventId.$phase", as: "participant", params: "eventId=vi phase=pre", form: { intent: "submit", "q-$viTestQuestion": "$viTestOption" } },
  { route: "take._index", as: "linkHolder", form: { intent: "autosave", "q-$viTestQuestion": "$viTestOption" }, note: "a test taken through a personal link" },
  { route: "take._index", as: "linkHolder", form: { intent: "submit", "q-$viTestQuestion": "$viTestOption" } },
  { route: "take.code.$eventId.$target", as: "anon", params: "eventId=vi target=pre", form: { code: "ZZZZ-ZZZZ" }, note: "a personal code typed on the venue screen's entry page" },
  { route: "events.$eventId.evaluation-access", as: "coordinator", params: "eventId=vi", form: { intent: "email", target: "pre", language: "fr" } },
  // follow-ups
  { route: "follow-ups.new", as: "partner", form: { title: "More training {{n}}", description: "For Andros", country: "BS", localities: "Andros, Abaco", targetAudience: "Officers", roleCategories: "immigration_officer", estimatedParticipants: "20", desiredFrom: "2027-01-10", desiredTo: "2027-02-10", priority: "high", requestingOrganisationId: "", originEventId: "$vi" } },
  { route: "follow-ups.new", as: "coordinator", form: { title: "More training {{n}}", description: "For Andros", country: "BS", localities: "Andros", requestingOrganisationId: "$bsImmigration", priority: "normal" } },
  { route: "follow-ups.$requestId", as: "partner", params: "requestId=request", form: { intent: "comment", comment: "Any news?" } },
  { route: "follow-ups.$requestId", as: "coordinator", params: "requestId=scratchRequest", form: { intent: "status", status: "under_review", comment: "Looking", copyTimetable: "" } },
  // people, organisations, programmes
  { route: "people._index", as: "coordinator", form: { q: "Rolle", organisationId: "$bsImmigration", page: "1" } },
  { route: "people.new", as: "coordinator", form: person() },
  { route: "people.$personId", as: "coordinator", params: "personId=scratchPerson", form: { intent: "update", ...person("kept") } },
  { route: "people.$personId", as: "coordinator", params: "personId=scratchPerson", form: { intent: "merge", mergeId: "$doomedPerson" } },
  { route: "people.$personId", as: "admin", params: "personId=erasablePerson", form: { intent: "erase", confirmation: "ERASE" }, note: "erased by the form as given, then refused" },
  { route: "people.$personId", as: "admin", params: "personId=unconfirmedPerson", form: { intent: "erase", confirmation: "erase" }, note: "a wrong confirmation" },
  { route: "organisations.new", as: "coordinator", form: { name: "Agency {{n}}", acronym: "AG", kind: "government_partner", country: "BS" } },
  { route: "organisations.$organisationId", as: "coordinator", params: "organisationId=scratchOrganisation", form: { name: "Scratch agency", acronym: "SA", kind: "government_partner", country: "BS" } },
  { route: "programmes.new", as: "coordinator", form: { name: "Programme {{n}}", code: "P", description: "d", startDate: "2027-01-01", endDate: "2027-12-31", donorIds: "$prm" } },
  { route: "programmes.$programmeId", as: "coordinator", params: "programmeId=scratchProgramme", form: { name: "Scratch programme", code: "S", description: "d", startDate: "2027-01-01", endDate: "2027-12-31", donorIds: "$prm" } },
  // administration
  { route: "admin.users.new", as: "admin", form: { name: "New user", email: "user-{{n}}@test.example", role: "partner", organisationId: "$bsImmigration", locale: "en" } },
  { route: "admin.users.$userId", as: "admin", params: "userId=scratchUser", form: { intent: "update", name: "Scratch user", role: "participant", organisationId: "" } },
  { route: "admin.users.$userId", as: "admin", params: "userId=scratchUser", form: { intent: "disable" } },
  { route: "admin.users.$userId", as: "admin", params: "userId=scratchUser", form: { intent: "enable" } },
  { route: "admin.users.$userId", as: "admin", params: "userId=scratchUser", form: { intent: "resend-invitation" } },
  { route: "admin.users.$userId", as: "admin", params: "userId=scratchUser", form: { intent: "end-sessions" } },
  { route: "admin.outbox._index", as: "admin", form: { q: "bad input", status: "all", page: "1" } },
  { route: "admin.outbox.$messageId", as: "admin", params: "messageId=scratchMessage", form: { intent: "retry" } },
  { route: "admin.outbox.$messageId", as: "admin", params: "messageId=scratchMessage", form: { intent: "cancel" } },
  { route: "admin.audit", as: "admin", form: { action: "login", email: "", from: "2026-01-01", to: "2026-12-31" } },
  { route: "account", as: "participant", form: { intent: "calendar-feed" }, note: "one's own calendar feed" },
  { route: "account", as: "participant", form: { intent: "sign-out-everywhere" }, fresh: true },
  { route: "account_.tokens", as: "participant", form: { intent: "create", name: "integration {{n}}", access: "read", lifetimeDays: "30" }, note: "an API token for oneself" },
  // the API's writes: JSON bodies with a token (the variants below are JSON's own)
  { route: "api.v1.$", as: "coordinator", params: "*=events/nothing/here", form: {}, api: { method: "POST", json: {} }, note: "an address the API does not have: 404 whatever is sent" },
  { route: "api.v1.events", as: "coordinator", form: {}, api: { method: "POST", json: { ...eventJson, title: "API bad input {{n}}" } } },
  { route: "api.v1.events", as: "partner", form: {}, api: { method: "POST", json: eventJson }, note: "not a planner: 403 before the body is read" },
  { route: "api.v1.events_.$eventId", as: "coordinator", params: "eventId=scratch", form: {}, api: { method: "PATCH", json: { title: "Scratch event", capacity: 30, topics: ["One", "Two"] } } },
  { route: "api.v1.events_.$eventId_.sessions", as: "coordinator", params: "eventId=scratch", form: {}, api: { method: "POST", json: { ...sessionJson, room: "API room {{n}}" } } },
  { route: "api.v1.events_.$eventId_.sessions_.$sessionId", as: "coordinator", params: "eventId=scratch sessionId=scratchSession", form: {}, api: { method: "PATCH", json: { title: "Renamed session", start: "11:00", end: "12:00" } } },
  { route: "api.v1.events_.$eventId_.sessions_.$sessionId_.attendance", as: "facilitator", params: "eventId=vi sessionId=viSession", form: {}, api: { method: "POST", json: { marks: [{ registrationId: "#viRegistration", status: "late" }] } } },
  { route: "api.v1.events_.$eventId_.registrations", as: "coordinator", params: "eventId=scratch", form: {}, api: { method: "POST", json: { ...person(), organisationId: "#bsImmigration", eventRole: "participant", status: "confirmed" } } },
  { route: "api.v1.events_.$eventId_.registrations_.$registrationId", as: "coordinator", params: "eventId=scratch registrationId=scratchRegistration", form: {}, api: { method: "POST", json: {} }, note: "405 whatever is sent" },
  { route: "api.v1.events_.$eventId_.attendance", as: "coordinator", params: "eventId=vi", form: {}, api: { method: "POST", json: {} }, note: "405 whatever is sent" },
  { route: "api.v1.events_.$eventId_.certificates", as: "coordinator", params: "eventId=vi", form: {}, api: { method: "POST", json: {} }, note: "405 whatever is sent" },
  { route: "api.v1.certificates.$code", as: "coordinator", params: "code=ABCDEFGHJKLM", form: {}, api: { method: "POST", json: {} }, note: "405 whatever is sent" },
  { route: "api.v1.events_.$eventId_.action-plans", as: "coordinator", params: "eventId=vi", form: {}, api: { method: "POST", json: {} }, note: "405 whatever is sent" },
  { route: "api.v1.events_.$eventId_.action-plans_.$planId", as: "coordinator", params: "eventId=vi planId=plan", form: {}, api: { method: "POST", json: {} }, note: "405 whatever is sent" },
  { route: "api.v1.events_.$eventId_.evaluation", as: "coordinator", params: "eventId=vi", form: {}, api: { method: "POST", json: {} }, note: "405 whatever is sent" },
  { route: "api.v1.follow-ups", as: "coordinator", form: {}, api: { method: "POST", json: {} }, note: "405 whatever is sent" },
  { route: "api.v1.follow-ups_.$requestId", as: "coordinator", params: "requestId=scratchRequest", form: {}, api: { method: "PATCH", json: { status: "declined", comment: "Not this year" } } },
  { route: "api.v1.programmes", as: "coordinator", form: {}, api: { method: "POST", json: {} }, note: "405 whatever is sent" },
  { route: "api.v1.organisations", as: "coordinator", form: {}, api: { method: "POST", json: {} }, note: "405 whatever is sent" },
  { route: "api.v1.reports.summary", as: "coordinator", form: {}, api: { method: "POST", json: {} }, note: "405 whatever is sent" },
  { route: "account_.webhooks._index", as: "coordinator", form: { intent: "create", name: "Hook {{n}}", url: "https://203.0.113.10/hook-{{n}}", eventTypes: ["event.status_changed", "attendance.recorded"] }, note: "a webhook subscription" },
  { route: "account_.webhooks._index", as: "admin", form: { intent: "private-addresses", allow: "1" }, note: "the admins' private-address setting" },
  { route: "account_.webhooks.$subscriptionId", as: "coordinator", params: "subscriptionId=scratchWebhook", form: { intent: "update", name: "Scratch hook", url: "https://203.0.113.10/scratch", eventTypes: "certificate.issued", active: "on" } },
  { route: "account_.webhooks.$subscriptionId", as: "coordinator", params: "subscriptionId=scratchWebhook", form: { intent: "rotate" } },
  { route: "account_.webhooks.$subscriptionId", as: "coordinator", params: "subscriptionId=scratchWebhook", form: { intent: "ping" } },
  { route: "account_.webhooks.$subscriptionId", as: "coordinator", params: "subscriptionId=scratchWebhook", form: { intent: "retry", deliveryId: "$failedDelivery" } },
  { route: "account_.webhooks.$subscriptionId", as: "coordinator", params: "subscriptionId=doomedWebhook", form: { intent: "delete" } },
  { route: "account_.two-factor", as: "participant", form: { intent: "remove", currentPassword: "not the password", code: "123456" }, note: "no second factor to remove" },
  { route: "account_.password", as: "participant", form: { intent: "change-password", currentPassword: "not the password", newPassword: "a new long passphrase", confirmPassword: "a new long passphrase" } },
  { route: "login_.two-factor", as: "anon", form: { code: "123456" }, note: "no sign-in waiting for a code" },
];

/** Uploads for the roster import (multipart), all but the last refused. */
function rosterFiles(): Variant[] {
  const header = "given_name,family_name,email,organisation,sex,role_category,event_role,status";
  const csv = (...lines: string[]) => [header, ...lines].join("\r\n");
  const upload = (name: string, bytes: Uint8Array | string, filename = "roster.csv", form: FormSpec = {}): Variant => ({
    name,
    form,
    files: [{ field: "file", filename, bytes }],
    multipart: true,
  });
  return [
    { name: "not multipart", form: { file: "given_name,family_name\nA,B" } },
    { name: "multipart without a file", form: { note: "x" }, multipart: true },
    upload("an empty file", ""),
    upload("a 10 MB file", `${header}\r\n${"a,".repeat(5 * 1024 * 1024)}`),
    upload("random bytes", crypto.randomBytes(4096)),
    upload("UTF-16 without a byte-order mark", Buffer.from(csv("Ana,Lee,,,,,,"), "utf16le")),
    upload("a NUL byte in a cell", csv("An\u0000a,Lee,,,,,,")),
    upload("a workbook, not a CSV", Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4])),
    upload("only the header", header),
    upload("unknown and repeated columns", "given_name,given_name,password\r\nA,B,C"),
    upload("formula injection", csv("=1+2,Lee,,,,,,")),
    upload("unterminated quote", csv('"Ana,Lee,,,,,,')),
    upload("wrong number of cells", csv("Ana,Lee")),
    upload("letters and nonsense in choice columns", csv("Ana,Lee,not-an-email,No Such Agency,robot,astronaut,king,maybe")),
    upload("a 10 MB text field next to the file", csv("Ana,Lee,,,,,,"), "roster.csv", { comment: TEN_MB }),
    upload("unicode edge cases in names (accepted)", csv(`Ana${UNICODE.replace("\u0000", "")},Lee\u202E{{n}},,,,,,`), "\u202Ervs.csv"),
  ];
}

/** Progress updates with an attachment (multipart). */
function progressUploads(): Variant[] {
  const fields = { intent: "progress", itemId: "$planItem", note: "With a file", statusAfter: "in_progress" };
  const withFile = (name: string, filename: string, bytes: Uint8Array | string, form: FormSpec = fields): Variant => ({
    name,
    form,
    files: [{ field: "attachment", filename, bytes, type: "application/pdf" }],
    multipart: true,
  });
  return [
    withFile("a 10 MB attachment", "big.pdf", Buffer.alloc(10 * 1024 * 1024, 1)),
    withFile("an attachment just over 5 MB", "big.pdf", Buffer.alloc(5_000_001, 1)),
    withFile("a 10 MB note with an attachment", "ok.pdf", "%PDF-1.4", { ...fields, note: TEN_MB }),
    withFile("an attachment without a note", "ok.pdf", "%PDF-1.4", { intent: "progress", itemId: "$planItem" }),
    withFile("an attachment on an unknown item", "ok.pdf", "%PDF-1.4", { ...fields, itemId: "999999999" }),
    withFile("an attachment on a letters item", "ok.pdf", "%PDF-1.4", { ...fields, itemId: "abc" }),
    withFile("an attachment with a bad status", "ok.pdf", "%PDF-1.4", { ...fields, statusAfter: "exploded" }),
    withFile("a path in the file name (accepted)", "../../../etc/passwd", "%PDF-1.4"),
    withFile("unicode edge cases in the file name (accepted)", `\u202Efdp.exe${UNICODE}`, "%PDF-1.4"),
    withFile("an empty file without a name (accepted: no file)", "", ""),
    // what a browser would never send: quotes and a line break inside the file name, unescaped
    rawFile('a quote inside the file name', 'filename="evil"name.pdf"'),
    rawFile("a quote and CR LF inside the file name", 'filename="evil\\"\r\nX-Injected: yes.pdf"'),
    rawFile("a quote and CR LF in the file name, escaped as browsers do (accepted)", 'filename="evil%22%0D%0AX-Injected: yes.pdf"'),
    rawFile("a quote and CR LF in an RFC 5987 file name (accepted)", "filename*=UTF-8''evil%22%0D%0AX-Injected%3A%20yes.pdf"),
  ];
}

/** A progress update whose attachment part carries this Content-Disposition tail, byte for byte. */
function rawFile(name: string, disposition: string): Variant {
  const boundary = "----convene-bad-input";
  const fields = { intent: "progress", itemId: "$planItem", note: "With a file", statusAfter: "in_progress" };
  return {
    name,
    form: fields,
    raw: {
      contentType: `multipart/form-data; boundary=${boundary}`,
      body: (form) =>
        [
          ...Object.entries(form).map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${[v].flat()[0]}\r\n`),
          `--${boundary}\r\nContent-Disposition: form-data; name="attachment"; ${disposition}\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\r\n`,
          `--${boundary}--\r\n`,
        ].join(""),
    },
  };
}

/**
 * Bodies that are not a form: what a script, a fuzzer or a broken client sends. Every action
 * answers them with a 4xx (or ignores a body it does not need), never a 500, and changes nothing.
 */
function notFormBodies(): Variant[] {
  const boundary = "----convene-bad-input";
  const urlencoded = (form: Record<string, string | string[]>) => {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(form)) for (const item of [v].flat()) body.append(k, item);
    return body.toString();
  };
  const multipart = (form: Record<string, string | string[]>) =>
    Object.entries(form)
      .flatMap(([k, v]) => [v].flat().map((item) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${item}\r\n`))
      .join("") + `--${boundary}--\r\n`;
  const raw = (name: string, contentType: string | null, body: RawBody["body"]): Variant => ({ name, form: {}, raw: { contentType, body } });
  return [
    raw("a JSON body", "application/json", (form) => JSON.stringify(form)),
    raw("a JSON body that is not JSON", "application/json", () => "{\"intent\": "),
    raw("a text/plain body (enctype=text/plain)", "text/plain", (form) => Object.entries(form).map(([k, v]) => `${k}=${[v].flat()[0]}`).join("\r\n")),
    raw("a form body without a Content-Type", null, urlencoded),
    raw("an XML body", "application/xml; charset=utf-8", () => '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'),
    raw("a form body under a made-up type", "application/x-www-form-urlencodedd", urlencoded),
    raw("a Content-Type that is only punctuation", ";;;=", urlencoded),
    raw("multipart without a boundary", "multipart/form-data", multipart),
    raw("multipart with an empty boundary", "multipart/form-data; boundary=", multipart),
    raw("multipart with another boundary than the body's", "multipart/form-data; boundary=not-the-one", multipart),
    raw("multipart cut off in the middle", `multipart/form-data; boundary=${boundary}`, (form) => multipart(form).slice(0, Math.max(10, multipart(form).length / 2))),
    raw("multipart without its closing boundary", `multipart/form-data; boundary=${boundary}`, (form) => multipart(form).replace(`--${boundary}--\r\n`, "")),
    raw("multipart with a part without headers", `multipart/form-data; boundary=${boundary}`, () => `--${boundary}\r\n\r\nno headers\r\n--${boundary}--\r\n`),
    raw("multipart of random bytes", `multipart/form-data; boundary=${boundary}`, () => crypto.randomBytes(2048)),
    raw("an empty body declared multipart", `multipart/form-data; boundary=${boundary}`, () => ""),
    raw("random bytes declared form-encoded", "application/x-www-form-urlencoded", () => crypto.randomBytes(2048)),
  ];
}

// ————————————————————————————————————————————————————————————————————————————————————————————
// Variants

function first(v: Value) {
  return Array.isArray(v) ? (v[0] ?? "") : v;
}
function mapValues(form: FormSpec, fn: (v: Value, k: string) => Value): FormSpec {
  return Object.fromEntries(Object.entries(form).map(([k, v]) => [k, fn(v, k)]));
}
function without(form: FormSpec, key: string): FormSpec {
  return Object.fromEntries(Object.entries(form).filter(([k]) => k !== key));
}

/** JSON bodies made from an API entry's own: each value missing, null, of every other shape, huge, odd; unknown keys; not JSON at all. */
function jsonVariantsOf(json: Record<string, unknown>): Variant[] {
  const body = (value: unknown): RawBody => ({ contentType: "application/json", body: () => JSON.stringify(value) });
  const v = (name: string, value: unknown): Variant => ({ name, form: {}, raw: body(value) });
  const out: Variant[] = [
    v("the body as given", json),
    v("an empty object", {}),
    v("an array", [json]),
    v("null", null),
    v("a number", 42),
    v("every value null", Object.fromEntries(Object.keys(json).map((k) => [k, null]))),
    v("every value an object", Object.fromEntries(Object.keys(json).map((k) => [k, { $gt: "" }]))),
    v("every value unicode edge cases", Object.fromEntries(Object.keys(json).map((k) => [k, UNICODE]))),
    {
      name: "prototype-polluting and unknown keys",
      form: {},
      raw: { contentType: "application/json", body: () => `{"__proto__": {"admin": true}, "constructor": {"prototype": {"x": 1}}${Object.keys(json).length > 0 ? `, ${JSON.stringify(json).slice(1, -1)}` : ""}}` },
    },
    v("a nested list a thousand deep", Object.fromEntries(Object.keys(json).map((k) => [k, JSON.parse("[".repeat(1000) + "]".repeat(1000))]))),
  ];
  for (const key of Object.keys(json)) {
    const rest = Object.fromEntries(Object.entries(json).filter(([k]) => k !== key));
    out.push(v(`${key} missing`, rest));
    for (const [name, value] of [
      ["null", null], ["true", true], ["a number", -1], ["a huge number", 1e308], ["a fraction", 1.5], ["letters", "abc"], ["an empty string", ""],
      ["a list", [json[key], json[key]]], ["a list of objects", [{}]], ["an object", { a: 1 }], ["NUL", "\u0000"], ["100 kB", "x".repeat(100_000)],
      ["an impossible date", "2023-02-30T25:61"], ["an id nobody has", 999999],
    ] as const) out.push(v(`${key} ${name}`, { ...json, [key]: value }));
  }
  const raw = (name: string, contentType: string | null, text: string | Uint8Array): Variant => ({ name, form: {}, raw: { contentType, body: () => text } });
  out.push(
    raw("JSON cut off", "application/json", JSON.stringify(json).slice(0, 20)),
    raw("JSON with a BOM", "application/json", `\uFEFF${JSON.stringify(json)}`),
    raw("JSON of 300 kB", "application/json", JSON.stringify({ ...json, description: "x".repeat(300_000) })),
    raw("random bytes declared JSON", "application/json", crypto.randomBytes(2048)),
    raw("JSON under text/plain", "text/plain", JSON.stringify(json)),
    raw("JSON without a Content-Type", null, JSON.stringify(json)),
    raw("a form body", "application/x-www-form-urlencoded", "title=x&type=training"),
    raw("JSON under a made-up +json type", "application/evil+json", JSON.stringify(json)),
  );
  return out;
}

function variantsOf(entry: Entry): Variant[] {
  if (entry.api) return jsonVariantsOf(entry.api.json);
  const base = entry.form;
  const out: Variant[] = [];
  if (!entry.onlyExtra) {
    out.push({ name: "the form as given", form: base });
    out.push({ name: "no fields at all", form: {} });
    if ("intent" in base) out.push({ name: "only the intent", form: { intent: base.intent } });
    out.push({ name: "an unknown intent", form: { ...base, intent: "drop-tables" } });
    out.push({ name: "every field blank", form: mapValues(base, () => "") });
    out.push({ name: "every field whitespace", form: mapValues(base, () => " \t\r\n ") });
    out.push({ name: "every field letters", form: mapValues(base, () => "abc") });
    out.push({ name: "every field a list", form: mapValues(base, (v) => [first(v), "other"]) });
    out.push({ name: "every field unicode edge cases", form: mapValues(base, (v, k) => (k === "intent" ? v : `${first(v)}${UNICODE}`)) });
    out.push({ name: "every field NUL", form: mapValues(base, (v, k) => (k === "intent" ? v : "\u0000")) });
    out.push({
      name: "prototype-polluting and unexpected keys",
      form: { ...base, ...Object.fromEntries([["__proto__", "x"], ["constructor", "y"], ["hasOwnProperty", "z"], ["r-abc", "present"], ["r-99999999999999999999", "present"]]) },
    });
    // the one-time key of create forms (an unusable key is ignored; a refused form stores none)
    out.push({ name: "a one-time key of 10 MB", form: { ...base, _key: TEN_MB } });
    out.push({ name: "two one-time keys", form: { ...base, _key: [crypto.randomUUID(), crypto.randomUUID()] } });
    out.push({ name: "a one-time key of unicode edge cases", form: { ...base, _key: UNICODE } });
    out.push({ name: "every field blank, with a one-time key", form: { ...mapValues(base, () => ""), _key: crypto.randomUUID() } });
    for (const key of Object.keys(base)) {
      const v = first(base[key]);
      out.push({ name: `${key} missing`, form: without(base, key) });
      out.push({ name: `${key} 10 MB`, form: { ...base, [key]: TEN_MB } });
      out.push({ name: `${key} letters`, form: { ...base, [key]: "abc" } });
      out.push({ name: `${key} negative`, form: { ...base, [key]: "-1" } });
      out.push({ name: `${key} huge number`, form: { ...base, [key]: "99999999999999999999" } });
      out.push({ name: `${key} an id nobody has`, form: { ...base, [key]: "999999" } });
      out.push({ name: `${key} 1e400`, form: { ...base, [key]: "1e400" } });
      out.push({ name: `${key} impossible date`, form: { ...base, [key]: "2023-02-30T25:61" } });
      out.push({ name: `${key} a list`, form: { ...base, [key]: [v, v] } });
      out.push({ name: `${key} unicode edge cases`, form: { ...base, [key]: `${v}${UNICODE}` } });
      out.push({ name: `${key} NUL only`, form: { ...base, [key]: "\u0000" } });
      out.push({ name: `${key} combining marks only`, form: { ...base, [key]: "\u0301\u0301\u0301" } });
    }
  }
  if (entry.extra) out.push(...entry.extra());
  // the entry's own form, in bodies that are not a form
  out.push(...notFormBodies().map((v) => ({ ...v, form: base })));
  return out;
}

// ————————————————————————————————————————————————————————————————————————————————————————————
// The demo, scratch records, and who asks

const ids: Record<string, string> = {};
const cookies = {} as Record<Exclude<Subject, "anon">, string>;
/** Each API entry's own token (600 requests a minute each: one token for all would be rate-limited). */
const apiTokens = new Map<Entry, string>();
const people_ = {} as Record<Exclude<Subject, "anon">, { id: string; role: SessionUser["role"] }>;

async function sessionUserOf(email: string): Promise<SessionUser> {
  const u = firstRow(await getDb().select().from(users).where(eq(users.email, email)).limit(1))!;
  return { id: u.id, email: u.email, name: u.name, role: u.role, organisationId: u.organisationId, locale: u.locale };
}
const eventId = async (title: string) => firstRow(await getDb().select({ id: events.id }).from(events).where(eq(events.title, title)).limit(1))!.id;
const orgId = async (name: string) => firstRow(await getDb().select({ id: organisations.id }).from(organisations).where(eq(organisations.name, name)).limit(1))!.id;

beforeAll(async () => {
  const db = getDb();
  await seedDemo(db, { today: TODAY });
  await clearDemoEvaluation(); // these tests build their own tests and forms on the demo events
  for (const role of ["admin", "coordinator", "facilitator", "participant", "partner"] as const) {
    const u = await sessionUserOf(`${role}@example.org`);
    people_[role] = { id: u.id, role: u.role };
    cookies[role] = await sessionCookie(u);
  }
  const coordinator = { user: await sessionUserOf("coordinator@example.org"), ip: null };
  const participant = { user: await sessionUserOf("participant@example.org"), ip: null };
  const vi = await eventId(DEMO_EVENTS.victimIdentification);
  const fu = await eventId(DEMO_EVENTS.followUp);
  const bsImmigration = await orgId(DEMO_ORGANISATIONS.bahamasImmigration);
  const participantPerson = firstRow(await db.select({ id: people.id }).from(people).where(eq(people.userId, participant.user.id)).limit(1))!.id;

  // a scratch draft event with two sessions and one applicant, for the actions that change events
  const scratch = (await db
    .insert(events)
    .values({ title: "Scratch event", type: "training", country: "BS", timeZone: "America/Nassau", startDate: "2027-03-01", endDate: "2027-03-03", capacity: 30, status: "draft" })
    .returning())[0].id;
  const scratchImport = (await db
    .insert(events)
    .values({ title: "Scratch import event", type: "training", country: "BS", timeZone: "America/Nassau", startDate: "2027-03-01", endDate: "2027-03-03", status: "draft" })
    .returning())[0].id;
  const session = async (day: number) =>
    (await db
      .insert(eventSessions)
      .values({ eventId: scratch, title: `Scratch session ${day}`, startsAt: new Date(Date.UTC(2027, 2, day, 14)), endsAt: new Date(Date.UTC(2027, 2, day, 15)), room: "Hall" })
      .returning())[0].id;
  const scratchSession = await session(1);
  const doomedSession = await session(3);
  const viRegs = await db
    .select({ id: registrations.id, personId: registrations.personId })
    .from(registrations)
    .where(and(eq(registrations.eventId, vi), eq(registrations.eventRole, "participant"), eq(registrations.status, "confirmed")))
    .orderBy(asc(registrations.id));
  const others = viRegs.filter((r) => r.personId !== participantPerson);
  const scratchRegistration = (await db
    .insert(registrations)
    .values({ eventId: scratch, personId: others[0].personId, status: "applied", statusChangedAt: new Date() })
    .returning())[0].id;
  const ownFuRegistration = (await db
    .insert(registrations)
    .values({ eventId: fu, personId: participantPerson, status: "applied", statusChangedAt: new Date() })
    .returning())[0].id;
  const facilitatorSession = firstRow(await db
    .select({ id: eventSessions.id })
    .from(eventSessions)
    .innerJoin(sessionFacilitators, eq(sessionFacilitators.sessionId, eventSessions.id))
    .where(and(eq(eventSessions.eventId, vi), eq(sessionFacilitators.userId, people_.facilitator.id)))
    .orderBy(asc(eventSessions.startsAt)).limit(1))!.id;
  const plan = firstRow(await db.select({ id: actionPlans.id }).from(actionPlans).where(eq(actionPlans.title, "Bringing victim identification into port operations")).limit(1))!.id;
  const items = await db.select({ id: actionPlanItems.id }).from(actionPlanItems).where(eq(actionPlanItems.planId, plan)).orderBy(asc(actionPlanItems.position));
  const doomedItem = await addActionItem(participant, { eventId: vi, planId: plan }, { action: "To be removed", targetDate: null, responsible: null, indicator: null, status: "planned" });
  await saveActionPlanTemplate(coordinator, vi, "Template");
  const templateItem = await addTemplateItem(coordinator, vi, { action: "Template item", targetDate: null, responsible: null, indicator: null, status: "planned" });
  const doomedTemplateItem = await addTemplateItem(coordinator, vi, { action: "Template item to remove", targetDate: null, responsible: null, indicator: null, status: "planned" });
  const planMembers = new Set([participantPerson]);
  const members = await rawAll<{ personId: number }>('select person_id as "personId" from action_plan_members');
  for (const m of members) planMembers.add(m.personId);
  const planless = others.find((r) => !planMembers.has(r.personId))!.personId;
  const onFu = new Set((await db.select({ personId: registrations.personId }).from(registrations).where(eq(registrations.eventId, fu))).map((r) => r.personId));
  const nominee = others.find((r) => !onFu.has(r.personId))!.personId;
  const otherCertificate = firstRow(await db
    .select({ id: certificates.id })
    .from(certificates)
    .innerJoin(registrations, eq(registrations.id, certificates.registrationId))
    .where(and(eq(registrations.eventId, vi), eq(registrations.personId, others[1].personId))).limit(1));
  const scratchRequest = await createFollowUp(coordinator, {
    title: "Scratch request",
    description: "Scratch",
    country: "BS",
    localities: [],
    targetAudience: null,
    roleCategories: [],
    estimatedParticipants: null,
    desiredFrom: null,
    desiredTo: null,
    priority: "normal",
    requestingOrganisationId: bsImmigration,
    originEventId: null,
  });
  const newPerson = async (name: string) =>
    (await db.insert(people).values({ givenName: "Scratch", familyName: name, organisationId: bsImmigration }).returning())[0].id;
  const scratchUser = await createUser({ role: "participant", email: "scratch-user@test.example", withoutPassword: true });
  const prefsPerson = (await db.insert(people).values({ givenName: "Roster", familyName: "Only", email: "roster-only@test.example" }).returning())[0].id;
  const resetUser = await createUser({ role: "participant", email: "reset-user@test.example" });
  const resetToken = "bad-input-reset-token-0123456789abcdefghijklmn";
  await db.insert(passwordResetTokens).values({ tokenHash: hashToken(resetToken), userId: resetUser.id, purpose: "reset", expiresAt: new Date(Date.now() + 3_600_000) });
  const scratchMessage = await db.transaction(async (tx) => {
    await enqueueEmail(tx, { kind: "invitation", to: "scratch-message@test.example", subject: "Scratch", html: "<p>x</p>", text: "x" });
    return firstRow(await tx.select({ id: emailOutbox.id }).from(emailOutbox).where(eq(emailOutbox.toAddress, "scratch-message@test.example")).limit(1))!.id;
  });

  // the check-in secret is created on first use (installation state, not data): create it now
  const checkInPage = await loadRoute("check-in");
  await call(checkInPage.loader!, makeRequest("/check-in?c=1-ABCDEF", { cookie: cookies.participant }));

  // a confirmation link of a public registration that gave a known email
  const confirmToken = "bad-input-confirm-token-0123456789abcdefghijk";
  await db.insert(registrationRequests)
    .values({ tokenHash: hashToken(confirmToken), eventId: fu, email: "roster-only@test.example", details: JSON.stringify({ givenName: "Roster", familyName: "Only" }), locale: "en", consentWording: "I agree", expiresAt: new Date(Date.now() + 3_600_000) });

  // knowledge tests: the scratch event's (its questions still editable), and the victim-identification training's with its pre-test open
  const choice = (prompt: string) => ({ kind: "single" as const, prompt, explanation: null, options: [{ label: "Yes", correct: true }, { label: "No", correct: false }], trueFalseAnswer: null });
  const testQuestion = await createQuestion(coordinator, scratch, choice("Scratch question"));
  await createQuestion(coordinator, scratch, choice("Second scratch question"));
  const doomedTestQuestion = await createQuestion(coordinator, scratch, choice("Question to delete"));
  const viTestQuestion = await createQuestion(coordinator, vi, { kind: "true_false", prompt: "Bad input?", explanation: null, options: [], trueFalseAnswer: true });
  await openPhase(coordinator, vi, "pre");
  const questionId = (r: Awaited<ReturnType<typeof createQuestion>>) => (r.ok ? r.questionId : 0);
  const viTestOption = (await rawGet<{ id: number }>("select id from knowledge_test_options where question_id = ? order by position limit 1", questionId(viTestQuestion)))!.id;
  // webhook subscriptions of the coordinator, one with a failed delivery
  const scratchWebhook = await createWebhook(coordinator, { name: "Scratch hook", url: "https://203.0.113.10/scratch", eventTypes: ["event.status_changed"] });
  const doomedWebhook = await createWebhook(coordinator, { name: "Doomed hook", url: "https://203.0.113.10/doomed", eventTypes: ["event.status_changed"] });
  const failedDelivery = (await db.insert(webhookDeliveries)
    .values({ subscriptionId: scratchWebhook.id, eventType: "event.status_changed", messageId: "msg_badinput", payload: "{}", status: "failed", attempts: 8, nextAttemptAt: new Date() })
    .returning({ id: webhookDeliveries.id }))[0].id;
  Object.assign(ids, {
    scratchWebhook: String(scratchWebhook.id),
    doomedWebhook: String(doomedWebhook.id),
    failedDelivery: String(failedDelivery),
    vi: String(vi),
    fu: String(fu),
    scratch: String(scratch),
    testQuestion: String(questionId(testQuestion)),
    doomedTestQuestion: String(questionId(doomedTestQuestion)),
    viTestQuestion: String(questionId(viTestQuestion)),
    viTestOption: String(viTestOption),
    scratchImport: String(scratchImport),
    scratchSession: String(scratchSession),
    doomedSession: String(doomedSession),
    scratchRegistration: String(scratchRegistration),
    ownFuRegistration: String(ownFuRegistration),
    viSession: String(facilitatorSession),
    viSessionTarget: `session-${facilitatorSession}`,
    viRegistration: String(others[2].id),
    otherCertificate: String(otherCertificate?.id ?? "1"),
    plan: String(plan),
    planItem: String(items[1].id),
    doomedItem: String(doomedItem),
    templateItem: String(templateItem),
    doomedTemplateItem: String(doomedTemplateItem),
    planless: String(planless),
    nominee: String(nominee),
    request: String(firstRow(await db.select({ id: followUpRequests.id }).from(followUpRequests).where(eq(followUpRequests.title, DEMO_FOLLOW_UP_TITLE)).limit(1))!.id),
    scratchRequest: String(scratchRequest),
    scratchPerson: String(await newPerson("Kept")),
    doomedPerson: String(await newPerson("Merged")),
    erasablePerson: String(await newPerson("Erasable")),
    unconfirmedPerson: String(await newPerson("Unconfirmed")),
    scratchOrganisation: String((await db.insert(organisations).values({ name: "Scratch agency", kind: "government_partner", country: "BS" }).returning())[0].id),
    scratchProgramme: String((await db.insert(programmes).values({ name: "Scratch programme" }).returning())[0].id),
    programme: String(firstRow(await db.select({ id: programmes.id }).from(programmes).where(eq(programmes.name, DEMO_PROGRAMMES.westernHemisphere)).limit(1))!.id),
    bsImmigration: String(bsImmigration),
    prm: String(await orgId(DEMO_ORGANISATIONS.prm)),
    facilitatorUser: people_.facilitator.id,
    scratchUser: scratchUser.id,
    scratchMessage: String(scratchMessage),
    resetToken,
    confirmToken,
    prefsUser: participant.user.id,
    prefsToken: await preferencesToken(db, { kind: "user", userId: participant.user.id }),
    prefsPerson: String(prefsPerson),
    prefsPersonToken: await preferencesToken(db, { kind: "person", personId: prefsPerson }),
  });
  // a person without an account who opened the personal link of the open pre-test on this device
  const linkToken = await accessTokenFor(others[3].id, "pre", Date.now() + 3_600_000);
  const opened = await call(personalLink.loader, makeRequest(`/take/${linkToken}`), { token: linkToken });
  cookies.linkHolder = (opened as Response).headers.get("Set-Cookie")!.split(";")[0];
  // the same person, with the personal link of the victim-identification session's form (opened by the entries above) on another device
  const sessionLinkToken = await accessTokenFor(others[3].id, `session-${facilitatorSession}`, Date.now() + 3_600_000);
  const sessionOpened = await call(personalLink.loader, makeRequest(`/take/${sessionLinkToken}`), { token: sessionLinkToken });
  cookies.sessionLinkHolder = (sessionOpened as Response).headers.get("Set-Cookie")!.split(";")[0];
});

// ————————————————————————————————————————————————————————————————————————————————————————————
// Snapshots: did anything change?

/** Tables whose changes are not data: login sessions, API tokens' last-used marks and abuse counters. The audit log is checked apart. */
const NOT_DATA = new Set(["auth_sessions", "api_tokens", "rate_limits", "audit_log", "sqlite_sequence", "test_writes"]);
/** What a refused request may leave in the audit log. */
const AUDITED_REFUSALS = new Set(["login.failure", "account.password_change_failure", "account.reauthentication_failure", "second_factor.failure"]);

type Snapshot = { tables: Map<string, string>; auditMax: number; uploads: string[] };

/**
 * Each data table's row count and a digest of its rows (in a stable order), the audit log's last
 * id and the files among the uploads. Hashing a table is slow, so each table's digest is kept
 * until that table is written again: a trigger this test adds to every table counts the writes to
 * it (per row on SQLite, per statement on PostgreSQL), and only the tables whose count moved are
 * hashed again — an accepted variant that changes one table costs that table's digest, not the
 * whole database's.
 */
async function currentSnapshot(): Promise<Snapshot> {
  const counts = await writeCounts();
  const tables = new Map<string, string>();
  for (const name of await dataTables()) {
    const kept = digests.get(name);
    const count = counts.get(name);
    if (kept && count !== undefined && kept.count === count) {
      tables.set(name, kept.digest);
      continue;
    }
    const digest = await tableDigest(name);
    if (count !== undefined) digests.set(name, { count, digest });
    tables.set(name, digest);
  }
  const auditMax = firstRow(await getDb().select({ n: max(auditLog.id) }).from(auditLog).limit(1))?.n ?? 0;
  const dir = uploadsDir();
  const uploads = fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
  return { tables, auditMax, uploads };
}
const digests = new Map<string, { count: number; digest: string }>();

let dataTableNames: Promise<string[]> | undefined;
function dataTables() {
  dataTableNames ??= (async () => {
    const names = getDb().engine === "postgres"
      ? (await rawAll<{ name: string }>("select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name")).map((r) => r.name)
      : (sqliteOf().prepare("select name from sqlite_master where type = 'table' order by name").all() as { name: string }[]).map((r) => r.name);
    return names.filter((n) => !NOT_DATA.has(n));
  })();
  return dataTableNames;
}
const sqliteOf = () => (getDb() as unknown as { $client: import("better-sqlite3").Database }).$client;

/** One table's row count and a digest of its rows, in a stable order. */
async function tableDigest(name: string): Promise<string> {
  if (getDb().engine === "postgres") {
    // hashed by the server: every row as text, sorted
    const d = (await rawGet<{ n: number; digest: string }>(`select count(*) as n, md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as digest from "${name}" t`))!;
    return `${d.n}:${d.digest}`;
  }
  // row by row into the hash (an outbox's rows carry whole emails: no megabytes-long string made first)
  const hash = crypto.createHash("sha1");
  let n = 0;
  for (const row of sqliteOf().prepare(`select * from "${name}"`).raw().iterate()) {
    n += 1;
    for (const v of row as unknown[]) hash.update(v === null ? "\u0001" : Buffer.isBuffer(v) ? v : String(v)).update("\u0000");
  }
  return `${n}:${hash.digest("hex")}`;
}

/** Tables left uncounted: every API request writes its token's rate-limit count (and now and then its last use); neither is data. */
const UNCOUNTED = new Set(["rate_limits", "api_tokens"]);
let countingWrites: Promise<void> | undefined;
async function countWritesOnPostgres() {
  const tables = (await rawAll<{ name: string }>(
    "select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'",
  )).map((r) => r.name).filter((n) => !UNCOUNTED.has(n));
  await rawRun("create table test_writes (name text primary key, n bigint not null)");
  await rawRun(`insert into test_writes (name, n) values ${tables.map((n) => `('${n}', 0)`).join(", ")}`);
  await rawRun("create function test_count_write() returns trigger language plpgsql as $$ begin update test_writes set n = n + 1 where name = TG_TABLE_NAME; return null; end $$");
  for (const name of tables) {
    await rawRun(`create trigger test_count_write after insert or update or delete or truncate on "${name}" for each statement execute function test_count_write()`);
  }
}
/** The same on SQLite, as TEMP objects of the connection the app shares (nothing in the file itself). */
function countWritesOnSqlite(sqlite: import("better-sqlite3").Database) {
  const tables = (sqlite.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'").all() as { name: string }[])
    .map((r) => r.name)
    .filter((n) => !UNCOUNTED.has(n));
  sqlite.exec("create temp table test_writes (name text primary key, n integer not null)");
  const add = sqlite.prepare("insert into temp.test_writes (name, n) values (?, 0)");
  for (const name of tables) {
    add.run(name);
    for (const event of ["insert", "update", "delete"]) {
      sqlite.exec(`create temp trigger "test_count_${name}_${event}" after ${event} on main."${name}" begin update temp.test_writes set n = n + 1 where name = '${name}'; end;`);
    }
  }
}
/** Each counted table's writes so far. */
async function writeCounts(): Promise<Map<string, number>> {
  if (getDb().engine === "postgres") {
    countingWrites ??= countWritesOnPostgres();
    await countingWrites;
    return new Map((await rawAll<{ name: string; n: number }>("select name, n from test_writes")).map((r) => [r.name, Number(r.n)]));
  }
  const sqlite = sqliteOf();
  countingWrites ??= Promise.resolve(countWritesOnSqlite(sqlite));
  await countingWrites;
  return new Map((sqlite.prepare("select name, n from temp.test_writes").all() as { name: string; n: number }[]).map((r) => [r.name, r.n]));
}

async function changesBetween(before: Snapshot, after: Snapshot): Promise<string[]> {
  const changed: string[] = [];
  for (const [name, digest] of after.tables) {
    if (before.tables.get(name) !== digest) changed.push(`table ${name} (${before.tables.get(name)?.split(":")[0]} → ${digest.split(":")[0]} rows)`);
  }
  const added = await rawAll<{ action: string }>("select action from audit_log where id > ?", before.auditMax);
  for (const a of added) if (!AUDITED_REFUSALS.has(a.action)) changed.push(`audit log: ${a.action}`);
  const newFiles = after.uploads.filter((f) => !before.uploads.includes(f));
  if (newFiles.length > 0) changed.push(`uploads: ${newFiles.length} new file(s)`);
  return changed;
}

// ————————————————————————————————————————————————————————————————————————————————————————————
// Sending a variant

const modules = { ...import.meta.glob("../../app/routes/*.{ts,tsx}"), ...import.meta.glob("../../app/api/api.v1.*.ts") };
type Handler = Parameters<typeof call>[0];
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
  return (await (modules[`../../app/routes/${file}`] ?? modules[`../../app/api/${file}`])()) as { loader?: Handler; action?: Handler };
}

/** The URL path of a flat route file (see authorization-matrix.test.ts). */
function routePath(route: string, params: Record<string, string>) {
  const segments = route.split(/\.(?![^[]*\])/);
  const parts = segments
    .filter((s) => s !== "_index" && !/^_[^.]/.test(s))
    .map((s) => s.replace(/\[([^\]]*)\]/g, "$1").replace(/_$/, ""))
    .map((s) => (s === "$" ? (params["*"] ?? "") : s.replace(/^\$([\w-]+)/, (_, name: string) => encodeURIComponent(params[name] ?? ""))));
  return `/${parts.join("/")}`;
}

let counter = 0;
function resolveText(value: string, n: number) {
  return value.replace(/\$(\w+)/g, (whole, key: string) => ids[key] ?? whole).replace(/\{\{n\}\}/g, String(n));
}

function paramsOf(spec: string | undefined): Record<string, string> {
  if (!spec) return {};
  return Object.fromEntries(spec.split(/\s+/).filter(Boolean).map((pair) => {
    const [name, key] = pair.split("=");
    return [name, ids[key] ?? key];
  }));
}

async function requestFor(entry: Entry, variant: Variant): Promise<Request> {
  const n = ++counter;
  const pathname = routePath(entry.route, paramsOf(entry.params));
  const form: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(variant.form)) {
    // a 10 MB value is not resolved (no "$" in it), nor copied needlessly
    const key = resolveText(k, n);
    form[key] = Array.isArray(v) ? v.map((x) => (x === TEN_MB ? x : resolveText(x, n))) : v === TEN_MB ? v : resolveText(v, n);
  }
  let cookie: string | undefined;
  if (entry.as !== "anon") cookie = entry.fresh ? await sessionCookie(people_[entry.as]) : cookies[entry.as];
  const query = resolveText(entry.query ?? "", n);
  if (entry.api) {
    const headers = new Headers({ "x-convene-client-ip": `bad-input-${n}`, Authorization: `Bearer ${apiTokens.get(entry)}` });
    if (variant.raw!.contentType !== null) headers.set("Content-Type", variant.raw!.contentType);
    const raw = variant.raw!.body({});
    // "#key": a demo id as a number; "$key" and "{{n}}" inside strings as in forms
    const body = typeof raw === "string" ? raw.replace(/"#(\w+)"/g, (whole, key: string) => ids[key] ?? whole).replace(/\$(\w+)|\{\{n\}\}/g, (whole, key?: string) => (key ? (ids[key] ?? whole) : String(n))) : raw;
    return new Request(`${APP}${pathname}${query}`, { method: entry.api.method, body: (typeof body === "string" ? new TextEncoder().encode(body) : body) as BlobPart as BodyInit, headers });
  }
  if (variant.raw) {
    const headers = new Headers({ Origin: APP, "x-convene-client-ip": `bad-input-${n}` });
    if (cookie) headers.set("Cookie", cookie);
    if (variant.raw.contentType !== null) headers.set("Content-Type", variant.raw.contentType);
    const body = variant.raw.body(form);
    // bytes, so that fetch adds no Content-Type of its own
    return new Request(`${APP}${pathname}${query}`, { method: "POST", body: (typeof body === "string" ? new TextEncoder().encode(body) : body) as BlobPart as BodyInit, headers });
  }
  if (!variant.multipart) return makeRequest(pathname + query, { method: "POST", cookie, form });
  const body = new FormData();
  for (const [k, v] of Object.entries(form)) for (const item of [v].flat()) body.append(k, item);
  for (const file of variant.files ?? []) {
    const bytes = typeof file.bytes === "string" ? new TextEncoder().encode(resolveText(file.bytes, n)) : file.bytes;
    body.append(file.field, new File([bytes as BlobPart], file.filename, { type: file.type ?? "text/csv" }));
  }
  const headers = new Headers({ Origin: APP, "x-convene-client-ip": `bad-input-${n}` });
  if (cookie) headers.set("Cookie", cookie);
  return new Request(`${APP}${pathname}${query}`, { method: "POST", body, headers });
}

type Outcome = { status: number; error?: string };

async function send(entry: Entry, variant: Variant): Promise<Outcome> {
  const { action } = await loadRoute(entry.route);
  if (!action) throw new Error(`${entry.route} has no action`);
  const request = await requestFor(entry, variant);
  // an API address is asked as Remix asks it: through the one API route, which finds the module
  const viaApi = entry.api ? (await loadRoute(API_ROUTE)).action! : action;
  const params = entry.api ? { "*": new URL(request.url).pathname.replace(/^\/api\/v1\//, "") } : paramsOf(entry.params);
  try {
    const result = await call(viaApi, request, params);
    return { status: unwrap(result).status };
  } catch (error) {
    return { status: 500, error: `${(error as Error).name}: ${(error as Error).message?.slice(0, 200)}` };
  }
}

function label(entry: Entry) {
  const form = entry.onlyExtra ? "uploads" : Object.keys(entry.form).filter((k) => k !== "intent").join(", ") || "no fields";
  const intent = typeof entry.form.intent === "string" ? ` intent=${entry.form.intent}` : "";
  if (entry.api) return `${entry.api.method} ${entry.route} as ${entry.as}${entry.note ? ` (${entry.note})` : ""} [JSON: ${Object.keys(entry.api.json).join(", ") || "{}"}]`;
  return `POST ${entry.route}${intent} as ${entry.as}${entry.note ? ` (${entry.note})` : ""} [${form}]`;
}

// ————————————————————————————————————————————————————————————————————————————————————————————

describe("bad input to every action", () => {
  it("puts every route with an action through this test", async () => {
    const missing: string[] = [];
    for (const file of routeFiles()) {
      const route = file.replace(/\.(ts|tsx)$/, "");
      const mod = await loadRoute(route);
      if (mod.action && !ENTRIES.some((e) => e.route === route)) missing.push(`${file}: has an action, but no bad-input entry`);
      if (!mod.action && ENTRIES.some((e) => e.route === route)) missing.push(`${file}: a bad-input entry, but no action`);
    }
    expect(missing).toEqual([]);
  });

  it("reads every body through app/lib/form-data.server.ts (no action parses one its own way)", () => {
    const own = routeFiles().filter((file) => /request\.(formData|json|text|arrayBuffer|blob)\(|unstable_parseMultipartFormData/.test(fs.readFileSync(path.join(fs.existsSync(path.join(ROUTES_DIR, file)) ? ROUTES_DIR : API_DIR, file), "utf8")));
    expect(own).toEqual([]);
  });

  for (const entry of ENTRIES) {
    it(label(entry), { timeout: 300_000 }, async () => {
      const problems: string[] = [];
      const seen: Record<string, number> = {};
      // made before the first snapshot: creating a token is a change (and audited)
      if (entry.api) apiTokens.set(entry, (await createApiToken({ user: await sessionUserOf(`${entry.as}@example.org`), ip: null }, { name: "bad input", access: "write", lifetimeDays: 7 })).secret);
      for (const variant of variantsOf(entry)) {
        const before = await currentSnapshot();
        const outcome = await send(entry, variant);
        seen[outcome.status] = (seen[outcome.status] ?? 0) + 1;
        if (outcome.status >= 500) {
          const changes = await changesBetween(before, await currentSnapshot());
          const partial = changes.length > 0 ? ` (and it changed ${changes.join("; ")})` : "";
          problems.push(`${variant.name}: ${outcome.status}${outcome.error ? ` — ${outcome.error}` : ""}${partial}`);
          continue;
        }
        // a body that is not a form changes nothing, whatever the answer (logout needs no body)
        // (an API entry's bodies are JSON: there, as for forms, only a refusal must change nothing)
        const notAForm = !entry.api && variant.raw !== undefined && !variant.name.includes("(accepted)") && !variant.name.includes("file name");
        if (outcome.status >= 400 || notAForm) {
          const changes = await changesBetween(before, await currentSnapshot());
          if (changes.length > 0) problems.push(`${variant.name}: ${outcome.status}, but changed ${changes.join("; ")}`);
        }
      }
      if (process.env.BAD_INPUT_DEBUG) console.log(`STATUSES ${label(entry).slice(0, 90)} ${JSON.stringify(seen)}`);
      expect(problems, `${label(entry)}\n  ${problems.join("\n  ")}\n  (statuses seen: ${JSON.stringify(seen)})`).toEqual([]);
    });
  }
});
