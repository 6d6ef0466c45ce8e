import fs from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import type Database from "better-sqlite3";
import { getDb } from "../../db/client";
import { seedDemo } from "../../db/seed/demo";
import { RECOUNT_MISMATCHES } from "~/models/completion.server";

/**
 * The SQLite migration that added the stored attendance counts fills them from the marks already
 * in a database. (A PostgreSQL database starts at today's schema, its triggers in place before
 * the first row; a copied SQLite database brings its counts with it and the copy checks them.)
 */
const mismatches = (db: Database.Database) => db.prepare(RECOUNT_MISMATCHES).all() as { kind: string; id: number }[];

beforeAll(async () => {
  await seedDemo(getDb(), { today: new Date("2026-11-22T12:00:00Z") });
});

describe("stored attendance counts on SQLite", () => {
  it("are filled by migration 0007 from the marks already in a database", () => {
    const db = getDb().$client;
    // a database as it was before 0007: the counts at their default
    db.exec("update registrations set attended_sessions = 0, excused_sessions = 0; update events set counted_sessions = 0");
    expect(mismatches(db).length).toBeGreaterThan(0);
    const migration = fs.readFileSync("db/migrations/0007_stored_attendance_counts.sql", "utf8").split("--> statement-breakpoint");
    for (const statement of migration.filter((s) => /^\s*(--[^\n]*\n\s*)*UPDATE/i.test(s))) db.exec(statement);
    expect(mismatches(db)).toEqual([]);
  });
});
