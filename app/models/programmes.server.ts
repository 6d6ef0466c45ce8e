import { and, asc, count, desc, eq, inArray, ne, sql } from "drizzle-orm";
import { getDb, type Tx, firstRow } from "../../db/client";
import { countOf } from "../../db/sql-dialect";
import { events, organisations, programmeFunding, programmes } from "../../db/schema";
import { canReach } from "~/auth/permissions";
import { forbidden, notFound, type Actor } from "~/auth/session.server";
import { registrationClosedSql, visibleEventsWhere } from "./events.server";
import { recordAudit } from "./audit.server";
import { containsWord, searchWords } from "./text-search.server";
import { isUniqueViolation, ValidationError } from "./organisations.server";

export { ValidationError } from "./organisations.server";

export const PROGRAMMES_PAGE_SIZE = 50;

/** Programmes are managed by admins and coordinators (AREA_ROLES.programmes). */
function requireManager(actor: Actor) {
  if (!canReach(actor.user.role, "programmes")) throw forbidden();
}

export type ProgrammeFields = {
  name: string;
  code: string | null;
  description: string | null;
  /** YYYY-MM-DD, either may be open */
  startDate: string | null;
  endDate: string | null;
  /** donor organisations funding it (each must be of kind "donor") */
  donorIds: number[];
};

type Donor = { id: number; name: string; acronym: string | null };

/** The donors of some programmes, in one query, by programme. */
async function donorsOf(tx: Pick<Tx, "select">, programmeIds: number[]): Promise<Map<number, Donor[]>> {
  const byProgramme = new Map<number, Donor[]>();
  if (programmeIds.length === 0) return byProgramme;
  const rows = await tx
    .select({
      programmeId: programmeFunding.programmeId,
      id: organisations.id,
      name: organisations.name,
      acronym: organisations.acronym,
    })
    .from(programmeFunding)
    .innerJoin(organisations, eq(organisations.id, programmeFunding.donorOrganisationId))
    .where(inArray(programmeFunding.programmeId, programmeIds))
    .orderBy(asc(organisations.name));
  for (const { programmeId, ...donor } of rows) {
    const list = byProgramme.get(programmeId) ?? [];
    list.push(donor);
    byProgramme.set(programmeId, list);
  }
  return byProgramme;
}

const OUTER_PROGRAMME_ID = sql.raw(`"programmes"."id"`);
const eventCount = sql<number>`(select ${countOf()} from ${events} e where e.programme_id = ${OUTER_PROGRAMME_ID})`;

/** Programmes by name, with their donors and how many events each has. */
export async function listProgrammes(actor: Actor, options: { page?: number } = {}) {
  requireManager(actor);
  const db = getDb();
  const total = firstRow(await db.select({ n: count() }).from(programmes).limit(1))?.n ?? 0;
  const pageCount = Math.max(1, Math.ceil(total / PROGRAMMES_PAGE_SIZE));
  const page = Math.min(Math.max(1, options.page ?? 1), pageCount);
  const rows = await db
    .select({
      id: programmes.id,
      name: programmes.name,
      code: programmes.code,
      startDate: programmes.startDate,
      endDate: programmes.endDate,
      events: eventCount,
    })
    .from(programmes)
    .orderBy(asc(programmes.name), asc(programmes.id))
    .limit(PROGRAMMES_PAGE_SIZE)
    .offset((page - 1) * PROGRAMMES_PAGE_SIZE);
  const donors = await donorsOf(db, rows.map((r) => r.id));
  return { rows: rows.map((r) => ({ ...r, donors: donors.get(r.id) ?? [] })), total, page, pageCount };
}

/**
 * A page of programmes for the API, in id order after `after` (the list page's rights: admins and
 * coordinators), with their donors and how many events each has.
 */
export async function apiProgrammePage(actor: Actor, after: number | null, limit: number) {
  requireManager(actor);
  const db = getDb();
  const rows = await db
    .select({ id: programmes.id, name: programmes.name, code: programmes.code, startDate: programmes.startDate, endDate: programmes.endDate, events: eventCount })
    .from(programmes)
    .where(after === null ? undefined : sql`${programmes.id} > ${after}`)
    .orderBy(asc(programmes.id))
    .limit(limit + 1);
  const donors = await donorsOf(db, rows.map((r) => r.id));
  return rows.map((r) => ({ ...r, events: Number(r.events), donors: donors.get(r.id) ?? [] }));
}

/** One programme with its donors and its events (newest first). 404 when unknown. */
/** Events listed per page on a programme's page (a programme can run thousands over the years). */
export const PROGRAMME_EVENTS_PAGE_SIZE = 50;

export async function getProgramme(actor: Actor, programmeId: number, options: { page?: number } = {}) {
  requireManager(actor);
  const db = getDb();
  const programme = firstRow(await db
    .select({
      id: programmes.id,
      name: programmes.name,
      code: programmes.code,
      description: programmes.description,
      startDate: programmes.startDate,
      endDate: programmes.endDate,
    })
    .from(programmes)
    .where(eq(programmes.id, programmeId)).limit(1));
  if (!programme) throw notFound();
  const where = and(eq(events.programmeId, programmeId), visibleEventsWhere(actor.user));
  const eventCount = firstRow(await db.select({ n: count() }).from(events).where(where).limit(1))?.n ?? 0;
  const pageCount = Math.max(1, Math.ceil(eventCount / PROGRAMME_EVENTS_PAGE_SIZE));
  const page = Math.min(Math.max(1, Math.floor(options.page ?? 1) || 1), pageCount);
  const programmeEvents = await db
    .select({
      id: events.id,
      title: events.title,
      status: events.status,
      registrationClosed: registrationClosedSql(),
      country: events.country,
      locality: events.locality,
      startDate: events.startDate,
      endDate: events.endDate,
    })
    .from(events)
    .where(where)
    .orderBy(desc(events.startDate), asc(events.id))
    .limit(PROGRAMME_EVENTS_PAGE_SIZE)
    .offset((page - 1) * PROGRAMME_EVENTS_PAGE_SIZE);
  return { programme, donors: (await donorsOf(db, [programmeId])).get(programmeId) ?? [], events: programmeEvents, eventCount, page, pageCount };
}

/** The organisations that may be chosen as donors (kind "donor"), for the form's checkboxes. */
/** Up to `limit` programmes whose name contains every word of `text` (any case), by name: the reports' programme filter when there are too many to list. Staff only. */
export async function searchProgrammes(actor: Actor, text: string, limit = 30): Promise<{ id: number; name: string }[]> {
  if (actor.user.role !== "admin" && actor.user.role !== "coordinator") throw forbidden();
  const words = searchWords(text);
  if (words.length === 0) return [];
  return await getDb()
    .select({ id: programmes.id, name: programmes.name })
    .from(programmes)
    .where(and(...words.map((w) => containsWord(programmes.name, w))))
    .orderBy(asc(programmes.name), asc(programmes.id))
    .limit(limit);
}

export async function donorOptions(actor: Actor) {
  requireManager(actor);
  return await getDb()
    .select({ id: organisations.id, name: organisations.name, acronym: organisations.acronym })
    .from(organisations)
    .where(eq(organisations.kind, "donor"))
    .orderBy(asc(organisations.name));
}

async function checkFields(tx: Tx, input: ProgrammeFields, exceptId?: number) {
  // the form checks the order of the dates too; the model keeps the rule for every caller
  if (input.startDate && input.endDate && input.endDate < input.startDate) {
    throw new ValidationError("endDate", "programmes.errors.endBeforeStart");
  }
  const clash = firstRow(await tx
    .select({ id: programmes.id })
    .from(programmes)
    .where(and(sql`lower(${programmes.name}) = lower(${input.name})`, exceptId ? ne(programmes.id, exceptId) : undefined)).limit(1));
  if (clash) throw new ValidationError("name", "programmes.errors.nameTaken");
  if (input.donorIds.length > 0) {
    const donors = await tx
      .select({ id: organisations.id })
      .from(organisations)
      .where(and(inArray(organisations.id, input.donorIds), eq(organisations.kind, "donor")));
    if (donors.length !== input.donorIds.length) throw new ValidationError("donorIds", "programmes.errors.notDonor");
  }
}

/** Make the programme's funding rows exactly the chosen donors (kept rows keep their dates). */
async function setDonors(tx: Tx, programmeId: number, donorIds: number[]) {
  const current = (await tx
    .select({ id: programmeFunding.donorOrganisationId })
    .from(programmeFunding)
    .where(eq(programmeFunding.programmeId, programmeId)))
    .map((r) => r.id);
  const removed = current.filter((id) => !donorIds.includes(id));
  const added = donorIds.filter((id) => !current.includes(id));
  if (removed.length > 0) {
    await tx.delete(programmeFunding)
      .where(and(eq(programmeFunding.programmeId, programmeId), inArray(programmeFunding.donorOrganisationId, removed)));
  }
  if (added.length > 0) {
    await tx.insert(programmeFunding)
      .values(added.map((donorOrganisationId) => ({ programmeId, donorOrganisationId })));
  }
  return { before: current, added, removed };
}

function columns(input: ProgrammeFields) {
  return {
    name: input.name,
    code: input.code,
    description: input.description,
    startDate: input.startDate,
    endDate: input.endDate,
  };
}

export async function createProgramme(actor: Actor, input: ProgrammeFields): Promise<number> {
  requireManager(actor);
  try {
    return await getDb().transaction(
      async (tx) => {
        await checkFields(tx, input);
        const { id } = (await tx.insert(programmes).values(columns(input)).returning({ id: programmes.id }))[0];
        await setDonors(tx, id, input.donorIds);
        await recordAudit(tx, {
          userId: actor.user.id,
          ip: actor.ip,
          action: "programme.create",
          entityType: "programme",
          entityId: id,
          details: { name: input.name, code: input.code, startDate: input.startDate, endDate: input.endDate, donorIds: input.donorIds },
        });
        return id;
      },
      { behavior: "immediate" },
    );
  } catch (error) {
    if (isUniqueViolation(error)) throw new ValidationError("name", "programmes.errors.nameTaken");
    throw error;
  }
}

export async function updateProgramme(actor: Actor, programmeId: number, input: ProgrammeFields) {
  requireManager(actor);
  try {
    await getDb().transaction(
      async (tx) => {
        const before = firstRow(await tx
          .select({ name: programmes.name, code: programmes.code, startDate: programmes.startDate, endDate: programmes.endDate })
          .from(programmes)
          .where(eq(programmes.id, programmeId)).limit(1));
        if (!before) throw notFound();
        await checkFields(tx, input, programmeId);
        await tx.update(programmes).set(columns(input)).where(eq(programmes.id, programmeId));
        const donors = await setDonors(tx, programmeId, input.donorIds);
        await recordAudit(tx, {
          userId: actor.user.id,
          ip: actor.ip,
          action: "programme.update",
          entityType: "programme",
          entityId: programmeId,
          details: {
            from: { ...before, donorIds: donors.before },
            to: { name: input.name, code: input.code, startDate: input.startDate, endDate: input.endDate, donorIds: input.donorIds },
          },
        });
      },
      { behavior: "immediate" },
    );
  } catch (error) {
    if (isUniqueViolation(error)) throw new ValidationError("name", "programmes.errors.nameTaken");
    throw error;
  }
}
