/**
 * `npx tsx bench/webhook-storm.ts`: does a webhook storm delay the pages? The production server runs
 * on the demo data with three webhook subscriptions to attendance.recorded (three https receivers on
 * 127.0.0.1, each answering after 20 ms). We measure two pages (a participant's /me and /events,
 * two clients asking one after the other without pause) first at rest, then while 1,000 attendance
 * marks are recorded within a minute — 3,000 deliveries, sent by the server's outbox worker — and
 * until every delivery is sent. Prints p50 / p95 / max of each phase, the time the storm took to
 * drain, and whether any delivery arrived twice. Needs the build (`npm run build`) and openssl.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import https from "node:https";
import os from "node:os";
import path from "node:path";
import { ensureBuild, login, request, sh, startServer, startUpRoundsDone, stopServer } from "./common";

const FILE = "data/bench-webhook-storm.db";
const MARKS = 1000;
const STORM_MS = 60_000;
const BATCHES = 20;

function percentile(values: number[], p: number) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}
const summary = (values: number[]) =>
  `${values.length} requests · p50 ${percentile(values, 50).toFixed(0)} ms · p95 ${percentile(values, 95).toFixed(0)} ms · max ${Math.max(...values).toFixed(0)} ms`;

async function main() {
  ensureBuild(process.argv.includes("--build"));
  for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(FILE + suffix, { force: true });
  fs.mkdirSync(path.dirname(FILE), { recursive: true });
  delete process.env.SECRET_KEY;
  sh(process.execPath, ["--import", "tsx", "db/seed/demo-cli.ts"], { ...process.env, DATABASE_PATH: FILE, DATABASE_URL: "" });

  // three https receivers with a certificate the server is told to trust (production refuses http)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "convene-storm-"));
  execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", `${dir}/key.pem`, "-out", `${dir}/cert.pem`], { stdio: "ignore" });
  const received = new Map<string, number>();
  const receiver = https.createServer({ key: fs.readFileSync(`${dir}/key.pem`), cert: fs.readFileSync(`${dir}/cert.pem`) }, (req, res) => {
    req.resume();
    req.on("end", () => {
      const id = `${req.url} ${req.headers["webhook-id"]}`;
      received.set(id, (received.get(id) ?? 0) + 1);
      setTimeout(() => res.end("ok"), 20);
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", () => resolve()));
  const port = (receiver.address() as { port: number }).port;

  // the subscriptions, and later the marks, written by this process into the same database
  process.env.DATABASE_PATH = FILE;
  process.env.DATABASE_URL = "";
  const { getDb, firstRow } = await import("../db/client");
  const { users, events, registrations, eventSessions, attendance } = await import("../db/schema");
  const { eq, and } = await import("drizzle-orm");
  const { createWebhook, setPrivateAddressesAllowed } = await import("../app/models/webhooks.server");
  const { recordAttendance } = await import("../app/models/attendance.server");
  const { DEMO_EVENTS } = await import("../db/seed/demo");
  const actorOf = async (email: string) => {
    const u = firstRow(await getDb().select().from(users).where(eq(users.email, email)).limit(1))!;
    return { user: { id: u.id, email: u.email, name: u.name, role: u.role, organisationId: u.organisationId, locale: u.locale }, ip: null };
  };
  const admin = await actorOf("admin@example.org");
  const coordinator = await actorOf("coordinator@example.org");
  await setPrivateAddressesAllowed(admin, true);
  for (const name of ["monitoring", "dhis2", "powerbi"]) {
    await createWebhook(coordinator, { name, url: `https://127.0.0.1:${port}/${name}`, eventTypes: ["attendance.recorded"] });
  }
  // every (participant, session) pair of the past trainings, each mark changing it (present ⇄ late)
  const pairs: { registrationId: number; sessionId: number; eventId: number }[] = [];
  const current = new Map<string, string>();
  for (const a of await getDb().select({ registrationId: attendance.registrationId, sessionId: attendance.sessionId, status: attendance.status }).from(attendance)) {
    current.set(`${a.registrationId}:${a.sessionId}`, a.status);
  }
  for (const title of [DEMO_EVENTS.victimIdentification, DEMO_EVENTS.bahrain, DEMO_EVENTS.essentials, DEMO_EVENTS.media]) {
    const event = firstRow(await getDb().select({ id: events.id }).from(events).where(eq(events.title, title)).limit(1))!;
    const regs = await getDb().select({ id: registrations.id }).from(registrations).where(and(eq(registrations.eventId, event.id), eq(registrations.eventRole, "participant"), eq(registrations.status, "confirmed")));
    const sessions = await getDb().select({ id: eventSessions.id, kind: eventSessions.kind }).from(eventSessions).where(eq(eventSessions.eventId, event.id));
    for (const r of regs) for (const s of sessions) if (s.kind !== "break") pairs.push({ registrationId: r.id, sessionId: s.id, eventId: event.id });
  }

  process.env.NODE_EXTRA_CA_CERTS = `${dir}/cert.pem`;
  const server = await startServer("app", FILE);
  try {
    await startUpRoundsDone(server);
    const cookie = await login(server.base, "participant@example.org");
    const pages = ["/me", "/events"];
    let phase: "rest" | "storm" | "done" = "rest";
    const timings: Record<"rest" | "storm", number[]> = { rest: [], storm: [] };
    const client = async () => {
      for (let i = 0; phase !== "done"; i++) {
        const current = phase;
        const started = performance.now();
        const response = await request(`${server.base}${pages[i % pages.length]}`, { headers: { Cookie: cookie } });
        await response.arrayBuffer();
        if (response.status !== 200) throw new Error(`${pages[i % pages.length]} answered ${response.status}`);
        if (current === phase) timings[current].push(performance.now() - started);
      }
    };
    const clients = Promise.all([client(), client()]);
    await new Promise((r) => setTimeout(r, 20_000));

    phase = "storm";
    const stormStarted = Date.now();
    let marked = 0;
    let recorded = 0;
    for (let batch = 0; batch < BATCHES; batch++) {
      const entries = [];
      for (let k = 0; k < MARKS / BATCHES; k++) {
        const index = marked + k;
        const pair = pairs[index % pairs.length];
        const key = `${pair.registrationId}:${pair.sessionId}`;
        const status = current.get(key) === "present" ? ("late" as const) : ("present" as const);
        current.set(key, status);
        entries.push({ ...pair, status });
      }
      // one event's marks per call, as the attendance page sends them
      for (const eventId of new Set(entries.map((e) => e.eventId))) {
        const own = entries.filter((e) => e.eventId === eventId).map(({ registrationId, sessionId, status }) => ({ registrationId, sessionId, status }));
        recorded += (await recordAttendance(coordinator, eventId, own)).changed;
      }
      marked += entries.length;
      const due = stormStarted + ((batch + 1) * STORM_MS) / BATCHES;
      await new Promise((r) => setTimeout(r, Math.max(0, due - Date.now())));
    }
    const marksDoneAt = Date.now();
    const expected = recorded * 3;
    const total = () => [...received.values()].reduce((a, b) => a + b, 0);
    const deadline = Date.now() + 600_000;
    while (total() < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    const drainedAt = Date.now();
    phase = "done";
    void marked;
    await clients;

    const duplicates = [...received.values()].filter((n) => n > 1).length;
    console.log(`\nWebhook storm (${os.loadavg().map((l) => l.toFixed(2)).join(" ")} load average, ${os.cpus().length} CPUs)`);
    console.log(`  marks recorded: ${recorded} in ${((marksDoneAt - stormStarted) / 1000).toFixed(1)} s; deliveries expected ${expected}, received ${total()}, distinct ${received.size}, received twice ${duplicates}`);
    console.log(`  drained ${((drainedAt - stormStarted) / 1000).toFixed(1)} s after the storm began (${((drainedAt - marksDoneAt) / 1000).toFixed(1)} s after the last mark)`);
    console.log(`  pages at rest:        ${summary(timings.rest)}`);
    console.log(`  pages during storm:   ${summary(timings.storm)}`);
    if (total() < expected || duplicates > 0) process.exitCode = 1;
  } finally {
    await stopServer(server);
    receiver.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
