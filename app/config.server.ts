/**
 * The operator's configuration (CONTRACT.md, Environment). Read once; bad values stop start-up
 * with one clear line naming the variable.
 */
export type Config = {
  port: number;
  databasePath: string;
  appUrl: string;
  appOrigin: string;
  secureCookies: boolean;
  smtpUrl: string | null;
  mailFrom: string;
  outboxRetryMs: number;
  /** POSTs a minute from one address to each public form (login, forgot password, registration) */
  rateLimitPerMinute: number;
  /** server processes sharing the port (Node's cluster); 1 = a single process */
  webConcurrency: number;
  production: boolean;
};

export class ConfigError extends Error {}

export function readConfig(env: Record<string, string | undefined> = process.env): Config {
  const port = env.PORT ? Number(env.PORT) : 3000;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`PORT must be a port number (0–65535), got "${env.PORT}"`);
  }
  const databasePath = env.DATABASE_PATH || "data/app.db";
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
  const rateLimitPerMinute = env.RATE_LIMIT_PER_MINUTE ? Number(env.RATE_LIMIT_PER_MINUTE) : 10;
  if (!Number.isInteger(rateLimitPerMinute) || rateLimitPerMinute < 1) {
    throw new ConfigError(`RATE_LIMIT_PER_MINUTE must be a whole number of 1 or more, got "${env.RATE_LIMIT_PER_MINUTE}"`);
  }
  const webConcurrency = env.WEB_CONCURRENCY ? Number(env.WEB_CONCURRENCY) : 1;
  if (!Number.isInteger(webConcurrency) || webConcurrency < 1 || webConcurrency > 64) {
    throw new ConfigError(`WEB_CONCURRENCY must be a whole number from 1 to 64, got "${env.WEB_CONCURRENCY}"`);
  }
  return {
    port,
    rateLimitPerMinute,
    webConcurrency,
    databasePath,
    appUrl,
    appOrigin,
    secureCookies: appOrigin.startsWith("https:"),
    smtpUrl,
    mailFrom: env.MAIL_FROM || "Convene <no-reply@localhost>",
    outboxRetryMs,
    production: env.NODE_ENV === "production",
  };
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
