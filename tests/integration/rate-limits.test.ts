import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterEach, describe, expect, it, vi } from "vitest";
import { eq, like } from "drizzle-orm";
import { getDb, firstRow } from "../../db/client";
import { auditLog, emailOutbox, events, rateLimits, registrations } from "../../db/schema";
import * as login from "~/routes/login";
import * as forgot from "~/routes/forgot-password";
import * as register from "~/routes/events_.$eventId.register";
import { hit, LIMITS, LOGIN_BACKOFF, startLoginAttempt, tooManyRequests } from "~/auth/rate-limit.server";
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

async function signIn(email: string, password: string, ip: string) {
  return await call(login.action, makeRequest("/login", { form: { email, password }, headers: fromIp(ip) }));
}

async function forgotPassword(email: string, ip: string) {
  return await call(forgot.action, makeRequest("/forgot-password", { form: { email }, headers: fromIp(ip) }));
}

async function loginFailures() {
  return (await getDb().select().from(auditLog).where(eq(auditLog.action, "login.failure"))).length;
}

function expectTooMany(result: unknown) {
  expect(result).toBeInstanceOf(Response);
  const response = result as Response;
  expect(response.status).toBe(429);
  expect(Number(response.headers.get("Retry-After"))).toBeGreaterThanOrEqual(1);
  expect(response.headers.get("Cache-Control")).toBe("no-store");
  return response;
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
    const before = await loginFailures();
    const refused = expectTooMany(await signIn("busy@test.example", PASSWORD, ip));
    // the window opened at `start`; 10 s of it have passed
    expect(Number(refused.headers.get("Retry-After"))).toBe(51);
    expect(refused.headers.get("Set-Cookie")).toBeNull();
    expect(await loginFailures()).toBe(before); // refused before anything was checked

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
    const eventId = (await getDb()
      .insert(events)
      .values({ title: "Open training", type: "training", country: "BS", timeZone: "America/Nassau", startDate: "2027-03-02", endDate: "2027-03-03", capacity: 50, status: "open" })
      .returning())[0].id;
    const ip = freshIp();
    const submit = async (n: number, from: string) =>
      await call(
        register.action,
        makeRequest(`/events/${eventId}/register`, {
          form: { givenName: "Dwayne", familyName: `Officer ${n}`, email: `officer${n}@immigration.example`, consent: "yes", locale: "en" },
          headers: fromIp(from),
        }),
        { eventId: String(eventId) },
      );
    for (let i = 0; i < 10; i++) expect(((await submit(i, ip)) as Response).status).toBe(302);
    const saved = (await getDb().select().from(registrations).where(eq(registrations.eventId, eventId))).length;
    expect(saved).toBe(10);
    expectTooMany(await submit(10, ip));
    expect(await getDb().select().from(registrations).where(eq(registrations.eventId, eventId))).toHaveLength(saved);
    expect(await getDb().select().from(emailOutbox).where(eq(emailOutbox.toAddress, "officer10@immigration.example"))).toHaveLength(0);
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
    expect(firstRow(await getDb().select().from(rateLimits).where(eq(rateLimits.key, "ip:forgot-password:unknown")).limit(1))?.count).toBe(11);
  });
});

describe("failed sign-ins", () => {
  const { perPair, perAddress } = LOGIN_BACKOFF;

  async function loginRows(prefix: string) {
    return await getDb().select().from(rateLimits).where(like(rateLimits.key, `${prefix}%`));
  }

  it("a stranger's 100 wrong passwords from 10 addresses do not keep the owner out: the right password from another address signs in", async () => {
    await createUser({ role: "partner", email: "partner@test.example" });
    const attackers = Array.from({ length: 10 }, () => freshIp());
    const before = await loginFailures();
    const statuses: number[] = [];
    for (const ip of attackers) {
      for (let i = 0; i < 10; i++) statuses.push(unwrap(await signIn(i % 2 ? "Partner@Test.Example" : "partner@test.example", `guess ${i}`, ip)).status);
    }
    // each address had its few free guesses; the rest were refused without checking a password
    expect(statuses.filter((s) => s === 400)).toHaveLength(10 * perPair.free);
    expect(statuses.filter((s) => s === 429)).toHaveLength(100 - 10 * perPair.free);
    expect((await loginFailures()) - before).toBe(10 * perPair.free);

    const owner = (await signIn("partner@test.example", PASSWORD, freshIp())) as Response;
    expect(owner.status).toBe(302);
    expect(owner.headers.get("Set-Cookie")).toMatch(/^convene_session=/);
    // the attackers' addresses stay slowed down on this account
    expect(unwrap(await signIn("partner@test.example", PASSWORD, attackers[0])).status).toBe(429);
  }, 60_000);

  it("refuses with 429, Retry-After and the login form's own message, keeping the email, without a session or a password check", async () => {
    await createUser({ role: "participant", email: "slow@test.example" });
    const ip = freshIp();
    for (let i = 0; i < perPair.free; i++) expect(unwrap(await signIn("slow@test.example", "wrong", ip)).status).toBe(400);
    const before = await loginFailures();
    const refused = unwrap(await signIn("slow@test.example", PASSWORD, ip));
    expect(refused.status).toBe(429);
    expect(refused.headers.get("Retry-After")).toBe("1");
    expect(refused.headers.get("Cache-Control")).toBe("no-store");
    expect(refused.headers.get("Set-Cookie")).toBeNull();
    expect(refused.data).toMatchObject({ ok: false, formError: "login.tooMany", retryAfterSeconds: 1, values: { email: "slow@test.example" } });
    expect(await loginFailures()).toBe(before);
  });

  it("makes each further attempt of a pair wait twice as long after its latest failure, up to 15 minutes, and forgives the pair on the right password", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    let t = new Date("2026-06-02T09:00:00Z").getTime();
    vi.setSystemTime(t);
    const ip = freshIp();
    const email = "pair@test.example";
    for (let i = 0; i < perPair.free; i++) expect((await startLoginAttempt(email, ip)).allowed).toBe(true);
    const waits: number[] = [];
    for (let n = 0; n < 14; n++) {
      const refused = await startLoginAttempt(email, ip);
      expect(refused.allowed).toBe(false);
      const wait = refused.allowed ? 0 : refused.retryAfterSeconds;
      waits.push(wait);
      // a moment too early is still refused, and does not push the wait further
      vi.setSystemTime(t + wait * 1000 - 1);
      expect(await startLoginAttempt(email, ip)).toEqual({ allowed: false, retryAfterSeconds: 1 });
      t += wait * 1000;
      vi.setSystemTime(t);
      expect((await startLoginAttempt(email, ip)).allowed).toBe(true); // one more failure
    }
    expect(waits).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900, 900, 900]);
    // the same email from another address is not slowed down
    expect((await startLoginAttempt(email, freshIp())).allowed).toBe(true);
    // the right password, once the wait is over, forgives this address's failures on the account
    t += 900_000;
    vi.setSystemTime(t);
    const right = await startLoginAttempt(email, ip);
    expect(right.allowed).toBe(true);
    if (right.allowed) await right.succeeded();
    for (let i = 0; i < perPair.free; i++) expect((await startLoginAttempt(email, ip)).allowed).toBe(true);
    expect((await startLoginAttempt(email, ip)).allowed).toBe(false);
    // a day without failures forgets them too
    vi.setSystemTime(t + perPair.forgetAfterMs);
    expect((await startLoginAttempt(email, ip)).allowed).toBe(true);
  });

  it("throttles an address as a whole after many failures across accounts, not other addresses", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    let t = new Date("2026-06-03T09:00:00Z").getTime();
    vi.setSystemTime(t);
    await createUser({ role: "coordinator", email: "stuffed@test.example" });
    const ip = freshIp();
    const before = await loginFailures();
    for (let i = 0; i < perAddress.free; i++) {
      // 7 s apart keeps under the per-minute POST limit: this test is about failures, not request rate
      if (i > 0) vi.setSystemTime((t += 7000));
      expect(unwrap(await signIn(`user${i}@test.example`, "Summer2026!", ip)).status).toBe(400);
    }
    expect((await loginFailures()) - before).toBe(perAddress.free);
    // an account this address never tried, even with its right password, waits
    const refused = unwrap(await signIn("stuffed@test.example", PASSWORD, ip));
    expect(refused.status).toBe(429);
    expect(refused.headers.get("Retry-After")).toBe("1");
    expect(refused.data.formError).toBe("login.tooMany");
    expect((await loginFailures()) - before).toBe(perAddress.free);
    // everyone elsewhere signs in
    expect(((await signIn("stuffed@test.example", PASSWORD, freshIp())) as Response).status).toBe(302);
    // with the growing waits, the address gets a handful more guesses an hour, not hundreds
    let allowed = 0;
    for (let minute = 0; minute < 60; minute++) {
      vi.setSystemTime((t += 60_000));
      if (unwrap(await signIn(`late${minute}@test.example`, "Summer2026!", ip)).status === 400) allowed++;
    }
    expect(allowed).toBeLessThanOrEqual(14);
    // and an hour without failures forgets the address
    vi.setSystemTime((t += perAddress.forgetAfterMs));
    expect(((await signIn("stuffed@test.example", PASSWORD, ip)) as Response).status).toBe(302);
  }, 60_000);

  it("answers an unknown email exactly as a known one, before and at the limit", async () => {
    await createUser({ role: "participant", email: "known@test.example" });
    const [ipKnown, ipUnknown] = [freshIp(), freshIp()];
    for (let i = 0; i < perPair.free; i++) {
      const known = unwrap(await signIn("known@test.example", "wrong", ipKnown));
      const unknown = unwrap(await signIn("nobody@test.example", "wrong", ipUnknown));
      expect([known.status, known.data.formError]).toEqual([400, "login.invalid"]);
      expect([unknown.status, unknown.data.formError]).toEqual([400, "login.invalid"]);
    }
    const known = unwrap(await signIn("known@test.example", PASSWORD, ipKnown));
    const unknown = unwrap(await signIn("nobody@test.example", PASSWORD, ipUnknown));
    expect(known.status).toBe(429);
    expect(unknown.status).toBe(429);
    expect({ ...unknown.data, values: null }).toEqual({ ...known.data, values: null });
    expect([...unknown.headers.entries()]).toEqual([...known.headers.entries()]);
  });

  it("lets no more simultaneous wrong guesses through than the pair's free allowance", async () => {
    await createUser({ role: "participant", email: "rush@test.example" });
    const ip = freshIp();
    const before = await loginFailures();
    const results = await Promise.all(Array.from({ length: 10 }, async (_, i) => await signIn("rush@test.example", `guess ${i}`, ip)));
    const statuses = results.map((r) => unwrap(r).status);
    expect(statuses.filter((s) => s === 400)).toHaveLength(perPair.free);
    expect(statuses.filter((s) => s === 429)).toHaveLength(10 - perPair.free);
    expect((await loginFailures()) - before).toBe(perPair.free);
    expect(await loginRows("login-failures:pair:" + ip)).toMatchObject([{ count: perPair.free }]);
  });

  it("lets no more simultaneous guesses through than the allowance from separate processes on the same database file", async () => {
    // every worker's clock stands still at one instant: however slowly a loaded machine runs them,
    // no growing delay can run out between their attempts, so exactly the free ones pass
    const script = `
      import { startLoginAttempt } from "~/auth/rate-limit.server";
      import { setClock } from "~/lib/clock";
      while (Date.now() < Number(process.env.HITS_AT)) {}
      setClock(() => Number(process.env.HITS_AT));
      (async () => {
        const out = [];
        for (let i = 0; i < 20; i++) out.push((await startLoginAttempt("processes@test.example", "192.0.2.99")).allowed);
        process.stdout.write(JSON.stringify(out));
      })();
    `;
    const env = { ...process.env, HITS_AT: String(Date.now() + 5000) };
    const outputs = await Promise.all(
      [1, 2, 3].map(() => {
        const worker = run("npx", ["tsx", "--eval", script], { env });
        worker.child.stdin?.end(); // tsx --eval waits for stdin to close
        return worker;
      }),
    );
    const attempts = outputs.flatMap((o) => JSON.parse(o.stdout) as boolean[]);
    expect(attempts).toHaveLength(60);
    expect(attempts.filter(Boolean)).toHaveLength(perPair.free);
  }, 60_000);
});

describe("forgot-password per email", () => {
  it("queues no 6th email to one address within the hour but answers exactly the same", async () => {
    await createUser({ role: "participant", email: "inbox@test.example" });
    const sentTo = async (to: string) => (await getDb().select().from(emailOutbox).where(eq(emailOutbox.toAddress, to))).length;
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push(unwrap(await forgotPassword(i % 2 ? "inbox@test.example" : "INBOX@test.example", freshIp())));
    expect(await sentTo("inbox@test.example")).toBe(5);
    const [fifth, sixth] = [answers[4], answers[5]];
    expect(sixth.status).toBe(200);
    expect(sixth.data).toEqual({ ok: true, email: "inbox@test.example" });
    expect(sixth.status).toBe(fifth.status);
    expect([...sixth.headers.keys()]).toEqual([...fifth.headers.keys()]);
    // another address is not affected
    await createUser({ role: "participant", email: "other-inbox@test.example" });
    expect(unwrap(await forgotPassword("other-inbox@test.example", freshIp())).status).toBe(200);
    expect(await sentTo("other-inbox@test.example")).toBe(1);
  });
});

describe("the counter", () => {
  it("allows exactly the limit among simultaneous hits", async () => {
    const results = await Promise.all(
      Array.from({ length: 30 }, () => Promise.resolve().then(async () => await hit("test:concurrent", { limit: 10, windowMs: 60_000 }))),
    );
    expect(results.filter((r) => r.allowed)).toHaveLength(10);
    expect(results.filter((r) => !r.allowed).every((r) => r.retryAfterSeconds >= 1 && r.retryAfterSeconds <= 60)).toBe(true);
  });

  it("allows exactly the limit among hits from separate processes on the same database file", async () => {
    // the workers start together at a set moment, so that their hits interleave
    const script = `
      import { hit } from "~/auth/rate-limit.server";
      while (Date.now() < Number(process.env.HITS_AT)) {}
      (async () => {
        const out = [];
        for (let i = 0; i < 100; i++) out.push((await hit("test:processes", { limit: 10, windowMs: 60000 })).allowed);
        process.stdout.write(JSON.stringify(out));
      })();
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

  it("does not restart a window for a request whose clock reading is a few ms older (simultaneous requests)", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const t = new Date("2026-08-01T09:00:00Z").getTime();
    const limit = { limit: 2, windowMs: 60_000 };
    vi.setSystemTime(t);
    expect((await hit("test:skew", limit)).allowed).toBe(true);
    vi.setSystemTime(t - 5);
    expect((await hit("test:skew", limit)).allowed).toBe(true);
    vi.setSystemTime(t - 3);
    const third = await hit("test:skew", limit);
    expect(third.allowed).toBe(false);
    expect(third.retryAfterSeconds).toBe(60);
    // a clock set back by more than a whole window starts afresh
    vi.setSystemTime(t - 61_000);
    expect(await hit("test:skew", limit)).toMatchObject({ allowed: true, count: 1 });
  });

  it("purges counters whose window ended more than a day ago", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const start = new Date("2026-08-01T09:00:00Z").getTime();
    vi.setSystemTime(start);
    await hit("test:purge-old", LIMITS.postsPerIp);
    vi.setSystemTime(start + 3 * 24 * 3600_000);
    await hit("test:purge-new", LIMITS.postsPerIp);
    const keys = (await getDb().select({ key: rateLimits.key }).from(rateLimits).where(like(rateLimits.key, "test:purge-%"))).map((r) => r.key);
    expect(keys).toEqual(["test:purge-new"]);
  });

  it("tooManyRequests is a 429 that must not be cached and says when to come back", () => {
    const response = tooManyRequests(42.2);
    expect(response.status).toBe(429);
    expect(response.headers.get("Retry-After")).toBe("43");
    expect(response.headers.get("Cache-Control")).toBe("no-store");
  });
});
