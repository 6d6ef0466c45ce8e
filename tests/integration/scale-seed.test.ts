import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CELL_KEY_TABLES, generateScaleData, SCALE_BENCH_EVENTS, type ScaleResult } from "../../db/seed/scale";
import { RECOUNT_MISMATCHES } from "~/models/completion.server";

/**
 * The benchmark's data (db/seed/scale.ts) must be the same on every machine and every run, or
 * two benchmark results could not be compared; and its size must follow the scale.
 */
const dir = path.join(process.env.CONVENE_TEST_TMP ?? path.resolve("tests/.tmp"), `scale-${crypto.randomUUID()}`);
const TODAY = "2026-06-15";

/** A SHA-256 of a table's rows in id order (users excluded: the argon2 hash has a random salt). */
function checksum(file: string, table: string, orderBy = "rowid") {
  const db = new Database(file, { readonly: true });
  try {
    const hash = crypto.createHash("sha256");
    for (const row of db.prepare(`SELECT * FROM ${table} ORDER BY ${orderBy}`).iterate()) hash.update(JSON.stringify(row));
    return hash.digest("hex");
  } finally {
    db.close();
  }
}

function query<T>(file: string, sql: string, ...params: unknown[]): T {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(sql).get(...params) as T;
  } finally {
    db.close();
  }
}

let first: ScaleResult;
let second: ScaleResult;
let double: ScaleResult;

beforeAll(async () => {
  fs.mkdirSync(dir, { recursive: true });
  first = await generateScaleData({ scale: 0.01, out: path.join(dir, "a.db"), today: TODAY });
  second = await generateScaleData({ scale: 0.01, out: path.join(dir, "b.db"), today: TODAY });
  double = await generateScaleData({ scale: 0.02, out: path.join(dir, "c.db"), today: TODAY });
}, 60_000);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("scale data (db/seed/scale.ts)", () => {
  it("is deterministic: two runs write the same rows", () => {
    expect(second.counts).toEqual(first.counts);
    for (const table of ["people", "events", "event_sessions", "registrations", "attendance", "certificates", "action_plans", "action_plan_items", "action_plan_updates", "follow_up_requests", "knowledge_tests", "knowledge_test_options", "knowledge_test_attempts", "feedback_respondents"]) {
      expect(checksum(second.file, table), table).toBe(checksum(first.file, table));
    }
  });

  it("gives most held events a test with paired pre/post attempts and a closed feedback form with answers", () => {
    expect(checksum(second.file, "knowledge_test_answers", "attempt_id, option_id")).toBe(checksum(first.file, "knowledge_test_answers", "attempt_id, option_id"));
    expect(checksum(second.file, "feedback_answers", "id")).toBe(checksum(first.file, "feedback_answers", "id"));
    const held = query<{ n: number }>(first.file, "SELECT count(DISTINCT e.id) AS n FROM events e JOIN registrations r ON r.event_id = e.id WHERE e.status IN ('in_progress', 'completed', 'reported') AND r.status = 'confirmed' AND r.event_role = 'participant'").n;
    const tested = query<{ n: number }>(first.file, "SELECT count(*) AS n FROM knowledge_tests").n;
    expect(tested).toBeGreaterThan(held / 2);
    const paired = query<{ n: number }>(first.file, "SELECT count(*) AS n FROM knowledge_test_attempts a JOIN knowledge_test_attempts b ON b.registration_id = a.registration_id AND b.phase = 'post' WHERE a.phase = 'pre'").n;
    expect(paired).toBeGreaterThan(query<{ n: number }>(first.file, "SELECT count(*) AS n FROM knowledge_test_attempts WHERE phase = 'post'").n * 0.9);
    // scores go up on average, and the attempts are those of confirmed participants of the test's event
    const means = query<{ pre: number; post: number }>(first.file, "SELECT avg(CASE WHEN phase = 'pre' THEN correct * 1.0 / total END) AS pre, avg(CASE WHEN phase = 'post' THEN correct * 1.0 / total END) AS post FROM knowledge_test_attempts");
    expect(means.post).toBeGreaterThan(means.pre + 0.1);
    expect(query<{ n: number }>(first.file, "SELECT count(*) AS n FROM knowledge_test_attempts a JOIN knowledge_tests t ON t.id = a.test_id JOIN registrations r ON r.id = a.registration_id WHERE r.event_id <> t.event_id OR r.status <> 'confirmed'").n).toBe(0);
    // online attempts have an answer to every question; paper ones none
    expect(query<{ n: number }>(first.file, "SELECT count(*) AS n FROM knowledge_test_attempts a WHERE a.source = 'online' AND (SELECT count(DISTINCT question_id) FROM knowledge_test_answers x WHERE x.attempt_id = a.id) <> a.total").n).toBe(0);
    expect(query<{ n: number }>(first.file, "SELECT count(*) AS n FROM knowledge_test_answers x JOIN knowledge_test_attempts a ON a.id = x.attempt_id WHERE a.source = 'paper'").n).toBe(0);
    // the measured event has a test with online answers
    const big = query<{ n: number }>(first.file, "SELECT count(*) AS n FROM knowledge_test_attempts a JOIN knowledge_tests t ON t.id = a.test_id JOIN events e ON e.id = t.event_id WHERE e.title = ? AND a.source = 'online'", SCALE_BENCH_EVENTS.bigRoster).n;
    expect(big).toBeGreaterThan(0);
    // feedback: closed forms, as many answers as respondents, ratings 1–5
    expect(query<{ n: number }>(first.file, "SELECT count(*) AS n FROM feedback_forms WHERE closed_at IS NULL").n).toBe(0);
    expect(first.counts.feedback_answers).toBe(first.counts.feedback_respondents);
    expect(first.counts.feedback_answers).toBeGreaterThan(0);
    expect(double.counts.knowledge_test_attempts).toBeGreaterThan(first.counts.knowledge_test_attempts * 1.5);
  });

  it("has the nominal counts at a fractional scale", () => {
    expect(first.counts).toMatchObject({
      events: 20,
      people: 500,
      registrations: 600,
      action_plans: 200,
      follow_up_requests: 10,
      programmes: 1,
      users: 6,
    });
    // attendance for every session of every confirmed participant, nothing else
    const missing = query<{ n: number }>(
      first.file,
      `SELECT count(*) AS n FROM registrations r JOIN events e ON e.id = r.event_id JOIN event_sessions s ON s.event_id = e.id
       WHERE r.event_role = 'participant' AND r.status = 'confirmed' AND e.end_date < ?
         AND NOT EXISTS (SELECT 1 FROM attendance a WHERE a.registration_id = r.id AND a.session_id = s.id)`,
      TODAY,
    );
    expect(missing.n).toBe(0);
    const stray = query<{ n: number }>(
      first.file,
      `SELECT count(*) AS n FROM attendance a JOIN registrations r ON r.id = a.registration_id
       WHERE r.event_role <> 'participant' OR r.status <> 'confirmed'`,
    );
    expect(stray.n).toBe(0);
  });

  it("grows in proportion to the scale (users stay the six demo logins)", () => {
    for (const table of ["events", "people", "registrations", "action_plans", "follow_up_requests"] as const) {
      expect(double.counts[table], table).toBe(first.counts[table] * 2);
    }
    for (const table of ["event_sessions", "attendance", "certificates", "action_plan_items", "action_plan_updates"] as const) {
      const ratio = double.counts[table] / first.counts[table];
      expect(ratio, table).toBeGreaterThan(1.6);
      expect(ratio, table).toBeLessThan(2.4);
    }
    expect(double.counts.users).toBe(6);
  });

  it("holds the demo logins and the events the benchmark measures", () => {
    const logins = query<{ n: number }>(first.file, "SELECT count(*) AS n FROM users WHERE email LIKE '%@example.org' AND password_hash IS NOT NULL");
    expect(logins.n).toBe(6);
    const participant = query<{ n: number }>(
      first.file,
      "SELECT count(*) AS n FROM registrations r JOIN people p ON p.id = r.person_id JOIN users u ON u.id = p.user_id WHERE u.email = 'participant@example.org'",
    );
    expect(participant.n).toBeGreaterThanOrEqual(2);
    const partner = query<{ name: string }>(first.file, "SELECT o.name FROM users u JOIN organisations o ON o.id = u.organisation_id WHERE u.email = 'partner@example.org'");
    expect(partner.name).toBe("Bahamas Department of Immigration");
    const funded = query<{ n: number }>(
      first.file,
      "SELECT count(*) AS n FROM programme_funding f JOIN users u ON u.organisation_id = f.donor_organisation_id WHERE u.email = 'donor@example.org'",
    );
    expect(funded.n).toBeGreaterThanOrEqual(1);
    for (const title of Object.values(SCALE_BENCH_EVENTS)) {
      expect(query<{ n: number }>(first.file, "SELECT count(*) AS n FROM events WHERE title = ?", title).n, title).toBe(1);
    }
  });

  it("has stored attendance counts equal to a recount, and the triggers that keep them (dropped while loading)", () => {
    const db = new Database(first.file, { readonly: true });
    try {
      expect(db.prepare(RECOUNT_MISMATCHES).all()).toEqual([]);
      const attended = db.prepare("SELECT sum(attended_sessions) AS n FROM registrations").get() as { n: number };
      expect(attended.n).toBeGreaterThan(1000);
      const triggers = db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").all().map((r) => (r as { name: string }).name);
      expect(triggers).toEqual(expect.arrayContaining(["attendance_counts_insert", "event_sessions_counts_update", "registrations_reports_version_update", "programmes_reports_version_update", "action_plan_items_plans_version_update"]));
      expect(triggers.filter((t) => t.includes("_reports_version_"))).toHaveLength(42);
      expect(triggers.filter((t) => t.includes("_plans_version_"))).toHaveLength(15);
    } finally {
      db.close();
    }
  });

  it("gives every unit of a donor figure its own disclosure-control key, 0 to 99, written with the row", () => {
    for (const table of CELL_KEY_TABLES) {
      const keys = query<{ missing: number; outside: number; spread: number; n: number }>(
        first.file,
        `SELECT sum(cell_key IS NULL) AS missing, sum(cell_key < 0 OR cell_key > 99) AS outside, count(DISTINCT cell_key) AS spread, count(*) AS n FROM ${table}`,
      );
      expect(keys.n, table).toBeGreaterThan(0);
      expect(keys.missing, table).toBe(0);
      expect(keys.outside, table).toBe(0);
      // uniform keys: a table of a few dozen rows or more uses many of the hundred values
      expect(keys.spread, table).toBeGreaterThan(Math.min(50, keys.n / 3));
    }
    // the triggers that key rows added later are still there
    const db = new Database(first.file, { readonly: true });
    try {
      const triggers = db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%_cell_key_insert'").all();
      expect(triggers).toHaveLength(CELL_KEY_TABLES.length);
    } finally {
      db.close();
    }
  });

  it("refuses to overwrite an existing file unless told to", async () => {
    await expect(generateScaleData({ scale: 0.01, out: first.file, today: TODAY })).rejects.toThrow(/already exists/);
  });
});
