import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterEach, describe, expect, it, vi } from "vitest";
import { eq, like } from "drizzle-orm";
import { getDb } from "../../db/client";
import { auditLog, emailOutbox, events, rateLimits, registrations } from "../../db/schema";
import * as login from "~/routes/login";
import * as forgot from "~/routes/forgot-password";
import * as register from "~/routes/events_.$eventId.register";
import { hit, LIMITS, tooManyRequests } from "~/auth/rate-limit.server";
import { APP, call, createUser, makeRequest, PASSWORD, unwrap } from "../setup/helpers";

const run = promisify(execFile);

afterEach(() => vi.useRealTimers());

/** Each test uses its own addresses, so that counters of one test never trip another. */
let ipCounter = 0;
function freshIp() {
  ipCounter++;
  return `198.51.${Math.floor(ipCounter / 250)}.${(ipCounter % 250) + 1}`;
}
const fromIp = (ip: string) => ({ "x-convene-client-ip": ip });

function signIn(email: string, password: string, ip: string) {
  return call(login.action, makeRequest("/login", { form: { email, password }, headers: fromIp(ip) }));
}

function forgotPassword(email: string, ip: string) {
  return call(forgot.action, makeRequest("/forgot-password", { form: { email }, headers: fromIp(ip) }));
}

function loginFailures() {
  return getDb().select().from(auditLog).where(eq(auditLog.action, "login.failure")).all().length;
}

function expectTooMany(result: unknown) {
  expect(result).toBeInstanceOf(Response);
  const response = result as Response;
  expect(response.status).toBe(429);
  expect(Number(response.headers.get("Retry-After"))).toBeGreaterThanOrEqual(1);
  expect(response.headers.get("Cache-Control")).toBe("no-store");
  return response;
}

/** `n` wrong-password attempts on one email, 10 from each of several addresses (the per-address limit). */
async function failLogins(email: string, n: number) {
  for (let done = 0; done < n; done += 10) {
    const ip = freshIp();
    const batch = Math.min(10, n - done);
    const results = await Promise.all(Array.from({ length: batch }, () => signIn(email, "a wrong guess", ip)));
    for (const r of results) expect(unwrap(r).status).toBe(400);
  }
}

describe("per-address limit on public forms", () => {
  it("refuses the 11th login POST from one address within a minute, not other addresses, and lets it in again after the window", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const start = new Date("2026-06-01T09:00:00Z").getTime();
    vi.setSystemTime(start);
    await createUser({ role: "coordinator", email: "busy@test.example" });
    const ip = freshIp();
    for (let i = 0; i < 10; i++) {
      vi.setSystemTime(start + i * 1000);
      // malformed or wrong: every POST counts, whatever it carries
      const result = unwrap(await call(login.action, makeRequest("/login", { form: { email: i % 2 ? "busy@test.example" : "", password: "wrong" }, headers: fromIp(ip) })));
      expect(result.status).toBe(400);
    }
    const before = loginFailures();
    const refused = expectTooMany(await signIn("busy@test.example", PASSWORD, ip));
    // the window opened at `start`; 10 s of it have passed
    expect(Number(refused.headers.get("Retry-After"))).toBe(51);
    expect(refused.headers.get("Set-Cookie")).toBeNull();
    expect(loginFailures()).toBe(before); // refused before anything was checked

    const other = (await signIn("busy@test.example", PASSWORD, freshIp())) as Response;
    expect(other.status).toBe(302);

    vi.setSystemTime(start + 61_000);
    const again = (await signIn("busy@test.example", PASSWORD, ip)) as Response;
    expect(again.status).toBe(302);
    expect(again.headers.get("Set-Cookie")).toMatch(/^convene_session=/);
  });

  it("counts each form separately", async () => {
    const ip = freshIp();
    for (let i = 0; i < 10; i++) expect(unwrap(await signIn("", "", ip)).status).toBe(400);
    expectTooMany(await signIn("", "", ip));
    expect(unwrap(await forgotPassword("someone@test.example", ip)).status).toBe(200);
  });

  it("refuses the 11th public registration from one address and saves nothing", async () => {
    const eventId = getDb()
      .insert(events)
      .values({ title: "Open training", type: "training", country: "BS", timeZone: "America/Nassau", startDate: "2027-03-02", endDate: "2027-03-03", capacity: 50, status: "open" })
      .returning()
      .get().id;
    const ip = freshIp();
    const submit = (n: number, from: string) =>
      call(
        register.action,
        makeRequest(`/events/${eventId}/register`, {
          form: { givenName: "Dwayne", familyName: `Officer ${n}`, email: `officer${n}@immigration.example`, consent: "yes", locale: "en" },
          headers: fromIp(from),
        }),
        { eventId: String(eventId) },
      );
    for (let i = 0; i < 10; i++) expect(((await submit(i, ip)) as Response).status).toBe(302);
    const saved = getDb().select().from(registrations).where(eq(registrations.eventId, eventId)).all().length;
    expect(saved).toBe(10);
    expectTooMany(await submit(10, ip));
    expect(getDb().select().from(registrations).where(eq(registrations.eventId, eventId)).all()).toHaveLength(saved);
    expect(getDb().select().from(emailOutbox).where(eq(emailOutbox.toAddress, "officer10@immigration.example")).all()).toHaveLength(0);
    // someone else, elsewhere, still registers
    expect(((await submit(11, freshIp())) as Response).status).toBe(302);
  });

  it("counts requests without the server's address header together, as 'unknown'", async () => {
    // built by hand: a direct call, with no address header at all
    const direct = () =>
      new Request(`${APP}/forgot-password`, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: APP },
        body: new URLSearchParams({ email: "x" }),
      });
    for (let i = 0; i < 10; i++) expect(unwrap(await call(forgot.action, direct())).status).toBe(400);
    expectTooMany(await call(forgot.action, direct()));
    expect(getDb().select().from(rateLimits).where(eq(rateLimits.key, "ip:forgot-password:unknown")).get()?.count).toBe(11);
  });
});

describe("failed logins per account", () => {
  it("after 100 failures in an hour, from many addresses, refuses the account even with the right password, without checking it", async () => {
    await createUser({ role: "participant", email: "target@test.example" });
    await failLogins("Target@Test.Example", 99);
    // a right password in between neither counts nor forgives the failures
    expect(((await signIn("target@test.example", PASSWORD, freshIp())) as Response).status).toBe(302);
    await failLogins("target@test.example", 1);
    const before = loginFailures();
    const refused = expectTooMany(await signIn("target@test.example", PASSWORD, freshIp()));
    expect(refused.headers.get("Set-Cookie")).toBeNull();
    // no password was checked for the refused attempt (authenticate audits every check)
    expect(loginFailures()).toBe(before);
    // other accounts are unaffected
    await createUser({ role: "participant", email: "bystander@test.example" });
    expect(((await signIn("bystander@test.example", PASSWORD, freshIp())) as Response).status).toBe(302);
  }, 60_000);

  it("answers an unknown email the same way at its own limit, so the 429 reveals nothing", async () => {
    await createUser({ role: "participant", email: "known@test.example" });
    await failLogins("known@test.example", 100);
    await failLogins("nobody@test.example", 100);
    const known = expectTooMany(await signIn("known@test.example", PASSWORD, freshIp()));
    const unknown = expectTooMany(await signIn("nobody@test.example", PASSWORD, freshIp()));
    expect(await unknown.text()).toBe(await known.text());
    expect([...unknown.headers.keys()].sort()).toEqual([...known.headers.keys()].sort());
  }, 60_000);

  it("opens the account again when the hour is over", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const start = new Date("2026-07-01T09:00:00Z").getTime();
    vi.setSystemTime(start);
    await createUser({ role: "participant", email: "later@test.example" });
    await failLogins("later@test.example", 100);
    const refused = expectTooMany(await signIn("later@test.example", PASSWORD, freshIp()));
    expect(Number(refused.headers.get("Retry-After"))).toBe(3600);
    vi.setSystemTime(start + 3600_000);
    expect(((await signIn("later@test.example", PASSWORD, freshIp())) as Response).status).toBe(302);
  }, 60_000);
});

describe("forgot-password per email", () => {
  it("queues no 6th email to one address within the hour but answers exactly the same", async () => {
    await createUser({ role: "participant", email: "inbox@test.example" });
    const sentTo = (to: string) => getDb().select().from(emailOutbox).where(eq(emailOutbox.toAddress, to)).all().length;
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push(unwrap(await forgotPassword(i % 2 ? "inbox@test.example" : "INBOX@test.example", freshIp())));
    expect(sentTo("inbox@test.example")).toBe(5);
    const [fifth, sixth] = [answers[4], answers[5]];
    expect(sixth.status).toBe(200);
    expect(sixth.data).toEqual({ ok: true, email: "inbox@test.example" });
    expect(sixth.status).toBe(fifth.status);
    expect([...sixth.headers.keys()]).toEqual([...fifth.headers.keys()]);
    // another address is not affected
    await createUser({ role: "participant", email: "other-inbox@test.example" });
    expect(unwrap(await forgotPassword("other-inbox@test.example", freshIp())).status).toBe(200);
    expect(sentTo("other-inbox@test.example")).toBe(1);
  });
});

describe("the counter", () => {
  it("allows exactly the limit among simultaneous hits", async () => {
    const results = await Promise.all(
      Array.from({ length: 30 }, () => Promise.resolve().then(() => hit("test:concurrent", { limit: 10, windowMs: 60_000 }))),
    );
    expect(results.filter((r) => r.allowed)).toHaveLength(10);
    expect(results.filter((r) => !r.allowed).every((r) => r.retryAfterSeconds >= 1 && r.retryAfterSeconds <= 60)).toBe(true);
  });

  it("allows exactly the limit among hits from separate processes on the same database file", async () => {
    // the workers start together at a set moment, so that their hits interleave
    const script = `
      import { hit } from "~/auth/rate-limit.server";
      while (Date.now() < Number(process.env.HITS_AT)) {}
      const out = [];
      for (let i = 0; i < 100; i++) out.push(hit("test:processes", { limit: 10, windowMs: 60000 }).allowed);
      process.stdout.write(JSON.stringify(out));
    `;
    const env = { ...process.env, HITS_AT: String(Date.now() + 5000) };
    const outputs = await Promise.all(
      [1, 2, 3].map(() => {
        const worker = run("npx", ["tsx", "--eval", script], { env });
        worker.child.stdin?.end(); // tsx --eval waits for stdin to close
        return worker;
      }),
    );
    const hits = outputs.flatMap((o) => JSON.parse(o.stdout) as boolean[]);
    expect(hits).toHaveLength(300);
    expect(hits.filter(Boolean)).toHaveLength(10);
  }, 60_000);

  it("does not restart a window for a request whose clock reading is a few ms older (simultaneous requests)", () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const t = new Date("2026-08-01T09:00:00Z").getTime();
    const limit = { limit: 2, windowMs: 60_000 };
    vi.setSystemTime(t);
    expect(hit("test:skew", limit).allowed).toBe(true);
    vi.setSystemTime(t - 5);
    expect(hit("test:skew", limit).allowed).toBe(true);
    vi.setSystemTime(t - 3);
    const third = hit("test:skew", limit);
    expect(third.allowed).toBe(false);
    expect(third.retryAfterSeconds).toBe(60);
    // a clock set back by more than a whole window starts afresh
    vi.setSystemTime(t - 61_000);
    expect(hit("test:skew", limit)).toMatchObject({ allowed: true, count: 1 });
  });

  it("purges counters whose window ended more than a day ago", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const start = new Date("2026-08-01T09:00:00Z").getTime();
    vi.setSystemTime(start);
    hit("test:purge-old", LIMITS.postsPerIp);
    vi.setSystemTime(start + 3 * 24 * 3600_000);
    hit("test:purge-new", LIMITS.postsPerIp);
    const keys = getDb().select({ key: rateLimits.key }).from(rateLimits).where(like(rateLimits.key, "test:purge-%")).all().map((r) => r.key);
    expect(keys).toEqual(["test:purge-new"]);
  });

  it("tooManyRequests is a 429 that must not be cached and says when to come back", () => {
    const response = tooManyRequests(42.2);
    expect(response.status).toBe(429);
    expect(response.headers.get("Retry-After")).toBe("43");
    expect(response.headers.get("Cache-Control")).toBe("no-store");
  });
});
