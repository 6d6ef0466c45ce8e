import { asc, eq } from "drizzle-orm";
import { getDb, type Tx } from "../../db/client";
import { eventSessions } from "../../db/schema";
import type { Actor } from "~/auth/session.server";
import type { FieldErrors } from "~/lib/forms";
import type { FacilitatorRefs, SessionInput } from "~/lib/schemas/sessions";
import { notifyScheduleChanged } from "./reminders.server";
import {
  check,
  editableEvent,
  eventDays,
  facilitatorRows,
  insertCheckedSession,
  present,
  sessionColumns,
  type SessionConflict,
  type TimetableEvent,
} from "./sessions.server";

/**
 * Faster timetable entry: several sessions in one form, and a whole day copied to another day.
 * Every new session passes the one-session rules (the event's days, daylight-saving gaps, room
 * clashes — with the timetable AND with the other new sessions —, who may facilitate), inside one
 * IMMEDIATE transaction: either every session is added, or none is and each refused one says why.
 * Participants get one email for the whole change, not one per session.
 */

/** Why one new session was refused (null: it was fine, but another one was not). */
export type RowRefusal = { errors: FieldErrors; conflict: SessionConflict | null };

export type SeveralResult = { ok: true; sessionIds: number[] } | { ok: false; rows: (RowRefusal | null)[] };

/** Thrown inside the transaction to undo the sessions already written when a later one is refused. */
class Refused extends Error {
  constructor(readonly rows: (RowRefusal | null)[]) {
    super("timetable entry refused");
  }
}

/**
 * Check and write each session in turn: a later one is checked against those written before it,
 * so two new sessions cannot share a room either. Throws Refused (rolling back) if any is refused.
 */
async function addAll(tx: Tx, actor: Actor, event: TimetableEvent, inputs: SessionInput[], via: string, checkOnly = false) {
  const rows: (RowRefusal | null)[] = [];
  const created: { id: number; title: string; startsAt: Date; endsAt: Date; room: string | null }[] = [];
  for (const input of inputs) {
    const checked = await check(tx, event, input, null, new Set());
    if (!checked.ok) {
      rows.push({ errors: checked.errors, conflict: checked.conflict });
      continue;
    }
    rows.push(null);
    const { id, values } = await insertCheckedSession(tx, actor, event.id, input, checked, via);
    created.push({ id, title: values.title, startsAt: values.startsAt, endsAt: values.endsAt, room: values.room });
  }
  if (checkOnly || rows.some((r) => r !== null)) throw new Refused(rows);
  const [first] = created;
  if (created.length === 1) {
    await notifyScheduleChanged(tx, event.id, { kind: "created", title: first.title, after: first, sessionId: first.id });
  } else if (created.length > 1) {
    await notifyScheduleChanged(tx, event.id, { kind: "created", title: first.title, after: first, added: created });
  }
  return created.map((c) => c.id);
}

async function refusable<T>(work: () => Promise<T>): Promise<T | { ok: false; rows: (RowRefusal | null)[] }> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof Refused) return { ok: false as const, rows: error.rows };
    throw error;
  }
}

/**
 * Add several sessions at once: all of them, or none (each refused row with its reasons). With
 * `checkOnly` (other rows of the form are already wrong) nothing is kept: the rows are only checked.
 */
export async function createSessions(actor: Actor, eventId: number, inputs: SessionInput[], options: { checkOnly?: boolean } = {}): Promise<SeveralResult> {
  return await refusable(async () =>
    await getDb().transaction(
      async (tx) => {
        const event = await editableEvent(tx, actor.user, eventId);
        return { ok: true as const, sessionIds: await addAll(tx, actor, event, inputs, "several", options.checkOnly) };
      },
      { behavior: "immediate" },
    ),
  );
}

// ——— copying a day ———

export const copyDayMsg = {
  day: "timetableEntry.errors.day",
  sameDay: "timetableEntry.errors.sameDay",
  emptyDay: "timetableEntry.errors.emptyDay",
  facilitatorGone: "timetableEntry.errors.facilitatorGone",
} as const;

/** A session of the source day whose copy was refused, as the page lists it. */
export type CopiedSession = { title: string; room: string | null; startsAt: number; endsAt: number } & RowRefusal;

export type CopyDayResult =
  | { ok: true; count: number }
  | { ok: false; errors: FieldErrors; refused: CopiedSession[] };

/** The sessions of one day of the event (in its zone), in order. */
async function sessionsOfDay(tx: Pick<Tx, "select">, event: TimetableEvent, day: string) {
  return (await tx
    .select(sessionColumns)
    .from(eventSessions)
    .where(eq(eventSessions.eventId, event.id))
    .orderBy(asc(eventSessions.startsAt), asc(eventSessions.id)))
    .map((row) => present(row, event.timeZone))
    .filter((s) => s.day === day);
}

/**
 * Copy every session of `from` to `to`, at the same wall-clock times in the event's zone (so a
 * copy across a daylight-saving change keeps 09:00 at 09:00), with its kind, room, description and
 * facilitators. All or nothing.
 */
export async function copyDay(actor: Actor, eventId: number, from: string, to: string): Promise<CopyDayResult> {
  const db = getDb();
  return await db.transaction(
    async (tx) => {
      const event = await editableEvent(tx, actor.user, eventId);
      const days = eventDays(event.startDate, event.endDate);
      const errors: FieldErrors = {};
      if (!days.includes(from)) errors.from = copyDayMsg.day;
      if (!days.includes(to)) errors.to = copyDayMsg.day;
      else if (from === to) errors.to = copyDayMsg.sameDay;
      const sources = errors.from ? [] : (await sessionsOfDay(tx, event, from));
      if (!errors.from && sources.length === 0) errors.from = copyDayMsg.emptyDay;
      if (Object.keys(errors).length > 0) return { ok: false as const, errors, refused: [] };

      const inputs: SessionInput[] = await Promise.all(sources.map(async (s) => {
        const refs: FacilitatorRefs = { userIds: [], personIds: [] };
        for (const f of (await facilitatorRows(tx, eventId, s.id))) {
          if (f.ref.startsWith("user:")) refs.userIds.push(f.ref.slice(5));
          else refs.personIds.push(Number(f.ref.slice(7)));
        }
        // a session that ran past midnight keeps its length only up to the day's end
        const end = s.endDay === s.day ? s.end : "23:59";
        return { title: s.title, kind: s.kind as SessionInput["kind"], day: to, start: s.start, end, room: s.room, description: s.description, facilitators: refs };
      }));
      const outcome = await refusable(async () => await tx.transaction(async (inner) => ({ ok: true as const, ids: await addAll(inner, actor, event, inputs, "copy-day") })));
      if (outcome.ok) return { ok: true as const, count: outcome.ids.length };
      const refused: CopiedSession[] = [];
      outcome.rows.forEach((row, i) => {
        if (!row) return;
        const { facilitator, ...rest } = row.errors;
        const s = sources[i];
        // a copy keeps the source's facilitators: one that can no longer be chosen is named as such
        const rowErrors = facilitator ? { ...rest, facilitator: copyDayMsg.facilitatorGone } : rest;
        // the source session's times: the same wall-clock times the copy would have had
        refused.push({ title: s.title, room: s.room, startsAt: s.startsAt, endsAt: s.endsAt, errors: rowErrors, conflict: row.conflict });
      });
      return { ok: false as const, errors: {}, refused };
    },
    { behavior: "immediate" },
  );
}
