import { expect, type Page } from "@playwright/test";

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
  await expect(page).not.toHaveURL(/\/login/);
}
