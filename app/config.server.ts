import { isIP } from "node:net";
import os from "node:os";
import path from "node:path";

/**
 * The operator's configuration (CONTRACT.md, Environment). Read once; bad values stop start-up
 * with one clear line naming the variable.
 */
export type Config = {
  port: number;
  databasePath: string;
  /**
   * The folder of the files attached to action-plan updates: uploads/ beside DATABASE_PATH unless
   * UPLOADS_DIR says otherwise (instances sharing a PostgreSQL database must share this folder)
   */
  uploadsDir: string;
  appUrl: string;
  appOrigin: string;
  secureCookies: boolean;
  smtpUrl: string | null;
  mailFrom: string;
  outboxRetryMs: number;
  /** how often the outbox worker looks for due email */
  outboxPollMs: number;
  /**
   * This server instance's name, recorded on the email it is sending: it must differ between
   * instances sharing a database and stay the same when the instance restarts (host and port)
   */
  instanceId: string;
  /** POSTs a minute from one address to each public form (login, forgot password, registration) */
  rateLimitPerMinute: number;
  /** requests a minute per API token (API_RATE_LIMIT_PER_MINUTE) */
  apiRateLimitPerMinute: number;
  /** server processes sharing the port (Node's cluster); 1 = a single process */
  webConcurrency: number;
  /** GET and HEAD requests each server process works on at once, the others waiting in order (server/turns.ts); 0 = no limit */
  readConcurrency: number;
  /**
   * Express's "trust proxy": false (the peer is the client), a number of proxy hops in front, or
   * the addresses and subnets of the proxies whose X-Forwarded-For is believed
   */
  trustProxy: false | number | string[];
  production: boolean;
  /**
   * SECRET_KEY: a long random value kept outside the database (and its backups), from which the
   * key that encrypts second-factor secrets is derived; null ⇒ a key kept in the database is used
   */
  secretKey: string | null;
};

export class ConfigError extends Error {}

/**
 * Reads worked on at once when READ_CONCURRENCY is unset (server/turns.ts; measured in
 * docs/performance.md "Reads take turns"): on SQLite a page never waits for its queries, two keep
 * the processor busy; on PostgreSQL pages wait for the database, and four did best.
 */
export const DEFAULT_READ_CONCURRENCY = { sqlite: 2, postgres: 4 } as const;

export function readConfig(env: Record<string, string | undefined> = process.env): Config {
  const port = env.PORT ? Number(env.PORT) : 3000;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`PORT must be a port number (0–65535), got "${env.PORT}"`);
  }
  const databasePath = env.DATABASE_PATH || "data/app.db";
  const uploadsDir = path.resolve(env.UPLOADS_DIR?.trim() || path.join(path.dirname(path.resolve(databasePath)), "uploads"));
  const appUrl = (env.APP_URL || `http://localhost:${port}`).replace(/\/+$/, "");
  let appOrigin: string;
  try {
    const url = new URL(appUrl);
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error();
    appOrigin = url.origin;
  } catch {
    throw new ConfigError(`APP_URL must be an http(s) URL such as https://convene.example.org, got "${env.APP_URL}"`);
  }
  const smtpUrl = env.SMTP_URL ? env.SMTP_URL.trim() : null;
  if (smtpUrl) {
    let ok = false;
    try {
      const url = new URL(smtpUrl);
      ok = (url.protocol === "smtp:" || url.protocol === "smtps:") && Boolean(url.hostname);
    } catch {
      ok = false;
    }
    if (!ok) {
      throw new ConfigError(
        `SMTP_URL must look like smtp://user:pass@host:587 or smtps://host:465 (got a malformed value)`,
      );
    }
  }
  const outboxRetryMs = env.OUTBOX_RETRY_MS ? Number(env.OUTBOX_RETRY_MS) : 30000;
  if (!Number.isFinite(outboxRetryMs) || outboxRetryMs <= 0) {
    throw new ConfigError(`OUTBOX_RETRY_MS must be a positive number of milliseconds, got "${env.OUTBOX_RETRY_MS}"`);
  }
  const outboxPollMs = env.OUTBOX_POLL_MS ? Number(env.OUTBOX_POLL_MS) : 2000;
  if (!Number.isInteger(outboxPollMs) || outboxPollMs < 10 || outboxPollMs > 3_600_000) {
    throw new ConfigError(`OUTBOX_POLL_MS must be a whole number of milliseconds from 10 to 3600000, got "${env.OUTBOX_POLL_MS}"`);
  }
  const instanceId = (env.INSTANCE_ID || `${os.hostname().replace(/[^\w.-]/g, "-").slice(0, 80)}:${port}`).trim();
  if (!/^[\w.:@-]{1,100}$/.test(instanceId)) {
    throw new ConfigError(`INSTANCE_ID must be 1 to 100 letters, digits or . : @ _ - (got "${env.INSTANCE_ID}")`);
  }
  const rateLimitPerMinute = env.RATE_LIMIT_PER_MINUTE ? Number(env.RATE_LIMIT_PER_MINUTE) : 10;
  if (!Number.isInteger(rateLimitPerMinute) || rateLimitPerMinute < 1) {
    throw new ConfigError(`RATE_LIMIT_PER_MINUTE must be a whole number of 1 or more, got "${env.RATE_LIMIT_PER_MINUTE}"`);
  }
  const apiRateLimitPerMinute = env.API_RATE_LIMIT_PER_MINUTE ? Number(env.API_RATE_LIMIT_PER_MINUTE) : 600;
  if (!Number.isInteger(apiRateLimitPerMinute) || apiRateLimitPerMinute < 1) {
    throw new ConfigError(`API_RATE_LIMIT_PER_MINUTE must be a whole number of 1 or more, got "${env.API_RATE_LIMIT_PER_MINUTE}"`);
  }
  const webConcurrency = env.WEB_CONCURRENCY ? Number(env.WEB_CONCURRENCY) : 1;
  if (!Number.isInteger(webConcurrency) || webConcurrency < 1 || webConcurrency > 64) {
    throw new ConfigError(`WEB_CONCURRENCY must be a whole number from 1 to 64, got "${env.WEB_CONCURRENCY}"`);
  }
  const readConcurrency = env.READ_CONCURRENCY ? Number(env.READ_CONCURRENCY) : DEFAULT_READ_CONCURRENCY[env.DATABASE_URL ? "postgres" : "sqlite"];
  if (!Number.isInteger(readConcurrency) || readConcurrency < 0 || readConcurrency > 1000) {
    throw new ConfigError(`READ_CONCURRENCY must be a whole number from 0 (no limit) to 1000, got "${env.READ_CONCURRENCY}"`);
  }
  const trustProxy = readTrustProxy(env.TRUST_PROXY);
  const secretKey = env.SECRET_KEY ? env.SECRET_KEY.trim() : null;
  if (secretKey !== null && secretKey.length < 32) {
    throw new ConfigError("SECRET_KEY must be at least 32 characters of random text (e.g. the output of `openssl rand -base64 32`)");
  }
  return {
    secretKey,
    port,
    trustProxy,
    rateLimitPerMinute,
    apiRateLimitPerMinute,
    webConcurrency,
    readConcurrency,
    databasePath,
    uploadsDir,
    appUrl,
    appOrigin,
    secureCookies: appOrigin.startsWith("https:"),
    smtpUrl,
    mailFrom: env.MAIL_FROM || "Convene <no-reply@localhost>",
    outboxRetryMs,
    outboxPollMs,
    instanceId,
    production: env.NODE_ENV === "production",
  };
}

/** The names Express (proxy-addr) gives to the private ranges. */
const PROXY_RANGE_NAMES = new Set(["loopback", "linklocal", "uniquelocal"]);

function isAddressOrSubnet(entry: string) {
  if (PROXY_RANGE_NAMES.has(entry)) return true;
  const [address, prefix, ...rest] = entry.split("/");
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (version === 4 ? 32 : 128);
}

/**
 * Unset: the address that connects is the client's, and a client-sent X-Forwarded-For is ignored.
 * A number: that many proxies in front (the address that many hops back in X-Forwarded-For). A
 * list: only proxies at these addresses or subnets are believed.
 */
function readTrustProxy(value: string | undefined): Config["trustProxy"] {
  const text = value?.trim() ?? "";
  if (!text) return false;
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    if (hops > 10) throw new ConfigError(`TRUST_PROXY must be a number of proxies from 0 to 10 or a list of their addresses, got "${value}"`);
    return hops === 0 ? false : hops;
  }
  const entries = text.split(",").map((e) => e.trim());
  const bad = entries.find((e) => !isAddressOrSubnet(e));
  if (bad !== undefined) {
    throw new ConfigError(
      `TRUST_PROXY must be a number of proxies (e.g. 1) or a comma-separated list of proxy addresses or subnets (e.g. 10.0.0.2, 192.168.1.0/24); "${bad}" is neither`,
    );
  }
  return entries;
}

let cached: Config | undefined;
export function config(): Config {
  cached ??= readConfig();
  return cached;
}
/** Tests change the environment between files; forget the cached values. */
export function resetConfig() {
  cached = undefined;
}
