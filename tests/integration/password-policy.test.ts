import { describe, expect, it } from "vitest";
import { passwordProblem } from "~/auth/password-strength.server";
import * as account from "~/routes/account";
import * as forgot from "~/routes/forgot-password";
import * as reset from "~/routes/reset-password.$token";
import * as setup from "~/routes/setup";
import { call, createUser, makeRequest, PASSWORD, rawAll, rawGet, sessionCookie, unwrap } from "../setup/helpers";

/**
 * New passwords: at least 12 characters, at most 256, and not easy to guess (zxcvbn-ts with its
 * lists of the most used and leaked passwords, names and words, keyboard rows, and the user's own
 * name and email). A refused password says why, beside the field, and changes nothing.
 */

const WEAK: [string, string][] = [
  ["aaaaaaaaaaaa", "errors.passwordRepeated"],
  ["password1234", "errors.passwordCommon"],
  ["123456789012", "errors.passwordCommon"],
  ["qwertyuiop12", "errors.passwordCommon"],
  ["abcdefghijkl", "errors.passwordSequence"],
];

describe("the strength check", () => {
  it("refuses common, repeated, sequential and keyboard passwords, each with its reason", async () => {
    for (const [password, reason] of WEAK) expect(await passwordProblem(password), password).toBe(reason);
  });

  it("refuses a password made of the user's own name or email", async () => {
    expect(await passwordProblem("rollebahamas1", ["Anya Rolle", "anya.rolle@bahamas.example"])).toBe("errors.passwordPersonal");
    expect(await passwordProblem("rollebahamas1")).toBeNull();
  });

  it("accepts a few words put together", async () => {
    for (const password of ["correct horse battery", "Tr41ning-Nassau-2023", "another long passphrase"]) expect(await passwordProblem(password), password).toBeNull();
  });
});

describe("every way of setting a password", () => {
  it("/setup: refuses a weak first admin password with its reason, keeps the name and email typed, creates nobody", async () => {
    const form = { name: "Ada Admin", email: "ada@test.example", password: "password1234", confirmPassword: "password1234" };
    const refused = unwrap(await call(setup.action, makeRequest("/setup", { form })));
    expect(refused.status).toBe(400);
    expect(refused.data.errors).toEqual({ password: "errors.passwordCommon" });
    expect(refused.data.values).toMatchObject({ name: "Ada Admin", email: "ada@test.example" });
    expect(refused.data.values.password).toBeUndefined();
    expect(await rawAll(`select id from users`)).toHaveLength(0);
    const short = unwrap(await call(setup.action, makeRequest("/setup", { form: { ...form, password: "eleven char", confirmPassword: "eleven char" } })));
    expect(short.data.errors.password).toBe("errors.passwordShort");
    expect(await rawAll(`select id from users`)).toHaveLength(0);
  });

  it("a reset link: refuses a weak password, leaves the old one and the link usable", async () => {
    const user = await createUser({ role: "participant", email: "officer.knowles@test.example", name: "Dion Knowles" });
    const before = await rawGet<{ hash: string }>(`select password_hash as "hash" from users where id = ?`, user.id);
    unwrap(await call(forgot.action, makeRequest("/forgot-password", { form: { email: "officer.knowles@test.example" } })));
    const [mail] = await rawAll<{ text: string }>(`select text from email_outbox where to_address = ? order by id desc`, "officer.knowles@test.example");
    const token = mail.text.match(/\/reset-password\/([A-Za-z0-9_-]+)/)![1];
    for (const password of ["knowles12345", "aaaaaaaaaaaa"]) {
      const refused = unwrap(await call(reset.action, makeRequest(`/reset-password/${token}`, { form: { password, confirmPassword: password } }), { token }));
      expect(refused.status).toBe(400);
      expect(refused.data.errors.password).toMatch(/^errors\.password(Personal|Repeated|Words)$/);
    }
    expect(await rawGet(`select password_hash as "hash" from users where id = ?`, user.id)).toEqual(before);
    expect(unwrap(await call(reset.loader, makeRequest(`/reset-password/${token}`), { token })).status).toBe(200);
    const set = (await call(reset.action, makeRequest(`/reset-password/${token}`, { form: { password: "a brand new passphrase", confirmPassword: "a brand new passphrase" } }), { token })) as Response;
    expect(set.status).toBe(302);
  });

  it("/account: refuses a weak new password, keeps the current one and the session", async () => {
    const user = await createUser({ role: "coordinator" });
    const cookie = await sessionCookie(user);
    const before = await rawGet(`select password_hash as "hash" from users where id = ?`, user.id);
    const sessions = await rawAll(`select id from auth_sessions where user_id = ?`, user.id);
    const form = { intent: "change-password", currentPassword: PASSWORD, newPassword: "1234567890ab", confirmPassword: "1234567890ab" };
    const refused = unwrap(await call(account.action, makeRequest("/account", { form, cookie })));
    expect(refused.status).toBe(400);
    expect(refused.data.errors.newPassword).toMatch(/^errors\.password/);
    expect(await rawGet(`select password_hash as "hash" from users where id = ?`, user.id)).toEqual(before);
    expect(await rawAll(`select id from auth_sessions where user_id = ?`, user.id)).toEqual(sessions);
  });
});
