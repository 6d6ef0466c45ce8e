import { and, asc, eq, gt, inArray, ne } from "drizzle-orm";
import { getDb, firstRow } from "../../db/client";
import { attendance, events, eventSessions, organisations, people, registrations, sessionFacilitators, users } from "../../db/schema";
import { forbidden, notFound, type Actor, type SessionUser } from "~/auth/session.server";
import { now, nowMs } from "~/lib/clock";
import type { AttendanceStatus } from "~/lib/domain";
import { recordAudit } from "./audit.server";
import { emitWebhookEvents, webhookEvent, type WebhookEvent } from "./webhook-events.server";
import { completionSql, REGISTRATION_REFS } from "./completion.server";
import { FieldError } from "./field-error.server";
import { getEventHeader } from "./events.server";

/**
 * Who may take attendance: admins and coordinators for every session; a facilitator for the
 * sessions they teach (and may read the whole event's grid). Everyone else: 403.
 */
async function editableSessions(user: SessionUser, eventId: number): Promise<"all" | Set<number>> {
  // 404 first for an event the user may not see (a draft's existence is private)
  await getEventHeader(user, eventId);
  if (user.role === "admin" || user.role === "coordinator") return "all";
  if (user.role !== "facilitator") throw forbidden();
  const taught = await getDb()
    .select({ id: eventSessions.id })
    .from(sessionFacilitators)
    .innerJoin(eventSessions, eq(eventSessions.id, sessionFacilitators.sessionId))
    .where(and(eq(eventSessions.eventId, eventId), eq(sessionFacilitators.userId, user.id)));
  if (taught.length === 0) throw forbidden();
  return new Set(taught.map((t) => t.id));
}

/** Check, before reading marks, that this user may take this session's attendance (404 for an event they may not see, 403 otherwise). */
export async function requireAttendanceTaker(user: SessionUser, eventId: number, sessionId: number) {
  const editable = await editableSessions(user, eventId);
  if (editable !== "all" && !editable.has(sessionId)) throw forbidden();
}

async function loadEvent(eventId: number) {
  const event = firstRow(await getDb()
    .select({
      id: events.id,
      title: events.title,
      timeZone: events.timeZone,
      completionThreshold: events.completionThreshold,
      startDate: events.startDate,
      endDate: events.endDate,
      checkInGraceMinutes: events.checkInGraceMinutes,
    })
    .from(events)
    .where(eq(events.id, eventId)).limit(1));
  if (!event) throw notFound();
  return event;
}

/**
 * Attendance of a session can be taken from the moment its self check-in opens (its start less the
 * event's grace) onwards: nobody can have been present at a session that has not begun. Breaks
 * take no attendance at all (they do not count towards completion either).
 */
export function attendanceOpensAt(session: { startsAt: Date }, graceMinutes: number) {
  return session.startsAt.getTime() - graceMinutes * 60_000;
}

function refuseClosedSessions(sessions: { kind: string; startsAt: Date }[], graceMinutes: number) {
  if (sessions.some((s) => s.kind === "break")) throw new FieldError("sessionId", "attendance.errors.break");
  const t = nowMs();
  const notYet = sessions.find((s) => attendanceOpensAt(s, graceMinutes) > t);
  if (notYet) throw new FieldError("sessionId", "attendance.errors.notStarted", { opensAt: attendanceOpensAt(notYet, graceMinutes) });
}

/**
 * The attendance of an event: sessions, confirmed participants with their completion, every mark,
 * each session's rate. Who recorded each mark, when and how, is read unless `markDetails` is false:
 * the overview of a 40 × 12 grid needs just the statuses.
 */
export function attendanceGrid(user: SessionUser, eventId: number): Promise<Awaited<ReturnType<typeof grid<true>>>>;
export function attendanceGrid(user: SessionUser, eventId: number, options: { markDetails: false }): Promise<Awaited<ReturnType<typeof grid<false>>>>;
export async function attendanceGrid(user: SessionUser, eventId: number, options?: { markDetails: false }) {
  return options ? (await grid(user, eventId, false)) : (await grid(user, eventId, true));
}

type Mark = { registrationId: number; sessionId: number; status: AttendanceStatus };
type DetailedMark = Mark & { method: (typeof attendance.$inferSelect)["method"]; recordedAt: Date; recordedBy: string | null };

async function grid<Details extends boolean>(user: SessionUser, eventId: number, markDetails: Details) {
  const db = getDb();
  const event = await loadEvent(eventId);
  const editable = await editableSessions(user, eventId);
  const sessions = (await db
    .select({ id: eventSessions.id, title: eventSessions.title, kind: eventSessions.kind, startsAt: eventSessions.startsAt, endsAt: eventSessions.endsAt, room: eventSessions.room })
    .from(eventSessions)
    // breaks are no column of the grid: nobody's attendance is taken at lunch
    .where(and(eq(eventSessions.eventId, eventId), ne(eventSessions.kind, "break")))
    .orderBy(asc(eventSessions.startsAt)))
    .map((s) => {
      const opensAt = attendanceOpensAt(s, event.checkInGraceMinutes);
      return { ...s, canEdit: editable === "all" || editable.has(s.id), opensAt, open: nowMs() >= opensAt };
    });
  const { attended, counted, completed } = completionSql(REGISTRATION_REFS);
  const participants = (await db
    .select({
      registrationId: registrations.id,
      givenName: people.givenName,
      familyName: people.familyName,
      organisation: organisations.name,
      attended,
      counted,
      completed,
    })
    .from(registrations)
    .innerJoin(events, eq(events.id, registrations.eventId))
    .innerJoin(people, eq(people.id, registrations.personId))
    .leftJoin(organisations, eq(organisations.id, people.organisationId))
    .where(and(eq(registrations.eventId, eventId), eq(registrations.eventRole, "participant"), eq(registrations.status, "confirmed")))
    .orderBy(asc(people.familyName), asc(people.givenName)))
    .map((p) => ({ ...p, completed: Boolean(p.completed) }));
  const marks: (Details extends true ? DetailedMark : Mark)[] = (markDetails
    ? (await db
        .select({
          registrationId: attendance.registrationId,
          sessionId: attendance.sessionId,
          status: attendance.status,
          method: attendance.method,
          recordedAt: attendance.recordedAt,
          recordedBy: users.name,
        })
        .from(attendance)
        .innerJoin(eventSessions, eq(eventSessions.id, attendance.sessionId))
        .leftJoin(users, eq(users.id, attendance.recordedByUserId))
        .where(eq(eventSessions.eventId, eventId)))
    : (await db
        .select({ registrationId: attendance.registrationId, sessionId: attendance.sessionId, status: attendance.status })
        .from(attendance)
        .innerJoin(eventSessions, eq(eventSessions.id, attendance.sessionId))
        .where(eq(eventSessions.eventId, eventId)))) as (Details extends true ? DetailedMark : Mark)[];
  // per session: attended of those expected (confirmed participants not excused)
  const confirmedIds = new Set(participants.map((p) => p.registrationId));
  const perSession = sessions.map((s) => {
    const own = marks.filter((m) => m.sessionId === s.id && confirmedIds.has(m.registrationId));
    const excused = own.filter((m) => m.status === "excused").length;
    const present = own.filter((m) => m.status === "present" || m.status === "late").length;
    const expected = participants.length - excused;
    return { sessionId: s.id, attended: present, expected, marked: own.length };
  });
  return { event, sessions, participants, marks, perSession, canEditAny: editable === "all" || editable.size > 0 };
}

/**
 * A page of an event's attendance for the API: the sessions that take attendance, and confirmed
 * participants in registration id order after `after` (keyset: a 500-person event is read 100 at a
 * time, each page one query for its people and one for their marks), each with their completion
 * and marks. The attendance page's rights: admins and coordinators, and the facilitators of the
 * event's sessions (404 first for an event the user may not see, 403 for anyone else).
 */
export async function apiAttendancePage(user: SessionUser, eventId: number, after: number | null, limit: number) {
  const db = getDb();
  await editableSessions(user, eventId);
  const sessions = await db
    .select({ id: eventSessions.id, title: eventSessions.title, startsAt: eventSessions.startsAt, endsAt: eventSessions.endsAt })
    .from(eventSessions)
    .where(and(eq(eventSessions.eventId, eventId), ne(eventSessions.kind, "break")))
    .orderBy(asc(eventSessions.startsAt), asc(eventSessions.id));
  const { attended, counted, completed } = completionSql(REGISTRATION_REFS);
  const participants = await db
    .select({ id: registrations.id, personId: people.id, givenName: people.givenName, familyName: people.familyName, anonymisedAt: people.anonymisedAt, attended, counted, completed })
    .from(registrations)
    .innerJoin(events, eq(events.id, registrations.eventId))
    .innerJoin(people, eq(people.id, registrations.personId))
    .where(and(eq(registrations.eventId, eventId), eq(registrations.eventRole, "participant"), eq(registrations.status, "confirmed"), after === null ? undefined : gt(registrations.id, after)))
    .orderBy(asc(registrations.id))
    .limit(limit + 1);
  const ids = participants.slice(0, limit).map((p) => p.id);
  // the marks of the sessions listed: a session made a break since keeps its marks in the
  // database (they count for nothing), and they are not shown against sessions not listed
  const marks = ids.length === 0 || sessions.length === 0
    ? []
    : await db
        .select({ registrationId: attendance.registrationId, sessionId: attendance.sessionId, status: attendance.status, method: attendance.method, recordedAt: attendance.recordedAt })
        .from(attendance)
        .where(and(inArray(attendance.registrationId, ids), inArray(attendance.sessionId, sessions.map((s) => s.id))))
        .orderBy(asc(attendance.registrationId), asc(attendance.sessionId));
  const byRegistration = new Map<number, { sessionId: number; status: AttendanceStatus; method: string; recordedAt: string }[]>();
  for (const m of marks) {
    let list = byRegistration.get(m.registrationId);
    if (list === undefined) byRegistration.set(m.registrationId, (list = []));
    list.push({ sessionId: m.sessionId, status: m.status, method: m.method, recordedAt: m.recordedAt.toISOString() });
  }
  return {
    sessions: sessions.map((s) => ({ id: s.id, title: s.title, startsAt: s.startsAt.toISOString(), endsAt: s.endsAt.toISOString() })),
    participants: participants.map((p) => ({
      id: p.id,
      personId: p.personId,
      givenName: p.anonymisedAt ? null : p.givenName,
      familyName: p.anonymisedAt ? null : p.familyName,
      attended: Number(p.attended),
      counted: Number(p.counted),
      completed: Boolean(p.completed),
      marks: byRegistration.get(p.id) ?? [],
    })),
  };
}

export type AttendanceEntry = { registrationId: number; sessionId: number; status: AttendanceStatus | null };

/**
 * Record marks (one cell, a whole session, or a whole grid). Every entry must be a confirmed
 * participant of this event and a session of this event the actor may edit; otherwise nothing is
 * written. Who recorded each mark, when and how, is kept on the mark and in the audit log. A null
 * status removes a mark. Each mark written or removed is one webhook event (attendance.recorded,
 * attendance.removed), queued in the same transaction; an entry that changes nothing sends none.
 */
export async function recordAttendance(actor: Actor, eventId: number, entries: AttendanceEntry[]) {
  const event = await loadEvent(eventId);
  const editable = await editableSessions(actor.user, eventId);
  if (entries.length === 0) return { changed: 0 };
  return await getDb().transaction(async (tx) => {
    const sessionIds = [...new Set(entries.map((e) => e.sessionId))];
    const registrationIds = [...new Set(entries.map((e) => e.registrationId))];
    const sessions = await tx
      .select({ id: eventSessions.id, kind: eventSessions.kind, startsAt: eventSessions.startsAt })
      .from(eventSessions)
      .where(and(eq(eventSessions.eventId, eventId), inArray(eventSessions.id, sessionIds)));
    if (sessions.length !== sessionIds.length) throw new FieldError("sessionId", "attendance.errors.otherEvent");
    if (editable !== "all" && sessionIds.some((id) => !editable.has(id))) throw forbidden();
    refuseClosedSessions(sessions, event.checkInGraceMinutes);
    const regs = await tx
      .select({ id: registrations.id })
      .from(registrations)
      .where(
        and(
          eq(registrations.eventId, eventId),
          inArray(registrations.id, registrationIds),
          eq(registrations.eventRole, "participant"),
          eq(registrations.status, "confirmed"),
        ),
      );
    if (regs.length !== registrationIds.length) throw new FieldError("registrationId", "attendance.errors.notOnRoster");
    let changed = 0;
    const at = now();
    const webhookEvents: WebhookEvent[] = [];
    for (const entry of entries) {
      const existing = firstRow(await tx
        .select({ id: attendance.id, status: attendance.status, method: attendance.method, recordedAt: attendance.recordedAt })
        .from(attendance)
        .where(and(eq(attendance.registrationId, entry.registrationId), eq(attendance.sessionId, entry.sessionId))).limit(1));
      if (entry.status === null) {
        if (existing) {
          await tx.delete(attendance).where(eq(attendance.id, existing.id));
          webhookEvents.push(webhookEvent.attendanceRemoved({ registrationId: entry.registrationId, sessionId: entry.sessionId, eventId, status: existing.status, method: existing.method, recordedAt: existing.recordedAt }));
          changed++;
        }
        continue;
      }
      if (existing?.status === entry.status) continue;
      if (existing) {
        await tx.update(attendance)
          .set({ status: entry.status, method: "manual", recordedByUserId: actor.user.id, recordedAt: at })
          .where(eq(attendance.id, existing.id));
      } else {
        await tx.insert(attendance)
          .values({ registrationId: entry.registrationId, sessionId: entry.sessionId, status: entry.status, method: "manual", recordedByUserId: actor.user.id, recordedAt: at });
      }
      webhookEvents.push(webhookEvent.attendanceRecorded({ registrationId: entry.registrationId, sessionId: entry.sessionId, eventId, status: entry.status, method: "manual", recordedAt: at }));
      changed++;
    }
    await emitWebhookEvents(tx, webhookEvents);
    if (changed > 0) {
      await recordAudit(tx, {
        userId: actor.user.id,
        ip: actor.ip,
        action: "attendance.record",
        entityType: "event",
        entityId: eventId,
        details: { sessions: sessionIds, changed, marks: entries.map((e) => [e.registrationId, e.sessionId, e.status]) },
      });
    }
    return { changed };
  }, { behavior: "immediate" });
}

/** "Mark all present": every confirmed participant without a mark for this session. */
export async function markAllPresent(actor: Actor, eventId: number, sessionId: number) {
  const event = await loadEvent(eventId);
  const editable = await editableSessions(actor.user, eventId);
  const session = firstRow(await getDb()
    .select({ id: eventSessions.id, kind: eventSessions.kind, startsAt: eventSessions.startsAt })
    .from(eventSessions)
    .where(and(eq(eventSessions.eventId, eventId), eq(eventSessions.id, sessionId))).limit(1));
  if (!session) throw new FieldError("sessionId", "attendance.errors.otherEvent");
  if (editable !== "all" && !editable.has(sessionId)) throw forbidden();
  // refused even when everyone is marked already: the answer must not depend on the marks
  refuseClosedSessions([session], event.checkInGraceMinutes);
  const grid = await attendanceGrid(actor.user, eventId);
  const marked = new Set(grid.marks.filter((m) => m.sessionId === sessionId).map((m) => m.registrationId));
  const entries = grid.participants
    .filter((p) => !marked.has(p.registrationId))
    .map((p) => ({ registrationId: p.registrationId, sessionId, status: "present" as const }));
  return await recordAttendance(actor, eventId, entries);
}

/** Rows of attendance.csv: one per participant × session, then one total per participant. */
export async function attendanceExport(actor: Actor, eventId: number) {
  if (actor.user.role !== "admin" && actor.user.role !== "coordinator") throw forbidden();
  const grid = await attendanceGrid(actor.user, eventId);
  await recordAudit(getDb(), { userId: actor.user.id, ip: actor.ip, action: "export.attendance", entityType: "event", entityId: eventId, details: { participants: grid.participants.length } });
  return grid;
}
