/**
 * `npm run bench` (issue 11): how fast the pages people use most are at the scale of a global
 * organisation, against the floor of the same queries behind a bare node:http handler.
 *
 *   npm run bench                      build if needed, generate data/bench-{1,10}.db if missing, measure
 *   npm run bench -- --fresh           regenerate the databases first
 *   npm run bench -- --build           rebuild the app first
 *   BENCH_SECONDS=10 npm run bench     seconds measured per page and server (default 6)
 *   BENCH_WARMUP_SECONDS=2             warm-up per page before measuring (default 2)
 *   BENCH_SCALES=1,10                  scales to run (default 1,10)
 *   BENCH_CONNECTIONS=10               concurrent connections (default 10)
 *   BENCH_PAGES=reports,reports-donor  only these pages (by name); results to data/bench-results[-postgres]-some-pages.json
 *   BENCH_SLOW_REQUESTS=20             requests sent to a page too slow for a timed run (default 20)
 *   BENCH_ACCEPT_ENCODING="br, gzip"   the Accept-Encoding the requests send (default: as browsers, so
 *                                      compression is measured; "identity" for uncompressed answers)
 *   BENCH_DATABASE_URL=postgres://user:password@host:5432/postgres
 *                                      run on PostgreSQL: each scale's generated SQLite file is copied
 *                                      (npm run db:copy-to-postgres) into a database of that server
 *                                      named convene_bench_<scale> (BENCH_DATABASE_PREFIX), made again
 *                                      with --fresh or when the file changed; results go to
 *                                      data/bench-results-postgres.json
 *
 * For each scale: the production server (`NODE_ENV=production`, server/index.ts) and then the
 * baseline (bench/baseline.ts) are started on a free port against the same database; the demo
 * coordinator, participant and donor sign in through POST /login; each page is warmed up (requests one
 * after another) and then loaded by autocannon. A page whose single request takes so long that a
 * timed run would see fewer than two responses per connection is sent a fixed number of requests
 * instead (all of them counted). Requests the server is still working on when a run ends are
 * waited for before the next page. Every response must be a 200: any other status, an error or a
 * page without responses fails the run. The table goes to the terminal and, with the machine's
 * details, to data/bench-results.json.
 *
 * The app's first start on a new database does its start-up work (reminder emails of the
 * generated events written to the outbox); the benchmark starts it once beforehand so that this
 * one-off work is not measured.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import {
  benchPostgresServer,
  databaseFor,
  describeBenchDatabase,
  ensureBuild,
  login,
  postgresDatabaseFor,
  request,
  START_NODE_OPTIONS,
  startServer,
  startUpRoundsDone,
  stopServer,
  USERS,
  createTokenThroughPage,
  type BenchDatabase,
  type Server,
} from "./common";
import { benchPages, findTargets, type BenchUser, type Page } from "./targets";

const args = process.argv.slice(2);
const FRESH = args.includes("--fresh");
const FORCE_BUILD = args.includes("--build");
const SECONDS = positive("BENCH_SECONDS", 6);
const WARMUP_SECONDS = positive("BENCH_WARMUP_SECONDS", 2, true);
const CONNECTIONS = positive("BENCH_CONNECTIONS", 10);
const SLOW_REQUESTS = positive("BENCH_SLOW_REQUESTS", 2 * CONNECTIONS);
const ACCEPT_ENCODING = process.env.BENCH_ACCEPT_ENCODING ?? "br, gzip";
const SCALES = (process.env.BENCH_SCALES ?? "1,10").split(",").map((s) => Number(s.trim()));
const POSTGRES_SERVER = benchPostgresServer();
const ENGINE = POSTGRES_SERVER ? "PostgreSQL" : "SQLite";
/** BENCH_PAGES=reports-donor,test-results-500: measure these pages only (their results go to a file of their own) */
const ONLY_PAGES = process.env.BENCH_PAGES ? process.env.BENCH_PAGES.split(",").map((s) => s.trim()).filter(Boolean) : null;
const RESULTS_FILE = `data/bench-results${POSTGRES_SERVER ? "-postgres" : ""}${ONLY_PAGES ? "-some-pages" : ""}.json`;

function positive(name: string, fallback: number, zeroAllowed = false): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0 || (!zeroAllowed && value === 0)) throw new Error(`${name} must be a positive number, got "${raw}"`);
  return value;
}

// ---------------------------------------------------------------------------------------------
// Build and data

// ---------------------------------------------------------------------------------------------
// Servers

/**
 * Resident memory of a server in MB, from /proc/<pid>/status (VmRSS; VmHWM for the peak): the
 * process and every process under it, so that a cluster (WEB_CONCURRENCY) counts all its workers
 * (the sum of peaks is an upper bound of their peak together).
 */
function memoryOf(pid: number, field: "VmRSS" | "VmHWM" = "VmRSS"): number {
  return [pid, ...descendantsOf(pid)].reduce((sum, id) => sum + ownMemoryOf(id, field), 0);
}

function ownMemoryOf(pid: number, field: "VmRSS" | "VmHWM"): number {
  try {
    const match = fs.readFileSync(`/proc/${pid}/status`, "utf8").match(new RegExp(`^${field}:\\s+(\\d+) kB`, "m"));
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** The processes started by a process, and theirs (from each /proc/<pid>/stat's parent id), looked up every 2 s at most. */
const knownDescendants = new Map<number, { at: number; pids: number[] }>();
function descendantsOf(pid: number): number[] {
  const known = knownDescendants.get(pid);
  if (known && Date.now() - known.at < 2000) return known.pids;
  const pids = findDescendants(pid);
  knownDescendants.set(pid, { at: Date.now(), pids });
  return pids;
}

function findDescendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const parent = Number(fs.readFileSync(`/proc/${entry}/stat`, "utf8").split(") ")[1].split(" ")[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    } catch {
      // the process ended meanwhile
    }
  }
  const found: number[] = [];
  const walk = (id: number) => {
    for (const child of children.get(id) ?? []) {
      found.push(child);
      walk(child);
    }
  };
  walk(pid);
  return found;
}

/** One request before loading a page: it must be a 200 (not a redirect to /login, not an error page). */
async function check(base: string, page: Page, credentials: Credentials) {
  const response = await request(base + page.path, { headers: { ...credentials, "accept-encoding": ACCEPT_ENCODING }, redirect: "manual" });
  const body = await response.text();
  if (response.status !== 200) {
    throw new Error(`${page.path} answered ${response.status} ${response.headers.get("location") ?? ""}\n${body.slice(0, 400)}`);
  }
  return body.length;
}

// ---------------------------------------------------------------------------------------------
// Load

type Stats = {
  requests: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  kbPerResponse: number;
  rssMaxMb: number;
  /** a timed run, or a fixed number of requests for a slow page */
  mode: string;
  /** the first few distinct connection errors, if any */
  errorMessages: string[];
  /** median latency of the warm-up's requests, sent one at a time (the cost of one request, without queueing) */
  sequentialMs: number;
};

/** Sequential requests for at least `seconds` (and at least one): JIT and caches warm, nothing left queued. Returns the median latency. */
async function warmUp(url: string, credentials: Credentials, seconds: number): Promise<number> {
  const times: number[] = [];
  const until = performance.now() + seconds * 1000;
  do {
    const started = performance.now();
    const response = await request(url, { headers: { ...credentials, "accept-encoding": ACCEPT_ENCODING }, redirect: "manual" });
    await response.arrayBuffer();
    times.push(performance.now() - started);
  } while (performance.now() < until);
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/** Wait until the server has finished the requests abandoned at the end of a run (it cannot cancel them). */
async function drain(base: string) {
  await (await request(`${base}/healthz`)).arrayBuffer();
}

type Run = { seconds: number } | { requests: number };

function load(url: string, credentials: Credentials, run: Run, pid: number): Promise<Omit<Stats, "sequentialMs">> {
  const times: number[] = [];
  let non2xx = 0;
  let bytes = 0;
  const errorMessages = new Set<string>();
  let rssMax = memoryOf(pid);
  const sampler = setInterval(() => {
    rssMax = Math.max(rssMax, memoryOf(pid));
  }, 100);
  return new Promise<Omit<Stats, "sequentialMs">>((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections: CONNECTIONS,
        ...("seconds" in run ? { duration: run.seconds } : { amount: run.requests }),
        headers: { ...credentials, "accept-encoding": ACCEPT_ENCODING },
        timeout: 600,
      },
      (error, result) => {
        clearInterval(sampler);
        if (error) return reject(error);
        rssMax = Math.max(rssMax, memoryOf(pid));
        times.sort((a, b) => a - b);
        const at = (p: number) => (times.length === 0 ? NaN : times[Math.min(times.length - 1, Math.max(0, Math.ceil((p / 100) * times.length) - 1))]);
        resolve({
          requests: times.length,
          rps: times.length / result.duration,
          p50: at(50),
          p95: at(95),
          p99: at(99),
          max: times[times.length - 1] ?? NaN,
          non2xx: Math.max(non2xx, result.non2xx),
          errors: result.errors,
          timeouts: result.timeouts,
          kbPerResponse: times.length ? bytes / times.length / 1024 : 0,
          rssMaxMb: rssMax,
          mode: "seconds" in run ? `${run.seconds} s` : `${run.requests} requests`,
          errorMessages: [...errorMessages],
        });
      },
    );
    // every response's own latency, so that p95 is exact (autocannon's histogram reports p90 and p97.5)
    instance.on("response", (_client: unknown, status: number, resBytes: number, ms: number) => {
      times.push(ms);
      bytes += resBytes;
      if (status < 200 || status > 299) non2xx++;
    });
    instance.on("reqError", (error: Error & { code?: string }) => {
      if (errorMessages.size < 5) errorMessages.add(`${error.code ?? ""} ${error.message}`.trim());
    });
  });
}

/** Start and stop the app once: its start-up work on a new database (reminders into the outbox) is not what we measure. */
async function prime(database: BenchDatabase) {
  const started = Date.now();
  const server = await startServer("app", database);
  await startUpRoundsDone(server);
  await stopServer(server);
  console.log(`  app started once beforehand (${fmt((Date.now() - started) / 1000)} s: migrations check, start-up jobs)`);
}

/** The headers that sign a request in: a session cookie, or for an API page an API token. */
type Credentials = Record<string, string>;
type Jar = { cookies: Record<BenchUser, string>; tokens: Partial<Record<BenchUser, string>> };

async function measureServer(kind: Server["kind"], database: BenchDatabase, pages: Page[], signedIn: Jar | null) {
  const server = await startServer(kind, database);
  const pid = server.child.pid!;
  try {
    if (kind === "app") await startUpRoundsDone(server);
    const cookies = signedIn?.cookies ?? {
      coordinator: await login(server.base, USERS.coordinator),
      participant: await login(server.base, USERS.participant),
      donor: await login(server.base, USERS.donor),
    };
    // API tokens are rows of the database: made once on the app, used by the baseline too
    const tokens = signedIn?.tokens ?? {};
    for (const page of pages) if (page.api && !tokens[page.user]) tokens[page.user] = await createTokenThroughPage(server.base, cookies[page.user]);
    const jar: Jar = { cookies, tokens };
    const credentialsOf = (page: Page): Credentials => (page.api ? { authorization: `Bearer ${tokens[page.user]}` } : { cookie: cookies[page.user] });
    for (const page of pages) await check(server.base, page, credentialsOf(page));
    const stats: Record<string, Stats> = {};
    for (const page of pages) {
      const url = server.base + page.path;
      const single = await warmUp(url, credentialsOf(page), WARMUP_SECONDS);
      // a timed run needs at least two responses per connection to say anything
      const slow = single * CONNECTIONS * 2 > SECONDS * 1000;
      const s = { ...(await load(url, credentialsOf(page), slow ? { requests: SLOW_REQUESTS } : { seconds: SECONDS }, pid)), sequentialMs: single };
      await drain(server.base);
      stats[page.name] = s;
      console.log(
        `  ${kind.padEnd(8)} ${page.name.padEnd(18)} ${fmt(s.rps, 0).padStart(6)} req/s  1 req ${fmt(s.sequentialMs)}  p50 ${fmt(s.p50)}  p95 ${fmt(s.p95)}  p99 ${fmt(s.p99)} ms  ${fmt(s.kbPerResponse, 0)} kB  RSS ${fmt(s.rssMaxMb, 0)} MB  (${s.mode})${s.non2xx + s.errors + s.timeouts > 0 ? `  !! ${s.non2xx} non-2xx, ${s.errors} errors, ${s.timeouts} timeouts` : ""}`,
      );
    }
    return { stats, jar, peakRssMb: memoryOf(pid, "VmHWM") };
  } catch (error) {
    const exit = server.child.exitCode ?? server.child.signalCode;
    throw new Error(
      `${error instanceof Error ? `${error.message}${error.cause ? ` (${String(error.cause)})` : ""}` : String(error)}\n` +
        `the ${kind} server ${exit === null ? "was still running" : `had exited (${exit})`}; its last output:\n${server.output.join("").slice(-3000)}`,
    );
  } finally {
    await stopServer(server);
  }
}

// ---------------------------------------------------------------------------------------------
// Report

const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : "–");

type PageResult = {
  page: string;
  description: string;
  path: string;
  user: BenchUser;
  app: Stats;
  baseline: Stats;
  /** app requests/s ÷ baseline requests/s */
  ratio: number;
  p95TargetMs: number;
};

type ScaleResult = {
  scale: number;
  engine: string;
  database: string;
  databaseMb: number;
  loadAverageBefore: number[];
  pages: PageResult[];
  skipped: string[];
  appRssMaxMb: number;
  appRssPeakMb: number;
  baselineRssMaxMb: number;
};

function printScale(r: ScaleResult) {
  const header = ["page", "req/s", "p50", "p95", "p99", "1 req", "base req/s", "base p95", "base 1 req", "ratio", "RSS MB", "p95 ≤", "run"];
  const rows = r.pages.map((p) => [
    p.page,
    fmt(p.app.rps, 0),
    fmt(p.app.p50),
    fmt(p.app.p95),
    fmt(p.app.p99),
    fmt(p.app.sequentialMs),
    fmt(p.baseline.rps, 0),
    fmt(p.baseline.p95),
    fmt(p.baseline.sequentialMs),
    fmt(p.ratio, 2),
    fmt(p.app.rssMaxMb, 0),
    String(p.p95TargetMs),
    p.app.mode,
  ]);
  console.log(`\nScale ${r.scale} (${r.database}, ${fmt(r.databaseMb, 0)} MB; ${CONNECTIONS} connections, ${SECONDS} s per page; latencies in ms;\n   "1 req" = median latency of one request at a time, during warm-up; ratio = app req/s ÷ baseline req/s)`);
  printTable(header, rows);
  console.log(`  server RSS: max ${fmt(r.appRssMaxMb, 0)} MB while measured (peak ${fmt(r.appRssPeakMb, 0)} MB); baseline max ${fmt(r.baselineRssMaxMb, 0)} MB`);
  for (const s of r.skipped) console.log(`  skipped: ${s}`);
}

function printTable(header: string[], rows: string[][]) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => "  " + cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  console.log(line(header));
  console.log("  " + widths.map((w) => "-".repeat(w)).join("  "));
  for (const row of rows) console.log(line(row));
}

type Check = { target: string; scale: number; page?: string; value: number; limit: number; met: boolean; gap: string };

function targetChecks(results: ScaleResult[]): Check[] {
  const checks: Check[] = [];
  for (const r of results) {
    for (const p of r.pages) {
      const over = p.app.p95 - p.p95TargetMs;
      checks.push({
        target: `p95 ≤ ${p.p95TargetMs} ms`,
        scale: r.scale,
        page: p.page,
        value: p.app.p95,
        limit: p.p95TargetMs,
        met: p.app.p95 <= p.p95TargetMs,
        gap: over > 0 ? `${fmt(over)} ms over (${fmt(p.app.p95 / p.p95TargetMs, 1)}×)` : "",
      });
      // the throughput ratio to the baseline stays in the table as a figure to watch, not a target
    }
    {
      checks.push({
        target: "server RSS ≤ 400 MB",
        scale: r.scale,
        value: r.appRssMaxMb,
        limit: 400,
        met: r.appRssMaxMb <= 400,
        gap: r.appRssMaxMb > 400 ? `${fmt(r.appRssMaxMb - 400, 0)} MB over` : "",
      });
    }
  }
  return checks;
}

/** The database's size: the SQLite file, or PostgreSQL's own figure for the database. */
async function databaseMb(database: BenchDatabase) {
  if (database.engine === "sqlite") return fs.statSync(database.file).size / 2 ** 20;
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    return Number((await client.query("select pg_database_size(current_database()) as bytes")).rows[0].bytes) / 2 ** 20;
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const started = Date.now();
  for (const s of SCALES) if (!(s > 0)) throw new Error(`BENCH_SCALES must list positive numbers, got "${process.env.BENCH_SCALES}"`);
  console.log(`Convene benchmark on ${ENGINE}: scales ${SCALES.join(", ")}, ${CONNECTIONS} connections, Accept-Encoding "${ACCEPT_ENCODING}", ${WARMUP_SECONDS} s warm-up + ${SECONDS} s per page (${SLOW_REQUESTS} requests for a slow page); NODE_OPTIONS ${START_NODE_OPTIONS || "(none)"}`);
  console.log(`Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, ${fmt(os.totalmem() / 2 ** 30, 0)} GB, node ${process.version}, load average ${os.loadavg().map((l) => fmt(l, 2)).join(" ")}`);
  ensureBuild(FORCE_BUILD);
  const databases: { scale: number; file: string; database: BenchDatabase }[] = [];
  for (const scale of SCALES) {
    const file = databaseFor(scale, FRESH);
    // the data is generated in SQLite (db/seed/scale.ts), then copied into PostgreSQL
    const database: BenchDatabase = POSTGRES_SERVER ? await postgresDatabaseFor(scale, file, POSTGRES_SERVER, FRESH) : { engine: "sqlite", file };
    databases.push({ scale, file, database });
  }

  const results: ScaleResult[] = [];
  for (const { scale, file, database } of databases) {
    // the copy keeps every id: the records to measure are looked up in the SQLite file
    const targets = findTargets(file);
    const { pages: allPages, skipped } = benchPages(targets);
    const pages = ONLY_PAGES ? allPages.filter((p) => ONLY_PAGES.includes(p.name)) : allPages;
    if (ONLY_PAGES) {
      const unknown = ONLY_PAGES.filter((name) => !allPages.some((p) => p.name === name));
      if (unknown.length > 0) throw new Error(`BENCH_PAGES names no page called ${unknown.join(", ")}; the pages are ${allPages.map((p) => p.name).join(", ")}`);
    }
    const loadAverageBefore = os.loadavg();
    console.log(`\n== scale ${scale}: ${describeBenchDatabase(database)} (load average ${loadAverageBefore.map((l) => fmt(l, 2)).join(" ")})`);
    for (const s of skipped) console.log(`  skipping ${s}`);
    await prime(database);
    const app = await measureServer("app", database, pages, null);
    const baseline = await measureServer("baseline", database, pages, app.jar);
    const pageResults = pages.map((page) => {
      const a = app.stats[page.name];
      const b = baseline.stats[page.name];
      return {
        page: page.name,
        description: page.description,
        path: page.path,
        user: page.user,
        app: a,
        baseline: b,
        ratio: a.rps / b.rps,
        p95TargetMs: scale <= 1 ? page.budget.small : page.budget.large,
      };
    });
    const result: ScaleResult = {
      scale,
      engine: ENGINE,
      database: describeBenchDatabase(database),
      databaseMb: await databaseMb(database),
      loadAverageBefore,
      pages: pageResults,
      skipped,
      appRssMaxMb: Math.max(...pageResults.map((p) => p.app.rssMaxMb)),
      appRssPeakMb: app.peakRssMb,
      baselineRssMaxMb: Math.max(...pageResults.map((p) => p.baseline.rssMaxMb)),
    };
    results.push(result);
  }

  for (const r of results) printScale(r);

  const growth =
    results.length >= 2
      ? results[0].pages.map((p) => {
          const last = results[results.length - 1].pages.find((q) => q.page === p.page)!;
          return { page: p.page, from: results[0].scale, to: results[results.length - 1].scale, p95From: p.app.p95, p95To: last.app.p95, factor: last.app.p95 / p.app.p95, rpsFrom: p.app.rps, rpsTo: last.app.rps };
        })
      : [];
  if (growth.length > 0) {
    console.log(`\nGrowth from scale ${growth[0].from} to scale ${growth[0].to} (p95 in ms)`);
    printTable(
      ["page", `p95 @${growth[0].from}`, `p95 @${growth[0].to}`, "× p95", `req/s @${growth[0].from}`, `req/s @${growth[0].to}`],
      growth.map((g) => [g.page, fmt(g.p95From), fmt(g.p95To), fmt(g.factor, 2), fmt(g.rpsFrom, 0), fmt(g.rpsTo, 0)]),
    );
  }

  const checks = targetChecks(results);
  const missed = checks.filter((c) => !c.met);
  console.log(`\nTargets: ${checks.length - missed.length} of ${checks.length} met`);
  for (const c of missed) console.log(`  MISSED  scale ${c.scale}${c.page ? ` ${c.page}` : ""}: ${c.target} — ${c.gap}`);

  const failures = results.flatMap((r) =>
    r.pages.flatMap((p) =>
      (["app", "baseline"] as const)
        .filter((k) => p[k].non2xx + p[k].errors + p[k].timeouts > 0 || p[k].requests === 0)
        .map(
          (k) =>
            `scale ${r.scale} ${k} ${p.page}: ${p[k].requests} responses, ${p[k].non2xx} non-2xx, ${p[k].errors} errors, ${p[k].timeouts} timeouts` +
            (p[k].errorMessages.length ? ` (${p[k].errorMessages.join("; ")})` : ""),
        ),
    ),
  );

  fs.mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
  fs.writeFileSync(
    RESULTS_FILE,
    JSON.stringify(
      {
        measuredAt: new Date().toISOString(),
        machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGb: os.totalmem() / 2 ** 30, node: process.version, loadAverageAfter: os.loadavg() },
        settings: { engine: ENGINE, acceptEncoding: ACCEPT_ENCODING, connections: CONNECTIONS, seconds: SECONDS, warmupSeconds: WARMUP_SECONDS, slowPageRequests: SLOW_REQUESTS, scales: SCALES, nodeOptions: START_NODE_OPTIONS },
        scales: results,
        growth,
        targets: checks,
        failures,
      },
      null,
      2,
    ) + "\n",
  );
  console.log(`\nResults written to ${RESULTS_FILE} (${fmt((Date.now() - started) / 1000, 0)} s in all; load average now ${os.loadavg().map((l) => fmt(l, 2)).join(" ")})`);
  if (os.loadavg()[0] > os.cpus().length) {
    console.log(`  note: the load average is above the number of CPUs — other processes shared the machine during the run, so latencies are pessimistic`);
  }
  if (failures.length > 0) {
    console.error(`\nFAILED: responses other than 200 during the run:\n  ${failures.join("\n  ")}`);
    if (failures.some((f) => f.includes("ECONNRESET"))) {
      console.error(
        "  (ECONNRESET: while requests held the event loop for seconds, the server dropped kept-alive connections\n" +
          "   after large responses before reading their next request — Node's 5 s keepAliveTimeout ran out)",
      );
    }
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(`\nFAILED: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
