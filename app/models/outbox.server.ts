import crypto from "node:crypto";
import nodemailer, { type Transporter } from "nodemailer";
import { and, asc, eq, lte } from "drizzle-orm";
import type { DB } from "../../db/client";
import { emailOutbox } from "../../db/schema";
import type { EmailContent } from "@emails/layout";
import { now, nowMs } from "~/lib/clock";

type Writer = Pick<DB, "insert">;

/** Attempts after which a transiently failing message is given up. */
export const MAX_ATTEMPTS = 8;

/**
 * Queue an email. Call it inside the transaction of the change that causes the email, so the
 * change and its email are committed together or not at all.
 */
export function enqueueEmail(
  db: Writer,
  message: EmailContent & { kind: string; to: string; userId?: string | null },
) {
  const messageId = `<${crypto.randomUUID()}@convene>`;
  db.insert(emailOutbox)
    .values({
      kind: message.kind,
      toAddress: message.to,
      subject: message.subject,
      html: message.html,
      text: message.text,
      messageId,
      status: "pending",
      nextAttemptAt: now(),
      userId: message.userId ?? null,
    })
    .run();
  return messageId;
}

export function createTransport(smtpUrl: string): Transporter {
  return nodemailer.createTransport(smtpUrl);
}

/** SMTP 5xx replies (bad address, rejected) are permanent; everything else is worth retrying. */
function isPermanent(error: unknown) {
  const code = (error as { responseCode?: number }).responseCode;
  return typeof code === "number" && code >= 500 && code < 600;
}

/**
 * A message left in "sending" was being handed to the SMTP server when the process stopped: it may
 * or may not have gone out. It is marked failed (never sent a second time on its own); an admin
 * can check and retry it.
 */
export function recoverInterruptedSends(db: DB) {
  return db
    .update(emailOutbox)
    .set({ status: "failed", lastError: "Interrupted while sending: check the recipient's inbox before retrying." })
    .where(eq(emailOutbox.status, "sending"))
    .run().changes;
}

/** Deliver what is due. Each message is claimed (pending → sending) before it is handed to SMTP. */
export async function deliverDueEmails(
  db: DB,
  options: { transport: Transporter; from: string; retryMs: number; limit?: number },
) {
  const due = db
    .select()
    .from(emailOutbox)
    .where(and(eq(emailOutbox.status, "pending"), lte(emailOutbox.nextAttemptAt, now())))
    .orderBy(asc(emailOutbox.nextAttemptAt), asc(emailOutbox.id))
    .limit(options.limit ?? 20)
    .all();
  let sent = 0;
  for (const message of due) {
    const claimed = db
      .update(emailOutbox)
      .set({ status: "sending", attempts: message.attempts + 1 })
      .where(and(eq(emailOutbox.id, message.id), eq(emailOutbox.status, "pending")))
      .run().changes;
    if (!claimed) continue;
    try {
      await options.transport.sendMail({
        from: options.from,
        to: message.toAddress,
        subject: message.subject,
        html: message.html,
        text: message.text,
        messageId: message.messageId,
      });
      db.update(emailOutbox)
        .set({ status: "sent", sentAt: now(), lastError: null })
        .where(eq(emailOutbox.id, message.id))
        .run();
      sent++;
    } catch (error) {
      const attempts = message.attempts + 1;
      const permanent = isPermanent(error) || attempts >= MAX_ATTEMPTS;
      db.update(emailOutbox)
        .set({
          status: permanent ? "failed" : "pending",
          lastError: String((error as Error).message ?? error).slice(0, 1000),
          nextAttemptAt: new Date(nowMs() + options.retryMs * 2 ** (attempts - 1)),
        })
        .where(eq(emailOutbox.id, message.id))
        .run();
    }
  }
  return sent;
}
