import Database from "better-sqlite3";
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { passSecondFactor } from "./sign-in";

// Switching language is saved in the demo accounts' profiles: put them back whatever happens,
// so other spec files find the demo in English.
test.afterEach(() => {
  const db = new Database("data/e2e.db");
  db.prepare("update users set locale = null").run();
  db.close();
});

const PASSWORD = "demo-password";
const ACCOUNTS = ["admin", "coordinator", "facilitator", "participant", "partner", "donor"];
const EVENTS_HEADING: Record<string, RegExp> = { fr: /Événements|Evénements/, es: /Eventos/, ar: /الفعاليات/ };
const LANGUAGE_LABEL: Record<string, string> = { en: "English", fr: "Français", es: "Español", ar: "العربية" };

async function signIn(page: Page, email: string) {
  await page.context().clearCookies();
  await page.goto("/login");
  await page.locator("#email").fill(email);
  await page.locator("#password").fill(PASSWORD);
  await page.locator("form[method=post] button[type=submit]").last().click();
  await passSecondFactor(page, email);
}

async function switchTo(page: Page, locale: string) {
  const select = page.locator("header select[name=locale]").first();
  if (!(await select.isVisible())) {
    await page.locator("header summary").click(); // phone menu
  }
  await page.locator("header select[name=locale]:visible").selectOption({ label: LANGUAGE_LABEL[locale] });
  await expect(page.locator("html")).toHaveAttribute("lang", locale);
}

test("every demo account can switch to French, Spanish and Arabic and keep using the app", async ({ browser }) => {
  // six accounts × three languages, each a few page loads: the accounts side by side, each in its
  // own browser context (one after the other took a minute)
  test.setTimeout(90_000);
  await Promise.all(
    ACCOUNTS.map(async (account) => {
      const context = await browser.newContext();
      const page = await context.newPage();
      await signIn(page, `${account}@example.org`);
      for (const locale of ["fr", "es", "ar"]) {
        await switchTo(page, locale);
        await expect(page.locator("html")).toHaveAttribute("dir", locale === "ar" ? "rtl" : "ltr");
        await page.goto("/events");
        await expect(page.getByRole("heading", { level: 1 })).toHaveText(EVENTS_HEADING[locale]);
        // the English navigation is gone
        await expect(page.locator("header").getByText("Sign out", { exact: true })).toHaveCount(0);
        await page.goto("/");
        await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      }
      await switchTo(page, "en"); // the profile keeps the choice: leave the demo as we found it
      await context.close();
    }),
  );
});

test("Arabic reads right-to-left: events list and event page", async ({ page }) => {
  await signIn(page, "coordinator@example.org");
  await page.goto("/events");
  await switchTo(page, "ar");
  await expect(page.locator("html")).toHaveAttribute("dir", "rtl");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(EVENTS_HEADING.ar);
  // mirrored: the product name sits on the right, the first table column too
  const width = page.viewportSize()!.width;
  const brand = await page.locator("header a", { hasText: "Convene" }).boundingBox();
  expect(brand!.x).toBeGreaterThan(width / 2);
  const firstHeader = await page.locator("thead th").first().boundingBox();
  const lastHeader = await page.locator("thead th").last().boundingBox();
  expect(firstHeader!.x).toBeGreaterThan(lastHeader!.x);
  await page.screenshot({ path: "test-results/ar-events-list.png", fullPage: true });

  await page.getByRole("link", { name: /Identification and Protection of Victims of Trafficking/ }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Identification and Protection");
  await expect(page.getByText("الاتجار", { exact: false }).first()).toBeVisible(); // GCM objective 10 in Arabic
  // times are written the Arabic way (the locale's own range format), place names isolated in <bdi>
  await expect(page.locator("[data-testid=session-time]").first()).toContainText("10:30");
  await expect(page.locator("main bdi", { hasText: "Harbour View Hotel" }).first()).toBeVisible();
  await page.screenshot({ path: "test-results/ar-event-page.png", fullPage: true });
  await switchTo(page, "en");
});

test("an anonymous visitor gets the browser's language on the login page", async ({ browser }) => {
  const context = await browser.newContext({ locale: "es-CO", extraHTTPHeaders: { "Accept-Language": "es-CO,es;q=0.9" } });
  const page = await context.newPage();
  await page.goto("/login");
  await expect(page.locator("html")).toHaveAttribute("lang", "es");
  await expect(page.getByRole("heading", { level: 1 })).not.toHaveText("Sign in to Convene");
  await context.close();
});
