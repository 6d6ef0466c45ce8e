import { and, asc, count, eq, inArray, ne, or, sql, type SQL } from "drizzle-orm";
import { getDb, type Tx, firstRow, isUniqueViolation } from "../../db/client";
import { countOf } from "../../db/sql-dialect";
import { eventPartners, organisations, people, programmeFunding, programmes, users } from "../../db/schema";
import { canReach } from "~/auth/permissions";
import { forbidden, notFound, type Actor } from "~/auth/session.server";
import type { OrganisationKind, OrganisationScope } from "~/lib/domain";
import { recordAudit } from "./audit.server";
import { containsWord, searchWords } from "./text-search.server";

export const ORGANISATIONS_PAGE_SIZE = 50;

/**
 * A refusal tied to one form field (a duplicate name, a non-donor chosen as donor…): the route
 * returns it as a 400 with the submitted values, like AccountError in accounts.server.ts.
 */
export class ValidationError extends Error {
  constructor(
    public readonly field: string,
    public readonly messageKey: string,
  ) {
    super(messageKey);
  }
}

/** Organisations are managed by admins and coordinators (AREA_ROLES.organisations). */
function requireManager(actor: Actor) {
  if (!canReach(actor.user.role, "organisations")) throw forbidden();
}

export { isUniqueViolation };

export type OrganisationFields = {
  name: string;
  acronym: string | null;
  kind: OrganisationKind;
  country: string | null;
};

// Correlated subqueries name the outer row explicitly (see events.server.ts for why).
const OUTER_ORGANISATION_ID = sql.raw(`"organisations"."id"`);
const userCount = sql<number>`(select ${countOf()} from ${users} u where u.organisation_id = ${OUTER_ORGANISATION_ID})`;
const peopleCount = sql<number>`(select ${countOf()} from ${people} p where p.organisation_id = ${OUTER_ORGANISATION_ID})`;
const eventCount = sql<number>`(select ${countOf()} from ${eventPartners} ep where ep.organisation_id = ${OUTER_ORGANISATION_ID})`;

/** Organisations by name, with how many user accounts, people and partner events each has. */
export async function listOrganisations(actor: Actor, filters: { kind?: OrganisationKind; page?: number } = {}) {
  requireManager(actor);
  const db = getDb();
  const where: SQL | undefined = filters.kind ? eq(organisations.kind, filters.kind) : undefined;
  const total = firstRow(await db.select({ n: count() }).from(organisations).where(where).limit(1))?.n ?? 0;
  const pageCount = Math.max(1, Math.ceil(total / ORGANISATIONS_PAGE_SIZE));
  const page = Math.min(Math.max(1, filters.page ?? 1), pageCount);
  const rows = await db
    .select({
      id: organisations.id,
      name: organisations.name,
      acronym: organisations.acronym,
      kind: organisations.kind,
      country: organisations.country,
      users: userCount,
      people: peopleCount,
      events: eventCount,
    })
    .from(organisations)
    .where(where)
    .orderBy(asc(organisations.name), asc(organisations.id))
    .limit(ORGANISATIONS_PAGE_SIZE)
    .offset((page - 1) * ORGANISATIONS_PAGE_SIZE);
  return { rows, total, page, pageCount };
}

/** A page of organisations for the API, in id order after `after` (the list page's rights and `kind` filter). */
export async function apiOrganisationPage(actor: Actor, filters: { kind?: OrganisationKind }, after: number | null, limit: number) {
  requireManager(actor);
  const rows = await getDb()
    .select({ id: organisations.id, name: organisations.name, acronym: organisations.acronym, kind: organisations.kind, country: organisations.country, users: userCount, people: peopleCount, events: eventCount })
    .from(organisations)
    .where(and(filters.kind ? eq(organisations.kind, filters.kind) : undefined, after === null ? undefined : sql`${organisations.id} > ${after}`))
    .orderBy(asc(organisations.id))
    .limit(limit + 1);
  return rows.map((r) => ({ ...r, users: Number(r.users), people: Number(r.people), events: Number(r.events) }));
}

/** One organisation with its counts and, for a donor, the programmes it funds. 404 when unknown. */
export async function getOrganisation(actor: Actor, organisationId: number) {
  requireManager(actor);
  const db = getDb();
  const organisation = firstRow(await db
    .select({
      id: organisations.id,
      name: organisations.name,
      acronym: organisations.acronym,
      kind: organisations.kind,
      country: organisations.country,
      users: userCount,
      people: peopleCount,
      events: eventCount,
    })
    .from(organisations)
    .where(eq(organisations.id, organisationId)).limit(1));
  if (!organisation) throw notFound();
  const fundedProgrammes = await db
    .select({ id: programmes.id, name: programmes.name, code: programmes.code })
    .from(programmeFunding)
    .innerJoin(programmes, eq(programmes.id, programmeFunding.programmeId))
    .where(eq(programmeFunding.donorOrganisationId, organisationId))
    .orderBy(asc(programmes.name));
  return { organisation, fundedProgrammes };
}

/** Names compare without regard to case or surrounding spaces: "prm" duplicates "PRM". */
async function checkNameFree(tx: Tx, name: string, exceptId?: number) {
  const clash = firstRow(await tx
    .select({ id: organisations.id })
    .from(organisations)
    .where(and(sql`lower(${organisations.name}) = lower(${name})`, exceptId ? ne(organisations.id, exceptId) : undefined)).limit(1));
  if (clash) throw new ValidationError("name", "organisations.errors.nameTaken");
}

export async function createOrganisation(actor: Actor, input: OrganisationFields): Promise<number> {
  requireManager(actor);
  try {
    return await getDb().transaction(
      async (tx) => {
        await checkNameFree(tx, input.name);
        const { id } = (await tx
          .insert(organisations)
          .values({ name: input.name, acronym: input.acronym, kind: input.kind, country: input.country })
          .returning({ id: organisations.id }))[0];
        await recordAudit(tx, {
          userId: actor.user.id,
          ip: actor.ip,
          action: "organisation.create",
          entityType: "organisation",
          entityId: id,
          details: { name: input.name, kind: input.kind, country: input.country },
        });
        return id;
      },
      { behavior: "immediate" },
    );
  } catch (error) {
    if (isUniqueViolation(error)) throw new ValidationError("name", "organisations.errors.nameTaken");
    throw error;
  }
}

/**
 * Change an organisation. A donor that funds programmes or has donor accounts stays a donor:
 * changing its kind would leave funding and donor access pointing at a non-donor.
 */
export async function updateOrganisation(actor: Actor, organisationId: number, input: OrganisationFields) {
  requireManager(actor);
  try {
    await getDb().transaction(
      async (tx) => {
        const before = firstRow(await tx
          .select({ name: organisations.name, acronym: organisations.acronym, kind: organisations.kind, country: organisations.country })
          .from(organisations)
          .where(eq(organisations.id, organisationId)).limit(1));
        if (!before) throw notFound();
        await checkNameFree(tx, input.name, organisationId);
        if (before.kind === "donor" && input.kind !== "donor") {
          const funding = firstRow(await tx.select({ n: count() }).from(programmeFunding).where(eq(programmeFunding.donorOrganisationId, organisationId)).limit(1))?.n ?? 0;
          const donorUsers = firstRow(await tx
            .select({ n: count() })
            .from(users)
            .where(and(eq(users.organisationId, organisationId), eq(users.role, "donor"))).limit(1))?.n ?? 0;
          if (funding > 0 || donorUsers > 0) throw new ValidationError("kind", "organisations.errors.mustStayDonor");
        }
        await tx.update(organisations)
          .set({ name: input.name, acronym: input.acronym, kind: input.kind, country: input.country })
          .where(eq(organisations.id, organisationId));
        await recordAudit(tx, {
          userId: actor.user.id,
          ip: actor.ip,
          action: "organisation.update",
          entityType: "organisation",
          entityId: organisationId,
          details: { from: before, to: input },
        });
      },
      { behavior: "immediate" },
    );
  } catch (error) {
    if (isUniqueViolation(error)) throw new ValidationError("name", "organisations.errors.nameTaken");
    throw error;
  }
}

/**
 * Forms list the organisations to choose from while there are at most this many; beyond, a form
 * searches them (`/organisation-choices`): a global organisation's thousands of partner agencies
 * made every form that offers them weigh more than half a megabyte.
 */
export const ORGANISATION_LIST_LIMIT = 500;

export type OrganisationChoice = { id: number; name: string; acronym: string | null; kind: OrganisationKind };

const choiceColumns = { id: organisations.id, name: organisations.name, acronym: organisations.acronym, kind: organisations.kind };
const scopeWhere = (scope: OrganisationScope) =>
  scope === "nonDonor"
    ? ne(organisations.kind, "donor")
    : scope === "governmentPartner"
      ? eq(organisations.kind, "government_partner")
      : scope === "donor"
        ? eq(organisations.kind, "donor")
        : undefined;

/** The organisations of a scope by name, or null when there are more than ORGANISATION_LIST_LIMIT. */
export async function organisationChoices(scope: OrganisationScope): Promise<OrganisationChoice[] | null> {
  const rows = await getDb()
    .select(choiceColumns)
    .from(organisations)
    .where(scopeWhere(scope))
    .orderBy(asc(organisations.name), asc(organisations.id))
    .limit(ORGANISATION_LIST_LIMIT + 1);
  return rows.length > ORGANISATION_LIST_LIMIT ? null : rows;
}

/** Up to `limit` organisations of a scope whose name or acronym contains `text` (any case), by name. */
export async function searchOrganisations(scope: OrganisationScope, text: string, limit = 30): Promise<OrganisationChoice[]> {
  const words = searchWords(text);
  if (words.length === 0) return [];
  const matches = words.map((w) => or(containsWord(organisations.name, w), containsWord(sql`coalesce(${organisations.acronym}, '')`, w))!);
  return await getDb()
    .select(choiceColumns)
    .from(organisations)
    .where(and(scopeWhere(scope), ...matches))
    .orderBy(asc(organisations.name), asc(organisations.id))
    .limit(limit);
}

/** One organisation of a scope (the current choice of a form that searches), or null. */
export async function organisationChoice(scope: OrganisationScope, id: number | null | undefined): Promise<OrganisationChoice | null> {
  if (!id) return null;
  return (
    firstRow(await getDb()
      .select(choiceColumns)
      .from(organisations)
      .where(and(eq(organisations.id, id), scopeWhere(scope))).limit(1)) ?? null
  );
}

/** Organisations of a scope by id, by name (the current choices of a form that searches). */
export async function organisationChoicesByIds(scope: OrganisationScope, ids: number[]): Promise<OrganisationChoice[]> {
  if (ids.length === 0) return [];
  return await getDb()
    .select(choiceColumns)
    .from(organisations)
    .where(and(inArray(organisations.id, ids), scopeWhere(scope)))
    .orderBy(asc(organisations.name), asc(organisations.id));
}
