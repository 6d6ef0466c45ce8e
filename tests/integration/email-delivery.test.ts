import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { SMTPServer } from "smtp-server";
import { getDb, firstRow } from "../../db/client";
import { emailOutbox } from "../../db/schema";
import { createTransport, deliverDueEmails, enqueueEmail, recoverInterruptedSends } from "~/models/outbox.server";
import { requestPasswordReset } from "~/models/accounts.server";
import { createUser } from "../setup/helpers";

/** A real SMTP server on 127.0.0.1 that records what it receives and can refuse some recipients. */
type Received = { from: string; to: string[]; raw: string };
const received: Received[] = [];
let failNext: { code: number; message: string } | null = null;
let port = 0;
let server: SMTPServer;

beforeAll(async () => {
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    onRcptTo(address, _session, callback) {
      if (address.address.endsWith("@bounce.example")) {
        const error = Object.assign(new Error("No such user here"), { responseCode: 550 });
        return callback(error);
      }
      callback();
    },
    onData(stream, session, callback) {
      let raw = "";
      stream.on("data", (chunk) => (raw += chunk.toString()));
      stream.on("end", () => {
        if (failNext) {
          const error = Object.assign(new Error(failNext.message), { responseCode: failNext.code });
          failNext = null;
          return callback(error);
        }
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  port = (server.server.address() as { port: number }).port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function transport() {
  return createTransport(`smtp://127.0.0.1:${port}`);
}

async function row(to: string) {
  return firstRow(await getDb().select().from(emailOutbox).where(eq(emailOutbox.toAddress, to)).limit(1))!;
}

describe("email delivery through SMTP", () => {
  it("delivers the password-reset email with its link, HTML and text parts, exactly once", async () => {
    await createUser({ role: "participant", email: "officer@immigration.example" });
    await requestPasswordReset("officer@immigration.example", "http://localhost:3000", null);
    expect((await row("officer@immigration.example")).status).toBe("pending");
    const sent = await deliverDueEmails(getDb(), { transport: transport(), from: "Convene <no-reply@localhost>", retryMs: 1000 });
    expect(sent).toBe(1);
    const message = received.find((m) => m.to.includes("officer@immigration.example"))!;
    expect(message.from).toBe("no-reply@localhost");
    expect(message.raw).toContain("Subject: Reset your Convene password");
    expect(message.raw).toContain("text/plain");
    expect(message.raw).toContain("text/html");
    expect(message.raw).toMatch(/reset-password\//);
    expect(message.raw).toContain(`Message-ID: ${(await row("officer@immigration.example")).messageId}`);
    expect((await row("officer@immigration.example")).status).toBe("sent");
    // a second round sends nothing again
    const before = received.length;
    await deliverDueEmails(getDb(), { transport: transport(), from: "x@localhost", retryMs: 1000 });
    expect(received.length).toBe(before);
  });

  it("retries a transient failure later with backoff, then delivers", async () => {
    await enqueueEmail(getDb(), { kind: "test", to: "retry@immigration.example", subject: "S", html: "<p>H</p>", text: "T" });
    failNext = { code: 451, message: "Try again later" };
    const t0 = Date.now();
    await deliverDueEmails(getDb(), { transport: transport(), from: "x@localhost", retryMs: 60_000 });
    const afterFailure = await row("retry@immigration.example");
    expect(afterFailure.status).toBe("pending");
    expect(afterFailure.attempts).toBe(1);
    expect(afterFailure.lastError).toMatch(/Try again later/);
    expect(afterFailure.nextAttemptAt.getTime()).toBeGreaterThanOrEqual(t0 + 60_000);
    // not due yet: nothing happens
    await deliverDueEmails(getDb(), { transport: transport(), from: "x@localhost", retryMs: 60_000 });
    expect((await row("retry@immigration.example")).attempts).toBe(1);
    // due now
    await getDb().update(emailOutbox).set({ nextAttemptAt: new Date(0) }).where(eq(emailOutbox.toAddress, "retry@immigration.example"));
    await deliverDueEmails(getDb(), { transport: transport(), from: "x@localhost", retryMs: 60_000 });
    expect((await row("retry@immigration.example")).status).toBe("sent");
    expect(received.filter((m) => m.to.includes("retry@immigration.example"))).toHaveLength(1);
  });

  it("gives up on a permanent failure (bad address) and marks it failed", async () => {
    await enqueueEmail(getDb(), { kind: "test", to: "nobody@bounce.example", subject: "S", html: "<p>H</p>", text: "T" });
    await deliverDueEmails(getDb(), { transport: transport(), from: "x@localhost", retryMs: 1000 });
    const failed = await row("nobody@bounce.example");
    expect(failed.status).toBe("failed");
    expect(failed.lastError).toMatch(/550|No such user/);
  });

  it("never sends twice a message that was being sent when the server stopped", async () => {
    await enqueueEmail(getDb(), { kind: "test", to: "crash@immigration.example", subject: "S", html: "<p>H</p>", text: "T" });
    await getDb().update(emailOutbox).set({ status: "sending", claimedBy: "web-1:3000", claimedAt: new Date() }).where(eq(emailOutbox.toAddress, "crash@immigration.example"));
    // the instance that was sending it starts again: nothing of its own can still be in flight
    expect(await recoverInterruptedSends(getDb(), { instance: "web-1:3000" })).toBe(1);
    await deliverDueEmails(getDb(), { transport: transport(), from: "x@localhost", retryMs: 1000 });
    expect((await row("crash@immigration.example")).status).toBe("failed");
    expect(received.filter((m) => m.to.includes("crash@immigration.example"))).toHaveLength(0);
  });

  it("keeps mail in the outbox when no SMTP server is configured", async () => {
    await createUser({ role: "participant", email: "kept@immigration.example" });
    await requestPasswordReset("kept@immigration.example", "http://localhost:3000", null);
    expect((await row("kept@immigration.example")).status).toBe("pending");
  });
});
