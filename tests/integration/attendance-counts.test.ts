import fs from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { getDb, queryOne } from "../../db/client";
import { seedDemo } from "../../db/seed/demo";
import { RECOUNT_MISMATCHES } from "~/models/completion.server";

/**
 * The stored attendance counts (events.counted_sessions, registrations.attended_sessions and
 * excused_sessions) are kept by triggers. Whatever writes attendance or sessions — the grid,
 * check-in, imports, a hand-written statement — the stored values must equal a recount from the marks.
 */

const mismatches = () => getDb().$client.prepare(RECOUNT_MISMATCHES).all() as { kind: string; id: number }[];
const raw = () => getDb().$client;

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
  await seedDemo(getDb(), { today: new Date("2026-11-22T12:00:00Z") });
});

describe("stored attendance counts", () => {
  it("match a recount after the demo data is loaded (marks written through the app's own code)", () => {
    const stored = raw().prepare("select sum(attended_sessions) as a, sum(excused_sessions) as e from registrations").get() as { a: number; e: number };
    expect(stored.a).toBeGreaterThan(100); // the demo has real attendance
    expect(mismatches()).toEqual([]);
  });

  it("stay right through 400 random writes of every kind: marks, upserts, status changes, breaks, deletions", () => {
    const next = random(42);
    const pick = <T>(rows: T[]) => rows[Math.floor(next() * rows.length)];
    const statuses = ["present", "late", "absent", "excused"];
    const kinds = ["presentation", "break", "exercise"];
    const db = raw();
    const operations: Record<string, () => void> = {
      mark() {
        const session = pick(db.prepare("select id, event_id from event_sessions").all() as { id: number; event_id: number }[]);
        const registration = pick(db.prepare("select id from registrations where event_id = ?").all(session.event_id) as { id: number }[]);
        if (!registration) return;
        db.prepare(
          `insert into attendance (registration_id, session_id, status, recorded_at) values (?, ?, ?, 0)
           on conflict (registration_id, session_id) do update set status = excluded.status`,
        ).run(registration.id, session.id, pick(statuses));
      },
      changeStatus() {
        const mark = pick(db.prepare("select id from attendance").all() as { id: number }[]);
        if (mark) db.prepare("update attendance set status = ? where id = ?").run(pick(statuses), mark.id);
      },
      unmark() {
        const mark = pick(db.prepare("select id from attendance").all() as { id: number }[]);
        if (mark) db.prepare("delete from attendance where id = ?").run(mark.id);
      },
      changeKind() {
        const session = pick(db.prepare("select id from event_sessions").all() as { id: number }[]);
        db.prepare("update event_sessions set kind = ? where id = ?").run(pick(kinds), session.id);
      },
      addSession() {
        const session = pick(db.prepare("select * from event_sessions").all() as Record<string, unknown>[]);
        db.prepare("insert into event_sessions (event_id, title, kind, starts_at, ends_at) values (?, 'Extra', ?, ?, ?)").run(
          session.event_id,
          pick(kinds),
          session.starts_at,
          session.ends_at,
        );
      },
      deleteSession() {
        const session = pick(db.prepare("select id from event_sessions").all() as { id: number }[]);
        if (next() < 0.3) db.prepare("delete from event_sessions where id = ?").run(session.id);
      },
      deleteRegistration() {
        const registration = pick(db.prepare("select id from registrations where id not in (select registration_id from certificates)").all() as { id: number }[]);
        if (registration && next() < 0.2) db.prepare("delete from registrations where id = ?").run(registration.id);
      },
    };
    const names = Object.keys(operations);
    for (let i = 0; i < 400; i++) {
      operations[pick(names)]();
      if (i % 50 === 49) expect(mismatches(), `after operation ${i + 1}`).toEqual([]);
    }
    expect(mismatches()).toEqual([]);
  });

  it("are filled by migration 0007 from the marks already in a database", () => {
    const db = raw();
    // a database as it was before 0007: the counts at their default
    db.exec("update registrations set attended_sessions = 0, excused_sessions = 0; update events set counted_sessions = 0");
    expect(mismatches().length).toBeGreaterThan(0);
    const migration = fs.readFileSync("db/migrations/0007_stored_attendance_counts.sql", "utf8").split("--> statement-breakpoint");
    for (const statement of migration.filter((s) => /^\s*(--[^\n]*\n\s*)*UPDATE/i.test(s))) db.exec(statement);
    expect(mismatches()).toEqual([]);
  });

  it("follow an event's deletion (sessions and marks go with it)", async () => {
    const event = (await queryOne<{ id: number }>(getDb(), sql`select event_id as id from registrations group by event_id order by count(*) desc limit 1`))!;
    raw().prepare("delete from certificates where registration_id in (select id from registrations where event_id = ?)").run(event.id);
    raw().prepare("delete from events where id = ?").run(event.id);
    expect(mismatches()).toEqual([]);
  });
});
