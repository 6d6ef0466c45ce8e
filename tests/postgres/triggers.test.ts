import { beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { execute, firstRow, getDb, queryAll, readyDb } from "../../db/client";
import { dataVersions, events, eventSessions, people, programmes, registrations } from "../../db/schema";

/**
 * The PL/pgSQL triggers of db/migrations-pg keep what SQLite's triggers keep, whatever writes:
 * the stored attendance counts (recounted here from the marks after random raw writes of every
 * kind), the data versions, the cell keys.
 */
const RECOUNT_MISMATCHES = sql`
  select 'registration' as kind, r.id as id from registrations r
  left join (select a.registration_id as rid, sum((a.status in ('present', 'late'))::int) as att, sum((a.status = 'excused')::int) as exc
             from attendance a join event_sessions s on s.id = a.session_id where s.kind <> 'break' group by a.registration_id) c on c.rid = r.id
  where r.attended_sessions <> coalesce(c.att, 0) or r.excused_sessions <> coalesce(c.exc, 0)
  union all
  select 'event', e.id from events e
  where e.counted_sessions <> (select count(*) from event_sessions s where s.event_id = e.id and s.kind <> 'break')`;
const mismatches = async () => await queryAll<{ kind: string; id: number }>(getDb(), RECOUNT_MISMATCHES);
const version = async (name: string) => firstRow(await getDb().select().from(dataVersions).where(eq(dataVersions.name, name)).limit(1))!.n;

/** A small deterministic PRNG (mulberry32), so a failure can be replayed. */
function random(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

beforeAll(async () => {
  const db = await readyDb();
  for (let e = 0; e < 3; e++) {
    const [event] = await db.insert(events).values({ title: `Event ${e}`, type: "training", country: "BS", timeZone: "America/Nassau", startDate: "2026-03-02", endDate: "2026-03-04" }).returning();
    for (let s = 0; s < 5; s++) {
      const startsAt = new Date(Date.UTC(2026, 2, 2 + (s % 3), 13 + s));
      await db.insert(eventSessions).values({ eventId: event.id, title: `Session ${s}`, kind: s === 2 ? "break" : "presentation", startsAt, endsAt: new Date(startsAt.getTime() + 3600_000) });
    }
    for (let p = 0; p < 6; p++) {
      const [person] = await db.insert(people).values({ givenName: `Given ${p}`, familyName: `Family ${e}` }).returning();
      await db.insert(registrations).values({ eventId: event.id, personId: person.id, status: "confirmed", statusChangedAt: new Date() });
    }
  }
});

describe("PostgreSQL triggers", () => {
  it("keep the attendance counts right through 400 random raw writes of every kind", async () => {
    const db = getDb();
    const next = random(42);
    const pick = <T>(rows: T[]) => rows[Math.floor(next() * rows.length)];
    const statuses = ["present", "late", "absent", "excused"];
    const kinds = ["presentation", "break", "exercise"];
    const rows = async <T>(query: ReturnType<typeof sql>) => await queryAll<T>(db, query);
    const operations: Record<string, () => Promise<void>> = {
      async mark() {
        const session = pick(await rows<{ id: number; event_id: number }>(sql`select id, event_id from event_sessions`));
        const registration = pick(await rows<{ id: number }>(sql`select id from registrations where event_id = ${session.event_id}`));
        if (!registration) return;
        await execute(db, sql`insert into attendance (registration_id, session_id, status, recorded_at) values (${registration.id}, ${session.id}, ${pick(statuses)}, 0)
          on conflict (registration_id, session_id) do update set status = excluded.status`);
      },
      async changeStatus() {
        const mark = pick(await rows<{ id: number }>(sql`select id from attendance`));
        if (mark) await execute(db, sql`update attendance set status = ${pick(statuses)} where id = ${mark.id}`);
      },
      async unmark() {
        const mark = pick(await rows<{ id: number }>(sql`select id from attendance`));
        if (mark) await execute(db, sql`delete from attendance where id = ${mark.id}`);
      },
      async changeKind() {
        const session = pick(await rows<{ id: number }>(sql`select id from event_sessions`));
        if (session) await execute(db, sql`update event_sessions set kind = ${pick(kinds)} where id = ${session.id}`);
      },
      async moveSession() {
        const session = pick(await rows<{ id: number }>(sql`select id from event_sessions`));
        const event = pick(await rows<{ id: number }>(sql`select id from events`));
        if (session && next() < 0.2) await execute(db, sql`update event_sessions set event_id = ${event.id} where id = ${session.id}`);
      },
      async addSession() {
        const session = pick(await rows<{ event_id: number; starts_at: number; ends_at: number }>(sql`select event_id, starts_at, ends_at from event_sessions`));
        if (session) await execute(db, sql`insert into event_sessions (event_id, title, kind, starts_at, ends_at) values (${session.event_id}, 'Extra', ${pick(kinds)}, ${session.starts_at}, ${session.ends_at})`);
      },
      async deleteSession() {
        const session = pick(await rows<{ id: number }>(sql`select id from event_sessions`));
        if (session && next() < 0.3) await execute(db, sql`delete from event_sessions where id = ${session.id}`);
      },
      async deleteRegistration() {
        const registration = pick(await rows<{ id: number }>(sql`select id from registrations`));
        if (registration && next() < 0.2) await execute(db, sql`delete from registrations where id = ${registration.id}`);
      },
    };
    // marks three times as often as the rest, so that many are standing at the end
    const names = [...Object.keys(operations), "mark", "mark"];
    for (let i = 0; i < 400; i++) {
      await operations[pick(names)]();
      if (i % 50 === 49) expect(await mismatches(), `after operation ${i + 1}`).toEqual([]);
    }
    const marks = await rows<{ n: number }>(sql`select count(*) as n from attendance`);
    expect(marks[0].n).toBeGreaterThan(10);
    expect(await mismatches()).toEqual([]);
    // an event's deletion takes its sessions and marks with it, and the counts stay right
    await execute(db, sql`delete from events where id = (select min(id) from events)`);
    expect(await mismatches()).toEqual([]);
  });

  it("move the data versions on the writes SQLite's triggers count, and only those", async () => {
    const db = getDb();
    const reports = await version("reports");
    const plans = await version("action_plans");
    const [programme] = await db.insert(programmes).values({ name: "Versioned" }).returning();
    expect(await version("reports")).toBe(reports + 1);
    await db.update(programmes).set({ description: "not a name" }).where(eq(programmes.id, programme.id));
    expect(await version("reports")).toBe(reports + 1);
    await db.update(programmes).set({ name: "Renamed" }).where(eq(programmes.id, programme.id));
    expect(await version("reports")).toBe(reports + 2);
    expect(await version("action_plans")).toBe(plans);
    await db.update(events).set({ timeZone: "UTC" }).where(eq(events.id, firstRow(await db.select().from(events).limit(1))!.id));
    expect(await version("action_plans")).toBe(plans + 1);
    expect(await version("reports")).toBe(reports + 3);
  });

  it("give every new person a cell key from 0 to 99, and keep one given", async () => {
    const db = getDb();
    const inserted = await db.insert(people).values(Array.from({ length: 200 }, (_, i) => ({ givenName: "Key", familyName: `Holder ${i}` }))).returning();
    const keys = inserted.map((p) => p.cellKey!);
    expect(keys.every((k) => Number.isInteger(k) && k >= 0 && k <= 99)).toBe(true);
    expect(new Set(keys).size).toBeGreaterThan(50);
    const [kept] = await db.insert(people).values({ givenName: "Key", familyName: "Given", cellKey: 7 }).returning();
    expect(kept.cellKey).toBe(7);
  });
});
