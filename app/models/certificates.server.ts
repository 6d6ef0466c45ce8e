import crypto from "node:crypto";
import { and, asc, desc, eq, inArray, isNotNull, isNull, ne, or, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { getDb, type Tx, firstRow } from "../../db/client";
import { descNullsLast, sumOf } from "../../db/sql-dialect";
import { attendance, certificates, eventPartners, events, eventSessions, organisations, people, registrations, revokedCertificateCodes, users } from "../../db/schema";
import { certificateEmail } from "@emails/certificate";
import { forbidden, notFound, type Actor, type SessionUser } from "~/auth/session.server";
import { translatorFor } from "~/i18n.server";
import { now, nowMs } from "~/lib/clock";
import type { EventStatus } from "~/lib/domain";
import { countryName, formatDayRange } from "~/lib/format";
import { recordAudit } from "./audit.server";
import { emitWebhookEvent, webhookEvent } from "./webhook-events.server";
import { attendanceRate } from "~/lib/attendance";
import { certificateRuleOf, missingRequirements } from "./certificate-requirements.server";
import { completionSql, REGISTRATION_REFS } from "./completion.server";
import { eventPeriod } from "./event-dates.server";
import { FieldError } from "./field-error.server";
import { enqueueEmail } from "./outbox.server";

/**
 * Certificates of completion. A certificate goes to a confirmed participant who completed the
 * event (completionSql, the one definition), once the event is over (completed or reported). Its
 * code is printed on it and opens the public verification page /certificates/:code, which shows
 * the holder's name, the event and its dates, and whether it is still valid — nothing else.
 * One certificate per registration: issuing again after a revocation reuses the row with a new code,
 * and the revoked code moves to revoked_certificate_codes, where it keeps verifying as revoked
 * (a revoked paper copy can neither pass for the new one nor be taken for a forgery).
 */

/** Letters and digits that cannot be misread for one another: no 0/O, no 1/I. 32 symbols = 5 bits each. */
export const CERTIFICATE_CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
/** 12 symbols = 60 random bits: not guessable, short enough to type from paper. */
export const CERTIFICATE_CODE_LENGTH = 12;
const CODE_PATTERN = new RegExp(`^[${CERTIFICATE_CODE_ALPHABET}]{10,16}$`);

/** Event statuses in which certificates may be issued (the training is over). */
export const CERTIFICATE_EVENT_STATUSES: readonly EventStatus[] = ["completed", "reported"];

const REVOKE_REASON_MAX = 500;
/** Names listed in a refusal before "…" (the message must stay readable). */
const NAMES_SHOWN = 5;

function requireCertificateManager(actor: Actor) {
  if (actor.user.role !== "admin" && actor.user.role !== "coordinator") throw forbidden();
}

function isManager(user: SessionUser) {
  return user.role === "admin" || user.role === "coordinator";
}

/** A fresh code (unbiased: 256 is a multiple of 32), checked against the codes in use and those once revoked. */
async function newCode(tx: Pick<Tx, "select">): Promise<string> {
  for (;;) {
    const code = Array.from(crypto.randomBytes(CERTIFICATE_CODE_LENGTH), (b) => CERTIFICATE_CODE_ALPHABET[b & 31]).join("");
    if (firstRow(await tx.select({ id: certificates.id }).from(certificates).where(eq(certificates.code, code)).limit(1))) continue;
    if (firstRow(await tx.select({ id: revokedCertificateCodes.id }).from(revokedCertificateCodes).where(eq(revokedCertificateCodes.code, code)).limit(1))) continue;
    return code;
  }
}

/** A code as typed or read from a URL (any case, spaces or dashes between groups), or null if it cannot be one. */
export function normaliseCertificateCode(input: string | null | undefined): string | null {
  if (!input) return null;
  const code = input.toUpperCase().replace(/[\s-]/g, "");
  return CODE_PATTERN.test(code) ? code : null;
}

type CertificateState = "none" | "valid" | "revoked";

function stateOf(row: { certificateId: number | null; revokedAt: Date | null }): CertificateState {
  if (row.certificateId === null) return "none";
  return row.revokedAt ? "revoked" : "valid";
}

/** Confirmed participants of an event (and anyone holding one of its certificates) with their completion and certificate. */
async function candidateRows(tx: Pick<Tx, "select">, eventId: number, only?: SQL) {
  const completion = completionSql(REGISTRATION_REFS);
  return await tx
    .select({
      registrationId: registrations.id,
      personId: people.id,
      givenName: people.givenName,
      familyName: people.familyName,
      organisationName: organisations.name,
      eventRole: registrations.eventRole,
      status: registrations.status,
      attended: completion.attended,
      counted: completion.counted,
      completed: completion.completed,
      certificateId: certificates.id,
      code: certificates.code,
      issuedAt: certificates.issuedAt,
      revokedAt: certificates.revokedAt,
      revokeReason: certificates.revokeReason,
    })
    .from(registrations)
    .innerJoin(events, eq(events.id, registrations.eventId))
    .innerJoin(people, eq(people.id, registrations.personId))
    .leftJoin(organisations, eq(organisations.id, people.organisationId))
    .leftJoin(certificates, eq(certificates.registrationId, registrations.id))
    .where(
      and(
        eq(registrations.eventId, eventId),
        only ?? and(eq(registrations.eventRole, "participant"), or(eq(registrations.status, "confirmed"), isNotNull(certificates.id))),
      ),
    )
    .orderBy(asc(people.familyName), asc(people.givenName), asc(registrations.id));
}

async function loadEvent(tx: Pick<Tx, "select">, eventId: number) {
  const event = firstRow(await tx
    .select({ id: events.id, title: events.title, status: events.status, threshold: events.completionThreshold, timeZone: events.timeZone, startDate: events.startDate, endDate: events.endDate })
    .from(events)
    .where(eq(events.id, eventId)).limit(1));
  if (!event) throw notFound();
  return event;
}

/**
 * The certificates tab: every confirmed participant with attended/counted sessions, whether they
 * completed, what else the event's certificate requires that they have not done yet, and their
 * certificate (none, valid, revoked). Admins and coordinators only.
 */
export async function certificateCandidates(actor: Actor, eventId: number) {
  requireCertificateManager(actor);
  const db = getDb();
  const event = await loadEvent(db, eventId);
  const candidates = await candidateRows(db, eventId);
  const rule = await certificateRuleOf(db, eventId);
  const missing = await missingRequirements(db, eventId, rule, candidates);
  const rows = candidates.map((r) => ({
    registrationId: r.registrationId,
    personId: r.personId,
    name: `${r.givenName} ${r.familyName}`,
    organisationName: r.organisationName,
    confirmedParticipant: r.eventRole === "participant" && r.status === "confirmed",
    attended: r.attended,
    counted: r.counted,
    /** whole percent, null while nothing counts */
    rate: attendanceRate(r.attended, r.counted),
    completed: r.completed === 1,
    /** requirements besides attendance not met yet (post-test, its score, feedback) */
    missing: missing.get(r.registrationId) ?? [],
    /** attendance and every other requirement met: a certificate may be issued */
    eligible: r.completed === 1 && (missing.get(r.registrationId)?.length ?? 0) === 0,
    certificate:
      r.certificateId === null
        ? null
        : { id: r.certificateId, code: r.code!, issuedAt: r.issuedAt!, revokedAt: r.revokedAt, revokeReason: r.revokeReason, state: stateOf(r) },
  }));
  const endsAt = (await eventPeriod(db, event)).endsAt;
  const ended = nowMs() >= endsAt.getTime();
  return {
    event: { id: event.id, status: event.status, threshold: event.threshold, timeZone: event.timeZone },
    rule,
    canIssue: CERTIFICATE_EVENT_STATUSES.includes(event.status) && ended,
    /** certificates can be issued from this instant (the end of the event's last session) */
    issuableFrom: endsAt,
    ended,
    rows,
  };
}

/** Who gets certificates: chosen registrations, or everyone who completed and meets the event's requirements. */
export type CertificateSelection = number[] | "all-completed";

function namesOf(rows: { givenName: string; familyName: string }[]) {
  const names = rows.map((r) => `${r.givenName} ${r.familyName}`);
  return names.length > NAMES_SHOWN ? `${names.slice(0, NAMES_SHOWN).join(", ")}, …` : names.join(", ");
}

/**
 * Issue certificates. All or nothing: a request naming someone who is not a confirmed participant,
 * who did not complete, or who misses a requirement of the event (the post-test, its minimum
 * score, the feedback form) is refused whole with their names. A valid certificate is left as it is;
 * a revoked one is issued again with a new code. Each certificate issued is audited and its holder
 * emailed (in their account's language) in the same transaction.
 */
export async function issueCertificates(actor: Actor, eventId: number, selection: CertificateSelection, appUrl: string) {
  requireCertificateManager(actor);
  if (Array.isArray(selection) && selection.length === 0) throw new FieldError("registrationIds", "certificates.errors.noneSelected");
  return await getDb().transaction(
    async (tx) => {
      const event = await loadEvent(tx, eventId);
      if (!CERTIFICATE_EVENT_STATUSES.includes(event.status)) throw new FieldError("form", "certificates.errors.eventNotFinished");
      // a status can be moved ahead of the dates (with a reason): a certificate still waits for the
      // end of the last session, since attendance can change until then
      const endsAt = (await eventPeriod(tx, event)).endsAt;
      if (nowMs() < endsAt.getTime()) throw new FieldError("form", "certificates.errors.eventNotEnded", { endsAt: endsAt.getTime() });
      const rule = await certificateRuleOf(tx, eventId);
      let chosen: Awaited<ReturnType<typeof candidateRows>>;
      if (selection === "all-completed") {
        const completed = (await candidateRows(tx, eventId)).filter((r) => r.eventRole === "participant" && r.status === "confirmed" && r.completed === 1);
        const missing = await missingRequirements(tx, eventId, rule, completed);
        chosen = completed.filter((r) => (missing.get(r.registrationId)?.length ?? 0) === 0);
      } else {
        const ids = [...new Set(selection)];
        chosen = await candidateRows(tx, eventId, inArray(registrations.id, ids));
        if (chosen.length !== ids.length) throw notFound(); // a registration of another event, or none
        const notParticipants = chosen.filter((r) => r.eventRole !== "participant" || r.status !== "confirmed");
        if (notParticipants.length > 0) throw new FieldError("registrationIds", "certificates.errors.notParticipant", { names: namesOf(notParticipants) });
        const notCompleted = chosen.filter((r) => r.completed !== 1);
        if (notCompleted.length > 0) {
          throw new FieldError("registrationIds", "certificates.errors.notCompleted", { names: namesOf(notCompleted), threshold: event.threshold });
        }
        const missing = await missingRequirements(tx, eventId, rule, chosen);
        const short = chosen.filter((r) => (missing.get(r.registrationId)?.length ?? 0) > 0);
        if (short.length > 0) throw new FieldError("registrationIds", "certificates.errors.requirementsMissing", { names: namesOf(short) });
      }
      const issuedIds: number[] = [];
      let alreadyValid = 0;
      for (const row of chosen) {
        if (row.certificateId !== null && row.revokedAt === null) {
          alreadyValid++;
          continue;
        }
        const code = await newCode(tx);
        if (row.certificateId !== null) {
          const revoked = firstRow(await tx
            .select({ revokedByUserId: certificates.revokedByUserId })
            .from(certificates)
            .where(eq(certificates.id, row.certificateId)).limit(1));
          await tx.insert(revokedCertificateCodes)
            .values({
              certificateId: row.certificateId,
              code: row.code!,
              issuedAt: row.issuedAt!,
              revokedAt: row.revokedAt!,
              revokedByUserId: revoked?.revokedByUserId ?? null,
              revokeReason: row.revokeReason,
            });
        }
        const values = { code, issuedAt: now(), issuedByUserId: actor.user.id, revokedAt: null, revokedByUserId: null, revokeReason: null };
        const certificateId =
          row.certificateId === null
            ? (await tx.insert(certificates).values({ registrationId: row.registrationId, ...values }).returning({ id: certificates.id }))[0].id
            : ((await tx.update(certificates).set(values).where(eq(certificates.id, row.certificateId))), row.certificateId);
        await emitWebhookEvent(tx, webhookEvent.certificateIssued({ certificateId, registrationId: row.registrationId, eventId, issuedAt: values.issuedAt }));
        await notifyHolder(tx, certificateId, appUrl);
        await recordAudit(tx, {
          userId: actor.user.id,
          ip: actor.ip,
          action: "certificate.issue",
          entityType: "certificate",
          entityId: certificateId,
          details: { eventId, registrationId: row.registrationId, reissue: row.certificateId !== null, attended: row.attended, counted: row.counted },
        });
        issuedIds.push(certificateId);
      }
      return { issued: issuedIds.length, alreadyValid, certificateIds: issuedIds };
    },
    { behavior: "immediate" },
  );
}

const owner = alias(users, "owner");

/** "Your certificate is ready", in the language of the holder's account (English without one). */
async function notifyHolder(tx: Tx, certificateId: number, appUrl: string) {
  const row = firstRow(await tx
    .select({
      code: certificates.code,
      email: people.email,
      givenName: people.givenName,
      familyName: people.familyName,
      userId: people.userId,
      locale: owner.locale,
      title: events.title,
      startDate: events.startDate,
      endDate: events.endDate,
      locality: events.locality,
      country: events.country,
    })
    .from(certificates)
    .innerJoin(registrations, eq(registrations.id, certificates.registrationId))
    .innerJoin(people, eq(people.id, registrations.personId))
    .innerJoin(events, eq(events.id, registrations.eventId))
    .leftJoin(owner, eq(owner.id, people.userId))
    .where(eq(certificates.id, certificateId)).limit(1));
  if (!row?.email) return;
  const { t, lang, dir } = translatorFor(row.locale);
  const content = certificateEmail(
    {
      name: `${row.givenName} ${row.familyName}`,
      eventTitle: row.title,
      dates: formatDayRange(row.startDate, row.endDate, lang),
      place: [row.locality, countryName(row.country, lang)].filter(Boolean).join(", "),
      // only an account has a page with the PDF on it
      url: row.userId ? `${appUrl}/me` : null,
      code: row.code,
      verifyUrl: `${appUrl}/certificates/${row.code}`,
    },
    t,
    { lang, dir },
  );
  await enqueueEmail(tx, { ...content, kind: "certificate_issued", to: row.email, userId: row.userId });
}

/**
 * Revoke a certificate (a mistake, a withdrawn completion): the verification page then says so and
 * the PDF can no longer be downloaded. The reason stays in the certificate and the audit log.
 * `eventId` limits the revocation to one event's certificates (the event's tab).
 */
export async function revokeCertificate(actor: Actor, certificateId: number, reason: string, options: { eventId?: number } = {}) {
  requireCertificateManager(actor);
  const why = reason.trim();
  if (!why) throw new FieldError("reason", "certificates.errors.reasonRequired");
  if (why.length > REVOKE_REASON_MAX) throw new FieldError("reason", "certificates.errors.reasonTooLong");
  return await getDb().transaction(
    async (tx) => {
      const row = firstRow(await tx
        .select({ id: certificates.id, revokedAt: certificates.revokedAt, registrationId: certificates.registrationId, eventId: registrations.eventId })
        .from(certificates)
        .innerJoin(registrations, eq(registrations.id, certificates.registrationId))
        .where(and(eq(certificates.id, certificateId), options.eventId === undefined ? undefined : eq(registrations.eventId, options.eventId))).limit(1));
      if (!row) throw notFound();
      if (row.revokedAt) throw new FieldError("form", "certificates.errors.alreadyRevoked");
      const revokedAt = now();
      await tx.update(certificates).set({ revokedAt, revokedByUserId: actor.user.id, revokeReason: why }).where(eq(certificates.id, row.id));
      await emitWebhookEvent(tx, webhookEvent.certificateRevoked({ certificateId: row.id, registrationId: row.registrationId, eventId: row.eventId, revokedAt }));
      await recordAudit(tx, {
        userId: actor.user.id,
        ip: actor.ip,
        action: "certificate.revoke",
        entityType: "certificate",
        entityId: row.id,
        details: { eventId: row.eventId, registrationId: row.registrationId, reason: why },
      });
    },
    { behavior: "immediate" },
  );
}

/**
 * The public check of a certificate by its code (no login): the holder's name, the event, its
 * dates and place, and whether the certificate is valid or revoked (and since when). Nothing else —
 * no email, no organisation, no attendance. Null for a code that no certificate has.
 */
export async function verifyCertificate(code: string) {
  const normalised = normaliseCertificateCode(code);
  if (!normalised) return null;
  const db = getDb();
  const current = await verifiedCertificate(db, eq(certificates.code, normalised));
  if (current) return current;
  // a code revoked before the certificate was issued again: revoked for good, whatever the new one says
  const retired = firstRow(await db
    .select({ certificateId: revokedCertificateCodes.certificateId, revokedAt: revokedCertificateCodes.revokedAt })
    .from(revokedCertificateCodes)
    .where(eq(revokedCertificateCodes.code, normalised)).limit(1));
  if (!retired) return null;
  const holder = await verifiedCertificate(db, eq(certificates.id, retired.certificateId));
  return holder ? { ...holder, code: normalised, valid: false, revokedAt: retired.revokedAt } : null;
}

/**
 * What anyone may learn of a certificate by its code — the public verification page's fields and
 * nothing more (the API gives the same): valid or revoked, the holder's name (none once
 * anonymised), the event's title and dates, the day it was revoked. Null for an unknown code.
 */
export async function publicCertificateVerification(code: string) {
  const found = await verifyCertificate(code);
  if (!found) return null;
  return {
    state: found.valid ? ("valid" as const) : ("revoked" as const),
    code: found.code,
    name: found.name,
    eventTitle: found.eventTitle,
    startDate: found.startDate,
    endDate: found.endDate,
    /** the day (UTC) the certificate was revoked */
    revokedOn: found.revokedAt ? found.revokedAt.toISOString().slice(0, 10) : null,
  };
}

/**
 * The certificates of an event for the API (the certificates tab's rights: admins and
 * coordinators): every confirmed participant who has one, valid or revoked.
 */
export async function apiEventCertificates(actor: Actor, eventId: number) {
  const { rows } = await certificateCandidates(actor, eventId);
  return rows.flatMap((r) =>
    r.certificate === null
      ? []
      : [{
          id: r.certificate.id,
          code: r.certificate.code,
          state: r.certificate.state,
          issuedAt: new Date(r.certificate.issuedAt).toISOString(),
          revokedAt: r.certificate.revokedAt ? new Date(r.certificate.revokedAt).toISOString() : null,
          registrationId: r.registrationId,
          personId: r.personId,
          name: r.name,
        }],
  );
}

/** What the public page shows of the certificate matching `where`. */
async function verifiedCertificate(db: Pick<Tx, "select">, where: SQL) {
  const row = firstRow(await db
    .select({
      givenName: people.givenName,
      familyName: people.familyName,
      anonymisedAt: people.anonymisedAt,
      eventTitle: events.title,
      startDate: events.startDate,
      endDate: events.endDate,
      locality: events.locality,
      country: events.country,
      revokedAt: certificates.revokedAt,
      code: certificates.code,
    })
    .from(certificates)
    .innerJoin(registrations, eq(registrations.id, certificates.registrationId))
    .innerJoin(people, eq(people.id, registrations.personId))
    .innerJoin(events, eq(events.id, registrations.eventId))
    .where(where).limit(1));
  if (!row) return null;
  return {
    code: row.code,
    // an anonymised holder's certificate still verifies, without a name (the page says why)
    name: row.anonymisedAt ? null : `${row.givenName} ${row.familyName}`,
    eventTitle: row.eventTitle,
    startDate: row.startDate,
    endDate: row.endDate,
    locality: row.locality,
    country: row.country,
    valid: row.revokedAt === null,
    revokedAt: row.revokedAt,
  };
}

const issuer = alias(users, "issuer");
const issuerOrganisation = alias(organisations, "issuer_organisation");

/** Shown as the issuer when neither the event nor the issuing coordinator names an implementing office for it. */
export const DEFAULT_ISSUING_ORGANISATION = "Convene";

/**
 * Who issues an event's certificates: the implementing office among the event's partners (it ran
 * the training); failing that, the issuing coordinator's office if it works in the event's country;
 * otherwise Convene. An office elsewhere ("— Nassau") must never sign for a training in Manila.
 */
async function issuingOrganisationOf(
  db: Pick<Tx, "select">,
  event: { id: number; country: string },
  issuerOffice: { name: string | null; kind: string | null; country: string | null },
) {
  const own = firstRow(await db
    .select({ name: organisations.name })
    .from(eventPartners)
    .innerJoin(organisations, eq(organisations.id, eventPartners.organisationId))
    .where(and(eq(eventPartners.eventId, event.id), eq(organisations.kind, "implementing_office")))
    // an office without a country compares as NULL: last, as SQLite sorts it (PostgreSQL would put it first)
    .orderBy(descNullsLast(eq(organisations.country, event.country)), asc(organisations.name)).limit(1));
  if (own) return own.name;
  if (issuerOffice.kind === "implementing_office" && issuerOffice.name && issuerOffice.country === event.country) return issuerOffice.name;
  return DEFAULT_ISSUING_ORGANISATION;
}

/**
 * Everything printed on a certificate. For its holder (the person linked to the user's account)
 * and for admins and coordinators; anyone else — and a revoked certificate — gets 404.
 * `locale` is the holder's account language (null without an account or a choice).
 */
export async function certificatePdfData(user: SessionUser, certificateId: number) {
  const db = getDb();
  const row = firstRow(await db
    .select({
      id: certificates.id,
      code: certificates.code,
      issuedAt: certificates.issuedAt,
      revokedAt: certificates.revokedAt,
      registrationId: certificates.registrationId,
      givenName: people.givenName,
      familyName: people.familyName,
      locale: owner.locale,
      eventId: events.id,
      eventTitle: events.title,
      startDate: events.startDate,
      endDate: events.endDate,
      locality: events.locality,
      country: events.country,
      timeZone: events.timeZone,
      issuerOrganisationName: issuerOrganisation.name,
      issuerOrganisationKind: issuerOrganisation.kind,
      issuerOrganisationCountry: issuerOrganisation.country,
    })
    .from(certificates)
    .innerJoin(registrations, eq(registrations.id, certificates.registrationId))
    .innerJoin(people, eq(people.id, registrations.personId))
    .innerJoin(events, eq(events.id, registrations.eventId))
    .leftJoin(owner, eq(owner.id, people.userId))
    .leftJoin(issuer, eq(issuer.id, certificates.issuedByUserId))
    .leftJoin(issuerOrganisation, eq(issuerOrganisation.id, issuer.organisationId))
    // ownership inside the query: a participant reaches only their own certificates
    .where(and(eq(certificates.id, certificateId), isManager(user) ? undefined : eq(people.userId, user.id))).limit(1));
  if (!row || row.revokedAt) throw notFound();
  return {
    id: row.id,
    code: row.code,
    issuedAt: row.issuedAt,
    name: `${row.givenName} ${row.familyName}`,
    locale: row.locale,
    eventId: row.eventId,
    eventTitle: row.eventTitle,
    startDate: row.startDate,
    endDate: row.endDate,
    locality: row.locality,
    country: row.country,
    timeZone: row.timeZone,
    hoursAttended: await hoursAttended(db, row.registrationId),
    issuingOrganisation: await issuingOrganisationOf(
      db,
      { id: row.eventId, country: row.country },
      { name: row.issuerOrganisationName, kind: row.issuerOrganisationKind, country: row.issuerOrganisationCountry },
    ),
  };
}

/**
 * Hours of the sessions a registration attended, to the tenth of an hour: the sessions that
 * completionSql counts as attended (marked present or late, breaks excluded), by their length.
 */
async function hoursAttended(db: Pick<Tx, "select">, registrationId: number) {
  const ms =
    firstRow(await db
      .select({ ms: sumOf(sql`${eventSessions.endsAt} - ${eventSessions.startsAt}`, { big: true }) })
      .from(attendance)
      .innerJoin(eventSessions, eq(eventSessions.id, attendance.sessionId))
      .where(and(eq(attendance.registrationId, registrationId), ne(eventSessions.kind, "break"), inArray(attendance.status, ["present", "late"]))).limit(1))?.ms ?? 0;
  return Math.round(ms / 360_000) / 10;
}

/** The valid certificates of the person linked to this account, newest event first (for /me). */
export async function myCertificates(user: SessionUser) {
  return await getDb()
    .select({
      id: certificates.id,
      code: certificates.code,
      issuedAt: certificates.issuedAt,
      eventId: events.id,
      eventTitle: events.title,
      startDate: events.startDate,
      endDate: events.endDate,
      locality: events.locality,
      country: events.country,
    })
    .from(certificates)
    .innerJoin(registrations, eq(registrations.id, certificates.registrationId))
    .innerJoin(people, eq(people.id, registrations.personId))
    .innerJoin(events, eq(events.id, registrations.eventId))
    .where(and(eq(people.userId, user.id), isNull(certificates.revokedAt)))
    .orderBy(desc(events.startDate), asc(certificates.id));
}
