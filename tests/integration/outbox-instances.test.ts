import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { eq, inArray } from "drizzle-orm";
import { getDb, firstRow, runRoundAlone } from "../../db/client";
import { emailOutbox } from "../../db/schema";
import { createTransport, deliverDueEmails, enqueueEmail, recoverInterruptedSends, SEND_LEASE_MS } from "~/models/outbox.server";
import { SMTPServer } from "smtp-server";
import { TestSmtp } from "../setup/mail";

/**
 * Several server instances share one outbox (on PostgreSQL: several machines). Each message is
 * claimed by one instance, with its name and the time, before it is handed to SMTP; start-up
 * recovery settles only what its own instance was sending, or claims older than the send lease.
 */
const smtp = new TestSmtp();

beforeAll(async () => {
  await smtp.start();
});

afterAll(async () => {
  await smtp.stop();
});

beforeEach(async () => {
  await getDb().delete(emailOutbox);
  smtp.received.length = 0;
});

async function queue(to: string, subject = "Hello") {
  return await enqueueEmail(getDb(), { kind: "test", to, subject, html: "<p>H</p>", text: "T" });
}

async function byMessageId(messageId: string) {
  return firstRow(await getDb().select().from(emailOutbox).where(eq(emailOutbox.messageId, messageId)).limit(1))!;
}

function deliver(instance: string, limit = 20) {
  return deliverDueEmails(getDb(), { transport: createTransport(smtp.url), from: "Convene <no-reply@localhost>", retryMs: 60_000, instance, limit });
}

/** A message as another instance leaves it while it is handing it to SMTP. */
async function inFlight(to: string, instance: string, claimedAt = new Date()) {
  const messageId = await queue(to);
  await getDb().update(emailOutbox).set({ status: "sending", attempts: 1, claimedBy: instance, claimedAt }).where(eq(emailOutbox.messageId, messageId));
  return messageId;
}

describe("the outbox shared by several instances", () => {
  it("sends each message once when two instances deliver at the same time, and records who sent it", async () => {
    const ids = await Promise.all(Array.from({ length: 30 }, (_, i) => queue(`officer${i}@immigration.example`, `Message ${i}`)));
    const [a, b] = await Promise.all([deliver("web-a:3000", 100), deliver("web-b:3000", 100)]);
    expect(a + b).toBe(30);
    const rows = await getDb().select().from(emailOutbox).where(inArray(emailOutbox.messageId, ids));
    expect(rows.map((r) => r.status)).toEqual(Array(30).fill("sent"));
    expect(rows.every((r) => r.attempts === 1 && (r.claimedBy === "web-a:3000" || r.claimedBy === "web-b:3000") && r.claimedAt instanceof Date)).toBe(true);
    // exactly one SMTP delivery per message
    const delivered = smtp.received.map((m) => /^Message-ID: (.+)$/im.exec(m.raw)![1].trim());
    expect(delivered.sort()).toEqual([...ids].sort());
  });

  it("leaves alone a message another instance is sending: neither sent again nor marked interrupted when an instance starts", async () => {
    const messageId = await inFlight("in-flight@immigration.example", "web-a:3000");
    // web-b starts (its start-up recovery), then delivers
    expect(await recoverInterruptedSends(getDb(), { instance: "web-b:3000" })).toBe(0);
    expect(await deliver("web-b:3000")).toBe(0);
    const row = await byMessageId(messageId);
    expect(row).toMatchObject({ status: "sending", claimedBy: "web-a:3000", lastError: null });
    expect(smtp.to("in-flight@immigration.example")).toHaveLength(0);
    // the periodic settling by any instance leaves it too, while its lease runs
    expect(await recoverInterruptedSends(getDb(), { at: new Date(Date.now() + SEND_LEASE_MS - 60_000) })).toBe(0);
    expect((await byMessageId(messageId)).status).toBe("sending");
  });

  it("marks interrupted what the starting instance itself was sending when it stopped", async () => {
    const mine = await inFlight("mine@immigration.example", "web-a:3000");
    const theirs = await inFlight("theirs@immigration.example", "web-b:3000");
    expect(await recoverInterruptedSends(getDb(), { instance: "web-a:3000" })).toBe(1);
    expect((await byMessageId(mine)).status).toBe("failed");
    expect((await byMessageId(theirs)).status).toBe("sending");
  });

  it("settles a claim older than the send lease (its instance went away), from any instance, as interrupted and never sent again", async () => {
    const claimedAt = new Date(Date.now() - SEND_LEASE_MS - 1000);
    const messageId = await inFlight("gone@immigration.example", "web-gone:3000", claimedAt);
    expect(await recoverInterruptedSends(getDb())).toBe(1);
    const row = await byMessageId(messageId);
    expect(row.status).toBe("failed");
    expect(row.lastError).toMatch(/Interrupted/);
    await deliver("web-b:3000");
    expect(smtp.to("gone@immigration.example")).toHaveLength(0);
  });

  it("records a late send truthfully, but never over a claim another instance has taken since", async () => {
    // an SMTP server that holds each message until released: web-a's send outlives its lease
    const slow = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS"],
      logger: false,
      onData(stream, _session, callback) {
        stream.on("data", () => {});
        stream.on("end", () => held.push(() => callback()));
      },
    });
    const held: (() => void)[] = [];
    await new Promise<void>((resolve) => slow.listen(0, "127.0.0.1", () => resolve()));
    const slowUrl = `smtp://127.0.0.1:${(slow.server.address() as { port: number }).port}`;
    try {
      const settledOnly = await queue("settled@immigration.example");
      const retried = await queue("retried@immigration.example");
      const sending = deliverDueEmails(getDb(), { transport: createTransport(slowUrl), from: "x@localhost", retryMs: 60_000, instance: "web-a:3000", limit: 2 });
      // web-a has claimed the first message and is handing it over
      await until(async () => held.length === 1);
      expect((await byMessageId(settledOnly)).status).toBe("sending");
      // its lease runs out: another instance settles it as interrupted
      expect(await recoverInterruptedSends(getDb(), { at: new Date(Date.now() + SEND_LEASE_MS + 1000) })).toBe(1);
      held[0]();
      await until(async () => held.length === 2);
      expect((await byMessageId(retried)).status).toBe("sending");
      expect(await recoverInterruptedSends(getDb(), { at: new Date(Date.now() + SEND_LEASE_MS + 1000) })).toBe(1);
      // an admin retries the second one and web-b sends it before web-a's send returns
      await getDb().update(emailOutbox).set({ status: "pending", nextAttemptAt: new Date() }).where(eq(emailOutbox.messageId, retried));
      expect(await deliver("web-b:3000")).toBe(1);
      held[1]();
      expect(await sending).toBe(2);
      // the first did go out: recorded as sent; the second's record stays web-b's
      expect(await byMessageId(settledOnly)).toMatchObject({ status: "sent", claimedBy: "web-a:3000", lastError: null });
      expect(await byMessageId(retried)).toMatchObject({ status: "sent", claimedBy: "web-b:3000", attempts: 2 });
    } finally {
      await new Promise<void>((resolve) => slow.close(() => resolve()));
    }
  });
});

/** Wait for a condition, at most 10 s. */
async function until(check: () => Promise<boolean>) {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("scheduled rounds", () => {
  it("run one at a time: a round started while the same one runs is skipped, another round is not", async () => {
    let release!: () => void;
    const blocked = new Promise<void>((resolve) => (release = resolve));
    const first = runRoundAlone(getDb(), "test-round", async () => {
      await blocked;
      return "first";
    });
    expect(await runRoundAlone(getDb(), "test-round", async () => "second")).toEqual({ ran: false });
    expect(await runRoundAlone(getDb(), "other-round", async () => "other")).toEqual({ ran: true, result: "other" });
    release();
    expect(await first).toEqual({ ran: true, result: "first" });
    // once it is over, the next round runs
    expect(await runRoundAlone(getDb(), "test-round", async () => "third")).toEqual({ ran: true, result: "third" });
  });
});
