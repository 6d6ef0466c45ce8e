import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, readConfig } from "~/config.server";
import { openDatabase } from "../../db/client";

describe("configuration", () => {
  it("uses the documented defaults", () => {
    const cfg = readConfig({});
    expect(cfg.port).toBe(3000);
    expect(cfg.databasePath).toBe("data/app.db");
    expect(cfg.appUrl).toBe("http://localhost:3000");
    expect(cfg.smtpUrl).toBeNull();
    expect(cfg.mailFrom).toBe("Convene <no-reply@localhost>");
    expect(cfg.outboxRetryMs).toBe(30000);
    expect(cfg.secureCookies).toBe(false);
  });

  it("keeps attachments in uploads/ beside the database file unless UPLOADS_DIR names a (shared) folder", () => {
    expect(readConfig({}).uploadsDir).toBe(path.resolve("data/uploads"));
    expect(readConfig({ DATABASE_PATH: "/srv/convene/app.db" }).uploadsDir).toBe("/srv/convene/uploads");
    expect(readConfig({ UPLOADS_DIR: "/mnt/shared/convene-uploads", DATABASE_PATH: "/srv/convene/app.db" }).uploadsDir).toBe("/mnt/shared/convene-uploads");
  });

  it("names this instance after its host and port unless INSTANCE_ID says otherwise, and polls the outbox every OUTBOX_POLL_MS", () => {
    expect(readConfig({}).outboxPollMs).toBe(2000);
    expect(readConfig({ OUTBOX_POLL_MS: "100" }).outboxPollMs).toBe(100);
    expect(() => readConfig({ OUTBOX_POLL_MS: "0" })).toThrow(/^OUTBOX_POLL_MS/);
    expect(() => readConfig({ OUTBOX_POLL_MS: "soon" })).toThrow(/^OUTBOX_POLL_MS/);
    // two instances on one machine differ by their port; a restarted one keeps its name
    expect(readConfig({ PORT: "3001" }).instanceId).toMatch(/^[\w.-]+:3001$/);
    expect(readConfig({ PORT: "3001" }).instanceId).not.toBe(readConfig({ PORT: "3002" }).instanceId);
    expect(readConfig({ INSTANCE_ID: "web-2" }).instanceId).toBe("web-2");
    expect(() => readConfig({ INSTANCE_ID: "web 2; drop" })).toThrow(/^INSTANCE_ID/);
  });

  it("marks cookies Secure when APP_URL is https", () => {
    expect(readConfig({ APP_URL: "https://convene.example.org/" }).secureCookies).toBe(true);
    expect(readConfig({ APP_URL: "https://convene.example.org/" }).appOrigin).toBe("https://convene.example.org");
  });

  it("stops with one line naming the variable for a malformed SMTP_URL or APP_URL", () => {
    expect(() => readConfig({ SMTP_URL: "not a url" })).toThrow(ConfigError);
    expect(() => readConfig({ SMTP_URL: "http://mail.example" })).toThrow(/^SMTP_URL/);
    expect(() => readConfig({ APP_URL: "convene" })).toThrow(/^APP_URL/);
    expect(() => readConfig({ PORT: "http" })).toThrow(/^PORT/);
    expect(() => readConfig({ OUTBOX_RETRY_MS: "-5" })).toThrow(/^OUTBOX_RETRY_MS/);
    expect(() => readConfig({ RATE_LIMIT_PER_MINUTE: "lots" })).toThrow(/^RATE_LIMIT_PER_MINUTE/);
    expect(() => readConfig({ TRUST_PROXY: "yes" })).toThrow(/^TRUST_PROXY/);
    expect(readConfig({}).trustProxy).toBe(false);
    expect(readConfig({}).rateLimitPerMinute).toBe(10);
    for (const bad of ["0", "lots", "2.5"]) expect(() => readConfig({ API_RATE_LIMIT_PER_MINUTE: bad })).toThrow(/^API_RATE_LIMIT_PER_MINUTE/);
    expect(readConfig({}).apiRateLimitPerMinute).toBe(600);
    expect(readConfig({ API_RATE_LIMIT_PER_MINUTE: "6000" }).apiRateLimitPerMinute).toBe(6000);
    for (const bad of ["0", "two", "1.5", "65"]) expect(() => readConfig({ WEB_CONCURRENCY: bad })).toThrow(/^WEB_CONCURRENCY/);
    expect(readConfig({}).webConcurrency).toBe(1);
    expect(readConfig({ WEB_CONCURRENCY: "2" }).webConcurrency).toBe(2);
    for (const bad of ["-1", "many", "1.5", "1001"]) expect(() => readConfig({ READ_CONCURRENCY: bad })).toThrow(/^READ_CONCURRENCY/);
    expect(readConfig({}).readConcurrency).toBe(2);
    expect(readConfig({ DATABASE_URL: "postgres://convene@127.0.0.1:5432/convene" }).readConcurrency).toBe(4);
    expect(readConfig({ READ_CONCURRENCY: "0" }).readConcurrency).toBe(0);
    expect(readConfig({ READ_CONCURRENCY: "8" }).readConcurrency).toBe(8);
    expect(readConfig({ SMTP_URL: "smtp://user:pass@mail.example:587" }).smtpUrl).toBe("smtp://user:pass@mail.example:587");
  });

  it("names DATABASE_PATH when the database cannot be opened", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "convene-"));
    const notADatabase = path.join(dir, "junk.db");
    fs.writeFileSync(notADatabase, "this is not a SQLite file, just text that is long enough to have a header");
    expect(() => openDatabase(notADatabase)).toThrow(/^DATABASE_PATH/);
    expect(() => openDatabase(path.join(notADatabase, "inside-a-file.db"))).toThrow(/^DATABASE_PATH/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe("SECRET_KEY", () => {
  it("is optional, and refused when shorter than 32 characters", () => {
    expect(readConfig({}).secretKey).toBeNull();
    expect(readConfig({ SECRET_KEY: "x".repeat(32) }).secretKey).toBe("x".repeat(32));
    expect(() => readConfig({ SECRET_KEY: "short" })).toThrow(ConfigError);
  });
});
