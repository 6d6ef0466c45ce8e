import type { Locator, Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { signIn } from "./sign-in";

/**
 * A form that adds something is empty again once it has succeeded, and the new thing is shown: the
 * natural second click adds nothing twice, and a second item never takes the first one's values.
 */

const PLAN = "Bringing victim identification into port operations";
const TRAINING = "Identification and Protection of Victims of Trafficking and Migrants in Vulnerable Situations";

const addForm = (page: Page) => page.locator("form").filter({ has: page.getByRole("button", { name: "Add the item" }) });
const escaped = (text: string) => new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
const card = (page: Page, action: string) => page.locator("article").filter({ has: page.getByRole("heading", { name: escaped(action) }) });

async function expectEmptyItemForm(form: Locator) {
  await expect(form.getByLabel(/^Action/)).toHaveValue("");
  await expect(form.getByLabel(/^Target date/)).toHaveValue("");
  await expect(form.getByLabel(/^Responsible/)).toHaveValue("");
  await expect(form.getByLabel(/^Indicator of success/)).toHaveValue("");
}

test("adding two items in a row: the form empties after each, the second has none of the first's values", async ({ page }) => {
  await signIn(page, "participant@example.org");
  await page.getByRole("link", { name: PLAN }).first().click();
  await expect(page).toHaveURL(/\/action-plans\/\d+$/);
  const planUrl = page.url();

  const first = "Brief the night shift on the referral form (e2e)";
  await addForm(page).getByLabel(/^Action/).fill(first);
  await addForm(page).getByLabel(/^Responsible/).fill("Shift supervisor, Nassau harbour");
  await addForm(page).getByLabel(/^Indicator of success/).fill("Every night-shift officer briefed");
  await addForm(page).getByRole("button", { name: "Add the item" }).click();
  await expect(page.getByText("The item is added.")).toBeVisible();
  await expect(card(page, first)).toBeVisible();
  await expect(card(page, first)).toContainText("Shift supervisor, Nassau harbour");
  await expectEmptyItemForm(addForm(page));

  const second = "Add the referral contacts to the port's duty binder (e2e)";
  await addForm(page).getByLabel(/^Action/).fill(second);
  await addForm(page).getByRole("button", { name: "Add the item" }).click();
  await expect(card(page, second)).toBeVisible();
  const details = card(page, second).locator("dl");
  await expect(details).not.toContainText("Shift supervisor");
  await expect(details).not.toContainText("night-shift");
  await expect(details.getByText("Not given")).toHaveCount(2);
  await expectEmptyItemForm(addForm(page));
  // one of each, not a copy of the first
  await expect(page.getByRole("heading", { name: escaped(first) })).toHaveCount(1);

  // progress on the new item, with a file: the form is empty again, the note and file are listed
  const item = card(page, second);
  await item.getByText("Record progress").click();
  await item.getByLabel("What has been done").fill("Contacts printed and filed (e2e).");
  await item.getByLabel(/^Attach a file/).setInputFiles({ name: "binder-page.txt", mimeType: "text/plain", buffer: Buffer.from("Referral contacts\n") });
  await item.getByRole("button", { name: "Save the progress" }).click();
  await expect(page.getByText("The progress is recorded.")).toBeVisible();
  const saved = card(page, second);
  await expect(saved.getByText("Contacts printed and filed (e2e).")).toBeVisible();
  await expect(saved.getByRole("link", { name: /binder-page\.txt/ })).toBeVisible();
  await expect(saved.getByLabel("What has been done")).toHaveValue("");
  expect(await saved.getByLabel(/^Attach a file/).evaluate((input: HTMLInputElement) => input.files?.length ?? 0)).toBe(0);
  await expect(page.getByText("Contacts printed and filed (e2e).")).toHaveCount(1);

  // the coordinator's comment: posted, shown, and the box is empty again
  await signIn(page, "coordinator@example.org");
  await page.goto(planUrl);
  const comment = "Good progress — please share the binder page with the other shifts (e2e).";
  await page.getByLabel("Your comment").fill(comment);
  await page.getByRole("button", { name: "Post the comment" }).click();
  await expect(page.getByText("Your comment is posted.")).toBeVisible();
  await expect(page.locator("#comments").getByText(comment)).toBeVisible();
  await expect(page.getByLabel("Your comment")).toHaveValue("");
});

test("the template's add form empties after each item", async ({ page }) => {
  await signIn(page, "coordinator@example.org");
  await page.goto("/events");
  await page.getByRole("link", { name: TRAINING }).first().click();
  await expect(page).toHaveURL(/\/events\/\d+$/);
  await page.goto(`${new URL(page.url()).pathname}/action-plans/template`);
  if ((await addForm(page).count()) === 0) {
    await page.getByRole("button", { name: "Create the template" }).click();
  }
  const first = "Map the referral contacts of each port (template e2e)";
  await addForm(page).getByLabel(/^Action/).fill(first);
  await addForm(page).getByLabel(/^Responsible/).fill("Port security unit");
  await addForm(page).getByLabel(/^Indicator of success/).fill("A contact list per port");
  await addForm(page).getByRole("button", { name: "Add the item" }).click();
  await expect(page.getByText("The item is added.")).toBeVisible();
  await expect(page.locator("li > p").filter({ hasText: first })).toBeVisible();
  await expectEmptyItemForm(addForm(page));

  const second = "Brief new officers on the contacts (template e2e)";
  await addForm(page).getByLabel(/^Action/).fill(second);
  await addForm(page).getByRole("button", { name: "Add the item" }).click();
  const item = page.locator("li").filter({ has: page.locator("p", { hasText: second }) });
  await expect(item).toBeVisible();
  await expect(item).not.toContainText("Port security unit");
  await expect(item.locator("dl").getByText("Not given")).toHaveCount(2);
  await expectEmptyItemForm(addForm(page));
});
