import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import type { Page, TestInfo } from "@playwright/test";
import { expect } from "./fixtures";

/** What each role's journey checks at every step: the words the user reads, and that nothing is off screen. */

export type Lang = "en" | "ar";
export type Viewport = { width: number; height: number };

export const PHONE: Viewport = { width: 360, height: 740 };
export const DESK: Viewport = { width: 1280, height: 800 };

/** A language's texts as the app has them: a namespace per file of app/locales/<lng>/. */
function catalogue(lang: Lang) {
  const folder = path.resolve("app/locales", lang);
  return Object.fromEntries(fs.readdirSync(folder).filter((f) => f.endsWith(".json")).map((f) => [f.slice(0, -5), JSON.parse(fs.readFileSync(path.join(folder, f), "utf8"))]));
}

const CATALOGUES = { en: catalogue("en"), ar: catalogue("ar") } as Record<Lang, unknown>;

/** A catalogue's text, as the app shows it in that language (`{{name}}` filled in). */
export function tr(lang: Lang, key: string, values: Record<string, string | number> = {}) {
  let node: unknown = CATALOGUES[lang];
  for (const part of key.split(".")) node = (node as Record<string, unknown> | undefined)?.[part];
  if (typeof node !== "string") throw new Error(`no text "${key}" in the ${lang} catalogue`);
  return node.replace(/{{\s*(\w+)\s*}}/g, (_, name: string) => String(values[name] ?? `{{${name}}}`));
}

/** An exact-text pattern, for role names. */
export const exactly = (text: string) => new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\s*$`);

export function openDb() {
  const db = new Database(path.resolve("data/e2e.db"));
  db.pragma("journal_mode = WAL");
  db.pragma("foreign_keys = ON");
  db.pragma("busy_timeout = 5000");
  return db;
}

/** The language a demo account reads the app in (saved in its profile, as the language menu does). */
export function setLanguage(email: string, lang: Lang | null) {
  const db = openDb();
  try {
    db.prepare("update users set locale = ? where email = ?").run(lang, email);
  } finally {
    db.close();
  }
}

/** The path of the newest registration confirmation link emailed to this address (the e2e server's outbox). */
export function confirmationPath(email: string) {
  const db = new Database(process.env.E2E_DATABASE ?? "data/e2e.db", { readonly: true });
  try {
    const mail = db
      .prepare("select text from email_outbox where to_address = ? and kind = 'registration_confirm_request' order by id desc limit 1")
      .get(email) as { text: string } | undefined;
    const found = mail?.text.match(/\/registrations\/confirm\/[A-Za-z0-9_-]+/)?.[0];
    if (!found) throw new Error(`no confirmation link was emailed to ${email}`);
    return found;
  } finally {
    db.close();
  }
}

async function expectWithin(page: Page, box: { x: number; width: number } | null, what: string) {
  const width = page.viewportSize()!.width;
  expect(box, `${what} is shown`).not.toBeNull();
  expect(box!.x, `${what}: left edge within the screen`).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width, `${what}: right edge within the screen`).toBeLessThanOrEqual(width);
}

/**
 * The page does not scroll sideways, and the navigation is within the screen: on a phone the menu
 * is opened (its panel, the user's name, the language and every link within 0..width, also
 * right-to-left) and closed again; on a desk every link of the top bar.
 */
export async function expectNavigationOnScreen(page: Page, step: string) {
  const width = page.viewportSize()!.width;
  expect(await page.evaluate(() => document.documentElement.scrollWidth), `${step}: the page does not scroll sideways`).toBeLessThanOrEqual(width);
  const menu = page.locator("header details");
  if (await menu.locator("summary").isVisible()) {
    const panel = menu.locator("summary + div");
    await expect(panel, `${step}: the menu is closed on a new page`).toBeHidden();
    await menu.locator("summary").click();
    await expect(panel).toBeVisible();
    await expectWithin(page, await panel.boundingBox(), `${step}: the open menu`);
    await expectWithin(page, await panel.locator("a[href='/account']").boundingBox(), `${step}: the user's name in the menu`);
    await expectWithin(page, await panel.locator("select[name=locale]").boundingBox(), `${step}: the language in the menu`);
    for (const link of await panel.getByRole("navigation").getByRole("link").all()) {
      await expectWithin(page, await link.boundingBox(), `${step}: the menu link "${await link.textContent()}"`);
    }
    await menu.locator("summary").click();
    await expect(panel).toBeHidden();
  } else {
    const links = page.locator("header nav:visible").getByRole("link");
    for (const link of await links.all()) await expectWithin(page, await link.boundingBox(), `${step}: the navigation link "${await link.textContent()}"`);
  }
}

/** Every tab of an event can be reached (scrolling the row of tabs on a phone) and the current one is on screen. */
export async function expectEventTabsReachable(page: Page, step: string) {
  const tabs = page.locator("nav[data-event-tabs]");
  const current = tabs.locator("[aria-current=page]");
  await expect(current).toBeVisible();
  await expect
    .poll(async () => {
      const box = (await current.boundingBox())!;
      return box.x >= 0 && box.x + box.width <= page.viewportSize()!.width;
    }, `${step}: the current tab is on screen`)
    .toBe(true);
  for (const link of await tabs.getByRole("link").all()) {
    await link.scrollIntoViewIfNeeded();
    await expectWithin(page, await link.boundingBox(), `${step}: the tab "${await link.textContent()}"`);
  }
  await current.scrollIntoViewIfNeeded();
}

/** A screenshot of the step, full page, in test-results/journeys/ (looked at by people, not compared). */
export async function shot(page: Page, testInfo: TestInfo, step: string) {
  const dir = path.resolve("test-results/journeys");
  fs.mkdirSync(dir, { recursive: true });
  const name = `${testInfo.titlePath.at(-1)!.replace(/[^a-z0-9]+/gi, "-").toLowerCase()}-${step}.png`;
  await page.screenshot({ path: path.join(dir, name), fullPage: true });
}
