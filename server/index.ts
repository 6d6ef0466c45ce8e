/**
 * Start Convene: read the configuration, migrate the database, then listen.
 * `npm start` / `npm run demo` serve the production build; `npm run dev` serves through Vite.
 */
import cluster from "node:cluster";
import type { ServerBuild } from "@remix-run/node";
import { ConfigError, config, type Config } from "../app/config.server";

async function main() {
  let cfg;
  try {
    cfg = config();
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
  // production always runs under a supervisor that replaces a server process that dies (out of
  // memory, a crash); `npm run dev` stays one process, for Vite
  if ((cfg.production || cfg.webConcurrency > 1) && cluster.isPrimary) return supervise(cfg);
  // a worker whose supervisor is gone stops too (it would otherwise hold the port)
  if (cluster.isWorker) process.on("disconnect", () => process.exit(0));
  // the server's own modules: the supervisor never loads them (it would hold their memory for nothing)
  const [{ createApp }, { Turns }, { configuredDatabase }, { DEMO_TOTP_SECRET }] = await Promise.all([
    import("./app"),
    import("./turns"),
    import("../db/client"),
    import("../db/seed/demo-second-factor"),
  ]);

  let build: ServerBuild | (() => Promise<ServerBuild>);
  let viteMiddleware;
  if (cfg.production) {
    // @ts-ignore: the build exists once `npm run build` has run
    build = (await import("../build/server/index.js")) as ServerBuild;
  } else {
    const vite = await import("vite");
    const viteDevServer = await vite.createServer({ server: { middlewareMode: true } });
    viteMiddleware = viteDevServer.middlewares;
    build = () => viteDevServer.ssrLoadModule("virtual:remix/server-build") as Promise<ServerBuild>;
  }

  // Migrations run before the server listens; a bad DATABASE_PATH or DATABASE_URL (malformed, or
  // no server answering) stops here with one line.
  const loaded = typeof build === "function" ? await build() : build;
  const { startServices } = loaded.entry.module as unknown as typeof import("../app/services.server");
  try {
    await startServices();
  } catch (error) {
    fail((error as Error).message);
  }

  const app = createApp({
    build,
    appOrigin: cfg.appOrigin,
    secure: cfg.secureCookies,
    viteMiddleware,
    production: cfg.production,
    trustProxy: cfg.trustProxy,
    readTurns: cfg.readConcurrency > 0 ? new Turns(cfg.readConcurrency) : undefined,
  });
  const server = app.listen(cfg.port, () => {
    const first = !cluster.isWorker || process.env.CONVENE_WORKER === "0";
    if (first) console.log(`Convene is listening on ${cfg.appUrl} (database: ${configuredDatabase().description})`);
    if (first && process.env.CONVENE_DEMO) printDemoLogins(cfg.appUrl, DEMO_TOTP_SECRET);
    process.send?.("listening");
  });
  let stopping = false;
  const shutdown = () => {
    if (stopping) return;
    stopping = true;
    // /healthz answers 503 from now on, so that a balancer stops sending requests here; the
    // outbox's messages in flight are finished (the transport's timeouts bound each), then requests in
    // flight, and the process ends; whatever still hangs after 20 s is cut off
    const services = (loaded.entry.module as unknown as typeof import("../app/services.server")).stopServices();
    const requests = new Promise<void>((resolve) => server.close(() => resolve()));
    void Promise.all([services, requests]).then(() => process.exit(0));
    setTimeout(() => process.exit(0), 20_000).unref();
  };
  process.on("SIGTERM", shutdown);
  process.on("SIGINT", shutdown);
}

/**
 * Production: this process only supervises WEB_CONCURRENCY server processes (1 by default) sharing
 * the port. The first one migrates the database and runs the background work (outbox, reminders,
 * retention); the others start once it listens and serve requests only. A process that stops is
 * replaced, and the reason (exit code or signal) logged; one that dies again within a few seconds
 * of starting is replaced after a growing pause, so that a crash loop does not spin. One that
 * cannot start at all (bad configuration, unreadable database) stops everything with its message.
 */
function supervise(cfg: Config) {
  let stopping = false;
  let othersStarted = false;
  const quickDeaths = new Map<number, number>();
  const start = (index: number) => {
    let listened = false;
    const startedAt = Date.now();
    const worker = cluster.fork({ CONVENE_WORKER: String(index) });
    worker.on("message", (message) => {
      if (message !== "listening") return;
      listened = true;
      if (index === 0 && !othersStarted) {
        othersStarted = true;
        for (let i = 1; i < cfg.webConcurrency; i++) start(i);
        if (cfg.webConcurrency > 1) console.log(`Convene: ${cfg.webConcurrency} server processes (WEB_CONCURRENCY)`);
      }
    });
    worker.on("exit", (code, signal) => {
      if (stopping) return;
      if (!listened) process.exit(code || 1);
      const why = signal ? `killed by ${signal}` : `exited with code ${code}`;
      const quick = Date.now() - startedAt < 10_000 ? (quickDeaths.get(index) ?? 0) + 1 : 0;
      quickDeaths.set(index, quick);
      const pause = quick === 0 ? 0 : Math.min(30_000, 500 * 2 ** (quick - 1));
      console.error(`Convene: server process ${index} stopped (${why}); starting another${pause ? ` in ${pause / 1000} s` : ""}`);
      setTimeout(() => {
        if (!stopping) start(index);
      }, pause);
    });
  };
  start(0);
  const shutdown = () => {
    if (stopping) return;
    stopping = true;
    // each server process finishes what it is doing (requests, messages being sent) and exits
    const workers = Object.values(cluster.workers ?? {}).filter((worker) => worker !== undefined);
    const exited = workers.map((worker) => new Promise((resolve) => (worker.isDead() ? resolve(null) : worker.once("exit", resolve))));
    for (const worker of workers) worker.process.kill("SIGTERM");
    void Promise.all(exited).then(() => process.exit(0));
    setTimeout(() => process.exit(0), 25_000).unref();
  };
  process.on("SIGTERM", shutdown);
  process.on("SIGINT", shutdown);
}

function fail(message: string): never {
  console.error(`Convene cannot start: ${message}`);
  process.exit(1);
}

function printDemoLogins(url: string, secondFactorSecret: string) {
  console.log(`
  Demo is ready at ${url}
  Sign in with any of these (password for all: demo-password):
    admin@example.org        administrator
    coordinator@example.org  coordinator (plans events, rosters, reports)
    facilitator@example.org  facilitator (takes attendance)
    participant@example.org  participant (Bahamas officer)
    partner@example.org      partner focal point (Bahamas Department of Immigration)
    donor@example.org        donor (PRM, funds the Western Hemisphere Program)
  The administrator and the coordinator also sign in with a second factor: add this key to an
  authenticator app (Google Authenticator, FreeOTP, Aegis…: time-based, 6 digits, 30 seconds)
  and type the code it shows after the password:
    ${secondFactorSecret.match(/.{1,4}/g)!.join(" ")}
`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
