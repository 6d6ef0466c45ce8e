import { and, asc, eq, gte, inArray, lte, sql } from "drizzle-orm";
import { getDb, type DB, type Tx, firstRow, runRoundAlone } from "../../db/client";
import { jsonText } from "../../db/sql-dialect";
import { auditLog, events, eventSessions, people, registrations, users } from "../../db/schema";
import { eventReminderEmail, type ReminderKind, type TimetableDay } from "@emails/event-reminder";
import { scheduleChangedEmail } from "@emails/schedule-changed";
import { config } from "~/config.server";
import { translatorFor } from "~/i18n.server";
import { eventCalendarIcs, type CalendarSession } from "~/lib/ics.server";
import { now } from "~/lib/clock";
import { countryName, dayInZone, formatDay, formatTimeRange, placeLine, zoneLabel } from "~/lib/format";
import { utcToZoned, zonedToUtc } from "~/lib/zoned";
import { recordAudit } from "./audit.server";
import { reminderOptOut } from "./email-preferences.server";
import { enqueueEmail, type OutboxAttachment } from "./outbox.server";

/**
 * Emails about an event's timetable: the reminders a week and a day before its first day, and the
 * notice that the timetable changed. Both go to the people who will be there — confirmed
 * participants and facilitators — in their own language, with times in the EVENT's zone (named)
 * and the sessions attached as an .ics file.
 */

type Reader = Pick<DB, "select">;

/** Events whose people hear about their timetable (a draft is not announced; a finished one is over). */
const TIMETABLE_EMAIL_STATUSES = ["open", "in_progress"] as const;

/** How many days before the first day (in the event's zone) each reminder goes out. */
export const REMINDER_DAYS_BEFORE: Record<ReminderKind, number> = { week: 7, day: 1 };

/** The audit action that records a reminder sent (read before sending: never the same one twice). */
export const REMINDER_AUDIT_ACTION = "event.reminder";

type EventForEmail = {
  id: number;
  title: string;
  status: string;
  timeZone: string;
  startDate: string;
  venue: string | null;
  locality: string | null;
  country: string;
};


async function loadEvent(db: Reader, eventId: number): Promise<EventForEmail | undefined> {
  return firstRow(await db
    .select({
      id: events.id,
      title: events.title,
      status: events.status,
      timeZone: events.timeZone,
      startDate: events.startDate,
      venue: events.venue,
      locality: events.locality,
      country: events.country,
    })
    .from(events)
    .where(eq(events.id, eventId)).limit(1));
}

async function loadSessions(db: Reader, eventId: number): Promise<CalendarSession[]> {
  return await db
    .select({
      id: eventSessions.id,
      title: eventSessions.title,
      startsAt: eventSessions.startsAt,
      endsAt: eventSessions.endsAt,
      room: eventSessions.room,
      description: eventSessions.description,
      updatedAt: eventSessions.updatedAt,
    })
    .from(eventSessions)
    .where(eq(eventSessions.eventId, eventId))
    .orderBy(asc(eventSessions.startsAt), asc(eventSessions.endsAt), asc(eventSessions.id));
}

/** The people who will be there and hear about the timetable: confirmed participants and facilitators. */
async function timetableRecipients(db: Reader, eventId: number) {
  return await db
    .select({
      registrationId: registrations.id,
      personId: people.id,
      email: people.email,
      givenName: people.givenName,
      familyName: people.familyName,
      userId: people.userId,
      locale: users.locale,
      // an account's setting, or (no account) the person's own
      remindersOff: sql<number>`coalesce(${users.emailRemindersOff}, ${people.emailRemindersOff})`.mapWith(Boolean),
    })
    .from(registrations)
    .innerJoin(people, eq(people.id, registrations.personId))
    .leftJoin(users, eq(users.id, people.userId))
    .where(
      and(
        eq(registrations.eventId, eventId),
        eq(registrations.status, "confirmed"),
        inArray(registrations.eventRole, ["participant", "facilitator"]),
      ),
    )
    .orderBy(asc(registrations.id));
}

function calendarAttachment(event: EventForEmail, ics: string): OutboxAttachment {
  return {
    filename: `event-${event.id}.ics`,
    contentType: "text/calendar; charset=utf-8; method=PUBLISH",
    content: Buffer.from(ics, "utf8").toString("base64"),
  };
}

// ——— how times read in an email ———

/** The event's zone as named next to times ("Nassau (EST)"), with the abbreviation in force at `at`. */
function zoneName(event: EventForEmail, at: Date | undefined, lang: string) {
  return zoneLabel(event.timeZone, at ?? zonedToUtc(event.startDate, "12:00", event.timeZone), lang);
}

/**
 * The timetable by day, times in the event's zone, written in the recipient's language. The email
 * names the zone of the first session; a session on the other side of a daylight-saving change
 * names its own zone, so that "01:00" on the night the clocks go back is not read in the wrong one.
 */
export function timetableFor(sessions: CalendarSession[], timeZone: string, lang: string): TimetableDay[] {
  const days = new Map<string, TimetableDay>();
  const named = sessions[0] ? zoneLabel(timeZone, sessions[0].startsAt, lang) : null;
  for (const s of sessions) {
    const day = utcToZoned(s.startsAt, timeZone).day;
    let entry = days.get(day);
    if (!entry) {
      entry = { label: formatDay(day, lang, "long"), rows: [] };
      days.set(day, entry);
    }
    const own = zoneLabel(timeZone, s.startsAt, lang);
    const time = formatTimeRange(s.startsAt, s.endsAt, timeZone, lang);
    entry.rows.push({ time: own === named ? time : `${time} ${own}`, title: s.title, detail: s.room ?? undefined });
  }
  return [...days.values()];
}

function placeOf(event: EventForEmail, lang: string) {
  return placeLine([event.venue, event.locality, countryName(event.country, lang)]);
}

function daysBetween(from: string, to: string) {
  const [fy, fm, fd] = from.split("-").map(Number);
  const [ty, tm, td] = to.split("-").map(Number);
  return Math.round((Date.UTC(ty, tm - 1, td) - Date.UTC(fy, fm - 1, fd)) / 86_400_000);
}

// ——— reminders ———

/** Which reminder is due on `today` for an event starting on `startDate` (both days in its zone). */
export function reminderDue(today: string, startDate: string): ReminderKind | null {
  const until = daysBetween(today, startDate);
  if (until === REMINDER_DAYS_BEFORE.week) return "week";
  if (until === REMINDER_DAYS_BEFORE.day) return "day";
  return null;
}

/** Registrations of the event that already had this reminder (the audit log is the record). */
async function alreadyReminded(db: Reader, registrationIds: number[], kind: ReminderKind): Promise<Set<number>> {
  if (registrationIds.length === 0) return new Set();
  const rows = await db
    .select({ entityId: auditLog.entityId })
    .from(auditLog)
    .where(
      and(
        eq(auditLog.action, REMINDER_AUDIT_ACTION),
        eq(auditLog.entityType, "registration"),
        inArray(auditLog.entityId, registrationIds.map(String)),
        sql`${jsonText(auditLog.details, "kind")} = ${kind}`,
      ),
    );
  return new Set(rows.map((r) => Number(r.entityId)));
}

/**
 * Send the reminders due at `at`, run periodically (scheduleEventReminders). For every open or
 * in-progress event whose first day, in the event's zone, is 7 days away ("week") or 1 day away
 * ("day"), each confirmed participant and facilitator with an email address gets the reminder
 * once, unless they turned reminders off (users.email_reminders_off, or people.email_reminders_off
 * for someone without an account). What was sent is recorded in the audit log
 * ("event.reminder", the registration, { kind }) and read first, inside one IMMEDIATE transaction
 * per event, so no one gets the same reminder twice, even from two processes or two instances on
 * one PostgreSQL database (there the transaction is SERIALIZABLE: of two that read the same audit
 * rows and both write, one is refused and runs again, seeing the other's; the database's write lock,
 * db/postgres.ts, makes them run one after the other anyway). Someone confirmed later that day
 * still gets it on the next round.
 *
 * Every reminder carries the way out: the "stop reminders" link (for someone on the roster without
 * an account, a link scoped to the person) and the List-Unsubscribe headers (RFC 8058).
 */
export async function sendEventReminders(at: Date = now(), options: { appUrl?: string } = {}) {
  const appUrl = options.appUrl ?? config().appUrl;
  const db = getDb();
  // zones are at most a day from UTC: a day's margin either side finds every candidate
  const utcToday = at.toISOString().slice(0, 10);
  const shift = (days: number) => new Date(Date.UTC(+utcToday.slice(0, 4), +utcToday.slice(5, 7) - 1, +utcToday.slice(8, 10) + days)).toISOString().slice(0, 10);
  const candidates = await db
    .select({ id: events.id, timeZone: events.timeZone, startDate: events.startDate })
    .from(events)
    .where(
      and(
        inArray(events.status, [...TIMETABLE_EMAIL_STATUSES]),
        gte(events.startDate, shift(REMINDER_DAYS_BEFORE.day - 1)),
        lte(events.startDate, shift(REMINDER_DAYS_BEFORE.week + 1)),
      ),
    );
  let emails = 0;
  for (const candidate of candidates) {
    const kind = reminderDue(dayInZone(at, candidate.timeZone), candidate.startDate);
    if (!kind) continue;
    emails += (await getDb().transaction(async (tx) => await remindEvent(tx, candidate.id, kind, appUrl), { behavior: "immediate" }));
  }
  return { emails };
}

async function remindEvent(tx: Tx, eventId: number, kind: ReminderKind, appUrl: string) {
  const event = await loadEvent(tx, eventId);
  if (!event || !(TIMETABLE_EMAIL_STATUSES as readonly string[]).includes(event.status)) return 0;
  const recipients = await timetableRecipients(tx, eventId);
  const done = await alreadyReminded(
    tx,
    recipients.map((r) => r.registrationId),
    kind,
  );
  const due = recipients.filter((r) => r.email && !r.remindersOff && !done.has(r.registrationId));
  if (due.length === 0) return 0;
  const sessions = await loadSessions(tx, eventId);
  const attachments = sessions.length > 0 ? [calendarAttachment(event, eventCalendarIcs(event, sessions, appUrl))] : [];
  for (const r of due) {
    const { t, lang, dir } = translatorFor(r.locale);
    const optOut = await reminderOptOut(tx, appUrl, r);
    const content = eventReminderEmail(
      kind,
      {
        name: `${r.givenName} ${r.familyName}`,
        eventTitle: event.title,
        date: formatDay(event.startDate, lang, "long"),
        place: placeOf(event, lang),
        zone: zoneName(event, sessions[0]?.startsAt, lang),
        timetable: timetableFor(sessions, event.timeZone, lang),
        sessionCount: sessions.length,
        url: `${appUrl}/events/${event.id}`,
        preferencesUrl: optOut.preferencesUrl,
      },
      t,
      { lang, dir },
    );
    await enqueueEmail(tx, { ...content, kind: `event_reminder_${kind}`, to: r.email!, userId: r.userId, attachments, headers: optOut.headers });
    await recordAudit(tx, {
      userId: null,
      action: REMINDER_AUDIT_ACTION,
      entityType: "registration",
      entityId: r.registrationId,
      details: { kind, eventId },
    });
  }
  return due.length;
}

/** Run the reminders now and then every `everyMs` (10 minutes), never letting one failure stop the server. */
export async function scheduleEventReminders(appUrl: string, everyMs = 10 * 60_000) {
  const run = async () => {
    try {
      // one instance at a time runs it; each item is still checked in its own transaction
      await runRoundAlone(getDb(), "event-reminders", async () => await sendEventReminders(now(), { appUrl }));
    } catch (error) {
      console.error("event reminders: round failed", error);
    }
  };
  setInterval(run, everyMs).unref();
  await run();
}

// ——— timetable changes ———

/** A session as the change email shows it (the fields people care about). */
export type SessionSnapshot = { title?: string; startsAt: Date; endsAt: Date; room?: string | null };

export type ScheduleChange = {
  kind: "created" | "updated" | "deleted";
  /** the session's title (its new title when renamed) */
  title: string;
  before?: SessionSnapshot;
  after?: SessionSnapshot;
  /** the session's id: a removed session is listed as CANCELLED in the attached calendar */
  sessionId?: number;
  /** several sessions added at once (one email lists them all): each with its title */
  added?: (SessionSnapshot & { title: string })[];
};

function sameSlot(a: SessionSnapshot, b: SessionSnapshot) {
  return a.startsAt.getTime() === b.startsAt.getTime() && a.endsAt.getTime() === b.endsAt.getTime() && (a.room ?? null) === (b.room ?? null);
}

function describeSlot(t: ReturnType<typeof translatorFor>["t"], s: SessionSnapshot, timeZone: string, lang: string) {
  const day = formatDay(utcToZoned(s.startsAt, timeZone).day, lang, "long");
  const time = formatTimeRange(s.startsAt, s.endsAt, timeZone, lang);
  return s.room ? t("scheduleEmail.whenInRoom", { day, time, room: s.room }) : t("scheduleEmail.when", { day, time });
}

/**
 * Tell the people of an open or in-progress event that its timetable changed: what changed, the
 * times before and after in the event's zone, and the updated .ics. Call it inside the transaction
 * of the change (after writing it), so the change and its emails commit together. Essential: sent
 * even to people who turned reminders off. An edit that moves nothing people see (description,
 * facilitators, kind) sends nothing. Returns the number of emails queued.
 */
export async function notifyScheduleChanged(tx: Tx, eventId: number, change: ScheduleChange, appUrl: string = config().appUrl) {
  const event = await loadEvent(tx, eventId);
  if (!event || !(TIMETABLE_EMAIL_STATUSES as readonly string[]).includes(event.status)) return 0;
  if (change.kind === "updated" && change.before && change.after) {
    const renamed = change.before.title !== undefined && change.before.title !== (change.after.title ?? change.title);
    if (!renamed && sameSlot(change.before, change.after)) return 0;
  }
  const recipients = (await timetableRecipients(tx, eventId)).filter((r) => r.email);
  if (recipients.length === 0) return 0;
  const sessions = await loadSessions(tx, eventId);
  const removed =
    change.kind === "deleted" && change.sessionId !== undefined && change.before
      ? [{ id: change.sessionId, title: change.title, startsAt: change.before.startsAt, endsAt: change.before.endsAt, room: change.before.room }]
      : [];
  const attachments = [calendarAttachment(event, eventCalendarIcs(event, sessions, appUrl, removed))];
  const zoneAt = (change.after ?? change.before)?.startsAt ?? sessions[0]?.startsAt;
  for (const r of recipients) {
    const { t, lang, dir } = translatorFor(r.locale);
    const content = scheduleChangedEmail(
      {
        name: `${r.givenName} ${r.familyName}`,
        eventTitle: event.title,
        change: {
          kind: change.kind,
          title: change.title,
          previousTitle: change.kind === "updated" ? change.before?.title : undefined,
          before: change.before ? describeSlot(t, change.before, event.timeZone, lang) : undefined,
          after: change.after ? describeSlot(t, change.after, event.timeZone, lang) : undefined,
          added: change.added?.map((s) => ({ title: s.title, when: describeSlot(t, s, event.timeZone, lang) })),
        },
        zone: zoneName(event, zoneAt, lang),
        url: `${appUrl}/events/${event.id}/sessions`,
      },
      t,
      { lang, dir },
    );
    await enqueueEmail(tx, { ...content, kind: "schedule_changed", to: r.email!, userId: r.userId, attachments });
  }
  return recipients.length;
}

/** An event's timetable for an email, times in the event's zone, and that zone named. */
export async function timetableForEmail(db: Pick<Tx, "select">, eventId: number, lang: string) {
  const event = firstRow(await db.select({ timeZone: events.timeZone, startDate: events.startDate }).from(events).where(eq(events.id, eventId)).limit(1));
  if (!event) return null;
  const sessions = await db
    .select({ id: eventSessions.id, title: eventSessions.title, startsAt: eventSessions.startsAt, endsAt: eventSessions.endsAt, room: eventSessions.room, description: eventSessions.description, updatedAt: eventSessions.updatedAt })
    .from(eventSessions)
    .where(eq(eventSessions.eventId, eventId))
    .orderBy(asc(eventSessions.startsAt));
  if (sessions.length === 0) return null;
  return { days: timetableFor(sessions, event.timeZone, lang), zone: zoneLabel(event.timeZone, sessions[0].startsAt, lang) };
}
