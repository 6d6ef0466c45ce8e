import { expect, test } from "@playwright/test";
import { signIn } from "./sign-in";


test("an officer registers for the open follow-up training; the coordinator confirms the seat", async ({ page }) => {
  await page.goto("/events");
  await signIn(page, "coordinator@example.org");
  await page.goto("/events?status=open");
  await page.getByRole("link", { name: /Follow-up Training, Grand Bahama/ }).click();
  await expect(page).toHaveURL(/\/events\/\d+$/);
  const eventUrl = page.url();
  const registerHref = await page.getByRole("link", { name: /Registration page/ }).getAttribute("href");

  await page.context().clearCookies();
  await page.goto(registerHref!);
  await page.locator("#givenName").fill("Latrice");
  await page.locator("#familyName").fill("Cartwright");
  await page.locator("#email").fill("latrice.cartwright@immigration.example");
  await page.locator("#sex").selectOption("female");
  await page.locator("#roleCategory").selectOption("port_specialist");
  await page.getByRole("button", { name: "Register" }).click();
  // consent is required: the form comes back filled in
  await expect(page.getByText("Please give your consent to register").first()).toBeVisible();
  await expect(page.locator("#familyName")).toHaveValue("Cartwright");
  await page.locator("#consent").check();
  await page.getByRole("button", { name: "Register" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Registration received");

  await signIn(page, "coordinator@example.org");
  await page.goto(`${eventUrl}/roster?q=Cartwright`);
  await expect(page.getByRole("cell", { name: "Latrice Cartwright", exact: true })).toBeVisible();
  await page.getByLabel("Select Latrice Cartwright").check();
  await page.locator("#bulk-status").selectOption("confirmed");
  await page.getByRole("button", { name: "Apply", exact: true }).click();
  await expect(page.getByText("The roster is updated.")).toBeVisible();
  await expect(page.getByRole("row", { name: /Latrice Cartwright/ }).getByText("Confirmed")).toBeVisible();
});

test("a partner nominates only officers of its own agency", async ({ page }) => {
  await signIn(page, "partner@example.org");
  await page.goto("/events?status=open");
  await page.getByRole("link", { name: /Follow-up Training, Grand Bahama/ }).click();
  await page.getByRole("link", { name: "Roster" }).click();
  await page.getByRole("link", { name: "Nominate officers" }).click();
  await expect(page.getByRole("heading", { name: "Nominate officers" })).toBeVisible();
  const boxes = page.locator("input[name=personIds]:not([disabled])");
  expect(await boxes.count()).toBeGreaterThan(0);
  await boxes.first().check();
  await page.getByRole("button", { name: "Nominate" }).click();
  await expect(page.getByText("The nominations are sent to the coordinators.")).toBeVisible();
  // the partner's roster shows only the agency's own officers
  const organisations = await page.locator("tbody tr td:nth-child(2)").allTextContents();
  expect(organisations.length).toBeGreaterThan(0);
  expect(new Set(organisations.map((o) => o.trim()))).toEqual(new Set(["Bahamas Department of Immigration"]));
});
