import { desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb, firstRow } from "../../db/client";
import { auditLog, rateLimits } from "../../db/schema";
import { readConfig } from "~/config.server";
import * as login from "~/routes/login";
import { startRouteServer } from "../setup/route-server";

/**
 * TRUST_PROXY decides whose address the app records (audit log, per-address rate limits,
 * lockouts): without it the connecting peer's, whatever X-Forwarded-For a client sends; with a
 * hop count, the address that many proxies back; with a list, X-Forwarded-For only when the peer
 * is one of those proxies. Through the real HTTP layer (server/app.ts) and the real login action.
 */

type TrustProxy = false | number | string[];
const servers: { close: () => Promise<void> }[] = [];

async function serverWith(trustProxy: TrustProxy) {
  const server = await startRouteServer({ login }, { trustProxy });
  servers.push(server);
  return server.base;
}
afterAll(async () => {
  for (const s of servers) await s.close();
});

let attempt = 0;
/** A failed login with this X-Forwarded-For; the address its audit entry and rate-limit key recorded. */
async function recordedAddress(base: string, forwardedFor: string | null) {
  const email = `nobody-${++attempt}@test.example`;
  const headers: Record<string, string> = { Origin: base, "Content-Type": "application/x-www-form-urlencoded" };
  if (forwardedFor !== null) headers["X-Forwarded-For"] = forwardedFor;
  const response = await fetch(`${base}/login`, { method: "POST", headers, body: new URLSearchParams({ email, password: "not the password" }) });
  await response.arrayBuffer();
  const entry = firstRow(await getDb().select().from(auditLog).where(eq(auditLog.action, "login.failure")).orderBy(desc(auditLog.id)).limit(1))!;
  const keys = (await getDb().select({ key: rateLimits.key }).from(rateLimits)).map((r) => r.key);
  expect(keys).toContain(`ip:login:${entry.ip}`);
  return entry.ip;
}

let plain: string;
let oneHop: string;
let listed: string;
let otherListed: string;
beforeAll(async () => {
  plain = await serverWith(readConfig({}).trustProxy);
  oneHop = await serverWith(readConfig({ TRUST_PROXY: "1" }).trustProxy);
  listed = await serverWith(readConfig({ TRUST_PROXY: "10.1.2.3, 127.0.0.0/8" }).trustProxy);
  otherListed = await serverWith(readConfig({ TRUST_PROXY: "10.1.2.3,192.168.0.0/16" }).trustProxy);
});

describe("TRUST_PROXY", () => {
  it("unset: the connecting address is recorded and a client-sent X-Forwarded-For is ignored", async () => {
    expect(await recordedAddress(plain, null)).toBe("127.0.0.1");
    expect(await recordedAddress(plain, "203.0.113.7")).toBe("127.0.0.1");
  });

  it("a hop count: the address the proxy forwarded, not what the client wrote before it", async () => {
    expect(await recordedAddress(oneHop, "203.0.113.7")).toBe("203.0.113.7");
    // a client that sends its own X-Forwarded-For: the proxy appends the real address last
    expect(await recordedAddress(oneHop, "198.51.100.66, 203.0.113.8")).toBe("203.0.113.8");
    expect(await recordedAddress(oneHop, null)).toBe("127.0.0.1");
  });

  it("a list: X-Forwarded-For is believed only from those addresses", async () => {
    expect(await recordedAddress(listed, "203.0.113.9")).toBe("203.0.113.9");
    expect(await recordedAddress(otherListed, "203.0.113.9")).toBe("127.0.0.1");
  });

  it("a malformed value stops start-up with one line naming TRUST_PROXY", () => {
    for (const bad of ["yes", "true", "10.0.0.300", "10.0.0.0/33", "1.5", "11", "10.0.0.1,", "fe80::1/129", "*"]) {
      expect(() => readConfig({ TRUST_PROXY: bad }), bad).toThrow(/^TRUST_PROXY must be/);
    }
    expect(readConfig({ TRUST_PROXY: "" }).trustProxy).toBe(false);
    expect(readConfig({ TRUST_PROXY: "0" }).trustProxy).toBe(false);
    expect(readConfig({ TRUST_PROXY: "2" }).trustProxy).toBe(2);
    expect(readConfig({ TRUST_PROXY: " 10.0.0.1 , ::1, fd00::/8, loopback " }).trustProxy).toEqual(["10.0.0.1", "::1", "fd00::/8", "loopback"]);
  });
});
