import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { backupDatabase, getDb, openDatabase } from "../../db/client";
import { auditLog, events, gcmObjectives, organisations } from "../../db/schema";
import { recordAudit } from "~/models/audit.server";

describe("database", () => {
  it("loads the 23 GCM objectives as reference data", () => {
    const rows = getDb().select().from(gcmObjectives).all();
    expect(rows).toHaveLength(23);
    expect(rows.find((r) => r.id === 10)?.title).toBe(
      "Prevent, combat and eradicate trafficking in persons in the context of international migration",
    );
  });

  it("runs with WAL, foreign keys and a busy timeout", () => {
    const client = getDb().$client;
    expect(client.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(client.pragma("foreign_keys", { simple: true })).toBe(1);
    expect(client.pragma("busy_timeout", { simple: true })).toBe(5000);
  });

  it("enforces foreign keys and status constraints", () => {
    const db = getDb();
    const base = { title: "T", type: "training" as const, country: "BS", timeZone: "America/Nassau", startDate: "2026-01-01", endDate: "2026-01-02" };
    expect(() => db.insert(events).values({ ...base, programmeId: 9999 }).run()).toThrow(/FOREIGN KEY/);
    expect(() => db.insert(events).values({ ...base, status: "archived" as never }).run()).toThrow(/CHECK/);
    expect(() => db.insert(events).values({ ...base, startDate: "2026-02-01", endDate: "2026-01-01" }).run()).toThrow(/CHECK/);
    expect(() => db.insert(organisations).values({ name: "X", kind: "bank" as never }).run()).toThrow(/CHECK/);
  });

  it("keeps the audit log append-only", () => {
    const db = getDb();
    recordAudit(db, { userId: null, action: "test.entry" });
    expect(() => db.update(auditLog).set({ action: "tampered" }).run()).toThrow(/append-only/);
    expect(() => db.delete(auditLog).run()).toThrow(/append-only/);
    expect(db.select().from(auditLog).all().some((a) => a.action === "test.entry")).toBe(true);
  });

  it("is idempotent to migrate again, and a backup is a consistent usable copy", async () => {
    const file = process.env.DATABASE_PATH!;
    getDb().insert(organisations).values({ name: "Backup check", kind: "other" }).run();
    const again = openDatabase(file);
    expect(again.select().from(gcmObjectives).all()).toHaveLength(23);
    again.$client.close();
    const copy = path.join(path.dirname(file), `backup-${Date.now()}.db`);
    await backupDatabase(file, copy);
    const restored = openDatabase(copy, { migrate: false });
    expect(restored.all(sql`select name from organisations where name = 'Backup check'`)).toHaveLength(1);
    restored.$client.close();
    fs.rmSync(copy, { force: true });
  });
});
