import Database from "better-sqlite3";
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { signIn } from "./sign-in";

/**
 * What the layout shows at a phone's 360 px and a desk's 1280 px, in English and in Arabic
 * (right-to-left): the phone menu, the event tabs and the top navigation stay on screen.
 */

// Switching language is saved in the demo accounts' profiles: put them back for other specs.
test.afterEach(() => {
  const db = new Database("data/e2e.db");
  db.prepare("update users set locale = null").run();
  db.close();
});

const TRAINING = "Identification and Protection of Victims of Trafficking and Migrants in Vulnerable Situations";
const PHONE = { width: 360, height: 740 };
const DESK = { width: 1280, height: 800 };

async function switchTo(page: Page, label: "English" | "العربية") {
  const select = page.locator("header select[name=locale]:visible");
  if ((await select.count()) === 0) await page.locator("header summary").click(); // the phone menu
  await page.locator("header select[name=locale]:visible").selectOption({ label });
  await expect(page.locator("html")).toHaveAttribute("dir", label === "العربية" ? "rtl" : "ltr");
}

/** The demo training's address, found from the events list. */
async function trainingPath(page: Page) {
  await page.goto("/events");
  await page.getByRole("link", { name: TRAINING }).first().click();
  await expect(page).toHaveURL(/\/events\/\d+$/);
  return new URL(page.url()).pathname;
}

async function expectWithin(page: Page, box: { x: number; width: number } | null, what: string) {
  const width = page.viewportSize()!.width;
  expect(box, what).not.toBeNull();
  expect(box!.x, `${what}: left edge`).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width, `${what}: right edge`).toBeLessThanOrEqual(width);
}

test("the phone menu opens within the screen, in English and in Arabic", async ({ page }) => {
  await page.setViewportSize(PHONE);
  await signIn(page, "coordinator@example.org");
  for (const [lang, label] of [["en", "English"], ["ar", "العربية"]] as const) {
    await page.goto("/");
    await switchTo(page, label);
    await page.goto("/");
    const menu = page.locator("header details");
    await menu.locator("summary").click();
    const panel = menu.locator("summary + div");
    await expect(panel).toBeVisible();
    await expectWithin(page, await panel.boundingBox(), `the open menu (${lang})`);
    // the user's name and the navigation inside it are not cut either
    await expectWithin(page, await panel.locator("a[href='/account']").boundingBox(), `the name (${lang})`);
    for (const link of await panel.getByRole("navigation").getByRole("link").all()) {
      await expectWithin(page, await link.boundingBox(), `a menu link (${lang})`);
    }
    await page.screenshot({ path: `test-results/layout-menu-360-${lang}.png` });
  }
});

test("the coordinator's top navigation fits on one line at 1280 px, in English and in Arabic", async ({ page }) => {
  await page.setViewportSize(DESK);
  await signIn(page, "coordinator@example.org");
  for (const [lang, label] of [["en", "English"], ["ar", "العربية"]] as const) {
    await page.goto("/");
    await switchTo(page, label);
    await page.goto("/events");
    const links = page.locator("header nav:visible").getByRole("link");
    const tops = new Set<number>();
    for (const link of await links.all()) tops.add(Math.round((await link.boundingBox())!.y));
    expect([...tops], `rows of the navigation (${lang})`).toHaveLength(1);
    const header = await page.locator("header").boundingBox();
    expect(header!.height, `header height (${lang})`).toBeLessThan(64);
    await page.screenshot({ path: `test-results/layout-nav-1280-${lang}.png` });
  }
});

test("every event tab can be reached at 360 px, the current one shown and the overflow hinted", async ({ page }) => {
  await page.setViewportSize(PHONE);
  await signIn(page, "coordinator@example.org");
  const base = await trainingPath(page);
  for (const [lang, label] of [["en", "English"], ["ar", "العربية"]] as const) {
    await switchTo(page, label);
    const tabs = page.locator("nav[data-event-tabs]");
    // on the overview, the tabs overflow: a fade at the far end says there is more
    await page.goto(base);
    const list = tabs.locator("ul");
    expect(await list.evaluate((ul) => ul.scrollWidth > ul.clientWidth), `tabs overflow at 360 px (${lang})`).toBe(true);
    await expect(tabs.locator("[data-more=end]"), `the hint at the end (${lang})`).toBeVisible();
    await page.screenshot({ path: `test-results/layout-tabs-360-${lang}.png` });
    // the last tab's page: its tab is scrolled into view without the user doing anything
    for (const path of ["action-plans", "follow-ups"]) {
      await page.goto(`${base}/${path}`);
      const current = tabs.locator("[aria-current=page]");
      await expect(current).toBeVisible();
      await expect.poll(async () => {
        const box = (await current.boundingBox())!;
        return box.x >= 0 && box.x + box.width <= PHONE.width;
      }, `the current tab ${path} is on screen (${lang})`).toBe(true);
    }
    await page.screenshot({ path: `test-results/layout-tabs-360-${lang}-follow-ups.png` });
    // every tab can be reached by scrolling the tab bar
    for (const link of await tabs.getByRole("link").all()) {
      await link.scrollIntoViewIfNeeded();
      await expectWithin(page, await link.boundingBox(), `a tab (${lang})`);
    }
  }
});
