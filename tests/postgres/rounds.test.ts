import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { getDb, readyDb, runRoundAlone } from "../../db/client";

/**
 * Scheduled rounds on PostgreSQL: one instance at a time runs each (a session advisory lock per
 * round). Another instance is played here by a connection of its own holding the round's lock.
 */
let other: pg.Client;

beforeAll(async () => {
  await readyDb();
  other = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await other.connect();
});

afterAll(async () => {
  await other.end();
});

const ROUND_LOCK_CLASS = 730_421;

describe("a scheduled round on PostgreSQL", () => {
  it("is skipped while another instance runs it, and runs once that one is done", async () => {
    await other.query("select pg_advisory_lock($1, hashtext($2))", [ROUND_LOCK_CLASS, "event-reminders"]);
    let ran = 0;
    expect(await runRoundAlone(getDb(), "event-reminders", async () => ++ran)).toEqual({ ran: false });
    // another round is not held up
    expect(await runRoundAlone(getDb(), "retention", async () => "done")).toEqual({ ran: true, result: "done" });
    await other.query("select pg_advisory_unlock($1, hashtext($2))", [ROUND_LOCK_CLASS, "event-reminders"]);
    expect(await runRoundAlone(getDb(), "event-reminders", async () => ++ran)).toEqual({ ran: true, result: 1 });
  });

  it("holds the lock while it runs and gives it back after, even when the round fails", async () => {
    const heldElsewhere = async () =>
      !(await other.query<{ ok: boolean }>("select pg_try_advisory_lock($1, hashtext($2)) as ok", [ROUND_LOCK_CLASS, "retention"])).rows[0].ok;
    let during = false;
    await runRoundAlone(getDb(), "retention", async () => {
      during = await heldElsewhere();
    });
    expect(during).toBe(true);
    await expect(runRoundAlone(getDb(), "retention", async () => { throw new Error("round failed"); })).rejects.toThrow("round failed");
    // free again: the other connection takes it at once (and gives it back)
    expect(await heldElsewhere()).toBe(false);
    await other.query("select pg_advisory_unlock($1, hashtext($2))", [ROUND_LOCK_CLASS, "retention"]);
  });
});
