import path from "node:path";
import Database from "better-sqlite3";
import { expect, test } from "./fixtures";
import { signIn } from "./sign-in";

/**
 * A coordinator reaches the webhooks from the account page, is told why a private plain-http
 * address is refused (what was typed stays), creates a subscription and sees its secret once, then
 * sends a test ping from the subscription's page. Screenshots at 1280 and 360 px, English and Arabic.
 */
test("a coordinator subscribes an address to events, sees the secret once, and sends a test ping", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await signIn(page, "coordinator@example.org");
  await page.goto("/account");
  await page.getByRole("link", { name: "Manage webhooks" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Webhooks" })).toBeVisible();

  await page.getByLabel("Name").fill("DHIS2 sync");
  await page.getByLabel("Address (URL)").fill("http://192.168.1.5/convene");
  await page.getByLabel("A person is added to an event", { exact: false }).check();
  await page.getByLabel("Attendance is recorded for a session").check();
  await page.getByLabel("An attendance mark is removed", { exact: false }).check();
  await page.getByRole("button", { name: "Create the subscription" }).click();
  await expect(page.locator("#url-error")).toContainText("must start with https://");
  await expect(page.getByLabel("Address (URL)")).toHaveValue("http://192.168.1.5/convene");
  await expect(page.getByLabel("Attendance is recorded for a session")).toBeChecked();
  await expect(page.getByLabel("An attendance mark is removed", { exact: false })).toBeChecked();
  await page.screenshot({ path: "test-results/webhooks-refused.png", fullPage: true });

  await page.getByLabel("Address (URL)").fill("https://203.0.113.10/convene");
  await page.getByRole("button", { name: "Create the subscription" }).click();
  await expect(page.getByTestId("webhook-secret")).toHaveText(/^whsec_[A-Za-z0-9+/]{43}=$/);
  await expect(page.getByLabel("Name")).toHaveValue("");
  await page.screenshot({ path: "test-results/webhooks-created.png", fullPage: true });
  await page.reload();
  // shown once: not on the page any more
  await expect(page.getByTestId("webhook-secret")).toHaveCount(0);
  await page.setViewportSize({ width: 360, height: 800 });
  await page.screenshot({ path: "test-results/webhooks-list-360.png", fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });

  await page.getByRole("link", { name: "Settings and deliveries of DHIS2 sync" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "DHIS2 sync" })).toBeVisible();
  await page.getByRole("button", { name: "Send a test ping" }).click();
  await expect(page.getByText("The test ping is queued")).toBeVisible();
  await expect(page.getByText("webhook.ping").first()).toBeVisible();
  await page.screenshot({ path: "test-results/webhook-detail.png", fullPage: true });
  await page.setViewportSize({ width: 360, height: 800 });
  await page.screenshot({ path: "test-results/webhook-detail-360.png", fullPage: true });

  // the same pages in Arabic, right to left
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.locator("header select[name=locale]").first().selectOption({ label: "العربية" });
  await expect(page.locator("html")).toHaveAttribute("dir", "rtl");
  await page.screenshot({ path: "test-results/webhook-detail-ar.png", fullPage: true });
  await page.setViewportSize({ width: 360, height: 800 });
  await page.screenshot({ path: "test-results/webhook-detail-ar-360.png", fullPage: true });
  await page.goto("/account/webhooks");
  // every event type offered, attendance.removed included, named in Arabic
  await expect(page.getByLabel("إزالة تسجيل حضور", { exact: false })).toBeVisible();
  await page.screenshot({ path: "test-results/webhooks-ar-360.png", fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.screenshot({ path: "test-results/webhooks-ar.png", fullPage: true });

  const db = new Database(path.resolve("data/e2e.db"));
  db.prepare("update users set locale = null where email = 'coordinator@example.org'").run();
  db.close();
});
