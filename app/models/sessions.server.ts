import { and, asc, count, eq, gt, inArray, isNotNull, isNull, lt, ne } from "drizzle-orm";
import { getDb, type DB, type Tx, firstRow } from "../../db/client";
import { attendance, events, eventSessions, people, registrations, sessionFacilitators, users } from "../../db/schema";
import { canReach } from "~/auth/permissions";
import { forbidden, notFound, type Actor, type SessionUser } from "~/auth/session.server";
import type { FieldErrors } from "~/lib/forms";
import { sessionMsg, type FacilitatorRefs, type SessionInput } from "~/lib/schemas/sessions";
import { utcToZoned, wallClockExists, zonedToUtc } from "~/lib/zoned";
import { recordAudit } from "./audit.server";
import { visibleEventsWhere } from "./events.server";
import { FieldError } from "./field-error.server";
import { sessionFeedbackHasAnswers } from "./session-feedback.server";
import { notifyScheduleChanged } from "./reminders.server";
import { emitWebhookEvents, webhookEvent } from "./webhook-events.server";

/**
 * The timetable of an event: its sessions, entered as a day and wall-clock times in the EVENT's
 * zone and stored as UTC instants. Anyone who may see the event sees its timetable; only admins
 * and coordinators change it. Donors never get facilitators' names (no personal data).
 */

type Reader = Pick<DB, "select">;

export type TimetableEvent = {
  id: number;
  title: string;
  status: string;
  timeZone: string;
  startDate: string;
  endDate: string;
};

/** A facilitator the form can offer: `ref` is the form value (`user:<id>` or `person:<id>`). */
export type FacilitatorOption = { ref: string; name: string };

/** The other session a room overlap collides with, in the event's zone. */
export type SessionConflict = {
  id: number;
  title: string;
  room: string;
  day: string;
  start: string;
  end: string;
  startsAt: number;
  endsAt: number;
};

export type SessionWriteResult =
  | { ok: true; sessionId: number }
  | { ok: false; errors: FieldErrors; conflict: SessionConflict | null };

/** Registrations that no longer count as "this person facilitates here". */
const INACTIVE_REGISTRATION = new Set(["declined", "cancelled"]);

export function canManageTimetable(user: SessionUser) {
  return canReach(user.role, "manageEvents");
}

async function visibleEvent(db: Reader, user: SessionUser, eventId: number): Promise<TimetableEvent> {
  const event = firstRow(await db
    .select({
      id: events.id,
      title: events.title,
      status: events.status,
      timeZone: events.timeZone,
      startDate: events.startDate,
      endDate: events.endDate,
    })
    .from(events)
    .where(and(eq(events.id, eventId), visibleEventsWhere(user))).limit(1));
  if (!event) throw notFound();
  return event;
}

/** The event, if the user may change its timetable: 404 when they may not see it, 403 when they may only look. */
export async function editableEvent(db: Reader, user: SessionUser, eventId: number) {
  const event = await visibleEvent(db, user, eventId);
  if (!canManageTimetable(user)) throw forbidden();
  return event;
}

/** Check, before reading a form, that this user may change this event's timetable (404/403 otherwise). */
export async function requireTimetableEditor(user: SessionUser, eventId: number): Promise<TimetableEvent> {
  return await editableEvent(getDb(), user, eventId);
}

/** Every calendar day from the first to the last (YYYY-MM-DD, inclusive). */
export function eventDays(startDate: string, endDate: string): string[] {
  const days: string[] = [];
  const [y, m, d] = startDate.split("-").map(Number);
  // an event is days or weeks long; the bound only protects the page from a mistyped year
  for (let i = 0; i < 1000; i++) {
    const day = new Date(Date.UTC(y, m - 1, d + i)).toISOString().slice(0, 10);
    if (day > endDate) break;
    days.push(day);
  }
  return days;
}

function personName(given: string | null, family: string | null) {
  return [given, family].filter(Boolean).join(" ");
}

function refOf(row: { userId: string | null; personId: number | null }) {
  return row.userId !== null ? `user:${row.userId}` : `person:${row.personId}`;
}

/** Facilitators of the event's sessions (or of one session), with names, in the order they were assigned. */
export async function facilitatorRows(db: Reader, eventId: number, sessionId?: number) {
  return (await db
    .select({
      sessionId: sessionFacilitators.sessionId,
      userId: sessionFacilitators.userId,
      personId: sessionFacilitators.personId,
      userName: users.name,
      givenName: people.givenName,
      familyName: people.familyName,
    })
    .from(sessionFacilitators)
    .innerJoin(eventSessions, eq(eventSessions.id, sessionFacilitators.sessionId))
    .leftJoin(users, eq(users.id, sessionFacilitators.userId))
    .leftJoin(people, eq(people.id, sessionFacilitators.personId))
    .where(and(eq(eventSessions.eventId, eventId), sessionId === undefined ? undefined : eq(sessionFacilitators.sessionId, sessionId)))
    .orderBy(asc(sessionFacilitators.id)))
    .map((r) => ({ sessionId: r.sessionId, ref: refOf(r), name: r.userName ?? personName(r.givenName, r.familyName) }));
}

async function attendanceCounts(db: Reader, eventId: number, sessionId?: number) {
  const rows = await db
    .select({ sessionId: attendance.sessionId, n: count() })
    .from(attendance)
    .innerJoin(eventSessions, eq(eventSessions.id, attendance.sessionId))
    .where(and(eq(eventSessions.eventId, eventId), sessionId === undefined ? undefined : eq(attendance.sessionId, sessionId)))
    .groupBy(attendance.sessionId);
  return new Map(rows.map((r) => [r.sessionId, r.n]));
}

export const sessionColumns = {
  id: eventSessions.id,
  title: eventSessions.title,
  kind: eventSessions.kind,
  startsAt: eventSessions.startsAt,
  endsAt: eventSessions.endsAt,
  room: eventSessions.room,
  description: eventSessions.description,
};

export type SessionRow = {
  id: number;
  title: string;
  kind: string;
  startsAt: Date;
  endsAt: Date;
  room: string | null;
  description: string | null;
};

/** A session as pages show it: UTC instants (ms) plus its day and times in the event's zone. */
export function present(row: SessionRow, timeZone: string) {
  const start = utcToZoned(row.startsAt, timeZone);
  const end = utcToZoned(row.endsAt, timeZone);
  return {
    id: row.id,
    title: row.title,
    kind: row.kind,
    startsAt: row.startsAt.getTime(),
    endsAt: row.endsAt.getTime(),
    day: start.day,
    start: start.time,
    end: end.time,
    endDay: end.day,
    room: row.room,
    description: row.description,
  };
}

/**
 * The timetable: every day of the event (first to last, empty ones too) and its sessions.
 * Facilitators' names are left out for donors; attendance counts (what removing a session loses)
 * only go to those who may remove it.
 */
export async function listSessions(user: SessionUser, eventId: number) {
  const db = getDb();
  const event = await visibleEvent(db, user, eventId);
  const canManage = canManageTimetable(user);
  const showFacilitators = user.role !== "donor";
  const rows = await db
    .select(sessionColumns)
    .from(eventSessions)
    .where(eq(eventSessions.eventId, eventId))
    .orderBy(asc(eventSessions.startsAt), asc(eventSessions.endsAt), asc(eventSessions.id));
  const names = new Map<number, string[]>();
  if (showFacilitators) {
    for (const f of (await facilitatorRows(db, eventId))) names.set(f.sessionId, [...(names.get(f.sessionId) ?? []), f.name]);
  }
  const counts = canManage ? (await attendanceCounts(db, eventId)) : new Map<number, number>();
  const sessions = rows.map((row) => ({
    ...present(row, event.timeZone),
    facilitators: showFacilitators ? (names.get(row.id) ?? []) : null,
    attendanceCount: canManage ? (counts.get(row.id) ?? 0) : null,
  }));
  // a session left outside the event's days (the dates changed since) is still shown, never hidden
  const days = [...new Set([...eventDays(event.startDate, event.endDate), ...sessions.map((s) => s.day)])].sort();
  return { event, days, sessions, canManage, showFacilitators };
}

/** A facilitator as the API shows them: the name, and for planners the reference a session write takes. */
type ApiFacilitator = { name: string; ref?: string };

/** A session for the API: instants in UTC, and its day and times in the event's zone (as the pages show them). */
function apiSession(s: ReturnType<typeof present>, facilitators: ApiFacilitator[] | null) {
  return {
    id: s.id,
    title: s.title,
    kind: s.kind,
    startsAt: new Date(s.startsAt).toISOString(),
    endsAt: new Date(s.endsAt).toISOString(),
    day: s.day,
    start: s.start,
    end: s.end,
    room: s.room,
    description: s.description,
    facilitators,
  };
}

/** Facilitators by session: names for whoever may see them, with references for planners (none for donors). */
async function apiFacilitators(user: SessionUser, eventId: number, sessionId?: number) {
  const bySession = new Map<number, ApiFacilitator[]>();
  if (user.role === "donor") return null;
  const planner = canManageTimetable(user);
  for (const f of await facilitatorRows(getDb(), eventId, sessionId)) {
    bySession.set(f.sessionId, [...(bySession.get(f.sessionId) ?? []), planner ? { name: f.name, ref: f.ref } : { name: f.name }]);
  }
  return bySession;
}

/** The timetable for the API: the sessions of listSessions (the same rights), in time order. */
export async function apiSessions(user: SessionUser, eventId: number) {
  const { sessions } = await listSessions(user, eventId);
  const facilitators = await apiFacilitators(user, eventId);
  return sessions.map((s) => apiSession(s, facilitators ? (facilitators.get(s.id) ?? []) : null));
}

/** One session for the API (404 when the event is not visible or the session is not in it). */
export async function apiSessionOf(user: SessionUser, eventId: number, sessionId: number) {
  const { session } = await getSession(user, eventId, sessionId);
  const facilitators = await apiFacilitators(user, eventId, sessionId);
  return apiSession(session, facilitators ? (facilitators.get(sessionId) ?? []) : null);
}

/** A session's values as its form holds them (for a change of some fields through the API): 404/403 as the edit page. */
export async function getSessionForEdit(user: SessionUser, eventId: number, sessionId: number) {
  await requireTimetableEditor(user, eventId);
  const { session } = await getSession(user, eventId, sessionId);
  return {
    title: session.title,
    kind: session.kind,
    day: session.day,
    start: session.start,
    end: session.end,
    room: session.room ?? "",
    description: session.description ?? "",
    facilitator: (session.facilitators ?? []).map((f) => f.ref),
  };
}

/** One session of an event (404 when the event is not visible or the session is not in it). */
export async function getSession(user: SessionUser, eventId: number, sessionId: number) {
  const db = getDb();
  const event = await visibleEvent(db, user, eventId);
  const row = firstRow(await db
    .select(sessionColumns)
    .from(eventSessions)
    .where(and(eq(eventSessions.id, sessionId), eq(eventSessions.eventId, eventId))).limit(1));
  if (!row) throw notFound();
  const canManage = canManageTimetable(user);
  return {
    event,
    session: {
      ...present(row, event.timeZone),
      facilitators: user.role === "donor" ? null : (await facilitatorRows(db, eventId, sessionId)).map(({ ref, name }) => ({ ref, name })),
      attendanceCount: canManage ? ((await attendanceCounts(db, eventId, sessionId)).get(sessionId) ?? 0) : null,
      feedbackAnswered: canManage ? await sessionFeedbackHasAnswers(db, sessionId) : null,
    },
  };
}

/**
 * What the session form offers: the event's days, facilitator accounts and the event's roster
 * facilitators. A roster facilitator whose login is already offered as an account is not offered
 * twice. When editing, the session's current facilitators are always offered so that saving never
 * drops one silently.
 */
export async function sessionFormOptions(user: SessionUser, eventId: number, sessionId?: number) {
  const db = getDb();
  const event = await editableEvent(db, user, eventId);
  const accounts = await db
    .select({ id: users.id, name: users.name })
    .from(users)
    .where(and(eq(users.role, "facilitator"), isNull(users.disabledAt)))
    .orderBy(asc(users.name));
  const accountIds = new Set(accounts.map((a) => a.id));
  const roster = (await db
    .select({ personId: people.id, givenName: people.givenName, familyName: people.familyName, userId: people.userId, status: registrations.status })
    .from(registrations)
    .innerJoin(people, eq(people.id, registrations.personId))
    .where(and(eq(registrations.eventId, eventId), eq(registrations.eventRole, "facilitator")))
    .orderBy(asc(people.familyName), asc(people.givenName)))
    .filter((p) => !INACTIVE_REGISTRATION.has(p.status) && !(p.userId && accountIds.has(p.userId)));
  const facilitatorUsers: FacilitatorOption[] = accounts.map((a) => ({ ref: `user:${a.id}`, name: a.name }));
  const rosterFacilitators: FacilitatorOption[] = roster.map((p) => ({ ref: `person:${p.personId}`, name: personName(p.givenName, p.familyName) }));
  if (sessionId !== undefined) {
    const offered = new Set([...facilitatorUsers, ...rosterFacilitators].map((o) => o.ref));
    for (const f of (await facilitatorRows(db, eventId, sessionId))) {
      if (offered.has(f.ref)) continue;
      (f.ref.startsWith("user:") ? facilitatorUsers : rosterFacilitators).push({ ref: f.ref, name: f.name });
      offered.add(f.ref);
    }
  }
  return { event, days: eventDays(event.startDate, event.endDate), facilitatorUsers, rosterFacilitators };
}

// ---------------------------------------------------------------------------------------------
// Writes

export type Checked =
  | { ok: true; startsAt: Date; endsAt: Date; facilitators: FacilitatorRefs }
  | { ok: false; errors: FieldErrors; conflict: SessionConflict | null };

/** Rooms are compared as people write them: "Room A", "room a " and "ROOM  A" are one room. */
function roomKey(room: string) {
  return room.normalize("NFKC").trim().replace(/\s+/g, " ").toLowerCase();
}

/**
 * Facilitators must be facilitator accounts or the event's roster facilitators. Someone already on
 * the session stays valid (an account disabled since, a registration declined since), so editing
 * a title never fails on an old assignment. A roster facilitator who has an active facilitator
 * account is stored as the account, so one human is never listed twice.
 */
async function checkFacilitators(tx: Reader, eventId: number, wanted: FacilitatorRefs, current: Set<string>): Promise<FacilitatorRefs | null> {
  const userIds = new Set<string>();
  const personIds = new Set<number>();
  if (wanted.userIds.length > 0) {
    const found = await tx
      .select({ id: users.id, role: users.role, disabledAt: users.disabledAt })
      .from(users)
      .where(inArray(users.id, wanted.userIds));
    for (const id of wanted.userIds) {
      const user = found.find((u) => u.id === id);
      const ok = user && user.role === "facilitator" && (!user.disabledAt || current.has(`user:${id}`));
      if (!ok) return null;
      userIds.add(id);
    }
  }
  if (wanted.personIds.length > 0) {
    const found = await tx
      .select({
        personId: registrations.personId,
        status: registrations.status,
        userId: people.userId,
        userRole: users.role,
        userDisabledAt: users.disabledAt,
      })
      .from(registrations)
      .innerJoin(people, eq(people.id, registrations.personId))
      .leftJoin(users, eq(users.id, people.userId))
      .where(and(eq(registrations.eventId, eventId), eq(registrations.eventRole, "facilitator"), inArray(registrations.personId, wanted.personIds)));
    for (const id of wanted.personIds) {
      const reg = found.find((r) => r.personId === id);
      const ok = reg && (!INACTIVE_REGISTRATION.has(reg.status) || current.has(`person:${id}`));
      if (!reg || !ok) return null;
      if (reg.userId && reg.userRole === "facilitator" && !reg.userDisabledAt) userIds.add(reg.userId);
      else personIds.add(id);
    }
  }
  return { userIds: [...userIds], personIds: [...personIds] };
}

/** The rules a session must keep, checked inside the write transaction (so two writers cannot both take a room). */
export async function check(tx: Reader, event: TimetableEvent, input: SessionInput, sessionId: number | null, currentFacilitators: Set<string>): Promise<Checked> {
  const errors: FieldErrors = {};
  const zone = event.timeZone;
  if (input.day < event.startDate || input.day > event.endDate) errors.day = sessionMsg.dayOutside;
  if (!wallClockExists(input.day, input.start, zone)) errors.start = sessionMsg.timeSkipped;
  if (!wallClockExists(input.day, input.end, zone)) errors.end = sessionMsg.timeSkipped;
  const startsAt = zonedToUtc(input.day, input.start, zone);
  const endsAt = zonedToUtc(input.day, input.end, zone);
  if (!errors.start && !errors.end && endsAt.getTime() <= startsAt.getTime()) errors.end = sessionMsg.endBeforeStart;

  let conflict: SessionConflict | null = null;
  if (input.room && !errors.start && !errors.end) {
    const key = roomKey(input.room);
    const other = (await tx
      .select(sessionColumns)
      .from(eventSessions)
      .where(
        and(
          eq(eventSessions.eventId, event.id),
          isNotNull(eventSessions.room),
          lt(eventSessions.startsAt, endsAt),
          gt(eventSessions.endsAt, startsAt),
          sessionId === null ? undefined : ne(eventSessions.id, sessionId),
        ),
      )
      .orderBy(asc(eventSessions.startsAt), asc(eventSessions.id)))
      .find((s) => s.room !== null && roomKey(s.room) === key);
    if (other) {
      const shown = present(other, zone);
      errors.room = sessionMsg.roomTaken;
      conflict = {
        id: shown.id,
        title: shown.title,
        room: other.room ?? "",
        day: shown.day,
        start: shown.start,
        end: shown.end,
        startsAt: shown.startsAt,
        endsAt: shown.endsAt,
      };
    }
  }

  const facilitators = await checkFacilitators(tx, event.id, input.facilitators, currentFacilitators);
  if (!facilitators) errors.facilitator = sessionMsg.facilitator;

  if (Object.keys(errors).length > 0 || !facilitators) return { ok: false, errors, conflict };
  return { ok: true, startsAt, endsAt, facilitators };
}

async function insertFacilitators(tx: Tx, sessionId: number, refs: FacilitatorRefs) {
  const rows = [
    ...refs.userIds.map((userId) => ({ sessionId, userId, personId: null })),
    ...refs.personIds.map((personId) => ({ sessionId, userId: null, personId })),
  ];
  if (rows.length > 0) await tx.insert(sessionFacilitators).values(rows);
}

/** What the audit log keeps of a session: ids and times, never a person's name. */
function snapshot(row: SessionRow, facilitators: string[]) {
  return {
    title: row.title,
    kind: row.kind,
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt.toISOString(),
    room: row.room,
    description: row.description,
    facilitators,
  };
}

function refsList(refs: FacilitatorRefs) {
  return [...refs.userIds.map((id) => `user:${id}`), ...refs.personIds.map((id) => `person:${id}`)];
}

async function existingSession(tx: Reader, eventId: number, sessionId: number) {
  const row = firstRow(await tx
    .select(sessionColumns)
    .from(eventSessions)
    .where(and(eq(eventSessions.id, sessionId), eq(eventSessions.eventId, eventId))).limit(1));
  if (!row) throw notFound();
  return row;
}

/**
 * Write one checked session: the row, its facilitators and the audit entry (`via` says which form
 * made it when it was not the one-session form). The caller tells participants (one email per change).
 */
export async function insertCheckedSession(
  tx: Tx,
  actor: Actor,
  eventId: number,
  input: SessionInput,
  checked: Extract<Checked, { ok: true }>,
  via?: string,
) {
  const values = {
    eventId,
    title: input.title,
    kind: input.kind,
    startsAt: checked.startsAt,
    endsAt: checked.endsAt,
    room: input.room,
    description: input.description,
  };
  const { id } = (await tx.insert(eventSessions).values(values).returning({ id: eventSessions.id }))[0];
  await insertFacilitators(tx, id, checked.facilitators);
  await recordAudit(tx, {
    userId: actor.user.id,
    ip: actor.ip,
    action: "session.create",
    entityType: "session",
    entityId: id,
    details: { eventId, ...(via ? { via } : {}), after: snapshot({ id, ...values }, refsList(checked.facilitators)) },
  });
  return { id, values };
}

export async function createSession(actor: Actor, eventId: number, input: SessionInput): Promise<SessionWriteResult> {
  return await getDb().transaction(
    async (tx) => {
      const event = await editableEvent(tx, actor.user, eventId);
      const checked = await check(tx, event, input, null, new Set());
      if (!checked.ok) return checked;
      const { id, values } = await insertCheckedSession(tx, actor, eventId, input, checked);
      // participants hear of it (an essential email), in the same transaction as the change
      await notifyScheduleChanged(tx, eventId, { kind: "created", title: values.title, after: values, sessionId: id });
      return { ok: true as const, sessionId: id };
    },
    { behavior: "immediate" },
  );
}

/** Change a session, including moving it to another day or time. */
export async function updateSession(actor: Actor, eventId: number, sessionId: number, input: SessionInput): Promise<SessionWriteResult> {
  return await getDb().transaction(
    async (tx) => {
      const event = await editableEvent(tx, actor.user, eventId);
      const before = await existingSession(tx, eventId, sessionId);
      const beforeFacilitators = (await facilitatorRows(tx, eventId, sessionId)).map((f) => f.ref);
      const checked = await check(tx, event, input, sessionId, new Set(beforeFacilitators));
      if (!checked.ok) return checked;
      const values = {
        title: input.title,
        kind: input.kind,
        startsAt: checked.startsAt,
        endsAt: checked.endsAt,
        room: input.room,
        description: input.description,
      };
      await tx.update(eventSessions).set(values).where(eq(eventSessions.id, sessionId));
      await tx.delete(sessionFacilitators).where(eq(sessionFacilitators.sessionId, sessionId));
      await insertFacilitators(tx, sessionId, checked.facilitators);
      await notifyScheduleChanged(tx, eventId, { kind: "updated", title: values.title, before, after: values, sessionId });
      await recordAudit(tx, {
        userId: actor.user.id,
        ip: actor.ip,
        action: "session.update",
        entityType: "session",
        entityId: sessionId,
        details: {
          eventId,
          before: snapshot(before, beforeFacilitators),
          after: snapshot({ id: sessionId, ...values }, refsList(checked.facilitators)),
        },
      });
      return { ok: true as const, sessionId };
    },
    { behavior: "immediate" },
  );
}

/**
 * Remove a session; its facilitator assignments and recorded attendance go with it (the page says
 * so first), each mark an attendance.removed for webhook subscribers.
 */
export async function deleteSession(actor: Actor, eventId: number, sessionId: number) {
  return await getDb().transaction(
    async (tx) => {
      await editableEvent(tx, actor.user, eventId);
      const before = await existingSession(tx, eventId, sessionId);
      // what participants said about a session is not thrown away with it
      if (await sessionFeedbackHasAnswers(tx, sessionId)) throw new FieldError("form", "sessions.errors.hasFeedback");
      const facilitators = (await facilitatorRows(tx, eventId, sessionId)).map((f) => f.ref);
      // its marks go with it (foreign key cascade): each is a removal for webhook subscribers
      const marks = await tx
        .select({ registrationId: attendance.registrationId, status: attendance.status, method: attendance.method, recordedAt: attendance.recordedAt })
        .from(attendance)
        .where(eq(attendance.sessionId, sessionId))
        .orderBy(asc(attendance.id));
      const attendanceRecords = marks.length;
      await tx.delete(eventSessions).where(eq(eventSessions.id, sessionId));
      await emitWebhookEvents(tx, marks.map((m) => webhookEvent.attendanceRemoved({ ...m, sessionId, eventId })));
      await notifyScheduleChanged(tx, eventId, { kind: "deleted", title: before.title, before, sessionId });
      await recordAudit(tx, {
        userId: actor.user.id,
        ip: actor.ip,
        action: "session.delete",
        entityType: "session",
        entityId: sessionId,
        details: { eventId, before: snapshot(before, facilitators), attendanceRecords },
      });
      return { title: before.title };
    },
    { behavior: "immediate" },
  );
}
