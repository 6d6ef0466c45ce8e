import { and, asc, eq, inArray, isNull, ne, notInArray, or, sql } from "drizzle-orm";
import { getDb, firstRow } from "../../db/client";
import { flag } from "../../db/sql-dialect";
import { calendarFeeds, events, eventSessions, people, registrations, sessionFacilitators, users } from "../../db/schema";
import type { Actor, SessionUser } from "~/auth/session.server";
import { generateToken, hashToken } from "~/auth/tokens.server";
import { translatorFor } from "~/i18n.server";
import { now } from "~/lib/clock";
import { calendarIcs, type CalendarEntry, type CalendarEvent } from "~/lib/ics.server";
import { recordAudit } from "./audit.server";
import { visibleEventsWhere } from "./events.server";
import { canManageTimetable, requireTimetableEditor } from "./sessions.server";

/**
 * Private calendar feeds: a secret address per user (their own trainings and sessions) and, for
 * staff, per event (its whole timetable), that Google Calendar, Outlook and Apple Calendar
 * subscribe to. The address carries a random token of 256 bits; only its SHA-256 is stored, so the
 * address is shown once, when it is made, and a lost one is replaced by resetting it.
 *
 * A feed is answered with the rights its owner has at the moment it is fetched: a disabled
 * account, an event the owner may no longer see or plan, a withdrawn registration or a cancelled
 * event take things out of it at the next fetch. An unknown token, a reset one and one whose owner
 * lost the right all get the same 404.
 */

/** The token in a feed address: 32 random bytes in base64url (generateToken). */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** Registrations that put a person's trainings in their calendar. */
const ATTENDING = ["confirmed"] as const;
/** Events a personal calendar leaves out: not yet published, or called off. */
const NOT_IN_PERSONAL_FEEDS = ["draft", "cancelled"] as const;
/** How often the last use is written (a calendar app fetches every few hours). */
const LAST_USED_EVERY_MS = 60 * 60 * 1000;

export type FeedState = { createdAt: number; lastUsedAt: number | null } | null;

function feedWhere(userId: string, eventId: number | null) {
  return and(eq(calendarFeeds.userId, userId), eventId === null ? isNull(calendarFeeds.eventId) : eq(calendarFeeds.eventId, eventId));
}

async function stateOf(userId: string, eventId: number | null): Promise<FeedState> {
  const row = firstRow(await getDb()
    .select({ createdAt: calendarFeeds.createdAt, lastUsedAt: calendarFeeds.lastUsedAt })
    .from(calendarFeeds)
    .where(feedWhere(userId, eventId)).limit(1));
  return row ? { createdAt: row.createdAt.getTime(), lastUsedAt: row.lastUsedAt?.getTime() ?? null } : null;
}

/** Replace the feed (if any) with a new one; returns the new token, never stored in clear. */
async function renew(actor: Actor, eventId: number | null): Promise<string> {
  const token = generateToken();
  await getDb().transaction(
    async (tx) => {
      const old = await tx.delete(calendarFeeds).where(feedWhere(actor.user.id, eventId)).returning({ id: calendarFeeds.id });
      const { id } = (await tx
        .insert(calendarFeeds)
        .values({ userId: actor.user.id, eventId, tokenHash: hashToken(token), createdAt: now() })
        .returning({ id: calendarFeeds.id }))[0];
      await recordAudit(tx, {
        userId: actor.user.id,
        ip: actor.ip,
        action: old.length > 0 ? "calendar_feed.reset" : "calendar_feed.create",
        entityType: "calendar_feed",
        entityId: id,
        details: { eventId },
      });
    },
    { behavior: "immediate" },
  );
  return token;
}

/** The user's own feed: whether it exists, since when, and when a calendar last fetched it. */
export async function ownFeedState(user: SessionUser): Promise<FeedState> {
  return await stateOf(user.id, null);
}

/** Make the user's own feed, or replace it (the old address stops working at once). */
export async function renewOwnFeed(actor: Actor): Promise<string> {
  return await renew(actor, null);
}

/** An event's feed, for staff who may plan it (404 when the event is not theirs to see, 403 when only to look). */
export async function eventFeedState(user: SessionUser, eventId: number): Promise<FeedState> {
  await requireTimetableEditor(user, eventId);
  return await stateOf(user.id, eventId);
}

export async function renewEventFeed(actor: Actor, eventId: number): Promise<string> {
  await requireTimetableEditor(actor.user, eventId);
  return await renew(actor, eventId);
}

/** The addresses of a feed: https for Google and Outlook, webcal:// for Apple Calendar and others. */
export function feedUrls(appUrl: string, token: string) {
  const https = `${appUrl.replace(/\/$/, "")}/feeds/${token}/calendar.ics`;
  return { https, webcal: https.replace(/^https?:\/\//, "webcal://") };
}

// ——— answering a feed ———

const eventColumns = {
  id: events.id,
  title: events.title,
  status: events.status,
  venue: events.venue,
  locality: events.locality,
  country: events.country,
  updatedAt: events.updatedAt,
};

const sessionColumns = {
  id: eventSessions.id,
  eventId: eventSessions.eventId,
  title: eventSessions.title,
  startsAt: eventSessions.startsAt,
  endsAt: eventSessions.endsAt,
  room: eventSessions.room,
  description: eventSessions.description,
  updatedAt: eventSessions.updatedAt,
};

type EventRow = CalendarEvent & { updatedAt: Date };
type SessionRow = { id: number; eventId: number; title: string; startsAt: Date; endsAt: Date; room: string | null; description: string | null; updatedAt: Date };

/** A session's calendar entry: its SEQUENCE and LAST-MODIFIED follow the later of its own change and its event's (a new venue). */
function entriesOf(eventRows: EventRow[], sessionRows: SessionRow[]): CalendarEntry[] {
  const byId = new Map(eventRows.map((e) => [e.id, e]));
  return sessionRows.flatMap((s) => {
    const e = byId.get(s.eventId);
    if (!e) return [];
    const updatedAt = new Date(Math.max(s.updatedAt.getTime(), e.updatedAt.getTime()));
    const event: CalendarEvent = { id: e.id, title: e.title, status: e.status, venue: e.venue, locality: e.locality, country: e.country };
    return [{ event, session: { ...s, updatedAt } }];
  });
}

/**
 * A user's own calendar: every session of the published events they are confirmed on (as a
 * participant, observer or organiser), the sessions they teach, and for staff
 * every session of the events they created — each only if the event is one they may see now.
 */
async function ownEntries(user: SessionUser): Promise<CalendarEntry[]> {
  const db = getDb();
  const myPeople = db.select({ id: people.id }).from(people).where(eq(people.userId, user.id));
  const attending = db
    .select({ eventId: registrations.eventId })
    .from(registrations)
    // a roster facilitator's calendar holds the sessions they teach (below), not the whole timetable
    .where(and(inArray(registrations.personId, myPeople), inArray(registrations.status, [...ATTENDING]), ne(registrations.eventRole, "facilitator")));
  const taught = await db
    .select({ sessionId: sessionFacilitators.sessionId, eventId: eventSessions.eventId })
    .from(sessionFacilitators)
    .innerJoin(eventSessions, eq(eventSessions.id, sessionFacilitators.sessionId))
    .where(or(eq(sessionFacilitators.userId, user.id), inArray(sessionFacilitators.personId, myPeople)));
  const staff = canManageTimetable(user);
  const mine = or(inArray(events.id, attending), staff ? eq(events.createdByUserId, user.id) : undefined);
  const eventRows = await db
    .select({ ...eventColumns, whole: flag(mine!) })
    .from(events)
    .where(
      and(
        notInArray(events.status, [...NOT_IN_PERSONAL_FEEDS]),
        visibleEventsWhere(user),
        or(mine, taught.length > 0 ? inArray(events.id, [...new Set(taught.map((t) => t.eventId))]) : undefined),
      ),
    );
  if (eventRows.length === 0) return [];
  // an attendee's (or the event's creator's) calendar holds the whole timetable; a facilitator's, the sessions they teach
  const wholeEvents = new Set(eventRows.filter((e) => Boolean(e.whole)).map((e) => e.id));
  const taughtIds = new Set(taught.map((t) => t.sessionId));
  const sessionRows = (await db
    .select(sessionColumns)
    .from(eventSessions)
    .where(inArray(eventSessions.eventId, eventRows.map((e) => e.id)))
    .orderBy(asc(eventSessions.startsAt), asc(eventSessions.id)))
    .filter((s) => wholeEvents.has(s.eventId) || taughtIds.has(s.id));
  return entriesOf(eventRows, sessionRows);
}

/** An event's whole timetable, for staff who may plan it; a cancelled event's calendar is empty. */
async function eventEntries(user: SessionUser, eventId: number): Promise<CalendarEntry[] | null> {
  if (!canManageTimetable(user)) return null;
  const db = getDb();
  const event = firstRow(await db.select(eventColumns).from(events).where(and(eq(events.id, eventId), visibleEventsWhere(user))).limit(1));
  if (!event) return null;
  if (event.status === "cancelled") return [];
  const sessionRows = await db.select(sessionColumns).from(eventSessions).where(eq(eventSessions.eventId, eventId)).orderBy(asc(eventSessions.startsAt), asc(eventSessions.id));
  return entriesOf([event], sessionRows);
}

/**
 * The calendar behind a feed token, or null (the same null for a malformed token, an unknown or
 * reset one, a disabled owner and an owner who lost the right). The token is looked up by its
 * SHA-256 through a unique index: how long the lookup takes says nothing about stored tokens.
 */
export async function feedCalendar(token: string, appUrl: string): Promise<{ body: string } | null> {
  if (!TOKEN_PATTERN.test(token)) return null;
  const db = getDb();
  const feed = firstRow(await db
    .select({
      id: calendarFeeds.id,
      eventId: calendarFeeds.eventId,
      lastUsedAt: calendarFeeds.lastUsedAt,
      user: { id: users.id, email: users.email, name: users.name, role: users.role, organisationId: users.organisationId, locale: users.locale },
    })
    .from(calendarFeeds)
    .innerJoin(users, and(eq(users.id, calendarFeeds.userId), isNull(users.disabledAt)))
    .where(eq(calendarFeeds.tokenHash, hashToken(token))).limit(1));
  if (!feed) return null;
  const user: SessionUser = feed.user;
  const entries = feed.eventId === null ? (await ownEntries(user)) : (await eventEntries(user, feed.eventId));
  if (entries === null) return null;
  const at = now();
  if (!feed.lastUsedAt || at.getTime() - feed.lastUsedAt.getTime() >= LAST_USED_EVERY_MS) {
    await db.update(calendarFeeds).set({ lastUsedAt: at }).where(eq(calendarFeeds.id, feed.id));
  }
  const { t } = translatorFor(user.locale);
  const name =
    feed.eventId === null
      ? t("calendarFeed.ownCalendarName")
      : t("calendarFeed.eventCalendarName", { event: firstRow(await db.select({ title: events.title }).from(events).where(eq(events.id, feed.eventId)).limit(1))?.title ?? "" });
  return { body: calendarIcs(name, entries, appUrl) };
}
