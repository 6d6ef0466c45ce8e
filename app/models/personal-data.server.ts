import fs from "node:fs";
import { and, asc, eq, inArray, isNotNull, isNull, or, sql } from "drizzle-orm";
import { getDb, type DB, type Tx, firstRow, changedRows, runRoundAlone } from "../../db/client";
import { countDistinct, countOf } from "../../db/sql-dialect";
import {
  actionPlanComments,
  actionPlanItems,
  actionPlanMembers,
  actionPlans,
  actionPlanUpdates as planUpdates,
  attendance,
  auditLog,
  authSessions,
  certificates,
  consents,
  emailOutbox,
  events,
  eventSessions,
  feedbackForms,
  feedbackRespondents,
  followUpRequestEntries,
  followUpRequests,
  knowledgeTestAttempts,
  organisations,
  passwordResetTokens,
  people,
  registrations,
  sessionFacilitators,
  users,
} from "../../db/schema";
import { deleteEndedSessions } from "~/auth/lucia.server";
import { forbidden, notFound, type Actor } from "~/auth/session.server";
import { now } from "~/lib/clock";
import { dayInZone } from "~/lib/format";
import { retentionLastDay } from "~/lib/retention";
import { attachmentFile } from "./action-plans.server";
import { recordAudit } from "./audit.server";
import { FieldError } from "./field-error.server";
import { trainingsOf } from "./people.server";

/**
 * Personal data (issue 10): anonymisation after an event's retention period, and, on a person's
 * request, an export of everything Convene holds about them and its erasure.
 *
 * Anonymising a person removes what identifies them and keeps what the reports count, so that
 * every figure of /reports is the same before and after:
 * - removed: names (replaced by a neutral placeholder, see below), email, phone, position,
 *   dietary and accessibility needs; the note on their registrations; the wording copied into
 *   their consents; the free text of action plans they wrote alone (title, items' text, progress
 *   notes and attachments, coordinators' comments), and of progress notes and comments they wrote
 *   on group plans; emails addressed to them (pending ones are deleted, sent ones lose their
 *   address and body, keeping the subject and dates); their account's name, email, password,
 *   sessions and reset links (the account is disabled);
 * - kept: organisation, sex, role category and nationality (the breakdowns), registrations with
 *   their status and event role, attendance marks, action-plan and item statuses and validations,
 *   and certificates (code and dates: a certificate still verifies, without a name).
 * The audit log is append-only (triggers refuse changes): what is written there about an
 * anonymisation holds ids and counts, never the removed values.
 */

/** The names an anonymised person keeps: "Anonymised participant" and "#<id>" (pages show it translated). */
export const ANONYMISED_GIVEN_NAME = "Anonymised participant";
export const anonymisedFamilyName = (personId: number) => `#${personId}`;
/** What replaces removed free text that cannot be empty (plan titles, item actions, notes). */
export const REMOVED_TEXT = "—";

export type AnonymiseReason = "retention" | "request";

export type AnonymiseResult = {
  /** files of removed attachments, to delete once the transaction has committed */
  files: string[];
};

/**
 * Anonymise one person inside the caller's transaction (see the module comment for what goes and
 * what stays). Returns null when the person was already anonymised. The caller deletes the
 * returned files after committing (`removeFiles`): a rolled-back transaction must not lose files
 * its rows still point to.
 */
export async function anonymisePerson(
  tx: Tx,
  personId: number,
  at: Date,
  reason: AnonymiseReason,
  by: { userId: string | null; ip: string | null; eventId?: number } = { userId: null, ip: null },
): Promise<AnonymiseResult | null> {
  const person = firstRow(await tx.select().from(people).where(eq(people.id, personId)).limit(1));
  if (!person) throw notFound();
  if (person.anonymisedAt) return null;
  const files: string[] = [];

  await tx.update(people)
    .set({
      givenName: ANONYMISED_GIVEN_NAME,
      familyName: anonymisedFamilyName(personId),
      email: null,
      phone: null,
      position: null,
      dietaryNeeds: null,
      accessibilityNeeds: null,
      emailRemindersOff: true,
      anonymisedAt: at,
      updatedAt: at,
    })
    .where(eq(people.id, personId));

  await tx.update(registrations).set({ note: null }).where(and(eq(registrations.personId, personId), isNotNull(registrations.note)));
  await tx.update(consents).set({ wording: "" }).where(eq(consents.personId, personId));

  // action plans: a plan written alone loses its text; on a group plan only what this person wrote goes
  const planIds = (await tx.select({ id: actionPlanMembers.planId }).from(actionPlanMembers).where(eq(actionPlanMembers.personId, personId))).map((r) => r.id);
  const ownPlans: number[] = [];
  for (const planId of planIds) {
    const members = firstRow(await tx.select({ n: countOf() }).from(actionPlanMembers).where(eq(actionPlanMembers.planId, planId)).limit(1))?.n ?? 0;
    if (members === 1) ownPlans.push(planId);
  }
  const ownItems =
    ownPlans.length === 0 ? [] : (await tx.select({ id: actionPlanItems.id }).from(actionPlanItems).where(inArray(actionPlanItems.planId, ownPlans))).map((r) => r.id);
  if (ownPlans.length > 0) {
    await tx.update(actionPlans).set({ title: REMOVED_TEXT, updatedAt: at }).where(inArray(actionPlans.id, ownPlans));
    await tx.update(actionPlanItems).set({ action: REMOVED_TEXT, responsible: null, indicator: null, updatedAt: at }).where(inArray(actionPlanItems.planId, ownPlans));
    await tx.update(actionPlanComments).set({ body: REMOVED_TEXT }).where(inArray(actionPlanComments.planId, ownPlans));
  }
  const updateConditions = [
    ownItems.length > 0 ? inArray(planUpdates.itemId, ownItems) : undefined,
    person.userId ? eq(planUpdates.authorUserId, person.userId) : undefined,
  ].filter(Boolean);
  if (updateConditions.length > 0) {
    const where = or(...updateConditions);
    for (const u of (await tx.select({ stored: planUpdates.attachmentPath }).from(planUpdates).where(where))) {
      const file = u.stored ? attachmentFile(u.stored) : null;
      if (file) files.push(file);
    }
    await tx.update(planUpdates).set({ note: REMOVED_TEXT, attachmentName: null, attachmentPath: null }).where(where);
  }

  let account: { disabled: boolean } | null = null;
  if (person.userId) {
    const userId = person.userId;
    await tx.update(actionPlanComments).set({ body: REMOVED_TEXT }).where(eq(actionPlanComments.authorUserId, userId));
    await tx.update(followUpRequestEntries).set({ comment: null }).where(and(eq(followUpRequestEntries.authorUserId, userId), isNotNull(followUpRequestEntries.comment)));
    const before = firstRow(await tx.select({ disabledAt: users.disabledAt }).from(users).where(eq(users.id, userId)).limit(1));
    await tx.update(users)
      .set({
        name: `${ANONYMISED_GIVEN_NAME} ${anonymisedFamilyName(personId)}`,
        // unique and undeliverable (.invalid is reserved, RFC 2606)
        email: `anonymised-${personId}@anonymised.invalid`,
        passwordHash: null,
        emailRemindersOff: true,
        disabledAt: before?.disabledAt ?? at,
        updatedAt: at,
      })
      .where(eq(users.id, userId));
    // ending the sessions here (not through lucia) keeps them ended in this same transaction
    await tx.delete(authSessions).where(eq(authSessions.userId, userId));
    await tx.delete(passwordResetTokens).where(eq(passwordResetTokens.userId, userId));
    account = { disabled: !before?.disabledAt };
  }

  // emails addressed to them: by account, or by the address they had
  const addressed = or(person.userId ? eq(emailOutbox.userId, person.userId) : undefined, person.email ? sql`lower(${emailOutbox.toAddress}) = ${person.email.toLowerCase()}` : undefined);
  let emailsDeleted = 0;
  let emailsRedacted = 0;
  if (person.userId || person.email) {
    emailsDeleted = changedRows(await tx.delete(emailOutbox).where(and(addressed, inArray(emailOutbox.status, ["pending", "failed", "cancelled"]))));
    emailsRedacted = changedRows(await tx
      .update(emailOutbox)
      .set({ toAddress: `anonymised-${personId}@anonymised.invalid`, html: "", text: "", attachments: null, lastError: null, updatedAt: at })
      .where(and(addressed, inArray(emailOutbox.status, ["sent", "sending"]))));
  }

  await recordAudit(tx, {
    userId: by.userId,
    ip: by.ip,
    action: "person.anonymise",
    entityType: "person",
    entityId: personId,
    details: {
      reason,
      ...(by.eventId ? { eventId: by.eventId } : {}),
      actionPlansCleared: ownPlans.length,
      attachmentsRemoved: files.length,
      emailsDeleted,
      emailsRedacted,
      accountId: person.userId,
      accountDisabled: account?.disabled ?? false,
    },
  });
  return { files };
}

/** Delete the files of removed attachments (after the transaction that removed them committed). */
export function removeFiles(files: string[]) {
  for (const file of files) {
    try {
      fs.rmSync(file, { force: true });
    } catch (error) {
      console.error("personal data: could not delete an attachment file", error);
    }
  }
}

// ————————————————————————————————————————————————————————————————————————————————————————————
// Retention

type EventRetention = { id: number; endDate: string; timeZone: string; retentionMonths: number | null };

/** Whether an event's retention period is over at `at`: the day after its last kept day has begun, in its zone. */
export function retentionPassed(event: EventRetention, at: Date): boolean {
  if (event.retentionMonths === null) return false;
  return dayInZone(at, event.timeZone) > retentionLastDay(event.endDate, event.retentionMonths);
}

/**
 * The people of an event whose personal data may go now. A person is one record across all events
 * (DOMAIN.md), so their data is only anonymised when EVERY event they are on — registered in any
 * role or status, or facilitating a session as a roster person — has a retention period that is
 * over. Someone also on a later training, or on one that keeps data without limit (no retention
 * period), keeps their data: that event still needs it; when that event's own retention ends,
 * its run anonymises them. People linked to a staff account (any role but participant, not
 * disabled) are left alone too: they are the organisation's own staff, whose accounts are managed
 * in /admin/users, not participants' data to expire (an admin can still erase them on request).
 */
async function peopleDue(tx: Tx, eventId: number, at: Date): Promise<number[]> {
  const candidates = await tx
    .selectDistinct({ id: people.id, userRole: users.role, userDisabledAt: users.disabledAt })
    .from(registrations)
    .innerJoin(people, eq(people.id, registrations.personId))
    .leftJoin(users, eq(users.id, people.userId))
    .where(and(eq(registrations.eventId, eventId), isNull(people.anonymisedAt)))
    .orderBy(asc(people.id));
  const due: number[] = [];
  for (const c of candidates) {
    if (c.userRole && c.userRole !== "participant" && !c.userDisabledAt) continue;
    const theirEvents: EventRetention[] = [
      ...await tx
        .select({ id: events.id, endDate: events.endDate, timeZone: events.timeZone, retentionMonths: events.retentionMonths })
        .from(registrations)
        .innerJoin(events, eq(events.id, registrations.eventId))
        .where(eq(registrations.personId, c.id)),
      ...await tx
        .select({ id: events.id, endDate: events.endDate, timeZone: events.timeZone, retentionMonths: events.retentionMonths })
        .from(sessionFacilitators)
        .innerJoin(eventSessions, eq(eventSessions.id, sessionFacilitators.sessionId))
        .innerJoin(events, eq(events.id, eventSessions.eventId))
        .where(eq(sessionFacilitators.personId, c.id)),
    ];
    if (theirEvents.every((e) => retentionPassed(e, at))) due.push(c.id);
  }
  return due;
}

/**
 * The retention run (daily, scheduleRetention): for each event whose retention period is over and
 * whose participants have not been anonymised yet, anonymise those of its people whose data no
 * other event still needs (peopleDue), then mark the event done. One IMMEDIATE transaction per
 * event, which first reads the event's "done" mark again: an instance that gets there second
 * finds it set and does nothing (on PostgreSQL SERIALIZABLE guarantees it; the write lock of
 * db/postgres.ts makes the two run one after the other anyway). Attachment files are deleted after
 * it commits, from this instance's disk (docs/postgresql.md: several instances share that folder). Returns what it did.
 */
export async function runRetention(db: DB = getDb(), at: Date = now()) {
  const candidates = await db
    .select({ id: events.id, endDate: events.endDate, timeZone: events.timeZone, retentionMonths: events.retentionMonths })
    .from(events)
    .where(and(isNotNull(events.retentionMonths), isNull(events.personalDataAnonymisedAt)))
    .orderBy(asc(events.endDate), asc(events.id));
  const done: { eventId: number; anonymised: number[]; kept: number }[] = [];
  for (const candidate of candidates) {
    if (!retentionPassed(candidate, at)) continue;
    const { files, anonymised, kept } = await db.transaction(
      async (tx) => {
        const event = firstRow(await tx
          .select({ id: events.id, endDate: events.endDate, timeZone: events.timeZone, retentionMonths: events.retentionMonths, doneAt: events.personalDataAnonymisedAt })
          .from(events)
          .where(eq(events.id, candidate.id)).limit(1));
        // another process got there first, or the event changed since the candidates were read
        if (!event || event.doneAt || !retentionPassed(event, at)) return { files: [] as string[], anonymised: [] as number[], kept: 0 };
        const due = await peopleDue(tx, event.id, at);
        const files: string[] = [];
        for (const personId of due) {
          const result = await anonymisePerson(tx, personId, at, "retention", { userId: null, ip: null, eventId: event.id });
          if (result) files.push(...result.files);
        }
        const onRoster = firstRow(await tx.select({ n: countDistinct(registrations.personId) }).from(registrations).where(eq(registrations.eventId, event.id)).limit(1))?.n ?? 0;
        await tx.update(events).set({ personalDataAnonymisedAt: at }).where(eq(events.id, event.id));
        await recordAudit(tx, {
          userId: null,
          action: "event.retention",
          entityType: "event",
          entityId: event.id,
          details: { retentionMonths: event.retentionMonths, anonymised: due.length, kept: onRoster - due.length },
        });
        return { files, anonymised: due, kept: onRoster - due.length };
      },
      { behavior: "immediate" },
    );
    removeFiles(files);
    done.push({ eventId: candidate.id, anonymised, kept });
  }
  // sessions nobody can use any more go too (their address and browser are personal data)
  return { events: done, sessionsDeleted: await deleteEndedSessions(db, at.getTime()) };
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Run the retention now and then once a day, never letting one failure stop the server. */
export async function scheduleRetention(everyMs = DAY_MS) {
  const run = async () => {
    try {
      // one instance at a time runs it; each item is still checked in its own transaction
      await runRoundAlone(getDb(), "retention", async () => await runRetention(getDb(), now()));
    } catch (error) {
      console.error("retention: run failed", error);
    }
  };
  setInterval(run, everyMs).unref();
  await run();
}

// ————————————————————————————————————————————————————————————————————————————————————————————
// On request: export and erasure (admins only)

function requireAdmin(actor: Actor) {
  if (actor.user.role !== "admin") throw forbidden();
}

/** The word an admin types to confirm an erasure (the same in every language: it is shown to be copied). */
export const ERASE_CONFIRMATION = "ERASE";

/**
 * Everything Convene holds about one person, for their request of access (GDPR art. 15 style):
 * their record, account (no password hash), registrations with attendance and completion,
 * certificates, action plans (with items, progress notes and comments), sessions they facilitate,
 * follow-up requests they raised, consents, emails sent to them (subject, status, dates) and the
 * audit entries about them or by them. Nothing about another person: co-authors of a group plan
 * and the staff who acted are not named. The export is audited.
 */
export async function exportPersonalData(actor: Actor, personId: number) {
  requireAdmin(actor);
  const db = getDb();
  const person = firstRow(await db.select().from(people).where(eq(people.id, personId)).limit(1));
  if (!person) throw notFound();
  const organisation = person.organisationId
    ? (firstRow(await db.select({ id: organisations.id, name: organisations.name }).from(organisations).where(eq(organisations.id, person.organisationId)).limit(1)) ?? null)
    : null;
  const account = person.userId
    ? (firstRow(await db
        .select({
          id: users.id,
          email: users.email,
          name: users.name,
          role: users.role,
          organisationId: users.organisationId,
          locale: users.locale,
          emailRemindersOff: users.emailRemindersOff,
          disabledAt: users.disabledAt,
          lastLoginAt: users.lastLoginAt,
          createdAt: users.createdAt,
          updatedAt: users.updatedAt,
        })
        .from(users)
        .where(eq(users.id, person.userId)).limit(1)) ?? null)
    : null;

  const completion = new Map((await trainingsOf(db, personId)).map((t) => [t.registrationId, t]));
  const regs = await db
    .select({
      id: registrations.id,
      eventId: registrations.eventId,
      eventTitle: events.title,
      startDate: events.startDate,
      endDate: events.endDate,
      eventRole: registrations.eventRole,
      status: registrations.status,
      statusChangedAt: registrations.statusChangedAt,
      note: registrations.note,
      createdAt: registrations.createdAt,
    })
    .from(registrations)
    .innerJoin(events, eq(events.id, registrations.eventId))
    .where(eq(registrations.personId, personId))
    .orderBy(asc(events.startDate), asc(registrations.id));
  const regIds = regs.map((r) => r.id);
  const attendanceRows =
    regIds.length === 0
      ? []
      : (await db
          .select({
            registrationId: attendance.registrationId,
            sessionId: attendance.sessionId,
            sessionTitle: eventSessions.title,
            startsAt: eventSessions.startsAt,
            status: attendance.status,
            method: attendance.method,
            recordedAt: attendance.recordedAt,
          })
          .from(attendance)
          .innerJoin(eventSessions, eq(eventSessions.id, attendance.sessionId))
          .where(inArray(attendance.registrationId, regIds))
          .orderBy(asc(eventSessions.startsAt)));
  const certificateRows =
    regIds.length === 0
      ? []
      : (await db
          .select({
            registrationId: certificates.registrationId,
            code: certificates.code,
            issuedAt: certificates.issuedAt,
            revokedAt: certificates.revokedAt,
            revokeReason: certificates.revokeReason,
          })
          .from(certificates)
          .where(inArray(certificates.registrationId, regIds)));

  // knowledge tests: each phase taken (online or as a paper score), with its score
  const attemptRows =
    regIds.length === 0
      ? []
      : await db
          .select({
            registrationId: knowledgeTestAttempts.registrationId,
            phase: knowledgeTestAttempts.phase,
            source: knowledgeTestAttempts.source,
            correct: knowledgeTestAttempts.correct,
            total: knowledgeTestAttempts.total,
            submittedAt: knowledgeTestAttempts.submittedAt,
          })
          .from(knowledgeTestAttempts)
          .where(inArray(knowledgeTestAttempts.registrationId, regIds))
          .orderBy(asc(knowledgeTestAttempts.id));
  // feedback: only that they answered; the answers are anonymous and cannot be found from the person
  const answeredForms = await db
    .select({ eventId: feedbackForms.eventId, sessionId: feedbackForms.sessionId, sessionTitle: eventSessions.title })
    .from(feedbackRespondents)
    .innerJoin(feedbackForms, eq(feedbackForms.id, feedbackRespondents.formId))
    .leftJoin(eventSessions, eq(eventSessions.id, feedbackForms.sessionId))
    .where(eq(feedbackRespondents.personId, personId))
    .orderBy(asc(feedbackForms.id));
  const answeredFeedback = new Set(answeredForms.filter((f) => f.sessionId === null).map((r) => r.eventId));

  const planIds = (await db.select({ id: actionPlanMembers.planId }).from(actionPlanMembers).where(eq(actionPlanMembers.personId, personId))).map((r) => r.id);
  const plans =
    planIds.length === 0
      ? []
      : (await db
          .select({
            id: actionPlans.id,
            eventId: actionPlans.eventId,
            title: actionPlans.title,
            status: actionPlans.status,
            submittedAt: actionPlans.submittedAt,
            createdAt: actionPlans.createdAt,
            members: sql<number>`(select ${countOf()} from ${actionPlanMembers} m where m.plan_id = ${sql.raw('"action_plans"."id"')})`,
          })
          .from(actionPlans)
          .where(inArray(actionPlans.id, planIds))
          .orderBy(asc(actionPlans.id)));
  // every item, update and comment of those plans in one statement each, grouped below
  const planItems =
    planIds.length === 0
      ? []
      : (await db
          .select({
            id: actionPlanItems.id,
            planId: actionPlanItems.planId,
            action: actionPlanItems.action,
            targetDate: actionPlanItems.targetDate,
            responsible: actionPlanItems.responsible,
            indicator: actionPlanItems.indicator,
            status: actionPlanItems.status,
            validatedAt: actionPlanItems.validatedAt,
          })
          .from(actionPlanItems)
          .where(inArray(actionPlanItems.planId, planIds))
          .orderBy(asc(actionPlanItems.position), asc(actionPlanItems.id)));
  const itemIds = planItems.map((i) => i.id);
  const itemUpdates =
    itemIds.length === 0
      ? []
      : (await db
          .select({
            id: planUpdates.id,
            itemId: planUpdates.itemId,
            note: planUpdates.note,
            statusAfter: planUpdates.statusAfter,
            attachmentName: planUpdates.attachmentName,
            createdAt: planUpdates.createdAt,
            authorUserId: planUpdates.authorUserId,
          })
          .from(planUpdates)
          .where(inArray(planUpdates.itemId, itemIds))
          .orderBy(asc(planUpdates.createdAt)));
  const planComments =
    planIds.length === 0
      ? []
      : (await db
          .select({ planId: actionPlanComments.planId, body: actionPlanComments.body, createdAt: actionPlanComments.createdAt })
          .from(actionPlanComments)
          .where(inArray(actionPlanComments.planId, planIds))
          .orderBy(asc(actionPlanComments.createdAt)));
  const exportedPlans = plans.map((plan) => ({
    ...plan,
    items: planItems
      .filter((i) => i.planId === plan.id)
      .map(({ planId: _plan, ...item }) => ({
        ...item,
        updates: itemUpdates
          .filter((u) => u.itemId === item.id)
          // on a group plan, only their own notes; on their own plan, every note about it
          .filter((u) => plan.members === 1 || (person.userId !== null && u.authorUserId === person.userId))
          .map(({ authorUserId, itemId: _item, ...u }) => ({ ...u, byThisPerson: person.userId !== null && authorUserId === person.userId })),
      })),
    comments: planComments.filter((c) => c.planId === plan.id).map(({ planId: _plan, ...c }) => c),
  }));

  const facilitating = await db
    .select({ sessionId: eventSessions.id, eventId: eventSessions.eventId, title: eventSessions.title, startsAt: eventSessions.startsAt })
    .from(sessionFacilitators)
    .innerJoin(eventSessions, eq(eventSessions.id, sessionFacilitators.sessionId))
    .where(eq(sessionFacilitators.personId, personId))
    .orderBy(asc(eventSessions.startsAt));
  const followUps = person.userId
    ? (await db
        .select({ id: followUpRequests.id, title: followUpRequests.title, description: followUpRequests.description, status: followUpRequests.status, createdAt: followUpRequests.createdAt })
        .from(followUpRequests)
        .where(eq(followUpRequests.createdByUserId, person.userId))
        .orderBy(asc(followUpRequests.id)))
    : [];
  const consentRows = await db
    .select({ eventId: consents.eventId, wording: consents.wording, givenAt: consents.givenAt, withdrawnAt: consents.withdrawnAt })
    .from(consents)
    .where(eq(consents.personId, personId))
    .orderBy(asc(consents.givenAt));
  const addressed = or(person.userId ? eq(emailOutbox.userId, person.userId) : undefined, person.email ? sql`lower(${emailOutbox.toAddress}) = ${person.email.toLowerCase()}` : undefined);
  const emails =
    person.userId || person.email
      ? (await db
          .select({ kind: emailOutbox.kind, subject: emailOutbox.subject, status: emailOutbox.status, createdAt: emailOutbox.createdAt, sentAt: emailOutbox.sentAt })
          .from(emailOutbox)
          .where(addressed)
          .orderBy(asc(emailOutbox.createdAt), asc(emailOutbox.id)))
      : [];
  const about = [
    and(eq(auditLog.entityType, "person"), eq(auditLog.entityId, String(personId))),
    regIds.length > 0 ? and(eq(auditLog.entityType, "registration"), inArray(auditLog.entityId, regIds.map(String))) : undefined,
    person.userId ? and(eq(auditLog.entityType, "user"), eq(auditLog.entityId, person.userId)) : undefined,
    person.userId ? eq(auditLog.userId, person.userId) : undefined,
  ];
  const audit = (await db
    .select({ at: auditLog.at, userId: auditLog.userId, action: auditLog.action, entityType: auditLog.entityType, entityId: auditLog.entityId, details: auditLog.details, ip: auditLog.ip })
    .from(auditLog)
    .where(or(...about))
    .orderBy(asc(auditLog.at), asc(auditLog.id)))
    // who acted is theirs to know only when it was them; another user's address is not their data
    .map(({ userId, ip, ...entry }) => ({ ...entry, byThisPerson: person.userId !== null && userId === person.userId, ip: person.userId !== null && userId === person.userId ? ip : null }));

  const exportedAt = now();
  const result = {
    exportedAt,
    person: { ...person, organisation },
    account,
    registrations: regs.map((r) => {
      const c = completion.get(r.id);
      return {
        ...r,
        attendance: attendanceRows.filter((a) => a.registrationId === r.id).map(({ registrationId: _r, ...a }) => a),
        sessionsAttended: c?.attended ?? 0,
        sessionsCounted: c?.counted ?? 0,
        completed: c?.completed ?? false,
        certificate: certificateRows.find((cert) => cert.registrationId === r.id) ?? null,
        knowledgeTests: attemptRows.filter((a) => a.registrationId === r.id).map(({ registrationId: _r, ...a }) => a),
        answeredFeedbackForm: answeredFeedback.has(r.eventId),
        answeredSessionFeedbackForms: answeredForms
          .filter((f) => f.eventId === r.eventId && f.sessionId !== null)
          .map((f) => ({ sessionId: f.sessionId!, sessionTitle: f.sessionTitle })),
      };
    }),
    actionPlans: exportedPlans,
    facilitatedSessions: facilitating,
    followUpRequests: followUps,
    consents: consentRows,
    emails,
    auditLog: audit,
  };
  await recordAudit(db, {
    userId: actor.user.id,
    ip: actor.ip,
    action: "export.personal_data",
    entityType: "person",
    entityId: personId,
    details: { registrations: regs.length, actionPlans: plans.length, emails: emails.length, auditEntries: audit.length },
  });
  return result;
}

/**
 * Erase a person's personal data on their request: the same anonymisation as the retention run,
 * now. The admin confirms by typing ERASE_CONFIRMATION. Refused (FieldError) for a wrong
 * confirmation, for a person already anonymised, and for the admin's own record (they would lock
 * themselves out: another admin does it).
 */
export async function erasePersonalData(actor: Actor, personId: number, confirmation: string) {
  requireAdmin(actor);
  const db = getDb();
  const result = await db.transaction(
    async (tx) => {
      const person = firstRow(await tx.select({ anonymisedAt: people.anonymisedAt, userId: people.userId }).from(people).where(eq(people.id, personId)).limit(1));
      if (!person) throw notFound();
      if (person.anonymisedAt) throw new FieldError("confirmation", "personalData.errors.alreadyAnonymised");
      if (confirmation.trim() !== ERASE_CONFIRMATION) throw new FieldError("confirmation", "personalData.errors.confirmation");
      if (person.userId && person.userId === actor.user.id) throw new FieldError("confirmation", "personalData.errors.ownRecord");
      return await anonymisePerson(tx, personId, now(), "request", { userId: actor.user.id, ip: actor.ip });
    },
    { behavior: "immediate" },
  );
  if (result) removeFiles(result.files);
}
