import crypto from "node:crypto";
import path from "node:path";
import { hash } from "@node-rs/argon2";
import Database from "better-sqlite3";
import { expect, test } from "./fixtures";
import { currentStep, totpCodeAt } from "./sign-in";

/**
 * A coordinator without a second factor (made here, in the test's database) signs in, is held on
 * the enrolment page, enrols with a code computed from the secret the page shows, keeps the
 * recovery codes, then signs in again with a code. Screenshots at 1280 and 360 px, English and Arabic.
 */
const PASSWORD = "a long passphrase for the browser test";

test("a coordinator is held on enrolment until two-step sign-in is on, then signs in with a code", async ({ page }) => {
  const id = crypto.randomBytes(15).toString("base64url");
  const email = `coordinator-${crypto.randomBytes(4).toString("hex")}@test.example`;
  const passwordHash = await hash(PASSWORD, { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 });
  const db = new Database(path.resolve("data/e2e.db"));
  db.prepare(`insert into users (id, email, name, role, password_hash) values (?, ?, ?, 'coordinator', ?)`).run(id, email, "Noor Haddad", passwordHash);
  db.close();

  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto("/events");
  await page.locator("#email").fill(email);
  await page.locator("#password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/account\/two-factor$/);
  await expect(page.getByRole("heading", { level: 1, name: "Two-step sign-in" })).toBeVisible();
  await expect(page.getByText("Administrators and coordinators can see the personal data")).toBeVisible();
  // no navigation meanwhile, and every other page comes back here
  await expect(page.getByRole("navigation", { name: "Main navigation" })).toHaveCount(0);
  await page.goto("/people");
  await expect(page).toHaveURL(/\/account\/two-factor$/);
  await page.screenshot({ path: "test-results/two-factor-required.png", fullPage: true });

  await page.getByRole("button", { name: "Set up two-step sign-in" }).click();
  const secret = (await page.locator("[data-totp-secret]").innerText()).replace(/\s/g, "");
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  await expect(page.getByRole("img", { name: "QR code to add Convene to an authenticator app" })).toBeVisible();
  await page.screenshot({ path: "test-results/two-factor-setup.png", fullPage: true });

  // a wrong first code is refused, and nothing is turned on
  await page.getByLabel("Current password").fill(PASSWORD);
  const right = totpCodeAt(secret, currentStep());
  await page.getByLabel("Code from your authenticator app").fill(right === "000000" ? "111111" : "000000");
  await page.getByRole("button", { name: "Turn on two-step sign-in" }).click();
  await expect(page.getByText("That code is not right, or has already been used.").first()).toBeVisible();
  await expect(page.locator("[data-totp-secret]")).toBeVisible();

  await page.getByLabel("Current password").fill(PASSWORD);
  await page.getByLabel("Code from your authenticator app").fill(totpCodeAt(secret, currentStep()));
  await page.getByRole("button", { name: "Turn on two-step sign-in" }).click();
  await expect(page.getByRole("heading", { name: "Your recovery codes" })).toBeVisible();
  await expect(page.locator("[data-recovery-codes] li")).toHaveCount(10);
  await page.screenshot({ path: "test-results/two-factor-recovery-codes.png", fullPage: true });
  await page.setViewportSize({ width: 360, height: 800 });
  await page.screenshot({ path: "test-results/two-factor-recovery-codes-360.png", fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.getByRole("link", { name: "I have saved them — continue" }).click();
  await expect(page.getByRole("heading", { level: 2, name: /Current and upcoming events/ }).first()).toBeVisible();

  // sign out, and in again: the password, then a code of the app (the next one: each works once)
  await page.getByRole("button", { name: "Sign out" }).first().click();
  await expect(page).toHaveURL(/\/login$/);
  await page.locator("#email").fill(email);
  await page.locator("#password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/login\/two-factor$/);
  await page.screenshot({ path: "test-results/two-factor-sign-in.png", fullPage: true });
  await page.locator("#code").fill(totpCodeAt(secret, currentStep() + 1));
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page).toHaveURL(/\/$/);
  await page.goto("/account/two-factor");
  await expect(page.getByText("10 unused recovery codes left.", { exact: false })).toBeVisible();

  // the same pages in Arabic, right to left, on a phone
  await page.locator("header select[name=locale]").first().selectOption({ label: "العربية" });
  await expect(page.locator("html")).toHaveAttribute("dir", "rtl");
  await page.screenshot({ path: "test-results/two-factor-on-ar.png", fullPage: true });
  await page.setViewportSize({ width: 360, height: 800 });
  await page.screenshot({ path: "test-results/two-factor-on-ar-360.png", fullPage: true });
  await page.goto("/account");
  await page.screenshot({ path: "test-results/account-ar-360.png", fullPage: true });
  const back = new Database(path.resolve("data/e2e.db"));
  back.prepare("update users set locale = null where id = ?").run(id);
  back.close();
});
