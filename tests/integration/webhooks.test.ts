import crypto from "node:crypto";
import http from "node:http";
import net from "node:net";
import { and, asc, eq, isNull } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { firstRow, getDb } from "../../db/client";
import { emailOutbox, eventSessions, events, people, registrations, sessionFacilitators, users, webhookDeliveries, webhookSubscriptions } from "../../db/schema";
import { DEMO_EVENTS, seedDemo } from "../../db/seed/demo";
import type { Actor } from "~/auth/session.server";
import { resetConfig } from "~/config.server";
import { setClock } from "~/lib/clock";
import { checkWebhookUrl } from "~/lib/webhook-address.server";
import { DISABLE_AFTER_FAILURES, MAX_WEBHOOKS_PER_USER, WEBHOOK_EVENT_TYPES } from "~/lib/webhooks";
import { changeEventStatus } from "~/models/events.server";
import { FieldError } from "~/models/field-error.server";
import { MAX_ATTEMPTS } from "~/models/outbox-claims.server";
import { addToRoster, changeRegistrationStatus } from "~/models/registrations.server";
import { createApiToken } from "~/models/api-tokens.server";
import { recordAttendance } from "~/models/attendance.server";
import { deliverDueWebhooks, recoverInterruptedWebhooks } from "~/models/webhook-delivery.server";
import {
  createWebhook,
  deleteWebhook,
  getWebhook,
  InvalidWebhook,
  listWebhooks,
  retryWebhookDelivery,
  rotateWebhookSecret,
  sendWebhookPing,
  setPrivateAddressesAllowed,
  updateWebhook,
} from "~/models/webhooks.server";
import { emitWebhookEvent, webhookEvent } from "~/models/webhook-events.server";
import * as listPage from "~/routes/account_.webhooks._index";
import * as subscriptionPage from "~/routes/account_.webhooks.$subscriptionId";
import * as marksApi from "~/api/api.v1.events_.$eventId_.sessions_.$sessionId_.attendance";
import * as attendancePage from "~/routes/events.$eventId.attendance";
import * as sessionPage from "~/routes/events.$eventId.sessions.$sessionId";
import * as personPage from "~/routes/people.$personId";
import { call, createUser, makeRequest, rawAll, rawGet, sessionCookie, unwrap } from "../setup/helpers";
import { expectWebhookMatchesOpenApi } from "../setup/openapi";

/**
 * Webhooks: subscriptions of admins and coordinators, signed Standard Webhooks deliveries through
 * the outbox (a receiver down at first gets its message once, with the same webhook-id), the URL
 * rules against server-side request forgery (at save and at delivery, after resolving the name),
 * what each subscriber may receive, and who may manage subscriptions at all.
 */

const TODAY = new Date("2026-11-22T12:00:00Z");
let clock = TODAY.getTime();
const db = () => getDb();
const actors: Record<string, Actor> = {};
const cookies: Record<string, string> = {};
let openEventId = 0;
let draftEventId = 0;

async function actorOf(email: string): Promise<Actor> {
  const u = firstRow(await db().select().from(users).where(eq(users.email, email)).limit(1))!;
  return { user: { id: u.id, email: u.email, name: u.name, role: u.role, organisationId: u.organisationId, locale: u.locale }, ip: "127.0.0.1" };
}

// ——— a receiver on 127.0.0.1 ———

type Received = { headers: http.IncomingHttpHeaders; body: string; url: string };

class Receiver {
  server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (c: Buffer) => chunks.push(c));
    request.on("end", () => {
      this.received.push({ headers: request.headers, body: Buffer.concat(chunks).toString("utf8"), url: request.url ?? "" });
      const answer = this.answers.shift() ?? { status: 200, body: "ok" };
      response.writeHead(answer.status, answer.headers ?? { "Content-Type": "text/plain" });
      if (answer.hang) return; // never ends the answer
      response.end(answer.body ?? "");
    });
  });
  received: Received[] = [];
  answers: { status: number; body?: string; headers?: Record<string, string>; hang?: boolean }[] = [];
  port = 0;
  async start(port = 0) {
    await new Promise<void>((resolve) => this.server.listen(port, "127.0.0.1", () => resolve()));
    this.port = (this.server.address() as net.AddressInfo).port;
    return this;
  }
  async stop() {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
  url(path = "/hook") {
    return `http://127.0.0.1:${this.port}${path}`;
  }
}

const receivers: Receiver[] = [];
async function receiver(port = 0) {
  const r = await new Receiver().start(port);
  receivers.push(r);
  return r;
}

/** A port nothing listens on (taken, then released). */
async function closedPort() {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", () => resolve()));
  const port = (probe.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/**
 * The Standard Webhooks check, written here from the specification (not from Convene's code):
 * the key is the base64 after "whsec_"; the signed content is "id.timestamp.body"; the header holds
 * space-separated "v1,<base64 HMAC-SHA256>" signatures; the timestamp must be within 5 minutes.
 */
function verifyStandardWebhook(secret: string, headers: http.IncomingHttpHeaders, body: string, nowSeconds: number) {
  const id = String(headers["webhook-id"] ?? "");
  const timestamp = String(headers["webhook-timestamp"] ?? "");
  const signatures = String(headers["webhook-signature"] ?? "").split(" ");
  if (!id || !/^\d+$/.test(timestamp) || Math.abs(nowSeconds - Number(timestamp)) > 300) return false;
  expect(secret.startsWith("whsec_")).toBe(true);
  const key = Buffer.from(secret.slice("whsec_".length), "base64");
  const expected = crypto.createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest();
  return signatures.some((s) => {
    const [version, value] = s.split(",");
    const given = Buffer.from(value ?? "", "base64");
    return version === "v1" && given.length === expected.length && crypto.timingSafeEqual(given, expected);
  });
}

function deliver(instance = "web-a:3000", extra: Parameters<typeof deliverDueWebhooks>[1] extends infer O ? Partial<O> : never = {}) {
  return deliverDueWebhooks(db(), { retryMs: 30_000, instance, ...extra });
}

/** Move the clock past every delivery's next attempt. */
function later(ms: number) {
  clock += ms;
}

async function deliveriesOf(subscriptionId: number) {
  return await db().select().from(webhookDeliveries).where(eq(webhookDeliveries.subscriptionId, subscriptionId)).orderBy(webhookDeliveries.id);
}

let personCounter = 0;
function newPerson(status: "confirmed" | "applied" = "applied") {
  personCounter++;
  return {
    givenName: `Officer${personCounter}`,
    familyName: "Webhook",
    email: `officer${personCounter}@immigration.example`,
    phone: null,
    sex: null,
    organisationId: null,
    position: null,
    roleCategory: null,
    nationality: null,
    dietaryNeeds: null,
    accessibilityNeeds: null,
    eventRole: "participant" as const,
    status,
  } satisfies Parameters<typeof addToRoster>[2];
}

beforeAll(async () => {
  setClock(() => clock);
  await seedDemo(db(), { today: TODAY });
  for (const role of ["admin", "coordinator", "facilitator", "participant", "partner", "donor"]) {
    actors[role] = await actorOf(`${role}@example.org`);
    cookies[role] = await sessionCookie({ id: actors[role].user.id, role: actors[role].user.role });
  }
  const otherCoordinator = await createUser({ role: "coordinator", email: "coordinator2@test.example" });
  actors.coordinator2 = await actorOf(otherCoordinator.email);
  cookies.coordinator2 = await sessionCookie({ id: otherCoordinator.id, role: "coordinator" });
  openEventId = firstRow(await db().select({ id: events.id }).from(events).where(eq(events.title, DEMO_EVENTS.followUp)).limit(1))!.id;
  draftEventId = firstRow(await db().select({ id: events.id }).from(events).where(eq(events.title, DEMO_EVENTS.draft)).limit(1))!.id;
  // the receivers of these tests listen on 127.0.0.1
  await setPrivateAddressesAllowed(actors.admin, true);
});

beforeEach(async () => {
  await db().delete(webhookSubscriptions);
  clock += 60_000;
  // the tests move the clock by days: fresh sessions (staff sessions last 12 hours)
  for (const [name, actor] of Object.entries(actors)) cookies[name] = await sessionCookie({ id: actor.user.id, role: actor.user.role });
});

afterAll(async () => {
  for (const r of receivers) await r.stop();
});

async function subscribe(actor: Actor, url: string, eventTypes: string[] = [...WEBHOOK_EVENT_TYPES], name = "Monitoring") {
  return await createWebhook(actor, { name, url, eventTypes });
}

describe("a signed registration.created reaches a receiver exactly once", () => {
  it("also when the receiver was down for the first attempts: the same webhook-id on every attempt, a valid signature", async () => {
    const port = await closedPort();
    // created through the page, as a coordinator: the secret is shown once
    const created = unwrap(await call(listPage.action, makeRequest("/account/webhooks", {
      cookie: cookies.coordinator,
      form: { intent: "create", name: "DHIS2 sync", url: `http://127.0.0.1:${port}/convene`, eventTypes: ["registration.created"] },
    })));
    expect(created.status).toBe(200);
    const secret = created.data.created.secret as string;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice(6), "base64").length).toBeGreaterThanOrEqual(24);
    const subscriptionId = created.data.created.id as number;
    // the secret is stored encrypted, never as given
    const stored = (await rawGet<{ secret: string }>("select secret from webhook_subscriptions where id = ?", subscriptionId))!.secret;
    expect(stored).not.toContain(secret.slice(6, 30));
    expect(stored).toMatch(/^v1\.(db|env)\./);

    const registrationId = await addToRoster(actors.coordinator, openEventId, newPerson(), "http://localhost:3000");
    const [row] = await deliveriesOf(subscriptionId);
    expect(row).toMatchObject({ eventType: "registration.created", status: "pending", attempts: 0 });

    // 1: nothing listens on the port
    expect(await deliver()).toBe(0);
    let [state] = await deliveriesOf(subscriptionId);
    expect(state).toMatchObject({ status: "pending", attempts: 1, responseStatus: null });
    expect(state.lastError).toMatch(/ECONNREFUSED/);
    // not due yet: a round now sends nothing
    expect(await deliver()).toBe(0);
    expect((await deliveriesOf(subscriptionId))[0].attempts).toBe(1);

    // 2: the receiver is up but failing
    const up = await receiver(port);
    up.answers.push({ status: 503, body: "maintenance" });
    later(31_000);
    expect(await deliver()).toBe(0);
    [state] = await deliveriesOf(subscriptionId);
    expect(state).toMatchObject({ status: "pending", attempts: 2, responseStatus: 503, responseBody: "maintenance", lastError: "HTTP 503" });
    expect(state.nextAttemptAt.getTime()).toBe(clock + 60_000);

    // 3: it answers
    later(61_000);
    expect(await deliver()).toBe(1);
    const deliveredAt = Math.floor(clock / 1000);
    [state] = await deliveriesOf(subscriptionId);
    expect(state).toMatchObject({ status: "sent", attempts: 3, responseStatus: 200, lastError: null });

    // and never again
    later(3600_000);
    expect(await deliver()).toBe(0);
    expect(await deliver("web-b:3000")).toBe(0);
    expect(up.received).toHaveLength(2);
    const ids = up.received.map((r) => r.headers["webhook-id"]);
    expect(ids[0]).toBe(row.messageId);
    expect(ids[1]).toBe(row.messageId);
    const last = up.received[1];
    expect(last.url).toBe("/convene");
    expect(last.headers["content-type"]).toBe("application/json");
    expect(verifyStandardWebhook(secret, last.headers, last.body, deliveredAt)).toBe(true);
    // a tampered body, another secret, or a replay an hour later does not verify
    expect(verifyStandardWebhook(secret, last.headers, last.body.replace("registration", "Registration"), deliveredAt)).toBe(false);
    expect(verifyStandardWebhook(`whsec_${crypto.randomBytes(32).toString("base64")}`, last.headers, last.body, deliveredAt)).toBe(false);
    expect(verifyStandardWebhook(secret, last.headers, last.body, Math.floor(clock / 1000))).toBe(false);
    const payload = expectWebhookMatchesOpenApi(last.body);
    const personId = (await rawGet<{ person_id: number }>("select person_id from registrations where id = ?", registrationId))!.person_id;
    expect(payload).toEqual({
      type: "registration.created",
      timestamp: expect.any(String),
      data: { registrationId, eventId: openEventId, personId, status: "applied", eventRole: "participant", source: "roster" },
    });
  });

  it("never sends one row twice when two instances deliver at the same time", async () => {
    const r = await receiver();
    const { id } = await subscribe(actors.admin, r.url(), ["event.status_changed"]);
    for (let i = 0; i < 40; i++) await emitWebhookEvent(db(), webhookEvent.eventStatusChanged({ eventId: openEventId, from: "open", to: "in_progress" }));
    const [a, b] = await Promise.all([deliver("web-a:3000", { limit: 100, concurrency: 4 }), deliver("web-b:3000", { limit: 100, concurrency: 4 })]);
    expect(a + b).toBe(40);
    const rows = await deliveriesOf(id);
    expect(rows.every((row) => row.status === "sent" && row.attempts === 1)).toBe(true);
    const received = r.received.map((x) => String(x.headers["webhook-id"]));
    expect(received).toHaveLength(40);
    expect(new Set(received).size).toBe(40);
    expect(received.sort()).toEqual(rows.map((row) => row.messageId).sort());
  });

  it("a delivery interrupted mid-send is marked failed, never sent again on its own, and can be sent again by hand with its webhook-id", async () => {
    const r = await receiver();
    const { id } = await subscribe(actors.coordinator, r.url(), ["event.status_changed"]);
    await emitWebhookEvent(db(), webhookEvent.eventStatusChanged({ eventId: openEventId, from: "open", to: "in_progress" }));
    const [row] = await deliveriesOf(id);
    await db().update(webhookDeliveries).set({ status: "sending", attempts: 1, claimedBy: "web-a:3000", claimedAt: new Date(clock) }).where(eq(webhookDeliveries.id, row.id));
    expect(await recoverInterruptedWebhooks(db(), { instance: "web-b:3000" })).toBe(0);
    expect(await recoverInterruptedWebhooks(db(), { instance: "web-a:3000" })).toBe(1);
    expect(await deliver()).toBe(0);
    expect(r.received).toHaveLength(0);
    await retryWebhookDelivery(actors.coordinator, id, row.id);
    expect(await deliver()).toBe(1);
    expect(r.received.map((x) => x.headers["webhook-id"])).toEqual([row.messageId]);
    // another coordinator cannot retry it (the subscription is not theirs: not found)
    await expect(retryWebhookDelivery(actors.coordinator2, id, row.id)).rejects.toMatchObject({ status: 404 });
  });
});

describe("answers and failures", () => {
  it("a redirect is not followed: the delivery fails, the address it points to gets nothing", async () => {
    const elsewhere = await receiver();
    const r = await receiver();
    r.answers.push({ status: 302, headers: { Location: elsewhere.url("/stolen") } });
    const { id } = await subscribe(actors.coordinator, r.url(), ["event.status_changed"]);
    await emitWebhookEvent(db(), webhookEvent.eventStatusChanged({ eventId: openEventId, from: "open", to: "in_progress" }));
    await deliver();
    const [row] = await deliveriesOf(id);
    expect(row).toMatchObject({ status: "failed", attempts: 1, responseStatus: 302 });
    expect(row.lastError).toMatch(/redirects are not followed/);
    expect(elsewhere.received).toHaveLength(0);
  });

  it("a 4xx fails at once; 429 waits at least its Retry-After; 408 and 5xx are retried until the attempts run out", async () => {
    const r = await receiver();
    const { id } = await subscribe(actors.coordinator, r.url(), ["event.status_changed"]);
    r.answers.push({ status: 400, body: "bad" }, { status: 429, headers: { "Retry-After": "900" } });
    await emitWebhookEvent(db(), webhookEvent.eventStatusChanged({ eventId: openEventId, from: "open", to: "in_progress" }));
    await emitWebhookEvent(db(), webhookEvent.eventStatusChanged({ eventId: openEventId, from: "in_progress", to: "completed" }));
    await deliver("web-a:3000", { concurrency: 1 });
    let [first, second] = await deliveriesOf(id);
    expect(first).toMatchObject({ status: "failed", attempts: 1, responseStatus: 400, responseBody: "bad" });
    expect(second).toMatchObject({ status: "pending", attempts: 1, responseStatus: 429 });
    expect(second.nextAttemptAt.getTime()).toBe(clock + 900_000);
    // 500s until the last attempt
    for (let attempt = 2; attempt <= MAX_ATTEMPTS; attempt++) {
      r.answers.push({ status: attempt % 2 === 0 ? 500 : 408 });
      later(24 * 3600_000);
      await deliver();
    }
    [first, second] = await deliveriesOf(id);
    expect(second).toMatchObject({ status: "failed", attempts: MAX_ATTEMPTS });
    expect(r.received).toHaveLength(1 + MAX_ATTEMPTS);
  });

  it("keeps at most 4 kB of an answer, and gives up waiting after the timeout", async () => {
    const r = await receiver();
    r.answers.push({ status: 200, body: "x".repeat(1024 * 1024) }, { status: 200, hang: true });
    const { id } = await subscribe(actors.coordinator, r.url(), ["event.status_changed"]);
    await emitWebhookEvent(db(), webhookEvent.eventStatusChanged({ eventId: openEventId, from: "open", to: "in_progress" }));
    await emitWebhookEvent(db(), webhookEvent.eventStatusChanged({ eventId: openEventId, from: "in_progress", to: "completed" }));
    await deliver("web-a:3000", { concurrency: 1, timeoutMs: 500 });
    const [big, hanging] = await deliveriesOf(id);
    expect(big.status).toBe("sent");
    expect(big.responseBody!.length).toBe(4096);
    expect(hanging).toMatchObject({ status: "pending", attempts: 1 });
    expect(hanging.lastError).toMatch(/no answer within 0.5 s/);
  });

  it(`pauses a subscription after ${DISABLE_AFTER_FAILURES} failed deliveries in a row and tells its owner by email`, async () => {
    const r = await receiver();
    const { id } = await subscribe(actors.coordinator, r.url(), ["event.status_changed"], "Failing sync");
    await db().update(webhookSubscriptions).set({ consecutiveFailures: DISABLE_AFTER_FAILURES - 1 }).where(eq(webhookSubscriptions.id, id));
    r.answers.push({ status: 410 });
    await emitWebhookEvent(db(), webhookEvent.eventStatusChanged({ eventId: openEventId, from: "open", to: "in_progress" }));
    await deliver();
    const subscription = firstRow(await db().select().from(webhookSubscriptions).where(eq(webhookSubscriptions.id, id)).limit(1))!;
    expect(subscription.disabledAt).not.toBeNull();
    const mail = firstRow(await db().select().from(emailOutbox).where(and(eq(emailOutbox.kind, "webhook_disabled"), eq(emailOutbox.toAddress, "coordinator@example.org"))).limit(1));
    expect(mail?.subject).toContain("Failing sync");
    // paused: new events are not queued for it
    await emitWebhookEvent(db(), webhookEvent.eventStatusChanged({ eventId: openEventId, from: "in_progress", to: "completed" }));
    expect(await deliveriesOf(id)).toHaveLength(1);
    expect((await getWebhook(actors.coordinator, id)).subscription.state).toBe("disabled");
    // resumed by its owner: active again, the count starts over
    await updateWebhook(actors.coordinator, id, { name: "Failing sync", url: r.url(), eventTypes: ["event.status_changed"], active: true });
    const resumed = firstRow(await db().select().from(webhookSubscriptions).where(eq(webhookSubscriptions.id, id)).limit(1))!;
    expect(resumed).toMatchObject({ active: true, disabledAt: null, consecutiveFailures: 0 });
  });

  it("a paused subscription's waiting deliveries are cancelled, not sent", async () => {
    const r = await receiver();
    const { id } = await subscribe(actors.coordinator, r.url(), ["event.status_changed"]);
    await emitWebhookEvent(db(), webhookEvent.eventStatusChanged({ eventId: openEventId, from: "open", to: "in_progress" }));
    await updateWebhook(actors.coordinator, id, { name: "Monitoring", url: r.url(), eventTypes: ["event.status_changed"], active: false });
    await deliver();
    expect((await deliveriesOf(id))[0]).toMatchObject({ status: "cancelled" });
    expect(r.received).toHaveLength(0);
  });
});

describe("the URL rules", () => {
  const dev = { production: false, allowPrivate: false };

  it("refuse at save time every private, loopback, link-local, shared, reserved and multicast range, in every spelling", () => {
    const refused: [string, string][] = [
      ["https://10.0.0.1/hook", "private"],
      ["https://172.16.5.4/hook", "private"],
      ["https://172.31.255.255/hook", "private"],
      ["https://192.168.1.20/hook", "private"],
      ["https://127.0.0.1/hook", "private"],
      ["https://127.1.2.3/hook", "private"],
      ["https://0x7f.1/hook", "private"],
      ["https://2130706433/hook", "private"],
      ["https://017700000001/hook", "private"],
      ["https://localhost/hook", "private"],
      ["https://api.localhost/hook", "private"],
      ["https://169.254.10.10/hook", "private"],
      ["https://100.64.0.1/hook", "private"],
      ["https://100.127.255.254/hook", "private"],
      ["https://[::1]/hook", "private"],
      ["https://[fd12:3456::1]/hook", "private"],
      ["https://[fc00::1]/hook", "private"],
      ["https://[fe80::1]/hook", "private"],
      ["https://[::ffff:10.0.0.1]/hook", "private"],
      ["https://[::ffff:7f00:1]/hook", "private"],
      ["https://[::ffff:192.168.0.1]/hook", "private"],
      ["https://[64:ff9b::a00:1]/hook", "private"],
      ["https://169.254.169.254/latest/meta-data", "never"],
      ["https://[::ffff:169.254.169.254]/", "never"],
      ["https://[fd00:ec2::254]/", "never"],
      ["https://0.0.0.0/hook", "never"],
      ["https://0.1.2.3/hook", "never"],
      ["https://224.0.0.1/hook", "never"],
      ["https://239.255.255.250/hook", "never"],
      ["https://255.255.255.255/hook", "never"],
      ["https://[ff02::1]/hook", "never"],
      ["https://[::]/hook", "never"],
      ["http://receiver.example.org/hook", "scheme"],
      ["ftp://receiver.example.org/hook", "scheme"],
      ["javascript:alert(1)", "scheme"],
      ["file:///etc/passwd", "scheme"],
      ["https://user:pass@receiver.example.org/hook", "credentials"],
      ["https://user@receiver.example.org/hook", "credentials"],
      ["not a url", "invalid"],
      ["", "invalid"],
      [`https://receiver.example.org/${"a".repeat(2001)}`, "invalid"],
      ["https://receiver.example.org/ho\nok", "invalid"],
    ];
    for (const [url, reason] of refused) expect({ url, result: checkWebhookUrl(url, dev) }).toEqual({ url, result: { ok: false, reason } });
    for (const url of ["https://receiver.example.org/hook", "https://203.0.113.10:8443/convene?x=1", "https://[2001:db8::1]/hook", "https://8.8.8.8/"]) {
      expect(checkWebhookUrl(url, dev).ok).toBe(true);
    }
    // an administrator's allowance opens the private ranges, never the others
    const allowed = { production: false, allowPrivate: true };
    expect(checkWebhookUrl("https://10.0.0.1/hook", allowed).ok).toBe(true);
    expect(checkWebhookUrl("http://127.0.0.1:8080/hook", allowed).ok).toBe(true);
    expect(checkWebhookUrl("https://169.254.169.254/", allowed)).toEqual({ ok: false, reason: "never" });
    expect(checkWebhookUrl("http://10.0.0.1/hook", allowed)).toEqual({ ok: false, reason: "scheme" });
    // in production, plain http never, not even to this machine
    expect(checkWebhookUrl("http://127.0.0.1:8080/hook", { production: true, allowPrivate: true })).toEqual({ ok: false, reason: "scheme" });
  });

  it("the form says why, next to the address, and keeps what was typed; nothing is created", async () => {
    await setPrivateAddressesAllowed(actors.admin, false);
    try {
      const typed = { intent: "create", name: "Internal", url: "https://192.168.10.5/convene", eventTypes: ["attendance.recorded", "certificate.issued"] };
      const result = unwrap(await call(listPage.action, makeRequest("/account/webhooks", { cookie: cookies.coordinator, form: typed })));
      expect(result.status).toBe(400);
      expect(result.data.errors).toEqual({ url: "webhooks.errors.private" });
      expect(result.data.values).toEqual({ name: "Internal", url: "https://192.168.10.5/convene", eventTypes: ["attendance.recorded", "certificate.issued"] });
      const several = unwrap(await call(listPage.action, makeRequest("/account/webhooks", { cookie: cookies.coordinator, form: { intent: "create", name: "", url: "http://receiver.example.org/", eventTypes: ["nope"] } })));
      expect(several.data.errors).toEqual({ name: "webhooks.errors.name", url: "webhooks.errors.scheme", eventTypes: "webhooks.errors.eventTypes" });
      expect(await rawAll("select id from webhook_subscriptions")).toEqual([]);
    } finally {
      await setPrivateAddressesAllowed(actors.admin, true);
    }
  });

  it("in production, http is refused even for this machine", async () => {
    const before = process.env.NODE_ENV;
    process.env.NODE_ENV = "production";
    resetConfig();
    try {
      await expect(subscribe(actors.admin, "http://127.0.0.1:8080/hook")).rejects.toMatchObject({ errors: { url: "webhooks.errors.scheme" } });
    } finally {
      process.env.NODE_ENV = before;
      resetConfig();
    }
  });

  it("at delivery, a name that now resolves to a private address is refused (DNS rebinding); the address checked is the one connected to", async () => {
    await setPrivateAddressesAllowed(actors.admin, false);
    try {
      // saved while the name resolved to a public address
      const publicLookup = async () => [{ address: "93.184.216.34", family: 4 as const }];
      const { id } = await createWebhook(actors.coordinator, { name: "Rebound", url: "https://receiver.example.org/hook", eventTypes: ["event.status_changed"] }, publicLookup);
      // a save while it resolves to a private one is refused
      await expect(
        createWebhook(actors.coordinator, { name: "Rebound", url: "https://receiver.example.org/hook", eventTypes: ["event.status_changed"] }, async () => [{ address: "10.0.0.7", family: 4 }]),
      ).rejects.toMatchObject({ errors: { url: "webhooks.errors.private" } });
      await emitWebhookEvent(db(), webhookEvent.eventStatusChanged({ eventId: openEventId, from: "open", to: "in_progress" }));
      // one public and one private answer: refused too
      const lookups: string[] = [];
      await deliver("web-a:3000", { lookup: async (host) => (lookups.push(host), [{ address: "93.184.216.34", family: 4 }, { address: "::ffff:192.168.0.9", family: 6 }]) });
      const [row] = await deliveriesOf(id);
      expect(row).toMatchObject({ status: "failed", attempts: 1, responseStatus: null });
      expect(row.lastError).toBe("receiver.example.org resolves to an address that is not allowed (private).");
      // which internal address a name has is not shown to the subscriber
      expect(lookups).toEqual(["receiver.example.org"]);
    } finally {
      await setPrivateAddressesAllowed(actors.admin, true);
    }
  });

  it("connects to the address the name resolved to, once, and names the host in TLS (no second resolution)", async () => {
    // a TCP listener standing in for the receiver: it sees the connection and the TLS greeting
    const hellos: Buffer[] = [];
    const listener = net.createServer((socket) => {
      socket.once("data", (chunk: Buffer) => {
        hellos.push(chunk);
        socket.destroy();
      });
    });
    await new Promise<void>((resolve) => listener.listen(0, "127.0.0.1", () => resolve()));
    const port = (listener.address() as net.AddressInfo).port;
    try {
      const lookups: string[] = [];
      const lookup = async (host: string) => (lookups.push(host), [{ address: "127.0.0.1", family: 4 as const }]);
      const { id } = await createWebhook(actors.admin, { name: "Named", url: `https://receiver.convene.test:${port}/hook`, eventTypes: ["event.status_changed"] }, lookup);
      lookups.length = 0;
      await emitWebhookEvent(db(), webhookEvent.eventStatusChanged({ eventId: openEventId, from: "open", to: "in_progress" }));
      await deliver("web-a:3000", { lookup });
      expect(lookups).toEqual(["receiver.convene.test"]);
      expect(hellos).toHaveLength(1);
      // the ClientHello names the host (SNI): the certificate is checked against the name, not the address
      expect(hellos[0].includes(Buffer.from("receiver.convene.test"))).toBe(true);
      expect((await deliveriesOf(id))[0]).toMatchObject({ status: "pending", attempts: 1 });
    } finally {
      await new Promise<void>((resolve) => listener.close(() => resolve()));
    }
  });
});

describe("what a subscription receives", () => {
  it("only the event types it chose; the change and its deliveries are committed together (a refused change queues nothing)", async () => {
    const r = await receiver();
    const { id } = await subscribe(actors.coordinator, r.url(), ["registration.status_changed"]);
    await addToRoster(actors.coordinator, openEventId, newPerson(), "http://localhost:3000");
    expect(await deliveriesOf(id)).toHaveLength(0);
    const person = newPerson();
    const registrationId = await addToRoster(actors.coordinator, openEventId, person, "http://localhost:3000");
    // the same person again: refused, nothing queued
    await expect(addToRoster(actors.coordinator, openEventId, { ...person, status: "applied" }, "http://localhost:3000")).rejects.toBeInstanceOf(FieldError);
    expect(await deliveriesOf(id)).toHaveLength(0);
    await changeRegistrationStatus(actors.coordinator, openEventId, [registrationId], "declined", "http://localhost:3000");
    const rows = await deliveriesOf(id);
    expect(rows.map((row) => row.eventType)).toEqual(["registration.status_changed"]);
    expect(JSON.parse(rows[0].payload).data).toMatchObject({ registrationId, eventId: openEventId, from: "applied", to: "declined" });
  });

  it("payloads carry ids, statuses and times only: no name, email or typed text, for admins and coordinators alike", async () => {
    const r = await receiver();
    const admin = await subscribe(actors.admin, r.url());
    const coordinator = await subscribe(actors.coordinator, r.url());
    const person = newPerson("confirmed");
    const registrationId = await addToRoster(actors.coordinator, openEventId, person, "http://localhost:3000");
    await changeRegistrationStatus(actors.coordinator, openEventId, [registrationId], "cancelled", "http://localhost:3000");
    await changeEventStatus(actors.coordinator, draftEventId, "open", { registrationClosesAt: "2027-01-10T17:00" });
    const currentId = firstRow(await db().select({ id: events.id }).from(events).where(eq(events.title, DEMO_EVENTS.current)).limit(1))!.id;
    const session = (await rawGet<{ id: number }>("select id from event_sessions where event_id = ? order by starts_at limit 1", currentId))!;
    const confirmed = (await rawGet<{ id: number }>("select id from registrations where event_id = ? and status = 'confirmed' and event_role = 'participant' limit 1", currentId))!;
    await recordAttendance(actors.coordinator, currentId, [{ registrationId: confirmed.id, sessionId: session.id, status: "late" }]);
    for (const { id } of [admin, coordinator]) {
      const rows = await deliveriesOf(id);
      expect(rows.map((row) => row.eventType)).toEqual(expect.arrayContaining(["registration.created", "registration.status_changed", "event.status_changed", "attendance.recorded"]));
      for (const row of rows) {
        // every payload is what the OpenAPI document's webhooks say
        const payload = expectWebhookMatchesOpenApi(row.payload);
        expect(Object.keys(payload).sort()).toEqual(["data", "timestamp", "type"]);
        for (const value of Object.values(payload.data as Record<string, unknown>)) expect(["number", "string", "boolean"].includes(typeof value) || value === null).toBe(true);
        expect(row.payload).not.toContain(person.givenName);
        expect(row.payload).not.toContain(person.email!);
        expect(row.payload).not.toMatch(/@|"(name|email|givenName|familyName|phone|reason|comment)"/i);
      }
    }
    // both roles receive the same minimal data
    const adminPayloads = (await deliveriesOf(admin.id)).map((row) => JSON.parse(row.payload).data);
    const coordinatorPayloads = (await deliveriesOf(coordinator.id)).map((row) => JSON.parse(row.payload).data);
    expect(coordinatorPayloads).toEqual(adminPayloads);
    // the other event types have the same shape (built in one place)
    const built = [
      webhookEvent.certificateIssued({ certificateId: 1, registrationId: 2, eventId: 3, issuedAt: new Date(clock) }),
      webhookEvent.certificateRevoked({ certificateId: 1, registrationId: 2, eventId: 3, revokedAt: new Date(clock) }),
      webhookEvent.actionPlanSubmitted({ actionPlanId: 1, eventId: 3, items: 4, submittedAt: new Date(clock) }),
      webhookEvent.followUpRequestStatusChanged({ followUpRequestId: 1, originEventId: 3, answeringEventId: null, from: "received", to: "under_review" }),
    ];
    for (const b of built) expectWebhookMatchesOpenApi(JSON.stringify({ type: b.type, timestamp: new Date(clock).toISOString(), data: b.data }));
    expect(built.map((b) => Object.keys(b.data).sort())).toEqual([
      ["certificateId", "eventId", "issuedAt", "registrationId"],
      ["certificateId", "eventId", "registrationId", "revokedAt"],
      ["actionPlanId", "eventId", "items", "submittedAt"],
      ["answeringEventId", "followUpRequestId", "from", "originEventId", "to"],
    ]);
  });

  it("an owner who may no longer see events stops receiving: demoted, or disabled, nothing more is queued, and what waited is cancelled", async () => {
    const r = await receiver();
    const owner = await createUser({ role: "coordinator", email: "leaving-coordinator@test.example" });
    const ownerActor = await actorOf(owner.email);
    const { id } = await subscribe(ownerActor, r.url(), ["event.status_changed"]);
    // coordinators see every event, drafts included (events.server.ts): the draft's change is theirs
    await emitWebhookEvent(db(), webhookEvent.eventStatusChanged({ eventId: draftEventId, from: "draft", to: "cancelled" }));
    expect(await deliveriesOf(id)).toHaveLength(1);
    // the account becomes a partner's: a partner may not see drafts, and holds no subscriptions
    await db().update(users).set({ role: "partner" }).where(eq(users.id, owner.id));
    await emitWebhookEvent(db(), webhookEvent.eventStatusChanged({ eventId: draftEventId, from: "cancelled", to: "draft" }));
    await emitWebhookEvent(db(), webhookEvent.eventStatusChanged({ eventId: openEventId, from: "open", to: "in_progress" }));
    expect(await deliveriesOf(id)).toHaveLength(1);
    await deliver();
    expect((await deliveriesOf(id))[0]).toMatchObject({ status: "cancelled" });
    expect(r.received).toHaveLength(0);
    // disabled: the same
    await db().update(users).set({ role: "coordinator", disabledAt: new Date(clock) }).where(eq(users.id, owner.id));
    await emitWebhookEvent(db(), webhookEvent.eventStatusChanged({ eventId: openEventId, from: "in_progress", to: "completed" }));
    expect(await deliveriesOf(id)).toHaveLength(1);
  });

  it("a test ping is sent once however often the button is pressed while it waits", async () => {
    const r = await receiver();
    const { id, secret } = await subscribe(actors.coordinator, r.url(), ["certificate.issued"]);
    const first = await call(subscriptionPage.action, makeRequest(`/account/webhooks/${id}`, { cookie: cookies.coordinator, form: { intent: "ping" } }), { subscriptionId: String(id) });
    expect(unwrap(first).status).toBe(302);
    const second = unwrap(await call(subscriptionPage.action, makeRequest(`/account/webhooks/${id}`, { cookie: cookies.coordinator, form: { intent: "ping" } }), { subscriptionId: String(id) }));
    expect(second.status).toBe(400);
    expect(second.data.errors).toEqual({ form: "webhooks.errors.pingWaiting" });
    await deliver();
    expect(r.received).toHaveLength(1);
    expect(expectWebhookMatchesOpenApi(r.received[0].body)).toMatchObject({ type: "webhook.ping", data: { subscriptionId: id } });
    expect(verifyStandardWebhook(secret, r.received[0].headers, r.received[0].body, Math.floor(clock / 1000))).toBe(true);
  });

  it("a rotated secret signs what is sent next; the old one no longer verifies", async () => {
    const r = await receiver();
    const { id, secret } = await subscribe(actors.coordinator, r.url(), ["event.status_changed"]);
    const rotated = unwrap(await call(subscriptionPage.action, makeRequest(`/account/webhooks/${id}`, { cookie: cookies.coordinator, form: { intent: "rotate" } }), { subscriptionId: String(id) }));
    const fresh = rotated.data.secret as string;
    expect(fresh).toMatch(/^whsec_/);
    expect(fresh).not.toBe(secret);
    await sendWebhookPing(actors.coordinator, id);
    await deliver();
    const message = r.received[0];
    expect(verifyStandardWebhook(fresh, message.headers, message.body, Math.floor(clock / 1000))).toBe(true);
    expect(verifyStandardWebhook(secret, message.headers, message.body, Math.floor(clock / 1000))).toBe(false);
  });
});

describe("who manages subscriptions", () => {
  it("admins and coordinators only; a coordinator sees and changes only its own, an admin everyone's", async () => {
    const mine = await subscribe(actors.coordinator, "https://receiver.example.org/a", ["event.status_changed"], "Mine");
    const theirs = await subscribe(actors.coordinator2, "https://receiver.example.org/b", ["event.status_changed"], "Theirs");
    expect((await listWebhooks(actors.coordinator)).map((s) => s.name)).toEqual(["Mine"]);
    expect((await listWebhooks(actors.admin)).map((s) => s.name).sort()).toEqual(["Mine", "Theirs"]);
    // another coordinator's subscription does not exist for this one
    for (const attempt of [
      () => getWebhook(actors.coordinator, theirs.id),
      () => updateWebhook(actors.coordinator, theirs.id, { name: "Taken", url: "https://attacker.example.org/", eventTypes: ["event.status_changed"], active: true }),
      () => rotateWebhookSecret(actors.coordinator, theirs.id),
      () => deleteWebhook(actors.coordinator, theirs.id),
      () => sendWebhookPing(actors.coordinator, theirs.id),
    ]) {
      await expect(attempt()).rejects.toMatchObject({ status: 404 });
    }
    const page = await call(subscriptionPage.loader, makeRequest(`/account/webhooks/${theirs.id}`, { cookie: cookies.coordinator }), { subscriptionId: String(theirs.id) });
    expect(unwrap(page).status).toBe(404);
    const stolen = await call(subscriptionPage.action, makeRequest(`/account/webhooks/${theirs.id}`, { cookie: cookies.coordinator, form: { intent: "update", name: "Taken", url: "https://attacker.example.org/", eventTypes: "event.status_changed", active: "on" } }), { subscriptionId: String(theirs.id) });
    expect(unwrap(stolen).status).toBe(404);
    expect((await getWebhook(actors.admin, theirs.id)).subscription).toMatchObject({ name: "Theirs", url: "https://receiver.example.org/b" });
    // every other role: 403 on the pages and in the models; a stranger is sent to sign in
    for (const role of ["facilitator", "participant", "partner", "donor"]) {
      expect(unwrap(await call(listPage.loader, makeRequest("/account/webhooks", { cookie: cookies[role] }))).status).toBe(403);
      expect(unwrap(await call(listPage.action, makeRequest("/account/webhooks", { cookie: cookies[role], form: { intent: "create", name: "x", url: "https://receiver.example.org/", eventTypes: "event.status_changed" } }))).status).toBe(403);
      expect(unwrap(await call(subscriptionPage.loader, makeRequest(`/account/webhooks/${mine.id}`, { cookie: cookies[role] }), { subscriptionId: String(mine.id) })).status).toBe(403);
      await expect(createWebhook(actors[role], { name: "x", url: "https://receiver.example.org/", eventTypes: ["event.status_changed"] })).rejects.toMatchObject({ status: 403 });
      await expect(listWebhooks(actors[role])).rejects.toMatchObject({ status: 403 });
    }
    const anonymous = unwrap(await call(listPage.loader, makeRequest("/account/webhooks")));
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("Location")).toMatch(/^\/login\?redirectTo=/);
    // only an admin decides about private addresses
    const refused = unwrap(await call(listPage.action, makeRequest("/account/webhooks", { cookie: cookies.coordinator, form: { intent: "private-addresses", allow: "1" } })));
    expect(refused.status).toBe(403);
  });

  it(`limits each user to ${MAX_WEBHOOKS_PER_USER} subscriptions, and audits every change`, async () => {
    const since = Number((await rawGet<{ id: number }>("select coalesce(max(id), 0) as id from audit_log"))!.id);
    for (let i = 0; i < MAX_WEBHOOKS_PER_USER; i++) await subscribe(actors.coordinator2, `https://receiver.example.org/${i}`, ["event.status_changed"], `Sync ${i}`);
    await expect(subscribe(actors.coordinator2, "https://receiver.example.org/one-more")).rejects.toBeInstanceOf(InvalidWebhook);
    const [first] = await listWebhooks(actors.coordinator2);
    await updateWebhook(actors.coordinator2, first.id, { name: "Renamed", url: first.url, eventTypes: ["certificate.issued"], active: true });
    await rotateWebhookSecret(actors.coordinator2, first.id);
    await deleteWebhook(actors.coordinator2, first.id);
    const audit = await rawAll<{ action: string; details: string }>("select action, details from audit_log where user_id = ? and action like 'webhook.%' and id > ? order by id", actors.coordinator2.user.id, since);
    expect(audit.map((a) => a.action)).toEqual([...Array(MAX_WEBHOOKS_PER_USER).fill("webhook.create"), "webhook.update", "webhook.rotate", "webhook.delete"]);
    // no secret in the audit log
    expect(audit.some((a) => String(a.details ?? "").includes("whsec_"))).toBe(false);
    const setting = await rawAll<{ action: string }>("select action from audit_log where action = 'webhook.private_addresses'");
    expect(setting.length).toBeGreaterThanOrEqual(1);
  });
});

describe("attendance.removed: one per mark taken away, queued with the removal", () => {
  // the victim-identification training (its sessions are over): the demo facilitator teaches every
  // session but the opening
  let eventId = 0;
  let taught = 0;
  let opening = 0;
  const marksOf = async (sessionId: number, registrationId: number) =>
    await rawAll<{ status: string }>("select status from attendance where session_id = ? and registration_id = ?", sessionId, registrationId);
  const confirmedParticipants = async () =>
    (await rawAll<{ id: number }>("select id from registrations where event_id = ? and event_role = 'participant' and status = 'confirmed' order by id", eventId)).map((r) => Number(r.id));
  /** The fields of an attendance.recorded's data: a removal's carry no more (and no fewer). */
  const RECORDED_FIELDS = Object.keys(webhookEvent.attendanceRecorded({ registrationId: 1, sessionId: 1, eventId: 1, status: "present", method: "manual", recordedAt: new Date(0) }).data).sort();

  /** A subscriber of attendance.removed only and one of attendance.recorded only. */
  async function subscribers() {
    const r = await receiver();
    return { removed: (await subscribe(actors.coordinator, r.url(), ["attendance.removed"])).id, recorded: (await subscribe(actors.admin, r.url(), ["attendance.recorded"])).id };
  }

  function expectRemoval(row: { eventType: string; payload: string }, mark: { registrationId: number; sessionId: number; status: string; method: string; recordedAt: number }) {
    expect(row.eventType).toBe("attendance.removed");
    const payload = expectWebhookMatchesOpenApi(row.payload);
    expect(payload.timestamp).toBe(new Date(clock).toISOString());
    expect(Object.keys(payload.data).sort()).toEqual(RECORDED_FIELDS);
    expect(payload.data).toEqual({ registrationId: mark.registrationId, sessionId: mark.sessionId, eventId, status: mark.status, method: mark.method, recordedAt: new Date(mark.recordedAt).toISOString() });
  }

  beforeAll(async () => {
    eventId = firstRow(await db().select({ id: events.id }).from(events).where(eq(events.title, DEMO_EVENTS.victimIdentification)).limit(1))!.id;
    const sessions = await db()
      .select({ id: eventSessions.id, taughtBy: sessionFacilitators.userId })
      .from(eventSessions)
      .leftJoin(sessionFacilitators, eq(sessionFacilitators.sessionId, eventSessions.id))
      .where(and(eq(eventSessions.eventId, eventId)))
      .orderBy(asc(eventSessions.startsAt));
    opening = sessions.find((s) => s.taughtBy === null)!.id;
    taught = sessions.find((s) => s.taughtBy === actors.facilitator.user.id)!.id;
  });

  it("through the attendance page: clearing a cell queues one removal for a subscriber of that type, nothing for others, nothing when refused or when there is no mark", async () => {
    const hooks = await subscribers();
    const [registrationId] = await confirmedParticipants();
    const cell = (cookie: string, sessionId: number, status: string) =>
      call(attendancePage.action, makeRequest(`/events/${eventId}/attendance`, { cookie, form: { intent: "cell", sessionId: String(sessionId), registrationId: String(registrationId), status } }), { eventId: String(eventId) });
    // the facilitator marks the participant late in a session they teach
    expect(unwrap(await cell(cookies.facilitator, taught, "late")).data).toEqual({ ok: true, error: null });
    const recordedAt = clock;
    const [recorded] = await deliveriesOf(hooks.recorded);
    expect(recorded.eventType).toBe("attendance.recorded");
    expect(Object.keys(JSON.parse(recorded.payload).data).sort()).toEqual(RECORDED_FIELDS);
    expect(await deliveriesOf(hooks.removed)).toHaveLength(0);

    // refused: the same facilitator on the opening (not theirs), a donor, a participant, a partner
    await recordAttendance(actors.coordinator, eventId, [{ registrationId, sessionId: opening, status: "present" }]);
    const before = { removed: await deliveriesOf(hooks.removed), recorded: await deliveriesOf(hooks.recorded) };
    expect(unwrap(await cell(cookies.facilitator, opening, "")).status).toBe(403);
    for (const role of ["donor", "participant", "partner"]) {
      for (const sessionId of [taught, opening]) expect(unwrap(await cell(cookies[role], sessionId, "")).status).toBe(403);
    }
    // a session of another event through this event's address: refused too
    const elsewhere = firstRow(await db().select({ id: eventSessions.id }).from(eventSessions).innerJoin(events, eq(events.id, eventSessions.eventId)).where(eq(events.title, DEMO_EVENTS.bahrain)).limit(1))!.id;
    expect(unwrap(await cell(cookies.coordinator, elsewhere, "")).status).toBe(400);
    expect(await marksOf(opening, registrationId)).toEqual([{ status: "present" }]);
    expect(await marksOf(taught, registrationId)).toEqual([{ status: "late" }]);
    expect(await deliveriesOf(hooks.removed)).toEqual(before.removed);
    expect(await deliveriesOf(hooks.recorded)).toEqual(before.recorded);

    // cleared: one removal, carrying the mark as it was
    later(60_000);
    expect(unwrap(await cell(cookies.facilitator, taught, "")).data).toEqual({ ok: true, error: null });
    expect(await marksOf(taught, registrationId)).toEqual([]);
    const removed = await deliveriesOf(hooks.removed);
    expect(removed).toHaveLength(1);
    expectRemoval(removed[0], { registrationId, sessionId: taught, status: "late", method: "manual", recordedAt });
    expect(removed[0].payload).not.toMatch(/@|"(name|email|givenName|familyName|phone|recordedBy)"/i);
    // the subscriber of attendance.recorded gets nothing for it
    expect(await deliveriesOf(hooks.recorded)).toEqual(before.recorded);
    // clearing an empty cell removes nothing: nothing sent
    expect(unwrap(await cell(cookies.facilitator, taught, "")).data).toEqual({ ok: true, error: null });
    expect(await deliveriesOf(hooks.removed)).toHaveLength(1);

    // what is queued is what arrives, signed, once
    const r = receivers[receivers.length - 1];
    await deliver();
    const sent = r.received.filter((m) => JSON.parse(m.body).type === "attendance.removed");
    expect(sent).toHaveLength(1);
    expect(sent[0].body).toBe(removed[0].payload);
  });

  it("through the API: a null mark queues one removal per mark removed; refused or invalid bodies (all or nothing) queue nothing", async () => {
    const hooks = await subscribers();
    const [first, second, third] = await confirmedParticipants();
    const token = async (role: string) => (await createApiToken(actors[role], { name: `${role} marks`, access: "write", lifetimeDays: 30 })).secret;
    const post = async (secret: string, sessionId: number, marks: unknown[]) => {
      const request = new Request(`http://localhost:3000/api/v1/events/${eventId}/sessions/${sessionId}/attendance`, {
        method: "POST",
        headers: { Authorization: `Bearer ${secret}`, "Content-Type": "application/json", "x-convene-client-ip": "203.0.113.7" },
        body: JSON.stringify({ marks }),
      });
      return await marksApi.action({ request, params: { eventId: String(eventId), sessionId: String(sessionId) }, context: {} });
    };
    const facilitator = await token("facilitator");
    expect((await post(facilitator, taught, [{ registrationId: first, status: "present" }, { registrationId: second, status: "excused" }, { registrationId: third, status: null }])).status).toBe(200);
    const recordedAt = clock;
    await recordAttendance(actors.coordinator, eventId, [{ registrationId: first, sessionId: opening, status: "absent" }]);
    // (the third may have had a mark of the demo's: now it has none)
    expect(await marksOf(taught, third)).toEqual([]);
    const before = { removed: await deliveriesOf(hooks.removed), recorded: await deliveriesOf(hooks.recorded) };
    later(60_000);

    // refused: a facilitator on a session they do not teach, a donor, a partner, a read-only token;
    // an invalid body takes nothing away even with a removal in it
    expect((await post(facilitator, opening, [{ registrationId: first, status: null }])).status).toBe(403);
    for (const role of ["donor", "partner", "participant"]) expect((await post(await token(role), taught, [{ registrationId: first, status: null }])).status).toBe(403);
    const readOnly = (await createApiToken(actors.coordinator, { name: "read only", access: "read", lifetimeDays: 30 })).secret;
    expect((await post(readOnly, taught, [{ registrationId: first, status: null }])).status).toBe(403);
    expect((await post(facilitator, taught, [{ registrationId: first, status: null }, { registrationId: 99999999, status: "present" }])).status).toBe(422);
    expect((await post(facilitator, taught, [{ registrationId: first, status: null }, { registrationId: second, status: "asleep" }])).status).toBe(422);
    expect((await post(facilitator, taught, [{ registrationId: first, status: null }, { registrationId: first, status: null }])).status).toBe(422);
    expect(await marksOf(taught, first)).toEqual([{ status: "present" }]);
    expect(await marksOf(opening, first)).toEqual([{ status: "absent" }]);
    expect(await deliveriesOf(hooks.removed)).toEqual(before.removed);
    expect(await deliveriesOf(hooks.recorded)).toEqual(before.recorded);

    // two marks removed and a person without one "removed" again: two removals
    const answer = await post(facilitator, taught, [{ registrationId: first, status: null }, { registrationId: second, status: null }, { registrationId: third, status: null }]);
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ changed: 2 });
    const removed = (await deliveriesOf(hooks.removed)).slice(before.removed.length);
    expect(removed).toHaveLength(2);
    expectRemoval(removed[0], { registrationId: first, sessionId: taught, status: "present", method: "manual", recordedAt });
    expectRemoval(removed[1], { registrationId: second, sessionId: taught, status: "excused", method: "manual", recordedAt });
    expect(await deliveriesOf(hooks.recorded)).toEqual(before.recorded);
    // a removal is audited as the page's is
    const audit = (await rawGet<{ details: unknown }>("select details from audit_log where action = 'attendance.record' order by id desc limit 1"))!.details;
    // (JSON text on SQLite, already parsed on PostgreSQL)
    expect(typeof audit === "string" ? JSON.parse(audit) : audit).toMatchObject({ channel: "api", changed: 2 });
  });

  it("deleting a session queues one removal per mark it had; a refused deletion queues nothing", async () => {
    const hooks = await subscribers();
    const participants = (await confirmedParticipants()).slice(0, 3);
    // an extra session at the time of one the facilitator teaches (this test deletes it)
    const model = firstRow(await db().select().from(eventSessions).where(eq(eventSessions.id, taught)).limit(1))!;
    const [extra] = await db().insert(eventSessions).values({ eventId, title: "Extra practice", kind: model.kind, startsAt: model.startsAt, endsAt: model.endsAt, room: null }).returning({ id: eventSessions.id });
    await db().insert(sessionFacilitators).values({ sessionId: extra.id, userId: actors.facilitator.user.id, personId: null });
    const statuses = ["present", "late", "absent"] as const;
    await recordAttendance(actors.coordinator, eventId, participants.map((registrationId, i) => ({ registrationId, sessionId: extra.id, status: statuses[i] })));
    const recordedAt = clock;
    later(60_000);
    const remove = (cookie: string) => call(sessionPage.action, makeRequest(`/events/${eventId}/sessions/${extra.id}`, { cookie, form: { intent: "delete" } }), { eventId: String(eventId), sessionId: String(extra.id) });
    const recordedBefore = await deliveriesOf(hooks.recorded);
    for (const role of ["facilitator", "donor", "partner", "participant"]) expect(unwrap(await remove(cookies[role])).status).toBe(403);
    expect(await rawAll("select id from attendance where session_id = ?", extra.id)).toHaveLength(3);
    expect(await deliveriesOf(hooks.removed)).toHaveLength(0);

    expect(unwrap(await remove(cookies.coordinator)).status).toBe(302);
    expect(await rawAll("select id from attendance where session_id = ?", extra.id)).toHaveLength(0);
    const removed = await deliveriesOf(hooks.removed);
    expect(removed).toHaveLength(3);
    removed.forEach((row, i) => expectRemoval(row, { registrationId: participants[i], sessionId: extra.id, status: statuses[i], method: "manual", recordedAt }));
    expect(await deliveriesOf(hooks.recorded)).toEqual(recordedBefore);
  });

  it("merging two records of one person: every mark of the registration merged away is removed; those that move are recorded on the one kept", async () => {
    const r = await receiver();
    const both = await subscribe(actors.coordinator, r.url(), ["attendance.recorded", "attendance.removed"]);
    const other = await subscribe(actors.admin, r.url(), ["registration.created"]);
    // one human, two records, both confirmed for the training
    const [kept, merged] = await db().insert(people).values([{ givenName: "Ana", familyName: "Duplicate" }, { givenName: "Ana M.", familyName: "Duplicate" }]).returning({ id: people.id });
    const [keptRegistration, mergedRegistration] = (await db()
      .insert(registrations)
      .values([kept, merged].map((p) => ({ eventId, personId: p.id, eventRole: "participant" as const, status: "confirmed" as const, statusChangedAt: new Date(clock) })))
      .returning({ id: registrations.id })).map((row) => row.id);
    const sessions = (await db().select({ id: eventSessions.id }).from(eventSessions).where(and(eq(eventSessions.eventId, eventId))).orderBy(asc(eventSessions.startsAt))).map((s) => s.id).filter((id) => id !== opening);
    const [s1, s2, s3] = sessions;
    await recordAttendance(actors.coordinator, eventId, [
      { registrationId: keptRegistration, sessionId: s1, status: "present" },
      { registrationId: keptRegistration, sessionId: s2, status: "absent" },
      { registrationId: mergedRegistration, sessionId: s1, status: "absent" },
      { registrationId: mergedRegistration, sessionId: s2, status: "late" },
      { registrationId: mergedRegistration, sessionId: s3, status: "excused" },
    ]);
    const recordedAt = clock;
    later(60_000);
    const since = (await deliveriesOf(both.id)).length;
    const merge = (cookie: string) => call(personPage.action, makeRequest(`/people/${kept.id}`, { cookie, form: { intent: "merge", mergeId: String(merged.id) } }), { personId: String(kept.id) });
    for (const role of ["facilitator", "donor", "participant"]) expect(unwrap(await merge(cookies[role])).status).toBe(403);
    expect(await deliveriesOf(both.id)).toHaveLength(since);

    expect(unwrap(await merge(cookies.coordinator)).status).toBe(302);
    const rows = (await deliveriesOf(both.id)).slice(since);
    const data = rows.map((row) => ({ type: row.eventType, ...expectWebhookMatchesOpenApi(row.payload).data }));
    const mark = (registrationId: number, sessionId: number, status: string) => ({ registrationId, sessionId, eventId, status, method: "manual", recordedAt: new Date(recordedAt).toISOString() });
    expect(data).toEqual([
      // s1: the kept registration's "present" stays; the other's "absent" goes
      { type: "attendance.removed", ...mark(mergedRegistration, s1, "absent") },
      // s2: "late" beats "absent": it moves onto the kept registration
      { type: "attendance.removed", ...mark(mergedRegistration, s2, "late") },
      { type: "attendance.recorded", ...mark(keptRegistration, s2, "late") },
      // s3: the kept registration had none: it moves
      { type: "attendance.removed", ...mark(mergedRegistration, s3, "excused") },
      { type: "attendance.recorded", ...mark(keptRegistration, s3, "excused") },
    ]);
    // the database says the same
    expect(await rawAll<{ session_id: number; status: string }>("select session_id, status from attendance where registration_id = ? order by session_id", keptRegistration))
      .toEqual([[s1, "present"], [s2, "late"], [s3, "excused"]].map(([sessionId, status]) => ({ session_id: sessionId, status })).sort((a, b) => Number(a.session_id) - Number(b.session_id)));
    expect(await rawAll("select id from attendance where registration_id = ?", mergedRegistration)).toEqual([]);
    expect(await deliveriesOf(other.id)).toHaveLength(0);
    expect(await db().select({ id: people.id }).from(people).where(and(eq(people.id, merged.id), isNull(people.anonymisedAt)))).toEqual([]);
  });

  it("merging two records of one person: one registration.merged per registration that changes hands or is folded away, nothing when refused", async () => {
    const r = await receiver();
    const hook = await subscribe(actors.coordinator, r.url(), ["registration.merged"]);
    const otherTypes = await subscribe(actors.admin, r.url(), ["registration.created", "registration.status_changed"]);
    const [kept, merged] = await db().insert(people).values([{ givenName: "Omar", familyName: "Twice" }, { givenName: "Omar A.", familyName: "Twice" }]).returning({ id: people.id });
    const register = async (personId: number, event: number, status: "confirmed" | "waitlisted" | "cancelled") =>
      firstRow(await db().insert(registrations).values({ eventId: event, personId, eventRole: "participant", status, statusChangedAt: new Date(clock) }).returning({ id: registrations.id }))!.id;
    // the training: the kept record waits, the other is confirmed (the other's registration wins)
    const keptWaiting = await register(kept.id, eventId, "waitlisted");
    const otherConfirmed = await register(merged.id, eventId, "confirmed");
    // the follow-up: the kept record is confirmed, the other cancelled (the kept one's wins)
    const keptConfirmed = await register(kept.id, openEventId, "confirmed");
    const otherCancelled = await register(merged.id, openEventId, "cancelled");
    // the draft: only the other record (its registration moves)
    const otherOnly = await register(merged.id, draftEventId, "confirmed");
    const merge = (cookie: string) => call(personPage.action, makeRequest(`/people/${kept.id}`, { cookie, form: { intent: "merge", mergeId: String(merged.id) } }), { personId: String(kept.id) });
    for (const role of ["facilitator", "donor", "participant"]) expect(unwrap(await merge(cookies[role])).status).toBe(403);
    expect(await deliveriesOf(hook.id)).toHaveLength(0);

    expect(unwrap(await merge(cookies.coordinator)).status).toBe(302);
    const data = (await deliveriesOf(hook.id)).map((row) => {
      expect(row.eventType).toBe("registration.merged");
      return expectWebhookMatchesOpenApi(row.payload).data as { registrationId: number };
    });
    const message = (registrationId: number, event: number, previousPersonId: number, keptRegistrationId: number) => ({ registrationId, eventId: event, personId: kept.id, previousPersonId, keptRegistrationId });
    expect(data.sort((a, b) => a.registrationId - b.registrationId)).toEqual(
      [
        // folded into the other's and deleted; the other's now the kept person's
        message(keptWaiting, eventId, kept.id, otherConfirmed),
        message(otherConfirmed, eventId, merged.id, otherConfirmed),
        // folded into the kept person's and deleted
        message(otherCancelled, openEventId, merged.id, keptConfirmed),
        // moved
        message(otherOnly, draftEventId, merged.id, otherOnly),
      ].sort((a, b) => a.registrationId - b.registrationId),
    );
    // the database says the same
    const remaining = await rawAll<{ id: number; person_id: number }>("select id, person_id from registrations where id in (?, ?, ?, ?, ?) order by id", keptWaiting, otherConfirmed, keptConfirmed, otherCancelled, otherOnly);
    expect(remaining.map((row) => [Number(row.id), Number(row.person_id)])).toEqual([[otherConfirmed, kept.id], [keptConfirmed, kept.id], [otherOnly, kept.id]].sort((a, b) => a[0] - b[0]));
    expect(await deliveriesOf(otherTypes.id)).toHaveLength(0);
  });
});
