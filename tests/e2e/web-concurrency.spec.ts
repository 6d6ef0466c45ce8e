import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import { expect, test } from "./fixtures";
import { passSecondFactor } from "./sign-in";
import { serverProcesses } from "./server-processes";

/**
 * WEB_CONCURRENCY=2: two server processes share the port (the production build, its own copy of
 * the demo database). Signing in on one and working on the other must be seamless (sessions,
 * writes and reads all live in the database), the background work must run once, a process that
 * dies is replaced, and nothing is left listening when the supervisor is killed.
 */

const PORT = 3290;
const BASE = `http://localhost:${PORT}`;
const DB = "data/e2e-cluster.db";

let server: ChildProcess;
let output = "";

const processes = () => serverProcesses(DB);

async function until(check: () => boolean | Promise<boolean>, what: string, ms = 60_000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

test.beforeAll(async () => {
  for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(`${DB}${suffix}`, { force: true });
  const seeded = spawnSync(process.execPath, ["--import", "tsx", "db/seed/demo-cli.ts"], { env: { ...process.env, DATABASE_PATH: DB }, encoding: "utf8" });
  if (seeded.status !== 0) throw new Error(`demo data: ${seeded.stderr}`);
  server = spawn(process.execPath, ["build/start/index.js"], {
    env: { ...process.env, NODE_ENV: "production", PORT: String(PORT), DATABASE_PATH: DB, WEB_CONCURRENCY: "2", RATE_LIMIT_PER_MINUTE: "1000" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  server.stdout!.on("data", (chunk) => (output += chunk));
  server.stderr!.on("data", (chunk) => (output += chunk));
  await until(() => output.includes("2 server processes") && processes().length === 2, "two server processes");
  await until(() => output.includes("Start-up rounds done"), "the start-up rounds");
});

test.afterAll(() => {
  server?.kill("SIGKILL");
});

test("two server processes share the work; a stopped one is replaced; the background work runs once", async ({ browser }) => {
  // sign in, then keep working: requests land on either process
  const page = await browser.newPage({ baseURL: BASE });
  await page.goto("/login");
  await page.getByLabel("Email address").fill("coordinator@example.org");
  await page.getByLabel("Password").fill("demo-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await passSecondFactor(page, "coordinator@example.org", DB);
  await expect(page).toHaveURL(`${BASE}/`);
  for (let i = 0; i < 6; i++) {
    await page.goto("/events");
    await expect(page.getByRole("heading", { level: 1, name: "Events" })).toBeVisible();
  }

  // a process that dies is replaced, and the app keeps answering meanwhile
  const first = processes().find((p) => p.index === 0)!.pid;
  const second = processes().find((p) => p.index === 1)!.pid;
  process.kill(second, "SIGKILL");
  await until(() => output.includes("starting another") && processes().length === 2 && !processes().some((p) => p.pid === second), "a replacement");
  expect(processes().map((p) => p.pid)).toContain(first);
  for (let i = 0; i < 4; i++) {
    await page.goto("/events");
    await expect(page.getByRole("heading", { level: 1, name: "Events" })).toBeVisible();
  }
  // reminders, check-ins and retention ran in one process only
  expect(output.match(/Start-up rounds done/g)).toHaveLength(1);
  expect(output.match(/Convene is listening/g)).toHaveLength(1);

  // killing the supervisor leaves nothing behind
  server.kill("SIGKILL");
  await until(() => processes().length === 0, "the server processes to stop", 15_000);
});
