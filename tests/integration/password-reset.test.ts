import { afterEach, describe, expect, it, vi } from "vitest";
import { eq } from "drizzle-orm";
import { getDb, firstRow } from "../../db/client";
import { authSessions, emailOutbox, passwordResetTokens } from "../../db/schema";
import * as forgot from "~/routes/forgot-password";
import * as reset from "~/routes/reset-password.$token";
import { authenticate } from "~/models/accounts.server";
import { hashToken } from "~/auth/tokens.server";
import { call, createUser, makeRequest, sessionCookie, unwrap } from "../setup/helpers";

afterEach(() => vi.useRealTimers());

async function outbox() {
  return await getDb().select().from(emailOutbox);
}

async function requestLink(email: string) {
  const result = unwrap(await call(forgot.action, makeRequest("/forgot-password", { form: { email } })));
  expect(result.status).toBe(200);
  const mail = (await outbox()).at(-1)!;
  const token = mail.text.match(/\/reset-password\/([A-Za-z0-9_-]+)/)?.[1];
  return { result, mail, token: token! };
}

async function setPassword(token: string, password: string, confirmPassword = password) {
  return await call(reset.action, makeRequest(`/reset-password/${token}`, { form: { password, confirmPassword } }), { token });
}

describe("forgot password", () => {
  it("queues an email with a one-time link; only the token's hash is stored", async () => {
    const user = await createUser({ role: "participant", email: "officer@test.example" });
    const { mail, token } = await requestLink("officer@test.example");
    expect(mail.toAddress).toBe("officer@test.example");
    expect(mail.kind).toBe("password_reset");
    expect(mail.status).toBe("pending");
    expect(mail.html).toContain(`http://localhost:3000/reset-password/${token}`);
    // ≥ 128 bits of entropy: 32 random bytes, base64url
    expect(Buffer.from(token, "base64url").length).toBeGreaterThanOrEqual(16);
    const stored = firstRow(await getDb().select().from(passwordResetTokens).where(eq(passwordResetTokens.userId, user.id)).limit(1))!;
    expect(stored.tokenHash).toBe(hashToken(token));
    expect(stored.tokenHash).not.toContain(token);
    expect(stored.expiresAt.getTime() - stored.createdAt.getTime()).toBeLessThanOrEqual(3600_000 + 1000);
  });

  it("answers the same for an unknown email and sends nothing", async () => {
    const before = (await outbox()).length;
    const result = unwrap(await call(forgot.action, makeRequest("/forgot-password", { form: { email: "nobody@test.example" } })));
    expect(result.status).toBe(200);
    expect(result.data).toEqual({ ok: true, email: "nobody@test.example" });
    expect(await outbox()).toHaveLength(before);
  });

  it("rejects a malformed email with a message and keeps it", async () => {
    const before = (await outbox()).length;
    const result = unwrap(await call(forgot.action, makeRequest("/forgot-password", { form: { email: "officer at test" } })));
    expect(result.status).toBe(400);
    expect(result.data.errors.email).toBe("errors.email");
    expect(result.data.values.email).toBe("officer at test");
    expect(await outbox()).toHaveLength(before);
  });
});

describe("reset password", () => {
  it("sets the new password once, ends every session, and the link cannot be reused", async () => {
    const user = await createUser({ role: "participant", email: "reuse@test.example" });
    const otherSession = await sessionCookie(user);
    expect(otherSession).toBeTruthy();
    const { token } = await requestLink("reuse@test.example");
    expect(unwrap(await call(reset.loader, makeRequest(`/reset-password/${token}`), { token })).status).toBe(200);
    const done = (await setPassword(token, "a brand new passphrase")) as Response;
    expect(done.status).toBe(302);
    expect(done.headers.get("Location")).toBe("/login");
    expect((await authenticate("reuse@test.example", "a brand new passphrase", null)).ok).toBe(true);
    expect(await getDb().select().from(authSessions).where(eq(authSessions.userId, user.id))).toHaveLength(0);
    // second use: refused, and the password is not changed again
    const again = unwrap(await setPassword(token, "yet another passphrase"));
    expect(again.status).toBe(410);
    expect((await authenticate("reuse@test.example", "yet another passphrase", null)).ok).toBe(false);
    expect(unwrap(await call(reset.loader, makeRequest(`/reset-password/${token}`), { token })).status).toBe(410);
  });

  it("expires after one hour", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-05-01T10:00:00Z"));
    await createUser({ role: "participant", email: "late@test.example" });
    const { token } = await requestLink("late@test.example");
    vi.setSystemTime(new Date("2026-05-01T10:59:00Z"));
    expect(unwrap(await call(reset.loader, makeRequest(`/reset-password/${token}`), { token })).status).toBe(200);
    vi.setSystemTime(new Date("2026-05-01T11:00:01Z"));
    expect(unwrap(await call(reset.loader, makeRequest(`/reset-password/${token}`), { token })).status).toBe(410);
    expect(unwrap(await setPassword(token, "too late for this one")).status).toBe(410);
    expect((await authenticate("late@test.example", "too late for this one", null)).ok).toBe(false);
  });

  it("refuses a forged token", async () => {
    await createUser({ role: "participant", email: "forged@test.example" });
    const forged = "A".repeat(43);
    expect(unwrap(await call(reset.loader, makeRequest(`/reset-password/${forged}`), { token: forged })).status).toBe(410);
    expect(unwrap(await setPassword(forged, "a forged passphrase")).status).toBe(410);
  });

  it("explains a short or mismatched password and keeps the link usable", async () => {
    await createUser({ role: "participant", email: "short@test.example" });
    const { token } = await requestLink("short@test.example");
    const short = unwrap(await setPassword(token, "short"));
    expect(short.status).toBe(400);
    expect(short.data.errors.password).toBe("errors.passwordShort");
    const mismatch = unwrap(await setPassword(token, "long enough password", "different password!"));
    expect(mismatch.data.errors.confirmPassword).toBe("errors.passwordMismatch");
    expect(((await setPassword(token, "long enough password")) as Response).status).toBe(302);
  });
});
