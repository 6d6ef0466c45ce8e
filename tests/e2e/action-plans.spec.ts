import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { signIn } from "./sign-in";

/**
 * Issue 7's "done when", in the demo: an officer of the Bahamas training sees and updates her action
 * plan, the partner focal point validates the item, and the coordinator accepts the Bimini / Grand
 * Bahama request, which becomes a draft event linked to the original training and to the request.
 * The steps run in order in one test (each one builds on the previous).
 */

const PLAN = "Bringing victim identification into port operations";
const ITEM = "Integrate the national referral mechanism into daily port procedures";
const TRAINING = "Identification and Protection of Victims of Trafficking and Migrants in Vulnerable Situations";
const REQUEST = "Additional victim-identification training for officers in Bimini and Grand Bahama";
const NOTE = "The referral form is now part of the port's standard operating procedures (circulated on the e2e day).";


/** The item's card on the plan page. */
const itemCard = (page: Page) => page.locator("article").filter({ has: page.getByRole("heading", { name: new RegExp(ITEM) }) });

test("an officer updates her plan, the focal point validates the item, the coordinator turns the Bimini request into a draft event", async ({ page }) => {
  // 1. The officer (participant@example.org): home → her plans → the plan; a dated progress note marks the item done
  await signIn(page, "participant@example.org");
  await expect(page.getByRole("link", { name: PLAN })).toBeVisible();
  await page.getByRole("navigation", { name: "Main navigation" }).getByRole("link", { name: "Action plans" }).click();
  await expect(page).toHaveURL(/\/action-plans$/);
  await expect(page.getByRole("heading", { level: 1, name: "My action plans" })).toBeVisible();
  await page.screenshot({ path: "test-results/action-plans-person.png", fullPage: true });
  await page.getByRole("link", { name: PLAN }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Identification and Protection of Victims");

  const card = itemCard(page);
  await expect(card.locator("header").getByText("In progress", { exact: true })).toBeVisible();
  await card.getByText("Record progress").click();
  await card.getByLabel("What has been done").fill(NOTE);
  await card.getByLabel("Status after this update").selectOption("done");
  await card.getByRole("button", { name: "Save the progress" }).click();
  await expect(page.getByText("The progress is recorded.")).toBeVisible();
  const updated = itemCard(page);
  await expect(updated.getByText(NOTE)).toBeVisible();
  await expect(updated.locator("header").getByText("Done", { exact: true })).toBeVisible();
  // the note is dated today (the date the page shows beside it, in the training's zone)
  const dated = updated.locator("li").filter({ hasText: NOTE }).locator("time");
  await expect(dated).toHaveAttribute("datetime", new RegExp(`^${new Date().toISOString().slice(0, 4)}-`));
  expect((await dated.textContent())!.trim()).not.toBe("");

  // 2. The focal point of the Department of Immigration: her agency's overview, then validates the item
  await signIn(page, "partner@example.org");
  await expect(page.getByRole("heading", { name: "Your agency’s action plans" })).toBeVisible();
  await expect(page.getByRole("link", { name: PLAN })).toBeVisible(); // awaiting validation, listed on the home page
  await page.getByRole("navigation", { name: "Main navigation" }).getByRole("link", { name: "Action plans" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Action plans — Bahamas Department of Immigration");
  // her 2023 plan (she has another, of the training that ended a month ago)
  const row = page.getByRole("row").filter({ hasText: "Shavonne Rolle" }).filter({ hasText: PLAN });
  await expect(row).toContainText("1 done item awaiting validation");
  await page.screenshot({ path: "test-results/action-plans-agency.png", fullPage: true });
  await row.getByRole("link", { name: PLAN }).click();
  const toValidate = itemCard(page);
  await toValidate.getByRole("button", { name: "Mark as validated" }).click();
  await expect(page.getByText("The item is marked as validated.")).toBeVisible();
  await expect(itemCard(page).getByText(/^Validated by /)).toBeVisible();
  await expect(itemCard(page).getByRole("button", { name: "Withdraw the validation" })).toBeVisible();

  // 3. The coordinator: every agency's figures, then accepts the Bimini / Grand Bahama request
  await signIn(page, "coordinator@example.org");
  await page.goto("/action-plans");
  await expect(page.getByRole("heading", { level: 1, name: "Action plans by agency" })).toBeVisible();
  await page.screenshot({ path: "test-results/action-plans-agencies.png", fullPage: true });

  await page.getByRole("navigation", { name: "Main navigation" }).getByRole("link", { name: "Follow-up requests" }).click();
  await page.getByRole("link", { name: REQUEST }).click();
  await expect(page.getByRole("heading", { level: 1, name: REQUEST })).toBeVisible();
  await expect(page.getByText("Under review", { exact: true }).first()).toBeVisible();
  await page.getByLabel(/Copy the timetable of the original training/).check();
  await page.getByRole("button", { name: "Accept and create a draft event" }).click();
  await expect(page.getByText("The request is accepted and a draft event was created from it.")).toBeVisible();
  const requestUrl = new URL(page.url()).pathname;

  await page.getByRole("link", { name: "Open the draft event" }).first().click();
  await expect(page).toHaveURL(/\/events\/\d+$/);
  await expect(page.getByRole("heading", { level: 1, name: REQUEST })).toBeVisible();
  await expect(page.getByText("Draft", { exact: true }).first()).toBeVisible();
  const origin = page.getByTestId("event-origin");
  await expect(origin.getByRole("link", { name: TRAINING })).toHaveAttribute("href", /^\/events\/\d+$/);
  await expect(origin.getByRole("link", { name: REQUEST })).toHaveAttribute("href", requestUrl);
  await page.screenshot({ path: "test-results/follow-up-draft-event.png", fullPage: true });

  // linked both ways: the request lists the event, and the original training's link leads back to it
  await origin.getByRole("link", { name: TRAINING }).click();
  await expect(page.getByRole("heading", { level: 1, name: TRAINING })).toBeVisible();
});
