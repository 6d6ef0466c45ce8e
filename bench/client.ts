/**
 * `npm run bench:client`: what a first visit of each key page costs a phone on a slow network.
 *
 *   npm run bench:client                build if needed, generate data/bench-1.db if missing, measure
 *   npm run bench:client -- --build     rebuild the app first
 *   BENCH_CLIENT_RUNS=3                 visits per page; the median is reported (default 3)
 *   BENCH_CLIENT_LATENCY_MS=400         round trip added to every request (default 400)
 *   BENCH_CLIENT_KBPS=400               download and upload speed in kbit/s (default 400)
 *   BENCH_CLIENT_CPU_SLOWDOWN=4         CPU throttling factor (default 4)
 *   CHROMIUM_PATH=/usr/bin/chromium     the browser
 *
 * The production server (`server/index.ts`, NODE_ENV=production) serves the scale-1 benchmark data
 * (db/seed/scale.ts, as `npm run bench`). Each visit is a new browser context (empty cache, the
 * user's session cookie only) in Chromium, with DevTools' "Slow 3G" network (400 ms round trip,
 * 400 kbit/s each way) and the CPU slowed down four times. Measured:
 *
 * - bytes transferred in all (HTML, JS, CSS and the rest): Chromium's encodedDataLength of every
 *   response, compressed as sent, headers included, until the network is idle after hydration;
 * - first paint and first contentful paint (the browser's paint timings);
 * - usable: the moment React has hydrated the page (root.tsx sets `data-hydrated` on <html>).
 *
 * Budgets per page: at most 150 kB transferred, first paint ≤ 2.5 s, usable ≤ 8 s. The table goes to
 * the terminal and to data/bench-client-results.json; the exit code is 1 if a page misses one.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, type Browser } from "@playwright/test";
import { databaseFor, ensureBuild, login, request, startServer, startUpRoundsDone, stopServer, USERS } from "./common";
import { findTargets, type BenchUser } from "./targets";

const FORCE_BUILD = process.argv.includes("--build");
const RUNS = Number(process.env.BENCH_CLIENT_RUNS ?? 3);
const LATENCY_MS = Number(process.env.BENCH_CLIENT_LATENCY_MS ?? 400);
const KBPS = Number(process.env.BENCH_CLIENT_KBPS ?? 400);
const CPU_SLOWDOWN = Number(process.env.BENCH_CLIENT_CPU_SLOWDOWN ?? 4);
const RESULTS_FILE = "data/bench-client-results.json";
const BUDGET = { kB: 150, firstPaintS: 2.5, usableS: 8 };
/** kB as DevTools counts them */
const KB = 1000;

type ClientPage = { name: string; path: string; user: BenchUser | null; viewport: { width: number; height: number } };
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 360, height: 740 };

function keyPages(database: string): ClientPage[] {
  const t = findTargets(database);
  return [
    { name: "login", path: "/login", user: null, viewport: PHONE },
    { name: "public registration", path: `/events/${t.openEventId}/register`, user: null, viewport: PHONE },
    { name: "events list", path: "/events", user: "coordinator", viewport: DESKTOP },
    { name: "event overview", path: `/events/${t.overviewEventId}`, user: "coordinator", viewport: DESKTOP },
    { name: "roster", path: `/events/${t.bigRosterEventId}/roster`, user: "coordinator", viewport: DESKTOP },
    { name: "attendance (phone)", path: `/events/${t.gridEventId}/attendance`, user: "coordinator", viewport: PHONE },
    { name: "/me", path: "/me", user: "participant", viewport: PHONE },
    { name: "/check-in", path: "/check-in", user: "participant", viewport: PHONE },
    { name: "reports", path: `/reports?programmeId=${t.flagshipProgrammeId}&from=${t.firstDay}&to=${t.lastDay}`, user: "coordinator", viewport: DESKTOP },
  ];
}

type Kind = "html" | "js" | "css" | "other";
type Visit = {
  bytes: Record<Kind | "total", number>;
  requests: number;
  largest: { url: string; bytes: number }[];
  firstPaintS: number;
  firstContentfulPaintS: number;
  usableS: number;
};

function kindOf(type: string, url: string): Kind {
  if (type === "Document") return "html";
  if (type === "Script" || /\.m?js(\?|$)/.test(url)) return "js";
  if (type === "Stylesheet" || /\.css(\?|$)/.test(url)) return "css";
  return "other";
}

async function visit(browser: Browser, base: string, page: ClientPage, cookie: string | null): Promise<Visit> {
  const context = await browser.newContext({ viewport: page.viewport, locale: "en-GB", isMobile: page.viewport === PHONE, hasTouch: page.viewport === PHONE });
  try {
    if (cookie) {
      const [name, ...value] = cookie.split("=");
      await context.addCookies([{ name, value: value.join("="), url: base }]);
    }
    // when <html> gets data-hydrated, in the page's own clock (the same as the paint timings');
    // a string: tsx would wrap a named function in a helper the page does not have
    await context.addInitScript(`
      new MutationObserver((_, observer) => {
        if (document.documentElement.hasAttribute("data-hydrated")) {
          window.__hydratedAt = performance.now();
          observer.disconnect();
        }
      }).observe(document, { attributes: true, subtree: true, attributeFilter: ["data-hydrated"] });`);
    const tab = await context.newPage();
    const cdp = await context.newCDPSession(tab);
    await cdp.send("Network.enable");
    await cdp.send("Network.emulateNetworkConditions", {
      offline: false,
      latency: LATENCY_MS,
      downloadThroughput: (KBPS * 1000) / 8,
      uploadThroughput: (KBPS * 1000) / 8,
    });
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: CPU_SLOWDOWN });
    const responses = new Map<string, { type: string; url: string }>();
    const finished: { requestId: string; bytes: number }[] = [];
    cdp.on("Network.responseReceived", (e) => responses.set(e.requestId, { type: e.type, url: e.response.url }));
    cdp.on("Network.loadingFinished", (e) => finished.push({ requestId: e.requestId, bytes: e.encodedDataLength }));

    const response = await tab.goto(base + page.path, { waitUntil: "load", timeout: 180_000 });
    if (response?.status() !== 200) throw new Error(`${page.path} answered ${response?.status()} (${tab.url()})`);
    await tab.waitForFunction(() => (window as unknown as { __hydratedAt?: number }).__hydratedAt !== undefined, null, { timeout: 180_000, polling: 100 });
    await tab.waitForLoadState("networkidle", { timeout: 180_000 });
    // (no named functions inside: tsx would wrap them in a helper the page does not have)
    const timings = await tab.evaluate(() => ({
      fp: performance.getEntriesByName("first-paint")[0]?.startTime ?? NaN,
      fcp: performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? NaN,
      hydrated: (window as unknown as { __hydratedAt: number }).__hydratedAt,
    }));

    const bytes: Visit["bytes"] = { html: 0, js: 0, css: 0, other: 0, total: 0 };
    const sizes: { url: string; bytes: number }[] = [];
    for (const { requestId, bytes: n } of finished) {
      const r = responses.get(requestId);
      if (!r || r.url.startsWith("data:")) continue;
      bytes[kindOf(r.type, r.url)] += n;
      bytes.total += n;
      sizes.push({ url: r.url.replace(base, ""), bytes: n });
    }
    sizes.sort((a, b) => b.bytes - a.bytes);
    return {
      bytes,
      requests: sizes.length,
      largest: sizes.slice(0, 3),
      firstPaintS: timings.fp / 1000,
      firstContentfulPaintS: timings.fcp / 1000,
      usableS: timings.hydrated / 1000,
    };
  } finally {
    await context.close();
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : "–");

function printTable(header: string[], rows: string[][]) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => "  " + cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  console.log(line(header));
  console.log("  " + widths.map((w) => "-".repeat(w)).join("  "));
  for (const row of rows) console.log(line(row));
}

async function main() {
  const started = Date.now();
  console.log(
    `Convene browser benchmark: first visits, empty cache, ${LATENCY_MS} ms round trip, ${KBPS} kbit/s each way, CPU ${CPU_SLOWDOWN}× slower; median of ${RUNS} visits`,
  );
  console.log(`Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, node ${process.version}, load average ${os.loadavg().map((l) => fmt(l, 2)).join(" ")}`);
  ensureBuild(FORCE_BUILD);
  const database = databaseFor(1, false);
  const pages = keyPages(database);
  const server = await startServer("app", database);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const results: (ClientPage & { visits: Visit[]; median: Visit; misses: string[] })[] = [];
  try {
    await startUpRoundsDone(server);
    const cookies: Record<BenchUser, string> = {
      coordinator: await login(server.base, USERS.coordinator),
      participant: await login(server.base, USERS.participant),
      donor: await login(server.base, USERS.donor),
    };
    // warm the server's own caches (not the browser's): the first visit measures the network, not a cold report
    for (const page of pages) await (await request(server.base + page.path, { headers: page.user ? { cookie: cookies[page.user] } : {} })).arrayBuffer();
    for (const page of pages) {
      const visits: Visit[] = [];
      for (let i = 0; i < RUNS; i++) visits.push(await visit(browser, server.base, page, page.user ? cookies[page.user] : null));
      const m = (pick: (v: Visit) => number) => median(visits.map(pick));
      const mid: Visit = {
        bytes: { html: m((v) => v.bytes.html), js: m((v) => v.bytes.js), css: m((v) => v.bytes.css), other: m((v) => v.bytes.other), total: m((v) => v.bytes.total) },
        requests: m((v) => v.requests),
        largest: visits[0].largest,
        firstPaintS: m((v) => v.firstPaintS),
        firstContentfulPaintS: m((v) => v.firstContentfulPaintS),
        usableS: m((v) => v.usableS),
      };
      const misses = [
        mid.bytes.total > BUDGET.kB * KB ? `${fmt(mid.bytes.total / KB, 0)} kB transferred (budget ${BUDGET.kB})` : "",
        !(mid.firstPaintS <= BUDGET.firstPaintS) ? `first paint ${fmt(mid.firstPaintS)} s (budget ${BUDGET.firstPaintS})` : "",
        !(mid.usableS <= BUDGET.usableS) ? `usable after ${fmt(mid.usableS)} s (budget ${BUDGET.usableS})` : "",
      ].filter(Boolean);
      results.push({ ...page, visits, median: mid, misses });
      console.log(`  ${page.name.padEnd(20)} ${fmt(mid.bytes.total / KB, 0).padStart(4)} kB  first paint ${fmt(mid.firstPaintS)} s  usable ${fmt(mid.usableS)} s${misses.length ? "  !! over budget" : ""}`);
    }
  } finally {
    await browser.close();
    await stopServer(server);
  }

  console.log(
    `\nFirst visit of each key page (kB = 1,000 bytes as transferred, compressed, headers included; seconds from navigation start; ` +
      `budgets: ≤ ${BUDGET.kB} kB, first paint ≤ ${BUDGET.firstPaintS} s, usable ≤ ${BUDGET.usableS} s)`,
  );
  printTable(
    ["page", "viewport", "kB", "HTML", "JS", "CSS", "other", "requests", "first paint", "FCP", "usable", "budget"],
    results.map((r) => [
      r.name,
      `${r.viewport.width} px`,
      fmt(r.median.bytes.total / KB, 0),
      fmt(r.median.bytes.html / KB, 0),
      fmt(r.median.bytes.js / KB, 0),
      fmt(r.median.bytes.css / KB, 0),
      fmt(r.median.bytes.other / KB, 0),
      String(r.median.requests),
      fmt(r.median.firstPaintS),
      fmt(r.median.firstContentfulPaintS),
      fmt(r.median.usableS),
      r.misses.length ? "MISSED" : "ok",
    ]),
  );
  console.log("\nLargest responses of each page (first visit):");
  for (const r of results) console.log(`  ${r.name}: ${r.median.largest.map((l) => `${path.basename(l.url.split("?")[0]) || l.url} ${fmt(l.bytes / KB, 0)} kB`).join(", ")}`);

  fs.mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
  fs.writeFileSync(
    RESULTS_FILE,
    JSON.stringify(
      {
        measuredAt: new Date().toISOString(),
        machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, node: process.version, loadAverageAfter: os.loadavg() },
        settings: { runs: RUNS, latencyMs: LATENCY_MS, kbps: KBPS, cpuSlowdown: CPU_SLOWDOWN, budget: BUDGET, database },
        pages: results,
      },
      null,
      2,
    ) + "\n",
  );
  const missed = results.filter((r) => r.misses.length > 0);
  console.log(`\nBudgets: ${results.length - missed.length} of ${results.length} pages within all three`);
  for (const r of missed) console.log(`  MISSED  ${r.name}: ${r.misses.join("; ")}`);
  console.log(`Results written to ${RESULTS_FILE} (${fmt((Date.now() - started) / 1000, 0)} s in all; load average now ${os.loadavg().map((l) => fmt(l, 2)).join(" ")})`);
  if (os.loadavg()[0] > os.cpus().length) console.log("  note: the load average is above the number of CPUs: timings are pessimistic");
  if (missed.length > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(`\nFAILED: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
