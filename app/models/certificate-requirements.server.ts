import { and, asc, eq, inArray, isNotNull, isNull } from "drizzle-orm";
import { getDb, firstRow, type DB } from "../../db/client";
import { countOf } from "../../db/sql-dialect";
import {
  certificateRequirements,
  certificates,
  events,
  feedbackForms,
  feedbackRespondents,
  knowledgeTestAttempts,
  knowledgeTestQuestions,
  knowledgeTests,
  people,
  registrations,
} from "../../db/schema";
import { forbidden, notFound, type Actor, type SessionUser } from "~/auth/session.server";
import { attendanceRate } from "~/lib/attendance";
import type { EventStatus } from "~/lib/domain";
import { scorePercent } from "~/lib/knowledge-tests";
import { recordAudit } from "./audit.server";
import { completionSql, REGISTRATION_REFS } from "./completion.server";
import { FieldError } from "./field-error.server";
import { ownConfirmedParticipation } from "./registrations.server";

/**
 * What a certificate requires besides attendance (the event's completion threshold, completionSql):
 * the post-test — taken online or entered from paper by a coordinator — optionally with a minimum
 * score, and/or an answer to the feedback form. Whether someone answered the feedback form is read
 * from the respondents table only: the answers are anonymous and are never linked to a person.
 *
 * "Completed" in pages, exports and reports stays attendance-only (docs/evaluation.md); these
 * requirements decide who may be given a certificate.
 */

type Reader = Pick<DB, "select">;

export type CertificateRule = { postTestRequired: boolean; postTestMinScore: number | null; feedbackRequired: boolean };

export const NO_REQUIREMENTS: CertificateRule = { postTestRequired: false, postTestMinScore: null, feedbackRequired: false };

/** A requirement a person has not met yet. */
export type MissingRequirement =
  | { kind: "postTest" }
  | { kind: "postTestScore"; score: number; min: number }
  | { kind: "feedback" };

function requireManager(actor: Actor) {
  if (actor.user.role !== "admin" && actor.user.role !== "coordinator") throw forbidden();
}

export async function certificateRuleOf(db: Reader, eventId: number): Promise<CertificateRule> {
  const row = firstRow(
    await db
      .select({
        postTestRequired: certificateRequirements.postTestRequired,
        postTestMinScore: certificateRequirements.postTestMinScore,
        feedbackRequired: certificateRequirements.feedbackRequired,
      })
      .from(certificateRequirements)
      .where(eq(certificateRequirements.eventId, eventId))
      .limit(1),
  );
  return row ?? NO_REQUIREMENTS;
}

/** The number of questions of the event's test (0 without a test). */
async function questionCount(db: Reader, eventId: number) {
  return (
    firstRow(
      await db
        .select({ n: countOf() })
        .from(knowledgeTestQuestions)
        .innerJoin(knowledgeTests, eq(knowledgeTests.id, knowledgeTestQuestions.testId))
        .where(eq(knowledgeTests.eventId, eventId))
        .limit(1),
    )?.n ?? 0
  );
}

/**
 * What each of these registrations (of one event) still misses under the rule, by registration id.
 * A submitted post-test counts whatever its source (online or a paper score).
 */
export async function missingRequirements(
  db: Reader,
  eventId: number,
  rule: CertificateRule,
  rows: readonly { registrationId: number; personId: number }[],
): Promise<Map<number, MissingRequirement[]>> {
  const out = new Map<number, MissingRequirement[]>(rows.map((r) => [r.registrationId, []]));
  if (rows.length === 0 || (!rule.postTestRequired && !rule.feedbackRequired)) return out;
  const ids = rows.map((r) => r.registrationId);
  if (rule.postTestRequired) {
    const posts = await db
      .select({ registrationId: knowledgeTestAttempts.registrationId, correct: knowledgeTestAttempts.correct, total: knowledgeTestAttempts.total })
      .from(knowledgeTestAttempts)
      .innerJoin(knowledgeTests, eq(knowledgeTests.id, knowledgeTestAttempts.testId))
      .where(
        and(
          eq(knowledgeTests.eventId, eventId),
          eq(knowledgeTestAttempts.phase, "post"),
          isNotNull(knowledgeTestAttempts.submittedAt),
          ids.length <= 500 ? inArray(knowledgeTestAttempts.registrationId, ids) : undefined,
        ),
      );
    const byRegistration = new Map(posts.map((p) => [p.registrationId, p]));
    for (const r of rows) {
      const post = byRegistration.get(r.registrationId);
      if (!post || post.correct === null || post.total === null) out.get(r.registrationId)!.push({ kind: "postTest" });
      // compared in whole numbers: 9 of 15 (60%) meets a minimum of 60
      else if (rule.postTestMinScore !== null && post.correct * 100 < rule.postTestMinScore * post.total) {
        out.get(r.registrationId)!.push({ kind: "postTestScore", score: scorePercent(post.correct, post.total), min: rule.postTestMinScore });
      }
    }
  }
  if (rule.feedbackRequired) {
    // who answered, from the respondents table: never from the answers, which carry no person
    const answered = new Set(
      (
        await db
          .select({ personId: feedbackRespondents.personId })
          .from(feedbackRespondents)
          .innerJoin(feedbackForms, eq(feedbackForms.id, feedbackRespondents.formId))
          // the end-of-event form: a session's form does not count
          .where(and(eq(feedbackForms.eventId, eventId), isNull(feedbackForms.sessionId)))
      ).map((r) => r.personId),
    );
    for (const r of rows) if (!answered.has(r.personId)) out.get(r.registrationId)!.push({ kind: "feedback" });
  }
  return out;
}

/** The rule as the certificates tab shows it, with whether the event has a test to require. */
export async function certificateRuleForEditing(actor: Actor, eventId: number) {
  requireManager(actor);
  const db = getDb();
  const event = firstRow(await db.select({ id: events.id }).from(events).where(eq(events.id, eventId)).limit(1));
  if (!event) throw notFound();
  return { rule: await certificateRuleOf(db, eventId), testQuestions: await questionCount(db, eventId) };
}

/**
 * Set what a certificate requires. Refused (FieldError, nothing written) when the post-test is
 * required but the event's test has no questions, when a minimum score is outside 0–100 or not a
 * whole number, or when a minimum is given without requiring the post-test. Certificates already
 * issued stay as they are.
 */
export async function setCertificateRule(actor: Actor, eventId: number, input: CertificateRule) {
  requireManager(actor);
  const min = input.postTestMinScore;
  if (min !== null && (!Number.isInteger(min) || min < 0 || min > 100)) throw new FieldError("postTestMinScore", "certificates.rule.errors.minScore");
  if (min !== null && !input.postTestRequired) throw new FieldError("postTestMinScore", "certificates.rule.errors.minWithoutTest");
  await getDb().transaction(
    async (tx) => {
      const event = firstRow(await tx.select({ id: events.id }).from(events).where(eq(events.id, eventId)).limit(1));
      if (!event) throw notFound();
      if (input.postTestRequired && (await questionCount(tx, eventId)) === 0) throw new FieldError("postTestRequired", "certificates.rule.errors.noTest");
      const values = {
        postTestRequired: input.postTestRequired,
        postTestMinScore: input.postTestRequired ? min : null,
        feedbackRequired: input.feedbackRequired,
        updatedByUserId: actor.user.id,
      };
      await tx
        .insert(certificateRequirements)
        .values({ eventId, ...values })
        .onConflictDoUpdate({ target: certificateRequirements.eventId, set: { ...values, updatedAt: new Date() } });
      await recordAudit(tx, {
        userId: actor.user.id,
        ip: actor.ip,
        action: "certificate.requirements",
        entityType: "event",
        entityId: eventId,
        details: { postTestRequired: values.postTestRequired, postTestMinScore: values.postTestMinScore, feedbackRequired: values.feedbackRequired },
      });
    },
    { behavior: "immediate" },
  );
}

/** Events whose certificate a participant can still work towards (the training is on or just over). */
const PROGRESS_EVENT_STATUSES: readonly EventStatus[] = ["in_progress", "completed"];

/**
 * For /me: the participant's events (in progress or completed, without a valid certificate yet)
 * and what is still missing for a certificate — attendance below the threshold, the post-test,
 * its score, the feedback form. Events where nothing is missing are listed too ("all done, the
 * certificate will follow"). Only the user's own registrations, by the query itself.
 */
export async function myCertificateProgress(user: SessionUser) {
  if (user.role !== "participant") return [];
  const db = getDb();
  const completion = completionSql(REGISTRATION_REFS);
  const rows = await db
    .select({
      eventId: events.id,
      title: events.title,
      status: events.status,
      threshold: events.completionThreshold,
      registrationId: registrations.id,
      personId: registrations.personId,
      attended: completion.attended,
      counted: completion.counted,
      completed: completion.completed,
    })
    .from(registrations)
    .innerJoin(events, eq(events.id, registrations.eventId))
    .innerJoin(people, eq(people.id, registrations.personId))
    .leftJoin(certificates, and(eq(certificates.registrationId, registrations.id), isNull(certificates.revokedAt)))
    .where(and(ownConfirmedParticipation(user), inArray(events.status, [...PROGRESS_EVENT_STATUSES]), isNull(certificates.id)))
    .orderBy(asc(events.startDate), asc(events.id))
    .limit(20);
  const out = [];
  for (const r of rows) {
    const rule = await certificateRuleOf(db, r.eventId);
    const missing = (await missingRequirements(db, r.eventId, rule, [r])).get(r.registrationId) ?? [];
    out.push({
      eventId: r.eventId,
      title: r.title,
      status: r.status,
      threshold: r.threshold,
      attendanceRate: attendanceRate(r.attended, r.counted),
      attendanceMet: r.completed === 1,
      rule,
      missing,
    });
  }
  return out;
}
