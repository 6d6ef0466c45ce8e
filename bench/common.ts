/**
 * What both benchmarks need (`npm run bench`, the server; `npm run bench:client`, the browser):
 * the build, the generated data, the production server on a free port, and signed-in users.
 */
import { generateHOTP } from "@oslojs/otp";
import { base32ToBytes } from "../app/auth/second-factor.server";
import { DEMO_TOTP_SECRET } from "../db/seed/demo-second-factor";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import type { BenchUser } from "./targets";

/** NODE_OPTIONS as `npm start` sets them (one definition: package.json's start script). */
export const START_NODE_OPTIONS = (JSON.parse(fs.readFileSync("package.json", "utf8")).scripts.start as string).match(/NODE_OPTIONS="([^"]*)"/)?.[1] ?? "";
export const PASSWORD = "demo-password";
export const USERS: Record<BenchUser, string> = { coordinator: "coordinator@example.org", participant: "participant@example.org", donor: "donor@example.org" };

export function sh(command: string, commandArgs: string[], env: NodeJS.ProcessEnv = process.env) {
  const result = spawnSync(command, commandArgs, { stdio: "inherit", env });
  if (result.status !== 0) throw new Error(`${command} ${commandArgs.join(" ")} failed (exit ${result.status ?? result.signal})`);
}

export function ensureBuild(force: boolean) {
  const serverBuild = "build/server/index.js";
  let reason = force ? "--build" : !fs.existsSync(serverBuild) || !fs.existsSync("build/start/index.js") ? "build/ is missing" : null;
  // a build older than the reports routes would answer them with 404
  if (!reason && fs.existsSync("app/routes/reports._index.tsx") && !fs.readFileSync(serverBuild, "utf8").includes("routes/reports._index")) {
    reason = "the build predates app/routes/reports._index.tsx";
  }
  if (reason) {
    console.log(`Building the app (${reason}) …`);
    sh("npm", ["run", "build"]);
  } else {
    console.log(`Using the existing build (built ${fs.statSync(serverBuild).mtime.toISOString()}; --build to rebuild)`);
  }
}

export function databaseFor(scale: number, fresh: boolean) {
  const file = `data/bench-${scale}.db`;
  if (fresh || !fs.existsSync(file)) {
    sh(process.execPath, ["--import", "tsx", "db/seed/scale.ts", "--scale", String(scale), "--out", file, "--force"]);
  } else {
    console.log(`Using ${file} (generated ${fs.statSync(file).mtime.toISOString()}; --fresh to regenerate)`);
  }
  return file;
}


/**
 * The database a benchmark server runs on: the generated SQLite file, or (BENCH_DATABASE_URL) a
 * PostgreSQL database holding a copy of it.
 */
export type BenchDatabase = { engine: "sqlite"; file: string } | { engine: "postgres"; file: string; url: string };

/** BENCH_DATABASE_URL=postgres://user:password@host:5432/postgres: run the benchmark on that server (a database per scale). */
export function benchPostgresServer(env: NodeJS.ProcessEnv = process.env): string | null {
  const url = env.BENCH_DATABASE_URL;
  if (url === undefined || url === "") return null;
  if (!/^postgres(ql)?:\/\//i.test(url)) throw new Error("BENCH_DATABASE_URL must start with postgres:// or postgresql://");
  return url;
}

/** The name of the benchmark's database for a scale (BENCH_DATABASE_PREFIX, default convene_bench_). */
export function benchDatabaseName(scale: number) {
  const prefix = process.env.BENCH_DATABASE_PREFIX || "convene_bench_";
  if (!/^[a-z_][a-z0-9_]{0,40}$/.test(prefix)) throw new Error("BENCH_DATABASE_PREFIX: lower-case letters, digits and _ only");
  return `${prefix}${String(scale).replace(/\W/g, "_")}`;
}

/** What the copy was made from: a copy whose comment says another file (or another version of it) is made again. */
function sourceSignature(file: string) {
  const stat = fs.statSync(file);
  const wal = fs.existsSync(`${file}-wal`) ? fs.statSync(`${file}-wal`) : null;
  return `convene bench copy of ${file}: ${stat.size} bytes, modified ${stat.mtime.toISOString()}${wal ? `, wal ${wal.size} bytes modified ${wal.mtime.toISOString()}` : ""}`;
}

/**
 * The scale's PostgreSQL database on the server of BENCH_DATABASE_URL, holding a copy of the SQLite
 * file made by `npm run db:copy-to-postgres` (which checks every count), after the file is brought
 * to the latest SQLite migration (the copy refuses an older one; a file generated before a new
 * migration would otherwise stop the run). Made again when `fresh`, or when the file has changed
 * since the copy (the database's comment records it).
 */
export async function postgresDatabaseFor(scale: number, file: string, server: string, fresh: boolean): Promise<BenchDatabase> {
  const { default: pg } = await import("pg");
  const name = benchDatabaseName(scale);
  const target = new URL(server);
  target.pathname = `/${name}`;
  const url = target.toString();
  const admin = new pg.Client({ connectionString: server, connectionTimeoutMillis: 10_000 });
  admin.on("error", () => {});
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(`BENCH_DATABASE_URL: no PostgreSQL server answers (${(error as Error).message})`);
  }
  try {
    sh(process.execPath, ["--import", "tsx", "db/cli/migrate.ts"], { ...process.env, DATABASE_URL: "", DATABASE_PATH: file });
    const signature = sourceSignature(file);
    const { rows } = await admin.query<{ comment: string | null }>(
      "select shobj_description(oid, 'pg_database') as comment from pg_database where datname = $1",
      [name],
    );
    if (!fresh && rows.length === 1 && rows[0].comment === signature) {
      console.log(`Using the PostgreSQL database ${name} (a copy of ${file}; --fresh to copy again)`);
      return { engine: "postgres", file, url };
    }
    await admin.query(`drop database if exists "${name}" with (force)`);
    // SQLite's text order (binary), as the tests' databases
    await admin.query(`create database "${name}" template template0 encoding 'UTF8' lc_collate 'C' lc_ctype 'C'`);
    console.log(`Copying ${file} into the PostgreSQL database ${name} …`);
    const started = Date.now();
    sh(process.execPath, ["--import", "tsx", "db/cli/copy-to-postgres.ts", "--from", file, "--to", url], { ...process.env, DATABASE_URL: "", DATABASE_PATH: "" });
    console.log(`  copied in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    await admin.query(`comment on database "${name}" is ${pg.escapeLiteral(signature)}`);
    return { engine: "postgres", file, url };
  } finally {
    await admin.end();
  }
}

/** How the benchmark names a database in its output (never a password). */
export function describeBenchDatabase(database: BenchDatabase) {
  if (database.engine === "sqlite") return `SQLite, ${database.file}`;
  const u = new URL(database.url);
  return `PostgreSQL, postgres://${u.username ? `${decodeURIComponent(u.username)}@` : ""}${u.host}${u.pathname}`;
}

export type Server = { kind: "app" | "baseline"; child: ChildProcess; base: string; output: string[] };

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

export async function startServer(kind: Server["kind"], database: string | BenchDatabase): Promise<Server> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const on: BenchDatabase = typeof database === "string" ? { engine: "sqlite", file: database } : database;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    PORT: String(port),
    APP_URL: base,
    // the engine is the benchmark's choice, never a DATABASE_URL left in the shell
    DATABASE_PATH: on.file,
    DATABASE_URL: on.engine === "postgres" ? on.url : "",
    RATE_LIMIT_PER_MINUTE: "1000000",
    API_RATE_LIMIT_PER_MINUTE: "1000000",
  };
  // the heap settings of `npm start` (package.json), for the app and the baseline alike
  env.NODE_OPTIONS = [process.env.NODE_OPTIONS, START_NODE_OPTIONS].filter(Boolean).join(" ");
  delete env.SMTP_URL;
  delete env.CONVENE_DEMO;
  // node itself (not a wrapper process), so that /proc/<pid> is the server's own memory; the app as
  // `npm start` runs it (compiled by `npm run build`), the baseline through tsx
  const args = kind === "app" ? ["build/start/index.js"] : ["--import", "tsx", "bench/baseline.ts"];
  const child = spawn(process.execPath, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  const output: string[] = [];
  child.stdout!.on("data", (chunk) => output.push(String(chunk)));
  child.stderr!.on("data", (chunk) => output.push(String(chunk)));
  const server = { kind, child, base, output };
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the ${kind} server exited (${child.exitCode}):\n${output.join("")}`);
    try {
      if ((await fetch(`${base}/healthz`)).status === 200) return server;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  await stopServer(server);
  throw new Error(`the ${kind} server did not answer /healthz within 60 s:\n${output.join("")}`);
}

export async function stopServer(server: Server) {
  const { child } = server;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
  await exited;
  clearTimeout(timer);
}


/**
 * fetch, tried twice: a kept-alive connection that the server closes just as it is reused (Node's
 * 5 s keep-alive timeout, e.g. after a long run) fails with "fetch failed" without any fault of the page.
 */
export async function request(url: string, init: RequestInit = {}): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch {
    return fetch(url, init);
  }
}

/** Sign in through the login form, as a browser would (same-origin POST), and return the Cookie header. */
export async function login(base: string, email: string): Promise<string> {
  const response = await request(`${base}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: base },
    body: new URLSearchParams({ email, password: PASSWORD }),
  });
  const cookie = response.headers.getSetCookie().find((c) => !/max-age=0/i.test(c));
  if (response.status !== 302 || !cookie) throw new Error(`POST /login as ${email} answered ${response.status} without a session cookie`);
  if (response.headers.get("Location") !== "/login/two-factor") return cookie.split(";")[0];
  // the demo administrator and coordinator have the demo's second factor (db/seed/demo-second-factor.ts):
  // the code of this 30-second step, or of the next one when this one was used already
  const pending = cookie.split(";")[0];
  const step = Math.floor(Date.now() / 30_000);
  for (const s of [step, step + 1]) {
    const second = await request(`${base}/login/two-factor`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: base, Cookie: pending },
      body: new URLSearchParams({ code: generateHOTP(base32ToBytes(DEMO_TOTP_SECRET), BigInt(s), 6) }),
    });
    const session = second.headers.getSetCookie().find((c) => c.includes("session=") && !/max-age=0/i.test(c));
    if (second.status === 302 && session) return session.split(";")[0];
  }
  throw new Error(`the second factor of ${email} was refused (is the data from before the demo's second factor? regenerate it with --fresh)`);
}


/**
 * An API token for a signed-in user, made as a person makes one: the form of /account/tokens
 * (read-only, 7 days), its secret read from the page that shows it once.
 */
export async function createTokenThroughPage(base: string, cookie: string): Promise<string> {
  const response = await request(`${base}/account/tokens`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: base, cookie },
    body: new URLSearchParams({ intent: "create", name: `bench ${new Date().toISOString()}`, access: "read", lifetimeDays: "7" }),
  });
  const secret = /cvn_[A-Za-z0-9_-]{43}/.exec(await response.text())?.[0];
  if (response.status !== 200 || !secret) throw new Error(`POST /account/tokens answered ${response.status} without a token`);
  return secret;
}

/**
 * The app's background rounds (reminders, check-ins, retention) run 5 s after it listens; the
 * first ones on a new database write thousands of reminders. Wait for the line the app prints
 * when they are done, so that they are not inside a measured run.
 */
export async function startUpRoundsDone(server: Server, timeoutMs = 300_000) {
  const deadline = Date.now() + timeoutMs;
  while (!server.output.join("").includes("Start-up rounds done")) {
    if (server.child.exitCode !== null) throw new Error(`the app exited (${server.child.exitCode}):\n${server.output.join("")}`);
    if (Date.now() > deadline) throw new Error(`the app's start-up rounds did not finish within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

