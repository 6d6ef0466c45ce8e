import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import Database from "better-sqlite3";
import { expect, test } from "./fixtures";
import { serverProcesses } from "./server-processes";
import { postBigBody, refusedOrReset, type BigPostResult } from "../setup/big-body";

/**
 * A stranger cannot take the service down: the production server as `npm start` runs it (its
 * supervisor, and the bounded heap of package.json's start script), with its own copy of the demo
 * data, receives four 300 MB bodies at once on the public registration form, with a
 * Content-Length and then chunked (generated as the socket takes them, never held here). Each is
 * refused with 413, the server answers /healthz and a page within 2 s afterwards, and its peak
 * memory stays within bounds without a restart. Then: a server process that dies is replaced,
 * with the reason logged; one that cannot start stops everything with its message.
 */

const PORT = 3291;
const BASE = `http://localhost:${PORT}`;
const DB = "data/e2e-limits.db";
const MB = 1_000_000;
const START_SCRIPT = JSON.parse(fs.readFileSync("package.json", "utf8")).scripts.start as string;
/** NODE_OPTIONS as `npm start` sets them (one definition: package.json's start script). */
const START_NODE_OPTIONS = START_SCRIPT.match(/NODE_OPTIONS="([^"]*)"/)![1];
/** What `npm start` runs with Node: the server compiled by `npm run build`. */
const START_ARGS = START_SCRIPT.match(/ node (.+)$/)![1].split(" ");
/**
 * Resident memory of a server process once started with the demo data. Run through tsx (its
 * module loader, esbuild worker and source maps) it held 280–310 MB; compiled, ~130.
 */
const START_UP_BOUND_MB = 200;
/**
 * Peak resident memory allowed to the server process: the README's bound. The floods are also
 * judged by what they add to what the process held before them: one buffered body (300 MB) would
 * pass neither.
 */
const MEMORY_BOUND_MB = 400;
/** What the floods may add to the memory the server held before them (they added 25 MB when measured). */
const FLOOD_GROWTH_BOUND_MB = 100;

let server: ChildProcess;
let output = "";
let eventId: number;

const workers = () => serverProcesses(DB);

/** Peak resident memory of a process so far (VmHWM), in MB. */
function peakMemoryMb(pid: number) {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

/** Resident memory of a process now (VmRSS), in MB. */
function memoryMb(pid: number) {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

async function until(check: () => boolean | Promise<boolean>, what: string, ms = 60_000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const healthy = async () => {
  try {
    return (await fetch(`${BASE}/healthz`)).status === 200;
  } catch {
    return false;
  }
};

/** /healthz and the registration page both answer, each within 2 s. */
async function answersWithinTwoSeconds() {
  const timed = async (path: string) => {
    const started = Date.now();
    const response = await fetch(`${BASE}${path}`, { signal: AbortSignal.timeout(2000) });
    const body = await response.text();
    return { status: response.status, type: response.headers.get("content-type"), body, ms: Date.now() - started };
  };
  const health = await timed("/healthz");
  expect(health.status).toBe(200);
  expect(JSON.parse(health.body)).toEqual({ status: "ok" });
  const page = await timed(`/events/${eventId}/register`);
  expect(page.status).toBe(200);
  expect(page.type).toMatch(/^text\/html/);
  expect(health.ms + page.ms).toBeLessThan(2000);
}

function expectRefused(results: BigPostResult[]) {
  for (const result of results) {
    // the 413 page, or a reset when the connection closed under a client still sending
    expect(refusedOrReset(result), JSON.stringify({ ...result, body: result.body.slice(0, 200) })).toBe(true);
    if (result.status === 413) expect(result.body).toContain("A form may send at most 1 MB.");
    // refused long before the end: the rest was never read
    expect(result.sent).toBeLessThan(64 * MB);
  }
}

test.beforeAll(async () => {
  for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(`${DB}${suffix}`, { force: true });
  const seeded = spawnSync(process.execPath, ["--import", "tsx", "db/seed/demo-cli.ts"], { env: { ...process.env, DATABASE_PATH: DB }, encoding: "utf8" });
  if (seeded.status !== 0) throw new Error(`demo data: ${seeded.stderr}`);
  const db = new Database(DB, { readonly: true });
  eventId = (db.prepare("select id from events where status = 'open' order by id limit 1").get() as { id: number }).id;
  db.close();
  server = spawn(process.execPath, START_ARGS, {
    env: { ...process.env, NODE_ENV: "production", NODE_OPTIONS: START_NODE_OPTIONS, PORT: String(PORT), DATABASE_PATH: DB, WEB_CONCURRENCY: "", TRUST_PROXY: "" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  server.stdout!.on("data", (chunk) => (output += chunk));
  server.stderr!.on("data", (chunk) => (output += chunk));
  await until(async () => workers().length === 1 && (await healthy()), "the server");
});

test.afterAll(async () => {
  server?.kill("SIGKILL");
  await until(() => workers().length === 0, "the server processes to stop", 15_000);
});

test("four concurrent 300 MB bodies, declared and then chunked: 413 each, the server keeps answering within its memory", async () => {
  test.setTimeout(120_000);
  const [worker] = workers();
  const before = memoryMb(worker.pid);
  // `npm start` runs the compiled server with plain Node, no TypeScript loader in the process
  expect(START_ARGS).toEqual(["build/start/index.js"]);
  expect(fs.readFileSync(`/proc/${worker.pid}/cmdline`, "utf8")).not.toContain("tsx");
  expect(before).toBeLessThan(START_UP_BOUND_MB);
  const register = `${BASE}/events/${eventId}/register`;
  const headers = { Origin: BASE };

  // a client that declares 300 MB and waits gets the page
  const page = await postBigBody(register, { total: 300 * MB, send: 64_000, headers });
  expect(page.status).toBe(413);
  expect(page.body).toContain("What you sent is too large");

  const declared = await Promise.all(Array.from({ length: 4 }, async () => await postBigBody(register, { total: 300 * MB, headers })));
  expectRefused(declared);
  await answersWithinTwoSeconds();

  const chunked = await Promise.all(Array.from({ length: 4 }, async () => await postBigBody(register, { total: 300 * MB, chunked: true, headers })));
  expectRefused(chunked);
  await answersWithinTwoSeconds();

  // the same process all along (no crash hidden by a restart), and its peak memory within bounds
  expect(workers()).toEqual([worker]);
  expect(output).not.toContain("stopped (");
  const peak = peakMemoryMb(worker.pid);
  expect(peak).toBeLessThan(MEMORY_BOUND_MB);
  expect(peak - before).toBeLessThan(FLOOD_GROWTH_BOUND_MB);
});

test("with one server process (the default), a process that dies is replaced and the reason logged", async () => {
  const [worker] = workers();
  process.kill(worker.pid, "SIGKILL");
  await until(() => output.includes("server process 0 stopped (killed by SIGKILL); starting another"), "the supervisor's message");
  await until(async () => workers().length === 1 && workers()[0].pid !== worker.pid && (await healthy()), "a replacement");
  await answersWithinTwoSeconds();
});

test("a server process that cannot start stops everything with its message", () => {
  const started = spawnSync(process.execPath, ["build/start/index.js"], {
    env: { ...process.env, NODE_ENV: "production", PORT: String(PORT + 1), DATABASE_PATH: "package.json/cannot.db" },
    encoding: "utf8",
    timeout: 60_000,
  });
  expect(started.status).toBe(1);
  expect(started.stderr).toMatch(/^Convene cannot start: DATABASE_PATH/m);
});
