import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { firstRow, getDb } from "../../db/client";
import { programmes } from "../../db/schema";

/**
 * A transaction body awaits between its statements, and meanwhile other requests run: what they
 * do must neither land inside it nor see it half done, and it must not lose their updates.
 */
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

async function programmeNamed(name: string) {
  return firstRow(await getDb().select().from(programmes).where(eq(programmes.name, name)).limit(1));
}

describe("transactions on an asynchronous database", () => {
  it("are not seen half done by a read outside, and a write outside waits for the commit", async () => {
    const db = getDb();
    const order: string[] = [];
    let insideStarted!: () => void;
    const started = new Promise<void>((resolve) => (insideStarted = resolve));
    let goOn!: () => void;
    const outsideDone = new Promise<void>((resolve) => (goOn = resolve));
    // the transaction writes, then waits (a real await, other requests run) until the test has read
    const transaction: Promise<void> = db.transaction(async (tx) => {
      await tx.insert(programmes).values({ name: "Half done" });
      insideStarted();
      await outsideDone;
      await tick();
      order.push("transaction writes its second row");
      await tx.insert(programmes).values({ name: "Second half" });
    });
    await started;
    const seenDuring = await programmeNamed("Half done");
    const outside = db.insert(programmes).values({ name: "Written outside" }).then(() => order.push("outside write done"));
    await tick();
    order.push("outside write waiting");
    goOn();
    await Promise.all([transaction, outside]);
    expect(seenDuring).toBeUndefined();
    expect(order).toEqual(["outside write waiting", "transaction writes its second row", "outside write done"]);
    expect(await programmeNamed("Second half")).toBeDefined();
    expect(await programmeNamed("Written outside")).toBeDefined();
  });

  it("roll back everything when the body throws", async () => {
    await expect(
      getDb().transaction(async (tx) => {
        await tx.insert(programmes).values({ name: "Rolled back" });
        await tick();
        throw new Error("refused");
      }),
    ).rejects.toThrow("refused");
    expect(await programmeNamed("Rolled back")).toBeUndefined();
  });

  it("started again from inside one, become a savepoint of it", async () => {
    const db = getDb();
    await db.transaction(async (tx) => {
      await tx.insert(programmes).values({ name: "Outer kept" });
      await db
        .transaction(async (inner) => {
          await inner.insert(programmes).values({ name: "Inner undone" });
          throw new Error("inner refused");
        })
        .catch(() => undefined);
    });
    expect(await programmeNamed("Outer kept")).toBeDefined();
    expect(await programmeNamed("Inner undone")).toBeUndefined();
  });

  it("lose no update when many read, await and write the same row at once", async () => {
    const db = getDb();
    const [row] = await db.insert(programmes).values({ name: "Counter 0" }).returning();
    await Promise.all(
      Array.from({ length: 20 }, async () =>
        await db.transaction(async (tx) => {
          const current = firstRow(await tx.select().from(programmes).where(eq(programmes.id, row.id)).limit(1))!;
          await tick();
          const n = Number(current.name.split(" ")[1]);
          await tx.update(programmes).set({ name: `Counter ${n + 1}` }).where(eq(programmes.id, row.id));
        }),
      ),
    );
    expect((await programmeNamed("Counter 20"))?.id).toBe(row.id);
  });
});
