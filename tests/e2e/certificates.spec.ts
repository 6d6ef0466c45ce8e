import Database from "better-sqlite3";
import { expect, test } from "./fixtures";
import { passSecondFactor } from "./sign-in";

// Switching language is saved in the demo participant's profile: put it back for other specs.
test.afterEach(() => {
  const db = new Database("data/e2e.db");
  db.prepare("update users set locale = null").run();
  db.close();
});

test("a participant downloads their certificate in Arabic, and anyone can verify it", async ({ page, browser, request, baseURL }) => {
  await page.goto("/login");
  await page.locator("#email").fill("participant@example.org");
  await page.locator("#password").fill("demo-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await passSecondFactor(page, "participant@example.org");
  await page.locator("header select[name=locale]").first().selectOption({ label: "العربية" });
  await expect(page.locator("html")).toHaveAttribute("dir", "rtl");
  await page.goto("/me");
  const link = page.locator('a[href^="/me/certificates/"]').first();
  const href = (await link.getAttribute("href"))!;
  const codeText = await page.getByText(/[23456789A-Z]{12}/).first().textContent();
  const code = codeText!.match(/[23456789ABCDEFGHJKLMNPQRSTUVWXYZ]{12}/)![0];

  // the PDF: served inline, in the holder's language (Arabic), shown by Chromium's own viewer
  const pdf = await page.context().request.get(`${baseURL}${href}`);
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()["content-type"]).toBe("application/pdf");
  const bytes = (await pdf.body()).toString("latin1");
  expect(bytes.slice(0, 5)).toBe("%PDF-");
  expect(bytes).toMatch(/\/Lang \(ar\)/);
  await page.goto(href);
  await page.waitForTimeout(1500); // the viewer draws the page after load
  await page.screenshot({ path: "test-results/ar-certificate.png" });

  // verification: public, only name, event, dates and validity
  const anonymous = await browser.newContext();
  const verify = await anonymous.newPage();
  await verify.goto(`/certificates/${code}`);
  await expect(verify.getByText("Shavonne Rolle")).toBeVisible();
  await expect(verify.getByText(/Identification and Protection of Victims/)).toBeVisible();
  await expect(verify.getByText(/valid/i).first()).toBeVisible();
  await expect(verify.getByText("participant@example.org")).toHaveCount(0);
  const unknown = await request.get(`${baseURL}/certificates/ZZZZZZZZZZZZ`);
  expect(unknown.status()).toBe(404);
  await anonymous.close();
});
