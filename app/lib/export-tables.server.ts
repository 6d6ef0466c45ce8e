import type { Params } from "@remix-run/react";
import type { TFunction } from "i18next";
import { requireActor, type SessionUser } from "~/auth/session.server";
import { translator } from "~/i18n";
import { pickLocale, remixI18n } from "~/i18n.server";
import { attendanceRate } from "~/lib/attendance";
import { idParam } from "~/lib/params";
import { parseEventFilters } from "~/lib/schemas/event-filters";
import { parseRosterFilters } from "~/lib/schemas/roster-filters";
import { utcToZoned } from "~/lib/zoned";
import { attendanceExport } from "~/models/attendance.server";
import { exportEvents } from "~/models/events.server";
import { getRoster, recordRosterExport } from "~/models/registrations.server";
import { recordReportExport, reportFilterNames, reportFilterOptions, type ActivityReport, type ReportFilters } from "~/models/reports.server";
import type { Cell } from "./csv";
import { now } from "./clock";
import { eventTable, filterLines, reportSections, summaryForExport } from "./report-export.server";

/**
 * The exports' tables, written as CSV (./csv.ts) or Excel (./xlsx.server.ts) by their routes: the
 * same readers, filters, columns, rows and audit either way. `name` is the file's name without its
 * extension; `rightToLeft` when the reader's language is written right to left.
 */
export type ExportTable = { name: string; header: string[]; rows: Cell[][]; rightToLeft: boolean };
export type ExportFormat = "csv" | "xlsx";

async function readerLanguage(request: Request, locale: string | null) {
  return translator(pickLocale(locale, await remixI18n.getLocale(request)));
}

/** /events.csv|xlsx: the filtered events list, for coordinators and admins. */
export async function eventsListTable(request: Request): Promise<ExportTable> {
  const actor = await requireActor(request, ["admin", "coordinator"]);
  const filters = parseEventFilters(new URL(request.url));
  const { t, dir } = await readerLanguage(request, actor.user.locale);
  const rows = await exportEvents(actor.user, filters);
  const header = [
    t("events.csv.id"),
    t("events.csv.title"),
    t("events.csv.type"),
    t("events.csv.programme"),
    t("events.csv.country"),
    t("events.csv.locality"),
    t("events.csv.timeZone"),
    t("events.csv.startDate"),
    t("events.csv.endDate"),
    t("events.csv.status"),
    t("events.csv.partners"),
    t("events.csv.gcmObjectives"),
    t("events.csv.participantsConfirmed"),
  ];
  return {
    name: "events",
    header,
    rows: rows.map((r) => [
      r.id,
      r.title,
      r.type,
      r.programme,
      r.country,
      r.locality,
      r.timeZone,
      r.startDate,
      r.endDate,
      r.status,
      r.partners,
      r.gcmObjectives,
      r.participantsConfirmed,
    ]),
    rightToLeft: dir === "rtl",
  };
}

/** roster.csv|xlsx: the (filtered) roster with personal data — coordinators and admins only; every export is audited. */
export async function rosterTable(request: Request, params: Params, format: ExportFormat): Promise<ExportTable> {
  const actor = await requireActor(request, ["admin", "coordinator"]);
  const eventId = idParam(params.eventId);
  const filters = parseRosterFilters(new URL(request.url));
  const { rows } = await getRoster(actor.user, eventId, filters);
  await recordRosterExport(actor, eventId, rows.length, format);
  const { t, dir } = await readerLanguage(request, actor.user.locale);
  const header = [
    t("roster.csv.givenName"),
    t("roster.csv.familyName"),
    t("roster.csv.email"),
    t("roster.csv.phone"),
    t("roster.csv.sex"),
    t("roster.csv.organisation"),
    t("roster.csv.position"),
    t("roster.csv.roleCategory"),
    t("roster.csv.nationality"),
    t("roster.csv.eventRole"),
    t("roster.csv.status"),
    t("roster.csv.dietaryNeeds"),
    t("roster.csv.accessibilityNeeds"),
    t("roster.csv.nominatedBy"),
  ];
  return {
    name: `roster-event-${eventId}`,
    header,
    rows: rows.map((r) => [r.givenName, r.familyName, r.email, r.phone, r.sex, r.organisationName, r.position, r.roleCategory, r.nationality, r.eventRole, r.status, r.dietaryNeeds, r.accessibilityNeeds, r.nominatedBy]),
    rightToLeft: dir === "rtl",
  };
}

/**
 * attendance.csv|xlsx: one row per participant × session (status, who recorded it and when), then
 * one total row per participant (attended, counted, rate, completed). Times in the event's zone.
 */
export async function attendanceTable(request: Request, params: Params): Promise<ExportTable> {
  const actor = await requireActor(request, ["admin", "coordinator"]);
  const eventId = idParam(params.eventId);
  const grid = await attendanceExport(actor, eventId);
  const { t, dir } = await readerLanguage(request, actor.user.locale);
  const zone = grid.event.timeZone;
  const mark = new Map(grid.marks.map((m) => [`${m.registrationId}:${m.sessionId}`, m]));
  const local = (at: Date | string | number) => {
    const z = utcToZoned(new Date(at), zone);
    return `${z.day} ${z.time}`;
  };
  const rows: Cell[][] = [];
  for (const p of grid.participants) {
    for (const s of grid.sessions) {
      const m = mark.get(`${p.registrationId}:${s.id}`);
      rows.push([p.givenName, p.familyName, p.organisation, s.title, local(s.startsAt), m?.status ?? "", m?.method ?? "", m?.recordedBy ?? "", m ? local(m.recordedAt) : "", "", "", "", ""]);
    }
  }
  for (const p of grid.participants) {
    rows.push([p.givenName, p.familyName, p.organisation, t("attendance.csv.total"), "", "", "", "", "", p.attended, p.counted, attendanceRate(p.attended, p.counted) ?? "", p.completed ? "yes" : "no"]);
  }
  const header = [
    t("attendance.csv.givenName"),
    t("attendance.csv.familyName"),
    t("attendance.csv.organisation"),
    t("attendance.csv.session"),
    t("attendance.csv.sessionStart", { zone }),
    t("attendance.csv.status"),
    t("attendance.csv.method"),
    t("attendance.csv.recordedBy"),
    t("attendance.csv.recordedAt"),
    t("attendance.csv.attended"),
    t("attendance.csv.counted"),
    t("attendance.csv.ratePercent"),
    t("attendance.csv.completed"),
  ];
  return { name: `attendance-event-${eventId}`, header, rows, rightToLeft: dir === "rtl" };
}

/**
 * reports.xlsx: the activity summary as /reports.csv lays it out (section, label, value): the
 * filters, when it was produced, the privacy note for donors and partners, then every figure. The
 * same readers and protection as the CSV; every export is audited.
 */
export async function reportSummaryTable(request: Request): Promise<ExportTable> {
  const { actor, t, lang, dir, filters, report } = await summaryForExport(request);
  const rows = [...(await summaryHeadRows(actor.user, report, filters, t, lang)), ...summaryFigureRows(report, filters, t, lang)];
  await recordReportExport(actor, "xlsx", filters, { locale: lang, events: report.events.total });
  return { name: `activity-summary-${filters.from}-${filters.to}`, header: summaryHeader(t), rows, rightToLeft: dir === "rtl" };
}

/** The columns of a summary's table: section, label, value. */
export function summaryHeader(t: TFunction) {
  return [t("reportExports.csv.section"), t("reportExports.csv.label"), t("reportExports.csv.value")];
}

/** The rows a summary's file starts with: its filters, when it was produced, the privacy note for protected views. */
export async function summaryHeadRows(user: SessionUser, report: ActivityReport, filters: ReportFilters, t: TFunction, lang: string): Promise<Cell[][]> {
  const names = reportFilterNames(await reportFilterOptions(user, filters), filters);
  const rows: Cell[][] = [];
  for (const line of filterLines(filters, names, t, lang)) rows.push([t("reportExports.csv.filters"), line.label, line.csv]);
  rows.push([t("reportExports.csv.produced"), t("reportExports.csv.producedAt"), now().toISOString()]);
  if (report.protected) rows.push([t("reportExports.csv.privacy"), t("reportPrivacy.title"), t("reportPrivacy.note")]);
  return rows;
}

/** Every figure of a summary, one row each (section, label, value), as the page shows them. */
export function summaryFigureRows(report: ActivityReport, filters: ReportFilters, t: TFunction, lang: string): Cell[][] {
  const rows: Cell[][] = [];
  if (report.empty) {
    rows.push([t("reportExports.csv.summary"), t("reports.figures.events"), 0]);
    rows.push([t("reportExports.csv.summary"), "", t("reports.empty", { from: filters.from, to: filters.to })]);
  } else {
    for (const section of reportSections(report, t, lang)) {
      if (section.note) rows.push([section.title, "", section.note]);
      for (const line of section.lines) rows.push([section.title, line.csvLabel ?? line.label, line.csv]);
    }
  }
  return rows;
}

/** reports/events.xlsx: the events of an activity summary, one row each (as /reports/events.csv). */
export async function reportEventsTable(request: Request): Promise<ExportTable> {
  const { actor, t, lang, dir, filters, report } = await summaryForExport(request);
  await recordReportExport(actor, "xlsx-events", filters, { locale: lang, events: report.events.total });
  const { header, rows } = eventTable(report, t, lang);
  return { name: `events-${filters.from}-${filters.to}`, header, rows, rightToLeft: dir === "rtl" };
}
