import path from "node:path";
import { generateHOTP } from "@oslojs/otp";
import { expect, type Page } from "@playwright/test";
import Database from "better-sqlite3";
import { DEMO_TOTP_SECRET } from "../../db/seed/demo-second-factor";

/** RFC 4648 base32 to bytes (the demo secret, or the one the enrolment page shows). */
export function base32Bytes(text: string): Uint8Array {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const char of text.toUpperCase().replace(/[\s=]/g, "")) {
    value = (value << 5) | alphabet.indexOf(char);
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return new Uint8Array(out);
}

/** The code an authenticator app shows for `secret` during the 30-second step `step`. */
export function totpCodeAt(secret: string, step: number): string {
  return generateHOTP(base32Bytes(secret), BigInt(step), 6);
}

export const currentStep = () => Math.floor(Date.now() / 30_000);

/**
 * A code Convene will accept now for a demo account's second factor (the secret `npm run demo`
 * prints). Convene accepts each step's code once, during the previous, current or next step, and
 * the browser tests sign the demo coordinator in many times a minute: the code is that of the
 * earliest step from the current one on (never the previous one: it stops being accepted if a
 * 30-second boundary passes between this and the server's check) later than the last one used,
 * read from the test's database. When the current and next steps are used up, the test rewinds
 * the account's last used step in the database — a shortcut of the tests only (replays are refused
 * in second-factor.test.ts), instead of waiting 30 seconds.
 */
export function demoSecondFactorCode(email: string, databasePath = "data/e2e.db"): string {
  const db = new Database(path.resolve(databasePath));
  try {
    const row = db
      .prepare(`select f.last_used_step as step from second_factors f join users u on u.id = f.user_id where u.email = ?`)
      .get(email) as { step: number | null } | undefined;
    const now = currentStep();
    let step = Math.max(now, (row?.step ?? now - 2) + 1);
    if (step > now + 1) {
      db.prepare(`update second_factors set last_used_step = ? where user_id = (select id from users where email = ?)`).run(now - 1, email);
      step = now;
    }
    return totpCodeAt(DEMO_TOTP_SECRET, step);
  } finally {
    db.close();
  }
}

/**
 * After the password: when Convene asks for the second factor (the demo administrator and
 * coordinator), type a code computed from the demo secret, then wait until the sign-in is done.
 */
export async function passSecondFactor(page: Page, email: string, databasePath = "data/e2e.db") {
  // the address changes before the next page is drawn: wait until the login form has gone
  await expect(page.locator("#password")).toHaveCount(0);
  if (new URL(page.url()).pathname === "/login/two-factor") {
    await page.locator("#code").fill(demoSecondFactorCode(email, databasePath));
    await page.locator("form[method=post] button[type=submit]").last().click();
    await expect(page.locator("#code")).toHaveCount(0);
  }
  await expect(page).not.toHaveURL(/\/login/);
}

/**
 * Sign in as a demo account, from any page, leaving any earlier session. The login page is in the
 * browser's language: English unless the test asked for another, whose button label it then gives.
 */
export async function signIn(page: Page, email: string, submitLabel = "Sign in") {
  await page.context().clearCookies();
  await page.goto("/login");
  await page.locator("#email").fill(email);
  await page.locator("#password").fill("demo-password");
  await page.getByRole("button", { name: submitLabel }).click();
  await passSecondFactor(page, email);
}
