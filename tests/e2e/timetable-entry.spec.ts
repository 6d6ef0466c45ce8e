import Database from "better-sqlite3";
import AxeBuilder from "@axe-core/playwright";
import { request as playwrightRequest, type Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { signIn } from "./sign-in";

// The language switch is saved in the demo accounts' profiles: put them back for other spec files.
test.afterEach(() => {
  const db = new Database("data/e2e.db");
  db.prepare("update users set locale = null").run();
  db.close();
});

const DRAFT = "Training of Trainers on Victim-Centred Approaches";
const LANGUAGE_LABEL: Record<string, string> = { en: "English", ar: "العربية" };

async function switchTo(page: Page, locale: "en" | "ar") {
  if (!(await page.locator("header select[name=locale]").first().isVisible())) await page.locator("header summary").click();
  await page.locator("header select[name=locale]:visible").selectOption({ label: LANGUAGE_LABEL[locale] });
  await expect(page.locator("html")).toHaveAttribute("lang", locale);
}

/** WCAG 2.2 AA as axe-core sees it: no violation on the page as it stands. */
async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
}

/** Screenshots of the page at a phone's and a desk's width. */
async function shoot(page: Page, name: string) {
  for (const width of [360, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: `test-results/${name}-${width}.png`, fullPage: true });
    // nothing wider than the screen
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, `${name} at ${width} px`).toBeLessThanOrEqual(0);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

test("a coordinator enters a timetable fast: several sessions in one form, a day copied, a session duplicated", async ({ page }) => {
  // many pages, each checked with axe and shot at two widths
  test.setTimeout(180_000);
  await signIn(page, "coordinator@example.org");
  await page.goto(`/events?q=${encodeURIComponent("Training of Trainers")}&when=all`);
  await page.getByRole("link", { name: DRAFT }).first().click();
  await expect(page).toHaveURL(/\/events\/\d+$/);
  const eventUrl = page.url().replace(/\/$/, "");
  await page.goto(`${eventUrl}/sessions`);
  await page.getByRole("link", { name: "Add several sessions" }).click();
  await expect(page.getByRole("heading", { name: "Add several sessions" })).toBeVisible();
  const days = await page.locator("#row-0-day option").allTextContents();

  // row 2 takes row 1's room at the same time: refused, nothing added, everything typed kept
  await page.locator("#row-0-title").fill("Adult learning methods");
  await page.locator("#row-0-start").fill("09:00");
  await page.locator("#row-0-end").fill("10:30");
  await page.locator("#row-0-room").fill("Hall A");
  await page.locator("#row-1-title").fill("Curriculum design");
  await page.locator("#row-1-start").fill("10:00");
  await page.locator("#row-1-end").fill("11:00");
  await page.locator("#row-1-room").fill("hall a");
  await page.locator("#row-2-title").fill("Coffee");
  await page.locator("#row-2-kind").selectOption("break");
  await page.locator("#row-2-start").fill("11:00");
  await page.locator("#row-2-end").fill("11:15");
  await page.getByRole("button", { name: "Add the sessions" }).click();
  await expect(page.locator("#row-1-room-error")).toHaveText("This room is already in use at that time.");
  await expect(page.getByText(/“Adult learning methods” is already in Hall A/)).toBeVisible();
  await expect(page.locator("#row-0-title")).toHaveValue("Adult learning methods");
  await expect(page.locator("#row-1-room")).toHaveValue("hall a");
  await expect(page.locator("#row-2-kind")).toHaveValue("break");
  await expectAccessible(page);
  await shoot(page, "timetable-several-error-en");

  await page.locator("#row-1-room").fill("Hall B");
  await page.getByRole("button", { name: "Add the sessions" }).click();
  await expect(page).toHaveURL(/\/sessions$/);
  await expect(page.getByText("Curriculum design", { exact: true })).toBeVisible();
  await expect(page.getByText("Adult learning methods", { exact: true })).toBeVisible();

  // copy the first day to the second, at the same local times
  await page.getByRole("link", { name: "Copy this day" }).first().click();
  await expect(page.getByRole("heading", { name: "Copy a day" })).toBeVisible();
  await expectAccessible(page);
  await shoot(page, "timetable-copy-day-en");
  await page.getByRole("button", { name: "Copy the day" }).click();
  await expect(page).toHaveURL(/\/sessions$/);
  const secondDay = page.locator("section[aria-labelledby^=day-]", { has: page.getByRole("heading", { name: days[1] }) });
  await expect(secondDay.getByText("Adult learning methods", { exact: true })).toBeVisible();
  await expect(secondDay.getByText("Coffee", { exact: true })).toBeVisible();
  // the same day again: refused, the sessions in the way named
  await page.getByRole("link", { name: "Copy this day" }).first().click();
  await page.locator("#to").selectOption({ index: 1 });
  await page.getByRole("button", { name: "Copy the day" }).click();
  await expect(page.getByTestId("refused-copy")).toHaveCount(2);
  await expect(page.getByText("Nothing was copied.", { exact: false })).toBeVisible();
  await shoot(page, "timetable-copy-day-refused-en");

  // duplicate a session: the form comes filled in; move it to the third day
  await page.goto(`${eventUrl}/sessions`);
  await page.getByRole("link", { name: "Duplicate the session “Curriculum design”" }).first().click();
  await expect(page.getByRole("heading", { name: "Duplicate a session" })).toBeVisible();
  await expect(page.locator("#title")).toHaveValue("Curriculum design");
  await expect(page.locator("#room")).toHaveValue("Hall B");
  await page.locator("#day").selectOption({ label: days[2] });
  await page.getByRole("button", { name: "Add the session" }).click();
  await expect(page).toHaveURL(/\/sessions$/);
  const thirdDay = page.locator("section[aria-labelledby^=day-]", { has: page.getByRole("heading", { name: days[2] }) });
  await expect(thirdDay.getByText("Curriculum design", { exact: true })).toBeVisible();
  await expectAccessible(page);
  await shoot(page, "timetable-page-en");

  // the event's feed for staff, on the timetable
  await page.getByRole("button", { name: "Create my calendar link" }).click();
  await expect(page.getByTestId("feed-url")).toHaveValue(/\/feeds\/[A-Za-z0-9_-]{43}\/calendar\.ics$/);
  const feedUrl = await page.getByTestId("feed-url").inputValue();
  const anonymous = await playwrightRequest.newContext();
  const feed = await anonymous.get(feedUrl);
  expect(feed.status()).toBe(200);
  expect(feed.headers()["content-type"]).toBe("text/calendar; charset=utf-8");
  expect(await feed.text()).toContain("SUMMARY:Curriculum design");
  await anonymous.dispose();

  // the same pages in Arabic
  await switchTo(page, "ar");
  await page.goto(`${eventUrl}/sessions`);
  await expect(page.locator("html")).toHaveAttribute("dir", "rtl");
  await expectAccessible(page);
  await shoot(page, "timetable-page-ar");
  await page.goto(`${eventUrl}/sessions/several`);
  await page.locator("#row-0-title").fill("منهجيات تعليم الكبار");
  await page.locator("#row-0-start").fill("14:00");
  await page.locator("#row-0-end").fill("13:00");
  await page.locator("form button[name=intent][value=create]").click();
  await expect(page.locator("#row-0-end-error")).toBeVisible();
  await expectAccessible(page);
  await shoot(page, "timetable-several-error-ar");
  await page.goto(`${eventUrl}/sessions/copy-day`);
  await shoot(page, "timetable-copy-day-ar");
});

test("a participant subscribes to their own calendar feed and resets it; the old address then answers 404", async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, "participant@example.org");
  await page.goto("/account");
  await page.getByRole("button", { name: "Create my calendar link" }).click();
  const url = await page.getByTestId("feed-url").inputValue();
  expect(url).toMatch(/^http:\/\/localhost:\d+\/feeds\/[A-Za-z0-9_-]{43}\/calendar\.ics$/);
  await expect(page.getByTestId("feed-webcal")).toHaveAttribute("href", url.replace(/^http:\/\//, "webcal://"));
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  await page.getByRole("button", { name: "Copy the link" }).click();
  await expect(page.getByText("Link copied.")).toBeVisible();
  await expectAccessible(page);
  await shoot(page, "calendar-feed-account-new-en");

  const calendarApp = await playwrightRequest.newContext();
  const first = await calendarApp.get(url);
  expect(first.status()).toBe(200);
  expect(first.headers()["set-cookie"]).toBeUndefined();
  const body = await first.text();
  expect(body).toContain("BEGIN:VEVENT");
  expect(body).toContain("X-WR-CALNAME:Convene: my trainings");

  // later: the page says when it was made and used, and offers a reset after a confirmation
  await page.goto("/account");
  await expect(page.getByText(/A calendar app last fetched it on/)).toBeVisible();
  await page.getByText("Reset the link", { exact: true }).click();
  await expect(page.getByText("The current link stops working at once", { exact: false })).toBeVisible();
  await shoot(page, "calendar-feed-account-reset-en");
  await page.getByRole("button", { name: "Yes, reset the link" }).click();
  const renewed = await page.getByTestId("feed-url").inputValue();
  expect(renewed).not.toBe(url);
  expect((await calendarApp.get(url)).status()).toBe(404);
  expect((await calendarApp.get(renewed)).status()).toBe(200);
  await calendarApp.dispose();

  await switchTo(page, "ar");
  await page.goto("/account");
  await page.getByText("إعادة تعيين الرابط", { exact: true }).click();
  await expectAccessible(page);
  await shoot(page, "calendar-feed-account-ar");
});
