import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { SMTPServer } from "smtp-server";
import { getDb, firstRow } from "../../db/client";
import { auditLog, emailOutbox } from "../../db/schema";
import * as outboxIndex from "~/routes/admin.outbox._index";
import * as outboxMessage from "~/routes/admin.outbox.$messageId";
import * as attachmentDownload from "~/routes/admin.outbox.$messageId_.attachments.$position";
import { createTransport, deliverDueEmails, enqueueEmail, recoverInterruptedSends } from "~/models/outbox.server";
import type { OutboxStatus } from "~/lib/domain";
import { call, createUser, makeRequest, sessionCookie, unwrap } from "../setup/helpers";

/** A real SMTP server on 127.0.0.1 that records what it receives. */
const received: { to: string[]; raw: string }[] = [];
let server: SMTPServer;
let port = 0;

beforeAll(async () => {
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    onData(stream, session, callback) {
      let raw = "";
      stream.on("data", (chunk) => (raw += chunk.toString()));
      stream.on("end", () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw });
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

async function deliver() {
  return await deliverDueEmails(getDb(), { transport: createTransport(`smtp://127.0.0.1:${port}`), from: "Convene <no-reply@localhost>", retryMs: 60_000 });
}

let sequence = 0;
/** An email in the outbox in a given state, written `minutesAgo` before a fixed instant (newest first is testable). */
async function email(input: { to: string; subject?: string; status?: OutboxStatus; attempts?: number; lastError?: string; minutesAgo?: number }) {
  sequence++;
  const db = getDb();
  const messageId = await enqueueEmail(db, {
    kind: "invitation",
    to: input.to,
    subject: input.subject ?? `Message ${sequence}`,
    html: `<!doctype html><html><body><p style="color:#1f2937">Hello <strong>${input.to}</strong></p></body></html>`,
    text: `Hello ${input.to}\n\nPlain text part ${sequence}`,
  });
  const createdAt = new Date(Date.UTC(2026, 0, 1) - (input.minutesAgo ?? 0) * 60_000 + sequence);
  await db.update(emailOutbox)
    .set({
      status: input.status ?? "pending",
      attempts: input.attempts ?? 0,
      lastError: input.lastError ?? null,
      sentAt: input.status === "sent" ? createdAt : null,
      createdAt,
    })
    .where(eq(emailOutbox.messageId, messageId));
  return firstRow(await db.select().from(emailOutbox).where(eq(emailOutbox.messageId, messageId)).limit(1))!;
}

async function row(id: number) {
  return firstRow(await getDb().select().from(emailOutbox).where(eq(emailOutbox.id, id)).limit(1))!;
}

async function adminCookie() {
  return await sessionCookie(await createUser({ role: "admin" }));
}

async function list(cookie: string, query = "") {
  return await call(outboxIndex.loader, makeRequest(`/admin/outbox${query}`, { cookie }));
}

async function search(cookie: string, form: Record<string, string>) {
  return await call(outboxIndex.action, makeRequest("/admin/outbox", { form, cookie }));
}

async function act(cookie: string, id: number, intent: string) {
  return await call(outboxMessage.action, makeRequest(`/admin/outbox/${id}`, { form: { intent }, cookie }), { messageId: String(id) });
}

async function audits(action: string, id: number) {
  return await getDb()
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, action), eq(auditLog.entityId, String(id))));
}

describe("admin: email outbox", () => {
  it("is for admins only: anonymous → login, other roles → 403, and nothing changes", async () => {
    const failed = await email({ to: "guarded@test.example", status: "failed", attempts: 2 });
    const anonymous = (await list("")) as Response;
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("Location")).toBe("/login?redirectTo=%2Fadmin%2Foutbox");
    const anonymousView = (await call(outboxMessage.loader, makeRequest(`/admin/outbox/${failed.id}`), { messageId: String(failed.id) })) as Response;
    expect(anonymousView.status).toBe(302);
    expect(anonymousView.headers.get("Location")).toBe(`/login?redirectTo=%2Fadmin%2Foutbox%2F${failed.id}`);
    for (const role of ["coordinator", "facilitator", "participant", "partner", "donor"] as const) {
      const cookie = await sessionCookie(await createUser({ role }));
      expect(((await list(cookie)) as Response).status).toBe(403);
      expect(((await search(cookie, { q: "guarded" })) as Response).status).toBe(403);
      const view = (await call(outboxMessage.loader, makeRequest(`/admin/outbox/${failed.id}`, { cookie }), { messageId: String(failed.id) })) as Response;
      expect(view.status).toBe(403);
      expect(((await act(cookie, failed.id, "retry")) as Response).status).toBe(403);
      expect(((await act(cookie, failed.id, "cancel")) as Response).status).toBe(403);
    }
    expect((await row(failed.id)).status).toBe("failed");
    expect(await audits("outbox.retry", failed.id)).toHaveLength(0);
  });

  it("lists emails newest first with a count per status, filters by status and searches by address or subject", async () => {
    const cookie = await adminCookie();
    const countsBefore = unwrap(await list(cookie)).data.result.counts;
    const waiting = await email({ to: "amara@immigration.example", subject: "You are invited to Convene", minutesAgo: 50 });
    const sending = await email({ to: "sending@test.example", status: "sending", minutesAgo: 40 });
    const sent = await email({ to: "bruno@police.example", subject: "Registration confirmed", status: "sent", attempts: 1, minutesAgo: 30 });
    const failed = await email({ to: "nobody@bounce.example", status: "failed", attempts: 1, lastError: "550 No such user", minutesAgo: 20 });
    const cancelled = await email({ to: "carla@labour.example", subject: "Reset your password", status: "cancelled", minutesAgo: 10 });

    const all = unwrap(await list(cookie)).data;
    expect(all.result.status).toBe("all");
    const mine = new Set([waiting.id, sending.id, sent.id, failed.id, cancelled.id]);
    const ids = all.result.rows.map((r: { id: number }) => r.id).filter((id: number) => mine.has(id));
    expect(ids).toEqual([cancelled.id, failed.id, sent.id, sending.id, waiting.id]);
    // "pending" counts the waiting email and the one being handed to SMTP
    expect(all.result.counts).toEqual({
      pending: countsBefore.pending + 2,
      sent: countsBefore.sent + 1,
      failed: countsBefore.failed + 1,
      cancelled: countsBefore.cancelled + 1,
      all: countsBefore.all + 5,
    });
    expect(all.result.total).toBe(all.result.counts.all);
    expect(all.result.tabs.map((t: { filter: string }) => t.filter)).toEqual(["pending", "sent", "failed", "cancelled", "all"]);
    // the list carries no message bodies
    expect(all.result.rows[0]).not.toHaveProperty("html");
    expect(all.result.rows[0]).not.toHaveProperty("text");

    const failedOnly = unwrap(await list(cookie, "?status=failed")).data.result;
    expect(failedOnly.rows.map((r: { id: number }) => r.id)).toContain(failed.id);
    expect(failedOnly.rows.every((r: { status: string }) => r.status === "failed")).toBe(true);
    expect(failedOnly.total).toBe(all.result.counts.failed);
    const pendingOnly = unwrap(await list(cookie, "?status=pending")).data.result;
    expect(pendingOnly.rows.map((r: { id: number }) => r.id)).toEqual(expect.arrayContaining([waiting.id, sending.id]));
    expect(pendingOnly.rows.every((r: { status: string }) => r.status === "pending" || r.status === "sending")).toBe(true);
    // an unknown status shows everything rather than failing
    expect(unwrap(await list(cookie, "?status=bogus")).data.result.status).toBe("all");

    // search by part of the address (case-insensitive) …
    const byAddress = unwrap(await search(cookie, { q: "AMARA@immigration", status: "all" })).data;
    expect(byAddress.q).toBe("AMARA@immigration");
    expect(byAddress.result.rows.map((r: { id: number }) => r.id)).toEqual([waiting.id]);
    expect(byAddress.result.counts).toEqual({ pending: 1, sent: 0, failed: 0, cancelled: 0, all: 1 });
    // … or of the subject, within a status tab
    const bySubject = unwrap(await search(cookie, { q: "registration confirmed", status: "sent" })).data.result;
    expect(bySubject.rows.map((r: { id: number }) => r.id)).toEqual([sent.id]);
    expect(unwrap(await search(cookie, { q: "registration confirmed", status: "failed" })).data.result.rows).toEqual([]);
    // the wildcards a user types are taken literally
    expect(unwrap(await search(cookie, { q: "%", status: "all" })).data.result.total).toBe(0);
    // an empty search is an ordinary list with a shareable address
    const cleared = (await search(cookie, { q: "  ", status: "failed" })) as Response;
    expect(cleared.status).toBe(302);
    expect(cleared.headers.get("Location")).toBe("/admin/outbox?status=failed");
  });

  it("pages 50 emails at a time", async () => {
    const cookie = await adminCookie();
    for (let i = 0; i < 55; i++) await email({ to: `bulk${i}@paging.example`, status: "cancelled", minutesAgo: 1000 + i });
    const first = unwrap(await search(cookie, { q: "@paging.example", status: "all" })).data.result;
    expect(first.total).toBe(55);
    expect(first.rows).toHaveLength(50);
    expect(first.pageCount).toBe(2);
    expect(first.rows[0].toAddress).toBe("bulk0@paging.example");
    const second = unwrap(await search(cookie, { q: "@paging.example", status: "all", page: "2" })).data.result;
    expect(second.page).toBe(2);
    expect(second.rows.map((r: { toAddress: string }) => r.toAddress)).toEqual(
      ["bulk50", "bulk51", "bulk52", "bulk53", "bulk54"].map((n) => `${n}@paging.example`),
    );
  });

  it("shows one email with its headers, its HTML and its text part, and says mail is kept without SMTP_URL", async () => {
    const cookie = await adminCookie();
    const user = await createUser({ role: "participant", name: "Dana Officer", email: "dana@immigration.example" });
    const message = await email({ to: "dana@immigration.example", subject: "You are invited to Convene" });
    await getDb().update(emailOutbox).set({ userId: user.id }).where(eq(emailOutbox.id, message.id));
    const view = unwrap(
      await call(outboxMessage.loader, makeRequest(`/admin/outbox/${message.id}`, { cookie }), { messageId: String(message.id) }),
    );
    expect(view.status).toBe(200);
    const shown = view.data.message;
    expect(shown.subject).toBe("You are invited to Convene");
    expect(shown.toAddress).toBe("dana@immigration.example");
    expect(shown.html).toContain("<strong>dana@immigration.example</strong>");
    expect(shown.text).toContain("Plain text part");
    expect(shown.kind).toBe("invitation");
    expect(shown.status).toBe("pending");
    expect(shown.messageId).toBe(message.messageId);
    expect(shown.userName).toBe("Dana Officer");
    expect(shown).toMatchObject({ canRetry: false, canCancel: true, interrupted: false });
    expect(view.data.from).toBe("Convene <no-reply@localhost>");
    expect(view.data.mailKept).toBe(true); // the tests run without SMTP_URL
    expect(unwrap(await list(cookie)).data.mailKept).toBe(true);

    const unknown = (await call(outboxMessage.loader, makeRequest("/admin/outbox/999999", { cookie }), { messageId: "999999" })) as Response;
    expect(unknown.status).toBe(404);
    const malformed = (await call(outboxMessage.loader, makeRequest("/admin/outbox/abc", { cookie }), { messageId: "abc" })) as Response;
    expect(malformed.status).toBe(404);
  });

  it("lists each attachment (name, type, size) with an admin-only download of the file as sent, and shows the extra headers", async () => {
    const cookie = await adminCookie();
    const ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n";
    const pdf = Buffer.from([0x25, 0x50, 0x44, 0x46, 0x2d, 0x31, 0x2e, 0x37, 0x0a, 0xff, 0x00]);
    const messageId = await enqueueEmail(getDb(), {
      kind: "event_reminder_week",
      to: "files@immigration.example",
      subject: "With files",
      html: "<p>Files</p>",
      text: "Files",
      attachments: [
        { filename: "event-7.ics", contentType: "text/calendar; charset=utf-8; method=PUBLISH", content: Buffer.from(ics).toString("base64") },
        { filename: "programme – été.pdf", contentType: "application/pdf", content: pdf.toString("base64") },
      ],
      headers: { "List-Unsubscribe": "<https://convene.example.org/email-preferences/unsubscribe?p=7&t=abc>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
    });
    const id = firstRow(await getDb().select().from(emailOutbox).where(eq(emailOutbox.messageId, messageId)).limit(1))!.id;
    const view = unwrap(await call(outboxMessage.loader, makeRequest(`/admin/outbox/${id}`, { cookie }), { messageId: String(id) }));
    expect(view.data.message.attachments).toEqual([
      { index: 0, filename: "event-7.ics", contentType: "text/calendar; charset=utf-8; method=PUBLISH", size: Buffer.byteLength(ics) },
      { index: 1, filename: "programme – été.pdf", contentType: "application/pdf", size: 11 },
    ]);
    expect(view.data.message.headers).toEqual([
      { name: "List-Unsubscribe", value: "<https://convene.example.org/email-preferences/unsubscribe?p=7&t=abc>" },
      { name: "List-Unsubscribe-Post", value: "List-Unsubscribe=One-Click" },
    ]);
    expect(JSON.stringify(view.data)).not.toContain(pdf.toString("base64")); // the page carries no file content

    const get = async (position: string, who = cookie) =>
      (await call(attachmentDownload.loader, makeRequest(`/admin/outbox/${id}/attachments/${position}`, { cookie: who }), {
        messageId: String(id),
        position,
      })) as Response;
    const first = await get("1");
    expect(first.status).toBe(200);
    expect(await first.text()).toBe(ics);
    expect(first.headers.get("Content-Disposition")).toBe(`attachment; filename="event-7.ics"; filename*=UTF-8''event-7.ics`);
    expect(first.headers.get("Content-Type")).toBe("application/octet-stream");
    const second = await get("2");
    expect(Buffer.from(await second.arrayBuffer())).toEqual(pdf);
    expect(second.headers.get("Content-Length")).toBe("11");
    expect(second.headers.get("Content-Disposition")).toContain(`filename*=UTF-8''${encodeURIComponent("programme – été.pdf")}`);
    for (const position of ["3", "0", "-1", "abc", "1.5"]) expect((await get(position)).status).toBe(404);
    // admins only
    const coordinator = await sessionCookie(await createUser({ role: "coordinator" }));
    expect((await get("1", coordinator)).status).toBe(403);
    const anonymous = (await call(attachmentDownload.loader, makeRequest(`/admin/outbox/${id}/attachments/1`), { messageId: String(id), position: "1" })) as Response;
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("Location")).toContain("/login");

    // a message without either shows empty lists
    const plain = await email({ to: "plain@immigration.example" });
    const plainView = unwrap(await call(outboxMessage.loader, makeRequest(`/admin/outbox/${plain.id}`, { cookie }), { messageId: String(plain.id) }));
    expect(plainView.data.message).toMatchObject({ attachments: [], headers: [] });
  });

  it("offers an attachment whose name holds a quote, CR LF or a bidirectional override with a valid header and a cleaned name", async () => {
    const cookie = await adminCookie();
    const messageId = await enqueueEmail(getDb(), {
      kind: "event_reminder_week",
      to: "odd-names@immigration.example",
      subject: "Odd names",
      html: "<p>Files</p>",
      text: "Files",
      attachments: [{ filename: 'a"b\r\nc\u202Egnp.exe', contentType: "application/pdf", content: Buffer.from("x").toString("base64") }],
    });
    const id = firstRow(await getDb().select().from(emailOutbox).where(eq(emailOutbox.messageId, messageId)).limit(1))!.id;
    const view = unwrap(await call(outboxMessage.loader, makeRequest(`/admin/outbox/${id}`, { cookie }), { messageId: String(id) }));
    expect(view.data.message.attachments[0].filename).toBe('a"bcgnp.exe');
    const response = (await call(attachmentDownload.loader, makeRequest(`/admin/outbox/${id}/attachments/1`, { cookie }), { messageId: String(id), position: "1" })) as Response;
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Disposition")).toBe(`attachment; filename="a_bcgnp.exe"; filename*=UTF-8''a%22bcgnp.exe`);
  });

  it("delivers the kept headers and attachments through SMTP as they are shown", async () => {
    const messageId = await enqueueEmail(getDb(), {
      kind: "event_reminder_day",
      to: "headers@immigration.example",
      subject: "Headers",
      html: "<p>H</p>",
      text: "H",
      attachments: [{ filename: "event-9.ics", contentType: "text/calendar; charset=utf-8", content: Buffer.from("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n").toString("base64") }],
      headers: { "List-Unsubscribe": "<https://convene.example.org/email-preferences/unsubscribe?u=x&t=y>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
    });
    await deliver();
    const got = received.filter((m) => m.to.includes("headers@immigration.example"));
    expect(got).toHaveLength(1);
    expect(got[0].raw).toContain(`Message-ID: ${messageId}`);
    const unfolded = got[0].raw.replace(/\r?\n[ \t]+/g, " "); // a long header may be folded over lines
    expect(unfolded).toMatch(/^List-Unsubscribe: <https:\/\/convene\.example\.org\/email-preferences\/unsubscribe\?u=x&t=y>\r?$/m);
    expect(unfolded).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r?$/m);
    expect(got[0].raw).toMatch(/filename=event-9\.ics|filename="event-9\.ics"/);
  });

  it("retries a failed email: pending and due now, attempts kept, audited, then delivered exactly once", async () => {
    const cookie = await adminCookie();
    const failed = await email({ to: "retry-me@immigration.example", status: "failed", attempts: 3, lastError: "550 Mailbox full" });
    await getDb().update(emailOutbox).set({ nextAttemptAt: new Date(Date.now() + 24 * 3600_000) }).where(eq(emailOutbox.id, failed.id));
    const before = Date.now();
    const response = (await act(cookie, failed.id, "retry")) as Response;
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe(`/admin/outbox/${failed.id}`);
    const retried = await row(failed.id);
    expect(retried.status).toBe("pending");
    expect(retried.attempts).toBe(3);
    expect(retried.nextAttemptAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(retried.nextAttemptAt.getTime()).toBeLessThanOrEqual(Date.now());
    const [entry] = await audits("outbox.retry", failed.id);
    expect(entry.entityType).toBe("email");
    expect(entry.details).toEqual({ from: "failed", to: "pending" });

    await deliver();
    expect((await row(failed.id)).status).toBe("sent");
    expect((await row(failed.id)).attempts).toBe(4);
    expect((await row(failed.id)).lastError).toBeNull();
    await deliver();
    const got = received.filter((m) => m.to.includes("retry-me@immigration.example"));
    expect(got).toHaveLength(1);
    expect(got[0].raw).toContain(`Message-ID: ${failed.messageId}`);
  });

  it("retries a cancelled email too, and warns before retrying one interrupted mid-send", async () => {
    const cookie = await adminCookie();
    const cancelled = await email({ to: "cancelled-then-retried@test.example", status: "cancelled" });
    expect(((await act(cookie, cancelled.id, "retry")) as Response).status).toBe(302);
    expect((await row(cancelled.id)).status).toBe("pending");

    const interrupted = await email({ to: "interrupted@test.example", status: "sending", attempts: 1 });
    await getDb().update(emailOutbox).set({ claimedBy: "web-1:3000", claimedAt: new Date() }).where(eq(emailOutbox.id, interrupted.id));
    // the instance that was sending it starts again
    await recoverInterruptedSends(getDb(), { instance: "web-1:3000" });
    const view = unwrap(
      await call(outboxMessage.loader, makeRequest(`/admin/outbox/${interrupted.id}`, { cookie }), { messageId: String(interrupted.id) }),
    ).data.message;
    expect(view).toMatchObject({ status: "failed", interrupted: true, canRetry: true });
  });

  it("cancels a waiting email, which is then never sent", async () => {
    const cookie = await adminCookie();
    const waiting = await email({ to: "cancel-me@immigration.example" });
    const response = (await act(cookie, waiting.id, "cancel")) as Response;
    expect(response.status).toBe(302);
    expect((await row(waiting.id)).status).toBe("cancelled");
    expect(await audits("outbox.cancel", waiting.id)).toHaveLength(1);
    await deliver();
    expect(received.filter((m) => m.to.includes("cancel-me@immigration.example"))).toHaveLength(0);
    expect((await row(waiting.id)).status).toBe("cancelled");
    expect((await row(waiting.id)).attempts).toBe(0);
  });

  it("refuses to retry or cancel a sent email (or cancel a cancelled one), with a clear message, and changes nothing", async () => {
    const cookie = await adminCookie();
    const sent = await email({ to: "already-sent@test.example", status: "sent", attempts: 1 });
    const snapshot = await row(sent.id);
    const retry = unwrap(await act(cookie, sent.id, "retry"));
    expect(retry.status).toBe(400);
    expect(retry.data.errors.form).toBe("outbox.errors.cannotRetry");
    expect(retry.data.values.status).toBe("sent");
    const cancel = unwrap(await act(cookie, sent.id, "cancel"));
    expect(cancel.status).toBe(400);
    expect(cancel.data.errors.form).toBe("outbox.errors.cannotCancel");
    expect(await row(sent.id)).toEqual(snapshot);
    expect(await audits("outbox.retry", sent.id)).toHaveLength(0);
    expect(await audits("outbox.cancel", sent.id)).toHaveLength(0);

    const cancelled = await email({ to: "already-cancelled@test.example", status: "cancelled" });
    expect(unwrap(await act(cookie, cancelled.id, "cancel")).data.errors.form).toBe("outbox.errors.cannotCancel");
    const pending = await email({ to: "still-waiting@test.example" });
    expect(unwrap(await act(cookie, pending.id, "retry")).data.errors.form).toBe("outbox.errors.cannotRetry");
    expect((await row(pending.id)).status).toBe("pending");

    expect(unwrap(await act(cookie, pending.id, "delete")).data.errors.form).toBe("errors.unknownAction");
    expect(((await act(cookie, 999999, "retry")) as Response).status).toBe(404);
  });
});
