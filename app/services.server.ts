import { readyDb } from "../db/client";
import { config } from "./config.server";
import { createTransport, deliverDueEmails, recoverInterruptedSends } from "./models/outbox.server";
import { scheduleEventReminders } from "./models/reminders.server";
import { deliverDueWebhooks, recoverInterruptedWebhooks } from "./models/webhook-delivery.server";
import { scheduleActionPlanReminders } from "./models/action-plans.server";
import { scheduleRetention } from "./models/personal-data.server";

let started = false;
let stopping = false;

/** The outbox round in flight, if any: a stopping server lets it finish its current sends. */
let inFlight: Promise<void> | null = null;

/**
 * The server is shutting down (SIGTERM): /healthz says so, so that no new work is sent here, no
 * new outbox round starts, and the one in flight claims nothing more. Resolves once the messages
 * and webhooks it is sending are sent (or have failed): a message cut off mid-send would be left
 * "sending", which a later start can only mark as interrupted, never as delivered.
 */
export async function stopServices(): Promise<void> {
  stopping = true;
  if (inFlight) {
    console.log("Stopping: finishing the outbox deliveries in flight");
    await inFlight;
  }
}
export function isStopping() {
  return stopping;
}

/**
 * Called by the server before it listens: validates the configuration, opens and migrates the
 * database, and starts the outbox worker: webhooks always, email when SMTP_URL is set (otherwise
 * mail stays in the outbox).
 */
export async function startServices() {
  if (started) return;
  started = true;
  const cfg = config();
  // on PostgreSQL: reachable and migrated, or start-up stops here with one line
  const db = await readyDb();
  // with several server processes (WEB_CONCURRENCY) only the first does the background work
  if (process.env.CONVENE_WORKER !== undefined && process.env.CONVENE_WORKER !== "0") return;
  // what this instance was sending when it last stopped (others' messages in flight are left alone)
  await recoverInterruptedSends(db, { instance: cfg.instanceId });
  await recoverInterruptedWebhooks(db, { instance: cfg.instanceId });
  // the query planner's statistics (sqlite_stat1): gathered where missing or stale, with a bounded
  // amount of work, at start and every few hours (SQLite's advice for long-lived connections;
  // PostgreSQL's autovacuum keeps its own statistics)
  if (db.engine === "sqlite") {
    const sqlite = db.$client;
    sqlite.pragma("analysis_limit = 1000");
    sqlite.pragma("optimize = 0x10002");
    setInterval(() => sqlite.pragma("optimize"), 3 * 3600_000).unref();
  }
  // reminders are written to the outbox whether or not SMTP is configured; their first round
  // waits until the server is listening
  setTimeout(async () => {
    const started = Date.now();
    await scheduleEventReminders(cfg.appUrl);
    await scheduleActionPlanReminders(cfg.appUrl);
    // participants' personal data past its event's retention period: anonymised once a day
    await scheduleRetention();
    // (the benchmark waits for this line: what it measures is the server at work, not starting)
    console.log(`Start-up rounds done (reminders, check-ins, retention) in ${Date.now() - started} ms`);
  }, 5000).unref();
  // one worker loop for both outboxes: email (when SMTP_URL is set) and webhooks (always)
  const transport = cfg.smtpUrl ? createTransport(cfg.smtpUrl) : null;
  let settledAt = Date.now();
  // every instance delivers (each row is claimed by one of them); now and then each also settles
  // the claims of an instance that stopped mid-send and did not come back
  const round = async () => {
    try {
      if (Date.now() - settledAt > 60_000) {
        settledAt = Date.now();
        await recoverInterruptedSends(db);
        await recoverInterruptedWebhooks(db);
      }
      if (transport) {
        await deliverDueEmails(db, { transport, from: cfg.mailFrom, retryMs: cfg.outboxRetryMs, instance: cfg.instanceId, shouldStop: isStopping });
      }
    } catch (error) {
      console.error("outbox: delivery round failed", error);
    }
    try {
      // a few deliveries in flight at once, outside every request: a storm of events waits its turn
      await deliverDueWebhooks(db, { retryMs: cfg.outboxRetryMs, instance: cfg.instanceId, limit: 100, concurrency: 4, shouldStop: isStopping });
    } catch (error) {
      console.error("webhooks: delivery round failed", error);
    }
  };
  const tick = () => {
    if (inFlight || stopping) return;
    inFlight = round().finally(() => (inFlight = null));
  };
  setInterval(tick, cfg.outboxPollMs).unref();
  tick();
}
