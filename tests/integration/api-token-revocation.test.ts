import { describe, expect, it } from "vitest";
import { getDb } from "../../db/client";
import { passwordResetTokens } from "../../db/schema";
import { generateToken, hashToken } from "~/auth/tokens.server";
import type { Actor, SessionUser } from "~/auth/session.server";
import { consumeTokenAndSetPassword } from "~/models/accounts.server";
import { authenticateApiToken, createApiToken } from "~/models/api-tokens.server";
import { resetSecondFactor } from "~/models/second-factor.server";
import * as account from "~/routes/account";
import * as apiEvents from "~/api/api.v1.events";
import { call, createUser, makeRequest, PASSWORD, rawAll, rawGet, sessionCookie, unwrap } from "../setup/helpers";

/**
 * A token minted by whoever held an account must not outlive the owner's taking it back: a new
 * password (changed on the account page, or set through a reset link) and an administrator's
 * reset of the second factor revoke every live token of that user, and only theirs.
 */

const NEW_PASSWORD = "a brand new passphrase for tokens";

async function userWithTokens(role: "participant" | "admin" = "participant") {
  const created = await createUser({ role });
  const user: SessionUser = { id: created.id, email: created.email, name: "Token Holder", role, organisationId: null, locale: "en" };
  const actor: Actor = { user, ip: null };
  const tokens = [
    await createApiToken(actor, { name: "monitoring", access: "read", lifetimeDays: 30 }),
    await createApiToken(actor, { name: "roster sync", access: "write", lifetimeDays: 90 }),
  ];
  return { created, actor, tokens };
}

/** jsonb on PostgreSQL, text on SQLite */
const detailsOf = (details: unknown) => (typeof details === "string" ? JSON.parse(details) : details);
const live = async (secret: string) => (await authenticateApiToken(secret, null)) !== null;
const apiStatus = async (secret: string) =>
  ((await call(apiEvents.loader, makeRequest("/api/v1/events", { headers: { Authorization: `Bearer ${secret}` } }))) as Response).status;

describe("a user's API tokens are revoked", () => {
  it("when they change their password on the account page, and the audit says how many", async () => {
    const { created, tokens } = await userWithTokens();
    const bystander = await userWithTokens();
    expect(await apiStatus(tokens[0].secret)).toBe(200);
    const cookie = await sessionCookie(created);
    const changed = unwrap(
      await call(account.action, makeRequest("/account", { cookie, form: { intent: "change-password", currentPassword: PASSWORD, newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD } })),
    );
    expect(changed.status).toBe(302);
    for (const { secret } of tokens) {
      expect(await live(secret)).toBe(false);
      expect(await apiStatus(secret)).toBe(401);
    }
    // another user's tokens are untouched
    for (const { secret } of bystander.tokens) expect(await live(secret)).toBe(true);
    const audit = await rawGet<{ details: string }>("select details from audit_log where action = 'account.password_change' and user_id = ?", created.id);
    expect(detailsOf(audit!.details)).toMatchObject({ apiTokensRevoked: 2 });
    const rows = await rawAll<{ revoked: unknown }>("select revoked_at as revoked from api_tokens where user_id = ?", created.id);
    expect(rows.every((r) => r.revoked !== null)).toBe(true);
  });

  it("when a password is refused at the current-password check, nothing is revoked", async () => {
    const { created, tokens } = await userWithTokens();
    const cookie = await sessionCookie(created);
    const refused = unwrap(
      await call(account.action, makeRequest("/account", { cookie, form: { intent: "change-password", currentPassword: "not the password", newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD } })),
    );
    expect(refused.status).toBe(400);
    for (const { secret } of tokens) expect(await live(secret)).toBe(true);
  });

  it("when a new password is set through a reset link", async () => {
    const { created, tokens } = await userWithTokens();
    const link = generateToken();
    await getDb()
      .insert(passwordResetTokens)
      .values({ tokenHash: hashToken(link), userId: created.id, purpose: "reset", expiresAt: new Date(Date.now() + 3_600_000) });
    expect(await consumeTokenAndSetPassword(link, NEW_PASSWORD, null)).toBe(created.id);
    for (const { secret } of tokens) expect(await live(secret)).toBe(false);
    const audit = await rawGet<{ details: string }>("select details from audit_log where action = 'password_reset.complete' and user_id = ?", created.id);
    expect(detailsOf(audit!.details)).toMatchObject({ apiTokensRevoked: 2 });
  });

  it("when an administrator resets their second factor", async () => {
    const { created, tokens } = await userWithTokens();
    const admin = await createUser({ role: "admin" });
    const adminActor: Actor = { user: { id: admin.id, email: admin.email, name: "Admin", role: "admin", organisationId: null, locale: "en" }, ip: null };
    await resetSecondFactor(adminActor, created.id);
    for (const { secret } of tokens) expect(await live(secret)).toBe(false);
    const audit = await rawGet<{ details: string }>("select details from audit_log where action = 'second_factor.admin_reset' and entity_id = ?", created.id);
    expect(detailsOf(audit!.details)).toMatchObject({ apiTokensRevoked: 2 });
  });
});
