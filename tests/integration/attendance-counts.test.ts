import { beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { getDb, queryOne } from "../../db/client";
import { seedDemo } from "../../db/seed/demo";
import { RECOUNT_MISMATCHES } from "~/models/completion.server";
import { rawAll, rawGet, rawRun } from "../setup/helpers";

/**
 * The stored attendance counts (events.counted_sessions, registrations.attended_sessions and
 * excused_sessions) are kept by triggers. Whatever writes attendance or sessions — the grid,
 * check-in, imports, a hand-written statement — the stored values must equal a recount from the marks.
 */

const mismatches = () => rawAll<{ kind: string; id: number }>(RECOUNT_MISMATCHES);

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
  it("match a recount after the demo data is loaded (marks written through the app's own code)", async () => {
    const stored = (await rawGet<{ a: number; e: number }>("select sum(attended_sessions) as a, sum(excused_sessions) as e from registrations"))!;
    expect(Number(stored.a)).toBeGreaterThan(100); // the demo has real attendance
    expect(await mismatches()).toEqual([]);
  });

  it("stay right through 400 random writes of every kind: marks, upserts, status changes, breaks, deletions", async () => {
    const next = random(42);
    const pick = <T>(rows: T[]) => rows[Math.floor(next() * rows.length)];
    const statuses = ["present", "late", "absent", "excused"];
    const kinds = ["presentation", "break", "exercise"];
    const operations: Record<string, () => Promise<void>> = {
      async mark() {
        const session = pick(await rawAll<{ id: number; event_id: number }>("select id, event_id from event_sessions"));
        const registration = pick(await rawAll<{ id: number }>("select id from registrations where event_id = ?", session.event_id));
        if (!registration) return;
        await rawRun(
          `insert into attendance (registration_id, session_id, status, recorded_at) values (?, ?, ?, 0)
           on conflict (registration_id, session_id) do update set status = excluded.status`,
          registration.id, session.id, pick(statuses),
        );
      },
      async changeStatus() {
        const mark = pick(await rawAll<{ id: number }>("select id from attendance"));
        if (mark) await rawRun("update attendance set status = ? where id = ?", pick(statuses), mark.id);
      },
      async unmark() {
        const mark = pick(await rawAll<{ id: number }>("select id from attendance"));
        if (mark) await rawRun("delete from attendance where id = ?", mark.id);
      },
      async changeKind() {
        const session = pick(await rawAll<{ id: number }>("select id from event_sessions"));
        await rawRun("update event_sessions set kind = ? where id = ?", pick(kinds), session.id);
      },
      async addSession() {
        const session = pick(await rawAll<Record<string, unknown>>("select * from event_sessions"));
        await rawRun("insert into event_sessions (event_id, title, kind, starts_at, ends_at) values (?, 'Extra', ?, ?, ?)", 
          session.event_id,
          pick(kinds),
          session.starts_at,
          session.ends_at,
        );
      },
      async deleteSession() {
        const session = pick(await rawAll<{ id: number }>("select id from event_sessions"));
        if (next() < 0.3) await rawRun("delete from event_sessions where id = ?", session.id);
      },
      async deleteRegistration() {
        const registration = pick(await rawAll<{ id: number }>("select id from registrations where id not in (select registration_id from certificates)"));
        if (registration && next() < 0.2) await rawRun("delete from registrations where id = ?", registration.id);
      },
    };
    const names = Object.keys(operations);
    for (let i = 0; i < 400; i++) {
      await operations[pick(names)]();
      if (i % 50 === 49) expect(await mismatches(), `after operation ${i + 1}`).toEqual([]);
    }
    expect(await mismatches()).toEqual([]);
  });

  it("follow an event's deletion (sessions and marks go with it)", async () => {
    const event = (await queryOne<{ id: number }>(getDb(), sql`select event_id as id from registrations group by event_id order by count(*) desc limit 1`))!;
    await rawRun("delete from certificates where registration_id in (select id from registrations where event_id = ?)", event.id);
    await rawRun("delete from events where id = ?", event.id);
    expect(await mismatches()).toEqual([]);
  });
});
