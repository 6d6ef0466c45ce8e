import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, inArray } from "drizzle-orm";
import { getDb, readyDb } from "../../db/client";
import { auditLog, authSessions, emailOutbox, events, people, registrations } from "../../db/schema";
import { dayInZone } from "~/lib/format";
import { createUser, PASSWORD } from "../setup/helpers";
import { readMessage, TestSmtp } from "../setup/mail";

/**
 * Two production servers (the `npm run build` output, as `npm start` runs it) on ONE PostgreSQL
 * database, as two machines behind a load balancer: requests go to either, both run the outbox
 * worker and the scheduled rounds, and together they behave as one server.
 */

const ZONE = "America/Nassau";
/** The balancer's public address: both instances have it as APP_URL (links, the Origin check). */
const APP_URL = "http://convene.test";
const CAPACITY = 10;
const REGISTRATIONS = 50;
const REMINDED = 6;

type Instance = { name: string; port: number; process: ChildProcess; output: string };
const smtp = new TestSmtp();
const instances: Instance[] = [];
let capacityEvent = 0;
let cacheEvent = 0;
let reminderEvent = 0;
let coordinator: { id: string; email: string; name: string };

async function until(check: () => boolean | Promise<boolean>, what: string, ms = 30_000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}\n${instances.map((i) => `--- ${i.name}\n${i.output}`).join("\n")}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** TWO_INSTANCES_PORT (and the next one) when set, else two ports free now. */
async function ports(): Promise<[number, number]> {
  const base = Number(process.env.TWO_INSTANCES_PORT);
  if (base) return [base, base + 1];
  const free = () =>
    new Promise<number>((resolve, reject) => {
      const server = net.createServer();
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => {
        const { port } = server.address() as net.AddressInfo;
        server.close(() => resolve(port));
      });
    });
  return [await free(), await free()];
}

function start(name: string, port: number): Instance {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    PORT: String(port),
    APP_URL,
    DATABASE_URL: process.env.DATABASE_URL,
    SMTP_URL: smtp.url,
    OUTBOX_POLL_MS: "100",
    // the balancer is the one proxy in front: each test client says who it is in X-Forwarded-For
    TRUST_PROXY: "1",
  };
  delete env.DATABASE_PATH;
  delete env.INSTANCE_ID;
  delete env.WEB_CONCURRENCY;
  const child = spawn(process.execPath, ["build/start/index.js"], { env, stdio: ["ignore", "pipe", "pipe"] });
  const instance: Instance = { name, port, process: child, output: "" };
  child.stdout!.on("data", (chunk) => (instance.output += chunk));
  child.stderr!.on("data", (chunk) => (instance.output += chunk));
  return instance;
}

async function stop(instance: Instance) {
  const child = instance.process;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
  await exited;
  clearTimeout(timer);
}

/** A request to one instance, as the balancer forwards it: from `ip`, with the app's Origin on POSTs. */
async function request(instance: Instance, path: string, init: { form?: Record<string, string>; cookie?: string; ip?: string } = {}) {
  const headers: Record<string, string> = { "X-Forwarded-For": init.ip ?? "192.0.2.1", "X-Forwarded-Host": new URL(APP_URL).host };
  if (init.cookie) headers.Cookie = init.cookie;
  if (init.form) {
    headers.Origin = APP_URL;
    headers["Content-Type"] = "application/x-www-form-urlencoded";
  }
  return await fetch(`http://127.0.0.1:${instance.port}${path}`, {
    method: init.form ? "POST" : "GET",
    headers,
    body: init.form ? new URLSearchParams(init.form).toString() : undefined,
    redirect: "manual",
  });
}

function registrationForm(n: number, prefix: string) {
  return { givenName: "Officer", familyName: `${prefix} ${n}`, email: `${prefix}${n}@immigration.example`, sex: "female", roleCategory: "immigration_officer", consent: "yes", locale: "en" };
}

function addDays(day: string, days: number) {
  const [y, m, d] = day.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

async function seed() {
  const db = getDb();
  const today = dayInZone(new Date(), ZONE);
  const event = (title: string, startDate: string, capacity: number | null) =>
    db
      .insert(events)
      .values({ title, type: "training", country: "BS", timeZone: ZONE, startDate, endDate: addDays(startDate, 1), capacity, status: "open" })
      .returning({ id: events.id });
  capacityEvent = (await event("Victim identification, ten places", addDays(today, 60), CAPACITY))[0].id;
  cacheEvent = (await event("Border interviews refresher", addDays(today, 61), null))[0].id;
  // a week away in its own zone: its week reminder is due on both instances' first round
  reminderEvent = (await event("Case management workshop", addDays(today, 7), null))[0].id;
  for (let i = 0; i < REMINDED; i++) {
    const [person] = await db
      .insert(people)
      .values({ givenName: "Reminded", familyName: `Officer ${i}`, email: `reminded${i}@immigration.example` })
      .returning({ id: people.id });
    await db.insert(registrations).values({ eventId: reminderEvent, personId: person.id, eventRole: "participant", status: "confirmed", statusChangedAt: new Date() });
  }
  const user = await createUser({ role: "coordinator", email: "coordinator@two.example", name: "Coordinator Across Instances" });
  coordinator = { id: user.id, email: user.email, name: "Coordinator Across Instances" };
}

beforeAll(async () => {
  if (!fs.existsSync("build/server/index.js") || !fs.existsSync("build/start/index.js")) {
    throw new Error("tests/postgres/two-instances.test.ts runs the production build: run `npm run build` first");
  }
  await readyDb();
  await seed();
  await smtp.start();
  const [a, b] = await ports();
  instances.push(start("A", a), start("B", b));
  await until(() => instances.every((i) => i.output.includes("Convene is listening")), "both instances to listen", 60_000);
  // both have run their first rounds (reminders, check-ins, retention) at about the same moment
  await until(() => instances.every((i) => i.output.includes("Start-up rounds done")), "both instances' start-up rounds", 60_000);
}, 90_000);

afterAll(async () => {
  await Promise.all(instances.map(stop));
  // TWO_INSTANCES_LOG=file keeps what both servers printed
  if (process.env.TWO_INSTANCES_LOG) fs.writeFileSync(process.env.TWO_INSTANCES_LOG, instances.map((i) => `--- ${i.name}\n${i.output}`).join("\n"));
  await smtp.stop();
}, 30_000);

/** Every outbox row handed to SMTP, and every message the SMTP server received, once the outbox is empty. */
async function settledOutbox() {
  const db = getDb();
  const unsettled = async () => (await db.select({ id: emailOutbox.id }).from(emailOutbox).where(inArray(emailOutbox.status, ["pending", "sending"]))).length;
  await until(async () => (await unsettled()) === 0, "the outbox to empty");
  const rows = await db.select().from(emailOutbox);
  await until(() => smtp.received.length >= rows.filter((r) => r.status === "sent").length, "the SMTP server to receive every sent message");
  return rows;
}

describe("two production servers on one PostgreSQL database", () => {
  it("never exceed an event's capacity under 50 simultaneous public registrations split across them", async () => {
    const [a, b] = instances;
    const responses = await Promise.all(
      Array.from({ length: REGISTRATIONS }, (_, n) =>
        request(n % 2 === 0 ? a : b, `/events/${capacityEvent}/register`, { form: registrationForm(n, "capacity"), ip: `198.51.100.${n + 1}` }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(REGISTRATIONS).fill(302));
    const rows = await getDb().select({ status: registrations.status }).from(registrations).where(eq(registrations.eventId, capacityEvent));
    expect(rows).toHaveLength(REGISTRATIONS);
    expect(rows.filter((r) => r.status === "confirmed")).toHaveLength(CAPACITY);
    expect(rows.filter((r) => r.status === "waitlisted")).toHaveLength(REGISTRATIONS - CAPACITY);
  });

  it("send every email exactly once, though both run the outbox worker", async () => {
    const rows = await settledOutbox();
    // each registration queued its own emails (its confirmation or waiting-list notice, the invitation)
    expect(rows.filter((r) => r.toAddress.startsWith("capacity")).length).toBeGreaterThanOrEqual(REGISTRATIONS * 2);
    expect(rows.filter((r) => r.status !== "sent")).toEqual([]);
    const received = smtp.received.map(readMessage);
    expect(received).toHaveLength(rows.length);
    expect(received.map((m) => m.messageId).sort()).toEqual(rows.map((r) => r.messageId).sort());
    // per recipient and subject: as many received as queued
    const key = (to: string, subject: string) => `${to} | ${subject}`;
    const queued = rows.map((r) => key(r.toAddress, r.subject)).sort();
    const got = smtp.received.map((m, i) => key(m.to.join(","), received[i].subject)).sort();
    expect(got).toEqual(queued);
    // (which instance sends which message is up to the timing: on a loaded machine one may take all)
  });

  it("send every due reminder once, though both ran the reminder round", async () => {
    await settledOutbox();
    const db = getDb();
    const audits = await db.select({ entityId: auditLog.entityId }).from(auditLog).where(eq(auditLog.action, "event.reminder"));
    expect(audits).toHaveLength(REMINDED);
    expect(new Set(audits.map((a) => a.entityId)).size).toBe(REMINDED);
    const reminders = await db.select({ to: emailOutbox.toAddress }).from(emailOutbox).where(eq(emailOutbox.kind, "event_reminder_week"));
    expect(reminders.map((r) => r.to).sort()).toEqual(Array.from({ length: REMINDED }, (_, i) => `reminded${i}@immigration.example`).sort());
    for (let i = 0; i < REMINDED; i++) {
      const messages = smtp.to(`reminded${i}@immigration.example`);
      expect(messages).toHaveLength(1);
      expect(messages[0].subject).toContain("Case management workshop");
    }
  });

  it("accept on one a session made on the other, and end it on both", async () => {
    const [a, b] = instances;
    const login = await request(a, "/login", { form: { email: coordinator.email, password: PASSWORD }, ip: "192.0.2.10" });
    expect(login.status).toBe(302);
    await liftEnrolmentHold(coordinator.id);
    const cookie = login.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
    expect(cookie).not.toBe("");
    const home = await request(b, "/", { cookie, ip: "192.0.2.10" });
    expect(home.status).toBe(200);
    expect(await home.text()).toContain(coordinator.name);
    const reports = await request(b, "/reports", { cookie, ip: "192.0.2.10" });
    expect(reports.status).toBe(200);
    // signed out on B: A no longer knows the session either
    expect((await request(b, "/logout", { form: {}, cookie, ip: "192.0.2.10" })).status).toBe(302);
    const after = await request(a, "/reports", { cookie, ip: "192.0.2.10" });
    expect(after.status).toBe(302);
    expect(after.headers.get("location")).toMatch(/^\/login/);
  });

  it("hold a rate limit reached through one on the other", async () => {
    const [a, b] = instances;
    const ip = "203.0.113.77";
    for (let i = 0; i < 10; i++) {
      const response = await request(a, "/forgot-password", { form: { email: "nobody@nowhere.example" }, ip });
      expect(response.status).toBeLessThan(400);
    }
    const refused = await request(b, "/forgot-password", { form: { email: "nobody@nowhere.example" }, ip });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    // another address is not held back
    expect((await request(b, "/forgot-password", { form: { email: "nobody@nowhere.example" }, ip: "203.0.113.78" })).status).toBeLessThan(400);
  });

  it("show on one, at once, in its cached report, a registration made through the other", async () => {
    const [a, b] = instances;
    const login = await request(b, "/login", { form: { email: coordinator.email, password: PASSWORD }, ip: "192.0.2.11" });
    const cookie = login.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
    await liftEnrolmentHold(coordinator.id);
    const today = dayInZone(new Date(), ZONE);
    const page = `/reports?from=${addDays(today, 61)}&to=${addDays(today, 61)}`;
    const participants = async () => {
      const response = await request(b, page, { cookie, ip: "192.0.2.11" });
      expect(response.status).toBe(200);
      return participantsShown(await response.text());
    };
    expect(await participants()).toBe(0);
    // B keeps that summary; the same page again is served from its cache
    expect(await participants()).toBe(0);
    const registered = await request(a, `/events/${cacheEvent}/register`, { form: registrationForm(1, "cache"), ip: "198.51.100.200" });
    expect(registered.status).toBe(302);
    const confirmed = await getDb()
      .select({ id: registrations.id })
      .from(registrations)
      .where(and(eq(registrations.eventId, cacheEvent), eq(registrations.status, "confirmed")));
    expect(confirmed).toHaveLength(1);
    expect(await participants()).toBe(1);
  });

  it("finish, when told to stop, the email being sent, and claim no other", async () => {
    const [a, b] = instances;
    await settledOutbox();
    // B stops first (nothing in flight: it exits at once), so that A is the one sending
    await stop(b);
    expect(b.process.exitCode).toBe(0);
    smtp.hold();
    const registered = await request(a, `/events/${cacheEvent}/register`, { form: registrationForm(2, "stopping"), ip: "198.51.100.201" });
    expect(registered.status).toBe(302);
    const queued = await getDb().select({ id: emailOutbox.id }).from(emailOutbox).where(eq(emailOutbox.toAddress, "stopping2@immigration.example"));
    // its confirmation and its invitation
    expect(queued.length).toBeGreaterThanOrEqual(2);
    // A is in the middle of sending the first: the SMTP server has its data and has not answered
    await until(() => smtp.receiving === 1, "A to be sending a message");
    const exited = new Promise<number | null>((resolve) => a.process.once("exit", (code) => resolve(code)));
    a.process.kill("SIGTERM");
    await until(() => a.output.includes("Stopping: finishing the outbox deliveries in flight"), "A to wait for its message in flight");
    smtp.release();
    expect(await exited).toBe(0);
    const rows = await getDb()
      .select({ status: emailOutbox.status })
      .from(emailOutbox)
      .where(eq(emailOutbox.toAddress, "stopping2@immigration.example"));
    expect(rows.filter((r) => r.status === "sent")).toHaveLength(1);
    expect(rows.filter((r) => r.status === "pending")).toHaveLength(rows.length - 1);
    expect(smtp.to("stopping2@immigration.example")).toHaveLength(1);
    // no message anywhere in this file was cut off mid-send
    expect(smtp.errors).toEqual([]);
  });
});

/**
 * A coordinator's sign-in leaves a session held on second-factor enrolment (every page leads there
 * until it is set up; tests/integration/second-factor.test.ts covers it). These tests are about
 * sessions and caches shared between instances, not sign-in: the hold is lifted in the database.
 */
async function liftEnrolmentHold(userId: string) {
  await getDb().update(authSessions).set({ restriction: null }).where(eq(authSessions.userId, userId));
}

/** The report's figure "Participants" (unique people), as the page shows it. */
function participantsShown(html: string): number {
  const match = /<dt[^>]*>Participants<\/dt>\s*<dd[^>]*>\s*([\d,]+)/.exec(html);
  if (!match) throw new Error(`no participant figure on the reports page:\n${html.slice(0, 2000)}`);
  return Number(match[1].replace(/,/g, ""));
}
