import { describe, expect, it } from "vitest";
import { driverError, getDb } from "../../db/client";
import { auditLog, events, gcmObjectives, organisations } from "../../db/schema";
import { recordAudit } from "~/models/audit.server";

/** The database's own message for a refused write (drizzle wraps it with the SQL it ran). */
async function refusal(write: PromiseLike<unknown>) {
  try {
    await write;
  } catch (error) {
    return driverError(error)?.message ?? String(error);
  }
  return "accepted";
}

describe("database", () => {
  it("loads the 23 GCM objectives as reference data", async () => {
    const rows = await getDb().select().from(gcmObjectives);
    expect(rows).toHaveLength(23);
    expect(rows.find((r) => r.id === 10)?.title).toBe(
      "Prevent, combat and eradicate trafficking in persons in the context of international migration",
    );
  });

  it("enforces foreign keys and status constraints", async () => {
    const db = getDb();
    const base = { title: "T", type: "training" as const, country: "BS", timeZone: "America/Nassau", startDate: "2026-01-01", endDate: "2026-01-02" };
    expect(await refusal(db.insert(events).values({ ...base, programmeId: 9999 }))).toMatch(/FOREIGN KEY|foreign key constraint/);
    expect(await refusal(db.insert(events).values({ ...base, status: "archived" as never }))).toMatch(/CHECK|check constraint/);
    expect(await refusal(db.insert(events).values({ ...base, startDate: "2026-02-01", endDate: "2026-01-01" }))).toMatch(/CHECK|check constraint/);
    expect(await refusal(db.insert(organisations).values({ name: "X", kind: "bank" as never }))).toMatch(/CHECK|check constraint/);
  });

  it("keeps the audit log append-only", async () => {
    const db = getDb();
    await recordAudit(db, { userId: null, action: "test.entry" });
    expect(await refusal(db.update(auditLog).set({ action: "tampered" }))).toMatch(/append-only/);
    expect(await refusal(db.delete(auditLog))).toMatch(/append-only/);
    expect((await db.select().from(auditLog)).some((a) => a.action === "test.entry")).toBe(true);
  });
});
