import { expect, test } from "./fixtures";

/**
 * The watch every spec runs under: a page state is scanned before the test's next action leaves
 * it, and each violation names its rule, its element and the page's address.
 */
test("a violation is reported with its rule, element and address, for the state the test left", async ({ page, accessibility }) => {
  await page.goto("/login");
  // a document without a language, made so after it loaded: what the test saw last on this page
  await page.evaluate(() => document.documentElement.removeAttribute("lang"));
  await page.getByRole("link", { name: /forgot/i }).click(); // an in-page navigation
  await expect(page).toHaveURL(/\/forgot-password$/);
  expect(accessibility.take()).toEqual([expect.objectContaining({ rule: "html-has-lang", targets: ["html"], url: expect.stringMatching(/\/login$/) })]);

  // the page reached by the click is scanned too, before the next navigation
  await page.evaluate(() => {
    document.documentElement.setAttribute("lang", "en");
    document.querySelector("main")!.insertAdjacentHTML("beforeend", '<button id="no-name" type="button"></button>');
  });
  await page.goto("/login");
  expect(accessibility.take()).toEqual([expect.objectContaining({ rule: "button-name", targets: ["#no-name"], url: expect.stringMatching(/\/forgot-password$/) })]);
});
