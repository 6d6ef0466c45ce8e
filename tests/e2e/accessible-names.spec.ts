import type { Locator, Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { signIn } from "./sign-in";

/**
 * What a voice-control user says is what they see: a link's accessible name starts with its visible
 * text. Small links are still at least 24 × 24 CSS px (WCAG 2.2 target size).
 */

const TRAINING = "Identification and Protection of Victims of Trafficking and Migrants in Vulnerable Situations";

async function trainingPath(page: Page) {
  await page.goto("/events");
  await page.getByRole("link", { name: TRAINING }).first().click();
  await expect(page).toHaveURL(/\/events\/\d+$/);
  return new URL(page.url()).pathname;
}

/** The accessible name starts with the text shown (aria-label or content). */
async function expectNameStartsWithText(link: Locator) {
  const { name, text } = await link.evaluate((el) => ({ name: el.getAttribute("aria-label") ?? el.textContent ?? "", text: (el as HTMLElement).innerText }));
  expect(name.replace(/\s+/g, " ").trim().startsWith(text.replace(/\s+/g, " ").trim()), `"${name}" starts with "${text}"`).toBe(true);
}

test("sessions and certificates: names start with the visible text, the PDF links are 24 × 24 px or more", async ({ page }) => {
  for (const width of [1280, 360]) {
    await page.setViewportSize({ width, height: 800 });
    await signIn(page, "coordinator@example.org");
    const base = await trainingPath(page);

    await page.goto(`${base}/sessions`);
    const sessionLinks = page.locator("main a[aria-label], main summary[aria-label]");
    expect(await sessionLinks.count()).toBeGreaterThan(0);
    for (const link of await sessionLinks.all()) await expectNameStartsWithText(link);
    await expect(page.getByRole("link", { name: /^Show check-in screen for / }).first()).toBeVisible();
    await page.screenshot({ path: `test-results/a11y-sessions-${width}.png`, fullPage: true });

    await page.goto(`${base}/certificates`);
    const pdfs = page.locator('main a[href^="/me/certificates/"]');
    expect(await pdfs.count()).toBeGreaterThan(0);
    for (const link of await pdfs.all()) {
      await expectNameStartsWithText(link);
      const box = (await link.boundingBox())!;
      expect(box.width, "PDF link width").toBeGreaterThanOrEqual(24);
      expect(box.height, "PDF link height").toBeGreaterThanOrEqual(24);
    }
    await expect(pdfs.first()).toHaveAccessibleName(/^PDF certificate of /);
    await page.screenshot({ path: `test-results/a11y-certificates-${width}.png`, fullPage: true });
  }
});

test("action plans: an attachment's link is named by what it shows", async ({ page }) => {
  await signIn(page, "participant@example.org");
  await page.getByRole("link", { name: "Bringing victim identification into port operations" }).first().click();
  await expect(page).toHaveURL(/\/action-plans\/\d+$/);
  for (const link of await page.locator("main a[aria-label]").all()) await expectNameStartsWithText(link);
});
