import { and, asc, count, desc, eq, inArray, ne, notInArray, or, sql, type SQL } from "drizzle-orm";
import { getDb, type Tx, firstRow, changedRows } from "../../db/client";
import { countOf, flag, likeInsensitive } from "../../db/sql-dialect";
import {
  actionPlanMembers,
  attendance,
  certificates,
  consents,
  events,
  eventSessions,
  organisations,
  feedbackRespondents,
  knowledgeTestAttempts,
  people,
  registrations,
  sessionFacilitators,
} from "../../db/schema";
import { canReach } from "~/auth/permissions";
import { forbidden, notFound, type Actor } from "~/auth/session.server";
import type { AttendanceStatus, RegistrationStatus } from "~/lib/domain";
import type { PersonInput } from "~/lib/schemas/people";
import { recordAudit } from "./audit.server";
import { isUniqueViolation, organisationChoice, organisationChoices, ValidationError } from "./organisations.server";
import { completionSql, REGISTRATION_REFS } from "./completion.server";
import { FieldError } from "./field-error.server";
import { emitWebhookEvents, webhookEvent, type WebhookEvent } from "./webhook-events.server";

export { ValidationError } from "./organisations.server";

/**
 * One record per human across all events. A person is recognised by email, or, without one, by
 * the same given and family name in the same organisation (case-insensitive).
 */
export async function findMatchingPeople(tx: Pick<Tx, "select">, input: Pick<PersonInput, "email" | "givenName" | "familyName" | "organisationId">) {
  const byName =
    input.organisationId !== null
      ? and(
          sql`lower(${people.givenName}) = lower(${input.givenName})`,
          sql`lower(${people.familyName}) = lower(${input.familyName})`,
          eq(people.organisationId, input.organisationId),
        )
      : undefined;
  const byEmail = input.email ? eq(people.email, input.email.toLowerCase()) : undefined;
  if (!byEmail && !byName) return [];
  return await tx
    .select({ id: people.id, email: people.email, givenName: people.givenName, familyName: people.familyName, organisationId: people.organisationId, userId: people.userId })
    .from(people)
    .where(or(byEmail, byName));
}

/**
 * The person for a registration or an import row: the existing record when recognised (its empty
 * fields filled from the new data, nothing overwritten), otherwise a new one.
 */
export async function findOrCreatePerson(
  tx: Tx,
  input: PersonInput,
  options: { organisationChecked?: boolean } = {},
): Promise<{ id: number; created: boolean }> {
  if (input.organisationId !== null && !options.organisationChecked && !firstRow(await tx.select({ id: organisations.id }).from(organisations).where(eq(organisations.id, input.organisationId)).limit(1))) {
    throw new FieldError("organisationId", "errors.choice");
  }
  const matches = await findMatchingPeople(tx, input);
  const match = (input.email ? matches.find((m) => m.email === input.email) : undefined) ?? matches[0];
  if (match) {
    const current = firstRow(await tx.select().from(people).where(eq(people.id, match.id)).limit(1))!;
    const fill: Partial<typeof people.$inferInsert> = {};
    for (const key of ["email", "phone", "sex", "organisationId", "position", "roleCategory", "nationality", "dietaryNeeds", "accessibilityNeeds"] as const) {
      if ((current[key] === null || current[key] === undefined) && input[key] !== null && input[key] !== undefined) {
        (fill as Record<string, unknown>)[key] = input[key];
      }
    }
    // another record may already hold that email: never steal it
    if (fill.email && firstRow(await tx.select({ id: people.id }).from(people).where(eq(people.email, fill.email)).limit(1))) delete fill.email;
    if (Object.keys(fill).length > 0) await tx.update(people).set(fill).where(eq(people.id, match.id));
    return { id: match.id, created: false };
  }
  const created = (await tx
    .insert(people)
    .values({ ...input, email: input.email ? input.email.toLowerCase() : null })
    .returning({ id: people.id }))[0];
  return { id: created.id, created: true };
}

// ---------------------------------------------------------------------------------------------
// The people registry (/people): admins and coordinators only (AREA_ROLES.people).

export const PEOPLE_PAGE_SIZE = 50;

/** Personal data is for admins and coordinators only: every function below checks it first. */
function requireManager(actor: Actor) {
  if (!canReach(actor.user.role, "people")) throw forbidden();
}

/** The fields a person's form edits (also those a merge may fill on the kept record). */
const PERSON_FIELDS = [
  "givenName",
  "familyName",
  "email",
  "phone",
  "sex",
  "organisationId",
  "position",
  "roleCategory",
  "nationality",
  "dietaryNeeds",
  "accessibilityNeeds",
] as const;
type PersonField = (typeof PERSON_FIELDS)[number];
export const FILLABLE_FIELDS = PERSON_FIELDS.filter((f) => f !== "givenName" && f !== "familyName");

// Correlated subqueries name the outer row explicitly (see events.server.ts for why).
const OUTER_PERSON_ID = sql.raw(`"people"."id"`);
/** Trainings a person took part in: registrations confirmed, whatever the event role. */
const trainingsCount = sql<number>`(select ${countOf()} from ${registrations} r where r.person_id = ${OUTER_PERSON_ID} and r.status = 'confirmed')`;

/** `%q%` for LIKE, with the wildcards the user typed taken literally. */
function containsPattern(q: string) {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export type PeopleFilters = { q?: string; organisationId?: number; page?: number };

/**
 * People by family then given name, searched by name, email or organisation (one box, case-
 * insensitive for Latin letters: SQLite's LIKE), filtered by organisation, 50 a page.
 */
export async function listPeople(actor: Actor, filters: PeopleFilters = {}) {
  requireManager(actor);
  const db = getDb();
  const conditions: (SQL | undefined)[] = [];
  if (filters.organisationId) conditions.push(eq(people.organisationId, filters.organisationId));
  const q = filters.q?.trim();
  if (q) {
    const pattern = containsPattern(q);
    const matches = (expression: SQL) => likeInsensitive(expression, pattern);
    conditions.push(
      or(
        matches(sql`${people.givenName}`),
        matches(sql`${people.familyName}`),
        matches(sql`(${people.givenName} || ' ' || ${people.familyName})`),
        matches(sql`(${people.familyName} || ' ' || ${people.givenName})`),
        matches(sql`${people.email}`),
        matches(sql`${organisations.name}`),
        matches(sql`${organisations.acronym}`),
      ),
    );
  }
  const where = and(...conditions);
  const total =
    firstRow(await db.select({ n: count() }).from(people).leftJoin(organisations, eq(organisations.id, people.organisationId)).where(where).limit(1))?.n ?? 0;
  const pageCount = Math.max(1, Math.ceil(total / PEOPLE_PAGE_SIZE));
  const page = Math.min(Math.max(1, filters.page ?? 1), pageCount);
  const rows = await db
    .select({
      id: people.id,
      givenName: people.givenName,
      familyName: people.familyName,
      email: people.email,
      roleCategory: people.roleCategory,
      organisationId: people.organisationId,
      organisationName: organisations.name,
      organisationAcronym: organisations.acronym,
      trainings: trainingsCount,
      anonymised: flag(sql`${people.anonymisedAt} is not null`),
    })
    .from(people)
    .leftJoin(organisations, eq(organisations.id, people.organisationId))
    .where(where)
    .orderBy(asc(people.familyName), asc(people.givenName), asc(people.id))
    .limit(PEOPLE_PAGE_SIZE)
    .offset((page - 1) * PEOPLE_PAGE_SIZE);
  return { rows, total, page, pageCount };
}

/** The organisations a person may belong to (the form's choice and the list's filter). */
export async function personOrganisationOptions(actor: Actor, currentId?: number | null) {
  requireManager(actor);
  const choices = await organisationChoices("all");
  // too many to list: the form searches, and shows the current one until another is chosen
  return { choices, current: choices ? null : (await organisationChoice("all", currentId)) };
}

export type PersonMatch = {
  id: number;
  givenName: string;
  familyName: string;
  email: string | null;
  organisationName: string | null;
  /** recognised by the same email, or by the same name in the same organisation */
  reason: "email" | "name";
};

/** Who findMatchingPeople recognises in these details, with their organisation and why. */
async function matchesFor(tx: Pick<Tx, "select">, input: Pick<PersonInput, "email" | "givenName" | "familyName" | "organisationId">, exceptId?: number): Promise<PersonMatch[]> {
  const found = (await findMatchingPeople(tx, input)).filter((m) => m.id !== exceptId);
  if (found.length === 0) return [];
  const names = new Map(
    (await tx
      .select({ id: people.id, organisationName: organisations.name })
      .from(people)
      .leftJoin(organisations, eq(organisations.id, people.organisationId))
      .where(inArray(people.id, found.map((m) => m.id))))
      .map((r) => [r.id, r.organisationName]),
  );
  const email = input.email?.toLowerCase() ?? null;
  return found
    .map((m) => ({
      id: m.id,
      givenName: m.givenName,
      familyName: m.familyName,
      email: m.email,
      organisationName: names.get(m.id) ?? null,
      reason: (email !== null && m.email === email ? "email" : "name") as PersonMatch["reason"],
    }))
    .sort((a, b) => (a.reason === b.reason ? a.id - b.id : a.reason === "email" ? -1 : 1));
}

/** One person with their organisation. 404 when unknown. */
async function personRow(tx: Pick<Tx, "select">, personId: number) {
  const person = firstRow(await tx
    .select({
      id: people.id,
      givenName: people.givenName,
      familyName: people.familyName,
      email: people.email,
      phone: people.phone,
      sex: people.sex,
      organisationId: people.organisationId,
      organisationName: organisations.name,
      position: people.position,
      roleCategory: people.roleCategory,
      nationality: people.nationality,
      dietaryNeeds: people.dietaryNeeds,
      accessibilityNeeds: people.accessibilityNeeds,
      hasLogin: flag(sql`${people.userId} is not null`),
      anonymisedAt: people.anonymisedAt,
    })
    .from(people)
    .leftJoin(organisations, eq(organisations.id, people.organisationId))
    .where(eq(people.id, personId)).limit(1));
  if (!person) throw notFound();
  return { ...person, hasLogin: Boolean(person.hasLogin) };
}

/**
 * Every event a person is registered for, newest first, with their attendance and completion, in
 * one query: sessions attended (present or late) of the sessions counted (the event's sessions
 * less those the person was excused from); completed when the attended share reaches the event's
 * completion threshold.
 */
export async function trainingsOf(tx: Pick<Tx, "select">, personId: number) {
  const { attended, counted, completed } = completionSql(REGISTRATION_REFS);
  const rows = await tx
    .select({
      registrationId: registrations.id,
      eventId: events.id,
      title: events.title,
      startDate: events.startDate,
      endDate: events.endDate,
      eventStatus: events.status,
      eventRole: registrations.eventRole,
      status: registrations.status,
      completionThreshold: events.completionThreshold,
      attended,
      counted,
      completed,
    })
    .from(registrations)
    .innerJoin(events, eq(events.id, registrations.eventId))
    .where(eq(registrations.personId, personId))
    .orderBy(desc(events.startDate), asc(events.id));
  return rows.map((r) => ({ ...r, completed: Boolean(r.completed) }));
}

/** A person's page: details, every event they took part in, and possible duplicates. */
export async function getPerson(actor: Actor, personId: number) {
  requireManager(actor);
  const db = getDb();
  const person = await personRow(db, personId);
  return {
    person,
    trainings: await trainingsOf(db, personId),
    duplicates: await matchesFor(db, person, personId),
  };
}

/** The stored columns of a person's details as a form gave them (email lower-cased). */
export function personColumns(input: PersonInput) {
  return {
    givenName: input.givenName,
    familyName: input.familyName,
    email: input.email ? input.email.toLowerCase() : null,
    phone: input.phone,
    sex: input.sex,
    organisationId: input.organisationId,
    position: input.position,
    roleCategory: input.roleCategory,
    nationality: input.nationality,
    dietaryNeeds: input.dietaryNeeds,
    accessibilityNeeds: input.accessibilityNeeds,
  };
}

async function checkOrganisation(tx: Pick<Tx, "select">, organisationId: number | null) {
  if (organisationId === null) return;
  if (!firstRow(await tx.select({ id: organisations.id }).from(organisations).where(eq(organisations.id, organisationId)).limit(1))) {
    throw new ValidationError("organisationId", "errors.choice");
  }
}

async function checkEmailFree(tx: Pick<Tx, "select">, email: string | null, exceptId?: number) {
  if (!email) return;
  const clash = firstRow(await tx
    .select({ id: people.id })
    .from(people)
    .where(and(eq(people.email, email.toLowerCase()), exceptId ? ne(people.id, exceptId) : undefined)).limit(1));
  if (clash) throw new ValidationError("email", "people.errors.emailTaken");
}

/** The names of the fields whose value differs (the audit log keeps no personal data, only what changed). */
function changedFields(before: Record<PersonField, unknown>, after: Record<PersonField, unknown>) {
  return PERSON_FIELDS.filter((f) => (before[f] ?? null) !== (after[f] ?? null));
}

export type CreatePersonResult = { ok: true; id: number } | { ok: false; duplicates: PersonMatch[]; emailTaken: boolean };

/**
 * Create a person, unless they seem to exist already. Someone with the same email is always
 * refused (an email belongs to one person); someone with the same name in the same organisation
 * is only created when the user confirmed it is another person (`confirmDuplicate`).
 */
export async function createPerson(actor: Actor, input: PersonInput, options: { confirmDuplicate?: boolean } = {}): Promise<CreatePersonResult> {
  requireManager(actor);
  try {
    return await getDb().transaction(
      async (tx): Promise<CreatePersonResult> => {
        await checkOrganisation(tx, input.organisationId);
        const duplicates = await matchesFor(tx, input);
        const emailTaken = duplicates.some((d) => d.reason === "email");
        if (emailTaken || (duplicates.length > 0 && !options.confirmDuplicate)) return { ok: false, duplicates, emailTaken };
        const { id } = (await tx.insert(people).values(personColumns(input)).returning({ id: people.id }))[0];
        await recordAudit(tx, {
          userId: actor.user.id,
          ip: actor.ip,
          action: "person.create",
          entityType: "person",
          entityId: id,
          details: {
            fields: PERSON_FIELDS.filter((f) => input[f] !== null && input[f] !== undefined),
            confirmedDuplicateOf: duplicates.map((d) => d.id),
          },
        });
        return { ok: true, id };
      },
      { behavior: "immediate" },
    );
  } catch (error) {
    if (isUniqueViolation(error)) throw new ValidationError("email", "people.errors.emailTaken");
    throw error;
  }
}

export async function updatePerson(actor: Actor, personId: number, input: PersonInput) {
  requireManager(actor);
  try {
    await getDb().transaction(
      async (tx) => {
        const before = firstRow(await tx.select().from(people).where(eq(people.id, personId)).limit(1));
        if (!before) throw notFound();
        // an anonymised record stays anonymous: writing names back would undo the erasure
        if (before.anonymisedAt) throw new ValidationError("form", "personalData.errors.readOnly");
        await checkOrganisation(tx, input.organisationId);
        await checkEmailFree(tx, input.email, personId);
        const after = personColumns(input);
        const fields = changedFields(before, after);
        if (fields.length === 0) return;
        await tx.update(people).set(after).where(eq(people.id, personId));
        await recordAudit(tx, {
          userId: actor.user.id,
          ip: actor.ip,
          action: "person.update",
          entityType: "person",
          entityId: personId,
          details: { fields },
        });
      },
      { behavior: "immediate" },
    );
  } catch (error) {
    if (isUniqueViolation(error)) throw new ValidationError("email", "people.errors.emailTaken");
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// Merging two records of the same human

/** Which of two registrations for the same event a merge keeps (lower is better). */
const REGISTRATION_RANK: Record<RegistrationStatus, number> = {
  confirmed: 0,
  waitlisted: 1,
  applied: 2,
  nominated: 3,
  declined: 4,
  cancelled: 5,
};

/** When both registrations have a record for the same session, the one showing more presence stays. */
const ATTENDANCE_RANK: Record<AttendanceStatus, number> = { present: 0, late: 1, excused: 2, absent: 3 };

type RegistrationBrief = { id: number; eventId: number; status: RegistrationStatus };

async function registrationsOf(tx: Pick<Tx, "select">, personId: number): Promise<RegistrationBrief[]> {
  return await tx
    .select({ id: registrations.id, eventId: registrations.eventId, status: registrations.status })
    .from(registrations)
    .where(eq(registrations.personId, personId));
}

/** The registration a merge keeps when both people are registered for one event (ties: the kept person's). */
function betterRegistration(kept: RegistrationBrief, other: RegistrationBrief) {
  return REGISTRATION_RANK[other.status] < REGISTRATION_RANK[kept.status] ? other : kept;
}

async function countWhere(tx: Pick<Tx, "select">, table: typeof consents | typeof actionPlanMembers | typeof sessionFacilitators, personId: number) {
  return firstRow(await tx.select({ n: count() }).from(table).where(eq(table.personId, personId)).limit(1))?.n ?? 0;
}

/**
 * What merging `otherId` into `keptId` would do, for the confirmation step: nothing is written.
 * 404 when either person is unknown; a person cannot be merged into themselves.
 */
export async function mergePreview(actor: Actor, keptId: number, otherId: number) {
  requireManager(actor);
  if (keptId === otherId) throw new ValidationError("mergeId", "people.errors.mergeSelf");
  const db = getDb();
  const kept = firstRow(await db.select().from(people).where(eq(people.id, keptId)).limit(1));
  if (!kept) throw notFound();
  const other = await personRow(db, otherId);
  const otherRow = firstRow(await db.select().from(people).where(eq(people.id, otherId)).limit(1))!;
  const keptByEvent = new Map((await registrationsOf(db, keptId)).map((r) => [r.eventId, r]));
  const otherTrainings = await trainingsOf(db, otherId);
  const registrationsToMove = otherTrainings.map((t) => {
    const mine = keptByEvent.get(t.eventId);
    const theirs: RegistrationBrief = { id: t.registrationId, eventId: t.eventId, status: t.status };
    return {
      eventId: t.eventId,
      title: t.title,
      startDate: t.startDate,
      endDate: t.endDate,
      status: t.status,
      /** null when the kept person is not registered for this event (the registration just moves) */
      keptStatus: mine?.status ?? null,
      outcome: !mine ? ("moved" as const) : betterRegistration(mine, theirs) === mine ? ("keptWins" as const) : ("otherWins" as const),
    };
  });
  const attendanceRecords =
    firstRow(await db
      .select({ n: count() })
      .from(attendance)
      .innerJoin(registrations, eq(registrations.id, attendance.registrationId))
      .where(eq(registrations.personId, otherId)).limit(1))?.n ?? 0;
  return {
    other,
    registrations: registrationsToMove,
    attendanceRecords,
    consents: await countWhere(db, consents, otherId),
    actionPlans: await countWhere(db, actionPlanMembers, otherId),
    facilitations: await countWhere(db, sessionFacilitators, otherId),
    filledFields: FILLABLE_FIELDS.filter((f) => kept[f] === null && otherRow[f] !== null),
    login: !otherRow.userId ? ("none" as const) : !kept.userId ? ("moved" as const) : ("both" as const),
  };
}

/**
 * Fold registration `loserId` into `winnerId` (same event, two records of one human): the
 * winner keeps its status; attendance the winner lacks moves over (for a session both recorded,
 * the record showing more presence stays); the certificate moves when the winner has none (or
 * only a revoked one); empty note and nominator are filled. Then the loser is deleted.
 */
async function foldRegistration(tx: Tx, eventId: number, winnerId: number, loserId: number) {
  let moved = 0;
  const rowsOf = async (registrationId: number) =>
    await tx
      .select({ id: attendance.id, sessionId: attendance.sessionId, status: attendance.status, method: attendance.method, recordedAt: attendance.recordedAt })
      .from(attendance)
      .where(eq(attendance.registrationId, registrationId))
      .orderBy(asc(attendance.id));
  const winnerBySession = new Map((await rowsOf(winnerId)).map((r) => [r.sessionId, r]));
  // for webhook subscribers every mark of the loser goes (with its registration); one that moves
  // is recorded again on the winner, as it was recorded
  const attendanceEvents: WebhookEvent[] = [];
  for (const row of (await rowsOf(loserId))) {
    const mark = { sessionId: row.sessionId, eventId, status: row.status, method: row.method, recordedAt: row.recordedAt };
    attendanceEvents.push(webhookEvent.attendanceRemoved({ registrationId: loserId, ...mark }));
    const existing = winnerBySession.get(row.sessionId);
    if (existing && ATTENDANCE_RANK[existing.status] <= ATTENDANCE_RANK[row.status]) continue;
    if (existing) await tx.delete(attendance).where(eq(attendance.id, existing.id));
    await tx.update(attendance).set({ registrationId: winnerId }).where(eq(attendance.id, row.id));
    attendanceEvents.push(webhookEvent.attendanceRecorded({ registrationId: winnerId, ...mark }));
    moved++;
  }
  await emitWebhookEvents(tx, attendanceEvents);
  const certificateOf = async (registrationId: number) =>
    firstRow(await tx
      .select({ id: certificates.id, revokedAt: certificates.revokedAt })
      .from(certificates)
      .where(eq(certificates.registrationId, registrationId)).limit(1));
  const winnerCertificate = await certificateOf(winnerId);
  const loserCertificate = await certificateOf(loserId);
  if (loserCertificate && (!winnerCertificate || (winnerCertificate.revokedAt && !loserCertificate.revokedAt))) {
    if (winnerCertificate) await tx.delete(certificates).where(eq(certificates.id, winnerCertificate.id));
    await tx.update(certificates).set({ registrationId: winnerId }).where(eq(certificates.id, loserCertificate.id));
  }
  // knowledge tests: per phase, a submitted attempt beats a draft (its answers go with it)
  const attemptsOf = async (registrationId: number) =>
    await tx
      .select({ id: knowledgeTestAttempts.id, phase: knowledgeTestAttempts.phase, submittedAt: knowledgeTestAttempts.submittedAt })
      .from(knowledgeTestAttempts)
      .where(eq(knowledgeTestAttempts.registrationId, registrationId));
  const winnerAttempts = new Map((await attemptsOf(winnerId)).map((a) => [a.phase, a]));
  for (const attempt of await attemptsOf(loserId)) {
    const existing = winnerAttempts.get(attempt.phase);
    if (existing && (existing.submittedAt !== null || attempt.submittedAt === null)) continue;
    if (existing) await tx.delete(knowledgeTestAttempts).where(eq(knowledgeTestAttempts.id, existing.id));
    await tx.update(knowledgeTestAttempts).set({ registrationId: winnerId }).where(eq(knowledgeTestAttempts.id, attempt.id));
  }
  const winner = firstRow(await tx.select({ note: registrations.note, nominatedBy: registrations.nominatedByUserId }).from(registrations).where(eq(registrations.id, winnerId)).limit(1))!;
  const loser = firstRow(await tx.select({ note: registrations.note, nominatedBy: registrations.nominatedByUserId }).from(registrations).where(eq(registrations.id, loserId)).limit(1))!;
  const fill: Partial<typeof registrations.$inferInsert> = {};
  if (winner.note === null && loser.note !== null) fill.note = loser.note;
  if (winner.nominatedBy === null && loser.nominatedBy !== null) fill.nominatedByUserId = loser.nominatedBy;
  // the loser goes first: the winner may be about to take its place (same event, same person)
  await tx.delete(registrations).where(eq(registrations.id, loserId));
  if (Object.keys(fill).length > 0) await tx.update(registrations).set(fill).where(eq(registrations.id, winnerId));
  return moved;
}

/**
 * Merge person `otherId` into `keptId`, in one transaction: registrations (for an event both are
 * registered for, the better status wins and no attendance is lost), consents, action-plan
 * authorship and session facilitation move to the kept person; the kept record's empty fields are
 * filled from the other's, and its login too when it has none; then the other record is deleted.
 */
export async function mergePeople(actor: Actor, keptId: number, otherId: number) {
  requireManager(actor);
  if (keptId === otherId) throw new ValidationError("mergeId", "people.errors.mergeSelf");
  await getDb().transaction(
    async (tx) => {
      const kept = firstRow(await tx.select().from(people).where(eq(people.id, keptId)).limit(1));
      const other = firstRow(await tx.select().from(people).where(eq(people.id, otherId)).limit(1));
      if (!kept || !other) throw notFound();
      if (kept.anonymisedAt || other.anonymisedAt) throw new ValidationError("mergeId", "personalData.errors.merge");

      let registrationsMoved = 0;
      let registrationsCombined = 0;
      let attendanceMoved = 0;
      // for webhook subscribers: every registration that changes hands or goes
      const merged: WebhookEvent[] = [];
      const changed = (r: { id: number; eventId: number }, previousPersonId: number, keptRegistrationId: number) =>
        merged.push(webhookEvent.registrationMerged({ registrationId: r.id, eventId: r.eventId, personId: keptId, previousPersonId, keptRegistrationId }));
      const keptByEvent = new Map((await registrationsOf(tx, keptId)).map((r) => [r.eventId, r]));
      for (const theirs of (await registrationsOf(tx, otherId))) {
        const mine = keptByEvent.get(theirs.eventId);
        if (mine) {
          registrationsCombined++;
          const winner = betterRegistration(mine, theirs);
          const loser = winner === mine ? theirs : mine;
          attendanceMoved += (await foldRegistration(tx, theirs.eventId, winner.id, loser.id));
          if (winner === theirs) await tx.update(registrations).set({ personId: keptId }).where(eq(registrations.id, theirs.id));
          changed(loser, loser === theirs ? otherId : keptId, winner.id);
          if (winner === theirs) changed(theirs, otherId, theirs.id);
        } else {
          registrationsMoved++;
          await tx.update(registrations).set({ personId: keptId }).where(eq(registrations.id, theirs.id));
          changed(theirs, otherId, theirs.id);
        }
      }
      await emitWebhookEvents(tx, merged);

      const consentsMoved = changedRows(await tx.update(consents).set({ personId: keptId }).where(eq(consents.personId, otherId)));

      // feedback forms either record answered stay answered (one answer per person and form)
      await tx
        .update(feedbackRespondents)
        .set({ personId: keptId })
        .where(
          and(
            eq(feedbackRespondents.personId, otherId),
            notInArray(feedbackRespondents.formId, tx.select({ formId: feedbackRespondents.formId }).from(feedbackRespondents).where(eq(feedbackRespondents.personId, keptId))),
          ),
        );

      // plans both authored keep one membership (the primary key is plan + person)
      const actionPlansMoved = changedRows(await tx
        .update(actionPlanMembers)
        .set({ personId: keptId })
        .where(
          and(
            eq(actionPlanMembers.personId, otherId),
            notInArray(actionPlanMembers.planId, tx.select({ planId: actionPlanMembers.planId }).from(actionPlanMembers).where(eq(actionPlanMembers.personId, keptId))),
          ),
        ));
      await tx.delete(actionPlanMembers).where(eq(actionPlanMembers.personId, otherId));

      // a session both facilitate keeps one assignment
      const facilitationsMoved = changedRows(await tx
        .update(sessionFacilitators)
        .set({ personId: keptId })
        .where(
          and(
            eq(sessionFacilitators.personId, otherId),
            notInArray(
              sessionFacilitators.sessionId,
              tx.select({ sessionId: sessionFacilitators.sessionId }).from(sessionFacilitators).where(eq(sessionFacilitators.personId, keptId)),
            ),
          ),
        ));
      await tx.delete(sessionFacilitators).where(eq(sessionFacilitators.personId, otherId));

      const fill: Partial<typeof people.$inferInsert> = {};
      const filledFields = FILLABLE_FIELDS.filter((f) => kept[f] === null && other[f] !== null);
      for (const f of filledFields) (fill as Record<string, unknown>)[f] = other[f];
      const userMoved = kept.userId === null && other.userId !== null;
      if (userMoved) fill.userId = other.userId;
      // a choice to stop reminder emails (made without an account) is kept, never undone by a merge
      if (other.emailRemindersOff && !kept.emailRemindersOff) fill.emailRemindersOff = true;

      // the other record goes first: its email and login are unique and may move to the kept one
      await tx.delete(people).where(eq(people.id, otherId));
      if (Object.keys(fill).length > 0) await tx.update(people).set(fill).where(eq(people.id, keptId));

      await recordAudit(tx, {
        userId: actor.user.id,
        ip: actor.ip,
        action: "person.merge",
        entityType: "person",
        entityId: keptId,
        details: {
          keptId,
          mergedId: otherId,
          registrationsMoved,
          registrationsCombined,
          attendanceMoved,
          consentsMoved,
          actionPlansMoved,
          facilitationsMoved,
          filledFields,
          userMoved,
          // both had a login: the merged record's account stays, no longer linked to a person
          unlinkedUserId: !userMoved && other.userId !== null ? other.userId : null,
        },
      });
    },
    { behavior: "immediate" },
  );
}
