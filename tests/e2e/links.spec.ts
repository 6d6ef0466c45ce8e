import { expect, test } from "./fixtures";
import { passSecondFactor } from "./sign-in";

/**
 * The links of lists, tables and menus are Remix's own Link and NavLink: a click navigates within
 * the page, without reloading it, and the menus mark the current page.
 */
test("links navigate in the page and the menus mark where the user is", async ({ page }) => {
  await page.goto("/login");
  await page.locator("#email").fill("coordinator@example.org");
  await page.locator("#password").fill("demo-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await passSecondFactor(page, "coordinator@example.org");

  await page.goto("/events");
  await expect(page.getByRole("navigation", { name: "Main navigation" }).getByRole("link", { name: "Events" })).toHaveAttribute("aria-current", "page");
  // a marker that a full page load would wipe out
  await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
  const stayed = () => page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed === true);

  const eventLink = page.getByRole("link", { name: /Identification and Protection of Victims/ }).first();
  await eventLink.click();
  await expect(page).toHaveURL(/\/events\/\d+$/);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Identification and Protection of Victims");
  expect(await stayed()).toBe(true);

  const tabs = page.getByRole("navigation", { name: "Event pages" });
  await expect(tabs.getByRole("link", { name: "Overview" })).toHaveAttribute("aria-current", "page");
  await tabs.getByRole("link", { name: "Roster" }).click();
  await expect(page).toHaveURL(/\/events\/\d+\/roster$/);
  await expect(tabs.getByRole("link", { name: "Roster" })).toHaveAttribute("aria-current", "page");
  await expect(tabs.getByRole("link", { name: "Overview" })).not.toHaveAttribute("aria-current", "page");

  // a person on the roster, then back through the browser's history
  const person = page.locator("tbody a[href^='/people/']").first();
  const name = (await person.textContent())!.trim();
  await person.click();
  await expect(page).toHaveURL(/\/people\/\d+$/);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(name);
  await expect(page.getByRole("navigation", { name: "Main navigation" }).getByRole("link", { name: "People" })).toHaveAttribute("aria-current", "page");
  await page.goBack();
  await expect(page).toHaveURL(/\/events\/\d+\/roster$/);
  expect(await stayed()).toBe(true);
});
